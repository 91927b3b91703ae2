"""A ruleset file's ``units:`` section: the units it declares on top of the built-in
ones (docs/ruleset-format.md, "Declared units"), read into a ``UnitSystem``.

Each entry is checked in file order, so a unit may be defined from one declared above
it; every bad entry is reported (at its own line, by the loader), not only the first.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..errors import RulesetError
from ..units import BUILTIN, UnitSystem
from .field_types import describe

__all__ = ["EXAMPLE", "read_units", "units_section"]

#: the section as the messages show it
EXAMPLE = "units: {亩: 10000/15 平方米, 万头: 10000 头, 床日: count}"

Report = Callable[[str, tuple[Any, ...], "str | None", "str | None"], None]


def read_units(value: object, report: Report) -> UnitSystem:
    """The unit system of a ``units:`` section; ``report(message, path, expected,
    example)`` is called for each problem (the entry is then left out)."""
    system = BUILTIN
    if value is None:
        return system
    if not isinstance(value, dict):
        report(f"units must be a mapping from unit name to its definition, got "
               f"{describe(value)}", ("units",), "name: definition pairs", EXAMPLE)
        return system
    for name, raw in value.items():
        # "成: 0.1": a pure number
        number = isinstance(raw, int | float | Decimal) and not isinstance(raw, bool)
        try:
            system = system.declare(name, str(raw) if number else raw)
        except RulesetError as exc:
            report(exc.message, ("units", name), exc.expected, exc.example)
    return system


def units_section(system: UnitSystem) -> dict[str, str]:
    """The ``units:`` section that declares ``system`` (empty for the built-in units)."""
    return dict(system.definitions)
