"""The audit's results: one ``AuditEntry`` per node, the ``AuditReport`` of a table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from ..engine.evaluation import Result
from ..text import fmt, score_text, word
from .claimed import Claimed
from .classes import ACCEPTABLE, CLASSES, lang_of
from .printed import PrintedCheck
from .rounding import TableRounding

__all__ = ["AuditEntry", "AuditReport"]


@attrs.frozen
class AuditEntry:
    """The audit of one node: its classes (most severe first) and why.

    ``low``/``high`` are the computed score range (equal when the facts settle it);
    ``messages`` explain each non-acceptable class; ``explanation`` is the computed
    row's own explanation (the rule's trace).
    """

    id: str
    name: str
    kind: str
    depth: int
    classes: tuple[str, ...]
    claimed: Decimal | None
    low: Decimal
    high: Decimal
    max_points: Decimal
    printed_max: Decimal | None = None
    messages: tuple[str, ...] = ()
    explanation: str = ""
    where: str | None = None
    #: False for a row or group that is not applicable (its 计算 column says 不计, not 0)
    applicable: bool = True
    #: True when the table printed the 得分 (or 合计) cell empty: not scored
    blank: bool = False
    #: the 合计 the printed rows imply (their capped sum) when the table prints none
    implied: Decimal | None = None
    #: the row's warnings, worded for its direction: a target far exceeded, spending over
    #: budget, the constraints the facts it reads violate (``row_warnings``)
    warnings: tuple[str, ...] = ()
    #: what was compared where the table printed no 分值 (``分值未印刷，按下级印刷分值之和 …``)
    notes: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """The most severe class."""
        return self.classes[0]

    @property
    def ok(self) -> bool:
        return all(c in ACCEPTABLE for c in self.classes)

    @property
    def computed(self) -> Decimal | None:
        return self.low if self.low == self.high else None

    def computed_text(self, lang: str = "zh") -> str:
        """The computed score, or its range: ``5`` or ``0–5``; ``不计`` when the node is
        not applicable (as the score table prints it)."""
        return score_text(self.low, self.high) if self.applicable else word("not_scored",
                                                                             lang_of(lang))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "depth": self.depth,
            "status": self.status, "classes": list(self.classes),
            "claimed": None if self.claimed is None else fmt(self.claimed),
            "low": fmt(self.low), "high": fmt(self.high),
            "max_points": fmt(self.max_points),
            "printed_max": None if self.printed_max is None else fmt(self.printed_max),
            "messages": list(self.messages), "explanation": self.explanation,
            "where": self.where, "applicable": self.applicable, "blank": self.blank,
            "implied": None if self.implied is None else fmt(self.implied),
            "warnings": list(self.warnings), "notes": list(self.notes),
        }


@attrs.frozen
class AuditReport:
    """Every node's audit in table order (root first), and the evaluation behind it."""

    entries: tuple[AuditEntry, ...]
    result: Result = attrs.field(repr=False)
    claimed: Claimed = attrs.field(repr=False)
    #: the printed facts and derived values checked against the facts (``printed``)
    printed: tuple[PrintedCheck, ...] = ()
    #: how the table rounded its row scores (``得分按整数取整：8.62 → 9``), or None
    rounding: TableRounding | None = None
    #: the language of the messages (``zh`` or ``en``)
    lang: str = "zh"

    @property
    def ok(self) -> bool:
        """True when every claim is consistent, feasible or absent (and every printed
        value agrees with the facts)."""
        return all(e.ok for e in self.entries) and all(p.agrees is not False
                                                      for p in self.printed)

    @property
    def findings(self) -> tuple[AuditEntry, ...]:
        return tuple(e for e in self.entries if not e.ok)

    def __getitem__(self, node_id: str) -> AuditEntry:
        for entry in self.entries:
            if entry.id == node_id:
                return entry
        raise KeyError(node_id)

    def counts(self) -> dict[str, int]:
        """How many entries have each status (most severe class)."""
        out = dict.fromkeys(CLASSES, 0)
        for entry in self.entries:
            out[entry.status] += 1
        return {k: v for k, v in out.items() if v}

    @property
    def warnings(self) -> tuple[str, ...]:
        """The warnings about the unit's facts behind the recomputed scores (plain
        numbers read for % facts, violated constraints): ``Result.fact_warnings``.
        They are not findings about the claims and do not change ``ok``."""
        return self.result.fact_warnings

    def to_dict(self, *, all_nodes: bool = True) -> dict[str, Any]:
        """The audit as JSON-ready data; ``all_nodes=False`` keeps only entries with a
        claim or a finding (as ``format_audit`` does), ``counts`` still covers all."""
        return {"format": "rubric.audit/1", "ok": self.ok, "counts": self.counts(),
                "warnings": list(self.warnings),
                "rescaled": self.result.rescaling_text(),
                "printed": [p.to_dict() for p in self.printed],
                "rounding": None if self.rounding is None else self.rounding.to_dict(),
                "entries": [e.to_dict() for e in self.entries
                            if all_nodes or e.status != "unclaimed"]}
