"""Unit tests for every rule type of ``rubric.rules``.

Each example 评价标准 of the scoring methods real tables use (rows 1-14 of the project's
domain notes) is built as a rule and scored exactly at, just below and just above every
boundary; each ambiguous reading (step basis, partial steps, closedness, 0/0 …) is
checked for its score AND for the reading named in the explanation (zh and en).
Expected scores are written by hand from the Chinese text, never computed by rubric.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rubric import (
    Band,
    Bands,
    Boolean,
    Categorical,
    Checklist,
    ChecklistItem,
    Coefficient,
    CompletionRatio,
    Deadline,
    EvaluationError,
    FactError,
    FactSpec,
    FormulaRule,
    Group,
    Indicator,
    PerOccurrence,
    Policy,
    Qualitative,
    RuleDefaults,
    Ruleset,
    RulesetError,
    State,
    StepDeduction,
    Tier,
    evaluate,
)
from rubric.rules import RULE_TYPES, SumRule, TierChoice

D = Decimal


def row(rule, facts, specs, *, policy=None, max_points=None):
    """Score ``rule`` as the only row of a one-row table; return the row's NodeResult."""
    rs = Ruleset(Group("表", [Indicator("行", rule, max_points=max_points)]),
                 specs, policy or Policy())
    return evaluate(rs, facts)["行"]


def assert_score(result, expected):
    assert result.low == result.high == D(expected), (result.low, result.high, result.explain("en"))
    assert type(result.score) is Decimal


def both(result):
    return result.explain("zh") + "\n" + result.explain("en")


# ------------------------------------------------------------------ §2 row 1 / 1b: bands

# 预算调整率=0, 计5分; 0-10%(含), 计4分; 10-20%(含), 计3分; 20-30%(含), 计2分; 大于30%不得分
ADJUSTMENT = Bands("预算调整率", [
    Band(5, 0, 0, upper_closed=True),
    Band(4, 0, 10, lower_closed=False, upper_closed=True),
    Band(3, 10, 20, lower_closed=False, upper_closed=True),
    Band(2, 20, 30, lower_closed=False, upper_closed=True),
    Band(0, 30, None, lower_closed=False),
], direction="lower")
RATE = [FactSpec("预算调整率", unit="%", minimum=0)]


@pytest.mark.parametrize(("value", "points"), [
    ("0", 5), ("0.01", 4), ("10", 4), ("10.01", 3), ("20", 3), ("20.01", 2),
    ("30", 2), ("30.01", 0), ("250", 0),
], ids=str)
def test_row1_point_band_then_upper_closed_bands(value, points):
    result = row(ADJUSTMENT, {"预算调整率": value}, RATE)
    assert_score(result, points)
    assert f"预算调整率 = {value}%" in result.explain("zh")


# 重点支出安排率≥90%,计5分;80%(含)-90%,计4分;70%(含)-80%,计3分;60%(含)-70%,计2分;低于60%不得分
KEY_SPENDING = Bands("重点支出安排率", [
    Band(0, None, 60, upper_closed=False),
    Band(2, 60, 70), Band(3, 70, 80), Band(4, 80, 90),
    Band(5, 90, None),
], direction="higher")


@pytest.mark.parametrize(("value", "points"), [
    ("100", 5), ("90", 5), ("89.99", 4), ("80", 4), ("79.99", 3), ("70", 3), ("69.99", 2),
    ("60", 2), ("59.99", 0), ("0", 0),
], ids=str)
def test_row1b_lower_closed_bands(value, points):
    specs = [FactSpec("重点支出安排率", unit="%", minimum=0, maximum=100)]
    assert_score(row(KEY_SPENDING, {"重点支出安排率": value}, specs), points)


def test_band_labels_show_closedness_in_explanation():
    result = row(ADJUSTMENT, {"预算调整率": "10"}, RATE)
    assert "(0, 10]" in result.explain("zh")
    assert "(0, 10]" in result.explain("en")
    result = row(KEY_SPENDING, {"重点支出安排率": "80"}, [FactSpec("重点支出安排率", unit="%")])
    assert "[80, 90)" in result.explain("en")


def test_value_in_a_gap_between_bands_is_an_error_naming_the_indicator():
    gappy = Bands("x", [Band(5, 0, 10), Band(3, 20, 30)])
    with pytest.raises(EvaluationError) as err:
        row(gappy, {"x": 15}, [FactSpec("x")])
    assert "indicator '行'" in str(err.value)
    assert "x = 15 falls in no band" in str(err.value)
    assert "[0, 10)" in str(err.value) and "[20, 30)" in str(err.value)


# ------------------------------------------------------- §2 row 2: per-unit deduction

# 三公经费控制率≦100%,计5分;每超过一个百分点扣1分,扣完为止
SANGONG = StepDeduction("三公经费控制率", target=100, points=5, step=1, side="above",
                        basis="absolute")


@pytest.mark.parametrize(("value", "points"), [
    ("0", 5), ("99", 5), ("100", 5), ("100.5", 5), ("101", 4), ("101.01", 4), ("104.99", 1),
    ("105", 0), ("200", 0),
], ids=str)
def test_row2_deduct_one_point_per_percentage_point_over(value, points):
    result = row(SANGONG, {"三公经费控制率": value}, [FactSpec("三公经费控制率", unit="%")])
    assert_score(result, points)


def test_row2_floor_is_explained():
    result = row(SANGONG, {"三公经费控制率": "200"}, [FactSpec("三公经费控制率", unit="%")])
    assert "扣完为止" in result.explain("zh")
    assert "floored" in result.explain("en")


# ---------------------------------------------------------- §2 row 3: relative shortfall

# 20家以上5分; 每少10%扣1分  (a step is 10% of 20 家 = 2 家)
NEW_FIRMS = StepDeduction("新增规模工业企业", target=20, points=5, step=10, side="below")
FIRMS = [FactSpec("新增规模工业企业", unit="家", minimum=0)]


@pytest.mark.parametrize(("value", "points"), [
    ("25", 5), ("20", 5), ("19", 5), ("18", 4), ("17.99", 4), ("16", 3),
    ("14", 2),  # 3 steps of 2: (20-14)/20/0.1 is 2.9999999999999996 in floats
    (14.0, 2), (14, 2), ("12", 1), ("10", 0), ("0", 0),
], ids=repr)
def test_row3_relative_shortfall(value, points):
    result = row(NEW_FIRMS, {"新增规模工业企业": value}, FIRMS)
    assert_score(result, points)


def test_row3_explanation_names_the_step_in_units_of_the_target():
    result = row(NEW_FIRMS, {"新增规模工业企业": "14"}, FIRMS)
    zh, en = result.explain("zh"), result.explain("en")
    assert "新增规模工业企业 = 14 家" in zh and "新增规模工业企业 = 14 家" in en
    assert "每 2 扣 1 分" in zh and "3 步" in zh
    assert "3 step(s) of 2" in en


# ----------------------------------------------------------- §2 row 4: two-sided deviation

# 131人计3分,增减幅度每超过5%扣1分  (a step is 5% of 131 = 6.55 人)
HEADCOUNT = StepDeduction("供养人数", target=131, points=3, step=5, side="both")
PEOPLE = [FactSpec("供养人数", unit="人", minimum=0)]


@pytest.mark.parametrize(("value", "points"), [
    ("131", 3), ("137.54", 3), ("137.55", 2), ("124.46", 3), ("124.45", 2),
    ("144.09", 2), ("144.1", 1), ("117.91", 2), ("117.9", 1), ("150.65", 0), ("111.35", 0),
    ("0", 0), ("1000", 0),
], ids=str)
def test_row4_two_sided_deviation(value, points):
    assert_score(row(HEADCOUNT, {"供养人数": value}, PEOPLE), points)


# ------------------------------------------------------------------ §2 row 5: booleans

@pytest.mark.parametrize(("value", "points"), [
    (True, 5), (False, 0), ("是", 5), ("否", 0), ("true", 5), ("no", 0), (1, 5), (0, 0),
], ids=repr)
def test_row5_boolean(value, points):
    rule = Boolean("分项目核算结余结转", 5)
    result = row(rule, {"分项目核算结余结转": value},
                 [FactSpec("分项目核算结余结转", type="boolean")])
    assert_score(result, points)
    assert ("是" if points else "否") in result.explain("zh")
    assert ("yes" if points else "no") in result.explain("en")


def test_row5_award_only_form_and_inverted_boolean():
    spec = [FactSpec("社会稳定", type="boolean")]
    assert_score(row(Boolean("社会稳定", 3), {"社会稳定": "是"}, spec), 3)
    assert_score(row(Boolean("社会稳定", 3), {"社会稳定": "否"}, spec), 0)
    # "发生安全事故: 否 3 分, 是 0 分"
    assert Boolean("社会稳定", 0, 3).direction == "lower"
    assert_score(row(Boolean("社会稳定", 0, 3), {"社会稳定": "否"}, spec), 3)


# --------------------------------------------------------- §2 row 6: additive checklist

DISCLOSURE = Checklist([ChecklistItem("按规定内容公开", 3, "①按规定内容公开预决算信息"),
                        ChecklistItem("按规定时限公开", 2, "②按规定时限公开预决算信息")])
DISCLOSURE_FACTS = [FactSpec("按规定内容公开", type="boolean"),
                    FactSpec("按规定时限公开", type="boolean")]


@pytest.mark.parametrize(("content", "timely", "points"), [
    ("是", "是", 5), ("是", "否", 3), ("否", "是", 2), ("否", "否", 0),
])
def test_row6_checklist_items_all_or_nothing(content, timely, points):
    result = row(DISCLOSURE, {"按规定内容公开": content, "按规定时限公开": timely},
                 DISCLOSURE_FACTS)
    assert_score(result, points)
    assert "①按规定内容公开预决算信息" in result.explain("zh")


def test_row6_checklist_with_one_item_missing_is_a_range():
    result = row(DISCLOSURE, {"按规定内容公开": "是"}, DISCLOSURE_FACTS)
    assert (result.low, result.high) == (D(3), D(5))
    assert result.missing == ("按规定时限公开",)


# ------------------------------------------------------- §2 row 7: per occurrence

@pytest.mark.parametrize(("count", "points"), [
    ("0", 5), ("1", 4), ("4", 1), ("5", 0), ("7", 0),
], ids=str)
def test_row7_per_occurrence_floored(count, points):
    rule = PerOccurrence("不符合要求例数", 5)
    result = row(rule, {"不符合要求例数": count}, [FactSpec("不符合要求例数", unit="个")])
    assert_score(result, points)
    assert f"出现 {count} 例" in result.explain("zh")


@pytest.mark.parametrize("count", [-1, "1.5"], ids=["negative", "fractional"])
def test_row7_count_that_is_not_a_count_is_an_error(count):
    with pytest.raises(EvaluationError, match="not a count of occurrences"):
        row(PerOccurrence("n", 5), {"n": count}, [FactSpec("n")])


def test_row7_custom_per_occurrence_and_floor():
    rule = PerOccurrence("n", 5, per_occurrence="0.5", floor=1)
    assert_score(row(rule, {"n": 3}, [FactSpec("n")]), "3.5")
    assert_score(row(rule, {"n": 100}, [FactSpec("n")]), 1)


# ------------------------------------------------------- §2 row 8: categorical states

BALANCE = Categorical("资金结余情况", [State("无结余", 5), State("有结余但不超过上年结余", 3),
                                     State("结余超过上年结余", 0)])
BALANCE_FACT = [FactSpec("资金结余情况", type="category",
                         categories=["无结余", "有结余但不超过上年结余", "结余超过上年结余"])]


@pytest.mark.parametrize(("state", "points"), [
    ("无结余", 5), ("有结余但不超过上年结余", 3), ("结余超过上年结余", 0),
])
def test_row8_categorical(state, points):
    result = row(BALANCE, {"资金结余情况": state}, BALANCE_FACT)
    assert_score(result, points)
    assert state in result.explain("zh") and state in result.explain("en")


def test_row8_unknown_state_suggests_the_closest():
    with pytest.raises(FactError, match="did you mean '无结余'"):
        row(BALANCE, {"资金结余情况": "无节余"}, BALANCE_FACT)


def test_row8_text_fact_with_unknown_state_is_an_evaluation_error():
    with pytest.raises(EvaluationError, match="not one of the rule's states"):
        row(BALANCE, {"资金结余情况": "其他"}, [FactSpec("资金结余情况", type="text")])


# ------------------------------------------------------ §2 row 9 / 9b: ratios

RATIO_FACTS = [FactSpec("完成值", unit="个", minimum=0), FactSpec("指标值", unit="个", minimum=0)]


@pytest.mark.parametrize(("actual", "target", "points"), [
    ("100", "100", 10), ("76", "100", "7.6"), ("120", "100", 10), ("0", "100", 0),
    ("1", "3", "3.33"),  # 10/3 = 3.333..., rounded half-up to 2 places
    ("2", "3", "6.67"),
    ("5", "0", 10),      # x/0: an unbounded ratio, capped at 1 (never 0)
], ids=str)
def test_row9_completion_ratio(actual, target, points):
    rule = CompletionRatio("完成值", "指标值", 10)
    result = row(rule, {"完成值": actual, "指标值": target}, RATIO_FACTS)
    assert_score(result, points)
    assert f"完成值 = {actual} 个" in result.explain("zh")


@pytest.mark.parametrize(("actual", "points"), [
    ("80", 10), ("100", 10), ("125", 8), ("200", 5), ("0", 10),
], ids=str)
def test_row9b_reverse_ratio(actual, points):
    # 年度指标值/全年实际值×该指标分值, target 100 (lower is better)
    rule = CompletionRatio("完成值", 100, 10, reverse=True)
    result = row(rule, {"完成值": actual}, RATIO_FACTS[:1])
    assert_score(result, points)
    assert "目标值/实际值" in result.explain("zh") and "target/actual" in result.explain("en")


@pytest.mark.parametrize(("reading", "low", "high", "zh", "en"), [
    ("full", 10, 10, "0/0 视为达标", "0/0 read as meeting the standard"),
    ("zero", 0, 0, "0/0 不得分", "0/0 scores 0"),
    ("undefined", 0, 10, "0/0 无法计算", "0/0 is undefined"),
])
@pytest.mark.parametrize("where", ["rule", "policy"])
def test_row9_zero_over_zero_readings(reading, low, high, zh, en, where):
    if where == "rule":
        rule, policy = CompletionRatio("完成值", "指标值", 10, zero_over_zero=reading), None
    else:
        rule = CompletionRatio("完成值", "指标值", 10)
        policy = Policy(defaults=RuleDefaults(zero_over_zero=reading))
    result = row(rule, {"完成值": 0, "指标值": 0}, RATIO_FACTS, policy=policy)
    assert (result.low, result.high) == (D(low), D(high))
    assert zh in result.explain("zh") and en in result.explain("en")


def test_row9_default_zero_over_zero_follows_the_direction():
    # issue 10 item 8: a higher-is-better completion rate at 0/0 is undefined (a range),
    # a lower-is-better (reverse) rate is met by having nothing to do
    result = row(CompletionRatio("完成值", "指标值", 10), {"完成值": 0, "指标值": 0}, RATIO_FACTS)
    assert (result.low, result.high) == (D(0), D(10))
    assert "0/0 无法计算" in result.explain("zh")
    reverse = row(CompletionRatio("完成值", "指标值", 10, reverse=True),
                  {"完成值": 0, "指标值": 0}, RATIO_FACTS)
    assert_score(reverse, 10)
    assert "0/0 视为达标" in reverse.explain("zh")


# --------------------------------------------------------- §2 row 10: coefficient

@pytest.mark.parametrize(("value", "percent", "points"), [
    ("76", True, "7.6"), ("76%", True, "7.6"), ("100", True, 10), ("0", True, 0),
    ("0.76", False, "7.6"),
], ids=str)
def test_row10_coefficient_times_weight(value, percent, points):
    unit = "%" if percent else None
    result = row(Coefficient("得分系数", 10, percent=percent), {"得分系数": value},
                 [FactSpec("得分系数", unit=unit)])
    assert_score(result, points)
    assert "得分系数 = " in result.explain("zh")


def test_row10_coefficient_explanation():
    result = row(Coefficient("得分系数", 10), {"得分系数": "76"}, [FactSpec("得分系数", unit="%")])
    assert "得分系数 76% × 分值 10 = 7.6 分" in result.explain("zh")
    assert "coefficient 76% x 10 = 7.6 points" in result.explain("en")


@pytest.mark.parametrize("value", ["101", "-1"])
def test_row10_coefficient_out_of_range_is_an_error(value):
    with pytest.raises(EvaluationError, match="coefficient must lie between 0 and 100%"):
        row(Coefficient("得分系数", 10), {"得分系数": value}, [FactSpec("得分系数", unit="%")])


# ---------------------------------------------------------- §2 row 11: satisfaction

# 90%以上3分, 每降低1%扣1分 (percentage points on a rate)
SATISFACTION = StepDeduction("满意度", target=90, points=3, step=1, side="below",
                             basis="absolute")


@pytest.mark.parametrize(("value", "points"), [
    ("100", 3), ("90", 3), ("89.5", 3), ("89", 2), ("88.99", 2), ("88", 1), ("87.01", 1),
    ("87", 0), ("0", 0),
], ids=str)
def test_row11_satisfaction_step(value, points):
    result = row(SATISFACTION, {"满意度": value},
                 [FactSpec("满意度", unit="%", minimum=0, maximum=100)])
    assert_score(result, points)
    assert "按绝对值(百分点)计步" in result.explain("zh") or "未超过容许值" in result.explain("zh")


# ------------------------------------------------------------- §2 row 12: deadlines

DEADLINE_FACT = [FactSpec("完成日期", type="date")]


@pytest.mark.parametrize(("date", "inclusive", "points"), [
    ("2023-12-30", True, 3), ("2023-12-31", True, 3), ("2024-01-01", True, 0),
    ("2023-12-30", False, 3), ("2023-12-31", False, 0), ("2024-01-01", False, 0),
    ("2023年12月31日", True, 3),
], ids=str)
def test_row12_deadline_inclusive_or_not(date, inclusive, points):
    # 绩效目标完成时间12月31日前; 按时完成3分, 否0分
    rule = Deadline("完成日期", "2023-12-31", 3, inclusive=inclusive)
    result = row(rule, {"完成日期": date}, DEADLINE_FACT)
    assert_score(result, points)
    assert ("含当日" if inclusive else "不含当日") in result.explain("zh")
    assert ("inclusive" if inclusive else "exclusive") in result.explain("en")


@pytest.mark.parametrize(("inclusive", "points"), [(True, 3), (False, 0)])
def test_row12_deadline_policy_default(inclusive, points):
    rule = Deadline("完成日期", dt.date(2023, 12, 31), 3)
    policy = Policy(defaults=RuleDefaults(deadline_inclusive=inclusive))
    assert_score(row(rule, {"完成日期": "2023-12-31"}, DEADLINE_FACT, policy=policy), points)


@pytest.mark.parametrize(("date", "points"), [
    ("2023-12-31", 3), ("2024-01-01", "2.5"), ("2024-01-02", 2), ("2024-01-06", "0.5"),
    ("2024-01-07", "0.5"), ("2024-03-01", "0.5"),
], ids=str)
def test_row12_deadline_per_day_deduction_floored_at_late_points(date, points):
    rule = Deadline("完成日期", "2023-12-31", 3, late_points="0.5", per_day="0.5")
    result = row(rule, {"完成日期": date}, DEADLINE_FACT)
    assert_score(result, points)


def test_row12_deadline_boolean_fact():
    spec = [FactSpec("按时完成", type="boolean")]
    rule = Deadline("按时完成", "2023-12-31", 3)
    assert_score(row(rule, {"按时完成": "是"}, spec), 3)
    assert_score(row(rule, {"按时完成": "否"}, spec), 0)


def test_row12_deadline_days_late_in_explanation():
    rule = Deadline("完成日期", "2023-12-31", 3, per_day=1)
    result = row(rule, {"完成日期": "2024-01-02"}, DEADLINE_FACT)
    assert "逾期 2 天" in result.explain("zh") and "2 day(s) late" in result.explain("en")
    assert "2024-01-02" in result.explain("zh")


# ---------------------------------------------------------- §2 row 13: qualitative

# 分值区间100-80%(含80%)、80-60%(含60%)、60-0% 合理确定得分
TIERS = (Tier("好", 80, 100), Tier("中", 60, 80, upper_closed=False),
         Tier("差", 0, 60, upper_closed=False))
QUAL = Qualitative("评价得分", 10, TIERS, tier_fact="档次")
QUAL_FACTS = [FactSpec("评价得分", minimum=0), FactSpec("档次", type="category",
                                                        categories=["好", "中", "差"])]


@pytest.mark.parametrize(("points", "tier"), [
    ("10", "好"), ("8", "好"), ("7.99", "中"), ("6", "中"), ("5.99", "差"), ("0", "差"),
], ids=str)
def test_row13_score_inside_the_chosen_tier_is_kept(points, tier):
    result = row(QUAL, {"评价得分": points, "档次": tier}, QUAL_FACTS)
    assert_score(result, points)
    assert f"“{tier}”档" in result.explain("zh")


@pytest.mark.parametrize(("points", "tier"), [
    ("7.99", "好"), ("8", "中"), ("6", "差"), ("5.99", "中"),
], ids=str)
def test_row13_score_outside_the_chosen_tier_is_rejected(points, tier):
    with pytest.raises(EvaluationError, match=f"does not fall in the chosen tier '{tier}'"):
        row(QUAL, {"评价得分": points, "档次": tier}, QUAL_FACTS)


def test_row13_score_above_the_row_is_rejected():
    with pytest.raises(EvaluationError, match=r"outside \[0, 10\]"):
        row(QUAL, {"评价得分": "10.5"}, QUAL_FACTS)


def test_row13_missing_score_is_the_whole_row():
    result = row(QUAL, {}, QUAL_FACTS)
    assert (result.low, result.high) == (D(0), D(10))


@pytest.mark.parametrize(("lower", "upper"), [(80, 60), (-10, 50), (50, 120)])
def test_row13_tier_outside_percent_range_or_reversed_is_rejected(lower, upper):
    with pytest.raises(RulesetError, match="tier"):
        Tier("坏", lower, upper)


# -------------------------------------------------- §2 row 14: band, then deduction

# 浮动2%以内8分;浮动2%以后每超过1%扣0.5分
FLOAT = StepDeduction("浮动", target=0, points=8, step=1, per_step="0.5", side="both",
                      tolerance=2, basis="absolute")


@pytest.mark.parametrize(("value", "points"), [
    ("0", 8), ("2", 8), ("-2", 8), ("2.5", 8), ("3", "7.5"), ("-3", "7.5"), ("3.99", "7.5"),
    ("4", 7), ("17.99", "0.5"), ("18", 0), ("-40", 0),
], ids=str)
def test_row14_band_then_deduction(value, points):
    result = row(FLOAT, {"浮动": value}, [FactSpec("浮动", unit="%")])
    assert_score(result, points)


def test_row14_explanation_names_the_tolerance():
    result = row(FLOAT, {"浮动": "4"}, [FactSpec("浮动", unit="%")])
    assert "超出容许值 2 后" in result.explain("zh")
    assert "beyond the tolerance 2" in result.explain("en")
    result = row(FLOAT, {"浮动": "1"}, [FactSpec("浮动", unit="%")])
    assert "未超过容许值 2" in result.explain("zh") and "within tolerance 2" in result.explain("en")


# ----------------------------------------------------------------- formula rule

def test_formula_rule_is_clamped_to_its_points():
    rule = FormulaRule("完成值 / 指标值 * 10", 10)
    assert_score(row(rule, {"完成值": 7, "指标值": 10}, RATIO_FACTS), 7)
    assert_score(row(rule, {"完成值": 30, "指标值": 10}, RATIO_FACTS), 10)
    result = row(rule, {"完成值": 0, "指标值": 0}, RATIO_FACTS)
    assert (result.low, result.high) == (D(0), D(10))
    assert "无法计算" in result.explain("zh")


def test_formula_rule_negative_formula_value_floors_at_zero():
    rule = FormulaRule("10 - 完成值", 10)
    assert_score(row(rule, {"完成值": 30}, RATIO_FACTS[:1]), 0)


# ================================================================ §3 readings

# 1. step basis --------------------------------------------------------------------

@pytest.mark.parametrize(("basis", "value", "points", "zh", "en"), [
    ("relative", "18", 4, "按目标值的百分比计步", "steps relative to the target"),
    ("absolute", "18", 5, "按绝对值(百分点)计步", "steps in absolute units"),
    ("absolute", "10", 4, "按绝对值(百分点)计步", "steps in absolute units"),
])
@pytest.mark.parametrize("where", ["rule", "policy"])
def test_step_basis(basis, value, points, zh, en, where):
    if where == "rule":
        rule = StepDeduction("n", target=20, points=5, step=10, basis=basis)
        policy = None
    else:
        rule = StepDeduction("n", target=20, points=5, step=10)
        policy = Policy(defaults=RuleDefaults(step_basis=basis))
    result = row(rule, {"n": value}, [FactSpec("n", unit="家")], policy=policy)
    assert_score(result, points)
    assert zh in result.explain("zh") and en in result.explain("en")


def test_relative_step_with_zero_target_is_rejected():
    with pytest.raises(RulesetError, match="relative step needs a non-zero target"):
        StepDeduction("n", target=0, points=5, step=10, basis="relative")


def test_relative_default_with_zero_target_is_rejected_when_the_ruleset_is_built():
    rule = StepDeduction("n", target=0, points=5, step=10)
    with pytest.raises(RulesetError, match="indicator '行': a relative step needs a non-zero"):
        row(rule, {"n": 1}, [FactSpec("n")])
    absolute = Policy(defaults=RuleDefaults(step_basis="absolute"))
    assert_score(row(rule, {"n": 1}, [FactSpec("n")], policy=absolute), 5)


# 2. partial steps and exact boundaries ---------------------------------------------

@pytest.mark.parametrize(("partial", "value", "points", "zh", "en"), [
    ("floor", "100.5", 5, "不足一步不扣", "partial steps not deducted"),
    ("ceil", "100.5", 4, "不足一步按一步扣", "a started step counts"),
    ("proportional", "100.5", "4.5", "不足一步按比例扣", "partial steps pro rata"),
    ("floor", "101", 4, "不足一步不扣", "partial steps not deducted"),
    ("ceil", "101", 4, "不足一步按一步扣", "a started step counts"),
    ("proportional", "101.25", "3.75", "不足一步按比例扣", "partial steps pro rata"),
    ("ceil", "100.01", 4, "不足一步按一步扣", "a started step counts"),
    ("ceil", "100", 5, "", ""),
])
def test_partial_steps(partial, value, points, zh, en):
    rule = StepDeduction("r", target=100, points=5, step=1, side="above", basis="absolute",
                         partial=partial)
    result = row(rule, {"r": value}, [FactSpec("r", unit="%")])
    assert_score(result, points)
    assert zh in result.explain("zh") and en in result.explain("en")


@pytest.mark.parametrize(("boundary", "value", "points", "zh", "en"), [
    ("counts", "105", 4, "恰好整步计入", "exact multiples count"),
    ("excludes", "105", 5, "恰好整步不计入(须超过)", "exact multiples do not count"),
    ("counts", "110", 3, "恰好整步计入", "exact multiples count"),
    ("excludes", "110", 4, "恰好整步不计入(须超过)", "exact multiples do not count"),
    ("counts", "107", 4, "恰好整步计入", "exact multiples count"),
    ("excludes", "107", 4, "恰好整步不计入(须超过)", "exact multiples do not count"),
    ("excludes", "105.01", 4, "恰好整步不计入(须超过)", "exact multiples do not count"),
])
def test_exact_step_boundary(boundary, value, points, zh, en):
    # "每超过5%扣1分" against 100%
    rule = StepDeduction("r", target=100, points=5, step=5, side="above", basis="absolute",
                         boundary=boundary)
    result = row(rule, {"r": value}, [FactSpec("r", unit="%")])
    assert_score(result, points)
    assert zh in result.explain("zh") and en in result.explain("en")


def test_rule_option_overrides_policy_default():
    rule = StepDeduction("r", target=100, points=5, step=1, side="above", basis="absolute",
                         partial="floor")
    policy = Policy(defaults=RuleDefaults(partial="ceil"))
    assert_score(row(rule, {"r": "100.5"}, [FactSpec("r")], policy=policy), 5)
    rule = attrs_evolve(rule, partial=None)
    assert_score(row(rule, {"r": "100.5"}, [FactSpec("r")], policy=policy), 4)


def attrs_evolve(inst, **changes):
    import attrs

    return attrs.evolve(inst, **changes)


@pytest.mark.parametrize("option", ["basis", "partial", "boundary"])
def test_unknown_reading_is_rejected_listing_the_known_ones(option):
    with pytest.raises(RulesetError, match=f"{option}: 'maybe' is not a known reading") as err:
        StepDeduction("r", target=100, points=5, step=1, **{option: "maybe"})
    assert "expected one of" in str(err.value)


# 3. closedness: see the band tables above; construction errors:

@pytest.mark.parametrize(("bands", "message"), [
    ([Band(4, 0, 10, upper_closed=True), Band(3, 10, 20)], "overlap"),
    ([Band(4, 0, 15), Band(3, 10, 20)], "overlap"),
    # either order is fine (issue 16: criteria list the best band first), a mix is not
    ([Band(3, 10, 20), Band(4, 0, 10), Band(2, 20, None)], "out of order"),
    ([Band(0, 30, None, lower_closed=False), Band(5, 0, 0, upper_closed=True),
      Band(3, 0, 30, lower_closed=False, upper_closed=True)], "out of order"),
    ([], "at least one band"),
], ids=["touching-both-closed", "overlapping", "unsorted", "unsorted-open", "empty"])
def test_invalid_bands_are_rejected(bands, message):
    with pytest.raises(RulesetError, match=message) as err:
        Bands("x", bands)
    if bands:
        assert "expected" in str(err.value)


@pytest.mark.parametrize("value", ["0", "0.01", "10", "10.01", "30", "30.01", "500"])
def test_bands_listed_from_the_best_down_score_as_from_the_lowest_up(value):
    up = [Band(5, 0, 0, upper_closed=True), Band(4, 0, 10, lower_closed=False, upper_closed=True),
          Band(2, 10, 30, lower_closed=False, upper_closed=True), Band(0, 30, None,
                                                                      lower_closed=False)]
    facts = [FactSpec("调整率", unit="%", minimum=0)]
    ascending = row(Bands("调整率", up, direction="lower"), {"调整率": value}, facts)
    descending = row(Bands("调整率", up[::-1], direction="lower"), {"调整率": value}, facts)
    assert (descending.low, descending.high) == (ascending.low, ascending.high)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"points": 1, "lower": 10, "upper": 0}, "lower 10 is above upper 0"),
    ({"points": 1, "lower": 5, "upper": 5}, "is empty"),
    ({"points": -1, "lower": 0, "upper": 5}, "points must not be negative"),
], ids=["reversed", "empty-point", "negative-points"])
def test_invalid_band_is_rejected(kwargs, message):
    with pytest.raises(RulesetError, match=message):
        Band(**kwargs)


# 4. rounding ---------------------------------------------------------------------

@pytest.mark.parametrize(("precision", "mode", "value", "points"), [
    (2, "half_up", "86.245", "8.62"),
    (2, "half_up", "86.25", "8.63"),     # 8.625 → 8.63
    (2, "half_even", "86.25", "8.62"),   # 8.625 → 8.62
    (2, "down", "86.259", "8.62"),
    (2, "up", "86.241", "8.63"),
    (1, "half_up", "86.25", "8.6"),
    (0, "half_up", "76", "8"),
    (0, "half_up", "74.9", "7"),
    (0, "half_up", "75", "8"),
], ids=str)
def test_rows_are_rounded_to_policy_precision(precision, mode, value, points):
    policy = Policy(precision=precision, rounding=mode)
    result = row(Coefficient("c", 10), {"c": value}, [FactSpec("c", unit="%")], policy=policy)
    assert_score(result, points)
    assert result.low.as_tuple().exponent == -precision
    assert f"to {points}" in result.explain("en") and f"rounded ({mode})" in result.explain("en")
    assert f"为 {points} 分" in result.explain("zh")


@pytest.mark.parametrize(("mode", "zh", "en"), [
    ("half_even", "四舍六入五成双", "half_even"), ("down", "舍去尾数", "down"),
    ("up", "进一", "up"),
])
def test_rounding_mode_is_named_in_the_explanation(mode, zh, en):
    policy = Policy(rounding=mode)
    result = row(Coefficient("c", 10), {"c": "86.255"}, [FactSpec("c", unit="%")], policy=policy)
    assert zh in result.explain("zh") and en in result.explain("en")


def test_rows_are_rounded_then_summed():
    # two rows of 86.245% × 10 = 8.6245 each: rounded 8.62 + 8.62 = 17.24,
    # whereas rounding the exact sum 17.249 would give 17.25
    rs = Ruleset(Group("表", [Indicator("a", Coefficient("a", 10)),
                             Indicator("b", Coefficient("b", 10))]),
                 [FactSpec("a", unit="%"), FactSpec("b", unit="%")])
    result = evaluate(rs, {"a": "86.245", "b": "86.245"})
    assert result.total.score == D("17.24")


# 5. floors and caps -----------------------------------------------------------------

def test_deduction_floor_option():
    rule = StepDeduction("r", target=100, points=5, step=1, side="above", basis="absolute",
                         floor=2)
    assert_score(row(rule, {"r": "150"}, [FactSpec("r")]), 2)
    with pytest.raises(RulesetError, match="floor 6 is above the points 5"):
        StepDeduction("r", target=100, points=5, step=1, floor=6)


def test_row_is_capped_at_its_declared_points():
    result = row(Boolean("b", 5), {"b": True}, [FactSpec("b", type="boolean")], max_points=3)
    assert_score(result, 3)
    assert "5 分超过分值，按 3 分封顶" in result.explain("zh")
    assert "5 points capped at 3" in result.explain("en")


def test_ratio_caps_at_one_of_the_target_never_above():
    rule = CompletionRatio("完成值", 50, 10)
    assert_score(row(rule, {"完成值": 500}, RATIO_FACTS[:1]), 10)


# 6. 0/0: see test_row9_zero_over_zero_readings; x/0 on a reverse ratio is full marks
# (nothing spent against a target), 0/x is 0.

def test_reverse_ratio_zero_target_over_positive_actual_is_zero():
    rule = CompletionRatio("完成值", 0, 10, reverse=True)
    assert_score(row(rule, {"完成值": 5}, RATIO_FACTS[:1]), 0)


# 7. missing facts: ranges, or policy missing=zero ----------------------------------

@pytest.mark.parametrize(("rule", "specs", "low", "high"), [
    (ADJUSTMENT, RATE, 0, 5),
    (ADJUSTMENT, [FactSpec("预算调整率", unit="%", minimum=5, maximum=15)], 3, 4),
    (KEY_SPENDING, [FactSpec("重点支出安排率", unit="%", minimum=0, maximum=100)], 0, 5),
    (SANGONG, [FactSpec("三公经费控制率", unit="%", minimum=0, maximum="102.5")], 3, 5),
    (NEW_FIRMS, FIRMS, 0, 5),
    (HEADCOUNT, [FactSpec("供养人数", unit="人", minimum=120, maximum=135)], 2, 3),
    (PerOccurrence("n", 5), [FactSpec("n", minimum=0, maximum=2)], 3, 5),
    (Coefficient("n", 10), [FactSpec("n", unit="%", minimum=50, maximum=80)], 5, 8),
    (Boolean("n", 5), [FactSpec("n", type="boolean")], 0, 5),
    (BALANCE, BALANCE_FACT, 0, 5),
    (Deadline("n", "2023-12-31", 3), [FactSpec("n", type="date")], 0, 3),
    (CompletionRatio("n", 100, 10), [FactSpec("n", minimum=50, maximum=150)], 5, 10),
], ids=["bands", "bands-domain", "bands-1b", "deduction-above", "deduction-below",
        "deduction-both", "per-occurrence", "coefficient", "boolean", "categorical",
        "deadline", "ratio"])
def test_missing_fact_is_a_range_over_its_domain(rule, specs, low, high):
    result = row(rule, {}, specs)
    assert (result.low, result.high) == (D(low), D(high))
    assert result.score is None
    assert result.missing == (specs[0].name,)
    assert f"缺少事实：{specs[0].name}" in result.explain("zh")
    assert f"missing fact: {specs[0].name}" in result.explain("en")
    zero = row(rule, {}, specs, policy=Policy(missing="zero"))
    assert_score(zero, low)
    assert zero.missing == ()
    assert "按政策缺少事实按最低分计" in zero.explain("zh")
    assert "policy scores missing facts at the minimum" in zero.explain("en")


def test_non_numeric_answer_is_a_range_not_zero():
    result = row(NEW_FIRMS, {"新增规模工业企业": "达成预期指标"}, FIRMS)
    assert (result.low, result.high) == (D(0), D(5))
    assert "“达成预期指标”" in result.explain("zh")
    assert "'达成预期指标'" in result.explain("en")


# 8. over-achievement warns, never deducts -------------------------------------------

def test_overachievement_warns_but_keeps_full_points():
    result = row(NEW_FIRMS, {"新增规模工业企业": "40"}, FIRMS)  # 200% of 20 家
    assert_score(result, 5)
    assert result.warnings and result.warnings[0][0] == "overachieved"
    assert "不扣分" in result.explain_warnings("zh")[0]
    assert "no deduction" in result.explain_warnings("en")[0]
    assert "200%" in result.explain_warnings("en")[0]
    # exactly at the 150% threshold: no warning
    assert row(NEW_FIRMS, {"新增规模工业企业": "30"}, FIRMS).warnings == ()


def test_overachievement_threshold_is_configurable_and_can_be_off():
    policy = Policy(defaults=RuleDefaults(overachievement_warn=None))
    assert row(NEW_FIRMS, {"新增规模工业企业": "40"}, FIRMS, policy=policy).warnings == ()
    rule = CompletionRatio("完成值", 100, 10, overachievement_warn="1.1")
    result = row(rule, {"完成值": 111}, RATIO_FACTS[:1])
    assert_score(result, 10)
    assert result.warnings[0][0] == "overachieved"


# ------------------------------------------------------------------------- protocol

def test_every_rule_kind_is_registered_and_follows_the_protocol():
    assert set(RULE_TYPES) == {"bands", "deduction", "per_occurrence", "boolean", "checklist",
                               "categorical", "ratio", "coefficient", "deadline",
                               "qualitative", "formula", "tier", "sum"}
    examples = [ADJUSTMENT, SANGONG, PerOccurrence("n", 5), Boolean("b", 5), DISCLOSURE,
                BALANCE, CompletionRatio("a", 1, 5), Coefficient("c", 5),
                Deadline("d", "2023-12-31", 3), QUAL, FormulaRule("a * 2", 5),
                TierChoice("t", 8), SumRule([Boolean("b", 3), PerOccurrence("n", 4)], 6)]
    assert {type(r) for r in examples} == set(RULE_TYPES.values())
    for rule in examples:
        assert RULE_TYPES[rule.kind] is type(rule)
        assert type(rule.max_points) is Decimal
        assert rule.direction in ("higher", "lower", "target", "none")
        assert set(rule.input_types) == set(rule.inputs)


def test_rules_are_frozen():
    import attrs

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        SANGONG.points = D(9)  # type: ignore[misc]


@pytest.mark.parametrize("make", [
    lambda: Boolean("b", -1),
    lambda: StepDeduction("r", target=1, points=-5, step=1),
    lambda: StepDeduction("r", target=1, points=5, step=0),
    lambda: StepDeduction("r", target=1, points=5, step=1, side="sideways"),
    lambda: PerOccurrence("n", 5, per_occurrence=0),
    lambda: Checklist([]),
    lambda: Categorical("c", []),
    lambda: Categorical("c", [State("a", 1), State("a", 2)]),
    lambda: Bands("x", [Band(1)], direction="up"),
    lambda: CompletionRatio("a", 1, 5, zero_over_zero="maybe"),
    lambda: Deadline("d", "31/12/2023", 3),
    lambda: Coefficient("c", "five"),
], ids=["negative-yes", "negative-points", "zero-step", "bad-side", "zero-per-occurrence",
        "empty-checklist", "no-states", "duplicate-state", "bad-direction", "bad-00",
        "bad-date", "non-numeric-points"])
def test_invalid_rule_construction_raises_a_ruleset_error_saying_what_is_allowed(make):
    with pytest.raises(RulesetError) as err:
        make()
    text = str(err.value)
    assert "expected" in text or "example" in text, text


@pytest.mark.parametrize("text", ["2023-12-31", "2023/12/31", "2023年12月31日", "2023.12.31"])
def test_deadline_dates_read_like_date_facts(text):
    assert Deadline("d", text, 3).deadline == dt.date(2023, 12, 31)
