"""A sub-command's parser: its header (name, summary, description, exit codes: its entry
in ``help.HELP``), ``--lang`` and what ``main`` and ``lang.fail_usage`` read back
(``func``, ``_parser``).

Every command module's ``register`` starts with ``add_command`` and adds only its own
arguments after it, so the shared parts of a command are written once.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from .help import HELP
from .lang import add_lang

__all__ = ["add_command"]


def add_command(subparsers: Any, name: str,
                run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """Add the sub-command ``name`` with its help (``HELP[name]``): listed by ``rubric
    --help`` with its summary, its own help showing its description and epilog, and
    ``--lang`` for its output's default language. ``run(args)`` is called with the
    parsed arguments; the parser is kept as ``args._parser`` for usage errors found
    after parsing (``lang.fail_usage``)."""
    text = HELP[name]
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=text.summary, description=text.description, epilog=text.epilog)
    add_lang(parser, *text.lang)
    parser.set_defaults(func=run, _parser=parser)
    return parser
