"""Qualitative tiers (定性分档): the evaluator picks a tier and a score inside it.

``qualitative`` reads the evaluator's points as a fact (and checks them against the
chosen tier); ``tier`` reads only the chosen tier, as evaluators use 财预〔2020〕10号
(达成 100-80%(含80%), 部分达成 80-60%(含60%), 未达成 60-0%): the tier narrows the row
to its band and the score inside it is the evaluator's claim, which audit checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ..errors import EvaluationError, RulesetError
from ..facts import MISSING, NOT_APPLICABLE
from ..policy import RuleDefaults
from ..states import ECHO, MET, NOT_MET, Asserted
from ..text import fmt, show
from ..trace import Step
from .analysis import (
    Analysis,
    CodeWriter,
    FactHints,
    bands_overlap,
    domain_text,
    gaps,
    hi_or_inf,
    lo_or_inf,
)
from .base import (
    FACT_NAME,
    POINTS,
    ZERO,
    ChosenRange,
    Context,
    FixedPoints,
    OneFact,
    Outcome,
    PlainFields,
    asserted_range,
    dec,
    mapping_schema,
    non_empty,
    non_negative,
    not_applicable,
    one_fact_schema,
    prepare_generic,
    unknown,
)

__all__ = ["DEFAULT_TIERS", "Qualitative", "QualitativeStep", "Tier", "TierChoice"]


@attrs.frozen
class Tier:
    """A tier of a qualitative rule, as percent of the row's points (100-80%(含80%))."""

    label: str
    lower: Decimal = attrs.field(converter=dec)
    upper: Decimal = attrs.field(converter=dec)
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


class QualitativeStep(Step, type="qualitative"):
    fact: str
    points: Decimal
    tier: str | None

    def zh(self, units: Mapping[str, str]) -> str:
        tier = f"，属“{self.tier}”档" if self.tier else ""
        return f"评价人给分 {show(self.points)}{tier}"

    def en(self, units: Mapping[str, str]) -> str:
        tier = f" (tier '{self.tier}')" if self.tier else ""
        return f"evaluator's score {show(self.points)}{tier}"


def _band(points: Decimal, tier: Tier) -> tuple[Decimal, Decimal]:
    """The points one tier allows: its percent of ``points`` (what ``_span`` gives for
    it, without the scans: a chosen tier's row is scored by it)."""
    return points * tier.lower / 100, points * tier.upper / 100


def _span(points: Decimal, tiers: Sequence[Tier]) -> tuple[Decimal, Decimal]:
    """The points ``tiers`` allow together, as percent of ``points``: from the lowest
    lower end to the highest upper end."""
    return (points * min(t.lower for t in tiers) / 100,
            points * max(t.upper for t in tiers) / 100)


def _tier_range(fact: str, value: Asserted, points: Decimal, picked: Sequence[Tier]) -> Outcome:
    """An asserted state read as the tiers ``picked``: the evaluator scores within them."""
    return asserted_range(fact, value, *_span(points, picked), "tier",
                          "、".join(f"{t.label} {t.text()}" for t in picked))


def _analyse_tiers(an: Analysis, tiers: Sequence[Tier]) -> None:
    """Tiers must cover 0-100% of the points once each: no gap, no overlap."""
    if not tiers:
        return
    for i, a in enumerate(tiers):
        for j in range(i + 1, len(tiers)):
            b = tiers[j]
            if bands_overlap(a, b):
                an.report("error", "tier-overlap", key=("tiers", j), i=i, a=a.label,
                          a_range=a.text(), j=j, b=b.label, b_range=b.text())
    for gap in gaps(tiers, ZERO, Decimal(100)):
        low = gap[1:].split(",")[0]
        at = next((i for i, t in enumerate(tiers) if fmt(t.lower) == low
                   or fmt(t.upper) == low), 0)
        an.report("error", "tier-gap", key=("tiers", at), gap=gap)


@attrs.frozen
class Qualitative(PlainFields, FixedPoints):
    """Method 13: the evaluator picks a score inside a tier; rubric validates it.

    The fact holds the points awarded. When ``tier_fact`` names a fact holding the
    tier chosen, the score must fall inside that tier.
    """

    kind: ClassVar[str] = "qualitative"
    SCHEMA: ClassVar[dict[str, Any]] = one_fact_schema(
        kind, "Method 13: the evaluator's points, validated against tiers.",
        {
            "points": POINTS,
            "tiers": {
                "description": "Tiers as percent of the row's points (优 90-100%).",
                "type": "array",
                "items": mapping_schema(
                    {"label": {"type": "string"}, "lower": {"$ref": "#/$defs/number"},
                     "upper": {"$ref": "#/$defs/number"}, "lower_closed": {"type": "boolean"},
                     "upper_closed": {"type": "boolean"}},
                    required=("label", "lower", "upper")),
            },
            "tier_fact": FACT_NAME,
        },
        required=("points",))
    STEPS: ClassVar[tuple[type[Step], ...]] = (QualitativeStep,)
    prepare = prepare_generic
    direction: ClassVar[str] = "higher"
    fact: str
    points: Decimal = attrs.field(converter=dec, validator=non_negative)
    tiers: tuple[Tier, ...] = attrs.field(default=(), converter=tuple)
    tier_fact: str | None = None

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.fact,) if self.tier_fact is None else (self.fact, self.tier_fact)

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        types: dict[str, tuple[str, ...]] = {self.fact: ("number",)}
        if self.tier_fact:
            types[self.tier_fact] = ("category", "text")
        return types

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
            score = x.copy_abs() if x.is_zero() else x  # points of -0 score 0, not -0
            return Outcome(score, score,
                           (QualitativeStep(self.fact, x, tier.label if tier else None),))
        if x is NOT_APPLICABLE:
            return not_applicable(self.fact)
        chosen = values.get(self.tier_fact) if self.tier_fact else None
        if type(x) is Asserted and x.state != ECHO:
            return self._asserted(x, chosen)
        named = next((t for t in self.tiers if type(chosen) is str and t.label == chosen), None)
        if named is not None:  # the points are missing, the tier is chosen: its band
            return unknown(self.fact, x, *_band(self.points, named))
        return unknown(self.fact, x, ZERO, self.points)

    def _asserted(self, x: Asserted, chosen: object) -> Outcome:
        """An asserted state picks the tier, and the evaluator the score inside it (a
        range): met the highest tier, not met the lowest, partly met the tiers between
        (or, with two tiers, the lower one); a tier chosen in ``tier_fact`` wins.
        Without tiers the row is a range over the points."""
        tiers = sorted(self.tiers, key=lambda t: (t.upper, t.lower))
        named = [t for t in tiers if type(chosen) is str and t.label == chosen]
        if named:
            picked = named
        elif (len(tiers) < 2 and x.state != MET) or not tiers:
            return asserted_range(self.fact, x, ZERO, self.points, "no_tier")
        elif x.state == MET:
            picked = tiers[-1:]
        elif x.state == NOT_MET:
            picked = tiers[:1]
        else:
            picked = tiers[1:-1] or tiers[:-1]
        return _tier_range(self.fact, x, self.points, picked)

    # -- verification, testing, audit, compiling -------------------------------------

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        lo, hi = an.domain(self.fact)
        if lo is None or lo < 0 or hi is None or hi > self.points:
            an.report("warning", "domain", "qualitative", key="fact", fact=self.fact,
                      domain=domain_text(lo, hi), points=self.points)
        _analyse_tiers(an, self.tiers)
        return (max(ZERO, lo_or_inf(lo)) if lo is not None else ZERO,
                min(self.points, hi_or_inf(hi)))

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        hints.tighten(self.fact, ZERO, self.points)
        if self.tier_fact:
            hints.omit.add(self.tier_fact)
            if self.tiers:
                hints.tiered[self.tier_fact] = (self.fact, self.points, self.tiers)

    def directions(self) -> dict[str, str]:
        out = {self.fact: self.direction}
        if self.tier_fact:
            out[self.tier_fact] = "none"
        return out

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        """The evaluator's choice: continuous, left to the range check."""
        return None

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        """Falls back to the prepared rule (it validates the chosen tier)."""
        return False


#: The tiers of 财预〔2020〕10号 as evaluators use them: 达成年度指标 100-80%(含80%),
#: 部分达成 80-60%(含60%), 未达成 60-0%.
DEFAULT_TIERS = (Tier("达成", 80, 100), Tier("部分达成", 60, 80, upper_closed=False),
                 Tier("未达成", 0, 60, upper_closed=False))

SCHEMA_TIERS = Qualitative.SCHEMA["properties"]["tiers"]


def _open_ends(tier: Tier) -> str | None:
    """The ends of a tier a claim may not take (``ChosenRange.open``)."""
    ends = [e for e, closed in (("low", tier.lower_closed), ("high", tier.upper_closed))
            if not closed]
    return None if not ends else ends[0] if len(ends) == 1 else "both"


def _tiers(value: object) -> tuple[Tier, ...]:
    tiers: tuple[Tier, ...] = non_empty(value, "tiers", "tier",
                                        "- {label: 达成, lower: 80, upper: 100}")
    labels = [t.label for t in tiers]
    for i, label in enumerate(labels):
        if label in labels[:i]:
            raise RulesetError(f"tiers[{i}]: the label '{label}' is used twice",
                               expected="one tier per label", example="label: 部分达成")
    return tiers


@attrs.frozen
class TierChoice(OneFact):
    """The evaluator picks a tier (a fact) and a score inside it (a claim, not a fact).

    ``fact`` holds the label of the chosen tier; the row is the tier's band of its
    ``points`` (达成 on an 8-point row: 6.4-8). ``tiers`` default to 财预〔2020〕10号's
    (``DEFAULT_TIERS``). ``rubric score`` shows the band; ``rubric audit`` checks the
    claimed score against it.
    """

    kind: ClassVar[str] = "tier"
    SCHEMA: ClassVar[dict[str, Any]] = one_fact_schema(
        kind, ("The evaluator's chosen tier (a fact) narrows the row to the tier's band; "
                 "the score inside it is a claim that audit checks."),
        {"points": POINTS,
         "tiers": {**SCHEMA_TIERS, "minItems": 1,
                   "description": "Tiers as percent of the row's points (default: 达成 "
                                  "100-80%(含80%), 部分达成 80-60%(含60%), 未达成 60-0%)."}},
        required=("points",))
    FACT_TYPES: ClassVar[tuple[str, ...]] = ("category", "text")
    STEPS: ClassVar[tuple[type[Step], ...]] = (ChosenRange,)
    prepare = prepare_generic
    direction: ClassVar[str] = "none"
    fact: str
    points: Decimal = attrs.field(converter=dec, validator=non_negative)
    tiers: tuple[Tier, ...] = attrs.field(default=DEFAULT_TIERS, converter=_tiers)

    @property
    def max_points(self) -> Decimal:
        return self.points

    def band(self, tier: Tier) -> tuple[Decimal, Decimal]:
        """The points a tier allows: its percent of the row's points."""
        return _band(self.points, tier)

    def check_declarations(self, specs: Mapping[str, Any]) -> None:
        """Every tier must be a declared category of the fact (when it has categories)."""
        spec = specs[self.fact]
        if spec.type == "category":
            absent = [t.label for t in self.tiers if t.label not in spec.categories]
            if absent:
                raise RulesetError(f"tier '{absent[0]}' is not a category of fact "
                                   f"'{spec.name}'", expected="one of "
                                   + ", ".join(spec.categories))

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        x = values.get(self.fact, MISSING)
        if type(x) is str:
            tier = next((t for t in self.tiers if t.label == x), None)
            if tier is None:
                raise EvaluationError(f"{self.fact} = '{x}' is not one of the rule's tiers",
                                      expected="one of " + ", ".join(t.label for t in self.tiers))
            low, high = self.band(tier)
            step = ChosenRange("tier", tier.label, low, high, _open_ends(tier))
            return Outcome(low, high, (step,))
        if x is NOT_APPLICABLE:
            return not_applicable(self.fact)
        if type(x) is Asserted and x.state != ECHO:
            tiers = sorted(self.tiers, key=lambda t: (t.upper, t.lower))
            picked = (tiers[-1:] if x.state == MET else tiers[:1] if x.state == NOT_MET
                      else tiers[1:-1] or tiers)
            return _tier_range(self.fact, x, self.points, picked)
        return unknown(self.fact, x, ZERO, self.points)

    # -- verification, testing, audit, compiling -------------------------------------

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        """Tiers cover 0-100% once each; declared categories without a tier fail."""
        _analyse_tiers(an, self.tiers)
        spec = an.spec(self.fact)
        if spec.type == "category":
            labels = {t.label for t in self.tiers}
            absent = [c for c in spec.categories if c not in labels]
            if absent:
                an.report("error", "band-gap", "tiers", fact=self.fact, absent=absent)
        return _span(self.points, self.tiers)

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        hints.texts[self.fact] = [t.label for t in self.tiers]

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        """The evaluator's choice inside the tier: continuous, left to the range check."""
        return None

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        """Falls back: a chosen tier is a range, which the general path reports."""
        return False
