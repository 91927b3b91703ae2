"""``rubric parse``: read one 评价标准 into a rule mapping, or say why it cannot be read.

Thin over ``rubric.criteria.parse_criterion``: prints the rule mapping (as it goes under
``rule:`` in a ruleset), the fact declarations, the Chinese restatement and every
reading made, as YAML (default) or JSON; an unreadable text prints the reason on stderr
and exits 1.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal, InvalidOperation

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``parse`` sub-command."""
    p = subparsers.add_parser(
        "parse",
        help="read a Chinese scoring criterion (评价标准) into a rule",
        description=(
            "Read TEXT, one 评价标准 as printed in a filed table, into the rule mapping "
            "of a ruleset row, with the facts it reads, a restatement in plain Chinese "
            "and every reading made. Nothing is guessed: a text that cannot be read with "
            "certainty prints the reason and exits 1. See docs/criteria.md."
        ),
        epilog="exit codes: 0 parsed, 1 not parsed (the reason on stderr), 2 usage error.",
    )
    p.add_argument("text", metavar="TEXT", help="the criterion text (评价标准)")
    p.add_argument("--points", metavar="N",
                   help="the row's 分值, when the text does not state it")
    p.add_argument("--fact", metavar="NAME",
                   help="the fact the rule reads (default: the metric named in the text)")
    p.add_argument("--unit", metavar="U", help="the fact's unit (default: the text's)")
    p.add_argument("--format", choices=("yaml", "json"), default="yaml",
                   help="yaml (default) or json")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..criteria.parse import parse_criterion, to_json, to_yaml

    points = None
    if args.points is not None:
        try:
            points = Decimal(args.points)
        except InvalidOperation:
            print(f"rubric: error: --points {args.points!r} is not a number", file=sys.stderr)
            return 2
    result = parse_criterion(args.text, points=points, fact=args.fact, unit=args.unit)
    data = result.as_data()
    if result.unparsed is not None:
        if args.format == "json":
            sys.stdout.write(to_json(data) + "\n")
        print(f"rubric: not parsed: {result.unparsed}", file=sys.stderr)
        return 1
    sys.stdout.write(to_json(data) + "\n" if args.format == "json" else to_yaml(data))
    return 0
