"""Safe formulas for derived facts and formula rules.

Formulas such as ``预算调整数 / 预算数 * 100`` are parsed once, when the ruleset is
built, by Python's own parser in ``eval`` mode (Chinese identifiers work; anything but
exactly one expression is refused, as is a formula longer than ``MAX_FORMULA_LENGTH``
characters, deeper than ``MAX_FORMULA_DEPTH`` or with more than ``MAX_FORMULA_NODES``
nodes: docs/ruleset-format.md, "Limits"). Every node is checked
against a whitelist (arithmetic, comparisons, ``and``/``or``/``not``, ``x if c else y``
and the functions in ``FUNCTIONS``) and every name against the declared facts, with a
"did you mean". The checked tree is then compiled into nested closures over Decimal,
so evaluation never re-parses and costs about as much as hand-written code.

Division follows domain.md §3.6: ``x / 0`` is ``±Infinity`` (an unbounded overrun) and
``0 / 0`` is ``UNDEFINED`` (never 0); ``UNDEFINED`` propagates through arithmetic.

Formulas of derived facts compute in units (``compile_formula(..., unit=...)``): the
operands' declared units are known when the ruleset is built, so every conversion is a
Decimal constant multiplied in at compile time (``units.scale_of``), never pint per
evaluation. The rules, documented in docs/ruleset-format.md ("Formulas compute in units"):

- ``+ - %``, comparisons, ``min``/``max`` and both branches of ``x if c else y`` meet
  operands of one dimension: the right one is converted to the left one's unit (万元 + 元
  adds in 万元). A literal, or a fact without a unit meeting a dimensionless one (%),
  takes the other's unit as written (``100 - 满意度`` is percentage points).
- ``*`` and ``/`` combine units (元 / 万元 is a ratio, scaled by 0.0001).
- ``ratio * 100`` (or ``100 * ratio``), where ratio is dimensionless and not already in
  %, re-expresses the ratio in percent: the tables' "×100%". This is the one way a
  formula turns a ratio into a % fact; a % fact whose formula gives a bare ratio (no
  ``* 100``) is refused (FormulaError), never silently read as 0.9 %.
- The result is converted to the derived fact's declared unit. A fact without a unit
  takes a dimensionless result as a plain number (percent numbers stay percent numbers,
  as before). A result of another dimension (万元 for a % fact) cannot convert: with
  ``strict`` (the loader) it is an error naming both units; otherwise the formula keeps
  its raw numbers and ``rubric check`` reports the mismatch as an error, as it reports
  a formula that mixes dimensions (万元 + 人).
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Container, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import attrs

from .errors import FormulaError
from .facts import UNDEFINED, suggest
from .numbers import problem as number_problem
from .units import BUILTIN, UnitSystem, scale_of

__all__ = [
    "FUNCTIONS", "MAX_FORMULA_DEPTH", "MAX_FORMULA_LENGTH", "MAX_FORMULA_NODES", "Formula",
    "compile_formula", "parse_formula", "safe_div",
]

#: the longest formula text (a table's longest formula is ~100 characters)
MAX_FORMULA_LENGTH = 2000
#: the deepest formula tree (each operator or call is one level: a sum of n terms is n
#: deep, so this also bounds a sum written out to 100 terms)
MAX_FORMULA_DEPTH = 100
#: the most nodes in a formula tree (names, literals, operators)
MAX_FORMULA_NODES = 500

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
    """A checked, compiled formula; ``names`` are the facts it reads.

    ``units`` (operand name -> declared unit) and ``unit`` (the result's declared unit)
    are set when the formula computes in units; ``reading`` says how its result was
    brought to ``unit`` (e.g. "元/万元 × 100 → %"), for explanations.
    """

    text: str
    names: tuple[str, ...]
    _fn: Compiled = attrs.field(eq=False, repr=False)
    units: tuple[tuple[str, str | None], ...] | None = attrs.field(default=None, eq=False)
    unit: str | None = attrs.field(default=None, eq=False)
    reading: str = attrs.field(default="", eq=False)
    system: UnitSystem = attrs.field(default=BUILTIN, eq=False, repr=False)

    def __call__(self, values: Mapping[str, Any]) -> Any:
        return self._fn(values)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_recompile, (self.text, self.names, self.units, self.unit, self.system))


def _recompile(text: str, names: tuple[str, ...],
               units: tuple[tuple[str, str | None], ...] | None = None,
               unit: str | None = None, system: UnitSystem = BUILTIN) -> Formula:
    if units is None:
        return compile_formula(text, names)
    return compile_formula(text, _Units(dict(units)), unit=unit, system=system)


class _Units(dict[str, "str | None"]):
    """Operand units for recompiling a pickled formula (name -> declared unit)."""


_KEEP: Any = object()  # compile_formula(unit=...) not given: numbers as written, no units


def _operand_units(known: Container[str]) -> dict[str, Any]:
    """name -> declared unit for the number facts of ``known`` (``_UNKNOWN`` otherwise)."""
    if isinstance(known, _Units):
        return dict(known)
    out: dict[str, Any] = {}
    if isinstance(known, Mapping):
        for name, spec in known.items():
            kind = getattr(spec, "type", None)
            if kind == "number":
                out[name] = spec.unit
            elif kind is not None:
                out[name] = _NOT_NUMBER
    return out


def _system_of(known: Container[str]) -> UnitSystem:
    """The unit system of the declared facts in ``known`` (a ruleset's declared units)."""
    if isinstance(known, Mapping):
        for spec in known.values():
            system = getattr(spec, "unit_system", None)
            if isinstance(system, UnitSystem):
                return system
    return BUILTIN


_NOT_NUMBER: Any = object()  # a boolean, date or category fact: no unit, takes part as is


def compile_formula(text: str, known: Container[str], *, what: str = "formula",
                    unit: Any = _KEEP, strict: bool = False,
                    system: UnitSystem | None = None) -> Formula:
    """Parse and check ``text``; FormulaError naming the problem and what is allowed.

    With ``unit`` (the declared unit of the derived fact, None for a plain number) and
    ``known`` a mapping of ``FactSpec``, the formula computes in units (module doc);
    ``strict`` also refuses a result whose dimension does not fit ``unit``. ``system``
    (by default the facts' own) holds the units a ruleset declares.
    """
    tree = parse_formula(text, what)
    used: list[str] = []
    if unit is _KEEP:
        fn = _compile(tree, text, known, used, what, None)
        return Formula(text, tuple(dict.fromkeys(used)), fn)
    system = _system_of(known) if system is None else system
    ctx = _UnitCtx(_operand_units(known), isinstance(known, _Units), system)
    fn = _compile(tree, text, known, used, what, ctx)
    names = tuple(dict.fromkeys(used))
    if ctx.broken:  # mixed dimensions: raw numbers, as written; rubric check reports it
        return Formula(text, names, _compile(tree, text, known, [], what, None))
    fn, reading = _to_declared(fn, ctx.of(tree), unit, text, what, strict, system)
    units = tuple((n, ctx.units[n]) for n in names
                  if n in ctx.units and ctx.units[n] is not _NOT_NUMBER)
    return Formula(text, names, fn, units, unit, reading, system)


def _invalid(text: str, what: str, why: str) -> FormulaError:
    shown = text if len(text) <= 80 else text[:60] + f"... ({len(text)} characters)"
    return FormulaError(f"{what} '{shown}' is not a valid formula: {why}",
                        expected="one arithmetic expression over declared facts",
                        example="预算调整数 / 预算数 * 100")


def parse_formula(text: str, what: str = "formula") -> ast.AST:
    """The expression tree of ``text``: exactly one expression (``ast.parse`` in ``eval``
    mode), within the limits of the module doc; FormulaError otherwise."""
    if len(text) > MAX_FORMULA_LENGTH:
        raise _invalid(text, what, f"longer than {MAX_FORMULA_LENGTH} characters")
    source = text.strip()
    if not source:
        raise _invalid(text, what, "it is empty")
    try:
        tree: ast.AST = ast.parse(source, mode="eval").body
    except SyntaxError as exc:
        raise _invalid(text, what, str(exc.msg)) from None
    except (RecursionError, MemoryError, ValueError):  # nested too deep for the parser
        raise _invalid(text, what, f"nested deeper than {MAX_FORMULA_DEPTH} levels") from None
    nodes = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > MAX_FORMULA_NODES:
            raise _invalid(text, what, f"more than {MAX_FORMULA_NODES} terms and operators")
        if depth > MAX_FORMULA_DEPTH:
            raise _invalid(text, what, f"nested deeper than {MAX_FORMULA_DEPTH} levels")
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            value = node.value
            reason = number_problem(Decimal(repr(value)) if isinstance(value, float)
                                    else Decimal(value))
            if reason:
                raise _invalid(text, what, f"the number {value!r:.40} {reason}")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if not isinstance(child, (ast.expr_context, ast.operator, ast.unaryop,
                                               ast.cmpop, ast.boolop)))
    return tree


# ------------------------------------------------------------------ units of formulas


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


class _UnitCtx:
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
        unit = self.units.get(name, _NOT_NUMBER if self.recompiled else None)
        if name not in self.units and not self.recompiled:  # a fact that failed to load
            self.broken = True
        if unit is _NOT_NUMBER or name not in self.units:
            self.unit_of[id(node)] = ANY_U
            return
        dims, scale = scale_of(unit, self.system)
        self.unit_of[id(node)] = U(dims, scale, plain=unit is None,
                                   percent=bool(unit) and not dims and scale < 1,
                                   label=unit or "")


def _scaled(fn: Compiled, factor: Decimal) -> Compiled:
    if factor == 1:
        return fn

    def scaled(v: Mapping[str, Any]) -> Any:
        x = fn(v)
        if x is UNDEFINED or isinstance(x, bool):
            return x
        return x * factor

    return scaled


def _same(ctx: _UnitCtx, nodes: list[ast.AST], fns: list[Compiled]) -> tuple[list[Compiled],
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
            out.append(_scaled(fn, u.scale / target.scale))
    return out, target


def _combine(a: U | None, b: U | None, sign: int) -> U | None:
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


def _to_declared(fn: Compiled, result: U | None, unit: str | None, text: str, what: str,
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
    return _scaled(fn, factor), f"{result.label} → {shown_to} (× {factor.normalize():f})"


def _binop_units(ctx: _UnitCtx, node: ast.BinOp, left: Compiled, right: Compiled
                 ) -> tuple[Compiled, Compiled]:
    lu, ru = ctx.of(node.left), ctx.of(node.right)
    op = type(node.op)
    if op in (ast.Add, ast.Sub, ast.Mod):
        (left, right), u = _same(ctx, [node.left, node.right], [left, right])
    elif op is ast.Mult and lu is not None and ru is None and _is_hundred(node.right) \
            and not lu.dims and not lu.percent:
        u = _percent_of(lu)
    elif op is ast.Mult and ru is not None and lu is None and _is_hundred(node.left) \
            and not ru.dims and not ru.percent:
        u = _percent_of(ru)
    elif op in (ast.Mult, ast.Div):
        u = _combine(lu, ru, 1 if op is ast.Mult else -1)
    else:  # ** : a power of a unit is beyond what formulas of these tables need
        u = lu
        if (lu is not None and (lu.dims or lu.scale != 1)) or ru is not None:
            ctx.broken = True
    ctx.unit_of[id(node)] = u
    return left, right


def _compile(node: ast.AST, text: str, known: Container[str], used: list[str], what: str,
                  ctx: _UnitCtx | None) -> Compiled:
    def sub(n: ast.AST) -> Compiled:
        return _compile(n, text, known, used, what, ctx)

    def put(u: U | None) -> None:
        if ctx is not None:
            ctx.unit_of[id(node)] = u

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
        if ctx is not None:
            ctx.name(node, name)
        return lambda v: v[name]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        op, left, right = _BINOPS[type(node.op)], sub(node.left), sub(node.right)
        if ctx is not None:
            left, right = _binop_units(ctx, node, left, right)
        return lambda v: op(left(v), right(v))
    if isinstance(node, ast.UnaryOp):
        operand = sub(node.operand)
        if ctx is not None and not isinstance(node.op, ast.Not):
            put(ctx.of(node.operand))
        if isinstance(node.op, ast.USub):
            return lambda v: UNDEFINED if (x := operand(v)) is UNDEFINED else -x
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.Not):
            return lambda v: UNDEFINED if (x := operand(v)) is UNDEFINED else not x
    if isinstance(node, ast.Compare) and all(type(o) in _COMPARE for o in node.ops):
        first = sub(node.left)
        rest = [sub(c) for c in node.comparators]
        if ctx is not None:
            first, *rest = _same(ctx, [node.left, *node.comparators], [first, *rest])[0]
        pairs = [(_COMPARE[type(o)], c) for o, c in zip(node.ops, rest)]

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
        if ctx is not None:
            (body, orelse), u = _same(ctx, [node.body, node.orelse], [body, orelse])
            put(u)

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
        if ctx is not None and args:
            if node.func.id in ("min", "max"):
                args, u = _same(ctx, list(node.args), args)
                put(u)
            else:
                put(ctx.of(node.args[0]))

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
