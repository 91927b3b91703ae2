"""``rubric units``: list every unit rubric knows, with its dimension and exact factor."""

from __future__ import annotations

import argparse
import sys

from ..units import catalogue

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "units", help="list the units rubric knows and their dimensions",
        description=("List every unit of rubric's built-in registry: its aliases, its "
                     "dimension (units of one dimension convert by the exact factor "
                     "shown; different dimensions never convert) and its size in the "
                     "dimension's base unit."),
    )
    parser.set_defaults(func=run)


def run(_args: argparse.Namespace) -> int:
    out = sys.stdout
    out.write("unit\taliases\tdimension\tsize\n")
    for name, aliases, dim, factor, base in catalogue():
        size = "" if name == base else f"{factor.normalize():f} {base}".removesuffix(" 1")
        out.write(f"{name}\t{', '.join(aliases)}\t{dim or '(pure number)'}\t{size}\n")
    return 0
