"""The numeric domain: which numbers rubric accepts, decided once, here.

Every number that enters rubric (a ruleset's points, bounds and targets, a fact's value,
a quantity such as ``"628 亿元"``) passes through ``checked`` (or its fast test
``accepted``). The domain, documented in docs/ruleset-format.md ("Limits"):

* finite, with magnitude at most ``MAX_MAGNITUDE`` (10^18: a budget in 元 of a whole
  country is about 10^14);
* at most ``MAX_PLACES`` (18) decimal places as written, and no exponent beyond
  10^18 either way (``0E+999999999`` is refused too: printed in full it is huge);
* at most ``MAX_DIGITS`` (40) significant digits as written;
* as text, at most ``MAX_NUMBER_TEXT`` (64) characters of number (digits, sign, point,
  grouping commas, exponent), so that no string is converted before it is bounded.

Budget tables need nothing near these; they exist so that ``1E+999999999`` or a
megabyte of digits is a clear error naming the value, never gigabytes of output.
Everything downstream (printing with ``format(x, "f")``, Decimal arithmetic at the
default precision) is bounded for an accepted value.

Computed values (what a formula gives) are held to the same magnitude by ``computed``:
a result beyond 10^18 (``9 ** 99``, a chain of products) is refused, ±Infinity (a
zero denominator, domain.md §3.6) stays, and a result nearer zero than 10^-36 is rounded
to ``COMPUTED_PLACES`` (60) places, so that an underflow (``0E-1000026``) never prints a
megabyte of zeros. ``round(x, n)`` takes at most ``MAX_PLACES`` places either way.
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal

from .errors import RubricError, RulesetError

__all__ = [
    "COMPUTED_PLACES", "MAX_DIGITS", "MAX_MAGNITUDE", "MAX_NUMBER_TEXT", "MAX_PLACES",
    "accepted", "as_text", "checked", "computed", "in_range", "problem", "quoted", "shown",
    "plain_decimal", "scaled_int", "simple_number", "text_problem", "ungrouped",
]

#: the largest magnitude accepted
MAX_MAGNITUDE = Decimal(10) ** 18
#: the most decimal places accepted (as written: ``0.10`` has two)
MAX_PLACES = 18
#: the most significant digits accepted (as written)
MAX_DIGITS = 40
#: the longest number text converted (``"1,000,000.50"`` is 12 characters)
MAX_NUMBER_TEXT = 64

#: the places a computed value nearer zero than 10^-36 is rounded to
COMPUTED_PLACES = 60

_NEG_MAX = -MAX_MAGNITUDE
_COMPUTED_QUANTUM = Decimal(1).scaleb(-COMPUTED_PLACES)


def in_range(number: Decimal) -> bool:
    """``accepted`` for a whole number made from an ``int`` (exponent 0): its magnitude."""
    return _NEG_MAX <= number <= MAX_MAGNITUDE


# At most 18 decimal places, so at most 37 significant digits below 10^18.
_SIMPLE_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]{0,18})?")

#: ``plain_decimal(text)``: a match when ``text`` is a plain decimal with at most 18
#: places (``simple_number``'s form; the magnitude is not tested), else None
plain_decimal = _SIMPLE_NUMBER.fullmatch


def simple_number(text: str) -> Decimal | None:
    """``Decimal(text)`` when ``text`` is a plain decimal that ``accepted`` takes, else
    None (the general test decides): without ``Decimal.as_tuple``, which costs more than
    the rest of converting a fact."""
    if _SIMPLE_NUMBER.fullmatch(text) is None:
        return None
    number = Decimal(text)
    return number if _NEG_MAX <= number <= MAX_MAGNITUDE else None


# exponents whose every finite number within MAX_MAGNITUDE has at most 20 digits: accepted
_COMMON_QUANTA = (Decimal(1), Decimal("0.1"), Decimal("0.01"))


def accepted(number: Decimal) -> bool:
    """Whether ``number`` is inside the domain (the fast test of ``problem``).

    A number written with no, one or two decimal places (``same_quantum``: its exponent
    is 0, -1 or -2; never true of an infinity or NaN) is accepted when its magnitude is,
    without ``Decimal.as_tuple``, which costs several times the rest of the test."""
    for quantum in _COMMON_QUANTA:
        if number.same_quantum(quantum):
            return _NEG_MAX <= number <= MAX_MAGNITUDE
    if not number.is_finite() or number > MAX_MAGNITUDE or number < _NEG_MAX:
        return False
    _, digits, exponent = number.as_tuple()
    return -MAX_PLACES <= int(exponent) <= MAX_PLACES and len(digits) <= MAX_DIGITS


def problem(number: Decimal) -> str | None:
    """Why ``number`` is outside the domain, or None when it is accepted."""
    if not number.is_finite():
        return "is not a finite number"
    if number > MAX_MAGNITUDE or number < _NEG_MAX:
        return "is too large (at most 10^18 in magnitude)"
    _, digits, exponent = number.as_tuple()
    if int(exponent) < -MAX_PLACES:
        return f"has too many decimal places (at most {MAX_PLACES})"
    if int(exponent) > MAX_PLACES:
        return "has too large an exponent (at most 10^18)"
    if len(digits) > MAX_DIGITS:
        return f"has too many digits (at most {MAX_DIGITS})"
    return None


#: a number whose thousands are grouped by commas (``1,234,567.5``): one to three digits,
#: then groups of exactly three, all before the decimal point
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?")


#: digits with commas that ``ungrouped`` keeps (``1,5``, ``1.000,5``, ``12,34``)
_COMMA_NUMBER = re.compile(r"[+-]?[0-9.,]*[0-9][0-9.,]*(?:[eE][+-]?[0-9]+)?")


def ungrouped(text: str) -> str:
    """Number text ``text`` without its thousands commas (``"1,234.5"`` is ``"1234.5"``).

    A comma that groups no thousands (``"1,5"``, a decimal comma or a slip; ``"1.000,5"``)
    is kept, so that the number is refused: read as 15 it would be a wrong score."""
    if "," in text and _GROUPED.fullmatch(text):
        return text.replace(",", "")
    return text


def text_problem(text: str) -> str | None:
    """Why number text ``text`` is refused before it is converted, or None."""
    if len(text) > MAX_NUMBER_TEXT:
        return f"is too long (at most {MAX_NUMBER_TEXT} characters)"
    if "," in text and _COMMA_NUMBER.fullmatch(text):  # what ``ungrouped`` left
        return "has a comma that groups no thousands (write 1,234.5 or 1234.5)"
    return None


def _repr(value: object) -> str:
    """``repr(value)``; an int too long to print in full (Python refuses over 4300
    digits) is shown in scientific notation, as a Decimal is."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3000:
        return f"{Decimal(value):.6E}"
    try:
        return repr(value)
    except ValueError:  # such an int nested in a list or mapping
        return f"<{type(value).__name__} too large to print>"


def as_text(value: object) -> str:
    """``str(value)``, never raising for an int too long to print (``_repr``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3000:
        return _repr(value)
    try:
        return str(value)
    except ValueError:
        return _repr(value)


def shown(value: object) -> str:
    """``value`` for a message, cut short: the message must never be the bomb."""
    text = value if isinstance(value, str) else _repr(value)
    if isinstance(value, Decimal) and value.is_finite():
        text = str(value)  # scientific for huge exponents: short
    return text if len(text) <= 40 else text[:30] + f"... ({len(text)} characters)"


def quoted(value: object) -> str:
    """``repr(value)`` for a message, cut short like ``shown``."""
    text = _repr(value) if not isinstance(value, str) or len(value) <= 200 else repr(value[:200])
    return text if len(text) <= 60 else text[:50] + f"... ({len(text)} characters)"


def checked(number: Decimal, what: str = "number",
            error: type[RubricError] = RulesetError, value: object = None) -> Decimal:
    """``number`` if accepted; otherwise ``error`` naming ``what`` and the value given
    (``value``, default ``number``) and the domain."""
    if accepted(number):
        return number
    reason = problem(number) or "is outside the accepted range"
    raise error(f"a number {reason}: {what} = {shown(number if value is None else value)}",
                expected="a number of at most 10^18 in magnitude, with at most "
                         f"{MAX_PLACES} decimal places", example="4.5")


def computed(number: Decimal) -> Decimal | None:
    """A computed ``number`` as rubric keeps it: as is when it prints short (the common
    case), rounded to ``COMPUTED_PLACES`` places when nearer zero than 10^-36, None when
    it is finite and beyond 10^18 in magnitude (the caller says which formula gave it).
    ±Infinity and NaN are returned as they are."""
    if not number.is_finite():
        return number
    adjusted = number.adjusted()
    if adjusted < -36:
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -COMPUTED_PLACES:
            return number.quantize(_COMPUTED_QUANTUM)
        return number
    if adjusted >= 18 and (number > MAX_MAGNITUDE or number < _NEG_MAX):
        return None
    return number


#: a context in which ``scaleb`` never rounds (it only moves the exponent)
_UNROUNDED = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX,
                             Emin=decimal.MIN_EMIN)


def scaled_int(number: Decimal, places: int) -> int:
    """``number × 10^places`` as an int (truncated toward zero, as ``int()`` truncates),
    exactly: ``scaleb`` in a context that never rounds. In the current context it would
    round to that context's precision (28 digits by default, while a number within
    rubric's limits of 18 whole digits and 12 places has 30)."""
    return int(number.scaleb(places, _UNROUNDED))
