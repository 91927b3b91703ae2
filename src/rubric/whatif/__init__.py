"""What would it take: the smallest change of each fact that lifts a row to its next band
or to full marks, which values give which scores where a fact is missing, and a suggested
set of row changes that reaches the next grade.

Nothing here describes a rule kind a second time. A row's score as a function of one fact
is the row itself, scored by the engine (``score_row``: the rule, its cap and the row
rounding); the breakpoints worth looking at are the ones each kind already names for
property testing (``Rule.test_hints``: band ends, step edges, ratio targets, deadlines);
the scores a kind can award are its ``achievable`` scores. Between two breakpoints a row's
score is monotone, so the threshold is found by bisection there and then read exactly:

- a threshold that is a decimal of at most ``PLACES`` places is reported as it is; when the
  score is reached *at* it, the change is that value (closed); when it is reached only
  *beyond* it (a strict ``>90`` band), the change says "more than 90" (``open``) and never
  names a number that does not reach it;
- a threshold that is no such decimal (``8 × 60 / 7``) is rounded away from the current
  value to ``RESOLUTION`` (``exact`` is false): that value reaches the score and one
  ``RESOLUTION`` less does not;
- a count (``per_occurrence``) and a date move in whole units.

A formula rule names no breakpoints: its score is searched as monotone between the
domain's ends (the change reported always reaches the score, scored again; that no
smaller one does rests on the formula being monotone, as its ``direction`` declares).

A row whose score is a range (a ``tier`` row, a band with a score range, a ``sum`` row
with such a part: the evaluator picks the score inside the band) is compared as
(low, high), end by end: a change raises it when it raises the low end, or the high end
without lowering the low end (``search.Span``: ranges ordered as tuples); its next band is
the lowest range above it that the kind awards or one fact's states or stretches give,
and full marks means the high end reaching the 分值. A ``sum`` row is also searched part
by part: each part's next band and full marks, where the row rises with it.

A derived fact (``执行率 = 支出 / 预算 * 100``) is changed as itself, and, where one of its
given operands alone can bring it exactly to the needed value, also through that operand.
The grade suggestion is greedy (largest gain first, the last step the smallest change that
suffices) and is a suggestion, not the only or the cheapest plan.
"""

from .model import (
    Change,
    GradePlan,
    Piece,
    RowWhatIf,
    WhatIf,
    grade_plan,
    result_dict,
    row_what_if,
    what_if,
)
from .search import PLACES, RESOLUTION

__all__ = ["PLACES", "RESOLUTION", "Change", "GradePlan", "Piece", "RowWhatIf", "WhatIf",
           "grade_plan", "result_dict", "row_what_if", "what_if"]
