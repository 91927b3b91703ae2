"""``rubric report RULESET FACTS -o OUT``: the filed table (XLSX, HTML, Markdown) or the
得分率 chart (SVG, PNG) of one scored unit."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .command import add_command

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``report`` sub-command."""
    parser = add_command(sub, "report", run)
    parser.add_argument("ruleset", help="ruleset YAML file")
    parser.add_argument("facts", help="facts YAML file")
    parser.add_argument("-o", "--output", required=True,
                        help="output file; its suffix picks the format (xlsx, html, md, svg, png)")
    parser.add_argument("--format", dest="report_format",
                        choices=("xlsx", "html", "md", "svg", "png"),
                        help="format, when the suffix does not say")
    parser.add_argument("--template", metavar="FILE.html.j2",
                        help="a Jinja2 template for the HTML report (it may extend "
                        "rubric/report.html.j2, the default; see docs/reports.md)")


def run(args: argparse.Namespace) -> int:
    from ..engine.evaluation import evaluate
    from ..i18n import translate
    from ..io.facts_file import facts_located
    from ..present.reports import write_report
    from .inputs import load_inputs

    ruleset, facts, facts_path = load_inputs(args.ruleset, args.facts)
    with facts_located(ruleset, facts_path):
        result = evaluate(ruleset, facts)
    kind = write_report(result, args.output, args.report_format, template=args.template)
    print(f"rubric: {translate(f'wrote {kind} report to {args.output}', args.error_lang)}",
          file=sys.stderr)
    return 0
