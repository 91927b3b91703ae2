"""One row under ``rubric check``: what a rule's ``analyse`` is given (defaults, fact
domains, a way to report findings about the row)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..facts import FactSpec
from ..tree import Indicator, Ruleset
from .messages import CATALOG, Message, msg

__all__ = ["RowAnalysis", "key_path"]


def key_path(key: str | tuple[Any, ...]) -> tuple[Any, ...]:
    """A finding's key as a path under the row (``"floor"`` → ``("floor",)``)."""
    return (key,) if isinstance(key, str) else tuple(key)


class RowAnalysis:
    """What a rule's ``analyse`` is given for one row: the ruleset's defaults and fact
    domains, and a way to report findings about the row (``rules.analysis.Analysis``)."""

    def __init__(self, checker: Any, node: Indicator) -> None:
        self.checker, self.node = checker, node
        self.ruleset: Ruleset = checker.ruleset
        self.defaults = self.ruleset.defaults
        #: the rule's ``min-above-zero`` report (message, key): the checker decides on it
        self.low: tuple[Message, str | tuple[Any, ...] | None] | None = None

    def domain(self, name: str) -> tuple[Decimal | None, Decimal | None]:
        return self.ruleset.domain(name)

    def spec(self, name: str) -> FactSpec:
        return self.ruleset.specs[name]

    def report(self, severity: str, code: str, variant: str = "",
               key: str | tuple[str | int, ...] | None = None, **params: object) -> None:
        """A finding about the row: the catalog's message ``(code, variant)`` (see
        ``verify.messages``) with ``params``. A ``variant`` the catalog lacks is taken as
        a free English message (one not yet in the catalog: it prints in English only)."""
        message = (msg(code, variant, **params) if (code, variant) in CATALOG
                   else msg("part", "free", text=variant))
        if code == "min-above-zero":  # why the row never drops to 0: the checker decides
            self.low = (message, None if key is None else ("rule", *key_path(key)))
            return
        self.checker.add(severity, message, self.node, code=code,
                         key=None if key is None else ("rule", *key_path(key)))

    def property_check(self, rule: Any = None, key: tuple[str | int, ...] = ()) -> None:
        self.checker.formula_rules.append((self.node, rule, key))

    def check_formula_units(self, expression: str) -> None:
        self.checker.unit_checks.append((self.node, ("formula", expression)))

    def check_same_kind(self, a: str, b: str) -> None:
        self.checker.unit_checks.append((self.node, ("same", a, b)))
