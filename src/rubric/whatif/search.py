"""Searching one fact's number line for the value where a row first reaches a score.

A row's score, as one fact moves, is monotone between the breakpoints its rule names
(``Rule.test_hints``, kept here by ``Edges``); ``threshold`` walks those breakpoints from
the current value, and bisects the first stretch where the score is reached, then reads
the threshold exactly (see ``rubric.whatif`` for the reading of open bounds and of
thresholds that are no short decimal).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from ..engine.evaluation import DECIMAL_CONTEXT, Result, derive, score_row
from ..errors import RubricError
from ..facts import MISSING
from ..policy import ROUNDING_MODES
from ..rules.analysis import FactHints
from ..tree import Indicator, Ruleset

__all__ = ["PLACES", "RESOLUTION", "TINY", "Edges", "RowModel", "Span", "Threshold", "inside",
           "places", "threshold"]

PLACES = 10  # a threshold with at most this many decimal places is reported exactly
RESOLUTION = Decimal("0.0001")  # other thresholds: rounded away from the current value
TINY = Decimal("1e-12")  # "just past" a threshold, when telling open from closed
_ITERATIONS = 120
ZERO = Decimal(0)

#: A row's (or a part's) score as (low, high): equal when settled, a range when the
#: evaluator picks the score inside a band. Ranges are ordered as tuples: one is higher
#: when its low end is, or, the low ends equal, its high end is.
Span = tuple[Decimal, Decimal]


class Edges(FactHints):
    """FactHints that keep only the edges a rule names (not the probes around them)."""

    def __init__(self, ruleset: Ruleset) -> None:
        super().__init__(ruleset.facts)
        self.edges: dict[str, set[object]] = {}

    def near(self, name: str, *edges: Decimal | None) -> None:
        for edge in edges:
            if edge is not None and edge.is_finite():
                self.edges.setdefault(name, set()).add(edge)

    def add(self, name: str, value: Any) -> None:
        self.edges.setdefault(name, set()).add(value)


def places(x: Decimal) -> int:
    exponent = x.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def shortest(lo: Decimal, hi: Decimal, lo_in: bool, hi_in: bool) -> Decimal | None:
    """The decimal of fewest places (at most PLACES) in the interval lo..hi."""
    for p in range(PLACES + 1):
        q = Decimal(1).scaleb(-p)
        c = (lo / q).to_integral_value(decimal.ROUND_CEILING) * q
        if c == lo and not lo_in:
            c += q
        if c < hi or (c == hi and hi_in):
            return c
    return None


class RowModel:
    """One row's score as a function of changed facts, scored by the engine."""

    def __init__(self, result: Result, row: Indicator) -> None:
        self.result, self.row, self.ruleset = result, row, result.ruleset
        self.given: dict[str, object] = dict(result.facts)
        policy = self.ruleset.policy
        self.quantize: Callable[[Decimal], Decimal] = (
            (lambda x: x.quantize(policy.quantum, ROUNDING_MODES[policy.rounding]))
            if policy.round_rows else (lambda x: x))

    def values(self, fact: str, value: object) -> dict[str, object] | None:
        """The given and derived facts with ``fact`` set to ``value`` (None: a value the
        facts refuse, or a derived fact driven outside its domain)."""
        if value is MISSING:  # no such value (a date beyond the calendar)
            return None
        values = dict(self.given)
        derived = dict(self.ruleset.derived)
        if fact not in derived:
            values[fact] = value
        try:
            with decimal.localcontext(DECIMAL_CONTEXT):
                for name, formula in self.ruleset.derived:
                    if name == fact:
                        values[name] = value
                        continue
                    got = derive(formula, values)
                    spec = self.ruleset.specs[name]
                    if type(got) is Decimal and not inside(got, spec.minimum, spec.maximum):
                        return None
                    values[name] = got
        except (RubricError, ArithmeticError, TypeError, ValueError):
            return None
        return values

    def outcome(self, fact: str, value: object) -> Span | None:
        """The row's (low, high) with ``fact`` set to ``value``: equal when settled, a
        range when the evaluator picks the score inside a band (None: invalid, missing)."""
        values = self.values(fact, value)
        if values is None:
            return None
        try:
            with decimal.localcontext(DECIMAL_CONTEXT):
                record = score_row(self.ruleset, values, self.row)
        except (RubricError, ArithmeticError, TypeError, ValueError):
            return None  # a value the row refuses reaches nothing
        if record.missing or not record.applicable:
            return None
        return record.low, record.high

    def score(self, fact: str, value: object) -> Decimal | None:
        """The row's score (the low end of a range) with ``fact`` set to ``value``."""
        got = self.outcome(fact, value)
        return None if got is None else got[0]

    def part_outcome(self, part: Callable[[Any], Any], fact: str,
                     value: object) -> Span | None:
        """A part's (low, high) (``part``: the part's prepared rule) with ``fact`` changed."""
        values = self.values(fact, value)
        if values is None:
            return None
        try:
            with decimal.localcontext(DECIMAL_CONTEXT):
                got = part(values)
        except (RubricError, ArithmeticError, TypeError, ValueError):
            return None
        if got.missing or not got.applicable:
            return None
        return got.low, got.high

    def derived_value(self, name: str, operand: str, value: Decimal) -> object:
        """The derived fact ``name`` with ``operand`` set to ``value``."""
        values = dict(self.given)
        values[operand] = value
        try:
            with decimal.localcontext(DECIMAL_CONTEXT):
                for dname, formula in self.ruleset.derived:
                    values[dname] = derive(formula, values)
                    if dname == name:
                        return values[dname]
        except (RubricError, ArithmeticError):
            return MISSING
        return MISSING


def inside(x: Decimal, lo: Decimal | None, hi: Decimal | None) -> bool:
    return (lo is None or x >= lo) and (hi is None or x <= hi)


@attrs.frozen
class Threshold:
    value: Decimal
    open: bool
    exact: bool


def threshold(g: Callable[[Decimal], bool], start: Decimal, edges: list[Decimal],
              lo: Decimal | None, hi: Decimal | None, sign: int,
              integral: bool = False) -> Threshold | None:
    """Where ``g`` (a row reaching a score) first holds moving from ``start`` by ``sign``
    (+1 up, -1 down), within the domain [lo, hi]; None when it never does there."""
    ahead = sorted((e for e in edges if (e - start) * sign > 0 and inside(e, lo, hi)),
                   key=lambda e: (e - start) * sign)
    scale = max([abs(e) for e in edges] + [abs(start), Decimal(1)]) * 1000
    end = hi if sign > 0 else lo
    far = end if end is not None else start + sign * scale
    if ahead and (far - ahead[-1]) * sign <= 0:
        far = ahead[-1]
    back = decimal.ROUND_FLOOR if sign > 0 else decimal.ROUND_CEILING  # towards start
    prev = start
    for point in [*ahead, far]:
        if (point - prev) * sign <= 0:
            continue
        for raw in ((prev + point) / 2, point):
            # a count or a day: only whole values are tried
            sample = raw.to_integral_value(back) if integral else raw
            if (sample - prev) * sign <= 0:
                continue
            if g(sample):
                return _exact(g, prev, sample, sign, integral)
            prev = sample
    return None


def _exact(g: Callable[[Decimal], bool], a: Decimal, b: Decimal, sign: int,
           integral: bool) -> Threshold:
    """Bisect between ``a`` (g false) and ``b`` (g true), then read the threshold exactly
    (a whole ``b`` for an ``integral`` fact: bisected over whole values only, as a count
    in a ``sum`` row may give no score between them)."""
    with decimal.localcontext(DECIMAL_CONTEXT):
        if integral:
            back = decimal.ROUND_FLOOR if sign > 0 else decimal.ROUND_CEILING
            a = a.to_integral_value(back)
            while abs(b - a) > 1:
                mid = ((a + b) / 2).to_integral_value(back)
                if g(mid):
                    b = mid
                else:
                    a = mid
            return Threshold(b, False, True)
        for _ in range(_ITERATIONS):
            if abs(b - a) <= abs(b) * Decimal("1e-26") + Decimal("1e-26"):
                break
            mid = (a + b) / 2
            if g(mid):
                b = mid
            else:
                a = mid
        lo, hi = (a, b) if sign > 0 else (b, a)
        # closed: reached at the shortest decimal of the bracket's far side
        c = shortest(lo, hi, sign < 0, sign > 0)
        if c is not None and g(c) and not g(c - sign * TINY):
            return Threshold(c, False, True)
        # open: not reached at the shortest decimal of the near side, reached just past it
        c = shortest(lo, hi, sign > 0, sign < 0)
        if c is not None and not g(c) and g(c + sign * TINY):
            return Threshold(c, True, True)
        mode = decimal.ROUND_CEILING if sign > 0 else decimal.ROUND_FLOOR
        return Threshold((b / RESOLUTION).to_integral_value(mode) * RESOLUTION, False, False)


