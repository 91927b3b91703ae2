"""The compiled plain conversion gives exactly the facts coerce_facts gives, or declines."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import seed_table
from rubric import evaluate, load_ruleset, score_only
from rubric.engine.compiled_facts import PLAIN_WORDS, compile_convert
from rubric.engine.plan import plan_of
from rubric.errors import FactError, RubricError
from rubric.facts import BOOLEAN_TEXT, Facts, coerce_facts
from rubric.testing import facts_for
from test_properties import random_rulesets

SEED = Path(__file__).resolve().parents[1] / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
sys.path.insert(0, str(SEED.parents[2] / "benchmarks" / "compare"))
from facts import generate  # noqa: E402

# Spellings of given values: each is converted by the fast path or left to the general one
_SPELLINGS = st.sampled_from(["as drawn", "str", "int", "padded", "places", "unit", "none",
                              "bool text", "word", "iso week", "exponent", "long"])


def _respelled(value: object, how: str) -> object:
    if how == "str" and not isinstance(value, bool):
        return str(value)
    if how == "int" and isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if how == "padded":
        return f" {value} "
    if how == "places" and isinstance(value, Decimal):
        return f"{value:.3f}"
    if how == "unit" and isinstance(value, Decimal):
        return f"{value} 万元"
    if how == "none":
        return None
    if how == "bool text" and isinstance(value, bool):
        return "是" if value else "否"
    if how == "word" and isinstance(value, bool):
        return "达成" if value else "未达成"
    if how == "iso week" and isinstance(value, dt.date):
        return "2023-W01-1"
    if how == "exponent" and isinstance(value, Decimal):
        return f"{value:E}"
    if how == "long" and isinstance(value, Decimal):
        return "9" * 19
    return value


def _general(ruleset: Any, mapping: dict[str, Any]) -> Facts | None:
    try:
        return coerce_facts(ruleset.specs, mapping)
    except RubricError:
        return None


def _agrees(ruleset: Any, mapping: dict[str, Any]) -> int:
    """1 when the fast path converted ``mapping``, 0 when it declined; fails on any
    difference from the general path."""
    expected = _general(ruleset, mapping)
    converted = 0
    for words in (PLAIN_WORDS, BOOLEAN_TEXT):
        convert = compile_convert(ruleset, words)
        assert convert is not None
        got = convert(mapping)
        if got is None:
            continue
        converted = 1
        assert expected is not None, mapping  # the general path refuses: so must this
        assert got == dict(expected.values)
        assert all(type(got[k]) is type(expected.values[k]) for k in got)
        assert [str(x) for x in got.values()] == [str(expected.values[k]) for k in got]
        assert expected.readings == {} and expected.warnings == ()
        if words is PLAIN_WORDS:  # no words a trace would show
            assert expected.texts == {}
            assert plan_of(ruleset).coerce(mapping) == expected
    return converted


@given(st.data())
def test_random_rulesets_convert_as_coerce_facts_does(data: st.DataObject) -> None:
    ruleset = data.draw(random_rulesets())
    facts = data.draw(facts_for(ruleset, missing=True))
    respelled = {k: _respelled(v, data.draw(_SPELLINGS)) for k, v in facts.items()}
    _agrees(ruleset, facts)
    _agrees(ruleset, respelled)


@given(facts_for(seed_table.build(), missing=True), st.data())
def test_the_seed_table_converts_as_coerce_facts_does(facts: dict[str, Any],
                                                      data: st.DataObject) -> None:
    ruleset = seed_table.build()
    _agrees(ruleset, {k: _respelled(v, data.draw(_SPELLINGS)) for k, v in facts.items()})


def test_the_benchmark_facts_take_the_fast_path() -> None:
    ruleset = load_ruleset(SEED)
    taken = sum(_agrees(ruleset, facts) for facts in generate(300))
    assert taken == 300  # plain text, ints and bools: every one converted


@pytest.mark.parametrize("mapping", [{"预算数": "1e3"}, {"预算数": "100 万元"}, {"未声明": "1"},
                                     {"预算调整率": "5"}, {"预算数": None}, {"预算数": True},
                                     {"预算数": "9" * 19}, {"已制定管理制度": "达成"},
                                     {"绩效目标完成日期": "2023/12/31"},
                                     {"服务对象满意度": "0.9"}, {"服务对象满意度": "100.5"}])
def test_other_values_are_left_to_the_general_path(mapping: dict[str, Any]) -> None:
    convert = compile_convert(load_ruleset(SEED), PLAIN_WORDS)
    assert convert is not None
    assert convert(mapping) is None


def test_an_iso_week_is_refused_by_both_paths() -> None:
    # date.fromisoformat reads 2023-W01-1 as 2 January; the table's dates are days
    ruleset = load_ruleset(SEED)
    facts = dict(generate(1)[0], 绩效目标完成日期="2023-W01-1")
    with pytest.raises(FactError, match="绩效目标完成日期"):
        evaluate(ruleset, facts)
    with pytest.raises(FactError, match="绩效目标完成日期"):
        score_only(ruleset, facts)


def test_words_other_than_yes_and_no_stay_in_the_trace() -> None:
    ruleset = load_ruleset(SEED)
    facts = dict(generate(1)[0], 已制定管理制度="达成")
    row = next(r for r in evaluate(ruleset, facts).rows() if r.name.startswith("管理制度"))
    assert "达成" in row.explain("zh")
