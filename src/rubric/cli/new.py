"""``rubric new --template NAME [-o PATH]``: a starting ruleset or self-evaluation file
from a shipped template (``rubric new --list`` lists them)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import FileError, RubricError
from ..text import display_width
from .command import add_command

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``new`` sub-command."""
    parser = add_command(sub, "new", run)
    parser.add_argument("--template", metavar="NAME",
                        help="the template's name or alias (rubric new --list)")
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="the file to write (default: standard output); a project "
                        "template's form as .yaml, or as .xlsx (the blank form to fill in)")
    parser.add_argument("--year", type=int, help="the fiscal year to fill in (e.g. 2024)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument("--list", action="store_true", help="list the templates")


def run(args: argparse.Namespace) -> int:
    from ..selfeval.starter import find_starter, starter_text, starters

    if args.list:
        found = starters()
        kinds = {"ruleset": "评价体系", "project": "自评表"}
        width = max((display_width(s.name) for s in found), default=0)
        for s in found:
            aliases = f"（又名 {'、'.join(s.aliases)}）" if s.aliases else ""
            kind = kinds[s.kind]
            print(f"{s.name}{' ' * (width - display_width(s.name))}  {kind}"
                  f"{' ' * (8 - display_width(kind))}  {s.title}{aliases}")
        return 0
    if not args.template:
        raise RubricError("rubric new needs --template NAME (or --list)",
                          example="rubric new --template 10号 -o 自评表.yaml")
    starter = find_starter(args.template)
    xlsx = args.output is not None and args.output.lower().endswith(".xlsx")
    if xlsx and starter.kind == "ruleset":
        raise RubricError(f"{starter.name} is a ruleset template: it is written as YAML",
                          expected="an output ending in .yaml", example="-o ruleset.yaml")
    text = "" if xlsx else starter_text(starter, year=args.year)
    if args.output is None or args.output == "-":
        sys.stdout.write(text)
        return 0
    from pathlib import Path

    from ..io.files import atomic_path, check_output_path, output_target

    check_output_path(args.output)  # its folder exists and can be written
    path = Path(args.output)
    regular = output_target(path) == "file"  # not a stream (/dev/stdout, a FIFO)
    if regular and (path.exists() or path.is_symlink()) and not args.force:
        raise FileError("exists; not overwritten (use --force to replace it)",
                        file=args.output, expected="a new file name, or --force")
    if xlsx:  # the blank form as finance staff fill it in
        from ..selfeval.starter import write_project_form
        from ..selfeval.template import load_template

        write_project_form(load_template(starter.path), path, year=args.year)
    else:
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
    what = "ruleset" if starter.kind == "ruleset" else "self-evaluation file"
    print(f"rubric: wrote the starting {what} of {starter.name} to {args.output}",
          file=sys.stderr)
    return 0
