"""Rows of the compiled scores function that the general path scores.

A row whose rule reads a derived rate that came out 0/0 (``UNDEFINED``: nothing
budgeted, nothing spent) or infinite (spent without a budget) is read by the rule's or
the policy's 0/0 reading, which evaluation applies in its general path for one row
(``score_row``: the rule, its cap, the reading, the rounding). ``general_row`` wraps
a row's compiled code so that such a unit stays in the compiled function: the row is
scored by ``score_row`` and the unit leaves the function only when that row is still
unsettled.
"""

from __future__ import annotations

from typing import Any

from ..rules.analysis import CodeWriter
from ..tree import Indicator, Ruleset
from .evaluation import score_row


def general_row(src: CodeWriter, start: int, out: str, inputs: list[str],
                ruleset: Ruleset, row: Indicator, values: str = "v") -> None:
    """Put the row's code emitted from line ``start`` on under a test of its derived
    ``inputs``: when one is ``UNDEFINED`` or infinite, ``out`` is ``score_row``'s settled
    score. ``values`` is the expression of the values ``score_row`` reads; an input held
    in a local (``src.known``) is tested there, or by its flag (``src.finite``)."""
    body = ["    " + line for line in src.lines[start:]]
    del src.lines[start:]
    test = " or ".join(f"not {src.finite[name]}" if name in src.finite else
                       f"not ((u := {src.value(name)}) is not UNDEFINED and u.is_finite())"
                       for name in inputs)
    fn = src.const(_row_scorer(ruleset, row))
    src.emit(f"if {test}:")
    src.emit(f"o = {fn}({values})", 2)
    src.emit("if o.missing or not o.applicable or o.low != o.high: return None", 2)
    src.emit(f"{out} = o.low", 2)
    src.emit("else:")
    src.lines.extend(body)


def _row_scorer(ruleset: Ruleset, row: Indicator) -> Any:
    """``values -> Record`` of ``row`` by evaluation's general path."""
    def scorer(values: dict[str, object]) -> Any:
        return score_row(ruleset, values, row)
    return scorer
