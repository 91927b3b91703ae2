"""Adversarial review of ``score_only``'s fast path (issue 15: "never silently wrong").

``score_only(ruleset, facts)`` must give what ``evaluate(ruleset, facts)`` gives for any
input: every node's low and high *as written* (``str(Decimal)``: exponents count), the
grade and grades, the missing facts, applicability, rescaling and the fact warnings; and
it raises exactly where ``evaluate`` raises (the same class of error). The inputs here are
hostile: number text in every spelling Python's ``Decimal`` or ``str.isdigit`` might take
(full-width and Arabic-Indic digits, exponents, signs, underscores, padding), Python values
of the wrong type (bools for numbers, ints for yes/no, floats, int subclasses, datetimes),
``None``, 不适用, unknown keys, and rulesets with every rounding mode and precision, step
deductions settled at the rounding's places, contiguous bands met at their ends, floors
and caps below the rules' points.
"""

from __future__ import annotations

import copy
import datetime as _dt
import enum
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubric import evaluate, load_ruleset, score_only
from rubric.errors import RubricError
from rubric.policy import ROUNDING_MODES
from rubric.testing import facts_for
from rubric.facts import FactSpec
from rubric.rules import (Band, Bands, Boolean, Categorical, Checklist, ChecklistItem,
                          Deadline, FormulaRule, State, StepDeduction)
from rubric.tree import Group, Indicator, Ruleset
from test_properties import random_rulesets

ROOT = Path(__file__).resolve().parents[1]


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        return "ok", call()
    except RubricError as e:  # evaluate's located errors (FactError, EvaluationError…)
        return "raised", type(e).__name__
    except (ArithmeticError, ValueError, TypeError) as e:
        return "raised", type(e).__name__


def agree(ruleset: Ruleset, facts: Mapping[str, Any]) -> None:
    """``score_only`` gives what ``evaluate`` gives, as written, or raises as it raises."""
    # each a copy of its own type (a defaultdict's lookup adds the name)
    how_e, result = _outcome(lambda: evaluate(ruleset, copy.copy(facts)))
    how_s, scores = _outcome(lambda: score_only(ruleset, copy.copy(facts)))
    assert how_s == how_e, (facts, result, scores)
    if how_e == "raised":
        assert scores == result, facts
        return
    records = result.records
    assert [str(x) for x in scores.lows] == [str(r[0]) for r in records], facts
    assert [str(x) for x in scores.highs] == [str(r[1]) for r in records], facts
    assert (scores.grade, scores.grades) == (result.grade, result.grades), facts
    assert scores.missing == result.missing, facts
    assert [scores.is_applicable(i) for i in range(len(records))] == \
        [r.applicable for r in records], facts
    assert scores.rescaled == result.rescaled, facts
    assert tuple(scores.warnings) == tuple(result.fact_warnings), facts


# --------------------------------------------------------------------------- hostile values

class _Int(int):
    """An int subclass (IntEnum-like): ``type(x) is int`` is False."""


class _Level(enum.IntEnum):
    THREE = 3


NUMBER_TEXTS = [
    "1e5", "1E-3", "1e0", " 12 ", "12 ", "\t7", "+5", "-0", "-0.0", "0.000", "0", "00012",
    "5.", ".5", "-.5", "+.5", "1_000", "1,000", "１２", "٣", "１２.５", "12.５", "²", "½",
    "9" * 18, "9" * 19, "1" + "0" * 18, "-" + "9" * 18, "0." + "0" * 17 + "1",
    "0." + "0" * 18 + "1", "1" * 40, "1" * 41, "NaN", "nan", "sNaN", "Infinity", "-inf",
    "inf", "", " ", "5 ", "5元", "5%", "5 %", "5.0%", "0x10", "1/2", "5..0", "5.0.0",
    "--5", "达成预期指标", "不适用", "/", "N/A", "无",
]
NUMBER_VALUES: list[Any] = [
    True, False, 0, 1, -1, 5, 10 ** 18, 10 ** 18 + 1, -(10 ** 18), -(10 ** 18) - 1, 10 ** 30,
    _Int(5), _Level.THREE, 5.0, 0.5, float("nan"), float("inf"), Decimal("5.00"),
    Decimal("5"), Decimal("1E+2"), Decimal("1E+1"), Decimal("-0"), Decimal("-0.00"),
    Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("1E-19"), Decimal("1E+19"),
    Decimal("0E+999"), Decimal("0E-20"), Decimal("0.5"), Decimal("1"), None, [], {}, b"5",
]
BOOLEAN_VALUES: list[Any] = [
    True, False, 1, 0, _Int(1), "是", "否", "yes", "no", "Y", "N", "y", "对", "错", "有", "无",
    "true", "false", "True", " 是", "是 ", "达成", "未达成", "√", "×", "1", "0", "",
    None, "不适用", Decimal(1), 1.0,
]
DATE_VALUES: list[Any] = [
    _dt.date(2023, 12, 31), _dt.date(2024, 1, 1), _dt.date(2023, 12, 30),
    _dt.datetime(2023, 12, 31), _dt.datetime(2023, 12, 31, 23, 59), "2023-12-31",
    "2024-01-01", "2023-12-30", "2023-12-31T00:00", "2023-W52-7", "20231231", "2023-1231",
    "2023/12/31", "2023年12月31日", "2023-12", "2023-02-29", "2024-02-29", " 2023-12-31",
    "２０２３-１２-３１", "2023-12-3１", "0001-01-01", "9999-12-31", None, "不适用", 20231231,
]


def _number_spellings(value: Decimal) -> list[Any]:
    """The drawn number respelled every way a fast path might misread."""
    text = str(value)
    out: list[Any] = [value, text, f" {text} ", f"{text}0", f"{value:E}", f"{value:e}",
                      f"+{text}", f"{value:.3f}", f"{value:.0f}", text.translate(_WIDE),
                      text.translate(_ARABIC), float(value), value.normalize(),
                      value.quantize(Decimal("0.000001")) if abs(value) < 10 ** 12 else value]
    if value == value.to_integral_value():
        out += [int(value), _Int(int(value)), f"{int(value)}.", f"{int(value)}_0"]
    if value == 0:
        out += ["-0", Decimal("-0"), "-0.00", False]
    if value == 1:
        out += [True, "1.0"]
    if abs(value) < 1:
        out += [text.replace("0.", ".", 1)]
    return out


_WIDE = str.maketrans("0123456789.-", "０１２３４５６７８９．－")
_ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@st.composite
def hostile_facts(draw: Any, ruleset: Ruleset) -> dict[str, Any]:
    """A valid mapping (``facts_for``) with some values respelled or replaced by hostile
    ones, sometimes a fact left out or an unknown one added."""
    facts = dict(draw(facts_for(ruleset, missing=draw(st.booleans()))))
    for spec in ruleset.input_facts():
        how = draw(st.integers(0, 5))
        if how >= 3:
            continue  # as drawn
        if spec.type == "number":
            pool: list[Any] = NUMBER_TEXTS + NUMBER_VALUES
            drawn = facts.get(spec.name)
            if how < 2 and isinstance(drawn, Decimal):
                pool = _number_spellings(drawn)
            if spec.minimum is not None:
                pool = pool + _number_spellings(spec.minimum)
            if spec.maximum is not None:
                pool = pool + _number_spellings(spec.maximum)
        elif spec.type == "boolean":
            pool = BOOLEAN_VALUES
        elif spec.type == "date":
            pool = DATE_VALUES
        elif spec.type == "category":
            pool = [*spec.categories, *(f" {c}" for c in spec.categories),
                    *(f"{c} " for c in spec.categories), *(c.upper() for c in spec.categories),
                    "", None, 1, True, "不适用", "其他"]
        else:
            pool = ["x", None, 1]
        facts[spec.name] = draw(st.sampled_from(pool))
    if draw(st.integers(0, 9)) == 0:
        facts["未声明的事实"] = draw(st.sampled_from([1, "1", None]))
    if facts and draw(st.integers(0, 9)) == 0:
        facts.pop(draw(st.sampled_from(sorted(facts))))
    return facts


@st.composite
def policied_rulesets(draw: Any) -> Ruleset:
    """``random_rulesets`` under any rounding mode and precision 0-3."""
    rs = draw(random_rulesets())
    policy = attrs.evolve(rs.policy, precision=draw(st.integers(0, 3)),
                          rounding=draw(st.sampled_from(sorted(ROUNDING_MODES))))
    return Ruleset(rs.root, rs.facts, policy)


@given(st.data())
def test_random_rulesets_under_hostile_facts(data: st.DataObject) -> None:
    ruleset = data.draw(policied_rulesets())
    agree(ruleset, data.draw(hostile_facts(ruleset)))


@given(st.data())
def test_random_rulesets_under_drawn_facts(data: st.DataObject) -> None:
    ruleset = data.draw(policied_rulesets())
    agree(ruleset, data.draw(facts_for(ruleset, missing=False)))


# --------------------------------------------------------------------------- found in review

def test_a_ruleset_with_no_input_facts_scores_as_evaluate_scores() -> None:
    """No input fact (a constant formula; a template whose rows are all ``assessed:
    false``): the compiled function over locals had an empty ``try:`` and score_only
    raised IndentationError where evaluate scores (or raises its EvaluationError)."""
    ruleset = Ruleset(Group("root", [Indicator("常数", FormulaRule("3", Decimal(5)))]), [])
    agree(ruleset, {})
    agree(ruleset, {"未声明": 1})
    template = ROOT / "rulesets" / "templates" / "czyj-2013-53-department.yaml"
    agree(load_ruleset(template), {})


def _two_rows() -> Ruleset:
    return Ruleset(Group("root", [
        Indicator("数", Bands("n", [Band(Decimal(1), None, Decimal(5)),
                                    Band(Decimal(4), Decimal(5), None, False)])),
        Indicator("是", Boolean("b", Decimal(2), Decimal(0)))]),
        [FactSpec("n", minimum=Decimal(0)), FactSpec("b", type="boolean")])


@pytest.mark.parametrize("facts", [
    Counter({"b": True, "其他": 7}), Counter({"b": True}),
    defaultdict(lambda: 9, {"b": True, "其他": 1}), defaultdict(str, {"b": True, "x": 1}),
    Counter({"n": 3, "b": True}), defaultdict(int, {"n": "7", "b": "是"})],
    ids=["counter-unknown", "counter-missing", "defaultdict-unknown", "defaultdict-str",
         "counter-full", "defaultdict-full"])
def test_a_mapping_answering_names_it_does_not_hold(facts: Any) -> None:
    """A mapping whose ``m[name]`` answers a name it does not hold (``Counter``: 0,
    ``defaultdict``: its default) of the right size, one fact missing and one unknown:
    the locals path read the missing fact as that default and never saw the unknown
    one, scoring 3.00 (n = 0) where evaluate raises FactError (unknown fact)."""
    agree(_two_rows(), facts)
