"""``rubric parse`` and ``rubric import``: Chinese criteria read into rules.

``rubric parse TEXT`` is thin over ``rubric.criteria.parse_criterion``: it prints the rule
mapping (as it goes under ``rule:`` in a ruleset), the fact declarations, the Chinese
restatement and every reading made, as YAML (default) or JSON; an unreadable text
prints the reason on stderr and exits 1. ``rubric import TABLE -o DIR`` reads a whole
filed table (``criteria.table``) into a draft ruleset (``criteria.importer``), writes it
with a facts skeleton and the printed scores, checks it and prints a summary;
``--names-from PRIOR`` keeps last year's fact names (``criteria.prior_names``), ``--year``
dates a deadline a row's name states without its year (``criteria.deadline_names``).
"""

from __future__ import annotations

import argparse
import re
import sys
from decimal import Decimal, InvalidOperation

from .command import add_command
from .lang import prefixed

__all__ = ["register"]


def _year(text: str) -> int:
    """``--year``: a year of four digits (1900-2099); ``23`` would date a deadline in 23 AD."""
    if not re.fullmatch(r"(?:19|20)\d\d", text.strip()):
        raise argparse.ArgumentTypeError(f"expected a year such as 2024, got '{text}'")
    return int(text)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``parse`` sub-command."""
    p = add_command(subparsers, "parse", run)
    p.add_argument("text", metavar="TEXT", help="the criterion text (评价标准)")
    p.add_argument("--points", metavar="N",
                   help="the row's 分值, when the text does not state it")
    p.add_argument("--fact", metavar="NAME",
                   help="the fact the rule reads (default: the metric named in the text)")
    p.add_argument("--unit", metavar="U", help="the fact's unit (default: the text's)")
    p.add_argument("--format", choices=("yaml", "json"), default="yaml",
                   help="yaml (default) or json")
    q = add_command(subparsers, "import", run_import)
    q.add_argument("table", metavar="TABLE", help="the filed table (.xlsx, .csv, .md)")
    q.add_argument("-o", "--output", metavar="DIR", required=True,
                   help="folder to write ruleset.yaml, facts.yaml, claimed.yaml into")
    q.add_argument("--names-from", metavar="PRIOR",
                   help="last year's ruleset: keep its fact names (and fill undeclared "
                        "units, bounds, descriptions) on rows whose rule has the same shape")
    q.add_argument("--year", metavar="YYYY", type=_year,
                   help="the year of dates a row's name states without one (12月31日前); "
                        "default: the year in the table's title")


def run_import(args: argparse.Namespace) -> int:
    from ..criteria.importer import draft_ruleset, write_draft
    from ..criteria.prior_names import read_prior
    from ..criteria.table import read_table
    from ..i18n import translate
    from ..io.files import check_text_file

    lang = args.lang
    table = read_table(args.table)
    prior = read_prior(check_text_file(args.names_from)) if args.names_from else None
    draft = draft_ruleset(table, year=args.year, prior=prior)
    findings = write_draft(draft, args.output, "zh" if lang == "zh" else "en")
    rows = len(draft.parsed) + len(draft.todo)
    print(translate(f"{args.table}: {rows} rows: {len(draft.parsed)} parsed, "
                    f"{len(draft.todo)} need a person", lang))

    colon = "：" if lang == "zh" else ": "

    def report(rows: list[tuple[str, str]], label: str = "") -> None:
        """(row id or fact, text) lines: after ``label`` as one message, else the text."""
        for key, text in rows:
            if label:
                print("  " + translate(label + key + ": " + text, lang))
            else:
                print(f"  {key}{colon}{translate(text, lang)}")

    report(draft.todo, "TODO ")
    report(draft.notes, "NOTE ")
    report(draft.readings)
    done = draft.adopted
    if done is not None:
        report(done.named, f"named from {done.label}: ")
        report(done.declared, f"declared from {done.label}: ")
        report(done.conflicts, f"CONFLICT with {done.label}: ")
        report(done.not_renamed)
    for _, finding in findings:
        print("  " + translate(f"check {finding}", lang))
    print(translate(f"wrote {args.output}/ruleset.yaml, facts.yaml"
                    + (", claimed.yaml" if draft.claimed is not None else ""), lang))
    return 1 if any(severity == "error" for severity, _ in findings) else 0


def run(args: argparse.Namespace) -> int:
    from ..criteria.parse import parse_criterion, to_json, to_yaml
    from ..i18n import translate

    points = None
    if args.points is not None:
        try:
            points = Decimal(args.points)
        except InvalidOperation:
            print(prefixed("error", translate(f"--points {args.points!r} is not a number",
                                              args.error_lang), args.error_lang),
                  file=sys.stderr)
            return 2
    result = parse_criterion(args.text, points=points, fact=args.fact, unit=args.unit)
    data = result.as_data()
    if result.unparsed is not None:
        if args.format == "json":
            sys.stdout.write(to_json(data) + "\n")
        print(prefixed("not-parsed", result.unparsed, args.error_lang), file=sys.stderr)
        return 1
    sys.stdout.write(to_json(data) + "\n" if args.format == "json" else to_yaml(data))
    return 0
