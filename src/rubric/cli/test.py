"""``rubric test``: run policy test cases (cases.yaml) against a ruleset.

Thin: loads RULESET, runs each CASES file with ``cases.run_cases`` and prints every
failure as ``cases.yaml:LINE: case 'NAME': 预算调整率 expected 4, got 3``, then a
summary. Exit 1 when any case fails (or a file is invalid), else 0.
"""

from __future__ import annotations

import argparse

from .command import add_command

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``test`` sub-command."""
    p = add_command(subparsers, "test", run)
    p.add_argument("ruleset", metavar="RULESET", help="ruleset file")
    p.add_argument("cases", metavar="CASES", nargs="+", help="cases file(s), e.g. cases.yaml")


def run(args: argparse.Namespace) -> int:
    from ..i18n import translate
    from ..io.files import check_text_file
    from ..io.loader import load_ruleset
    from ..verify.cases import run_cases

    lang = getattr(args, "lang", "en")

    ruleset = load_ruleset(check_text_file(args.ruleset))
    paths = [check_text_file(path) for path in args.cases]  # all checked before any runs
    total = failed = 0
    for path in paths:
        for result in run_cases(ruleset, path):
            total += 1
            if not result.passed:
                failed += 1
                for failure in result.failures:
                    print(failure if lang == "en" else
                          f"{failure.file}:{failure.line}：用例“{failure.case}”："
                          f"{translate(failure.message, lang)}")
    summary = f"{total} case{'s' if total != 1 else ''}: {total - failed} passed, {failed} failed"
    print(translate(summary, lang))
    return 1 if failed else 0
