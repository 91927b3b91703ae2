"""The straight-line walk of a plan gives exactly the records the loop gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import seed_table
from rubric import evaluate, load_ruleset
from rubric.engine.compiled_run import run_builder
from rubric.errors import RubricError
from rubric.testing import facts_for
from test_properties import random_rulesets


def _outcome(ruleset: Any, facts: dict[str, Any]) -> Any:
    try:
        result = evaluate(ruleset, facts)
    except RubricError as exc:
        return type(exc), str(exc)
    return (result.records, result.grade, result.grades, result.rescaled, result.missing,
            result.to_dict("zh"))


def _both(ruleset: Any, facts: dict[str, Any]) -> tuple[Any, Any]:
    straight = _outcome(ruleset, facts)
    kept = ruleset.memo["run_builder"]
    ruleset.memo["run_builder"] = None  # the loop's walk
    try:
        looped = _outcome(ruleset, facts)
    finally:
        ruleset.memo["run_builder"] = kept
    return straight, looped


@given(st.data())
def test_random_rulesets_walk_the_same(data: st.DataObject) -> None:
    ruleset = data.draw(random_rulesets())
    facts = data.draw(facts_for(ruleset, missing=True))
    evaluate(ruleset, {})  # builds the walk, when the policy has one
    if run_builder(ruleset) is not None:
        straight, looped = _both(ruleset, facts)
        assert straight == looped


@given(facts_for(seed_table.build(), missing=True))
def test_the_seed_walks_the_same(facts: dict[str, Any]) -> None:
    ruleset = seed_table.build()
    assert run_builder(ruleset) is not None
    straight, looped = _both(ruleset, facts)
    assert straight == looped


EVERY_KIND = Path(__file__).resolve().parent / "data" / "every_kind.yaml"


@pytest.mark.parametrize("missing", ["range", "zero"])
def test_every_kind_walks_the_same(missing: str) -> None:
    # rows rounded (the walk's policy); one_of groups, caps, 0/0 readings, ranges, 不适用
    text = EVERY_KIND.read_text(encoding="utf-8")
    ruleset = load_ruleset(text.replace("round_rows: false", "round_rows: true")
                           .replace("not_applicable: redistribute", "not_applicable: renormalise")
                           .replace("missing: zero", f"missing: {missing}"))
    assert "select: one_of" in text
    assert run_builder(ruleset) is not None

    @given(facts_for(ruleset, missing=True))
    @settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=150)
    def run(facts: dict[str, Any]) -> None:
        straight, looped = _both(ruleset, facts)
        assert straight == looped

    run()
