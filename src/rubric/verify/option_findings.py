"""What ``rubric check`` says about a row's own options and the table's vetoes.

A veto (of a row or of the table) is a note naming its fact and text, so a reviewer sees
every condition that can override the scores; a grade veto capping at the best grade
changes nothing (a warning); a row scored when it does not apply (``if_not_applicable``),
or whose 分值 then moves to siblings, is a note. A veto's fact that is undeclared or not
yes/no, a grade that is not one of the policy's, a move to anything but a sibling and a
row precision finer than the table's are load errors (the ruleset does not build),
reported by ``check`` as such.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..rules.row_options import RowOptions
from ..tree import Indicator, Ruleset
from .messages import Message, msg

__all__ = ["option_findings"]


def option_findings(ruleset: Ruleset
                    ) -> Iterator[tuple[str, Message, Indicator | None, str | None, Any]]:
    """``(severity, message, row or None, where, key)`` for each finding, in table order,
    the table's vetoes last."""
    for row in ruleset.indicators():
        rule = row.rule
        if not isinstance(rule, RowOptions):
            continue
        if not rule.adds:
            yield "note", msg("not-added", points=row.points), row, None, "adds"
        if rule.veto is not None:
            yield ("note", msg("veto", "row", fact=rule.veto.fact, text=rule.veto.text), row,
                   None, "veto")
        points, na = rule.na_points, rule.if_not_applicable
        if na is not None and na.reading == "move":
            yield ("note", msg("row-not-applicable", "move", points=row.points,
                               to="、".join(na.to)), row, None, "if_not_applicable")
        if points is not None and rule.if_not_applicable is not None:
            yield ("note", msg("row-not-applicable", points=min(points, row.points),
                               reading=rule.if_not_applicable.reading), row, None,
                   "if_not_applicable")
    best = ruleset.policy.grades[0].name
    for veto in ruleset.vetoes:
        if veto.effect == "zero":
            yield "note", msg("veto", "zero", fact=veto.fact, text=veto.text), None, \
                veto.source, None
        else:
            yield ("note", msg("veto", "grade", fact=veto.fact, text=veto.text,
                               grade=veto.grade or ""), None, veto.source, None)
            if veto.grade == best:
                yield ("warning", msg("veto-caps-nothing", grade=veto.grade), None, veto.source,
                       None)
