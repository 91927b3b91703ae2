"""Formulas under analysis: the dimension of a formula's result (units), and interval
arithmetic over declared fact domains, for ``rubric check``."""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from ..rules.analysis import hi_or_inf, lo_or_inf
from .messages import Message, msg

__all__ = ["ANY", "Dims", "Intervals", "dim_text", "dimension_of", "divisions"]

ZERO = Decimal(0)
ONE = Decimal(1)
INF = Decimal("Infinity")


ANY: Any = object()  # a bare number: takes the dimension of what it meets


def dimension_of(unit: str | None, system: Any = None) -> dict[str, int]:
    """Base dimensions of ``unit`` ({} for a pure number or %) among the units of
    ``system`` (a ruleset's ``unit_system``; the built-in units by default)."""
    from ..units import BUILTIN, normalize_unit, registry

    system = BUILTIN if system is None else system
    name = normalize_unit(unit, system)
    if name is None:
        return {}
    dims = dict(registry(system).parse_units(name).dimensionality)
    return {str(k): int(str(v)) for k, v in dims.items() if v}


def dim_text(dim: dict[str, int], unit: str | None) -> str | Message:
    """A dimension as a message parameter: ``[currency] (万元)``, or a pure number."""
    if not dim:
        return msg("part", "pure-unit", unit=unit) if unit else msg("part", "pure")
    text = " * ".join(k if v == 1 else f"{k}**{v}" for k, v in sorted(dim.items()))
    return text + (f" ({unit})" if unit else "")


def combine(a: dict[str, int], b: dict[str, int], sign: int) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + sign * v
        if not out[k]:
            del out[k]
    return out


class Dims:
    """Dimensional analysis of one formula; ``problems`` lists every mismatch."""

    def __init__(self, ch: Any, source: str) -> None:
        self.ch = ch
        self.source = source
        self.problems: list[Message] = []

    def text(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.source, node) or "?"

    def same(self, nodes: Sequence[ast.AST], dims: Sequence[Any], verb: str,
             func: str | None = None) -> Any:
        """The common dimension of ``nodes``; a mismatch is a problem named by ``verb``
        (the catalog variant: ``adds``, ``compares``, ``takes`` ``func`` ...)."""
        known = [(n, d) for n, d in zip(nodes, dims) if d is not ANY]
        for (n1, d1), (n2, d2) in itertools.pairwise(known):
            if d1 != d2:
                extra = {"func": func} if func is not None else {}
                self.problems.append(msg(
                    "unit-mismatch", verb, a=self.text(n1), a_dim=dim_text(d1, self.unit_of(n1)),
                    b=self.text(n2), b_dim=dim_text(d2, self.unit_of(n2)), **extra))
                return ANY
        return known[0][1] if known else ANY

    def unit_of(self, node: ast.AST) -> str | None:
        return self.ch.unit(node.id) if isinstance(node, ast.Name) else None

    def visit(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return ANY
        if isinstance(node, ast.Name):
            dim = self.ch.unit_dim(node.id)
            return ANY if dim is None else dim
        if isinstance(node, ast.BinOp):
            left, right = self.visit(node.left), self.visit(node.right)
            if isinstance(node.op, (ast.Add, ast.Sub, ast.Mod)):
                verb = {ast.Add: "adds", ast.Sub: "subtracts"}.get(type(node.op), "remainder")
                return self.same([node.left, node.right], [left, right], verb)
            if isinstance(node.op, (ast.Mult, ast.Div)):
                if left is ANY and right is ANY:
                    return ANY
                sign = 1 if isinstance(node.op, ast.Mult) else -1
                return combine(left if left is not ANY else {},
                                right if right is not ANY else {}, sign)
            if isinstance(node.op, ast.Pow):
                if left is ANY or not left:
                    return left
                if isinstance(node.right, ast.Constant) and isinstance(node.right.value, int):
                    return {k: v * node.right.value for k, v in left.items()}
                return ANY
            return ANY
        if isinstance(node, ast.UnaryOp):
            inner = self.visit(node.operand)
            return ANY if isinstance(node.op, ast.Not) else inner
        if isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
            self.same(parts, [self.visit(p) for p in parts], "compares")
            return ANY
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self.visit(value)
            return ANY
        if isinstance(node, ast.IfExp):
            self.visit(node.test)
            return self.same([node.body, node.orelse],
                             [self.visit(node.body), self.visit(node.orelse)],
                             "either")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            dims = [self.visit(a) for a in node.args]
            if node.func.id in ("min", "max"):
                return self.same(node.args, dims, "takes", node.func.id)
            if node.func.id in ("abs", "floor", "ceil", "round") and dims:
                return dims[0]
        return ANY


def divisions(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            yield node.right


class Intervals:
    """Interval arithmetic over declared fact domains (sound, not always tight)."""

    WHOLE = (-INF, INF)

    def __init__(self, ch: Any) -> None:
        self.ch = ch
        self.active: set[str] = set()

    def name(self, name: str) -> tuple[Decimal, Decimal]:
        spec = self.ch.ruleset.specs.get(name)
        if spec is None or spec.type != "number":
            return self.WHOLE
        lo, hi = lo_or_inf(spec.minimum), hi_or_inf(spec.maximum)
        if spec.formula is not None and name not in self.active:
            self.active.add(name)
            try:
                flo, fhi = self.visit(ast.parse(spec.formula.strip(), mode="eval").body)
            finally:
                self.active.discard(name)
            lo, hi = max(lo, flo), min(hi, fhi)
            if lo > hi:  # the formula never lands in the declared domain
                return self.WHOLE
        return lo, hi

    def visit(self, node: ast.AST) -> tuple[Decimal, Decimal]:
        try:
            return self._visit(node)
        except (InvalidOperation, ArithmeticError, TypeError, ValueError):
            return self.WHOLE

    def _visit(self, node: ast.AST) -> tuple[Decimal, Decimal]:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            v = Decimal(repr(node.value)) if isinstance(node.value, float) else Decimal(node.value)
            return v, v
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            lo, hi = self.visit(node.operand)
            return -hi, -lo
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
            return self.visit(node.operand)
        if isinstance(node, ast.BinOp):
            a, b = self.visit(node.left), self.visit(node.right)
            if isinstance(node.op, ast.Add):
                return a[0] + b[0], a[1] + b[1]
            if isinstance(node.op, ast.Sub):
                return a[0] - b[1], a[1] - b[0]
            if isinstance(node.op, ast.Mult):
                return mul(a, b)
            if isinstance(node.op, ast.Div):
                if b[0] == 0 and a[0] >= 0:  # x/0 of a non-negative x is +∞ (§3.6)
                    return (a[0] / b[1] if b[1].is_finite() and b[1] > 0 else ZERO), INF
                if b[0] <= 0 <= b[1]:
                    return self.WHOLE
                return mul(a, (ONE / b[1], ONE / b[0]))
            return self.WHOLE
        if isinstance(node, ast.IfExp):
            a, b = self.visit(node.body), self.visit(node.orelse)
            return min(a[0], b[0]), max(a[1], b[1])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            args = [self.visit(x) for x in node.args]
            if node.func.id == "min":
                return min(x[0] for x in args), min(x[1] for x in args)
            if node.func.id == "max":
                return max(x[0] for x in args), max(x[1] for x in args)
            if node.func.id == "abs":
                lo, hi = args[0]
                if lo >= 0:
                    return lo, hi
                if hi <= 0:
                    return -hi, -lo
                return ZERO, max(-lo, hi)
        return self.WHOLE


def mul(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal]:
    products = []
    for x in a:
        for y in b:
            if (x == 0 and y.is_infinite()) or (y == 0 and x.is_infinite()):
                products.append(ZERO)
            else:
                products.append(x * y)
    return min(products), max(products)
