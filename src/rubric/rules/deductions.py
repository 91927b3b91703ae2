"""Deductions (扣分): full points within a tolerance of a target, minus points per step of
deviation (shortfalls, overruns, two-sided deviations), or per occurrence; floored."""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ..errors import EvaluationError, RulesetError
from ..facts import MISSING, NOT_APPLICABLE
from ..policy import BOUNDARIES, PARTIALS, STEP_BASES, RuleDefaults
from ..states import Asserted
from ..text import show
from ..trace import Overachieved, Step, Value, template_step
from .analysis import Analysis, CodeWriter, FactHints, domain_text, hi_or_inf, lo_or_inf
from .base import (
    INF,
    OVERACHIEVEMENT_WARN,
    POINTS,
    ZERO,
    Context,
    DomainFn,
    FixedPoints,
    OneFact,
    Outcome,
    Prepared,
    Statement,
    asserted_reader,
    choice_or_none,
    dec,
    non_negative,
    not_applicable,
    one_fact_schema,
    opt_dec,
    positive,
    prepare_generic,
    settled,
    unknown,
)

__all__ = ["Deduct", "Occurrences", "PerOccurrence", "StepDeduction", "Within"]

_ZH_BASIS = {"relative": "按目标值的百分比计步", "absolute": "按绝对值(百分点)计步"}
_EN_BASIS = {"relative": "steps relative to the target", "absolute": "steps in absolute units"}
_ZH_PARTIAL = {"floor": "不足一步不扣", "ceil": "不足一步按一步扣",
               "proportional": "不足一步按比例扣"}
_EN_PARTIAL = {"floor": "partial steps not deducted", "ceil": "a started step counts",
               "proportional": "partial steps pro rata"}
_ZH_BOUNDARY = {"counts": "；恰好整步计入", "excludes": "；恰好整步不计入(须超过)", None: ""}
_EN_BOUNDARY = {"counts": "; exact multiples count", "excludes": "; exact multiples do not count",
                None: ""}


class Within(Step, type="within"):
    """The deviation stayed within the tolerance: full points."""

    deviation: Decimal
    tolerance: Decimal
    points: Decimal
    basis: str

    ZH_BASIS, EN_BASIS = _ZH_BASIS, _EN_BASIS
    ZH = "偏差 {deviation} 未超过容许值 {tolerance}，计满分 {points} 分（{basis:ZH_BASIS}）"
    EN = ("deviation {deviation} within tolerance {tolerance}: full {points} points "
          "({basis:EN_BASIS})")


class Deduct(Step, type="deduct"):
    """Steps of deviation beyond the tolerance, the points deducted, the readings applied."""

    deviation: Decimal
    tolerance: Decimal
    step: Decimal
    steps: Decimal
    per_step: Decimal
    deducted: Decimal
    points: Decimal
    basis: str
    partial: str
    boundary: str | None
    floor: Decimal

    def zh(self, units: Mapping[str, str]) -> str:
        return self._render("zh")

    def en(self, units: Mapping[str, str]) -> str:
        return self._render("en")

    def _render(self, lang: str) -> str:
        """The step in ``lang``: one reading of the fields, worded by ``_DEDUCT_TEXT``."""
        beyond, main, floored, readings = _DEDUCT_TEXT[lang]
        basis, partial, boundary = _DEDUCT_WORDS[lang]
        shown = {name: show(value) for name, value in self.items()}
        text = main.format(extra=beyond.format(**shown) if self.tolerance else "", **shown)
        if self.points == self.floor and self.deducted != 0:
            text += floored
        return text + readings.format(basis=basis[self.basis], partial=partial[self.partial],
                                      boundary=boundary[self.boundary])


#: a deduction's text by language: the tolerance passed, the steps, 扣完为止, the readings
_DEDUCT_TEXT = {
    "zh": ("超出容许值 {tolerance} 后",
           ("偏差 {deviation}，{extra}每 {step} 扣 {per_step} 分，计 {steps} 步，"
            "扣 {deducted} 分，得 {points} 分"),
           "（扣完为止）", "（{basis}；{partial}{boundary}）"),
    "en": (" beyond the tolerance {tolerance}",
           ("deviation {deviation}{extra}: {steps} step(s) of {step} at {per_step} each, "
            "{deducted} deducted, {points} points"),
           " (floored)", " ({basis}; {partial}{boundary})"),
}
_DEDUCT_WORDS = {"zh": (_ZH_BASIS, _ZH_PARTIAL, _ZH_BOUNDARY),
                 "en": (_EN_BASIS, _EN_PARTIAL, _EN_BOUNDARY)}


def _quantity_field(name: str, raw: Any, *, quantity: Callable[[Any, str | None], Decimal],
                    unit: str | None, basis: str, fact_names: Any) -> Any:
    """A deduction's target is in the fact's unit; its step and tolerance too, or in
    percent of the target with a relative basis."""
    if name == "target":
        return quantity(raw, unit)
    if name in ("step", "tolerance"):
        if basis == "relative":  # percent of the target
            return quantity(raw, "%") if isinstance(raw, str) else raw
        return quantity(raw, unit)
    return raw


def _whole_steps(excess: Decimal, step: Decimal) -> tuple[Decimal, Decimal | int]:
    """``divmod(excess, step)``; when the whole steps have more digits than the context
    holds (a tiny step under a huge deviation: Decimal raises DivisionImpossible), the
    quotient counted exactly in integers (its remainder only tested for zero)."""
    try:
        return divmod(excess, step)
    except decimal.InvalidOperation:
        (a, b), (c, e) = excess.as_integer_ratio(), step.as_integer_ratio()
        whole, rest = divmod(a * e, b * c)
        return Decimal(whole), rest


@attrs.frozen
class StepDeduction(OneFact, FixedPoints):
    """Methods 2, 3, 4, 11 and 14: full points within a tolerance of a target, then a
    deduction for every step of deviation, floored (扣完为止).

    ``side``: ``below`` (shortfall: "20家以上5分; 每少10%扣1分"), ``above`` (overrun:
    "≦100%计5分; 每超过一个百分点扣1分") or ``both`` (two-sided: "131人计3分,
    增减幅度每超过5%扣1分"). ``step`` and ``tolerance`` are read by ``basis``:
    ``relative`` (percent *of the target*) or ``absolute`` (the fact's own unit,
    percentage points for a rate). ``tolerance`` is the band of full marks of method 14
    ("浮动2%以内8分; 浮动2%以后每超过1%扣0.5分").
    """

    kind: ClassVar[str] = "deduction"
    SCHEMA: ClassVar[dict[str, Any]] = one_fact_schema(
        kind, ("Methods 2-4, 11, 14: full points at the target, minus per_step "
         "for each step of deviation, floored (扣完为止)."),
        {
            "target": {
                "description": ("The target (指标值), in the fact's unit or with a unit: "
                 "'20 家', '8%'."),
                "$ref": "#/$defs/quantity",
            },
            "points": POINTS,
            "step": {
                "description": ("Step size: percent of the target (basis relative) or "
                 "in the fact's unit (basis absolute)."),
                "$ref": "#/$defs/quantity",
            },
            "per_step": POINTS,
            "side": {
                "description": ("below: shortfall deducts; above: overrun deducts; "
                 "both: any deviation."),
                "enum": ["below", "above", "both"],
            },
            "basis": {
                "description": ("How a step is read: relative = percent of the target "
                 "(每少10%); absolute = the fact's unit / percentage "
                 "points (每超过一个百分点). Default: "
                 "policy.defaults.step_basis."),
                "enum": ["relative", "absolute"],
            },
            "partial": {
                "description": ("Partial steps: floor (whole steps only), ceil (a "
                 "started step counts), proportional. Default: "
                 "policy.defaults.partial."),
                "enum": ["floor", "ceil", "proportional"],
            },
            "boundary": {
                "description": ("A deviation of exactly k steps: counts (k steps) or "
                 "excludes (k-1). Default: policy.defaults.boundary."),
                "enum": ["counts", "excludes"],
            },
            "tolerance": {
                "description": "Band of full marks around the target, read like step.",
                "$ref": "#/$defs/quantity",
            },
            "floor": POINTS,
            "overachievement_warn": OVERACHIEVEMENT_WARN,
        },
        required=("target", "points", "step",))
    STEPS: ClassVar[tuple[type[Step], ...]] = (Within, Deduct)
    convert_field = staticmethod(_quantity_field)
    fact: str
    target: Decimal = attrs.field(converter=dec)
    points: Decimal = attrs.field(converter=dec, validator=non_negative)
    step: Decimal = attrs.field(converter=dec, validator=positive)
    per_step: Decimal = attrs.field(default=Decimal(1), converter=dec, validator=positive)
    side: str = attrs.field(default="below")
    basis: str | None = attrs.field(default=None, validator=choice_or_none(STEP_BASES))
    partial: str | None = attrs.field(default=None, validator=choice_or_none(PARTIALS))
    boundary: str | None = attrs.field(default=None, validator=choice_or_none(BOUNDARIES))
    tolerance: Decimal = attrs.field(default=ZERO, converter=dec, validator=non_negative)
    floor: Decimal = attrs.field(default=ZERO, converter=dec, validator=non_negative)
    overachievement_warn: Decimal | None = attrs.field(default=None, converter=opt_dec)

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

    def scorer(self, defaults: RuleDefaults) -> Callable[[Decimal], tuple[Decimal, Step]]:
        """The function from a deviation to (points, trace step) under ``defaults``."""
        step, tol, basis = self.step_size(defaults)
        partial = self.partial or defaults.partial
        # The boundary reading concerns whole steps: with ceil or proportional steps it
        # plays no part, and the trace says so (None) rather than claim one.
        boundary = (self.boundary or defaults.boundary) if partial == "floor" else None
        points, per_step, floor = self.points, self.per_step, self.floor
        excludes = boundary == "excludes"

        new, within, deduct = tuple.__new__, Within, Deduct  # hot: no constructor calls

        def score(d: Decimal) -> tuple[Decimal, Step]:
            if d <= tol:
                return points, new(within, ("within", d, tol, points, basis))
            excess = d - tol
            if excess.is_infinite():
                steps = INF
            elif partial == "proportional":
                steps = excess / step
            else:
                whole, rest = _whole_steps(excess, step)
                if partial == "ceil":
                    steps = whole + 1 if rest else whole
                elif excludes and not rest and whole > 0:
                    steps = whole - 1
                else:
                    steps = whole
            deducted = INF if steps.is_infinite() else steps * per_step
            result = max(points - deducted, floor)
            return result, new(deduct, ("deduct", d, tol, step, steps, per_step, deducted,
                                        result, basis, partial, boundary, floor))

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
        dmin, dmax = self.deviation_range(*domain(fact))
        best, worst = score(dmin)[0], score(dmax)[0]
        new, outcome_, value_ = tuple.__new__, Outcome, Value  # hot: no constructor calls

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
                trace = (new(value_, ("value", fact, x)), detail)
                if warn is not None and x > target * warn:
                    return settled(got, trace, (Overachieved(x / target, warn),))
                return new(outcome_, (got, got, trace, (), (), True))
            if x is NOT_APPLICABLE:
                return not_applicable(fact)
            if type(x) is Asserted:
                return asserted(x)
            return unknown(fact, x, worst, best)

        asserted = self._asserted_reader(defaults, worst, best)
        return run

    def _asserted_reader(self, defaults: RuleDefaults, worst: Decimal, best: Decimal
                         ) -> Callable[[Asserted], Outcome]:
        """What an asserted state scores: met (no shortfall, overrun or deviation)
        earns the full points; not met and partly met leave the deviation unknown, a
        range from the lowest reachable score up to the best a deviation above 0 can
        earn (settled when the two agree); an echo is met only when it is the target's
        own statement (``≥`` the target for a shortfall, ``≤`` it for an overrun)."""
        fact, points = self.fact, self.points
        statement: Statement = {"below": ("≥", self.target), "above": ("≤", self.target)
                                }.get(self.side)
        _step, tol, _basis = self.step_size(defaults)
        partial = self.partial or defaults.partial
        # The best score of a deviation just above 0: full, unless a started step counts
        # and there is no tolerance.
        near = (max(points - self.per_step, self.floor) if partial == "ceil" and tol == 0
                else points)
        near = max(min(near, best), worst)

        return asserted_reader(fact, statement, points, "full", (worst, best), (worst, near),
                               "no_deviation")

    def deviation_range(self, lo: Decimal | None, hi: Decimal | None
                        ) -> tuple[Decimal, Decimal]:
        """The smallest and largest deviation as the fact runs over [lo, hi]."""
        t = self.target
        lo_, hi_ = lo_or_inf(lo), hi_or_inf(hi)
        if self.side == "below":
            return max(ZERO, t - hi_), max(ZERO, t - lo_)
        if self.side == "above":
            return max(ZERO, lo_ - t), max(ZERO, hi_ - t)
        nearest = ZERO if lo_ <= t <= hi_ else min(abs(lo_ - t), abs(hi_ - t))
        return nearest, max(abs(lo_ - t), abs(hi_ - t))

    # -- verification, testing, audit, compiling -------------------------------------

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        defaults = an.defaults
        if (self.basis or defaults.step_basis) == "relative" and self.target == 0:
            an.report("error", "domain", "relative-zero")
            return ZERO, self.points
        lo, hi = an.domain(self.fact)
        dmin, dmax = self.deviation_range(lo, hi)
        best = self.score_deviation(dmin, defaults)[0]
        worst = self.score_deviation(dmax, defaults)[0]
        if worst > 0 and worst == self.floor:
            an.report("warning", "min-above-zero", "floor", key="floor", low=worst,
                      floor=self.floor)
        elif worst > 0:
            step = self.step_size(defaults)[0]
            an.report("warning", "min-above-zero", "per_step", key="per_step", low=worst,
                      domain=domain_text(lo, hi), fact=self.fact, deviation=dmax, step=step,
                      per_step=self.per_step, points=self.points)
        return worst, best

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        try:
            step, tol, _basis = self.step_size(defaults)
        except RulesetError:  # a relative step on target 0: check reports it
            return
        for sign in (-1, 1):
            for k in range(4):
                hints.near(self.fact, self.target + sign * (tol + k * step))

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        """Every score whole steps can give; None for proportional steps (continuous)."""
        if (self.partial or defaults.partial) == "proportional":
            return None
        out = [self.points, self.floor]
        score = self.points
        while score > self.floor:
            score -= self.per_step
            out.append(max(score, self.floor))
        return out

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        """Inline arithmetic with the readings resolved."""
        step, tol, _basis = self.step_size(defaults)
        partial = self.partial or defaults.partial
        boundary = self.boundary or defaults.boundary
        x = code.read(self.fact)
        t = code.const(self.target)
        if not code.typed(self.fact, "number"):
            code.emit(f"if type({x}) is not D or not {x}.is_finite(): return None")
        tol_c, step_c = code.const(tol), code.const(step)
        if partial != "proportional" and _settled_steps(self, code, out, (x, t, tol, step_c),
                                                        partial, boundary, step):
            return True
        _deviation(code, self.side, x, t)
        points = code.const(self.points)
        per, floor = code.const(self.per_step), code.const(self.floor)
        code.emit(f"if d <= {tol_c}: {out} = {points}")
        _steps_taken(code, out, (f"d - {tol_c}", step_c, partial, boundary),
                     (points, per, floor, floor))
        return True


def _steps_taken(code: CodeWriter, out: str, steps: tuple[str, str, str, str],
                 scores: tuple[str, str, str, str]) -> None:
    """The ``else:`` of a deviation beyond the tolerance: ``n`` steps of the deviation
    past it (``steps``: its expression, the step, ``partial`` and ``boundary``; whole
    steps by divide-integer, the ``divmod`` count when its remainder is read), then
    ``out = points - n * per``, set to ``floored`` below ``floor`` (``scores``)."""
    deviation, step, partial, boundary = steps
    points, per, floor, floored = scores
    code.emit("else:")
    if partial == "proportional":
        code.emit(f"n = ({deviation}) / {step}", 2)
    elif partial == "floor" and boundary != "excludes":  # divmod's count: divide-integer
        code.emit(f"n = ({deviation}) // {step}", 2)
    else:
        code.emit(f"n, r = divmod({deviation}, {step})", 2)
        if partial == "ceil":
            code.emit("if r: n += 1", 2)
        else:  # excludes
            code.emit("if not r and n > 0: n -= 1", 2)
    code.emit(f"{out} = {points} - n * {per}", 2)
    code.emit(f"if {out} < {floor}: {out} = {floored}", 2)


def _deviation(code: CodeWriter, side: str, x: str, t: str) -> None:
    """``d``: how far the value ``x`` is from the target ``t`` on the rule's side."""
    if side == "below":
        code.emit(f"d = {t} - {x} if {x} < {t} else ZERO")
    elif side == "above":
        code.emit(f"d = {x} - {t} if {x} > {t} else ZERO")
    else:
        code.emit(f"d = abs({x} - {t})")


def _settled_steps(rule: StepDeduction, code: CodeWriter, out: str,
                   where: tuple[str, str, Decimal, str], partial: str, boundary: str,
                   step: Decimal) -> bool:
    """The row scored, capped and rounded by the row's own rounding
    (``CodeWriter.settle``), when the points and the deduction per step are numbers of
    the rounding's places (``CodeWriter.exact``): within the tolerance, the floor and
    above 分值 the settled constants; otherwise ``points - n * per`` of those written to
    the rounding's places (``n``, a count of whole steps, has exponent 0), which is then
    already what rounding it gives. ``where``: the value, the target, the tolerance and
    the step. False (nothing emitted) when no row is settled. A fact whose local may
    hold an int is read in int arithmetic too when ``CodeWriter.int_steps`` takes it:
    the score of ``n`` steps is that of the Decimal code below."""
    x, t, tol, step_c = where
    points, per = code.exact(rule.points), code.exact(rule.per_step)
    full, floor = code.settle(rule.points), code.settle(rule.floor)
    capped = code.settle(code.cap) if code.cap is not None else None
    if points is None or per is None or full is None or floor is None or capped is None:
        return False
    # the int's code (CodeWriter.int_steps) first; code.cap is set (capped is not None)
    cap, floor_at = code.cap if code.cap is not None else capped, rule.floor
    ints = partial == "floor" and boundary != "excludes" and per > 0 and code.int_steps(
        out, (rule.fact, x, rule.side), (rule.target, tol, step), lambda n: None if (
            v := points - Decimal(n) * per) < floor_at else capped if v > cap else v,
        (full, floor))
    decimals = len(code.lines)
    if tol == 0 and rule.side != "both":  # d <= 0: the target met (t - x > 0 when x < t)
        below = rule.side == "below"
        code.emit(f"if {x} {'>=' if below else '<='} {t}: {out} = {code.const(full)}")
        deviation = f"{t} - {x}" if below else f"{x} - {t}"
    else:
        _deviation(code, rule.side, x, t)
        code.emit(f"if d <= {code.const(tol)}: {out} = {code.const(full)}")
        # d - 0 is d (the same number): the count of steps reads only the number
        deviation = "d" if tol == 0 else f"d - {code.const(tol)}"
    _steps_taken(code, out, (deviation, step_c, partial, boundary),
                 (code.const(points), code.const(per), code.const(rule.floor), code.const(floor)))
    if points > cap:  # n >= 0 steps of per > 0: never above the points
        code.emit(f"elif {out} > {code.const(cap)}: {out} = {code.const(capped)}", 2)
    if ints:  # the Decimal's code: the else of the int's
        code.lines[decimals:] = ["    " + line for line in code.lines[decimals:]]
    code.settled = True
    return True


Occurrences = template_step(
    "Occurrences", "occurrences", "count per_occurrence points", module=__name__,
    zh="出现 {count} 例，每例扣 {per_occurrence} 分，得 {points} 分",
    en="{count} occurrence(s) at {per_occurrence} each: {points} points")


@attrs.frozen
class PerOccurrence(OneFact, FixedPoints):
    """Method 7: "每出现一例不符合要求的扣1分, 扣完为止": points minus count × per_occurrence."""

    kind: ClassVar[str] = "per_occurrence"
    SCHEMA: ClassVar[dict[str, Any]] = one_fact_schema(
        kind, "Method 7: points minus count × per_occurrence (每出现一例扣1分).",
        {"points": POINTS, "per_occurrence": POINTS, "floor": POINTS},
        required=("points",))
    STEPS: ClassVar[tuple[type[Step], ...]] = (Occurrences,)
    prepare = prepare_generic
    direction: ClassVar[str] = "lower"
    fact: str
    points: Decimal = attrs.field(converter=dec, validator=non_negative)
    per_occurrence: Decimal = attrs.field(default=Decimal(1), converter=dec, validator=positive)
    floor: Decimal = attrs.field(default=ZERO, converter=dec, validator=non_negative)

    def score_count(self, count: Decimal) -> Decimal:
        """The points for ``count`` occurrences (∞: the floor)."""
        if count.is_infinite():
            return self.floor
        return max(self.floor, min(self.points, self.points - count * self.per_occurrence))

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        x = values.get(self.fact, MISSING)
        if type(x) is Decimal:
            if x < 0 or x != x.to_integral_value():
                raise EvaluationError(f"{self.fact} = {x}: not a count of occurrences",
                                      expected="a whole number, 0 or more", example="2")
            score = self.score_count(x)
            return Outcome(score, score, (Value(self.fact, x),
                                          Occurrences(x, self.per_occurrence, score)))
        if x is NOT_APPLICABLE:
            return not_applicable(self.fact)
        # An asserted state (已完成) is no count of occurrences: ``unknown`` leaves the
        # range with the reason (not_meaningful).
        lo, hi = ctx.domain(self.fact)
        best = self.score_count(max(ZERO, lo) if lo is not None else ZERO)
        worst = self.score_count(INF if hi is None else hi)
        return unknown(self.fact, x, worst, best)

    # -- verification, testing, audit, compiling -------------------------------------

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        lo, hi = an.domain(self.fact)
        if lo is None or lo < 0:
            an.report("error", "domain", "count", fact=self.fact, domain=domain_text(lo, hi))
        best = self.score_count(max(ZERO, lo_or_inf(lo)) if lo is not None else ZERO)
        worst = self.score_count(hi_or_inf(hi))
        if worst > 0 and worst == self.floor:
            an.report("warning", "min-above-zero", "floor", key="floor", low=worst,
                      floor=self.floor)
        elif worst > 0:
            an.report("warning", "min-above-zero", "per_occurrence", key="per_occurrence",
                      low=worst, fact=self.fact, most=hi_or_inf(hi),
                      per_occurrence=self.per_occurrence, points=self.points)
        return worst, best

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        hints.tighten(self.fact, ZERO, None)
        hints.integral.add(self.fact)
        hints.near(self.fact, ZERO, self.points / self.per_occurrence)

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        """Continuous in the count's step: left to the range check."""
        return None

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        """Falls back to the prepared rule (it validates the count)."""
        return False
