"""The plan: what evaluation prepares once per ruleset, kept in ``ruleset.memo``.

A ``Ruleset`` is the definition; it holds no engine state. The first evaluation of a
ruleset builds its ``Plan``: each indicator's rule bound to the policy's defaults and the
facts' domains (``rule.prepare``), the flat post-order list of nodes that evaluation
walks, and the fact converters keyed by name. ``plan_of`` returns it, built once and
cached in the ruleset's memo (one dict lookup on the hot path). The compiled scores
function of ``rubric.score_only`` is cached beside it by ``engine.compiled``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from ..facts import Facts, coerce_facts, percent_readings
from ..rules.row_options import adds_up
from ..tree import Group, Indicator, Node, Ruleset
from .compiled_facts import PLAIN_WORDS, compile_convert

__all__ = ["Plan", "PlanStep", "plan_of"]


class PlanStep(NamedTuple):
    """One node of a ruleset's evaluation plan (post-order: children come first)."""

    node: Node
    depth: int
    max_points: Decimal
    rule: Any  # the prepared rule of an indicator, None for a group
    children: tuple[int, ...]  # plan indices of a group's children


def _build_steps(root: Group, prepared: Mapping[str, Any], points: Mapping[str, Decimal],
                 shown: dict[int, tuple[int, ...]]) -> tuple[PlanStep, ...]:
    """The steps; a group's ``children`` are those summed into it, and ``shown`` gets
    every child of a group with a row that is not (``adds: false``)."""
    steps: list[PlanStep] = []

    def add(node: Node, depth: int) -> int:
        if isinstance(node, Indicator):
            steps.append(PlanStep(node, depth, points[node.id], prepared[node.id], ()))
        else:
            kids = tuple(add(child, depth + 1) for child in node.children)
            summed = tuple(k for k, c in zip(kids, node.children) if adds_up(c))
            steps.append(PlanStep(node, depth, points[node.id], None, summed))
            if summed != kids:
                shown[len(steps) - 1] = kids
        return len(steps) - 1

    add(root, 0)
    return tuple(steps)


class _Coercers(dict[str, Any]):
    """Each given fact's ``FactSpec.coercer`` by name, built on first use: a 10 000-row
    ruleset declares some 20 000 facts, and one evaluation or check probe gives a few."""

    __slots__ = ("_specs",)

    def __init__(self, specs: Mapping[str, Any]) -> None:
        super().__init__()
        self._specs = specs

    def get(self, name: str, default: Any = None) -> Any:
        hit = dict.get(self, name)
        if hit is None:
            spec = self._specs.get(name)
            if spec is None or spec.derived:
                return default
            hit = self[name] = spec.coercer
        return hit


_NOT_BUILT = object()


class Plan:
    """A ruleset prepared for evaluation (built by ``plan_of``, once per ruleset).

    ``steps`` is every node in evaluation order, children before their group; the
    root is last. ``prepared(id)`` is an indicator's rule bound to the ruleset's policy
    and domains; ``coerce`` converts a plain mapping of facts as ``Ruleset.facts_from``
    does, with the converters looked up once (a mapping of plain values by one compiled
    function, ``engine.compiled_facts``).
    """

    __slots__ = ("_coercers", "_convert", "_percent", "_prepared", "_specs", "ruleset", "shown",
                 "steps")

    def __init__(self, ruleset: Ruleset) -> None:
        defaults, domain = ruleset.policy.defaults, ruleset.domain
        # Ruleset construction has prepared every rule once already, to report what
        # fails to prepare at load time, and left them in the memo: taken from there
        # (a copy or an unpickled ruleset has none; preparing cannot fail here).
        prepared = ruleset.memo.get("prepared") or {
            row.id: row.rule.prepare(defaults, domain) for row in ruleset.indicators()}
        self.ruleset = ruleset
        #: plan index of a group -> every child shown under it, where some are not summed
        self.shown: dict[int, tuple[int, ...]] = {}
        self.steps: tuple[PlanStep, ...] = _build_steps(ruleset.root, prepared, ruleset.points,
                                                        self.shown)
        self._prepared: Mapping[str, Any] = prepared
        self._specs = ruleset.specs
        self._coercers: Mapping[str, Callable[[object], object]] = _Coercers(ruleset.specs)
        self._percent = percent_readings(ruleset.specs, defaults.percent_numbers)
        self._convert: Any = _NOT_BUILT  # the compiled plain conversion, on first use

    def prepared(self, indicator_id: str) -> Any:
        """The indicator's rule bound to the ruleset's policy and domains."""
        return self._prepared[indicator_id]

    def coerce(self, mapping: Mapping[str, Any] | Facts) -> Facts:
        """Check and convert a plain mapping of facts (FactError listing every problem)."""
        if isinstance(mapping, Facts):
            return mapping
        convert = self._convert
        if convert is _NOT_BUILT:
            convert = self._convert = compile_convert(self.ruleset, PLAIN_WORDS)
        if convert is not None:  # plain values: the same Facts as coerce_facts makes
            values = convert(mapping)
            if values is not None:
                return Facts(values, frozenset(values))
        mapping, rows = self.ruleset.split_rows(mapping)  # rows given as 不适用 as a whole
        facts = coerce_facts(self._specs, mapping, self._coercers, self._percent)
        return attrs.evolve(facts, not_applicable_rows=rows) if rows else facts


def plan_of(ruleset: Ruleset) -> Plan:
    """The ruleset's plan: built on first use, then read from ``ruleset.memo``."""
    plan: Plan | None = ruleset.memo.get("plan")
    if plan is None:
        plan = ruleset.memo["plan"] = Plan(ruleset)
    return plan
