"""The loop form of the compiled scores function (large rulesets) gives exactly the
scores the straight form and evaluate give: test_compiled's tests, run on the loop form."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import test_compiled
from rubric import evaluate, load_ruleset
from rubric.engine import compiled_loops
from rubric.engine.compiled import compile_scores, score_only

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_load import generate


@contextmanager
def loop_form() -> Iterator[None]:
    """Every ruleset compiled in the loop form, however small."""
    saved = compiled_loops.LOOP_FROM
    compiled_loops.LOOP_FROM = 0
    try:
        yield
    finally:
        compiled_loops.LOOP_FROM = saved


def test_the_seed_agrees_on_the_boundary_walk() -> None:
    with loop_form():
        test_compiled.test_the_seed_compiles_and_agrees_on_the_boundary_walk()


def test_the_seed_agrees_with_missing_facts() -> None:
    with loop_form():
        test_compiled.test_the_seed_agrees_with_missing_facts()


def test_random_rulesets_agree() -> None:
    with loop_form():
        test_compiled.test_random_rulesets_agree()


def test_settled_plain_and_not_applicable_units() -> None:
    with loop_form():
        test_compiled.test_a_settled_unit_takes_the_compiled_path()
        test_compiled.test_plain_values_take_the_fast_path_and_the_rest_the_general_one()
        test_compiled.test_not_applicable_texts_and_rows_agree()


def test_a_large_ruleset_compiles_to_loops_and_agrees() -> None:
    text, _doc, values, expected = generate(compiled_loops.LOOP_FROM)
    ruleset = load_ruleset(text)
    fn = compile_scores(ruleset)
    assert fn is not None and "_k" in fn.__code__.co_varnames  # the loop form
    assert fn(dict(ruleset.facts_from(values).values))[-1] == expected
    scores = score_only(ruleset, values)
    result = evaluate(ruleset, values)
    assert scores.lows == scores.highs == tuple(r[0] for r in result.records)
    assert scores.total == result.score == expected
