"""rubric: score, verify and audit performance-evaluation rubrics exactly.

Everything public is re-exported here; other modules are private by default.
"""

from .audit import AuditEntry, AuditReport, Claimed, audit, load_claimed
from .batch import BatchRow, BatchSummary, score_batch, score_file
from .columnar import ColumnScores, score_columns
from .dataframe import score_dataframe
from .engine.compiled import Scores, compile_scores, score_only
from .engine.evaluation import NodeResult, Rescaling, Result, evaluate
from .errors import (
    EvaluationError,
    FactError,
    FileError,
    FormulaError,
    LoadError,
    Location,
    MissingDependency,
    Problem,
    RubricError,
    RulesetError,
    UnitError,
    UnknownLanguage,
)
from .facts import MISSING, NOT_APPLICABLE, UNDEFINED, Facts, FactSpec, Unsettled
from .io.dump import dump_ruleset
from .io.facts_file import load_facts
from .io.loader import load_ruleset
from .io.schema import ruleset_schema
from .policy import DEFAULT_GRADES, Grade, Policy, RuleDefaults
from .present.render import render_json, render_markdown, render_table
from .present.reports import write_report
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
from .tree import Group, Indicator, Metadata, Node, NotAssessedRule, Ruleset
from .verify.cases import Case, CaseFailure, CaseResult, load_cases, run_cases
from .verify.check import Finding, check_file, check_ruleset
from .version import __version__
from .whatif import WhatIf, what_if

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
    "ColumnScores",
    "CompletionRatio",
    "DEFAULT_GRADES",
    "Deadline",
    "EvaluationError",
    "FactError",
    "FactSpec",
    "Facts",
    "FileError",
    "Finding",
    "FormulaError",
    "FormulaRule",
    "Grade",
    "Group",
    "Indicator",
    "LoadError",
    "Location",
    "MISSING",
    "Metadata",
    "MissingDependency",
    "NOT_APPLICABLE",
    "Node",
    "NodeResult",
    "NotAssessedRule",
    "Outcome",
    "PerOccurrence",
    "Policy",
    "Problem",
    "Qualitative",
    "Rescaling",
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
    "UnknownLanguage",
    "Unsettled",
    "WhatIf",
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
    "score_columns",
    "score_dataframe",
    "score_file",
    "score_only",
    "what_if",
    "write_report",
]
