"""Ratios: completion ratios (完成值/指标值×分值, and the reverse for ≤ targets) and a
coefficient times a weight (得分系数 × 权重)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ..errors import EvaluationError, RubricError, RulesetError
from ..facts import MISSING, NOT_APPLICABLE, FactSpec
from ..policy import ZERO_OVER_ZERO, RuleDefaults, zero_over_zero_reading
from ..states import MET, Asserted
from ..text import fmt, pct, show
from ..trace import Missing, Overachieved, Range, Step, Value, ZeroOverZero, template_step
from ..units import conversion_factor, split_quantity
from .analysis import (
    ONE,
    Analysis,
    CodeWriter,
    FactHints,
    domain_text,
    hi_or_inf,
    lo_or_inf,
    probe_points,
    sampled_range,
)
from .base import (
    FACT_NAME,
    INF,
    OVERACHIEVEMENT_WARN,
    POINTS,
    ZERO,
    Context,
    FixedPoints,
    OneFact,
    Outcome,
    asserted_range,
    asserted_score,
    asserted_state,
    choice_or_none,
    dec,
    dec_or_name,
    non_negative,
    not_applicable,
    one_fact_schema,
    opt_dec,
    prepare_generic,
    rule_schema,
    statement_text,
    unknown,
)

__all__ = ["Coefficient", "CoefficientStep", "CompletionRatio", "RatioStep"]

_OPPOSITE = {"higher": "lower", "lower": "higher"}


class RatioStep(Step, type="ratio"):
    ratio: Decimal
    reverse: bool
    max_points: Decimal
    points: Decimal

    def zh(self, units: Mapping[str, str]) -> str:
        form = "目标值/实际值" if self.reverse else "实际值/目标值"
        return (f"完成比例 {form} = {pct(self.ratio)}，{show(self.max_points)} 分 × min(1, 比例) "
                f"= {show(self.points)} 分")

    def en(self, units: Mapping[str, str]) -> str:
        form = "target/actual" if self.reverse else "actual/target"
        return (f"ratio {form} = {pct(self.ratio)}: {show(self.max_points)} x min(1, ratio) = "
                f"{show(self.points)} points")


def _target_field(name: str, raw: Any, *, quantity: Callable[[Any, str | None], Decimal],
                  unit: str | None, basis: str, fact_names: Any) -> Any:
    """A ratio's target is a number in the actual's unit, or the name of a fact."""
    if name == "target" and isinstance(raw, str):
        if raw in fact_names:  # a declared fact, even one named like 2023年预算数
            return raw
        try:
            split_quantity(raw)
        except ValueError:
            return raw  # a fact name
        return quantity(raw, unit)
    return raw


@attrs.frozen
class CompletionRatio(FixedPoints):
    """Methods 9/9b: points × min(1, actual/target) ("未完成按完成值/指标值×分值"), or,
    with ``reverse``, points × min(1, target/actual) for lower-is-better targets.

    ``target`` is a constant or the name of a fact. 0/0 is read by ``zero_over_zero``;
    a zero denominator with a non-zero numerator is an unbounded ratio (capped at 1).
    """

    kind: ClassVar[str] = "ratio"
    SCHEMA: ClassVar[dict[str, Any]] = rule_schema(
        kind, "Methods 9/9b: points × min(1, actual/target) (reverse: target/actual).",
        {
            "actual": FACT_NAME,
            "target": {
                "description": "A constant target (with optional unit) or the name of a fact.",
                "anyOf": [{"$ref": "#/$defs/quantity"}, {"type": "string"}],
            },
            "points": POINTS,
            "reverse": {"type": "boolean"},
            "zero_over_zero": {
                "description": ("0/0 reading: full, zero, undefined (a range) or "
                 "by_direction (reverse: full; else undefined). "
                 "Default: policy.defaults.zero_over_zero."),
                "enum": list(ZERO_OVER_ZERO),
            },
            "overachievement_warn": OVERACHIEVEMENT_WARN,
        },
        required=("actual", "target", "points",))
    STEPS: ClassVar[tuple[type[Step], ...]] = (RatioStep,)
    convert_field = staticmethod(_target_field)
    prepare = prepare_generic
    actual: str
    target: Decimal | str = attrs.field(converter=dec_or_name)
    points: Decimal = attrs.field(converter=dec, validator=non_negative)
    reverse: bool = False
    zero_over_zero: str | None = attrs.field(default=None,
                                             validator=choice_or_none(ZERO_OVER_ZERO))
    overachievement_warn: Decimal | None = attrs.field(default=None, converter=opt_dec)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.actual, self.target) if isinstance(self.target, str) else (self.actual,)

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        return dict.fromkeys(self.inputs, ("number",))

    @property
    def direction(self) -> str:
        return "lower" if self.reverse else "higher"

    def check_declarations(self, specs: Mapping[str, FactSpec]) -> None:
        """A ratio of two facts divides their values as declared: both must be in units
        of one scale (元 and 万元 are not; 个 and 家 are). Different kinds are left to
        ``rubric check`` (``unit-mismatch``)."""
        if not isinstance(self.target, str):
            return
        a, t = specs[self.actual], specs[self.target]
        try:
            factor = conversion_factor(t.unit, a.unit, a.unit_system)
        except RubricError:
            return
        if factor != 1:
            raise RulesetError(
                f"ratio of '{a.name}' ({a.unit}) to '{t.name}' ({t.unit}): the rule divides "
                f"the two values as declared, and 1 {t.unit} is {fmt(factor)} {a.unit}",
                expected="both facts declared in one unit, or the rate as a derived fact "
                         "(a formula converts units)",
                example=f"facts: {{{t.name}: {{unit: {a.unit}}}}}")

    def _ratio(self, actual: Decimal, target: Decimal) -> Decimal | None:
        num, den = (target, actual) if self.reverse else (actual, target)
        if den == 0:
            return None if num == 0 else INF
        return num / den

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        a = values.get(self.actual, MISSING)
        t = values.get(self.target, MISSING) if isinstance(self.target, str) else self.target
        if a is NOT_APPLICABLE or t is NOT_APPLICABLE:
            return not_applicable(self.actual)
        if type(a) is Asserted:
            return self._asserted(a, t, ctx)
        if type(a) is Decimal and type(t) is Decimal:
            ratio = self._ratio(a, t)
            trace: list[Step] = [Value(self.actual, a)]
            if isinstance(self.target, str):
                trace.append(Value(self.target, t))
            if ratio is None:
                reading = zero_over_zero_reading(
                    self.zero_over_zero or ctx.defaults.zero_over_zero, self.direction)
                if reading == "undefined":
                    low, high = ZERO, self.points
                    trace += [ZeroOverZero(reading, None), Range(low, high)]
                    return Outcome(low, high, tuple(trace), (self.actual,))
                score = self.points if reading == "full" else ZERO
                trace.append(ZeroOverZero(reading, score))
                return Outcome(score, score, tuple(trace))
            used = min(Decimal(1), max(ZERO, ratio))
            score = self.points * used
            trace.append(RatioStep(ratio, self.reverse, self.points, score))
            warnings: tuple[Step, ...] = ()
            warn = self.overachievement_warn or ctx.defaults.overachievement_warn
            if warn is not None and ratio > warn:
                warnings = (Overachieved(ratio, warn),)
            return Outcome(score, score, tuple(trace), (), warnings)
        missing = tuple(n for n, v in ((self.actual, a), (str(self.target), t))
                        if type(v) is not Decimal)
        low, high = ZERO, self.points
        if type(t) is Decimal and t != 0:
            low, high = self._range(*ctx.domain(self.actual), t)
        if missing == (self.actual,):  # the actual alone: say how (unsettled text, …)
            return unknown(self.actual, a, low, high)
        return Outcome(low, high, (Missing(", ".join(missing)), Range(low, high)), missing)

    def _asserted(self, a: Asserted, t: object, ctx: Context) -> Outcome:
        """An asserted actual: met (the actual reached the target, so the ratio is at
        least 1) earns full marks; not met or partly met leaves the ratio unknown, a
        range; an echo is met only when it is the target's own statement (``≥`` the
        target, ``≤`` it when reverse)."""
        statement = ("≤" if self.reverse else "≥", t) if type(t) is Decimal else None
        state = asserted_state(a, statement)
        if state == MET:
            return asserted_score(self.actual, a, self.points, "full")
        low, high = ZERO, self.points
        if type(t) is Decimal and t != 0:
            low = self._range(*ctx.domain(self.actual), t)[0]
        reason = {"not_met": "no_ratio", "partly_met": "partly"}.get(state, "echo_mismatch")
        return asserted_range(self.actual, a, low, high, reason,
                              statement_text(statement) if reason == "echo_mismatch" else None)

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
        lo_, hi_ = lo_or_inf(lo), hi_or_inf(hi)
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

    # -- verification, testing, audit, compiling -------------------------------------

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        """The reachable range by probing breakpoints; a note where 0/0 can occur."""
        alo, ahi = an.domain(self.actual)
        if isinstance(self.target, str):
            an.check_same_kind(self.actual, self.target)
            tlo, thi = an.domain(self.target)
            targets = probe_points([ZERO], tlo, thi)
            target_name = self.target
        else:
            tlo = thi = self.target
            targets = [self.target]
            target_name = fmt(self.target)
        actuals = probe_points([ZERO, *[t for t in targets if t.is_finite()]], alo, ahi)
        den_name, (dlo, dhi) = ((self.actual, (alo, ahi)) if self.reverse
                                else (target_name, (tlo, thi)))
        if lo_or_inf(dlo) <= 0 <= hi_or_inf(dhi):
            given = self.zero_over_zero or an.defaults.zero_over_zero
            reading = zero_over_zero_reading(given, self.direction)
            # the catalog's variant per reading; a by_direction reading says why
            an.report("note", "zero-division", f"ratio-{reading}", den=den_name,
                      domain=domain_text(dlo, dhi), points=self.points,
                      applied=reading if given == reading else {
                          "variant": "by-direction", "direction": self.direction,
                          "reading": reading})
        return self.pairs_range(targets, actuals, an.defaults)

    def pairs_range(self, targets: Iterable[Decimal], actuals: Iterable[Decimal],
                      defaults: RuleDefaults) -> tuple[Decimal, Decimal]:
        """``analysis.sampled_range`` over every (actual, target) pair, in that order,
        without building each outcome: the scores ``evaluate`` gives two numbers, by the
        same operations (``tests/test_ratio_pairs.py`` holds the two equal). About 20 pairs a
        row: a 10 000-row check spent a quarter of its time building their traces."""
        reading = zero_over_zero_reading(self.zero_over_zero or defaults.zero_over_zero,
                                         self.direction)
        full = self.points if reading == "full" else ZERO
        at_zero = (ZERO, self.points) if reading == "undefined" else (full, full)
        scores: list[Decimal] = []
        for t in targets:
            for a in actuals:
                try:
                    ratio = self._ratio(a, t)
                    if ratio is None:
                        scores += at_zero
                        continue
                    used = min(Decimal(1), max(ZERO, ratio))
                    score = self.points * used
                except Exception:  # noqa: BLE001 - as sampled_range skips them
                    continue
                scores += [score, score]
        return (min(scores), max(scores)) if scores else (ZERO, ZERO)

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        hints.near(self.actual, ZERO)
        if isinstance(self.target, Decimal):
            hints.near(self.actual, self.target)
        else:
            hints.near(self.target, ZERO)

    def directions(self) -> dict[str, str]:
        out = {self.actual: self.direction}
        if isinstance(self.target, str):
            out[self.target] = _OPPOSITE[self.direction]
        return out

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        """Continuous: left to the range check."""
        return None

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        """Falls back to the prepared rule (0/0 readings, ranges)."""
        return False


CoefficientStep = template_step(
    "CoefficientStep", "coefficient", "coefficient max_points points", module=__name__,
    zh="得分系数 {coefficient:pct} × 分值 {max_points} = {points} 分",
    en="coefficient {coefficient:pct} x {max_points} = {points} points")


@attrs.frozen
class Coefficient(OneFact, FixedPoints):
    """Method 10: 得分系数 × 权重 ("76% × 10 = 7.6"); the coefficient is a fact in
    percent (``percent=True``) or a fraction in [0, 1]."""

    kind: ClassVar[str] = "coefficient"
    SCHEMA: ClassVar[dict[str, Any]] = one_fact_schema(
        kind, "Method 10: coefficient × points.",
        {"points": POINTS, "percent": {"type": "boolean"}},
        required=("points",))
    STEPS: ClassVar[tuple[type[Step], ...]] = (CoefficientStep,)
    prepare = prepare_generic
    direction: ClassVar[str] = "higher"
    fact: str
    points: Decimal = attrs.field(converter=dec, validator=non_negative)
    percent: bool = True

    def check_declarations(self, specs: Mapping[str, FactSpec]) -> None:
        """The fact's unit must say what the rule reads: % for percent, none for a fraction."""
        spec = specs[self.fact]
        in_percent = spec.unit in ("%", "percent")
        if self.percent != in_percent:
            raise RulesetError(
                f"coefficient fact '{spec.name}' is declared in "
                f"{spec.unit or 'no unit (a fraction)'}, but the rule reads it as "
                + ("a percentage" if self.percent else "a fraction"),
                expected="unit: % with percent: true, or no unit with percent: false",
                example="facts: {得分系数: {unit: '%'}}")

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
            if score.is_zero():  # a coefficient of -0 scores 0, not -0
                score = score.copy_abs()
            return Outcome(score, score, (Value(self.fact, x),
                                          CoefficientStep(c, self.points, score)))
        if x is NOT_APPLICABLE:
            return not_applicable(self.fact)
        # An asserted state (已完成) says nothing of the coefficient: ``unknown`` leaves
        # the range with the reason (not_meaningful).
        lo, hi = ctx.domain(self.fact)
        low = (self.points * min(Decimal(1), max(ZERO, self._fraction(lo)))
               if lo is not None else ZERO)
        high = (self.points * min(Decimal(1), max(ZERO, self._fraction(hi)))
                if hi is not None else self.points)
        return unknown(self.fact, x, low, high)

    # -- verification, testing, audit, compiling -------------------------------------

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        lo, hi = an.domain(self.fact)
        top = Decimal(100) if self.percent else ONE
        if lo is None or lo < 0 or hi is None or hi > top:
            an.report("error", "domain", "coefficient", fact=self.fact,
                      domain=domain_text(lo, hi), top=top)
        lo_, hi_ = max(ZERO, lo_or_inf(lo)), min(top, hi_or_inf(hi))
        if lo_ > hi_:
            return ZERO, ZERO
        return sampled_range(self, [{self.fact: lo_}, {self.fact: hi_}], an.defaults, an.domain)

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        hints.tighten(self.fact, ZERO, Decimal(100) if self.percent else Decimal(1))

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        """Continuous: left to the range check."""
        return None

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        """Falls back to the prepared rule (it validates the coefficient's range)."""
        return False
