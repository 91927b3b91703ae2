"""``rubric schema``: print the ruleset JSON Schema (for editors and CI validators)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..io.schema import schema_text
from .command import add_command

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``schema`` sub-command."""
    parser = add_command(subparsers, "schema", run)
    parser.add_argument("-o", "--output", type=Path, help="write the schema to this file")


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.output is not None:
        from ..io.files import check_output_path

        check_output_path(args.output)  # a FileError (in --lang) rather than an OSError
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
