"""``rubric new``: the shipped templates listed, and each one's starting file written,
loaded and checked (issue 12 item 3).

The ruleset templates (the 53号 部门整体 frame, the seed's table for next year) load and
check with only the notes their provenance states; the self-evaluation skeleton of each
project template reads back with ``read_project`` and scores with ``score_project``.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest

from rubric import dump_ruleset, load_ruleset
from rubric.cli import main
from rubric.selfeval.build import is_placeholder, score_project
from rubric.selfeval.read import read_project
from rubric.selfeval.starter import find_starter, project_skeleton, starters
from rubric.selfeval.template import load_template
from rubric.verify.check import check_file

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
FRAME = find_starter("czyj-2013-53-department").path  # wherever the templates are shipped
RULESET_TEMPLATES = ("czyj-2013-53-department", "xiangtan-kgxj-department")
PROJECT_TEMPLATES = ("czyj-2020-10-project", "hubei-project")


def _new(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "out.yaml"
    assert main(["new", *args, "-o", str(out)]) == 0
    return out


def test_list_names_every_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    listed = {line.split()[0]: line for line in lines}
    assert set(listed) >= {*RULESET_TEMPLATES, *PROJECT_TEMPLATES}
    assert "评价体系" in listed["czyj-2013-53-department"] and "53号" in listed[
        "czyj-2013-53-department"]
    assert "自评表" in listed["czyj-2020-10-project"] and "10号" in listed["czyj-2020-10-project"]
    kinds = {s.name: s.kind for s in starters()}
    assert {kinds[n] for n in RULESET_TEMPLATES} == {"ruleset"}
    assert {kinds[n] for n in PROJECT_TEMPLATES} == {"project"}


@pytest.mark.parametrize("name", ["53号", "czyj-2013-53-department", "seed", "10号", "湖北"])
def test_names_and_aliases_resolve(name: str) -> None:
    assert find_starter(name).name in (*RULESET_TEMPLATES, *PROJECT_TEMPLATES)


# -------------------------------------------------------------------- ruleset templates


def _severities(path: Path) -> Counter[str]:
    return Counter(str(f.severity) for f in check_file(path))


def test_53_frame_loads_and_checks_with_one_note_per_row(tmp_path: Path) -> None:
    out = _new(tmp_path, "--template", "53号")
    assert out.read_text(encoding="utf-8") == FRAME.read_text(encoding="utf-8")
    ruleset = load_ruleset(out)
    rows = list(ruleset.indicators())
    assert len(rows) == 28
    findings = check_file(out)
    assert [f for f in findings if str(f.severity) != "note"] == []
    assert sorted((f.indicator or "").rsplit("/", 1)[-1] for f in findings
                  if f.code == "not-assessed") == sorted(n.id for n in rows)
    assert {f.code for f in findings} == {"not-assessed"}
    # the tree 53号 fixes, and every criterion left to the user
    assert [g.id for g in ruleset.root.children] == ["投入", "过程", "产出", "效果"]
    assert [c.id for c in ruleset.node("过程").children] == ["预算执行", "预算管理", "资产管理"]  # type: ignore[attr-defined]
    assert all(n.criterion.startswith("TODO") for n in rows)
    assert ruleset.root.max_points == 100


def test_53_frame_formulas_load_once_uncommented(tmp_path: Path) -> None:
    """The facts kept as comments are a working declaration: uncommented, every formula
    compiles, and each row's criterion names facts that are declared."""
    text = FRAME.read_text(encoding="utf-8")
    block = re.search(r"^facts: \{\}\n((?:  #.*\n)+)", text, re.M)
    assert block is not None
    declared = "".join(line.replace("  # ", "  ", 1) for line in block.group(1).splitlines(True)
                       if re.match(r"  # \S+: \{", line))
    live = text.replace(block.group(0), "facts:\n" + declared)
    path = tmp_path / "live.yaml"
    path.write_text(live, encoding="utf-8")
    ruleset = load_ruleset(path)
    formulas = dict(ruleset.derived)
    assert {"在职人员控制率", "三公经费变动率", "重点支出安排率", "预算调整率", "三公经费控制率",
            "固定资产利用率", "重点工作办结率"} <= set(formulas)
    for row in ruleset.indicators():
        named = re.search(r"facts：([^）]+)）", row.criterion)
        if named:
            assert set(named.group(1).split("、")) <= set(ruleset.specs), row.id


def test_53_frame_year(tmp_path: Path) -> None:
    out = _new(tmp_path, "--template", "53号", "--year", "2024")
    assert load_ruleset(out).metadata.fiscal_year == 2024
    assert load_ruleset(FRAME).metadata.fiscal_year is None


def test_seed_template_keeps_the_seed_rules(tmp_path: Path) -> None:
    out = _new(tmp_path, "--template", "xiangtan-kgxj-department", "--year", "2024")
    template, seed = load_ruleset(out), load_ruleset(SEED)
    assert template.root == seed.root  # every group, row, criterion and rule
    assert template.specs == seed.specs
    # the policy is the seed's; only the year a bare month is read in follows the new year
    assert template.policy.defaults.deadline_year == 2024
    same_year = attrs.evolve(template.policy.defaults, deadline_year=2023)
    assert attrs.evolve(template.policy, defaults=same_year) == seed.policy
    meta = template.metadata
    assert meta.fiscal_year == 2024 and not meta.published and seed.metadata.published
    assert meta.id != seed.metadata.id and "2023" not in (meta.id or "")
    findings = check_file(out)
    assert [f for f in findings if str(f.severity) != "note"] == []
    assert len(findings) == len([f for f in check_file(SEED) if str(f.severity) == "note"])
    text = out.read_text(encoding="utf-8")
    assert text.count("TODO(年度)") >= 9  # the 2023 targets and the deadline, marked


@pytest.mark.parametrize("name", RULESET_TEMPLATES)
def test_ruleset_templates_round_trip(name: str) -> None:
    """Written back (``dump_ruleset``, as ``rubric import`` and edits do), a template
    reloads to the same ruleset."""
    ruleset = load_ruleset(find_starter(name).path)
    assert load_ruleset(dump_ruleset(ruleset)) == ruleset


# -------------------------------------------------------------------- project templates


@pytest.mark.parametrize("name", PROJECT_TEMPLATES)
def test_skeleton_reads_back_and_scores(tmp_path: Path, name: str) -> None:
    out = _new(tmp_path, "--template", name, "--year", "2024")
    template = load_template(name)
    project = read_project(out)
    assert project.year == 2024
    assert project.funds.points == template.budget_points
    expected = [(lv.name, sub, f"指标{n}") for lv in template.levels
                for sub in lv.subgroups or ("",) for n in (1, 2)]
    assert [(r.level1, r.level2, r.level3) for r in project.rows] == expected
    assert all(is_placeholder(r) for r in project.rows)
    score = score_project(project, template)
    assert score.built.row_ids == (None,) * len(project.rows)  # nothing scored yet
    assert not score.built.problems


def test_filled_skeleton_scores(tmp_path: Path) -> None:
    """A skeleton with one row filled in and the 资金 block given scores that row."""
    text = project_skeleton(load_template("10号"), year=2024)
    first = next(line for line in text.splitlines() if "三级指标: 指标1" in line)
    filled = first.replace("三级指标: 指标1", "三级指标: 培训人次").replace(
        '年度指标值: ""', '年度指标值: "≥500人次"').replace(
        '实际完成值: ""', '实际完成值: "450人次"').replace("分值: ,", "分值: 20,")
    text = text.replace(first, filled).replace("  全年预算数:\n", "  全年预算数: 100\n").replace(
        "  全年执行数:\n", "  全年执行数: 95\n")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    score = score_project(read_project(path), load_template("10号"))
    row_id, *rest = score.built.row_ids
    assert row_id is not None and rest == [None] * len(rest)
    assert score.result[row_id].score == Decimal(18)  # 450 / 500 × 20
    assert score.result[score.built.budget_id].score == Decimal("9.5")  # 95 / 100 × 10


# ------------------------------------------------------------------------------ output


def test_stdout_without_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--template", "10号"]) == 0
    assert capsys.readouterr().out == project_skeleton(load_template("10号"))


def test_refuses_to_overwrite_unless_forced(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text("mine\n", encoding="utf-8")
    assert main(["new", "--template", "53号", "-o", str(out)]) == 1
    assert "exists; not overwritten (use --force to replace it)" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert main(["new", "--template", "53号", "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8") == FRAME.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]  # no temporary file left


def test_no_templates_found_says_where_it_looked(tmp_path: Path) -> None:
    from rubric import RubricError

    with pytest.raises(RubricError, match=f"no template '10号': no templates found in {tmp_path}"):
        find_starter("10号", tmp_path)


def test_a_stream_is_written_not_refused(capfd: pytest.CaptureFixture[str]) -> None:
    """``-o /dev/stdout`` exists, but it is a stream, not a file to protect."""
    assert main(["new", "--template", "53号", "-o", "/dev/stdout"]) == 0
    assert capfd.readouterr().out == FRAME.read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["--template", "10"], "no template '10' (did you mean '10号'?)"),
    ([], "rubric new needs --template NAME (or --list)"),
    (["--template", "10号", "-o", "/no/such/folder/x.yaml"], "/no/such/folder"),
])
def test_bad_arguments_are_clear_errors(args: list[str], message: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rubric: error: ") and message in err
    assert "Traceback" not in err


# ------------------------------------------------------------------ the blank XLSX form


@pytest.mark.parametrize("name", PROJECT_TEMPLATES)
def test_blank_xlsx_form_reads_back_as_the_skeleton(tmp_path: Path, name: str) -> None:
    out = tmp_path / "自评表.xlsx"
    assert main(["new", "--template", name, "--year", "2024", "-o", str(out)]) == 0
    yaml_out = _new(tmp_path, "--template", name, "--year", "2024")
    form, skeleton = read_project(out), read_project(yaml_out)
    assert [(r.level1, r.level2, r.level3) for r in form.rows] == [
        (r.level1, r.level2, r.level3) for r in skeleton.rows]
    assert form.year == 2024 and form.funds.points == load_template(name).budget_points
    assert form.claimed_total is None and form.claimed_grade is None
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == "项目支出绩效自评表（2024年度）"
    assert all(ws.cell(r, 8).value is None for r in range(9, 9 + len(form.rows)))  # 得分 blank
    assert "缺少事实" not in [c.value for row in ws.iter_rows() for c in row]
    assert ws.row_dimensions[7].height >= 48  # room to write the 年度总体目标 in


def test_blank_xlsx_form_filled_in_scores(tmp_path: Path) -> None:
    """The form as finance staff use it: opened in a spreadsheet, a row and the 资金
    block filled in, saved, then scored."""
    out = tmp_path / "自评表.xlsx"
    assert main(["new", "--template", "10号", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert (ws["D9"].value, ws["D4"].value, ws["E4"].value) == (
        "指标1", "全年预算数（A）", "全年执行数（B）")
    ws["D5"], ws["E5"] = 200, 150
    ws["D9"], ws["E9"], ws["F9"], ws["G9"] = "培训人次", "≥500人次", "400人次", 25
    wb.save(out)
    score = score_project(read_project(out), load_template("10号"))
    row_id = score.built.row_ids[0]
    assert row_id is not None
    assert score.result[row_id].score == Decimal(20)  # 400 / 500 × 25
    assert score.result[score.built.budget_id].score == Decimal("7.5")  # 150 / 200 × 10


def test_ruleset_template_is_not_written_as_xlsx(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.xlsx"
    assert main(["new", "--template", "53号", "-o", str(out)]) == 1
    assert "is a ruleset template: it is written as YAML" in capsys.readouterr().err
    assert not out.exists()
