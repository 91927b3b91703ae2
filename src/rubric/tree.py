"""The indicator tree and the ruleset that holds it.

A ``Ruleset`` is a root ``Group`` (the table, normally worth 100), declared facts and a
``Policy``. Groups nest to any depth (一级/二级/三级指标); a group's score is the sum of
its children's capped at its own 分值. Building a ruleset checks what can be checked
without facts: unique ids, every fact a rule or formula reads is declared (with a
"did you mean"), fact types fit the rules, formulas compile and have no cycles.
Whether scores stay in bounds, move the declared way and add up is ``rubric check``'s
job (verification), because a ruleset with such defects must still load to be reported.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, ClassVar, cast

import attrs

from .constraints import Check, Constraint, compile_constraints
from .errors import FactError, RulesetError
from .expressions import Formula, compile_formula, dependency_order
from .facts import (
    NOT_APPLICABLE,
    Facts,
    FactSpec,
    coerce_facts,
    not_applicable_text,
    percent_readings,
    suggest,
    to_decimal,
)
from .metadata import Metadata
from .policy import DEFINITION_CONTEXT, Policy, RuleDefaults
from .precompiled import compiled_for
from .rules import RULE_TYPES, Outcome, Rule, is_rule
from .rules.row_options import adds_up, check_moves, check_row_options
from .trace import NotAssessed, Step
from .units import BUILTIN, UnitSystem
from .vetoes import TableVeto, check_vetoes

__all__ = ["Group", "Indicator", "Metadata", "Node", "NotAssessedRule", "Ruleset"]

#: the facts keys that list rows given as not applicable (``不适用: [id, …]``)
NOT_APPLICABLE_KEYS = ("不适用", "not_applicable")
_ZERO = Decimal(0)

SELECTS = ("all", "one_of")


def _opt_dec(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value)


def _check_max(inst: object, attr: attrs.Attribute, value: Decimal | None) -> None:  # type: ignore[type-arg]
    if value is not None and value < 0:
        name = getattr(inst, "id", "?")
        raise RulesetError(f"max_points must not be negative (got {value})", indicator=name,
                           expected="0 or more points", example="max_points: 5")


@attrs.frozen
class NotAssessedRule:
    """The rule of a row the ruleset declares not assessed (``assessed: false``): a
    placeholder such as ``指标1`` that the table prints without a 评价标准. It reads no
    fact and is never scored: the row is not applicable, so its 分值 is left out under
    the policy's ``not_applicable`` reading. It is no rule kind of ruleset files (the
    loader makes it for ``assessed: false``), but it has every part of the protocol, so
    check, testing, audit and the compiled path need no special case."""

    kind: ClassVar[str] = "not_assessed"
    STEPS: ClassVar[tuple[type[Step], ...]] = ()
    SCHEMA: ClassVar[dict[str, Any]] = {}
    row: str = ""

    @property
    def inputs(self) -> tuple[str, ...]:
        return ()

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        return {}

    @property
    def max_points(self) -> Decimal:
        return _ZERO

    @property
    def direction(self) -> str:
        return "none"

    def evaluate(self, values: Mapping[str, object], ctx: Any) -> Outcome:
        return Outcome(_ZERO, _ZERO, (NotAssessed(self.row),), applicable=False)

    def prepare(self, defaults: RuleDefaults, domain: Any) -> Any:
        done = self.evaluate({}, None)
        return lambda values: done

    @staticmethod
    def convert_field(name: str, raw: Any, **_kw: Any) -> Any:
        return raw

    @staticmethod
    def check_declarations(specs: Mapping[str, Any]) -> None:
        """It reads no fact."""

    def analyse(self, an: Any) -> tuple[Decimal, Decimal]:
        return _ZERO, _ZERO

    def test_hints(self, hints: Any, defaults: RuleDefaults) -> None:
        """Nothing to probe."""

    def directions(self) -> dict[str, str]:
        return {}

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        return [_ZERO]

    def compile_into(self, code: Any, out: str, defaults: RuleDefaults) -> bool:
        return False  # the compiled path calls the prepared rule, which leaves it


@attrs.frozen
class Indicator:
    """A scored row: its rule, its 分值, and the table's verbatim texts.

    ``max_points`` defaults to what the rule can award. ``criterion`` is the
    评价标准 text and ``definition`` the 指标解释, kept verbatim for provenance;
    ``source`` says where the indicator was defined (``file:line``). ``min_points``
    declares on purpose a lowest score above 0 (a row that never drops to 0); ``rubric
    check`` warns about a row whose lowest reachable score is above 0 unless it says so.
    ``assessed=False`` declares a row that is not assessed (a placeholder row such as
    ``指标1`` with no 评价标准): its rule is ``NotAssessedRule`` (``rule=None`` makes it),
    and it is never applicable, so the policy's ``not_applicable`` reading leaves its
    分值 out of the total.
    """

    id: str
    rule: Rule = attrs.field(default=cast("Rule", None))
    name: str = attrs.field(default="")
    max_points: Decimal | None = attrs.field(default=None, converter=_opt_dec, validator=_check_max)
    criterion: str = ""
    definition: str = ""
    source: str | None = attrs.field(default=None, eq=False)
    min_points: Decimal | None = attrs.field(default=None, converter=_opt_dec)
    assessed: bool = True

    def __attrs_post_init__(self) -> None:
        if not self.id:
            raise RulesetError("an indicator needs an id", example="id: 预算调整率")
        if not self.assessed:
            if self.rule is not None and not isinstance(self.rule, NotAssessedRule):
                raise RulesetError("a row that is not assessed has no rule",
                                   indicator=self.id, expected="assessed: false without a "
                                   "rule, or the rule without assessed: false",
                                   example="{id: 指标1, max_points: 5, assessed: false}")
            object.__setattr__(self, "rule", NotAssessedRule(self.name or self.id))
        elif self.rule is None:
            raise RulesetError("an indicator needs a rule", indicator=self.id,
                               expected="a rule, or assessed: false for a row not assessed",
                               example="rule: {kind: boolean, fact: X, yes_points: 5}")
        if self.min_points is not None and not 0 <= self.min_points <= self.points:
            raise RulesetError(f"min_points {self.min_points} is outside [0, {self.points}]",
                               indicator=self.id, expected="a lowest score between 0 and "
                               "the row's 分值", example="min_points: 1")
        if not is_rule(self.rule):  # structurally: every part of the rule protocol
            raise RulesetError(f"rule of type {type(self.rule).__name__} is not a rubric rule",
                               indicator=self.id, expected="one of " + ", ".join(RULE_TYPES))
        if not self.name:
            object.__setattr__(self, "name", self.id)

    @property
    def points(self) -> Decimal:
        """The row's 分值: declared, or what its rule can award."""
        return self.max_points if self.max_points is not None else self.rule.max_points


@attrs.frozen
class Group:
    """A capped subtotal of indicators or groups.

    ``max_points`` defaults to the sum of the children's. ``select="one_of"`` scores a
    single child (二者择其一, "choose one of the two"): the first whose facts are given.
    """

    id: str
    children: tuple[Node, ...] = attrs.field(converter=tuple)
    name: str = attrs.field(default="")
    max_points: Decimal | None = attrs.field(default=None, converter=_opt_dec, validator=_check_max)
    select: str = "all"
    source: str | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        if not self.id:
            raise RulesetError("a group needs an id", example="id: 预算执行")
        if not self.children:
            raise RulesetError("a group needs at least one child", indicator=self.id)
        if self.select not in SELECTS:
            raise RulesetError(f"select: '{self.select}' is not known", indicator=self.id,
                               expected="all or one_of", example="select: one_of")
        if not self.name:
            object.__setattr__(self, "name", self.id)

    @property
    def children_points(self) -> Decimal:
        """The children's 分值 summed (a row with ``adds: false`` is not; one_of: the most)."""
        return _summed(self, [c.points for c in self.children if adds_up(c)])

    @property
    def points(self) -> Decimal:
        return self.max_points if self.max_points is not None else self.children_points


Node = Indicator | Group


def _summed(group: Group, points: list[Decimal]) -> Decimal:  # children_points' sum
    return max(points or [Decimal(0)]) if group.select == "one_of" else sum(points, Decimal(0))


_LIST_SEP = re.compile(r"[,，、;；]")


def _row_list(raw: object) -> list[str] | None:
    """The ids or names of a ``不适用`` entry (a list, or one text split at , 、 ;) or None."""
    if isinstance(raw, str):
        return [part.strip() for part in _LIST_SEP.split(raw) if part.strip()]
    if isinstance(raw, (list, tuple)):
        return [str(item).strip() for item in raw if str(item).strip()]
    return None


def walk(node: Node, depth: int = 0) -> Iterator[tuple[Node, int]]:
    """Every node under ``node`` (itself first), with its depth."""
    yield node, depth
    if isinstance(node, Group):
        for child in node.children:
            yield from walk(child, depth + 1)


def _points_of(nodes: Mapping[str, Node]) -> tuple[dict[str, Decimal], list[Any]]:
    """分值 by id of ``nodes`` (``walk`` order), each once, and ``max_mismatches``."""
    points: dict[str, Decimal] = {}
    mismatches: list[tuple[Group, Decimal, Decimal]] = []
    for node in reversed(list(nodes.values())):  # every node after the nodes under it
        if isinstance(node, Group):
            summed = _summed(node, [points[c.id] for c in node.children if adds_up(c)])
            points[node.id] = summed if node.max_points is None else node.max_points
            if node.max_points is not None and node.max_points != summed:
                mismatches.append((node, node.max_points, summed))
        else:  # an indicator
            points[node.id] = node.points
    return {n: points[n] for n in nodes}, mismatches[::-1]


@attrs.frozen
class Ruleset:
    """A complete, checked scoring table. Immutable and picklable.

    The ruleset is the definition only. ``memo`` is a per-ruleset memo the engine keeps
    its prepared artefacts in (``rubric.engine.plan``); it is not part of the
    definition: equality, repr and pickling ignore it.
    """

    root: Group
    facts: tuple[FactSpec, ...] = attrs.field(default=(), converter=tuple)
    policy: Policy = Policy()
    metadata: Metadata = Metadata()
    #: consistency checks between facts (``rubric.constraints``)
    constraints: tuple[Constraint, ...] = attrs.field(default=(), converter=tuple)
    #: vetoes of the whole table (``rubric.vetoes``: 总分计0分, 不得评为优)
    vetoes: tuple[TableVeto, ...] = attrs.field(default=(), converter=tuple)
    _specs: Mapping[str, FactSpec] = attrs.field(init=False, eq=False, repr=False)
    _derived: tuple[tuple[str, Formula], ...] = attrs.field(init=False, eq=False, repr=False)
    _nodes: Mapping[str, Node] = attrs.field(init=False, eq=False, repr=False)
    _points: Mapping[str, Decimal] = attrs.field(init=False, eq=False, repr=False)
    _units: Mapping[str, str] = attrs.field(init=False, eq=False, repr=False)
    _warnings: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)
    _base: Mapping[str, tuple[str, ...]] = attrs.field(init=False, eq=False, repr=False)
    _checks: tuple[Check, ...] = attrs.field(init=False, eq=False, repr=False)
    memo: dict[str, Any] = attrs.field(init=False, factory=dict, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        specs: dict[str, FactSpec] = {}
        first = self.facts[0].unit_system if self.facts else None
        for spec in self.facts:
            if spec.name in specs:
                raise RulesetError(f"fact '{spec.name}' is declared twice",
                                   where=spec.source, expected="each fact declared once")
            specs[spec.name] = spec
            if spec.unit_system is not first and spec.unit_system != first:  # identity: cheap
                raise RulesetError(f"fact '{spec.name}' is declared with other units than "
                                   f"fact '{self.facts[0].name}'", where=spec.source,
                                   expected="one unit_system for every fact of a ruleset")
        formulas: dict[str, Formula] = {}
        reused = compiled_for(self.facts)
        for spec in self.facts:
            if spec.formula is not None:
                what = f"formula of fact '{spec.name}'"
                known = reused.get(spec.name)
                if known is not None and known.text == spec.formula and known.what == what:
                    formulas[spec.name] = known
                    continue
                try:
                    formulas[spec.name] = compile_formula(spec.formula, specs, unit=spec.unit,
                                                          what=what)
                except RulesetError as exc:
                    raise type(exc)(exc.message, where=spec.source, expected=exc.expected,
                                    example=exc.example) from None
        order = dependency_order(formulas)
        object.__setattr__(self, "_checks", compile_constraints(self.constraints, specs))
        check_vetoes(self.vetoes, specs, tuple(g.name for g in self.policy.grades))
        nodes: dict[str, Node] = {}
        for node, _depth in walk(self.root):
            if node.id in nodes:
                raise RulesetError(f"id '{node.id}' is used twice", where=node.source,
                                   expected="a unique id for every indicator and group")
            nodes[node.id] = node
            if isinstance(node, Indicator):
                self._check_rule(node, specs)
                check_row_options(node.rule, node.id, self.policy.precision, node.points)
            else:
                check_moves(node)  # a row's 分值 moved to siblings names siblings
        object.__setattr__(self, "_specs", specs)
        object.__setattr__(self, "_derived", tuple((n, formulas[n]) for n in order))
        object.__setattr__(self, "_nodes", nodes)
        points, mismatches = _points_of(nodes)  # 分值, and groups' declared ≠ summed
        object.__setattr__(self, "_points", points)
        object.__setattr__(self, "_units", {s.name: s.unit for s in self.facts if s.unit})
        object.__setattr__(self, "_warnings", tuple(f"{g.id}: 分值 {declared.normalize():f} "
                                                    f"≠ 下级分值之和 {summed.normalize():f}"
                                                    for g, declared, summed in mismatches))
        base: dict[str, tuple[str, ...]] = {}
        for name in order:  # derived facts: the given facts they rest on
            deps: dict[str, None] = {}
            for dep in formulas[name].names:
                for leaf in base.get(dep, (dep,)):
                    deps[leaf] = None
            base[name] = tuple(deps)
        object.__setattr__(self, "_base", base)
        prepared: dict[str, Any] = {}
        defaults, domain = self.policy.defaults, self.domain  # one bound method for all
        # Preparing a rule resolves its readings under this policy and these domains, and
        # rejects what cannot be resolved (a relative step with target 0): done here, so
        # such errors come at load time, and kept in the memo for the engine's plan
        # (rubric.engine.plan), which uses them. In DEFINITION_CONTEXT, whatever the
        # caller's context (entered once: a rule's prepare leaves the context as it is).
        with decimal.localcontext(DEFINITION_CONTEXT):
            for node in nodes.values():
                if isinstance(node, Indicator):
                    try:
                        prepared[node.id] = node.rule.prepare(defaults, domain)
                    except RulesetError as exc:
                        raise type(exc)(exc.message, where=node.source, indicator=node.id,
                                        expected=exc.expected, example=exc.example) from None
        self.memo["prepared"] = prepared

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # The memo holds closures: pickle the definition; the engine rebuilds on use.
        return (Ruleset, (self.root, self.facts, self.policy, self.metadata, self.constraints,
                          self.vetoes))

    @staticmethod
    def _check_rule(node: Indicator, specs: Mapping[str, FactSpec]) -> None:
        for name, types in node.rule.input_types.items():
            spec = specs.get(name)
            if spec is None:
                hint = suggest(name, specs)
                raise RulesetError(
                    f"rule reads fact '{name}', which is not declared"
                    + (f" (did you mean '{hint}'?)" if hint else ""),
                    where=node.source, indicator=node.id,
                    expected="a fact declared under facts", example=hint or name)
            if spec.type not in types:
                raise RulesetError(
                    f"rule '{node.rule.kind}' needs fact '{name}' to be "
                    + " or ".join(types) + f", but it is declared as {spec.type}",
                    where=node.source, indicator=node.id, expected=f"type: {types[0]}")
        try:
            node.rule.check_declarations(specs)  # type: ignore[attr-defined]
        except RulesetError as exc:
            raise RulesetError(exc.message, where=node.source, indicator=node.id,
                               expected=exc.expected, example=exc.example) from None

    # -- queries ---------------------------------------------------------------

    @property
    def specs(self) -> Mapping[str, FactSpec]:
        """Declared facts by name."""
        return self._specs

    @property
    def derived(self) -> tuple[tuple[str, Formula], ...]:
        """Derived facts in evaluation order, with their compiled formulas."""
        return self._derived

    @property
    def checks(self) -> tuple[Check, ...]:
        """The constraints compiled against the declared facts, in declaration order."""
        return self._checks

    @property
    def points(self) -> Mapping[str, Decimal]:
        """Each node's 分值 by id (computed once)."""
        return self._points

    @property
    def warnings(self) -> tuple[str, ...]:
        """Structural warnings (declared 分值 that differ from their children's sum)."""
        return self._warnings

    def base_inputs(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """``names`` with each derived fact replaced by the given facts it is computed from."""
        base = self._base
        if not any(n in base for n in names):
            return names
        out: dict[str, None] = {}
        for name in names:
            for leaf in base.get(name, (name,)):
                out[leaf] = None
        return tuple(out)

    @property
    def units(self) -> Mapping[str, str]:
        """Declared unit of each number fact that has one."""
        return self._units

    @property
    def unit_system(self) -> UnitSystem:
        """The units this ruleset knows: the built-in ones and those it declares."""
        return self.facts[0].unit_system if self.facts else BUILTIN

    @property
    def defaults(self) -> RuleDefaults:
        return self.policy.defaults

    def node(self, node_id: str) -> Node:
        """The indicator or group with this id; KeyError with a suggestion otherwise."""
        try:
            return self._nodes[node_id]
        except KeyError:
            hint = suggest(node_id, self._nodes)
            raise KeyError(f"no indicator '{node_id}'"
                           + (f"; did you mean '{hint}'?" if hint else "")) from None

    def indicators(self) -> Iterator[Indicator]:
        """Every scored row, in table order."""
        for node, _depth in walk(self.root):
            if isinstance(node, Indicator):
                yield node

    def walk(self) -> Iterator[tuple[Node, int]]:
        """Every node in table order with its depth (the root is 0, 一级指标 1)."""
        return walk(self.root)

    def domain(self, name: str) -> tuple[Decimal | None, Decimal | None]:
        spec = self._specs.get(name)
        return (spec.minimum, spec.maximum) if spec is not None else (None, None)

    def input_facts(self) -> tuple[FactSpec, ...]:
        """The facts a user gives (declared, not derived)."""
        return tuple(s for s in self.facts if not s.derived)

    def facts_from(self, mapping: Mapping[str, Any] | Facts) -> Facts:
        """Check and convert a plain mapping of facts (FactError listing every problem).

        Evaluation converts with the engine's plan (``rubric.engine.plan``), which looks
        the converters up once; the result is the same.
        """
        if isinstance(mapping, Facts):
            return mapping
        mapping, rows = self.split_rows(mapping)
        facts = coerce_facts(self._specs, mapping, percent=percent_readings(
            self._specs, self.policy.defaults.percent_numbers))
        return attrs.evolve(facts, not_applicable_rows=rows) if rows else facts

    def split_rows(self, mapping: Mapping[str, Any]) -> tuple[Mapping[str, Any], frozenset[str]]:
        """The facts of ``mapping`` and the ids of the rows it gives as not applicable.

        A whole row (or group: every row under it) is not applicable when ``mapping``
        gives its id or name a not-applicable text (``1.2.3: 不适用``, ``指标1: /``), or
        lists it under ``不适用`` / ``not_applicable`` (a list, or one text of ids and
        names separated by ``,``, ``、`` or ``;``). A declared fact's name is always the
        fact (a row that shares it follows the fact). An empty value gives nothing; any
        other value for a row is a FactError. Other names are left for the fact check.
        """
        specs = self._specs
        if all(key in specs for key in mapping):
            return mapping, frozenset()
        facts: dict[str, Any] = {}
        rows: dict[str, None] = {}
        problems: list[str] = []
        for key, raw in mapping.items():
            if key in specs:
                facts[key] = raw
                continue
            if key in NOT_APPLICABLE_KEYS:
                items = _row_list(raw)
                if items is None:
                    problems.append(f"'{key}' lists the rows that are not applicable, got "
                                    f"{raw!r} (e.g. 不适用: [1.2.3, 指标1])")
                    continue
                for item in items:
                    found = self._row_ids(item, problems)
                    if found is None:
                        problems.append(f"'{key}': no indicator or group '{item}'")
                    rows.update(dict.fromkeys(found or ()))
                continue
            if self._named(key) is None:
                facts[key] = raw  # an unknown fact: the fact check reports it
                continue
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue  # a blank cell says nothing about the row
            if raw is NOT_APPLICABLE or (isinstance(raw, str)
                                         and not_applicable_text(raw.strip()) is NOT_APPLICABLE):
                rows.update(dict.fromkeys(self._row_ids(key, problems) or ()))
                continue
            problems.append(f"'{key}' is an indicator, not a fact: a row can only be given "
                            f"as not applicable (不适用), got {raw!r}")
        if problems:
            raise FactError(problems[0] if len(problems) == 1
                            else f"{len(problems)} problems: " + "; ".join(problems))
        return facts, frozenset(rows)

    def is_row_key(self, key: str) -> bool:
        """Whether ``key`` in a facts mapping is about rows, not a fact (``split_rows``):
        ``不适用`` / ``not_applicable``, or the id or name of a node that no declared fact
        shares."""
        return key not in self._specs and (key in NOT_APPLICABLE_KEYS
                                           or self._named(key) is not None)

    def _named(self, key: str) -> list[Node] | None:
        """The nodes with id ``key``, else those named ``key``, or None."""
        node = self._nodes.get(key)
        if node is not None:
            return [node]
        names: dict[str, list[Node]] | None = self.memo.get("node_names")
        if names is None:
            names = {}
            for each in self._nodes.values():
                names.setdefault(each.name, []).append(each)
            self.memo["node_names"] = names
        return names.get(key)

    def _row_ids(self, key: str, problems: list[str]) -> list[str] | None:
        """The ids of the indicators under the node with id or name ``key``."""
        nodes = self._named(key)
        if nodes is None:
            return None
        if len(nodes) > 1:
            problems.append(f"'{key}' names {len(nodes)} indicators or groups "
                            f"({', '.join(n.id for n in nodes)}): give the id")
            return []
        return [n.id for n, _d in walk(nodes[0]) if isinstance(n, Indicator)]

    def max_mismatches(self) -> list[tuple[Group, Decimal, Decimal]]:
        """Groups whose declared 分值 differs from the sum of their children's (§3.9)."""
        return _points_of(self._nodes)[1]
