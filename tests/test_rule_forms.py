"""The rule forms of issue 11: the evaluator's chosen tier (``tier``), bands whose value is
a score range, and composite rows; each in YAML and Python, at, below and above its
boundaries, through check, testing, audit and the compiled path."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, seed, settings

from rubric import (
    Band,
    Bands,
    FactSpec,
    Group,
    Indicator,
    Ruleset,
    TierChoice,
    evaluate,
    load_ruleset,
)
from rubric.audit import Claimed, audit
from rubric.engine.compiled import score_only
from rubric.errors import EvaluationError, LoadError, RulesetError
from rubric.io.dump import dump_ruleset
from rubric.testing import facts_for
from rubric.verify.check import check_ruleset

D = Decimal

TABLE = textwrap.dedent("""\
    rubric: 1
    metadata: {id: forms, name: 评价表}
    policy: {total_points: 17}
    facts:
      完成档次: {type: category, categories: [达成, 部分达成, 未达成]}
      到位率: {unit: "%", minimum: 0, maximum: 100}
    root: {id: 合计, name: 合计, max_points: 17}
    indicators:
      - id: 目标完成
        max_points: 8
        criterion: 达成年度指标 100-80%(含80%); 部分达成 80-60%(含60%); 未达成 60-0%
        rule: {kind: tier, fact: 完成档次, points: 8}
      - id: 资金到位
        max_points: 9
        criterion: 到位率50%以上(7分到9分); 50%以下(0分到6分)
        rule:
          kind: bands
          fact: 到位率
          direction: higher
          bands:
            - {range: "<50", points: "0-6"}
            - {range: "≥50", points: [7, 9]}
    """)


@pytest.fixture(scope="module")
def table() -> Ruleset:
    return load_ruleset(TABLE)


# ----------------------------------------------------------------------- the tier kind

@pytest.mark.parametrize(("tier", "low", "high"), [
    ("达成", "6.4", "8"), ("部分达成", "4.8", "6.4"), ("未达成", "0", "4.8")])
def test_the_chosen_tier_narrows_the_row_to_its_band(table: Ruleset, tier: str, low: str,
                                                      high: str) -> None:
    row = evaluate(table, {"完成档次": tier, "到位率": 60})["目标完成"]
    assert (row.low, row.high) == (D(low), D(high))
    assert row.missing == () and row.score is None
    assert f"“{tier}”档：由评价人在 {low}–{high} 分之间给分" in row.explain("zh")
    assert f"tier '{tier}': the evaluator scores within {low}-{high} points" in row.explain("en")


def test_without_a_tier_the_row_is_its_whole_range(table: Ruleset) -> None:
    row = evaluate(table, {"到位率": 60})["目标完成"]
    assert (row.low, row.high, row.missing) == (D(0), D(8), ("完成档次",))


def test_the_default_tiers_are_those_of_cai_yu_2020_10() -> None:
    rule = TierChoice("档次", 10)
    labels = [(t.label, t.lower, t.upper, t.lower_closed, t.upper_closed) for t in rule.tiers]
    assert labels == [("达成", 80, 100, True, True), ("部分达成", 60, 80, True, False),
                      ("未达成", 0, 60, True, False)]
    with pytest.raises(EvaluationError, match="not one of the rule's tiers"):
        evaluate(Ruleset(Group("r", [Indicator("x", rule)]), [FactSpec("档次", type="text")]),
                 {"档次": "优秀"})


def test_a_tier_label_used_twice_or_not_a_category_is_rejected() -> None:
    from rubric import Tier

    with pytest.raises(RulesetError, match="used twice"):
        TierChoice("t", 8, [Tier("好", 80, 100), Tier("好", 0, 80)])
    with pytest.raises(LoadError, match="not a category"):
        load_ruleset(TABLE.replace("categories: [达成, 部分达成, 未达成]",
                                   "categories: [达成, 部分达成, 差]"))


# ------------------------------------------------------------- bands with score ranges

@pytest.mark.parametrize(("rate", "low", "high"), [
    (0, 0, 6), ("49.99", 0, 6), (50, 7, 9), ("50.01", 7, 9), (100, 7, 9)])
def test_a_band_with_a_score_range_sets_the_range(table: Ruleset, rate: Any, low: int,
                                                  high: int) -> None:
    row = evaluate(table, {"完成档次": "达成", "到位率": rate})["资金到位"]
    assert (row.low, row.high, row.missing) == (D(low), D(high), ())
    assert f"由评价人在 {low}–{high} 分之间给分" in row.explain("zh")


def test_score_ranges_in_python_and_both_yaml_spellings(table: Ruleset) -> None:
    rule = table.node("资金到位").rule
    assert rule.bands == (Band(0, None, 50, points_max=6), Band(7, 50, None, points_max=9))
    assert rule.max_points == 9
    assert load_ruleset(dump_ruleset(table)) == table
    assert "points: [7, 9]" in dump_ruleset(table)
    with pytest.raises(RulesetError, match="runs downwards"):
        Band(9, 50, None, points_max=7)
    with pytest.raises(LoadError, match="two numbers"):
        load_ruleset(TABLE.replace("points: [7, 9]", "points: [7, 8, 9]"))


def test_a_mixed_table_sums_ranges_into_a_range_total(table: Ruleset) -> None:
    result = evaluate(table, {"完成档次": "部分达成", "到位率": 80})
    assert (result.total.low, result.total.high) == (D("11.8"), D("15.4"))


# ---------------------------------------------------------------------------- check

def test_check_passes_the_table(table: Ruleset) -> None:
    assert check_ruleset(table) == []


def test_check_finds_tier_gaps_and_categories_without_a_tier() -> None:
    gap = TABLE.replace("rule: {kind: tier, fact: 完成档次, points: 8}",
                        "rule: {kind: tier, fact: 完成档次, points: 8, tiers: ["
                        "{label: 达成, lower: 80, upper: 100}, "
                        "{label: 部分达成, lower: 60, upper: 70}]}")
    codes = {f.code for f in check_ruleset(load_ruleset(gap))}
    assert {"tier-gap", "band-gap"} <= codes


def test_check_finds_gaps_and_directions_of_score_ranges() -> None:
    # the high ends fall (9 then 8.5) though the low ends rise: against 'higher'
    falling = TABLE.replace('points: "0-6"', 'points: "0-9"').replace(
        "points: [7, 9]", "points: [7, 8.5]")
    (finding,) = [f for f in check_ruleset(load_ruleset(falling)) if f.code == "direction"]
    assert "the most points fall from 9" in finding.message
    low_end = TABLE.replace('points: "0-6"', 'points: "8-9"')
    assert "direction" in {f.code for f in check_ruleset(load_ruleset(low_end))}
    gap = TABLE.replace('range: "<50"', 'range: "<40"')
    assert "band-gap" in {f.code for f in check_ruleset(load_ruleset(gap))}


# -------------------------------------------------------------------------- testing

def test_facts_for_draws_every_tier_and_both_sides_of_the_band(table: Ruleset) -> None:
    seen: set[Any] = set()

    @seed(0)
    @settings(database=None, max_examples=120)
    @given(facts_for(table))
    def inner(facts: dict[str, Any]) -> None:
        result = evaluate(table, facts)
        seen.add(facts["完成档次"])
        seen.add(result["资金到位"].low)

    inner()
    assert {"达成", "部分达成", "未达成", D(0), D(7)} <= seen


# ---------------------------------------------------------------------------- audit

@pytest.mark.parametrize(("claim", "status"), [
    ("6.4", "consistent"), (7, "consistent"), (8, "consistent"), (5, "impossible"),
    ("8.5", "impossible")])
def test_audit_checks_a_claim_against_the_chosen_tier(table: Ruleset, claim: Any,
                                                      status: str) -> None:
    report = audit(table, {"完成档次": "达成", "到位率": 60}, Claimed({"目标完成": claim}))
    entry = report["目标完成"]
    assert entry.status == status
    if claim == 5:
        assert entry.messages == ("“达成”档 应在 6.4–8 之间, 申报 5",)
        en = audit(table, {"完成档次": "达成", "到位率": 60}, Claimed({"目标完成": 5}),
                   lang="en")["目标完成"]
        assert en.messages == ("tier '达成' must be within 6.4–8, claimed 5",)


def test_audit_checks_a_claim_against_a_score_range_and_sums_the_table(table: Ruleset) -> None:
    facts = {"完成档次": "部分达成", "到位率": 55}
    report = audit(table, facts, Claimed({"目标完成": 6, "资金到位": 8}, total=14))
    assert [e.status for e in report.entries] == ["consistent", "consistent", "consistent"]
    report = audit(table, facts, Claimed({"目标完成": 6, "资金到位": 6}, total=12))
    assert report["资金到位"].status == "impossible"
    assert report["资金到位"].messages == ("区间 ≥50 应在 7–9 之间, 申报 6",)
    assert report["合计"].status == "consistent"  # 12 is inside 11.8-15.4
    assert not report.ok
    report = audit(table, facts, Claimed({}, total=16))
    assert report["合计"].status == "impossible"
    assert report["合计"].messages == ("评价人可给分 应在 11.8–15.4 之间, 申报 16",)
    # without the tier the claim is only feasible: the tier is missing
    assert audit(table, {"到位率": 55}, Claimed({"目标完成": 5}))["目标完成"].status == \
        "feasible"


# --------------------------------------------------------------------- compiled path

@pytest.mark.parametrize("facts", [
    {"完成档次": "达成", "到位率": 60}, {"完成档次": "未达成", "到位率": 10}, {"到位率": 50},
    {}])
def test_the_compiled_path_agrees_with_evaluate(table: Ruleset, facts: dict[str, Any]) -> None:
    result = evaluate(table, facts)
    scores = score_only(table, facts)
    assert scores.lows == tuple(r[0] for r in result.records)
    assert scores.highs == tuple(r[1] for r in result.records)
    assert scores.missing == result.missing


def test_python_form_matches_yaml(table: Ruleset) -> None:
    rs = Ruleset(Group("合计", [
        Indicator("目标完成", TierChoice("完成档次", 8)),
        Indicator("资金到位", Bands("到位率", [Band(0, None, 50, points_max=6),
                                             Band(7, 50, None, points_max=9)], "higher")),
    ], name="合计"), [FactSpec("完成档次", type="category",
                             categories=("达成", "部分达成", "未达成")),
                     FactSpec("到位率", unit="%", minimum=0, maximum=100)])
    facts = {"完成档次": "达成", "到位率": 60}
    a, b = evaluate(rs, facts), evaluate(table, facts)
    assert [(r.low, r.high) for r in a.nodes()] == [(r.low, r.high) for r in b.nodes()]
