"""``rubric diff``: what changed between two rulesets, and (``--batch``) how each unit's
score and grade move between them. Thin over ``rubric.diff``."""

from __future__ import annotations

import argparse
import json

from .command import add_command
from .lang import fail_usage
from .output import write_output

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``diff`` sub-command."""
    p = add_command(subparsers, "diff", run)
    p.add_argument("old", metavar="OLD", help="the earlier ruleset file")
    p.add_argument("new", metavar="NEW", help="the later ruleset file")
    p.add_argument("--batch", metavar="FILE",
                   help="units to score with both (csv/xlsx/jsonl, as rubric score --batch)")
    p.add_argument("--changed-only", action="store_true", dest="changed_only",
                   help="with --batch: list only the units whose score or grade moved")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="output format (default: text)")
    p.add_argument("--encoding", metavar="NAME", default=None,
                   help="with --batch: the text encoding of a CSV or JSON Lines FILE")
    p.add_argument("--output", metavar="PATH",
                   help="write the output to PATH instead of standard output")


def run(args: argparse.Namespace) -> int:
    from ..diff import diff_batch_file, diff_rulesets
    from ..io.files import check_input_file, check_text_file
    from ..io.loader import load_ruleset

    if args.batch is None and (args.changed_only or args.encoding is not None):
        return fail_usage(args, "--changed-only and --encoding apply only with --batch")
    old = load_ruleset(check_text_file(args.old))
    new = load_ruleset(check_text_file(args.new))
    diff = diff_rulesets(old, new)
    batch = None
    if args.batch is not None:
        check_input_file(args.batch)
        batch = diff_batch_file(old, new, args.batch, encoding=args.encoding or "utf-8-sig",
                                lang=getattr(args, "error_lang", "en"))  # rows' errors
    if args.format == "json":
        data = diff.to_dict(args.lang)
        if batch is not None:
            data["batch"] = batch.to_dict(args.lang)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        text = diff.text(args.lang)
        if batch is not None:
            text += "\n" + batch.text(args.lang, changed_only=args.changed_only)
    write_output(text, args.output)
    return 0
