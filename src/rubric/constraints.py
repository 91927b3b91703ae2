"""Checks between facts: the consistency constraints a ruleset declares.

Filed tables state facts that must agree with each other: a total is the sum of its
parts (``全年预算数 == 基本支出预算 + 项目支出预算``), an actual does not exceed the
budget it is spent from (``实际支出数 <= 预算数``), a count is a whole number
(``integer: 新增企业数``). A ``Constraint`` is one such check with a ``message`` and a
``level``: a violated ``warning`` (the default) is reported beside the scores, a violated
``error`` refuses to score the unit (``FactError``).

A ``check`` is a formula of the safe formula layer (``rubric.expressions``) whose top is
a comparison or ``and``/``or``/``not``; it computes in units, exactly, so ``实际支出数 (元)
<= 预算数 (万元)`` compares 元 with 万元 × 10000. With ``tolerance`` (only for a check
``a == b``) the sides may differ by at most that much, in the unit of the left side.

A constraint whose facts are not all known (missing, not applicable, an unsettled
answer) or whose check is undefined (0/0) is not evaluated and reports nothing: the
result already names the facts it lacks (docs/ruleset-format.md, "Constraints").
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from decimal import Decimal

import attrs

from .errors import EvaluationError, FactError, RulesetError
from .expressions import Formula, compile_formula, parse_formula
from .facts import UNDEFINED, FactSpec, is_known, suggest, to_decimal
from .text import fmt

__all__ = ["LEVELS", "Check", "Constraint", "check_constraints", "compile_constraints"]

#: what a violated constraint does: ``warning`` reports it, ``error`` refuses the unit
LEVELS = ("warning", "error")


def _opt_dec(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, "tolerance")


@attrs.frozen
class Constraint:
    """One consistency check between facts (module doc): ``check`` (a formula that must
    hold) or ``integer`` (a number fact that must be whole), with a ``message`` and a
    ``level`` (``warning`` or ``error``); ``tolerance`` only with a check ``a == b``."""

    check: str | None = None
    integer: str | None = None
    message: str = ""
    level: str = "warning"
    tolerance: Decimal | None = attrs.field(default=None, converter=_opt_dec)
    source: str | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        if (self.check is None) == (self.integer is None):
            raise RulesetError("a constraint has exactly one of 'check' or 'integer'",
                               where=self.source, field="check",
                               expected="check: a formula that must hold, or integer: a fact",
                               example="check: 实际支出数 <= 预算数")
        if self.level not in LEVELS:
            hint = suggest(self.level, LEVELS)
            raise RulesetError(f"constraint level '{self.level}' is not known"
                               + (f" (did you mean '{hint}'?)" if hint else ""),
                               where=self.source, field="level",
                               expected="warning or error", example="level: error")
        if self.tolerance is not None and (self.tolerance < 0 or not self.tolerance.is_finite()):
            raise RulesetError(f"tolerance {self.tolerance} must be 0 or more",
                               where=self.source, field="tolerance",
                               expected="a number in the left side's unit",
                               example="tolerance: 0.01")

    @property
    def text(self) -> str:
        """What the constraint says, as written (``新增企业数 为整数`` for ``integer``)."""
        return self.check if self.check is not None else f"{self.integer} 为整数"


@attrs.frozen
class Check:
    """A constraint compiled against the declared facts: the facts it reads and the
    test of their values (True: holds)."""

    constraint: Constraint
    names: tuple[str, ...]
    formula: Formula | None = attrs.field(default=None, eq=False, repr=False)

    def holds(self, values: Mapping[str, object]) -> bool | None:
        """Whether the constraint holds for ``values``; None when it cannot be evaluated
        (a fact it reads is not known, or the check is undefined)."""
        args = {}
        for name in self.names:
            value = values.get(name, UNDEFINED)
            if not is_known(value):
                return None
            args[name] = value
        if self.formula is None:  # integer
            value = args[self.names[0]]
            if not isinstance(value, Decimal) or not value.is_finite():
                return None
            return value == value.to_integral_value()
        try:
            got = self.formula(args)
        except (ArithmeticError, TypeError, EvaluationError):  # beyond the numeric domain
            return None
        if got is UNDEFINED:
            return None
        return bool(got)

    def describe(self, values: Mapping[str, object], units: Mapping[str, str]) -> str:
        """The violation as one line: the message, the constraint, the facts' values."""
        shown = "，".join(f"{n} = {_value(values.get(n), units.get(n))}" for n in self.names)
        c = self.constraint
        tolerance = "" if c.tolerance is None else f"（容差 {fmt(c.tolerance)}）"
        head = f"{c.message}：" if c.message else ""
        return f"约束未满足：{head}{c.text}{tolerance}；{shown}"


def _value(value: object, unit: str | None) -> str:
    if isinstance(value, Decimal):
        return fmt(value) + (f" {unit}" if unit else "")
    if value is True or value is False:
        return "是" if value else "否"
    return str(value)


def _compile_check(c: Constraint, specs: Mapping[str, FactSpec]) -> Check:
    assert c.check is not None
    what = f"constraint '{c.check}'"
    tree = parse_formula(c.check, "constraint")
    boolean = isinstance(tree, (ast.Compare, ast.BoolOp)) or (
        isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.Not))
    if not boolean:
        raise RulesetError(f"{what} is not a comparison", where=c.source, field="check",
                           expected="a comparison (==, <=, <, >=, >, !=), possibly joined "
                           "by and/or/not", example="check: 实际支出数 <= 预算数")
    formula = compile_formula(c.check, specs, what="constraint", unit=None)
    if formula.units is None:  # operands of different dimensions (万元 <= 人)
        raise RulesetError(f"{what} compares facts of different kinds of unit",
                           where=c.source, field="check",
                           expected="sides of one dimension (money with money, "
                           "counts with counts)", example="check: 实际支出数 <= 预算数")
    if c.tolerance is not None:
        if not (isinstance(tree, ast.Compare) and len(tree.ops) == 1
                and isinstance(tree.ops[0], ast.Eq)):
            raise RulesetError(f"{what}: tolerance applies only to a check 'a == b'",
                               where=c.source, field="tolerance",
                               expected="a check with one ==, or no tolerance",
                               example="check: 全年预算数 == 基本支出预算 + 项目支出预算")
        left, right = ast.unparse(tree.left), ast.unparse(tree.comparators[0])
        within = f"abs(({left}) - ({right})) <= {c.tolerance.normalize():f}"
        formula = compile_formula(within, specs, what="constraint", unit=None)
    return Check(c, formula.names, formula)


def compile_constraints(constraints: tuple[Constraint, ...], specs: Mapping[str, FactSpec]
                        ) -> tuple[Check, ...]:
    """Each constraint checked against the declared facts (RulesetError at its source:
    unknown facts with a "did you mean", a check that is not a comparison, mixed
    dimensions, ``integer`` of a fact that is not a number)."""
    out = []
    for c in constraints:
        try:
            if c.integer is not None:
                spec = specs.get(c.integer)
                if spec is None:
                    hint = suggest(c.integer, specs)
                    raise RulesetError(
                        f"constraint reads fact '{c.integer}', which is not declared"
                        + (f" (did you mean '{hint}'?)" if hint else ""), field="integer",
                        fact=c.integer, expected="a fact declared under facts",
                        example=hint or c.integer)
                if spec.type != "number":
                    raise RulesetError(f"integer: fact '{c.integer}' is declared as {spec.type}",
                                       field="integer", fact=c.integer,
                                       expected="a number fact", example="type: number")
                out.append(Check(c, (c.integer,)))
            else:
                out.append(_compile_check(c, specs))
        except RulesetError as exc:
            raise type(exc)(exc.message, where=c.source, expected=exc.expected,
                            example=exc.example, field=exc.field or "check") from None
    return tuple(out)


def check_constraints(checks: tuple[Check, ...], values: Mapping[str, object],
                      units: Mapping[str, str]) -> tuple[str, ...]:
    """The warnings of the violated ``warning`` constraints, in declaration order;
    FactError listing every violated ``error`` constraint (the unit is not scored)."""
    warnings: list[str] = []
    errors: list[Check] = []
    for check in checks:
        if check.holds(values) is False:
            if check.constraint.level == "error":
                errors.append(check)
            else:
                warnings.append(check.describe(values, units))
    if errors:
        lines = [e.describe(values, units) for e in errors]
        raise FactError("; ".join(lines), where=errors[0].constraint.source,
                        expected="facts that agree with each other (the ruleset's "
                        "constraints, level: error)")
    return tuple(warnings)

