"""A project's self-evaluation and a template, built into what rubric scores and audits.

``build_project(project, template)`` reads every row's 年度指标值 and 实际完成值
(``selfeval.targets``) and makes one indicator per row with the template's method and
the row's own 分值 and target, using the existing rule kinds:

- a quantity target: ``ratio`` (``CompletionRatio``): forward (``≥``, ``>``, a bare
  number, and ``=`` under the template's ``exact: forward`` reading) 完成值/指标值 × 分值,
  reverse (``≤``, ``<``) 指标值/完成值 × 分值, capped at the 分值; an asserted actual
  (``达成预期指标``, an echo ``≥266米``) is read by the ratio kind (met: full marks, else a
  range); the 偏离度 warning is the template's ``overachievement_warn``;
- a deadline (``12月底前``, ``2023年12月31日前``): ``deadline``, on time the 分值, late 0;
  a month the target leaves open (``9月前``) is read by the template's ``month_reading``;
  an actual ``已完成`` / ``按时完成`` is on time, ``未完成`` late;
- a statement (``达成预期``): ``tier`` (``TierChoice``), the chosen tier a fact (the row's
  ``档次``, a tier label, or a state: met → the top tier, not met → the bottom, partly →
  the tiers between), the score inside it the evaluator's claim;
- the 预算执行率 row: ``ratio`` of 全年执行数 to the template's denominator;
- ``/`` (target or actual): the row is not applicable (``不适用``), and the total is
  rescaled (or redistributed) as the template says.

A row that cannot be read (an unreadable target, a blank 分值, an unknown 一级指标) is a
``RowProblem`` naming the cell; the other rows are still scored, and a row with a
readable 分值 but an unreadable target stays in the table as a range (its score is
unknown, never 0). Placeholder rows (``指标1:`` with nothing filed) are left out.
``score_project`` evaluates and audits the printed 得分 (a blank 得分 is not claimed).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

import attrs

from ..audit import AuditReport, Claimed
from ..audit import audit as audit_claims
from ..dates import Month
from ..engine.evaluation import Result, evaluate
from ..errors import FactError, Location, RubricError
from ..facts import FactSpec
from ..policy import DEFAULT_GRADES, Policy, RuleDefaults
from ..rules import Rule
from ..rules.deadlines import Deadline
from ..rules.qualitative import DEFAULT_TIERS, Qualitative, Tier, TierChoice
from ..rules.ratios import CompletionRatio
from ..states import MET, NOT_MET, PARTLY_MET
from ..text import fmt
from ..tree import Group, Indicator, Metadata, Ruleset
from .project import Project, ProjectRow
from .targets import SELFEVAL_UNITS, Actual, Target, parse_actual, parse_target
from .template import Template

__all__ = ["Built", "ProjectScore", "RowProblem", "build_project", "is_placeholder", "level_name",
           "score_project"]

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


@attrs.frozen
class Built:
    """What a project and a template build into.

    ``ruleset`` the project's table as a rubric ruleset; ``facts`` the mapping
    ``rubric.evaluate`` scores; ``claimed`` the printed 得分 (rows, 预算执行率) and 总分;
    ``row_ids`` parallel to ``project.rows`` (None for a placeholder row or one that
    could not be read at all; ``budget_id`` for a 预算执行率 row filed in the table);
    ``budget_id`` the id of the 预算执行率 row; ``warnings`` findings about the filing
    that are not scores (weights that do not add up, a printed 执行率 that differs, an
    二级指标 the template does not name); ``readings`` by row id, the reading applied to
    the row (forward/reverse ratio, cap, tier, month); ``problems`` the rows that could
    not be read; ``unscored`` the ids of rows whose 得分 is blank (not claimed: reported
    as not scored).
    """

    ruleset: Ruleset
    facts: Mapping[str, object]
    claimed: Claimed
    row_ids: tuple[str | None, ...]
    budget_id: str
    warnings: tuple[str, ...] = ()
    readings: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    problems: tuple[RowProblem, ...] = ()
    unscored: tuple[str, ...] = ()


@attrs.frozen
class ProjectScore:
    """A project scored with a template.

    ``result`` is the table as scored: every row by the template's method, and each
    qualitative row at the evaluator's printed 得分 where it lies inside the chosen tier
    (the tier is a fact, the score inside it the evaluator's: ``qualitative`` rule);
    a qualitative row claimed outside its tier, or not claimed, stays the tier's band.
    ``bands`` is the same with every qualitative row left at its tier's band (what
    ``built`` scores, and what ``audit`` checks the printed 得分 against; None when the
    project has no qualitative row: then it is ``result``). ``audit`` is None when not
    audited. ``warnings`` adds to ``built.warnings`` what scoring finds (a printed
    自评等级 other than the grade).
    """

    project: Project
    template: Template
    built: Built
    result: Result
    audit: AuditReport | None = None
    warnings: tuple[str, ...] = ()
    bands: Result | None = None

    @property
    def ok(self) -> bool:
        """No unreadable row, and (when audited) every claim consistent or feasible."""
        return not self.built.problems and (self.audit is None or self.audit.ok)


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


def _plain(text: str) -> str:
    return "".join(text.split())


def level_name(text: str) -> tuple[str, Decimal | None]:
    """An 一级/二级 cell without its printed points: ``产出指标（50分）`` -> 产出指标, 50."""
    plain = _plain(text)
    m = _POINTS_SUFFIX.search(plain)
    if m is None or m.start() == 0:
        return plain, None
    return plain[:m.start()], Decimal(m.group(1) or m.group(2))


def is_placeholder(row: ProjectRow) -> bool:
    """A blank template row (``指标1:``) with no target, actual or score filed."""
    return (bool(PLACEHOLDER.match(row.level3) or not row.level3.strip())
            and not row.target.strip() and not row.actual.strip() and row.claimed is None)


class _Builder:
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
            self.problems.append(RowProblem(index, row, exc))
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
        self.problems.append(RowProblem(index, row, exc))
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
        self.fact(fact, value, unit=unit, states=True)
        rule = CompletionRatio(fact, target.value, points, reverse=reverse,
                               overachievement_warn=self.template.overachievement_warn)
        shown = f"{fmt(target.value)}{unit or ''}"
        if reverse:
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
        plain = _plain(row.actual)
        named = next((t for t in tiers if t.label == plain), None)
        if row.tier:
            chosen = next((t for t in tiers if t.label == _plain(row.tier)), None)
            if chosen is None:
                raise FactError(f"档次 {row.tier!r} is not one of the template's tiers",
                                location=_cell(row, "档次", self.project),
                                indicator=row.level3 or None,
                                expected="one of " + "、".join(t.label for t in tiers),
                                example=tiers[0].label)
            why = f"档次为“{chosen.label}”（表中所填）"
        elif named is not None:
            chosen, why = named, f"实际完成值为档次“{named.label}”"
        elif plain and plain == _plain(row.target):
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
        executed = self.fact("全年执行数", funds.executed, unit=unit, minimum=0)
        base = self.fact(denominator, amounts[denominator], unit=unit, minimum=0)
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
            rate = funds.executed / amounts[denominator] * 100  # type: ignore[operator]
            printed = funds.claimed_rate
            if printed <= 1 < rate and abs(printed * 100 - rate) < Decimal("0.01"):
                printed *= 100  # 0.95 filed without its % format: the fraction of 95%
            if abs(rate - printed) >= Decimal("0.01"):
                self.warnings.append(
                    f"{template.budget_name}: 表中执行率 {fmt(funds.claimed_rate)}% 与 "
                    f"全年执行数/{denominator} = {fmt(rate.quantize(Decimal('0.01')))}% 不符")
        return Indicator(budget_id, cast("Rule", rule), template.budget_name, points,
                         criterion=reading, source=_where(None, self.project, "项目资金"))


def build_project(project: Project, template: Template, *, take_claims: bool = False
                  ) -> Built:
    """The ruleset, facts and claims of ``project`` scored by ``template``.

    ``take_claims``: a qualitative row whose printed 得分 lies inside its chosen tier
    takes that score (``qualitative`` rule: the evaluator's points, checked against the
    tier) instead of leaving the tier's band; this is the table as the evaluator
    settled it, which ``score_project`` reports as its ``result``."""
    bands, taken = _build(project, template)
    return taken if take_claims and taken is not None else bands


def _build(project: Project, template: Template) -> tuple[Built, Built | None]:
    """The project built with every qualitative row at its tier's band, and (None when
    no row's printed 得分 lies inside its chosen tier) with those scores taken: one
    reading of the rows serves both."""
    b = _Builder(project, template)
    budget = b.budget()
    row_ids: list[str | None] = [None] * len(project.rows)
    # level index -> {二级 name -> [indicators]}, in filing order
    grouped: dict[int, dict[str, list[Indicator]]] = {}
    for index, row in enumerate(project.rows):
        if is_placeholder(row):
            continue
        name1, printed = level_name(row.level1)
        if {name1, level_name(row.level3)[0]} & {*BUDGET_NAMES, template.budget_name}:
            # the 预算执行率 row filed in the indicator table: its 得分 is the budget
            # row's claim (unless the 资金 block prints one), its score the template's
            row_ids[index] = budget.id
            if row.claimed is not None and budget.id not in b.scores:
                b.scores[budget.id] = row.claimed
            continue
        level = template.level(name1)
        if level is None:
            b.problem(index, row, f"一级指标 {row.level1!r} is not one of the template's",
                      "一级指标", "one of " + ", ".join(lv.name for lv in template.levels),
                      template.levels[0].name if template.levels else "产出指标")
            continue
        if printed is not None and level.points is not None and printed != level.points:
            b.warnings.append(f"{level.name}: 表中印 {fmt(printed)} 分，模板为 "
                              f"{fmt(level.points)} 分")
        name2, _ = level_name(row.level2)
        if name2 and level.subgroups and not level.has_subgroup(name2):
            home = next((lv for lv in template.levels if lv.has_subgroup(name2)), None)
            if home is not None:  # 服务对象满意度指标 filed under 效益指标
                b.warnings.append(f"二级指标“{name2}”填在“{level.name}”下，按模板计入"
                                  f"“{home.name}”")
                level = home
        li = template.levels.index(level)
        subs = grouped.setdefault(li, {})
        si = list(subs).index(name2) + 1 if name2 in subs else len(subs) + 1
        ri = len(subs.get(name2, [])) + 1
        row_id = f"{li + 1}.{si}.{ri}" if name2 else f"{li + 1}.{ri}"
        node = b.row(index, row, row_id)
        if node is None:
            continue
        if name2 and level.subgroups and not level.has_subgroup(name2):
            b.warnings.append(f"{row_id}: 二级指标“{name2}”不是模板“{level.name}”下的"
                              "（" + "、".join(level.subgroups) + "）")
        subs.setdefault(name2, []).append(node)
        row_ids[index] = row_id
    policy = Policy(
        precision=template.precision, grades=template.grades or DEFAULT_GRADES,
        not_applicable=template.not_applicable, total_points=template.total_points,
        defaults=RuleDefaults(overachievement_warn=template.overachievement_warn,
                              deadline_month_reading=template.month_reading,
                              deadline_year=project.year))
    metadata = Metadata(id=template.id, name=project.name or template.name,
                        fiscal_year=project.year, source=project.source or "",
                        description=template.name)
    root = _tree(template, grouped, budget, b.warnings, project)
    claimed = Claimed(b.scores, {}, project.claimed_total, source=project.source)
    warnings = tuple(dict.fromkeys(b.warnings))
    bands = Built(Ruleset(root, b.specs, policy, metadata),  # type: ignore[arg-type]
                  b.facts, claimed, tuple(row_ids), budget.id, warnings, b.readings,
                  tuple(b.problems), tuple(b.unscored))
    if not b.alternatives:
        return bands, None
    alternatives = b.alternatives
    taken_groups = {li: {name2: [alternatives[n.id][0] if n.id in alternatives else n
                                 for n in nodes] for name2, nodes in subs.items()}
                    for li, subs in grouped.items()}
    taken_root = _tree(template, taken_groups, budget, [], project)
    readings = {**b.readings, **{i: (*b.readings[i][:-1], r)
                                 for i, (_n, r) in alternatives.items()}}
    specs: Any = b.specs + b.extra_specs
    taken = attrs.evolve(bands, ruleset=Ruleset(taken_root, specs, policy, metadata),
                         facts={**b.facts, **b.extra_facts}, readings=readings)
    return bands, taken


def _tree(template: Template, grouped: dict[int, dict[str, list[Indicator]]],
          budget: Indicator, warnings: list[str], project: Project) -> Group:
    """The table's tree: the 预算执行率 row, then each 一级指标 with its 二级 groups;
    weights that do not add up are ``warnings`` (or an error under ``weights: error``)."""
    children: list[Indicator | Group] = [budget]
    for li, level in enumerate(template.levels):
        subs = grouped.get(li, {})
        kids: list[Indicator | Group] = []
        for si, (name2, nodes) in enumerate(subs.items(), start=1):
            if name2:
                kids.append(Group(f"{li + 1}.{si}", nodes, name2))  # type: ignore[arg-type]
            else:
                kids.extend(nodes)
        if not kids:
            if level.points:
                warnings.append(f"{level.name}: 没有指标行，其 {fmt(level.points)} 分不计入")
            continue
        filed = sum((n.points for n in kids), Decimal(0))
        if level.points is not None and filed != level.points:
            text = (f"{level.name}: 三级指标分值之和 {fmt(filed)} ≠ 模板权重 "
                    f"{fmt(level.points)}（按 {fmt(level.points)} 封顶）")
            if template.weights == "error":
                raise FactError(text, where=project.source, expected="rows' 分值 adding up "
                                "to the template's weight", example=fmt(level.points))
            warnings.append(text)
        children.append(Group(str(li + 1), kids, level.name,  # type: ignore[arg-type]
                              level.points))
    weighted = all(lv.points is not None for lv in template.levels)
    return Group("总分", children, "总分",  # type: ignore[arg-type]
                 template.total_points if weighted else None)


def _same_grade(filed: str, grade: str) -> bool:
    """A printed 自评等级 names ``grade``: 优 as 优 or 优秀, 良 as 良好, 差 as 较差."""
    plain = _plain(filed)
    return plain == grade or (len(plain) == 2 and grade in plain)


def score_project(project: Project, template: Template, *, audit: bool = True,
                  lang: str = "zh") -> ProjectScore:
    """Score ``project`` by ``template`` and (``audit``) audit its printed 得分."""
    built, taken = _build(project, template)
    report = (audit_claims(built.ruleset, built.facts, built.claimed, lang=lang) if audit
              else None)
    bands = report.result if report is not None else evaluate(built.ruleset, built.facts)
    result = bands
    if taken is not None:
        result = evaluate(taken.ruleset, taken.facts)
        if report is not None and built.claimed.total is not None:
            # The printed 总分 follows from the printed row scores the evaluator chose
            # inside their tiers, not from any score of the tiers' bands: the total is
            # audited against the table as scored (``result``).
            total_only = Claimed({}, {}, built.claimed.total, source=built.claimed.source)
            root = audit_claims(taken.ruleset, taken.facts, total_only, lang=lang).entries[0]
            report = attrs.evolve(report, entries=(root, *report.entries[1:]))
    warnings: list[str] = []
    for node in result.rows():  # 按照偏离度适度调减分值: the evaluator's call, a warning
        for text in node.explain_warnings(lang):
            warnings.append(f"{node.name}: {text}")
    if project.claimed_grade and result.grade and not _same_grade(project.claimed_grade,
                                                                  result.grade):
        warnings.append(f"自评等级: 表中为“{project.claimed_grade}”，按得分应为“{result.grade}”")
    return ProjectScore(project, template, built, result, report, tuple(warnings), bands)
