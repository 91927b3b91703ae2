"""Text columns as exact scaled integers, in bulk: ``text_numbers(np, cells)``.

A batch read from CSV gives every fact as a column of text cells. ``text_numbers`` takes
a column's *plain-number* cells (``[+-]digits[.digits]`` in ASCII digits, at most 30
before the point and ``MAX_SCALE`` after; nothing else: no spaces, units, thousands
separators, percent signs, full-width digits) and gives each as the integer ``n`` with
``cell = n / 10**s``, ``s`` the most decimals any plain cell has; every other cell is
left (``ok`` False) for the per-unit path, which reads it as it always does. The whole
column is checked at once (``_parsed``): ``"\n".join(cells) + "\n"`` as ASCII bytes
(any other character one ``?`` byte) in numpy, the line ends found in one pass (a cell
holding a line break cannot pass as two cells: the line count must be the cell count,
else those cells are replaced by ``?`` first), and each sign, point or other byte
placed in its cell by a binary search over the line ends, so a signed column or one with
a few bad cells is read in the same few whole-column steps as a column of unsigned
numbers.

*Why the integers are exact.* No binary float is used at all. A taken cell's digits,
the point taken out, are parsed as int64 by numpy's integer text reader (the cells the
column does not take are replaced by ``0`` first, so every line parses); a cell is taken
there only when its digits at the column's scale ``s`` number at most 18, so the parsed
value is below ``10**18 < 2**63`` and multiplying it by ``10**(s - its decimals)`` (an
exact int64 power of ten) stays below ``10**18``: ``n`` is the cell's value times
``10**s`` exactly. A plain cell with more digits is read as a Python int (exact) and
taken when below ``10**18``; above that the per-unit path reads it in Decimal.

A cell written as a plain number and a unit (``7125000 万元`` for a fact in 亿元) is read
as the per-unit conversion reads it (``quantities``: the same pattern, the same exact
factor, the same product in Decimal), when the factor is a power of ten; the value's
digits then join the column at its scale, as integers (the column rescaled to the
larger scale, leaving out any cell whose digits there would reach ``10**18``).

``text_booleans`` reads yes/no cells by the same table as the per-unit path
(``facts.BOOLEAN_TEXT``, exact text): cells of one character as code points (a column
with a few longer cells too, found by the cells' lengths), any other column by its
distinct texts, each looked up once; ``text_dates`` reads
``YYYY-MM-DD`` cells (ASCII digits, month 01-12, day 01-31, year from 1000) as day
numbers with numpy's calendar, a column of few distinct texts by reading each distinct
text once, and any column where numpy refuses one (30 February) cell by cell as
before. Whatever these do not take is left to the caller's own conversion.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..numbers import MAX_NUMBER_TEXT, scaled_int
from ..units import QUANTITY, converted

__all__ = ["EXACT_DIGITS", "MAX_SCALE", "quantities", "text_booleans", "text_dates",
           "text_numbers"]

#: the most decimals a taken cell may have (``column_values``' bound for float columns)
MAX_SCALE = 9
#: a cell with a unit is taken when its value times 10**MAX_SCALE is below 10**EXACT_DIGITS
EXACT_DIGITS = 15

_CELL = rf"[+-]?[0-9]{{1,30}}(?:\.[0-9]{{1,{MAX_SCALE}}})?"
_ONE = re.compile(rf"{_CELL}\Z")
#: ``_parsed``'s lookup tables (byte classes, powers of ten), made on first use
_TABLES: list[Any] = []


def text_numbers(np: Any, cells: Sequence[Any],
                 unit_factor: Callable[[str], Decimal | None] | None = None,
                 parsed: tuple[Any, Any, int, Any] | None = None
                 ) -> tuple[Any, Any, int] | None:
    """``(n, ok, s)``: int64 integers with ``cell = n / 10**s`` where ``ok``, 0 elsewhere;
    None when a cell is not text (the caller converts that column its own way).
    ``unit_factor`` (a unit's text -> the exact factor to the fact's unit, or None) takes
    cells with a unit too (``quantities``). ``parsed``: the cells' plain numbers as
    ``_parsed`` gives them, found already (``column_bytes.numbers``)."""
    size = len(cells)
    got = parsed
    if got is None:
        try:
            joined = "\n".join(cells) + "\n"
        except TypeError:
            return None
        got = _parsed(np, joined if size else "", size)
        if got is None and joined.count("\n") != size:  # a cell holds a line break
            got = _parsed(np, "\n".join("?" if "\n" in c else c for c in cells) + "\n",
                          size)
    if got is None:
        return None
    n, ok, s, valid = got
    for i in np.flatnonzero(valid & ~ok).tolist():  # over 18 digits: as Python ints
        text = cells[i]
        places = len(text) - text.index(".") - 1 if "." in text else 0
        value = int(text.replace(".", "")) * 10 ** (s - places)
        if abs(value) < _LIMIT:
            n[i], ok[i] = value, True
    if unit_factor is not None and not valid.all():
        extra = quantities([(i, cells[i]) for i in np.flatnonzero(~valid).tolist()],
                           unit_factor)
        if extra:
            s, n = _with_quantities(np, n, ok, s, extra)
    return n, ok, s


#: the digits of a taken cell at the column's scale stay below this (int64 holds them)
_LIMIT = 10 ** 18
#: yes/no texts compared a whole column at a time before the rest are looked up
_USUAL = ("是", "否")


def _classes(np: Any) -> Any:
    """Each byte's class for ``_parsed``: 0 digit or point, 1 sign, 2 line break, 3 other."""
    table = np.full(256, 3, dtype=np.uint8)
    table[48:58] = table[46] = 0
    table[[43, 45]] = 1
    table[10] = 2
    return table


def _parsed(np: Any, joined: str, size: int) -> tuple[Any, Any, int, Any] | None:
    """``(n, ok, s, valid)`` for the ``size`` lines of ``joined``: ``valid`` the
    plain-number cells (``_CELL``), checked with whole-column numpy operations on the
    bytes (each point, sign or other byte placed in its cell by a binary search over the
    line ends); ``s`` the most decimals a valid cell has; ``n`` each valid cell's digits
    with the point taken out, parsed as int64 by numpy's text reader (at most 18 digits,
    below 2**63; every other cell's bytes replaced by one ``0`` first), times
    ``10**(s - its decimals)``, all integers: no float anywhere;
    ``ok`` the valid cells whose digits at scale ``s`` have at most 18 digits (the
    caller takes longer ones as Python ints). None unless there are ``size`` lines."""
    raw = joined.encode("ascii", "replace")  # every other character is one '?' byte
    if len(raw) != len(joined):
        return None
    if not _TABLES:
        _TABLES.extend((_classes(np),
                        np.array([10 ** k for k in range(19)], dtype=np.int64)))
    b = np.frombuffer(raw, dtype=np.uint8)
    cls = _TABLES[0][b]
    ends = np.flatnonzero(cls == 2)
    if len(ends) != size:
        return None
    if size == 0:
        return (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool), 0,
                np.zeros(0, dtype=bool))
    starts = np.empty(size, dtype=np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    valid = ends > starts  # not empty
    signs = np.flatnonzero(cls == 1)
    signed = np.zeros(size, dtype=bool)
    if len(signs):
        owner = np.searchsorted(ends, signs)
        first = signs == starts[owner]
        signed[owner[first]] = True
        valid[owner[~first]] = False  # a sign only as a cell's first character
    others = np.flatnonzero(cls == 3)
    if len(others):
        valid[np.searchsorted(ends, others)] = False
    dots = np.flatnonzero(b == 46)
    at = np.full(size, -1, dtype=np.int64)
    if len(dots):
        owner = np.searchsorted(ends, dots)
        valid[owner[1:][owner[1:] == owner[:-1]]] = False  # two points in a cell
        at[owner] = dots
    has = at >= 0
    decimals = np.where(has, ends - at - 1, 0)
    whole = np.where(has, at, ends) - starts - signed
    valid &= (whole >= 1) & (whole <= 30) & (decimals <= MAX_SCALE) & (~has | (decimals >= 1))
    s = int(decimals[valid].max()) if valid.any() else 0
    ok = valid & (whole + s <= 18)
    if ok.all():
        text = joined.replace(".", "")
    else:  # the cells not read here as "0", so numpy reads every line (bytes, in bulk)
        keep = np.repeat(ok, ends - starts + 1) & (b != 46)  # taken cells, no points
        keep[ends] = True  # every line break
        digits = b[keep]
        at_break = np.cumsum(keep)[ends[~ok]] - 1  # the breaks after the cells not taken
        text = np.insert(digits, at_break, 48).tobytes().decode("ascii")
    try:
        n = np.fromstring(text, dtype=np.int64, sep="\n")
    except (ValueError, DeprecationWarning):  # numpy's text reader refused it
        return None
    if len(n) != size:
        return None
    if s:
        n = n * _TABLES[1][np.where(ok, s - decimals, 0)]
    return np.where(ok, n, 0), ok, s, valid


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
    if top > s:  # cells whose digits at scale top would reach 10**18 are left out
        bound = 10 ** (18 - (top - s))
        ok &= (n < bound) & (n > -bound)
        n = np.where(ok, n, 0) * 10 ** (top - s)
    at = np.fromiter(extra, dtype=np.int64, count=len(extra))
    n[at] = [scaled_int(v, top) for v in extra.values()]
    ok[at] = True
    return top, n


def text_booleans(np: Any, cells: Sequence[Any], table: Mapping[str, bool]
                  ) -> tuple[Any, Any] | None:
    """``(value, ok)`` bool arrays of yes/no text cells read by ``table``; None when a
    cell is not text. The column is joined once, at line breaks, as code points: the
    cells of one character (all of them, or found by the cells' lengths) compared with
    the usual texts (``_USUAL``), the others looked up in the table one by one, when
    they are few (an eighth of the column at most); any other column (a cell holding a
    line break, many longer cells) is read by its distinct texts, each looked up once."""
    try:
        joined = "\n".join(cells) + "\n"
    except TypeError:
        return None
    size = len(cells)
    if size and joined.count("\n") == size:  # no cell holds a line break
        arr = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        one: Any = len(arr) == 2 * size and bool((arr[1::2] == 10).all())
        if one:  # a character a cell
            first = arr[0::2]
        else:  # each cell's length from the line breaks
            ends = np.flatnonzero(arr == 10)
            starts = np.empty(size, dtype=np.int64)
            starts[0] = 0
            starts[1:] = ends[:-1] + 1
            one = ends - starts == 1
            first = arr[starts]  # the cell's first character (its break when empty)
        value, ok = np.zeros(size, dtype=bool), np.zeros(size, dtype=bool)
        for text in _USUAL:  # the usual cells, compared in C
            hit = table.get(text)
            if hit is not None:
                same = (first == ord(text)) & one
                ok |= same
                if hit:
                    value |= same
        rest = np.flatnonzero(~ok)
        if len(rest) * 8 <= size or one is True:
            for i in rest.tolist():  # every other cell by the table
                hit = table.get(cells[i])
                if hit is not None:
                    value[i], ok[i] = hit, True
            return value, ok
    code = {text: i for i, text in enumerate(dict.fromkeys(cells))}
    at = np.fromiter(map(code.__getitem__, cells), dtype=np.intp, count=size)
    hits = [table.get(text) for text in code]
    return (np.array([h is True for h in hits], dtype=bool)[at],
            np.array([h is not None for h in hits], dtype=bool)[at])


_DATE = r"[1-9][0-9]{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_DATES = re.compile(rf"(?:{_DATE}\n)*")
_ONE_DATE = re.compile(rf"{_DATE}\Z")


def text_dates(np: Any, cells: Sequence[Any], epoch: int) -> tuple[Any, Any] | None:
    """``(days, ok)``: each ``YYYY-MM-DD`` cell's ordinal minus ``epoch``; None when a
    cell is not text or numpy refuses a date (the caller reads that column cell by cell)."""
    size = len(cells)
    try:
        distinct = dict.fromkeys(cells)
    except TypeError:  # a cell that is not text (nor hashable)
        return None
    if size and len(distinct) * 4 <= size:  # few distinct dates: each read once (there
        # each text is checked to be text)
        keys = list(distinct)
        got = text_dates(np, keys, epoch)
        if got is None:
            return None
        code = {k: i for i, k in enumerate(keys)}
        at = np.fromiter(map(code.__getitem__, cells), dtype=np.intp, count=size)
        return got[0][at], got[1][at]
    try:
        joined = "\n".join(cells) + "\n"
    except TypeError:  # a cell that is not text
        return None
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
