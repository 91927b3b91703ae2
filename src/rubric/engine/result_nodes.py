"""What each node of a result tree shares across units, prepared once per ruleset.

``Result.total`` builds the ``NodeResult`` tree from the records of one evaluation.
Everything but the scores, trace and warnings of a node (its id, name, kind, depth and
分值, which facts a row reads, which records are its children) is the same for every
unit, so it is read from the plan once and kept in ``ruleset.memo`` beside the plan.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..tree import Ruleset
from .plan import plan_of

__all__ = ["NodeHead", "node_heads"]

#: (id, name, kind, depth, 分值), the facts the row reads (() for a group), its children
NodeHead = tuple[tuple[str, str, str, int, Decimal], tuple[str, ...], tuple[int, ...]]


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
