"""The ``constraints:`` section of a ruleset file: checks between facts.

Each item becomes a ``rubric.constraints.Constraint`` (``check`` or ``integer``,
``message``, ``level``, ``tolerance``); every problem is reported at its ``file:line``
with the ruleset loader's other problems: unknown keys, a bad level, unknown facts (with
a "did you mean"), a check that is not a comparison or compares different dimensions.
"""

from __future__ import annotations

from typing import Any, Protocol

from ..constraints import Constraint, compile_constraints
from ..errors import RulesetError
from ..facts import FactSpec
from .sections import SectionLoader, checked_items

__all__ = ["read_constraints"]

_EXAMPLE = "constraints: [{check: 实际支出数 <= 预算数, message: 支出不超过预算}]"


class _Reader(SectionLoader, Protocol):
    """The loader, and the facts that failed to load (a check reading one is skipped)."""

    failed_facts: set[str]


def read_constraints(loader: _Reader, value: object, specs: list[FactSpec]
                     ) -> list[Constraint]:
    """The constraints of the section ``value`` (None: none), checked against ``specs``;
    problems go to ``loader``."""
    by_name = {s.name: s for s in specs}

    def failed(built: Constraint) -> bool:  # a fact it reads failed to load: reported
        text = built.check or built.integer or ""
        return any(name in text for name in loader.failed_facts)

    def field(exc: RulesetError, item: Any) -> str:
        at = exc.field if exc.field in ("check", "integer", "tolerance") else "check"
        return at if at in item else "check"

    return checked_items(loader, Constraint, value, "constraints", "constraint",
                         lambda built: compile_constraints((built,), by_name), field,
                         expected="a list of constraints", example=_EXAMPLE, skip=failed)
