"""Options of one row around its rule: a veto, a not-applicable reading, its own rounding.

Real tables attach to a row, besides its 评价标准, sentences that change how the rule's
score is kept (issue 11 items 4, 5 and 7):

- a **veto** (``veto:``): "未全部落实, 本项指标不得分" — the row scores 0 when the
  condition, a yes/no fact, holds; an unknown condition leaves a range from 0 to the
  rule's score (never a silent pass);
- a **not-applicable reading** (``if_not_applicable:``) when the row does not apply:
  ``renormalise`` (the policy's, the default), ``full`` (没有该项任务的, 不扣分: full
  points) or ``points`` (若单位无项目, 得2分: fixed points);
- its own **precision** and **rounding** (a table that rounds one row to 1 decimal);
- rows that print but do **not add** (``adds: false``): 其中 (of which) rows and
  informational rows, scored and shown, left out of their group's sum and 分值.

``RowOptions`` holds the rule and these options; it has every part of the rule protocol
(delegating to the rule), so check, testing, audit and the compiled paths need no case
of their own. The loader makes it from the row's keys; it is no ``kind`` of its own in
ruleset files.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ..errors import RulesetError
from ..facts import MISSING
from ..policy import ROUNDING_MODES, RuleDefaults
from ..trace import (
    NotAdded,
    NotApplicableScored,
    Range,
    RowNotApplicable,
    RowRounded,
    Step,
    VetoStep,
)
from .analysis import Analysis, CodeWriter, FactHints
from .base import ZERO, Context, DomainFn, Outcome, Prepared, identity_field, opt_dec

__all__ = ["IfNotApplicable", "RowOptions", "Veto", "adds_up", "given_not_applicable"]

NA_READINGS = ("renormalise", "full", "points", "move")
MAX_PRECISION = 6


@attrs.frozen
class Veto:
    """A veto of one row: when the yes/no fact ``fact`` holds, the row scores 0.
    ``text`` is the table's sentence, kept verbatim ("未全部落实，本项指标不得分")."""

    fact: str
    text: str = ""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.fact, str) or not self.fact:
            raise RulesetError("a veto needs the yes/no fact of its condition",
                               expected="veto: {fact: NAME, text: ...}",
                               example="veto: {fact: 未全部落实, text: 未全部落实，本项指标不得分}")


def _reading(inst: Any, attr: Any, value: str) -> None:
    if value not in NA_READINGS:
        raise RulesetError(f"if_not_applicable: '{value}' is not known",
                           expected="one of " + ", ".join(NA_READINGS) + ", or {points: N}",
                           example="if_not_applicable: full")


@attrs.frozen
class IfNotApplicable:
    """What a row scores when it does not apply (its facts, or the row, given as 不适用):
    ``renormalise`` — left out under the policy's ``not_applicable`` reading (the
    default); ``full`` — its full points (没有该项任务的, 不扣分); ``points`` — the fixed
    ``points`` (若单位无项目, 得2分); ``move`` — its 分值 moves to the siblings ``to``
    (ids in its group), scored at their rate (``engine.moves``)."""

    reading: str = attrs.field(validator=_reading)
    points: Decimal | None = attrs.field(default=None, converter=opt_dec)
    to: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def __attrs_post_init__(self) -> None:
        if (self.reading == "move") != bool(self.to):
            raise RulesetError("if_not_applicable: the siblings a row's 分值 moves to are "
                               "named with the move reading, and only with it",
                               expected="{to: [ids of siblings]}",
                               example="if_not_applicable: {to: [项目管理]}")
        if (self.reading == "points") != (self.points is not None):
            raise RulesetError("if_not_applicable: points are given with the fixed-points "
                               "reading, and only with it", expected="{points: N} or full",
                               example="if_not_applicable: {points: 2}")
        if self.points is not None and self.points < 0:
            raise RulesetError(f"if_not_applicable: points must not be negative (got "
                               f"{self.points})", expected="0 or more points",
                               example="if_not_applicable: {points: 2}")


def _precision(inst: Any, attr: Any, value: int | None) -> None:
    if value is not None and (type(value) is not int or not 0 <= value <= MAX_PRECISION):
        raise RulesetError(f"precision: {value!r} is not a number of decimals from 0 to "
                           f"{MAX_PRECISION}", expected="a whole number 0–6",
                           example="precision: 1")


def _rounding(inst: Any, attr: Any, value: str | None) -> None:
    if value is not None and value not in ROUNDING_MODES:
        raise RulesetError(f"rounding: '{value}' is not known",
                           expected="one of " + ", ".join(ROUNDING_MODES),
                           example="rounding: half_up")


def _adds(inst: Any, attr: Any, value: object) -> None:
    if not isinstance(value, bool):
        raise RulesetError(f"adds: {value!r} is not true or false", expected="adds: false for "
                           "a row shown but not summed (其中), else leave it out",
                           example="adds: false")


def _rule(value: object) -> Any:
    if not all(hasattr(value, name) for name in ("kind", "evaluate", "prepare", "max_points")):
        raise RulesetError("row options need the row's rule", example="RowOptions(Boolean('X', 5))")
    return value


@attrs.frozen
class RowOptions:
    """A row's rule with the row's own options (see the module docstring): ``veto``,
    ``if_not_applicable``, ``precision`` and ``rounding`` (default ``half_up``, used only
    with ``precision``), and ``adds`` (False: the row is scored and shown, not summed)."""

    kind: ClassVar[str] = "row_options"
    SCHEMA: ClassVar[dict[str, Any]] = {}
    STEPS: ClassVar[tuple[type[Step], ...]] = (VetoStep, NotApplicableScored, RowRounded,
                                                NotAdded)
    convert_field = staticmethod(identity_field)
    rule: Any = attrs.field(converter=_rule)  # the row's rule, any kind
    veto: Veto | None = None
    if_not_applicable: IfNotApplicable | None = None
    precision: int | None = attrs.field(default=None, validator=_precision)
    rounding: str | None = attrs.field(default=None, validator=_rounding)
    #: False: a row printed and scored but not added into its group (其中, 备注 rows)
    adds: bool = attrs.field(default=True, validator=_adds)

    def __attrs_post_init__(self) -> None:
        if self.rounding is not None and self.precision is None:
            raise RulesetError("a row's rounding needs its precision",
                               expected="precision: N with rounding:",
                               example="{precision: 1, rounding: half_up}")
        veto = self.veto
        types = self.rule.input_types.get(veto.fact) if veto is not None else None
        if veto is not None and types is not None and "boolean" not in types:
            raise RulesetError(f"the veto's fact '{veto.fact}' is read by the rule as "
                               + " or ".join(types), expected="a yes/no fact of its own for "
                               "the veto", example="veto: {fact: 未全部落实, text: ...}")
        na = self.if_not_applicable
        if na is not None and na.points is not None and na.points > self.rule.max_points:
            raise RulesetError(f"if_not_applicable: {na.points} points are more than the rule "
                               f"awards ({self.rule.max_points})",
                               expected="points within the row's 分值",
                               example=f"if_not_applicable: {{points: {self.rule.max_points}}}")

    @property
    def rules(self) -> tuple[Any, ...]:
        return (self.rule,)

    @property
    def inputs(self) -> tuple[str, ...]:
        own = (self.veto.fact,) if self.veto is not None else ()
        return tuple(dict.fromkeys((*self.rule.inputs, *own)))

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        out = dict(self.rule.input_types)
        if self.veto is not None:
            out[self.veto.fact] = ("boolean",)
        return out

    @property
    def max_points(self) -> Decimal:
        return Decimal(self.rule.max_points)

    @property
    def direction(self) -> str:
        return str(self.rule.direction)

    @property
    def na_points(self) -> Decimal | None:
        """What the row scores when it does not apply (None: left out, the policy's)."""
        na = self.if_not_applicable
        if na is None or na.reading == "renormalise":
            return None
        return self.rule.max_points if na.reading == "full" else na.points

    def check_declarations(self, specs: Mapping[str, Any]) -> None:
        self.rule.check_declarations(specs)

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        out: Outcome = self.prepare(ctx.defaults, ctx.domain)(values)
        return out

    def prepare(self, defaults: RuleDefaults, domain: DomainFn) -> Prepared:
        inner, after = self.rule.prepare(defaults, domain), self.finisher()

        def run(values: Mapping[str, object]) -> Outcome:
            return after(inner(values), values)

        return run

    def finisher(self) -> Callable[[Outcome, Mapping[str, object]], Outcome]:
        """``after(outcome, values)``: the rule's outcome with the row's options applied —
        the not-applicable reading, then the veto (on any row that scores), the row's
        rounding, and the ``not_added`` mark."""
        veto, na = self.veto, self.if_not_applicable
        na_points = self.na_points
        quantum = None if self.precision is None else Decimal(1).scaleb(-self.precision)
        mode_name = self.rounding or "half_up"
        mode = ROUNDING_MODES[mode_name]
        precision = self.precision
        not_added = () if self.adds else (NotAdded(),)

        def after(o: Outcome, values: Mapping[str, object]) -> Outcome:
            if not o.applicable:
                if na_points is None or na is None:
                    return o._replace(trace=(*o.trace, *not_added)) if not_added else o
                o = Outcome(na_points, na_points,
                            (*o.trace, NotApplicableScored(na.reading, na_points)),
                            (), o.warnings)
            if veto is not None:
                x = values.get(veto.fact, MISSING)
                if x is True:
                    o = Outcome(ZERO, ZERO, (*o.trace, VetoStep(veto.fact, veto.text, True)),
                                (), o.warnings)
                elif x is not False:  # missing, unsettled or 不适用: veto or not, a range
                    o = Outcome(ZERO, o.high, (*o.trace, VetoStep(veto.fact, veto.text, None),
                                               Range(ZERO, o.high)),
                                (*o.missing, *(() if veto.fact in o.missing else (veto.fact,))),
                                o.warnings)
                else:
                    o = o._replace(trace=(*o.trace, VetoStep(veto.fact, veto.text, False)))
            if quantum is not None:
                low, high = o.low.quantize(quantum, mode), o.high.quantize(quantum, mode)
                if (low, high) != (o.low, o.high):
                    o = o._replace(low=low, high=high, trace=(
                        *o.trace, RowRounded(o.low, o.high, low, high, precision, mode_name)))
            return o._replace(trace=(*o.trace, *not_added)) if not_added else o

        return after

    # -- verification, testing, audit, compiling -------------------------------------

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        """The rule's own analysis; a veto lowers the reachable low end to 0."""
        low, high = self.rule.analyse(an)
        if self.veto is not None:
            low = ZERO
        points = self.na_points
        if points is not None:
            low, high = min(low, points), max(high, points)
        return low, high

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        self.rule.test_hints(hints, defaults)  # a yes/no veto fact: both values are drawn

    def directions(self) -> dict[str, str]:
        out = dict(self.rule.directions())
        if self.veto is not None:
            out[self.veto.fact] = "lower"  # the veto holding never raises the score
        return out

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        scores = self.rule.achievable(defaults)
        if scores is None:
            return None
        out = set(scores)
        if self.veto is not None:
            out.add(ZERO)
        if self.na_points is not None:
            out.add(self.na_points)
        if self.precision is not None:
            q = Decimal(1).scaleb(-self.precision)
            with decimal.localcontext() as ctx:
                ctx.rounding = ROUNDING_MODES[self.rounding or "half_up"]
                out = {s.quantize(q) for s in out}
        return sorted(out)

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        return False  # the compiled paths call the prepared row, options applied


def given_not_applicable(node: Any, max_points: Decimal, values: Mapping[str, object]
                         ) -> Outcome:
    """The record of a row the facts give as not applicable as a whole (``不适用: [id]``):
    left out (the policy's reading), or scored by the row's own options (its reading, its
    veto, read from ``values``), within its 分值 ``max_points``."""
    o = Outcome(ZERO, ZERO, (RowNotApplicable(node.name),), applicable=False)
    rule = node.rule
    if not isinstance(rule, RowOptions):
        return o
    o = rule.finisher()(o, values)
    return o._replace(low=min(o.low, max_points), high=min(o.high, max_points))


def adds_up(node: Any) -> bool:
    """Whether ``node`` is summed into its group (False for a row with ``adds: false``)."""
    rule = getattr(node, "rule", None)
    return not isinstance(rule, RowOptions) or rule.adds


def check_moves(group: Any) -> None:
    """Each row of ``group`` whose 分值 moves when it does not apply names siblings:
    other children of ``group``, each once."""
    ids = [child.id for child in group.children if adds_up(child)]
    for child in group.children:
        rule = getattr(child, "rule", None)
        na = rule.if_not_applicable if isinstance(rule, RowOptions) else None
        if na is None or na.reading != "move":
            continue
        for target in na.to:
            if target == child.id or target not in ids or na.to.count(target) > 1:
                why = ("is the row itself" if target == child.id else "is named twice"
                       if target in ids else "is no sibling of the row summed into the group")
                others = [i for i in ids if i != child.id]
                first = others[0] if others else "B"
                raise RulesetError(f"if_not_applicable moves the row's 分值 to '{target}', which "
                                   f"{why}", indicator=child.id, where=child.source,
                                   expected="ids of other rows or groups of its group: "
                                   + ", ".join(others),
                                   example=f"if_not_applicable: {{to: [{first}]}}")


def check_row_options(rule: Any, row: str, precision: int, points: Decimal) -> None:
    """What the ruleset decides for a row's options: a row's precision is at most the
    table's (the policy's ``precision`` is the finest a table rounds to), and the row's
    分值 ``points`` is written within it (else rounding could pass the cap)."""
    if not isinstance(rule, RowOptions) or rule.precision is None:
        return
    if rule.precision > precision:
        raise RulesetError(f"the row's precision {rule.precision} is finer than the table's "
                           f"({precision})", indicator=row, expected="a row precision at "
                           "most policy.precision (set policy.precision to the finest row's)",
                           example=f"precision: {precision}")
    if points != points.quantize(Decimal(1).scaleb(-rule.precision)):
        raise RulesetError(f"the row's 分值 {points} is finer than its precision "
                           f"{rule.precision}", indicator=row,
                           expected=f"a 分值 with at most {rule.precision} decimals, or a "
                           "finer precision", example=f"precision: {precision}")

