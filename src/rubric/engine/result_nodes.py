"""What each node of a result tree shares across units, prepared once per ruleset.

``Result.total`` builds the ``NodeResult`` tree from the records of one evaluation.
Everything but the scores, trace and warnings of a node (its id, name, kind, depth and
分值, which facts a row reads, which records are its children) is the same for every
unit, so it is read from the plan once and kept in ``ruleset.memo`` beside the plan.

``tree_builder`` writes, once per ruleset of fewer than ``STRAIGHT_UP_TO`` nodes, the
straight-line function that builds the tree from the records (each node one tuple from
its fixed part, its record's fields and its children's nodes, by name): no loop, no
lookups of the fixed parts per unit. Larger rulesets, and units whose rows open their
trace with how a given text was read (``Result.given``), build it in a loop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..tree import Ruleset
from .plan import plan_of

__all__ = ["STRAIGHT_UP_TO", "NodeHead", "node_heads", "tree_builder"]

#: (id, name, kind, depth, 分值), the facts the row reads (() for a group), its children
NodeHead = tuple[tuple[str, str, str, int, Decimal], tuple[str, ...], tuple[int, ...]]

#: the most nodes whose tree is built by straight-line code (some 2 lines per node)
STRAIGHT_UP_TO = 400

Builder = Callable[[Sequence[Any], Mapping[str, str]], Any]


def node_heads(ruleset: Ruleset) -> tuple[NodeHead, ...]:
    """Each plan step's fixed part of its ``NodeResult``, in plan order."""
    heads: tuple[NodeHead, ...] | None = ruleset.memo.get("node_heads")
    if heads is None:
        out: list[NodeHead] = []
        plan = plan_of(ruleset)
        for i, step in enumerate(plan.steps):
            node: Any = step.node
            row = step.rule is not None
            out.append(((node.id, node.name, "indicator" if row else "group", step.depth,
                         step.max_points), tuple(node.rule.inputs) if row else (),
                        # every child is shown, also those not summed (adds: false)
                        tuple(plan.shown.get(i, step.children))))
        heads = ruleset.memo["node_heads"] = tuple(out)
    return heads


def tree_builder(ruleset: Ruleset, cls: type) -> Builder | None:
    """``build(records, units) -> root``: the tree of ``cls`` nodes (``NodeResult``,
    whose fields are the head's five, then low, high, applicable, missing, trace,
    warnings, children, units) from one evaluation's records (``Outcome``: low, high,
    trace, missing, warnings, applicable), written once per ruleset and kept in its memo;
    None for a ruleset of more than ``STRAIGHT_UP_TO`` nodes."""
    memo = ruleset.memo
    key = f"tree_builder {cls.__module__}.{cls.__qualname__}"
    if key in memo:
        return memo[key]  # type: ignore[no-any-return]
    heads = node_heads(ruleset)
    build: Builder | None = None
    if len(heads) <= STRAIGHT_UP_TO:
        lines = ["def build(r, u):"]
        namespace: dict[str, Any] = {"N": tuple.__new__, "C": cls}
        for i, ((node_id, name, kind, depth, points), _inputs, kids) in enumerate(heads):
            namespace[f"i{i}"], namespace[f"m{i}"], namespace[f"p{i}"] = node_id, name, points
            children = "".join(f"n{k}, " for k in kids)
            lines.append(f"    l, h, t, m, w, a = r[{i}]")
            lines.append(f"    n{i} = N(C, (i{i}, m{i}, {kind!r}, {depth!r}, p{i}, "
                         f"l, h, a, m, t, w, ({children}), u))")
        lines.append(f"    return n{len(heads) - 1}")
        exec(compile("\n".join(lines), f"<rubric tree of {ruleset.metadata.id or 'ruleset'}>",
                     "exec"), namespace)
        build = namespace["build"]
    memo[key] = build
    return build
