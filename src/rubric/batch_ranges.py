"""Missing facts as ranges in a CSV batch's columns (``batch_csv``): ``ranged_lines``.

The common gap in a batch is one empty cell of a fact that only one row reads (供养人数
left blank). Such a row's score is then a range that does not depend on the unit: the
row's rule over the fact's domain, capped and rounded (``evaluate``'s record of that row
for any unit with the cell empty). So a unit whose only unread cells are empty cells of
such *lone facts* is scored in columns: every other row as usual, each lone fact's row
its range, taken from one unit scored by ``evaluate``, and every group the sum of its
children's lows and of their highs, each capped at its 分值, exactly as ``evaluate``
sums ranges; the total's grades run from the grade of its high to that of its low, and
the facts that would settle it are the lone facts' own, in table order.

Before any unit is written so, the unit the range was taken from is written both ways
and compared: if the two lines differ in any byte, no unit of the chunk is written from
columns this way (they go to the per-unit path). A lone fact is an input fact read by
one row, whose rule reads nothing else, and by no derived fact; only a cell that is
exactly empty counts as missing here (``-``, spaces, 不适用 go per unit).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from .engine.column_bytes import ByteCells
from .engine.column_values import blank, scaled
from .engine.evaluation import evaluate
from .engine.plan import plan_of
from .io.csv_lines import Coded
from .io.tabular import UNIT_COLUMNS, decimal_text
from .tree import Ruleset

__all__ = ["exempted", "lone_facts", "ranged_rows", "ranged_scores", "ranged_texts"]


def lone_facts(cp: Any) -> dict[str, int]:
    """Lone facts (module docstring) -> the plan index of the one row that reads them."""
    memo: dict[str, int] | None = getattr(cp, "lone_facts", None)
    if memo is not None:
        return memo
    ruleset = cp.ruleset
    in_formulas: set[str] = set()
    for _name, formula in ruleset.derived:
        in_formulas.update(formula.names)
    readers: dict[str, list[int]] = {}
    for k, step in enumerate(cp.plan.steps):
        if step.rule is not None:
            for fact in set(step.node.rule.inputs):
                readers.setdefault(fact, []).append(k)
    memo = {f: ks[0] for f, ks in readers.items()
            if len(ks) == 1 and set(cp.plan.steps[ks[0]].node.rule.inputs) == {f}
            and f in cp.inputs and f not in in_formulas}
    cp.lone_facts = memo
    return memo


def ranged_rows(np: Any, cp: Any, data: Mapping[str, Sequence[str]], cols: Mapping[str, Any],
                ok: Any, named_ok: Any) -> tuple[Any, dict[int, Any]]:
    """Units that converted but for empty cells of lone facts, and per lone fact's row
    (plan index) the units whose cell is empty (``ColumnPlan.run``'s ``exempt``)."""
    n = len(ok)
    if any(f in cp.used and f not in data for f in cp.inputs):
        return np.zeros(n, dtype=bool), {}
    empty = {f: _empty(np, data[f], cols[f], n) for f in lone_facts(cp)
             if f in data and not cols[f].ok.all()}
    return exempted(np, cp, data, cols, empty, ok, named_ok)


def exempted(np: Any, cp: Any, data: Mapping[str, Any], cols: Mapping[str, Any],
             empty: Mapping[str, Any], ok: Any, others_ok: Any) -> tuple[Any, dict[int, Any]]:
    """The units not ``ok`` only because lone facts are ``empty`` (fact -> mask; every
    other column converted, or blank and unused; ``others_ok``: every other check passed),
    and per lone fact's row (plan index) those of its units whose value is empty."""
    relaxed = np.zeros(len(ok), dtype=bool)
    for mask in empty.values():
        relaxed |= mask
    relaxed &= ~ok & others_ok
    if not relaxed.any():
        return relaxed, {}
    for name, col in cols.items():
        good = col.ok
        if name in empty:
            good = good | empty[name]
        elif name not in cp.used:
            good = good | blank(np, data[name])
        relaxed &= good
    lone = lone_facts(cp)
    return relaxed, {lone[f]: relaxed & mask for f, mask in empty.items()}


def _empty(np: Any, cells: Sequence[Any], col: Any, n: int) -> Any:
    """Which cells are empty (falsy). Of a column of text cells converted as numbers,
    yes/no or dates only the cells not taken are looked at: ``column_values.convert``
    never takes an empty cell as one of those (a number has a digit, yes/no is a text of
    ``facts.BOOLEAN_TEXT``, which has no empty text, a date has its digits)."""
    if isinstance(cells, ByteCells):  # text as bytes: the cells of no bytes
        return cells.lengths() == 0
    if type(cells) is list and col.kind in ("number", "boolean", "date"):
        mask = np.zeros(n, dtype=bool)
        rest = np.flatnonzero(~col.ok).tolist()
        if rest:
            mask[rest] = [not cells[i] for i in rest]
        return mask
    return np.fromiter(map(operator.not_, cells), dtype=bool, count=n)


def _record(ruleset: Ruleset, header: Sequence[str], cells: Sequence[str]) -> Any:
    values = {c: v for c, v in zip(header, cells) if c not in UNIT_COLUMNS}
    return evaluate(ruleset, plan_of(ruleset).coerce(values)).records


def ranged_scores(np: Any, cp: Any, base_of: Callable[[int], Any], at: Any,
                  exempt: Mapping[int, Any], records_of: Callable[[int], Sequence[Any]]
                  ) -> tuple[list[Any], list[Any], list[str], list[tuple[str, ...]],
                             list[int]] | None:
    """Units ``at`` (ranged, the rest settled by the columns) scored: each node's lows
    and highs (scaled integers at ``cp.scale``, plan order), each unit's grade text and
    missing facts, and the units the ranges were taken from (to be checked against the
    per-unit path). ``base_of(k)`` is node ``k``'s settled column over ``at`` (None: not
    integers), ``records_of(i)`` unit ``i``'s records by the per-unit path. None when a
    range cannot be had exactly: the per-unit path scores those units."""
    steps, scale = cp.plan.steps, cp.scale
    lows: list[Any] = []
    highs: list[Any] = []
    missing: list[tuple[Any, tuple[str, ...]]] = []
    taken: list[int] = []
    for k, step in enumerate(steps):
        if step.rule is None:
            lo = sum((lows[c] for c in step.children), np.zeros(len(at), dtype=np.int64))
            hi = sum((highs[c] for c in step.children), np.zeros(len(at), dtype=np.int64))
            cap = scaled(step.max_points, scale)
            lows.append(np.minimum(lo, cap))
            highs.append(np.minimum(hi, cap))
            continue
        base = base_of(k)
        if base is None:
            return None
        mask = exempt.get(k)
        here = mask[at] if mask is not None else None
        if here is None or not here.any():
            lows.append(base)
            highs.append(base)
            continue
        first = int(at[np.flatnonzero(here)[0]])
        taken.append(first)
        try:
            record = records_of(first)[k]
        except Exception:  # noqa: BLE001 - not had exactly: the per-unit path
            return None
        lo_k, hi_k = scaled(record.low, scale), scaled(record.high, scale)
        if (Decimal(lo_k).scaleb(-scale) != record.low
                or Decimal(hi_k).scaleb(-scale) != record.high or not record.missing
                or not record.applicable):
            return None
        lows.append(np.where(here, lo_k, base))
        highs.append(np.where(here, hi_k, base))
        missing.append((here, tuple(record.missing)))
    names = [g.name for g in cp.ruleset.policy.grades]
    best, worst = cp.grade_codes(np, highs[-1]).tolist(), cp.grade_codes(np, lows[-1]).tolist()
    grades = [names[b] if b == w else "/".join(names[b:w + 1]) for b, w in zip(best, worst)]
    merged: list[dict[str, None]] = [{} for _ in range(len(at))]
    for here, facts in missing:
        for i in np.flatnonzero(here).tolist():
            merged[i].update(dict.fromkeys(facts))
    return lows, highs, grades, [tuple(m) for m in merged], taken


def ranged_texts(np: Any, cp: Any, nodes: list[Any], at: Any, exempt: Mapping[int, Any],
                 header: Sequence[str], cells_of: Callable[[int], Sequence[str]]
                 ) -> tuple[dict[str, list[str] | Coded], list[int]] | None:
    """The output cells of units ``at`` (``ranged_scores``) by column: every node,
    ``total``, ``total_low``, ``total_high``, ``grade`` and ``missing_facts`` (a node
    no unit has a range in as a coded column, ``io.csv_lines.Coded``), and the units the
    ranges were taken from; None when a lone fact's range cannot be had exactly."""
    got = ranged_scores(np, cp, lambda k: nodes[k].a[at], at, exempt,
                        lambda i: _record(cp.ruleset, header, cells_of(i)))
    if got is None:
        return None
    lows, highs, grades, missing, taken = got
    steps, scale = cp.plan.steps, cp.scale
    out: dict[str, list[str] | Coded] = {}
    for step, lo, hi in zip(steps, lows, highs):
        if lo is hi or np.array_equal(lo, hi):  # no range in this node: its scores, coded
            coded = _coded(np, lo, -scale)
            out[step.node.id] = coded
            if step is steps[-1]:
                out["total"] = out["total_low"] = out["total_high"] = coded
            continue
        lo_t, hi_t = _texts(np, lo, -scale), _texts(np, hi, -scale)
        out[step.node.id] = [a if a == b else f"{a}–{b}" for a, b in zip(lo_t, hi_t)]
        if step is steps[-1]:
            out["total"] = [a if a == b else "" for a, b in zip(lo_t, hi_t)]
            out["total_low"], out["total_high"] = lo_t, hi_t
    out["grade"] = grades
    out["missing_facts"] = [", ".join(m) for m in missing]
    return out, taken


def _coded(np: Any, ints: Any, shift: int) -> Coded:
    """``decimal_text`` of each integer at the scale, as a coded column (each distinct
    value's text made once)."""
    uniq, inverse = np.unique(ints, return_inverse=True)
    return Coded([decimal_text(Decimal(int(v)).scaleb(shift)) for v in uniq.tolist()],
                 inverse.reshape(-1))


def _texts(np: Any, ints: Any, shift: int) -> list[str]:
    """``decimal_text`` of each integer at the scale, each distinct value made once."""
    coded = _coded(np, ints, shift)
    made = np.array(coded.texts, dtype=object)
    return made[coded.codes].tolist()  # type: ignore[no-any-return]

