"""rubric.testing: the strategies and assertions users property-test rulesets with."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

import seed_table
from rubric import Band, Bands, Group, Policy, Ruleset, evaluate
from rubric.testing import (
    UNSETTLED_TEXT,
    assert_bounds,
    assert_monotone,
    assert_range_contains,
    check_properties,
    facts_for,
)

SEED = seed_table.build()
FEW = settings(max_examples=1000, database=None)  # find() stops at the first hit
#: Two rows of the seed with their facts: cheap to generate, the same boundaries.
SMALL = Ruleset(Group("t", [SEED.node("预算调整率"), SEED.node("新增规模工业企业")]),
                [SEED.specs[n] for n in ("预算调整数", "预算数", "预算调整率", "新增规模工业企业")],
                Policy(total_points=10))


def test_importing_rubric_does_not_import_hypothesis() -> None:
    code = ("import sys, rubric, rubric.cli, rubric.verify.check, rubric.verify.cases; "
            "print('hypothesis' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


@given(facts_for(SEED))
def test_generated_facts_are_valid_and_complete(facts: dict[str, Any]) -> None:
    inputs = {s.name for s in SEED.input_facts()}
    assert set(facts) == inputs
    coerced = SEED.facts_from(facts)  # raises FactError for anything outside a domain
    for spec in SEED.input_facts():
        value = coerced[spec.name]
        if spec.type == "number":
            assert type(value) is Decimal
            assert spec.minimum is None or value >= spec.minimum
            assert spec.maximum is None or value <= spec.maximum


@given(facts_for(SEED, missing=True))
def test_missing_facts_are_left_out_or_unsettled(facts: dict[str, Any]) -> None:
    inputs = {s.name for s in SEED.input_facts()}
    assert set(facts) <= inputs
    assert all(v == UNSETTLED_TEXT for k, v in facts.items()
               if isinstance(v, str) and SEED.specs[k].type == "number")
    evaluate(SEED, facts)


def _rate(facts: dict[str, Any], num: str, den: str) -> Decimal:
    return facts[num] / facts[den] * 100


@pytest.mark.parametrize("edge", [Decimal(10), Decimal("10.01"), Decimal(30)])
def test_derived_rates_land_exactly_on_band_edges(edge: Decimal) -> None:
    found = find(facts_for(SMALL), lambda f: f["预算数"] != 0
                 and _rate(f, "预算调整数", "预算数") == edge, settings=FEW)
    assert _rate(found, "预算调整数", "预算数") == edge


@pytest.mark.parametrize("value", [Decimal(18), Decimal(17), Decimal(20)])
def test_step_boundaries_come_up(value: Decimal) -> None:
    assert find(facts_for(SMALL), lambda f: f["新增规模工业企业"] == value,
                settings=FEW)["新增规模工业企业"] == value


def test_assert_monotone_catches_a_row_moving_against_its_direction() -> None:
    rule = Bands("服务对象满意度", [Band(3, None, 90), Band(0, 90, None)], direction="higher")
    broken = attrs.evolve(SEED, root=_replace(SEED.root, "服务对象满意度", rule))
    facts = {"服务对象满意度": Decimal("89.99")}
    with pytest.raises(AssertionError, match=r"服务对象满意度 fell from 3 to 0 when "
                                             r"服务对象满意度 improved from 89\.99 to 90"):
        assert_monotone(broken, facts, "服务对象满意度")
    assert assert_monotone(SEED, facts, "服务对象满意度") > 0


def test_assert_monotone_follows_a_fact_through_a_derived_rate() -> None:
    # More 预算数 lowers 预算调整率, which the row calls better: checked, never lower.
    facts = {"预算调整数": Decimal(15), "预算数": Decimal(100)}
    assert assert_monotone(SEED, facts, "预算数") > 0
    assert assert_monotone(SEED, facts, "预算调整数") > 0


def test_assert_bounds_returns_the_result() -> None:
    result = assert_bounds(SEED, {"预算调整数": 0, "预算数": 100})
    assert result["预算调整率"].score == 5


def test_assert_range_contains_rejects_a_completion_outside_the_range() -> None:
    assert_range_contains(SEED, {}, {"服务对象满意度": 88})
    with pytest.raises(AssertionError, match="服务对象满意度: range 2 with facts"):
        assert_range_contains(SEED, {"服务对象满意度": 89}, {"服务对象满意度": 95})


def test_check_properties_fails_on_a_broken_ruleset() -> None:
    rule = Bands("服务对象满意度", [Band(3, None, 90), Band(0, 90, None)], direction="higher")
    broken = attrs.evolve(SEED, root=_replace(SEED.root, "服务对象满意度", rule))
    with pytest.raises(AssertionError, match="fell from"):
        check_properties(broken)


def _replace(node: Any, node_id: str, rule: Any) -> Any:
    if node.id == node_id:
        return attrs.evolve(node, rule=rule)
    if hasattr(node, "children"):
        return attrs.evolve(node, children=[_replace(c, node_id, rule) for c in node.children])
    return node


@given(st.data())
def test_facts_for_is_usable_inside_other_strategies(data: st.DataObject) -> None:
    facts = data.draw(facts_for(SEED, missing=True))
    assert_bounds(SEED, facts)
