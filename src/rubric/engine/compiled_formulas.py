"""Derived facts' formulas written into the compiled scores function as Decimal arithmetic.

The scores-only function (``engine.compiled``) computes a ruleset's derived rates
(``预算调整率 = 预算调整数 / 预算数 * 100``) by calling each ``expressions.Formula``: a
closure per operator, the 0/0 and x/0 readings of ``safe_div`` (domain.md §3.6), the
bound on a computed value. For a formula of names and number literals joined by ``*``
and ``/`` only, whose result needs no unit conversion (``Formula.reading`` empty: ``*`` and
``/`` convert no operand, only ``+ - %`` do), ``inline_formula`` writes the same operations
in the same order as one expression, taken only when every operand is finite and every
divisor is a nonzero name or a nonzero literal: then ``safe_div(a, b)`` is ``a / b`` and no
operand is ``UNDEFINED``, so the value is the closures' own. A result outside
``Formula.__call__``'s plain bounds, and every other case (a zero or non-finite operand:
the readings), calls the formula itself, so the readings and errors stay the evaluator's.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from decimal import Decimal

from ..expressions import Formula, parse_formula
from ..rules.analysis import CodeWriter

__all__ = ["inline_formula", "write_formula"]


def inline_formula(formula: Formula, const: CodeWriter | None = None
                   ) -> tuple[str, tuple[str, ...]] | None:
    """``(expression, divisors)``: the formula as Python source over ``f0, f1, …`` (its
    names in ``formula.names`` order) with literals as constants of ``const``, and the
    names (as ``fK``) that divide; None when the formula is not of the inlined form."""
    if formula.reading:  # a unit conversion applied to the result
        return None
    try:
        tree = parse_formula(formula.text, formula.what)
    except Exception:  # noqa: BLE001 - compiled once already; anything odd: not inlined
        return None
    local = {name: f"f{i}" for i, name in enumerate(formula.names)}
    writer = const if const is not None else CodeWriter()
    divisors: list[str] = []

    def source(node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return local.get(node.id)
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            value = node.value  # as expressions._compile reads a literal
            return writer.const(Decimal(repr(value)) if isinstance(value, float)
                                else Decimal(int(value)))  # type: ignore[arg-type]
        if isinstance(node, ast.BinOp) and type(node.op) in (ast.Mult, ast.Div):
            left, right = source(node.left), source(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Div):
                if isinstance(node.right, ast.Name):
                    divisors.append(right)
                elif not (isinstance(node.right, ast.Constant) and node.right.value):
                    return None  # a computed or zero divisor: the formula's own reading
                return f"({left} / {right})"
            return f"({left} * {right})"
        return None

    text = source(tree.body if isinstance(tree, ast.Expression) else tree)
    if text is None:
        return None
    return text, tuple(dict.fromkeys(divisors))


def write_formula(src: CodeWriter, formula: Formula, fn: str, depth: int = 1,
                  settle: Callable[[int, bool], None] | None = None) -> None:
    """Emit ``x = formula(v)``, returning None (the general path) unless every operand
    (``formula.names``, read into ``f0, f1, …``) is a Decimal: inline when
    ``inline_formula`` takes the formula, calling ``fn`` (the formula, a constant of
    ``src``) otherwise. An operand held in a local (``CodeWriter.known``) is read from it,
    without the tests a known finite number needs no more; the formula is then called
    with a mapping of its operands (it reads only its names). ``settle(depth, finite)``,
    when given, writes what follows each assignment of ``x``, at ``depth``: ``finite``
    where ``x`` is the inline expression's value (a finite Decimal within the bounds; its
    operands and literals joined by ``*`` and ``/`` only), else the formula's own."""
    names = formula.names
    if any(name in src.known for name in names):
        operands = [src.known[name][0] if name in src.known else f"f{i}"
                    for i, name in enumerate(names)]
        values = "{" + ", ".join(f"{name!r}: {x}" for name, x in zip(names, operands)) + "}"
    else:
        operands, values = [f"f{i}" for i in range(len(names))], "v"
    untyped = [x for name, x in zip(names, operands) if not src.typed(name, "number")]
    for i, name in enumerate(names):
        if operands[i] == f"f{i}":
            src.emit(f"f{i} = v.get({name!r})", depth)
    if untyped:  # the formula reads only its names
        src.emit("if " + " or ".join(f"type({x}) is not D" for x in untyped) + ": return None",
                 depth)
    inlined = inline_formula(formula, src) if names else None
    if inlined is None:
        src.emit(f"x = {fn}({values})", depth)
        if settle is not None:
            settle(depth, False)
        return
    expression, divisors = inlined
    for i in reversed(range(len(names))):  # f10 before f1
        expression = re.sub(rf"\bf{i}\b", operands[i], expression)
        divisors = tuple(operands[i] if d == f"f{i}" else d for d in divisors)
    tests = [f"{x}.is_finite()" for x in untyped] + list(divisors)
    if tests:
        src.emit("if " + " and ".join(tests) + ":", depth)  # finite, no zero divisor
    # Formula.__call__ bounds values of 10^18 or more, or below 10^-36: the formula then
    inner = depth + 1 if tests else depth
    src.emit(f"x = {expression}", inner)
    if settle is None:
        src.emit(f"if not -36 <= x.adjusted() < 18: x = {fn}({values})", inner)
        if tests:
            src.emit(f"else: x = {fn}({values})", depth)  # 0/0, x/0, Infinity: the readings
        return
    src.emit("if -36 <= x.adjusted() < 18:", inner)
    settle(inner + 1, True)
    for at in ([inner, depth] if tests else [inner]):
        src.emit("else:", at)
        src.emit(f"x = {fn}({values})", at + 1)
        settle(at + 1, False)
