"""A row's 分值 moved to named siblings when it does not apply (``if_not_applicable: {to:
[...]}``, 不适用的指标权重转移至…).

The row keeps its 分值 and is scored at the rate of the siblings it names: their scores
over their 分值, together (``5 × (8 + 6) / (10 + 10) = 3.5``). That is moving its weight to
them in proportion to their 分值 — the group's subtotal and the total are the same — with
the moved points shown on the row that gave them, so every row stays within its own 分值.
Siblings that do not apply themselves take nothing; when none applies the row is left
out under the policy's reading. Evaluation applies it to a group's children before they
are summed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..rules import Outcome
from ..rules.row_options import RowOptions
from ..trace import WeightMoved
from ..tree import Ruleset
from .plan import PlanStep

__all__ = ["Moves", "moves_of", "shift"]

ZERO = Decimal(0)

#: group plan index -> [(row plan index, the siblings' plan indices)]
Moves = dict[int, list[tuple[int, tuple[int, ...]]]]


def moves_of(ruleset: Ruleset, plan: tuple[PlanStep, ...]) -> Moves:
    """The moves of ``ruleset`` by group (kept in the ruleset's memo)."""
    moves: Moves | None = ruleset.memo.get("moves")
    if moves is None:
        moves = {}
        for index, step in enumerate(plan):
            by_id = {plan[k].node.id: k for k in step.children}
            for k in step.children:
                rule = getattr(plan[k].node, "rule", None)
                na = rule.if_not_applicable if isinstance(rule, RowOptions) else None
                if na is not None and na.reading == "move":
                    moves.setdefault(index, []).append((k, tuple(by_id[t] for t in na.to)))
        ruleset.memo["moves"] = moves
    return moves


def shift(records: list[Outcome], moves: list[tuple[int, tuple[int, ...]]],
          plan: tuple[PlanStep, ...], quantum: Decimal, mode: Any) -> None:
    """Score each row of ``moves`` that does not apply at its siblings' rate, in place."""
    for k, targets in moves:
        record = records[k]
        used = [t for t in targets if records[t].applicable]
        total = sum((plan[t].max_points for t in used), ZERO)
        if record.applicable or not total:
            continue
        points = plan[k].max_points
        low = (points * sum((records[t].low for t in used), ZERO) / total).quantize(quantum, mode)
        high = (points * sum((records[t].high for t in used), ZERO) / total).quantize(quantum,
                                                                                     mode)
        missing = tuple(dict.fromkeys(n for t in used for n in records[t].missing))
        names = "、".join(plan[t].node.name for t in used)
        records[k] = Outcome(low, high, (*record.trace, WeightMoved(names, points, low, high)),
                             missing)
