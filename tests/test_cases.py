"""Policy test cases as data: the cases.yaml format, run_cases, and the pytest plugin."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import seed_table
from rubric import LoadError
from rubric.verify.cases import load_cases, run_cases

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "rulesets" / "xiangtan-kgxj-2023"
SEED_CASES = SEED_DIR / "cases.yaml"
SEED = seed_table.build()


def write(tmp_path: Path, text: str, name: str = "cases.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_cases_pass_against_the_python_seed() -> None:
    results = run_cases(SEED, SEED_CASES)
    assert len(results) > 100
    assert [str(f) for r in results for f in r.failures] == []


def test_the_shipped_cases_pin_every_row() -> None:
    pinned = {e.target for case in load_cases(SEED_CASES) for e in case.expect}
    assert {row.id for row in SEED.indicators()} <= pinned


def test_a_failure_names_the_file_line_case_and_both_scores(tmp_path: Path) -> None:
    path = write(tmp_path, (
        "- name: 预算调整率 just above 10%\n"
        "  facts: {预算调整数: 10.01, 预算数: 100}\n"
        "  expect:\n"
        "    资金结余: [0, 5]\n"
        "    预算调整率: 4\n"
        "  total: 50\n"
        "  grade: 优\n"))
    (result,) = run_cases(SEED, path)
    assert not result.passed
    assert [str(f) for f in result.failures] == [
        f"{path}:5: case '预算调整率 just above 10%': 预算调整率 expected 4, got 3",
        f"{path}:6: case '预算调整率 just above 10%': total expected 50, got [3, 98]",
        f"{path}:7: case '预算调整率 just above 10%': grade expected 优, got 优/良/中/差",
    ]


def test_tolerance_and_ranges(tmp_path: Path) -> None:
    path = write(tmp_path, (
        "- name: within tolerance\n"
        "  facts: {服务对象满意度: 88.5}\n"
        "  expect: {服务对象满意度: 2.01}\n"
        "  tolerance: 0.01\n"
        "- name: outside tolerance\n"
        "  facts: {服务对象满意度: 88.5}\n"
        "  expect: {服务对象满意度: 2.02}\n"
        "  tolerance: 0.01\n"))
    first, second = run_cases(SEED, path)
    assert first.passed and not second.passed


def test_bad_facts_and_unknown_rows_are_failures_not_crashes(tmp_path: Path) -> None:
    path = write(tmp_path, (
        "- name: bad fact\n"
        "  facts: {服务对象满意度: 120}\n"
        "  expect: {服务对象满意度: 3}\n"
        "- name: unknown row\n"
        "  facts: {}\n"
        "  expect: {服务对象满意: 3}\n"))
    bad, unknown = run_cases(SEED, path)
    assert bad.failures[0].line == 1
    assert ("scoring failed" in bad.failures[0].message
            and "服务对象满意度" in bad.failures[0].message)
    assert str(unknown.failures[0]) == (
        f"{path}:6: case 'unknown row': no indicator '服务对象满意' "
        "(did you mean '服务对象满意度'?)")


@pytest.mark.parametrize(("text", "line", "message"), [
    ("name: x\n", 1, "a cases file is a list of cases"),
    ("- name: a\n  expect: {x: 1}\n- name: a\n  expect: {x: 1}\n", 3,
     "case name 'a' is used twice (first at line 1)"),
    ("- name: a\n  facts: {}\n  expext: {x: 1}\n", 3,
     "unknown key 'expext' (did you mean 'expect'?)"),
    ("- name: a\n  expect: {x: lots}\n", 2, "x: expected a score or a range [low, high]"),
    ("- name: a\n  facts: {}\n", 1, "a case expects something"),
], ids=["not a list", "duplicate name", "unknown key", "bad score", "nothing expected"])
def test_malformed_cases_files_name_the_line(tmp_path: Path, text: str, line: int,
                                             message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(LoadError) as info:
        load_cases(path)
    found = [(p.file, p.line) for p in info.value.problems if message in p.message]
    assert found == [(str(path), line)], info.value


# ---------------------------------------------------------------------------- pytest plugin

needs_yaml = pytest.mark.skipif(not (SEED_DIR / "ruleset.yaml").is_file(),
                                reason="the YAML seed ruleset is not written yet")


@needs_yaml
def test_the_plugin_collects_cases_next_to_a_ruleset(pytester: pytest.Pytester) -> None:
    shutil.copy(SEED_DIR / "ruleset.yaml", pytester.path / "ruleset.yaml")
    (pytester.path / "cases.yaml").write_text(
        "- name: on the edge\n"
        "  facts: {预算调整数: 10, 预算数: 100}\n"
        "  expect: {预算调整率: 4}\n"
        "- name: wrong on purpose\n"
        "  facts: {预算调整数: 10.01, 预算数: 100}\n"
        "  expect:\n"
        "    预算调整率: 4\n", encoding="utf-8")
    (pytester.path / "more.cases.yaml").write_text(
        "- name: zero\n  facts: {预算调整数: 0, 预算数: 100}\n  expect: {预算调整率: 5}\n",
        encoding="utf-8")
    (pytester.path / "other.yaml").write_text("- not: collected\n", encoding="utf-8")
    result = pytester.runpytest("-p", "rubric.verify.pytest_plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        ["cases.yaml:7: case 'wrong on purpose': 预算调整率 expected 4, got 3"])


def test_the_plugin_ignores_cases_without_a_ruleset(pytester: pytest.Pytester) -> None:
    (pytester.path / "cases.yaml").write_text(
        "- name: a\n  facts: {}\n  expect: {x: 1}\n", encoding="utf-8")
    result = pytester.runpytest("-p", "rubric.verify.pytest_plugin", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


@needs_yaml
def test_the_plugin_reports_a_malformed_cases_file_with_its_line(
        pytester: pytest.Pytester) -> None:
    shutil.copy(SEED_DIR / "ruleset.yaml", pytester.path / "ruleset.yaml")
    (pytester.path / "cases.yaml").write_text(
        "- name: a\n  facts: {}\n  expext: {x: 1}\n", encoding="utf-8")
    result = pytester.runpytest("-p", "rubric.verify.pytest_plugin", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.INTERRUPTED  # a collection error
    result.stdout.fnmatch_lines(["*cases.yaml:3:3: $[[]0[]].expext: unknown key 'expext'*"])
