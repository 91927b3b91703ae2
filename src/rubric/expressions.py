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
import decimal
import keyword
import operator
import re
from collections.abc import Callable, Container, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import attrs

from .errors import EvaluationError, FormulaError, RubricError
from .facts import UNDEFINED, suggest
from .formula_units import (
    NOT_NUMBER,
    Compiled,
    DeclaredUnits,
    U,
    UnitCtx,
    binop_units,
    same_unit,
    to_declared,
)
from .numbers import MAX_PLACES, computed
from .numbers import problem as number_problem
from .units import BUILTIN, UnitSystem

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
    if not (isinstance(places, (int, Decimal)) and not isinstance(places, bool)
            and -MAX_PLACES <= places <= MAX_PLACES and places == int(places)):
        raise EvaluationError(f"round(x, n) takes a whole n from -{MAX_PLACES} to "
                              f"{MAX_PLACES}, got {str(places)[:40]}",
                              expected="a whole number of places", example="round(x, 2)")
    return x.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)


def _power(a: Any, b: Any) -> Any:
    """``a ** b``; a result beyond 10^18 in magnitude (or beyond Decimal's range) is an
    EvaluationError, never an overflow nor a number that prints a megabyte."""
    if a is UNDEFINED or b is UNDEFINED:
        return UNDEFINED
    try:
        result = a ** b
    except InvalidOperation:  # e.g. (-8) ** 0.5, 0 ** 0
        return UNDEFINED
    except ZeroDivisionError:  # 0 ** -1 is 1 / 0
        return _INF
    except ArithmeticError:  # decimal.Overflow where it is trapped
        result = None
    if isinstance(result, Decimal):
        overflow = result.is_infinite() and a != 0 and all(  # 0 ** -1 is 1 / 0: +∞
            not isinstance(x, Decimal) or x.is_finite() for x in (a, b))
        if not overflow and computed(result) is not None:
            return result
    elif result is not None:
        return result
    raise EvaluationError(f"{str(a)[:40]} ** {str(b)[:40]} is beyond rubric's numeric "
                          "domain (at most 10^18 in magnitude)",
                          expected="a power of a realistic size")


#: how many arguments each function takes (at least, at most)
ARITY: Mapping[str, tuple[int, int]] = {
    "abs": (1, 1), "min": (2, MAX_FORMULA_NODES), "max": (2, MAX_FORMULA_NODES),
    "round": (1, 2), "floor": (1, 1), "ceil": (1, 1)}


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
    ast.Pow: _power,
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
    what: str = attrs.field(default="formula", eq=False, repr=False)

    def __call__(self, values: Mapping[str, Any]) -> Any:
        """The formula's value for ``values``; EvaluationError naming the formula when it
        cannot be computed (operands of the wrong type, a result beyond the numeric
        domain: ``numbers.computed``), never another exception."""
        try:
            x = self._fn(values)
        except RubricError as exc:
            raise EvaluationError(f"{self.what} '{self.text}': {exc.message}",
                                  expected=exc.expected, example=exc.example) from None
        except (ArithmeticError, TypeError, AttributeError, ValueError) as exc:
            arithmetic = isinstance(exc, ArithmeticError)
            raise EvaluationError(
                f"{self.what} '{self.text}' cannot be computed for these values "
                f"({type(exc).__name__})", expected="numbers of a realistic size for every "
                "fact it uses" if arithmetic else "numbers (not text, dates or yes/no) "
                "where it computes") from None
        if type(x) is Decimal:
            adjusted = x.adjusted()
            if adjusted >= 18 or adjusted < -36:  # rare: beyond the domain, or tiny
                bounded = computed(x)
                if bounded is None:
                    raise EvaluationError(
                        f"{self.what} '{self.text}' gives {x:.6E}, beyond rubric's numeric "
                        "domain (at most 10^18 in magnitude)",
                        expected="inputs (or a formula) that keep it of a realistic size")
                return bounded
        return x

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_recompile, (self.text, self.names, self.units, self.unit, self.system,
                             self.what))


def _recompile(text: str, names: tuple[str, ...],
               units: tuple[tuple[str, str | None], ...] | None = None,
               unit: str | None = None, system: UnitSystem = BUILTIN,
               what: str = "formula") -> Formula:
    if units is None:
        return compile_formula(text, names, what=what)
    return compile_formula(text, _Units(dict(units)), unit=unit, system=system, what=what)


class _Units(dict[str, "str | None"]):
    """Operand units for recompiling a pickled formula (name -> declared unit)."""


_KEEP: Any = object()  # compile_formula(unit=...) not given: numbers as written, no units


def _operand_units(known: Container[str], tree: ast.AST) -> Mapping[str, Any]:
    """name -> declared unit for the number facts of ``known`` (``NOT_NUMBER`` for other
    facts), looked up as the formula's names are met: only those, so compiling a ruleset's
    formulas is linear in its size."""
    if isinstance(known, _Units):
        return dict(known)
    if isinstance(known, Mapping):
        return DeclaredUnits(known)
    return {}


def _system_of(known: Container[str]) -> UnitSystem:
    """The unit system of the declared facts in ``known`` (a ruleset's declared units)."""
    if isinstance(known, Mapping):
        for spec in known.values():
            system = getattr(spec, "unit_system", None)
            if isinstance(system, UnitSystem):
                return system
    return BUILTIN


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
        return Formula(text, tuple(dict.fromkeys(used)), fn, what=what)
    system = _system_of(known) if system is None else system
    ctx = UnitCtx(_operand_units(known, tree), isinstance(known, _Units), system)
    fn = _compile(tree, text, known, used, what, ctx)
    names = tuple(dict.fromkeys(used))
    if ctx.broken:  # mixed dimensions: raw numbers, as written; rubric check reports it
        return Formula(text, names, _compile(tree, text, known, [], what, None), what=what)
    fn, reading = to_declared(fn, ctx.of(tree), unit, text, what, strict, system)
    units = tuple((n, ctx.units[n]) for n in names
                  if n in ctx.units and ctx.units[n] is not NOT_NUMBER)
    return Formula(text, names, fn, units, unit, reading, system, what)


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
    shape = _shape(source)
    if shape is not None and shape in _CHECKED_SHAPES:
        return tree  # a formula of this shape passed the checks below: this one does too
    _check_limits(tree, text, what)
    if shape is not None:
        if len(_CHECKED_SHAPES) >= _MAX_SHAPES:
            _CHECKED_SHAPES.clear()
        _CHECKED_SHAPES.add(shape)
    return tree


#: one token per identifier of a formula's text (not after a digit, letter or '.': never a
#: part of a number such as 1e5 or of an attribute)
_IDENTIFIER = re.compile(r"(?<![\w.])[^\W\d]\w*")
_KEYWORDS = frozenset(keyword.kwlist)
#: shapes (``_shape``) of formulas whose tree passed ``_check_limits``; only the fact of
#: passing is kept, never a tree nor a name, so nothing of one formula reaches another
_CHECKED_SHAPES: set[str] = set()
_MAX_SHAPES = 4096


def _shape(source: str) -> str | None:
    """``source`` with every identifier but a keyword replaced by one mark: two formulas of
    one shape that both parse have trees alike but for the names (the same nodes, depths
    and literals), so ``_check_limits`` gives both the same verdict. None (no shortcut)
    for text with quotes, comments, escapes or the mark itself, where an identifier-like
    run of characters might not be a name."""
    if any(c in source for c in "'\"#\\\x00"):
        return None
    return _IDENTIFIER.sub(_mark, source)


def _mark(m: re.Match[str]) -> str:
    word = m.group()
    return word if word in _KEYWORDS else "\x00"


def _check_limits(tree: ast.AST, text: str, what: str) -> None:
    """FormulaError for a tree beyond the limits of the module doc or with a literal
    number outside rubric's numeric domain."""
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


_CONSTANT_CONTEXT = decimal.Context(prec=34, traps=[InvalidOperation, decimal.DivisionByZero,
                                                      decimal.Overflow])


def _compile(node: ast.AST, text: str, known: Container[str], used: list[str], what: str,
             ctx: UnitCtx | None) -> Compiled:
    """``_compile_node``; a part over literals only (``9 ** 9 ** 9``, ``round(x, 10 ** 9)``'s
    places) is computed once here, so one that cannot be is refused at load."""
    before = len(used)
    fn = _compile_node(node, text, known, used, what, ctx)
    if len(used) == before and isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Call)):
        try:
            with decimal.localcontext(_CONSTANT_CONTEXT):
                value = fn({})
        except RubricError as exc:
            raise _invalid(text, what, exc.message) from None
        except (ArithmeticError, TypeError, AttributeError, ValueError) as exc:
            raise _invalid(text, what, f"it cannot be computed ({type(exc).__name__})") \
                from None
        if isinstance(value, Decimal) and computed(value) is None:
            raise _invalid(text, what, f"a part of it gives {value:.6E}, beyond rubric's "
                           "numeric domain (at most 10^18 in magnitude)")
    return fn


def _compile_node(node: ast.AST, text: str, known: Container[str], used: list[str], what: str,
                  ctx: UnitCtx | None) -> Compiled:
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
            left, right = binop_units(ctx, node, left, right)
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
            first, *rest = same_unit(ctx, [node.left, *node.comparators], [first, *rest])[0]
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
            (body, orelse), u = same_unit(ctx, [node.body, node.orelse], [body, orelse])
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
        fewest, most = ARITY[node.func.id]
        if not fewest <= len(node.args) <= most or any(isinstance(a, ast.Starred)
                                                         for a in node.args):
            raise _invalid(text, what, f"{node.func.id}() takes "
                           + (f"{fewest}" if fewest == most else f"{fewest} to {most}"
                              if most < 10 else f"at least {fewest}") + " arguments")
        args = [sub(a) for a in node.args]
        if func is _round and len(args) == 2 and not any(
                isinstance(n, ast.Name) for n in ast.walk(node.args[1])):
            try:  # places written as a literal: checked now, at load
                _round(Decimal(1), args[1]({}))
            except RubricError as exc:
                raise _invalid(text, what, exc.message) from None
        if ctx is not None and args:
            if node.func.id in ("min", "max"):
                args, u = same_unit(ctx, list(node.args), args)
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
