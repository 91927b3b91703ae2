"""rubric: score, verify and audit performance-evaluation rubrics exactly.

Everything public is re-exported here; other modules are private by default.
"""

from importlib.metadata import PackageNotFoundError, version

from .errors import (
    EvaluationError,
    FactError,
    FormulaError,
    LoadError,
    Problem,
    RubricError,
    RulesetError,
    UnitError,
)
from .evaluation import NodeResult, Result, evaluate
from .facts import MISSING, NOT_APPLICABLE, UNDEFINED, Facts, FactSpec, Unsettled
from .policy import DEFAULT_GRADES, Grade, Policy, RuleDefaults
from .rules import (
    Band,
    Bands,
    Boolean,
    Categorical,
    Checklist,
    ChecklistItem,
    Coefficient,
    CompletionRatio,
    Deadline,
    FormulaRule,
    PerOccurrence,
    Qualitative,
    State,
    StepDeduction,
    Tier,
)
from .tree import Group, Indicator, Metadata, Ruleset

try:
    __version__ = version("rubric")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "DEFAULT_GRADES",
    "MISSING",
    "NOT_APPLICABLE",
    "UNDEFINED",
    "Band",
    "Bands",
    "Boolean",
    "Categorical",
    "Checklist",
    "ChecklistItem",
    "Coefficient",
    "CompletionRatio",
    "Deadline",
    "EvaluationError",
    "FactError",
    "FactSpec",
    "Facts",
    "FormulaError",
    "FormulaRule",
    "Grade",
    "Group",
    "Indicator",
    "LoadError",
    "Metadata",
    "NodeResult",
    "PerOccurrence",
    "Policy",
    "Problem",
    "Qualitative",
    "Result",
    "RubricError",
    "RuleDefaults",
    "Ruleset",
    "RulesetError",
    "State",
    "StepDeduction",
    "Tier",
    "UnitError",
    "Unsettled",
    "__version__",
    "evaluate",
]
