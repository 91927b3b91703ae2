"""A sub-command's parser: its header (name, summary, description, exit codes), ``--lang``
and what ``main`` and ``lang.fail_usage`` read back (``func``, ``_parser``).

Every command module's ``register`` starts with ``add_command`` and adds only its own
arguments after it, so the shared parts of a command are written once.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from .lang import add_lang

__all__ = ["add_command", "exit_codes"]


def exit_codes(ok: str, failed: str, *, see: str | None = None) -> str:
    """The epilog of a command's help: what exit 0 and 1 mean (2 is always a usage
    error), and the document to read, if any."""
    text = f"exit codes: 0 {ok}, 1 {failed}, 2 usage error."
    return f"{text} See {see}." if see else text


def add_command(subparsers: Any, name: str, run: Callable[[argparse.Namespace], int], *,
                summary: str, description: str, lang: tuple[str, str],
                epilog: str | None = None) -> argparse.ArgumentParser:
    """Add the sub-command ``name``: listed by ``rubric --help`` with ``summary``, its own
    help showing ``description`` and ``epilog`` (``exit_codes``), and ``--lang`` for
    ``lang`` = (the output's default language, what the output is). ``run(args)`` is
    called with the parsed arguments; the parser is kept as ``args._parser`` for usage
    errors found after parsing (``lang.fail_usage``)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=summary, description=description, epilog=epilog)
    add_lang(parser, *lang)
    parser.set_defaults(func=run, _parser=parser)
    return parser
