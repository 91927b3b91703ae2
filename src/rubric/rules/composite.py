"""Composite rows (组合评分): a base and a deduction after it, or parts summed.

- ``Then``, a band's ``then:``: the band sets a base and a per-step deduction follows
  inside it ("浮动2%以内 8分; 浮动2%以后每超过1%扣0.5分": the band ``>2`` is worth 8, then
  0.5 less for every 1 beyond 2);
- ``SumRule`` (``kind: sum``): "制度健全 3分; 每发现一个问题扣1分(4分扣完为止); 执行到位 3分"
  is one row of three parts, each any rule kind (boolean, per_occurrence, tier, bands,
  ...); the row is their sum, capped at the row's ``points``.

Before these, such rows needed a ``formula``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from ..errors import RulesetError
from ..policy import PARTIALS, RuleDefaults
from ..trace import Capped, Step, template_step
from .analysis import Analysis, CodeWriter, FactHints
from .base import (
    ZERO,
    Context,
    DomainFn,
    Outcome,
    Prepared,
    Rule,
    choice_or_none,
    dec,
    identity_field,
    list_schema,
    non_empty,
    non_negative,
    opt_dec,
    positive,
    rule_schema,
)

if TYPE_CHECKING:
    from ..facts import FactSpec

__all__ = ["PartStep", "SumRule", "SumStep", "Then", "ThenStep", "then_field"]

ACHIEVABLE_LIMIT = 4096  # combinations of the parts' scores up to which they are listed


_STARTS = ("lower", "upper")


@attrs.frozen
class Then:
    """A deduction inside a band (``then:``): ``per_step`` points off the band's points
    for every ``step`` the value lies beyond the band's ``start`` end (``lower``: the
    value grows away from it; ``upper``: it falls away; default the band's one finite
    end, else ``lower``), partial steps read by ``partial`` (default the ruleset's), down
    to ``floor``."""

    step: Decimal = attrs.field(converter=dec, validator=positive)
    per_step: Decimal = attrs.field(converter=dec, validator=positive)
    start: str | None = attrs.field(default=None, validator=choice_or_none(_STARTS))
    partial: str | None = attrs.field(default=None, validator=choice_or_none(PARTIALS))
    floor: Decimal = attrs.field(default=ZERO, converter=dec, validator=non_negative)

    def origin(self, lower: Decimal | None, upper: Decimal | None) -> tuple[str, Decimal]:
        """The end the deduction counts from, and its value."""
        start = self.start or ("upper" if lower is None and upper is not None else "lower")
        end = lower if start == "lower" else upper
        if end is None:
            raise RulesetError(f"then: the band has no {start} end to count the steps from",
                               expected="a band with a finite end at start",
                               example="{range: '>2', points: 8, then: {step: 1, per_step: 0.5}}")
        return start, end

    def steps(self, distance: Decimal, partial: str) -> Decimal:
        raw = distance / self.step
        if partial == "proportional":
            return raw
        return Decimal(math.floor(raw) if partial == "floor" else math.ceil(raw))

    def score(self, points: Decimal, distance: Decimal, partial: str) -> tuple[Decimal, Decimal]:
        """The steps counted and the points left (never below ``floor``)."""
        steps = self.steps(distance, partial)
        return steps, max(self.floor, min(points, points - steps * self.per_step))


def then_field(value: object) -> Then | None:
    """A band's ``then:`` as written (a mapping) or as a ``Then``."""
    if value is None or isinstance(value, Then):
        return value
    if not isinstance(value, Mapping):
        raise RulesetError("then: expected a mapping", example="then: {step: 1, per_step: 0.5}")
    names = {f.name for f in attrs.fields(Then)}
    unknown_keys = [k for k in value if k not in names]
    if unknown_keys:
        raise RulesetError(f"then: unknown key '{unknown_keys[0]}'",
                           expected="one of " + ", ".join(sorted(names)),
                           example="then: {step: 1, per_step: 0.5}")
    try:
        return Then(**value)
    except TypeError as exc:
        raise RulesetError(f"then: {exc}", expected="step and per_step",
                           example="then: {step: 1, per_step: 0.5}") from None


ThenStep = template_step(
    "ThenStep", "then", "start distance steps per_step points", module=__name__,
    doc="A band's deduction: the distance beyond its start, the steps, the points left.",
    zh="超出 {start} 共 {distance}，计 {steps} 步，每步扣 {per_step} 分，得 {points} 分",
    en="{distance} beyond {start}: {steps} step(s) at {per_step} each, {points} points")
PartStep = template_step(
    "PartStep", "part", "number kind low high", module=__name__,
    doc="One part of a composite row: its number (from 1), kind and score (or range).",
    zh="第 {number} 项（{kind}）：{low~high} 分", en="part {number} ({kind}): {low~high} points")
SumStep = template_step("SumStep", "sum", "low high", module=__name__,
                        doc="The parts' total, before the row's cap.",
                        zh="各项合计 {low~high} 分", en="parts total {low~high} points")


def _parts(value: object) -> tuple[Rule, ...]:
    return non_empty(value, "parts", "part", "- {kind: boolean, fact: 制度健全, yes_points: 3}",
                     each=(_is_rule, "a rule", "Boolean('制度健全', 3)"))


def _is_rule(part: object) -> bool:
    return all(hasattr(part, name) for name in ("kind", "evaluate", "prepare", "max_points"))


class _PartAnalysis:
    """The row's analysis as one part sees it: its findings point at the part's keys
    (``parts[2].tiers[1]``)."""

    def __init__(self, an: Analysis, index: int) -> None:
        self.an, self.index, self.defaults = an, index, an.defaults

    def domain(self, name: str) -> tuple[Decimal | None, Decimal | None]:
        return self.an.domain(name)

    def spec(self, name: str) -> FactSpec:
        return self.an.spec(name)

    def report(self, severity: str, code: str, variant: str = "",
               key: str | tuple[str | int, ...] | None = None, **params: object) -> None:
        own = () if key is None else (key,) if isinstance(key, str) else key
        self.an.report(severity, code, variant, key=("parts", self.index, *own), **params)

    def property_check(self, rule: Any = None, key: tuple[str | int, ...] = ()) -> None:
        self.an.property_check(rule, ("parts", self.index, *key))

    def check_formula_units(self, expression: str) -> None:
        self.an.check_formula_units(expression)

    def check_same_kind(self, a: str, b: str) -> None:
        self.an.check_same_kind(a, b)


@attrs.frozen
class SumRule:
    """A checklist of parts, each scored by its own rule, summed and capped at ``points``
    (default: the sum of the parts' maxima). A part not applicable scores 0; the row is
    not applicable when every part is."""

    kind: ClassVar[str] = "sum"
    SCHEMA: ClassVar[dict[str, Any]] = rule_schema(
        kind, "A composite row: each part scored by its own rule, summed, capped at points.",
        {"parts": list_schema("The parts: rules of any kind.", {"$ref": "#/$defs/rule"}),
         "points": {"description": "The row's cap (default: the sum of the parts' maxima).",
                    "$ref": "#/$defs/points"}},
        required=("parts",))
    STEPS: ClassVar[tuple[type[Step], ...]] = (PartStep, SumStep)
    convert_field = staticmethod(identity_field)
    parts: tuple[Rule, ...] = attrs.field(converter=_parts)
    points: Decimal | None = attrs.field(default=None, converter=opt_dec)

    def __attrs_post_init__(self) -> None:
        if self.points is not None and self.points < 0:
            raise RulesetError(f"points must not be negative (got {self.points})",
                               expected="0 or more points", example="points: 10")

    @property
    def rules(self) -> tuple[Any, ...]:
        """The parts, as the kinds they are (every part of the registry)."""
        return self.parts

    @property
    def total(self) -> Decimal:
        """The sum of the parts' maxima."""
        return sum((p.max_points for p in self.parts), ZERO)

    @property
    def max_points(self) -> Decimal:
        return self.total if self.points is None else min(self.points, self.total)

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for p in self.parts for n in p.inputs))

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for part in self.parts:
            for name, types in part.input_types.items():
                out[name] = tuple(t for t in out[name] if t in types) if name in out else types
        return out

    @property
    def direction(self) -> str:
        found = {p.direction for p in self.parts}
        return found.pop() if len(found) == 1 else "none"

    def check_declarations(self, specs: Mapping[str, Any]) -> None:
        for part in self.rules:
            part.check_declarations(specs)

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        return self.prepare(ctx.defaults, ctx.domain)(values)

    def prepare(self, defaults: RuleDefaults, domain: DomainFn) -> Prepared:
        runs = [(i, p.kind, p.prepare(defaults, domain)) for i, p in enumerate(self.parts, 1)]
        cap = self.max_points

        def run(values: Mapping[str, object]) -> Outcome:
            low = high = ZERO
            trace: list[Step] = []
            missing: list[str] = []
            warnings: list[Step] = []
            applicable = False
            for index, kind, part in runs:
                o = part(values)
                trace.append(PartStep(index, kind, o.low, o.high))
                trace.extend(o.trace)
                missing.extend(n for n in o.missing if n not in missing)
                warnings.extend(o.warnings)
                if o.applicable:
                    applicable = True
                    low, high = low + o.low, high + o.high
            trace.append(SumStep(low, high))
            if high > cap:
                trace.append(Capped(high, cap))
                low, high = min(low, cap), cap
            if not applicable:
                return Outcome(ZERO, ZERO, tuple(trace), applicable=False)
            return Outcome(low, high, tuple(trace), tuple(missing), tuple(warnings))

        return run

    # -- verification, testing, audit, compiling -------------------------------------

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        """Each part's own analysis (its findings point at the part), then the cap."""
        low = high = ZERO
        for i, part in enumerate(self.rules):
            lo, hi = part.analyse(_PartAnalysis(an, i))
            low, high = low + lo, high + hi
        if self.points is not None and self.points > self.total:
            an.report("warning", "sum-unreachable", key="points", points=self.points,
                      total=self.total)
        cap = self.max_points
        return min(low, cap), min(high, cap)

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        for part in self.rules:
            part.test_hints(hints, defaults)

    def directions(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for part in self.rules:
            for name, way in part.directions().items():
                out[name] = way if out.get(name, way) == way else "none"
        return out

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        """The capped sums of the parts' scores, when every part's are discrete (and
        their combinations few); else None."""
        each = []
        count = 1
        for part in self.rules:
            scores = part.achievable(defaults)
            if scores is None:
                return None
            scores = sorted(set(scores))
            count *= len(scores)
            if count > ACHIEVABLE_LIMIT:
                return None
            each.append(scores)
        cap = self.max_points
        return sorted({min(sum(combo, ZERO), cap) for combo in itertools.product(*each)})

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        """Each part compiled into its own name, then the capped sum; a part that does
        not compile makes the row fall back to its prepared form."""
        start, consts = len(code.lines), dict(code.consts)
        names = []
        rounding, code.rounding = code.rounding, None  # a part is summed, not settled
        try:
            for i, part in enumerate(self.rules):
                name = f"{out}_p{i}"
                if not part.compile_into(code, name, defaults):
                    del code.lines[start:]
                    code.consts.clear()
                    code.consts.update(consts)
                    return False
                names.append(name)
        finally:
            code.rounding = rounding
        code.emit(f"{out} = min({' + '.join(names)}, {code.const(self.max_points)})")
        return True

