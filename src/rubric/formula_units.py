"""The units of formulas: what unit each part of a formula computes in, and the exact
conversions ``expressions.compile_formula`` multiplies in when the ruleset is built (the
rules are in ``rubric.expressions``' module doc and docs/ruleset-format.md, "Formulas
compute in units")."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from .errors import FormulaError
from .facts import UNDEFINED
from .units import BUILTIN, UnitSystem, scale_of

__all__ = ["ANY_U", "NOT_NUMBER", "Compiled", "DeclaredUnits", "U", "UnitCtx", "binop_units",
           "combine", "same_unit", "scaled_by", "to_declared"]

Compiled = Callable[[Mapping[str, Any]], Any]
NOT_NUMBER: Any = object()  # a boolean, date or category fact: no unit, takes part as is


@attrs.frozen
class U:
    """A subexpression's unit: base dimensions, exact factor to the base unit, and
    whether it is a fact without a unit (``plain``) or expressed in % (``percent``)."""

    dims: tuple[tuple[str, int], ...]
    scale: Decimal
    plain: bool = False
    percent: bool = False
    label: str = ""


ANY_U: Any = None  # a literal: takes the unit of what it meets
_HUNDRED = Decimal(100)
_PCT = Decimal("0.01")


_ABSENT: Any = object()


class DeclaredUnits(Mapping[str, Any]):
    """The units of the declared facts a formula reads, each looked up once when asked for;
    a name without a declaration (or one that failed to load) is not in it."""

    def __init__(self, known: Mapping[str, Any]) -> None:
        self._known = known
        self._memo: dict[str, Any] = {}

    def _entry(self, name: str) -> Any:
        entry = self._memo.get(name, _ABSENT)
        if entry is _ABSENT:
            spec: Any = self._known.get(name)
            kind = None if spec is None else getattr(spec, "type", None)
            entry = spec.unit if kind == "number" else _ABSENT if kind is None else NOT_NUMBER
            self._memo[name] = entry
        return entry

    def __getitem__(self, name: str) -> Any:
        entry = self._entry(name)
        if entry is _ABSENT:
            raise KeyError(name)
        return entry

    def get(self, name: str, default: Any = None) -> Any:
        entry = self._entry(name)
        return default if entry is _ABSENT else entry

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._entry(name) is not _ABSENT

    def __iter__(self) -> Iterator[str]:
        return (n for n, e in self._memo.items() if e is not _ABSENT)

    def __len__(self) -> int:
        return sum(1 for e in self._memo.values() if e is not _ABSENT)


class UnitCtx:
    def __init__(self, units: Mapping[str, Any], recompiled: bool = False,
                 system: UnitSystem = BUILTIN) -> None:
        self.units = units
        self.system = system
        self.recompiled = recompiled
        self.unit_of: dict[int, U | None] = {}
        self.broken = False

    def of(self, node: ast.AST) -> U | None:
        return self.unit_of.get(id(node))

    def name(self, node: ast.AST, name: str) -> None:
        unit = self.units.get(name, NOT_NUMBER if self.recompiled else None)
        if name not in self.units and not self.recompiled:  # a fact that failed to load
            self.broken = True
        if unit is NOT_NUMBER or name not in self.units:
            self.unit_of[id(node)] = ANY_U
            return
        dims, scale = scale_of(unit, self.system)
        self.unit_of[id(node)] = U(dims, scale, plain=unit is None,
                                   percent=bool(unit) and not dims and scale < 1,
                                   label=unit or "")


def scaled_by(fn: Compiled, factor: Decimal) -> Compiled:
    if factor == 1:
        return fn

    def scaled(v: Mapping[str, Any]) -> Any:
        x = fn(v)
        if x is UNDEFINED or isinstance(x, bool):
            return x
        return x * factor

    return scaled


def same_unit(ctx: UnitCtx, nodes: list[ast.AST], fns: list[Compiled]) -> tuple[list[Compiled],
                                                                          U | None]:
    """Operands of one dimension, converted to the first one's unit."""
    target: U | None = None
    for n in nodes:
        u = ctx.of(n)
        if u is not None and not u.plain:
            target = u
            break
    if target is None:
        units = [ctx.of(n) for n in nodes]
        target = next((u for u in units if u is not None), None)
        return fns, target
    out = []
    for n, fn in zip(nodes, fns):
        u = ctx.of(n)
        if u is None or u == target or (u.plain and not target.dims):
            out.append(fn)
        elif u.dims != target.dims:
            ctx.broken = True
            out.append(fn)
        else:
            out.append(scaled_by(fn, u.scale / target.scale))
    return out, target


def combine(a: U | None, b: U | None, sign: int) -> U | None:
    if b is None:  # x * 2, x / 2: the unit of x
        return a
    if a is None:
        if sign > 0:
            return b
        a = U((), Decimal(1), plain=b.plain)  # 1 / x
    dims = dict(a.dims)
    for k, v in b.dims:
        dims[k] = dims.get(k, 0) + sign * v
    scale = a.scale * b.scale if sign > 0 else a.scale / b.scale
    percent = (a.percent != b.percent) if sign < 0 else (a.percent or b.percent)
    return U(tuple(sorted((k, v) for k, v in dims.items() if v)), scale,
             plain=a.plain and b.plain, percent=percent and not any(dims.values()),
             label=_label(a, b, "/" if sign < 0 else "×"))


def _label(a: U, b: U, op: str) -> str:
    if a.label and b.label:
        return f"{a.label}{op}{b.label}"
    return a.label or b.label


def _is_hundred(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and not isinstance(node.value, bool)
            and isinstance(node.value, (int, float)) and node.value == 100)


def _percent_of(ratio: U) -> U:
    """``ratio * 100``: the same value in percent numbers."""
    return U((), ratio.scale * _PCT, percent=True, label=(ratio.label or "1") + " × 100")


def to_declared(fn: Compiled, result: U | None, unit: str | None, text: str, what: str,
                 strict: bool, system: UnitSystem = BUILTIN) -> tuple[Compiled, str]:
    """``fn`` converted to the declared unit, and the reading applied (for explanations)."""
    if result is None:  # only literals: the number as written
        return fn, ""
    dims, scale = scale_of(unit, system)
    declared_percent = bool(unit) and not dims and scale < 1
    shown = unit or "a pure number"
    if result.dims != dims:
        if strict:
            got = " * ".join(k if v == 1 else f"{k}**{v}" for k, v in result.dims) \
                or "a pure number"
            raise FormulaError(
                f"{what} '{text}' gives {got} ({result.label or 'no unit'}), which cannot "
                f"convert to its declared unit {shown}",
                expected=f"a formula whose result converts to {shown}",
                example="预算调整数 / 预算数 * 100" if declared_percent else None)
        return fn, ""  # rubric check reports it (unit-mismatch)
    if declared_percent and not result.percent:
        raise FormulaError(
            f"{what} '{text}' gives a ratio ({result.label or 'a pure number'}) but the fact "
            f"is declared in {unit}: a ratio is read as percent only when the formula "
            "multiplies it by 100 (×100%)",
            expected=f"the ratio × 100 for a fact in {unit}",
            example=f"({text}) * 100")
    if not dims and not declared_percent:  # a fact without a unit: percent stays percent
        target = _PCT if result.percent else Decimal(1)
    else:
        target = scale
    factor = result.scale / target
    if factor == 1:
        return fn, ""
    shown_to = unit or ("%" if result.percent else "1")
    return scaled_by(fn, factor), f"{result.label} → {shown_to} (× {factor.normalize():f})"


def binop_units(ctx: UnitCtx, node: ast.BinOp, left: Compiled, right: Compiled
                 ) -> tuple[Compiled, Compiled]:
    lu, ru = ctx.of(node.left), ctx.of(node.right)
    op = type(node.op)
    if op in (ast.Add, ast.Sub, ast.Mod):
        (left, right), u = same_unit(ctx, [node.left, node.right], [left, right])
    elif op is ast.Mult and lu is not None and ru is None and _is_hundred(node.right) \
            and not lu.dims and not lu.percent:
        u = _percent_of(lu)
    elif op is ast.Mult and ru is not None and lu is None and _is_hundred(node.left) \
            and not ru.dims and not ru.percent:
        u = _percent_of(ru)
    elif op in (ast.Mult, ast.Div):
        u = combine(lu, ru, 1 if op is ast.Mult else -1)
    else:  # ** : a power of a unit is beyond what formulas of these tables need
        u = lu
        if (lu is not None and (lu.dims or lu.scale != 1)) or ru is not None:
            ctx.broken = True
    ctx.unit_of[id(node)] = u
    return left, right
