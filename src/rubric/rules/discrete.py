"""Discrete rules: yes/no checks (是否), additive checklists, and categorical states."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ..errors import EvaluationError, RulesetError
from ..facts import MISSING, NOT_APPLICABLE, FactSpec
from ..policy import RuleDefaults
from ..trace import YES_NO, NotApplicable, Range, Step, template_step
from .analysis import Analysis, CodeWriter, FactHints, against
from .base import (
    DIRECTION,
    FACT_NAME,
    POINTS,
    ZERO,
    Context,
    OneFact,
    Outcome,
    PlainFields,
    check_direction,
    dec,
    list_schema,
    mapping_schema,
    non_empty,
    non_negative,
    not_applicable,
    one_fact_schema,
    prepare_generic,
    rule_schema,
    scored_value_step,
    settled,
    unknown,
)

__all__ = [
    "Bool",
    "Boolean",
    "Categorical",
    "Checklist",
    "ChecklistItem",
    "Item",
    "ItemMissing",
    "State",
    "StateStep",
]

_new = tuple.__new__  # hot paths make outcomes and steps without constructor calls
CHECKLIST_LIMIT = 16  # items up to which a checklist's achievable sums are listed


def _yes_no_step(name: str, type: str, subject: str) -> type[Step]:
    """The step of a yes/no fact: its ``subject`` (the fact, a checklist's item), the value
    (是/否, yes/no) and the points it gives."""
    return scored_value_step(name, type, module=__name__, subject=subject,
                             en_value="{value:YES_NO}", words={"YES_NO": YES_NO})


Bool = _yes_no_step("Bool", "bool", "fact")


@attrs.frozen
class Boolean(OneFact):
    """Method 5: "是否分项目核算结余结转, 是, 5分; 否, 0分" (also the award-only form)."""

    kind: ClassVar[str] = "boolean"
    SCHEMA: ClassVar[dict[str, Any]] = one_fact_schema(
        kind, "Method 5: yes_points if the fact is true (是), else no_points.",
        {"yes_points": POINTS, "no_points": POINTS},
        required=("yes_points",))
    FACT_TYPES: ClassVar[tuple[str, ...]] = ("boolean",)
    STEPS: ClassVar[tuple[type[Step], ...]] = (Bool,)
    prepare = prepare_generic
    fact: str
    yes_points: Decimal = attrs.field(converter=dec, validator=non_negative)
    no_points: Decimal = attrs.field(default=ZERO, converter=dec, validator=non_negative)

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
            return _new(Outcome, (score, score, (_new(Bool, ("bool", self.fact, x, score)),),
                                  (), (), True))
        if x is NOT_APPLICABLE:
            return not_applicable(self.fact)
        lo, hi = sorted((self.yes_points, self.no_points))
        return unknown(self.fact, x, lo, hi)

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        return min(self.yes_points, self.no_points), self.max_points

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        """Booleans need no hints: both values are always generated."""

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        return [self.yes_points, self.no_points]

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        yes, no = code.const(self.yes_points), code.const(self.no_points)
        x = code.read(self.fact)
        if code.typed(self.fact, "boolean"):  # True or False
            code.emit(f"if {x}: {out} = {yes}")
            code.emit(f"else: {out} = {no}")
            return True
        code.emit(f"if {x} is True: {out} = {yes}")
        code.emit(f"elif {x} is False: {out} = {no}")
        code.emit("else: return None")
        return True


@attrs.frozen
class ChecklistItem:
    """One all-or-nothing item of a checklist ("①按规定内容公开预决算信息, 3分")."""

    fact: str
    points: Decimal = attrs.field(converter=dec, validator=non_negative)
    label: str = ""


def _items(value: object) -> tuple[ChecklistItem, ...]:
    return non_empty(value, "checklist", "item", "- {fact: 按规定内容公开, points: 3}")


Item = _yes_no_step("Item", "item", "item")
ItemMissing = template_step("ItemMissing", "item_missing", "item points", module=__name__,
                            zh="{item}：缺少事实（0–{points} 分）",
                            en="{item}: no fact (0-{points} points)")


@attrs.frozen
class Checklist(PlainFields):
    """Method 6: additive checklist; each item's points are awarded when its fact is true."""

    kind: ClassVar[str] = "checklist"
    SCHEMA: ClassVar[dict[str, Any]] = rule_schema(
        kind, "Method 6: additive checklist of boolean items.",
        {
            "items": list_schema(
                "Additive items; each awards its points when its boolean fact is true.",
                mapping_schema({"fact": FACT_NAME, "points": POINTS,
                                "label": {"description": "The item's text (①...).",
                                          "type": "string"}},
                               required=("fact", "points"))),
        },
        required=("items",))
    STEPS: ClassVar[tuple[type[Step], ...]] = (Item, ItemMissing)
    prepare = prepare_generic
    direction: ClassVar[str] = "higher"
    items: tuple[ChecklistItem, ...] = attrs.field(converter=_items)

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
                trace.append(_new(Item, ("item", item.label or item.fact, x, got)))
            elif x is NOT_APPLICABLE:
                trace.append(NotApplicable(item.fact))
            else:
                applicable = True
                high += item.points
                missing.append(item.fact)
                trace.append(ItemMissing(item.label or item.fact, item.points))
        if not applicable:
            return Outcome(ZERO, ZERO, tuple(trace), applicable=False)
        if missing:
            trace.append(Range(low, high))
            return Outcome(low, high, tuple(trace), tuple(missing))
        return settled(low, tuple(trace))

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        return ZERO, self.max_points

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        """Booleans need no hints: both values are always generated."""

    def directions(self) -> dict[str, str]:
        return {item.fact: "higher" for item in self.items}

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        """Every subset sum (up to CHECKLIST_LIMIT items; beyond, None)."""
        if len(self.items) > CHECKLIST_LIMIT:
            return None
        sums: set[Decimal] = {ZERO}
        for item in self.items:
            sums |= {s + item.points for s in sums}
        return sums

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        if len({i.fact for i in self.items}) != len(self.items):
            return False  # one fact ticking two items: the prepared rule adds them up
        if len(self.items) <= 3 and all(code.typed(i.fact, "boolean") for i in self.items) \
                and _settled_items(code, out, self.items):
            return True
        code.emit(f"{out} = ZERO")
        for item in self.items:
            x = code.read(item.fact)
            if code.typed(item.fact, "boolean"):  # True or False
                code.emit(f"if {x}: {out} += {code.const(item.points)}")
                continue
            code.emit(f"if {x} is True: {out} += {code.const(item.points)}")
            code.emit(f"elif {x} is not False: return None")
        return True


def _settled_items(code: CodeWriter, out: str, items: Sequence[ChecklistItem]) -> bool:
    """A few items' yes/no locals as nested tests, each leaf the settled score of the
    items ticked (``CodeWriter.settle``: summed in order, capped, rounded); False
    (nothing emitted) when no row is settled."""
    leaves: dict[tuple[bool, ...], Decimal] = {}
    for ticks in itertools.product((True, False), repeat=len(items)):
        score = code.settle(*(i.points for i, tick in zip(items, ticks) if tick))
        if score is None:
            return False
        leaves[ticks] = score

    def branch(ticks: tuple[bool, ...], depth: int) -> None:
        if len(ticks) == len(items):
            code.emit(f"{out} = {code.const(leaves[ticks])}", depth)
            return
        code.emit(f"if {code.read(items[len(ticks)].fact)}:", depth)
        branch((*ticks, True), depth + 1)
        code.emit("else:", depth)
        branch((*ticks, False), depth + 1)

    branch((), 1)
    code.settled = True
    return True


@attrs.frozen
class State:
    """One state of a categorical rule and its points."""

    value: str
    points: Decimal = attrs.field(converter=dec, validator=non_negative)


def _states(value: object) -> tuple[State, ...]:
    states: tuple[State, ...] = non_empty(value, "states", "state",
                                          "- {value: 无结余, points: 5}")
    names = [s.value for s in states]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise RulesetError(f"states: '{dup}' is listed twice", expected="each state once")
    return states


StateStep = scored_value_step("StateStep", "state", module=__name__)


@attrs.frozen
class Categorical(OneFact):
    """Method 8: "无结余, 5分; 有结余但不超过上年结余, 3分; 结余超过上年结余, 不得分"."""

    kind: ClassVar[str] = "categorical"
    SCHEMA: ClassVar[dict[str, Any]] = one_fact_schema(
        kind, "A categorical fact; each state worth fixed points.",
        {
            "states": list_schema(
                "The states of the fact and their points.",
                mapping_schema({"value": {"description": "A category of the fact.",
                                          "type": "string"},
                                "points": POINTS},
                               required=("value", "points"))),
            "direction": DIRECTION,
        },
        required=("states",))
    FACT_TYPES: ClassVar[tuple[str, ...]] = ("category", "text")
    STEPS: ClassVar[tuple[type[Step], ...]] = (StateStep,)
    prepare = prepare_generic
    fact: str
    states: tuple[State, ...] = attrs.field(converter=_states)
    direction: str = attrs.field(default="none", validator=check_direction)

    @property
    def max_points(self) -> Decimal:
        return max(s.points for s in self.states)

    def check_declarations(self, specs: Mapping[str, FactSpec]) -> None:
        """Every state must be a declared category of the fact (when it has categories)."""
        spec = specs[self.fact]
        if spec.type == "category":
            unknown_ = [s.value for s in self.states if s.value not in spec.categories]
            if unknown_:
                raise RulesetError(
                    f"state '{unknown_[0]}' is not a category of fact '{spec.name}'",
                    expected="one of " + ", ".join(spec.categories))

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        x = values.get(self.fact, MISSING)
        if type(x) is str:
            for state in self.states:
                if state.value == x:
                    pts = state.points
                    step = _new(StateStep, ("state", self.fact, x, pts))
                    return _new(Outcome, (pts, pts, (step,), (), (), True))
            raise EvaluationError(f"{self.fact} = '{x}' is not one of the rule's states",
                                  expected="one of " + ", ".join(s.value for s in self.states))
        if x is NOT_APPLICABLE:
            return not_applicable(self.fact)
        points = [s.points for s in self.states]
        return unknown(self.fact, x, min(points), max(points))

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        """States for every declared category, and points in the declared direction."""
        spec = an.spec(self.fact)
        states = {s.value: s.points for s in self.states}
        if spec.type == "category":
            absent = [c for c in spec.categories if c not in states]
            if absent:
                an.report("error", "band-gap", "categories", fact=self.fact, absent=absent)
            points = [states[c] for c in spec.categories if c in states]
            bad = against(points, self.direction)
            if bad is not None:
                an.report("error", "direction", "categories", p1=points[bad],
                          p2=points[bad + 1], fact=self.fact, direction=self.direction)
        else:
            points = list(states.values())
        return (min(points), max(points)) if points else (ZERO, ZERO)

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        hints.texts[self.fact] = [s.value for s in self.states]

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        return [s.points for s in self.states]

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        settled = {s.value: code.settle(s.points) for s in self.states}
        if None not in settled.values():  # each state's score capped and rounded
            code.settled = True
        else:
            settled = {s.value: s.points for s in self.states}
        table = code.const(settled)
        code.emit(f"{out} = {table}.get({code.value(self.fact)})")
        code.emit(f"if {out} is None: return None")
        return True
