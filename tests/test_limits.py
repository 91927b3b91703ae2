"""Hostile and broken input: every limit of docs/ruleset-format.md ("Limits") is a clear
error naming the value and, for files, where it is; never memory, time or a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from rubric.errors import (
    EvaluationError,
    FactError,
    FormulaError,
    LoadError,
    RulesetError,
    UnitError,
)
from rubric.expressions import compile_formula
from rubric.facts import UNDEFINED, FactSpec, to_decimal
from rubric.io import located_yaml
from rubric.io.ranges import parse_range
from rubric.numbers import MAX_MAGNITUDE, accepted
from rubric.units import normalize_unit, split_quantity

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023"
FACT = "新增省级专精特新小巨人企业"

# ------------------------------------------------------------------ numeric domain


@pytest.mark.parametrize("text", ["1E+999999999", "1e999999", "1E+19", "-1E+19",
                                  "0E+999999999", "1E-999999", "0.0000000000000000001"])
def test_numbers_outside_the_domain_are_refused(text):
    assert not accepted(Decimal(text))
    with pytest.raises(RulesetError, match="value = "):
        to_decimal(text, "value")


@pytest.mark.parametrize("text", ["0", "4.5", "1E+18", "-1E+18", "0.000000000000000001",
                                  "123456789012345678.123456789012345678"])
def test_numbers_inside_the_domain_are_accepted(text):
    assert accepted(Decimal(text))
    assert to_decimal(text) == Decimal(text)
    assert len(format(Decimal(text), "f")) < 50


def test_a_megabyte_of_digits_is_refused_before_conversion():
    with pytest.raises(RulesetError, match="too long"):
        to_decimal("1" * 1_000_000)


def test_a_fact_value_outside_the_domain_is_a_fact_error():
    spec = FactSpec(FACT, "number", unit="家")
    for raw in ("1E+999999999", "1E+999999999 家", Decimal("1E+999999999"), 10**30):
        with pytest.raises(FactError, match=FACT):
            spec.coercer(raw)


def test_a_quantity_outside_the_domain_names_it():
    with pytest.raises(RulesetError, match="too large"):
        split_quantity("1E+999999999 万元")


def test_a_band_bound_outside_the_domain_is_refused():
    with pytest.raises(RulesetError, match="too large"):
        parse_range("(0, 1E+999999999]")


@pytest.mark.parametrize("text", ["x: 1E+999999999", "x: 1e999999", "x: 0.1234567890123456789012",
                                  "x: 100000000000000000000000"])
def test_yaml_numbers_outside_the_domain_are_located(text):
    with pytest.raises(LoadError) as info:
        located_yaml.read(text + "\n")
    assert "<string>:1:4" in str(info.value)


def test_facts_file_bomb_through_the_cli_under_1_gib(tmp_path):
    facts = tmp_path / "f.yaml"
    facts.write_text(f"{FACT}: 1E+999999999\n", encoding="utf-8")
    limit = ("import resource, runpy, sys; "
             "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
             "sys.argv = ['rubric'] + sys.argv[1:]; "
             "runpy.run_module('rubric', run_name='__main__')")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", limit, "score", str(SEED / "ruleset.yaml"),
                           str(facts)], capture_output=True, text=True, env=env, timeout=60,
                          check=False)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "1E+999999999 is too large" in done.stderr
    assert f"{facts}:1:" in done.stderr
    assert len(done.stdout) + len(done.stderr) < 10_000
    assert time.monotonic() - start < 30


# ------------------------------------------------------------------ unit strings


def test_a_long_unit_string_is_refused_before_pint():
    start = time.monotonic()
    with pytest.raises(UnitError, match="too long"):
        normalize_unit("元" * 40_000)
    with pytest.raises(UnitError, match="too long"):
        normalize_unit("元*" * 20 + "元")
    assert time.monotonic() - start < 1


@pytest.mark.parametrize("unit", ["元**元**元", "元/人/天/次", "(元)", "元^元"])
def test_unit_strings_of_odd_shape_are_refused(unit):
    with pytest.raises(UnitError):
        normalize_unit(unit)


@pytest.mark.parametrize("unit", ["万元", "%", "元/人", "人次", "万元 / 人", "平方米"])
def test_simple_units_still_read(unit):
    normalize_unit(unit)


# ------------------------------------------------------------------ sizes and depths


def test_a_non_regular_file_is_refused():
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    with pytest.raises(LoadError, match="not a regular file"):
        located_yaml.read(Path("/dev/zero"))


def test_a_file_above_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(located_yaml, "MAX_FILE_BYTES", 100)
    big = tmp_path / "big.yaml"
    big.write_text("x: " + "a" * 200 + "\n", encoding="utf-8")
    with pytest.raises(LoadError, match="too large"):
        located_yaml.read(big)


@pytest.mark.parametrize("text", ["[" * 600 + "]" * 600,
                                  "".join(" " * i + "a:\n" for i in range(600)) + " " * 600 + "1\n",
                                  "- " * 600 + "1\n"])
def test_deep_yaml_is_refused_with_its_line(text):
    with pytest.raises(LoadError, match="nested too deeply") as info:
        located_yaml.read(text)
    assert "<string>:" in str(info.value)


def test_yaml_within_the_depth_limit_reads():
    assert located_yaml.read("[" * 60 + "1" + "]" * 60 + "\n").data is not None


# ------------------------------------------------------------------ formulas


@pytest.mark.parametrize(("text", "why"), [
    ("+".join(["a"] * 3000), "longer than"),
    ("-" * 10_000 + "a", "longer than"),
    ("min(" + ",".join(["a"] * 600) + ")", "more than 500"),
    ("+".join(["a"] * 150), "deeper than 100"),
    ("-" * 200 + "a", "deeper than 100"),
    ("(" * 250 + "a" + ")" * 250, "not a valid formula"),
    ("a * 1e999999", "not a finite number"),
    ("a + 1" + "0" * 30, "too large"),
])
def test_formula_limits(text, why):
    with pytest.raises(FormulaError, match=why):
        compile_formula(text, {"a"})


@pytest.mark.parametrize("text", ["a; open('X','w')", "a\nb", "x = a", "", "import os"])
def test_a_formula_is_exactly_one_expression(text, capfd):
    with pytest.raises(FormulaError, match="not a valid formula"):
        compile_formula(text, {"a", "b", "x"})
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert not Path("X").exists()


def test_formulas_within_the_limits_compile():
    formula = compile_formula("+".join(["a"] * 90), {"a"})
    assert formula({"a": Decimal(1)}) == 90
    assert compile_formula("-" * 40 + "a", {"a"})({"a": Decimal(2)}) == 2
    assert Decimal(10) ** 18 == MAX_MAGNITUDE


def test_check_of_dev_zero_is_refused_not_read(capsys):  # type: ignore[no-untyped-def]
    from rubric.cli import main

    assert main(["check", "/dev/zero"]) == 1
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "/dev/zero: not a regular file" in text and "internal error" not in text


@pytest.mark.parametrize("text", ["!!timestamp abc", "!!timestamp 2024-02-30",
                                  "!!timestamp 99999-01-01"])
def test_an_explicit_timestamp_that_is_not_a_date_is_located(text):
    with pytest.raises(LoadError, match="invalid date") as info:
        located_yaml.read(f"x: {text}\n")
    assert "<string>:1:4" in str(info.value)


# ------------------------------------------------------------------ formula results


@pytest.mark.parametrize(("text", "why"), [
    ("9**9**9", "9 ** 387420489 is beyond rubric's numeric domain"),
    ("10 ** 9 * 10 ** 9 * 10 ** 9 + a", "a part of it gives 1.000000E+27, beyond"),
    ("round(a, 1000000000)", "takes a whole n from -18 to 18, got 1000000000"),
    ("round(a, 0.5)", "takes a whole n"),
    ("round(a, 1, 2)", "round() takes 1 to 2 arguments"),
    ("min(a)", "min() takes at least 2 arguments"),
    ("abs()", "abs() takes 1 arguments"),
])
def test_formulas_over_literals_beyond_the_domain_are_refused_at_load(text, why):
    with pytest.raises(FormulaError, match="not a valid formula") as info:
        compile_formula(text, {"a"})
    assert why in str(info.value)


@pytest.mark.parametrize(("text", "a", "why"), [
    ("a ** a", "100", "100 ** 100 is beyond rubric's numeric domain"),
    ("a ** 1e17", "100", "100 ** 1E+17 is beyond"),
    ("a ** a ** 2", "100", "100 ** 10000 is beyond"),
    ("a * a * a", "1E+18", "gives 1.000000E+54, beyond rubric's numeric domain"),
    ("round(a, a)", "1000000000", "takes a whole n from -18 to 18"),
])
def test_formula_results_beyond_the_domain_are_evaluation_errors(text, a, why):
    formula = compile_formula(text, {"a"})
    with pytest.raises(EvaluationError, match="formula") as info:
        formula({"a": Decimal(a)})
    assert why in str(info.value)
    assert len(str(info.value)) < 400


@pytest.mark.parametrize("text", ["a ** -50000", "a / 10 ** 18 / 10 ** 18 / 10 ** 18",
                                  "9 ** -999999999 * a"])
def test_tiny_formula_results_print_short(text):
    value = compile_formula(text, {"a"})({"a": Decimal(100)})
    assert isinstance(value, Decimal) and abs(value) < Decimal("1E-36")
    assert len(format(value, "f")) < 70


@pytest.mark.parametrize(("text", "a"), [("a * 3", "ab"), ("-a", "ab"), ("floor(a)", True),
                                         ("a < 3", "ab"), ("abs(a)", "ab")])
def test_formulas_over_the_wrong_types_are_evaluation_errors(text, a):
    with pytest.raises(EvaluationError, match="cannot be computed for these values"):
        compile_formula(text, {"a"})({"a": a})


def test_powers_keep_their_readings():
    assert compile_formula("a ** 2", {"a"})({"a": Decimal(3)}) == 9
    assert compile_formula("0 ** -1 + a", {"a"})({"a": Decimal(0)}) == Decimal("Infinity")
    assert compile_formula("a ** 0.5", {"a"})({"a": Decimal(-8)}) is UNDEFINED
    assert compile_formula("round(a, 18)", {"a"})({"a": Decimal("0.5")}) == Decimal("0.5")


SCORE_FORMULA = """\
rubric: 1
metadata: {{id: f, name: f, issuer: t, fiscal_year: 2024, version: "1", source: t}}
policy: {{total_points: 10}}
facts:
  人数: {{minimum: 0}}
  率: {{formula: {derived}}}
root: {{id: 合计, name: 合计, max_points: 10, select: all}}
indicators:
  - id: 公式
    max_points: 10
    rule: {{kind: formula, expression: "{expression}", points: 10}}
"""


def _cli(*args: str) -> tuple[int, str]:
    import contextlib
    import io

    from rubric.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize(("expression", "derived", "facts", "where", "why"), [
    ("9**9**9", "人数", "人数: 3", ":11:", "9 ** 387420489 is beyond"),
    ("round(人数, 1000000000)", "人数", "人数: 3", ":11:", "from -18 to 18"),
    ("人数 ** 人数", "人数", "人数: 100", ":9:", "100 ** 100 is beyond"),
    ("min(10, 率)", "人数 ** 人数", "人数: 100", ":6:", "100 ** 100 is beyond"),
])
def test_formula_bombs_are_located_errors_at_score_and_check(tmp_path, expression, derived,
                                                             facts, where, why):
    ruleset = tmp_path / "r.yaml"
    ruleset.write_text(SCORE_FORMULA.format(expression=expression, derived=derived),
                       encoding="utf-8")
    (tmp_path / "f.yaml").write_text(facts + "\n", encoding="utf-8")
    code, text = _cli("score", str(ruleset), str(tmp_path / "f.yaml"))
    assert code == 1 and "internal error" not in text
    assert f"{ruleset}{where}" in text and why in text
    code, text = _cli("check", str(ruleset))
    assert "internal error" not in text
    assert "rubric: error" not in text  # every problem is a located finding
    if derived == "人数":  # the score formula itself: a load error or a counterexample
        assert code == 1 and f"{ruleset}:" in text


EVERY_KIND = ROOT / "tests" / "data" / "every_kind.yaml"


@pytest.mark.parametrize(("old", "new", "why"), [
    ('minimum: "0 亿元"', 'minimum: "1e999999 亿元"', "too large"),
    ("deadline: 2024-09-30", "deadline: !!timestamp abc", "invalid date 'abc'"),
    ("max_points: 100.0", "max_points: 1e308", "too large"),
    ("per_step: 0.5", "per_step: 9e999999", "too large"),
    ("step: 5,", "step: 1e-30,", "too many decimal places"),
    ("max_points: 100.0", "max_points: " + "9" * 5000, "too long"),
    ("target: 0.5 亿元", "target: 1E+999999999", "too large"),
    ('expression: "min(10, 人数 / 10)"', 'expression: "9**9**9"', "beyond rubric's numeric"),
    ('expression: "min(10, 人数 / 10)"', 'expression: "round(人数, 1000000000)"', "from -18"),
])
def test_issue_item_10_rulesets_are_located_errors_under_check(tmp_path, old, new, why):
    text = EVERY_KIND.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "r.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out = _cli("check", str(path))
    assert code == 1 and "internal error" not in out
    line = next(n for n, row in enumerate(text.splitlines(), 1) if old in row)
    assert f"{path}:{line}" in out and why in out, out
