"""Many projects at once (issue 12 item 5): the long format and one sheet per project.

A generated 1 000-project long-format file (benchmarks/bench_selfeval.py: 10号 rows,
noisy targets, 资金 on one row or on every row, 项目名称 blank on continuation rows) with
broken projects (an unreadable target, a blank 分值, an unknown unit, two 全年预算数 for
one project): the broken ones are reported naming the cell, every other project is
complete and its total equals the hand-computed one and the total of the project scored
alone from its own file.
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_selfeval

import selfeval_files
from rubric.errors import FileError
from rubric.selfeval.build import score_project
from rubric.selfeval.long_format import ProjectNotRead, read_many
from rubric.selfeval.many import (
    SUMMARY_COLUMNS,
    score_many,
    score_many_file,
    summary_record,
)
from rubric.selfeval.project import Project
from rubric.selfeval.read import read_project
from rubric.selfeval.template import load_template

D = Decimal
N = 1000
TEMPLATE = load_template("10号")


@pytest.fixture(scope="module")
def generated() -> list[dict[str, Any]]:
    return bench_selfeval.generate(N)


@pytest.fixture(scope="module")
def batch(generated: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[Path, Any]:
    folder = tmp_path_factory.mktemp("batch")
    source = bench_selfeval.write_long(folder / "long.csv", generated)
    return source, score_many_file(source, TEMPLATE, summary_kind="csv")


def test_broken_projects_are_reported_and_the_rest_complete(
        generated: list[dict[str, Any]], batch: tuple[Path, Any]) -> None:
    _, summary = batch
    assert len(summary.outcomes) == N
    assert [o.name for o in summary.outcomes] == [p["name"] for p in generated]
    broken = {p["name"]: p["broken"] for p in generated if p["broken"]}
    assert set(broken.values()) == {kind for kind, _ in bench_selfeval.BREAKAGES}
    said = dict(bench_selfeval.BREAKAGES)
    for outcome in summary.outcomes:
        p = generated[outcome.index]
        if p["broken"] is None:
            assert outcome.score is not None and outcome.error is None
            assert not outcome.score.built.problems
            assert (outcome.score.result.low, outcome.score.result.high) == p["expected"]
            continue
        record = summary_record(outcome)
        text = record["错误"] if p["broken"] == "funds" else record["未评分行及原因"]
        assert said[p["broken"]] in text, (p["name"], text)
        assert "long.csv:" in text  # the file and the cell are named
        if p["broken"] == "funds":
            assert outcome.score is None and record["总分"] is None
        else:
            assert outcome.score is not None and record["未评分行数"] >= 1


def test_totals_equal_each_project_scored_alone(generated: list[dict[str, Any]],
                                                batch: tuple[Path, Any],
                                                tmp_path: Path) -> None:
    _, summary = batch
    sample = [o for o in summary.outcomes if o.score is not None][::40]
    assert len(sample) >= 20
    for outcome in sample:
        p = generated[outcome.index]
        alone = read_project(selfeval_files.write_yaml(tmp_path / f"{outcome.index}.yaml", p))
        scored = score_project(alone, TEMPLATE)
        assert outcome.score is not None
        assert (scored.result.low, scored.result.high) == (outcome.score.result.low,
                                                           outcome.score.result.high)
        assert scored.result.grade == outcome.score.result.grade
        assert (scored.audit is not None and outcome.score.audit is not None
                and scored.audit.ok == outcome.score.audit.ok)


def test_summary_rows(generated: list[dict[str, Any]], batch: tuple[Path, Any]) -> None:
    _, summary = batch
    by_name = {o.name: summary_record(o) for o in summary.outcomes}
    settled = next(p for p in generated if p["broken"] is None and p["expected"][0]
                   == p["expected"][1])
    ranged = next(p for p in generated if p["broken"] is None and p["expected"][0]
                  != p["expected"][1])
    record = by_name[settled["name"]]
    assert D(record["总分"]) == settled["expected"][0]
    assert record["未评分行数"] == 0 and record["未评分行及原因"] == ""
    assert record["复核"] == "一致"
    assert record["主管部门"] == settled["department"]
    record = by_name[ranged["name"]]
    low, high = ranged["expected"]
    assert [D(x) for x in record["总分"].split("–")] == [low, high]
    assert record["未评分行数"] == 1 and "长效机制: 得分未定 12–15" in record["未评分行及原因"]
    assert set(record) <= set(SUMMARY_COLUMNS)


def test_output_folder(tmp_path: Path) -> None:
    projects = bench_selfeval.generate(8)
    projects[3]["rows"][0] = (*projects[3]["rows"][0][:6], "1")  # a wrong printed 得分
    source = bench_selfeval.write_long(tmp_path / "long.csv", projects)
    out = tmp_path / "out"
    summary = score_many_file(source, "10号", out, kind="html", summary_kind="csv")
    files = sorted(f.name for f in out.iterdir())
    assert files == sorted(["汇总.csv", *(f"{i + 1:04d}_项目{i:05d}.html" for i in range(8))])
    with open(out / "汇总.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["项目名称"] for r in rows] == [p["name"] for p in projects]
    # the wrong row, and the total its printed rows imply (no 总分 printed) against the rules'
    assert rows[3]["复核"] == "2 处不符：错误 2" and rows[2]["复核"] == "一致"
    assert rows[0]["自评表"] == "0001_项目00000.html"
    assert "项目00000" in (out / "0001_项目00000.html").read_text(encoding="utf-8")
    assert summary.summary == str(out / "汇总.csv")


def _long(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


HEAD = ["项目编码", "项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
        "分值", "得分", "全年预算数(元)", "全年执行数(元)", "序号"]


def test_grouping_by_code_fill_down_and_units_in_headers(tmp_path: Path) -> None:
    source = _long(tmp_path / "b.csv", [
        HEAD,
        ["P1", "维修", "预算执行率", "", "", "", "", "10", "10", "1000000", "900000", "1"],
        ["P1", "维修", "产出指标", "数量指标", "长度", "≥266米", "270米", "50", "50", "", "", "2"],
        ["P2", "维修", "产出指标", "数量指标", "长度", "≥100米", "50米", "50", "25", "", "", "3"],
        ["", "", "", "质量指标", "合格率", "≥95%", "95%", "", "", "", "", "4"],
        ["P1", "维修", "效益指标", "社会效益指标", "改善", "≥90%", "90%", "30", "30", "", "", "5"],
    ])
    items, warnings = read_many(source)
    assert warnings == []
    assert [p.name for p in items if isinstance(p, Project)] == ["维修", "维修"]
    one, two = items
    assert isinstance(one, Project) and isinstance(two, Project)
    assert [r.level3 for r in one.rows] == ["长度", "改善"]
    assert (one.funds.annual, one.funds.executed, one.funds.unit, one.funds.points) == (
        D(1000000), D(900000), "元", D(10))
    assert [(r.level1, r.level2, r.level3, r.points) for r in two.rows] == [
        ("产出指标", "数量指标", "长度", D(50)), ("产出指标", "质量指标", "合格率", None)]
    assert two.rows[1].location is not None and two.rows[1].location.line == 5


def test_a_row_naming_no_project_and_a_bad_year(tmp_path: Path) -> None:
    source = _long(tmp_path / "c.csv", [
        ["项目名称", "年度", "一级指标", "三级指标", "年度指标值", "分值", "备注", "联系人"],
        ["", "", "产出指标", "长度", "≥1米", "5", "", ""],
        ["A", "二〇二三", "产出指标", "长度", "≥1米", "5", "", "张三"],
    ])
    items, warnings = read_many(source)
    assert warnings == [f"{source}: columns not read: 联系人"]
    bad_year, orphan = items
    assert isinstance(orphan, ProjectNotRead) and orphan.name is None
    assert "this row names no project (项目名称 is blank)" in orphan.message
    assert f"{source}:2:1: A2 项目名称" in orphan.message
    assert isinstance(bad_year, ProjectNotRead) and bad_year.name == "A"
    assert "年度 '二〇二三' of project 'A' is not a year" in bad_year.message
    outcomes = list(score_many(items, TEMPLATE))
    assert [o.error is not None for o in outcomes] == [True, True]


def test_year_for_projects_that_give_none(tmp_path: Path) -> None:
    source = _long(tmp_path / "d.csv", [
        ["项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值"],
        ["A", "产出指标", "时效指标", "完成", "12月20日前", "12月10日", "50"],
    ])
    (without,), _ = read_many(source)
    outcome = next(score_many([without], TEMPLATE))
    assert "12月20日前" in summary_record(outcome)["未评分行及原因"]
    (project,), _ = read_many(source, year=2023)
    assert isinstance(project, Project) and project.year == 2023
    outcome = next(score_many([project], TEMPLATE))
    assert outcome.score is not None and outcome.score.result["1.1.1"].score == D(50)


def test_one_sheet_per_project(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    import openpyxl

    projects = bench_selfeval.generate(3)
    path = tmp_path / "book.xlsx"
    for i, p in enumerate(projects):
        selfeval_files.write_xlsx(tmp_path / f"{i}.xlsx", p, sheet=f"项目{i}")
    book = openpyxl.Workbook()
    book.remove(book.active)
    book.create_sheet("说明")["A1"] = "每个项目一张表"
    for i in range(3):
        src = openpyxl.load_workbook(tmp_path / f"{i}.xlsx")[f"项目{i}"]
        ws = book.create_sheet(f"项目{i}")
        for row in src.iter_rows():
            for cell in row:
                ws.cell(cell.row, cell.column, cell.value).number_format = cell.number_format
        for merged in src.merged_cells.ranges:
            ws.merge_cells(str(merged))
    book.save(path)
    summary = score_many_file(path, TEMPLATE)
    assert [o.name for o in summary.outcomes] == [p["name"] for p in projects]
    for o in summary.outcomes:
        assert o.score is not None
        expected = projects[o.index]["expected"]
        assert (o.score.result.low, o.score.result.high) == expected


@pytest.mark.parametrize(("name", "text", "message"), [
    ("x.txt", "a", "unknown file type '.txt'"),
    ("e.csv", "甲,乙\n1,2\n",
     "no header row with 项目名称, 一级指标, 三级指标, 年度指标值 and 分值"),
])
def test_files_that_are_not_batches(tmp_path: Path, name: str, text: str, message: str
                                    ) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileError, match=message):
        read_many(path)
    with pytest.raises(FileError, match="no such file"):
        read_many(tmp_path / "missing.csv")


def test_an_output_that_is_a_file(tmp_path: Path) -> None:
    source = bench_selfeval.write_long(tmp_path / "l.csv", bench_selfeval.generate(1))
    (tmp_path / "out").write_text("", encoding="utf-8")
    with pytest.raises(FileError, match="the output is not a folder"):
        score_many_file(source, TEMPLATE, tmp_path / "out")


def test_cli_many(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rubric.cli import main

    projects = bench_selfeval.generate(9)  # project 7 has an unreadable target
    source = bench_selfeval.write_long(tmp_path / "long.csv", projects)
    assert main(["score", str(source), "--template", "10号", "--many"]) == 1
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(out.splitlines()))
    assert [r["项目名称"] for r in rows] == [p["name"] for p in projects]
    assert [D(r["总分"]) for r in rows if "–" not in r["总分"] and r["未评分行数"] == "0"] == [
        p["expected"][0] for p in projects if p["broken"] is None and p["expected"][0]
        == p["expected"][1]]
    assert "project 8 '项目00007': row not scored:" in err and "'≥abc'" in err
    assert "9 projects scored, 0 not scored, 1 with rows not read" in err
    good = bench_selfeval.write_long(tmp_path / "good.csv", projects[:5])
    out_dir = tmp_path / "out"
    assert main(["score", str(good), "--template", "10号", "--many", "--output",
                 str(out_dir), "--output-format", "csv"]) == 0
    assert sorted(f.name for f in out_dir.iterdir())[-1] == "汇总.csv"
    assert len(list(out_dir.glob("*.xlsx"))) == 5
    projects[2]["rows"][0] = (*projects[2]["rows"][0][:6], "1")  # a wrong printed 得分
    wrong = bench_selfeval.write_long(tmp_path / "wrong.csv", projects[:5])
    assert main(["score", str(wrong), "--template", "10号", "--many", "--quiet"]) == 0
    assert main(["audit", str(wrong), "--template", "10号", "--many", "--output",
                 str(tmp_path / "s.csv")]) == 1
    with open(tmp_path / "s.csv", encoding="utf-8") as fh:
        reviews = [r["复核"] for r in csv.DictReader(fh)]
    assert reviews[2] == "2 处不符：错误 2" and reviews.count("一致") == 4  # row and implied 总分


def test_a_project_whose_scoring_fails_does_not_stop_the_batch(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import rubric.selfeval.many as many

    projects = read_many_projects(3)
    real = many.score_project

    def flaky(project: Project, template: Any, **kw: Any) -> Any:
        if project.name == "项目00001":
            raise KeyError("boom")
        return real(project, template, **kw)

    monkeypatch.setattr(many, "score_project", flaky)
    outcomes = list(score_many(projects, TEMPLATE))
    assert [o.score is not None for o in outcomes] == [True, False, True]
    assert "project '项目00001' could not be scored (KeyError: 'boom')" in str(
        outcomes[1].error)


def test_numbers_outside_the_domain_are_not_read(tmp_path: Path) -> None:
    source = _long(tmp_path / "n.csv", [
        ["项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值"],
        ["A", "产出指标", "数量指标", "长度", "≥1米", "1米", "1E+999999"],
    ])
    (project,), _ = read_many(source)
    assert isinstance(project, Project) and project.rows[0].points is None
    assert project.rows[0].unread == {"分值": "1E+999999"}


def read_many_projects(n: int) -> list[Project]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        source = bench_selfeval.write_long(Path(tmp) / "l.csv", bench_selfeval.generate(n))
        items, _ = read_many(source)
    assert all(isinstance(p, Project) for p in items)
    return [p for p in items if isinstance(p, Project)]


def test_an_unreadable_budget_row_is_an_error_for_its_project(tmp_path: Path) -> None:
    source = _long(tmp_path / "u.csv", [
        ["项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "全年预算数", "全年执行数"],
        ["A", "预算执行率（10分）", "", "", "", "", "十", "10", "100", "90"],
        ["A", "产出指标", "数量指标", "长度", "≥1米", "1米", "50", "50", "", ""],
        ["B", "预算执行率", "", "", "", "", "10", "9", "100", "90"],
        ["B", "产出指标", "数量指标", "长度", "≥1米", "1米", "50", "50", "", ""],
    ])
    (a, b), _ = read_many(source)
    assert isinstance(a, ProjectNotRead)
    assert "预算执行率 分值 '十' is not a number" in a.message and "G2 分值" in a.message
    assert isinstance(b, Project) and (b.funds.points, b.funds.claimed) == (D(10), D(9))
    assert [r.level3 for r in b.rows] == ["长度"]


def test_the_shipped_example_scores_to_the_hand_computed_totals() -> None:
    """rulesets/templates/examples/projects-long.csv, by hand: 公路 10+20+15+5+10+18+9+10 =
    97; 培训 9 (180/200) + 18 (1800/2000×20) + 10 + 0 (12月 after 10月底) + 9.09
    (1000/1100×10) + 24 (48/60×30) + 9.78 (88/90×10) = 79.87; 饮水 9.8 + 20 + 15 + 5 +
    10 + 10 + 8.5 + 10 = 88.3 of the 90 applicable points (节约取水时间 is /), ×100/90 =
    98.11."""
    root = Path(__file__).resolve().parents[1]
    summary = score_many_file(root / "rulesets/templates/examples/projects-long.csv", "10号")
    records = [summary_record(o) for o in summary.outcomes]
    assert [(r["总分"], r["等级"], r["复核"]) for r in records] == [
        ("97", "优", "一致"), ("79.87", "中", "一致"), ("98.11", "优", "一致")]
    assert records[2]["未评分行及原因"] == "节约取水时间: 不适用"
    assert summary.ok


def test_long_format_xlsx_with_merged_project_cells(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    import openpyxl

    projects = bench_selfeval.generate(12)
    csv_file = bench_selfeval.write_long(tmp_path / "l.csv", projects)
    with open(csv_file, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "汇总"
    start = None
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value == "":
                continue
            if c == 9 and value.endswith("%") and value[:-1].isdigit():  # 实际完成值 as Excel %
                cell = ws.cell(r, c, int(value[:-1]) / 100)
                cell.number_format = "0%"
            else:
                ws.cell(r, c, value)
        if r > 2 and row[4] == "预算执行率":  # a project's first row: merge its 项目名称 above
            if start is not None and r - 1 > start:
                ws.merge_cells(start_row=start, start_column=1, end_row=r - 1, end_column=1)
            start = r
    assert start is not None
    ws.merge_cells(start_row=start, start_column=1, end_row=len(rows), end_column=1)
    path = tmp_path / "l.xlsx"
    book.save(path)
    from_xlsx = score_many_file(path, TEMPLATE)
    from_csv = score_many_file(csv_file, TEMPLATE)
    assert [o.name for o in from_xlsx.outcomes] == [p["name"] for p in projects]
    assert [(o.score.result.low, o.score.result.high) for o in from_xlsx.outcomes
            if o.score is not None] == [(o.score.result.low, o.score.result.high)
                                        for o in from_csv.outcomes if o.score is not None]
    assert [(o.score.result.low, o.score.result.high) for o in from_xlsx.outcomes
            if o.score is not None and not projects[o.index]["broken"]] == [
        p["expected"] for p in projects if not p["broken"]]


def test_funds_columns_in_different_units(tmp_path: Path) -> None:
    head = ["项目名称", "一级指标", "三级指标", "年度指标值", "分值", "年初预算数（元）",
            "全年预算数（万元）", "全年执行数（万元）"]
    source = _long(tmp_path / "f.csv", [
        head, ["A", "产出指标", "长度", "≥1米", "5", "1200000", "120", "96"]])
    (project,), _ = read_many(source)
    assert isinstance(project, Project)
    assert (project.funds.initial, project.funds.annual, project.funds.executed,
            project.funds.unit) == (D(120), D(120), D(96), "万元")
    bad = _long(tmp_path / "g.csv", [
        [*head[:5], "年初预算数（人）", *head[6:]],
        ["A", "产出指标", "长度", "≥1米", "5", "3", "120", "96"]])
    (error,), _ = read_many(bad)
    assert isinstance(error, ProjectNotRead)
    assert "年初预算数: cannot convert 人 to 万元" in error.message


_FUZZ_HEAD = ["项目名称", "年度", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
              "分值", "得分", "全年预算数", "全年执行数"]
_FUZZ_CELL = st.sampled_from([
    "", "A", "B", "预算执行率", "产出指标", "效益指标", "满意度指标", "总分", "数量指标", "x",
    "≥95%", "≤90万元", "12月底前", "9月前", "达成预期", "/", "98%", "已完成", "未完成", "≥266米",
    "7月", "10", "0", "-5", "1e9", "abc", "2023", "二〇二三", "100", "0.5", "≥abc", "约95%",
    "12月20日前", "2023年13月前"])


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_FUZZ_CELL, min_size=len(_FUZZ_HEAD), max_size=len(_FUZZ_HEAD)),
                max_size=10))
def test_any_long_file_is_read_and_scored_or_reported(tmp_path: Path,
                                                      rows: list[list[str]]) -> None:
    source = _long(tmp_path / "fuzz.csv", [_FUZZ_HEAD, *rows])
    items, _ = read_many(source)
    for outcome in score_many(items, TEMPLATE):
        assert outcome.error is None or "could not be scored (" not in str(outcome.error)
        record = summary_record(outcome)
        assert (record["总分"] is None) == (outcome.score is None)


def test_a_row_with_two_problems_counts_once(tmp_path: Path) -> None:
    source = _long(tmp_path / "t.csv", [
        ["项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "全年预算数", "全年执行数"],
        ["A", "产出指标", "数量指标", "x", "≥abc", "3", "50", "abc", "100", "100"]])
    (outcome,) = score_many_file(source, TEMPLATE).outcomes
    record = summary_record(outcome)
    assert record["未评分行数"] == 1
    assert "H2 得分" in record["未评分行及原因"] and "E2 年度指标值" in record["未评分行及原因"]


def test_a_batch_that_keeps_only_the_summary_rows(tmp_path: Path) -> None:
    projects = bench_selfeval.generate(12)  # project 7 has an unreadable target
    source = bench_selfeval.write_long(tmp_path / "k.csv", projects)
    kept = score_many_file(source, TEMPLATE)
    light = score_many_file(source, TEMPLATE, keep=False)
    assert all(o.score is None and o.project is None for o in light.outcomes)
    assert [summary_record(o) for o in light.outcomes] == [summary_record(o)
                                                          for o in kept.outcomes]
    assert [(o.scored, o.rows_not_read, o.audit_findings) for o in light.outcomes] == [
        (o.scored, o.rows_not_read, o.audit_findings) for o in kept.outcomes]
    assert [o.rows_not_read for o in light.outcomes].count(1) == 1 and not light.ok
