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
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import attrs

from ..errors import LoadError, RulesetError
from ..facts import UNDEFINED
from ..rules import (
    Band,
    Bands,
    Boolean,
    Categorical,
    Checklist,
    Coefficient,
    CompletionRatio,
    Deadline,
    FormulaRule,
    PerOccurrence,
    Qualitative,
    StepDeduction,
)
from ..text import fmt
from ..tree import Group, Indicator, Node, Ruleset

__all__ = ["Finding", "check_file", "check_ruleset"]

ZERO = Decimal(0)
ONE = Decimal(1)
INF = Decimal("Infinity")
#: The small offset used to probe just inside an open end of an interval.
EPSILON = Decimal("1e-9")

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


# ---------------------------------------------------------------------------- intervals


def _lo(x: Decimal | None) -> Decimal:
    return -INF if x is None else x


def _hi(x: Decimal | None) -> Decimal:
    return INF if x is None else x


def _interval(lo: Decimal, lo_closed: bool, hi: Decimal, hi_closed: bool) -> str:
    left = "[" if lo_closed and lo.is_finite() else "("
    right = "]" if hi_closed and hi.is_finite() else ")"
    return f"{left}{fmt(lo)}, {fmt(hi)}{right}"


def _domain_text(lo: Decimal | None, hi: Decimal | None) -> str:
    return _interval(_lo(lo), True, _hi(hi), True)


def _probe_points(breaks: Sequence[Decimal], lo: Decimal | None, hi: Decimal | None
                  ) -> list[Decimal]:
    """Points that settle a piecewise-monotone function on [lo, hi] with these breaks.

    Every breakpoint inside the domain, the domain's ends (or a far point for an
    unbounded end), and a point just either side of each breakpoint (open ends).
    """
    finite = [b for b in breaks if b.is_finite()]
    span = max([abs(b) for b in finite] + [ONE]) * 1000
    low = lo if lo is not None else -span
    high = hi if hi is not None else span
    points = {low, high}
    for b in finite:
        for p in (b - EPSILON, b, b + EPSILON):
            if low <= p <= high:
                points.add(p)
    return sorted(points)


# ---------------------------------------------------------------------------- the checker


class _Checker:
    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.findings: list[Finding] = []
        self.paths: dict[str, str] = {}
        self.reachable: dict[str, tuple[Decimal, Decimal]] = {}
        self.formula_rules: list[tuple[Indicator, str]] = []
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
        analyse = _ANALYSERS.get(type(rule))
        if analyse is None:  # pragma: no cover - every rule type has an analyser
            low, high = ZERO, rule.max_points
        else:
            low, high = analyse(self, node, rule)
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
        for node in self.ruleset.indicators():
            if isinstance(node.rule, FormulaRule):
                self._formula(node.rule.expression, "score formula", node.source, node,
                              declared=("points", None), derived=None)
            if isinstance(node.rule, CompletionRatio) and isinstance(node.rule.target, str):
                a, t = node.rule.actual, node.rule.target
                da, dt = self._unit_dim(a), self._unit_dim(t)
                if da is not None and dt is not None and da != dt:
                    self.add("error", "unit-mismatch",
                             f"ratio of '{a}' ({_dim_text(da, self._unit(a))}) to '{t}' "
                             f"({_dim_text(dt, self._unit(t))}): the two must be of one kind",
                             node)

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
                     f"{what} '{source}' can give values in {_interval(flo, True, fhi, True)} "
                     f"over its inputs' domains, outside its declared domain "
                     f"{spec.domain_text()}: scoring such facts is an error; widen the domain "
                     "or bound the inputs", node, where=where)

    def _zero_division(self, what: str, source: str, den: ast.AST, lo: Decimal, hi: Decimal,
                       where: str | None, node: Indicator | None, derived: str | None) -> None:
        den_text = ast.get_source_segment(source, den) or "?"
        reading = self.ruleset.defaults.zero_over_zero
        message = (f"{what} '{source}' divides by '{den_text}', which can be 0 (declared "
                   f"domain {_interval(lo, True, hi, True)})")
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
        from ..engine.evaluation import derive, score_row

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
                if spec.type != "number" or not (_lo(spec.minimum) <= value <= _hi(spec.maximum)):
                    break
                facts[name] = value
            else:
                # Score only the rows that read the rate, exactly as evaluation would.
                try:
                    values: dict[str, object] = dict(ruleset.facts_from(facts).values)
                    for name, formula in ruleset.derived:
                        values[name] = derive(formula, values)
                    records = {row.id: score_row(ruleset, values, row) for row in readers}
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


class _Ctx:
    """The evaluation context rules need, without a full evaluation."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.defaults = ruleset.defaults
        self.domain = ruleset.domain


# ---------------------------------------------------------------------------- per rule


def _bands(ch: _Checker, node: Indicator, rule: Bands) -> tuple[Decimal, Decimal]:
    lo, hi = ch.domain(rule.fact)
    spec = ch.ruleset.specs[rule.fact]
    dom = spec.domain_text()
    bands = rule.bands
    for i, a in enumerate(bands):
        for j in range(i + 1, len(bands)):
            b = bands[j]
            if _bands_overlap(a, b):
                ch.add("error", "band-overlap",
                       f"bands[{i}] {a.label()} and bands[{j}] {b.label()} overlap", node)
    reachable: list[tuple[int, Band]] = []
    for i, band in enumerate(bands):
        if band.intersects(lo, hi):
            reachable.append((i, band))
        else:
            ch.add("error", "band-unreachable",
                   f"bands[{i}] {band.label()} ({fmt(band.points)} points) can never match: "
                   f"{rule.fact} is declared in {dom}", node)
    for gap in _gaps(bands, lo, hi):
        ch.add("error", "band-gap",
               f"values of {rule.fact} in {gap} fall in no band (declared domain {dom}); "
               "scoring them fails", node)
    points = [b.points for _i, b in reachable]
    if not points:
        return ZERO, ZERO
    bad = _against(points, rule.direction)
    if bad is not None:
        (i, a), (j, b) = reachable[bad], reachable[bad + 1]
        verb = "rise" if b.points > a.points else "fall"
        ch.add("error", "direction",
               f"points {verb} from {fmt(a.points)} (bands[{i}] {a.label()}) to "
               f"{fmt(b.points)} (bands[{j}] {b.label()}) as {rule.fact} grows, but the "
               f"rule's direction is '{rule.direction}'", node)
    return min(points), max(points)


def _against(points: Sequence[Decimal], direction: str) -> int | None:
    """Index i where points[i] -> points[i+1] contradicts ``direction``, else None."""
    if direction == "higher":
        return next((i for i in range(len(points) - 1) if points[i + 1] < points[i]), None)
    if direction == "lower":
        return next((i for i in range(len(points) - 1) if points[i + 1] > points[i]), None)
    if direction == "target":  # rises to a peak, then falls
        i = 0
        while i + 1 < len(points) and points[i + 1] >= points[i]:
            i += 1
        while i + 1 < len(points) and points[i + 1] <= points[i]:
            i += 1
        return i if i + 1 < len(points) else None
    return None


def _bands_overlap(a: Band, b: Band) -> bool:
    lo_a, hi_a, lo_b, hi_b = _lo(a.lower), _hi(a.upper), _lo(b.lower), _hi(b.upper)
    if hi_a < lo_b or hi_b < lo_a:
        return False
    if hi_a == lo_b and not (a.upper_closed and b.lower_closed):
        return False
    return not (hi_b == lo_a and not (b.upper_closed and a.lower_closed))


def _gaps(bands: Sequence[Band], lo: Decimal | None, hi: Decimal | None) -> Iterator[str]:
    """Intervals of the closed domain [lo, hi] that no band covers, as text."""
    top = _hi(hi)
    v, need = _lo(lo), True  # everything below v is settled; is v itself uncovered?
    for band in sorted(bands, key=lambda b: (_lo(b.lower), not b.lower_closed)):
        # an unbounded end covers everything out there, whatever its closedness says
        start, start_open = _lo(band.lower), not band.lower_closed and band.lower is not None
        if v > top or (v == top and not need):
            return
        if v < start or (v == start and need and start_open):
            end, end_closed = (start, start_open) if start <= top else (top, True)
            if end > v or (end == v and need and end_closed):
                yield _interval(v, need, end, end_closed)
        end, end_closed = _hi(band.upper), band.upper_closed or band.upper is None
        if end > v or (end == v and end_closed):
            v, need = end, not end_closed
    if v.is_finite() and (v < top or (v == top and need)):
        yield _interval(v, need, top, True)


def _deduction(ch: _Checker, node: Indicator, rule: StepDeduction) -> tuple[Decimal, Decimal]:
    defaults = ch.ruleset.defaults
    if (rule.basis or defaults.step_basis) == "relative" and rule.target == 0:
        ch.add("error", "domain",
               "a relative step ('每少10%' of the target) with a target of 0 fails at "
               "evaluation; use basis: absolute", node)
        return ZERO, rule.points
    dmin, dmax = rule._deviation_range(*ch.domain(rule.fact))
    best = rule.score_deviation(dmin, defaults)[0]
    worst = rule.score_deviation(dmax, defaults)[0]
    return worst, best


def _per_occurrence(ch: _Checker, node: Indicator, rule: PerOccurrence
                    ) -> tuple[Decimal, Decimal]:
    lo, hi = ch.domain(rule.fact)
    if lo is None or lo < 0:
        ch.add("error", "domain",
               f"{rule.fact} counts occurrences but its declared domain "
               f"{_domain_text(lo, hi)} admits negative values, which fail at evaluation; "
               "declare minimum: 0", node)
    best = rule._score(max(ZERO, _lo(lo)) if lo is not None else ZERO)
    worst = rule._score(_hi(hi))
    return worst, best


def _boolean(ch: _Checker, node: Indicator, rule: Boolean) -> tuple[Decimal, Decimal]:
    return min(rule.yes_points, rule.no_points), rule.max_points


def _checklist(ch: _Checker, node: Indicator, rule: Checklist) -> tuple[Decimal, Decimal]:
    return ZERO, rule.max_points


def _categorical(ch: _Checker, node: Indicator, rule: Categorical) -> tuple[Decimal, Decimal]:
    spec = ch.ruleset.specs[rule.fact]
    states = {s.value: s.points for s in rule.states}
    if spec.type == "category":
        absent = [c for c in spec.categories if c not in states]
        if absent:
            ch.add("error", "band-gap",
                   f"categories of {rule.fact} without a state: {', '.join(absent)} "
                   "(scoring them fails)", node)
        points = [states[c] for c in spec.categories if c in states]
        unreachable = [s.value for s in rule.states if s.value not in spec.categories]
        if unreachable:  # pragma: no cover - construction rejects these
            ch.add("error", "band-unreachable", f"states never matched: {unreachable}", node)
        bad = _against(points, rule.direction)
        if bad is not None:
            ch.add("error", "direction",
                   f"points go from {fmt(points[bad])} to {fmt(points[bad + 1])} across the "
                   f"declared order of {rule.fact}'s categories, against direction "
                   f"'{rule.direction}'", node)
    else:
        points = list(states.values())
    return (min(points), max(points)) if points else (ZERO, ZERO)


def _sampled(ch: _Checker, rule: Any, samples: list[dict[str, object]]
             ) -> tuple[Decimal, Decimal]:
    ctx = _Ctx(ch.ruleset)
    scores = []
    for values in samples:
        try:
            out = rule.evaluate(values, ctx)
        except Exception:  # noqa: BLE001 - values a rule rejects are reported elsewhere
            continue
        if out.applicable:
            scores += [out.low, out.high]
    return (min(scores), max(scores)) if scores else (ZERO, ZERO)


def _ratio(ch: _Checker, node: Indicator, rule: CompletionRatio) -> tuple[Decimal, Decimal]:
    alo, ahi = ch.domain(rule.actual)
    if isinstance(rule.target, str):
        tlo, thi = ch.domain(rule.target)
        targets = _probe_points([ZERO], tlo, thi)
        target_name = rule.target
    else:
        tlo = thi = rule.target
        targets = [rule.target]
        target_name = fmt(rule.target)
    actuals = _probe_points([ZERO, *[t for t in targets if t.is_finite()]], alo, ahi)
    samples: list[dict[str, object]] = []
    for t in targets:
        for a in actuals:
            samples.append({rule.actual: a, rule.target: t} if isinstance(rule.target, str)
                           else {rule.actual: a})
    den_name, (dlo, dhi) = ((rule.actual, (alo, ahi)) if rule.reverse
                            else (target_name, (tlo, thi)))
    if _lo(dlo) <= 0 <= _hi(dhi):
        reading = rule.zero_over_zero or ch.ruleset.defaults.zero_over_zero
        effect = {"full": f"full marks {fmt(rule.points)}", "zero": "0",
                  "undefined": f"a range [0, {fmt(rule.points)}]"}[reading]
        ch.add("note", "zero-division",
               f"the ratio's denominator {den_name} can be 0 (declared domain "
               f"{_domain_text(dlo, dhi)}): 0/0 scores {effect} (zero_over_zero: {reading}); "
               f"a non-zero numerator over 0 is an unbounded ratio, capped at full marks", node)
    return _sampled(ch, rule, samples)


def _coefficient(ch: _Checker, node: Indicator, rule: Coefficient) -> tuple[Decimal, Decimal]:
    lo, hi = ch.domain(rule.fact)
    top = Decimal(100) if rule.percent else ONE
    if lo is None or lo < 0 or hi is None or hi > top:
        ch.add("error", "domain",
               f"{rule.fact} is declared in {_domain_text(lo, hi)} but a coefficient must lie "
               f"in [0, {fmt(top)}]; other values fail at evaluation (declare minimum: 0, "
               f"maximum: {fmt(top)})", node)
    lo_, hi_ = max(ZERO, _lo(lo)), min(top, _hi(hi))
    if lo_ > hi_:
        return ZERO, ZERO
    return _sampled(ch, rule, [{rule.fact: lo_}, {rule.fact: hi_}])


def _deadline(ch: _Checker, node: Indicator, rule: Deadline) -> tuple[Decimal, Decimal]:
    if rule.late_points > rule.points:
        ch.add("error", "direction",
               f"finishing late earns {fmt(rule.late_points)}, more than finishing on time "
               f"({fmt(rule.points)})", node)
    return min(rule.points, rule.late_points), rule.max_points


def _qualitative(ch: _Checker, node: Indicator, rule: Qualitative) -> tuple[Decimal, Decimal]:
    lo, hi = ch.domain(rule.fact)
    if lo is None or lo < 0 or hi is None or hi > rule.points:
        ch.add("warning", "domain",
               f"{rule.fact} holds the points awarded but is declared in "
               f"{_domain_text(lo, hi)}; values outside [0, {fmt(rule.points)}] fail at "
               f"evaluation (declare minimum: 0, maximum: {fmt(rule.points)})", node)
    return max(ZERO, _lo(lo)) if lo is not None else ZERO, min(rule.points, _hi(hi))


def _formula_rule(ch: _Checker, node: Indicator, rule: FormulaRule) -> tuple[Decimal, Decimal]:
    ch.formula_rules.append((node, rule.direction))
    return ZERO, rule.points


_ANALYSERS: Mapping[type, Any] = {
    Bands: _bands,
    StepDeduction: _deduction,
    PerOccurrence: _per_occurrence,
    Boolean: _boolean,
    Checklist: _checklist,
    Categorical: _categorical,
    CompletionRatio: _ratio,
    Coefficient: _coefficient,
    Deadline: _deadline,
    Qualitative: _qualitative,
    FormulaRule: _formula_rule,
}


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
        lo, hi = _lo(spec.minimum), _hi(spec.maximum)
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
