"""How each unit of a batch moves between two rulesets: its total and grade under each,
and a summary (see ``rubric.diff`` for how a grade move is read)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..batch import BatchRow, score_batch
from ..errors import RubricError
from ..io.tabular import UNIT_COLUMNS, SourceRow, read_rows
from ..tree import Ruleset
from .render import batch_diff_dict, batch_diff_text

__all__ = ["BatchDiff", "UnitChange", "diff_batch", "diff_batch_file"]


@attrs.frozen
class UnitChange:
    """One unit: its total (``low``–``high``; equal when settled) and grade text (``优``,
    or ``优/良`` for a range, best first) under the old and the new ruleset; ``error``
    when either ruleset could not score the row (the totals are then None)."""

    row: int
    unit: str
    old_low: Decimal | None
    old_high: Decimal | None
    new_low: Decimal | None
    new_high: Decimal | None
    old_grade: str | None
    new_grade: str | None
    #: the grades' places in each ruleset's list, best first (0 is the best)
    old_ranks: tuple[int, ...] = ()
    new_ranks: tuple[int, ...] = ()
    error: str | None = None

    @property
    def delta(self) -> Decimal | None:
        """New total minus old, when both are settled."""
        if self.error is not None or self.old_low != self.old_high \
                or self.new_low != self.new_high:
            return None
        assert self.new_low is not None and self.old_low is not None
        return self.new_low - self.old_low

    @property
    def score_move(self) -> str:
        """``up``, ``down``, ``same``, ``unknown`` (ranges that overlap and differ) or
        ``error``."""
        if self.error is not None:
            return "error"
        assert None not in (self.old_low, self.old_high, self.new_low, self.new_high)
        if (self.old_low, self.old_high) == (self.new_low, self.new_high):
            return "same"
        if self.new_low > self.old_high:  # type: ignore[operator]
            return "up"
        if self.new_high < self.old_low:  # type: ignore[operator]
            return "down"
        return "unknown"

    @property
    def grade_move(self) -> str:
        """``up`` (every new grade better than every old one), ``down``, ``same`` (the
        same places: one grade, or the same range of grades), ``unknown`` or
        ``error``."""
        if self.error is not None:
            return "error"
        if max(self.new_ranks) < min(self.old_ranks):
            return "up"
        if min(self.new_ranks) > max(self.old_ranks):
            return "down"
        if self.old_ranks == self.new_ranks:
            return "same"
        return "unknown"


@attrs.frozen
class BatchDiff:
    """Every unit of a batch under both rulesets, in input order."""

    units: tuple[UnitChange, ...]

    def summary(self) -> dict[str, Any]:
        """Counts: ``units``, ``errors``, ``score_changed`` (``score_up``,
        ``score_down``; a change of a range whose direction is unknown counts as changed
        only), ``grade_changed`` (= ``grade_up`` + ``grade_down``), ``grade_unknown``,
        and ``transitions`` (``"良→优"`` -> units, for the units whose grade text
        changed)."""
        score = Counter(u.score_move for u in self.units)
        grade = Counter(u.grade_move for u in self.units)
        moves = Counter(f"{u.old_grade}→{u.new_grade}" for u in self.units
                        if u.error is None and u.old_grade != u.new_grade)
        return {"units": len(self.units), "errors": score["error"],
                "score_changed": score["up"] + score["down"] + score["unknown"],
                "score_up": score["up"], "score_down": score["down"],
                "grade_changed": grade["up"] + grade["down"], "grade_up": grade["up"],
                "grade_down": grade["down"], "grade_unknown": grade["unknown"],
                "transitions": dict(sorted(moves.items(), key=lambda kv: (-kv[1], kv[0])))}

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """JSON-ready: ``units`` (one object per unit) and ``summary``."""
        return batch_diff_dict(self, lang)

    def text(self, lang: str = "zh", *, changed_only: bool = False) -> str:
        """A table of the units (``changed_only``: those whose score or grade moved, and
        errors) and the summary, in Chinese or English."""
        return batch_diff_text(self, lang, changed_only=changed_only)


def _accepts(ruleset: Ruleset) -> Any:
    inputs = {s.name for s in ruleset.input_facts()}
    known: dict[str, bool] = {}  # column -> read by this ruleset (decided once per column)

    def reads(key: str) -> bool:
        if key not in known:
            known[key] = key in inputs or key in UNIT_COLUMNS or ruleset.is_row_key(key)
        return known[key]

    def keep(data: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if reads(k)}
    return keep


def _ranks(ruleset: Ruleset, grade_text: str) -> tuple[int, ...]:
    names = [g.name for g in ruleset.policy.grades]
    return tuple(names.index(g) for g in grade_text.split("/") if g in names)


def diff_batch(old: Ruleset, new: Ruleset,
               rows: Iterable[Mapping[str, Any] | SourceRow], *, lang: str = "en") -> BatchDiff:
    """Score every row with ``old`` and with ``new`` (each reading the columns it
    declares: a fact only one ruleset declares is ignored by the other); rows as
    ``score_batch`` takes them (mappings, or ``(row number, mapping)`` pairs). A row's
    error is in ``lang`` (``RubricError.text``)."""
    items = list(rows)
    numbered: list[SourceRow] = [it if type(it) is tuple else (i, it)  # type: ignore[misc]
                                 for i, it in enumerate(items, start=1)]
    scored: list[list[BatchRow]] = []
    for ruleset in (old, new):
        keep = _accepts(ruleset)
        mine = [(n, d if isinstance(d, Exception) else keep(d)) for n, d in numbered]
        scored.append(list(score_batch(ruleset, mine, records_only=True, lang=lang)))
    units = []
    for a, b in zip(*scored):
        if a.error is not None or b.error is not None:
            units.append(UnitChange(a.row, a.unit, None, None, None, None, None, None,
                                    error=a.error or b.error))
            continue
        ra, rb = a.record, b.record
        assert ra is not None and rb is not None
        units.append(UnitChange(a.row, a.unit, ra["total_low"], ra["total_high"],
                                rb["total_low"], rb["total_high"], ra["grade"], rb["grade"],
                                _ranks(old, ra["grade"]), _ranks(new, rb["grade"])))
    return BatchDiff(tuple(units))


def _union(old: Ruleset, new: Ruleset) -> Ruleset:
    """``new`` declaring also the input facts only ``old`` declares: the columns a batch
    for either ruleset may have."""
    extra = tuple(s for s in old.input_facts() if s.name not in new.specs)
    if not extra:
        return new
    return Ruleset(new.root, (*new.facts, *extra), new.policy,  # type: ignore[arg-type]
                   new.metadata)


def diff_batch_file(old: Ruleset, new: Ruleset, path: str | os.PathLike[str], *,
                    encoding: str = "utf-8-sig", lang: str = "en") -> BatchDiff:
    """``diff_batch`` over a CSV, XLSX or JSON Lines file, read as ``rubric score --batch``
    reads it; a column must be an input fact of either ruleset (or ``id``/``unit``, or a
    row of the new ruleset given as not applicable)."""
    try:
        reader = _union(old, new)
    except RubricError:
        reader = new
    _columns, rows, _total = read_rows(path, reader, encoding=encoding)
    return diff_batch(old, new, rows, lang=lang)
