"""Audit a claimed (already scored) table: recompute every node and classify each claim.

Reviewers re-score what units claimed: the 得分 of a filed table are the unit's own
claims, checked against the facts. ``audit(ruleset, facts, claimed)`` evaluates the
facts and compares each claimed 得分 and printed 分值 with what the ruleset gives.
Every node gets one or more classes, most severe first:

- ``impossible``: outside the computed range, above the node's 分值, below 0, or not a
  score the rule can give at all (4 for a 5-or-0 boolean row);
- ``wrong``: the facts settle the row and the rule gives another (achievable) score;
- ``sum_mismatch``: a subtotal or total that is not the (capped) sum of its claimed
  children (a group whose children are all claimed counts as claimed by their sum);
- ``maxima_mismatch``: a printed 分值 that differs from the ruleset's, printed (or, for
  a group not printed, implied) children's 分值 that do not add up to the parent's,
  one_of alternatives of different 分值 (``maxima``);
- ``printed_mismatch``: a printed fact or derived value (``printed: {预算执行率: 86%}``)
  that disagrees with the facts at the printed precision, on each row reading it;
- ``not_scored``: the 得分 (or 合计) cell was printed empty;
- ``rounding``: the claim is the computed score rounded to fewer decimals than the
  policy's precision (8.62 printed as 9), or a subtotal or total that is the sum of
  the rows rounded as the table rounded them (said once: ``AuditReport.rounding``);
- ``feasible``: facts are missing and the claim lies inside the possible range;
- a row whose tier or band leaves the score to the evaluator within a range (a
  ``tier`` rule, a band with a score range) is ``consistent`` for a claim inside the
  range and ``impossible`` outside it (``不可能: “达成”档 应在 6.4–8 之间, 申报 5``);
- ``consistent``: the claim equals the computed score;
- ``unclaimed``: nothing was claimed for this node.

``consistent``, ``feasible`` and ``unclaimed`` are acceptable (``AuditReport.ok``);
anything else is a finding. With no 合计 printed, the printed rows' sum is checked
against the computed total (``AuditEntry.implied``). The warnings about the unit's facts
(plain numbers read for % facts, violated constraints) come with the report
(``AuditReport.warnings``), listed before the summary line; each row's own warnings,
worded for its direction, with its entry (``AuditEntry.warnings``). ``load_claimed``
reads the claimed YAML file and keeps line numbers so findings and bad input point at
``file:line``.
"""

from __future__ import annotations

from .claimed import Claimed, PrintedValue, load_claimed
from .classes import ACCEPTABLE, CLASSES, status_label
from .classify import achievable_scores
from .printed import PrintedCheck
from .render import format_audit
from .report import AuditEntry, AuditReport
from .rounding import TableRounding
from .run import audit

__all__ = [
    "ACCEPTABLE",
    "CLASSES",
    "AuditEntry",
    "AuditReport",
    "Claimed",
    "PrintedCheck",
    "PrintedValue",
    "TableRounding",
    "achievable_scores",
    "audit",
    "format_audit",
    "load_claimed",
    "status_label",
]
