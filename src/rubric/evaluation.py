"""Evaluation: a pure function from (ruleset, facts) to an immutable ``Result``.

Order of work (domain.md §3.4-§3.5): derived facts are computed exactly; each row is
scored by its rule, capped at its 分值 and rounded to the policy's precision; groups
sum their rounded children and cap at their own 分值; the total is graded. Where facts
are missing the row is a range ``[low, high]``; ranges add up through sums and caps
(``min(sum, cap)`` is monotone, so the bounds stay sound), and every node lists the
facts that would settle it.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from .errors import EvaluationError, RubricError
from .explain import explain_steps, fmt, step_to_dict
from .facts import MISSING, NOT_APPLICABLE, UNDEFINED, Facts, Unsettled, is_known
from .policy import ROUNDING_MODES, RuleDefaults
from .tree import Group, Indicator, Node, Ruleset

__all__ = ["NodeResult", "Result", "evaluate"]

ZERO = Decimal(0)
_CONTEXT = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN,
                           traps=[decimal.InvalidOperation, decimal.DivisionByZero])


class NodeResult(NamedTuple):
    """The score of one indicator or group (an immutable named tuple).

    ``low == high`` when the score is settled (``score`` is then that value, else
    ``None``); ``missing`` names the facts that would settle it; ``trace`` holds the
    structured steps that ``explain`` renders.
    """

    id: str
    name: str
    kind: str
    depth: int
    max_points: Decimal
    low: Decimal
    high: Decimal
    applicable: bool = True
    missing: tuple[str, ...] = ()
    trace: tuple[tuple[Any, ...], ...] = ()
    warnings: tuple[tuple[Any, ...], ...] = ()
    children: tuple[NodeResult, ...] = ()
    units: Mapping[str, str] = {}

    @property
    def score(self) -> Decimal | None:
        return self.low if self.low == self.high else None

    @property
    def exact(self) -> bool:
        return self.low == self.high

    def explain(self, lang: str = "zh") -> str:
        """This node's explanation in Chinese (``zh``) or English (``en``)."""
        return explain_steps(self.trace, lang, self.units)

    def explain_warnings(self, lang: str = "zh") -> list[str]:
        return [explain_steps((w,), lang, self.units) for w in self.warnings]

    def walk(self) -> Iterator[NodeResult]:
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "depth": self.depth,
            "max_points": fmt(self.max_points),
            "score": None if self.score is None else fmt(self.score),
            "low": fmt(self.low),
            "high": fmt(self.high),
            "applicable": self.applicable,
            "missing_facts": list(self.missing),
            "explanation": self.explain(lang),
            "trace": [step_to_dict(s) for s in self.trace],
            "warnings": [
                {**step_to_dict(w), "message": explain_steps((w,), lang, self.units)}
                for w in self.warnings
            ],
            "children": [c.to_dict(lang) for c in self.children],
        }


@attrs.frozen
class Result:
    """The scored table: ``total`` (the root node), its grade, and every row."""

    ruleset: Ruleset = attrs.field(repr=False)
    total: NodeResult
    grade: str | None
    grades: tuple[str, ...]
    derived: Mapping[str, object] = attrs.field(factory=dict, repr=False)
    warnings: tuple[str, ...] = ()
    facts: Mapping[str, object] = attrs.field(factory=dict, repr=False)

    def value(self, name: str) -> object:
        """The value a fact had in this evaluation (given or derived; MISSING if absent)."""
        if name in self.facts:
            return self.facts[name]
        return self.derived.get(name, MISSING)

    def rows(self) -> Iterator[NodeResult]:
        """Indicator results in table order."""
        return (n for n in self.total.walk() if n.kind == "indicator")

    def nodes(self) -> Iterator[NodeResult]:
        return self.total.walk()

    def __getitem__(self, node_id: str) -> NodeResult:
        for node in self.total.walk():
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    @property
    def missing(self) -> tuple[str, ...]:
        """Facts that would settle the total, in table order."""
        return self.total.missing

    def explain(self, lang: str = "zh") -> str:
        """Every row's explanation, one per line."""
        lines = []
        for node in self.rows():
            score = fmt(node.score) if node.score is not None else f"{fmt(node.low)}–{fmt(node.high)}"
            lines.append(f"{node.name} [{score}/{fmt(node.max_points)}]: {node.explain(lang)}")
        return "\n".join(lines)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """JSON-ready dict; the shape is documented in docs/result-format.md."""
        meta = self.ruleset.metadata
        total = self.total
        return {
            "format": "rubric.result/1",
            "ruleset": {"id": meta.id, "name": meta.name, "version": meta.version,
                        "fiscal_year": meta.fiscal_year},
            "total": {
                "score": None if total.score is None else fmt(total.score),
                "low": fmt(total.low),
                "high": fmt(total.high),
                "max_points": fmt(total.max_points),
            },
            "grade": self.grade,
            "grades": list(self.grades),
            "missing_facts": list(total.missing),
            "facts": {k: _json_value(v) for k, v in self.facts.items()},
            "derived": {k: _json_value(v) for k, v in self.derived.items()},
            "warnings": list(self.warnings),
            "tree": total.to_dict(lang),
        }


def _json_value(value: object) -> object:
    if value is MISSING:
        return None
    if value is NOT_APPLICABLE:
        return "不适用"
    if isinstance(value, Unsettled):
        return value.text
    if not is_known(value):
        return str(value)
    return fmt(value)


def _node(fields: tuple[Any, ...]) -> NodeResult:
    """Build a NodeResult from a complete field tuple without NamedTuple's slow __new__."""
    return _tuple_new(NodeResult, fields)  # type: ignore[no-any-return]


_tuple_new = tuple.__new__


class _Ctx:
    __slots__ = ("defaults", "domain")

    def __init__(self, defaults: RuleDefaults, ruleset: Ruleset) -> None:
        self.defaults = defaults
        self.domain = ruleset.domain


def evaluate(ruleset: Ruleset, facts: Mapping[str, Any] | Facts) -> Result:
    """Score ``facts`` with ``ruleset``. Pure: the same inputs give an equal result.

    ``facts`` is a plain mapping (checked and converted by the ruleset's declarations,
    FactError on bad values) or a ``Facts`` from ``ruleset.facts_from``.
    """
    prepared = ruleset.facts_from(facts)
    policy = ruleset.policy
    with decimal.localcontext(_CONTEXT):
        values: dict[str, object] = dict(prepared.values)
        derived: dict[str, object] = {}
        for name, formula in ruleset.derived:
            value = _derive(formula, values)
            values[name] = value
            derived[name] = value
        ev = _Evaluator(ruleset, values)
        total = ev.group(ruleset.root, 0)
        if ev.not_applicable and policy.not_applicable == "renormalise":
            total = _renormalise(total, policy)
        if not policy.round_rows:  # rows kept exact: round the total only, then grade it
            total = total._replace(low=policy.round(total.low), high=policy.round(total.high))
    grade_low, grade_high = policy.grade(total.low), policy.grade(total.high)
    if grade_low == grade_high:
        grade: str | None = grade_low
        grades: tuple[str, ...] = (grade_low,)
    else:
        grade = None
        names = [g.name for g in policy.grades]
        grades = tuple(names[names.index(grade_high): names.index(grade_low) + 1])
    return Result(ruleset, total, grade, grades, derived, ruleset.warnings, prepared.values)


def _derive(formula: Any, values: Mapping[str, object]) -> object:
    args = {}
    for name in formula.names:
        v = values.get(name, MISSING)
        if v is NOT_APPLICABLE:
            return NOT_APPLICABLE
        if not is_known(v):
            return MISSING
        args[name] = v
    try:
        return formula(args)
    except (decimal.InvalidOperation, TypeError) as exc:
        raise EvaluationError(f"formula '{formula.text}' failed: {exc}",
                              expected="numbers for every fact it uses") from None


class _Evaluator:
    __slots__ = ("ruleset", "policy", "values", "units", "ctx", "points", "not_applicable",
                 "quantum", "mode", "round_rows", "missing_zero", "inputs", "prepared",
                 "zero_over_zero")

    def __init__(self, ruleset: Ruleset, values: dict[str, object]) -> None:
        self.ruleset = ruleset
        self.policy = policy = ruleset.policy
        self.values = values
        self.units = ruleset.units
        self.ctx = _Ctx(policy.defaults, ruleset)
        self.points = ruleset.points
        self.not_applicable = False
        self.quantum = policy.quantum
        self.mode = ROUNDING_MODES[policy.rounding]
        self.round_rows = policy.round_rows
        self.missing_zero = policy.missing == "zero"
        self.inputs = ruleset.base_inputs
        self.prepared = ruleset._prepared
        self.zero_over_zero = policy.defaults.zero_over_zero

    def indicator(self, node: Indicator, depth: int) -> NodeResult:
        try:
            out = self.prepared[node.id](self.values)
        except EvaluationError as exc:
            raise EvaluationError(exc.message, where=node.source, indicator=node.id,
                                  expected=exc.expected, example=exc.example) from None
        except RubricError:
            raise
        except ArithmeticError as exc:
            raise EvaluationError(f"arithmetic failed: {exc!r}", indicator=node.id) from None
        max_points = self.points[node.id]
        low, high, trace, missing, warnings, applicable = out
        if not applicable:
            self.not_applicable = True
            return _node((node.id, node.name, "indicator", depth, max_points, ZERO, ZERO,
                              False, (), trace, (), (), self.units))
        if high > max_points:
            trace = trace + (("capped", high, max_points),)
            high = max_points
            if low > max_points:
                low = max_points
        if missing and self.zero_over_zero != "undefined" and all(
                self.values.get(name) is UNDEFINED for name in missing):
            # A rate of 0/0 (nothing budgeted, nothing spent): domain.md §3.6's reading.
            low = high = high if self.zero_over_zero == "full" else ZERO
            trace = tuple(s for s in trace if s[0] not in ("undefined", "range")) + (
                ("zero_over_zero", self.zero_over_zero, low),)
            missing = ()
        if missing:
            if self.missing_zero:
                trace = trace + (("missing_as_zero", low),)
                high = low
                missing = ()
            else:
                base = self.inputs(missing)
                # name only the inputs still unknown (a given denominator settles nothing)
                missing = tuple(n for n in base if not is_known(self.values.get(n, MISSING))
                                ) or base
        if self.round_rows:
            q, mode = self.quantum, self.mode
            rounded = low.quantize(q, mode)
            if low == high:
                if rounded != low:
                    trace = trace + (("rounded", low, rounded, self.policy.rounding),)
                low = high = rounded
            else:
                low, high = rounded, high.quantize(q, mode)
        return _node((node.id, node.name, "indicator", depth, max_points, low, high, True,
                          missing, trace, warnings, (), self.units))

    def group(self, node: Group, depth: int) -> NodeResult:
        sub = depth + 1
        children = tuple(
            self.indicator(c, sub) if type(c) is Indicator else self.group(c, sub)  # type: ignore[arg-type]
            for c in node.children
        )
        max_points = self.points[node.id]
        trace: tuple[tuple[Any, ...], ...] = ()
        if node.select == "one_of":
            pairs = [(c, r) for c, r in zip(node.children, children) if r.applicable]
            chosen = next((r for c, r in pairs if self._given(c)), None)
            if chosen is None:  # nothing given: any alternative could be the one
                used = [r for _c, r in pairs]
                low = min((r.low for r in used), default=ZERO)
                high = max((r.high for r in used), default=ZERO)
                return _node((node.id, node.name, "group", depth, max_points,
                                  min(low, max_points), min(high, max_points), bool(used),
                                  _merge_missing(used),
                                  (("missing", "/".join(r.name for r in used)),
                                   ("range", low, high)), (), children, self.units))
            trace = (("one_of", chosen.name),)
            used = [chosen]
        else:
            used = [c for c in children if c.applicable]
        if not used:
            return _node((node.id, node.name, "group", depth, max_points, ZERO, ZERO, False,
                              (), (("not_applicable", node.name),), (), children, self.units))
        low = high = ZERO
        missing = False
        for c in used:
            low += c.low
            high += c.high
            missing = missing or bool(c.missing)
        if (self.policy.not_applicable == "redistribute" and node.select == "all"
                and len(used) < len(children)):
            applicable_max = sum((c.max_points for c in used), ZERO)
            if applicable_max:
                scale = max_points / applicable_max
                low = (low * scale).quantize(self.quantum, self.mode)
                high = (high * scale).quantize(self.quantum, self.mode)
                trace = trace + (("renormalised", applicable_max, max_points),)
        if high > max_points:
            trace = trace + (("capped", high, max_points),)
            high = max_points
            if low > max_points:
                low = max_points
        return _node((node.id, node.name, "group", depth, max_points, low, high, True,
                      _merge_missing(used) if missing else (), trace, (), children,
                      self.units))

    def _given(self, node: Node) -> bool:
        """Whether any fact ``node`` reads is given (selects a "one of" alternative)."""
        if isinstance(node, Indicator):
            return any(self.values.get(f, MISSING) is not MISSING for f in node.rule.inputs)
        return any(self._given(c) for c in node.children)


def _merge_missing(children: list[NodeResult]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for child in children:
        for name in child.missing:
            seen.setdefault(name, None)
    return tuple(seen)


def _applicable_max(result: NodeResult) -> Decimal:
    if not result.applicable:
        return ZERO
    if result.kind == "indicator":
        return result.max_points
    total = sum((_applicable_max(c) for c in result.children), ZERO)
    return min(total, result.max_points)


def _renormalise(total: NodeResult, policy: Any) -> NodeResult:
    applicable = _applicable_max(total)
    if not applicable or applicable == total.max_points:
        return total
    scale = policy.total_points / applicable
    low, high = policy.round(total.low * scale), policy.round(total.high * scale)
    step = ("renormalised", applicable, policy.total_points)
    return total._replace(low=low, high=high, trace=total.trace + (step,))
