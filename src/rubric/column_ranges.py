"""Missing lone facts as ranges in ``score_columns``: ``ranged_units`` and ``range_scores``.

The common gap in a batch is one missing value of a fact that only one row reads (供养人数
left blank). That row's score is then a range that does not depend on the unit (the
row's rule over the fact's domain, capped and rounded: ``evaluate``'s record of the row
for any unit missing the value), and every other row is what the columns give. So such
a unit is scored without the per-unit path: each lone fact's row its range, taken from
one unit scored by ``evaluate``, every group the sum of its children's lows and of their
highs, each capped at its 分值 (as ``evaluate`` sums ranges), the grades from the grade
of the high to that of the low, the facts that would settle it the lone facts' own in
plan order. This is ``batch_ranges``' rule for CSV lines, here for ``ColumnScores``.

A lone fact is an input fact read by one row, whose rule reads nothing else, and by no
derived fact (``batch_ranges.lone_facts``). Only a value that is exactly absent counts
as missing here (None, NaN, NaT, empty text); a unit missing anything else, or given
as not applicable, goes per unit. Before any unit is scored so, each unit a range was
taken from is also scored by the per-unit path and the two compared in full; if one
differs, every such unit goes per unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .batch_ranges import exempted, lone_facts, ranged_scores
from .engine.column_values import Converted, blank
from .engine.evaluation import evaluate
from .engine.plan import plan_of
from .io.tabular import UNIT_COLUMNS

__all__ = ["absent", "range_scores", "ranged_units"]


def absent(np: Any, values: Any) -> Any:
    """Values that are exactly absent: None, NaN, NaT or empty text."""
    if isinstance(values, np.ndarray) and values.dtype != object:
        return blank(np, values)
    return np.fromiter((v is None or (type(v) is float and v != v) or (type(v) is str and not v)
                        for v in values), dtype=bool, count=len(values))


def ranged_units(np: Any, cp: Any, data: Mapping[str, Any], cols: Mapping[str, Converted],
                 ok: Any, others_ok: Any) -> tuple[Any, dict[int, Any]]:
    """Units that are not ``ok`` only for absent values of lone facts, and per lone fact's
    row (plan index) the units whose value is absent (``ColumnPlan.run``'s ``exempt``).
    ``others_ok``: the units every check but the facts' conversion passes."""
    if any(f in cp.used and f not in data for f in cp.inputs):
        return np.zeros(len(ok), dtype=bool), {}
    empty = {f: absent(np, data[f]) for f in lone_facts(cp)
             if f in cols and not cols[f].ok.all()}
    return exempted(np, cp, data, cols, empty, ok, others_ok)


def range_scores(np: Any, cp: Any, nodes: list[Any], at: Any, exempt: Mapping[int, Any],
                 values_of: Any) -> tuple[list[Any], list[Any], list[str], list[tuple[str, ...]],
                                          list[int]] | None:
    """Units ``at`` (ranged, the rest settled by the columns) scored as
    ``batch_ranges.ranged_scores`` scores a CSV chunk's (``values_of(i)``: unit ``i``'s
    values as the per-unit path takes them, ``id``/``unit`` included); None when a range
    cannot be had exactly."""
    ruleset = cp.ruleset

    def base_of(k: int) -> Any:
        base = nodes[k][at]
        return base if base.dtype == np.int64 else None

    def records_of(i: int) -> Any:
        values = {c: v for c, v in values_of(i).items() if c not in UNIT_COLUMNS}
        return evaluate(ruleset, plan_of(ruleset).coerce(values)).records

    return ranged_scores(np, cp, base_of, at, exempt, records_of)
