"""The what-if of a scored result: rows, their changes and pieces, and the grade plan."""


from __future__ import annotations

import datetime as _dt
import decimal
import functools
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..dates import Month
from ..engine.evaluation import Result, evaluate
from ..errors import RubricError
from ..facts import MISSING, NOT_APPLICABLE, is_known
from ..text import fmt
from ..tree import Indicator, Ruleset
from .render import what_if_dict, what_if_text
from .search import TINY, Edges, RowModel, Span, inside, places, threshold

__all__ = ["Change", "GradePlan", "Piece", "RowWhatIf", "WhatIf", "grade_plan", "result_dict",
           "row_what_if", "what_if"]

ZERO = Decimal(0)
INF = Decimal("Infinity")


@attrs.frozen
class Change:
    """One fact changed: ``old`` → ``new`` gives the row ``points``.

    ``open``: the score is reached only strictly beyond ``new`` (more than / less than it);
    ``exact``: ``new`` is the threshold itself (false: rounded to ``RESOLUTION``);
    ``via``: the derived fact this given operand changes (None: a fact of the rule);
    ``high``: the row's high end when the change gives a range (the evaluator picks the
    score inside a band; ``points`` is then its low end), None when settled;
    ``part``: in a ``sum`` row, the part (from 1) whose ``part_target`` (its next band or
    its full marks, ``part_points`` its (low, high)) the change reaches.
    """

    fact: str
    old: object
    new: object
    points: Decimal
    target: str  # "next" (the next band) or "full" (full marks)
    open: bool = False
    exact: bool = True
    via: str | None = None
    via_value: object = None
    up: bool | None = None  # the fact rises (None: a state, not a number line)
    high: Decimal | None = None
    part: int | None = None
    part_target: str | None = None
    part_points: tuple[Decimal, Decimal] | None = None

    @property
    def span(self) -> Span:
        """The row's (low, high) with the change made."""
        return self.points, self.points if self.high is None else self.high

    @property
    def delta(self) -> Decimal | None:
        if type(self.new) is Decimal and type(self.old) is Decimal:
            return self.new - self.old
        if isinstance(self.new, _dt.date) and isinstance(self.old, _dt.date):
            return Decimal((self.new - self.old).days)
        return None

    def concrete(self) -> object:
        """A value that reaches ``points``: ``new``, or for an open bound the next value at
        the precision ``old`` and ``new`` are written in (``>90`` from 88: 91)."""
        if not self.open or type(self.new) is not Decimal:
            return self.new
        digits = max(places(self.new), places(self.old) if type(self.old) is Decimal else 0)
        step = Decimal(1).scaleb(-digits)
        return self.new + step if self.up else self.new - step


@attrs.frozen
class Piece:
    """Values of a missing fact (``values``: interval text or a value) and the row score."""

    fact: str
    values: str
    low: Decimal
    high: Decimal


@attrs.frozen
class RowWhatIf:
    """One row: its score, the changes that would raise it, or (facts missing) the pieces."""

    id: str
    name: str
    score: Decimal | None
    low: Decimal
    high: Decimal
    max_points: Decimal
    changes: tuple[Change, ...] = ()
    pieces: tuple[Piece, ...] = ()
    missing: tuple[str, ...] = ()


@attrs.frozen
class GradePlan:
    """A suggested set of row changes from ``total`` (``grade``) to ``threshold``
    (``next_grade``); ``reached``/``reached_grade``: the total those changes give, scored."""

    total: Decimal
    grade: str
    next_grade: str
    threshold: Decimal
    steps: tuple[tuple[str, Change], ...]
    reached: Decimal | None
    reached_grade: str | None

    @property
    def reachable(self) -> bool:
        return self.reached is not None and self.reached >= self.threshold


@attrs.frozen
class WhatIf:
    """``what_if(result)``: every row short of full marks, and the grade plan."""

    result: Result = attrs.field(repr=False)
    rows: tuple[RowWhatIf, ...]
    grade: GradePlan | None

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """JSON-ready, as documented in docs/result-format.md ("What if")."""
        return what_if_dict(self, lang)

    def text(self, lang: str = "zh") -> str:
        """The suggestions as lines of text in Chinese (``zh``) or English (``en``)."""
        return what_if_text(self, lang)


# ------------------------------------------------------------------------- one row


def _alternatives(ruleset: Ruleset, fact: str, old: object, hints: Edges) -> list[object]:
    spec = ruleset.specs[fact]
    if spec.type == "boolean":
        return [v for v in (True, False) if v is not old]
    if spec.type in ("category", "text"):
        states = list(spec.categories) or list(hints.texts.get(fact, []))
        return [v for v in states if v != old]
    return []


def _numeric(fact: str, ruleset: Ruleset, hints: Edges) -> tuple[
        Callable[[Decimal], object], Callable[[object], Decimal], list[Decimal], bool,
        Decimal | None, Decimal | None]:
    """How to search ``fact`` on a number line: to and from a value, edges, whole steps."""
    spec = ruleset.specs[fact]
    edges = hints.edges.get(fact, set())
    if spec.type == "date":
        def to_date(x: Decimal) -> object:
            try:
                return _dt.date.fromordinal(int(x.to_integral_value(decimal.ROUND_FLOOR)))
            except (ValueError, OverflowError):  # beyond the calendar: no value
                return MISSING

        def from_date(v: object) -> Decimal:
            if isinstance(v, Month):  # a completion month: from its last day
                v = v.last()
            return Decimal(v.toordinal()) if isinstance(v, _dt.date) else ZERO

        return to_date, from_date, [from_date(e) for e in edges], True, None, None
    nums = [e for e in edges if type(e) is Decimal]
    return ((lambda x: x), (lambda v: v if type(v) is Decimal else ZERO), nums,
            fact in hints.integral, hints.lo.get(fact, spec.minimum),
            hints.hi.get(fact, spec.maximum))


Measure = Callable[[str, object], "Span | None"]
Hit = Callable[["Span | None"], bool]


def _change(rw: RowModel, fact: str, old: object, hit: Hit, target: str, hints: Edges,
            measure: Measure, part: int | None = None) -> Change | None:
    """The smallest change of ``fact`` for which ``hit`` holds of ``measure`` (the row's
    (low, high), or a part's when ``part`` is given); the change carries the row's
    (low, high) with it made (and the part's)."""
    ruleset = rw.ruleset
    if ruleset.specs[fact].type in ("number", "date"):
        to, frm, edges, integral, lo, hi = _numeric(fact, ruleset, hints)

        def reaches(x: Decimal) -> bool:
            return hit(measure(fact, to(x)))

        start = frm(old)
        found = [(t, sign) for t, sign in
                 ((threshold(reaches, start, edges, lo, hi, sign, integral), sign)
                  for sign in (1, -1)) if t is not None]
        if not found:
            return None
        best, sign = min(found, key=lambda ts: abs(ts[0].value - start))
        new = to(best.value)
        at = to(best.value + sign * TINY) if best.open else new
        open_, exact, up = best.open, best.exact, sign > 0
    else:
        hits = [(got, v) for v in _alternatives(ruleset, fact, old, hints)
                if hit(measure(fact, v)) and (got := rw.outcome(fact, v)) is not None]
        if not hits:
            return None
        new = at = min(hits, key=lambda h: h[0])[1]
        open_, exact, up = False, True, None
    got = rw.outcome(fact, at)
    if got is None:
        return None
    of_part = measure(fact, at) if part is not None else None
    return Change(fact, old, new, got[0], target, open_, exact, up=up, high=_high(got),
                  part=part, part_target=target if part is not None else None,
                  part_points=of_part)


def _at_least(level: Span, got: Span | None) -> bool:
    return got is not None and got >= level


def _high(span: Span) -> Decimal | None:
    return None if span[0] == span[1] else span[1]


def _operand_changes(rw: RowModel, change: Change) -> list[Change]:
    """The same change made through each given operand of a derived fact, where that
    operand alone brings the derived fact exactly to the value needed (the others kept)."""
    ruleset = rw.ruleset
    name, needed = change.fact, change.new
    if name not in dict(ruleset.derived) or type(needed) is not Decimal:
        return []
    out = []
    for operand in ruleset.base_inputs((name,)):
        old = rw.given.get(operand, MISSING)
        if type(old) is not Decimal:
            continue
        spec = ruleset.specs[operand]
        up = type(change.old) is not Decimal or needed >= change.old

        def there(x: Decimal, operand: str = operand, up: bool = up) -> bool:
            got = rw.derived_value(name, operand, x)
            return type(got) is Decimal and (got >= needed if up else got <= needed)

        for sign in (1, -1):
            t = threshold(there, old, [], spec.minimum, spec.maximum, sign)
            if t is None or not t.exact or t.open:
                continue
            if rw.derived_value(name, operand, t.value) != needed:
                continue  # no value of this operand gives the derived fact exactly
            if not _verified(rw, operand, t.value, change.points, change.open, sign):
                continue
            out.append(Change(operand, old, t.value, change.points, change.target,
                              change.open, True, via=name, via_value=needed, up=sign > 0,
                              high=change.high))
            break
    return out


def _verified(rw: RowModel, fact: str, x: Decimal, points: Decimal, open_: bool,
              sign: int) -> bool:
    """Whether the row reaches ``points`` at ``x`` (closed) or only just past it (open)."""
    at = rw.score(fact, x)
    past = rw.score(fact, x + sign * TINY)
    if open_:
        return (at is None or at < points) and past is not None and past >= points
    return at is not None and at >= points


def _goals(achievable: Iterable[Decimal] | None, quantize: Callable[[Decimal], Decimal],
           spans: Callable[[], list[tuple[str, Span, bool]]], full: Decimal,
           current: Span) -> list[tuple[str, Hit]]:
    """What a change must reach: the next band above ``current`` and full marks.

    The next band is the lowest (low, high) above ``current`` among the kind's scores
    (``achievable``) or, when they are continuous, among the ranges one fact's values
    give (``spans``: a tier's band, a band's score range; used when the row is a range or
    one of them is). Full marks: the high end reaches ``full`` (the score inside a band is
    the evaluator's) while the row rises."""
    if achievable is not None:
        candidates = [(q, q) for q in (min(quantize(x), full) for x in achievable)]
    else:
        found = [s for _text, s, constant in spans() if constant]
        ranged = current[0] < current[1] or any(lo < hi for lo, hi in found)
        candidates = found if ranged else []
    above = sorted({c for c in candidates if c > current and c[1] < full})
    out: list[tuple[str, Hit]] = []
    if above:
        level = above[0]
        out.append(("next", lambda o: o is not None and o >= level))
    out.append(("full", lambda o: o is not None and o[1] >= full and o > current))
    return out


def _spans(rw: RowModel, fact: str, hints: Edges,
           measure: Measure) -> list[tuple[str, Span, bool]]:
    """Which values of ``fact`` give which (low, high): per value of a state, per stretch
    between breakpoints of a number (``constant``: every value there gives the same)."""
    ruleset = rw.ruleset
    alternatives = _alternatives(ruleset, fact, MISSING, hints)
    if alternatives:
        return [(_value_text(v), s, True) for v in alternatives
                if (s := measure(fact, v)) is not None]
    if ruleset.specs[fact].type not in ("number", "date"):
        return []
    to, _frm, edges, integral, lo, hi = _numeric(fact, ruleset, hints)
    within = sorted({e for e in edges if inside(e, lo, hi)})
    within = sorted({*within, *(b for b in (lo, hi) if b is not None)})
    if not within:
        return []
    scale = max([abs(e) for e in within] + [Decimal(1)]) * 1000
    left = lo if lo is not None else within[0] - scale
    right = hi if hi is not None else within[-1] + scale
    marks = sorted({left, *within, right})
    items: list[list[Any]] = []  # [lo, lo_closed, hi, hi_closed, low, high, constant]
    step = Decimal(1) if integral else TINY

    def add(a: Decimal, ac: bool, b: Decimal, bc: bool, samples: list[Decimal]) -> None:
        got = [s for s in (measure(fact, to(x)) for x in samples) if s is not None]
        if not got:
            return
        low, high = min(s[0] for s in got), max(s[1] for s in got)
        constant = len(set(got)) == 1
        last = items[-1] if items else None
        if (last is not None and last[6] and constant and last[4:6] == [low, high]
                and (last[3] or ac)):
            last[2:4] = [b, bc]
        else:
            items.append([a, ac, b, bc, low, high, constant])

    for i, m in enumerate(marks):
        if not (i == 0 and lo is None and m not in within):
            add(m, True, m, True, [m])
        if i + 1 < len(marks):
            nxt = marks[i + 1]
            inner = [x for x in (m + step, (m + nxt) / 2, nxt - step) if m < x < nxt]
            if integral:
                inner = sorted({x.to_integral_value(decimal.ROUND_FLOOR) for x in inner}
                               - {m, nxt})
                inner = [x for x in inner if m < x < nxt]
            if i == 0 and lo is None:
                add(-INF, False, nxt, False, [m, *inner])
            elif i + 2 == len(marks) and hi is None:
                add(m, False, INF, False, [*inner, nxt])
                break
            elif inner:
                add(m, False, nxt, False, inner)
    for i, it in enumerate(items):  # a point is a band only between constant stretches
        if it[0] == it[2]:
            it[6] = it[6] and all(o[6] for o in items[max(0, i - 1):i + 2])
    date = ruleset.specs[fact].type == "date"
    return [(_interval(*it[:4], date=date), (it[4], it[5]), it[6]) for it in items]


def _pieces(rw: RowModel, fact: str, hints: Edges) -> list[Piece]:
    """Which values of the missing ``fact`` give which scores (a range: its two ends)."""
    return [Piece(fact, text, lo, hi) for text, (lo, hi), _c in _spans(rw, fact, hints,
                                                                        rw.outcome)]


def _interval(a: Decimal, ac: bool, b: Decimal, bc: bool, *, date: bool) -> str:
    def show(x: Decimal) -> str:
        if date and x.is_finite():
            return _dt.date.fromordinal(int(x)).isoformat()
        return _value_text(x)

    if a == b:
        return "=" + show(a)
    if not a.is_finite():
        return ("≤" if bc else "<") + show(b)
    if not b.is_finite():
        return ("≥" if ac else ">") + show(a)
    return f"{'[' if ac else '('}{show(a)}, {show(b)}{']' if bc else ')'}"


def _value_text(v: object) -> str:
    return fmt(v)


def row_what_if(result: Result, row: Indicator) -> RowWhatIf | None:
    """The what-if of one row of ``result`` (None for a row not applicable)."""
    node = result[row.id]
    if not node.applicable:
        return None
    rw = RowModel(result, row)
    rule: Any = row.rule
    hints = Edges(rw.ruleset)
    rule.test_hints(hints, rw.ruleset.defaults)
    base = RowWhatIf(node.id, node.name, node.score, node.low, node.high, node.max_points,
                     missing=node.missing)
    unknown = [f for f in dict.fromkeys(rule.inputs)  # omit: facts a rule can do without
               if not is_known(result.value(f)) and f not in hints.omit]
    if unknown and node.low == node.high and not node.missing:
        return base  # settled by what was stated (an asserted 已完成): no number to move
    if unknown:  # a range, or (policy missing: zero) the worst value: show the pieces
        base = attrs.evolve(base, missing=node.missing or tuple(unknown))
        if len(unknown) == 1 and result.value(unknown[0]) is not NOT_APPLICABLE:
            return attrs.evolve(base, pieces=tuple(_pieces(rw, unknown[0], hints)))
        return base
    if node.missing:
        return base
    full = rw.quantize(min(rule.max_points, node.max_points))
    current: Span = (node.low, node.high)
    if node.high >= full:  # full marks (a range: the evaluator may give them)
        return base
    facts = [f for f in dict.fromkeys(rule.inputs) if is_known(result.value(f))]
    achievable = rule.achievable(rw.ruleset.defaults)
    goals = {f: _goals(achievable, rw.quantize,
                       functools.partial(_spans, rw, f, hints, rw.outcome),
                       full, current) for f in facts}
    changes: list[Change] = []
    for target in ("next", "full"):
        for fact in facts:
            for kind, hit in goals[fact]:
                if kind != target:
                    continue
                change = _change(rw, fact, result.value(fact), hit, target, hints, rw.outcome)
                if change is not None and change.span > current:
                    changes.append(change)
                    changes.extend(_operand_changes(rw, change))
    seen = {(c.fact, repr(c.new)) for c in changes}
    for change in _part_changes(rw, rule, full, current, hints):
        if (change.fact, repr(change.new)) not in seen:
            seen.add((change.fact, repr(change.new)))
            changes.append(change)
    return attrs.evolve(base, changes=tuple(changes))


def _part_changes(rw: RowModel, rule: Any, full: Decimal, current: Span,
                  hints: Edges) -> list[Change]:
    """A ``sum`` row, part by part: the smallest change of each of a part's facts that
    lifts the part to its next band or its full marks, where the row rises with it (and
    no smaller change gives the row as much: past its cap, the part's change is not the
    row's)."""
    parts = getattr(rule, "rules", None)
    if not parts:
        return []
    ruleset, out = rw.ruleset, []
    for number, part in enumerate(parts, start=1):
        prepared = part.prepare(ruleset.defaults, ruleset.domain)

        def measure(f: str, v: object, prepared: Any = prepared) -> Span | None:
            return rw.part_outcome(prepared, f, v)

        achievable = part.achievable(ruleset.defaults)
        for fact in dict.fromkeys(part.inputs):
            old = rw.result.value(fact)
            now = measure(fact, old) if is_known(old) else None
            if now is None or now[1] >= part.max_points:
                continue
            goals = _goals(achievable, lambda x: x,
                           functools.partial(_spans, rw, fact, hints, measure),
                           part.max_points, now)
            for target, hit in goals:
                change = _change(rw, fact, old, hit, target, hints, measure, part=number)
                if change is None or not change.span > current:
                    continue
                # the row must not reach as much sooner (its cap can make it)
                first = _change(rw, fact, old, functools.partial(_at_least, change.span),
                                target, hints, rw.outcome)
                if first is None or repr(first.new) != repr(change.new):
                    continue
                out.append(attrs.evolve(change, target="full" if change.span[1] >= full
                                        else "next"))
    return out


# ------------------------------------------------------------------------ the grade


def _cost(change: Change) -> Decimal:
    """How big a change is: relative to the old value (states and dates: 1)."""
    d = change.delta
    if d is None or isinstance(change.old, _dt.date):
        return Decimal(1)
    old = change.old
    return abs(d) / abs(old) if type(old) is Decimal and old else abs(d)


def grade_plan(result: Result, rows: tuple[RowWhatIf, ...]) -> GradePlan | None:
    """Row changes, taken greedily, that lift the settled total to the next grade."""
    ruleset = result.ruleset
    total = result.score
    if total is None or result.grade is None:
        return None
    policy = ruleset.policy
    better = [g for g in policy.grades if policy.grade_minimum(g) > total]
    if not better:
        return None
    goal = better[-1]
    goal_points = policy.grade_minimum(goal)
    derived = dict(ruleset.derived)
    facts: dict[str, object] = {k: _as_given(ruleset, k, v) for k, v in result.facts.items()
                                if v is not MISSING}
    options = [(r.id, c) for r in rows for c in r.changes if c.fact not in derived]
    steps: list[tuple[str, Change]] = []
    current = total
    reached: Decimal | None = total
    reached_grade: str | None = result.grade
    while current < goal_points:
        used_rows = {rid for rid, _c in steps}
        used_facts = {c.fact for _r, c in steps}
        scored = []
        for rid, change in options:
            if rid in used_rows or change.fact in used_facts:
                continue
            value = _as_given(ruleset, change.fact, change.concrete())
            trial = evaluate_safely(ruleset, {**facts, change.fact: value})
            if trial is not None and trial.score is not None and trial.score > current:
                scored.append((trial.score, _cost(change), rid, change))
        if not scored:
            break
        enough = [s for s in scored if s[0] >= goal_points]
        if enough:
            pick = min(enough, key=lambda s: s[1])
        else:
            pick = max(scored, key=lambda s: (s[0], -s[1]))
        score, _, rid, change = pick
        facts[change.fact] = _as_given(ruleset, change.fact, change.concrete())
        steps.append((rid, change))
        current = score
    final = evaluate_safely(ruleset, facts)
    if final is not None:
        reached, reached_grade = final.score, final.grade
    return GradePlan(total, result.grade, goal.name, goal_points, tuple(steps), reached,
                     reached_grade)


def _as_given(ruleset: Ruleset, name: str, value: object) -> object:
    """A value as it is given again: a % fact with its percent sign (a plain number could
    be read as a fraction)."""
    if type(value) is Decimal and ruleset.specs[name].unit in ("%", "percent"):
        return fmt(value) + "%"
    return value


def result_dict(result: Result, lang: str = "zh") -> dict[str, Any]:
    """``result.to_dict(lang)`` with its what-if under ``what_if`` (docs/result-format.md)."""
    return {**result.to_dict(lang), "what_if": what_if(result).to_dict(lang)}


def evaluate_safely(ruleset: Ruleset, facts: Mapping[str, object]) -> Result | None:
    try:
        return evaluate(ruleset, facts)
    except RubricError:
        return None


def what_if(result: Result) -> WhatIf:
    """What would it take: for every row short of full marks, the smallest change of each
    fact reaching the next band and full marks; for rows whose facts are missing, which
    values give which scores; and a suggested set of changes reaching the next grade."""
    rows = tuple(r for r in (row_what_if(result, row) for row in result.ruleset.indicators())
                 if r is not None)
    shown = tuple(r for r in rows if r.changes or r.pieces or r.missing
                  or r.high < r.max_points)
    return WhatIf(result, shown, grade_plan(result, rows))
