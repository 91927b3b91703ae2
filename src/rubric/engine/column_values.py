"""Column values: facts as exact integer columns for the column engine (``columns``).

A number is a *scaled integer* column (``x = n / 10**s``: ``Ints``, an int64 array, or an
object array of Python ints once a value could pass 62 bits), a derived rate an exact
fraction of two (``Frac``); booleans are bool arrays, dates day numbers, categories the
values themselves. ``convert`` reads a column of raw values as the per-unit conversion
(``FactSpec.coercer``) would, and marks the cells it does not take (units in the text,
不适用, blanks, values outside the domain ...): the per-unit engine scores those units.
A float is read by its shortest repr, as ``facts.to_decimal`` reads it.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from ..errors import FactError
from ..facts import BOOLEAN_TEXT, FactSpec, coerce_facts
from ..numbers import scaled_int
from ..units import conversion_factor
from .column_bytes import ByteCells, distinct_texts, matching, numbers
from .column_text import MAX_SCALE, text_booleans, text_dates, text_numbers

__all__ = ["EPOCH", "LIMIT", "Converted", "Frac", "Ints", "blank", "cmp", "convert",
           "distinct", "node_exponents", "numpy_or_none", "percent_warning", "places", "scaled",
           "times_ten_to"]

LIMIT = 2 ** 62  # int64 arrays are used while every |value| stays below this
_PLAIN = re.compile(r"[+-]?\d+(?:\.\d+)?\Z")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
EPOCH = _dt.date(1970, 1, 1).toordinal()


def numpy_or_none() -> Any:
    """numpy, or None when it is not installed (the per-unit path is then used)."""
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def places(d: Decimal) -> int:
    exp = d.as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def scaled(d: Decimal, s: int) -> int:
    """``d × 10^s`` as an int, exactly (``numbers.scaled_int``: a target of 30 digits was
    rounded to the context's 28 and a row scored one step off)."""
    return scaled_int(d, s)


# --------------------------------------------------------------------- integer columns


def distinct(np: Any, ints: Any) -> tuple[Any, Any]:
    """``np.unique(ints, return_inverse=True)``: for an int64 column of scores, whose
    values lie close together, by a table over their range (no sort), else by numpy."""
    n = len(ints)
    if n and ints.dtype == np.int64:
        lo, hi = int(ints.min()), int(ints.max())
        if hi - lo < 4 * n + 1024:
            codes = ints - lo
            seen = np.zeros(hi - lo + 1, dtype=bool)
            seen[codes] = True
            present = np.flatnonzero(seen)
            rank = np.zeros(hi - lo + 1, dtype=np.intp)
            rank[present] = np.arange(len(present), dtype=np.intp)
            return present.astype(np.int64) + lo, rank[codes]
    return np.unique(ints, return_inverse=True)  # type: ignore[no-any-return]


def times_ten_to(d: Decimal, p: int) -> int | None:
    """``d · 10**p`` exactly, in integers (no context rounding), when it is an integer
    inside int64; else None."""
    if not d.is_finite():
        return None
    sign, digits, exp = d.as_tuple()
    n = int("".join(map(str, digits)) or "0")
    e = int(exp) + p
    if not n:
        return 0
    if len(digits) + e > 19 or -e > len(digits):  # past int64, or a fraction left
        return None
    if e < 0:
        n, r = divmod(n, 10 ** -e)
        if r:
            return None
    else:
        n *= 10 ** e
    n = -n if sign else n
    return n if -2 ** 63 < n < 2 ** 63 else None


class Ints:
    """An integer column with a bound on its magnitude; object dtype past 62 bits."""

    __slots__ = ("a", "bound")

    def __init__(self, a: Any, bound: int) -> None:
        self.a = a
        self.bound = bound

    def _wide(self, bound: int) -> Any:
        a = self.a
        if bound >= LIMIT and a.dtype != object:
            a = a.astype(object)
        return a

    def times(self, k: int) -> Ints:
        if k == 1:
            return self
        bound = self.bound * abs(k)
        return Ints(self._wide(bound) * k, bound)

    def mul(self, other: Ints) -> Ints:
        bound = self.bound * other.bound
        a, b = self._wide(bound), other._wide(bound)
        if a.dtype != b.dtype:
            a, b = a.astype(object), b.astype(object)
        return Ints(a * b, bound)

    def add(self, other: Ints | int, sign: int = 1) -> Ints:
        if isinstance(other, int):
            if other == 0:
                return self
            bound = self.bound + abs(other)
            a = self._wide(bound)
            return Ints(a + other if sign > 0 else a - other, bound)
        bound = self.bound + other.bound
        a, b = self._wide(bound), other._wide(bound)
        if a.dtype != b.dtype:
            a, b = a.astype(object), b.astype(object)
        return Ints(a + b if sign > 0 else a - b, bound)


class Frac:
    """An exact number column: ``num / den`` (den > 0, an int or an ``Ints``)."""

    __slots__ = ("den", "m", "num")

    def __init__(self, num: Ints, den: Ints | int, m: int = 0) -> None:
        self.num = num
        self.den = den
        self.m = m  # den's decimal scale beyond B (the exactness bound's 10^m)

    def against(self, t: Decimal, s: int) -> tuple[Ints, Ints | int]:
        """(lhs, rhs) with lhs ⋚ rhs exactly when value ⋚ t, both at scale ``s``."""
        lhs = self.num.times(10 ** s)
        rhs_k = scaled(t, s)
        if isinstance(self.den, int):
            return lhs, rhs_k * self.den
        return lhs, self.den.times(rhs_k)


def cmp(lhs: Ints, rhs: Ints | int, op: str) -> Any:
    b = rhs.a if isinstance(rhs, Ints) else rhs
    a = lhs.a
    if op == ">=":
        return a >= b
    if op == ">":
        return a > b
    if op == "<=":
        return a <= b
    return a < b


class Converted:
    """One fact's column as the engine reads it, and which units converted cleanly."""

    __slots__ = ("kind", "ok", "value", "warn")

    def __init__(self, kind: str, value: Any, ok: Any, warn: Any = None) -> None:
        self.kind = kind  # number (a Frac), boolean (bool array), category (codes), date
        self.value = value
        self.ok = ok
        #: cells that may warn (a % fact's plain number that looks like a fraction),
        #: when ``convert`` was asked to keep them (``warn=True``); else None
        self.warn = warn


# --------------------------------------------------------------------- converting input


def _inside(frac: Frac, spec: FactSpec) -> Any:
    ok: Any = True
    if spec.minimum is not None:
        lhs, rhs = frac.against(spec.minimum, places(spec.minimum))
        ok = ok & (lhs.a >= rhs)
    if spec.maximum is not None:
        lhs, rhs = frac.against(spec.maximum, places(spec.maximum))
        ok = ok & (lhs.a <= rhs)
    return ok


def _number_object(np: Any, values: Sequence[Any], spec: FactSpec) -> tuple[Any, Any, int]:
    """Exact decimals of an object column (ints, Decimals, floats, plain-number text)."""
    out: list[Decimal | None] = []
    most = 0
    for x in values:
        t = type(x)
        d: Decimal | None = None
        if t is int or t is Decimal:
            d = Decimal(x)
        elif t is float:
            d = Decimal(repr(x))
        elif t is str and _PLAIN.match(x):
            d = Decimal(x)
        if d is not None and d.is_finite():
            p = places(d)
            if p > MAX_SCALE:
                d = None
            else:
                most = max(most, p)
        else:
            d = None
        out.append(d)
    ok = np.array([d is not None for d in out], dtype=bool)
    ints = [0 if d is None else scaled(d, most) for d in out]
    bound = max((abs(i) for i in ints), default=0)
    arr = np.array(ints, dtype=object if bound >= LIMIT else np.int64)
    return arr, ok, most


def _number_float(np: Any, x: Any) -> tuple[Any, Any, int]:
    """A float column's exact decimals: the shortest repr of each float, as
    ``to_decimal`` reads it. It is the one decimal of s places that rounds to the float
    when there is one and |n| < 2^52 (decimals of s places are then further apart than
    floats); s = 2 (money) is tried first, then 3 ... ``MAX_SCALE``."""
    finite = np.isfinite(x)
    every = bool(finite.all())  # no NaN or inf: fewer passes, the same answer
    xs = x if every else np.where(finite, x, 0.0)
    want = len(x) if every else int(finite.sum())
    for s in (2, *range(3, MAX_SCALE + 1)):
        r = np.rint(xs * 10.0 ** s)
        ok = r / 10.0 ** s == xs
        if not every:
            ok &= finite
        if not len(r) or max(-r.min(), r.max()) >= 2.0 ** 52:
            ok &= np.abs(r) < 2.0 ** 52
        if (ok.all() if every else int(ok.sum()) == want):
            break
    if every and ok.all():
        return r.astype(np.int64), ok, s
    return np.where(ok, r, 0).astype(np.int64), ok, s


def _factors(spec: FactSpec) -> Callable[[str], Decimal | None]:
    """A unit's text -> its exact factor to ``spec``'s unit (None: not convertible), as
    the per-unit conversion finds it (``units.conversion_factor``), each found once."""
    known: dict[str, Decimal | None] = {}

    def factor(given: str) -> Decimal | None:
        if given not in known:
            try:
                known[given] = conversion_factor(given, spec.unit, spec.unit_system)
            except Exception:  # noqa: BLE001 - not convertible: the per-unit path says why
                known[given] = None
        return known[given]

    return factor


def convert(np: Any, values: Any, spec: FactSpec, reading: str | None, *,
            warn: bool = False) -> Converted:
    """``values`` of fact ``spec`` for the engine; cells it cannot take are not ok.
    ``reading`` is a % fact's reading of plain numbers (``percent_numbers``). A value
    of a % fact read as a percent that looks like a fraction (0 < x ≤ 1) warns per
    unit: such cells are not ok, or with ``warn`` ok and marked in ``Converted.warn``
    (the caller then gives each its warning, ``percent_warning``)."""
    if isinstance(values, ByteCells):  # text cells as bytes (a CSV batch's)
        read = _from_bytes(np, values, spec, reading, warn)
        if read is not None:
            return read
        values = values.cells()
    cells = type(values) in (list, tuple)  # a column of text cells (a CSV batch), maybe
    absent = None
    text: Any = None
    if cells and (spec.type in ("boolean", "date")
                  or (spec.type == "number" and reading != "error")):
        text = _text_read(np, values, spec)
        if text is None and None in values:
            # text and nulls (a Parquet string column): the text read in bulk, the nulls
            # not ok (the per-unit path reads them as missing)
            absent = np.fromiter((v is None for v in values), dtype=bool,
                                 count=len(values))
            text = _text_read(np, ["" if v is None else v for v in values], spec)
    if spec.type == "boolean" and text:
        return Converted("boolean", text[0], _present(text[1], absent))
    if spec.type == "date" and text:
        return Converted("date", text[0], _present(text[1], absent))
    if spec.type == "number":
        arr = values if isinstance(values, np.ndarray) or text is not None \
            else np.array(values, dtype=object)
        if reading == "error" or (text is None and arr.dtype == bool):
            return Converted("number", None, np.zeros(len(values), dtype=bool))
        if text is not None:
            a, ok, s = text  # text cells validated and converted in bulk (column_text)
            ok = _present(ok, absent)
        elif arr.dtype.kind in "iu":
            a, ok, s = arr.astype(object if arr.dtype.kind == "u" else np.int64), \
                np.ones(len(arr), dtype=bool), 0
        elif arr.dtype.kind == "f":
            a, ok, s = _number_float(np, arr.astype(np.float64))
        else:
            a, ok, s = _number_object(np, list(arr), spec)
        return _numbers(np, a, ok, s, spec, reading, warn)
    arr = values if isinstance(values, np.ndarray) else np.array(values, dtype=object)
    if spec.type == "boolean":
        if arr.dtype == bool:
            return Converted("boolean", arr, np.ones(len(arr), dtype=bool))
        got = [x if x is True or x is False else
               (BOOLEAN_TEXT.get(x) if type(x) is str else None) for x in arr]
        ok = np.array([g is not None for g in got], dtype=bool)
        return Converted("boolean", np.array([g is True for g in got], dtype=bool), ok)
    if spec.type == "date":
        if arr.dtype.kind == "M":
            days = arr.astype("datetime64[D]")
            ok = ~np.isnat(arr) & (days == arr)
            return Converted("date", np.where(ok, days.astype(np.int64), 0), ok)
        out = []
        for raw in arr:
            x = raw
            if type(raw) is str and _ISO_DATE.match(raw):
                try:
                    x = _dt.date.fromisoformat(raw)
                except ValueError:
                    x = None
            out.append(x.toordinal() - EPOCH if type(x) is _dt.date else None)
        ok = np.array([d is not None for d in out], dtype=bool)
        return Converted("date", np.array([d or 0 for d in out], dtype=np.int64), ok)
    # category and text: the values themselves (categories checked against the list)
    # category and text: codes into the distinct values (checked against the categories)
    known = frozenset(spec.categories) if spec.type == "category" else None
    if arr.dtype.kind in "UO" and known is not None:  # one comparison per category
        values = list(spec.categories)
        codes = np.full(len(arr), -1, dtype=np.int64)
        try:
            for i, c in enumerate(values):
                codes[arr == c] = i
        except (TypeError, ValueError):  # a cell whose == is no bool (pandas' NA): per cell
            codes = np.fromiter((values.index(x) if type(x) is str and x in known else -1
                                 for x in arr), dtype=np.int64, count=len(arr))
    elif arr.dtype.kind == "U":
        uniq, codes = np.unique(arr, return_inverse=True)
        values = [str(u) for u in uniq]
    else:
        index: dict[str, int] = {}
        codes = np.fromiter((index.setdefault(x, len(index)) if type(x) is str else -1
                             for x in arr), dtype=np.int64, count=len(arr))
        values = list(index)
    good = np.array([known is None or v in known for v in values] + [False], dtype=bool)
    return Converted("category", (values, codes), good[codes])



def _text_read(np: Any, cells: Sequence[Any], spec: FactSpec) -> Any:
    """A column of text cells read in bulk (``column_text``) for a boolean, date or
    number fact; None when a cell is not text or the bulk reading declines the column."""
    if spec.type == "boolean":
        return text_booleans(np, cells, BOOLEAN_TEXT)
    if spec.type == "date":
        return text_dates(np, cells, EPOCH)
    return text_numbers(np, cells, _factors(spec))


def _numbers(np: Any, a: Any, ok: Any, s: int, spec: FactSpec, reading: str | None,
             warn: bool) -> Converted:
    """A number column ``a / 10**s`` (``ok``: the cells read) checked as ``convert`` says."""
    lo, hi = (int(a.min()), int(a.max())) if len(a) else (0, 0)
    bound = max(-lo, hi, 0)
    frac = Frac(Ints(a, bound), 10 ** s)
    top = 10 ** (18 + s)  # numbers.MAX_MAGNITUDE: larger values are errors per unit
    if lo < -top or hi > top:
        ok &= (a <= top) & (a >= -top)
    ok &= _inside(frac, spec)
    if reading == "fraction":  # every plain number read so warns: the per-unit path
        ok[:] = False
    elif reading == "percent" and (spec.maximum is None or spec.maximum >= 100):
        looks = (a > 0) & (a <= 10 ** s)  # 0.925 % looks like a fraction: it warns
        if warn:
            return Converted("number", frac, ok, ok & looks)
        ok &= ~looks
    return Converted("number", frac, ok)


def _from_bytes(np: Any, values: ByteCells, spec: FactSpec, reading: str | None,
                warn: bool) -> Converted | None:
    """``convert`` of a column of ``ByteCells``, the same answer as for the list of its
    texts, read from its bytes (``column_bytes``); None: read the list instead."""
    size = len(values)
    if spec.type == "number":
        if reading == "error":
            return Converted("number", None, np.zeros(size, dtype=bool))
        parsed = numbers(np, values)
        text = None if parsed is None else text_numbers(np, values, _factors(spec), parsed)
        if text is None:
            return None
        a, ok, s = text
        return _numbers(np, a, ok, s, spec, reading, warn)
    if spec.type == "boolean":
        keys = list(BOOLEAN_TEXT)
        codes = matching(np, values, keys)
        hits = np.array([BOOLEAN_TEXT[k] for k in keys] + [False], dtype=bool)
        return Converted("boolean", hits[codes], codes >= 0)
    if spec.type == "date":
        found = distinct_texts(np, values)
        if found is None or len(found[0]) * 4 > size:
            return None
        days = text_dates(np, found[0], EPOCH)
        if days is None:
            return None
        return Converted("date", days[0][found[1]], days[1][found[1]])
    if spec.type == "category":
        categories = list(spec.categories)
        codes = matching(np, values, categories)
        good = np.array([True] * len(categories) + [False], dtype=bool)
        return Converted("category", (categories, codes), good[codes])
    return None


def _present(ok: Any, absent: Any) -> Any:
    """``ok`` without the cells that are absent (None: every cell is present)."""
    return ok if absent is None else ok & ~absent


def percent_warning(spec: FactSpec, raw: object, reading: str) -> str | FactError | None:
    """The warning the per-unit conversion (``facts.coerce_facts``, run on this one cell)
    gives for the raw value ``raw`` of the % fact ``spec``: None for none, the error when
    it refuses the cell (the caller then scores the unit per unit)."""
    try:
        warnings = coerce_facts({spec.name: spec}, {spec.name: raw},
                                percent={spec.name: reading}).warnings
    except FactError as exc:
        return exc
    return warnings[0] if warnings else None


def blank(np: Any, values: Any) -> Any:
    """Cells the per-unit path reads as no value at all (None, NaN, empty text)."""
    if isinstance(values, ByteCells):  # text: never blank
        return np.zeros(len(values), dtype=bool)
    arr = values if isinstance(values, np.ndarray) else np.array(values, dtype=object)
    if arr.dtype.kind == "f":
        return np.isnan(arr)
    if arr.dtype.kind == "M":
        return np.isnat(arr)
    if arr.dtype != object:
        return np.zeros(len(arr), dtype=bool)
    return np.array([x is None or (type(x) is float and x != x) for x in arr], dtype=bool)


def node_exponents(np: Any, steps: Any, nodes: Any, fast: Any, scale: int,
                   precision: int) -> list[Any]:
    """Each node's Decimal exponent in each unit settled in columns (``fast``; ``nodes``
    at ``scale``, plan order), as ``evaluate`` makes it: a row's is the precision's; a
    group sums from 0 (the least of 0 and its children's), and one capped is its 分值
    as written. An exponent the same in every unit is an int, else an array."""
    exps: list[Any] = []
    for step in steps:
        if step.rule is not None:
            exps.append(-precision)
            continue
        kids = [exps[c] for c in step.children]
        e: Any = min([0, *(x for x in kids if isinstance(x, int))])
        for x in kids:
            if not isinstance(x, int):
                e = np.minimum(e, x)
        total = sum(nodes[c][fast] for c in step.children)
        capped = total > scaled(step.max_points, scale)
        if capped.any():
            exponent = step.max_points.as_tuple().exponent
            assert isinstance(exponent, int)
            e = np.where(capped, exponent, e)
        exps.append(e)
    return exps
