"""Scoring a project's self-evaluation (财预〔2020〕10号 附件2) with a template.

Three projects written by the test in the filed XLSX layout (title rows, merged cells,
the 资金 block, the 总分 row): one fully met, one with shortfalls and a reverse target,
one with qualitative rows, a ``/`` row and a blank 得分. Each is scored and audited, and
every expected score is computed by hand in the comments. The same projects are read
from CSV and YAML; bad cells are reported per row, naming the cell.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rubric.errors import FileError, LoadError, RubricError
from rubric.selfeval.build import build_project, score_project
from rubric.selfeval.read import read_project, read_projects
from rubric.selfeval.template import load_template
from selfeval_files import write_csv, write_workbook, write_xlsx, write_yaml

D = Decimal
TEN = load_template("10号")

FULLY_MET: dict[str, Any] = {
    "name": "某县农村道路建设项目", "department": "某县交通运输局", "unit": "某县公路中心",
    "year": 2023,
    "funds": {"initial": 100, "annual": 100, "executed": 100, "points": 10, "claimed": 10,
              "rate": "100%"},
    "rows": [
        ("产出指标", "数量指标", "新建道路长度", "≥10公里", "10.5公里", 15, 15),
        ("产出指标", "数量指标", "培训人次", "≥500人次", "520人次", 10, 10),
        ("产出指标", "质量指标", "验收合格率", "=100%", "100%", 10, 10),
        ("产出指标", "时效指标", "完工时间", "12月底前", "2023年11月", 5, 5),
        ("产出指标", "成本指标", "单位造价", "≤90万元", "88万元", 10, 10),
        ("效益指标", "社会效益指标", "群众出行条件", "有所提升", "达成预期指标", 15, 15),
        ("效益指标", "经济效益指标", "带动就业人数", "≥50人", "60人", 15, 15),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "96%", 10, 10),
        ("满意度指标", "服务对象满意度指标", "指标2：", None, None, None, None),
    ],
    "total": 100, "grade": "优",
}

SHORTFALLS: dict[str, Any] = {
    "name": "某县设备购置项目", "department": "某县卫健局", "unit": "某县人民医院", "year": 2023,
    "funds": {"initial": 200, "annual": 200, "executed": 180, "points": 10, "claimed": 9,
              "rate": "90%"},
    "rows": [
        ("产出指标", "数量指标", "道路长度", "≥95公里", "92公里", 8, 7.75),
        ("产出指标", "数量指标", "设备数量", "≥85台", "80台", 5, 4.71),
        ("产出指标", "成本指标", "单位成本", "≤90万元", "100万元", 10, 9),
        ("产出指标", "质量指标", "合格率", "≥98%", "96%", 12, 12),
        ("产出指标", "时效指标", "完工时间", "9月前", "2023年10月", 15, 0),
        ("效益指标", "社会效益指标", "受益人数", "≥1000人", "900人", 30, 27),
        ("满意度指标", "服务对象满意度指标", "满意度", "≥90%", "85%", 10, 9.44),
    ],
    "total": 78.90, "grade": "良",
}

QUALITATIVE: dict[str, Any] = {
    "name": "某县培训项目", "department": "某县人社局", "unit": "某县培训中心", "year": 2023,
    "funds": {"initial": 100, "annual": 100, "executed": 90, "points": 10, "claimed": 9},
    "rows": [
        ("产出指标", "数量指标", "培训场次", "≥20场", "20场", 20, 20),
        ("产出指标", "质量指标", "培训质量", "达成预期", "达成", 15, 13),
        ("产出指标", "质量指标", "制度建设", "达成预期", "部分完成", 15, 13),
        ("效益指标", "社会效益指标", "社会影响", "有所提升", "达成预期指标", 20, None),
        ("效益指标", "生态效益指标", "生态效益", "/", "/", 10, None),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "92%", 10, 10),
    ],
    "total": 90, "grade": "优",
}


def scored(tmp_path: Path, project: dict[str, Any], name: str = "p.xlsx") -> Any:
    path = write_xlsx(tmp_path / name, project)
    return score_project(read_project(path), TEN)


# -- reading the filed layout -------------------------------------------------------

def test_the_filed_xlsx_layout_is_read_with_its_merged_cells_and_header_block(
        tmp_path: Path) -> None:
    project = read_project(write_xlsx(tmp_path / "p.xlsx", SHORTFALLS))
    assert (project.name, project.department, project.unit, project.year) == (
        "某县设备购置项目", "某县卫健局", "某县人民医院", 2023)
    f = project.funds
    assert (f.initial, f.annual, f.executed, f.points, f.claimed, f.claimed_rate) == (
        D(200), D(200), D(180), D(10), D(9), D(90))
    assert [r.level3 for r in project.rows] == [r[2] for r in SHORTFALLS["rows"]]
    # merged 一级/二级 cells filled down
    assert [(r.level1, r.level2) for r in project.rows] == [r[:2] for r in SHORTFALLS["rows"]]
    assert project.rows[0].claimed == D("7.75") and project.rows[4].claimed == 0
    assert project.claimed_total == D("78.9") and project.claimed_grade == "良"
    assert project.rows[2].cells["年度指标值"].path == "自评表!E15 年度指标值"


def test_csv_and_yaml_read_as_the_xlsx(tmp_path: Path) -> None:
    xlsx = read_project(write_xlsx(tmp_path / "p.xlsx", QUALITATIVE))
    for other in (read_project(write_csv(tmp_path / "p.csv", QUALITATIVE)),
                  read_project(write_yaml(tmp_path / "p.yaml", QUALITATIVE))):
        assert other.name == xlsx.name and other.year == xlsx.year
        assert other.funds.executed == xlsx.funds.executed
        strip = [(r.level1, r.level2, r.level3, r.target, r.actual, r.points, r.claimed)
                 for r in other.rows]
        assert strip == [(r.level1, r.level2, r.level3, r.target, r.actual, r.points,
                          r.claimed) for r in xlsx.rows]
        assert score_project(other, TEN).result.scores() == \
            score_project(xlsx, TEN).result.scores()


def test_one_sheet_per_project_reads_every_project_and_reports_a_bad_sheet(
        tmp_path: Path) -> None:
    bad = dict(SHORTFALLS, funds=dict(SHORTFALLS["funds"], executed="一百八十"))
    path = write_workbook(tmp_path / "many.xlsx", {"项目一": FULLY_MET, "项目二": bad,
                                                   "项目三": QUALITATIVE})
    first, second, third = read_projects(path)
    assert not isinstance(first, RubricError) and first.name == FULLY_MET["name"]
    assert isinstance(second, RubricError) and "项目二!E6" in str(second)
    assert not isinstance(third, RubricError) and third.source == f"{path} [项目三]"
    assert read_project(path, sheet="项目三").rows == third.rows


# -- project 1: everything met -------------------------------------------------------

def test_a_fully_met_project_scores_100_and_excellent(tmp_path: Path) -> None:
    s = scored(tmp_path, FULLY_MET)
    assert s.built.row_ids[-1] is None  # the placeholder 指标2： is left out
    assert not s.built.problems and not s.built.warnings
    # every row full; the qualitative row 达成 (15 × 80%–100% = 12–15) leaves a band
    assert (s.bands.low, s.bands.high) == (D(97), D(100))
    assert s.bands.grade == "优"
    # the evaluator's 15, inside the tier, settles it
    assert s.result.score == D(100) and s.result.grade == "优"
    assert s.audit.ok, s.audit.findings
    assert s.audit["总分"].status == "consistent"


# -- project 2: shortfalls and a reverse target --------------------------------------

def test_shortfalls_score_by_completion_ratio_and_the_reverse_target_inverts(
        tmp_path: Path) -> None:
    s = scored(tmp_path, SHORTFALLS)
    rows = dict(zip(s.built.row_ids, s.project.rows))
    scores = {rows[i].level3: s.result[i].score for i in rows if i}
    assert scores["道路长度"] == (D(8) * 92 / 95).quantize(D("0.01"))  # 7.7474 -> 7.75
    assert scores["设备数量"] == (D(5) * 80 / 85).quantize(D("0.01"))  # 4.7059 -> 4.71
    assert scores["单位成本"] == D(10) * 90 / 100  # reverse: 指标值/完成值 = 9
    assert scores["合格率"] == (D(12) * 96 / 98).quantize(D("0.01"))  # 11.7551 -> 11.76
    assert scores["完工时间"] == 0  # 9月前 read as by 30 September; finished in October
    assert scores["受益人数"] == D(27)
    assert scores["满意度"] == (D(10) * 85 / 90).quantize(D("0.01"))  # 9.44
    assert s.result[s.built.budget_id].score == D(9)  # 180 / 200 × 10
    # 9 + 7.75 + 4.71 + 9 + 11.76 + 0 + 27 + 9.44
    assert s.result.score == D("78.66") and s.result.grade == "中"
    reverse = s.result[s.built.row_ids[2]].explain()
    assert "目标值/实际值" in reverse and "min(1" in reverse
    assert "反向指标" in s.built.readings[s.built.row_ids[2]][-1]
    # audit: 合格率 printed 12 (11.76 rounded to whole points), the total 78.90 (computed
    # 78.66, with every printed row added up)
    assert {e.name: e.status for e in s.audit.findings} == {"合格率": "rounding", "总分": "wrong"}
    assert s.warnings == ("自评等级: 表中为“良”，按得分应为“中”",)


def test_a_deadline_month_is_read_by_the_template(tmp_path: Path) -> None:
    start = load_template("10号")
    import attrs

    start = attrs.evolve(start, month_reading="start")  # 9月前 = before September
    project = read_project(write_xlsx(tmp_path / "p.xlsx", SHORTFALLS))
    row_id = build_project(project, start).row_ids[4]
    explained = score_project(project, start).result[row_id].explain()
    assert "2023-08-31" in explained
    assert "2023-09-30" in score_project(project, TEN).result[row_id].explain()


# -- project 3: qualitative rows, a / row and a blank 得分 -----------------------------

def test_qualitative_tiers_not_applicable_row_and_blank_score(tmp_path: Path) -> None:
    s = scored(tmp_path, QUALITATIVE)
    ids = s.built.row_ids
    quality, system, impact, ecology = ids[1], ids[2], ids[3], ids[4]
    assert (s.bands[quality].low, s.bands[quality].high) == (D(12), D(15))  # 达成 80–100%
    assert (s.bands[system].low, s.bands[system].high) == (D(9), D(12))  # 部分达成 60–80%
    assert not s.bands[ecology].applicable
    assert s.built.unscored == (impact, ecology)
    # the audit checks each claim against its tier's band
    assert s.audit[quality].status == "consistent"  # 13 in [12, 15]
    assert s.audit[system].status == "impossible"  # 13 not in [9, 12)
    assert s.audit[impact].status == "unclaimed"
    # applicable 分值 90: 9 + 20 + [12,15] + [9,12] + [16,20] + 10 = 76–86 → ×100/90
    assert (s.bands.low, s.bands.high) == (D("84.44"), D("95.56"))
    assert s.bands.rescaled is not None and s.bands.rescaled.applicable_max == 90
    # the result takes the 13 inside 达成; 制度建设 (13 outside 部分达成) and 社会影响 (not
    # scored) stay bands: 9 + 20 + 13 + [9,12] + [16,20] + 10 = 77–84 → ×100/90
    assert s.result[quality].score == D(13)
    assert "评价人给分 13" in s.result[quality].explain()
    assert (s.result.low, s.result.high) == (D("85.56"), D("93.33"))


def test_claims_inside_their_tiers_settle_the_total_out_of_100(tmp_path: Path) -> None:
    settled = dict(QUALITATIVE, rows=[
        *QUALITATIVE["rows"][:2],
        ("产出指标", "质量指标", "制度建设", "达成预期", "部分完成", 15, 11),
        ("效益指标", "社会效益指标", "社会影响", "有所提升", "达成预期指标", 20, 17),
        *QUALITATIVE["rows"][4:]], total=D("88.89"), grade="良")
    s = scored(tmp_path, settled)
    # 9 + 20 + 13 + 11 + 17 + 10 = 80 of the applicable 90, rescaled: 80 / 90 × 100
    assert s.result.score == (D(80) * 100 / 90).quantize(D("0.01")) == D("88.89")
    assert s.result.grade == "良"
    assert s.audit.ok, s.audit.findings
    assert "按适用指标折算" in (s.result.rescaling_text() or "")


# -- bad cells: the row is reported, the others are scored ---------------------------

def test_an_unreadable_target_is_a_row_problem_naming_the_cell(tmp_path: Path) -> None:
    bad = dict(SHORTFALLS, rows=[("产出指标", "数量指标", "道路长度", "90%-100%", "92公里", 8,
                                  7.75), *SHORTFALLS["rows"][1:]])
    s = scored(tmp_path, bad)
    (problem,) = s.built.problems
    assert problem.index == 0
    assert "p.xlsx" in problem.message and "E13" in problem.message
    assert "年度指标值" in problem.message and "indicator '道路长度'" in problem.message
    # the row stays in the table as a range, never 0; the others are scored
    row = s.result[s.built.row_ids[0]]
    assert (row.low, row.high) == (D(0), D(8))
    assert s.result[s.built.row_ids[2]].score == D(9)
    assert not s.ok


def test_a_blank_points_cell_and_a_text_score_are_row_problems(tmp_path: Path) -> None:
    bad = dict(SHORTFALLS, rows=[("产出指标", "数量指标", "道路长度", "≥95公里", "92公里", None,
                                  7.75),
                                 ("产出指标", "数量指标", "设备数量", "≥85台", "80台", 5, "满分"),
                                 *SHORTFALLS["rows"][2:]])
    s = scored(tmp_path, bad)
    messages = [p.message for p in s.built.problems]
    assert len(messages) == 2
    assert "分值 is blank" in messages[0] and "G13" in messages[0]
    assert "'满分' is not a number" in messages[1] and "H14" in messages[1]
    assert s.built.row_ids[0] is None
    assert s.result[s.built.row_ids[1]].score == D("4.71")


def test_a_negative_points_cell_is_a_row_problem(tmp_path: Path) -> None:
    # it stopped the whole project with an error naming no file, row or indicator
    bad = dict(SHORTFALLS, rows=[("产出指标", "数量指标", "道路长度", "≥95公里", "92公里", -8, 0),
                                 *SHORTFALLS["rows"][1:]])
    s = scored(tmp_path, bad)
    (problem,) = s.built.problems
    assert "分值 -8 is negative" in problem.message and "G13" in problem.message
    assert "道路长度" in problem.message
    assert s.built.row_ids[0] is None
    assert s.result[s.built.row_ids[1]].score == D("4.71")


@pytest.mark.parametrize("target", ["90万元", "=90万元"])
def test_a_bare_cost_target_is_refused(tmp_path: Path, target: str) -> None:
    # under 成本指标, 90万元 read forward gave a 100万元 overrun full marks (100/90, capped)
    rows = list(SHORTFALLS["rows"])
    rows[2] = ("产出指标", "成本指标", "单位成本", target, "100万元", 10, 9)
    s = scored(tmp_path, dict(SHORTFALLS, rows=rows))
    (problem,) = s.built.problems
    assert f"年度指标值 '{target}' under 成本指标 gives no ≤ or ≥" in problem.message
    assert "E15" in problem.message and "≤90万元" in problem.message
    row = s.result[s.built.row_ids[2]]
    assert (row.low, row.high) == (D(0), D(10))  # a range, never full marks
    assert "成本指标下的年度指标值" in problem.error.text("zh")


def test_a_cost_target_with_its_bound_is_scored(tmp_path: Path) -> None:
    s = scored(tmp_path, SHORTFALLS)  # ≤90万元 against 100万元: 90/100 × 10
    assert not s.built.problems
    assert s.result[s.built.row_ids[2]].score == D(9)


def test_weights_that_do_not_add_up_are_a_warning(tmp_path: Path) -> None:
    short = dict(SHORTFALLS, rows=SHORTFALLS["rows"][1:])  # 产出 rows add up to 42
    s = scored(tmp_path, short)
    assert any("三级指标分值之和 42 ≠ 模板权重 50" in w for w in s.built.warnings)


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("p.txt", "x", "unknown file type"),
    ("p.xlsx", "not a workbook", "not an XLSX file"),
    ("p.yaml", "项目名称: x\n", "not a project self-evaluation file"),
    ("p.yaml", "项目名称: x\n绩效指标:\n  - {三级指标: a, 分值: 八}\n",
     "分值 '八' is not a number"),
])
def test_bad_files_are_clear_errors(tmp_path: Path, name: str, content: str,
                                    expected: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises((FileError, LoadError)) as info:
        read_project(path)
    assert expected in str(info.value) and str(path) in str(info.value)


@pytest.mark.parametrize("write", [write_xlsx, write_csv, write_yaml])
def test_an_amount_in_another_unit_than_the_funds_block_is_refused(
        tmp_path: Path, write: Any) -> None:
    # the block is in 万元: 4560000元 was read as 4560000 万元 (执行率 950000%, full marks)
    funds = dict(SHORTFALLS["funds"], annual="480万元", executed="4560000元")
    path = write(tmp_path / f"p.{write.__name__[6:]}", dict(SHORTFALLS, funds=funds))
    with pytest.raises(LoadError) as info:
        read_project(path)
    message = str(info.value)
    assert "全年执行数 '4560000元' is in 元, but the 项目资金 amounts are in 万元" in message
    assert "480万元" not in message  # in the block's unit: read
    assert str(path) in message


@pytest.mark.parametrize("write", [write_xlsx, write_yaml])
def test_a_negative_amount_of_the_funds_block_is_an_error_naming_the_block(
        tmp_path: Path, write: Any) -> None:
    funds = dict(SHORTFALLS["funds"], executed=-95)
    path = write(tmp_path / f"p.{write.__name__[6:]}", dict(SHORTFALLS, funds=funds))
    with pytest.raises(RubricError) as info:
        score_project(read_project(path), TEN)
    message = str(info.value)
    assert message.startswith(str(path)) and "项目资金" in message, message
    assert "全年执行数" in message and "-95" in message


def test_an_unknown_unit_of_the_funds_block_is_an_error_naming_the_block(
        tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "p.yaml", SHORTFALLS)
    path.write_text(path.read_text(encoding="utf-8").replace("单位: 万元", "单位: xyz"),
                    encoding="utf-8")
    with pytest.raises(RubricError) as info:
        score_project(read_project(path), TEN)
    message = str(info.value)
    assert message.startswith(str(path)) and "$.项目资金" in message, message
    assert "unknown unit 'xyz'" in message


def test_a_ratio_beyond_the_decimal_precision_is_explained(tmp_path: Path) -> None:
    # 999999999999999999 / 0.000000000000000001 is 10^36: its percent at 2 decimals has
    # more digits than the context holds, and the explanation was an internal error
    funds = dict(SHORTFALLS["funds"], annual="0.000000000000000001",
                 executed="999999999999999999")
    s = scored(tmp_path, dict(SHORTFALLS, funds=funds))
    budget = s.result[s.built.budget_id]
    assert budget.score == D(10)
    assert re.search(r"完成比例 实际值/目标值 = [19]\d{37,38}%", budget.explain())


def test_a_sheet_without_the_header_row_is_refused(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["项目名称", "x"])
    wb.save(tmp_path / "p.xlsx")
    with pytest.raises(RubricError, match="no 绩效指标 header row"):
        read_project(tmp_path / "p.xlsx")


def test_the_provincial_template_weights_and_bands(tmp_path: Path) -> None:
    hubei = load_template("湖北")
    rows = [("产出指标", "数量指标", "培训场次", "≥20场", "18场", 40, 36),
            ("效益指标", "社会效益指标", "社会影响", "有所提升", "部分完成", 30, 20),
            ("满意度指标", "服务对象满意度指标", "满意度", "≥90%", "99%", 10, 10)]
    project = dict(QUALITATIVE, rows=rows,
                   funds={"initial": 100, "annual": 100, "executed": 80, "claimed": 16},
                   total=82)
    s = score_project(read_project(write_xlsx(tmp_path / "p.xlsx", project)), hubei)
    assert s.result[s.built.budget_id].score == D(16)  # 20 × 80%
    assert s.result[s.built.row_ids[0]].score == D(36)  # 40 × 18/20
    impact = s.bands[s.built.row_ids[1]]
    assert (impact.low, impact.high) == (D(15), D(24))  # 部分达成 50%–80% of 30
    assert s.result[s.built.row_ids[1]].score == D(20)  # the evaluator's, inside it
    assert s.audit.ok, s.audit.findings
    # 16 + 36 + 20 + 10
    assert s.result.score == D(82)


def test_notes_under_the_table_and_a_budget_row_in_it(tmp_path: Path) -> None:
    import openpyxl

    project = dict(FULLY_MET, funds=dict(FULLY_MET["funds"], claimed=None),
                   rows=[("预算执行率", "", "预算执行率", "100%", "100%", 10, 10),
                         *FULLY_MET["rows"]])
    path = write_xlsx(tmp_path / "p.xlsx", project)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    note = ws.max_row + 1
    ws.cell(note, 1, "注：1.一级指标分值统一设置为:产出指标50分、效益指标30分、满意度指标10分")
    ws.merge_cells(start_row=note, start_column=1, end_row=note, end_column=9)
    ws.cell(note + 1, 1, "填表人：张三")
    ws.cell(note + 1, 5, "联系电话：123")
    wb.save(path)
    s = score_project(read_project(path), TEN)
    assert not s.built.problems
    assert s.built.row_ids[0] == s.built.budget_id
    assert s.built.claimed.scores[s.built.budget_id] == D(10)  # the row's 得分
    assert s.result.score == D(100) and s.audit.ok


@pytest.mark.parametrize(("filed", "name", "points"), [
    ("产出指标（50分）", "产出指标", D(50)), ("产出指标(50分)", "产出指标", D(50)),
    ("产出指标 50分", "产出指标", D(50)), ("产出指标", "产出指标", None),
])
def test_a_level_cell_with_its_printed_weight(filed: str, name: str,
                                              points: Decimal | None) -> None:
    from rubric.selfeval.build import level_name

    assert level_name(filed) == (name, points)


def test_a_target_exceeded_by_far_warns_and_deducts_nothing(tmp_path: Path) -> None:
    rows = [*FULLY_MET["rows"][:6],
            ("效益指标", "经济效益指标", "带动就业人数", "≥50人", "70人", 15, 15),
            *FULLY_MET["rows"][7:]]
    s = scored(tmp_path, dict(FULLY_MET, rows=rows))
    assert s.result.score == D(100)  # 70/50 = 140%: capped at the 分值, nothing deducted
    (warning,) = s.warnings
    assert warning.startswith("带动就业人数: ") and "140%" in warning and "120%" in warning


def test_a_target_of_zero_is_a_count_kept_at_zero(tmp_path: Path) -> None:
    # 安全事故 0起: read forward, any count meets it (2/0 = ∞, full marks) and 0 of 0 is
    # undefined; a bound of 0 without ≥ is read reverse (不超过 0), with a note
    rows = [("产出指标", "质量指标", "安全事故", "0起", "2起", 5, None),
            ("产出指标", "质量指标", "重大事故", "0起", "0起", 5, None),
            ("产出指标", "质量指标", "投诉", "=0次", "1次", 5, None),
            ("产出指标", "质量指标", "返工", "0", "0", 5, None)]
    s = scored(tmp_path, dict(SHORTFALLS, rows=rows))
    assert not s.built.problems
    assert [s.result[i].score for i in s.built.row_ids] == [D(0), D(5), D(0), D(5)]
    assert all("反向" in s.built.readings[i][0] for i in s.built.row_ids)


def test_a_negative_actual_meets_a_reverse_target(tmp_path: Path) -> None:
    # 成本变动率 ≤5%, actual -2%: 指标值/完成值 = 5/-2 < 0 gave 0 points; -2% ≤ 5% is met
    rows = [("产出指标", "成本指标", "成本变动率", "≤5%", "-2%", 10, None),
            ("产出指标", "成本指标", "增长率", "<0.5%", "-0.5%", 10, None),
            ("产出指标", "成本指标", "超支率", "≤5%", "6%", 10, None)]
    s = scored(tmp_path, dict(SHORTFALLS, rows=rows))
    assert not s.built.problems
    met, below, over = (s.result[i] for i in s.built.row_ids)
    assert (met.score, below.score) == (D(10), D(10))
    assert over.score == (D(10) * 5 / 6).quantize(D("0.01"))
    assert "为负" in s.built.readings[s.built.row_ids[0]][-1]


def test_an_asserted_completion_against_a_deadline(tmp_path: Path) -> None:
    rows = [("产出指标", "时效指标", "完工时间", "12月底前", "已完成", 5, 5),
            ("产出指标", "时效指标", "验收时间", "2023年12月31日前", "未完成", 5, 0),
            ("产出指标", "时效指标", "开工时间", "3月底前", "2023年4月10日", 5, 0)]
    s = scored(tmp_path, dict(SHORTFALLS, rows=rows))
    done, open_, late = (s.result[i] for i in s.built.row_ids)
    assert (done.score, open_.score, late.score) == (D(5), D(0), D(0))
    assert "按时完成" in s.built.readings[s.built.row_ids[0]][-1]
    assert "2023-03-31" in late.explain()


def test_the_budget_denominator_is_the_templates(tmp_path: Path) -> None:
    import attrs

    project = dict(SHORTFALLS, funds={"initial": 150, "annual": 200, "executed": 180,
                                      "points": 10})
    p = read_project(write_xlsx(tmp_path / "p.xlsx", project))
    budget = TEN.budget_name
    assert score_project(p, TEN).result[budget].score == D(9)  # 180 / 200 × 10
    initial = attrs.evolve(TEN, budget_denominator="年初预算数")
    assert score_project(p, initial).result[budget].score == D(10)  # 180 / 150, capped
    assert "全年执行数/年初预算数" in build_project(p, initial).readings[budget][0]


def test_weights_error_refuses_the_file(tmp_path: Path) -> None:
    import attrs

    strict = attrs.evolve(TEN, weights="error")
    short = read_project(write_xlsx(tmp_path / "p.xlsx", dict(SHORTFALLS,
                                                                rows=SHORTFALLS["rows"][1:])))
    with pytest.raises(RubricError, match="三级指标分值之和 42 ≠ 模板权重 50"):
        build_project(short, strict)


@pytest.mark.parametrize("project", [FULLY_MET, SHORTFALLS, QUALITATIVE],
                         ids=["met", "shortfalls", "qualitative"])
def test_the_built_rulesets_check_clean(tmp_path: Path, project: dict[str, Any]) -> None:
    from rubric import check_ruleset

    built = build_project(read_project(write_xlsx(tmp_path / "p.xlsx", project)), TEN)
    assert [f for f in check_ruleset(built.ruleset) if f.severity == "error"] == []


def test_levels_as_filed_in_other_words(tmp_path: Path) -> None:
    rows = [("产出类指标（50分）", "数量", "道路长度", "≥10公里", "10公里", 50, 50),
            ("效益指标", "社会效益指标", "出行条件", "有所提升", "达成", 30, 30),
            ("效益指标", "服务对象满意度指标", "满意度", "≥90%", "95%", 10, 10)]
    s = scored(tmp_path, dict(FULLY_MET, rows=rows))
    assert not s.built.problems
    # 满意度 filed under 效益指标 goes to 满意度指标, as the template has it
    assert s.built.row_ids == ("1.1.1", "2.1.1", "3.1.1")
    assert s.built.warnings == (
        "二级指标“服务对象满意度指标”填在“效益指标”下，按模板计入“满意度指标”",)
    assert s.result.score == D(100)


def test_the_table_ends_at_the_total_row(tmp_path: Path) -> None:
    import openpyxl

    path = write_xlsx(tmp_path / "p.xlsx", SHORTFALLS)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    below = ws.max_row + 1
    ws.cell(below, 1, "缺少事实")
    ws.cell(below, 4, "1.1.1 道路长度")
    ws.cell(below, 7, 8)
    ws.cell(below + 1, 1, "自评等级")
    ws.cell(below + 1, 2, "良")
    wb.save(path)
    project = read_project(path)
    assert [r.level3 for r in project.rows] == [r[2] for r in SHORTFALLS["rows"]]
    assert project.claimed_grade == "良"


def test_a_rate_filed_as_a_fraction_and_a_grade_in_two_characters(tmp_path: Path) -> None:
    project = dict(FULLY_MET, funds=dict(FULLY_MET["funds"], rate=1), grade="优秀")
    s = scored(tmp_path, project)
    assert s.project.funds.claimed_rate == 1 and s.project.claimed_grade == "优秀"
    assert s.built.warnings == () and s.warnings == ()
    wrong = scored(tmp_path, dict(project, funds=dict(FULLY_MET["funds"], rate="90%")), "q.xlsx")
    assert wrong.built.warnings == (
        "预算执行率: 表中执行率 90% 与 全年执行数/全年预算数 = 100% 不符",)


def test_a_statement_restated_is_met_and_free_text_leaves_the_band(tmp_path: Path) -> None:
    rows = [("效益指标", "社会效益指标", "出行条件", "明显改善", "明显改善", 15, 14),
            ("效益指标", "社会效益指标", "群众反映", "达成预期", "较好", 15, 14)]
    s = scored(tmp_path, dict(SHORTFALLS, rows=rows))
    restated, free = (s.bands[i] for i in s.built.row_ids)
    assert (restated.low, restated.high) == (D(12), D(15))  # 达成
    assert "照录年度指标值" in s.built.readings[s.built.row_ids[0]][-1]
    assert (free.low, free.high) == (D(0), D(15))  # no tier stated: the evaluator's range
    assert s.audit[s.built.row_ids[1]].status == "feasible"


def test_a_deadline_without_a_year_in_a_project_without_one_is_a_row_problem() -> None:
    from rubric import Funds, Project, ProjectRow

    rows = (ProjectRow("产出指标", "时效指标", "完工", "12月底前", "2023年11月", D(5), D(5)),
            ProjectRow("产出指标", "时效指标", "验收", "2023年12月31日前", "11月", D(5), D(5)),
            ProjectRow("产出指标", "数量指标", "长度", "≥10公里", "10公里", D(40), D(40)))
    s = score_project(Project("p", Funds(D(1), D(1), D(1)), rows), TEN)  # no 年度
    first, second = (p.message for p in s.built.problems)
    assert "the deadline '12月底前' has no year" in first
    assert "实际完成值 '11月' has no year" in second
    # both stay ranges, never 0; the readable row is scored
    assert [(s.result[i].low, s.result[i].high) for i in s.built.row_ids[:2]] == [
        (D(0), D(5)), (D(0), D(5))]
    assert s.result[s.built.row_ids[2]].score == D(40)


def test_header_labels_as_forms_print_them(tmp_path: Path) -> None:
    import openpyxl

    path = write_xlsx(tmp_path / "p.xlsx", FULLY_MET)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.unmerge_cells(start_row=3, start_column=2, end_row=3, end_column=9)
    ws.cell(3, 1, "项目名称：某县 农村道路建设项目")
    ws.cell(3, 2, None)
    ws.cell(4, 1, "主管部门及代码")
    wb.save(path)
    project = read_project(path)
    assert project.name == "某县 农村道路建设项目"
    assert project.department == FULLY_MET["department"] and project.unit == FULLY_MET["unit"]


@pytest.mark.parametrize(("change", "message"), [
    ("    - {label: 未达成, lower: 0, upper: 60, upper_closed: false}\n", "uncovered"),
    ("  exact: forward\n", "'exact': 'both' is not a known reading"),
    ("  denominator: 全年预算数\n", "'denominator': '预算' is not a known reading"),
])
def test_a_bad_template_is_a_located_error(tmp_path: Path, change: str, message: str) -> None:
    text = TEN.source and Path(TEN.source).read_text(encoding="utf-8")
    assert text and change in text
    replaced = {"  exact: forward\n": "  exact: both\n",
                "  denominator: 全年预算数\n": "  denominator: 预算\n"}.get(change, "")
    path = tmp_path / "t.yaml"
    path.write_text(text.replace(change, replaced), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_template(path)
    assert message in str(info.value) and f"{path}:" in str(info.value)


@pytest.mark.parametrize(("total", "status"), [
    (D("88.89"), "consistent"), (D("90"), "wrong"), (D("80"), "wrong")])
def test_the_printed_total_is_audited_against_the_table_as_scored(
        tmp_path: Path, total: Decimal, status: str) -> None:
    rows = [*QUALITATIVE["rows"][:2],
            ("产出指标", "质量指标", "制度建设", "达成预期", "部分完成", 15, 11),
            ("效益指标", "社会效益指标", "社会影响", "有所提升", "达成预期指标", 20, 17),
            *QUALITATIVE["rows"][4:]]
    s = scored(tmp_path, dict(QUALITATIVE, rows=rows, total=total))
    # 90 lies inside the bands' range (84.44–95.56) but not what the printed rows give
    # (80 of the applicable 90 → 88.89); 80 is the sum not rescaled
    assert s.audit["总分"].status == status
    assert s.audit.ok is (status == "consistent")


def test_build_with_the_claims_taken_differs_only_in_the_rows_claimed_inside_a_tier(
        tmp_path: Path) -> None:
    project = read_project(write_xlsx(tmp_path / "p.xlsx", QUALITATIVE))
    bands, taken = build_project(project, TEN), build_project(project, TEN, take_claims=True)
    kinds = {n.id: n.rule.kind for n in bands.ruleset.indicators()}
    taken_kinds = {n.id: n.rule.kind for n in taken.ruleset.indicators()}
    quality = bands.row_ids[1]  # 13 inside 达成: the only row taken
    assert {i for i in kinds if kinds[i] != taken_kinds[i]} == {quality}
    assert taken_kinds[quality] == "qualitative"
    assert "取评价人在档内所给 13 分" in taken.readings[quality][-1]
    assert bands.row_ids == taken.row_ids and bands.claimed == taken.claimed
    # a project without a qualitative row claimed inside its tier builds once
    plain = read_project(write_xlsx(tmp_path / "q.xlsx", SHORTFALLS))
    assert build_project(plain, TEN, take_claims=True) == build_project(plain, TEN)


def test_a_not_applicable_row_under_redistribute_gives_its_weight_to_its_siblings(
        tmp_path: Path) -> None:
    import attrs

    rows = [("产出指标", "数量指标", "培训场次", "≥20场", "18场", 25, None),
            ("产出指标", "数量指标", "培训人次", "≥500人次", "/", 25, None),
            ("效益指标", "社会效益指标", "就业", "≥50人", "50人", 30, None),
            ("满意度指标", "服务对象满意度指标", "满意度", "≥90%", "90%", 10, None)]
    project = read_project(write_xlsx(tmp_path / "p.xlsx", dict(FULLY_MET, rows=rows)))
    # renormalise: 10 + 22.5 + 30 + 10 = 72.5 of the applicable 75 → × 100/75
    assert score_project(project, TEN).result.score == (D("72.5") * 100 / 75).quantize(
        D("0.01"))
    # redistribute: 培训场次 takes the 数量指标 group's 50: 22.5 × 50/25 = 45
    spread = attrs.evolve(TEN, not_applicable="redistribute")
    s = score_project(project, spread)
    assert s.result["1.1"].score == D(45) and s.result.score == D("95")


def test_header_titles_of_other_copies_of_the_form(tmp_path: Path) -> None:
    import openpyxl

    path = write_xlsx(tmp_path / "p.xlsx", SHORTFALLS)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for col, title in ((5, "年度指标值（A）"), (6, "全年实际值（B）"), (8, "自评得分")):
        ws.cell(12, col, title)
    wb.save(path)
    project = read_project(path)
    assert [(r.target, r.actual, r.claimed) for r in project.rows] == [
        (r[3], r[4], D(str(r[6]))) for r in SHORTFALLS["rows"]]


@pytest.mark.parametrize(("text", "want"), [("1,500", Decimal(1500)), ("1，500万元", Decimal(1500)),
                                            ("1,5", None), ("1.000,5", None), ("12,34", None)])
def test_a_comma_in_a_number_cell_groups_thousands_or_is_refused(text: str,
                                                                  want: Decimal | None) -> None:
    # "1,5" was read as 15: a comma that groups no thousands is refused, never dropped
    from rubric.selfeval import long_format, read
    for number in (read._number, lambda t: long_format._number(t, "万元")):
        if want is None:
            with pytest.raises(ValueError, match=","):
                number(text)
        else:
            assert number(text) == want


def test_a_literal_percent_sign_in_a_cell_format_does_not_scale_the_number() -> None:
    # 0.0"%" shows 95.5 as 95.5%: it was read as 9550%
    from rubric.selfeval.read import _cell_text
    assert _cell_text(95.5, '0.0"%"') == "95.5%"
    assert _cell_text(95.5, "0.0\\%") == "95.5%"
    assert _cell_text(0.955, "0.0%") == "95.5%"
    assert _cell_text(95.5, "0.0") == "95.5"


def test_an_unterminated_quote_in_a_csv_sheet_is_an_error_naming_the_line(tmp_path: Path) -> None:
    # the csv module read every line after an unclosed quote into that one cell
    from rubric.selfeval.read import read_grid
    path = tmp_path / "p.csv"
    path.write_text('项目名称,"测试\n一级指标,二级指标\n', encoding="utf-8")
    with pytest.raises(FileError, match=r"cannot read line \d+ as CSV: .*end of data"):
        read_grid(path)
