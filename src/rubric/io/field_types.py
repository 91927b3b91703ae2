"""What a value read from a file must be for an attrs field, by the field's annotation.

``CHECKS`` tells whether a value fits (``"Decimal"``: a finite number, or a text holding
one, which the field's converter reads), ``EXPECTED`` says in words what fits and
``EXAMPLES`` gives one; ``describe`` names what was found instead.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from ..numbers import ungrouped

__all__ = ["CHECKS", "EXAMPLES", "EXPECTED", "describe", "non_finite"]


def describe(value: object) -> str:
    """A value read from a file, for a message: ``a number (5)``, ``text 'x'``, ``a list``."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, Decimal)):
        return f"a number ({value})"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return f"a date ({value})"
    return f"text {value!r}" if isinstance(value, str) else type(value).__name__


def _text_number(text: str) -> Decimal | None:
    """The number a text holds the way ``to_decimal`` reads it (``"4.5"``, ``"1,000"``)."""
    try:
        return Decimal(ungrouped(text.strip()))
    except InvalidOperation:
        return None


def _is_number(v: object) -> bool:
    """A finite number, or a text holding one (the field's converter reads it)."""
    if isinstance(v, bool):
        return False
    if isinstance(v, str):
        number = _text_number(v)
        return number is not None and number.is_finite()
    return isinstance(v, int) or (isinstance(v, Decimal) and v.is_finite())


def _is_number_or_name(v: object) -> bool:
    """A finite number, or any text (a fact name; numbers in it were converted already)."""
    return isinstance(v, str) or _is_number(v)


def non_finite(v: object) -> bool:
    """``NaN``/``Infinity`` as a Decimal or as text (``"inf"``, ``"NaN"``)."""
    number = _text_number(v) if isinstance(v, str) else v
    return isinstance(number, Decimal) and not number.is_finite()


CHECKS: dict[str, Callable[[object], bool]] = {
    "str": lambda v: isinstance(v, str),
    "Decimal": _is_number,
    "Decimal | str": _is_number_or_name,
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "_dt.date": lambda v: isinstance(v, (_dt.date, str)),
    "tuple[str, ...]": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
}
EXPECTED = {
    "str": "text", "Decimal": "a number", "Decimal | str": "a number or a fact name",
    "int": "an integer", "bool": "true or false", "_dt.date": "a date YYYY-MM-DD",
    "tuple[str, ...]": "a list of texts",
}
EXAMPLES = {
    "str": "预算执行率", "Decimal": "5", "Decimal | str": "100", "int": "2", "bool": "true",
    "_dt.date": "2023-12-31", "tuple[str, ...]": "[无结余, 有结余]",
}
