"""Rows of the compiled scores function that the general path scores.

A row whose rule reads a derived rate that came out 0/0 (``UNDEFINED``: nothing
budgeted, nothing spent) or infinite (spent without a budget) is read by the rule's or
the policy's 0/0 reading, which evaluation applies in its general path for one row
(``score_row``: the rule, its cap, the reading, the rounding). ``general_row`` wraps
a row's compiled code so that such a unit stays in the compiled function: the row is
scored by ``score_row`` and the unit leaves the function only when that row is still
unsettled.

``write_rounding`` rounds a row's score to the policy's quantum through a small table per
row of the scores already rounded (a lookup costs a third of ``quantize``; a row's scores
repeat from unit to unit).
"""

from __future__ import annotations

from typing import Any

from ..rules.analysis import CodeWriter
from ..tree import Indicator, Ruleset
from .evaluation import score_row


def general_row(src: CodeWriter, start: int, out: str, inputs: list[str],
                ruleset: Ruleset, row: Indicator) -> None:
    """Put the row's code emitted from line ``start`` on under a test of its derived
    ``inputs``: when one is ``UNDEFINED`` or infinite, ``out`` is ``score_row``'s settled score."""
    body = ["    " + line for line in src.lines[start:]]
    del src.lines[start:]
    test = " or ".join(f"not ((u := v.get({name!r})) is not UNDEFINED and u.is_finite())"
                       for name in inputs)
    fn = src.const(_row_scorer(ruleset, row))
    src.emit(f"if {test}:")
    src.emit(f"o = {fn}(v)", 2)
    src.emit("if o.missing or not o.applicable or o.low != o.high: return None", 2)
    src.emit(f"{out} = o.low", 2)
    src.emit("else:")
    src.lines.extend(body)


def _row_scorer(ruleset: Ruleset, row: Indicator) -> Any:
    """``values -> Record`` of ``row`` by evaluation's general path."""
    def scorer(values: dict[str, object]) -> Any:
        return score_row(ruleset, values, row)
    return scorer


#: the most rounded scores one row's table keeps (beyond: rounded, not kept)
ROUNDED_KEPT = 256


def write_rounding(src: CodeWriter, out: str, quantum: str, mode: str) -> None:
    """Emit ``out = out.quantize(quantum, mode)`` through a table of the row's rounded
    scores. Equal nonzero Decimals round to the same Decimal whatever their exponent
    (``Decimal("3")`` and ``Decimal("3.0")`` both to ``3.00``); zero is not kept (``-0``
    equals ``0`` and rounds to ``-0.00``), nor a score whose rounding raises."""
    table = src.const({})
    src.emit(f"r = {table}.get({out})")
    src.emit("if r is None:")
    src.emit(f"r = {out}.quantize({quantum}, {mode})", 2)
    src.emit(f"if {out} and len({table}) < {ROUNDED_KEPT}: {table}[{out}] = r", 2)
    src.emit(f"{out} = r")
