"""``rubric report RULESET FACTS -o OUT``: the filed table (XLSX, HTML, Markdown) or the
得分率 chart (SVG, PNG) of one scored unit."""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["register"]


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "report", help="write the filed table or chart of one scored unit",
        description="Score FACTS with RULESET and write the table evaluators file "
        "(.xlsx, .html, .md) or the 得分率 chart per 二级指标 (.svg, .png).")
    parser.add_argument("ruleset", help="ruleset YAML file")
    parser.add_argument("facts", help="facts YAML file")
    parser.add_argument("-o", "--output", required=True,
                        help="output file; its suffix picks the format (xlsx, html, md, svg, png)")
    parser.add_argument("--format", dest="report_format",
                        choices=("xlsx", "html", "md", "svg", "png"),
                        help="format, when the suffix does not say")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .batch import check_text_file
    from .errors import EvaluationError
    from .evaluation import evaluate
    from .loader import load_facts, load_ruleset, locate_in_facts
    from .reports import write_report

    ruleset = load_ruleset(check_text_file(args.ruleset))
    facts_path = check_text_file(args.facts)
    facts = load_facts(facts_path, ruleset)
    try:
        result = evaluate(ruleset, facts)
    except EvaluationError as exc:  # name the facts file's lines too
        raise locate_in_facts(exc, ruleset, facts_path) from None
    kind = write_report(result, args.output, args.report_format)
    print(f"rubric: wrote {kind} report to {args.output}", file=sys.stderr)
    return 0
