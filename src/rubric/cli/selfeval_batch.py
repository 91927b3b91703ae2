"""``rubric score FILE --template NAME --many``: many projects' self-evaluations at once.

``cli/selfeval.py`` hands ``--many`` here. FILE is a long-format CSV/XLSX (one row per
project × indicator) or a workbook with one sheet per project (docs/selfeval-batch.md).
``--output`` names a folder (the summary ``汇总.xlsx``, or ``--output-format csv|jsonl``,
and one 自评表 XLSX per project), or a ``.csv`` / ``.xlsx`` / ``.jsonl`` file (the
summary only); without it the summary goes to standard output as CSV (JSON Lines with
``--format json``). Projects and rows that could not be read are printed on standard
error as they come; the others are still scored. Exit 0 when every project was scored
with every row read (``rubric audit``: and every printed 得分 consistent), else 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["run"]

SUMMARY_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl"}


def _report(quiet: bool) -> Any:
    def report(outcome: Any) -> None:
        if outcome.error is not None:
            print(f"rubric: project {outcome.index + 1} '{outcome.name}' not scored: "
                  f"{outcome.error}", file=sys.stderr)
        elif outcome.score is not None and not quiet:
            for problem in outcome.score.built.problems:
                print(f"rubric: project {outcome.index + 1} '{outcome.name}': row not "
                      f"scored: {problem.message}", file=sys.stderr)
    return report


def run(args: argparse.Namespace) -> int:
    """Score every project of ``args.ruleset`` (the FILE) with ``args.template``."""
    from ..io.files import check_input_file, check_output_path
    from ..io.tabular import write_records
    from ..selfeval.many import SUMMARY_COLUMNS, score_many_file, summary_record
    from ..selfeval.template import load_template

    source = check_input_file(args.ruleset)
    template = load_template(args.template)
    output = getattr(args, "output", None)
    quiet = bool(getattr(args, "quiet", False))
    auditing = getattr(args, "command", "score") == "audit"
    summary_file: str | None = None
    folder: str | None = None
    if output not in (None, "", "-"):
        if Path(output).suffix.lower() in SUMMARY_SUFFIXES:
            check_output_path(output)
            summary_file = output
        else:
            folder = output
    summary = score_many_file(source, template, folder,
                               summary_kind=getattr(args, "output_format", None) or "xlsx",
                               sheet=getattr(args, "sheet", None),
                               year=getattr(args, "year", None),
                               lang=getattr(args, "lang", "zh"), keep=False,
                               report=_report(quiet))
    for warning in summary.warnings:
        print(f"rubric: {warning}", file=sys.stderr)
    records = [summary_record(o) for o in summary.outcomes]
    if summary_file is not None:
        write_records(records, SUMMARY_COLUMNS, summary_file,
                      SUMMARY_SUFFIXES[Path(summary_file).suffix.lower()])
    elif folder is None and not quiet:
        kind = "jsonl" if getattr(args, "format", None) == "json" else "csv"
        write_records(records, SUMMARY_COLUMNS, None, kind)
    failed = len(summary.failed)
    unread = sum(1 for o in summary.outcomes if o.rows_not_read)
    findings = sum(1 for o in summary.outcomes if o.audit_findings)
    if not quiet:
        where = f" -> {summary.summary or summary_file}" if (summary.summary or summary_file) \
            else ""
        print(f"rubric: {len(summary.outcomes) - failed} projects scored, {failed} not scored, "
              f"{unread} with rows not read, {findings} with audit findings{where}",
              file=sys.stderr)
    bad = failed or unread or (auditing and findings)
    return 1 if bad else 0
