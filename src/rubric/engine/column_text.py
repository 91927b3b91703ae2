"""Text columns as exact scaled integers, in bulk: ``text_numbers(np, cells)``.

A batch read from CSV gives every fact as a column of text cells. ``text_numbers`` takes
a column's *plain-number* cells (``[+-]digits[.digits]`` in ASCII digits, at most 30
before the point, so a cell stays shorter than ``numbers.MAX_NUMBER_TEXT``, and
``MAX_SCALE`` after; nothing else: no spaces, units, thousands separators, percent
signs, full-width digits) and gives each as the integer ``n`` with ``cell = n / 10**s``,
``s`` the most decimals any taken cell has; every other cell is left (``ok`` False) for
the per-unit path, which reads it as it always does. Validation runs over the whole
column at once, ``"\n".join(cells) + "\n"`` with a line count (a cell holding a line
break cannot pass as two cells): string operations in C for the usual column of
unsigned numbers (``_unsigned``), else one compiled regular expression, run from one bad
cell to the next (``_bad_lines``), so only the bad cells cost a step each.

*Why the integers are exact.* When every cell has the same number of decimals, the
point is taken out and the digits are parsed as int64 (at most 18 digits): no float at
all. Otherwise a taken cell is the decimal ``t = n / 10**s`` with at most ``s``
decimals; ``float(cell)`` is the correctly rounded binary float of ``t`` (Python's
``float`` of a string), so ``x = t(1 + e1)`` with ``|e1| ≤ 2**-53``; ``10**s`` is exact
in binary for ``s ≤ 22`` (here ``s ≤ MAX_SCALE``), and the product is rounded once
more: ``y = x · 10**s · (1 + e2)``, ``|e2| ≤ 2**-53``. So ``|y - n| ≤ |n| · 2.3e-16``,
below ``0.5`` whenever ``|n| < 10**15``, and ``rint(y)`` is ``n`` exactly. A cell whose
``rint(y)`` is ``10**15`` or more in magnitude (then ``|n| ≥ 10**15 - 1`` too, so the
bound is checked on the result without losing a cell it admits) is not taken: the
per-unit path reads it in Decimal. No binary float decides anything else: the float is
only a fast way to the integer, and the integer is proven to be the cell's digits.

A cell written as a plain number and a unit (``7125000 万元`` for a fact in 亿元) is read
as the per-unit conversion reads it (``quantities``: the same pattern, the same exact
factor, the same product in Decimal), when the factor is a power of ten; the value's
digits then join the column at its scale, as integers.

``text_booleans`` reads yes/no cells by the same table as the per-unit path
(``facts.BOOLEAN_TEXT``, exact text); ``text_dates`` reads ``YYYY-MM-DD`` cells (ASCII
digits, month 01-12, day 01-31, year from 1000) as day numbers with numpy's calendar,
and any column where numpy refuses one (30 February) cell by cell as before. Whatever
these do not take is left to the caller's own conversion.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..numbers import MAX_NUMBER_TEXT
from ..units import QUANTITY, converted

__all__ = ["EXACT_DIGITS", "MAX_SCALE", "quantities", "text_booleans", "text_dates",
           "text_numbers"]

#: the most decimals a taken cell may have (``column_values``' bound for float columns)
MAX_SCALE = 9
#: a taken cell's digits at the column's scale stay below 10**EXACT_DIGITS (docstring)
EXACT_DIGITS = 15

_CELL = rf"[+-]?[0-9]{{1,30}}(?:\.[0-9]{{1,{MAX_SCALE}}})?"
_COLUMN = re.compile(rf"(?:{_CELL}\n)*")
_ONE = re.compile(rf"{_CELL}\Z")
_DECIMALS = [re.compile(rf"\.[0-9]{{{k}}}") for k in range(1, MAX_SCALE + 1)]


def _scale(joined: str) -> int:
    """The most decimals a cell of ``joined`` (validated cells, one per line) has."""
    for k, pattern in enumerate(_DECIMALS):
        if pattern.search(joined) is None:
            return k
    return MAX_SCALE


def text_numbers(np: Any, cells: Sequence[Any],
                 unit_factor: Callable[[str], Decimal | None] | None = None
                 ) -> tuple[Any, Any, int] | None:
    """``(n, ok, s)``: int64 integers with ``cell = n / 10**s`` where ``ok``, 0 elsewhere;
    None when a cell is not text (the caller converts that column its own way).
    ``unit_factor`` (a unit's text -> the exact factor to the fact's unit, or None) takes
    cells with a unit too (``quantities``)."""
    size = len(cells)
    try:
        joined = "\n".join(cells) + "\n"
    except TypeError:
        return None
    extra: dict[int, Decimal] = {}
    ok = np.ones(size, dtype=bool)
    taken: Sequence[str] = cells
    bad = [] if _unsigned(joined, cells) else _bad_lines(joined, size)
    if bad is None:  # a cell holds a line break: each cell alone
        bad = [i for i, c in enumerate(cells) if _ONE.match(c) is None]
    if bad:
        ok[bad] = False
        if unit_factor is not None:
            extra = quantities([(i, cells[i]) for i in bad], unit_factor)
        taken = list(cells)
        for i in bad:
            taken[i] = "0"
        joined = "\n".join(taken) + "\n"
    s = _scale(joined)
    if not bad and (n := _digits(np, joined, size, s)) is not None:
        return n, ok, s
    x = np.fromiter(map(float, taken), dtype=np.float64, count=size)
    with np.errstate(all="ignore"):
        r = np.rint(x * 10.0 ** s)
        exact = np.abs(r) < 10.0 ** EXACT_DIGITS  # also False for inf, nan
    ok &= exact
    n = np.where(ok, r, 0).astype(np.int64)
    if extra:
        s, n = _with_quantities(np, n, ok, s, extra)
    return n, ok, s


_DIGITS_AND_POINTS = str.maketrans("", "", "0123456789.\n")
_TWO_POINTS = re.compile(r"\.[0-9]*\.")
_TOO_PRECISE = re.compile(rf"\.[0-9]{{{MAX_SCALE + 1}}}")
#: yes/no texts compared a whole column at a time before the rest are looked up
_USUAL = ("是", "否")


def _unsigned(joined: str, cells: Sequence[str]) -> bool:
    """Whether every cell is an unsigned plain number (the usual column), tested with
    string operations that run in C: one line per cell, only digits and points, no empty
    cell, no point first, last or twice in a cell, at most ``MAX_SCALE`` decimals and 40
    characters.
    False sends the column to the pattern (``_bad_lines``), which decides cell by cell."""
    return (joined.count("\n") == len(cells)  # no cell holds a line break
            and not joined.translate(_DIGITS_AND_POINTS) and not joined.startswith(("\n", "."))
            and "\n\n" not in joined and "\n." not in joined and ".\n" not in joined
            and _TWO_POINTS.search(joined) is None
            and _TOO_PRECISE.search(joined) is None
            and max(map(len, cells), default=0) <= 40)


_LONG = re.compile(r"[0-9]{19}")
_SHORT = [re.compile(rf"\.[0-9]{{0,{k - 1}}}\n") for k in range(1, MAX_SCALE + 1)]


def _digits(np: Any, joined: str, size: int, s: int) -> Any:
    """The integers of a column of unsigned plain numbers (one per line of ``joined``)
    that all have exactly ``s`` decimals: the digits with the point taken out, parsed
    as int64 (at most 18 digits, so below 2**63) -- exact without any float; None for
    a column of other cells (the float path then)."""
    if s == 0:
        if "." in joined:
            return None
    elif joined.count(".") != size or _SHORT[s - 1].search(joined) is not None:
        return None
    text = joined.replace(".", "") if s else joined
    if _LONG.search(text) is not None:
        return None
    try:
        n = np.fromstring(text, dtype=np.int64, sep="\n")
    except (ValueError, DeprecationWarning):  # numpy's text parsing refused it: floats
        return None
    return n if len(n) == size else None


def _bad_lines(joined: str, size: int) -> list[int] | None:
    """The indices of the lines of ``joined`` that are not plain numbers, found by the
    column pattern from one bad line to the next; None unless there are ``size`` lines."""
    if joined.count("\n") != size:
        return None
    bad: list[int] = []
    pos = line = 0
    end = len(joined)
    match = _COLUMN.match
    while True:
        m = match(joined, pos)
        stop = m.end() if m is not None else pos
        if stop == end:
            return bad
        line += joined.count("\n", pos, stop)
        bad.append(line)
        pos = joined.index("\n", stop) + 1
        line += 1


def quantities(cells: Sequence[tuple[int, str]],
               unit_factor: Callable[[str], Decimal | None]) -> dict[int, Decimal]:
    """The cells (index, text) written as a plain number and a unit (``7125000 万元``),
    read as the per-unit conversion reads them (``units.QUANTITY``, the unit's exact
    factor, ``units.converted``): index -> the value in the fact's unit. A factor that is
    not a power of ten, more than ``MAX_SCALE`` decimals or a value of ``EXACT_DIGITS``
    digits or more leaves the cell out."""
    out: dict[int, Decimal] = {}
    for i, text in cells:
        if not text or text[-1] in "0123456789." or len(text) > MAX_NUMBER_TEXT:
            continue  # what the per-unit path reads as a bare number, or refuses
        m = QUANTITY.match(text)
        if m is None or not m["unit"] or _ONE.match(m["num"]) is None:
            continue
        factor = unit_factor(m["unit"])
        if factor is None or factor <= 0 or factor != Decimal(1).scaleb(factor.adjusted()):
            continue
        value = converted(Decimal(m["num"]), factor)
        exponent = value.as_tuple().exponent
        if (isinstance(exponent, int) and -exponent <= MAX_SCALE
                and abs(value) < Decimal(10) ** (EXACT_DIGITS - MAX_SCALE)):
            out[i] = value
    return out


def _with_quantities(np: Any, n: Any, ok: Any, s: int, extra: dict[int, Decimal]
                     ) -> tuple[int, Any]:
    """``n`` at scale ``s`` with the cells of ``extra`` put in, at their common scale."""
    top = max([s, *(max(0, -int(v.as_tuple().exponent)) for v in extra.values())])
    if top > s:  # |n| < 10**15 and top <= 9: stays below 2**62
        n = n * 10 ** (top - s)
    at = np.fromiter(extra, dtype=np.int64, count=len(extra))
    n[at] = [int(v.scaleb(top)) for v in extra.values()]
    ok[at] = True
    return top, n


def _all_text(cells: Sequence[Any]) -> bool:
    try:
        "".join(cells)
    except TypeError:
        return False
    return True


def text_booleans(np: Any, cells: Sequence[Any], table: Mapping[str, bool]
                  ) -> tuple[Any, Any] | None:
    """``(value, ok)`` bool arrays of yes/no text cells read by ``table``; None when a
    cell is not text."""
    if not _all_text(cells):
        return None
    arr = np.array(cells, dtype=object)
    size = len(cells)
    value, ok = np.zeros(size, dtype=bool), np.zeros(size, dtype=bool)
    for text in _USUAL:  # the usual cells, compared in C
        hit = table.get(text)
        if hit is not None:
            same = arr == text
            ok |= same
            if hit:
                value |= same
    for i in np.flatnonzero(~ok).tolist():  # every other cell by the table
        hit = table.get(cells[i])
        if hit is not None:
            value[i], ok[i] = hit, True
    return value, ok


_DATE = r"[1-9][0-9]{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_DATES = re.compile(rf"(?:{_DATE}\n)*")
_ONE_DATE = re.compile(rf"{_DATE}\Z")


def text_dates(np: Any, cells: Sequence[Any], epoch: int) -> tuple[Any, Any] | None:
    """``(days, ok)``: each ``YYYY-MM-DD`` cell's ordinal minus ``epoch``; None when a
    cell is not text or numpy refuses a date (the caller reads that column cell by cell)."""
    size = len(cells)
    if not _all_text(cells):
        return None
    joined = "\n".join(cells) + "\n"
    if _DATES.fullmatch(joined) is not None and joined.count("\n") == size:
        ok = np.ones(size, dtype=bool)
        taken: Sequence[str] = cells
    else:
        ok = np.fromiter((_ONE_DATE.match(c) is not None for c in cells), dtype=bool,
                         count=size)
        taken = [c if good else "1970-01-01" for c, good in zip(cells, ok.tolist())]
    try:
        days = np.array(taken, dtype="datetime64[D]").astype(np.int64)
    except ValueError:  # a day the month does not have
        return None
    shift = epoch - _EPOCH_1970
    return np.where(ok, days - shift, 0), ok


_EPOCH_1970 = 719163  # date(1970, 1, 1).toordinal(): numpy's day 0
