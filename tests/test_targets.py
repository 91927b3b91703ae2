"""The 年度指标值 and 实际完成值 cells of a self-evaluation (issue 12 item 1).

Each accepted form asserts everything the reading gives (kind, operator, value, unit,
closedness, direction, date and its month reading); each refused form asserts the
message. The forms are those seen in filed tables, noisy ones included (full width,
spaces in numbers, Chinese comparison words, dates with and without a year).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rubric.dates import Month
from rubric.errors import FactError, Location
from rubric.selfeval.targets import (
    SELFEVAL_UNITS,
    Actual,
    ActualError,
    Target,
    TargetError,
    parse_actual,
    parse_target,
)
from rubric.states import Asserted

D = Decimal
F, R, E = "forward", "reverse", "exact"

# text, operator, value, unit, closed, direction
QUANTITIES = [
    ("≥95%", "≥", "95", "%", True, F),
    (">=95%", "≥", "95", "%", True, F),
    ("≥ 95 %", "≥", "95", "%", True, F),
    ("大于等于95%", "≥", "95", "%", True, F),
    ("不低于95%", "≥", "95", "%", True, F),
    ("不少于3次", "≥", "3", "次", True, F),
    ("不小于10个", "≥", "10", "个", True, F),
    ("至少2场", "≥", "2", "场", True, F),
    ("达到100%", "≥", "100", "%", True, F),
    ("≤90万元", "≤", "90", "万元", True, R),
    ("不高于5%", "≤", "5", "%", True, R),
    ("不超过90万元", "≤", "90", "万元", True, R),
    ("小于等于3天", "≤", "3", "天", True, R),
    ("<5%", "<", "5", "%", False, R),
    ("低于5%", "<", "5", "%", False, R),
    ("少于3次", "<", "3", "次", False, R),
    (">90%", ">", "90", "%", False, F),
    ("大于90%", ">", "90", "%", False, F),
    ("超过80%", ">", "80", "%", False, F),
    ("高于85%", ">", "85", "%", False, F),
    ("=100%", "=", "100", "%", True, E),
    ("等于100%", "=", "100", "%", True, E),
    ("=0次", "=", "0", "次", True, R),  # a bound of 0: reverse (不超过 0), noted
    ("100%", None, "100", "%", True, F),
    ("3家", None, "3", "家", True, F),
    ("5项", None, "5", "项", True, F),
    ("120", None, "120", None, True, F),
    ("≥266米", "≥", "266", "米", True, F),
    ("≥2000人次", "≥", "2000", "人次", True, F),
    ("≥1个", "≥", "1", "个", True, F),
    ("≥8.5万元", "≥", "8.5", "万元", True, F),
    ("≥20亩", "≥", "20", "亩", True, F),
    ("≥10公里", "≥", "10", "公里", True, F),
    ("≥500人", "≥", "500", "人", True, F),
    ("≥30户", "≥", "30", "户", True, F),
    ("≥1年", "≥", "1", "年", True, F),
    ("≥12个月", "≥", "12", "个月", True, F),
    ("≤0.5万元", "≤", "0.5", "万元", True, R),
    ("≤150元/人", "≤", "150", "元/人", True, R),
    # full width, other glyphs, spaces
    ("≥９５％", "≥", "95", "%", True, F),
    ("１００％", None, "100", "%", True, F),
    ("≧95%", "≥", "95", "%", True, F),
    ("≦5%", "≤", "5", "%", True, R),
    ("＞90%", ">", "90", "%", False, F),
    ("＜＝5%", "≤", "5", "%", True, R),
    ("≥ 95％", "≥", "95", "%", True, F),
    ("10. 3%", None, "10.3", "%", True, F),
    ("95 %", None, "95", "%", True, F),
    ("≥95%（含）", "≥", "95", "%", True, F),
    ("≥1,000人", "≥", "1000", "人", True, F),
    ("1000㎡", None, "1000", "m2", True, F),  # NFKC writes ㎡ as m2, a unit with a digit
    ("≥2km2", "≥", "2", "km2", True, F),
    # written after the number (以上/以下/以内 include it), and redundant forms
    ("95%以上", "≥", "95", "%", True, F),
    ("95%及以上", "≥", "95", "%", True, F),
    ("≥95%以上", "≥", "95", "%", True, F),
    ("5%以下", "≤", "5", "%", True, R),
    ("控制在90万元以内", "≤", "90", "万元", True, R),
    # Chinese numerals
    ("百分之九十五", None, "95", "%", True, F),
    ("百分之百", None, "100", "%", True, F),
    ("不低于百分之九十点五", "≥", "90.5", "%", True, F),
    ("≥三家", "≥", "3", "家", True, F),
    ("不少于两次", "≥", "2", "次", True, F),
]


@pytest.mark.parametrize(("text", "op", "value", "unit", "closed", "direction"), QUANTITIES,
                         ids=[q[0] for q in QUANTITIES])
def test_quantity_targets(text: str, op: str | None, value: str, unit: str | None,
                          closed: bool, direction: str) -> None:
    target = parse_target(text)
    assert (target.kind, target.operator, target.value, target.unit, target.closed,
            target.direction) == ("quantity", op, D(value), unit, closed, direction)
    assert target.text == text.strip()
    assert target.date is None and target.statement is None


# the indicator's name before the number, a verb or a remark after it: read, with a note
NOTED = [
    ("合格率≥95%", "≥", "95", "%", F), ("覆盖率不低于95%", "≥", "95", "%", F),
    ("完成率100%", None, "100", "%", F), ("培训500人次", None, "500", "人次", F),
    ("群众满意度90%以上", "≥", "90", "%", F), ("节约资金≥10万元", "≥", "10", "万元", F),
    ("100%完成", None, "100", "%", F), ("100%覆盖", None, "100", "%", F),
    ("≤90万元(含税)", "≤", "90", "万元", R), ("≥95%（按验收报告）", "≥", "95", "%", F),
    ("≥95%（含95%）", "≥", "95", "%", F),
    # 第 and 未 in a name, not a rank (第1名) or a negation (未达到95%)
    ("第三方满意度≥95%", "≥", "95", "%", F), ("未成年人覆盖率≥95%", "≥", "95", "%", F),
]


@pytest.mark.parametrize(("text", "op", "value", "unit", "direction"), NOTED,
                         ids=[n[0] for n in NOTED])
def test_words_around_the_number_are_noted(text: str, op: str | None, value: str,
                                           unit: str, direction: str) -> None:
    target = parse_target(text)
    assert (target.kind, target.operator, target.value, target.unit, target.direction) == (
        "quantity", op, D(value), unit, direction)
    assert len(target.notes) == 1 and ("不计" in target.notes[0] or "含" in target.notes[0])


@pytest.mark.parametrize(("text", "op"), [("0起", None), ("0", None), ("=0次", "="),
                                         ("0%", None)])
def test_a_bound_of_zero_without_a_lower_comparison_is_reverse(text: str,
                                                                op: str | None) -> None:
    # forward, a 0 is met by any count (安全事故 0起 with 2 accidents: 2/0, full marks)
    target = parse_target(text, units=SELFEVAL_UNITS)
    assert (target.operator, target.value, target.direction, target.closed) == (
        op, 0, R, True)
    assert target.notes and "不超过 0" in target.notes[-1]
    assert parse_target("≥0").direction == F  # said forward: kept


def test_within_a_number_of_days() -> None:
    target = parse_target("30天内")
    assert (target.operator, target.value, target.unit, target.closed, target.direction) == (
        "≤", D(30), "天", True, R)


# digits spaced out are joined, and the reading says so
@pytest.mark.parametrize(("text", "value", "unit"), [("≥ 9 5%", "95", "%"),
                                                      ("≥1 000人", "1000", "人")])
def test_spaced_digits_are_joined_with_a_note(text: str, value: str, unit: str) -> None:
    target = parse_target(text)
    assert (target.operator, target.value, target.unit) == ("≥", D(value), unit)
    assert len(target.notes) == 1 and "读作" in target.notes[0]


# text, date, month_reading
DATES = [
    ("12月底前", Month(None, 12), "end"),
    ("9月前", Month(None, 9), None),
    ("9月以前", Month(None, 9), None),
    ("12月前完成", Month(None, 12), None),
    ("9月底前", Month(None, 9), "end"),
    ("9月", Month(None, 9), "end"),
    ("9月内完成", Month(None, 9), "end"),
    ("2023年6月底前", Month(2023, 6), "end"),
    ("2023年12月", Month(2023, 12), "end"),
    ("2023.12前", Month(2023, 12), None),
    ("2023年底前", Month(2023, 12), "end"),
    ("2023年", Month(2023, 12), "end"),
    ("年底前完成", Month(None, 12), "end"),
    ("年底", Month(None, 12), "end"),
    ("年内", Month(None, 12), "end"),
    ("第三季度末前", Month(None, 9), "end"),
    ("上半年完成", Month(None, 6), "end"),
    ("2023年12月31日前", dt.date(2023, 12, 31), None),
    ("2023.12.31前", dt.date(2023, 12, 31), None),
    ("2023-12-31前", dt.date(2023, 12, 31), None),
    ("2023年11月15日之前完成", dt.date(2023, 11, 15), None),
    ("截至2023年12月31日", dt.date(2023, 12, 31), None),
    ("12月31日前", Month(None, 12), "end"),  # the month's last day: the month read as its end
    ("6月30日前完成", Month(None, 6), "end"),
    ("年度内", Month(None, 12), "end"),
    ("当年", Month(None, 12), "end"),
    ("2023年度", Month(2023, 12), "end"),
    ("本年度内完成", Month(None, 12), "end"),
]


@pytest.mark.parametrize(("text", "when", "reading"), DATES, ids=[d[0] for d in DATES])
def test_deadline_targets(text: str, when: object, reading: str | None) -> None:
    target = parse_target(text)
    assert (target.kind, target.date, target.month_reading, target.closed,
            target.operator, target.value, target.direction) == (
        "date", when, reading, True, None, None, None)


def test_a_day_without_its_year_takes_the_projects_year() -> None:
    assert parse_target("12月20日前", year=2023).date == dt.date(2023, 12, 20)


STATEMENTS = ["达成预期", "有所提升", "明显改善", "逐步提高", "按时完成", "群众满意",
              "达到A级标准"]


@pytest.mark.parametrize("text", STATEMENTS)
def test_statements(text: str) -> None:
    target = parse_target(text)
    assert (target.kind, target.statement, target.operator, target.value, target.closed,
            target.direction) == ("statement", text, None, None, None, None)


@pytest.mark.parametrize("text", ["/", "—", "——", "-", "无", "不适用", "／", " / "])
def test_not_applicable(text: str) -> None:
    target = parse_target(text)
    assert (target.kind, target.value, target.operator, target.direction) == (
        "none", None, None, None)


def test_the_table_has_at_least_sixty_accepted_forms() -> None:
    assert len(QUANTITIES) + 2 + len(NOTED) + 1 + len(DATES) + len(STATEMENTS) + 8 >= 60


_HEAD = "x.xlsx:7:5: 年度指标值 "
REFUSED = [
    ("", "'' is blank"),
    ("  ", "'' is blank"),
    ("≥", "'≥' has a comparison but no number; expected a number after it"),
    ("≥%", "'≥%' has a comparison but no number"),
    ("≥abc", "'≥abc' has a comparison but no number"),
    ("≥-", "'≥-' has a comparison but no number"),
    ("≤预算", "'≤预算' has a comparison but no number"),
    ("约95%", "'约95%' is approximate ('约'): a score is computed against an exact bound"),
    ("95%左右", "'95%左右' is approximate ('左右')"),
    ("≥95%或≤5%", "'≥95%或≤5%' gives alternative targets; a row is scored against one target"),
    ("95%/98%", "'95%/98%' gives alternative targets"),
    ("95% 98%", "'95% 98%' has more than one number"),
    ("95,98%", "'95,98%' has more than one number"),
    ("95 98%", "'95 98%' has more than one number"),
    ("1O0%", "'1O0%' has a letter among its digits ('O')"),
    ("≥5 xyz", "'≥5 xyz' unknown unit 'xyz'; expected a unit of rubric's registry"),
    ("≥90分", "'≥90分' unknown unit '分'"),
    ("90%-100%", "'90%-100%' is a range: the template scores a row against one bound"),
    ("90%至100%", "'90%至100%' is a range"),
    ("≥-5%", "'≥-5%' has a negative bound"),
    ("≥95%以下", "'≥95%以下' says two comparisons that disagree ('≥' and '以下')"),
    ("控制在90万元", ("'控制在90万元' '控制在' does not say whether the number is an upper or "
     "a lower bound")),
    ("较上年提升10%", ("'较上年提升10%' has words before the number ('较上年提升') that change "
     "what it means")),
    ("较上年增长≥5%", "has words before the number ('较上年增长')"),
    ("每年2次", "has words before the number ('每年')"),
    # a rank (lower is better): 第3名 against 第1名 was 3/1 of 1 名 (a person), full marks
    ("第1名", "has words before the number ('第')"),
    ("全省排名第1", "has words before the number ('全省排名第')"),
    ("排名1", "has words before the number ('排名')"),
    ("近3年", "has words before the number ('近')"),
    ("≥95%吗", "unknown unit '%吗'"),
    ("2023年13月前", "'2023年13月前' month 13 is not a month"),
    ("2023年2月30日前", "'2023年2月30日前' 2023-2-30 is not a day of the calendar"),
    ("12月20日前", "'12月20日前' gives a day without its year; expected the project's year"),
    ("三季度前", "'三季度前' leaves open whether the deadline is the start or the end"),
    (">95%（含95%）", "says '(含95%)', which is not its bound"),
    ("≥95%（含90%）", "says '(含90%)', which is not its bound"),
    ("≥" + "9" * 30 + "%", "has a number that is too large"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED, ids=[r[0] or "blank" for r in REFUSED])
def test_refused_targets(text: str, message: str) -> None:
    where = Location("x.xlsx", 7, 5)
    with pytest.raises(TargetError) as info:
        parse_target(text, where=where)
    error = info.value
    assert isinstance(error, FactError)
    assert str(error).startswith(_HEAD)
    assert message in str(error)
    assert error.location == where and error.expected and error.example


def test_an_error_names_a_cell_given_as_text() -> None:
    with pytest.raises(TargetError, match=r"^项目A 第3行: 年度指标值 '约5%' is approximate"):
        parse_target("约5%", where="项目A 第3行")


def test_a_huge_cell_is_refused_short() -> None:
    with pytest.raises(TargetError, match="longer than 500 characters") as info:
        parse_target("≥" * 100_000)
    assert len(str(info.value)) < 400


def test_units_of_a_declared_system() -> None:
    from rubric.units import BUILTIN
    system = BUILTIN.declare("分", "count")
    assert parse_target("≥90分", units=system).unit == "分"


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("0起", "0", "起"), ("≥90分", "90", "分"), ("≥3条", "3", "条"), ("≥10家次", "10", "家次"),
    ("≤5个工作日", "5", "个工作日")])
def test_counting_units_of_self_evaluations(text: str, value: str, unit: str) -> None:
    target = parse_target(text, units=SELFEVAL_UNITS)
    assert (target.value, target.unit) == (D(value), unit)
    assert parse_actual(f"{value}{unit}", target, units=SELFEVAL_UNITS).in_target_unit == D(value)
    with pytest.raises(TargetError, match=f"unknown unit '{unit}'"):
        parse_target(text)  # not rubric's built-in units


def test_target_in_another_unit() -> None:
    assert parse_target("≥10公里").value_in("米") == D(10000)


# -- actuals ------------------------------------------------------------------------

# target, actual, kind, value, unit, in the target's unit
ACTUAL_VALUES = [
    ("≥95%", "98%", "98", "%", "98"),
    ("≥95%", "１００％", "100", "%", "100"),
    ("≥95%", "96.5", "96.5", None, "96.5"),  # a bare number: the target's unit, noted
    ("≥95%", "0", "0", None, "0"),  # 0 is 0 as a fraction or a percent
    ("=100%", "100%", "100", "%", "100"),
    ("≤90万元", "85万元", "85", "万元", "85"),
    ("≤900000元", "85万元", "85", "万元", "850000"),
    ("≥10公里", "9800米", "9800", "米", "9.8"),
    ("≥3次", "2次", "2", "次", "2"),
    ("≥2000人次", "1 850人次", "1850", "人次", "1850"),
    ("≥95", "98%", "98", "%", "98"),  # a target without a unit: the actual's unit, noted
]


@pytest.mark.parametrize(("target", "text", "value", "unit", "in_target"), ACTUAL_VALUES,
                         ids=[f"{a[0]} {a[1]}" for a in ACTUAL_VALUES])
def test_actual_values(target: str, text: str, value: str, unit: str | None,
                       in_target: str) -> None:
    actual = parse_actual(text, parse_target(target))
    assert (actual.kind, actual.value, actual.unit, actual.in_target_unit, actual.state) == (
        "quantity", D(value), unit, D(in_target), None)
    assert bool(actual.notes) == (unit is None or parse_target(target).unit is None
                                  or " " in text)


@pytest.mark.parametrize(("target", "text", "state"), [
    ("≥95%", "已完成", "met"), ("达成预期", "达成预期指标", "met"), ("≥95%", "未完成", "not_met"),
    ("≥3个", "部分完成", "partly_met"), ("12月底前", "按时完成", "met"),
    ("12月底前", "提前完成", "met"), ("有所提升", "达成预期目标。", "met"),
    ("≥95%", "达成预期", "met"), ("明显改善", "达到预期效果", "met"),
    ("明显改善", "基本达到预期", "partly_met"), ("≥3个", "未达到预期", "not_met")])
def test_asserted_states(target: str, text: str, state: str) -> None:
    actual = parse_actual(text, parse_target(target))
    assert (actual.kind, actual.state, actual.value) == ("state", Asserted(state, text), None)


@pytest.mark.parametrize(("target", "text", "op", "bound"), [
    ("≥266米", "≥266米", "≥", "266"), ("≥0.5公里", "≥500米", "≥", "0.5"),
    ("≥95%", "95%以上", "≥", "95"), ("≤90万元", "不超过90万元", "≤", "90")])
def test_an_echo_of_the_target(target: str, text: str, op: str, bound: str) -> None:
    actual = parse_actual(text, parse_target(target))
    assert actual.kind == "state"
    assert actual.state == Asserted("echo", text, op, D(bound))


@pytest.mark.parametrize(("target", "text", "when"), [
    ("12月底前", "7月", Month(None, 7)), ("12月底前", "2023年11月", Month(2023, 11)),
    ("2023年12月31日前", "12月20日", dt.date(2023, 12, 20)),
    ("2023年12月31日前", "2023.11.30", dt.date(2023, 11, 30)),
    ("9月前", "2023年8月底", dt.date(2023, 8, 31)),
])
def test_actual_dates(target: str, text: str, when: object) -> None:
    actual = parse_actual(text, parse_target(target))
    assert (actual.kind, actual.date, actual.value) == ("date", when, None)


def test_a_deadline_restated_is_met() -> None:
    actual = parse_actual("12月底前", parse_target("12月底前"))
    assert actual.state == Asserted("met", "12月底前") and actual.notes


def test_a_day_without_a_year_takes_the_projects_year() -> None:
    actual = parse_actual("12月20日", parse_target("12月底前"), year=2024)
    assert actual.date == dt.date(2024, 12, 20)


@pytest.mark.parametrize(("text", "kind"), [("/", "none"), ("—", "none"), ("", "missing"),
                                            ("  ", "missing"), (None, "missing")])
def test_not_applicable_and_blank_actuals(text: str | None, kind: str) -> None:
    assert parse_actual(text, parse_target("≥95%")).kind == kind


def test_statements_against_a_statement_target() -> None:
    actual = parse_actual("明显提升", parse_target("有所提升"))
    assert (actual.kind, actual.statement) == ("statement", "明显提升")
    number = parse_actual("98%", parse_target("达成预期"))
    assert (number.kind, number.value, number.unit, number.in_target_unit) == (
        "quantity", D(98), "%", None)


_AHEAD = "y.csv:3: 实际完成值 "
REFUSED_ACTUALS = [
    ("≥95%", "0.965", ("'0.965' has no unit and could be a fraction or a percent against "
     "'≥95%'; expected the value with its unit (example: 96.5%)")),
    ("≥95%", "1", "'1' has no unit and could be a fraction or a percent"),
    ("≤90万元", "850000", ("'850000' has no unit and is a thousand times off the target "
     "'≤90万元'")),
    ("≥95%", "5次", "'5次' is in 次, which cannot compare with the target's %"),
    ("≥3次", "3个", "'3个' is in 个, which cannot compare with the target's 次"),
    ("≥95%", "较好", "'较好' is not a value to compare with the target '≥95%'"),
    ("≥95%", "98%左右", "'98%左右' is approximate ('左右')"),
    ("≥95%", "96%,97%", "'96%,97%' has more than one number"),
    ("12月底前", "98%", "'98%' is not a completion date to compare with the deadline '12月底前'"),
    ("12月底前", "12月20日", "'12月20日' gives a day without its year"),
    ("12月底前", "11月前", "'11月前' is not a completion date"),
    ("≥5个", "3 xyz", "'3 xyz' unknown unit 'xyz'"),
    # a negation before the number: 未达到95% was an echo of ≥95% (met, full marks) and
    # 未达95% read as 95%
    ("≥95%", "未达到95%", "has words before the number ('未') that change what it means"),
    ("≥95%", "尚未达到95%", "has words before the number ('尚未')"),
    ("≥95%", "未达95%", "has words before the number ('未达')"),
    ("≥100人", "没有达到100人", "has words before the number ('没有')"),
    ("≥100人", "逾100人", "has words before the number ('逾')"),
    # words saying the number is not what was achieved: the target, a plan, an estimate,
    # last year's, a share of the target (read as the actual, full marks)
    ("≥95%", "目标95%", "has words before the number ('目标') that change what it means"),
    ("≥95%", "预计96%", "has words before the number ('预计')"),
    ("≥100人", "计划100人", "has words before the number ('计划')"),
    ("≥95%", "上年96%", "has words before the number ('上年')"),
    ("≥95%", "完成目标的90%", "has words before the number ('完成目标的')"),
    # a target without a unit at most 1 against a percent: 0.95 is 95% or 0.95%
    ("≥0.95", "50%", ("'50%' is a percent against the target '≥0.95', which has no unit "
     "and could be a fraction or a percent; expected the target with its unit "
     "(example: 95%)")),
    ("1", "96%", "against the target '1', which has no unit and could be a fraction"),
]


@pytest.mark.parametrize(("target", "text", "message"), REFUSED_ACTUALS,
                         ids=[f"{a[0]} {a[1]}" for a in REFUSED_ACTUALS])
def test_refused_actuals(target: str, text: str, message: str) -> None:
    with pytest.raises(ActualError) as info:
        parse_actual(text, parse_target(target), where="y.csv:3")
    assert str(info.value).startswith(_AHEAD)
    assert message in str(info.value)
    assert info.value.expected and info.value.example


def test_models_refuse_unknown_kinds() -> None:
    with pytest.raises(ValueError, match="target kind"):
        Target("number", "5")
    with pytest.raises(ValueError, match="actual kind"):
        Actual("number", "5")


def test_working_days_convert() -> None:
    target = parse_target("≤5个工作日", units=SELFEVAL_UNITS)
    assert parse_actual("4工作日", target, units=SELFEVAL_UNITS).in_target_unit == D(4)


# -- any text: a reading or a located error, never another exception --------------------

_PIECES = st.sampled_from(["≥", "≤", ">", "<", "=", "不低于", "以上", "以内", "约", "%", "％",
                           "万元", "元", "人次", "米", "月", "日", "年", "底", "前", "季度", "半年",
                           "(", ")", "（含）", "/", "-", "—", "或", ",", ".", " ", "达成预期",
                           "已完成", "O", "e", "E", "²", "１", "9", "0", "12", "2023", "百分之",
                           "九十五", "合格率", "完成", "\x00", "\u2063"])
_CELLS = st.one_of(st.text(max_size=30), st.lists(_PIECES, max_size=8).map("".join))


@settings(deadline=None)
@given(_CELLS)
def test_any_target_text_is_read_or_refused(text: str) -> None:
    try:
        target = parse_target(text, where="t.csv:2", units=SELFEVAL_UNITS)
    except TargetError as exc:
        refused: TargetError | None = exc
    else:
        refused = None
    if refused is not None:
        assert str(refused).startswith("t.csv:2: 年度指标值 '")
        return
    assert target.kind in ("quantity", "date", "statement", "none")
    if target.kind == "quantity":
        assert target.value is not None and target.value >= 0
        assert target.direction in ("forward", "reverse", "exact")


@settings(deadline=None)
@given(_CELLS, st.sampled_from(["≥95%", "≤90万元", "12月底前", "达成预期", "≥3次", "=100%"]))
def test_any_actual_text_is_read_or_refused(text: str, target: str) -> None:
    try:
        actual = parse_actual(text, parse_target(target), where="t.csv:3", year=2023)
    except ActualError as exc:
        refused: ActualError | None = exc
    else:
        refused = None
    if refused is not None:
        assert str(refused).startswith("t.csv:3: 实际完成值 '")
        return
    assert actual.kind in ("quantity", "date", "state", "statement", "none", "missing")
    if actual.kind == "quantity" and parse_target(target).kind == "quantity":
        assert actual.in_target_unit is not None
