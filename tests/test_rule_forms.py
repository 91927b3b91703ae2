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


def test_a_claim_at_an_open_end_of_a_tier_belongs_to_the_next_tier(table: Ruleset) -> None:
    facts = {"完成档次": "部分达成", "到位率": 60}
    entry = audit(table, facts, Claimed({"目标完成": "6.4"}))["目标完成"]
    assert entry.status == "impossible"
    assert entry.messages == ("“部分达成”档 应在 4.8–6.4 之间（不含 6.4）, 申报 6.4",)
    assert audit(table, facts, Claimed({"目标完成": "4.8"}))["目标完成"].status == "consistent"
    assert audit(table, facts, Claimed({"目标完成": "6.39"}))["目标完成"].status == "consistent"


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


# ---------------------------------------------------- a base band, then a deduction

THEN = textwrap.dedent("""\
    rubric: 1
    metadata: {id: then, name: 评价表}
    policy: {total_points: 8}
    facts:
      浮动率: {unit: "%", minimum: 0, maximum: 100}
    root: {id: 合计, name: 合计, max_points: 8}
    indicators:
      - id: 浮动
        max_points: 8
        criterion: 浮动2%以内 8分; 浮动2%以后每超过1%扣0.5分
        rule:
          kind: bands
          fact: 浮动率
          direction: lower
          bands:
            - {range: "≤2", points: 8}
            - {range: ">2", points: 8, then: {step: 1, per_step: 0.5}}
    """)


@pytest.fixture(scope="module")
def then() -> Ruleset:
    return load_ruleset(THEN)


@pytest.mark.parametrize(("rate", "score"), [
    (0, 8), (2, 8), ("2.01", 8), ("2.99", 8), (3, "7.5"), ("3.01", "7.5"), (10, 4), (18, 0),
    (100, 0)])
def test_a_band_sets_a_base_and_a_deduction_follows(then: Ruleset, rate: Any,
                                                    score: Any) -> None:
    row = evaluate(then, {"浮动率": rate})["浮动"]
    assert row.score == D(score)
    if D(rate) > 2:
        assert "每步扣 0.5 分" in row.explain("zh") and "at 0.5 each" in row.explain("en")


def test_then_in_python_with_a_start_partial_and_floor() -> None:
    from rubric import Then

    # "60%-90% 8分, 每低1%扣0.2分 (不足1%按比例), 最低2分"
    rule = Bands("r", [Band(0, None, 60), Band(8, 60, 90, then=Then(1, "0.2", "upper",
                                                                      "proportional", 2)),
                       Band(10, 90, None)], "higher")
    rs = Ruleset(Group("t", [Indicator("x", rule)]), [FactSpec("r", minimum=0, maximum=100)])
    for rate, score in [(90, 10), ("89.5", "7.9"), (80, 6), (60, 2), (65, 3), (59, 0)]:
        assert evaluate(rs, {"r": rate})["x"].score == D(score), rate
    assert not {f.code for f in check_ruleset(rs)} & {"direction", "band-gap", "band-overlap"}
    with pytest.raises(RulesetError, match="score range or a deduction"):
        Band(8, 60, 90, points_max=9, then=Then(1, 1))
    with pytest.raises(RulesetError, match="no upper end"):
        Band(8, 60, None, then=Then(1, 1, "upper"))


def test_check_reads_the_direction_of_a_deduction_inside_a_band(then: Ruleset) -> None:
    assert check_ruleset(then) == []
    wrong = THEN.replace("direction: lower", "direction: higher")
    messages = [f.message for f in check_ruleset(load_ruleset(wrong)) if f.code == "direction"]
    assert any("the deduction counts from its lower end" in m for m in messages)


def test_then_round_trips_and_draws_facts_beyond_the_base(then: Ruleset) -> None:
    assert load_ruleset(dump_ruleset(then)) == then
    seen: set[Decimal] = set()

    @seed(0)
    @settings(database=None, max_examples=80)
    @given(facts_for(then))
    def inner(facts: dict[str, Any]) -> None:
        seen.add(evaluate(then, facts)["浮动"].score)

    inner()
    assert {D(8), D("7.5")} <= seen


def test_audit_and_compiled_path_of_then(then: Ruleset) -> None:
    facts = {"浮动率": 3}
    assert audit(then, facts, Claimed({"浮动": "7.5"}))["浮动"].status == "consistent"
    entry = audit(then, facts, Claimed({"浮动": 7}))["浮动"]
    assert entry.status == "wrong" and entry.messages == ("申报 7, 按规则应得 7.5",)
    entry = audit(then, facts, Claimed({"浮动": "7.3"}))["浮动"]
    assert entry.status == "impossible"  # 7.3 is no score whole steps of 0.5 can leave
    for facts in ({"浮动率": 0}, {"浮动率": "2.5"}, {"浮动率": 12}, {}):
        result = evaluate(then, facts)
        scores = score_only(then, facts)
        assert scores.lows == tuple(r[0] for r in result.records)
        assert scores.highs == tuple(r[1] for r in result.records)


# ------------------------------------------------------------- a checklist of rules

SUM = textwrap.dedent("""\
    rubric: 1
    metadata: {id: sum, name: 评价表}
    policy: {total_points: 8}
    facts:
      制度健全: {type: boolean}
      问题数: {unit: 个, minimum: 0}
      执行档次: {type: category, categories: [达成, 部分达成, 未达成]}
    root: {id: 合计, name: 合计, max_points: 8}
    indicators:
      - id: 管理
        max_points: 8
        criterion: 制度健全 3分; 每发现一个问题扣1分(4分扣完为止); 执行到位 3分; 最高8分
        rule:
          kind: sum
          points: 8
          parts:
            - {kind: boolean, fact: 制度健全, yes_points: 3}
            - {kind: per_occurrence, fact: 问题数, points: 4}
            - {kind: tier, fact: 执行档次, points: 3}
    """)


@pytest.fixture(scope="module")
def summed() -> Ruleset:
    return load_ruleset(SUM)


@pytest.mark.parametrize(("facts", "low", "high"), [
    ({"制度健全": True, "问题数": 0, "执行档次": "达成"}, 8, 8),  # 3 + 4 + 2.4-3, capped at 8
    ({"制度健全": True, "问题数": 1, "执行档次": "达成"}, "8", "8"),  # 3 + 3 + 2.4-3 = 8.4-9
    ({"制度健全": True, "问题数": 2, "执行档次": "达成"}, "7.4", "8"),
    ({"制度健全": False, "问题数": 4, "执行档次": "未达成"}, 0, "1.8"),
    ({"制度健全": False, "问题数": 9, "执行档次": "部分达成"}, "1.8", "2.4"),
    ({"问题数": 0, "执行档次": "达成"}, "6.4", "8"),
])
def test_a_checklist_of_rules_is_summed_and_capped(summed: Ruleset, facts: dict[str, Any],
                                                   low: Any, high: Any) -> None:
    row = evaluate(summed, facts)["管理"]
    assert (row.low, row.high) == (D(low), D(high))
    zh = row.explain("zh")
    assert "第 1 项（boolean）" in zh and "各项合计" in zh
    assert "part 3 (tier)" in row.explain("en")


def test_sum_in_python_round_trip_and_not_applicable_parts(summed: Ruleset) -> None:
    from rubric import Boolean, PerOccurrence, SumRule

    rule = summed.node("管理").rule
    assert rule == SumRule([Boolean("制度健全", 3), PerOccurrence("问题数", 4),
                            TierChoice("执行档次", 3)], 8)
    assert rule.max_points == 8 and rule.inputs == ("制度健全", "问题数", "执行档次")
    assert load_ruleset(dump_ruleset(summed)) == summed
    assert SumRule([Boolean("a", 3), Boolean("b", 2)]).max_points == 5
    row = evaluate(summed, {"制度健全": True, "问题数": "不适用", "执行档次": "不适用"})["管理"]
    assert row.applicable and row.score == 3  # a part not applicable scores 0
    # every part not applicable: the row is not, and it is this table's only row, so the
    # unit has no total (0 / 0) and is refused rather than scored 0
    with pytest.raises(EvaluationError, match="no row of the table applies"):
        evaluate(summed, {"制度健全": "不适用", "问题数": "不适用", "执行档次": "不适用"})
    with pytest.raises(RulesetError, match="at least one part"):
        SumRule([])


def test_check_analyses_each_part(summed: Ruleset, tmp_path: Any) -> None:
    from rubric.verify.check import check_file

    assert check_ruleset(summed) == []
    gap = SUM.replace("{kind: tier, fact: 执行档次, points: 3}",
                      "{kind: tier, fact: 执行档次, points: 3, tiers: [{label: 达成, lower: 80, "
                      "upper: 100}, {label: 部分达成, lower: 0, upper: 70}, "
                      "{label: 未达成, lower: 0, upper: 0}]}")
    path = tmp_path / "sum.yaml"
    path.write_text(gap, encoding="utf-8")
    tier = [f for f in check_file(path) if f.code in ("tier-gap", "tier-overlap")]
    assert tier and all(".rule.parts[2].tiers[" in str(f.key) for f in tier), tier
    over = SUM.replace("points: 8\n      parts", "points: 12\n      parts")
    assert "sum-unreachable" in {f.code for f in check_ruleset(load_ruleset(over))}


def test_check_property_searches_a_formula_part_of_a_sum(tmp_path: Any) -> None:
    """A formula inside a ``sum`` row is searched like a formula row (it crashed check)."""
    from rubric.verify.check import check_file

    path = tmp_path / "sum-formula.yaml"
    path.write_text(textwrap.dedent("""\
        rubric: 1
        metadata: {name: t}
        policy: {total_points: 7}
        facts:
          a: {unit: "%", minimum: 0, maximum: 100}
          b: {type: boolean}
        indicators:
          - id: r
            rule:
              kind: sum
              parts:
                - {kind: boolean, fact: b, yes_points: 2}
                - {kind: formula, expression: "a / 10", points: 5}
        """), encoding="utf-8")
    (bounds,) = [f for f in check_file(path) if f.code == "formula-bounds"]
    assert bounds.severity == "error"
    assert str(bounds.key).endswith(".rule.parts[1].expression"), bounds.key
    assert "a / 10" in bounds.message and "10" in bounds.message


def test_sum_draws_facts_audits_and_compiles(summed: Ruleset) -> None:
    seen: set[Any] = set()

    @seed(0)
    @settings(database=None, max_examples=80)
    @given(facts_for(summed))
    def inner(facts: dict[str, Any]) -> None:
        row = evaluate(summed, facts)["管理"]
        assert 0 <= row.low <= row.high <= 8
        seen.add(facts["执行档次"])

    inner()
    assert seen == {"达成", "部分达成", "未达成"}
    facts = {"制度健全": True, "问题数": 2, "执行档次": "达成"}
    assert audit(summed, facts, Claimed({"管理": "7.6"}))["管理"].status == "consistent"
    assert audit(summed, facts, Claimed({"管理": 6}))["管理"].status == "impossible"
    settled = SUM.replace("{kind: tier, fact: 执行档次, points: 3}",
                          "{kind: boolean, fact: 制度健全, yes_points: 1}")
    plain = load_ruleset(settled.replace("      执行档次: {type: category, categories: "
                                         "[达成, 部分达成, 未达成]}\n", ""))
    for given_ in ({"制度健全": True, "问题数": 2}, {"制度健全": False, "问题数": 9},
                   {"问题数": 1}, {"制度健全": True, "问题数": 0}):
        result = evaluate(plain, given_)
        scores = score_only(plain, given_)
        assert scores.lows == tuple(r[0] for r in result.records), given_
        assert scores.highs == tuple(r[1] for r in result.records), given_
    from rubric.engine.compiled import compile_scores

    assert compile_scores(plain) is not None
    given_ = {"制度健全": True, "问题数": 2}
    assert audit(plain, given_, Claimed({"管理": 5}))["管理"].status == "wrong"  # 3 + 2 + 1
    from rubric import Boolean, SumRule
    from rubric.policy import RuleDefaults

    assert SumRule([Boolean("a", 3), Boolean("b", 2)], 4).achievable(RuleDefaults()) == [
        0, 2, 3, 4]  # the capped sums of the parts' scores: audit's discrete check
    assert rule_achievable_none(summed)


def rule_achievable_none(ruleset: Ruleset) -> bool:
    """A part with continuous scores (a tier) leaves the sum continuous."""
    from rubric.policy import RuleDefaults

    return ruleset.node("管理").rule.achievable(RuleDefaults()) is None


def test_score_says_which_rows_the_evaluator_scores(table: Ruleset) -> None:
    from rubric.present.summary import summary_lines

    result = evaluate(table, {"完成档次": "达成", "到位率": 60})
    assert summary_lines(result)[0] == ("本表 2 行：已确定 0 行（共 0 分），2 行由评价人在所选档次"
                                        "或区间内给分（申报得分用 rubric audit 核对）。")
    result = evaluate(table, {"到位率": 60})
    assert "其中 1 行由评价人在所选档次或区间内给分" in summary_lines(result)[0]
    assert "1 of them scored by the evaluator" in summary_lines(result, "en")[0]


# ------------------------------------------------------------------- schema, bounds

@pytest.mark.parametrize("text", [TABLE, THEN, SUM], ids=["tier-and-ranges", "then", "sum"])
def test_each_form_validates_against_the_json_schema(text: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from rubric.io.schema import ruleset_schema

    validator = jsonschema.Draft202012Validator(ruleset_schema())
    assert list(validator.iter_errors(yaml.safe_load(text))) == []
    bad = yaml.safe_load(TABLE.replace("points: [7, 9]", "points: [7, 8, 9]"))
    assert list(validator.iter_errors(bad))


def test_check_reads_the_bounds_of_each_form() -> None:
    # a 分值 above the top of a score range, of a tier row and of a sum's parts
    too_much = TABLE.replace("max_points: 9", "max_points: 10").replace(
        "max_points: 17", "max_points: 18").replace("total_points: 17", "total_points: 18")
    codes = [f.code for f in check_ruleset(load_ruleset(too_much))]
    assert "full-marks-unreachable" in codes
    floor = THEN.replace("per_step: 0.5}", "per_step: 0.5, floor: 2}")
    assert "min-above-zero" in {f.code for f in check_ruleset(load_ruleset(floor))}
    capped = SUM.replace("max_points: 8\n    criterion", "max_points: 9\n    criterion")
    capped = capped.replace("max_points: 8}", "max_points: 9}").replace(
        "total_points: 8", "total_points: 9")
    assert "full-marks-unreachable" in {f.code for f in check_ruleset(load_ruleset(capped))}


def test_an_undeclared_fact_in_a_part_points_at_the_part() -> None:
    with pytest.raises(LoadError) as info:
        load_ruleset(SUM.replace("fact: 问题数, points: 4", "fact: 问题个数, points: 4"),
                     filename="r.yaml")
    (problem,) = info.value.problems
    assert problem.path == "$.indicators[0].rule.parts[1].fact"
    assert "did you mean '问题数'" in str(problem) and problem.line == 18


def test_qualitative_with_a_chosen_tier_and_no_points_yet_is_the_tier_band() -> None:
    from rubric import Qualitative, Tier

    tiers = (Tier("好", 80, 100), Tier("中", 60, 80, upper_closed=False),
             Tier("差", 0, 60, upper_closed=False))
    rule = Qualitative("评分", 10, tiers, tier_fact="档次")
    rs = Ruleset(Group("r", [Indicator("x", rule)]),
                 [FactSpec("评分", minimum=0, maximum=10), FactSpec("档次", type="text")])
    row = evaluate(rs, {"档次": "中"})["x"]
    assert (row.low, row.high, row.missing) == (D(6), D(8), ("评分",))
    assert evaluate(rs, {"档次": "中", "评分": 7})["x"].score == 7  # the points: a fact
    with pytest.raises(EvaluationError, match="does not fall in the chosen tier"):
        evaluate(rs, {"档次": "中", "评分": 9})  # unchanged for the points-as-fact form
    assert audit(rs, {"档次": "中"}, Claimed({"x": 7}))["x"].status == "feasible"
    assert audit(rs, {"档次": "中"}, Claimed({"x": 9}))["x"].status == "impossible"
