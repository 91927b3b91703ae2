"""How one filed row of a project reads into a rubric rule under a template.

``RowBuilder`` reads every row's 年度指标值 and 实际完成值 (``selfeval.targets``) and makes
one indicator per row with the template's method and the row's own 分值 and target,
using the existing rule kinds:

- a quantity target: ``ratio`` (``CompletionRatio``): forward (``≥``, ``>``, a bare
  number, and ``=`` under the template's ``exact: forward`` reading) 完成值/指标值 × 分值,
  reverse (``≤``, ``<``) 指标值/完成值 × 分值, capped at the 分值; an asserted actual
  (``达成预期指标``, an echo ``≥266米``) is read by the ratio kind (met: full marks, else a
  range); the 偏离度 warning is the template's ``overachievement_warn``;
- a deadline (``12月底前``, ``2023年12月31日前``): ``deadline``, on time the 分值, late 0;
  a month the target leaves open (``9月前``) is read by the template's ``month_reading``;
  an actual ``已完成`` / ``按时完成`` is on time, ``未完成`` late;
- a statement (``达成预期``): ``tier`` (``TierChoice``), the chosen tier a fact (the row's
  ``档次``, a tier label, a state: met → the top tier, not met → the bottom, partly →
  the tiers between, or the target's own text restated → the top tier), the score
  inside it the evaluator's claim (and, as an alternative version of the row, the
  ``qualitative`` rule taking a printed 得分 that lies inside the tier);
- the 预算执行率 row: ``ratio`` of 全年执行数 to the template's denominator;
- ``/`` (target or actual): the row is not applicable (``不适用``).

A row that cannot be read (an unreadable target, a blank 分值) is a ``RowProblem``
naming the cell; a row with a readable 分值 but an unreadable target or actual stays in
the table as a range (its score is unknown, never 0).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

import attrs

from ..dates import Month
from ..errors import FactError, Location, RubricError, TargetError
from ..facts import FactSpec
from ..rules import Rule
from ..rules.deadlines import Deadline
from ..rules.qualitative import DEFAULT_TIERS, Qualitative, Tier, TierChoice
from ..rules.ratios import CompletionRatio
from ..states import MET, NOT_MET, PARTLY_MET, Asserted
from ..text import fmt, pct
from ..tree import Indicator
from .project import Project, ProjectRow
from .targets import SELFEVAL_UNITS, Actual, Target, parse_actual, parse_target
from .template import Template

__all__ = ["BUDGET_NAMES", "PLACEHOLDER", "RowBuilder", "RowProblem", "is_placeholder",
           "level_name", "plain_text"]

#: the blank template rows of the form: ``指标1:`` ``指标2：……``
PLACEHOLDER = re.compile(r"^\s*指标\s*[0-9０-９一二三四五六七八九十]+\s*[:：]?\s*[.…。．]*\s*$")
_POINTS_SUFFIX = re.compile(
    r"(?:[（(]\s*([0-9]+(?:\.[0-9]+)?)\s*分?\s*[)）]|([0-9]+(?:\.[0-9]+)?)分)$")
#: the names the 预算执行率 row is filed under when it is a row of the indicator table
BUDGET_NAMES = ("预算执行率", "预算资金执行率", "资金执行率", "预算执行情况", "预算执行")
_NA = "/"


@attrs.frozen
class RowProblem:
    """A row that could not be read: its index in ``project.rows``, the row, and the
    error (located at the cell)."""

    index: int
    row: ProjectRow
    error: RubricError

    @property
    def message(self) -> str:
        return str(self.error)


def _rebuilt(exc: RubricError, **fields: Any) -> RubricError:
    """``exc`` with some of its fields replaced (``RubricError.keywords``)."""
    try:
        return type(exc)(exc.message, **{**exc.keywords(), **fields})
    except TypeError:  # an error class with other arguments: kept as raised
        return exc


def _named(exc: RubricError, row: ProjectRow) -> RubricError:
    """``exc`` naming the row's indicator (its 三级指标) when it names none."""
    if exc.indicator or not row.level3.strip():
        return exc
    return _rebuilt(exc, indicator=row.level3.strip())


def _where(row: ProjectRow | None, project: Project, column: str) -> str:
    loc = row.location if row is not None else project.funds.location
    base = str(loc) if loc is not None else (project.source or "<project>")
    return f"{base}: {column}"


def _cell(row: ProjectRow, column: str, project: Project) -> Location:
    """The place of one of ``row``'s cells (the row's, with the column, when unknown)."""
    if column in row.cells:
        return row.cells[column]
    loc = row.location
    if loc is None:
        return Location(project.source, None, None, column)
    return attrs.evolve(loc, path=f"{loc.path} {column}" if loc.path else column)


def plain_text(text: str) -> str:
    return "".join(text.split())


def level_name(text: str) -> tuple[str, Decimal | None]:
    """An 一级/二级 cell without its printed points: ``产出指标（50分）`` -> 产出指标, 50."""
    plain = plain_text(text)
    m = _POINTS_SUFFIX.search(plain)
    if m is None or m.start() == 0:
        return plain, None
    return plain[:m.start()], Decimal(m.group(1) or m.group(2))


def is_placeholder(row: ProjectRow) -> bool:
    """A blank template row (``指标1:``) with no target, actual or score filed."""
    return (bool(PLACEHOLDER.match(row.level3) or not row.level3.strip())
            and not row.target.strip() and not row.actual.strip() and row.claimed is None)


class RowBuilder:
    """Reads the rows of one project under one template: the facts, claims, readings,
    problems and rules it finds (``selfeval.build`` assembles the tree)."""

    def __init__(self, project: Project, template: Template) -> None:
        self.project = project
        #: row id -> the row with the evaluator's in-tier score taken (``qualitative``),
        #: and the facts that version reads beside the others
        self.alternatives: dict[str, tuple[Indicator, str]] = {}
        self.extra_specs: list[FactSpec] = []
        self.extra_facts: dict[str, object] = {}
        self.template = template
        self.tiers = template.tiers or DEFAULT_TIERS
        self.specs: list[FactSpec] = []
        self.facts: dict[str, object] = {}
        self.scores: dict[str, Decimal] = {}
        self.warnings: list[str] = []
        self.readings: dict[str, tuple[str, ...]] = {}
        self.problems: list[RowProblem] = []
        self.unscored: list[str] = []
        self.pending: tuple[Any, str] | None = None

    # -- facts ------------------------------------------------------------------

    def fact(self, name: str, value: object, **spec: Any) -> str:
        """Declare a fact and give its value, converted here once so that a value the
        declaration refuses is this row's problem (FactError), not the project's."""
        declared = FactSpec(name, unit_system=SELFEVAL_UNITS, **spec)
        if value is not None:
            declared.coerce(value)
            self.facts[name] = value
        self.specs.append(declared)
        return name

    # -- rows -------------------------------------------------------------------

    def row(self, index: int, row: ProjectRow, row_id: str) -> Indicator | None:
        """The indicator of one row, or None (a RowProblem recorded) when it has no 分值."""
        project = self.project
        year = project.year
        for column, text in row.unread.items():
            self.problem(index, row, f"{column} {text!r} is not a number", column,
                         f"the row's {column} as a number", "8")
        if "分值" in row.unread:
            return None
        if row.points is None:
            self.problem(index, row, "分值 is blank", "分值", "the row's points", "8")
            return None
        if row.points < 0:
            self.problem(index, row, f"分值 {fmt(row.points)} is negative", "分值",
                         "the row's points, 0 or more", "8")
            return None
        points = row.points
        name = row.level3.strip() or f"{row.level2}（第{index + 1}行）"
        fact = f"{row_id} {name}"
        if row.claimed is not None:
            self.scores[row_id] = row.claimed
        else:
            self.unscored.append(row_id)
        try:
            target = parse_target(row.target, where=_cell(row, "年度指标值", project),
                                  year=year, units=SELFEVAL_UNITS)
        except RubricError as exc:
            return self.unknown(index, row, row_id, name, exc, "年度指标值")
        if target.kind == "quantity" and target.direction != "reverse" \
                and target.operator in (None, "=") and "成本" in row.level2:
            # 成本指标 are lower-is-better (a ceiling), but a 节约 is a floor: a bare 16万元
            # read forward gave a 20万元 overrun full marks
            return self.unknown(index, row, row_id, name, TargetError(
                f"年度指标值 '{target.text}' under {row.level2} gives no ≤ or ≥: a cost is "
                "a ceiling, a saving a floor", location=_cell(row, "年度指标值", project),
                expected="≤ for a cost not to exceed, ≥ for a saving",
                example=f"≤{target.text.lstrip('=＝')}"), "年度指标值")
        if target.kind == "none":
            self.facts[row_id] = _NA
            self.readings[row_id] = ("年度指标值为 /：不适用",)
            rule = TierChoice(self.fact(fact, None, type="text"), points, self.tiers)
            return Indicator(row_id, cast("Rule", rule), name, points, criterion=target.text,
                             source=_where(row, project, "年度指标值"))
        try:
            actual = parse_actual(row.actual, target, where=_cell(row, "实际完成值", project),
                                  year=year, units=SELFEVAL_UNITS)
        except RubricError as exc:
            self.problems.append(RowProblem(index, row, _named(exc, row)))
            actual = Actual("missing", row.actual)
        notes = (*target.notes, *actual.notes)
        if actual.kind == "none":
            self.facts[row_id] = _NA
            self.readings[row_id] = (*notes, "实际完成值为 /：不适用")
            rule = TierChoice(self.fact(fact, None, type="text"), points, self.tiers)
            return Indicator(row_id, cast("Rule", rule), name, points, criterion=target.text,
                             source=_where(row, project, "实际完成值"))
        try:
            if target.kind == "quantity":
                made = self.quantity(fact, points, target, actual)
            elif target.kind == "date":
                made = self.deadline(index, row, fact, points, target, actual)
            else:
                made = self.statement(row, fact, points, actual)
        except RubricError as exc:
            column = "年度指标值" if "年度指标值" in (exc.where or "") else "实际完成值"
            return self.unknown(index, row, row_id, name, exc, column)
        rule, reading = made
        self.readings[row_id] = (*notes, reading)
        source = _where(row, project, "年度指标值")
        if self.pending is not None:  # the same row, the evaluator's score taken
            taken, taken_reading = self.pending
            self.pending = None
            self.alternatives[row_id] = (Indicator(
                row_id, cast("Rule", taken), name, points,
                criterion=f"{target.text}：{taken_reading}", source=source), taken_reading)
        return Indicator(row_id, cast("Rule", rule), name, points,
                         criterion=f"{target.text}：{reading}", source=source)

    def unknown(self, index: int, row: ProjectRow, row_id: str, name: str, exc: RubricError,
                column: str) -> Indicator:
        """A row whose cell cannot be read: a problem, and the row a range (0–分值) whose
        missing fact names the cell, never 0."""
        assert row.points is not None
        self.problems.append(RowProblem(index, row, _named(exc, row)))
        cell = row.target if column == "年度指标值" else row.actual
        reading = f"{column} {cell!r} 无法读取：得分未定（0–{fmt(row.points)}）"
        self.readings[row_id] = (reading,)
        unread = self.fact(f"{row_id} {column}", None, type="text")
        return Indicator(row_id, cast("Rule", TierChoice(unread, row.points, self.tiers)), name,
                         row.points, criterion=reading, source=_where(row, self.project, column))

    def quantity(self, fact: str, points: Decimal, target: Target, actual: Actual
                 ) -> tuple[Any, str]:
        assert target.value is not None
        reverse = target.direction == "reverse"
        value: object = None
        if actual.kind == "quantity":
            value = actual.in_target_unit if actual.in_target_unit is not None else actual.value
        elif actual.kind == "state" and actual.state is not None:
            value = actual.state
        elif actual.kind in ("statement", "date"):
            value = actual.text  # not a number: left unsettled (a range), never 0
        unit = target.unit if target.unit else None
        negative = reverse and isinstance(value, Decimal) and value < 0
        if negative:  # -2% against ≤5%: met, where 指标值/完成值 would be negative (0 分)
            value = Asserted(MET, actual.text)
        self.fact(fact, value, unit=unit, states=True)
        rule = CompletionRatio(fact, target.value, points, reverse=reverse,
                               overachievement_warn=self.template.overachievement_warn)
        shown = f"{fmt(target.value)}{unit or ''}"
        if negative:
            reading = (f"反向指标：完成值“{actual.text}”为负，低于指标值（{shown}），"
                       f"达到指标，计 {fmt(points)} 分")
        elif reverse:
            reading = f"反向指标：指标值/完成值 × {fmt(points)}（{shown}），最高不超过分值"
        elif target.direction == "exact":
            reading = (f"“=”指标按正向读：完成值/指标值 × {fmt(points)}（{shown}），最高不超过"
                       "分值")
        else:
            reading = f"正向指标：完成值/指标值 × {fmt(points)}（{shown}），最高不超过分值"
        return rule, reading

    def deadline(self, index: int, row: ProjectRow, fact: str, points: Decimal,
                 target: Target, actual: Actual) -> tuple[Any, str]:
        deadline = target.date
        assert deadline is not None
        reading = target.month_reading or self.template.month_reading
        year = self.project.year
        if isinstance(deadline, Month) and deadline.year is None and year is None:
            raise FactError(f"the deadline {target.text!r} has no year and the project gives "
                            "none", location=_cell(row, "年度指标值", self.project),
                            indicator=row.level3 or None, expected="a deadline with its year, "
                            "or the project's 年度 (the title's （2023年度）, or --year)",
                            example="2023年12月31日前")
        value: object = None
        kind = "date"
        said = ""
        if actual.kind == "date" and actual.date is not None:
            day = actual.date
            if isinstance(day, Month) and day.year is None:
                if year is None:
                    raise FactError(f"实际完成值 {actual.text!r} has no year and the project "
                                    "gives none", location=_cell(row, "实际完成值", self.project),
                                    indicator=row.level3 or None, expected="a date or month "
                                    "with its year, or the project's 年度", example="2023年11月")
                day = Month(year, day.month)
            value = day
        elif actual.kind == "state" and actual.state is not None:
            state = actual.state.state
            if state in (MET, NOT_MET):
                kind, value = "boolean", state == MET
                said = f"；实际完成值“{actual.text}”读作{'按时' if value else '未按时'}完成"
        rule = Deadline(self.fact(fact, value, type=kind), deadline=deadline, points=points,
                        month_reading=reading if isinstance(deadline, Month) else None)
        when = ("月末" if reading == "end" else "该月开始前") if isinstance(deadline, Month) else ""
        return rule, (f"时效指标：按时完成 {fmt(points)} 分，否则 0 分"
                      + (f"（期限月份按{when}计）" if when else "") + said)

    def statement(self, row: ProjectRow, fact: str, points: Decimal, actual: Actual
                  ) -> tuple[Any, str]:
        tiers = self.tiers
        by_rank = sorted(tiers, key=lambda t: (t.upper, t.lower))
        chosen: Tier | None = None
        why = ""
        plain = plain_text(row.actual)
        named = next((t for t in tiers if t.label == plain), None)
        if row.tier:
            chosen = next((t for t in tiers if t.label == plain_text(row.tier)), None)
            if chosen is None:
                raise FactError(f"档次 {row.tier!r} is not one of the template's tiers",
                                location=_cell(row, "档次", self.project),
                                indicator=row.level3 or None,
                                expected="one of " + "、".join(t.label for t in tiers),
                                example=tiers[0].label)
            why = f"档次为“{chosen.label}”（表中所填）"
        elif named is not None:
            chosen, why = named, f"实际完成值为档次“{named.label}”"
        elif plain and plain == plain_text(row.target):
            # the target's own statement restated, as an echo of a quantity target is
            # read (rubric.states): the target is asserted met
            chosen = by_rank[-1]
            why = f"实际完成值照录年度指标值“{row.actual.strip()}”，读作达成，即“{chosen.label}”档"
        elif actual.kind == "state" and actual.state is not None:
            state = actual.state.state
            if state == MET:
                chosen = by_rank[-1]
            elif state == NOT_MET:
                chosen = by_rank[0]
            elif state == PARTLY_MET and len(by_rank) == 3:
                chosen = by_rank[1]
            if chosen is not None:
                why = f"实际完成值“{actual.text}”读作“{chosen.label}”档"
        self.fact(fact, chosen.label if chosen else None, type="category",
                  categories=[t.label for t in tiers])
        bands = "、".join(f"{t.label} {t.text()}" for t in tiers)
        reading = f"定性指标：按档次给分（{bands}），档内得分为评价人的判断"
        reading += f"；{why}" if why else "；未给出档次：得分未定"
        claimed = row.claimed
        if (chosen is not None and claimed is not None and points
                and chosen.contains(claimed * 100 / points)):
            given = f"{fact} 评价人给分"
            self.extra_specs.append(FactSpec(given, unit_system=SELFEVAL_UNITS, minimum=0,
                                             maximum=points))
            self.extra_facts[given] = claimed
            self.pending = (Qualitative(given, points, tiers, tier_fact=fact),  # type: ignore[arg-type]
                            reading + f"；取评价人在档内所给 {fmt(claimed)} 分")
        return TierChoice(fact, points, tiers), reading

    def problem(self, index: int, row: ProjectRow, message: str, column: str, expected: str,
                example: str) -> None:
        at = _cell(row, column, self.project)
        self.problems.append(RowProblem(index, row, FactError(
            message, location=at, indicator=row.level3 or None, expected=expected,
            example=example)))

    # -- the budget row -----------------------------------------------------------

    def budget(self) -> Indicator:
        template, funds = self.template, self.project.funds
        denominator = template.budget_denominator
        amounts = {"全年预算数": funds.annual, "年初预算数": funds.initial,
                   "实际到位资金": funds.available}
        unit = funds.unit or "万元"
        try:
            executed = self.fact("全年执行数", funds.executed, unit=unit, minimum=0)
            base = self.fact(denominator, amounts[denominator], unit=unit, minimum=0)
        except RubricError as exc:  # a negative amount, an unknown 单位: at the 资金 block
            if exc.location is not None or exc.where or funds.location is None:
                raise
            raise _rebuilt(exc, where=None, location=funds.location) from None
        points = template.budget_points
        if funds.points is not None and funds.points != points:
            self.warnings.append(
                f"{template.budget_name}: 表中分值 {fmt(funds.points)} 与模板 "
                f"{fmt(points)} 不符，按模板 {fmt(points)} 分计")
        budget_id = template.budget_name
        if funds.claimed is not None:
            self.scores[budget_id] = funds.claimed
        rule = CompletionRatio(executed, base, points)
        reading = f"全年执行数/{denominator} × {fmt(points)}，最高不超过分值"
        self.readings[budget_id] = (reading,)
        if (funds.claimed_rate is not None and funds.executed is not None
                and amounts[denominator]):
            ratio = funds.executed / amounts[denominator]  # type: ignore[operator]
            rate = ratio * 100
            printed = funds.claimed_rate
            if printed <= 1 < rate and abs(printed * 100 - rate) < Decimal("0.01"):
                printed *= 100  # 0.95 filed without its % format: the fraction of 95%
            if abs(rate - printed) >= Decimal("0.01"):
                self.warnings.append(
                    f"{template.budget_name}: 表中执行率 {fmt(funds.claimed_rate)}% 与 "
                    f"全年执行数/{denominator} = {pct(ratio)} 不符")
        return Indicator(budget_id, cast("Rule", rule), template.budget_name, points,
                         criterion=reading, source=_where(None, self.project, "项目资金"))
