"""Scoring rules: one frozen class per method of domain.md §2.

Every rule exposes the same small protocol (composition, no base class to inherit):

- ``kind``: its tag in ruleset files (``bands``, ``deduction`` ...);
- ``inputs``: the facts it reads; ``input_types``: the fact type each must have;
- ``max_points``: the most it can award; ``direction``: ``higher`` / ``lower`` /
  ``target`` / ``none`` (how the score should move as its main fact grows);
- ``evaluate(values, ctx) -> Outcome``: the score, or a sound range when inputs are
  missing, plus a structured trace that ``explain`` renders in Chinese or English.

Points are ``Decimal``; every rule's result lies in ``[0, max_points]``.
Options left ``None`` take the ruleset policy's ``RuleDefaults``; the reading applied
is part of the trace.
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, NamedTuple, Protocol, cast

import attrs

from ..errors import EvaluationError, RulesetError
from ..expressions import Formula, compile_formula
from ..facts import DATE_TEXT, MISSING, NOT_APPLICABLE, UNDEFINED, Unsettled, to_decimal
from ..policy import BOUNDARIES, PARTIALS, STEP_BASES, ZERO_OVER_ZERO, RuleDefaults

__all__ = [
    "Band",
    "Bands",
    "Boolean",
    "Categorical",
    "Checklist",
    "ChecklistItem",
    "Coefficient",
    "CompletionRatio",
    "Deadline",
    "FormulaRule",
    "Outcome",
    "PerOccurrence",
    "Qualitative",
    "Rule",
    "State",
    "StepDeduction",
    "Tier",
]

ZERO = Decimal(0)
INF = Decimal("Infinity")
DIRECTIONS = ("higher", "lower", "target", "none")

Step = tuple[Any, ...]


class Outcome(NamedTuple):
    """What a rule returns: ``low == high`` when the score is settled."""

    low: Decimal
    high: Decimal
    trace: tuple[Step, ...]
    missing: tuple[str, ...] = ()
    warnings: tuple[Step, ...] = ()
    applicable: bool = True


class Context(Protocol):
    """What a rule may ask of the ruleset while it evaluates."""

    defaults: RuleDefaults

    def domain(self, name: str) -> tuple[Decimal | None, Decimal | None]: ...


class Rule(Protocol):
    """The protocol every rule follows (see the module docstring)."""

    kind: str

    @property
    def inputs(self) -> tuple[str, ...]: ...

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]: ...

    @property
    def max_points(self) -> Decimal: ...

    @property
    def direction(self) -> str: ...

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome: ...

    def prepare(self, defaults: RuleDefaults, domain: DomainFn) -> Prepared: ...


DomainFn = Callable[[str], tuple["Decimal | None", "Decimal | None"]]
Prepared = Callable[[Mapping[str, object]], Outcome]


@attrs.frozen
class _Ctx:
    defaults: RuleDefaults
    domain: DomainFn


def _prepare_generic(rule: Any, defaults: RuleDefaults, domain: DomainFn) -> Prepared:
    """For rules that are cheap as they are: bind ``evaluate`` to a fixed context."""
    evaluate, ctx = rule.evaluate, _Ctx(defaults, domain)
    return lambda values: evaluate(values, ctx)


def _dec(value: object) -> Decimal:
    return to_decimal(value)


def _dec_or_name(value: object) -> Decimal | str:
    return value if isinstance(value, str) else _dec(value)


def _opt_dec(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value)


def _non_negative(inst: object, attr: attrs.Attribute, value: Decimal) -> None:  # type: ignore[type-arg]
    if value < 0:
        raise RulesetError(
            f"{attr.name} must not be negative (got {value})",
            expected="0 or more points", example=f"{attr.name}: 5",
        )


def _positive(inst: object, attr: attrs.Attribute, value: Decimal) -> None:  # type: ignore[type-arg]
    if value <= 0:
        raise RulesetError(f"{attr.name} must be positive (got {value})",
                           expected="a number above 0", example=f"{attr.name}: 1")


def _choice_or_none(allowed: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def check(_inst: object, attr: attrs.Attribute, value: object) -> None:  # type: ignore[type-arg]
        if value is not None and value not in allowed:
            raise RulesetError(f"{attr.name}: '{value}' is not a known reading",
                               expected="one of " + ", ".join(allowed),
                               example=f"{attr.name}: {allowed[0]}")

    return check


def _direction(_inst: object, attr: attrs.Attribute, value: str) -> None:  # type: ignore[type-arg]
    if value not in DIRECTIONS:
        raise RulesetError(f"direction: '{value}' is not known", expected="one of "
                           + ", ".join(DIRECTIONS), example="direction: higher")


def _unknown(name: str, value: object, low: Decimal, high: Decimal) -> Outcome:
    trace: tuple[Step, ...]
    if type(value) is Unsettled:
        trace = (("unsettled", name, value.text), ("range", low, high))
    elif value is UNDEFINED:
        trace = (("undefined", name), ("range", low, high))
    else:
        trace = (("missing", name), ("range", low, high))
    return Outcome(low, high, trace, (name,))


def _not_applicable(name: str) -> Outcome:
    return Outcome(ZERO, ZERO, (("not_applicable", name),), applicable=False)


def _number(value: object) -> bool:
    return type(value) is Decimal


# ----------------------------------------------------------------------------- bands


@attrs.frozen
class Band:
    """An interval of a fact's value and the points it earns.

    ``None`` bounds are unbounded. ``lower == upper`` with both ends closed is a point
    band (``预算调整率=0``). ``含`` in a table closes the end it is written at.
    """

    points: Decimal = attrs.field(converter=_dec, validator=_non_negative)
    lower: Decimal | None = attrs.field(default=None, converter=_opt_dec)
    upper: Decimal | None = attrs.field(default=None, converter=_opt_dec)
    lower_closed: bool = True
    upper_closed: bool = False

    def __attrs_post_init__(self) -> None:
        lo, hi = self.lower, self.upper
        if lo is not None and hi is not None:
            if lo > hi:
                raise RulesetError(f"band {self.label()}: lower {lo} is above upper {hi}",
                                   expected="lower <= upper", example="lower: 0, upper: 10")
            if lo == hi and not (self.lower_closed and self.upper_closed):
                raise RulesetError(f"band {self.label()} is empty",
                                   expected="a point band closed at both ends", example="equals: 0")

    @property
    def is_point(self) -> bool:
        return self.lower is not None and self.lower == self.upper

    def contains(self, x: Decimal) -> bool:
        lo, hi = self.lower, self.upper
        if lo is not None and (x < lo or (x == lo and not self.lower_closed)):
            return False
        return not (hi is not None and (x > hi or (x == hi and not self.upper_closed)))

    def intersects(self, lo: Decimal | None, hi: Decimal | None) -> bool:
        """Whether any value of the closed interval [lo, hi] falls in this band."""
        blo, bhi = self.lower, self.upper
        if (hi is not None and blo is not None
                and (hi < blo or (hi == blo and not self.lower_closed))):
            return False
        return not (lo is not None and bhi is not None
                    and (lo > bhi or (lo == bhi and not self.upper_closed)))

    def label(self) -> str:
        """The band as interval text: ``=0``, ``(0, 10]``, ``≤100``, ``>130``."""
        return self._label

    @functools.cached_property
    def _label(self) -> str:
        from ..text import fmt

        if self.is_point:
            return f"={fmt(self.lower)}"
        if self.lower is None and self.upper is None:
            return "任意值"
        if self.lower is None:
            return ("≤" if self.upper_closed else "<") + fmt(self.upper)
        if self.upper is None:
            return ("≥" if self.lower_closed else ">") + fmt(self.lower)
        return (
            ("[" if self.lower_closed else "(")
            + f"{fmt(self.lower)}, {fmt(self.upper)}"
            + ("]" if self.upper_closed else ")")
        )


def _bands(value: object) -> tuple[Band, ...]:
    bands = tuple(cast("Iterable[Any]", value))
    if not bands:
        raise RulesetError("bands: at least one band is needed",
                           example="- {lower: 0, upper: 10, upper_closed: true, points: 4}")
    for i, band in enumerate(bands):
        if not isinstance(band, Band):
            raise RulesetError(f"bands[{i}]: expected a Band", example="Band(4, 0, 10)")
    for i, (a, b) in enumerate(itertools.pairwise(bands), start=1):
        a_lo = -INF if a.lower is None else a.lower
        b_lo = -INF if b.lower is None else b.lower
        if b_lo < a_lo or (b_lo == a_lo and not a.is_point):
            raise RulesetError(
                f"bands[{i}] {b.label()} comes before bands[{i - 1}] {a.label()}",
                expected="bands sorted from the lowest values up",
                example="=0; (0, 10]; (10, 20]",
            )
        a_hi = INF if a.upper is None else a.upper
        if a_hi > b_lo or (a_hi == b_lo and a.upper_closed and b.lower_closed):
            raise RulesetError(
                f"bands[{i - 1}] {a.label()} and bands[{i}] {b.label()} overlap",
                expected="each value in at most one band; 含 closes only one of two touching ends",
                example="(0, 10] then (10, 20]",
            )
    return bands


@attrs.frozen
class Bands:
    """Method 1/1b: the value falls in one of several intervals, each worth fixed points."""

    kind = "bands"
    fact: str
    bands: tuple[Band, ...] = attrs.field(converter=_bands)
    direction: str = attrs.field(default="none", validator=_direction)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.fact,)

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        return {self.fact: ("number",)}

    @property
    def max_points(self) -> Decimal:
        return max(b.points for b in self.bands)

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        return self.prepare(ctx.defaults, ctx.domain)(values)

    def prepare(self, defaults: RuleDefaults, domain: DomainFn) -> Prepared:
        """Resolve everything once; the closure only compares."""
        fact = self.fact
        table = tuple(
            # An unbounded end holds ±Infinity (x/0 is an unbounded overrun, §3.6).
            (-INF if b.lower is None else b.lower, b.lower_closed or b.lower is None,
             INF if b.upper is None else b.upper, b.upper_closed or b.upper is None, b.points, b)
            for b in self.bands
        )
        lo, hi = domain(fact)
        reachable = [b.points for b in self.bands if b.intersects(lo, hi)] or [ZERO]
        low, high = min(reachable), max(reachable)
        labels = "; ".join(b.label() for b in self.bands)

        def run(values: Mapping[str, object]) -> Outcome:
            x = values.get(fact, MISSING)
            if type(x) is Decimal:
                for blo, lc, bhi, hc, pts, band in table:
                    if (x > blo or (lc and x == blo)) and (x < bhi or (hc and x == bhi)):
                        return Outcome(pts, pts, (("value", fact, x), ("band", band, pts)))
                raise EvaluationError(f"{fact} = {x} falls in no band",
                                      expected="a value inside one of " + labels)
            if x is NOT_APPLICABLE:
                return _not_applicable(fact)
            return _unknown(fact, x, low, high)

        return run


# ------------------------------------------------------------------------ deductions


@attrs.frozen
class StepDeduction:
    """Methods 2, 3, 4, 11 and 14: full points within a tolerance of a target, then a
    deduction for every step of deviation, floored (扣完为止).

    ``side``: ``below`` (shortfall: "20家以上5分; 每少10%扣1分"), ``above`` (overrun:
    "≦100%计5分; 每超过一个百分点扣1分") or ``both`` (two-sided: "131人计3分,
    增减幅度每超过5%扣1分"). ``step`` and ``tolerance`` are read by ``basis``:
    ``relative`` (percent *of the target*) or ``absolute`` (the fact's own unit,
    percentage points for a rate). ``tolerance`` is the band of full marks of method 14
    ("浮动2%以内8分; 浮动2%以后每超过1%扣0.5分").
    """

    kind = "deduction"
    fact: str
    target: Decimal = attrs.field(converter=_dec)
    points: Decimal = attrs.field(converter=_dec, validator=_non_negative)
    step: Decimal = attrs.field(converter=_dec, validator=_positive)
    per_step: Decimal = attrs.field(default=Decimal(1), converter=_dec, validator=_positive)
    side: str = attrs.field(default="below")
    basis: str | None = attrs.field(default=None, validator=_choice_or_none(STEP_BASES))
    partial: str | None = attrs.field(default=None, validator=_choice_or_none(PARTIALS))
    boundary: str | None = attrs.field(default=None, validator=_choice_or_none(BOUNDARIES))
    tolerance: Decimal = attrs.field(default=ZERO, converter=_dec, validator=_non_negative)
    floor: Decimal = attrs.field(default=ZERO, converter=_dec, validator=_non_negative)
    overachievement_warn: Decimal | None = attrs.field(default=None, converter=_opt_dec)

    @side.validator
    def _check_side(self, _attr: object, value: str) -> None:
        if value not in ("below", "above", "both"):
            raise RulesetError(f"side: '{value}' is not known",
                               expected="below (shortfall), above (overrun) or both (deviation)",
                               example="side: below")

    def __attrs_post_init__(self) -> None:
        if self.floor > self.points:
            raise RulesetError(f"floor {self.floor} is above the points {self.points}",
                               expected="a floor between 0 and the row's points",
                               example="floor: 0")
        if self.boundary == "excludes" and self.partial in ("ceil", "proportional"):
            raise RulesetError(
                f"boundary: excludes applies to whole steps only, not to partial: {self.partial}",
                expected="partial: floor with boundary: excludes, or no boundary",
                example="partial: floor, boundary: excludes")
        if self.basis == "relative" and self.target == 0:
            raise RulesetError("a relative step needs a non-zero target",
                               expected="basis: absolute, or a target other than 0")

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.fact,)

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        return {self.fact: ("number",)}

    @property
    def max_points(self) -> Decimal:
        return self.points

    @property
    def direction(self) -> str:
        return {"below": "higher", "above": "lower", "both": "target"}[self.side]

    def step_size(self, defaults: RuleDefaults) -> tuple[Decimal, Decimal, str]:
        """(step, tolerance) in the fact's unit, and the basis applied."""
        basis = self.basis or defaults.step_basis
        if basis == "relative":
            if self.target == 0:
                raise RulesetError("a relative step needs a non-zero target",
                                   expected="basis: absolute, or a target other than 0")
            scale = abs(self.target) / 100
            return self.step * scale, self.tolerance * scale, basis
        return self.step, self.tolerance, basis

    def deviation(self, x: Decimal) -> Decimal:
        if self.side == "below":
            return self.target - x if x < self.target else ZERO
        if self.side == "above":
            return x - self.target if x > self.target else ZERO
        return abs(x - self.target)

    def scorer(self, defaults: RuleDefaults) -> Callable[[Decimal], tuple[Decimal, Step]]:
        """The function from a deviation to (points, trace step) under ``defaults``."""
        step, tol, basis = self.step_size(defaults)
        partial = self.partial or defaults.partial
        # The boundary reading concerns whole steps: with ceil or proportional steps it
        # plays no part, and the trace says so (None) rather than claim one.
        boundary = (self.boundary or defaults.boundary) if partial == "floor" else None
        points, per_step, floor = self.points, self.per_step, self.floor
        excludes = boundary == "excludes"

        def score(d: Decimal) -> tuple[Decimal, Step]:
            if d <= tol:
                return points, ("within", d, tol, points, basis)
            excess = d - tol
            if excess.is_infinite():
                steps = INF
            elif partial == "proportional":
                steps = excess / step
            else:
                whole, rest = divmod(excess, step)
                if partial == "ceil":
                    steps = whole + 1 if rest else whole
                elif excludes and not rest and whole > 0:
                    steps = whole - 1
                else:
                    steps = whole
            deducted = INF if steps.is_infinite() else steps * per_step
            result = points - deducted
            result = max(result, floor)
            return result, ("deduct", d, tol, step, steps, per_step, deducted, result, basis,
                            partial, boundary, floor)

        return score

    def score_deviation(self, d: Decimal, defaults: RuleDefaults) -> tuple[Decimal, Step]:
        return self.scorer(defaults)(d)

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        return self.prepare(ctx.defaults, ctx.domain)(values)

    def prepare(self, defaults: RuleDefaults, domain: DomainFn) -> Prepared:
        """Resolve the readings and step sizes once; the closure only does arithmetic."""
        score = self.scorer(defaults)
        fact, target, side = self.fact, self.target, self.side
        warn = self.overachievement_warn or defaults.overachievement_warn
        if side != "below" or target <= 0:
            warn = None
        lo, hi = domain(fact)
        dmin, dmax = self._deviation_range(lo, hi)
        best, worst = score(dmin)[0], score(dmax)[0]

        def run(values: Mapping[str, object]) -> Outcome:
            x = values.get(fact, MISSING)
            if type(x) is Decimal:
                if side == "below":
                    d = target - x if x < target else ZERO
                elif side == "above":
                    d = x - target if x > target else ZERO
                else:
                    d = abs(x - target)
                got, detail = score(d)
                if warn is not None and x > target * warn:
                    return Outcome(got, got, (("value", fact, x), detail), (),
                                   (("overachieved", x / target, warn),))
                return Outcome(got, got, (("value", fact, x), detail))
            if x is NOT_APPLICABLE:
                return _not_applicable(fact)
            return _unknown(fact, x, worst, best)

        return run

    def _deviation_range(self, lo: Decimal | None, hi: Decimal | None) -> tuple[Decimal, Decimal]:
        t = self.target
        lo_ = -INF if lo is None else lo
        hi_ = INF if hi is None else hi
        if self.side == "below":
            return max(ZERO, t - hi_), max(ZERO, t - lo_)
        if self.side == "above":
            return max(ZERO, lo_ - t), max(ZERO, hi_ - t)
        nearest = ZERO if lo_ <= t <= hi_ else min(abs(lo_ - t), abs(hi_ - t))
        return nearest, max(abs(lo_ - t), abs(hi_ - t))


@attrs.frozen
class PerOccurrence:
    """Method 7: "每出现一例不符合要求的扣1分, 扣完为止": points minus count × per_occurrence."""

    kind = "per_occurrence"
    prepare = _prepare_generic
    fact: str
    points: Decimal = attrs.field(converter=_dec, validator=_non_negative)
    per_occurrence: Decimal = attrs.field(default=Decimal(1), converter=_dec, validator=_positive)
    floor: Decimal = attrs.field(default=ZERO, converter=_dec, validator=_non_negative)
    direction = "lower"

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.fact,)

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        return {self.fact: ("number",)}

    @property
    def max_points(self) -> Decimal:
        return self.points

    def _score(self, count: Decimal) -> Decimal:
        if count.is_infinite():
            return self.floor
        return max(self.floor, min(self.points, self.points - count * self.per_occurrence))

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        x = values.get(self.fact, MISSING)
        if type(x) is Decimal:
            if x < 0 or x != x.to_integral_value():
                raise EvaluationError(f"{self.fact} = {x}: not a count of occurrences",
                                      expected="a whole number, 0 or more", example="2")
            score = self._score(x)
            return Outcome(score, score, (("value", self.fact, x),
                                          ("occurrences", x, self.per_occurrence, score)))
        if x is NOT_APPLICABLE:
            return _not_applicable(self.fact)
        lo, hi = ctx.domain(self.fact)
        best = self._score(max(ZERO, lo) if lo is not None else ZERO)
        worst = self._score(INF if hi is None else hi)
        return _unknown(self.fact, x, worst, best)


# ------------------------------------------------------------------------- booleans


@attrs.frozen
class Boolean:
    """Method 5: "是否分项目核算结余结转, 是, 5分; 否, 0分" (also the award-only form)."""

    kind = "boolean"
    prepare = _prepare_generic
    fact: str
    yes_points: Decimal = attrs.field(converter=_dec, validator=_non_negative)
    no_points: Decimal = attrs.field(default=ZERO, converter=_dec, validator=_non_negative)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.fact,)

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        return {self.fact: ("boolean",)}

    @property
    def max_points(self) -> Decimal:
        return max(self.yes_points, self.no_points)

    @property
    def direction(self) -> str:
        return "higher" if self.yes_points >= self.no_points else "lower"

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        x = values.get(self.fact, MISSING)
        if x is True or x is False:
            score = self.yes_points if x else self.no_points
            return Outcome(score, score, (("bool", self.fact, x, score),))
        if x is NOT_APPLICABLE:
            return _not_applicable(self.fact)
        lo, hi = sorted((self.yes_points, self.no_points))
        return _unknown(self.fact, x, lo, hi)


@attrs.frozen
class ChecklistItem:
    """One all-or-nothing item of a checklist ("①按规定内容公开预决算信息, 3分")."""

    fact: str
    points: Decimal = attrs.field(converter=_dec, validator=_non_negative)
    label: str = ""


def _items(value: object) -> tuple[ChecklistItem, ...]:
    items = tuple(cast("Iterable[Any]", value))
    if not items:
        raise RulesetError("checklist: at least one item is needed",
                           example="- {fact: 按规定内容公开, points: 3}")
    return items


@attrs.frozen
class Checklist:
    """Method 6: additive checklist; each item's points are awarded when its fact is true."""

    kind = "checklist"
    prepare = _prepare_generic
    items: tuple[ChecklistItem, ...] = attrs.field(converter=_items)
    direction = "higher"

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(item.fact for item in self.items))

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        return {item.fact: ("boolean",) for item in self.items}

    @property
    def max_points(self) -> Decimal:
        return sum((item.points for item in self.items), ZERO)

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        low = high = ZERO
        trace: list[Step] = []
        missing: list[str] = []
        applicable = False
        for item in self.items:
            x = values.get(item.fact, MISSING)
            if x is True or x is False:
                applicable = True
                got = item.points if x else ZERO
                low += got
                high += got
                trace.append(("item", item.label or item.fact, x, got))
            elif x is NOT_APPLICABLE:
                trace.append(("not_applicable", item.fact))
            else:
                applicable = True
                high += item.points
                missing.append(item.fact)
                trace.append(("item_missing", item.label or item.fact, item.points))
        if not applicable:
            return Outcome(ZERO, ZERO, tuple(trace), applicable=False)
        if missing:
            trace.append(("range", low, high))
        return Outcome(low, high, tuple(trace), tuple(missing))


# ---------------------------------------------------------------------- categories


@attrs.frozen
class State:
    """One state of a categorical rule and its points."""

    value: str
    points: Decimal = attrs.field(converter=_dec, validator=_non_negative)


def _states(value: object) -> tuple[State, ...]:
    states = tuple(cast("Iterable[Any]", value))
    if not states:
        raise RulesetError("states: at least one state is needed",
                           example="- {value: 无结余, points: 5}")
    names = [s.value for s in states]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise RulesetError(f"states: '{dup}' is listed twice", expected="each state once")
    return states


@attrs.frozen
class Categorical:
    """Method 8: "无结余, 5分; 有结余但不超过上年结余, 3分; 结余超过上年结余, 不得分"."""

    kind = "categorical"
    prepare = _prepare_generic
    fact: str
    states: tuple[State, ...] = attrs.field(converter=_states)
    direction: str = attrs.field(default="none", validator=_direction)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.fact,)

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        return {self.fact: ("category", "text")}

    @property
    def max_points(self) -> Decimal:
        return max(s.points for s in self.states)

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        x = values.get(self.fact, MISSING)
        if type(x) is str:
            for state in self.states:
                if state.value == x:
                    return Outcome(state.points, state.points,
                                   (("state", self.fact, x, state.points),))
            raise EvaluationError(f"{self.fact} = '{x}' is not one of the rule's states",
                                  expected="one of " + ", ".join(s.value for s in self.states))
        if x is NOT_APPLICABLE:
            return _not_applicable(self.fact)
        points = [s.points for s in self.states]
        return _unknown(self.fact, x, min(points), max(points))


# --------------------------------------------------------------------------- ratios


@attrs.frozen
class CompletionRatio:
    """Methods 9/9b: points × min(1, actual/target) ("未完成按完成值/指标值×分值"), or,
    with ``reverse``, points × min(1, target/actual) for lower-is-better targets.

    ``target`` is a constant or the name of a fact. 0/0 is read by ``zero_over_zero``;
    a zero denominator with a non-zero numerator is an unbounded ratio (capped at 1).
    """

    kind = "ratio"
    prepare = _prepare_generic
    actual: str
    target: Decimal | str = attrs.field(converter=_dec_or_name)
    points: Decimal = attrs.field(converter=_dec, validator=_non_negative)
    reverse: bool = False
    zero_over_zero: str | None = attrs.field(default=None,
                                             validator=_choice_or_none(ZERO_OVER_ZERO))
    overachievement_warn: Decimal | None = attrs.field(default=None, converter=_opt_dec)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.actual, self.target) if isinstance(self.target, str) else (self.actual,)

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        return dict.fromkeys(self.inputs, ("number",))

    @property
    def max_points(self) -> Decimal:
        return self.points

    @property
    def direction(self) -> str:
        return "lower" if self.reverse else "higher"

    def _ratio(self, actual: Decimal, target: Decimal) -> Decimal | None:
        num, den = (target, actual) if self.reverse else (actual, target)
        if den == 0:
            return None if num == 0 else INF
        return num / den

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        a = values.get(self.actual, MISSING)
        t = values.get(self.target, MISSING) if isinstance(self.target, str) else self.target
        if a is NOT_APPLICABLE or t is NOT_APPLICABLE:
            return _not_applicable(self.actual)
        if type(a) is Decimal and type(t) is Decimal:
            ratio = self._ratio(a, t)
            trace: list[Step] = [("value", self.actual, a)]
            if isinstance(self.target, str):
                trace.append(("value", self.target, t))
            if ratio is None:
                reading = self.zero_over_zero or ctx.defaults.zero_over_zero
                if reading == "undefined":
                    low, high = ZERO, self.points
                    trace += [("zero_over_zero", reading), ("range", low, high)]
                    return Outcome(low, high, tuple(trace), (self.actual,))
                score = self.points if reading == "full" else ZERO
                trace.append(("zero_over_zero", reading, score))
                return Outcome(score, score, tuple(trace))
            used = min(Decimal(1), max(ZERO, ratio))
            score = self.points * used
            trace.append(("ratio", ratio, self.reverse, self.points, score))
            warnings: tuple[Step, ...] = ()
            warn = self.overachievement_warn or ctx.defaults.overachievement_warn
            if warn is not None and ratio > warn:
                warnings = (("overachieved", ratio, warn),)
            return Outcome(score, score, tuple(trace), (), warnings)
        missing = tuple(n for n, v in ((self.actual, a), (str(self.target), t))
                        if type(v) is not Decimal)
        low, high = ZERO, self.points
        if type(t) is Decimal and t != 0:
            low, high = self._range(*ctx.domain(self.actual), t)
        return Outcome(low, high, (("missing", ", ".join(missing)), ("range", low, high)), missing)

    def _bounded(self, x: Decimal, t: Decimal) -> Decimal:
        ratio = self._ratio(x, t)
        if ratio is None:
            return self.points
        return self.points * min(Decimal(1), max(ZERO, ratio))

    def _range(self, lo: Decimal | None, hi: Decimal | None, t: Decimal
               ) -> tuple[Decimal, Decimal]:
        """Lowest and highest score as the actual value runs over [lo, hi] (t != 0).

        The score is monotone between the critical points 0 and t, so it is enough to
        look at the ends of the domain (their limits when unbounded), at 0 and t, and,
        for ``reverse`` (t/x), at the one-sided limits next to 0.
        """
        lo_ = -INF if lo is None else lo
        hi_ = INF if hi is None else hi
        candidates: list[Decimal] = []
        for end in (lo_, hi_):
            if end.is_finite():
                candidates.append(self._bounded(end, t))
            elif self.reverse:  # t/x runs to 0
                candidates.append(ZERO)
            else:  # x/t runs to ±∞ with the sign of x·t
                candidates.append(self.points if (end > 0) == (t > 0) else ZERO)
        for critical in (ZERO, t):
            if lo_ <= critical <= hi_:
                candidates.append(self._bounded(critical, t))
        if self.reverse:
            if lo_ < 0 <= hi_:  # just below 0: t/x runs to -∞·sign(t)
                candidates.append(self.points if t < 0 else ZERO)
            if lo_ <= 0 < hi_:  # just above 0: t/x runs to +∞·sign(t)
                candidates.append(self.points if t > 0 else ZERO)
        return min(candidates), max(candidates)


@attrs.frozen
class Coefficient:
    """Method 10: 得分系数 × 权重 ("76% × 10 = 7.6"); the coefficient is a fact in
    percent (``percent=True``) or a fraction in [0, 1]."""

    kind = "coefficient"
    prepare = _prepare_generic
    fact: str
    points: Decimal = attrs.field(converter=_dec, validator=_non_negative)
    percent: bool = True
    direction = "higher"

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.fact,)

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        return {self.fact: ("number",)}

    @property
    def max_points(self) -> Decimal:
        return self.points

    def _fraction(self, x: Decimal) -> Decimal:
        return x / 100 if self.percent else x

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        x = values.get(self.fact, MISSING)
        if type(x) is Decimal:
            c = self._fraction(x)
            if not ZERO <= c <= 1:
                raise EvaluationError(
                    f"{self.fact} = {x}: a coefficient must lie between 0 and "
                    + ("100%" if self.percent else "1"),
                    expected="a coefficient in " + ("[0, 100] %" if self.percent else "[0, 1]"))
            score = self.points * c
            return Outcome(score, score,
                           (("value", self.fact, x), ("coefficient", c, self.points, score)))
        if x is NOT_APPLICABLE:
            return _not_applicable(self.fact)
        lo, hi = ctx.domain(self.fact)
        low = (self.points * min(Decimal(1), max(ZERO, self._fraction(lo)))
               if lo is not None else ZERO)
        high = (self.points * min(Decimal(1), max(ZERO, self._fraction(hi)))
                if hi is not None else self.points)
        return _unknown(self.fact, x, low, high)


# ------------------------------------------------------------------------ deadlines


def _date(value: object) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        match = DATE_TEXT.match(value)  # 2023-12-31, 2023/12/31, 2023年12月31日 ...
        if match:
            try:
                return _dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                pass
    raise RulesetError(f"deadline: expected a date, got {value!r}", example="deadline: 2023-12-31")


@attrs.frozen
class Deadline:
    """Method 12: "绩效目标完成时间12月31日前; 按时完成3分, 否0分".

    The fact is the completion date (or a boolean "on time"). ``inclusive`` settles
    whether the deadline day itself is on time (§3.10; policy default: yes).
    ``per_day`` deducts for each day late instead of dropping to ``late_points``.
    """

    kind = "deadline"
    prepare = _prepare_generic
    fact: str
    deadline: _dt.date = attrs.field(converter=_date)
    points: Decimal = attrs.field(converter=_dec, validator=_non_negative)
    late_points: Decimal = attrs.field(default=ZERO, converter=_dec, validator=_non_negative)
    inclusive: bool | None = None
    per_day: Decimal | None = attrs.field(default=None, converter=_opt_dec)
    direction = "lower"

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.fact,)

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        return {self.fact: ("date", "boolean")}

    @property
    def max_points(self) -> Decimal:
        return max(self.points, self.late_points)

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        x = values.get(self.fact, MISSING)
        if x is True or x is False:
            score = self.points if x else self.late_points
            return Outcome(score, score, (("on_time", self.fact, x, score),))
        if isinstance(x, _dt.date):
            inclusive = (ctx.defaults.deadline_inclusive if self.inclusive is None
                         else self.inclusive)
            late_days = (x - self.deadline).days + (0 if inclusive else 1)
            if late_days <= 0:
                score = self.points
            elif self.per_day is not None:
                score = max(self.late_points, self.points - self.per_day * late_days)
            else:
                score = self.late_points
            return Outcome(score, score, (("deadline", self.fact, x, self.deadline, inclusive,
                                           max(0, late_days), score),))
        if x is NOT_APPLICABLE:
            return _not_applicable(self.fact)
        lo, hi = sorted((self.points, self.late_points))
        return _unknown(self.fact, x, lo, hi)


# ---------------------------------------------------------------------- qualitative


@attrs.frozen
class Tier:
    """A tier of a qualitative rule, as percent of the row's points (100-80%(含80%))."""

    label: str
    lower: Decimal = attrs.field(converter=_dec)
    upper: Decimal = attrs.field(converter=_dec)
    lower_closed: bool = True
    upper_closed: bool = True

    def __attrs_post_init__(self) -> None:
        if not ZERO <= self.lower <= self.upper <= 100:
            raise RulesetError(f"tier '{self.label}': {self.lower}%-{self.upper}% is not a range "
                               "inside 0-100%", expected="0 <= lower <= upper <= 100 (percent "
                               "of the row's points)", example="Tier('良', 60, 80)")

    def text(self) -> str:
        """The tier as an interval of percent, e.g. ``[60%, 80%)``."""
        return (("[" if self.lower_closed else "(") + f"{self.lower}%, {self.upper}%"
                + ("]" if self.upper_closed else ")"))

    def contains(self, pct: Decimal) -> bool:
        if pct < self.lower or (pct == self.lower and not self.lower_closed):
            return False
        return not (pct > self.upper or (pct == self.upper and not self.upper_closed))


@attrs.frozen
class Qualitative:
    """Method 13: the evaluator picks a score inside a tier; rubric validates it.

    The fact holds the points awarded. When ``tier_fact`` names a fact holding the
    tier chosen, the score must fall inside that tier.
    """

    kind = "qualitative"
    prepare = _prepare_generic
    fact: str
    points: Decimal = attrs.field(converter=_dec, validator=_non_negative)
    tiers: tuple[Tier, ...] = attrs.field(default=(), converter=tuple)
    tier_fact: str | None = None
    direction = "higher"

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.fact,) if self.tier_fact is None else (self.fact, self.tier_fact)

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        types: dict[str, tuple[str, ...]] = {self.fact: ("number",)}
        if self.tier_fact:
            types[self.tier_fact] = ("category", "text")
        return types

    @property
    def max_points(self) -> Decimal:
        return self.points

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        x = values.get(self.fact, MISSING)
        if type(x) is Decimal:
            if not ZERO <= x <= self.points:
                raise EvaluationError(f"{self.fact} = {x} is outside [0, {self.points}]",
                                      expected=f"points between 0 and {self.points}")
            pct = x * 100 / self.points if self.points else ZERO
            tier = next((t for t in self.tiers if t.contains(pct)), None)
            chosen = values.get(self.tier_fact) if self.tier_fact else None
            if type(chosen) is str:
                named = next((t for t in self.tiers if t.label == chosen), None)
                if named is None or not named.contains(pct):
                    raise EvaluationError(
                        f"{self.fact} = {x} does not fall in the chosen tier '{chosen}'",
                        expected="a score inside the tier: " + ", ".join(
                            f"{t.label} {t.text()}" for t in self.tiers))
                tier = named
            return Outcome(x, x, (("qualitative", self.fact, x, tier.label if tier else None),))
        if x is NOT_APPLICABLE:
            return _not_applicable(self.fact)
        return _unknown(self.fact, x, ZERO, self.points)


# ------------------------------------------------------------------------- formulas


@attrs.frozen
class FormulaRule:
    """Escape hatch: score = a formula over facts, clamped to [0, points]."""

    kind = "formula"
    prepare = _prepare_generic
    expression: str
    points: Decimal = attrs.field(converter=_dec, validator=_non_negative)
    direction: str = attrs.field(default="none", validator=_direction)
    _formula: Formula = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_formula", compile_formula(self.expression, _AnyName(),
                                                             what="score formula"))

    @property
    def formula(self) -> Formula:
        return self._formula

    @property
    def inputs(self) -> tuple[str, ...]:
        return self._formula.names

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        return dict.fromkeys(self.inputs, ("number", "boolean", "category", "text"))

    @property
    def max_points(self) -> Decimal:
        return self.points

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        args: dict[str, object] = {}
        missing: list[str] = []
        for name in self._formula.names:
            v = values.get(name, MISSING)
            if v is NOT_APPLICABLE:
                return _not_applicable(name)
            if v is MISSING or v is UNDEFINED or type(v) is Unsettled:
                missing.append(name)
            args[name] = v
        if missing:
            return Outcome(ZERO, self.points, (("missing", ", ".join(missing)),
                                               ("range", ZERO, self.points)), tuple(missing))
        raw = self._formula(args)
        if raw is UNDEFINED:
            return Outcome(ZERO, self.points, (("formula_undefined", self.expression),
                                               ("range", ZERO, self.points)), self.inputs)
        if isinstance(raw, bool) or not isinstance(raw, Decimal):
            raise EvaluationError(f"score formula '{self.expression}' gave {raw!r}",
                                  expected="a number of points")
        score = min(self.points, max(ZERO, raw)) if not raw.is_nan() else ZERO
        shown = tuple(("value", name, args[name]) for name in self._formula.names)
        return Outcome(score, score, (*shown, ("formula", self.expression, raw, score)))


class _AnyName:
    """Accepts every name: a formula rule's names are checked by its ruleset."""

    def __contains__(self, _name: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())


RULE_TYPES: dict[str, type] = {
    cls.kind: cls
    for cls in (Bands, StepDeduction, PerOccurrence, Boolean, Checklist, Categorical,
                CompletionRatio, Coefficient, Deadline, Qualitative, FormulaRule)
}
