"""Rows whose compiled code sets constants have them capped and rounded once: the scores
are the same Decimals as evaluate's, down to how they are written (5.00, not 5)."""

from __future__ import annotations

import dis
import re
import sys
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import seed_table
from rubric import evaluate, load_ruleset, score_only
from rubric.engine.compiled import scores_function
from rubric.errors import RubricError
from rubric.testing import facts_for
from test_properties import random_rulesets

SEED = Path(__file__).resolve().parents[1] / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
sys.path.insert(0, str(SEED.parents[2] / "benchmarks" / "compare"))
from facts import generate  # noqa: E402


def _written_alike(ruleset: Any, facts: dict[str, Any]) -> None:
    try:
        result = evaluate(ruleset, facts)
    except RubricError:
        return
    scores = score_only(ruleset, facts)
    assert [str(x) for x in scores.lows] == [str(r.low) for r in result.records]
    assert [str(x) for x in scores.highs] == [str(r.high) for r in result.records]


def test_the_seed_writes_its_scores_as_evaluate_does() -> None:
    ruleset = load_ruleset(SEED)
    for facts in generate(400):
        _written_alike(ruleset, facts)


def _rounds(code: Any) -> int:
    return sum(i.argval == "quantize" for i in dis.get_instructions(code))


def test_band_and_yes_no_rows_need_no_rounding_per_unit() -> None:
    ruleset = load_ruleset(SEED)
    fn = scores_function(ruleset)
    rows = sum(1 for _ in ruleset.indicators())
    # 3 band rows, 7 yes/no rows and the categorical row set constants: rounded once,
    # when compiled; the 10 step deductions compute at the rounding's places (their
    # constants within the tolerance, at the floor or above 分值 rounded once). Left: the
    # 3 checklists (their facts not known to be yes/no) and the deadline row (its rule).
    assert rows == 25 and _rounds(fn.__code__) == 4
    # every fact given and converted: checklists and the deadline row settled too
    assert _rounds(fn.raw.__code__) == 0
    facts = dict(generate(1)[0], 分项目核算结余结转=True)  # row 5, yes/no: 5 points
    assert str(score_only(ruleset, facts).lows[4]) == "5.00"


@given(st.data())
def test_random_rulesets_write_their_scores_as_evaluate_does(data: st.DataObject) -> None:
    ruleset = data.draw(random_rulesets())
    _written_alike(ruleset, data.draw(facts_for(ruleset, missing=False)))


@given(facts_for(seed_table.build()))
def test_the_seed_table_writes_its_scores_as_evaluate_does(facts: dict[str, Any]) -> None:
    _written_alike(seed_table.build(), facts)


def _two_rows(points: str, precision: int) -> Any:
    from decimal import Decimal

    from rubric import Band, Bands, FactSpec, Group, Indicator, Policy, Ruleset
    first = Bands("x", [Band(Decimal(points), 10, None), Band(Decimal(points), None, 10)])
    other = Bands("x", [Band(1, 10, None), Band(Decimal(points), None, 10)])
    return Ruleset(Group("root", [Group("g", [Indicator("a", first), Indicator("b", other)])]),
                   [FactSpec("x")], Policy(precision=precision))


def _group_sums(ruleset: Any, monkeypatch: Any) -> list[str]:
    from test_compiled_ints import _source
    source = _source(ruleset, monkeypatch)
    raw = source[source.index("def scores_raw"):]
    return [line.strip() for line in raw.splitlines()
            if re.fullmatch(r"\s*s\d+ = (ZERO|s\d+)( \+ s\d+)*", line)]


@given(st.sampled_from(["-0", "0", "0.000", "5", "2.5", "1E+1"]), st.integers(0, 3),
       st.sampled_from(["5", "10", "20", "-3", "1E+2", "0"]))
def test_a_group_from_its_first_childs_score_sums_as_evaluate(points: str, precision: int,
                                                               x: str) -> None:
    # a -0 first child: ZERO + -0 is 0, so the sum starts at ZERO; else at the child
    _written_alike(_two_rows(points, precision), {"x": x})


def test_a_group_starts_at_zero_only_when_its_first_child_may_be_minus_zero(
        monkeypatch: Any) -> None:
    assert _group_sums(_two_rows("-0", 2), monkeypatch)[0] == "s2 = ZERO + s0 + s1"
    assert _group_sums(_two_rows("0", 2), monkeypatch)[0] == "s2 = s0 + s1"
    assert _group_sums(_two_rows("5", 0), monkeypatch) == ["s2 = s0 + s1", "s3 = s2"]
