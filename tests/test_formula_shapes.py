"""parse_formula skips the limit checks for a formula whose shape (its text with the names
replaced by one mark) passed them before; the shortcut must give exactly what checking
afresh gives: the same tree, or the same FormulaError message (hypothesis)."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rubric import expressions
from rubric.errors import FormulaError, RubricError
from rubric.expressions import MAX_FORMULA_DEPTH, compile_formula, parse_formula
from rubric.facts import FactSpec

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


# -- operand units looked up as names are met (formula_units.DeclaredUnits) ---------------

def _eager_units(known: object, tree: ast.AST) -> dict[str, object]:
    """The units of every name in the tree, up front: what _DeclaredUnits replaced."""
    if isinstance(known, expressions._Units):
        return dict(known)
    out: dict[str, object] = {}
    if isinstance(known, Mapping):
        for name in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}:
            spec = known.get(name)
            if spec is None:
                continue
            kind = getattr(spec, "type", None)
            if kind == "number":
                out[name] = spec.unit
            elif kind is not None:
                out[name] = expressions.NOT_NUMBER
    return out


KNOWN: dict[str, FactSpec | None] = {
    "a": FactSpec("a", unit="万元"), "b": FactSpec("b", unit="元"), "预算数": FactSpec("预算数"),
    "完成数": FactSpec("完成数", unit="%"), "x1": FactSpec("x1", type="boolean"),
    "_y": FactSpec("_y", unit="人"), "min": FactSpec("min", unit="元"), "j": None,  # failed
}


def _compiled(text: str, unit: object, strict: bool) -> str:
    try:
        f = compile_formula(text, KNOWN, unit=unit, strict=strict)
    except FormulaError as exc:
        return "error: " + exc.message
    values = {"a": Decimal(3), "b": Decimal(40), "预算数": Decimal(7), "完成数": Decimal(5),
              "x1": True, "_y": Decimal(2), "min": Decimal(1)}
    try:
        value = repr(f(values))
    except RubricError as exc:
        value = "error: " + exc.message
    except KeyError as exc:  # 'j' failed to load: it has no value
        value = f"KeyError {exc}"
    return repr((f.names, f.units, f.unit, f.reading, value))


@settings(max_examples=300, deadline=None)
@given(FORMULAS, st.sampled_from([None, "%", "万元", "元", "人"]), st.booleans())
def test_units_looked_up_lazily_give_what_eager_units_give(text: str, unit: object,
                                                           strict: bool) -> None:
    lazy = _compiled(text, unit, strict)
    saved = expressions._operand_units
    expressions._operand_units = _eager_units  # type: ignore[assignment]
    try:
        eager = _compiled(text, unit, strict)
    finally:
        expressions._operand_units = saved
    assert lazy == eager
