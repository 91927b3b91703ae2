"""The straight-line tree builder gives exactly the tree the loop builds."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import seed_table
from rubric import evaluate
from rubric.engine.evaluation import NodeResult
from rubric.engine.result_nodes import tree_builder
from rubric.testing import facts_for
from test_properties import random_rulesets


def _both_trees(ruleset: Any, facts: dict[str, Any]) -> tuple[NodeResult, NodeResult]:
    assert tree_builder(ruleset, NodeResult) is not None  # small: straight-line code
    straight = evaluate(ruleset, facts).total
    key = f"tree_builder {NodeResult.__module__}.{NodeResult.__qualname__}"
    kept = ruleset.memo[key]
    ruleset.memo[key] = None  # the loop's tree
    try:
        looped = evaluate(ruleset, facts).total
    finally:
        ruleset.memo[key] = kept
    return straight, looped


def _same(a: NodeResult, b: NodeResult) -> None:
    assert a == b
    assert a.to_dict("en") == b.to_dict("en")
    assert [type(n) for n in a.walk()] == [type(n) for n in b.walk()]
    assert [n.units for n in a.walk()] == [n.units for n in b.walk()]


@given(st.data())
def test_random_rulesets_build_the_same_tree(data: st.DataObject) -> None:
    ruleset = data.draw(random_rulesets())
    _same(*_both_trees(ruleset, data.draw(facts_for(ruleset, missing=True))))


@given(facts_for(seed_table.build(), missing=True))
def test_the_seed_builds_the_same_tree(facts: dict[str, Any]) -> None:
    _same(*_both_trees(seed_table.build(), facts))


def test_the_tree_walks_the_table_in_order() -> None:
    ruleset = seed_table.build()
    total = evaluate(ruleset, {}).total  # nothing given: every node a range
    assert [(n.id, n.depth) for n in total.walk()] == [(node.id, depth)
                                                        for node, depth in ruleset.walk()]
    assert total.low < total.high
