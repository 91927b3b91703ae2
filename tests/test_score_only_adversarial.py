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
import decimal
import enum
from collections import Counter, defaultdict
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rubric import evaluate, load_ruleset, score_only
from rubric.errors import RubricError
from rubric.facts import FactSpec
from rubric.policy import ROUNDING_MODES, Grade, Policy
from rubric.rules import (
    Band,
    Bands,
    Boolean,
    Categorical,
    Checklist,
    ChecklistItem,
    Coefficient,
    Deadline,
    FormulaRule,
    State,
    StepDeduction,
)
from rubric.testing import facts_for
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


# --------------------------------------------------------------------------- settled rows

MODES = st.sampled_from(sorted(ROUNDING_MODES))


def _places(lo: Any, hi: Any) -> st.SearchStrategy[Decimal]:
    return st.integers(0, 3).flatmap(lambda p: st.decimals(lo, hi, places=p))


@st.composite
def step_tables(draw: Any) -> tuple[Ruleset, StepDeduction]:
    """One step deduction row, its points and steps of 0-3 places (settled by the row
    itself when they are of the rounding's places), any tolerance (0 written as 0, 0.0),
    basis, partial reading, boundary, floor (the points too) and cap."""
    points = draw(_places(0, 20))
    partial = draw(st.sampled_from([None, "floor", "ceil", "proportional"]))
    target = draw(st.one_of(_places(-100, 1000), st.sampled_from(
        [Decimal("33.333333333333333333"), Decimal("0.5"), Decimal(100)])))
    basis = draw(st.sampled_from([None, "absolute", "relative"]))
    assume(basis == "absolute" or target != 0)  # the default basis is relative
    rule = StepDeduction(
        "x", target=target, points=points,
        step=draw(st.one_of(_places("0.001", 10).filter(bool),
                            st.sampled_from([Decimal("0.001"), Decimal("0.3"), Decimal(7)]))),
        per_step=draw(_places("0.001", 5).filter(bool)),
        side=draw(st.sampled_from(["below", "above", "both"])), basis=basis, partial=partial,
        boundary=draw(st.sampled_from([None, "counts"] + (
            [] if partial in ("ceil", "proportional") else ["excludes"]))),
        tolerance=draw(st.one_of(st.sampled_from([Decimal(0), Decimal("0.0"), Decimal("0.00")]),
                                 _places(0, 5))),
        floor=draw(st.one_of(st.just(points), _places(0, points))))
    cap = draw(st.one_of(st.none(), _places(0, points + 2)))
    policy_total = cap if cap is not None else max(points, Decimal(1))
    ruleset = Ruleset(Group("root", [Indicator("扣分", rule, max_points=cap)]),
                      [FactSpec("x")], _policy(draw, policy_total))
    return ruleset, rule


def _policy(draw: Any, total: Decimal) -> Any:
    return Policy(precision=draw(st.integers(0, 3)), rounding=draw(MODES),
                  total_points=total if total > 0 else Decimal(1))


@st.composite
def near_steps(draw: Any, rule: StepDeduction) -> Any:
    """A value at, or a hair either side of, the target ± (tolerance + k steps), in some
    spelling; or a far one (steps by the million)."""
    k = draw(st.sampled_from([0, 1, 2, 3, 5, 10, 1000, 10 ** 12]))
    jitter = draw(st.sampled_from([Decimal(0), Decimal("0.001"), Decimal("-0.001"),
                                   Decimal("1E-18"), Decimal("-1E-18"), rule.step / 2]))
    x = rule.target + draw(st.sampled_from([-1, 1])) * (rule.tolerance + k * rule.step) + jitter
    return draw(st.sampled_from(_number_spellings(x)))


@given(st.data())
def test_step_deductions_settled_at_the_rounding_places(data: st.DataObject) -> None:
    ruleset, rule = data.draw(step_tables())
    for k in (0, 1, 2, 3, 10):  # target ± (tolerance + k steps), exactly and either side
        for jitter in (Decimal(0), Decimal("0.001"), Decimal("-0.001"), rule.step / 2):
            for sign in (-1, 1):
                x = rule.target + sign * (rule.tolerance + k * rule.step) + jitter
                agree(ruleset, {"x": x})
                agree(ruleset, {"x": str(x)})
    agree(ruleset, {"x": data.draw(near_steps(rule))})


@st.composite
def band_tables(draw: Any) -> tuple[Ruleset, list[Decimal]]:
    """Contiguous bands (some a single closed point), written ascending or descending,
    over a number fact with or without a domain; returns the edges too."""
    edges = draw(st.lists(_places(-50, 150), min_size=1, max_size=4, unique=True).map(sorted))
    bands, lower, lower_closed = [], None, True
    for edge in edges:
        if lower is not None and lower == edge:
            continue
        if draw(st.integers(0, 4)) == 0 and lower is not None and lower_closed:
            bands.append(Band(draw(_places(0, 10)), lower, lower, True, True))  # [a, a]
            lower_closed = False
        upper_closed = draw(st.booleans())
        bands.append(Band(draw(_places(0, 10)), lower, edge, lower_closed, upper_closed))
        lower, lower_closed = edge, not upper_closed
    if draw(st.booleans()):
        bands.append(Band(draw(_places(0, 10)), lower, None, lower_closed))
    if draw(st.booleans()):
        bands.reverse()
    spec = FactSpec("x", minimum=draw(st.one_of(st.none(), st.just(edges[0]))))
    cap = draw(st.one_of(st.none(), _places(0, 10)))
    top = max(b.points for b in bands)
    ruleset = Ruleset(Group("root", [Indicator("档", Bands("x", bands), max_points=cap)]),
                      [spec], _policy(draw, cap if cap is not None else max(top, Decimal(1))))
    return ruleset, edges


@given(st.data())
def test_contiguous_bands_at_and_beside_their_ends(data: st.DataObject) -> None:
    ruleset, edges = data.draw(band_tables())
    for edge in edges:  # every end, exactly and a hair either side, as drawn and as text
        for jitter in (Decimal(0), Decimal("0.001"), Decimal("-0.001"), Decimal("1E-18"),
                       Decimal("-1E-18"), Decimal(-1000), Decimal(1000)):
            agree(ruleset, {"x": edge + jitter})
            agree(ruleset, {"x": str(edge + jitter)})
    edge = data.draw(st.sampled_from(edges))
    agree(ruleset, {"x": data.draw(st.sampled_from(_number_spellings(edge)))})


@given(st.data())
def test_categorical_and_checklist_constants_under_any_rounding(data: st.DataObject) -> None:
    draw = data.draw
    points = [draw(_places(0, 10)) for _ in range(3)]
    cap = draw(st.one_of(st.none(), _places(0, 12)))
    total = cap if cap is not None else max(sum(points), Decimal(1))
    categorical = Ruleset(Group("root", [Indicator("类", Categorical("c", [
        State(s, p) for s, p in zip(["甲", "乙", " 丙"], points)]), max_points=cap)]),
        [FactSpec("c", type=draw(st.sampled_from(["category", "text"])),
                  categories=["甲", "乙", " 丙"])], _policy(draw, total))
    agree(categorical, {"c": draw(st.sampled_from(["甲", "乙", " 丙", "丙", "甲 ", "", 1, None,
                                                  "不适用"]))})
    n = draw(st.integers(1, 4))
    checklist = Ruleset(Group("root", [Indicator("单", Checklist([
        ChecklistItem(f"b{i}", points[i % 3]) for i in range(n)]), max_points=cap)]),
        [FactSpec(f"b{i}", type="boolean") for i in range(n)], _policy(draw, total))
    agree(checklist, {f"b{i}": draw(st.sampled_from(BOOLEAN_VALUES)) for i in range(n)})


@pytest.mark.parametrize("inclusive", [None, True, False])
def test_deadline_days_against_a_fixed_day(inclusive: bool | None) -> None:
    ruleset = Ruleset(Group("root", [Indicator("时", Deadline(
        "d", _dt.date(2023, 12, 31), Decimal("3.335"), late_points=Decimal("1.005"),
        inclusive=inclusive), max_points=Decimal("3.3"))]),
        [FactSpec("d", type="date")])
    for day in DATE_VALUES:
        agree(ruleset, {"d": day})


def _relative_step() -> Ruleset:
    return Ruleset(Group("root", [Indicator("扣", StepDeduction(
        "x", target=Decimal("12.345"), points=Decimal(10), step=Decimal(10),
        per_step=Decimal(1), side="below", basis="relative"))]), [FactSpec("x")],
        Policy(total_points=Decimal(10)))


def test_first_called_in_a_coarse_context_a_relative_step_is_evaluates() -> None:
    """The first score_only compiles the ruleset. Called in the caller's context of 3
    digits, the relative step 10% of 12.345 was compiled as 1.23 (not 1.2345) and kept:
    11.112 (1.233 short) lost a step, 9.00 for evaluate's 10.00, in every later call."""
    ruleset = _relative_step()
    with decimal.localcontext(prec=3):
        score_only(ruleset, {"x": "11.112"})  # compiles
    agree(ruleset, {"x": "11.112"})


def test_first_called_in_a_coarse_context_the_grades_are_evaluates() -> None:
    """The grades' minima (85.5 of 97 points: 82.935) were computed in the caller's
    context at the first call (3 digits: 82.9), so a total of 82.93 graded 优, not 良."""
    ruleset = Ruleset(Group("root", [Indicator("分", Bands("x", [
        Band(Decimal("82.93"), None, Decimal(1)), Band(Decimal(97), Decimal(1), None, False)]))]),
        [FactSpec("x")], Policy(total_points=Decimal(97),
                               grades=[Grade("优", Decimal("85.5")), Grade("良", Decimal(0))]))
    with decimal.localcontext(prec=3):
        score_only(ruleset, {"x": 0})  # compiles (evaluate keeps its own minima)
    agree(ruleset, {"x": 0})
    agree(ruleset, {"x": 0.5})  # a float: the general reading, then the compiled rows


def test_a_relative_step_beyond_the_default_precision_is_evaluates() -> None:
    """A relative step whose size needs more than the default context's 28 digits
    (evaluate prepares the rule when the ruleset is built, in the caller's context):
    the compiled row must not compute it in another precision."""
    target = Decimal("123.456789012345678")
    ruleset = Ruleset(Group("root", [Indicator("扣", StepDeduction(
        "x", target=target, points=Decimal(10), step=Decimal("1.23456789012"),
        per_step=Decimal(1), side="below", basis="relative"))]), [FactSpec("x")],
        Policy(total_points=Decimal(10)))
    step = ruleset.root.children[0].rule.step * target / 100  # type: ignore[union-attr]
    for k in (1, 2, 3):
        for jitter in (Decimal("-1E-18"), Decimal(0), Decimal("1E-18")):
            agree(ruleset, {"x": target - k * step + jitter})


def _graded_at_a_minimum() -> Ruleset:
    return Ruleset(Group("root", [Indicator("分", Bands("x", [
        Band(Decimal("82.93"), None, Decimal(1)), Band(Decimal(97), Decimal(1), None, False)]))]),
        [FactSpec("x")], Policy(total_points=Decimal(97),
                               grades=[Grade("优", Decimal("85.5")), Grade("良", Decimal(0))]))


def test_evaluate_first_called_in_a_coarse_context_grades_as_without_it() -> None:
    """evaluate keeps the grades' minima in the ruleset's memo: computed in a caller's
    context of 3 digits at the first call (82.9, not 82.935 = 85.5 % of 97), a total of
    82.93 graded 优 in every later call. The minima are computed in DEFINITION_CONTEXT."""
    ruleset = _graded_at_a_minimum()
    with decimal.localcontext(prec=3):
        coarse = evaluate(ruleset, {"x": 0})
    assert coarse.total.score == Decimal("82.93") and coarse.grade == "良"
    assert evaluate(ruleset, {"x": 0}).grade == "良"
    agree(ruleset, {"x": 0})


def test_a_ruleset_built_in_a_coarse_context_prepares_its_rules_as_without_it() -> None:
    """A relative step (10 % of 12.345 = 1.2345) prepared in the caller's context of 3
    digits was 1.23, and 11.112 lost a step (9.00 instead of 10.00) in evaluate."""
    with decimal.localcontext(prec=3):
        ruleset = _relative_step()
    assert evaluate(ruleset, {"x": "11.112"}).total.score == Decimal(10)
    assert evaluate(_relative_step(), {"x": "11.112"}).total.score == Decimal(10)
    agree(ruleset, {"x": "11.112"})


@pytest.mark.parametrize("value", ["-0", "-0.0", Decimal("-0")])
def test_a_group_of_negative_zeros_sums_from_zero_as_evaluate(value: object) -> None:
    """A row scoring -0 (0.0 points × a coefficient of -0): evaluate sums a group from
    ZERO (0 + -0 = 0), the compiled sum of one child copied it (-0): '-0' against '0'."""
    ruleset = Ruleset(Group("g", [Indicator("i", Coefficient("f", Decimal("0.0"), percent=False))]),
                      [FactSpec("f")])
    agree(ruleset, {"f": value})
    assert str(score_only(ruleset, {"f": value}).lows[-1]) == "0.00"
