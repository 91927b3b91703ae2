"""The loop form of the compiled scores function, for large rulesets.

``engine.compiled`` writes one straight line of code per test a row makes: about 28
lines per row, facts included. CPython compiles some 50 000 such lines a second, so a
10 000-row ruleset spent seconds in ``compile`` alone. Rows of a table mostly share a
few shapes: the same code with other constants and other fact names. Here each shape is
written once, as the body of a loop over a table of its rows' constants and names (the
rows' string literals and ``CodeWriter`` constants become ``_k[j]``); the facts' plain
conversions and the derived facts are loops over tables too. The code run for each
unit is the same tests in the same arithmetic, so the scores are the same (the straight
form's property tests run on this form too, ``tests/test_compiled_loops.py``).

``compile_scores`` uses this form from ``LOOP_FROM`` plan steps on; smaller rulesets keep
the straight form, which is a little faster per unit.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..facts import BOOLEAN_TEXT
from ..rules.analysis import CodeWriter
from ..tree import Ruleset
from .compiled_facts import write_boolean_read, write_date_read, write_number_read
from .plan import Plan

__all__ = ["LOOP_FROM", "write_derived", "write_raw_entry", "write_rows"]

#: the number of plan steps (rows and groups) from which the loop form is written
LOOP_FROM = 400

# A string literal as ``repr`` writes it, or a CodeWriter constant's name
_TOKEN = re.compile(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\bc\d+\b""")

Fallback = Callable[[CodeWriter, Any, str], None]


def _shape(lines: list[str], consts: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """The code of ``lines`` with every string literal and constant replaced by ``_k[j]``,
    and the values of ``_k``."""
    index: dict[str, int] = {}
    values: list[Any] = []

    def param(match: re.Match[str]) -> str:
        token = match.group(0)
        if token[0] not in "'\"" and token not in consts:
            return token  # a name the snippet did not make: leave it
        j = index.get(token)
        if j is None:
            if token[0] not in "'\"":
                value = consts[token]
            else:
                value = token[1:-1] if "\\" not in token else ast.literal_eval(token)
            j = index[token] = len(values)
            values.append(value)
        return f"_k[{j}]"

    return "\n".join(_TOKEN.sub(param, line) for line in lines), tuple(values)


def write_rows(src: CodeWriter, ruleset: Ruleset, plan: Plan, quantum: str, mode: str,
               fallback: Fallback) -> bool:
    """Emit the rows and groups of ``scores``, ending with its return; False when a
    group is not compiled ("one of" groups)."""
    shapes: dict[str, list[tuple[int, tuple[Any, ...]]]] = {}
    groups: list[tuple[int, tuple[int, ...], Decimal]] = []
    for i, step in enumerate(plan.steps):
        node = step.node
        if step.rule is None:
            if getattr(node, "select", "all") != "all":
                return False
            groups.append((i, tuple(step.children), step.max_points))
            continue
        code = CodeWriter()
        if not node.rule.compile_into(code, "_y", ruleset.defaults):  # type: ignore[union-attr]
            code = CodeWriter()
            fallback(code, plan.prepared(node.id), "_y")
        code.emit(f"if _y > {code.const(step.max_points)}: return None")
        text, values = _shape(code.lines, code.consts)
        shapes.setdefault(text, []).append((i, values))
    src.emit(f"_s = [ZERO] * {len(plan.steps)}")
    for text, rows in shapes.items():
        src.emit(f"for _i, _k in {src.const(tuple(rows))}:")
        src.lines.extend("    " + line for line in text.split("\n"))
        src.emit(f"_s[_i] = _y.quantize({quantum}, {mode})", 2)
    for i, children, cap in groups:  # plan order: every child before its group
        total = "ZERO" + "".join(f" + _s[{k}]" for k in children)  # from ZERO, as evaluate
        src.emit(f"_s[{i}] = _t = {total}")
        src.emit(f"if _t > {src.const(cap)}: return None")
    src.emit("return tuple(_s)")
    return True


def write_derived(src: CodeWriter, ruleset: Ruleset) -> None:
    """Emit the derived facts of ``scores``, in order, as one loop."""
    table = []
    for name, formula in ruleset.derived:
        spec = ruleset.specs[name]
        table.append((formula, tuple(formula.names), name, spec.minimum, spec.maximum))
    if not table:
        return
    src.emit(f"for _f, _n, _name, _lo, _hi in {src.const(tuple(table))}:")
    src.emit("a = {k: v.get(k) for k in _n}", 2)
    src.emit("if any(type(x) is not D for x in a.values()): return None", 2)
    src.emit("x = _f(a)", 2)
    src.emit("if type(x) is not D or not x.is_finite(): return None", 2)
    src.emit("if _lo is not None and x < _lo: return None", 2)  # evaluate raises
    src.emit("if _hi is not None and x > _hi: return None", 2)
    src.emit("v[_name] = x", 2)


def _given(src: CodeWriter, targets: str, entries: list[Any]) -> None:
    """The head of a loop over one type's facts (``entries``, unpacked into
    ``targets``): each given value as ``x``, counted in ``n``; a fact not given skipped."""
    src.emit(f"for {targets} in {src.const(tuple(entries))}:")
    src.emit("x = m.get(_name)", 2)
    src.emit("if x is None: continue", 2)
    src.emit("n += 1", 2)


def write_raw_entry(src: CodeWriter, ruleset: Ruleset) -> None:
    """``scores_raw(m, keep=None)`` as ``engine.compiled`` writes it, one loop per kind
    of fact: the same conversions and the same refusals (None: the general path)."""
    numbers, refused, booleans, categories, dates, texts = [], [], [], [], [], []
    for spec in ruleset.input_facts():
        reading = spec.percent_numbers or ruleset.defaults.percent_numbers
        percent = spec.type == "number" and spec.unit in ("%", "percent")
        if percent and reading != "percent":
            refused.append(spec.name)  # a plain number's reading: the general path
        elif spec.type == "number":
            fraction = percent and (spec.maximum is None or spec.maximum >= 100)
            numbers.append((spec.name, spec.minimum, spec.maximum, fraction))
        elif spec.type == "boolean":
            booleans.append(spec.name)
        elif spec.type == "category":
            categories.append((spec.name, frozenset(spec.categories)))
        elif spec.type == "date":
            dates.append(spec.name)
        else:
            texts.append(spec.name)
    src.emit("def scores_raw(m, keep=None):", 0)
    src.emit("v = {}")
    src.emit("n = 0")
    if refused:
        src.emit(f"for _name in {src.const(tuple(refused))}:")
        src.emit("if m.get(_name) is not None: return None", 2)
    if numbers:
        _given(src, "_name, _lo, _hi, _frac", numbers)
        src.emit("t = type(x)", 2)
        write_number_read(src, 2)
        src.emit("if _lo is not None and x < _lo: return None", 2)
        src.emit("if _hi is not None and x > _hi: return None", 2)
        src.emit("if _frac and 0 < x <= 1: return None", 2)  # looks like a fraction: warns
        src.emit("v[_name] = x", 2)
    if booleans:
        table = src.const(dict(BOOLEAN_TEXT))
        _given(src, "_name", booleans)
        write_boolean_read(src, table, 2)
        src.emit("v[_name] = x", 2)
    if categories:
        _given(src, "_name, _known", categories)
        src.emit("if type(x) is not str or x not in _known: return None", 2)
        src.emit("v[_name] = x", 2)
    if dates:
        _given(src, "_name", dates)
        write_date_read(src, 2)
        src.emit("v[_name] = x", 2)
    if texts:
        _given(src, "_name", texts)
        src.emit("if type(x) is not str: return None", 2)
        src.emit("v[_name] = x", 2)
    src.emit("if n != len(m): return None")  # an undeclared or derived name: say so
    src.emit("if keep is not None: keep.append(v)")  # the values, derived ones added
    src.emit("return scores(v)")
