"""``rubric score``: score one fact file (or a batch) with a ruleset and print the table.

Thin: it parses arguments, calls ``loader.load_ruleset``/``facts_file.load_facts``, ``evaluate``
and a renderer from ``rubric.present.render``; ``--what-if`` adds ``rubric.whatif``'s
suggestions (after the table, or under ``what_if`` in JSON). ``--batch`` hands the whole run to
``rubric.cli.batch.run_batch_command``. Options that only make sense in the other mode
are usage errors (exit 2) rather than silently ignored.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from . import selfeval
from .command import add_command
from .lang import fail_usage
from .output import write_output

__all__ = ["register"]

FORMATS = ("table", "json", "markdown")
OUTPUT_FORMATS = ("csv", "xlsx", "jsonl", "parquet")
LANGS = ("zh", "en")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``score`` sub-command."""
    p = add_command(subparsers, "score", run)
    p.add_argument("ruleset", metavar="RULESET",
                   help="ruleset file, e.g. rulesets/xiangtan-kgxj-2023/ruleset.yaml, or a "
                        "directory of versions (with --year); with --template, a project's "
                        "self-evaluation file")
    p.add_argument("facts", metavar="FACTS", nargs="?",
                   help="fact file (facts.yaml); required unless --batch is given")
    p.add_argument("--explain", action="store_true",
                   help="add each row's explanation (the rule and reading applied) and warnings")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="output format (default: table)")
    p.add_argument("--what-if", action="store_true", dest="what_if",
                   help="add what would raise each row (the smallest change of each fact "
                        "reaching the next band or full marks), which values of a missing "
                        "fact give which scores, and a suggested way to the next grade")
    p.add_argument("--batch", metavar="FILE",
                   help="score every row of FILE (csv/xlsx/jsonl, one fact set per row)")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="write the output to PATH instead of standard output "
                        "('-': standard output)")
    p.add_argument("--output-format", choices=OUTPUT_FORMATS, default=None,
                   help="with --batch: format of the results file (see docs/cli.md)")
    p.add_argument("--jobs", metavar="N", default=None,
                   help="with --batch: worker processes (default auto: one per CPU core "
                        "for files of 5,000 rows or more, else 1; 0 = one per core)")
    p.add_argument("--encoding", metavar="NAME", default=None,
                   help="with --batch: the text encoding of a CSV or JSON Lines FILE "
                        "(default: utf-8; gb18030 for files saved by Chinese Excel)")
    p.add_argument("--columns", metavar="MAP", default=None,
                   help="with --batch: headers read as facts, 'header=fact,header=fact' or a "
                        "YAML file of header: fact ('header=-' keeps a column as it is; "
                        "see docs/batch.md)")
    p.add_argument("--year", type=int, default=None,
                   help="the fiscal year scored: picks the ruleset in force that year when "
                        "RULESET is a directory of versions (else checks the file's period)")
    p.add_argument("--checkpoint", metavar="WHEN", default=None,
                   help="mid-year monitoring (绩效运行监控): score as a projection at a "
                        "checkpoint (7月, 2024-07-31) and list the rows at risk")
    p.add_argument("--quiet", action="store_true",
                   help="print nothing on standard output (errors still go to standard error)")
    selfeval.add_arguments(p)



def run(args: argparse.Namespace) -> int:
    """Score one fact file, or delegate to the batch runner; return the exit code."""
    if args.template is not None:  # RULESET is a project's self-evaluation file
        if args.facts is not None or args.batch is not None:
            return fail_usage(args, "with --template, give only the self-evaluation FILE "
                                    "(its rows are the facts)")
        if args.checkpoint is not None or args.what_if:
            return fail_usage(args, "--checkpoint and --what-if do not apply to a "
                                    "self-evaluation file")
        return selfeval.run_score(args)
    if args.sheet is not None or args.many:
        return fail_usage(args, "--sheet and --many apply only with --template")
    if Path(args.ruleset).is_dir() and args.year is None:
        return fail_usage(args, f"RULESET {args.ruleset} is a directory: give --year to "
                                "pick the ruleset in force that year")
    if args.year is not None:
        from ..diff.versions import check_year

        args.ruleset = str(check_year(args.ruleset, args.year, quiet=args.quiet))
    if args.batch is not None:
        if args.facts is not None:
            return fail_usage(args, "give either FACTS or --batch FILE, not both")
        if args.checkpoint is not None:
            return fail_usage(args, "--checkpoint applies to a single FACTS file")
        if args.format is not None or args.explain or args.what_if:
            return fail_usage(args, "--format, --explain and --what-if apply to a single "
                                    "FACTS file; with --batch use --output-format")
        from .batch import run_batch_command

        if args.jobs is not None and not (str(args.jobs).isdigit() or args.jobs == "auto"):
            return fail_usage(args, f"--jobs: expected a number of processes or 'auto', "
                                    f"got '{args.jobs}'")
        return int(run_batch_command(args))
    if args.facts is None:
        return fail_usage(args, "the FACTS file is required (or use --batch FILE)")
    if args.output_format is not None:
        return fail_usage(args, "--output-format applies only with --batch; "
                                "use --format for a single FACTS file")
    if args.jobs is not None:
        return fail_usage(args, "--jobs applies only with --batch")
    if args.columns is not None:
        return fail_usage(args, "--columns applies only with --batch")
    if args.encoding is not None:
        return fail_usage(args, "--encoding applies only with --batch "
                                "(fact files are always UTF-8)")

    from ..engine.evaluation import evaluate
    from ..io.facts_file import facts_located
    from ..present.render import render_json, render_markdown, render_table
    from .inputs import load_inputs

    ruleset, facts, facts_path = load_inputs(args.ruleset, args.facts)
    projection = None
    with facts_located(ruleset, facts_path):
        if args.checkpoint is not None:  # mid-year monitoring: a projection
            from ..monitor import monitor

            projection = monitor(ruleset, facts, args.checkpoint, year=args.year)
            result = projection.result
        else:
            result = evaluate(ruleset, facts)
    fmt = args.format or "table"
    if fmt == "json" and (args.what_if or projection is not None):
        from ..whatif import result_dict

        data = result_dict(result, args.lang) if args.what_if else result.to_dict(args.lang)
        if projection is not None:
            data["monitor"] = projection.to_dict(args.lang)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "json":
        text = render_json(result, lang=args.lang) + "\n"
    elif fmt == "markdown":
        text = render_markdown(result, explain=args.explain, lang=args.lang)
    else:
        notes = [] if projection else _published(ruleset, args.ruleset, facts, args.lang)
        text = render_table(result, explain=args.explain, lang=args.lang, notes=notes)
    if projection is not None and fmt != "json":
        text += "\n" + projection.text(args.lang)
    if args.what_if and fmt != "json":
        from ..whatif import what_if

        text += "\n" + what_if(result).text(args.lang)
    write_output(text, args.output, quiet=args.quiet)
    return 0


def _published(ruleset: Any, ruleset_arg: str, facts: Any, lang: str) -> list[str]:
    """The audit of the ruleset's published scores (``metadata.published``, a claimed
    file beside the ruleset) against these facts, as one lead line; none when the
    ruleset ships no published scores."""
    name = ruleset.metadata.published
    if not name:
        return []
    from ..audit import audit, load_claimed
    from ..present.summary import published_line

    path = Path(ruleset_arg).parent / name
    claimed = load_claimed(path)
    return [published_line(audit(ruleset, facts, claimed, lang=lang), name, claimed.total,
                           lang)]
