"""Deadlines given as a month (read by month_reading) or by a planned-date fact."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubric import (
    FactError,
    LoadError,
    check_ruleset,
    dump_ruleset,
    evaluate,
    load_ruleset,
)
from rubric.dates import Month
from rubric.engine.compiled import score_only
from rubric.testing import check_properties

D = Decimal


def ruleset(rule: str, *, head: str = "", defaults: str = "") -> Any:
    return load_ruleset(f"""\
rubric: 1
{head}policy: {{total_points: 3, defaults: {{{defaults}}}}}
facts:
  完成时间: {{type: date}}
  计划完成时间: {{type: date}}
indicators:
  - id: 时效
    max_points: 3
    rule: {{kind: deadline, fact: 完成时间, points: 3, {rule}}}
""", filename="d.yaml")


def score(rs: Any, **facts: Any) -> tuple[Decimal, Decimal]:
    result = evaluate(rs, facts)
    low, high = result.total.low, result.total.high
    scores = score_only(rs, facts)  # the compiled scores-only path agrees
    assert (scores.lows[-1], scores.highs[-1]) == (low, high)
    return low, high


END = [("2023-07-30", "3.00"), ("2023-07-31", "3.00"), ("2023-08-01", "0.00")]
START = [("2023-06-29", "3.00"), ("2023-06-30", "3.00"), ("2023-07-01", "0.00")]


@pytest.mark.parametrize("written", ["2023-07", "2023年7月", "2023/7", "'2023.07'"])
@pytest.mark.parametrize(("done", "points"), END, ids=("below", "at", "above"))
def test_a_month_deadline_is_read_as_its_end_by_default(written, done, points) -> None:
    rs = ruleset(f"deadline: {written}")
    assert score(rs, 完成时间=done) == (D(points), D(points))


@pytest.mark.parametrize(("done", "points"), START, ids=("below", "at", "above"))
def test_month_reading_start_is_before_the_month_begins(done, points) -> None:
    rs = ruleset("deadline: 2023-07, month_reading: start")
    assert score(rs, 完成时间=done) == (D(points), D(points))


@pytest.mark.parametrize("case", [0, 1, 2], ids=("below", "at", "above"))
def test_the_policy_default_reading_applies_and_a_rule_overrides_it(case: int) -> None:
    start = ruleset("deadline: 2023-07", defaults="deadline_month_reading: start")
    done, points = START[case]
    assert score(start, 完成时间=done) == (D(points), D(points))
    end = ruleset("deadline: 2023-07, month_reading: end",
                  defaults="deadline_month_reading: start")
    done, points = END[case]
    assert score(end, 完成时间=done) == (D(points), D(points))


def test_the_deadline_day_itself_can_be_excluded() -> None:
    rs = ruleset("deadline: 2023-07, inclusive: false")
    assert score(rs, 完成时间="2023-07-30") == (D(3), D(3))
    assert score(rs, 完成时间="2023-07-31") == (D(0), D(0))


def test_per_day_counts_from_the_day_the_month_stands_for() -> None:
    rs = ruleset("deadline: 2023-07, per_day: 0.5")
    assert score(rs, 完成时间="2023-08-02") == (D("2.00"), D("2.00"))
    rs = ruleset("deadline: 2023-07, per_day: 0.5, month_reading: start")
    assert score(rs, 完成时间="2023-07-02") == (D("2.00"), D("2.00"))  # 2 days after 06-30


def test_the_reading_is_shown_in_the_trace_in_chinese_and_english() -> None:
    result = evaluate(ruleset("deadline: 2023-09, month_reading: start"),
                      {"完成时间": "2023-09-01"})
    assert result.explain() == (
        "时效 [0/3]: 期限 2023-09，为月份，按月初（该月开始前）计至 2023-08-31；完成时间 = "
        "2023-09-01，期限 2023-08-31（含当日），逾期 1 天，计 0 分")
    assert result.explain("en") == (
        "时效 [0/3]: deadline 2023-09: a month, read as its start (before it begins): "
        "2023-08-31; 完成时间 = 2023-09-01, deadline 2023-08-31 (inclusive): 1 day(s) late, "
        "0 points")
    end = evaluate(ruleset("deadline: 2023-09"), {"完成时间": "2023-09-01"})
    assert end.explain("en").startswith(
        "时效 [3/3]: deadline 2023-09: a month, read as its end: 2023-09-30;")
    step = end.to_dict()["tree"]["children"][0]["trace"][0]
    assert step == {"type": "deadline_month", "fact": "", "month": "2023-09",
                    "reading": "end", "deadline": "2023-09-30"}


# -- a month without its year ---------------------------------------------------------


def test_a_month_without_its_year_takes_the_fiscal_year() -> None:
    rs = ruleset("deadline: 7月", head="metadata: {fiscal_year: 2023}\n")
    assert rs.policy.defaults.deadline_year == 2023
    for done, points in END:
        assert score(rs, 完成时间=done) == (D(points), D(points))
    assert load_ruleset(dump_ruleset(rs)) == rs


def test_a_month_without_its_year_takes_the_policy_year_first() -> None:
    rs = ruleset("deadline: 7月", head="metadata: {fiscal_year: 2023}\n").policy
    assert rs.defaults.deadline_year == 2023
    text = dump_ruleset(ruleset("deadline: 7月", head="metadata: {fiscal_year: 2023}\n"))
    other = load_ruleset(text.replace("deadline_year: 2023", "deadline_year: 2024"))
    assert score(other, 完成时间="2024-07-31") == (D(3), D(3))
    assert score(other, 完成时间="2023-08-01") == (D(3), D(3))


def test_a_month_without_any_year_is_refused_at_load() -> None:
    with pytest.raises(LoadError) as info:
        ruleset("deadline: 7月")
    assert str(info.value.problems[0]) == (
        "d.yaml:9:11: $.indicators[0].rule: indicator '时效': deadline 7月 has no year, and "
        "the ruleset gives none; expected the year in the deadline, or "
        "policy.defaults.deadline_year or metadata.fiscal_year (example: deadline: 2023-07)")


# -- a planned completion date given as a fact ------------------------------------------


@pytest.mark.parametrize(("done", "points"), [("2023-06-29", "3.00"), ("2023-06-30", "3.00"),
                                              ("2023-07-01", "0.00")],
                         ids=("below", "at", "above"))
def test_the_deadline_can_be_the_planned_completion_date(done, points) -> None:
    rs = ruleset("deadline_fact: 计划完成时间")
    assert score(rs, 完成时间=done, 计划完成时间="2023-06-30") == (D(points), D(points))
    assert score(rs, 完成时间=done, 计划完成时间=dt.date(2023, 6, 30)) == (D(points), D(points))


@pytest.mark.parametrize(("done", "points"), END, ids=("below", "at", "above"))
def test_a_planned_month_follows_the_month_reading(done, points) -> None:
    rs = ruleset("deadline_fact: 计划完成时间")
    assert score(rs, 完成时间=done, 计划完成时间="2023年7月") == (D(points), D(points))
    start = ruleset("deadline_fact: 计划完成时间, month_reading: start")
    shifted = dt.date.fromisoformat(done) - dt.timedelta(days=31)
    assert score(start, 完成时间=shifted, 计划完成时间="2023-07") == (D(points), D(points))


def test_the_planned_date_is_shown_and_a_missing_one_is_a_range() -> None:
    rs = ruleset("deadline_fact: 计划完成时间, per_day: 1")
    result = evaluate(rs, {"完成时间": "2023-07-02", "计划完成时间": "2023-06-30"})
    assert result.explain() == (
        "时效 [1/3]: 期限取自 计划完成时间 = 2023-06-30；完成时间 = 2023-07-02，期限 "
        "2023-06-30（含当日），逾期 2 天，计 1 分")
    assert result.explain("en") == (
        "时效 [1/3]: deadline from 计划完成时间 = 2023-06-30; 完成时间 = 2023-07-02, deadline "
        "2023-06-30 (inclusive): 2 day(s) late, 1 points")
    missing = evaluate(rs, {"完成时间": "2023-07-02"})
    assert (missing.total.low, missing.total.high) == (D(0), D(3))
    assert missing.missing == ("计划完成时间",)
    assert score(rs, 完成时间="2023-07-02") == (D(0), D(3))


# -- a completion given as a month ---------------------------------------------------------


def test_a_completion_month_is_any_of_its_days() -> None:
    rs = ruleset("deadline: 2023-07-15")
    assert score(rs, 完成时间="2023-06") == (D(3), D(3))
    assert score(rs, 完成时间="2023-08") == (D(0), D(0))
    result = evaluate(rs, {"完成时间": "2023年7月"})
    assert (result.total.low, result.total.high) == (D(0), D(3))
    assert result.missing == ("完成时间",)
    assert result.explain("en") == (
        "时效 [0–3/3]: 完成时间 = 2023-07: a month without its day, any day from 2023-07-01 "
        "to 2023-07-31; score range 0-3 points")
    assert score(rs, 完成时间="2023-07") == (D(0), D(3))


def test_date_facts_take_months_with_their_year_only() -> None:
    rs = ruleset("deadline: 2023-07")
    assert rs.specs["完成时间"].coerce("2023年7月") == Month(2023, 7)
    assert rs.specs["完成时间"].coerce("2023-07-31") == dt.date(2023, 7, 31)
    with pytest.raises(FactError, match="expected a date or a month with its year"):
        rs.specs["完成时间"].coerce("7月")
    with pytest.raises(FactError, match="expected a date YYYY-MM-DD or a month YYYY-MM"):
        rs.specs["完成时间"].coerce("2023-13")


# -- check, testing, dump -----------------------------------------------------------------


@pytest.mark.parametrize("rule", ["deadline: 2023-07", "deadline: 2023-07, month_reading: start",
                                  "deadline_fact: 计划完成时间, per_day: 0.5"])
def test_check_testing_and_dump_agree(rule: str) -> None:
    rs = ruleset(rule)
    assert [f for f in check_ruleset(rs) if f.severity == "error"] == []
    check_properties(rs)
    assert load_ruleset(dump_ruleset(rs)) == rs


BAD = {
    "both": ("deadline: 2023-07, deadline_fact: 计划完成时间",
             "a deadline rule gives either 'deadline' or 'deadline_fact' (not both)"),
    "neither": ("late_points: 0", "a deadline rule gives either 'deadline' or 'deadline_fact'"),
    "reading": ("deadline: 2023-07, month_reading: middle",
                "month_reading: 'middle' is not a known reading; expected one of end, start"),
    "itself": ("deadline_fact: 完成时间", "deadline_fact '完成时间' is the completion fact itself"),
    "not-a-month": ("deadline: 2023-13", "deadline: expected a date or a month, got '2023-13'"),
    "undeclared": ("deadline_fact: 计划时间",
                   ("$.indicators[0].rule.deadline_fact: indicator '时效': rule reads fact "
                   "'计划时间', which is not declared (did you mean '计划完成时间'?)")),
}


@pytest.mark.parametrize("case", BAD, ids=str)
def test_a_bad_deadline_is_a_load_error(case: str) -> None:
    rule, message = BAD[case]
    with pytest.raises(LoadError) as info:
        ruleset(rule)
    assert message in str(info.value.problems[0])
    assert str(info.value.problems[0]).startswith("d.yaml:9:")


MONTH_RULESETS = {
    (reading, inclusive): ruleset(f"deadline: 2023-07, month_reading: {reading}, "
                                  f"inclusive: {str(inclusive).lower()}, per_day: 0.25")
    for reading in ("end", "start") for inclusive in (True, False)
}


@given(reading=st.sampled_from(("end", "start")), inclusive=st.booleans(),
       done=st.dates(dt.date(2023, 5, 1), dt.date(2023, 9, 30)),
       as_month=st.booleans())
def test_month_deadlines_match_a_model_and_the_compiled_path(reading, inclusive, done,
                                                             as_month) -> None:
    rs = MONTH_RULESETS[(reading, inclusive)]
    deadline = dt.date(2023, 7, 31) if reading == "end" else dt.date(2023, 6, 30)

    def model(day: dt.date) -> Decimal:
        late = (day - deadline).days + (0 if inclusive else 1)
        return D(3) if late <= 0 else max(D(0), D(3) - D("0.25") * late)

    if as_month:
        first = done.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        expected = (model(last), model(first))
        given_value: Any = f"{done.year}年{done.month}月"
    else:
        expected = (model(done), model(done))
        given_value = done.isoformat()
    assert score(rs, 完成时间=given_value) == expected


def test_the_json_schema_accepts_month_deadlines_and_planned_dates() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from rubric.io.schema import ruleset_schema

    validator = jsonschema.Draft202012Validator(ruleset_schema())
    for rule in ({"deadline": "2023-07", "month_reading": "start"}, {"deadline": "7月"},
                 {"deadline": "2023-12-31"}, {"deadline_fact": "计划完成时间"}):
        data = {"rubric": 1, "facts": {"完成时间": {"type": "date"}},
                "indicators": [{"id": "a", "max_points": 3, "rule": {
                    "kind": "deadline", "fact": "完成时间", "points": 3, **rule}}]}
        assert list(validator.iter_errors(data)) == [], rule
    data["indicators"][0]["rule"]["month_reading"] = "middle"
    assert list(validator.iter_errors(data)) != []
