"""Facts: declarations, coercion of input values, sentinels for what cannot be settled."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import pytest

from rubric import (
    MISSING,
    NOT_APPLICABLE,
    UNDEFINED,
    Boolean,
    FactError,
    Facts,
    FactSpec,
    Group,
    Indicator,
    RubricError,
    Ruleset,
    RulesetError,
    UnitError,
    Unsettled,
)
from rubric.facts import coerce_facts, is_known, to_decimal
from rubric.units import registry

D = Decimal

MONEY = FactSpec("预算数", unit="万元", minimum=0)
RATE = FactSpec("执行率", unit="%", minimum=0, maximum=100)
COUNT = FactSpec("新增企业", unit="家", minimum=0)
FLAG = FactSpec("已公开", type="boolean")
DAY = FactSpec("完成日期", type="date")
STATE = FactSpec("资金结余情况", type="category",
                 categories=["无结余", "未超过上年结余", "超过上年结余"])
NOTE = FactSpec("说明", type="text")


@pytest.mark.parametrize(("spec", "raw", "expected"), [
    (MONEY, 5, D(5)),
    (MONEY, D("5.25"), D("5.25")),
    (MONEY, 0.1, D("0.1")),           # a float through its shortest repr, not 0.1000000000000000055
    (MONEY, "1,234.5", D("1234.5")),
    (MONEY, " 7 ", D(7)),
    (MONEY, "628 亿元", D(6280000)),
    (MONEY, "628亿元", D(6280000)),
    (MONEY, "5000 元", D("0.5")),
    (MONEY, "3 千元", D("0.3")),
    (MONEY, "12 万元", D(12)),
    (RATE, "10.3%", D("10.3")),
    (RATE, "10.3", D("10.3")),
    (RATE, "5‰", D("0.5")),
    (FactSpec("系数"), "76%", D("0.76")),
    (COUNT, "20家", D(20)),
    (COUNT, "20 户企业", D(20)),
], ids=lambda v: repr(v) if not isinstance(v, FactSpec) else v.name)
def test_numbers_become_exact_decimals_in_the_declared_unit(spec, raw, expected):
    value = spec.coerce(raw)
    assert type(value) is Decimal
    assert value == expected


def test_pint_quantities_convert():
    q = registry().Quantity(3, "亿元")
    assert MONEY.coerce(q) == D(30000)
    assert RATE.coerce(registry().Quantity(D("12.5"), "percent")) == D("12.5")


def test_pint_quantity_in_an_incompatible_unit_is_a_fact_error_naming_both_units():
    with pytest.raises(FactError) as err:
        MONEY.coerce(registry().Quantity(5, "人"))
    assert "人" in str(err.value) and "万元" in str(err.value)
    assert "预算数" in str(err.value)


@pytest.mark.parametrize(("spec", "raw", "units"), [
    (MONEY, "5 人", ("人", "万元")),
    (COUNT, "5 人", ("人", "家")),
    (RATE, "5 万元", ("万元", "%")),
], ids=["people-to-money", "people-to-firms", "money-to-percent"])
def test_unit_that_cannot_convert_is_a_fact_error_naming_both_units(spec, raw, units):
    with pytest.raises(FactError) as err:
        spec.coerce(raw)
    text = str(err.value)
    assert f"fact '{spec.name}'" in text
    for unit in units:
        assert unit in text
    assert "example" in text
    assert not isinstance(err.value, RulesetError)  # an evaluation-time error


def test_unknown_unit_in_a_value_is_a_fact_error():
    with pytest.raises(FactError, match="斤"):
        MONEY.coerce("5 斤")


@pytest.mark.parametrize(("raw", "expected"), [
    (True, True), (False, False), ("是", True), ("否", False), ("有", True), ("无", False),
    ("yes", True), ("No", False), ("TRUE", True), (" 是 ", True), (1, True), (0, False),
    ("√", True), ("×", False), ("已完成", True), ("未完成", False),
], ids=repr)
def test_booleans(raw, expected):
    assert FLAG.coerce(raw) is expected


@pytest.mark.parametrize("raw", ["也许", 2, D("0.5"), "是的吧"], ids=repr)
def test_not_a_boolean(raw):
    with pytest.raises(FactError, match="expected a boolean: true/false or 是/否"):
        FLAG.coerce(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    ("2023-12-31", dt.date(2023, 12, 31)),
    ("2023/12/31", dt.date(2023, 12, 31)),
    ("2023.1.5", dt.date(2023, 1, 5)),
    ("2023年12月31日", dt.date(2023, 12, 31)),
    (dt.date(2023, 6, 1), dt.date(2023, 6, 1)),
    (dt.datetime(2023, 6, 1, 15, 30), dt.date(2023, 6, 1)),
], ids=str)
def test_dates(raw, expected):
    value = DAY.coerce(raw)
    assert value == expected and type(value) is dt.date


@pytest.mark.parametrize("raw", ["2023-02-30", "12月31日", "明年", 20231231], ids=repr)
def test_not_a_date(raw):
    with pytest.raises(FactError, match="expected a date YYYY-MM-DD") as err:
        DAY.coerce(raw)
    assert "2023-12-31" in str(err.value)


def test_pandas_nat_is_not_a_date():
    """pandas' NaT is a datetime whose date() is NaT: it was kept as the date, and the
    deadline row raised TypeError (NaT - date) out of evaluate and score_only."""
    pd = pytest.importorskip("pandas")
    from rubric import Deadline, evaluate, score_only

    with pytest.raises(FactError, match="expected a date YYYY-MM-DD"):
        DAY.coerce(pd.NaT)
    assert DAY.coerce(pd.Timestamp("2023-06-01 15:30")) == dt.date(2023, 6, 1)
    ruleset = Ruleset(Group("g", [Indicator("i", Deadline("完成日期", dt.date(2023, 12, 31), 3))]),
                      [DAY])
    for score in (evaluate, score_only):
        with pytest.raises(FactError, match="完成日期"):
            score(ruleset, {"完成日期": pd.NaT})


def test_categories_and_did_you_mean():
    assert STATE.coerce("无结余") == "无结余"
    assert STATE.coerce(" 超过上年结余 ") == "超过上年结余"
    with pytest.raises(FactError) as err:
        STATE.coerce("无节余")
    assert "did you mean '无结余'" in str(err.value)
    assert "one of 无结余, 未超过上年结余, 超过上年结余" in str(err.value)


@pytest.mark.parametrize("spec", [MONEY, FLAG, DAY, STATE, NOTE], ids=lambda s: s.type)
@pytest.mark.parametrize(("raw", "expected"), [
    (None, MISSING), ("", MISSING), ("   ", MISSING), (MISSING, MISSING),
    ("不适用", NOT_APPLICABLE), ("N/A", NOT_APPLICABLE), ("n/a", NOT_APPLICABLE),
    (NOT_APPLICABLE, NOT_APPLICABLE), (UNDEFINED, UNDEFINED),
], ids=repr)
def test_missing_empty_and_not_applicable_for_every_type(spec, raw, expected):
    assert spec.coerce(raw) is expected


@pytest.mark.parametrize("raw", ["达成预期指标", "良好", "约一半", "nan"])
def test_non_numeric_text_is_unsettled_not_zero(raw):
    value = MONEY.coerce(raw)
    assert value == Unsettled(raw)
    assert value != D(0)
    assert not is_known(value)


def test_sentinels_are_unknown_falsy_and_survive_pickling():
    for sentinel in (MISSING, NOT_APPLICABLE, UNDEFINED):
        assert not is_known(sentinel)
        assert not sentinel
        assert pickle.loads(pickle.dumps(sentinel)) is sentinel
    assert is_known(D(0)) and is_known(False) and is_known("")


@pytest.mark.parametrize(("spec", "raw"), [
    (MONEY, "-1"), (MONEY, -0.01), (RATE, "100.01"), (RATE, "101%"), (RATE, -1),
], ids=lambda v: repr(v) if not isinstance(v, FactSpec) else v.name)
def test_out_of_domain_values_are_rejected_with_the_domain(spec, raw):
    with pytest.raises(FactError) as err:
        spec.coerce(raw)
    assert spec.domain_text() in str(err.value)


def test_domain_bounds_are_closed():
    assert RATE.coerce("0") == 0 and RATE.coerce("100") == 100


@pytest.mark.parametrize("raw", [True, [1], {"a": 1}, D("NaN"), float("nan")], ids=repr)
def test_values_that_are_not_numbers(raw):
    with pytest.raises(FactError, match=r"expected a (finite )?number in 万元"):
        MONEY.coerce(raw)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": "x", "type": "integer"}, "unknown type 'integer'"),
    ({"name": "x", "unit": "斤"}, "unknown unit '斤'"),
    ({"name": "x", "type": "boolean", "unit": "%"}, "only number facts have a unit"),
    ({"name": "x", "minimum": 10, "maximum": 1}, "minimum 10 is above maximum 1"),
    ({"name": "x", "type": "category"}, "lists its categories"),
    ({"name": "x", "minimum": "lots"}, "expected a number"),
], ids=["type", "unit", "unit-on-boolean", "domain", "categories", "minimum"])
def test_invalid_declarations(kwargs, message):
    with pytest.raises(RulesetError, match=message) as err:
        FactSpec(**kwargs)
    assert "expected" in str(err.value) or "example" in str(err.value)


def test_invalid_unit_declaration_is_a_unit_error():
    with pytest.raises(UnitError, match="fact 'x'"):
        FactSpec("x", unit="斤")


def test_coerce_facts_reports_every_problem_at_once():
    specs = {s.name: s for s in (MONEY, RATE, FLAG, FactSpec("率", formula="预算数 * 2"))}
    with pytest.raises(FactError) as err:
        coerce_facts(specs, {"预算書": 1, "执行率": "120", "已公开": "也许", "率": 3,
                             "预算数": "5 人"})
    text = str(err.value)
    assert "unknown fact '预算書' (did you mean '预算数'?)" in text
    assert "执行率" in text and "已公开" in text
    assert "fact '率' is derived from a formula" in text
    assert "cannot convert 人 to 万元" in text


@pytest.mark.parametrize("key", [5, 5.5, None, True], ids=repr)
def test_a_key_that_is_not_text_is_an_unknown_fact(key):
    """A non-text key (a spreadsheet's column number, None) raised TypeError from
    difflib's "did you mean" (a traceback from evaluate and score_only)."""
    from rubric import evaluate, score_only

    specs = {s.name: s for s in (MONEY, RATE)}
    with pytest.raises(FactError, match=f"unknown fact '{key}'"):
        coerce_facts(specs, {key: 1, "预算数": 5})
    ruleset = Ruleset(Group("g", [Indicator("i", Boolean("已公开", 5))]), [FLAG])
    for score in (evaluate, score_only):
        with pytest.raises(FactError, match="unknown fact"):
            score(ruleset, {key: 1, "已公开": True})


def test_coerce_facts_keeps_what_was_given():
    facts = coerce_facts({s.name: s for s in (MONEY, FLAG)}, {"预算数": "1 亿元"})
    assert isinstance(facts, Facts)
    assert facts["预算数"] == D(10000)
    assert facts["已公开"] is MISSING
    assert facts.known("预算数") and not facts.known("已公开")
    assert facts.given == frozenset({"预算数"})


@pytest.mark.parametrize(("raw", "expected"), [
    ("1,234,567.5", D("1234567.5")), ("+1,000", D(1000)), ("1,000 万元", D(1000)),
    ("１，０００ 万元", D(1000)), ("12,345.5 亿元", D(123455000)),
], ids=repr)
def test_thousands_commas_are_dropped(raw, expected):
    assert MONEY.coerce(raw) == expected


@pytest.mark.parametrize("raw", ["1,5", "1,5 万元", "1.000,5", "1.000,5 万元", "12,34,567",
                                 "1,0000", "1,234,56", "1,,000", "1,000.000,5"], ids=repr)
def test_a_comma_that_groups_no_thousands_is_refused(raw):
    # "1,5" (a decimal comma, or a slip) read as 15 would be a silently wrong score
    with pytest.raises(FactError, match=r"comma that groups no thousands|unit ',"):
        MONEY.coerce(raw)
    with pytest.raises(RubricError):
        to_decimal(raw)


def test_text_with_a_comma_is_no_number_not_a_bad_grouping():
    with pytest.raises(RubricError, match="expected a number, got 'a,b'"):
        to_decimal("a,b")


@pytest.mark.parametrize(("raw", "expected"), [
    (3, D(3)), ("4.50", D("4.50")), (0.1, D("0.1")), (D("2"), D(2)), (" 1,000 ", D(1000)),
])
def test_to_decimal(raw, expected):
    assert to_decimal(raw) == expected


@pytest.mark.parametrize("raw", [True, "five", None, [1]], ids=repr)
def test_to_decimal_rejects_non_numbers(raw):
    with pytest.raises(RubricError):
        to_decimal(raw)


@pytest.mark.parametrize("raw", [D("Infinity"), D("-Infinity"), float("inf")],
                         ids=repr)
def test_infinite_values_are_rejected(raw):
    with pytest.raises(FactError, match="expected a finite number in 万元"):
        MONEY.coerce(raw)
    with pytest.raises(FactError, match="finite number"):
        MONEY.coercer(raw)
