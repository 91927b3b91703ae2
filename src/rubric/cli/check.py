"""``rubric check``: prove rulesets sane before they score anyone.

Thin: loads each RULESET with ``check.check_file`` and prints one line per finding,
``file:line: error|warning|note: message [indicator path]``, then a summary. Exit 1 when
any error was found (or any warning, with ``--strict``), else 0.
"""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``check`` sub-command."""
    p = subparsers.add_parser(
        "check",
        help="verify rulesets: band gaps, bounds, directions, subtotals, units",
        description=(
            "Check each RULESET for defects: gaps and overlaps in bands, bands no value "
            "can reach, rows that can score above their 分值 or never reach it, points "
            "moving against a row's declared direction, subtotals that do not add up, "
            "unknown or unused facts, unit mismatches and divisions that can hit 0. "
            "See docs/verification.md."
        ),
        epilog="exit codes: 0 clean (warnings allowed unless --strict), 1 errors found or "
               "invalid input, 2 usage error.",
    )
    p.add_argument("rulesets", metavar="RULESET", nargs="+", help="ruleset file(s) to check")
    p.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import FileError
    from ..io.files import check_text_file
    from ..verify.check import check_file

    errors = warnings = notes = 0
    for name in args.rulesets:
        try:
            path = check_text_file(name)
        except FileError as exc:  # this file cannot be read: say so, check the others
            print(f"{exc.where or name}: error: {exc.message}")
            errors += 1
            continue
        for finding in check_file(path):
            print(finding)
            if finding.severity == "error":
                errors += 1
            elif finding.severity == "warning":
                warnings += 1
            else:
                notes += 1
    files = len(args.rulesets)
    summary = (f"{files} ruleset{'s' if files != 1 else ''} checked: "
               f"{errors} error{'s' if errors != 1 else ''}, "
               f"{warnings} warning{'s' if warnings != 1 else ''}, "
               f"{notes} note{'s' if notes != 1 else ''}")
    print(summary)
    failed = errors > 0 or (args.strict and warnings > 0)
    return 1 if failed else 0
