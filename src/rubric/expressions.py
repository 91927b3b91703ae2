"""Safe formulas for derived facts and formula rules.

Formulas such as ``预算调整数 / 预算数 * 100`` are parsed once, when the ruleset is
built, by simpleeval's parser (Chinese identifiers work). Every node is checked
against a whitelist (arithmetic, comparisons, ``and``/``or``/``not``, ``x if c else y``
and the functions in ``FUNCTIONS``) and every name against the declared facts, with a
"did you mean". The checked tree is then compiled into nested closures over Decimal,
so evaluation never re-parses and costs about as much as hand-written code.

Division follows domain.md §3.6: ``x / 0`` is ``±Infinity`` (an unbounded overrun) and
``0 / 0`` is ``UNDEFINED`` (never 0); ``UNDEFINED`` propagates through arithmetic.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Container, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import attrs
import simpleeval

from .errors import FormulaError
from .facts import UNDEFINED, suggest

__all__ = ["FUNCTIONS", "Formula", "compile_formula", "safe_div"]

_INF = Decimal("Infinity")


def safe_div(a: Any, b: Any) -> Any:
    """``a / b`` with domain.md §3.6's reading of a zero denominator."""
    if a is UNDEFINED or b is UNDEFINED:
        return UNDEFINED
    if b == 0:
        if a == 0:
            return UNDEFINED
        return _INF if a > 0 else -_INF
    return a / b


def _arith(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        if a is UNDEFINED or b is UNDEFINED:
            return UNDEFINED
        try:
            return op(a, b)
        except InvalidOperation:  # e.g. Infinity - Infinity
            return UNDEFINED

    return apply


def _round(x: Decimal, places: Decimal | int = 0) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)


FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    "abs": abs,
    "min": min,
    "max": max,
    "round": _round,  # half-up, as the tables round
    "floor": lambda x: x.to_integral_value(rounding=ROUND_FLOOR),
    "ceil": lambda x: x.to_integral_value(rounding=ROUND_CEILING),
}

_BINOPS: Mapping[type, Callable[[Any, Any], Any]] = {
    ast.Add: _arith(operator.add),
    ast.Sub: _arith(operator.sub),
    ast.Mult: _arith(operator.mul),
    ast.Div: safe_div,
    ast.Mod: _arith(operator.mod),
    ast.Pow: _arith(operator.pow),
}
_COMPARE: Mapping[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ALLOWED = "+ - * / % **, comparisons, and/or/not, 'x if c else y', " + ", ".join(FUNCTIONS)

Compiled = Callable[[Mapping[str, Any]], Any]


@attrs.frozen
class Formula:
    """A checked, compiled formula; ``names`` are the facts it reads."""

    text: str
    names: tuple[str, ...]
    _fn: Compiled = attrs.field(eq=False, repr=False)

    def __call__(self, values: Mapping[str, Any]) -> Any:
        return self._fn(values)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_recompile, (self.text, self.names))


def _recompile(text: str, names: tuple[str, ...]) -> Formula:
    return compile_formula(text, names)


def compile_formula(text: str, known: Container[str], *, what: str = "formula") -> Formula:
    """Parse and check ``text``; FormulaError naming the problem and what is allowed."""
    try:
        tree = simpleeval.SimpleEval().parse(text.strip())
    except (SyntaxError, simpleeval.InvalidExpression) as exc:  # the latter: empty text
        raise FormulaError(
            f"{what} '{text}' is not a valid formula: {getattr(exc, 'msg', exc)}",
            expected="an arithmetic expression over declared facts",
            example="预算调整数 / 预算数 * 100",
        ) from None
    used: list[str] = []
    while isinstance(tree, (ast.Expression, ast.Expr)):
        tree = tree.body if isinstance(tree, ast.Expression) else tree.value
    fn = _compile(tree, text, known, used, what)
    return Formula(text, tuple(dict.fromkeys(used)), fn)


def _compile(node: ast.AST, text: str, known: Container[str], used: list[str], what: str
             ) -> Compiled:
    def sub(n: ast.AST) -> Compiled:
        return _compile(n, text, known, used, what)

    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, (bool, str)):
            return lambda _v: value
        if isinstance(value, (int, float)):
            const = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            return lambda _v: const
        raise _forbidden(node, text, what)
    if isinstance(node, ast.Name):
        name = node.id
        if name not in known:
            hint = suggest(name, known)
            raise FormulaError(
                f"{what} '{text}' uses unknown fact '{name}'"
                + (f" (did you mean '{hint}'?)" if hint else ""),
                expected="names of declared facts",
                example=hint or "预算数",
            )
        used.append(name)
        return lambda v: v[name]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        op, left, right = _BINOPS[type(node.op)], sub(node.left), sub(node.right)
        return lambda v: op(left(v), right(v))
    if isinstance(node, ast.UnaryOp):
        operand = sub(node.operand)
        if isinstance(node.op, ast.USub):
            return lambda v: UNDEFINED if (x := operand(v)) is UNDEFINED else -x
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.Not):
            return lambda v: UNDEFINED if (x := operand(v)) is UNDEFINED else not x
    if isinstance(node, ast.Compare) and all(type(o) in _COMPARE for o in node.ops):
        first = sub(node.left)
        pairs = [(_COMPARE[type(o)], sub(c)) for o, c in zip(node.ops, node.comparators)]

        def compare(v: Mapping[str, Any]) -> Any:
            left = first(v)
            for op, right_fn in pairs:
                right = right_fn(v)
                if left is UNDEFINED or right is UNDEFINED:
                    return UNDEFINED
                if not op(left, right):
                    return False
                left = right
            return True

        return compare
    if isinstance(node, ast.BoolOp):
        parts = [sub(x) for x in node.values]
        stop = not isinstance(node.op, ast.And)  # the value that short-circuits

        def boolop(v: Mapping[str, Any]) -> Any:
            for part in parts:
                x = part(v)
                if x is UNDEFINED:  # 0/0 decides nothing
                    return UNDEFINED
                if bool(x) is stop:
                    return stop
            return not stop

        return boolop
    if isinstance(node, ast.IfExp):
        test, body, orelse = sub(node.test), sub(node.body), sub(node.orelse)

        def ifexp(v: Mapping[str, Any]) -> Any:
            cond = test(v)
            if cond is UNDEFINED:
                return UNDEFINED
            return body(v) if cond else orelse(v)

        return ifexp
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in FUNCTIONS
        and not node.keywords
    ):
        func = FUNCTIONS[node.func.id]
        args = [sub(a) for a in node.args]

        def call(v: Mapping[str, Any]) -> Any:
            values = [a(v) for a in args]
            if any(x is UNDEFINED for x in values):
                return UNDEFINED
            return func(*values)

        return call
    raise _forbidden(node, text, what)


def _forbidden(node: ast.AST, text: str, what: str) -> FormulaError:
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id not in FUNCTIONS):
        hint = suggest(node.func.id, FUNCTIONS)
        return FormulaError(
            f"{what} '{text}' calls unknown function '{node.func.id}'"
            + (f" (did you mean '{hint}'?)" if hint else ""),
            expected="one of " + ", ".join(FUNCTIONS),
            example="min(完成数 / 计划数, 1)",
        )
    return FormulaError(
        f"{what} '{text}' uses a construct that is not allowed ({type(node).__name__})",
        expected=_ALLOWED,
        example="预算调整数 / 预算数 * 100",
    )


def dependency_order(formulas: Mapping[str, Formula]) -> list[str]:
    """Derived facts in evaluation order; FormulaError naming the cycle if there is one."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, stack: list[str]) -> None:
        mark = state.get(name)
        if mark == 2:
            return
        if mark == 1:
            cycle = [*stack[stack.index(name):], name]
            raise FormulaError(
                "derived facts form a cycle: " + " -> ".join(cycle),
                expected="formulas that do not depend on themselves",
            )
        state[name] = 1
        stack.append(name)
        for dep in formulas[name].names:
            if dep in formulas:
                visit(dep, stack)
        stack.pop()
        state[name] = 2
        order.append(name)

    for name in formulas:
        visit(name, [])
    return order
