"""The rows and groups of two rulesets matched, and the scores that differ at the rules'
breakpoints (see ``rubric.diff``)."""

from __future__ import annotations

import datetime as _dt
import decimal
import itertools
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..engine.evaluation import DECIMAL_CONTEXT, score_row
from ..errors import RubricError
from ..tree import Group, Indicator, Node, Ruleset
from ..whatif.search import Edges
from .render import ruleset_diff_dict, ruleset_diff_text

__all__ = ["MAX_COMBINATIONS", "NodeChange", "Probe", "RulesetDiff", "diff_rulesets"]

#: a row reading several facts is probed at every combination of their values up to this
#: many combinations; beyond it, one fact at a time (the others at their first value)
MAX_COMBINATIONS = 512
_ONE = Decimal(1)
_DAY = _dt.timedelta(days=1)


@attrs.frozen
class Probe:
    """The facts ``values`` (fact -> value) give the row ``old`` points under the old
    ruleset and ``new`` under the new one (None: the row cannot score them there)."""

    values: Mapping[str, object]
    old: Decimal | None
    new: Decimal | None


@attrs.frozen
class NodeChange:
    """One row (``kind="indicator"``) or group of either ruleset, matched or not.

    ``old_*`` are None for an added node, ``new_*`` for a removed one. ``matched_by`` is
    ``"id"`` or ``"name"`` (None: added or removed). ``old_path``/``new_path`` are the
    names of the groups above it. ``probes`` holds the probes whose scores differ (rows
    whose rule or 分值 changed), out of ``probed`` probes; ``unit_changed`` names the
    facts the row reads whose declared unit or type differs (such a row is not probed).
    """

    kind: str
    old_id: str | None
    new_id: str | None
    old_name: str | None
    new_name: str | None
    old_points: Decimal | None
    new_points: Decimal | None
    matched_by: str | None = None
    old_path: tuple[str, ...] = ()
    new_path: tuple[str, ...] = ()
    rule_changed: bool = False
    probes: tuple[Probe, ...] = ()
    probed: int = 0
    unit_changed: tuple[str, ...] = ()

    @property
    def added(self) -> bool:
        return self.old_id is None

    @property
    def removed(self) -> bool:
        return self.new_id is None

    @property
    def renamed(self) -> bool:
        """Matched, with another id or another name."""
        return self.matched_by is not None and (self.old_id != self.new_id
                                                or self.old_name != self.new_name)

    @property
    def reweighted(self) -> bool:
        """Matched, with another 分值."""
        return self.matched_by is not None and self.old_points != self.new_points

    @property
    def moved(self) -> bool:
        """Matched, under other groups (compared by name)."""
        return self.matched_by is not None and self.old_path != self.new_path

    @property
    def changed(self) -> bool:
        return (self.added or self.removed or self.renamed or self.reweighted or self.moved
                or self.rule_changed)

    @property
    def name(self) -> str:
        return str(self.new_name if self.new_name is not None else self.old_name)


class _Flagged:
    """A read-only attribute of ``RulesetDiff``: its rows, in order, whose flag of the
    attribute's name is set (``diff.added``: the rows whose ``added`` is true)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.flag = name

    def __get__(self, diff: RulesetDiff, owner: type | None = None) -> tuple[NodeChange, ...]:
        return tuple(r for r in diff.rows if getattr(r, self.flag))


@attrs.frozen
class RulesetDiff:
    """What changed from ``old`` to ``new``: ``rows`` and ``groups`` (every node of either
    ruleset, in the new table's order, removed ones last), the policy and the facts."""

    old: Ruleset = attrs.field(repr=False)
    new: Ruleset = attrs.field(repr=False)
    rows: tuple[NodeChange, ...]
    groups: tuple[NodeChange, ...]
    policy_changed: bool
    facts_added: tuple[str, ...]
    facts_removed: tuple[str, ...]

    added = _Flagged()
    removed = _Flagged()
    renamed = _Flagged()
    reweighted = _Flagged()
    rule_changed = _Flagged()

    @property
    def changed(self) -> bool:
        """Anything at all: a row, a group, the policy or the declared facts."""
        return (any(r.changed for r in (*self.rows, *self.groups)) or self.policy_changed
                or bool(self.facts_added or self.facts_removed))

    def counts(self) -> dict[str, int]:
        """Rows added, removed, renamed, re-weighted, with another rule; and unchanged."""
        return {"added": len(self.added), "removed": len(self.removed),
                "renamed": len(self.renamed), "reweighted": len(self.reweighted),
                "rule_changed": len(self.rule_changed),
                "unchanged": sum(1 for r in self.rows if not r.changed)}

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """JSON-ready (``rubric.diff/1``; docs/cli.md#rubric-diff)."""
        return ruleset_diff_dict(self, lang)

    def text(self, lang: str = "zh") -> str:
        """The changes as lines of text in Chinese (``zh``) or English (``en``)."""
        return ruleset_diff_text(self, lang)


# ------------------------------------------------------------------------- matching


def _nodes(ruleset: Ruleset, kind: type) -> Iterator[tuple[Node, tuple[str, ...]]]:
    """Every node of ``kind`` under the root, in table order, with its groups' names."""
    def walk(node: Node, path: tuple[str, ...]) -> Iterator[tuple[Node, tuple[str, ...]]]:
        if isinstance(node, kind) and node is not ruleset.root:
            yield node, path
        if isinstance(node, Group):
            inner = path if node is ruleset.root else (*path, node.name)
            for child in node.children:
                yield from walk(child, inner)
    yield from walk(ruleset.root, ())


def _match(old: list[tuple[Node, tuple[str, ...]]], new: list[tuple[Node, tuple[str, ...]]]
           ) -> list[tuple[Any, Any, str | None]]:
    """Pairs (old entry or None, new entry or None, matched by)."""
    old_ids = {n.id: i for i, (n, _p) in enumerate(old)}
    pairs: dict[int, tuple[int, str]] = {}  # new index -> (old index, by)
    for j, (n, _p) in enumerate(new):
        if n.id in old_ids:
            pairs[j] = (old_ids[n.id], "id")
    used = {i for i, _by in pairs.values()}

    def unique_names(entries: list[tuple[Node, Any]], skip: set[int]) -> dict[str, int]:
        seen: dict[str, list[int]] = {}
        for i, (n, _p) in enumerate(entries):
            if i not in skip:
                seen.setdefault(n.name, []).append(i)
        return {name: ix[0] for name, ix in seen.items() if len(ix) == 1}

    old_names = unique_names(old, used)
    new_names = unique_names(new, set(pairs))
    for name, j in new_names.items():
        if name in old_names:
            pairs[j] = (old_names[name], "name")
    used = {i for i, _by in pairs.values()}
    out: list[tuple[Any, Any, str | None]] = []
    for j, entry in enumerate(new):
        if j in pairs:
            i, by = pairs[j]
            out.append((old[i], entry, by))
        else:
            out.append((None, entry, None))
    out += [(entry, None, None) for i, entry in enumerate(old) if i not in used]
    return out


def _change(kind: str, a: Any, b: Any, by: str | None, points: tuple[Mapping[str, Decimal],
            Mapping[str, Decimal]]) -> NodeChange:
    old_node, old_path = a if a is not None else (None, ())
    new_node, new_path = b if b is not None else (None, ())
    return NodeChange(
        kind, None if old_node is None else old_node.id,
        None if new_node is None else new_node.id,
        None if old_node is None else old_node.name,
        None if new_node is None else new_node.name,
        None if old_node is None else points[0][old_node.id],
        None if new_node is None else points[1][new_node.id],
        by, old_path, new_path)


def diff_rulesets(old: Ruleset, new: Ruleset) -> RulesetDiff:
    """What changed from ``old`` to ``new`` (see ``rubric.diff``)."""
    points = (old.points, new.points)
    rows: list[NodeChange] = []
    for a, b, by in _match(list(_nodes(old, Indicator)), list(_nodes(new, Indicator))):
        change = _change("indicator", a, b, by, points)
        if a is not None and b is not None:
            old_row, new_row = a[0], b[0]
            ruled = old_row.rule != new_row.rule
            change = attrs.evolve(change, rule_changed=ruled)
            if ruled or change.reweighted:
                change = _probe(change, old, new, old_row, new_row)
        rows.append(change)
    groups = [_change("group", a, b, by, points)
              for a, b, by in _match(list(_nodes(old, Group)), list(_nodes(new, Group)))]
    old_facts, new_facts = set(old.specs), set(new.specs)
    return RulesetDiff(
        old, new, tuple(rows), tuple(groups),
        _policy(old) != _policy(new) or old.points[old.root.id] != new.points[new.root.id],
        tuple(s.name for s in new.facts if s.name not in old_facts),
        tuple(s.name for s in old.facts if s.name not in new_facts))


def _policy(ruleset: Ruleset) -> Any:
    """The policy as written: a ``deadline_year`` the loader took from ``fiscal_year``
    (the year of a deadline month written without one) is not a change of policy."""
    policy, year = ruleset.policy, ruleset.metadata.fiscal_year
    if year is not None and policy.defaults.deadline_year == year:
        return attrs.evolve(policy, defaults=attrs.evolve(policy.defaults, deadline_year=None))
    return policy


# -------------------------------------------------------------------------- probing


def _probe(change: NodeChange, old: Ruleset, new: Ruleset, old_row: Indicator,
           new_row: Indicator) -> NodeChange:
    facts = list(dict.fromkeys((*old_row.rule.inputs, *new_row.rule.inputs)))
    changed = tuple(f for f in facts if f in old.specs and f in new.specs
                    and (old.specs[f].unit != new.specs[f].unit
                         or old.specs[f].type != new.specs[f].type))
    if changed:
        return attrs.evolve(change, unit_changed=changed)
    hints = []
    for ruleset, row in ((old, old_row), (new, new_row)):
        edges = Edges(ruleset)
        rule: Any = row.rule
        rule.test_hints(edges, ruleset.defaults)
        hints.append(edges)
    lines = [_values(f, (old, new), hints) for f in facts]
    if any(not line for line in lines):
        return change
    differ: list[Probe] = []
    probed = 0
    for combo in _combinations(lines):
        values = dict(zip(facts, combo))
        probed += 1
        a = _score(old, old_row, values)
        b = _score(new, new_row, values)
        if a != b:
            differ.append(Probe(values, a, b))
    return attrs.evolve(change, probes=tuple(differ), probed=probed)


def _combinations(lines: list[list[object]]) -> Iterator[tuple[object, ...]]:
    total = 1
    for line in lines:
        total *= len(line)
    if total <= MAX_COMBINATIONS:
        yield from itertools.product(*lines)
        return
    base = [line[0] for line in lines]
    yield tuple(base)
    for i, line in enumerate(lines):
        for value in line[1:]:
            yield (*base[:i], value, *base[i + 1:])


def _score(ruleset: Ruleset, row: Indicator, values: dict[str, object]) -> Decimal | None:
    try:
        with decimal.localcontext(DECIMAL_CONTEXT):
            record = score_row(ruleset, dict(values), row)
    except (RubricError, ArithmeticError, TypeError, ValueError):
        return None
    if record.missing or not record.applicable or record.low != record.high:
        return None
    return record.low


def _values(fact: str, rulesets: tuple[Ruleset, Ruleset], hints: list[Edges]) -> list[object]:
    """The values of ``fact`` worth probing: its states, or its number line's breakpoints
    (of both rules), the points between them and one beyond each end, in its domain."""
    specs = [r.specs[fact] for r in rulesets if fact in r.specs]
    kind = specs[-1].type
    if kind == "boolean":
        return [True, False]
    edges: set[Any] = set()
    for h in hints:
        edges |= h.edges.get(fact, set())
    if kind in ("category", "text"):
        states: dict[object, None] = {}
        for spec in specs:
            states.update(dict.fromkeys(spec.categories))
        for h in hints:
            states.update(dict.fromkeys(h.texts.get(fact, [])))
        states.update(dict.fromkeys(e for e in edges if isinstance(e, str)))
        return list(states)
    if kind == "date":
        days: list[object] = []
        days.extend(sorted({d for e in edges if isinstance(e, _dt.date)
                            for d in (e - _DAY, e, e + _DAY)}))
        return days
    los = [h.lo.get(fact) for h in hints if h.lo.get(fact) is not None]
    his = [h.hi.get(fact) for h in hints if h.hi.get(fact) is not None]
    lo = max(los) if los else None  # type: ignore[type-var]
    hi = min(his) if his else None  # type: ignore[type-var]
    integral = any(fact in h.integral for h in hints)
    marks = sorted({e for e in edges if type(e) is Decimal and e.is_finite()
                    and (lo is None or e >= lo) and (hi is None or e <= hi)}
                   | {b for b in (lo, hi) if b is not None})
    if not marks:
        return []
    points = set(marks)
    for a, b in itertools.pairwise(marks):
        mid = (a + b) / 2
        if integral:
            mid = mid.to_integral_value(decimal.ROUND_FLOOR)
        if a < mid < b:
            points.add(mid)
    if lo is None:
        points.add(marks[0] - _ONE)
    if hi is None:
        points.add(marks[-1] + _ONE)
    out: list[object] = []
    out.extend(sorted(points))
    return out
