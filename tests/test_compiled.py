"""The compiled scores-only path gives exactly the scores evaluate gives."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import seed_table
from rubric import evaluate, load_ruleset
from rubric.engine.compiled import compile_scores, score_only, scores_function
from rubric.testing import facts_for
from test_properties import random_rulesets

SEED = Path(__file__).resolve().parents[1] / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
sys.path.insert(0, str(SEED.parents[2] / "benchmarks" / "compare"))
from facts import generate  # noqa: E402


def same(ruleset: Any, facts: dict[str, Any]) -> None:
    result = evaluate(ruleset, facts)
    scores = score_only(ruleset, facts)
    # as written, exponents included: Decimal('5') and Decimal('5.00') print differently
    assert list(map(str, scores.lows)) == [str(r[0]) for r in result.records]
    assert list(map(str, scores.highs)) == [str(r[1]) for r in result.records]
    assert (scores.grade, scores.grades) == (result.grade, result.grades)
    assert scores.missing == result.missing
    assert scores.rescaled == result.rescaled
    assert scores.warnings == result.fact_warnings  # readings and constraints, in order


def test_the_seed_compiles_and_agrees_on_the_boundary_walk() -> None:
    ruleset = load_ruleset(SEED)
    fn = compile_scores(ruleset)
    assert fn is not None
    compiled = 0
    for facts in generate(1500):  # every band and step boundary, and their neighbours
        same(ruleset, facts)
        compiled += fn(dict(ruleset.facts_from(facts).values)) is not None
    # the compiled path scores settled units; 0/0 budgets and the like take evaluate
    assert compiled > 1200


@given(facts_for(seed_table.build(), missing=True))
def test_the_seed_agrees_with_missing_facts(facts: dict[str, Any]) -> None:
    same(seed_table.build(), facts)


@given(st.data())
def test_random_rulesets_agree(data: st.DataObject) -> None:
    ruleset = data.draw(random_rulesets())
    for missing in (False, True):
        same(ruleset, data.draw(facts_for(ruleset, missing=missing)))


def test_a_settled_unit_takes_the_compiled_path() -> None:
    ruleset = seed_table.build()
    facts = ruleset.facts_from(next(f for f in generate(50) if f["三公经费预算安排数"] != "0.00"))
    fn = compile_scores(ruleset)
    assert fn is not None
    got = fn(dict(facts.values))
    assert got is not None and got[-1] == evaluate(ruleset, facts).score
    assert isinstance(got[-1], Decimal)


def test_plain_values_take_the_fast_path_and_the_rest_the_general_one() -> None:
    from rubric import FactError

    ruleset = load_ruleset(SEED)
    raw = dict(next(f for f in generate(50) if f["三公经费预算安排数"] != "0.00"))
    assert scores_function(ruleset).raw(raw) is not None  # strings, ints, bools, ISO dates
    for changed in ({"预算数": "0.5 亿元"}, {"分项目核算结余结转": "是"},
                    {"绩效目标完成日期": "2023年12月31日"}, {"供养人数": "不适用"},
                    {"服务对象满意度": None}, {"规模工业增加值增长率": "达成预期指标"}):
        same(ruleset, {**raw, **changed})
    with pytest.raises(FactError, match="unknown fact 'nope'"):
        score_only(ruleset, {**raw, "nope": 1})
    with pytest.raises(FactError, match="预算调整率"):
        score_only(ruleset, {**raw, "预算调整率": 5})  # a derived fact is not given


def test_not_applicable_texts_and_rows_agree() -> None:
    """Facts given as /, —, 无此项 …, whole rows given as 不适用 and a lone '-' (a blank)
    take the general path and agree with evaluate, rescaling included."""
    ruleset = load_ruleset(SEED)
    raw = dict(next(f for f in generate(50) if f["三公经费预算安排数"] != "0.00"))
    for changed in ({"供养人数": "/"}, {"服务对象满意度": "—"}, {"分项目核算结余结转": "无此项"},
                    {"供养人数": "-"}, {"不适用": ["资金结余", "三公经费控制率"]},
                    {"不适用": "过程"}, {"资金结余": "不适用"}):
        same(ruleset, {**raw, **changed})
    assert score_only(ruleset, {**raw, "供养人数": "/"}).rescaled is not None


def test_capped_rows_and_subtotals_and_zero_over_zero_stay_compiled() -> None:
    """A row or a group above its 分值 is capped in the compiled function, and a row
    reading a 0/0 rate is read there by evaluation's own row path: none leaves it."""
    from rubric import Boolean, FactSpec, Group, Indicator, Ruleset, StepDeduction

    rs = Ruleset(Group("root", [
        Group("过程", [Indicator("三公", StepDeduction(
            "控制率", target=100, points=5, step=1, side="above", basis="absolute"),
            max_points=3), Indicator("公开", Boolean("公开", yes_points=4))], max_points=5),
        Indicator("采购", Boolean("采购", yes_points=2))]),
        [FactSpec("支出"), FactSpec("预算"), FactSpec("控制率", formula="支出 / 预算 * 100"),
         FactSpec("公开", type="boolean"), FactSpec("采购", type="boolean")])
    fn = scores_function(rs)
    assert fn is not None
    for facts in ({"支出": 0, "预算": 0, "公开": True, "采购": True},
                  {"支出": 90, "预算": 100, "公开": True, "采购": False},
                  {"支出": 102, "预算": 100, "公开": False, "采购": True}):
        assert fn.raw(dict(facts)) is not None
        same(rs, facts)
    assert score_only(rs, {"支出": 0, "预算": 0, "公开": True, "采购": True}).lows[-1] == 7


def test_the_seed_with_a_zero_budget_stays_compiled() -> None:
    ruleset = load_ruleset(SEED)
    fn = scores_function(ruleset)
    for facts in (f for f in generate(3000) if f["三公经费预算安排数"] == "0.00"):
        assert fn.raw(dict(facts)) is not None
        same(ruleset, facts)


def test_numbers_beyond_the_limits_are_refused_as_evaluate_refuses_them() -> None:
    """The plain-value path takes only numbers facts_from accepts (at most 10^18, 18
    places, 40 digits); the rest take the general path, which raises FactError."""
    from rubric import FactError

    ruleset = load_ruleset(SEED)
    raw = dict(next(f for f in generate(50) if f["三公经费预算安排数"] != "0.00"))
    for bad in ("1e30", "1" * 20, "0." + "1" * 19, 10 ** 19, Decimal("1E+19")):
        with pytest.raises(FactError, match="预算数"):
            evaluate(ruleset, {**raw, "预算数": bad})
        assert scores_function(ruleset).raw({**raw, "预算数": bad}) is None
        with pytest.raises(FactError, match="预算数"):
            score_only(ruleset, {**raw, "预算数": bad})
    for fine in (" 12", "1e3", "12.50", 12, Decimal("12.5")):
        same(ruleset, {**raw, "预算数": fine})
