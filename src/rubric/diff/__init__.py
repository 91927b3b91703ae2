"""What changed between two rulesets (last year's table and this year's), and how each
unit's score and grade move between them.

``diff_rulesets(old, new)`` matches the rows (三级指标) of the two tables by id, then the
rows left over by name (a name unique among the unmatched rows of each side), and says
of each row whether it was added, removed, renamed (its id or name changed), re-weighted
(its 分值 changed), moved (its groups changed) or given another rule. Groups are matched
the same way (added, removed, renamed, re-weighted). For a row whose rule or 分值 changed,
both rows are scored by the engine at the breakpoints both rules name (``Rule.test_hints``,
collected by ``rubric.whatif``'s ``Edges``: band ends, step edges, targets, deadlines),
between them and beyond them, and the probes whose scores differ are kept: ``预算调整率 =
10: 4 → 3``. A row reading several facts is probed at every combination of their values
(at most ``MAX_COMBINATIONS``; beyond that one fact at a time).

``diff_batch(old, new, rows)`` (``diff_batch_file`` for a CSV/XLSX/JSON Lines file read
as ``rubric score --batch`` reads it) scores every unit with both rulesets and says how
its total and grade move; ``BatchDiff.summary`` counts the units whose grade changes, up
and down. A grade moves *up* when every grade the new total can have is better than every
grade the old one could have (grades compared by their place in each ruleset's list, best
first), *down* the other way; where missing facts leave ranges that overlap the move is
``unknown``.
"""

from .batch import BatchDiff, UnitChange, diff_batch, diff_batch_file
from .rulesets import MAX_COMBINATIONS, NodeChange, Probe, RulesetDiff, diff_rulesets

__all__ = ["MAX_COMBINATIONS", "BatchDiff", "NodeChange", "Probe", "RulesetDiff", "UnitChange",
           "diff_batch", "diff_batch_file", "diff_rulesets"]
