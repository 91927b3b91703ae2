"""rubric: score, verify and audit performance-evaluation rubrics exactly.

Everything public is re-exported here; other modules are private by default.
"""

from .audit import AuditEntry, AuditReport, Claimed, audit, load_claimed
from .batch import BatchRow, BatchSummary, score_batch, score_file
from .dataframe import score_dataframe
from .diff import (
    BatchDiff,
    NodeChange,
    Probe,
    RulesetDiff,
    UnitChange,
    diff_batch,
    diff_batch_file,
    diff_rulesets,
)
from .diff.versions import pick_ruleset, ruleset_period
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
from .monitor import Projection, RowStatus, monitor
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
from .states import Asserted
from .tree import Group, Indicator, Metadata, Node, NotAssessedRule, Ruleset
from .verify.cases import Case, CaseFailure, CaseResult, load_cases, run_cases
from .verify.check import Finding, check_file, check_ruleset
from .version import __version__
from .whatif import WhatIf, what_if

__all__ = [
    "Asserted",
    "AuditEntry",
    "AuditReport",
    "Band",
    "Bands",
    "BatchDiff",
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
    "NodeChange",
    "NodeResult",
    "NotAssessedRule",
    "Outcome",
    "PerOccurrence",
    "Policy",
    "Probe",
    "Problem",
    "Projection",
    "Qualitative",
    "Rescaling",
    "Result",
    "RowStatus",
    "RubricError",
    "Rule",
    "RuleDefaults",
    "Ruleset",
    "RulesetDiff",
    "RulesetError",
    "Scores",
    "State",
    "StepDeduction",
    "Tier",
    "UNDEFINED",
    "UnitChange",
    "UnitError",
    "UnknownLanguage",
    "Unsettled",
    "WhatIf",
    "__version__",
    "audit",
    "check_file",
    "check_ruleset",
    "compile_scores",
    "diff_batch",
    "diff_batch_file",
    "diff_rulesets",
    "dump_ruleset",
    "evaluate",
    "load_cases",
    "load_claimed",
    "load_facts",
    "load_ruleset",
    "monitor",
    "pick_ruleset",
    "render_json",
    "render_markdown",
    "render_table",
    "ruleset_period",
    "ruleset_schema",
    "run_cases",
    "score_batch",
    "score_dataframe",
    "score_file",
    "score_only",
    "what_if",
    "write_report",
]
