"""``cli.help.HELP``: one entry per sub-command, none left over, each shown by its parser."""

from __future__ import annotations

import argparse

from rubric.cli import build_parser
from rubric.cli.help import HELP


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_command_has_one_entry_and_every_entry_a_command() -> None:
    assert set(_commands()) == set(HELP)


def test_each_parser_shows_its_entry() -> None:
    listing = build_parser().format_help()
    for name, parser in _commands().items():
        text = HELP[name]
        assert parser.description == text.description
        assert parser.epilog == text.epilog
        assert text.summary in " ".join(listing.split())
        assert parser.get_default("_lang_default") == text.lang[0]
