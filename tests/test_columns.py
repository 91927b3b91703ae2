"""The column engine (``rubric.score_columns``) gives exactly what ``evaluate`` gives for
every unit, and the batch's own records: scores, ranges, not-applicable rows, caps,
grades and errors; without numpy every unit takes the per-unit path."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import seed_table
from rubric import load_ruleset, score_columns
from rubric.batch import row_record, score_batch
from rubric.testing import facts_for
from test_properties import random_rulesets

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
EVERY_KIND = ROOT / "tests" / "data" / "every_kind.yaml"
sys.path.insert(0, str(ROOT / "benchmarks" / "compare"))
from facts import generate  # noqa: E402

NOT_APPLICABLE = ("不适用", "/", "无此项")


def columns_of(units: list[dict[str, Any]]) -> dict[str, list[Any]]:
    names = list(dict.fromkeys(k for u in units for k in u))
    return {n: [u.get(n) for u in units] for n in names}


def check(ruleset: Any, units: list[dict[str, Any]], columns: Any = None) -> Any:
    """score_columns over ``units`` agrees with evaluate unit by unit and with the
    batch's records; returns the ColumnScores."""
    if not any(units) and columns is None:
        return None  # no column, so no units: nothing to compare
    got = score_columns(ruleset, columns if columns is not None else columns_of(units))
    assert got.n == len(units)
    lows = [got.low(i) for i in got.ids]
    highs = [got.high(i) for i in got.ids]
    applicable = [got.applicable(i) for i in got.ids]
    table = columns_of(units)  # what a table holds: None where a unit gives no value
    shaped = [{c: v[i] for c, v in table.items()} for i in range(len(units))]
    rows = list(score_batch(ruleset, shaped))  # evaluate's Result per unit, or the error
    for i, row in enumerate(rows):
        if row.error is not None:
            assert got.errors[i] == row.error
            assert got.total_low[i] is None and got.grade[i] is None
            continue
        result = row.result
        assert result is not None
        assert got.errors[i] is None
        assert got.total_low[i] == result.low and got.total_high[i] == result.high
        grade = result.grade if result.grade is not None else "/".join(result.grades)
        assert got.grade[i] == grade
        assert got.missing[i] == result.missing
        assert got.rescaled[i] == result.rescaling_text()
        for k, rec in enumerate(result.records):
            # as written: Decimal('5') == Decimal('5.00'), their exponents must agree too
            assert (str(lows[k][i]), str(highs[k][i])) == (str(rec.low), str(rec.high)), \
                got.ids[k]
            assert applicable[k][i] == rec.applicable
    assert list(got.records()) == [row_record(r) for r in rows]
    assert [{k: str(v) for k, v in r.items()} for r in got.records()] == \
        [{k: str(v) for k, v in row_record(r).items()} for r in rows]
    return got


# ----------------------------------------------------------------------------- the seed


def test_the_seed_boundary_walk_is_scored_in_columns() -> None:
    ruleset = load_ruleset(SEED)
    units = list(generate(1500))  # every band and step boundary, and their neighbours
    got = check(ruleset, units)
    assert got.columnar > 1200  # 0/0 budgets and the like go per unit


def not_applicable_or_typed(value: Any, draw: Any) -> Any:
    """Sometimes a not-applicable text; a number sometimes a float or an int."""
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return draw(st.sampled_from(NOT_APPLICABLE))
    if isinstance(value, Decimal) and choice < 4:
        f = float(value)
        return f if Decimal(repr(f)) == value else value
    if isinstance(value, Decimal) and choice < 6 and value == value.to_integral_value():
        return int(value)
    return value


@st.composite
def units_of(draw: Any, ruleset: Any, size: int = 6) -> list[dict[str, Any]]:
    units = draw(st.lists(facts_for(ruleset, missing=True), min_size=1, max_size=size))
    out = []
    for unit in units:
        out.append({k: not_applicable_or_typed(v, draw) for k, v in unit.items()})
    return out


@given(units_of(seed_table.build()))
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_the_seed_agrees_with_evaluate(units: list[dict[str, Any]]) -> None:
    check(seed_table.build(), units)


@given(units_of(load_ruleset(SEED)), st.integers(0, 3))
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_settled_seed_units_agree_in_columns(units: list[dict[str, Any]], skip: int) -> None:
    """Units with every fact given (most of them go through the columns)."""
    ruleset = load_ruleset(SEED)
    full = [dict(f) for f in generate(8)][skip:]
    check(ruleset, full + units)


@given(st.data())
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
def test_random_rulesets_agree(data: st.DataObject) -> None:
    ruleset = data.draw(random_rulesets())
    units = data.draw(st.lists(facts_for(ruleset, missing=False), min_size=1, max_size=5))
    units += data.draw(st.lists(facts_for(ruleset, missing=True), max_size=3))
    check(ruleset, units)


# ------------------------------------------------------------------------ every kind


def every_kind(policy: bool) -> Any:
    """tests/data/every_kind.yaml, or (``policy``) the same rules under a policy the
    columns compile: rows rounded, ranges for missing facts, renormalised, all-of groups."""
    text = EVERY_KIND.read_text(encoding="utf-8")
    if policy:
        text = (text.replace("round_rows: false", "round_rows: true")
                .replace("not_applicable: redistribute", "not_applicable: renormalise")
                .replace("missing: zero", "missing: range")
                .replace("select: one_of", "select: all")
                # a plain number read as a fraction warns: such units go per unit
                .replace("percent_numbers: fraction", "percent_numbers: percent"))
    return load_ruleset(text)


@pytest.mark.parametrize("policy", [False, True])
def test_every_kind_agrees(policy: bool) -> None:
    ruleset = every_kind(policy)

    @given(units_of(ruleset))
    @settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=80)
    def run(units: list[dict[str, Any]]) -> None:
        check(ruleset, units)

    run()


def settled_kinds(ruleset: Any) -> Any:
    """``ruleset`` without the rows whose score is the evaluator's pick inside a range (a
    chosen tier, a score-range band): no facts settle those, so such units go per unit."""
    import attrs

    from rubric import Group

    def keep(node: Any) -> Any:
        if isinstance(node, Group):
            return attrs.evolve(node, children=[keep(c) for c in node.children
                                                if c.id not in ("定档", "区间分值")])
        return node

    return attrs.evolve(ruleset, root=keep(ruleset.root))


def test_every_kind_under_a_compiled_policy_uses_the_columns() -> None:
    ruleset = settled_kinds(every_kind(True))
    unit: dict[str, Any] = {"支出": 90, "预算": 100, "人数": 131, "问题数": 2, "公开": True,
                            "按时": False, "结余": "无", "系数": 50, "完成日期": "2024-10-02",
                            "评分": 8.5, "档次": "好"}
    got = check(ruleset, [unit, {**unit, "人数": 150}, {**unit, "支出": 200}])
    assert got.columnar == 3


@pytest.mark.parametrize(("fact", "value", "tier"), [
    ("系数", "-0", "好"), ("系数", Decimal("-0.00"), "好"), ("评分", "-0", "差"),
    ("评分", Decimal("-0"), "差")])
def test_a_coefficient_or_points_of_minus_zero_score_zero_on_every_path(
        fact: str, value: Any, tier: str) -> None:
    """A coefficient (or a qualitative row's points) given as -0 scored the row -0
    (``"-0"`` in the JSON) by evaluate and score_only, 0 in the columns: a score is
    never -0, and every path writes the same text."""
    from rubric import evaluate, score_only

    ruleset = settled_kinds(every_kind(True))
    unit: dict[str, Any] = {"支出": 90, "预算": 100, "人数": 131, "问题数": 2, "公开": True,
                            "按时": False, "结余": "无", "系数": 50, "完成日期": "2024-10-02",
                            "评分": 8.5, "档次": "好"}
    units = [unit, {**unit, fact: value, "档次": tier}]
    row = {"系数": "系数", "评分": "定性"}[fact]
    at = score_columns(ruleset, columns_of(units)).ids.index(row)
    result = evaluate(ruleset, units[1])
    assert str(result.records[at].low) == str(result.records[at].high) == "0.0"
    assert str(score_only(ruleset, units[1]).lows[at]) == "0.0"
    got = check(ruleset, units)
    assert [str(r[row]) for r in got.records()] == ["5.0" if fact == "系数" else "8.5", "0.0"]


def test_units_whose_facts_warn_go_per_unit_with_their_warnings() -> None:
    # a % fact's plain number that looks like a fraction, or read as one, warns (issue 10):
    # the columns give no warnings, so those units take the batch's path
    percent, fraction = settled_kinds(every_kind(True)), settled_kinds(load_ruleset(
        EVERY_KIND.read_text(encoding="utf-8").replace("round_rows: false", "round_rows: true")
        .replace("not_applicable: redistribute", "not_applicable: renormalise")
        .replace("missing: zero", "missing: range").replace("select: one_of", "select: all")))
    unit: dict[str, Any] = {"支出": 90, "预算": 100, "人数": 131, "问题数": 2, "公开": True,
                            "按时": False, "结余": "无", "完成日期": "2024-10-02",
                            "评分": 8.5, "档次": "好"}
    got = check(percent, [{**unit, "系数": 0.5}, {**unit, "系数": 50}])
    assert got.columnar == 2  # read as a percent, the value is the same: scored in columns
    assert [r["warnings"] is not None for r in got.records()] == [True, False]
    got = check(fraction, [{**unit, "系数": 0.5}])
    assert got.columnar == 0 and "percent_numbers: fraction" in next(got.records())["warnings"]


PERCENT_FACTS = """
rubric: 1
metadata: {id: pct, name: 百分数, issuer: tests, fiscal_year: 2024, version: "1"}
policy:
  precision: 2
  rounding: half_up
  round_rows: true
  grades: [{name: 好, minimum: 12}, {name: 差, minimum: 0}]
  not_applicable: renormalise
  missing: range
  total_points: 20
  defaults: {percent_numbers: percent}
facts:
  乙率: {unit: "%"}
  甲率: {unit: "%", minimum: -50, maximum: 200}
root: {id: 合计, name: 合计, max_points: 20, select: all}
indicators:
  - id: 甲
    name: 甲
    max_points: 10
    rule: {kind: bands, fact: 甲率, bands: [{range: "≤0.5", points: 10},
                                            {range: ">0.5", points: 4}]}
  - id: 乙
    name: 乙
    max_points: 10
    rule: {kind: bands, fact: 乙率, bands: [{range: "≤1", points: 7.5}, {range: ">1", points: 2}]}
"""

PERCENT_CELLS = st.one_of(
    st.decimals(min_value=-2, max_value=3, places=3, allow_nan=False),
    st.floats(min_value=-2, max_value=3, allow_nan=False).map(lambda f: round(f, 4)),
    st.integers(-1, 3),
    st.sampled_from([Decimal("0.5"), Decimal("0.50"), Decimal("0.500"), Decimal("1"),
                     Decimal("1.0"), Decimal("0.05")]),  # equal values, other texts
    st.sampled_from(["0.5", "0.50", "1", "1.0", ".5", " 0.25 ", "0.5%", "5e-1", "0.005",
                     "1.000", "2", "0.1 %", "00.5", "+0.5", "-0.5", "0", "", "不适用"]))


@given(st.lists(st.tuples(PERCENT_CELLS, PERCENT_CELLS), min_size=1, max_size=12),
       st.booleans(), st.booleans())
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=150)
def test_units_whose_facts_warn_are_scored_in_columns_with_the_per_unit_warnings(
        pairs: list[tuple[Any, Any]], arrays: bool, reverse: bool) -> None:
    # a % fact's plain number in (0, 1] read as a percent warns; the columns score such
    # units and give each the per-unit path's warnings cell (texts, order, separator)
    ruleset = load_ruleset(PERCENT_FACTS)
    units = [{"甲率": a, "乙率": b} for a, b in pairs]
    if reverse:  # given in another order than declared: the warnings keep the declared one
        units = [{"乙率": u["乙率"], "甲率": u["甲率"]} for u in units]
    columns: Any = None
    if arrays and all(type(v) is float for u in units for v in u.values()):
        columns = {k: np.array(v, dtype=np.float64) for k, v in columns_of(units).items()}
    got = check(ruleset, units, columns)
    numbers = [all(type(v) in (int, float, Decimal) for v in u.values()) for u in units]
    assert got.columnar >= sum(numbers)  # plain numbers, warned or not, all in columns


def test_percent_warnings_in_columns_match_a_per_unit_sample() -> None:
    ruleset = load_ruleset(PERCENT_FACTS)
    values = [0.5, 0.25, 1.0, 0.5, 2.0, 0.75]
    got = check(ruleset, [{"甲率": v, "乙率": 1} for v in values],
                {"甲率": np.array(values), "乙率": np.array([1] * len(values))})
    assert got.columnar == len(values)
    tail = "或设 percent_numbers: fraction"
    one = f"乙率 = 1 按百分数读作 1%，看似小数（100%）；如为小数请写 '100%' {tail}"
    assert got.warnings[4] == one  # 2.0 % does not look like a fraction; 1 % does
    assert got.warnings[1] == (one + "; 甲率 = 0.25 按百分数读作 0.25%，看似小数（25.00%）；"
                               f"如为小数请写 '25%' {tail}")  # the declared order
    assert [r["warnings"] for r in got.records()] == got.warnings


# ----------------------------------------------------------------- inputs and fallbacks


def test_numpy_columns_of_every_type() -> None:
    ruleset = load_ruleset(SEED)
    units = [dict(f) for f in generate(300)]
    got = check(ruleset, units)
    typed: dict[str, Any] = {}
    for name, values in columns_of(units).items():
        if all(type(v) is bool for v in values):
            typed[name] = np.array(values, dtype=bool)
        elif all(type(v) is int for v in values):
            typed[name] = np.array(values, dtype=np.int64)
        elif name == "绩效目标完成日期":
            typed[name] = np.array(values, dtype="datetime64[D]")
        elif name != "资金结余情况":
            typed[name] = np.array([float(v) for v in values])
        else:
            typed[name] = np.array(values, dtype=object)
    again = score_columns(ruleset, typed)
    assert list(again.records()) == list(got.records())
    assert again.columnar == got.columnar


def test_bad_rows_are_reported_and_the_rest_scored() -> None:
    ruleset = load_ruleset(SEED)
    units = [dict(f) for f in generate(20)]
    units[3]["政府采购执行"] = "也许"
    units[5]["服务对象满意度"] = "120"
    units[7]["预算数"] = "5 人"
    units[9]["绩效目标完成日期"] = "2023-13-45"
    got = check(ruleset, units)
    errors = got.errors
    assert [i for i, e in enumerate(errors) if e] == [3, 5, 7, 9]
    assert "政府采购执行" in (errors[3] or "")


def test_units_named_and_rows_given_as_not_applicable() -> None:
    ruleset = load_ruleset(SEED)
    units = [{"id": f"U{i}", "不适用": "", **f} for i, f in enumerate(generate(12))]
    units[2]["不适用"] = "资金结余"
    units[4]["id"] = "bad\x01name"
    got = check(ruleset, units)
    assert got.units[0] == "U0" and got.errors[4] is not None
    assert got.rescaled[2] is not None


def test_huge_values_stay_exact() -> None:
    """Values past int64 and rates near the exactness bound: object integers or the
    per-unit path, never a wrong score."""
    ruleset = load_ruleset(SEED)
    base = dict(next(f for f in generate(50) if f["三公经费预算安排数"] != "0.00"))
    units = [{**base, "预算数": "999999999999999999.99", "预算调整数": "1"},
             {**base, "预算数": "333333333333333333.333333333",
              "预算调整数": "111111111111111111.111111111"},
             {**base, "三公经费预算安排数": "777777777777777777.77",
              "三公经费实际支出数": "777777777777777777.78"},
             {**base, "供养人数": 10 ** 18}, {**base, "供养人数": 10 ** 19}]
    got = check(ruleset, units)
    assert got.errors[4] is not None and 1 <= got.columnar <= 4


CAPPED = """
rubric: 1
metadata: {id: capped, name: 封顶, issuer: tests, fiscal_year: 2024, version: "1"}
policy: {precision: PRECISION, rounding: half_up, round_rows: true, total_points: TOTAL,
         grade_basis: percent, not_applicable: renormalise, missing: range,
         grades: [{name: 优, minimum: 90}, {name: 差, minimum: 0}]}
facts:
  a: {type: boolean}
  b: {type: boolean}
  c: {minimum: 0, maximum: 100}
root: {id: 合计, max_points: TOTAL}
indicators:
  - id: 组
    max_points: 5
    children:
      - {id: 甲, max_points: 5, rule: {kind: boolean, fact: a, yes_points: 5}}
      - {id: 乙, max_points: 5, rule: {kind: boolean, fact: b, yes_points: 5}}
  - id: 丙
    max_points: 3
    rule: {kind: bands, fact: c, bands: [{range: "<50", points: 1}, {range: ">=50", points: 7}]}
  - id: 丁
    max_points: REST
    rule: {kind: boolean, fact: a, yes_points: REST}
"""


@pytest.mark.parametrize(("precision", "total", "rest"), [(2, "100", "92"), (0, "45", "37"),
                                                         (1, "1.5", "0.5")])
def test_scores_keep_evaluates_exponents(precision: int, total: str, rest: str) -> None:
    """Every node's Decimal as evaluate writes it, exponent included: a capped group is
    its 分值 as written (5, not 5.00), and a table whose grade minimum has more places
    than the precision (90 % of 45 = 40.5) keeps the policy's places (45, not 45.0)."""
    from rubric import evaluate

    ruleset = load_ruleset(CAPPED.replace("PRECISION", str(precision))
                           .replace("TOTAL", total).replace("REST", rest))
    units = [{"a": True, "b": True, "c": 60}, {"a": True, "b": False, "c": 10},
             {"a": False, "b": False, "c": 90}, {"a": True, "b": True}]
    got = check(ruleset, units)
    assert got.columnar >= 3  # the unit missing c may go per unit
    for i, unit in enumerate(units):
        result = evaluate(ruleset, unit)
        for k, node in enumerate(got.ids):
            assert str(got.low(node)[i]) == str(result.records[k].low), (i, node)
            assert str(got.high(node)[i]) == str(result.records[k].high), (i, node)
        record = next(r for j, r in enumerate(got.records()) if j == i)
        assert [str(record[x]) for x in ("total", "total_low", "total_high")] == \
            [str(result.score), str(result.low), str(result.high)]


@pytest.mark.parametrize("spend", [Decimal("1E+18"), 10 ** 18, "1000000000000000000",
                                   Decimal("999999999999999999")])
def test_a_derived_rate_beyond_the_numeric_domain_is_the_units_error(spend: Any) -> None:
    """三公经费实际支出数 / 三公经费预算安排数 * 100 past 10^18: evaluate refuses the unit
    (the formula's value is beyond rubric's numeric domain); the columns must not score
    it (they gave 65.00 with exit code 0)."""
    ruleset = load_ruleset(SEED)
    base = dict(next(iter(generate(1))))
    zero = {**base, "三公经费实际支出数": Decimal(0), "三公经费预算安排数": Decimal(0)}
    unit = {**base, "三公经费实际支出数": spend, "三公经费预算安排数": Decimal("6.64")}
    for units, at in (([unit], 0), ([base, unit, base], 1), ([zero, unit], 1)):
        got = check(ruleset, units)
        error = got.errors[at]
        assert error is not None and "beyond rubric's numeric domain" in error
        assert got.total_low[at] is None


def test_without_numpy_every_unit_goes_per_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    import rubric.columnar

    ruleset = load_ruleset(SEED)
    units = [dict(f) for f in generate(40)]
    with_numpy = list(score_columns(ruleset, columns_of(units)).records())
    monkeypatch.setattr(rubric.columnar, "numpy_or_none", lambda: None)
    got = check(ruleset, units)
    assert got.columnar == 0
    assert list(got.records()) == with_numpy


def test_dataframes_give_what_score_dataframe_gives() -> None:
    pd = pytest.importorskip("pandas")
    from rubric import score_dataframe

    ruleset = load_ruleset(SEED)
    units = [dict(f) for f in generate(60)]
    units[1]["供养人数"] = None
    units[2]["政府采购执行"] = "也许"
    df = pd.DataFrame(units, index=[f"K{i}" for i in range(60)])
    df["绩效目标完成日期"] = pd.to_datetime(df["绩效目标完成日期"])
    df["服务对象满意度"] = df["服务对象满意度"].astype(float)
    got = score_columns(ruleset, df).to_pandas(index=df.index)
    want = score_dataframe(ruleset, df)
    assert list(got.columns) == list(want.columns)
    assert got.index.equals(want.index)
    assert got.to_numpy().tolist() == want.to_numpy().tolist()
    assert score_columns(ruleset, df).columnar >= 50


def test_pandas_na_in_a_category_list_is_the_per_unit_paths() -> None:
    """pd.NA in a plain list for a category fact: ``arr == category`` met NA's
    ambiguous truth and raised TypeError out of score_columns. NA is a missing value
    there (``python_cell``), as in a DataFrame."""
    pd = pytest.importorskip("pandas")
    ruleset = load_ruleset(SEED)
    units = [dict(f) for f in generate(3)]
    units[1]["资金结余情况"] = pd.NA
    got = score_columns(ruleset, columns_of(units))
    units[1]["资金结余情况"] = None
    assert list(got.records()) == [row_record(r) for r in score_batch(ruleset, units)]
    assert got.missing[1] == ("资金结余情况",)


def test_a_numpy_array_as_a_cell_is_that_units_error() -> None:
    """A cell holding a numpy array (not a scalar): python_cell called its item() and
    raised ValueError out of score_columns; the unit is the batch's error."""
    ruleset = load_ruleset(SEED)
    units = [dict(f) for f in generate(3)]
    units[1]["资金结余情况"] = np.array([1, 2])
    units[2]["预算数"] = np.array([5.0, 6.0])
    got = score_columns(ruleset, columns_of(units))
    rows = list(score_batch(ruleset, units))
    assert got.errors == [r.error for r in rows]
    assert got.errors[0] is None and got.errors[1] and got.errors[2]


def test_a_multiindex_names_units_as_score_dataframe_does() -> None:
    """A unit scored per unit was named by ``str(index[i])`` (numpy scalars in a tuple:
    ``(np.int64(1), 'x')``), score_dataframe by the label as pandas iterates it."""
    pd = pytest.importorskip("pandas")
    from rubric import score_dataframe

    ruleset = load_ruleset(SEED)
    units = [dict(f) for f in generate(4)]
    units[1]["供养人数"] = None  # scored per unit (a range)
    units[2]["政府采购执行"] = "也许"  # an error row
    df = pd.DataFrame(units, index=pd.MultiIndex.from_tuples([(i, "x") for i in range(4)]))
    got = score_columns(ruleset, df).to_pandas(index=df.index)
    want = score_dataframe(ruleset, df)
    assert got.to_numpy().tolist() == want.to_numpy().tolist()
    assert list(got["unit"]) == [f"({i}, 'x')" for i in range(4)]


def test_an_empty_batch_and_unequal_columns() -> None:
    from rubric import RubricError

    ruleset = load_ruleset(SEED)
    assert score_columns(ruleset, {"预算数": []}).n == 0
    with pytest.raises(RubricError, match="different lengths"):
        score_columns(ruleset, {"预算数": [1, 2], "预算调整数": [1]})


def test_dates_as_date_objects() -> None:
    ruleset = load_ruleset(SEED)
    units = [dict(f) for f in generate(30)]
    for u in units:
        u["绩效目标完成日期"] = dt.date.fromisoformat(u["绩效目标完成日期"])
    assert check(ruleset, units).columnar > 20


def test_a_dataframe_with_a_default_index_and_text_columns() -> None:
    pd = pytest.importorskip("pandas")
    from rubric import score_dataframe

    ruleset = load_ruleset(SEED)
    units = [dict(f) for f in generate(40)]
    units[4]["资金结余情况"] = None  # missing in a text column: a range
    units[6]["资金结余情况"] = "结余很多"  # not a category: an error row
    df = pd.DataFrame(units)
    df["资金结余情况"] = df["资金结余情况"].astype("string")
    got = score_columns(ruleset, df).to_pandas(index=df.index)
    want = score_dataframe(ruleset, df)
    assert got.to_numpy().tolist() == want.to_numpy().tolist()
    assert got["unit"].tolist()[:2] == ["0", "1"]


def test_options_the_columns_do_not_know_go_per_unit_and_agree() -> None:
    # a month deadline, a planned-date deadline and a band's `then:` deduction
    ruleset = load_ruleset("""
rubric: 1
metadata: {id: t, name: t, fiscal_year: 2024}
policy: {total_points: 14}
facts:
  完成: {type: date}
  计划: {type: date}
  执行率: {unit: "%", minimum: 0}
root: {id: 合计, name: 合计, max_points: 14}
indicators:
  - {id: 月, max_points: 5, rule: {kind: deadline, fact: 完成, deadline: 7月, points: 5}}
  - {id: 计划, max_points: 5, rule: {kind: deadline, fact: 完成, deadline_fact: 计划, points: 5}}
  - id: 执行
    max_points: 4
    rule:
      kind: bands
      fact: 执行率
      direction: lower
      bands:
        - {range: "≤100", points: 4}
        - {range: ">100", points: 4, then: {step: 5, per_step: 1, partial: ceil, floor: 1}}
""")
    units = [{"完成": d, "计划": "2024-07-15", "执行率": r}
             for d in ("2024-07-01", "2024-07-31", "2024-08-01") for r in (90, 100, 107, 200)]
    got = check(ruleset, units)  # every unit agrees with evaluate (check asserts it)
    assert got.columnar == len(units)  # scored over the columns, these rules unit by unit


def _number_float_reference(x: Any) -> tuple[Any, Any, int]:
    """column_values._number_float as it was before its fewer-pass form."""
    from rubric.engine.column_text import MAX_SCALE

    finite = np.isfinite(x)
    xs = np.where(finite, x, 0.0)
    want = int(finite.sum())
    for s in (2, *range(3, MAX_SCALE + 1)):
        r = np.rint(xs * 10.0 ** s)
        ok = finite & (np.abs(r) < 2.0 ** 52) & (r / 10.0 ** s == xs)
        if int(ok.sum()) == want:
            break
    return np.where(ok, r, 0).astype(np.int64), ok, s


FLOAT_CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-10 ** 6, 10 ** 6).map(lambda i: i / 100),
    st.integers(-10 ** 9, 10 ** 9).map(lambda i: i / 1000),
    st.sampled_from([2.0 ** 52 / 100, -(2.0 ** 52) / 100, 2.0 ** 60, 0.1, -0.0, 1e-9]))


@given(st.lists(FLOAT_CELLS, max_size=40))
@settings(deadline=None, max_examples=400)
def test_float_columns_read_as_before(values: list[float]) -> None:
    from rubric.engine.column_values import _number_float

    x = np.array(values, dtype=np.float64)
    with np.errstate(all="ignore"):  # as convert_all runs it
        a, ok, s = _number_float(np, x)
        ra, rok, rs = _number_float_reference(x)
    assert s == rs and a.dtype == ra.dtype and ok.dtype == rok.dtype
    assert a.tolist() == ra.tolist() and ok.tolist() == rok.tolist()


def _as_text(value: Any) -> Any:
    """A fact value as a text cell (what a Parquet string column holds), None kept."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@given(units_of(load_ruleset(SEED), size=10), st.integers(0, 3))
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
def test_text_columns_with_nulls_read_in_bulk_agree(units: list[dict[str, Any]],
                                                    skip: int) -> None:
    # text cells and None in one list: the text read by column_text, the nulls per unit
    ruleset = load_ruleset(SEED)
    full = [dict(f) for f in generate(6)][skip:]
    names = list(dict.fromkeys(k for u in full + units for k in u))
    shaped = [{k: _as_text(u.get(k)) for k in names} for u in full + units]
    got = check(ruleset, shaped)
    assert got.columnar >= len(full) - 2  # the generated units are scored in columns


def test_a_null_in_each_text_column_is_missing() -> None:
    ruleset = load_ruleset(SEED)
    full = [dict(f) for f in generate(40)]
    names = list(full[0])
    units = []
    for i, unit in enumerate(full):  # each unit misses another fact
        units.append({k: None if k == names[i % len(names)] else _as_text(v)
                      for k, v in unit.items()})
    check(ruleset, units)  # a missing fact: a range (per unit, or a lone fact's in columns)


@given(st.lists(st.integers(-2 ** 63, 2 ** 63 - 1) | st.integers(-50, 5000), max_size=60))
@settings(deadline=None, max_examples=300)
def test_distinct_scores_as_numpy_finds_them(values: list[int]) -> None:
    from rubric.engine.column_values import distinct

    ints = np.array(values, dtype=np.int64)
    uniq, inverse = distinct(np, ints)
    want, want_inverse = np.unique(ints, return_inverse=True)
    assert uniq.dtype == want.dtype and uniq.tolist() == want.tolist()
    assert inverse.tolist() == want_inverse.tolist()


def test_units_missing_lone_facts_are_scored_from_ranges() -> None:
    # a value only one row reads left out: that row's range, the rest from the columns
    from rubric.batch_ranges import lone_facts
    from rubric.engine.columns import column_plan

    ruleset = load_ruleset(SEED)
    lone = sorted(lone_facts(column_plan(ruleset)))
    assert len(lone) >= 3
    full = [dict(f) for f in generate(60)][20:]
    units = []
    for i, unit in enumerate(full):  # one, two or three lone facts missing
        gone = {lone[i % len(lone)], lone[(i * 7 + 1) % len(lone)], lone[(i * 3) % len(lone)]}
        units.append({k: None if k in gone and i % 3 else v for k, v in unit.items()})
        units.append({k: None if k == lone[i % len(lone)] else v for k, v in unit.items()})
    got = check(ruleset, units)
    assert sum(1 for m in got.missing if m) > 40
    alone = score_columns(ruleset, columns_of([dict(f) for f in full]))
    assert got.columnar == 2 * alone.columnar  # the units missing lone facts too
    named = [{"id": f"单位{i}", **u} for i, u in enumerate(units)]  # units named by a column
    assert check(ruleset, named).columnar == got.columnar


@given(st.decimals(allow_nan=True, allow_infinity=True) | st.decimals(places=4, min_value=-10 ** 6,
                                                                     max_value=10 ** 6),
       st.integers(0, 6))
@settings(deadline=None, max_examples=400)
def test_scores_times_a_power_of_ten_exactly(d: Decimal, p: int) -> None:
    import decimal

    from rubric.engine.column_values import times_ten_to

    got = times_ten_to(d, p)
    if not d.is_finite():
        assert got is None
        return
    with decimal.localcontext(decimal.Context(prec=100000, Emax=10 ** 9, Emin=-10 ** 9)):
        q = d.scaleb(p)
        exact = q == q.to_integral_value() and -2 ** 63 < q < 2 ** 63
        assert got == (int(q) if exact else None)


# ------------------------------------------- step deductions and bands by comparisons


def _deductions(target: str, basis: str, rate: bool, per_step: str = "1",
                tolerance: str = "0") -> Any:
    """One deduction row per (side, partial, boundary), on a given fact or a rate."""
    fact = "率" if rate else "值"
    rows = []
    for side in ("below", "above", "both"):
        for partial, boundary in (("floor", "counts"), ("floor", "excludes"),
                                  ("ceil", "counts")):
            rows.append(f"""
      - id: {side}-{partial}-{boundary}
        max_points: 5
        rule: {{kind: deduction, fact: {fact}, target: "{target}", points: 5, step: 10,
               per_step: {per_step}, side: {side}, basis: {basis}, partial: {partial},
               boundary: {boundary}, floor: 0.5, tolerance: {tolerance}}}""")
    return load_ruleset(f"""
rubric: 1
metadata: {{id: steps, name: 扣分, issuer: tests, fiscal_year: 2024, version: "0.1"}}
policy: {{precision: 2, total_points: 45, grades: [{{name: A, minimum: 0}}]}}
facts:
  值: {{}}
  分子: {{}}
  分母: {{minimum: 0}}
  率: {{unit: "%", formula: 分子 / 分母 * 100}}
root: {{id: 合计, name: 合计, max_points: 45}}
indicators:
  - id: 扣分
    max_points: 45
    children:{"".join(rows)}
""")


STEP_VALUES = ["0", "-0.01", "-25", "-1000", "0.01", "1", "9.99", "10", "10.01", "19.99",
               "20", "20.01", "30", "39.99", "40", "50", "80", "89.99", "90", "90.01",
               "100", "109.99", "110", "110.01", "120", "130", "150", "160", "170",
               "10000", Decimal("-0.000000001"), Decimal("9.999999999"),
               # past int64 once scaled: the columns hold Python ints (object arrays)
               Decimal("999999999999999999.99"), Decimal("-999999999999999999.99"),
               Decimal("1E+18"), Decimal("-1E+18")]


@pytest.mark.parametrize(("target", "basis", "per_step", "tolerance"),
                         [("100", "absolute", "1", "0"), ("100", "relative", "1.25", "3"),
                          ("0", "absolute", "1", "0"), ("-40", "relative", "0.5", "0"),
                          ("0.01", "absolute", "0.01", "0.005")])
def test_step_deductions_at_their_boundaries(target: str, basis: str, per_step: str,
                                             tolerance: str) -> None:
    """Exactly on a step, just below and above it, negative and zero deviations, a zero
    target, huge values (object integers): each side and partial, given or a rate."""
    given_ = _deductions(target, basis, False, per_step, tolerance)
    got = check(given_, [{"值": v, "分子": "1", "分母": "1"} for v in STEP_VALUES])
    assert got.columnar == len(STEP_VALUES)
    assert score_columns(given_, {"值": STEP_VALUES}).total_low == got.total_low
    rate = _deductions(target, basis, True, per_step, tolerance)
    units = [{"值": "0", "分子": v, "分母": d} for v in STEP_VALUES
             for d in ("100", "1", "3", "0.07")]
    got = check(rate, units)
    assert got.columnar >= len(STEP_VALUES)


def test_bands_with_a_point_band_or_listed_top_down_agree() -> None:
    """Contiguous bands with a single-point band (two equal ends: the ends counted
    passed), and bands listed from the top down (not contiguous: each band's test)."""
    ruleset = load_ruleset("""
rubric: 1
metadata: {id: bands, name: 区间, issuer: tests, fiscal_year: 2024, version: "0.1"}
policy: {precision: 2, total_points: 10, grades: [{name: A, minimum: 0}]}
facts:
  值: {}
root: {id: 合计, name: 合计, max_points: 10}
indicators:
  - id: 区间
    max_points: 10
    children:
      - id: 点
        max_points: 5
        rule:
          kind: bands
          fact: 值
          bands:
            - {range: "<5", points: 1}
            - {range: "=5", points: 5}
            - {range: "(5, 10]", points: 3}
            - {range: ">10", points: 2}
      - id: 倒序
        max_points: 5
        rule:
          kind: bands
          fact: 值
          bands:
            - {range: ">10", points: 2}
            - {range: "(5, 10]", points: 3}
            - {range: "≤5", points: 4}
""")
    values = ["-1", "0", "4.99", "5", "5.01", "9.99", "10", "10.01", "1e20", "-1e20"]
    check(ruleset, [{"值": v} for v in values])


@pytest.mark.parametrize("rounding", ["half_even", "half_up", "down"])
def test_rows_capped_past_the_precision_are_rounded(rounding: str) -> None:
    """Whole-point rules under rows whose 分值 has more places than the policy keeps: a
    row capped at 2.5 is rounded (the columns skip the rounding only where nothing can
    need it), one whose rule stays below its cap is not changed."""
    ruleset = load_ruleset(f"""
rubric: 1
metadata: {{id: caps, name: 封顶, issuer: tests, fiscal_year: 2024, version: "0.1"}}
policy: {{precision: 0, rounding: {rounding}, total_points: 9,
         grades: [{{name: A, minimum: 4.5}}, {{name: B, minimum: 0}}]}}
facts:
  是: {{type: boolean}}
  值: {{}}
root: {{id: 合计, name: 合计, max_points: 9}}
indicators:
  - id: 组
    max_points: 9
    children:
      - {{id: 是否, max_points: 2.5, rule: {{kind: boolean, fact: 是, yes_points: 3}}}}
      - {{id: 低于, max_points: 1.5, rule: {{kind: boolean, fact: 是, yes_points: 1}}}}
      - id: 区间
        max_points: 3.5
        rule: {{kind: bands, fact: 值,
               bands: [{{range: "<0", points: 1}}, {{range: "≥0", points: 4}}]}}
      - id: 扣分
        max_points: 1.5
        rule: {{kind: deduction, fact: 值, target: 10, points: 2, step: 1, per_step: 1,
               side: below, basis: absolute, partial: floor, floor: 0}}
""")
    got = check(ruleset, [{"是": b, "值": v} for b in (True, False) for v in ("-1", "9", "10")])
    assert got.columnar == 6
