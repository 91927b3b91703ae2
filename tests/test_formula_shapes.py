"""parse_formula skips the limit checks for a formula whose shape (its text with the names
replaced by one mark) passed them before; the shortcut must give exactly what checking
afresh gives: the same tree, or the same FormulaError message (hypothesis)."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rubric import expressions
from rubric.errors import FormulaError
from rubric.expressions import MAX_FORMULA_DEPTH, compile_formula, parse_formula

NAMES = st.sampled_from(["a", "b", "预算数", "完成数", "x1", "_y", "min", "max", "abs", "if_",
                         "ｘ", "é", "e5", "j"])
NUMBERS = st.sampled_from(["0", "1", "100", "1e5", "1.5", "0x1f", "1_000", "1e30", "9" * 25,
                           "1e-40", ".5", "1.e3", "1j", "1e19", "1" * 20])


def _expr(depth: int, leaf: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[str]:
    leaf = st.one_of(NAMES, NUMBERS) if leaf is None else leaf
    if depth == 0:
        return leaf
    sub = _expr(depth - 1, leaf)
    return st.one_of(
        leaf,
        st.tuples(sub, st.sampled_from(["+", "-", "*", "/", "%", "**", "<", "==", " and ",
                                        " or ", "."]), sub).map("".join),
        st.tuples(sub, sub, sub).map(lambda t: f"{t[0]} if {t[1]} else {t[2]}"),
        st.tuples(NAMES, st.lists(sub, min_size=0, max_size=3)).map(  # a call
            lambda t: f"{t[0]}({', '.join(t[1])})"),
        sub.map(lambda s: f"-({s})"), sub.map(lambda s: f"not {s}"),
    )


TEMPLATES = st.one_of(
    _expr(3, st.just("{}")),
    st.integers(MAX_FORMULA_DEPTH - 3, MAX_FORMULA_DEPTH + 3).map(
        lambda d: "(" * d + "-{}" + ")" * d),
    st.integers(240, 260).map(lambda n: " + ".join(["{}"] * n)),
)
FORMULAS = st.one_of(
    _expr(3),
    st.tuples(NAMES, st.integers(MAX_FORMULA_DEPTH - 3, MAX_FORMULA_DEPTH + 3)).map(
        lambda t: "(" * t[1] + "-" + t[0] + ")" * t[1]),  # around the depth limit
    st.tuples(NAMES, st.integers(240, 260)).map(lambda t: " + ".join([t[0]] * t[1])),
)


def _outcome(text: str) -> str:
    try:
        return ast.dump(parse_formula(text, "formula"))
    except FormulaError as exc:
        return "error: " + exc.message


def _fresh(text: str) -> str:
    saved = set(expressions._CHECKED_SHAPES)
    expressions._CHECKED_SHAPES.clear()
    try:
        return _outcome(text)
    finally:
        expressions._CHECKED_SHAPES.clear()
        expressions._CHECKED_SHAPES.update(saved)


@settings(max_examples=400, deadline=None)
@given(TEMPLATES, st.data())
def test_shortcut_gives_what_checking_afresh_gives(template: str, data: st.DataObject) -> None:
    """One template filled twice: the second formula has the first one's shape whenever
    the two differ in names only."""
    expressions._CHECKED_SHAPES.clear()
    leaves = st.lists(st.one_of(NAMES, NUMBERS), min_size=template.count("{}"),
                      max_size=template.count("{}"))
    _outcome(template.format(*data.draw(leaves)))
    text = template.format(*data.draw(leaves))
    assert _outcome(text) == _fresh(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(FORMULAS, max_size=5), FORMULAS)
def test_shortcut_after_other_formulas(warm: list[str], text: str) -> None:
    expressions._CHECKED_SHAPES.clear()
    for seen in warm:
        _outcome(seen)
    assert _outcome(text) == _fresh(text)


def test_shape_of_names_only() -> None:
    assert expressions._shape("a / b * 100") == expressions._shape("预算数 / 完成数 * 100")
    assert expressions._shape("a if b else c") != expressions._shape("a or b or c")
    assert expressions._shape("1e5 + a") != expressions._shape("1e6 + a")
    assert expressions._shape("'a' + b") is None  # text: no shortcut


def test_a_shape_seen_before_still_refuses_a_bad_number() -> None:
    compile_formula("a / b * 100", {"a", "b"})
    with pytest.raises(FormulaError, match="the number"):
        parse_formula("a / b * 1" + "0" * 30)
    assert expressions._shape("a / b * 100") in expressions._CHECKED_SHAPES
