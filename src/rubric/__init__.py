"""rubric: score, verify and audit performance-evaluation rubrics exactly.

A ruleset is a tree of indicators (一级/二级/三级指标), each with its 分值 and a rule;
facts carry units; scores are exact ``Decimal``; missing facts give score ranges.

Load and score::

    ruleset = load_ruleset("ruleset.yaml")          # located errors: file:line
    result = evaluate(ruleset, load_facts("facts.yaml", ruleset))
    result.total.score, result.grade, result.explain("zh")
    print(render_table(result))                      # or render_markdown / render_json

Many units: ``score_only`` (fast, scores only), ``score_batch`` / ``score_file``
(CSV, XLSX, JSONL; bad rows reported, the rest scored), ``score_parquet`` (Parquet in
columns, ``rubric[parquet]``), ``score_dataframe`` (pandas).
Verify a ruleset: ``check_ruleset`` / ``check_file`` (the findings of ``rubric check``),
``load_cases`` / ``run_cases`` (cases as data), ``rubric.testing`` (hypothesis).
Re-check a claimed table: ``audit(ruleset, facts, load_claimed(path))``, ``format_audit``.
Ask what would change a score: ``what_if(result)``. Reports: ``write_report`` (XLSX,
HTML, Markdown, SVG/PNG), ``to_html``, ``to_markdown``, ``chart_svg``.
Rules in Python: ``Bands``/``Band``, ``StepDeduction``, ``Boolean``, ``Checklist``,
``Categorical``, ``CompletionRatio``, ``Coefficient``, ``Deadline``, ``PerOccurrence``,
``Qualitative``/``Tier``, ``TierChoice``, ``FormulaRule``,
``SumRule``, ``Then`` (a band's deduction); a row's own options ``RowOptions`` (``Veto``,
``IfNotApplicable``, precision, ``adds``) and the table's vetoes ``TableVeto``;
``Group``, ``Indicator``, ``FactSpec``,
``Policy``, ``Ruleset``. Every error is a ``RubricError`` (``LoadError``, ``FactError``
…) naming where and what was expected.

Everything public is re-exported here, and reports ``rubric`` as its module; other
modules are internal and may move. Documented subpackages (optional extras, not imported
by ``import rubric``): ``rubric.testing`` (hypothesis), ``rubric.dask`` (Dask).
"""

from .audit import AuditEntry, AuditReport, Claimed, audit, format_audit, load_claimed
from .batch import BatchRow, BatchSummary, batch_columns, score_batch, score_file, write_rows
from .batch_parquet import score_parquet
from .columnar import ColumnScores, score_columns
from .constraints import Constraint
from .criteria import ParsedCriterion, parse_criterion
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
    ActualError,
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
    TargetError,
    UnitError,
    UnknownLanguage,
)
from .facts import MISSING, NOT_APPLICABLE, UNDEFINED, Facts, FactSpec, Unsettled
from .io.dump import dump_ruleset
from .io.facts_file import load_facts
from .io.loader import load_ruleset
from .io.schema import ruleset_schema
from .io.tabular import read_rows
from .monitor import Projection, RowStatus, monitor
from .policy import DEFAULT_GRADES, Grade, Policy, RuleDefaults
from .present.render import render_json, render_markdown, render_table
from .present.reports import chart_svg, filed_rows, to_html, to_markdown, write_report
from .present.selfeval_report import selfeval_html, write_selfeval_report
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
    SumRule,
    Then,
    Tier,
    TierChoice,
)
from .rules.row_options import IfNotApplicable, RowOptions, Veto
from .selfeval.build import Built, ProjectScore, RowProblem, build_project, score_project
from .selfeval.long_format import ProjectNotRead, read_many
from .selfeval.many import ManySummary, ProjectOutcome, score_many, score_many_file
from .selfeval.project import Funds, Project, ProjectRow
from .selfeval.read import read_project, read_projects
from .selfeval.targets import Actual, Target, parse_actual, parse_target
from .selfeval.template import Template, TemplateLevel, load_template
from .states import Asserted
from .tree import Group, Indicator, Metadata, Node, NotAssessedRule, Ruleset
from .units import UnitSystem
from .verify.cases import Case, CaseFailure, CaseResult, load_cases, run_cases
from .verify.check import Finding, check_file, check_ruleset
from .version import __version__
from .vetoes import TableVeto
from .whatif import WhatIf, what_if

__all__ = [
    "Actual",
    "ActualError",
    "Asserted",
    "AuditEntry",
    "AuditReport",
    "Band",
    "Bands",
    "BatchDiff",
    "BatchRow",
    "BatchSummary",
    "Boolean",
    "Built",
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
    "Constraint",
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
    "Funds",
    "Grade",
    "Group",
    "IfNotApplicable",
    "Indicator",
    "LoadError",
    "Location",
    "MISSING",
    "ManySummary",
    "Metadata",
    "MissingDependency",
    "NOT_APPLICABLE",
    "Node",
    "NodeChange",
    "NodeResult",
    "NotAssessedRule",
    "Outcome",
    "ParsedCriterion",
    "PerOccurrence",
    "Policy",
    "Probe",
    "Problem",
    "Project",
    "ProjectNotRead",
    "ProjectOutcome",
    "ProjectRow",
    "ProjectScore",
    "Projection",
    "Qualitative",
    "Rescaling",
    "Result",
    "RowOptions",
    "RowProblem",
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
    "SumRule",
    "TableVeto",
    "Target",
    "TargetError",
    "Template",
    "TemplateLevel",
    "Then",
    "Tier",
    "TierChoice",
    "UNDEFINED",
    "UnitChange",
    "UnitError",
    "UnitSystem",
    "UnknownLanguage",
    "Unsettled",
    "Veto",
    "WhatIf",
    "__version__",
    "audit",
    "batch_columns",
    "build_project",
    "chart_svg",
    "check_file",
    "check_ruleset",
    "compile_scores",
    "diff_batch",
    "diff_batch_file",
    "diff_rulesets",
    "dump_ruleset",
    "evaluate",
    "filed_rows",
    "format_audit",
    "load_cases",
    "load_claimed",
    "load_facts",
    "load_ruleset",
    "load_template",
    "monitor",
    "parse_actual",
    "parse_criterion",
    "parse_target",
    "pick_ruleset",
    "read_many",
    "read_project",
    "read_projects",
    "read_rows",
    "render_json",
    "render_markdown",
    "render_table",
    "ruleset_period",
    "ruleset_schema",
    "run_cases",
    "score_batch",
    "score_columns",
    "score_dataframe",
    "score_file",
    "score_many",
    "score_many_file",
    "score_only",
    "score_parquet",
    "score_project",
    "selfeval_html",
    "to_html",
    "to_markdown",
    "what_if",
    "write_report",
    "write_rows",
    "write_selfeval_report",
]


def _public_paths() -> None:
    """Every public class and function reports ``rubric`` as its module: its public path
    (``rubric.Ruleset``, not ``rubric.tree.Ruleset``; pickles and ``help`` use it)."""
    for name in __all__:
        obj = globals()[name]
        if isinstance(obj, type) or callable(obj):
            obj.__module__ = __name__


_public_paths()
