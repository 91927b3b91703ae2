"""A number fact given as an ``int`` stays an int in the compiled function over locals
(``compiled_facts.write_int_read``), and a step deduction reading it counts its steps in
int arithmetic (``deductions._int_steps``): the same scores, as written (exponents too),
as the Decimal code and as evaluate give, for ints anywhere (boundaries, negative, beyond
the limits, bools and int subclasses, which are no ints here), and the same values kept
for the constraints."""

from __future__ import annotations

import enum
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubric import (
    Band,
    Bands,
    Constraint,
    FactSpec,
    Group,
    Indicator,
    Policy,
    Ruleset,
    StepDeduction,
    load_ruleset,
)
from rubric.engine import compiled
from test_compiled import same
from test_compiled_given import _same_or_both_raise, _written, agree

SEED = Path(__file__).resolve().parents[1] / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
sys.path.insert(0, str(SEED.parents[2] / "benchmarks" / "compare"))
from facts import generate  # noqa: E402
from impl_hand_decimal import evaluate as hand  # noqa: E402

LIMIT = 10 ** 18


def _source(ruleset: Ruleset, monkeypatch: pytest.MonkeyPatch) -> str:
    """The compiled function's source text."""
    seen: list[str] = []
    built = compiled._built

    def spy(src: Any, rs: Ruleset) -> Any:
        seen.append("\n".join(src.lines))
        return built(src, rs)

    monkeypatch.setattr(compiled, "_built", spy)
    assert compiled.compile_scores(ruleset) is not None
    return seen[0]


def _raw(ruleset: Ruleset, facts: dict[str, Any]) -> Any:
    with compiled.decimal.localcontext(compiled.DECIMAL_CONTEXT):
        return _written(compiled.scores_function(ruleset).raw(dict(facts)))


def test_the_seed_counts_in_ints(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _source(load_ruleset(SEED), monkeypatch)
    given_part = text[text.index("def scores_raw"):]
    # the five counts and 供养人数: int steps; the money facts (formula operands): Decimals
    assert given_part.count("is int:\n") >= 6
    assert "n = (20 - a20) // 2" in given_part  # 10 % of 20: as the hand-written function
    assert "d = abs(a18 - 131)" in given_part and "n = (d) * 20 // 131" in given_part
    assert "if type(a0) is int: a0 = D(a0)" not in given_part


def test_the_seed_scores_ints_as_decimals_and_as_the_hand_written_function() -> None:
    ruleset = load_ruleset(SEED)
    counts = ["供养人数", "新增规模工业企业", "新增高新技术企业", "新增国家级专精特新小巨人企业",
              "新增省级专精特新小巨人企业", "选派科技特派员"]
    for facts in generate(400):
        got = _raw(ruleset, facts)
        as_text = {**facts, **{name: str(facts[name]) for name in counts}}
        as_decimal = {**facts, **{name: Decimal(facts[name]) for name in counts}}
        assert got == _raw(ruleset, as_text) == _raw(ruleset, as_decimal)
        if got is not None:
            assert Decimal(got[-1]) == hand(facts)
            assert agree(ruleset, facts)


EDGES = [0, 1, 2, 3, 12, 13, 14, 15, 16, 19, 20, 21, 99, 100, 101, 124, 125, 130, 131, 132,
         137, 138, 144, 145, 1000, -1, -20, LIMIT, LIMIT + 1, -LIMIT, -LIMIT - 1, 10 ** 40,
         True, False]


class Count(enum.IntEnum):
    SEVEN = 7


class MyInt(int):
    pass


@pytest.mark.parametrize("value", [*EDGES, Count.SEVEN, MyInt(7), MyInt(200), "7", "-0",
                                   Decimal("-0"), Decimal("NaN"), Decimal("7.00"), 7.0])
@pytest.mark.parametrize("fact", ["供养人数", "新增规模工业企业", "新增国家级专精特新小巨人企业"])
def test_seed_counts_at_the_edges_score_as_evaluate(fact: str, value: Any) -> None:
    ruleset = load_ruleset(SEED)
    raw = dict(next(f for f in generate(50) if f["三公经费预算安排数"] != "0.00"))
    facts = {**raw, fact: value}
    settled = agree(ruleset, facts)
    _same_or_both_raise(ruleset, facts)
    if type(value) is int and 0 <= value <= LIMIT:
        assert settled  # a plain int in the domain stays on the compiled path
        assert _raw(ruleset, facts) == _raw(ruleset, {**raw, fact: Decimal(value)})
    if type(value) is not int and not isinstance(value, (str, Decimal, float)):
        assert _raw(ruleset, facts) is None  # a bool or an int subclass: the general path


def _ruleset(rule: StepDeduction, cap: Decimal | None, precision: int,
             low: Decimal | None, high: Decimal | None) -> Ruleset:
    return Ruleset(Group("root", [Indicator("扣分", rule, max_points=cap)]),
                   [FactSpec("x", minimum=low, maximum=high)], Policy(precision=precision))


@given(st.data())
def test_int_steps_agree_with_decimal_steps_for_any_int(data: st.DataObject) -> None:
    """Any step deduction whose steps are whole (partial floor, boundary counted or not:
    the int path takes only ``counts``), targets and tolerances with or without places,
    relative steps too, any cap, floor and precision, any domain: an int scores what its
    Decimal and its text score, and what evaluate gives."""
    places = st.integers(0, 3)
    points = data.draw(st.decimals(0, 20, places=data.draw(places)), label="points")
    basis = data.draw(st.sampled_from(["absolute", "relative"]), label="basis")
    target = data.draw(st.one_of(st.integers(-50, 300).map(Decimal),
                                 st.decimals(-50, 300, places=data.draw(places))), label="t")
    if basis == "relative" and target == 0:
        target = Decimal(20)
    rule = StepDeduction(
        "x", target=target, points=points,
        step=data.draw(st.one_of(st.integers(1, 30).map(Decimal),
                                 st.decimals("0.01", 40, places=2)), label="step"),
        per_step=data.draw(st.decimals("0.25", 3, places=data.draw(places)).filter(bool)),
        side=data.draw(st.sampled_from(["below", "above", "both"])), basis=basis,
        partial="floor", boundary=data.draw(st.sampled_from(["counts", "excludes"])),
        tolerance=data.draw(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(2),
                                             Decimal("1.25")])),
        floor=data.draw(st.decimals(0, points, places=1)))
    cap = data.draw(st.one_of(st.none(), st.decimals(0, 25, places=data.draw(places))))
    low = data.draw(st.sampled_from([None, Decimal(0), Decimal("-10.5"), Decimal("0.5")]))
    high = data.draw(st.sampled_from([None, Decimal(1000), Decimal("99.5")]))
    ruleset = _ruleset(rule, cap, data.draw(st.integers(0, 2)), low, high)
    x = data.draw(st.one_of(st.integers(-100, 500), st.sampled_from(EDGES[-8:-2]),
                            st.integers(-10 ** 20, 10 ** 20)), label="x")
    assert type(x) is int
    got = _raw(ruleset, {"x": x})
    if -LIMIT <= x <= LIMIT:
        assert got == _raw(ruleset, {"x": Decimal(x)}) == _raw(ruleset, {"x": str(x)})
    else:
        assert got is None
    agree(ruleset, {"x": x})
    _same_or_both_raise(ruleset, {"x": x})


def test_a_count_read_by_another_row_and_by_the_constraints(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A count a bands row reads too is a Decimal before that row; the constraints and
    a row scored by the general path read it as a Decimal."""
    ruleset = Ruleset(Group("root", [
        Indicator("扣分", StepDeduction("x", target=Decimal(20), points=Decimal(5),
                                        step=Decimal(2))),
        Indicator("档次", Bands("x", [Band(5, 10, None), Band(0, None, 10,
                                                                upper_closed=False)],
                                "higher")),
        Indicator("又扣", StepDeduction("x", target=Decimal(20), points=Decimal(5),
                                        step=Decimal(2), partial="ceil"))]),
        [FactSpec("x", minimum=Decimal(0))], Policy(precision=2),
        constraints=[Constraint(check="x <= 1000")])
    text = _source(ruleset, monkeypatch)
    assert "if type(a0) is int: a0 = D(a0)" in text
    for x in (0, 9, 10, 11, 19, 20, 21, 1000, 1001):
        assert agree(ruleset, {"x": x})
        same(ruleset, {"x": x})
        kept: list[dict[str, object]] = []
        with compiled.decimal.localcontext(compiled.DECIMAL_CONTEXT):
            compiled.scores_function(ruleset).raw({"x": x}, kept)
        assert type(kept[0]["x"]) is Decimal and kept[0]["x"] == x
        assert compiled.score_only(ruleset, {"x": x}).warnings == \
            compiled.score_only(ruleset, {"x": Decimal(x)}).warnings


def test_a_group_is_capped_when_its_rows_round_above_their_points(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows of 2.125 points at 2 places round to 2.13 (half up): their group of 4.25
    needs its cap, which a group of whole rows within its points does not."""
    def table(most: str, cap: str) -> Ruleset:
        rows = [Indicator(f"r{i}", StepDeduction(f"x{i}", target=Decimal(10),
                                                 points=Decimal(most), step=Decimal(1)),
                          max_points=Decimal(most)) for i in range(2)]
        return Ruleset(Group("root", [Group("g", rows, max_points=Decimal(cap))]),
                       [FactSpec(f"x{i}") for i in range(2)], Policy(precision=2))
    rounded, whole = table("2.125", "4.25"), table("2", "4")
    assert "if s2 > " in _source(rounded, monkeypatch)
    assert "if s2 > " not in _source(whole, monkeypatch)
    for ruleset in (rounded, whole):
        for x in (10, Decimal("9.5"), 9, 0):
            facts = {"x0": x, "x1": x}
            assert agree(ruleset, facts)
            same(ruleset, facts)
    assert str(compiled.score_only(rounded, {"x0": 10, "x1": 10}).lows[2]) == "4.25"


@pytest.mark.parametrize("low", [None, Decimal(0), Decimal(-5)])
@pytest.mark.parametrize("given", [("3", "4"), ("-3", "4"), ("0", "0"), ("-0", "4"), ("3", "0"),
                                   ("3", "-4"), ("-3", "-4"), ("1", "3")])
def test_a_derived_rate_keeps_its_domain(low: Decimal | None, given: tuple[str, str]) -> None:
    """A rate of operands that may be negative is tested against its minimum; of
    operands at least 0, it cannot be below a minimum of 0 (nor of -5)."""
    ruleset = Ruleset(Group("root", [Indicator("率", Bands("率", [
        Band(5, None, 50, upper_closed=True), Band(2, 50, None, lower_closed=False)],
        "lower"))]),
        [FactSpec("a", minimum=low), FactSpec("b", minimum=low),
         FactSpec("率", minimum=Decimal(0), formula="a / b * 100")], Policy(precision=2))
    facts = {"a": given[0], "b": given[1]}
    agree(ruleset, facts)
    _same_or_both_raise(ruleset, facts)


def test_the_written_grading_grades_as_grade_of() -> None:
    from rubric.engine.vetoes import grade_minima, grade_of
    ruleset = load_ruleset(SEED)
    graded = compiled.scores_function(ruleset).graded
    cent = Decimal("0.01")
    totals = [m + d for m, _name in grade_minima(ruleset) for d in (-cent, 0, cent)]
    for total in [*totals, Decimal(100), Decimal(0), Decimal("-0"), Decimal(-5), Decimal("89.995")]:
        name = grade_of(ruleset, total)
        assert graded(total) == (name, (name,))


def test_score_only_from_inside_its_own_scope_scores_as_evaluate() -> None:
    """score_only runs the compiled function in a contextvars.Context of its own per
    thread; called from inside it (which Context.run refuses to enter twice), it takes
    setcontext instead: the same scores, the caller's context left as it was."""
    import decimal
    ruleset = load_ruleset(SEED)
    units = generate(40)
    compiled.score_only(ruleset, units[0])  # this thread's scope made
    run = compiled._contexts.run
    for facts in units:
        inside = run(compiled.score_only, ruleset, facts)
        assert inside == compiled.score_only(ruleset, facts)
        with decimal.localcontext(decimal.Context(prec=3)) as mine:
            assert run(lambda f: (compiled.score_only(ruleset, f), decimal.getcontext())[1],
                       facts) is not mine
            assert decimal.getcontext() is mine
        if inside.total is not None:
            assert inside.total == hand(facts)
