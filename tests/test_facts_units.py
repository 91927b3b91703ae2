"""Facts as real tables state them: formulas compute in units, the reading of a bare
number for a % fact, and the units of real tables."""

from __future__ import annotations

import pickle
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rubric import RulesetError, check_ruleset, evaluate, load_ruleset
from rubric.engine.compiled import score_only
from rubric.errors import FactError, FormulaError, LoadError

D = Decimal
SEED = Path(__file__).resolve().parents[1] / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"

MIXED = textwrap.dedent("""\
    rubric: 1
    facts:
      三公经费实际支出数: {unit: 元, minimum: 0}
      三公经费预算安排数: {unit: 万元, minimum: 0.01}
      三公经费控制率:
        {unit: "%", minimum: 0, formula: 三公经费实际支出数 / 三公经费预算安排数 * 100}
      合计支出: {unit: 万元, minimum: 0, formula: 三公经费实际支出数 + 三公经费预算安排数}
    indicators:
      - id: 三公经费控制率
        max_points: 5
        rule: {kind: deduction, fact: 三公经费控制率, target: 100, points: 5, step: 1,
               per_step: 1, side: above}
      - id: 合计
        max_points: 5
        rule:
          kind: bands
          fact: 合计支出
          bands:
            - {range: "<=10", points: 5}
            - {range: ">10", points: 0}
    """)


def test_a_formula_over_yuan_and_wan_yuan_computes_in_units() -> None:
    ruleset = load_ruleset(MIXED, filename="r.yaml")
    result = evaluate(ruleset, {"三公经费实际支出数": "3.63 万元", "三公经费预算安排数": "4 万元"})
    assert result.value("三公经费控制率") == D("90.75")  # not 907500 %
    assert result.value("合计支出") == D("7.63")          # 36300 元 + 4 万元, in 万元
    assert result["三公经费控制率"].score == 5


def test_the_reading_of_a_converted_formula_is_recorded() -> None:
    ruleset = load_ruleset(MIXED, filename="r.yaml")
    formula = dict(ruleset.derived)["三公经费控制率"]
    assert formula.reading == "元/万元 × 100 → % (× 0.0001)"
    again = pickle.loads(pickle.dumps(formula))  # recompiled with its units
    assert again({"三公经费实际支出数": D(36300), "三公经费预算安排数": D(4)}) == D("90.75")


def test_a_ratio_for_a_percent_fact_without_times_100_is_a_load_error() -> None:
    text = MIXED.replace("三公经费预算安排数 * 100}", "三公经费预算安排数}")
    with pytest.raises(LoadError) as err:
        load_ruleset(text, filename="r.yaml")
    message = str(err.value)
    assert "r.yaml:6:" in message
    assert ("gives a ratio (元/万元) but the fact is declared in %: a ratio is read as percent "
            "only when the formula multiplies it by 100") in message
    assert "example: (三公经费实际支出数 / 三公经费预算安排数) * 100" in message


def test_a_result_that_cannot_convert_is_a_load_error_naming_both_units() -> None:
    text = MIXED.replace("三公经费实际支出数 / 三公经费预算安排数 * 100}",
                         "三公经费实际支出数 * 100}")
    with pytest.raises(LoadError) as err:
        load_ruleset(text, filename="r.yaml")
    message = str(err.value)
    assert "r.yaml:6:" in message
    assert ("gives [currency] (元), which cannot convert to its declared unit %" in message)


def test_the_python_api_refuses_a_bare_ratio_for_a_percent_fact_too() -> None:
    from rubric import FactSpec, Group, Indicator, Ruleset
    from rubric.rules import Boolean

    with pytest.raises(FormulaError, match="gives a ratio"):
        Ruleset(Group("root", [Indicator("a", Boolean("a", 1))]),
                [FactSpec("a", type="boolean"), FactSpec("x", unit="万元"),
                 FactSpec("y", unit="万元"), FactSpec("率", unit="%", formula="x / y")])


def test_check_accepts_a_ratio_of_one_dimension_and_flags_mixed_dimensions() -> None:
    ruleset = load_ruleset(MIXED, filename="r.yaml")
    assert [f for f in check_ruleset(ruleset) if f.code == "unit-mismatch"] == []
    mixed = MIXED.replace("三公经费实际支出数 + 三公经费预算安排数}", "三公经费实际支出数 + 人数}")
    mixed = mixed.replace("indicators:", "  人数: {unit: 人, minimum: 0}\nindicators:")
    ruleset = load_ruleset(mixed, filename="r.yaml")  # mixed dimensions: check's finding
    (finding,) = [f for f in check_ruleset(ruleset) if f.code == "unit-mismatch"]
    assert finding.severity == "error"
    assert "adds '三公经费实际支出数'" in finding.message and "'人数'" in finding.message


def test_the_seed_formulas_need_no_conversion() -> None:
    ruleset = load_ruleset(SEED)
    assert all(formula.reading == "" for _name, formula in ruleset.derived)


money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False,
                    allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(spent=money, spent_unit=st.sampled_from(["元", "万元", "千元", "亿元"]),
       budget=money.filter(lambda d: d > 0), budget_unit=st.sampled_from(["元", "万元"]))
def test_score_only_agrees_with_evaluate_on_mixed_unit_formulas(
        spent: Decimal, spent_unit: str, budget: Decimal, budget_unit: str) -> None:
    ruleset = _MIXED_RULESET
    facts = {"三公经费实际支出数": f"{spent} {spent_unit}",
             "三公经费预算安排数": f"{budget} {budget_unit}"}
    try:
        result = evaluate(ruleset, facts)
    except FactError as exc:  # a value outside a declared domain: both refuse it
        with pytest.raises(type(exc)):
            score_only(ruleset, facts)
        return
    scores = score_only(ruleset, facts)
    assert scores.lows == tuple(r[0] for r in result.records)
    assert scores.highs == tuple(r[1] for r in result.records)
    assert (scores.grade, scores.grades) == (result.grade, result.grades)


_MIXED_RULESET = load_ruleset(MIXED, filename="r.yaml")


# ------------------------------------------------------------------------ units

@pytest.mark.parametrize(("src", "dst", "factor"), [
    ("万亩", "亩", "10000"), ("公顷", "平方米", "10000"), ("厘米", "米", "0.01"),
    ("千米", "公里", "1"), ("千克", "万吨", "1E-7"), ("万人次", "人次", "10000"),
    ("株", "棵", "1"), ("课时", "学时", "1"), ("万立方米", "立方米", "10000"),
], ids=str)
def test_units_of_real_tables_convert_exactly(src: str, dst: str, factor: str) -> None:
    from rubric.units import conversion_factor

    assert conversion_factor(src, dst) == D(factor)


@pytest.mark.parametrize(("src", "dst"), [("亩", "平方米"), ("小时", "天"), ("月", "年"),
                                          ("头", "只"), ("所", "家"), ("辆", "台")], ids=str)
def test_inexact_or_different_kinds_never_convert(src: str, dst: str) -> None:
    from rubric.errors import UnitError
    from rubric.units import conversion_factor

    with pytest.raises(UnitError, match=f"cannot convert {src} to {dst}"):
        conversion_factor(src, dst)


def test_rubric_units_lists_every_unit_with_its_dimension(capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    from rubric.cli import main

    assert main(["units"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "unit\taliases\tdimension\tsize"
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in lines[1:]}
    assert rows["万亩"] == ["", "[mu]", "10000 亩"]
    assert rows["percent"] == ["%, 百分比", "(pure number)", "0.01"]
    assert rows["元"] == ["yuan, CNY", "[currency]", ""]
    for unit in ("亩", "厘米", "立方米", "头", "所", "万人次", "户", "公里"):
        assert unit in rows


def test_a_ratio_of_two_facts_in_different_scales_is_refused_at_load() -> None:
    # 9 万元 against a target of 100000 元 would divide 9 by 100000: never silently
    text = """
rubric: 1
metadata: {id: t, name: t}
policy: {total_points: 4}
facts:
  完成: {unit: 万元, minimum: 0}
  计划: {unit: 元, minimum: 0}
root: {id: 总分, name: 合计, max_points: 4}
indicators:
  - id: A
    name: 完成率
    rule: {kind: ratio, actual: 完成, target: 计划, points: 4}
"""
    with pytest.raises(RulesetError) as info:
        load_ruleset(text)
    message = str(info.value)
    assert message.startswith("<string>:12:11: $.indicators[0].rule: indicator 'A': ")
    assert ("ratio of '完成' (万元) to '计划' (元): the rule divides the two values as "
            "declared, and 1 元 is 0.0001 万元") in message
    same = load_ruleset(text.replace("计划: {unit: 元", "计划: {unit: 万元"))
    assert evaluate(same, {"完成": "9 万元", "计划": "100000 元"}).total.score == Decimal("3.6")
