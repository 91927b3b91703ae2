"""rubric: score, verify and audit performance-evaluation rubrics exactly.

Everything public is re-exported here; other modules are private by default.
"""

from importlib import metadata as _metadata

from .audit import AuditEntry, AuditReport, Claimed, audit, load_claimed
from .batch import BatchRow, BatchSummary, score_batch, score_file
from .cases import Case, CaseFailure, CaseResult, load_cases, run_cases
from .check import Finding, check_file, check_ruleset
from .compiled import Scores, compile_scores, score_only
from .dataframe import score_dataframe
from .dump import dump_ruleset
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
from .loader import load_facts, load_ruleset
from .policy import DEFAULT_GRADES, Grade, Policy, RuleDefaults
from .render import render_json, render_markdown, render_table
from .reports import write_report
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
    Outcome,
    PerOccurrence,
    Qualitative,
    Rule,
    State,
    StepDeduction,
    Tier,
)
from .schema import ruleset_schema
from .tree import Group, Indicator, Metadata, Node, Ruleset

try:
    __version__ = _metadata.version("rubric")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "AuditEntry",
    "AuditReport",
    "Band",
    "Bands",
    "BatchRow",
    "BatchSummary",
    "Boolean",
    "Case",
    "CaseFailure",
    "CaseResult",
    "Categorical",
    "Checklist",
    "ChecklistItem",
    "Claimed",
    "Coefficient",
    "CompletionRatio",
    "DEFAULT_GRADES",
    "Deadline",
    "EvaluationError",
    "FactError",
    "FactSpec",
    "Facts",
    "Finding",
    "FormulaError",
    "FormulaRule",
    "Grade",
    "Group",
    "Indicator",
    "LoadError",
    "MISSING",
    "Metadata",
    "NOT_APPLICABLE",
    "Node",
    "NodeResult",
    "Outcome",
    "PerOccurrence",
    "Policy",
    "Problem",
    "Qualitative",
    "Result",
    "RubricError",
    "Rule",
    "RuleDefaults",
    "Ruleset",
    "RulesetError",
    "Scores",
    "State",
    "StepDeduction",
    "Tier",
    "UNDEFINED",
    "UnitError",
    "Unsettled",
    "__version__",
    "audit",
    "check_file",
    "check_ruleset",
    "compile_scores",
    "dump_ruleset",
    "evaluate",
    "load_cases",
    "load_claimed",
    "load_facts",
    "load_ruleset",
    "render_json",
    "render_markdown",
    "render_table",
    "ruleset_schema",
    "run_cases",
    "score_batch",
    "score_dataframe",
    "score_file",
    "score_only",
    "write_report",
]
