"""Formula rules: the escape hatch, a score computed by a formula over facts, clamped."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ..errors import EvaluationError
from ..expressions import Formula, compile_formula
from ..facts import MISSING, NOT_APPLICABLE, UNDEFINED, Unsettled
from ..policy import RuleDefaults
from ..states import Asserted
from ..trace import Missing, Range, Step, Value, template_step
from .analysis import Analysis, CodeWriter, FactHints
from .base import (
    DIRECTION,
    POINTS,
    ZERO,
    Context,
    FixedPoints,
    Outcome,
    PlainFields,
    asserted_range,
    check_direction,
    dec,
    non_negative,
    not_applicable,
    prepare_generic,
    rule_schema,
)

__all__ = ["FormulaRule", "FormulaStep", "FormulaUndefined"]


FormulaStep = template_step("FormulaStep", "formula", "expression value points", module=__name__,
                            zh="得分公式 {expression} = {value}，计 {points} 分",
                            en="score formula {expression} = {value}: {points} points")
FormulaUndefined = template_step("FormulaUndefined", "formula_undefined", "expression",
                                 module=__name__,
                                 zh="得分公式 {expression} 无法计算（分母为 0）",
                                 en="score formula {expression} is undefined (zero denominator)")


class _AnyName:
    """Accepts every name: a formula rule's names are checked by its ruleset."""

    def __contains__(self, _name: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())


@attrs.frozen
class FormulaRule(PlainFields, FixedPoints):
    """Escape hatch: score = a formula over facts, clamped to [0, points]."""

    kind: ClassVar[str] = "formula"
    SCHEMA: ClassVar[dict[str, Any]] = rule_schema(
        kind, "Escape hatch: points from a formula.",
        {
            "expression": {
                "description": ("A formula over facts giving the points (clamped to [0, "
                 "points])."),
                "type": "string",
            },
            "points": POINTS,
            "direction": DIRECTION,
        },
        required=("expression", "points",))
    STEPS: ClassVar[tuple[type[Step], ...]] = (FormulaStep, FormulaUndefined)
    prepare = prepare_generic
    expression: str
    points: Decimal = attrs.field(converter=dec, validator=non_negative)
    direction: str = attrs.field(default="none", validator=check_direction)
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

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        args: dict[str, object] = {}
        missing: list[str] = []
        for name in self._formula.names:
            v = values.get(name, MISSING)
            if v is NOT_APPLICABLE:
                return not_applicable(name)
            if type(v) is Asserted:  # a score formula needs the number itself
                return asserted_range(name, v, ZERO, self.points, "not_meaningful")
            if v is MISSING or v is UNDEFINED or type(v) is Unsettled:
                missing.append(name)
            args[name] = v
        if missing:
            return Outcome(ZERO, self.points, (Missing(", ".join(missing)),
                                               Range(ZERO, self.points)), tuple(missing))
        raw = self._formula(args)
        if raw is UNDEFINED:
            return Outcome(ZERO, self.points, (FormulaUndefined(self.expression),
                                               Range(ZERO, self.points)), self.inputs)
        if isinstance(raw, bool) or not isinstance(raw, Decimal):
            raise EvaluationError(f"score formula '{self.expression}' gave {raw!r}",
                                  expected="a number of points")
        score = min(self.points, max(ZERO, raw)) if not raw.is_nan() else ZERO
        shown = tuple(Value(name, args[name]) for name in self._formula.names)
        return Outcome(score, score, (*shown, FormulaStep(self.expression, raw, score)))

    # -- verification, testing, audit, compiling -------------------------------------

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        """Bounds and direction are searched by property tests (``rubric.testing``)."""
        an.property_check(self)
        an.check_formula_units(self.expression)
        return ZERO, self.points

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        """A formula has no breakpoints to aim at: plain generated values."""

    def directions(self) -> dict[str, str]:
        """The declared direction applies to the formula's first fact."""
        return {n: (self.direction if i == 0 else "none") for i, n in enumerate(self.inputs)}

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        """Continuous: left to the range check."""
        return None

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        """Falls back to the prepared rule."""
        return False
