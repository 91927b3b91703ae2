"""The compiled function over locals (every fact given: ``scores_raw``) gives exactly what
the path it stands for gives: ``convert`` then ``scores`` over the mapping of values
(``scores_some``), the same Decimals as written (exponents too), the same values kept for
the constraints, and evaluate's scores; the deadline rows it compiles included."""

from __future__ import annotations

import datetime as _dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import seed_table
from rubric import evaluate, load_ruleset
from rubric.engine.compiled import score_only, scores_function
from rubric.errors import RubricError
from rubric.testing import facts_for
from test_compiled import same
from test_compiled_facts import _SPELLINGS, _general, _respelled
from test_properties import random_rulesets

SEED = Path(__file__).resolve().parents[1] / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
sys.path.insert(0, str(SEED.parents[2] / "benchmarks" / "compare"))
from facts import generate  # noqa: E402


def _written(got: Any) -> Any:
    """Scores (or kept values) as written: Decimal('5') is not Decimal('5.00') here."""
    if got is None:
        return None
    if isinstance(got, dict):
        return [(k, type(x).__name__, str(x)) for k, x in got.items()]
    return [str(x) for x in got]


def _both(ruleset: Any, facts: dict[str, Any]) -> tuple[Any, Any]:
    """(the locals path, the mapping path) of the same raw facts, each with its kept values."""
    fn = scores_function(ruleset)
    some = fn.raw.__globals__["scores_some"]
    kept_raw: list[dict[str, object]] = []
    kept_some: list[dict[str, object]] = []
    a = fn.raw(dict(facts), kept_raw)
    b = some(dict(facts), kept_some)
    return ((_written(a), [_written(k) for k in kept_raw][:1] if a is not None else None),
            (_written(b), [_written(k) for k in kept_some][:1] if b is not None else None))


def agree(ruleset: Any, facts: dict[str, Any]) -> bool:
    """The locals path settles every unit the mapping path settles, with its scores and
    values; True when it settled this one."""
    (a, kept_a), (b, kept_b) = _both(ruleset, facts)
    if b is not None:
        assert a == b and kept_a == kept_b
    if a is not None:  # converted as coerce_facts converts (which evaluate may not call)
        expected = _general(ruleset, facts)
        assert expected is not None, facts
        inputs = sorted(_written(dict(expected.values)))
        assert kept_a is not None and sorted(kept_a[0][:len(inputs)]) == inputs
    return a is not None


def test_the_seed_agrees_on_the_boundary_walk() -> None:
    ruleset = load_ruleset(SEED)
    settled = sum(agree(ruleset, facts) for facts in generate(1500))
    assert settled > 1200  # 0/0 budgets stay compiled (score_row); the rest take evaluate


def test_the_seed_agrees_on_zero_budgets() -> None:
    ruleset = load_ruleset(SEED)
    units = [f for f in generate(3000) if f["三公经费预算安排数"] == "0.00"]
    assert units and all(agree(ruleset, facts) for facts in units)
    for facts in units[:20]:
        same(ruleset, facts)


@given(st.data())
def test_random_rulesets_agree(data: st.DataObject) -> None:
    ruleset = data.draw(random_rulesets())
    facts = data.draw(facts_for(ruleset, missing=False))
    agree(ruleset, facts)
    same(ruleset, facts)


@given(facts_for(seed_table.build(), missing=False))
def test_the_seed_agrees_on_any_full_facts(facts: dict[str, Any]) -> None:
    ruleset = seed_table.build()
    agree(ruleset, facts)
    same(ruleset, facts)


def _deadline_table(inclusive: bool | None, per_day: str | None = None) -> Any:
    from rubric import Deadline, FactSpec, Group, Indicator, Ruleset
    return Ruleset(Group("root", [
        Indicator("按时", Deadline("完成日期", _dt.date(2023, 12, 31), 3, late_points=1,
                                   per_day=per_day, inclusive=inclusive))]),
        [FactSpec("完成日期", type="date")])


@pytest.mark.parametrize("inclusive", [None, True, False])
@pytest.mark.parametrize("day", ["2023-12-30", "2023-12-31", "2024-01-01", "2023-02-29",
                                 _dt.date(2023, 12, 31), "2023年12月", "2023-12"])
def test_deadline_rows_score_as_evaluate_scores(inclusive: bool | None, day: Any) -> None:
    ruleset = _deadline_table(inclusive)
    facts = {"完成日期": day}
    if type(day) is _dt.date or (len(day) == 10 and day != "2023-02-29"):
        assert agree(ruleset, facts)  # a day: compiled, on time or late
    else:
        assert not agree(ruleset, facts)  # a month or no day: the general path
    if day != "2023-02-29":
        same(ruleset, facts)


def test_a_deadline_counting_days_late_calls_its_rule() -> None:
    ruleset = _deadline_table(None, per_day="0.5")
    for day in ("2023-12-31", "2024-01-02", "2024-01-10"):
        assert agree(ruleset, {"完成日期": day})
        same(ruleset, {"完成日期": day})


def test_a_unit_missing_a_fact_takes_the_mapping_path() -> None:
    ruleset = load_ruleset(SEED)
    raw = dict(next(f for f in generate(50) if f["三公经费预算安排数"] != "0.00"))
    del raw["供养人数"]
    for facts in (raw, {**raw, "nope": 1}, {**raw, "供养人数": None}):
        (a, _), (b, _) = _both(ruleset, facts)
        assert a is None and b is None
        if "nope" not in facts:
            same(ruleset, facts)


def test_constraints_read_the_same_values() -> None:
    ruleset = load_ruleset(SEED)
    raw = dict(next(f for f in generate(50) if f["三公经费预算安排数"] != "0.00"))
    (a, kept_a), (b, kept_b) = _both(ruleset, raw)
    assert a == b and kept_a == kept_b and kept_a
    names = [k for k, _type, _x in kept_a[0]]
    assert names[-4:] == [name for name, _f in ruleset.derived]  # the derived ones last
    assert score_only(ruleset, raw).total == evaluate(ruleset, raw).total.score
    assert isinstance(score_only(ruleset, raw).total, Decimal)


@given(st.data())
def test_respelled_facts_convert_as_the_mapping_path_converts_them(data: st.DataObject) -> None:
    """Each fact spelled another way (text, padded, with a unit, None, 是/否, an ISO
    week, an exponent, too long …): the locals path converts exactly the values the
    mapping path converts (kept values compared, types included), or leaves the unit."""
    ruleset = seed_table.build()
    drawn = data.draw(facts_for(ruleset, missing=False))
    facts = {k: _respelled(v, data.draw(_SPELLINGS, label=k)) for k, v in drawn.items()}
    agree(ruleset, facts)
    _same_or_both_raise(ruleset, facts)


def _same_or_both_raise(ruleset: Any, facts: dict[str, Any]) -> None:
    try:
        expected = evaluate(ruleset, facts)
    except RubricError as exc:
        with pytest.raises(type(exc)):
            score_only(ruleset, facts)
        return
    got = score_only(ruleset, facts)
    assert list(map(str, got.lows)) == [str(r.low) for r in expected.records]
    assert list(map(str, got.highs)) == [str(r.high) for r in expected.records]


@pytest.mark.parametrize("value", [10 ** 18, 10 ** 18 + 1, -1, 0, 7, "1" * 18, "9" * 18 + ".",
                                   "5.", ".5", "-0", "+3", "-1", "-0.5", "1.123456789012345",
                                   "٣", "1_0", Decimal("-1"), Decimal("Infinity"), 1.5])
@pytest.mark.parametrize("fact", ["预算数", "供养人数", "规模工业增加值增长率"])
def test_numbers_at_the_edges_convert_as_the_mapping_path_does(fact: str, value: Any) -> None:
    ruleset = load_ruleset(SEED)
    raw = dict(next(f for f in generate(50) if f["三公经费预算安排数"] != "0.00"))
    facts = {**raw, fact: value}
    agree(ruleset, facts)
    _same_or_both_raise(ruleset, facts)


@pytest.mark.parametrize("value", ["1.2.3", "5 ", "1e5", "1E+5", "Infinity", "nan", "12a",
                                   "是", "1,234.5", "0.5.", "12..", "١٢", "1_000.5"])
@pytest.mark.parametrize("fact", ["预算数", "服务对象满意度", "规模工业增加值增长率"])
def test_text_that_decimal_reads_but_is_not_plain_leaves_the_locals_path(
        fact: str, value: str) -> None:
    """The locals path keeps unsigned text and tests all of it at once after converting
    it (``compiled_facts.DEFERRED_TEST``): text ``Decimal`` reads but that is not plain
    decimal, or that it refuses, returns None there, and score_only scores (or refuses)
    the unit as evaluate does."""
    ruleset = load_ruleset(SEED)
    raw = dict(next(f for f in generate(50) if f["三公经费预算安排数"] != "0.00"))
    facts = {**raw, fact: value}
    (a, _), (b, _) = _both(ruleset, facts)
    assert a is None and b is None
    _same_or_both_raise(ruleset, facts)


@given(st.data())
def test_step_deductions_agree_for_any_value(data: st.DataObject) -> None:
    """A step deduction of any reading (floor, ceil, pro rata; a boundary counted or
    not; any side, tolerance, cap and places) scores any value as evaluate scores it:
    the facts drawn by ``facts_for`` sit on the steps' edges, these anywhere."""
    from rubric import FactSpec, Group, Indicator, Policy, Ruleset, StepDeduction

    places = st.integers(0, 3)
    partial = data.draw(st.sampled_from(["floor", "ceil", "proportional"]))
    points = data.draw(st.decimals(0, 20, places=data.draw(places)))
    rule = StepDeduction(
        "x", target=data.draw(st.decimals(1, 200, places=1)), points=points,
        step=data.draw(st.decimals("0.5", 20, places=1)),
        per_step=data.draw(st.decimals("0.25", 3, places=data.draw(places)).filter(bool)),
        side=data.draw(st.sampled_from(["below", "above", "both"])), basis="absolute",
        partial=partial, boundary=data.draw(st.sampled_from(
            ["counts"] if partial != "floor" else ["counts", "excludes"])),
        tolerance=data.draw(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(2)])),
        floor=data.draw(st.decimals(0, points, places=1)))
    cap = data.draw(st.one_of(st.none(), st.decimals(0, 25, places=data.draw(places))))
    ruleset = Ruleset(Group("root", [Indicator("扣分", rule, max_points=cap)]),
                      [FactSpec("x")], Policy(precision=data.draw(st.integers(0, 2))))
    x = data.draw(st.decimals(-50, 400, places=data.draw(places)))
    for value in (x, str(x)):
        agree(ruleset, {"x": value})
        _same_or_both_raise(ruleset, {"x": value})


@pytest.mark.parametrize(("growth", "satisfaction"), [
    ("0.04", "95"), ("8", "0.5"), ("0.04", "0.5"), (Decimal("0.5"), 1), ("1", Decimal("1.0")),
    ("8", "0"), ("8", "1.5"),
])
def test_a_percent_that_looks_like_a_fraction_stays_on_the_locals_path(
        growth: Any, satisfaction: Any) -> None:
    """A plain number of a % fact in (0, 1] warns (read as a percent, it could be a
    fraction): the locals path scores the unit and gives evaluate's warnings, in the order
    of the declarations, instead of leaving for the general path."""
    ruleset = load_ruleset(SEED)
    facts = {**generate(1)[0], "规模工业增加值增长率": growth, "服务对象满意度": satisfaction}
    got = scores_function(ruleset).raw(dict(facts))
    assert got is not None
    result = evaluate(ruleset, facts)
    warned = [n for n in ("规模工业增加值增长率", "服务对象满意度")
              if 0 < Decimal(facts[n]) <= 1]
    assert len(result.fact_warnings) == len(warned)
    assert all(w.startswith(n + " = ") for w, n in zip(result.fact_warnings, warned))
    assert (type(got) is not tuple) == bool(warned)
    assert score_only(ruleset, facts).warnings == result.fact_warnings
    same(ruleset, facts)
