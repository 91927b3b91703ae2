"""Asserted states (issue 10 item 4): 实际完成值 cells that assert an outcome instead of
giving a number (``已完成``, ``未完成``, ``部分完成``, the target echoed as ``≥266米``),
and the Chinese yes/no words of boolean facts.

Every rule kind asserted states apply to is scored for each state, with the reading
named in the explanation (zh and en) and the text as given kept; expected scores are
written by hand from the rule. The compiled scores-only path, ``rubric.testing``,
``rubric check``, audit, the CLI (a YAML facts file) and a CSV batch are exercised too.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubric import (
    Asserted,
    Band,
    Bands,
    Boolean,
    Checklist,
    ChecklistItem,
    Claimed,
    Coefficient,
    CompletionRatio,
    FactError,
    FactSpec,
    FormulaRule,
    Group,
    Indicator,
    PerOccurrence,
    Policy,
    Qualitative,
    Ruleset,
    RulesetError,
    StepDeduction,
    Tier,
    Unsettled,
    audit,
    check_ruleset,
    evaluate,
    load_ruleset,
    score_only,
)
from rubric.cli import main
from rubric.states import BOOLEAN_PAIRS, read_state
from rubric.testing import ASSERTED_TEXTS, assert_bounds, check_properties, facts_for
from test_render import _check_steps, _doc_schema, _doc_step_fields

D = Decimal
LENGTH = [FactSpec("长度", unit="米", minimum=0, states=True)]


def row(rule: Any, facts: dict[str, Any], specs: list[FactSpec]) -> Any:
    """Score ``rule`` as the only row of a one-row table; return the row's NodeResult."""
    rs = Ruleset(Group("表", [Indicator("行", rule)]), specs, Policy())
    return evaluate(rs, facts)["行"]


def settled(result: Any, points: str) -> None:
    assert (result.low, result.high) == (D(points), D(points)), result.explain("en")
    assert result.missing == ()


def ranged(result: Any, low: str, high: str, fact: str = "长度") -> None:
    assert (result.low, result.high) == (D(low), D(high)), result.explain("en")
    assert result.score is None
    assert result.missing == (fact,)


def says(result: Any, zh: str, en: str) -> None:
    assert zh in result.explain("zh"), result.explain("zh")
    assert en in result.explain("en"), result.explain("en")


# -- reading the texts ----------------------------------------------------------------


@pytest.mark.parametrize(("text", "state"), [
    ("达成预期指标", "met"), ("已完成", "met"), ("全部完成", "met"), ("完成", "met"),
    ("已全部完成。", "met"), ("达到预期目标", "met"), ("达标", "met"), ("按计划完成", "met"),
    ("完成年度目标", "met"), ("符合要求", "met"), (" 已 完成 ", "met"),
    ("未完成", "not_met"), ("未达到预期指标", "not_met"), ("尚未完成", "not_met"),
    ("未全部完成", "not_met"), ("没有完成", "not_met"), ("不符合要求", "not_met"),
    ("部分完成", "partly_met"), ("基本完成", "partly_met"), ("基本达到", "partly_met"),
    ("大部分完成", "partly_met"),
    ("良好", None), ("约一半", None), ("完成较好", None), ("有待提高", None),
], ids=str)
def test_state_words(text: str, state: str | None) -> None:
    assert read_state(text) == state
    value = LENGTH[0].coerce(text)
    if state is None:
        assert value == Unsettled(text.strip())
    else:
        assert value == Asserted(state, text.strip())


@pytest.mark.parametrize(("text", "op", "bound"), [
    ("≥266米", "≥", "266"), (">=266 米", "≥", "266"), ("不低于266米", "≥", "266"),
    ("≥ 0.266 km", "≥", "266.000"), ("≤100米", "≤", "100"), ("不超过 5 米", "≤", "5"),
    (">266米", ">", "266"), ("＜3米", "<", "3"),
    ("266米以上", "≥", "266"), ("266 米及以上", "≥", "266"), ("5米以内", "≤", "5"),
    ("5 米以下", "≤", "5"),
], ids=str)
def test_a_comparison_is_an_echo_in_the_facts_unit(text: str, op: str, bound: str) -> None:
    assert LENGTH[0].coerce(text) == Asserted("echo", text, op, D(bound))


def test_a_comparison_in_another_kind_of_unit_names_the_text() -> None:
    with pytest.raises(FactError) as exc:
        LENGTH[0].coerce("≥266 人")
    assert str(exc.value) == ("fact '长度': cannot convert 人 to 米 (value '266 人') in the "
                              "comparison '≥266 人'; expected a number in 米 (example: '10 米')")


def test_without_states_the_words_stay_unsettled_as_before() -> None:
    plain = FactSpec("长度", unit="米")
    assert plain.states is False  # the default
    for text in ("已完成", "未完成", "部分完成", "≥266米"):
        assert plain.coerce(text) == Unsettled(text)
    result = row(CompletionRatio("长度", target=266, points=5), {"长度": "已完成"}, [plain])
    ranged(result, "0", "5")
    says(result, "非数值“已完成”", "is not a number ('已完成')")


def test_only_given_number_facts_accept_states() -> None:
    with pytest.raises(RulesetError, match="only a given number fact accepts asserted states"):
        FactSpec("是否", type="boolean", states=True)
    with pytest.raises(RulesetError, match="only a given number fact accepts asserted states"):
        FactSpec("率", unit="%", formula="a / b * 100", states=True)
    with pytest.raises(FactError, match="does not accept asserted states"):
        FactSpec("长度", unit="米").coerce(Asserted("met", "已完成"))
    assert LENGTH[0].coerce(Asserted("met", "达标")) == Asserted("met", "达标")


def test_asserted_rejects_an_unknown_state() -> None:
    with pytest.raises(RulesetError, match="asserted state 'done' is not known"):
        Asserted("done", "已完成")
    with pytest.raises(RulesetError, match="an echo"):
        Asserted("echo", "≥266米")


# -- ratio: 完成值/指标值×分值 ----------------------------------------------------------

RATIO = CompletionRatio("长度", target=266, points=5)


def test_ratio_met_earns_full_marks() -> None:
    for text in ("已完成", "达成预期指标", "全部完成"):
        result = row(RATIO, {"长度": text}, LENGTH)
        settled(result, "5")
        says(result, f"长度 给出“{text}”（读作达成），达成目标即得满分，计 5 分",
             f"长度 given as '{text}' (read as met): the target met earns full marks, 5 points")


def test_ratio_not_met_and_partly_met_are_ranges_with_the_reason() -> None:
    result = row(RATIO, {"长度": "未完成"}, LENGTH)
    ranged(result, "0", "5")
    says(result, "长度 给出“未完成”（读作未达成），无法确定得分：未给出完成值，完成比例未知；"
                 "得分范围 0–5 分",
         "长度 given as '未完成' (read as not met) cannot be scored exactly: no actual value, "
         "so the completion ratio is unknown; score range 0-5 points")
    result = row(RATIO, {"长度": "部分完成"}, LENGTH)
    ranged(result, "0", "5")
    says(result, "（读作部分达成），无法确定得分：部分达成，程度未知",
         "(read as partly met) cannot be scored exactly: partly met: how far is not stated")


def test_ratio_echo_is_met_only_as_the_targets_own_statement() -> None:
    result = row(RATIO, {"长度": "≥266米"}, LENGTH)
    settled(result, "5")
    says(result, "长度 给出“≥266米”（读作比较式），即目标本身的表述，读作达成，得满分，计 5 分",
         "长度 given as '≥266米' (read as a comparison): exactly the target's own statement, "
         "read as met: full marks, 5 points")
    settled(row(RATIO, {"长度": "≥0.266 km"}, LENGTH), "5")  # the same bound, in km
    for text in ("≥300米", "≥265米", ">266米", "≤266米"):
        result = row(RATIO, {"长度": text}, LENGTH)
        ranged(result, "0", "5")
        says(result, f"“{text}”（读作比较式），无法确定得分：比较式不是目标本身的表述（≥266）",
             "the comparison is not the target's own statement (≥266)")


def test_reverse_ratio_reads_its_target_as_at_most() -> None:
    reverse = CompletionRatio("长度", target=266, points=5, reverse=True)
    settled(row(reverse, {"长度": "≤266米"}, LENGTH), "5")
    settled(row(reverse, {"长度": "已完成"}, LENGTH), "5")
    says(row(reverse, {"长度": "≥266米"}, LENGTH), "（≤266）", "(≤266)")


def test_ratio_with_a_target_fact() -> None:
    specs = [*LENGTH, FactSpec("计划", unit="米", minimum=0)]
    rule = CompletionRatio("长度", target="计划", points=5)
    settled(row(rule, {"长度": "已完成"}, specs), "5")
    settled(row(rule, {"长度": "≥300米", "计划": 300}, specs), "5")
    ranged(row(rule, {"长度": "≥300米", "计划": 266}, specs), "0", "5")


# -- deduction: shortfall, overrun, two-sided deviation ---------------------------------

SHORTFALL = StepDeduction("长度", target=266, points=5, step=10, side="below")
OVERRUN = StepDeduction("长度", target=100, points=5, step=1, side="above", basis="absolute")
DEVIATION = StepDeduction("长度", target=131, points=3, step=5, side="both")


@pytest.mark.parametrize("rule", [SHORTFALL, OVERRUN, DEVIATION], ids=lambda r: r.side)
def test_deduction_met_earns_full_points(rule: StepDeduction) -> None:
    result = row(rule, {"长度": "已完成"}, LENGTH)
    settled(result, str(rule.points))
    says(result, "（读作达成），达成目标即得满分", "(read as met): the target met earns full marks")


@pytest.mark.parametrize("rule", [SHORTFALL, OVERRUN, DEVIATION], ids=lambda r: r.side)
def test_deduction_not_met_is_a_range_from_the_lowest_score(rule: StepDeduction) -> None:
    result = row(rule, {"长度": "未完成"}, LENGTH)
    ranged(result, "0", str(rule.points))
    says(result, "无法确定得分：未给出完成值，偏差未知",
         "no actual value, so the deviation is unknown")
    says(row(rule, {"长度": "基本完成"}, LENGTH), "部分达成，程度未知",
         "partly met: how far is not stated")


def test_deduction_not_met_is_the_lowest_score_when_that_is_certain() -> None:
    # A started step counts (ceil) and one step takes every point: any shortfall is 0.
    rule = StepDeduction("长度", target=266, points=5, step=10, per_step=5, side="below",
                         partial="ceil")
    result = row(rule, {"长度": "未完成"}, LENGTH)
    settled(result, "0")
    says(result, "长度 给出“未完成”（读作未达成），未达成且规则只有一档低于满分，得最低分，计 0 分",
         "not met, and the rule has one score below full marks: the lowest, 0 points")
    # with ceil and smaller steps a shortfall costs at least one step: 0 to 4
    ceil = StepDeduction("长度", target=266, points=5, step=10, side="below", partial="ceil")
    ranged(row(ceil, {"长度": "未完成"}, LENGTH), "0", "4")


def test_deduction_echo() -> None:
    settled(row(SHORTFALL, {"长度": "≥266米"}, LENGTH), "5")
    settled(row(OVERRUN, {"长度": "≤100米"}, LENGTH), "5")
    says(row(OVERRUN, {"长度": "≥100米"}, LENGTH), "比较式不是目标本身的表述（≤100）",
         "not the target's own statement (≤100)")
    result = row(DEVIATION, {"长度": "≥131米"}, LENGTH)  # a two-sided target states no bound
    ranged(result, "0", "3")
    says(result, "比较式不是目标本身的表述", "the comparison is not the target's own statement")


# -- bands ------------------------------------------------------------------------------

THREE_BANDS = Bands("长度", [Band(0, None, 200), Band(3, 200, 266), Band(5, 266, None)],
                    direction="higher")
TWO_BANDS = Bands("长度", [Band(0, None, 266), Band(5, 266, None)], direction="higher")


def test_bands_met_is_the_band_of_full_marks() -> None:
    result = row(THREE_BANDS, {"长度": "达成预期指标"}, LENGTH)
    settled(result, "5")
    says(result, "长度 给出“达成预期指标”（读作达成），达成目标即落在满分区间，计 5 分",
         "(read as met): the target met falls in the band of full marks, 5 points")


def test_bands_not_met_is_the_bands_below_full_marks() -> None:
    result = row(THREE_BANDS, {"长度": "未完成"}, LENGTH)
    ranged(result, "0", "3")
    says(result, "未给出数值，落在满分区间以外的哪一档未知",
         "no value, so which band below full marks is unknown")
    ranged(row(THREE_BANDS, {"长度": "部分完成"}, LENGTH), "0", "3")


def test_bands_not_met_with_one_band_below_full_marks_is_that_band() -> None:
    for text in ("未完成", "部分完成"):
        result = row(TWO_BANDS, {"长度": text}, LENGTH)
        settled(result, "0")
        says(result, "得最低分，计 0 分", "the lowest, 0 points")


def test_bands_echo_states_the_top_band() -> None:
    settled(row(THREE_BANDS, {"长度": "≥266米"}, LENGTH), "5")
    result = row(THREE_BANDS, {"长度": "≥200米"}, LENGTH)
    ranged(result, "0", "5")
    says(result, "比较式不是目标本身的表述（≥266）", "(≥266)")
    lower = Bands("长度", [Band(5, None, 100, upper_closed=True), Band(0, 100, None,
                                                                      lower_closed=False)])
    settled(row(lower, {"长度": "≤100米"}, LENGTH), "5")
    # a point band of full marks (预算调整率=0) states no comparison
    point = Bands("长度", [Band(5, 0, 0, upper_closed=True), Band(2, 0, None, lower_closed=False)])
    ranged(row(point, {"长度": "≤0米"}, LENGTH), "2", "5")
    settled(row(point, {"长度": "已完成"}, LENGTH), "5")
    settled(row(point, {"长度": "未完成"}, LENGTH), "2")


# -- qualitative tiers -------------------------------------------------------------------

TIERS = [Tier("优", 80, 100), Tier("良", 60, 80, upper_closed=False),
         Tier("差", 0, 60, upper_closed=False)]
SCORE = [FactSpec("长度", minimum=0, maximum=10, states=True)]


@pytest.mark.parametrize(("text", "low", "high", "tier"), [
    ("已完成", "8", "10", "优 [80%, 100%]"),
    ("部分完成", "6", "8", "良 [60%, 80%)"),
    ("未完成", "0", "6", "差 [0%, 60%)"),
])
def test_qualitative_state_picks_the_tier_and_the_evaluator_the_score(
        text: str, low: str, high: str, tier: str) -> None:
    result = row(Qualitative("长度", points=10, tiers=TIERS), {"长度": text}, SCORE)
    ranged(result, low, high)
    says(result, f"“{text}”", f"'{text}'")
    says(result, f"由评价人在对应档次内定分（{tier}）",
         f"the evaluator picks the score inside the matching tier ({tier})")


def test_qualitative_two_tiers_and_no_tiers() -> None:
    two = Qualitative("长度", points=10, tiers=[Tier("达标", 80, 100),
                                                Tier("未达标", 0, 80, upper_closed=False)])
    ranged(row(two, {"长度": "部分完成"}, SCORE), "0", "8")
    none = Qualitative("长度", points=10)
    result = row(none, {"长度": "已完成"}, SCORE)
    ranged(result, "0", "10")
    says(result, "规则未设分档，无法对应", "the rule has no tiers to match")


def test_qualitative_tier_fact_wins() -> None:
    specs = [*SCORE, FactSpec("档次", type="category", categories=["优", "良", "差"])]
    rule = Qualitative("长度", points=10, tiers=TIERS, tier_fact="档次")
    ranged(row(rule, {"长度": "已完成", "档次": "良"}, specs), "6", "8")


# -- kinds that score the number itself ----------------------------------------------------


@pytest.mark.parametrize(("rule", "specs", "low", "high"), [
    (Coefficient("长度", points=10), [FactSpec("长度", unit="%", minimum=0, maximum=100,
                                                states=True)], "0", "10"),
    (PerOccurrence("长度", points=5), LENGTH, "0", "5"),
    (FormulaRule("长度 / 100", points=5), LENGTH, "0", "5"),
], ids=["coefficient", "per_occurrence", "formula"])
def test_kinds_that_need_the_number_leave_a_range(rule: Any, specs: list[FactSpec],
                                                  low: str, high: str) -> None:
    for text in ("已完成", "未完成", "部分完成"):
        result = row(rule, {"长度": text}, specs)
        ranged(result, low, high)
        says(result, f"长度 给出“{text}”", f"长度 given as '{text}'")
        says(result, "本规则不按是否达成计分，须给出数值",
             "this rule does not score whether a target was met; give the number")


def test_a_derived_fact_over_an_asserted_state_is_unknown() -> None:
    specs = [*LENGTH, FactSpec("计划", unit="米", minimum=1),
             FactSpec("完成率", unit="%", formula="长度 / 计划 * 100")]
    rule = Bands("完成率", [Band(0, None, 100), Band(5, 100, None)])
    result = row(rule, {"长度": "已完成", "计划": 266}, specs)
    ranged(result, "0", "5", fact="长度")


# -- booleans ----------------------------------------------------------------------------

FLAG = [FactSpec("已制定", type="boolean")]


@pytest.mark.parametrize(("yes", "no"), BOOLEAN_PAIRS, ids=str)
def test_boolean_pairs(yes: str, no: str) -> None:
    assert FLAG[0].coerce(yes) is True
    assert FLAG[0].coerce(no) is False
    assert FLAG[0].coercer(yes) is True and FLAG[0].coercer(no) is False


@pytest.mark.parametrize("text", ["达到", "未达到", "达成", "未达成", "符合", "不符合", "合格",
                                  "不合格", "已完成", "未完成", "有", "无", "完成"])
def test_boolean_words_are_kept_in_the_explanation(text: str) -> None:
    value = FLAG[0].coerce(text)
    result = row(Boolean("已制定", yes_points=5), {"已制定": text}, FLAG)
    settled(result, "5" if value else "0")
    yes_no = "是" if value else "否"
    says(result, f"已制定 原文“{text}”，读作“{yes_no}”；已制定：{yes_no}",
         f"已制定 given as '{text}', read as {'yes' if value else 'no'}")
    assert result.to_dict()["trace"][0] == {"type": "given_text", "fact": "已制定",
                                            "text": text, "value": value}


def test_plain_yes_no_has_no_extra_step() -> None:
    result = row(Boolean("已制定", yes_points=5), {"已制定": "是"}, FLAG)
    assert result.explain("zh") == "已制定：是，计 5 分"
    assert row(Boolean("已制定", yes_points=5), {"已制定": True}, FLAG).explain("zh") == \
        "已制定：是，计 5 分"


def test_checklist_items_keep_their_words() -> None:
    specs = [FactSpec("甲", type="boolean"), FactSpec("乙", type="boolean")]
    rule = Checklist([ChecklistItem("甲", 3), ChecklistItem("乙", 2)])
    result = row(rule, {"甲": "合格", "乙": "不符合"}, specs)
    settled(result, "3")
    says(result, "甲 原文“合格”，读作“是”；乙 原文“不符合”，读作“否”",
         "甲 given as '合格', read as yes; 乙 given as '不符合', read as no")


@pytest.mark.parametrize("text", ["部分完成", "基本合格", "良好", "2"])
def test_an_unknown_boolean_text_lists_the_accepted_forms(text: str) -> None:
    with pytest.raises(FactError) as exc:
        FLAG[0].coerce(text)
    assert str(exc.value) == (
        f"fact '已制定': cannot use value '{text}'; expected a boolean: true/false or 是/否 "
        "(also 已完成/未完成, 完成/未完成, 达到/未达到, 已达到/未达到, 达成/未达成, 已达成/未达成, "
        "达标/未达标, 符合/不符合, 合格/不合格, 有/无) (example: 是)")


# -- soundness: what a state scores is what some number it asserts would score ---------------


@given(st.decimals(min_value=0, max_value=600, places=2))
def test_states_agree_with_the_numbers_they_assert(x: Decimal) -> None:
    """met scores what the target itself scores; not met's range holds the score of every
    value short of the target (or outside the band of full marks)."""
    for rule in (RATIO, SHORTFALL, THREE_BANDS, TWO_BANDS):
        target = D(266)
        met = row(rule, {"长度": "已完成"}, LENGTH)
        assert met.low == row(rule, {"长度": target}, LENGTH).score
        if x < target:
            number = row(rule, {"长度": x}, LENGTH).score
            for text in ("未完成", "部分完成"):
                wide = row(rule, {"长度": text}, LENGTH)
                assert wide.low <= number <= wide.high, (rule, x, text)
    for rule in (OVERRUN,):
        if x > 100:
            number = row(rule, {"长度": x}, LENGTH).score
            wide = row(rule, {"长度": "未完成"}, LENGTH)
            assert wide.low <= number <= wide.high


# -- a table: compiled path, testing, check, audit ------------------------------------------

TABLE = Ruleset(
    Group("合计", [
        Indicator("完成率", RATIO, name="完成率"),
        Indicator("少建", SHORTFALL, name="少建"),
        Indicator("区间", THREE_BANDS, name="区间"),
        Indicator("评分", Qualitative("评分", points=10, tiers=TIERS), name="评分"),
        Indicator("制度", Boolean("已制定", yes_points=5), name="制度"),
    ], max_points=30),
    [*LENGTH, FactSpec("评分", minimum=0, maximum=10, states=True), *FLAG],
    Policy(total_points=30),
)


@given(facts_for(TABLE, states=True))
def test_compiled_path_agrees_with_evaluate(facts: dict[str, Any]) -> None:
    result = evaluate(TABLE, facts)
    scores = score_only(TABLE, facts)
    assert scores.lows == tuple(r.low for r in result.records)
    assert scores.highs == tuple(r.high for r in result.records)
    assert scores.grades == result.grades
    assert_bounds(TABLE, facts)


def test_testing_generates_asserted_states() -> None:
    seen: set[str] = set()

    @given(facts_for(TABLE, states=True))
    def collect(facts: dict[str, Any]) -> None:
        seen.update(v for v in facts.values() if isinstance(v, str))

    collect()
    assert seen & set(ASSERTED_TEXTS)
    assert any(t.startswith(("≥", "≤")) and t.endswith(" 米") for t in seen)  # echoes
    check_properties(TABLE)


def test_no_states_when_not_asked() -> None:
    @given(facts_for(TABLE))
    def plain(facts: dict[str, Any]) -> None:
        assert all(type(v) is not str for k, v in facts.items() if k != "已制定")

    plain()


def test_check_is_unaffected_by_states() -> None:
    without = Ruleset(TABLE.root, [FactSpec(s.name, s.type, s.unit, minimum=s.minimum,
                                            maximum=s.maximum) for s in TABLE.facts],
                      TABLE.policy)
    assert [f.message for f in check_ruleset(TABLE)] == [f.message for f in check_ruleset(without)]


def test_audit_of_asserted_rows() -> None:
    facts = {"长度": "未完成", "评分": "已完成", "已制定": "合格"}
    claimed = Claimed(scores={"完成率": 3, "少建": 5, "区间": 5, "评分": 9, "制度": 5})
    report = audit(TABLE, facts, claimed)
    status = {e.id: e.classes[0] for e in report.entries}
    assert status["完成率"] == "feasible"   # 0–5: the ratio is unknown
    assert status["区间"] == "impossible"   # not met: at most 3, never 5
    assert status["评分"] == "feasible"     # 优: 8–10
    assert status["制度"] == "consistent"
    entry = next(e for e in report.entries if e.id == "区间")
    assert "“未完成”" in entry.explanation
    ratio = next(e for e in report.entries if e.id == "完成率")
    assert ratio.messages == ("申报 3 在可能范围 0–5 内; 缺少事实: 长度（仅给出“未完成”）",)
    english = audit(TABLE, facts, claimed, lang="en")
    assert next(e for e in english.entries if e.id == "完成率").messages == (
        "claimed 3 is inside the possible range 0–5; missing facts: 长度 (given only as '未完成')",)


# -- through the CLI: a YAML facts file, and a CSV batch -------------------------------------

RULESET_YAML = """\
rubric: 1
metadata: {id: states, name: 产出指标}
policy: {total_points: 15}
facts:
  新建道路长度: {unit: 米, minimum: 0, states: true}
  培训人次: {unit: 人次, minimum: 0, states: true}
  制度健全: {type: boolean}
root: {id: 合计, name: 合计, max_points: 15}
indicators:
  - id: 道路
    name: 新建道路长度
    rule: {kind: ratio, actual: 新建道路长度, target: 266 米, points: 5}
  - id: 培训
    name: 培训人次
    rule: {kind: deduction, fact: 培训人次, target: 100, points: 5, step: 10, side: below}
  - id: 制度
    name: 制度健全
    rule: {kind: boolean, fact: 制度健全, yes_points: 5}
"""


@pytest.fixture
def ruleset_file(tmp_path: Path) -> Path:
    path = tmp_path / "ruleset.yaml"
    path.write_text(RULESET_YAML, encoding="utf-8")
    return path


def test_cli_scores_a_yaml_facts_file(ruleset_file: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("新建道路长度: ≥266米\n培训人次: 未完成\n制度健全: 合格\n", encoding="utf-8")
    code = main(["score", str(ruleset_file), str(facts), "--format", "markdown", "--explain"])
    out = capsys.readouterr().out
    assert code == 0
    assert ("新建道路长度 给出“≥266米”（读作比较式），即目标本身的表述，读作达成，得满分，"
            "计 5 分") in out
    assert "培训人次 给出“未完成”（读作未达成），无法确定得分" in out
    assert "制度健全 原文“合格”，读作“是”" in out
    code = main(["score", str(ruleset_file), str(facts), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    jsonschema.validate(data, _doc_schema(), cls=jsonschema.Draft202012Validator)
    seen: set[str] = set()
    _check_steps(data["tree"], _doc_step_fields(), seen)
    assert {"asserted", "asserted_range", "given_text"} <= seen
    assert (D(data["total"]["low"]), D(data["total"]["high"])) == (10, 15)
    assert data["facts"]["新建道路长度"] == "≥266米"
    road = data["tree"]["children"][0]
    assert road["trace"][0] == {"type": "asserted", "fact": "新建道路长度", "text": "≥266米",
                                "state": "echo", "reading": "echo_met", "points": "5"}
    training = data["tree"]["children"][1]
    assert training["trace"][0] == {"type": "asserted_range", "fact": "培训人次", "text": "未完成",
                                    "state": "not_met", "reason": "no_deviation"}
    assert training["missing_facts"] == ["培训人次"]


def test_cli_batch_of_a_csv(ruleset_file: Path, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    source, target = tmp_path / "units.csv", tmp_path / "scores.csv"
    rows = [("甲", "已完成", "全部完成", "是"), ("乙", "≥266米", "部分完成", "不合格"),
            ("丙", "200", "达成预期指标", "达到"), ("丁", "≥300米", "90", "未达到")]
    with source.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["unit", "新建道路长度", "培训人次", "制度健全"])
        writer.writerows(rows)
    code = main(["score", str(ruleset_file), "--batch", str(source), "--output", str(target),
                 "--quiet"])
    assert code == 0, capsys.readouterr().err
    with target.open(encoding="utf-8-sig") as f:
        out = list(csv.DictReader(f))
    assert [r["unit"] for r in out] == ["甲", "乙", "丙", "丁"]
    ruleset = load_ruleset(ruleset_file)
    for record, (_unit, road, training, flag) in zip(out, rows):
        result = evaluate(ruleset, {"新建道路长度": road, "培训人次": training, "制度健全": flag})
        assert D(record["道路"].split("–")[0]) == result["道路"].low, record
    totals = {r["unit"]: r["合计"] for r in out}
    assert D(totals["甲"]) == 15  # met, met, 是
    assert D(totals["丙"]) == D("13.76")  # 200/266 × 5 = 3.76, met, 达到
    assert "–" in totals["乙"] or totals["乙"] == "", totals  # partly met: a range
    assert "–" in totals["丁"] or totals["丁"] == "", totals  # ≥300 is not the target
