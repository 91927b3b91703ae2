"""``rubric score FILE --template NAME`` and ``rubric audit FILE --template NAME``."""

from __future__ import annotations

import json
import re
import shlex
from decimal import Decimal as D
from pathlib import Path

import pytest

from rubric.cli import main
from selfeval_files import write_xlsx
from test_selfeval import QUALITATIVE, SHORTFALLS

EXAMPLE = Path(__file__).resolve().parents[1] / "rulesets/templates/examples/project-example.yaml"


def test_the_shipped_example_scores_and_audits_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(EXAMPLE), "--template", "10号"]) == 0
    out = capsys.readouterr().out
    # 9.5 + 19 + 10 + 10 + 9.52 + 18 + 7 + 10: the printed 总分
    assert "总分 93.02，等级 优。" in out
    assert main(["audit", str(EXAMPLE), "--template", "10号"]) == 0
    assert "通过" in capsys.readouterr().out


def test_score_json_carries_the_readings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(EXAMPLE), "--template", "10号", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["score"] == "93.02"
    readings = data["selfeval"]["readings"]
    assert any("反向指标" in r for r in readings["1.4.1"])


def test_a_finding_makes_audit_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", SHORTFALLS)
    assert main(["audit", str(path), "--template", "10号", "--findings-only"]) == 1
    out = capsys.readouterr().out
    assert "合格率" in out and "舍入" in out
    assert "自评等级: 表中为“良”，按得分应为“中”" in out


def test_a_bad_row_is_reported_and_the_rest_printed(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    bad = dict(SHORTFALLS, rows=[("产出指标", "数量指标", "道路长度", "≥", "92公里", 8, 7.75),
                                 *SHORTFALLS["rows"][1:]])
    path = write_xlsx(tmp_path / "p.xlsx", bad)
    assert main(["score", str(path), "--template", "10号"]) == 1
    out = capsys.readouterr().out
    assert "无法读取的行" in out and "E13" in out
    assert "设备数量" in out and "4.71" in out


def test_the_filed_layout_out(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", QUALITATIVE)
    out = tmp_path / "out.xlsx"
    assert main(["audit", str(path), "--template", "10号", "--output", str(out)]) == 1
    import openpyxl

    texts = {str(c.value) for row in openpyxl.load_workbook(out).active.iter_rows()
             for c in row if c.value is not None}
    assert "制度建设" in texts


@pytest.mark.parametrize("argv", [
    ["score", "x.yaml", "facts.yaml", "--template", "10号"],
    ["score", "ruleset.yaml", "facts.yaml", "--sheet", "a"],
    ["audit", "x.yaml", "facts.yaml", "--template", "10号"],
    ["audit", "ruleset.yaml"],
])
def test_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "error:" in capsys.readouterr().err


def test_an_unknown_template_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(EXAMPLE), "--template", "11号"]) == 1
    assert "did you mean '10号'" in capsys.readouterr().err


def test_the_readme_example_says_what_it_prints(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A project's self-evaluation", 1)[1].split("\n## ", 1)[0]
    command = re.findall(r"```sh\n(.*?)\n```", section, re.S)[0]  # one project
    argv = shlex.split(command)
    assert argv[0] == "rubric"
    assert main(argv[1:]) == 0
    out = capsys.readouterr().out
    claimed = re.search(r"It prints `(.*?)`", section)
    assert claimed is not None and claimed.group(1) in out
    for value in ("9.5", "19", "9.52"):  # the 得分 column, right-aligned
        assert f" {value} |" in out


def test_explain_names_the_reading_of_every_row(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(EXAMPLE), "--template", "10号", "--explain"]) == 0
    out = capsys.readouterr().out
    assert "口径：交工验收合格率：“=”指标按正向读" in out
    assert "口径：每公里改造成本：反向指标：指标值/完成值 × 10（16万元）" in out


def test_score_writes_rubrics_scores_and_audit_the_review(tmp_path: Path) -> None:
    import openpyxl

    path = write_xlsx(tmp_path / "p.xlsx", SHORTFALLS)

    def texts(out: Path) -> set[str]:
        return {str(c.value) for row in openpyxl.load_workbook(out).active.iter_rows()
                for c in row if c.value is not None}

    assert main(["score", str(path), "--template", "10号", "-o", str(tmp_path / "s.xlsx")]) == 0
    assert main(["audit", str(path), "--template", "10号", "-o", str(tmp_path / "a.xlsx")]) == 1
    assert "复核" not in texts(tmp_path / "s.xlsx")
    assert "复核" in texts(tmp_path / "a.xlsx")


def test_the_shipped_csv_in_the_filed_layout_is_the_yaml_example() -> None:
    from rubric import load_template, read_project, score_project

    ten = load_template("10号")
    yaml_ = score_project(read_project(EXAMPLE), ten)
    csv_ = score_project(read_project(EXAMPLE.with_suffix(".csv")), ten)
    assert csv_.result.scores() == yaml_.result.scores()
    assert csv_.result.score == D("93.02") and csv_.audit is not None and csv_.audit.ok
    assert csv_.project.goal == "完成农村公路提质改造30公里，群众出行条件明显改善。"


def test_audit_json_carries_the_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", SHORTFALLS)
    assert main(["audit", str(path), "--template", "10号", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "rubric.audit/1" and data["ok"] is False
    assert data["selfeval"]["template"] == "czyj-2020-10-project"
    assert data["selfeval"]["warnings"] == ["自评等级: 表中为“良”，按得分应为“中”"]
