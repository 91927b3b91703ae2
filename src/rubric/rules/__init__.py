"""Scoring rules: one frozen class per scoring method of real tables, and their registry.

Each family of methods lives in one module (``bands``, ``deductions``, ``discrete``,
``ratios``, ``deadlines``, ``qualitative``, ``formula``, ``composite``), and each kind
there provides every part of itself in one place (``rules.base`` lists the parts): its fields and
validation, scoring, trace steps with their text, static analysis, test hints, the
scores it can award and its compiled form. ``RULE_TYPES`` maps the ``kind`` tag of
ruleset files to the class; the loader, schema, check, testing, audit and compiled
paths consult it (and the parts) instead of naming classes.

Points are ``Decimal``; every rule's result lies in ``[0, max_points]``. Options left
``None`` take the ruleset policy's ``RuleDefaults``; the reading applied is part of the
trace.
"""

from __future__ import annotations

from typing import Any

from .bands import Band, Bands
from .base import Outcome, Rule
from .composite import SumRule, Then
from .deadlines import Deadline
from .deductions import PerOccurrence, StepDeduction
from .discrete import Boolean, Categorical, Checklist, ChecklistItem, State
from .formula import FormulaRule
from .qualitative import Qualitative, Tier, TierChoice
from .ratios import Coefficient, CompletionRatio

# The public rule classes (re-exported by rubric); RULE_TYPES, PARTS and is_rule serve
# the package's own loader, schema, check and tests.
__all__ = [
    "Band",
    "Bands",
    "Boolean",
    "Categorical",
    "Checklist",
    "ChecklistItem",
    "Coefficient",
    "CompletionRatio",
    "Deadline",
    "FormulaRule",
    "Outcome",
    "PerOccurrence",
    "Qualitative",
    "Rule",
    "State",
    "StepDeduction",
    "SumRule",
    "Then",
    "Tier",
    "TierChoice",
]

RULE_TYPES: dict[str, type] = {
    cls.kind: cls
    for cls in (Bands, StepDeduction, PerOccurrence, Boolean, Checklist, Categorical,
                CompletionRatio, Coefficient, Deadline, Qualitative, FormulaRule,
                TierChoice, SumRule)
}

# The parts every kind provides (see rules.base); tests/test_rule_registry.py walks
# RULE_TYPES and fails when a kind lacks one.
PARTS: tuple[str, ...] = (
    "kind", "STEPS", "SCHEMA", "inputs", "input_types", "max_points", "direction",
    "evaluate", "prepare", "convert_field", "check_declarations", "analyse", "test_hints",
    "directions", "achievable", "compile_into",
)


# Classes whose instances were found to follow the protocol and that carry every part on
# the class itself (PARTS include every member of ``Rule``), so each instance does too:
# the Protocol isinstance check is slow (about 0.1 ms), and a 10 000-row ruleset asks it
# for every row.
_RULE_CLASSES: set[type] = set()


def is_rule(obj: Any) -> bool:
    """Whether ``obj`` follows the rule protocol (structurally, not by class name)."""
    cls = type(obj)
    if cls in _RULE_CLASSES:
        return True
    found = isinstance(obj, Rule) and all(hasattr(obj, part) for part in PARTS)
    if found and all(hasattr(cls, part) for part in PARTS):
        _RULE_CLASSES.add(cls)
    return found
