"""The ``constraints:`` section of a ruleset file: checks between facts.

Each item becomes a ``rubric.constraints.Constraint`` (``check`` or ``integer``,
``message``, ``level``, ``tolerance``); every problem is reported at its ``file:line``
with the ruleset loader's other problems: unknown keys, a bad level, unknown facts (with
a "did you mean"), a check that is not a comparison or compares different dimensions.
"""

from __future__ import annotations

from typing import Protocol

from ..constraints import Constraint, compile_constraints
from ..errors import RulesetError
from ..facts import FactSpec
from .field_types import describe
from .sections import PathT, SectionLoader, built_items

__all__ = ["read_constraints"]

_EXAMPLE = "constraints: [{check: 实际支出数 <= 预算数, message: 支出不超过预算}]"


class _Reader(SectionLoader, Protocol):
    """The loader, and the facts that failed to load (a check reading one is skipped)."""

    failed_facts: set[str]


def read_constraints(loader: _Reader, value: object, specs: list[FactSpec]
                     ) -> list[Constraint]:
    """The constraints of the section ``value`` (None: none), checked against ``specs``;
    problems go to ``loader``."""
    path: PathT = ("constraints",)
    if value is None:
        return []
    if not isinstance(value, list):
        loader.problem(f"constraints must be a list, got {describe(value)}", path,
                       expected="a list of constraints", example=_EXAMPLE)
        return []
    by_name = {s.name: s for s in specs}
    out: list[Constraint] = []
    for cpath, item, built in built_items(loader, Constraint, value, path, "constraint"):
        text = built.check or built.integer or ""
        if any(name in text for name in loader.failed_facts):
            continue  # a fact it reads failed to load: reported already
        try:
            compile_constraints((built,), by_name)
        except RulesetError as exc:
            field = exc.field if exc.field in ("check", "integer", "tolerance") else "check"
            loader.from_error(exc, (*cpath, field if field in item else "check"))
            continue
        out.append(built)
    return out
