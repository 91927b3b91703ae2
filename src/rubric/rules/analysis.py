"""What a rule kind is given to analyse itself, be tested and be compiled: the shared
interfaces (``Analysis``, ``FactHints``, ``CodeWriter``) and interval helpers."""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from ..numbers import scaled_int
from ..policy import RuleDefaults
from ..text import fmt
from .base import INF, ZERO, BoundContext, DomainFn

if TYPE_CHECKING:
    from ..facts import FactSpec


class Interval(Protocol):
    """What ``bands_overlap`` and ``gaps`` read of a band."""

    @property
    def lower(self) -> Decimal | None: ...

    @property
    def upper(self) -> Decimal | None: ...

    @property
    def lower_closed(self) -> bool: ...

    @property
    def upper_closed(self) -> bool: ...

__all__ = [
    "EPSILON",
    "ONE",
    "Analysis",
    "CodeWriter",
    "FactHints",
    "against",
    "bands_overlap",
    "domain_text",
    "gaps",
    "hi_or_inf",
    "interval_text",
    "lo_or_inf",
    "probe_points",
    "sampled_range",
]

ONE = Decimal(1)
EPSILON = Decimal("1e-9")  # just inside an open end of an interval
CENT = Decimal("0.01")


class Analysis(Protocol):
    """What ``rubric check`` offers a rule while it analyses one row."""

    defaults: RuleDefaults

    def domain(self, name: str) -> tuple[Decimal | None, Decimal | None]: ...

    def spec(self, name: str) -> FactSpec: ...

    def report(self, severity: str, code: str, variant: str = "",
               key: str | tuple[str | int, ...] | None = None, **params: object) -> None:
        """A finding about this row (``error``, ``warning`` or ``note``): its stable
        ``code``, the ``variant`` of the code's message in the catalog
        (``rubric.verify.messages``, English and Chinese) and the message's ``params``
        (numbers, fact names, ranges; a fact's declaration prints its declared domain);
        ``key`` names the key of the rule at fault (``"floor"``, ``("tiers", 1)``) so that
        the finding points at its line."""

    def property_check(self, rule: Any = None, key: tuple[str | int, ...] = ()) -> None:
        """Ask for a property search of ``rule`` (a formula rule: the row's own, or a
        part of it at ``key``, e.g. ``("parts", 1)``)."""

    def check_formula_units(self, expression: str) -> None:
        """Ask for the dimensional analysis of a score formula."""

    def check_same_kind(self, a: str, b: str) -> None:
        """Ask that facts ``a`` and ``b`` be of one dimension (a ratio's two sides)."""


# ------------------------------------------------------------------------ intervals


def lo_or_inf(x: Decimal | None) -> Decimal:
    return -INF if x is None else x


def hi_or_inf(x: Decimal | None) -> Decimal:
    return INF if x is None else x


def interval_text(lo: Decimal, lo_closed: bool, hi: Decimal, hi_closed: bool) -> str:
    left = "[" if lo_closed and lo.is_finite() else "("
    right = "]" if hi_closed and hi.is_finite() else ")"
    return f"{left}{fmt(lo)}, {fmt(hi)}{right}"


def domain_text(lo: Decimal | None, hi: Decimal | None) -> str:
    return interval_text(lo_or_inf(lo), True, hi_or_inf(hi), True)


def probe_points(breaks: Sequence[Decimal], lo: Decimal | None, hi: Decimal | None
                 ) -> list[Decimal]:
    """Points that settle a piecewise-monotone function on [lo, hi] with these breaks.

    Every breakpoint inside the domain, the domain's ends (or a far point for an
    unbounded end), and a point just either side of each breakpoint (open ends).
    """
    finite = [b for b in breaks if b.is_finite()]
    span = max([abs(b) for b in finite] + [ONE]) * 1000
    low = lo if lo is not None else -span
    high = hi if hi is not None else span
    points = {low, high}
    for b in finite:
        for p in (b - EPSILON, b, b + EPSILON):
            if low <= p <= high:
                points.add(p)
    return sorted(points)


def against(points: Sequence[Decimal], direction: str) -> int | None:
    """Index i where points[i] -> points[i+1] contradicts ``direction``, else None."""
    if direction == "higher":
        return next((i for i in range(len(points) - 1) if points[i + 1] < points[i]), None)
    if direction == "lower":
        return next((i for i in range(len(points) - 1) if points[i + 1] > points[i]), None)
    if direction == "target":  # rises to a peak, then falls
        i = 0
        while i + 1 < len(points) and points[i + 1] >= points[i]:
            i += 1
        while i + 1 < len(points) and points[i + 1] <= points[i]:
            i += 1
        return i if i + 1 < len(points) else None
    return None


def bands_overlap(a: Interval, b: Interval) -> bool:
    lo_a, hi_a = lo_or_inf(a.lower), hi_or_inf(a.upper)
    lo_b, hi_b = lo_or_inf(b.lower), hi_or_inf(b.upper)
    if hi_a < lo_b or hi_b < lo_a:
        return False
    if hi_a == lo_b and not (a.upper_closed and b.lower_closed):
        return False
    return not (hi_b == lo_a and not (b.upper_closed and a.lower_closed))


def gaps(bands: Sequence[Interval], lo: Decimal | None, hi: Decimal | None) -> Iterator[str]:
    """Intervals of the closed domain [lo, hi] that no band covers, as text."""
    top = hi_or_inf(hi)
    v, need = lo_or_inf(lo), True  # everything below v is settled; is v itself uncovered?
    for band in sorted(bands, key=lambda b: (lo_or_inf(b.lower), not b.lower_closed)):
        # an unbounded end covers everything out there, whatever its closedness says
        start = lo_or_inf(band.lower)
        start_open = not band.lower_closed and band.lower is not None
        if v > top or (v == top and not need):
            return
        if v < start or (v == start and need and start_open):
            end, end_closed = (start, start_open) if start <= top else (top, True)
            if end > v or (end == v and need and end_closed):
                yield interval_text(v, need, end, end_closed)
        end, end_closed = hi_or_inf(band.upper), band.upper_closed or band.upper is None
        if end > v or (end == v and end_closed):
            v, need = end, not end_closed
    if v.is_finite() and (v < top or (v == top and need)):
        yield interval_text(v, need, top, True)


def sampled_range(rule: Any, samples: list[dict[str, object]], defaults: RuleDefaults,
                  domain: DomainFn) -> tuple[Decimal, Decimal]:
    """Lowest and highest score of ``rule`` over ``samples`` (values it rejects skipped)."""
    ctx = BoundContext(defaults, domain)
    scores = []
    for values in samples:
        try:
            out = rule.evaluate(values, ctx)
        except Exception:  # noqa: BLE001 - values a rule rejects are reported elsewhere
            continue
        if out.applicable:
            scores += [out.low, out.high]
    return (min(scores), max(scores)) if scores else (ZERO, ZERO)


# -------------------------------------------------------------------------- testing


class FactHints:
    """Per fact: its valid domain and the values worth probing, as the rules reading it
    say (``Rule.test_hints``); ``rubric.testing`` turns them into strategies."""

    def __init__(self, facts: Sequence[FactSpec]) -> None:
        self.points: dict[str, set[Any]] = {s.name: set() for s in facts}
        self.lo: dict[str, Decimal | None] = {s.name: s.minimum for s in facts}
        self.hi: dict[str, Decimal | None] = {s.name: s.maximum for s in facts}
        self.integral: set[str] = set()
        self.texts: dict[str, list[str]] = {}
        self.omit: set[str] = set()
        #: A chosen-tier fact -> (the points fact, the row's points, its tiers): drawn
        #: together, a tier and a score inside it (``Rule.test_hints`` of qualitative).
        self.tiered: dict[str, tuple[str, Decimal, tuple[Any, ...]]] = {}

    def tighten(self, name: str, lo: Decimal | None, hi: Decimal | None) -> None:
        """The rule accepts only values in [lo, hi] (None: unbounded)."""
        if lo is not None:
            cur = self.lo.get(name)
            self.lo[name] = lo if cur is None else max(cur, lo)
        if hi is not None:
            cur = self.hi.get(name)
            self.hi[name] = hi if cur is None else min(cur, hi)

    def near(self, name: str, *edges: Decimal | None) -> None:
        """Probe each edge and a little (0.01, 1) either side of it."""
        for edge in edges:
            if edge is not None and edge.is_finite():
                for delta in (ZERO, CENT, -CENT, ONE, -ONE):
                    self.points.setdefault(name, set()).add(edge + delta)

    def add(self, name: str, value: Any) -> None:
        """Probe exactly this value (a date, say)."""
        self.points.setdefault(name, set()).add(value)


# ------------------------------------------------------------------------ compiling


class CodeWriter:
    """Source text of the compiled scores function, with its constants by name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {}
        #: facts the function holds in a local of a known kind: name -> (local, kind),
        #: kind "number" (a finite Decimal), "count" (an ``int`` within rubric's limits
        #: and the fact's domain, or a finite Decimal), "boolean" (True or False), "date"
        #: (a ``datetime.date``) or "text" (a str); the others are read from ``v``. A row
        #: reads a "count" as a number: before its code ``engine.compiled`` converts an
        #: int to Decimal, unless the row's code reads the fact as either (``int_read``)
        self.known: dict[str, tuple[str, str]] = {}
        #: derived facts held in a local, with the local that is True when it is finite
        #: (False for 0/0 and x/0)
        self.finite: dict[str, str] = {}
        #: the "count" facts the row being written reads as an int or a Decimal itself
        self.int_read: set[str] = set()
        #: the decimal context the function computes in (``engine.compiled``), for
        #: constants computed as the function would compute them; None elsewhere
        self.context: Any = None
        #: while one row's rule is written (``engine.compiled``), that row's 分值 and its
        #: rounding: ``rounding(values, cap)`` is the values summed from 0 in order,
        #: capped at ``cap`` when given, and rounded as evaluation rounds a row, in its
        #: decimal context. A rule that writes its score capped and rounded itself sets
        #: ``settled``. None elsewhere (the loop form, the parts of a composite rule).
        self.cap: Decimal | None = None
        self.rounding: Callable[[Sequence[Decimal], Decimal | None], Decimal] | None = None
        self.settled = False

    def const(self, value: Any) -> str:
        """A name bound to ``value`` in the compiled function's namespace."""
        name = f"c{len(self.consts)}"
        self.consts[name] = value
        return name

    def settle(self, *values: Decimal) -> Decimal | None:
        """The row's score of these constants summed, capped at its 分值 and rounded, as
        evaluation computes it; None when no row is being settled or that raises."""
        if self.rounding is None or self.cap is None:
            return None
        try:
            return self.rounding(values, self.cap)
        except ArithmeticError:
            return None

    def exact(self, value: Decimal) -> Decimal | None:
        """``value`` rounded as a row is (no cap) when that loses nothing (the same
        number, written to the rounding's places), else None."""
        if self.rounding is None:
            return None
        try:
            rounded = self.rounding((value,), None)
        except ArithmeticError:
            return None
        return rounded if rounded == value else None

    def computed(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        """``fn(arg)`` computed in the function's decimal context (``context``, which
        must be set), as the function would compute it."""
        with decimal.localcontext(self.context):
            return fn(arg)

    def emit(self, line: str, depth: int = 1) -> None:
        self.lines.append("    " * depth + line)

    def read(self, fact: str, into: str = "x") -> str:
        """The name of a fact's value: its local when known, else ``into``, read from the
        values mapping ``v`` by an emitted line."""
        known = self.known.get(fact)
        if known is not None:
            return known[0]
        self.emit(f"{into} = v.get({fact!r})")
        return into

    def value(self, fact: str) -> str:
        """An expression of a fact's value (None when not given): its local when known."""
        known = self.known.get(fact)
        return known[0] if known is not None else f"v.get({fact!r})"

    def typed(self, fact: str, kind: str) -> bool:
        """Whether the fact's value is a local known to be of ``kind`` (``known``): the
        code then needs no test of its type. A "count" is a "number" to a row's code
        (converted before it unless the row reads it as an int too, ``may_be_int``)."""
        known = self.known.get(fact)
        if known is None:
            return False
        return known[1] == kind or (kind == "number" and known[1] == "count")

    def may_be_int(self, fact: str) -> bool:
        """Whether the fact's local may hold an ``int`` (kind "count"): a row's code that
        reads it as an int or a finite Decimal says so in ``int_read``."""
        known = self.known.get(fact)
        return known is not None and known[1] == "count"

    def int_steps(self, out: str, fact: tuple[str, str, str],
                  steps: tuple[Decimal, Decimal, Decimal],
                  score: Callable[[int], Decimal | None],
                  settled: tuple[Decimal, Decimal]) -> bool:
        """``if type(x) is int:`` a row of whole steps in int arithmetic, then ``else:``
        (the caller's Decimal code follows, indented one level more); False, nothing
        emitted, unless the fact's local may hold an int (kind "count": within ±10^18,
        ``compiled_facts.write_int_read``) and the arithmetic below is exact.

        ``fact``: the fact, its local ``x`` and the side (``below``, ``above`` or
        ``both``); ``steps``: the target ``t``, the tolerance ``tol`` and the step, the
        Decimal code's constants; ``score(n)``: the row's settled score after ``n``
        whole steps (``n >= 0``), as the Decimal code computes it, None for the settled
        floor (``settled[1]``; then for every larger ``n`` too); ``settled[0]``: the
        settled full points. The Decimal code this stands for: ``d`` (``t - x``, ``x -
        t`` or ``|x - t|``, 0 on the other side); ``d <= tol`` (written ``x >= t`` or
        ``x <= t`` when ``tol`` is 0 and one side counts): full; else ``n = (d - tol)
        // step``, the score of ``n`` steps.

        Why the scores are the same. With ``Q = 10^k`` (``k``: the most places of
        ``t``, ``tol`` and the step, at most 12), ``t·Q``, ``tol·Q``, ``step·Q`` are
        ints; for an int ``x``, the Decimal ``d`` times Q is the int ``D`` of the same
        expression over ``x·Q`` and ``t·Q``, exactly: every Decimal there is a multiple
        of 10^-k under 2·10^18 + |t| + tol (t and tol within 10^18) in magnitude, so of
        at most 31 digits, and none of the context's 34 rounds. Then ``d <= tol``
        exactly when ``D <= tol·Q``, and the divide-integer of the positive ``d - tol``
        by the step, its floor (exact, and never raising, below 10^30 steps, which the
        bound on the step ensures), is ``(D - tol·Q) // (step·Q)``. When ``t`` and
        ``tol`` are whole, ``D`` is taken in whole units, and the step as its fraction
        in lowest terms ``p/q``: ``(D - tol) * q // p``, the same floor. The score
        depends on ``n`` alone: each is computed once (``computed``) into a table, as
        long as the scores stay above the floor (at most ``INT_TABLE``)."""
        name, x, side = fact
        target, tol, step = steps
        full, floor = settled
        if not self.may_be_int(name) or self.context is None:
            return False
        if not (target.is_finite() and tol.is_finite() and step.is_finite() and step > 0
                and tol >= 0 and abs(target) <= _LIMIT and tol <= _LIMIT):
            return False
        k = max(0, -int(target.as_tuple().exponent), -int(tol.as_tuple().exponent),
                -int(step.as_tuple().exponent))
        if k > 12 or (2 * _LIMIT + abs(target) + tol) / step >= _STEPS_LIMIT:
            return False
        table: list[Decimal] = []
        while len(table) <= INT_TABLE:
            value = self.computed(score, len(table))
            if value is None:
                break
            table.append(value)
        else:
            return False
        if target == target.to_integral_value() and tol == tol.to_integral_value():
            xq, t_q, tol_q = x, int(target), int(tol)
            step_q, denominator = step.as_integer_ratio()
            times = "" if denominator == 1 else f" * {denominator}"
        else:  # in units of 10^-k
            t_q, tol_q, step_q = (scaled_int(v, k) for v in (target, tol, step))
            xq, times = f"{x} * {10 ** k}", ""
        self.int_read.add(name)
        self.emit(f"if type({x}) is int:")
        if tol == 0 and side != "both":
            below = side == "below"
            self.emit(f"if {xq} {'>=' if below else '<='} {t_q}: {out} = {self.const(full)}",
                      2)
            deviation = f"{t_q} - {xq}" if below else f"{xq} - {t_q}"
        else:
            if side == "below":
                self.emit(f"d = {t_q} - {xq} if {xq} < {t_q} else 0", 2)
            elif side == "above":
                self.emit(f"d = {xq} - {t_q} if {xq} > {t_q} else 0", 2)
            else:
                self.emit(f"d = abs({xq} - {t_q})", 2)
            self.emit(f"if d <= {tol_q}: {out} = {self.const(full)}", 2)
            deviation = "d" if tol_q == 0 else f"d - {tol_q}"
        self.emit("else:", 2)
        count = f"({deviation}){times}" + (f" // {step_q}" if step_q != 1 else "")
        self.emit(f"n = {count}", 3)
        self.emit(f"{out} = {self.const(tuple(table))}[n] if n < {len(table)} "
                  f"else {self.const(floor)}", 3)
        self.emit("else:")
        return True


#: the largest table of scores ``CodeWriter.int_steps`` writes (one per whole step)
INT_TABLE = 256
_LIMIT = Decimal(10) ** 18
_STEPS_LIMIT = Decimal(10) ** 30
