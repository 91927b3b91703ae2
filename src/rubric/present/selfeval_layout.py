"""The filed 项目支出绩效自评表 (财预〔2020〕10号 附件2) as a grid of cells, in any format.

A self-evaluation's report reproduces the form as filed: the title
``项目支出绩效自评表（2023年度）``, the header block (项目名称, 主管部门, 实施单位), the
项目资金 block (年初预算数, 全年预算数（A）, 全年执行数（B）, 分值, 执行率（B/A）, 得分),
年度总体目标 (预期目标 / 实际完成情况), the 绩效指标 rows (一级指标 | 二级指标 | 三级指标 |
年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施, 一级 and 二级 merged over their
rows), then 总分 and 自评等级. ``selfeval_sheet`` lays these out as ``Cell`` s with their
spans; ``present.selfeval_xlsx`` and ``present.selfeval_report`` (HTML) write them.

Unaudited, 得分 is rubric's score (a row whose facts are missing shows its range,
``0–5``). Audited, 得分 is what the project filed and a 复核 column gives the audit's
finding for each row: ``一致``, ``不一致（错误）：计算 4.5``, ``可能：计算 0–5``, ``未申报：
计算 5``, ``不计`` for a row not applicable, ``未评分`` for a row not built (a blank
template row 指标1, or one the build could not read). ``filed`` without an audit gives
the form with the project's own 得分: blank, the form ``rubric new`` writes to fill in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Protocol

import attrs

from ..audit import AuditEntry, AuditReport, status_label
from ..engine.evaluation import NodeResult, Result
from ..errors import RubricError
from ..selfeval.project import Project, ProjectRow
from ..text import fmt, word
from ..tree import Indicator
from .filed import score_value
from .summary import grade_text

__all__ = ["LEVEL_COLUMNS", "NOT_SCORED", "Cell", "Sheet", "Scored", "review_text",
           "selfeval_sheet", "sheet_of"]

#: the 绩效指标 block's column headings, after its 绩效指标 label column
LEVEL_COLUMNS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                 "偏差原因分析及改进措施")
REVIEW = "复核"
_FUNDS = ("年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分")
#: the 得分 / 复核 of a row no indicator was built for (a blank template row 指标1, or a
#: row the build could not read)
NOT_SCORED = "未评分"

#: what a cell holds, for its number format and style: ``title``, ``label`` (a block's
#: label), ``head`` (a column heading), ``text``, ``money`` (万元), ``points`` (分值),
#: ``score`` (得分), ``rate`` (a percent, held as its fraction: 0.95 is 95%), ``review``
#: / ``finding`` (the 复核 column: an acceptable claim / a claim the facts contradict),
#: ``note`` (the lines under the table)
ROLES = ("title", "label", "head", "text", "money", "points", "score", "rate", "review",
         "finding", "note")


class Problem(Protocol):
    """A row the build could not read (``selfeval.build.RowProblem``)."""

    @property
    def index(self) -> int: ...

    @property
    def message(self) -> str: ...


class Built(Protocol):
    """What the report reads of a built project (``selfeval.build.Built``)."""

    @property
    def row_ids(self) -> tuple[str | None, ...]: ...

    @property
    def budget_id(self) -> str | None: ...

    @property
    def warnings(self) -> tuple[str, ...]: ...

    @property
    def problems(self) -> Sequence[Problem]: ...


class Scored(Protocol):
    """What the report reads of a scored project (``selfeval.build.ProjectScore``)."""

    @property
    def project(self) -> Project: ...

    @property
    def built(self) -> Built: ...

    @property
    def result(self) -> Result: ...

    @property
    def audit(self) -> AuditReport | None: ...

    @property
    def warnings(self) -> tuple[str, ...]: ...


@attrs.frozen
class Cell:
    """One cell of the form at ``row``, ``col`` (0-based), covering ``rows`` × ``cols``.

    ``value`` is what XLSX stores (a Decimal stays a number), ``text`` how it is shown
    (numbers at their column's decimals); ``note`` says why (the audit's messages)."""

    row: int
    col: int
    value: Decimal | str
    text: str
    role: str = "text"
    rows: int = 1
    cols: int = 1
    note: str = ""


@attrs.frozen
class Sheet:
    """The form as cells: ``ncols`` wide, ``nrows`` high, every position covered once.

    ``head_row`` is the 绩效指标 heading's row (frozen and printed on every page);
    ``first_row`` / ``last_row`` the indicator rows; ``decimals`` the decimals each
    number role is shown with; ``audited`` whether the 复核 column is there."""

    title: str
    cells: tuple[Cell, ...]
    ncols: int
    nrows: int
    head_row: int
    first_row: int
    last_row: int
    decimals: dict[str, int]
    audited: bool
    #: the 年度总体目标 texts' row (tall enough to write in, in a blank form)
    goal_row: int = 6

    def at(self, row: int, col: int) -> Cell | None:
        """The cell starting at ``row``, ``col`` (None when covered by a merge or absent)."""
        for cell in self.cells:
            if cell.row == row and cell.col == col:
                return cell
        return None

    def lines(self) -> Iterator[list[Cell]]:
        """The cells of each row in column order (a covered position has none)."""
        for r in range(self.nrows):
            yield sorted((c for c in self.cells if c.row == r), key=lambda c: c.col)


_REVIEW_WORDS = {
    "zh": {"ok": "一致", "said": "{label}：计算 {computed}",
           "bad": "不一致（{labels}）：计算 {computed}", "sep": "、", "none": NOT_SCORED},
    "en": {"ok": "consistent", "said": "{label}: computed {computed}",
           "bad": "inconsistent ({labels}): computed {computed}", "sep": ", ",
           "none": "not scored"},
}


def review_text(entry: AuditEntry | None, lang: str = "zh") -> tuple[str, bool]:
    """The 复核 cell of an audited row, and whether it is a finding (not acceptable):
    ``一致``; ``不一致（错误）：计算 4.5``; ``可能：计算 0–5``; ``未申报：计算 5``; ``不计``
    (``lang="en"``: ``consistent``, ``inconsistent (wrong): computed 4.5`` …)."""
    t = _REVIEW_WORDS["en" if lang == "en" else "zh"]
    if entry is None:
        return t["none"], False
    computed = entry.computed_text(lang)
    if not entry.applicable and entry.status in ("unclaimed", "consistent"):
        return computed, False
    if entry.status == "consistent":
        return t["ok"], False
    if entry.status in ("feasible", "unclaimed"):
        return t["said"].format(label=status_label(entry.status, lang), computed=computed), False
    labels = t["sep"].join(status_label(c, lang) for c in entry.classes
                           if c not in ("feasible", "consistent", "unclaimed"))
    return t["bad"].format(labels=labels, computed=computed), True


def sheet_of(score: Scored, *, review: bool | None = None) -> Sheet:
    """The form of a scored project (``selfeval.score_project``'s result): with the
    复核 column when it was audited, unless ``review`` is False (``rubric score``: the
    table as rubric scores it); ``review=True`` without an audit is an error."""
    if review and score.audit is None:
        raise RubricError("the 复核 column needs an audited project",
                          expected="score_project(..., audit=True)")
    built = score.built
    return selfeval_sheet(score.project, score.result, built.row_ids,
                          budget_id=built.budget_id,
                          audit=score.audit if review is not False else None,
                          problems={p.index: p.message for p in built.problems},
                          warnings=(*built.warnings, *score.warnings))


def _title(project: Project, result: Result) -> str:
    year: object = project.year or result.metadata.get("fiscal_year") \
        or result.ruleset.metadata.fiscal_year
    return "项目支出绩效自评表" + (f"（{year}年度）" if year else "")


def _decimals(values: Sequence[Decimal]) -> int:
    """The decimals the longest of ``values`` needs (5 → 0, 2.5 → 1)."""
    return max((max(-int(v.normalize().as_tuple().exponent), 0)
                for v in values if v.is_finite()), default=0)


def _runs(keys: Sequence[object]) -> list[int]:
    """For each position, how many equal keys a run starting there covers (0 inside a
    run, 1 for a key of its own; an empty key never merges)."""
    spans = [0] * len(keys)
    i = 0
    while i < len(keys):
        n = 1
        while keys[i] not in ("", None) and i + n < len(keys) and keys[i + n] == keys[i]:
            n += 1
        spans[i] = n
        i += n
    return spans


class _Grid:
    """Cells placed row by row; ``fill`` covers the positions left with blank text."""

    def __init__(self, ncols: int) -> None:
        self.ncols = ncols
        self.cells: list[Cell] = []
        self.row = 0

    def put(self, col: int, value: Decimal | str | None, role: str = "text", *, rows: int = 1,
            cols: int = 1, note: str = "", row: int | None = None) -> None:
        shown: Decimal | str = "" if value is None else value
        self.cells.append(Cell(self.row if row is None else row, col, shown, "", role, rows,
                               cols, note))

    def fill(self, nrows: int) -> list[Cell]:
        covered = {(r, c) for cell in self.cells for r in range(cell.row, cell.row + cell.rows)
                   for c in range(cell.col, cell.col + cell.cols)}
        blanks = [Cell(r, c, "", "", "text") for r in range(nrows) for c in range(self.ncols)
                  if (r, c) not in covered]
        return self.cells + blanks


def selfeval_sheet(project: Project, result: Result, row_ids: Sequence[str | None], *,
                   budget_id: str | None = None, audit: AuditReport | None = None,
                   problems: Mapping[int, str] | None = None,
                   warnings: Sequence[str] = (), filed: bool = False) -> Sheet:
    """The 自评表 of ``project`` scored as ``result`` (``row_ids`` parallel to
    ``project.rows``: the indicator each row became, None for a placeholder row;
    ``budget_id`` the 预算执行率 row), with the 复核 column when ``audit`` is given.
    ``problems`` (by row index) say why a row was not scored (its 得分 or 复核 cell's
    note); ``warnings`` (about the filing) are listed under the table as 说明. The 得分
    cells are rubric's scores, or (``filed``, and always when audited) the project's
    own: a form to fill in has them blank."""
    problems = problems or {}
    nodes = {n.id: n for n in result.nodes()}
    entries = {e.id: e for e in audit.entries} if audit is not None else {}
    audited = audit is not None
    filed = filed or audited
    last = len(LEVEL_COLUMNS) + (1 if audited else 0)  # the last column's index
    g = _Grid(last + 1)

    def review(node_id: str | None, col: int, why: str = "") -> None:
        if audited:
            text, bad = review_text(entries.get(node_id) if node_id else None)
            entry = entries.get(node_id) if node_id else None
            notes = [why] if why else []  # the cell that could not be read, first
            notes += entry.messages if entry is not None else ()
            g.put(col, text, "finding" if bad else "review", note="；".join(notes))

    g.put(0, _title(project, result), "title", cols=last + 1)
    g.row = 1
    g.put(0, "项目名称", "label")
    g.put(1, project.name, cols=last)
    g.row = 2
    g.put(0, "主管部门", "label")
    g.put(1, project.department, cols=3)
    g.put(4, "实施单位", "label")
    g.put(5, project.unit, cols=last - 4)
    # 项目资金 (万元): headings, then the 年度资金总额 line
    funds = project.funds
    g.row = 3
    g.put(0, f"项目资金（{funds.unit}）", "label", rows=2)
    g.put(1, "", "head")
    for i, name in enumerate(_FUNDS):
        g.put(2 + i, name, "head", cols=2 if i == 5 else 1)
    if audited:
        g.put(last, REVIEW, "head")
    g.row = 4
    g.put(1, "年度资金总额", "head")
    for i, value in enumerate((funds.initial, funds.annual, funds.executed)):
        g.put(2 + i, value, "money")
    budget = nodes.get(budget_id) if budget_id else None
    g.put(5, funds.points if funds.points is not None else
          budget.max_points if budget is not None else None, "points")
    rate = _rate(project, result, budget_id)  # in percent; XLSX holds a percent cell's fraction
    g.put(6, rate / 100 if isinstance(rate, Decimal) else rate, "rate")
    if filed:
        g.put(7, funds.claimed, "score", cols=2)
    else:
        g.put(7, score_value(budget) if budget is not None else None, "score", cols=2)
    if audited:
        review(budget_id if budget is not None else None, last)
    # 年度总体目标
    g.row = 5
    g.put(0, "年度总体目标", "label", rows=2)
    g.put(1, "预期目标", "head", cols=4)
    g.put(5, "实际完成情况", "head", cols=4)
    g.row = 6
    g.put(1, project.goal, cols=4)
    g.put(5, project.achieved, cols=4)
    # 绩效指标
    head = 7
    rows = project.rows
    g.row = head
    g.put(0, "绩效指标", "label", rows=1 + len(rows))
    for i, name in enumerate(LEVEL_COLUMNS):
        g.put(1 + i, name, "head")
    if audited:
        g.put(last, REVIEW, "head")
    span1 = _runs([r.level1 for r in rows])
    span2 = _runs([(r.level1, r.level2) if r.level2 else "" for r in rows])
    for i, (row, node_id) in enumerate(zip(rows, _padded(row_ids, len(rows)))):
        g.row = head + 1 + i
        if span1[i]:
            g.put(1, row.level1, "head", rows=span1[i])
        if span2[i]:
            g.put(2, row.level2, "head", rows=span2[i])
        node = nodes.get(node_id) if node_id else None
        why = problems.get(i, "")
        _indicator_row(g, row, node, filed, why)
        if audited and node is None:
            g.put(last, NOT_SCORED + ("（填报有误）" if why else ""),
                  "finding" if why else "review", note=why)
        else:
            review(node_id, last, why)
    # 总分 and 自评等级
    total = result.total
    g.row = head + 1 + len(rows)
    g.put(0, "总分", "label", cols=6)
    g.put(6, total.max_points, "points")
    g.put(7, project.claimed_total if filed else score_value(total), "score")
    g.put(8, "")
    review(total.id, last)
    g.row += 1
    g.put(0, "自评等级", "label", cols=7)
    computed_grade = grade_text(result)
    g.put(7, (project.claimed_grade or "") if filed else computed_grade, "score")
    g.put(8, "")
    if audited:
        text, bad = _grade_review(project.claimed_grade, result)
        g.put(last, text, "finding" if bad else "review")
    blank_form = filed and not audited  # a form to fill in: nothing scored to note
    for label, text in [] if blank_form else _notes(result, warnings):
        g.row += 1
        g.put(0, label, "label")
        g.put(1, text, "note", cols=last)
    cells = g.fill(g.row + 1)
    decimals = _number_decimals(cells, result)
    shown = tuple(attrs.evolve(c, text=_text(c.value, c.role, decimals)) for c in cells)
    return Sheet(title=_title(project, result), cells=shown, ncols=last + 1, nrows=g.row + 1,
                 head_row=head, first_row=head + 1, last_row=head + len(rows),
                 decimals=decimals, audited=audited)


def _padded(row_ids: Sequence[str | None], n: int) -> list[str | None]:
    """``row_ids`` as long as the rows (a missing id is a row not scored)."""
    return [*row_ids[:n], *([None] * (n - len(row_ids)))]


def _indicator_row(g: _Grid, row: ProjectRow, node: NodeResult | None, filed: bool,
                   why: str) -> None:
    g.put(3, row.level3)
    g.put(4, row.target)
    g.put(5, row.actual)
    points = row.points if row.points is not None else node.max_points if node else None
    g.put(6, points, "points")
    if filed:
        g.put(7, row.claimed, "score")
    elif node is None:
        g.put(7, NOT_SCORED, "finding" if why else "score", note=why)
    else:  # a range when a cell could not be read: why, as the cell's note
        g.put(7, score_value(node), "score", note=why)
    g.put(8, row.remarks)


def _rate(project: Project, result: Result, budget_id: str | None) -> Decimal | str | None:
    """执行率 in percent: the % fact the 预算执行率 row reads (its template's
    denominator), else 全年执行数 / 全年预算数 × 100 from the 资金 block."""
    if budget_id is not None:
        node = result.ruleset.node(budget_id) if budget_id in result.scores() else None
        for name in node.rule.inputs if isinstance(node, Indicator) else ():
            value = result.value(name)
            if result.ruleset.units.get(name) == "%" and isinstance(value, Decimal):
                return value
    funds = project.funds
    if funds.executed is not None and funds.annual:
        return funds.executed / funds.annual * 100
    return funds.claimed_rate


def _grade_review(claimed: str | None, result: Result) -> tuple[str, bool]:
    computed = grade_text(result) or "—"
    if not claimed:
        return f"{status_label('unclaimed')}：计算 {computed}", False
    if claimed in result.grades:
        return ("一致", False) if len(result.grades) == 1 else (
            f"{status_label('feasible')}：计算 {computed}", False)
    return f"不一致：计算 {computed}", True


def _notes(result: Result, warnings: Sequence[str]) -> list[tuple[str, str]]:
    """The lines under the table: how the total was rescaled, the facts it lacks, and
    what the build found about the filing (说明)."""
    out = []
    rescaled = result.rescaling_text()
    if rescaled is not None:
        out.append((word("rescaled_label"), rescaled))
    if result.total.missing:
        out.append((word("missing_facts"), "、".join(result.total.missing)))
    if warnings:
        out.append(("说明", "\n".join(dict.fromkeys(warnings))))
    return out


def _number_decimals(cells: Sequence[Cell], result: Result) -> dict[str, int]:
    """Decimals per number role: 万元 at 2 or more, 分值 as they need, 得分 at the
    policy's precision (or a filed claim's own, if longer), 执行率 at 2."""
    def need(role: str) -> int:
        return _decimals([c.value for c in cells if c.role == role
                          and isinstance(c.value, Decimal)])
    return {"money": max(need("money"), 2), "points": need("points"),
            "score": max(result.ruleset.policy.precision, need("score")), "rate": 2}


def _text(value: Decimal | str, role: str, decimals: dict[str, int]) -> str:
    """A cell as shown: a number at its role's decimals (a rate with ``%``)."""
    if not isinstance(value, Decimal):
        return value
    places = decimals.get(role)
    if places is None or not value.is_finite():
        return fmt(value)
    if role == "rate":
        return f"{value * 100:.{places}f}%"
    return f"{value:.{places}f}"
