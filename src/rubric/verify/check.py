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
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs

from ..collector import paused
from ..errors import LoadError, RulesetError
from ..facts import UNDEFINED
from ..policy import zero_over_zero_reading
from ..rules.analysis import hi_or_inf, interval_text, lo_or_inf
from ..rules.row_options import adds_up
from ..text import fmt
from ..tree import Group, Indicator, Node, Ruleset
from .formulas import ANY, Dims, Intervals, dim_text, divisions
from .messages import Free, Lang, Message, Seq, domain_of, msg
from .option_findings import option_findings
from .row_analysis import RowAnalysis, key_path
from .scale import Probes, children_points, unit_dimension

__all__ = ["Finding", "check_file", "check_ruleset", "finding", "load_findings"]

ZERO = Decimal(0)
ONE = Decimal(1)
INF = Decimal("Infinity")

Severity = Literal["error", "warning", "note"]


@attrs.frozen
class Finding:
    """One defect found by ``check_ruleset``.

    ``code`` is a stable short tag (``band-gap``, ``direction`` ...; see
    docs/verification.md) for tools and tests; ``indicator`` is the path of ids from
    the root (``过程/预算执行/预算调整率``); ``where`` is ``file:line`` when known (for a
    finding about a row, the row's ``- id:`` line). ``key`` is the key at fault when
    the finding knows it (``$.indicators[0].children[0].rule.floor``, a fact's
    ``maximum``), and ``key_where`` its ``file:line``: the defect's own line, with the
    row in ``where`` as context.
    """

    severity: Severity
    message: str
    indicator: str | None = None
    where: str | None = None
    code: str = ""
    key: str | None = None
    key_where: str | None = None
    #: the message as catalog data (``verify.messages``): ``text(lang)`` renders it
    detail: Message | None = attrs.field(default=None, eq=False, repr=False)

    def text(self, lang: Lang = "en") -> str:
        """The message in ``lang``: ``message`` in English, the catalog's text otherwise
        (a free message with no catalog entry stays as it is)."""
        return self.message if lang == "en" or self.detail is None else self.detail.render(lang)

    def format(self, lang: Lang = "en") -> str:
        """The finding as one line, ``file:line: severity: message [path] (line N: key)``."""
        text = f"{self.where or '<ruleset>'}: {msg('cli', self.severity).render(lang)}: "
        text += self.text(lang)
        if self.indicator:
            text += f" [{self.indicator}]"
        if self.key_where and self.key_where != self.where:
            text += msg("cli", "key", line=self.key_line, key=self.key).render(lang)
        return text

    @property
    def key_line(self) -> int | None:
        """The line number of ``key_where``, if known."""
        return _line(self.key_where)

    @property
    def line(self) -> int | None:
        """The line number of ``where``, if it has one."""
        return _line(self.where)

    def __str__(self) -> str:
        return self.format("en")


def _line(where: str | None) -> int | None:
    if not where:
        return None
    tail = where.rsplit(":", 2)
    for part in tail[1:]:
        if part.isdigit():
            return int(part)
    return None


# ---------------------------------------------------------------------------- entry points


def check_file(path: str | Path) -> list[Finding]:
    """Load the ruleset at ``path`` and check it; load errors become error findings."""
    from ..io.loader import load_ruleset

    try:
        ruleset = load_ruleset(path)
    except RulesetError as exc:
        return load_findings(exc, str(path))
    return _check(ruleset, _Locations(path))


def load_findings(exc: RulesetError, file: str) -> list[Finding]:
    """A ruleset that does not load, as error findings (``file``: where it came from)."""
    if isinstance(exc, LoadError):
        return [finding("error", msg("load", "expected", message=Free(p.message),
                                     expected=Free(p.expected))
                        if p.expected else msg("load", message=Free(p.message)),
                        p.indicator, _where(p.file or file, p.line))
                for p in exc.problems]
    return [finding("error", msg("load", message=Free(exc.message)), exc.indicator,
                    exc.where or file)]


def finding(severity: Severity, message: Message, indicator: str | None = None,
            where: str | None = None, key: str | None = None, key_where: str | None = None,
            code: str | None = None) -> Finding:
    """A finding whose message is the catalog's ``message`` (its code is the message's
    unless ``code`` says otherwise)."""
    return Finding(severity, message.en, indicator, where, code or message.code, key,
                   key_where, message)


def check_ruleset(ruleset: Ruleset) -> list[Finding]:
    """Every defect of ``ruleset``, errors and warnings, in table order."""
    return _check(ruleset, None)


def _check(ruleset: Ruleset, locations: _Locations | None) -> list[Finding]:
    checker = _Checker(ruleset, locations)
    checker.run()
    return checker.findings


def _where(file: str | None, line: int | None) -> str | None:
    if file is None:
        return None
    return f"{file}:{line}" if line is not None else file


class _Locations:
    """Where each node's and fact's keys are written: the file re-read with positions
    (the loader keeps only each node's own line), so that a finding can name the key
    at fault."""

    def __init__(self, path: str | Path) -> None:
        from ..io.located_yaml import read

        self.doc = read(Path(path))
        self.nodes: dict[str, tuple[Any, ...]] = {}
        data = self.doc.data if isinstance(self.doc.data, dict) else {}
        root = data.get("root")
        self.nodes[str(root.get("id", "总分")) if isinstance(root, dict) else "总分"] = ("root",)
        self._walk(data.get("indicators"), ("indicators",))

    def _walk(self, items: object, path: tuple[Any, ...]) -> None:
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict):
                if isinstance(item.get("id"), str):
                    self.nodes.setdefault(item["id"], (*path, i))
                self._walk(item.get("children"), (*path, i, "children"))

    def at(self, path: tuple[Any, ...]) -> tuple[str, str]:
        """``(path text, file:line)`` of ``path`` (the nearest written ancestor's line)."""
        from ..io.located_yaml import format_path

        return format_path(path), f"{self.doc.filename}:{self.doc.where(path)[0]}"


# ---------------------------------------------------------------------------- the checker


class _Checker:
    def __init__(self, ruleset: Ruleset, locations: _Locations | None = None) -> None:
        self.ruleset = ruleset
        self.locations = locations
        self.findings: list[Finding] = []
        self.paths: dict[str, str] = {}
        self.reachable: dict[str, tuple[Decimal, Decimal]] = {}
        self.formula_rules: list[tuple[Indicator, Any, tuple[str | int, ...]]] = []
        self.unit_checks: list[tuple[Indicator, tuple[str, ...]]] = []
        self.readers: dict[str, list[Indicator]] = {}  # fact -> the rows that read it
        self._probes = Probes(ruleset)  # values of the zero-denominator probes
        for row in ruleset.indicators():
            for name in row.rule.inputs:
                self.readers.setdefault(name, []).append(row)

    def add(self, severity: Severity, message: Message, node: Node | None = None,
            where: str | None = None, path: str | None = None, *,
            key: str | tuple[Any, ...] | None = None,
            fact_key: tuple[str, str] | None = None, code: str | None = None) -> None:
        """A finding; ``key`` is the key at fault inside ``node`` (``("rule", "floor")``),
        ``fact_key`` a fact's (name, key) at fault (``("满意度", "maximum")``)."""
        at = None
        if self.locations is not None:
            if fact_key is not None:
                at = self.locations.at(("facts", *fact_key))
            elif key is not None and node is not None and node.id in self.locations.nodes:
                base, rest = self.locations.nodes[node.id], key_path(key)
                if base == ("root",) and rest[:1] == ("children",):  # the root's are top level
                    base, rest = ("indicators",), rest[1:]
                at = self.locations.at((*base, *rest))
        if node is not None:
            where = where or node.source
            path = path or self.paths.get(node.id, node.id)
        key_text, key_where = at if at is not None else (None, None)
        self.findings.append(finding(severity, message, path, where, key_text, key_where,
                                     code=code))

    # -- driver ------------------------------------------------------------------

    def run(self) -> None:
        with paused():  # a large ruleset's heap: see rubric.collector
            self._paths(self.ruleset.root, ())
            self._group(self.ruleset.root)
            total = self.ruleset.policy.total_points
            root = self.ruleset.root
            if root.points != total:
                self.add("error", msg("total", points=root.points, total=total), root)
            self._facts()
            for severity, message, row, where, key in option_findings(self.ruleset):  # vetoes
                self.add(severity, message, row, where, None if row else "vetoes", key=key)  # type: ignore[arg-type]
        if self.formula_rules:  # hypothesis makes garbage: the collector runs
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
        ranges = [r if adds_up(c) else (ZERO, ZERO) for c, r in zip(group.children, ranges)]
        summed = children_points(group, self.ruleset.points)  # Group's, without recursing
        if group.max_points is not None and group.max_points != summed:
            if summed > group.max_points:
                self.add("error", msg("group-sum", "more", summed=summed,
                                      points=group.max_points), group, key="max_points")
            else:
                self.add("error", msg("group-sum", "less", summed=summed,
                                      points=group.max_points), group, key="max_points")
        self._precision(group)
        if group.select == "one_of":
            self._alternatives(group)
            low = min(r[0] for r in ranges)
            high = max(r[1] for r in ranges)
        else:
            low = sum((r[0] for r in ranges), ZERO)
            high = sum((r[1] for r in ranges), ZERO)
        points = self.ruleset.points[group.id]
        result = (min(low, points), min(high, points))
        self.reachable[group.id] = result
        return result

    def _alternatives(self, group: Group) -> None:
        """二者择其一: alternatives of different 分值 make the score depend on the choice."""
        first = group.children[0]
        odd = [(i, c) for i, c in enumerate(group.children) if c.points != first.points]
        if odd:
            worth = [msg("one-of-maxima", "worth", id=c.id, points=c.points)
                     for c in group.children]
            self.add("error", msg("one-of-maxima", worth=worth), group,
                     key=("children", odd[0][0], "max_points"))

    def _indicator(self, node: Indicator) -> tuple[Decimal, Decimal]:
        if not node.assessed:  # a placeholder never scored: rescaling keeps 100 reachable
            self.add("note", msg("not-assessed"), node)
            return ZERO, node.points
        rule = node.rule
        analysis = RowAnalysis(self, node)
        low, high = rule.analyse(analysis)  # type: ignore[attr-defined]
        points, awards = self.ruleset.points[node.id], rule.max_points
        self._precision(node)
        if awards > points:
            self.add("error", msg("above-max", awards=awards, points=points), node,
                     key="max_points")
        elif high < points:
            if awards < points:
                self.add("error", msg("full-marks-unreachable", "rule", points=points,
                                      awards=awards), node, key="max_points")
            else:
                self.add("error", msg("full-marks-unreachable", "domain", points=points,
                                      best=high, domains=self._domains(rule)), node,
                         fact_key=self._bound(rule, "maximum" if rule.direction != "lower"
                                              else "minimum"))
        if low < 0:
            self.add("error", msg("below-zero", low=low), node)
        result = (max(ZERO, min(low, points)), min(high, points))
        self._lowest(node, result[0], analysis.low)
        self.reachable[node.id] = result
        return result

    def _lowest(self, node: Indicator, low: Decimal,
                reported: tuple[Message, str | tuple[Any, ...] | None] | None) -> None:
        """A row that can never drop to 0 (a floor, a step too small for the domain), unless
        its ``min_points`` says so; the rule's own explanation (``reported``) when it gave one."""
        declared = node.min_points
        if declared is not None:
            if declared != low:
                self.add("warning", msg("min-points", declared=declared, low=low), node,
                         key="min_points")
            return
        if low <= 0:
            return
        message, key = reported or (
            msg("min-above-zero", "domains", low=low, domains=self._domains(node.rule)), "rule")
        self.add("warning", msg("min-above-zero", "declare", reason=message, low=low), node,
                 key=key)

    def _bound(self, rule: Any, bound: str) -> tuple[str, str] | None:
        """(fact, key) of the first number input declaring ``bound``: the domain at fault."""
        for name in rule.inputs:
            spec = self.ruleset.specs.get(name)
            if spec is not None and getattr(spec, bound, None) is not None:
                return (name, bound)
        return None

    def _precision(self, node: Node) -> None:
        policy = self.ruleset.policy
        points = self.ruleset.points[node.id]
        if policy.round_rows and policy.round(points) != points:
            self.add("error", msg("precision", points=points, precision=policy.precision,
                                  rounded=policy.round(points)), node, key="max_points")

    def _domains(self, rule: Any) -> list[Message]:
        parts = []
        for name in rule.inputs:
            spec = self.ruleset.specs.get(name)
            if spec is not None and spec.type == "number":
                parts.append(msg("part", "fact-domain", fact=name, domain=domain_of(spec)))
        return parts

    def domain(self, name: str) -> tuple[Decimal | None, Decimal | None]:
        return self.ruleset.domain(name)

    # -- facts, formulas, units ----------------------------------------------------

    def _facts(self) -> None:
        used: set[str] = set()
        for node in self.ruleset.indicators():
            used.update(node.rule.inputs)
        for _name, formula in self.ruleset.derived:
            used.update(formula.names)
        for constraint in self.ruleset.checks:  # a fact read only by a constraint is used
            used.update(constraint.names)
        used.update(veto.fact for veto in self.ruleset.vetoes)
        for spec in self.ruleset.facts:
            if spec.name not in used:
                self.add("warning", msg("unused-fact", fact=spec.name), where=spec.source,
                         path=None)
        for spec in self.ruleset.facts:
            if spec.formula is not None:
                self._formula(spec.formula, msg("part", "what-fact", fact=spec.name), spec.source,
                              None, declared=(spec.name, spec.unit), derived=spec.name)
        for node, check in self.unit_checks:  # asked for by the rules, in table order
            if check[0] == "formula":
                self._formula(check[1], msg("part", "what-score"), node.source, node,
                              declared=("points", None), derived=None,
                              key=("rule", "expression"))
            else:
                self._same_kind(node, check[1], check[2])

    def _same_kind(self, node: Indicator, a: str, t: str) -> None:
        da, dt = self.unit_dim(a), self.unit_dim(t)
        if da is not None and dt is not None and da != dt:
            self.add("error", msg("unit-mismatch", "ratio", a=a, a_dim=dim_text(da, self.unit(a)),
                                  b=t, b_dim=dim_text(dt, self.unit(t))), node)

    def unit(self, name: str) -> str | None:
        spec = self.ruleset.specs.get(name)
        return spec.unit if spec is not None else None

    def unit_dim(self, name: str) -> dict[str, int] | None:
        spec = self.ruleset.specs.get(name)
        if spec is None or spec.type != "number":
            return None
        return unit_dimension(spec.unit, self.ruleset)

    def _formula(self, text: str, what: Message, where: str | None, node: Indicator | None, *,
                 declared: tuple[str, str | None], derived: str | None,
                 key: tuple[Any, ...] | None = None) -> None:
        try:
            tree = ast.parse(text.strip(), mode="eval").body
        except SyntaxError:  # pragma: no cover - the engine compiled it already
            return
        source = text.strip()
        dims = Dims(self, source)
        result = dims.visit(tree)
        for problem in dims.problems:
            self.add("error", msg("unit-mismatch", "formula", what=what, source=source,
                                  problem=problem), node, where=where, key=key)
        name, unit = declared
        if result is not ANY and not dims.problems:
            want = {} if name == "points" else unit_dimension(unit, self.ruleset)
            if result != want:
                target = (msg("unit-mismatch", "target-points") if name == "points"
                          else msg("unit-mismatch", "target-unit", unit=unit) if unit
                          else msg("unit-mismatch", "target-pure"))
                # a derived fact's value would be read in the wrong unit: certain, an error;
                # a score formula reads the numbers as held (docs/ruleset-format.md): its
                # points in a unit may be meant (培训人次 / 100), a warning
                severity: Severity = "warning" if name == "points" else "error"
                self.add(severity, msg("unit-mismatch", "result", what=what, source=source,
                                       dim=dim_text(result, None), target=target),
                         node, where=where, key=key)
        if derived is not None and not dims.problems:
            self._derived_domain(derived, tree, source, what, where, node)
        for den in divisions(tree):
            lo, hi = Intervals(self).visit(den)
            if lo <= 0 <= hi:
                self._zero_division(what, source, den, lo, hi, where, node, derived)

    def _derived_domain(self, derived: str, tree: ast.AST, source: str, what: Message,
                        where: str | None, node: Indicator | None) -> None:
        """A formula that can leave its fact's declared domain: evaluation then fails."""
        spec = self.ruleset.specs[derived]
        if spec.minimum is None and spec.maximum is None:
            return
        flo, fhi = Intervals(self).visit(tree)
        if (flo, fhi) == Intervals.WHOLE:
            return  # nothing known: no claim
        below = spec.minimum is not None and flo < spec.minimum
        above = spec.maximum is not None and fhi > spec.maximum
        if below or above:
            self.add("warning", msg("derived-domain", what=what, source=source,
                                    range=interval_text(flo, True, fhi, True), domain=spec),
                     node, where=where)

    def _zero_division(self, what: Message, source: str, den: ast.AST, lo: Decimal, hi: Decimal,
                       where: str | None, node: Indicator | None, derived: str | None) -> None:
        den_text = ast.get_source_segment(source, den) or "?"
        reading = self.ruleset.defaults.zero_over_zero
        said = {"what": what, "source": source, "den": den_text,
                "range": interval_text(lo, True, hi, True)}
        effects = self._effects(derived, den) if derived is not None else []
        if effects:
            message = msg("zero-division", "effects", **said, effects=Seq(tuple(effects), "semi"))
        elif derived is None:
            message = msg("zero-division", "score", **said)
        else:
            message = msg("zero-division", "reading-by-direction" if reading == "by_direction"
                          else "reading", **said, reading=reading)
        # A rate whose zero denominator the policy's reading settles (domain.md §3.6) is
        # shown as a note; a score formula that would turn into a range is a warning.
        # A scoring probe that failed is an error whatever the reading.
        severity: Severity = ("error" if any("fails (" in e.en for e in effects)
                              else "warning" if derived is None else "note")
        self.add(severity, message, node, where=where)

    def _reading(self, row: Indicator, score: str | Message) -> Message:
        """What ``row`` scores at 0/0 under the reading that applies to it, as the engine
        reads it."""
        given = getattr(row.rule, "zero_over_zero", None) or self.ruleset.defaults.zero_over_zero
        reading = zero_over_zero_reading(given, row.rule.direction)
        if given == reading:
            return msg("zero-division", "0/0", score=score, reading=reading)
        direction = row.rule.direction
        variant = "0/0-" + (direction if direction in ("lower", "higher") else "other")
        return msg("zero-division", variant, score=score, reading=reading, given=given,
                   **({} if direction in ("lower", "higher") else {"direction": direction}))

    def _effects(self, derived: str, den: ast.AST) -> list[Message]:
        """What each row reading ``derived`` scores at x/0 and at 0/0, scored by the engine.

        Facts are built for the plain case of a denominator that is one given fact: it
        is set to 0 and the other inputs to 1 (x/0) or 0 (0/0), where their domains
        allow; otherwise nothing is claimed.
        """
        from ..engine.evaluation import score_row

        if not isinstance(den, ast.Name):
            return []
        ruleset = self.ruleset
        specs = ruleset.specs
        inputs = ruleset.base_inputs((derived,))
        if den.id not in inputs:
            return []
        readers = self.readers.get(derived, [])
        found: dict[str, list[Message]] = {r.id: [] for r in readers}
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
                    with self._probes.values(facts) as values:
                        records = {row.id: score_row(ruleset, values, row) for row in readers}
                        rate = values.get(derived)
                except Exception as exc:  # noqa: BLE001 - reported, not raised
                    for row in readers:
                        found[row.id].append(msg("zero-division", "fails", error=exc))
                    continue
                if rate is UNDEFINED:
                    sign = None
                elif isinstance(rate, Decimal) and rate.is_infinite():
                    sign = "+" if rate > 0 else "-"
                else:
                    continue
                for row in readers:
                    low, high = records[row.id][0], records[row.id][1]
                    score = (fmt(low) if low == high
                             else msg("zero-division", "range", low=low, high=high))
                    found[row.id].append(self._reading(row, score) if sign is None else
                                         msg("zero-division", "x/0", score=score, sign=sign))
        return [msg("zero-division", "row", row=rid, parts=Seq(tuple(parts), "and"))
                for rid, parts in found.items() if parts]

    # -- formula rules: property-checked -----------------------------------------

    def _property_check_formulas(self) -> None:
        try:
            from .. import testing
        except ImportError:  # hypothesis is the `testing` extra
            for node, _rule, _key in self.formula_rules:
                self.add("warning", msg("not-verified"), node)
            return
        for node, rule, key in self.formula_rules:
            for severity, code, message in testing.formula_counterexamples(self.ruleset, node,
                                                                           rule=rule):
                # A counterexample is certain: a raw score outside [0, 分值] is a defect the
                # engine only hides by clamping.
                self.add("error" if code == "formula-bounds" else severity,  # type: ignore[arg-type]
                         message, node, key=("rule", *key, "expression"))
