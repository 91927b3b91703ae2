"""A project's self-evaluation and a template, built into what rubric scores and audits.

``build_project(project, template)`` reads every row (``selfeval.rows``: each row's
target and actual into a rule of an existing kind, with the template's method and the
row's own 分值) and assembles the table: the 预算执行率 row, then each 一级指标 of the
template with its 二级 groups, capped at the template's weights, under the template's
policy (precision, grades, ``not_applicable``: a ``/`` row rescales the total, or
redistributes its weight). A row that cannot be read is a ``RowProblem`` naming the
cell, and the other rows are still scored; placeholder rows (``指标1:`` with nothing
filed) are left out. ``score_project`` evaluates and audits the printed 得分 (a blank
得分 is not claimed).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..audit import AuditReport, Claimed
from ..audit import audit as audit_claims
from ..engine.evaluation import Result, evaluate
from ..errors import FactError
from ..policy import DEFAULT_GRADES, Policy, RuleDefaults
from ..text import fmt
from ..tree import Group, Indicator, Metadata, Ruleset
from .project import Project
from .rows import BUDGET_NAMES, RowBuilder, RowProblem, is_placeholder, level_name, plain_text
from .template import Template

__all__ = ["Built", "ProjectScore", "RowProblem", "build_project", "is_placeholder", "level_name",
           "score_project"]

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
    b = RowBuilder(project, template)
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
    plain = plain_text(filed)
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
