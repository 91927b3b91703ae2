"""The report of a project self-evaluation: the filed 自评表 layout in XLSX and HTML.

A project table (财预〔2020〕10号 附件2) scored against a small hand-written ruleset: the
workbook is reopened with openpyxl (merged ranges, values, number formats, print setup,
the 复核 column when audited); the HTML is parsed for its spans and opened in headless
Chromium when it is installed.
"""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headless import browser_flags, screenshot
from rubric import Claimed, RubricError, audit, evaluate, load_ruleset
from rubric.audit import AuditReport
from rubric.engine.evaluation import Result
from rubric.present.selfeval_layout import NOT_SCORED, review_text, selfeval_sheet
from rubric.present.selfeval_report import selfeval_html, write_selfeval_report
from rubric.selfeval.project import Funds, Project, ProjectRow

D = Decimal

RULESET = """
rubric: 1
metadata: {id: test-project, name: 某培训项目, fiscal_year: 2023}
policy:
  precision: 2
  not_applicable: renormalise
  grades:
    - {name: 优, minimum: 90}
    - {name: 良, minimum: 80}
    - {name: 中, minimum: 60}
    - {name: 差, minimum: 0}
facts:
  全年预算数: {unit: 万元, minimum: 0}
  全年执行数: {unit: 万元, minimum: 0}
  预算执行率: {unit: "%", formula: 全年执行数 / 全年预算数 * 100}
  培训人次: {unit: 人次, minimum: 0}
  验收合格率: {unit: "%", minimum: 0, maximum: 100}
  完成月数: {minimum: 0}
  成本: {unit: 万元, minimum: 0}
  受益群众: {unit: 人, minimum: 0}
  满意度: {unit: "%", minimum: 0, maximum: 100}
root: {id: 总分, name: 总分, max_points: 100}
indicators:
  - id: 预算执行率
    max_points: 10
    rule: {kind: ratio, actual: 预算执行率, target: 100, points: 10}
  - id: 产出指标
    max_points: 50
    children:
      - id: 数量指标
        children:
          - id: 培训人次
            max_points: 10
            rule: {kind: ratio, actual: 培训人次, target: 500, points: 10}
      - id: 质量指标
        children:
          - id: 验收合格率
            max_points: 15
            rule: {kind: ratio, actual: 验收合格率, target: 95, points: 15}
      - id: 时效指标
        children:
          - id: 完成时间
            max_points: 15
            rule: {kind: ratio, actual: 完成月数, target: 12, points: 15, reverse: true}
      - id: 成本指标
        children:
          - id: 成本控制
            max_points: 10
            rule: {kind: ratio, actual: 成本, target: 50, points: 10, reverse: true}
  - id: 效益指标
    max_points: 30
    children:
      - id: 社会效益指标
        children:
          - id: 受益群众人数
            max_points: 30
            rule: {kind: ratio, actual: 受益群众, target: 1000, points: 30}
  - id: 满意度指标
    max_points: 10
    children:
      - id: 服务对象满意度指标
        children:
          - id: 服务对象满意度
            max_points: 10
            rule: {kind: ratio, actual: 满意度, target: 90, points: 10}
"""

FACTS = {"全年预算数": 100, "全年执行数": 95, "培训人次": 520, "验收合格率": 90,
         "成本": "/", "受益群众": 1200, "满意度": 95}  # 完成月数 missing


def _row(l1: str, l2: str, l3: str, target: str, actual: str, points: int,
         claimed: str | None, remarks: str = "") -> ProjectRow:
    return ProjectRow(l1, l2, l3, target, actual, D(points),
                      None if claimed is None else D(claimed), remarks)


ROWS = (
    _row("产出指标", "数量指标", "培训人次", "≥500人次", "520人次", 10, "10"),
    _row("产出指标", "数量指标", "指标1", "", "", 0, None),
    _row("产出指标", "质量指标", "验收合格率", "≥95%", "90%", 15, "15", "部分学员补考未完成"),
    _row("产出指标", "时效指标", "完成时间", "12月底前", "", 15, "15"),
    _row("产出指标", "成本指标", "成本控制", "≤50万元", "/", 10, None),
    _row("效益指标", "社会效益指标", "受益群众人数", "≥1000人", "1200人", 30, "30"),
    _row("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", 10, "10"),
)
IDS = ("培训人次", None, "验收合格率", "完成时间", "成本控制", "受益群众人数", "服务对象满意度")
PROJECT = Project(
    name="2023年职业技能培训项目", department="某县人力资源和社会保障局", unit="某县就业服务中心",
    year=2023, goal="完成职业技能培训500人次，验收合格率不低于95%。",
    achieved="培训520人次，合格率90%。",
    funds=Funds(initial=D(80), annual=D(100), executed=D(95), points=D(10), claimed=D("9.5")),
    rows=ROWS, claimed_total=D(95), claimed_grade="优")


@attrs.frozen
class _Problem:
    index: int
    message: str


@attrs.frozen
class _Built:
    row_ids: tuple[str | None, ...]
    budget_id: str | None
    warnings: tuple[str, ...] = ()
    problems: tuple[_Problem, ...] = ()


@attrs.frozen
class _Score:
    """Stands for ``selfeval.build.ProjectScore``: what the report reads of it."""

    project: Project
    built: _Built
    result: Result
    audit: AuditReport | None
    warnings: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def scored() -> _Score:
    ruleset = load_ruleset(RULESET)
    return _Score(PROJECT, _Built(IDS, "预算执行率"), evaluate(ruleset, FACTS), None)


@pytest.fixture(scope="module")
def audited(scored: _Score) -> _Score:
    scores = {i: r.claimed for i, r in zip(IDS, ROWS) if i is not None and r.claimed is not None}
    claimed = Claimed(scores=scores | {"预算执行率": D("9.5")}, total=D(95))
    report = audit(scored.result.ruleset, FACTS, claimed)
    return attrs.evolve(scored, audit=report)


def _book(tmp_path: Path, score: _Score, name: str = "t.xlsx") -> Any:
    out = tmp_path / name
    assert write_selfeval_report(score, out) == "xlsx"
    return openpyxl.load_workbook(out).active


def _find(ws: Any, text: str) -> Any:
    hits = [c for row in ws.iter_rows() for c in row if c.value == text]
    assert len(hits) == 1, (text, hits)
    return hits[0]


# ---------------------------------------------------------------------------- layout


def test_scores_behind_the_report(scored: _Score) -> None:
    """The hand-computed rows the report must show (ratio rows, 2 decimals)."""
    r = scored.result
    assert r["预算执行率"].score == D("9.5")  # 95 / 100 × 10
    assert r["验收合格率"].score == D("14.21")  # 90 / 95 × 15 = 14.2105…
    assert (r["完成时间"].low, r["完成时间"].high) == (D(0), D(15))  # 完成月数 missing
    assert not r["成本控制"].applicable  # "/"


def test_xlsx_header_blocks(tmp_path: Path, scored: _Score) -> None:
    ws = _book(tmp_path, scored)
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert ws["A1"].value == "项目支出绩效自评表（2023年度）" and "A1:I1" in merged
    assert (ws["A2"].value, ws["B2"].value) == ("项目名称", "2023年职业技能培训项目")
    assert "B2:I2" in merged
    assert (ws["A3"].value, ws["B3"].value, ws["E3"].value, ws["F3"].value) == (
        "主管部门", "某县人力资源和社会保障局", "实施单位", "某县就业服务中心")
    assert {"B3:D3", "F3:I3", "A4:A5", "H4:I4", "H5:I5"} <= merged
    assert ws["A4"].value == "项目资金（万元）"
    assert [ws.cell(4, c).value for c in range(3, 9)] == [
        "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"]
    assert [ws.cell(5, c).value for c in range(2, 9)] == [
        "年度资金总额", 80, 100, 95, 10, 0.95, 9.5]
    assert ws["C5"].number_format == "0.00"  # 万元 at 2 decimals
    assert ws["G5"].number_format == "0.00%"  # 执行率 a percent cell: 0.95 shows 95.00%
    assert ws["H5"].number_format == "0.00"  # 得分 at the policy's precision
    assert (ws["A6"].value, ws["B6"].value, ws["F6"].value) == (
        "年度总体目标", "预期目标", "实际完成情况")
    assert ws["B7"].value == PROJECT.goal and ws["F7"].value == PROJECT.achieved
    assert {"A6:A7", "B6:E6", "F6:I6", "B7:E7", "F7:I7"} <= merged


def test_xlsx_indicator_rows(tmp_path: Path, scored: _Score) -> None:
    ws = _book(tmp_path, scored)
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert [ws.cell(8, c).value for c in range(1, 10)] == [
        "绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
        "偏差原因分析及改进措施"]
    assert ws.max_column == 9  # not audited: no 复核 column
    # 绩效指标 over the heading and the 7 rows; 产出指标 over its 5; 数量指标 over 2
    assert {"A8:A15", "B9:B13", "C9:C10"} <= merged
    assert "C11:C11" not in merged and not any(m.startswith("B14") for m in merged)
    line = {ws.cell(r, 4).value: r for r in range(9, 16)}
    def cells(name: str) -> list[Any]:
        return [ws.cell(line[name], c).value for c in range(4, 10)]
    assert cells("培训人次") == ["培训人次", "≥500人次", "520人次", 10, 10, None]
    assert cells("验收合格率") == ["验收合格率", "≥95%", "90%", 15, 14.21, "部分学员补考未完成"]
    assert ws.cell(line["验收合格率"], 8).number_format == "0.00"
    assert cells("完成时间")[3:5] == [15, "0–15"]  # missing facts: the score's range
    assert cells("成本控制")[3:5] == [10, "不计"]  # "/": not applicable
    assert cells("指标1")[3:5] == [0, NOT_SCORED]  # a placeholder row
    t = _find(ws, "总分").row
    assert t == 16 and "A16:F16" in merged
    assert ws.cell(t, 7).value == 100
    # applicable 90 (成本控制 不计): (9.5 + 10 + 14.21 + 30 + 10) / 90 × 100 = 81.90, and
    # with 完成时间's 15: 88.71 / 90 × 100 = 98.57
    assert ws.cell(t, 8).value == "81.9–98.57"
    g = _find(ws, "自评等级").row
    assert ws.cell(g, 8).value == "/".join(scored.result.grades)
    # the total was rescaled to the applicable 90 points: said under the table
    note = _find(ws, "折算").row
    assert ws.cell(note, 2).value == scored.result.rescaling_text()
    assert _find(ws, "缺少事实").row == note + 1
    assert ws.cell(note + 1, 2).value == "完成月数"


def test_xlsx_print_setup_and_frozen_header(tmp_path: Path, scored: _Score) -> None:
    ws = _book(tmp_path, scored)
    assert ws.freeze_panes == "A9"  # down to the 绩效指标 heading
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$8:$8"
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert widths["D"] >= 12 and widths["I"] >= 14  # 三级指标 and the remarks are wide
    assert ws["A1"].font.bold and ws["B8"].font.bold
    # the grid: every cell under the title (a merge's first cell for the merge) has its
    # thin border (openpyxl draws a merge's edges from its first cell)
    from openpyxl.cell.cell import MergedCell

    cells = [c for row in ws.iter_rows(min_row=2, max_row=ws.max_row, max_col=9)
             for c in row if not isinstance(c, MergedCell)]
    assert len(cells) > 60
    assert all(c.border.left.style == c.border.bottom.style == "thin" for c in cells)
    assert ws["A1"].border.left.style is None


def test_xlsx_same_bytes(tmp_path: Path, scored: _Score, audited: _Score) -> None:
    for score in (scored, audited):  # audited: with the findings' comments
        write_selfeval_report(score, tmp_path / "a.xlsx")
        write_selfeval_report(score, tmp_path / "b.xlsx")
        assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


# ---------------------------------------------------------------------------- audited


def test_xlsx_review_column(tmp_path: Path, audited: _Score) -> None:
    ws = _book(tmp_path, audited)
    assert ws.max_column == 10 and ws["J8"].value == "复核" and ws["J4"].value == "复核"
    assert "A1:J1" in {str(m) for m in ws.merged_cells.ranges}
    line = {ws.cell(r, 4).value: r for r in range(9, 16)}
    def review(name: str) -> Any:
        return ws.cell(line[name], 10).value
    # audited, 得分 is what was filed; 复核 compares it with the computed score
    assert ws.cell(line["验收合格率"], 8).value == 15
    assert review("验收合格率") == "不一致（错误）：计算 14.21"
    assert ws.cell(line["验收合格率"], 10).font.color.rgb.endswith("C00000")
    assert ws.cell(line["验收合格率"], 10).comment is not None
    assert review("培训人次") == "一致" and review("服务对象满意度") == "一致"
    assert review("完成时间") == "可能：计算 0–15"
    assert review("成本控制") == "不计"
    assert review("指标1") == NOT_SCORED
    assert ws["H5"].value == 9.5 and ws["J5"].value == "一致"  # the 预算执行率 row
    t = _find(ws, "总分").row
    assert ws.cell(t, 8).value == 95  # the filed 总分
    assert ws.cell(t, 10).value == "可能：计算 81.9–98.57"  # 95 is a total the facts allow
    g = _find(ws, "自评等级").row
    assert ws.cell(g, 8).value == "优"
    assert ws.cell(g, 10).value == "可能：计算 " + "/".join(audited.result.grades)


def test_review_texts(audited: _Score) -> None:
    report = audited.audit
    assert report is not None
    assert review_text(report["培训人次"]) == ("一致", False)
    assert review_text(report["验收合格率"]) == ("不一致（错误）：计算 14.21", True)
    assert review_text(None) == (NOT_SCORED, False)
    unclaimed = attrs.evolve(report["培训人次"], classes=("unclaimed",), claimed=None)
    assert review_text(unclaimed) == ("未申报：计算 10", False)
    assert review_text(report["验收合格率"], "en") == (
        "inconsistent (wrong): computed 14.21", True)
    assert review_text(unclaimed, "en") == ("unclaimed: computed 10", False)


def test_rate_follows_the_rows_fact(scored: _Score) -> None:
    """执行率 is the % fact the 预算执行率 row reads (its template's denominator), not
    B/A recomputed: here both say 95."""
    sheet = selfeval_sheet(PROJECT, scored.result, IDS, budget_id="预算执行率")
    rate = sheet.at(4, 6)
    assert rate is not None and rate.value == D("0.95") and rate.text == "95.00%"
    other = attrs.evolve(PROJECT, funds=attrs.evolve(PROJECT.funds, annual=D(200)))
    no_budget = selfeval_sheet(other, scored.result, IDS, budget_id=None)
    assert no_budget.at(4, 6).text == "47.50%"  # 95 / 200, from the 资金 block


def test_row_problems_and_warnings(tmp_path: Path, audited: _Score) -> None:
    """A row the build could not read says so (the error as the cell's comment); what the
    build found about the filing is listed under the table as 说明."""
    why = "p.yaml:9: 年度指标值 '≥约95%' cannot be read"
    built = _Built(IDS, "预算执行率", ("产出指标: 表中印 45 分，模板为 50 分",),
                   (_Problem(1, why),))
    score = attrs.evolve(audited, built=built, warnings=("自评等级: 表中为“优”，按得分应为“良”",))
    ws = _book(tmp_path, score)
    row = _find(ws, "指标1").row
    assert ws.cell(row, 10).value == NOT_SCORED + "（填报有误）"
    assert ws.cell(row, 10).comment.text.startswith(why)
    note = _find(ws, "说明").row
    assert ws.cell(note, 2).value == ("产出指标: 表中印 45 分，模板为 50 分\n"
                                      "自评等级: 表中为“优”，按得分应为“良”")
    unaudited = _book(tmp_path, attrs.evolve(score, audit=None), "u.xlsx")
    assert unaudited.cell(row, 8).value == NOT_SCORED
    assert unaudited.cell(row, 8).comment.text.startswith(why)


def test_a_row_scored_as_a_range_because_a_cell_was_unreadable_says_why(
        tmp_path: Path) -> None:
    """A row whose 实际完成值 could not be read stays in the table as a range; the 得分
    (and, audited, the 复核) cell carries the error, as a row not scored does."""
    from rubric import load_template, read_project, score_project

    path = tmp_path / "p.yaml"
    path.write_text("项目名称: p\n年度: 2023\n"
                    "项目资金: {全年预算数: 100, 全年执行数: 100, 分值: 10}\n"
                    "绩效指标:\n  - {一级指标: 产出指标, 二级指标: 质量指标, 三级指标: 合格率, "
                    "年度指标值: ≥95%, 实际完成值: '0.96', 分值: 50, 得分: 50}\n",
                    encoding="utf-8")
    score = score_project(read_project(path), load_template("10号"))
    (problem,) = score.built.problems
    assert "could be a fraction or a percent" in problem.message
    audited = _book(tmp_path, score, "a.xlsx")
    row = _find(audited, "合格率").row
    assert audited.cell(row, 10).value.endswith("0–50")
    assert problem.message in audited.cell(row, 10).comment.text
    unaudited = _book(tmp_path, attrs.evolve(score, audit=None), "u.xlsx")
    assert unaudited.cell(row, 8).value == "0–50"
    assert unaudited.cell(row, 8).comment.text.startswith(problem.message)


def test_every_position_covered_once(scored: _Score, audited: _Score) -> None:
    for score in (scored, audited):
        sheet = selfeval_sheet(PROJECT, score.result, IDS, budget_id="预算执行率",
                               audit=score.audit)
        seen: dict[tuple[int, int], int] = {}
        for c in sheet.cells:
            for r in range(c.row, c.row + c.rows):
                for k in range(c.col, c.col + c.cols):
                    seen[(r, k)] = seen.get((r, k), 0) + 1
        assert set(seen.values()) == {1}
        assert len(seen) == sheet.nrows * sheet.ncols


# ------------------------------------------------------------------------------- HTML


class _Table(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, dict[str, str | None]]]] = []
        self._cell: dict[str, str | None] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell, self._text = dict(attrs_), ""

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append((self._text, self._cell))
            self._cell = None


def _parsed(page: str) -> _Table:
    table = _Table()
    table.feed(page)
    return table


def test_html_layout(scored: _Score) -> None:
    page = selfeval_html(scored)
    assert '<meta charset="utf-8">' in page
    assert "<title>项目支出绩效自评表（2023年度）</title>" in page
    table = _parsed(page)
    cells = {text: a for row in table.rows for text, a in row}
    assert cells["项目支出绩效自评表（2023年度）"]["colspan"] == "9"
    assert cells["绩效指标"]["rowspan"] == "8"
    assert cells["产出指标"]["rowspan"] == "5" and cells["数量指标"]["rowspan"] == "2"
    assert cells["14.21"]["class"] == "score" and "0–15" in cells and "95.00%" in cells
    assert "复核" not in cells
    # every row spans the same 9 columns, counting the merges from above
    assert _widths(table) == {9}


def _widths(table: _Table) -> set[int]:
    """The columns each row covers, with rowspans from the rows above."""
    carry: dict[int, int] = {}
    widths = set()
    for row in table.rows:
        col, width = 0, 0
        cells = iter(row)
        pending = dict(carry)
        carry = {}
        while True:
            if pending.get(col, 0) > 0:
                if pending[col] > 1:
                    carry[col] = pending[col] - 1
                col += 1
                width += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            span = int(cell[1].get("colspan") or 1)
            rows = int(cell[1].get("rowspan") or 1)
            for k in range(col, col + span):
                if rows > 1:
                    carry[k] = rows - 1
            col += span
            width += span
        while pending.get(col, 0) > 0:  # trailing cells covered from above
            if pending[col] > 1:
                carry[col] = pending[col] - 1
            col += 1
            width += 1
        widths.add(width)
    return widths


def test_html_audited(audited: _Score) -> None:
    table = _parsed(selfeval_html(audited))
    cells = {text: a for row in table.rows for text, a in row}
    finding = cells["不一致（错误）：计算 14.21"]
    assert finding["class"] == "finding" and finding["title"]
    assert cells["复核"]["class"] == "head"
    assert _widths(table) == {10}


def test_html_escapes_filed_text(scored: _Score) -> None:
    project = attrs.evolve(PROJECT, name="<script>alert(1)</script>")
    page = selfeval_html(attrs.evolve(scored, project=project))
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


CUSTOM = """{% extends "rubric/selfeval.html.j2" %}
{% block footer %}<p class="sign">复核人：{{ project.unit }}</p>{% endblock %}
"""


def test_html_custom_template(tmp_path: Path, scored: _Score) -> None:
    template = tmp_path / "mine.html.j2"
    template.write_text(CUSTOM, encoding="utf-8")
    out = tmp_path / "t.html"
    assert write_selfeval_report(scored, out, template=template) == "html"
    page = out.read_text(encoding="utf-8")
    assert '<p class="sign">复核人：某县就业服务中心</p>' in page and "14.21" in page


@pytest.mark.parametrize(("name", "fmt", "template", "message"), [
    ("t.pdf", None, None, "cannot write a self-evaluation report as 'pdf'"),
    ("t.xlsx", None, "x.html.j2", "a template is for the HTML report, not xlsx"),
    ("t.html", None, "no-such.html.j2", "no-such.html.j2: no such template file"),
    ("t", "csv", None, "cannot write a self-evaluation report as 'csv'"),
    ("t.xlsx", "review", None, "the 复核 column needs an audited project"),
])
def test_bad_output_is_a_clear_error(tmp_path: Path, scored: _Score, name: str,
                                     fmt: str | None, template: str | None,
                                     message: str) -> None:
    with pytest.raises(RubricError, match=message.replace("(", r"\(")):
        write_selfeval_report(scored, tmp_path / name, None if fmt == "review" else fmt,
                              template=None if template is None else tmp_path / template,
                              review=True if fmt == "review" else None)
    assert not (tmp_path / name).exists()


def test_html_in_a_headless_browser(tmp_path: Path, audited: _Score) -> None:
    flags = browser_flags(tmp_path)
    page, shot = tmp_path / "t.html", tmp_path / "shot.png"
    write_selfeval_report(audited, page)
    data = screenshot(flags, page, shot, "1100,1000")
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a page of CJK text


# ------------------------------------------------- a filed project, read and scored by B's pipeline

FILED = """项目名称: 2023年职业技能培训项目
主管部门: 某县人力资源和社会保障局
实施单位: 某县就业服务中心
年度: 2023
项目资金: {单位: 万元, 年初预算数: 80, 全年预算数: 100, 全年执行数: 95, 分值: 10, 得分: 9.5}
年度总体目标: {预期目标: 培训500人次, 实际完成情况: 培训450人次}
绩效指标:
  - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 培训人次, 年度指标值: ≥500人次,
     实际完成值: 450人次, 分值: 20, 得分: 20, 偏差原因分析及改进措施: 报名不足}
  - {二级指标: 质量指标, 三级指标: 培训合格率, 年度指标值: ≥95%, 实际完成值: 96%,
     分值: 15, 得分: 15}
  - {二级指标: 时效指标, 三级指标: 指标1}
  - {二级指标: 时效指标, 三级指标: 完成时间, 年度指标值: 12月底前, 实际完成值: "",
     分值: 15, 得分: 15}
  - {一级指标: 效益指标, 二级指标: 社会效益指标, 三级指标: 受益群众, 年度指标值: ≥1000人,
     实际完成值: /, 分值: 30}
  - {一级指标: 满意度指标, 二级指标: 服务对象满意度指标, 三级指标: 满意度, 年度指标值: ≥90%,
     实际完成值: 95%, 分值: 10, 得分: 10}
总分: 79.5
自评等级: 中
"""


@pytest.mark.parametrize("command", ["score", "audit"])
def test_filed_project_scored_and_audited(tmp_path: Path, command: str) -> None:
    """A project read as filed and scored by the 10号 template, laid out as the form:
    rubric's scores (``rubric score FILE --template 10号 -o X.xlsx``) or the filed 得分
    with the 复核 column (``rubric audit …``)."""
    from rubric.cli import main

    source = tmp_path / "p.yaml"
    source.write_text(FILED, encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert main([command, str(source), "--template", "10号", "-o", str(out)]) in (0, 1)
    ws = openpyxl.load_workbook(out).active
    line = {ws.cell(r, 4).value: r for r in range(9, 15)}
    assert list(line) == ["培训人次", "培训合格率", "指标1", "完成时间", "受益群众", "满意度"]
    assert ws["A1"].value == "项目支出绩效自评表（2023年度）"
    assert {"B9:B12", "C11:C12"} <= {str(m) for m in ws.merged_cells.ranges}
    assert ws.cell(line["培训人次"], 9).value == "报名不足"
    assert ws["G5"].value == 0.95 and ws["C5"].value == 80
    if command == "score":
        assert ws.max_column == 9
        assert ws.cell(line["培训人次"], 8).value == 18  # 450 / 500 × 20
        assert ws.cell(line["完成时间"], 8).value == "0–15"  # no actual: the range
        assert ws.cell(line["受益群众"], 8).value == "不计"
        assert ws.cell(line["指标1"], 8).value == NOT_SCORED
        assert ws["H5"].value == 9.5
        return
    assert ws.max_column == 10
    review = {name: ws.cell(r, 10).value for name, r in line.items()}
    assert review == {"培训人次": "不一致（错误）：计算 18", "培训合格率": "一致",
                      "指标1": NOT_SCORED, "完成时间": "可能：计算 0–15",
                      "受益群众": "不计", "满意度": "一致"}
    assert ws.cell(line["培训人次"], 8).value == 20  # as filed
    assert ws["H5"].value == 9.5 and ws["J5"].value == "一致"


@pytest.mark.parametrize("settled", [True, False], ids=["settled", "with-notes"])
def test_audited_report_reads_back_as_the_filed_project(tmp_path: Path, settled: bool) -> None:
    """Audited, the report is the project's own table (得分 as filed): ``read_project``
    reads it back to the project that was filed, field for field — with or without the
    lines under the table (折算, 缺少事实, 说明)."""
    from rubric.cli import main
    from rubric.selfeval.read import read_project

    source = tmp_path / "p.yaml"  # settled: every row settled, no lines under the table
    text = FILED.replace('实际完成值: "",', "实际完成值: 2023年11月,").replace(
        "实际完成值: /, 分值: 30}", "实际完成值: 1200人, 分值: 30, 得分: 30}").replace(
        "总分: 79.5\n自评等级: 中", "总分: 97.5\n自评等级: 优") if settled else FILED
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "复核.xlsx"
    main(["audit", str(source), "--template", "10号", "--output", str(out)])

    def plain(project: Project) -> Project:
        return attrs.evolve(project, source=None, funds=attrs.evolve(project.funds, location=None),
                            rows=tuple(attrs.evolve(r, location=None, cells={})
                                       for r in project.rows))

    filed, back = plain(read_project(source)), plain(read_project(out))
    ws = openpyxl.load_workbook(out).active
    assert _find(ws, "总分").row == 8 + len(filed.rows) + 1
    assert ("缺少事实" in [c.value for row in ws.iter_rows() for c in row]) is not settled
    assert back.rows == filed.rows and back.funds.claimed == filed.funds.claimed
    assert attrs.evolve(back, funds=filed.funds) == filed
    assert back.funds.claimed_rate == D(95)  # the percent cell read as 95%


# ------------------------------------------------------------------ any project's layout

_levels = st.lists(st.tuples(st.sampled_from(["产出指标", "效益指标", "满意度指标"]),
                             st.sampled_from(["", "数量指标", "质量指标"])),
                   min_size=0, max_size=9)


@settings(max_examples=60, deadline=None)
@given(levels=_levels, audited_=st.booleans())
def test_any_projects_form_covers_every_position_once(levels: list[tuple[str, str]],
                                                       audited_: bool) -> None:
    """Whatever rows a project files (none, repeated levels, levels coming back, no 二级),
    every position of the form is covered by exactly one cell, and the 一级/二级 merges
    are exactly the runs of equal levels."""
    ruleset = load_ruleset(RULESET)
    result = evaluate(ruleset, FACTS)
    rows = tuple(_row(l1, l2, f"指标{i}", "", "", 0, None) for i, (l1, l2) in enumerate(levels))
    project = attrs.evolve(PROJECT, rows=rows)
    report = audit(ruleset, FACTS, Claimed()) if audited_ else None
    sheet = selfeval_sheet(project, result, [None] * len(rows), audit=report)
    seen: dict[tuple[int, int], int] = {}
    for c in sheet.cells:
        for r in range(c.row, c.row + c.rows):
            for k in range(c.col, c.col + c.cols):
                seen[(r, k)] = seen.get((r, k), 0) + 1
    assert set(seen.values()) == {1} and len(seen) == sheet.nrows * sheet.ncols
    assert sheet.ncols == (10 if audited_ else 9)
    for col, key in ((1, lambda r: r.level1), (2, lambda r: (r.level1, r.level2))):
        starts = [c for c in sheet.cells if c.col == col and sheet.first_row <= c.row
                  <= sheet.last_row]
        for cell in starts:
            run = rows[cell.row - sheet.first_row: cell.row - sheet.first_row + cell.rows]
            assert len({key(r) for r in run}) == 1
            after = cell.row - sheet.first_row + cell.rows
            if after < len(rows) and (col == 1 or rows[after].level2):
                assert key(rows[after]) != key(run[0])  # a run ends where the level changes
