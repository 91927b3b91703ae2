"""``rubric audit RULESET FACTS CLAIMED``: check a claimed table against the facts."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .lang import add_lang

__all__ = ["register"]


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "audit", help="recompute a claimed table and classify every claimed score",
        description="Recompute every row from the facts and compare with the claimed "
        "得分 and printed 分值. Exit 0 when every claim is consistent or feasible, 1 otherwise.")
    parser.add_argument("ruleset", help="ruleset YAML file")
    parser.add_argument("facts", help="facts YAML file")
    parser.add_argument("claimed", help="claimed scores YAML file (scores, maxima, total)")
    add_lang(parser, "zh", "the table and explanations")
    parser.add_argument("--json", action="store_true", help="print the audit as JSON")
    parser.add_argument("--findings-only", action="store_true",
                        help="list only nodes with a claim or a finding")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
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
