"""Verification: prove a ruleset sane before it scores anyone (``rubric check``).

``check_ruleset`` looks for defects that construction cannot reject because a
ruleset with them must still load to be reported: gaps in bands, bands no value
can reach, rows that can score above their 分值 or never reach it, rows whose
points move against their declared direction, subtotals whose children do not add
up, facts nobody reads, unit mismatches in formulas and divisions that can hit 0.

Piecewise rules (bands, deductions, per-occurrence, ratios, coefficients,
booleans, checklists, states, deadlines) are proven exactly: their score is
monotone between breakpoints, so the breakpoints and the declared domain of the
fact settle every bound. Formula rules cannot be proven that way; when a ruleset
has one, hypothesis (imported only then) searches for a counterexample, which the
finding prints. ``check_file`` also turns load errors into findings at their line.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import attrs

from ..errors import LoadError, RulesetError
from ..facts import UNDEFINED, FactSpec
from ..rules.analysis import hi_or_inf, interval_text, lo_or_inf
from ..text import fmt
from ..tree import Group, Indicator, Node, Ruleset

__all__ = ["Finding", "check_file", "check_ruleset"]

ZERO = Decimal(0)
ONE = Decimal(1)
INF = Decimal("Infinity")

Severity = Literal["error", "warning", "note"]


@attrs.frozen
class Finding:
    """One defect found by ``check_ruleset``.

    ``code`` is a stable short tag (``band-gap``, ``direction`` ...; see
    docs/verification.md) for tools and tests; ``indicator`` is the path of ids from
    the root (``过程/预算执行/预算调整率``); ``where`` is ``file:line`` when known.
    """

    severity: Severity
    message: str
    indicator: str | None = None
    where: str | None = None
    code: str = ""

    @property
    def line(self) -> int | None:
        """The line number of ``where``, if it has one."""
        if not self.where:
            return None
        tail = self.where.rsplit(":", 2)
        for part in tail[1:]:
            if part.isdigit():
                return int(part)
        return None

    def __str__(self) -> str:
        text = f"{self.where or '<ruleset>'}: {self.severity}: {self.message}"
        if self.indicator:
            text += f" [{self.indicator}]"
        return text


# ---------------------------------------------------------------------------- entry points


def check_file(path: str | Path) -> list[Finding]:
    """Load the ruleset at ``path`` and check it; load errors become error findings."""
    from ..io.loader import load_ruleset

    try:
        ruleset = load_ruleset(path)
    except LoadError as exc:
        return [
            Finding("error", p.message + (f"; expected {p.expected}" if p.expected else ""),
                    p.indicator, _where(p.file or str(path), p.line), "load")
            for p in exc.problems
        ]
    except RulesetError as exc:
        where = exc.where or str(path)
        return [Finding("error", exc.message, exc.indicator, where, "load")]
    return check_ruleset(ruleset)


def check_ruleset(ruleset: Ruleset) -> list[Finding]:
    """Every defect of ``ruleset``, errors and warnings, in table order."""
    checker = _Checker(ruleset)
    checker.run()
    return checker.findings


def _where(file: str | None, line: int | None) -> str | None:
    if file is None:
        return None
    return f"{file}:{line}" if line is not None else file


# ---------------------------------------------------------------------------- the checker


class _Checker:
    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.findings: list[Finding] = []
        self.paths: dict[str, str] = {}
        self.reachable: dict[str, tuple[Decimal, Decimal]] = {}
        self.formula_rules: list[tuple[Indicator, str]] = []
        self.unit_checks: list[tuple[Indicator, tuple[str, ...]]] = []
        self.readers: dict[str, list[Indicator]] = {}  # fact -> the rows that read it
        for row in ruleset.indicators():
            for name in row.rule.inputs:
                self.readers.setdefault(name, []).append(row)

    def add(self, severity: Severity, code: str, message: str, node: Node | None = None,
            where: str | None = None, path: str | None = None) -> None:
        if node is not None:
            where = where or node.source
            path = path or self.paths.get(node.id, node.id)
        self.findings.append(Finding(severity, message, path, where, code))

    # -- driver ------------------------------------------------------------------

    def run(self) -> None:
        self._paths(self.ruleset.root, ())
        self._group(self.ruleset.root)
        total = self.ruleset.policy.total_points
        root = self.ruleset.root
        if root.points != total:
            self.add("error", "total",
                     f"the table is worth {fmt(root.points)} but the policy's total is "
                     f"{fmt(total)}", root)
        self._facts()
        if self.formula_rules:
            self._property_check_formulas()

    def _paths(self, node: Node, parents: tuple[str, ...]) -> None:
        own = (*parents, node.id) if node is not self.ruleset.root else ()
        self.paths[node.id] = "/".join(own) or node.id
        if isinstance(node, Group):
            for child in node.children:
                self._paths(child, own)

    # -- tree ----------------------------------------------------------------------

    def _group(self, group: Group) -> tuple[Decimal, Decimal]:
        ranges = [self._indicator(c) if isinstance(c, Indicator) else self._group(c)
                  for c in group.children]
        summed = group.children_points
        if group.max_points is not None and group.max_points != summed:
            if summed > group.max_points:
                self.add("error", "group-sum",
                         f"children are worth {fmt(summed)} in all, more than the group's 分值 "
                         f"{fmt(group.max_points)}: they can score above it (the engine caps "
                         "the subtotal)", group)
            else:
                self.add("error", "group-sum",
                         f"children are worth only {fmt(summed)} in all, less than the group's "
                         f"分值 {fmt(group.max_points)}: full marks can never be reached", group)
        self._precision(group)
        if group.select == "one_of":
            low = min(r[0] for r in ranges)
            high = max(r[1] for r in ranges)
        else:
            low = sum((r[0] for r in ranges), ZERO)
            high = sum((r[1] for r in ranges), ZERO)
        result = (min(low, group.points), min(high, group.points))
        self.reachable[group.id] = result
        return result

    def _indicator(self, node: Indicator) -> tuple[Decimal, Decimal]:
        rule = node.rule
        low, high = rule.analyse(_RowAnalysis(self, node))  # type: ignore[attr-defined]
        points = node.points
        self._precision(node)
        if rule.max_points > points:
            self.add("error", "above-max",
                     f"the rule can award {fmt(rule.max_points)}, more than the row's 分值 "
                     f"{fmt(points)} (the engine caps it; fix the rule or the 分值)", node)
        elif high < points:
            if rule.max_points < points:
                why = f"the rule awards at most {fmt(rule.max_points)}"
            else:
                why = (f"within the declared domain of its facts the best score is {fmt(high)}"
                       f" ({self._domains(rule)})")
            self.add("error", "full-marks-unreachable",
                     f"full marks {fmt(points)} can never be reached: {why}", node)
        if low < 0:
            self.add("error", "below-zero", f"the row can score {fmt(low)}, below 0", node)
        result = (max(ZERO, min(low, points)), min(high, points))
        self.reachable[node.id] = result
        return result

    def _precision(self, node: Node) -> None:
        policy = self.ruleset.policy
        points = node.points
        if policy.round_rows and policy.round(points) != points:
            self.add("error", "precision",
                     f"分值 {fmt(points)} is finer than the table's precision ({policy.precision} "
                     f"decimals): rounding a score can lift it to {fmt(policy.round(points))}, "
                     "above the 分值", node)

    def _domains(self, rule: Any) -> str:
        parts = []
        for name in rule.inputs:
            spec = self.ruleset.specs.get(name)
            if spec is not None and spec.type == "number":
                parts.append(f"{name} in {spec.domain_text()}")
        return ", ".join(parts)

    def domain(self, name: str) -> tuple[Decimal | None, Decimal | None]:
        return self.ruleset.domain(name)

    # -- facts, formulas, units ----------------------------------------------------

    def _facts(self) -> None:
        used: set[str] = set()
        for node in self.ruleset.indicators():
            used.update(node.rule.inputs)
        for _name, formula in self.ruleset.derived:
            used.update(formula.names)
        for spec in self.ruleset.facts:
            if spec.name not in used:
                self.add("warning", "unused-fact",
                         f"fact '{spec.name}' is declared but no rule or formula reads it",
                         where=spec.source, path=None)
        for spec in self.ruleset.facts:
            if spec.formula is not None:
                self._formula(spec.formula, f"formula of fact '{spec.name}'", spec.source,
                              None, declared=(spec.name, spec.unit), derived=spec.name)
        for node, check in self.unit_checks:  # asked for by the rules, in table order
            if check[0] == "formula":
                self._formula(check[1], "score formula", node.source, node,
                              declared=("points", None), derived=None)
            else:
                self._same_kind(node, check[1], check[2])

    def _same_kind(self, node: Indicator, a: str, t: str) -> None:
        da, dt = self._unit_dim(a), self._unit_dim(t)
        if da is not None and dt is not None and da != dt:
            self.add("error", "unit-mismatch",
                     f"ratio of '{a}' ({_dim_text(da, self._unit(a))}) to '{t}' "
                     f"({_dim_text(dt, self._unit(t))}): the two must be of one kind", node)

    def _unit(self, name: str) -> str | None:
        spec = self.ruleset.specs.get(name)
        return spec.unit if spec is not None else None

    def _unit_dim(self, name: str) -> dict[str, int] | None:
        spec = self.ruleset.specs.get(name)
        if spec is None or spec.type != "number":
            return None
        return _dimension_of(spec.unit)

    def _formula(self, text: str, what: str, where: str | None, node: Indicator | None, *,
                 declared: tuple[str, str | None], derived: str | None) -> None:
        try:
            tree = ast.parse(text.strip(), mode="eval").body
        except SyntaxError:  # pragma: no cover - the engine compiled it already
            return
        source = text.strip()
        dims = _Dims(self, source)
        result = dims.visit(tree)
        for message in dims.problems:
            self.add("error", "unit-mismatch", f"{what} '{source}': {message}", node, where=where)
        name, unit = declared
        if result is not _ANY and not dims.problems:
            want = {} if name == "points" else _dimension_of(unit)
            if result != want:
                target = ("points (a pure number)" if name == "points"
                          else f"its declared unit {unit or 'a pure number'}")
                self.add("error", "unit-mismatch",
                         f"{what} '{source}' gives {_dim_text(result, None)}, which does not fit "
                         f"{target}", node, where=where)
        if derived is not None and not dims.problems:
            self._derived_domain(derived, tree, source, what, where, node)
        for den in _divisions(tree):
            lo, hi = _Intervals(self).visit(den)
            if lo <= 0 <= hi:
                self._zero_division(what, source, den, lo, hi, where, node, derived)

    def _derived_domain(self, derived: str, tree: ast.AST, source: str, what: str,
                        where: str | None, node: Indicator | None) -> None:
        """A formula that can leave its fact's declared domain: evaluation then fails."""
        spec = self.ruleset.specs[derived]
        if spec.minimum is None and spec.maximum is None:
            return
        flo, fhi = _Intervals(self).visit(tree)
        if (flo, fhi) == _Intervals.WHOLE:
            return  # nothing known: no claim
        below = spec.minimum is not None and flo < spec.minimum
        above = spec.maximum is not None and fhi > spec.maximum
        if below or above:
            self.add("warning", "derived-domain",
                     f"{what} '{source}' can give values in {interval_text(flo, True, fhi, True)} "
                     f"over its inputs' domains, outside its declared domain "
                     f"{spec.domain_text()}: scoring such facts is an error; widen the domain "
                     "or bound the inputs", node, where=where)

    def _zero_division(self, what: str, source: str, den: ast.AST, lo: Decimal, hi: Decimal,
                       where: str | None, node: Indicator | None, derived: str | None) -> None:
        den_text = ast.get_source_segment(source, den) or "?"
        reading = self.ruleset.defaults.zero_over_zero
        message = (f"{what} '{source}' divides by '{den_text}', which can be 0 (declared "
                   f"domain {interval_text(lo, True, hi, True)})")
        effects = self._effects(derived, den) if derived is not None else []
        if effects:
            message += f": with {den_text} = 0, " + "; ".join(effects)
        elif derived is None:
            message += ": the score is then a range [0, full marks]"
        else:
            message += (": x/0 is an unbounded overrun (±∞) and 0/0 follows zero_over_zero "
                        f"'{reading}'")
        # A rate whose zero denominator the policy's reading settles (domain.md §3.6) is
        # shown as a note; a score formula that would turn into a range is a warning.
        # A scoring probe that failed is an error whatever the reading.
        severity: Severity = ("error" if any("fails (" in e for e in effects)
                              else "warning" if derived is None else "note")
        self.add(severity, "zero-division", message, node, where=where)

    def _effects(self, derived: str, den: ast.AST) -> list[str]:
        """What each row reading ``derived`` scores at x/0 and at 0/0, scored by the engine.

        Facts are built for the plain case of a denominator that is one given fact: it
        is set to 0 and the other inputs to 1 (x/0) or 0 (0/0), where their domains
        allow; otherwise nothing is claimed.
        """
        from ..engine.evaluation import _derive, _Evaluator

        if not isinstance(den, ast.Name):
            return []
        ruleset = self.ruleset
        specs = ruleset.specs
        inputs = ruleset.base_inputs((derived,))
        if den.id not in inputs:
            return []
        readers = self.readers.get(derived, [])
        reading = self.ruleset.defaults.zero_over_zero
        found: dict[str, list[str]] = {r.id: [] for r in readers}
        for other in (ONE, ZERO):
            facts: dict[str, object] = {}
            for name in inputs:
                value = ZERO if name == den.id else other
                spec = specs[name]
                if spec.type != "number" or not (
                        lo_or_inf(spec.minimum) <= value <= hi_or_inf(spec.maximum)):
                    break
                facts[name] = value
            else:
                # Score only the rows that read the rate, exactly as evaluation would.
                try:
                    values: dict[str, object] = dict(ruleset.facts_from(facts).values)
                    for name, formula in ruleset.derived:
                        values[name] = _derive(formula, values)
                    ev = _Evaluator(ruleset, values)
                    records = {row.id: ev.indicator(row, ruleset.points[row.id],
                                                    ruleset.prepared(row.id))
                               for row in readers}
                except Exception as exc:  # noqa: BLE001 - reported, not raised
                    for row in readers:
                        found[row.id].append(f"fails ({exc})")
                    continue
                rate = values.get(derived)
                if rate is UNDEFINED:
                    label = f"at 0/0 (zero_over_zero '{reading}')"
                elif isinstance(rate, Decimal) and rate.is_infinite():
                    label = f"at x/0 ({'+' if rate > 0 else '-'}∞, an unbounded overrun)"
                else:
                    continue
                for row in readers:
                    low, high = records[row.id][0], records[row.id][1]
                    score = (fmt(low) if low == high
                             else f"a range [{fmt(low)}, {fmt(high)}]")
                    found[row.id].append(f"{score} {label}")
        return [f"row '{rid}' scores " + " and ".join(parts) for rid, parts in found.items()
                if parts]

    # -- formula rules: property-checked -----------------------------------------

    def _property_check_formulas(self) -> None:
        try:
            from .. import testing
        except ImportError:  # hypothesis is the `testing` extra
            for node, _kind in self.formula_rules:
                self.add("warning", "not-verified",
                         "formula rule not property-checked: install rubric[testing] "
                         "(hypothesis) to check its bounds and direction", node)
            return
        for node, _kind in self.formula_rules:
            for severity, code, message in testing.formula_counterexamples(self.ruleset, node):
                self.add(severity, code, message, node)  # type: ignore[arg-type]


class _RowAnalysis:
    """What a rule's ``analyse`` is given for one row: the ruleset's defaults and fact
    domains, and a way to report findings about the row (``rules.analysis.Analysis``)."""

    def __init__(self, checker: _Checker, node: Indicator) -> None:
        self.checker, self.node = checker, node
        self.defaults = checker.ruleset.defaults

    def domain(self, name: str) -> tuple[Decimal | None, Decimal | None]:
        return self.checker.ruleset.domain(name)

    def spec(self, name: str) -> FactSpec:
        return self.checker.ruleset.specs[name]

    def report(self, severity: str, code: str, message: str) -> None:
        self.checker.add(severity, code, message, self.node)  # type: ignore[arg-type]

    def property_check(self) -> None:
        self.checker.formula_rules.append((self.node, self.node.rule.direction))

    def check_formula_units(self, expression: str) -> None:
        self.checker.unit_checks.append((self.node, ("formula", expression)))

    def check_same_kind(self, a: str, b: str) -> None:
        self.checker.unit_checks.append((self.node, ("same", a, b)))


# ---------------------------------------------------------------------------- dimensions

_ANY: Any = object()  # a bare number: takes the dimension of what it meets


def _dimension_of(unit: str | None) -> dict[str, int]:
    """Base dimensions of ``unit`` ({} for a pure number or %)."""
    from ..units import normalize_unit, registry

    name = normalize_unit(unit)
    if name is None:
        return {}
    dims = dict(registry().parse_units(name).dimensionality)
    return {str(k): int(str(v)) for k, v in dims.items() if v}


def _dim_text(dim: dict[str, int], unit: str | None) -> str:
    if not dim:
        return "a pure number" + (f" ({unit})" if unit else "")
    text = " * ".join(k if v == 1 else f"{k}**{v}" for k, v in sorted(dim.items()))
    return text + (f" ({unit})" if unit else "")


def _combine(a: dict[str, int], b: dict[str, int], sign: int) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + sign * v
        if not out[k]:
            del out[k]
    return out


class _Dims:
    """Dimensional analysis of one formula; ``problems`` lists every mismatch."""

    def __init__(self, ch: _Checker, source: str) -> None:
        self.ch = ch
        self.source = source
        self.problems: list[str] = []

    def text(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.source, node) or "?"

    def same(self, nodes: Sequence[ast.AST], dims: Sequence[Any], verb: str) -> Any:
        known = [(n, d) for n, d in zip(nodes, dims) if d is not _ANY]
        for (n1, d1), (n2, d2) in itertools.pairwise(known):
            if d1 != d2:
                self.problems.append(
                    f"{verb} '{self.text(n1)}' ({_dim_text(d1, self.unit_of(n1))}) and "
                    f"'{self.text(n2)}' ({_dim_text(d2, self.unit_of(n2))})")
                return _ANY
        return known[0][1] if known else _ANY

    def unit_of(self, node: ast.AST) -> str | None:
        return self.ch._unit(node.id) if isinstance(node, ast.Name) else None

    def visit(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return _ANY
        if isinstance(node, ast.Name):
            dim = self.ch._unit_dim(node.id)
            return _ANY if dim is None else dim
        if isinstance(node, ast.BinOp):
            left, right = self.visit(node.left), self.visit(node.right)
            if isinstance(node.op, (ast.Add, ast.Sub, ast.Mod)):
                verb = {ast.Add: "adds", ast.Sub: "subtracts"}.get(
                    type(node.op), "takes the remainder of")
                return self.same([node.left, node.right], [left, right], verb)
            if isinstance(node.op, (ast.Mult, ast.Div)):
                if left is _ANY and right is _ANY:
                    return _ANY
                sign = 1 if isinstance(node.op, ast.Mult) else -1
                return _combine(left if left is not _ANY else {},
                                right if right is not _ANY else {}, sign)
            if isinstance(node.op, ast.Pow):
                if left is _ANY or not left:
                    return left
                if isinstance(node.right, ast.Constant) and isinstance(node.right.value, int):
                    return {k: v * node.right.value for k, v in left.items()}
                return _ANY
            return _ANY
        if isinstance(node, ast.UnaryOp):
            inner = self.visit(node.operand)
            return _ANY if isinstance(node.op, ast.Not) else inner
        if isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
            self.same(parts, [self.visit(p) for p in parts], "compares")
            return _ANY
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self.visit(value)
            return _ANY
        if isinstance(node, ast.IfExp):
            self.visit(node.test)
            return self.same([node.body, node.orelse],
                             [self.visit(node.body), self.visit(node.orelse)],
                             "gives either")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            dims = [self.visit(a) for a in node.args]
            if node.func.id in ("min", "max"):
                return self.same(node.args, dims, f"takes {node.func.id} of")
            if node.func.id in ("abs", "floor", "ceil", "round") and dims:
                return dims[0]
        return _ANY


def _divisions(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            yield node.right


class _Intervals:
    """Interval arithmetic over declared fact domains (sound, not always tight)."""

    WHOLE = (-INF, INF)

    def __init__(self, ch: _Checker) -> None:
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
                return _mul(a, b)
            if isinstance(node.op, ast.Div):
                if b[0] == 0 and a[0] >= 0:  # x/0 of a non-negative x is +∞ (§3.6)
                    return (a[0] / b[1] if b[1].is_finite() and b[1] > 0 else ZERO), INF
                if b[0] <= 0 <= b[1]:
                    return self.WHOLE
                return _mul(a, (ONE / b[1], ONE / b[0]))
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


def _mul(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal]:
    products = []
    for x in a:
        for y in b:
            if (x == 0 and y.is_infinite()) or (y == 0 and x.is_infinite()):
                products.append(ZERO)
            else:
                products.append(x * y)
    return min(products), max(products)
