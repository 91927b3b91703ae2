"""The recognisers of the criterion forms of domain.md §2 that rubric's rule kinds express.

Each ``read_*`` takes the clauses of a prepared criterion (``clauses.split``), its
``Notes`` and the caller's ``Context``; it returns a ``Draft`` (the rule mapping, the
fact declarations, the readings made) when the text is that form, None when it is not,
and raises ``Unreadable`` with the reason when it is that form but cannot be read with
certainty. A form is read only when every clause is accounted for. ``RECOGNISERS`` is
the order they are tried in: the most specific first.
"""

from __future__ import annotations

from .compared import read_compared_deduction
from .discrete import (
    read_boolean,
    read_boolean_pairs,
    read_categorical,
    read_checklist,
    read_deadline,
)
from .draft import Context, Draft
from .numeric import read_bands, read_deduction, read_per_occurrence
from .requirements import read_requirement
from .scaled import read_count_share, read_qualitative, read_ratio

__all__ = ["RECOGNISERS", "Context", "Draft", "read_qualitative"]

RECOGNISERS = (read_qualitative, read_checklist, read_ratio, read_count_share, read_deadline,
               read_deduction,
               read_compared_deduction, read_per_occurrence, read_boolean_pairs, read_boolean,
               read_requirement, read_bands, read_categorical)
