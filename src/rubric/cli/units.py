"""``rubric units``: list every unit rubric knows, with its dimension and exact factor;
with a ruleset, the units it declares too (its ``units:`` section)."""

from __future__ import annotations

import argparse
import sys

from ..io.files import check_text_file
from ..io.loader import load_ruleset
from ..units import BUILTIN, catalogue
from .command import add_command

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``units`` sub-command."""
    parser = add_command(subparsers, "units", run)
    parser.add_argument("--ruleset", metavar="FILE",
                        help="also list the units this ruleset declares (marked 'declared')")


def run(args: argparse.Namespace) -> int:
    out = sys.stdout
    system = BUILTIN
    if getattr(args, "ruleset", None):
        system = load_ruleset(check_text_file(args.ruleset)).unit_system
    declared = dict(system.definitions)
    zh = getattr(args, "lang", "en") == "zh"
    out.write("单位\t别名\t量纲\t大小\n" if zh else "unit\taliases\tdimension\tsize\n")
    pure, marked = ("（纯数）", "声明为") if zh else ("(pure number)", "declared: ")
    for name, aliases, dim, factor, base in catalogue(system):
        size = "" if name == base else f"{factor.normalize():f} {base}".removesuffix(" 1")
        mark = f"\t{marked}{declared[name]}" if name in declared else ""
        out.write(f"{name}\t{', '.join(aliases)}\t{dim or pure}\t{size}{mark}\n")
    return 0
