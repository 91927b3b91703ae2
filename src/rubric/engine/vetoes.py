"""The total's vetoes and its grade: what evaluation does once the rows are summed.

A veto of the table (``rubric.vetoes.TableVeto``) reads a yes/no fact: held, ``effect:
zero`` makes the total 0 and ``effect: grade`` caps the grade (the score is kept); not
held, nothing changes; unknown (missing, unsettled, 不适用), the total and the grade are
ranges covering both (the fact is named among those that would settle it), never a
silent pass. The total's trace shows every veto with its text.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ..facts import MISSING
from ..policy import Policy
from ..rules import Outcome
from ..trace import TableVetoStep
from ..tree import Ruleset

__all__ = ["grade_minima", "grade_of", "graded"]

ZERO = Decimal(0)


def grade_minima(ruleset: Ruleset) -> tuple[tuple[Decimal, str], ...]:
    """(minimum in points, name) of each grade, best first (``Policy.grade_minimum``),
    computed once per ruleset and kept in its memo."""
    minima: tuple[tuple[Decimal, str], ...] | None = ruleset.memo.get("grade_minima")
    if minima is None:
        policy = ruleset.policy
        minima = ruleset.memo["grade_minima"] = tuple(
            (policy.grade_minimum(g), g.name) for g in policy.grades)
    return minima


def grade_of(ruleset: Ruleset, total: Decimal) -> str:
    """``ruleset.policy.grade(total)``, by the minima of ``grade_minima``."""
    minima = grade_minima(ruleset)
    for minimum, name in minima:
        if total >= minimum:
            return name
    return minima[-1][1]


def _grades(policy: Policy, low: Decimal, high: Decimal) -> tuple[int, int]:
    """Indices (best first) of the best and the worst grade of totals low..high."""
    names = [g.name for g in policy.grades]
    return names.index(policy.grade(high)), names.index(policy.grade(low))


def graded(ruleset: Ruleset, values: Mapping[str, object], records: list[Outcome]
           ) -> tuple[str | None, tuple[str, ...], tuple[TableVetoStep, ...]]:
    """The grade (None when it is a range), the possible grades (best first) and the
    vetoes as they applied; a veto of the total replaces the root's record in
    ``records``."""
    if not ruleset.vetoes and records[-1].low == records[-1].high:  # one grade
        grade = grade_of(ruleset, records[-1].low)
        return grade, (grade,), ()
    policy = ruleset.policy
    names = [g.name for g in policy.grades]
    steps: list[TableVetoStep] = []
    if ruleset.vetoes:
        root = records[-1]
        low, high, missing = root.low, root.high, list(root.missing)
        caps: list[tuple[int, bool]] = []  # grade caps: index, held for certain
        for veto in ruleset.vetoes:
            x = values.get(veto.fact, MISSING)
            held = True if x is True else False if x is False else None
            if held is not False:
                if veto.effect == "zero":
                    low = policy.round(ZERO)
                    high = low if held else high
                else:
                    caps.append((names.index(veto.grade or names[-1]), bool(held)))
                if held is None and veto.fact not in missing:
                    missing.append(veto.fact)
            steps.append(TableVetoStep(veto.fact, veto.text, veto.effect, held, veto.grade,
                                       low, high))
        records[-1] = root._replace(low=low, high=high, missing=tuple(missing),
                                    trace=(*root.trace, *steps))
        best, worst = _grades(policy, low, high)
        for cap, held in caps:
            worst = max(worst, cap)
            if held:
                best = max(best, cap)
    else:
        best, worst = _grades(policy, records[-1].low, records[-1].high)
    grades = tuple(names[best:worst + 1])
    return (grades[0] if best == worst else None), grades, tuple(steps)
