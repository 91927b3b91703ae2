"""Mid-year monitoring (绩效运行监控): a unit's facts scored at a checkpoint as a projection
of the year's score, and the rows at risk.

The ruleset is the year's own; nothing about it changes. At the checkpoint (a date: ``7月``
is the last day of July of the ruleset's year, ``2024-07-31`` a day):

- a fact given is read as it stands (the value to date, or the unit's estimate for the
  year: the facts file says which);
- a fact not given is open, a range over its domain, as it is in any score;
- a **date** fact (a completion date) given as a day after the checkpoint has not
  happened yet and is open (``Projection.future`` names it); an open date fact can only
  still happen after the checkpoint, so it is scored over the days after it: a deadline
  row whose deadline is before the checkpoint, not yet met, is settled (late), one whose
  deadline is after the checkpoint is open (on time or late). The days tried are the day
  after the checkpoint, each deadline the rules name after it (the day before, on and
  after it) and a day twenty years on; each row's range is the lowest and highest score
  over them, so several rows reading one date stay consistent.

Each applicable row then has a status: ``full`` (settled at its 分值), ``open`` (a range
whose high end is its 分值: full marks can still be reached) or ``at_risk``: **its high end
is below its 分值**, so full marks can no longer be reached whatever the open facts turn
out to be (``lost`` is the part of ``at_risk`` that is settled). The total and the grade
are ranges too; ``Projection.result`` is the projected ``Result`` for every renderer.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from .dates import Month, parse_date, parse_month
from .engine.evaluation import Result, evaluate
from .errors import RubricError
from .facts import MISSING, Facts
from .text import fmt, range_text, zh_en
from .tree import Ruleset
from .whatif.search import Edges

__all__ = ["MAX_SCENARIOS", "Projection", "RowStatus", "monitor", "parse_checkpoint"]

#: at most this many combinations of open date facts are scored; beyond, the dates keep
#: their whole range
MAX_SCENARIOS = 256
_DAY = _dt.timedelta(days=1)
_FAR = _dt.timedelta(days=365 * 20)
_MONTH_END = re.compile(r"\s*(?:末|底)$")  # 7月底, 7月末: the month's last day


def parse_checkpoint(text: str | _dt.date, year: int | None = None) -> _dt.date:
    """The checkpoint's day: a date (``2024-07-31``, ``2024年7月31日``), a month of a year
    (``2024-07``, ``2024年7月``: its last day), or a month (``7月``, ``7``, ``7月底``) of
    ``year``."""
    if isinstance(text, _dt.date):
        return text
    day = parse_date(text)
    if day is not None:
        return day
    plain = _MONTH_END.sub("", text.strip())
    month = parse_month(plain + "月" if plain.isdigit() else plain)
    if month is not None:
        if month.year is None and year is None:
            raise RubricError(f"checkpoint '{text}': which year?",
                              expected="a ruleset with fiscal_year or valid_from, or "
                              "the year given (--year), or a full date",
                              example="2024-07-31")
        return month.last(year)
    raise RubricError(f"checkpoint '{text}' is not a date or a month",
                      expected="a date, a year's month or a month", example="7月, 2024-07-31")


def ruleset_year(ruleset: Ruleset) -> int | None:
    """The year a month checkpoint refers to: ``fiscal_year``, else ``valid_from``'s."""
    meta = ruleset.metadata
    if meta.fiscal_year is not None:
        return meta.fiscal_year
    return None if meta.valid_from is None else meta.valid_from.year


@attrs.frozen
class RowStatus:
    """One applicable row at the checkpoint: its projected score ``low``–``high`` out of
    ``max_points``, its ``status`` (``full``, ``open`` or ``at_risk``) and the facts that
    would settle it."""

    id: str
    name: str
    max_points: Decimal
    low: Decimal
    high: Decimal
    status: str
    missing: tuple[str, ...] = ()

    @property
    def at_risk(self) -> bool:
        """Full marks can no longer be reached: the high end is below the 分值."""
        return self.status == "at_risk"

    @property
    def lost(self) -> bool:
        """At risk and settled: the points below the 分值 are lost already."""
        return self.at_risk and self.low == self.high


@attrs.frozen
class Projection:
    """The facts scored at ``checkpoint``: the projected ``result`` (ranges where facts
    are open), each applicable row's ``rows`` status, and ``future``: date facts given
    as a day after the checkpoint, read as not yet happened."""

    checkpoint: _dt.date
    result: Result = attrs.field(repr=False)
    rows: tuple[RowStatus, ...]
    future: tuple[str, ...] = ()

    @property
    def at_risk(self) -> tuple[RowStatus, ...]:
        return tuple(r for r in self.rows if r.at_risk)

    def counts(self) -> dict[str, int]:
        statuses = [r.status for r in self.rows]
        return {"rows": len(statuses), "full": statuses.count("full"),
                "open": statuses.count("open"), "at_risk": statuses.count("at_risk"),
                "lost": sum(1 for r in self.rows if r.lost)}

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """JSON-ready: ``checkpoint``, ``total`` (low, high), ``grades``, ``counts``, the
        ``rows`` (each with its status), ``at_risk`` (ids), ``future`` and ``text``."""
        res = self.result
        return {"checkpoint": self.checkpoint.isoformat(),
                "total": {"low": fmt(res.low), "high": fmt(res.high)},
                "grades": list(res.grades), "counts": self.counts(),
                "rows": [{"id": r.id, "name": r.name, "max_points": fmt(r.max_points),
                          "low": fmt(r.low), "high": fmt(r.high), "status": r.status,
                          "missing": list(r.missing)} for r in self.rows],
                "at_risk": [r.id for r in self.at_risk], "future": list(self.future),
                "text": self.text(lang)}

    def text(self, lang: str = "zh") -> str:
        """The monitoring summary and the rows at risk, in Chinese or English."""
        n, res = self.counts(), self.result
        grades = "/".join(res.grades)
        day = self.checkpoint.isoformat()
        lines = [zh_en(
            lang,
            f"绩效运行监控（截至 {day}）：{n['rows']} 行中 {n['full']} 行已得满分，"
            f"{n['open']} 行待定仍可得满分，{n['at_risk']} 行有风险（其中 {n['lost']} 行已定）；"
            f"总分预计 {range_text(res.low, res.high)}（{grades}）",
            f"Monitoring at {day}: of {n['rows']} rows {n['full']} have full marks, "
            f"{n['open']} are open and can still reach them, {n['at_risk']} are at risk "
            f"({n['lost']} settled); projected total {range_text(res.low, res.high)} "
            f"({grades})")]
        if self.at_risk:
            lines.append(zh_en(lang, "有风险的行（最高可得分低于分值）：",
                               "Rows at risk (the best reachable score is below full marks):"))
            for r in self.at_risk:
                best = fmt(r.high)
                state = (zh_en(lang, "已定", "settled") if r.lost
                         else zh_en(lang, "待定：", "open: ")
                         + zh_en(lang, "、", ", ").join(r.missing))
                lines.append(zh_en(lang, f"- {r.name}：最高 {best} / {fmt(r.max_points)} 分"
                                         f"（{state}）",
                                   f"- {r.name}: at most {best} of {fmt(r.max_points)} "
                                   f"({state})"))
        if self.future:
            lines.append(zh_en(lang, "晚于截至日的日期视为尚未发生：", "Dates after the "
                               "checkpoint are read as not yet happened: ")
                         + zh_en(lang, "、", ", ").join(self.future))
        return "\n".join(lines) + "\n"


def _scenario_days(ruleset: Ruleset, names: list[str], day: _dt.date) -> list[list[_dt.date]]:
    edges = Edges(ruleset)
    for row in ruleset.indicators():
        rule: Any = row.rule
        rule.test_hints(edges, ruleset.defaults)
    out = []
    for name in names:
        later = {_shifted(e, k * _DAY) for e in edges.edges.get(name, set())
                 if isinstance(e, _dt.date) and _dt.date.min < e for k in (-1, 0, 1)}
        out.append(sorted({_shifted(day, _DAY), _shifted(day, _FAR),
                           *(d for d in later if d > day)}))
    return out


def _shifted(day: _dt.date, delta: _dt.timedelta) -> _dt.date:
    """``day + delta``, or the calendar's last day when that is past it (year 9999)."""
    try:
        return day + delta
    except OverflowError:
        return _dt.date.max


def _grades(ruleset: Ruleset, runs: list[Any]) -> tuple[str | None, tuple[str, ...]]:
    """The grades any scenario can get: every run's, the table's vetoes included."""
    names = [g.name for g in ruleset.policy.grades]
    best = min(names.index(r.grades[0]) for r in runs)
    worst = max(names.index(r.grades[-1]) for r in runs)
    return (names[best] if best == worst else None), tuple(names[best: worst + 1])


def _after(value: object, day: _dt.date) -> bool:
    """A completion date later than the checkpoint (not yet happened): a day after it,
    or a month (``2024年11月``) whose first day is after it."""
    if isinstance(value, Month) and value.year is not None:
        return value.first() > day
    return isinstance(value, _dt.date) and value > day


def monitor(ruleset: Ruleset, facts: Mapping[str, Any] | Facts,
            checkpoint: str | _dt.date, *, year: int | None = None) -> Projection:
    """Score ``facts`` at ``checkpoint`` as a projection (see ``rubric.monitor``).
    ``year`` is the year of a month checkpoint (default: the ruleset's)."""
    day = parse_checkpoint(checkpoint, year if year is not None else ruleset_year(ruleset))
    given = ruleset.facts_from(facts)
    values = dict(given.values)
    dates = [s.name for s in ruleset.input_facts() if s.type == "date"]
    future = tuple(n for n in dates if _after(values.get(n), day))
    for name in future:
        values[name] = MISSING
    base = evaluate(ruleset, attrs.evolve(given, values=values))
    open_dates = [n for n in dates if values.get(n, MISSING) is MISSING]
    lines = _scenario_days(ruleset, open_dates, day) if open_dates else []
    combos = 1
    for line in lines:
        combos *= len(line)
    result = base
    if open_dates and combos <= MAX_SCENARIOS:
        runs = [evaluate(ruleset, attrs.evolve(given, values={**values, **dict(zip(open_dates,
                                                                                   combo))}))
                for combo in itertools.product(*lines)]
        records = []
        for i, rec in enumerate(base.records):
            low = min(r.records[i].low for r in runs)
            high = max(r.records[i].high for r in runs)
            missing: dict[str, None] = {}
            if low < high:
                for r in runs:
                    missing.update(dict.fromkeys(r.records[i].missing))
                if len({(r.records[i].low, r.records[i].high) for r in runs}) > 1:
                    # the open date moves this node: name it too
                    missing.update(dict.fromkeys(m for m in rec.missing if m in open_dates))
            records.append(rec._replace(low=low, high=high, missing=tuple(missing)))
        grade, grades = _grades(ruleset, runs)
        result = attrs.evolve(base, records=tuple(records), grade=grade, grades=grades)
    rows = []
    for node in result.rows():
        if not node.applicable:
            continue
        if node.low == node.high == node.max_points:
            status = "full"
        elif node.high < node.max_points:
            status = "at_risk"
        else:
            status = "open"
        rows.append(RowStatus(node.id, node.name, node.max_points, node.low, node.high,
                              status, tuple(node.missing)))
    return Projection(day, result, tuple(rows), future)
