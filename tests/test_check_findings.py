"""rubric check: defects it used to miss, findings at the key at fault, JSON and SARIF.

Each defect is injected alone into the shipped YAML seed (as tests/test_check.py does)
and found with its severity, at the row's line (``where``) and at the line of the key
at fault (``key_where``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rubric.cli import main
from rubric.verify.check import Finding, check_file
from test_check import SEED_YAML, line_of, seed_text, write

pytestmark = pytest.mark.skipif(not SEED_YAML.is_file(), reason="the YAML seed is missing")

SATISFACTION = "          - id: 服务对象满意度\n"


def injected(tmp_path: Path, old: str, new: str, after: str | None = None) -> tuple[Path, str]:
    """The clean seed with ``old`` (the first one after ``after``) replaced by ``new``."""
    text = seed_text()
    start = text.index(after) if after else 0
    at = text.index(old, start)
    if after is None:
        assert text.count(old) == 1, "the seed changed: update the defect"
    text = text[:at] + new + text[at + len(old):]
    return write(tmp_path, text), text


def found(path: Path, code: str) -> Finding:
    findings = [f for f in check_file(path) if f.code == code]
    assert len(findings) == 1, "\n".join(map(str, check_file(path)))
    return findings[0]


# ---------------------------------------------------------------------------- 1a one_of


ALTERNATIVES = """          - id: 新增高新技术企业
            name: 新增高新技术企业
            max_points: 3   # RECONSTRUCTED from the criterion"""


def test_one_of_alternatives_with_different_maxima_are_an_error(tmp_path: Path) -> None:
    text = seed_text()
    start = text.index(ALTERNATIVES)
    end = text.index("          - id: 新增省级专精特新小巨人企业")
    block = text[start:end]
    wrapped = ("          - id: 企业培育\n            select: one_of\n            children:\n"
               + "".join("    " + line + "\n" for line in block.splitlines()))
    text = text[:start] + wrapped + text[end:]
    path = write(tmp_path, text)
    finding = [f for f in check_file(path) if f.code == "one-of-maxima"]
    assert len(finding) == 1, "\n".join(map(str, check_file(path)))
    (f,) = finding
    assert f.severity == "error"
    assert ("the alternatives of this one_of group have different 分值 ('新增高新技术企业' 3, "
            "'新增国家级专精特新小巨人企业' 2)") in f.message
    assert f.line == line_of(text, "- id: 企业培育")
    assert f.key_line == line_of(text, "max_points: 2", after="- id: 新增国家级专精特新小巨人企业")
    assert f.indicator == "产出与效果/职责履行/企业培育"


# ---------------------------------------------------------------------------- 1b lowest score


def test_a_floor_above_0_is_a_warning_at_the_floor(tmp_path: Path) -> None:
    path, text = injected(tmp_path, "              floor: 0\n", "              floor: 1\n",
                          after=SATISFACTION)
    f = found(path, "min-above-zero")
    assert f.severity == "warning"
    assert f.message.startswith("the lowest reachable score is 1, above 0: floor: 1 stops")
    assert "declare min_points: 1 if that is meant" in f.message
    assert f.line == line_of(text, SATISFACTION.strip())
    assert f.key_line == line_of(text, "floor: 1", after=SATISFACTION)
    assert f.key == "$.indicators[1].children[1].children[3].rule.floor"


def test_a_step_too_small_for_the_domain_is_a_warning_at_the_step(tmp_path: Path) -> None:
    path, text = injected(tmp_path, "              per_step: 1\n", "              per_step: 0.01\n",
                          after=SATISFACTION)
    f = found(path, "min-above-zero")
    assert f.severity == "warning"
    assert ("the lowest reachable score is 2.1, above 0: over the declared domain [0, 100] of "
            "服务对象满意度 the deviation is at most 90") in f.message
    assert f.line == line_of(text, SATISFACTION.strip())
    assert f.key_line == line_of(text, "per_step: 0.01")


def test_cli_strict_fails_on_a_row_that_never_drops_to_0(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _text = injected(tmp_path, "              floor: 0\n", "              floor: 1\n",
                           after=SATISFACTION)
    assert main(["check", "--strict", str(path)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "1 ruleset checked: 0 errors, 1 warning, 0 notes")


def test_a_declared_min_points_silences_the_warning(tmp_path: Path) -> None:
    path, _text = injected(tmp_path, "              floor: 0\n", "              floor: 1\n",
                           after=SATISFACTION)
    text = path.read_text(encoding="utf-8").replace(
        "            criterion: 90%以上3分,每降低1%扣1分\n",
        "            criterion: 90%以上3分,每降低1%扣1分\n            min_points: 1\n")
    assert check_file(write(tmp_path, text)) == []


def test_a_declared_min_points_the_rule_does_not_reach_is_a_warning(tmp_path: Path) -> None:
    text = seed_text().replace("            criterion: 90%以上3分,每降低1%扣1分\n",
                               "            criterion: 90%以上3分,每降低1%扣1分\n"
                               "            min_points: 1\n")
    path = write(tmp_path, text)
    f = found(path, "min-points")
    assert f.severity == "warning"
    assert "min_points 1 is declared but the lowest reachable score is 0" in f.message
    assert f.key_line == line_of(text, "min_points: 1")


def test_min_points_round_trips_through_dump(tmp_path: Path) -> None:
    from rubric.io.dump import dump_ruleset
    from rubric.io.loader import load_ruleset

    text = seed_text().replace("            criterion: 90%以上3分,每降低1%扣1分\n",
                               "            criterion: 90%以上3分,每降低1%扣1分\n"
                               "            min_points: 1\n")
    rs = load_ruleset(write(tmp_path, text))
    assert rs.node("服务对象满意度").min_points == 1  # type: ignore[union-attr]
    again = load_ruleset(dump_ruleset(rs))
    assert again.node("服务对象满意度").min_points == 1  # type: ignore[union-attr]


def test_min_points_is_in_the_schema() -> None:
    from rubric.io.schema import ruleset_schema

    assert "min_points" in json.dumps(ruleset_schema(), ensure_ascii=False)


# ---------------------------------------------------------------------------- 1c tiers

QUALITATIVE = """            rule:
              kind: qualitative
              fact: 服务对象满意度
              points: 3
              tiers:
                - {label: 优, lower: 80, upper: 100}
                - {label: 中, lower: 60, upper: 70}
"""


def qualitative_seed(tiers: str = QUALITATIVE) -> str:
    text = seed_text()
    start = text.index("            rule:", text.index(SATISFACTION))
    end = text.find("\n          - id", start)
    end = len(text) if end == -1 else end + 1
    text = text[:start] + tiers + text[end:]
    return text.replace('服务对象满意度: {unit: "%", minimum: 0, maximum: 100}',
                        "服务对象满意度: {minimum: 0, maximum: 3}")


def test_qualitative_tiers_with_a_gap_are_an_error_at_the_tier(tmp_path: Path) -> None:
    text = qualitative_seed()
    path = write(tmp_path, text)
    gaps = [f for f in check_file(path) if f.code == "tier-gap"]
    assert [(g.severity, g.line) for g in gaps] == [
        ("error", line_of(text, SATISFACTION.strip()))] * 2
    assert "scores in [0, 60) % of the points fall in no tier" in gaps[0].message
    assert "scores in (70, 80) % of the points fall in no tier" in gaps[1].message
    assert gaps[1].key_line == line_of(text, "{label: 中")


def test_qualitative_tiers_that_overlap_are_an_error_at_the_tier(tmp_path: Path) -> None:
    text = qualitative_seed(QUALITATIVE.replace(
        "                - {label: 中, lower: 60, upper: 70}\n",
        "                - {label: 中, lower: 0, upper: 80}\n"))
    path = write(tmp_path, text)
    f = found(path, "tier-overlap")
    assert f.severity == "error"
    assert "tiers[0] '优' [80%, 100%] and tiers[1] '中' [0%, 80%] overlap" in f.message
    assert f.key_line == line_of(text, "{label: 中")


def test_qualitative_tiers_that_cover_0_to_100_once_are_clean(tmp_path: Path) -> None:
    text = qualitative_seed(QUALITATIVE.replace(
        "                - {label: 中, lower: 60, upper: 70}\n",
        "                - {label: 良, lower: 60, upper: 80, upper_closed: false}\n"
        "                - {label: 差, lower: 0, upper: 60, upper_closed: false}\n"))
    assert check_file(write(tmp_path, text)) == []


# ---------------------------------------------------------------------------- 1d open top band


def test_an_open_top_band_typed_too_low_is_reported_as_the_overlap_it_is(tmp_path: Path) -> None:
    path, text = injected(tmp_path, '{range: ">130", points: 0}', '{range: ">120", points: 0}',
                          after="- id: 基本支出预算控制率")
    (f,) = check_file(path)
    assert (f.code, f.severity) == ("load", "error")
    assert "bands[3] (120, 130] and bands[4] >120 overlap on (120, 130]" in f.message
    assert "comes before" not in f.message
    assert f.line == line_of(text, '{range: ">120"')


# ---------------------------------------------------------------------------- 1e formula bounds


def formula_seed(expression: str) -> str:
    return qualitative_seed(
        "            rule:\n"
        "              kind: formula\n"
        f'              expression: "{expression}"\n'
        "              points: 3\n"
        "              direction: higher\n").replace(
        "服务对象满意度: {minimum: 0, maximum: 3}",
        '服务对象满意度: {unit: "%", minimum: 0, maximum: 100}')


def test_a_formula_rule_leaving_its_bounds_is_an_error_at_its_expression(tmp_path: Path) -> None:
    text = formula_seed("服务对象满意度 / 20 - 2")
    f = found(write(tmp_path, text), "formula-bounds")
    assert f.severity == "error"
    assert "outside [0, 3] (clamped), for facts {服务对象满意度:" in f.message
    assert f.line == line_of(text, SATISFACTION.strip())
    assert f.key_line == line_of(text, "expression: ")


def test_check_writes_no_hypothesis_folder_in_the_working_directory(tmp_path: Path) -> None:
    # A fresh process: hypothesis fixes its default folder (cwd/.hypothesis) at import.
    path = write(tmp_path, formula_seed("服务对象满意度 / 20 - 2"), "r.yaml")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("HYPOTHESIS_STORAGE_DIRECTORY", None)
    done = subprocess.run([sys.executable, "-m", "rubric", "check", str(path)], cwd=cwd,
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "formula-bounds" not in done.stdout  # the text format shows no codes ...
    assert "outside [0, 3] (clamped)" in done.stdout  # ... but the finding is there
    assert os.listdir(cwd) == []


# ---------------------------------------------------------------------------- 2 key lines


def test_full_marks_unreachable_by_a_fact_maximum_points_at_the_maximum(tmp_path: Path) -> None:
    path, text = injected(tmp_path, '服务对象满意度: {unit: "%", minimum: 0, maximum: 100}',
                          '服务对象满意度: {unit: "%", minimum: 0,\n    maximum: 85}')
    f = found(path, "full-marks-unreachable")
    assert f.line == line_of(text, SATISFACTION.strip())  # the row, as before
    assert f.key_line == line_of(text, "maximum: 85}")
    assert f.key == "$.facts.服务对象满意度.maximum"
    assert str(f).endswith(f"[产出与效果/履职效益/服务对象满意度] (line {f.key_line}: {f.key})")


def test_a_group_that_does_not_add_up_points_at_its_max_points(tmp_path: Path) -> None:
    path, text = injected(tmp_path, "        name: 履职效益\n        max_points: 12",
                          "        name: 履职效益\n        max_points: 13")
    f = next(f for f in check_file(path) if f.code == "group-sum"
             and f.indicator == "产出与效果/履职效益")
    assert f.line == line_of(text, "- id: 履职效益")
    assert f.key_line == line_of(text, "max_points: 13")


# ---------------------------------------------------------------------------- 3 formats


def defective(tmp_path: Path) -> Path:
    path, _text = injected(tmp_path, "              floor: 0\n", "              floor: 1\n",
                           after=SATISFACTION)
    return path


def test_check_format_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = defective(tmp_path)
    assert main(["check", "--format", "json", "--strict", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"rulesets": 1, "errors": 0, "warnings": 1, "notes": 0}
    (finding,) = data["findings"]
    (expected,) = check_file(path)
    assert finding == {
        "file": str(path), "severity": "warning", "code": "min-above-zero",
        "message": expected.message, "indicator": "产出与效果/履职效益/服务对象满意度",
        "where": expected.where, "line": expected.line, "key": expected.key,
        "key_where": expected.key_where, "key_line": expected.key_line}


def test_check_format_sarif(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    path = defective(tmp_path)
    missing = tmp_path / "missing.yaml"
    assert main(["check", "--format", "sarif", str(path), str(missing)]) == 1
    log = json.loads(capsys.readouterr().out)
    # The required fields of SARIF 2.1.0 (sarifLog, run, tool, result, location), as a schema.
    location = {"type": "object", "required": ["physicalLocation"], "properties": {
        "physicalLocation": {"type": "object", "required": ["artifactLocation"], "properties": {
            "artifactLocation": {"type": "object", "required": ["uri"],
                                 "properties": {"uri": {"type": "string"}}},
            "region": {"type": "object", "required": ["startLine"],
                       "properties": {"startLine": {"type": "integer", "minimum": 1}}}}}}}
    schema = {
        "type": "object", "required": ["version", "runs"],
        "properties": {
            "version": {"const": "2.1.0"}, "$schema": {"type": "string"},
            "runs": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["tool", "results"],
                "properties": {
                    "tool": {"type": "object", "required": ["driver"], "properties": {
                        "driver": {"type": "object", "required": ["name"], "properties": {
                            "name": {"const": "rubric"}, "rules": {"type": "array"}}}}},
                    "results": {"type": "array", "items": {
                        "type": "object", "required": ["ruleId", "level", "message"],
                        "properties": {
                            "ruleId": {"type": "string"},
                            "level": {"enum": ["error", "warning", "note"]},
                            "message": {"type": "object", "required": ["text"],
                                        "properties": {"text": {"type": "string"}}},
                            "locations": {"type": "array", "items": location},
                            "relatedLocations": {"type": "array", "items": location}}}}}}}}}
    jsonschema.validate(log, schema)
    results = log["runs"][0]["results"]
    assert [r["level"] for r in results] == ["warning", "error"]
    (finding,) = check_file(path)
    first = results[0]
    assert first["ruleId"] == "min-above-zero"
    assert first["message"]["text"] == finding.message
    physical = first["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == path.as_uri()
    assert physical["region"]["startLine"] == finding.key_line  # the key at fault
    related = first["relatedLocations"][0]["physicalLocation"]
    assert related["region"]["startLine"] == finding.line  # the row, as context
    assert first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == (
        "产出与效果/履职效益/服务对象满意度")
    assert {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]} == {
        "min-above-zero", "file"}
    assert results[1]["ruleId"] == "file"
