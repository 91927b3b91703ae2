"""``rubric audit RULESET FACTS CLAIMED``: check a claimed table against the facts."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import selfeval

__all__ = ["register"]


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "audit", help="recompute a claimed table and classify every claimed score",
        description="Recompute every row from the facts and compare with the claimed "
        "得分 and printed 分值. Exit 0 when every claim is consistent or feasible, 1 otherwise.")
    parser.add_argument("ruleset", help="ruleset YAML file; with --template, a project's "
                        "self-evaluation file (its printed 得分 are the claims)")
    parser.add_argument("facts", nargs="?", help="facts YAML file")
    parser.add_argument("claimed", nargs="?",
                        help="claimed scores YAML file (scores, maxima, total)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh",
                        help="language of the table and explanations (default zh)")
    parser.add_argument("--json", action="store_true", help="print the audit as JSON")
    parser.add_argument("--findings-only", action="store_true",
                        help="list only nodes with a claim or a finding")
    parser.add_argument("--year", type=int, default=None,
                        help="with --template: the 年度 of a project whose file prints none")
    parser.add_argument("-o", "--output", metavar="PATH", default=None,
                        help="with --template: write the audit to PATH (.xlsx / .html: the "
                             "filed 自评表 with its 复核 column)")
    selfeval.add_arguments(parser)
    parser.set_defaults(func=run, _audit_parser=parser)


def _usage_error(args: argparse.Namespace, message: str) -> int:
    parser: argparse.ArgumentParser = args._audit_parser
    parser.print_usage(sys.stderr)
    print(f"{parser.prog}: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    if args.template is not None:
        if args.facts is not None or args.claimed is not None:
            return _usage_error(args, "with --template, give only the self-evaluation FILE "
                                      "(its rows are the facts, its 得分 the claims)")
        return selfeval.run_audit(args)
    if args.facts is None or args.claimed is None:
        return _usage_error(args, "the FACTS and CLAIMED files are required (or give a "
                                  "self-evaluation file with --template)")
    if args.output is not None or args.sheet is not None or args.many or args.year is not None:
        return _usage_error(args, "--output, --sheet, --many and --year apply only with "
                                  "--template")
    from ..audit import audit, format_audit, load_claimed
    from ..io.facts_file import facts_located
    from ..io.files import check_text_file
    from .inputs import load_inputs

    ruleset, facts, facts_path = load_inputs(args.ruleset, args.facts)
    claimed = load_claimed(check_text_file(args.claimed))
    with facts_located(ruleset, facts_path):
        report = audit(ruleset, facts, claimed, lang=args.lang)
    if args.json:
        print(json.dumps(report.to_dict(all_nodes=not args.findings_only), ensure_ascii=False,
                         indent=2))
    else:
        print(format_audit(report, args.lang, all_nodes=not args.findings_only))
    sys.stdout.flush()
    return 0 if report.ok else 1
