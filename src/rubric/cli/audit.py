"""``rubric audit RULESET FACTS CLAIMED``: check a claimed table against the facts.

``--format xlsx|html -o FILE`` writes the unit's table handed back with a 复核 column
(``present.reports.write_report`` with the audit); ``text`` and ``json`` print, or
write to ``-o``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import selfeval
from .command import add_command
from .lang import fail_usage

__all__ = ["FORMATS", "register"]

#: what ``rubric audit`` writes: the text table, JSON, or the reviewed filed table
FORMATS = ("text", "json", "xlsx", "html")


def register(sub: Any) -> None:
    """Add the ``audit`` sub-command."""
    parser = add_command(sub, "audit", run)
    parser.add_argument("ruleset", help="ruleset YAML file; with --template, a project's "
                        "self-evaluation file (its printed 得分 are the claims)")
    parser.add_argument("facts", nargs="?", help="facts YAML file")
    parser.add_argument("claimed", nargs="?", help="claimed YAML file: what the table "
                        "printed (scores, maxima, total, printed)")
    parser.add_argument("--json", action="store_true", help="print the audit as JSON")
    parser.add_argument("--format", dest="audit_format", choices=FORMATS, default=None,
                        help="text (default), json, or the filed table with a 复核 column "
                        "as xlsx or html (needs -o)")
    parser.add_argument("-o", "--output", metavar="FILE", default=None,
                        help="write the audit to FILE instead of printing it (with "
                             "--template: .xlsx / .html write the filed 自评表 with its 复核 "
                             "column)")
    parser.add_argument("--findings-only", action="store_true",
                        help="list only nodes with a claim or a finding")
    parser.add_argument("--year", type=int, default=None,
                        help="with --template: the 年度 of a project whose file prints none")
    selfeval.add_arguments(parser)



def run(args: argparse.Namespace) -> int:
    if args.template is not None:
        if args.facts is not None or args.claimed is not None:
            return fail_usage(args, "with --template, give only the self-evaluation FILE "
                                    "(its rows are the facts, its 得分 the claims)")
        kind = args.audit_format
        if kind in ("xlsx", "html") and not str(args.output or "").lower().endswith("." + kind):
            return fail_usage(args, f"--format {kind} writes a file: give -o 复核.{kind}")
        args.json = args.json or kind == "json"
        return selfeval.run_audit(args)
    if args.facts is None or args.claimed is None:
        return fail_usage(args, "the FACTS and CLAIMED files are required (or give a "
                                "self-evaluation file with --template)")
    if args.sheet is not None or args.many or args.year is not None:
        return fail_usage(args, "--sheet, --many and --year apply only with --template")
    from ..audit import audit, format_audit, load_claimed
    from ..io.facts_file import facts_located
    from ..io.files import check_text_file
    from .inputs import load_inputs

    kind = args.audit_format or ("json" if args.json else "text")
    if args.json and kind != "json":
        return fail_usage(args, f"--json and --format {kind} ask for two outputs")
    if kind in ("xlsx", "html") and args.output is None:
        return fail_usage(args, f"--format {kind} writes a file: give -o 复核.{kind}")
    ruleset, facts, facts_path = load_inputs(args.ruleset, args.facts)
    claimed = load_claimed(check_text_file(args.claimed))
    with facts_located(ruleset, facts_path):
        report = audit(ruleset, facts, claimed, lang=args.lang)
    if kind in ("xlsx", "html"):
        from ..present.reports import write_report

        write_report(report.result, args.output, kind, audit=report)
        print(f"{args.output}: " + ("审核通过" if report.ok else "有问题，见复核列")
              if args.lang != "en" else
              f"{args.output}: " + ("audit OK" if report.ok else "findings, see the 复核 column"))
    else:
        text = (json.dumps(report.to_dict(all_nodes=not args.findings_only),
                           ensure_ascii=False, indent=2) if kind == "json"
                else format_audit(report, args.lang, all_nodes=not args.findings_only))
        if args.output is None:
            print(text)
        else:
            from ..io.files import atomic_path

            with atomic_path(args.output) as tmp, open(tmp, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
    sys.stdout.flush()
    return 0 if report.ok else 1
