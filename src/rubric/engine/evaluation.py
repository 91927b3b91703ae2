"""Evaluation: a pure function from (ruleset, facts) to an immutable ``Result``.

Order of work (the rounding and cap conventions of docs/ruleset-format.md): derived
facts are computed exactly; each row is scored by its rule, capped at its 分值 and rounded
to the policy's precision; groups sum their rounded children and cap at their own 分值;
the total is graded. Where facts are missing the row is a range ``[low, high]``; ranges
add up through sums and caps (``min(sum, cap)`` is monotone, so the bounds stay sound),
and every node lists the facts that would settle it.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from ..constraints import check_constraints
from ..errors import EvaluationError, RubricError
from ..facts import (
    MISSING,
    NOT_APPLICABLE,
    UNDEFINED,
    Asserted,
    Facts,
    FactSpec,
    Unsettled,
    is_known,
)
from ..policy import ROUNDING_MODES, zero_over_zero_reading
from ..rules import Outcome
from ..rules.base import outcome
from ..rules.row_options import given_not_applicable
from ..text import fmt
from ..trace import (
    Capped,
    Missing,
    MissingAsZero,
    NotApplicable,
    OneOf,
    Range,
    Renormalised,
    Rounded,
    Step,
    TableVetoStep,
    ZeroOverZero,
    explain_steps,
    given_steps,
)
from ..tree import Group, Indicator, Node, Ruleset
from .compiled_run import run_builder
from .moves import moves_of, shift
from .plan import PlanStep, plan_of
from .rescaling import Rescaling
from .result_nodes import node_heads, tree_builder
from .vetoes import graded

# The user API; DECIMAL_CONTEXT, derive and score_row serve the verification modules.
__all__ = ["NodeResult", "Rescaling", "Result", "evaluate"]

ZERO = Decimal(0)
DECIMAL_CONTEXT = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN,
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
    trace: tuple[Step, ...] = ()
    warnings: tuple[Step, ...] = ()
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
        stack = [self]  # pre-order without a generator per level
        while stack:
            yield (node := stack.pop())
            stack.extend(reversed(node.children))

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
            "trace": [s.to_dict() for s in self.trace],
            "warnings": [
                {**w.to_dict(), "message": explain_steps((w,), lang, self.units)}
                for w in self.warnings
            ],
            "children": [c.to_dict(lang) for c in self.children],
        }


@attrs.frozen
class Result:
    """The scored table: ``total`` (the root node), its grade, and every row.

    Evaluation stores one record per node, an ``Outcome`` (the shape rules return), in
    the ruleset's plan order; the ``NodeResult`` tree is built from them
    the first time it is asked for, so scoring many units does not pay for objects
    nobody reads.
    """

    ruleset: Ruleset = attrs.field(repr=False)
    records: tuple[Outcome, ...] = attrs.field(repr=False)
    grade: str | None
    grades: tuple[str, ...]
    derived: Mapping[str, object] = attrs.field(factory=dict, repr=False)
    warnings: tuple[str, ...] = ()
    facts: Mapping[str, object] = attrs.field(factory=dict, repr=False)
    #: how the total was rescaled to the applicable rows, None when it was not
    rescaled: Rescaling | None = None
    #: steps that open the trace of each row reading the fact: how its given text was
    #: read (a yes/no in other words, a plain number for a % fact)
    given: Mapping[str, Step] = attrs.field(factory=dict, repr=False)
    #: what the facts are about, not facts (``Facts.metadata``: unit, project, fiscal_year…)
    metadata: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    #: the table's vetoes (``ruleset.vetoes``) as they applied: held, not, or unknown
    vetoes: tuple[TableVetoStep, ...] = ()

    def rescaling_text(self, lang: str = "zh") -> str | None:
        """``按适用指标折算：88.90 / 90 × 100 = 98.78`` when the total was rescaled, else
        None: every output prints it beside the total."""
        return None if self.rescaled is None else self.rescaled.text(lang)

    def veto_texts(self, lang: str = "zh") -> tuple[str, ...]:
        """Each veto of the table that held or may hold, as text (``一票否决：…``): every
        output prints them beside the total."""
        return tuple(v.render(lang, {}) for v in self.vetoes if v.held is not False)

    @property
    def fact_warnings(self) -> tuple[str, ...]:
        """The warnings about this unit's facts: plain numbers read for % facts and
        violated constraints (``warnings`` without the ruleset's structural ones)."""
        return self.warnings[len(self.ruleset.warnings):]

    @functools.cached_property
    def total(self) -> NodeResult:
        """The root node, with every group and row below it."""
        given, units = self.given, self.ruleset.units
        if not given:
            build = tree_builder(self.ruleset, NodeResult)
            if build is not None:  # straight-line code of this ruleset's tree
                return build(self.records, units)  # type: ignore[no-any-return]
        nodes: list[NodeResult] = []
        for (head, inputs, kids), (low, high, steps, missing, warnings, applicable) in zip(
                node_heads(self.ruleset), self.records):  # post-order: children come first
            trace = (*(given[f] for f in inputs if f in given), *steps) if given else steps
            nodes.append(_tuple_new(NodeResult, (*head, low, high, applicable, missing, trace,
                                                 warnings, tuple([nodes[k] for k in kids]),
                                                 units)))
        return nodes[-1]

    @property
    def low(self) -> Decimal:
        """The lowest total the facts allow (the total when it is settled)."""
        return self.records[-1].low

    @property
    def high(self) -> Decimal:
        """The highest total the facts allow."""
        return self.records[-1].high

    @property
    def score(self) -> Decimal | None:
        """The total when it is settled, else None."""
        total = self.records[-1]
        return total.low if total.low == total.high else None

    def scores(self) -> dict[str, tuple[Decimal, Decimal]]:
        """Every node's ``(low, high)`` by id, without building the NodeResult tree."""
        return {step.node.id: (rec.low, rec.high)
                for step, rec in zip(plan_of(self.ruleset).steps, self.records)}

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
        return self.records[-1].missing

    def explain(self, lang: str = "zh") -> str:
        """Every row's explanation, one per line."""
        lines = []
        for node in self.rows():
            low, high = node.low, node.high
            score = fmt(low) if low == high else f"{fmt(low)}–{fmt(high)}"
            lines.append(f"{node.name} [{score}/{fmt(node.max_points)}]: {node.explain(lang)}")
        return "\n".join(lines)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """JSON-ready dict; the shape is documented in docs/result-format.md."""
        meta, total = self.ruleset.metadata, self.total
        return {
            "format": "rubric.result/1",
            "ruleset": {"id": meta.id, "name": meta.name, "version": meta.version,
                        "fiscal_year": meta.fiscal_year},
            "total": {
                "score": None if total.score is None else fmt(total.score),
                "low": fmt(total.low),
                "high": fmt(total.high),
                "max_points": fmt(total.max_points),
                "rescaled": None if self.rescaled is None else self.rescaled.to_dict(lang),
            },
            "grade": self.grade,
            "grades": list(self.grades),
            "missing_facts": list(total.missing),
            "facts": {k: _json_value(v) for k, v in self.facts.items()},
            "derived": {k: _json_value(v) for k, v in self.derived.items()},
            "warnings": list(self.warnings),
            "tree": total.to_dict(lang),
            **({"vetoes": [{**v.to_dict(), "message": v.render(lang, {})} for v in self.vetoes]}
               if self.ruleset.vetoes else {}),
        }


def _json_value(value: object) -> object:
    if value is MISSING:
        return None
    if value is NOT_APPLICABLE:
        return "不适用"
    if isinstance(value, (Unsettled, Asserted)):
        return value.text
    if not is_known(value):
        return str(value)
    return fmt(value)


_tuple_new = tuple.__new__  # builds a NodeResult without NamedTuple's slow __new__


def evaluate(ruleset: Ruleset, facts: Mapping[str, Any] | Facts) -> Result:
    """Score ``facts`` with ``ruleset``. Pure: the same inputs give an equal result.

    ``facts`` is a plain mapping (checked and converted by the ruleset's declarations,
    FactError on bad values) or a ``Facts`` from ``ruleset.facts_from``.
    """
    plan = plan_of(ruleset)
    prepared = plan.coerce(facts)
    with decimal.localcontext(DECIMAL_CONTEXT):
        values: dict[str, object] = dict(prepared.values)
        derived: dict[str, object] = {}
        specs = ruleset.specs
        for name, formula in ruleset.derived:
            try:
                for arg in formula.names:
                    if type(values.get(arg)) is not Decimal:  # missing, 不适用, a state…
                        value = derive(formula, values)
                        break
                else:  # every input a number: the formula reads only its names
                    value = formula(values)
            except EvaluationError as exc:  # located at the derived fact's declaration
                raise EvaluationError(exc.message, where=exc.where or specs[name].source,
                                      expected=exc.expected, example=exc.example) from None
            if type(value) is Decimal:
                _check_domain(specs[name], value)
            values[name] = value
            derived[name] = value
        violated = check_constraints(ruleset.checks, values, ruleset.units) \
            if ruleset.checks else ()
        evaluator = _Evaluator(ruleset, plan.steps, values, prepared.not_applicable_rows)
        records = list(evaluator.run())
    grade, grades, vetoes = graded(ruleset, values, records)  # the table's vetoes applied
    rescaled = None if any(v.held and v.effect == "zero" for v in vetoes) else evaluator.rescaled
    warnings = ruleset.warnings
    if prepared.warnings or violated:
        warnings = warnings + prepared.warnings + violated
    return Result(ruleset, tuple(records), grade, grades, derived, warnings, prepared.values,
                  rescaled, given=given_steps(prepared), metadata=prepared.metadata,
                  vetoes=vetoes)


def _check_domain(spec: FactSpec, value: Decimal) -> None:
    """A derived value outside its declared domain: the declaration is wrong, say so."""
    lo, hi = spec.minimum, spec.maximum
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise EvaluationError(
            f"derived fact '{spec.name}' = {fmt(value)} ({spec.formula}) is outside its "
            f"declared domain {spec.domain_text()}",
            where=spec.source, expected="inputs that keep it in the domain, or a wider "
            "minimum/maximum for it in the ruleset")


def derive(formula: Any, values: Mapping[str, object]) -> object:
    """A derived fact's value from ``values`` as evaluation computes it (in
    ``DECIMAL_CONTEXT``): MISSING or NOT_APPLICABLE when an input is, EvaluationError
    when the formula fails."""
    args = {}
    for name in formula.names:
        v = values.get(name, MISSING)
        if v is NOT_APPLICABLE:
            return NOT_APPLICABLE
        if not is_known(v):
            return MISSING
        args[name] = v
    return formula(args)  # a Formula raises EvaluationError when it cannot compute


Record = Outcome  # one shape for what a rule returns and what a node's evaluation keeps
# The hot loop below makes records with tuple.__new__, in Outcome's field order: the same
# Outcome, without a constructor call per row.
_new = tuple.__new__


def score_row(ruleset: Ruleset, values: dict[str, object], row: Indicator) -> Record:
    """One row's record from computed ``values`` (given and derived), exactly as
    evaluation's general path scores it: capped, 0/0 read, rounded; errors located."""
    plan = plan_of(ruleset)
    return _Evaluator(ruleset, plan.steps, values).indicator(
        row, ruleset.points[row.id], plan.prepared(row.id))


class _Evaluator:
    """One evaluation: walks the ruleset's plan, children before their group."""

    __slots__ = ("ruleset", "plan", "policy", "values", "not_applicable", "quantum", "mode",  # noqa: RUF023 - __init__ order
                 "round_rows", "missing_zero", "inputs", "zero_over_zero", "redistribute",
                 "rows_not_applicable", "rescaled", "moves")

    def __init__(self, ruleset: Ruleset, plan: tuple[PlanStep, ...],
                 values: dict[str, object], rows_not_applicable: frozenset[str] = frozenset()
                 ) -> None:
        self.ruleset = ruleset
        self.plan = plan
        self.policy = policy = ruleset.policy
        self.values = values
        self.not_applicable = False
        self.quantum = policy.quantum
        self.mode = ROUNDING_MODES[policy.rounding]
        self.round_rows = policy.round_rows
        self.missing_zero = policy.missing == "zero"
        self.inputs = ruleset.base_inputs
        self.zero_over_zero = policy.defaults.zero_over_zero
        self.redistribute = policy.not_applicable == "redistribute"
        self.rows_not_applicable = rows_not_applicable  # rows the facts give as 不适用
        self.rescaled: Rescaling | None = None
        self.moves = moves_of(ruleset, plan)  # rows whose 分值 moves to siblings (不适用)

    def run(self) -> tuple[Record, ...]:
        # a small ruleset's walk as straight-line code (engine.compiled_run), else the loop
        walk = None if self.rows_not_applicable or self.moves else run_builder(self.ruleset)
        records = self._walk() if walk is None else walk(self.values, self.indicator, self.group)
        policy = self.policy
        if self.not_applicable and policy.not_applicable == "renormalise":
            records[-1] = self._renormalise(records)
        if not self.round_rows:  # rows kept exact: round the total only, then grade it
            total = records[-1]
            records[-1] = total._replace(low=policy.round(total.low),
                                         high=policy.round(total.high))
            if self.rescaled is not None:
                self.rescaled = self.rescaled._replace(scaled_low=records[-1].low,
                                                       scaled_high=records[-1].high)
        return tuple(records)

    def _walk(self) -> list[Record]:
        plan = self.plan
        records: list[Record] = []
        append = records.append
        values, q, mode, rounding = self.values, self.quantum, self.mode, self.policy.rounding
        fast_rows = self.round_rows
        fast_groups = not self.redistribute
        rows_na = self.rows_not_applicable
        for node, _depth, max_points, rule, children in plan:
            if rule is not None:
                if rows_na and node.id in rows_na:  # left out, or scored by the row's reading
                    append(given_not_applicable(node, max_points, values))
                    self.not_applicable = self.not_applicable or not records[-1].applicable
                    continue
                if fast_rows:
                    # The common case inline: a settled row within its 分值, rounded.
                    try:
                        low, high, trace, missing, warnings, applicable = rule(values)
                    except Exception:  # noqa: BLE001 - the general path re-raises it, located
                        applicable = False  # let the general path raise the located error
                    if applicable and not missing and high <= max_points and low == high:
                        rounded = low.quantize(q, mode)
                        if rounded != low:
                            trace = (*trace, Rounded(low, rounded, rounding))
                        append(_new(Outcome, (rounded, rounded, trace, (), warnings, True)))
                        continue
                append(self.indicator(node, max_points, rule))  # type: ignore[arg-type]
            else:
                if self.moves and len(records) in self.moves:  # 分值 moved to siblings
                    shift(records, self.moves[len(records)], plan, q, mode)
                kids = [records[k] for k in children]
                if fast_groups and node.select == "all":  # type: ignore[union-attr]
                    low = high = ZERO
                    for kid_low, kid_high, _trace, missing, _warnings, applicable in kids:
                        if not applicable or missing:
                            break
                        low += kid_low
                        high += kid_high
                    else:  # every child applicable and settled
                        if high <= max_points:
                            append(_new(Outcome, (low, high, (), (), (), True)))
                            continue
                append(self.group(node, max_points, kids, children))  # type: ignore[arg-type]
        return records

    def indicator(self, node: Indicator, max_points: Decimal, rule: Any) -> Record:
        try:
            low, high, trace, missing, warnings, applicable = rule(self.values)
        except EvaluationError as exc:
            raise EvaluationError(exc.message, where=node.source, indicator=node.id,
                                  expected=exc.expected, example=exc.example) from None
        except RubricError:
            raise
        except ArithmeticError as exc:
            raise EvaluationError(f"arithmetic failed ({type(exc).__name__}) on facts this "
                                  "large or small", where=node.source, indicator=node.id,
                                  expected="values of a realistic size") from None
        if not applicable:
            self.not_applicable = True
            return Outcome(ZERO, ZERO, trace, applicable=False)
        if high > max_points:
            trace = (*trace, Capped(high, max_points))
            high = max_points
            low = min(low, max_points)
        if missing:
            values = self.values
            # A rule's own 0/0 reading wins over the policy's default; ``by_direction``
            # reads it by the rule's direction (lower-is-better: full; else undefined).
            given = getattr(node.rule, "zero_over_zero", None) or self.zero_over_zero
            reading = zero_over_zero_reading(given, node.rule.direction)
            zero_over_zero = all(values.get(name) is UNDEFINED for name in missing)
            if reading != "undefined" and zero_over_zero:
                # A rate of 0/0 (nothing budgeted, nothing spent): the reading decides.
                low = high = high if reading == "full" else ZERO
                trace = (*(s for s in trace if s.type not in ("undefined", "range")),
                         ZeroOverZero(reading, low))
                missing = ()
            else:
                if zero_over_zero:  # name the reading that leaves the rate undefined
                    at = next((i for i, s in enumerate(trace) if s.type == "range"),
                              len(trace))
                    trace = (*trace[:at], ZeroOverZero(reading, None), *trace[at:])
                if self.missing_zero:
                    trace = (*trace, MissingAsZero(low))
                    high = low
                    missing = ()
                else:
                    base = self.inputs(missing)
                    # name only the inputs still unknown (a given denominator settles
                    # nothing)
                    missing = tuple(n for n in base
                                    if not is_known(values.get(n, MISSING))) or base
        if self.round_rows:
            q, mode = self.quantum, self.mode
            rounded = low.quantize(q, mode)
            if low == high:
                if rounded != low:
                    trace = (*trace, Rounded(low, rounded, self.policy.rounding))
                low = high = rounded
            else:
                low, high = rounded, high.quantize(q, mode)
        return outcome(low, high, trace, missing, warnings)

    def group(self, node: Group, max_points: Decimal, kids: list[Record],
              kid_index: tuple[int, ...]) -> Record:
        trace: tuple[Step, ...] = ()
        if node.select == "one_of":
            plan = self.plan
            pairs = [(plan[k].node, r) for k, r in zip(kid_index, kids) if r.applicable]
            chosen = next(((c, r) for c, r in pairs if self._given(c)), None)
            if chosen is None:  # nothing given: any alternative could be the one
                used = [r for _c, r in pairs]
                low = min((r.low for r in used), default=ZERO)
                high = max((r.high for r in used), default=ZERO)
                return Outcome(min(low, max_points), min(high, max_points),
                               (Missing("/".join(c.name for c, _r in pairs)),
                                Range(low, high)),
                               _merge_missing(used), (), bool(used))
            chosen_node, chosen_record = chosen
            trace = (OneOf(chosen_node.name),)
            used = [chosen_record]
        else:
            used = [r for r in kids if r.applicable]
        if not used:
            return Outcome(ZERO, ZERO, (NotApplicable(node.name),), applicable=False)
        low = high = ZERO
        missing = False
        for r in used:
            low += r.low
            high += r.high
            if r.missing:
                missing = True
        if self.redistribute and node.select == "all" and len(used) < len(kids):
            plan = self.plan
            applicable_max = sum((plan[k].max_points for k, r in zip(kid_index, kids)
                                  if r.applicable), ZERO)
            if applicable_max:
                scale = max_points / applicable_max
                low = (low * scale).quantize(self.quantum, self.mode)
                high = (high * scale).quantize(self.quantum, self.mode)
                trace = (*trace, Renormalised(applicable_max, max_points))
        if high > max_points:
            trace = (*trace, Capped(high, max_points))
            high = max_points
            low = min(low, max_points)
        return Outcome(low, high, trace, _merge_missing(used) if missing else ())

    def _given(self, node: Node) -> bool:
        """Whether any fact ``node`` reads is given (selects a "one of" alternative)."""
        if isinstance(node, Indicator):
            return any(self.values.get(f, MISSING) is not MISSING for f in node.rule.inputs)
        return any(self._given(c) for c in node.children)

    def _renormalise(self, records: list[Record]) -> Record:
        """Scale the total to the policy's total over the applicable rows (§2.15)."""
        plan, policy = self.plan, self.policy
        applicable: list[Decimal] = []
        for step, rec in zip(plan, records):
            if not rec.applicable:
                applicable.append(ZERO)
            elif step.rule is not None:
                applicable.append(step.max_points)
            else:
                total = sum((applicable[k] for k in step.children), ZERO)
                applicable.append(min(total, step.max_points))
        root = records[-1]
        reach = applicable[-1]
        if not reach and plan[-1].max_points:  # 0 / 0: no total a table could print
            raise EvaluationError(
                "no row of the table applies: the total cannot be rescaled to the "
                "applicable rows (0 points apply)",
                expected="facts for at least one row that applies",
                example="a row's facts given, or a row declared assessed: true")
        if reach == plan[-1].max_points:
            return root
        scale = policy.total_points / reach
        low, high = policy.round(root.low * scale), policy.round(root.high * scale)
        self.rescaled = Rescaling(root.low, root.high, reach, policy.total_points, low, high,
                                  policy.precision)
        return root._replace(low=low, high=high,
                             trace=(*root.trace, Renormalised(reach, policy.total_points)))


def _merge_missing(children: list[Record]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for child in children:
        for name in child.missing:
            seen.setdefault(name, None)
    return tuple(seen)
