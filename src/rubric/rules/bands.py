"""Bands (区间): a fact's value falls in one of several intervals, each worth fixed points.

Method 1/1b of real tables: "预算调整率=0, 计5分; 0-10%(含), 计4分; …; 大于30%不得分".
A band may instead set a score range the evaluator picks within ("到位率50%以上(7分到9分)":
``points_max``); the row is then that range, and the claimed score is checked by audit.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ..errors import EvaluationError, RulesetError
from ..facts import MISSING, NOT_APPLICABLE
from ..policy import RuleDefaults
from ..states import Asserted
from ..text import fmt
from ..trace import Step, Value, template_step
from .analysis import (
    Analysis,
    CodeWriter,
    FactHints,
    against,
    bands_overlap,
    gaps,
    interval_text,
    lo_or_inf,
)
from .base import (
    DIRECTION,
    INF,
    ZERO,
    ChosenRange,
    Context,
    DomainFn,
    OneFact,
    Outcome,
    Prepared,
    Statement,
    asserted_range,
    asserted_reader,
    check_direction,
    dec,
    list_schema,
    non_empty,
    non_negative,
    not_applicable,
    one_fact_schema,
    opt_dec,
    unknown,
)
from .composite import Then, ThenStep, then_field

__all__ = ["Band", "BandStep", "Bands"]


@attrs.frozen
class Band:
    """An interval of a fact's value and the points it earns.

    ``None`` bounds are unbounded. ``lower == upper`` with both ends closed is a point
    band (``预算调整率=0``). ``含`` in a table closes the end it is written at. With
    ``points_max`` the band sets a score range, ``points``-``points_max``, which the
    evaluator picks within (7分到9分: ``Band(7, 50, points_max=9)``).
    """

    points: Decimal = attrs.field(converter=dec, validator=non_negative)
    lower: Decimal | None = attrs.field(default=None, converter=opt_dec)
    upper: Decimal | None = attrs.field(default=None, converter=opt_dec)
    lower_closed: bool = True
    upper_closed: bool = False
    points_max: Decimal | None = attrs.field(default=None, converter=opt_dec)
    then: Then | None = attrs.field(default=None, converter=then_field)

    def __attrs_post_init__(self) -> None:
        if self.then is not None:
            if self.points_max is not None:
                raise RulesetError(f"band {self.label()}: a band sets a score range or a "
                                   "deduction (then), not both", example="points: 8, then: "
                                   "{step: 1, per_step: 0.5}")
            if self.lower is not None or self.upper is not None:
                self.then.origin(self.lower, self.upper)
        if self.points_max is not None and self.points_max < self.points:
            raise RulesetError(f"band {self.label()}: the score range {self.points}-"
                               f"{self.points_max} runs downwards", expected="the low score "
                               "first, then the high one", example="points: [7, 9]")
        lo, hi = self.lower, self.upper
        if lo is not None and hi is not None:
            if lo > hi:
                raise RulesetError(f"band {self.label()}: lower {lo} is above upper {hi}",
                                   expected="lower <= upper", example="lower: 0, upper: 10")
            if lo == hi and not (self.lower_closed and self.upper_closed):
                raise RulesetError(f"band {self.label()} is empty",
                                   expected="a point band closed at both ends", example="equals: 0")

    @property
    def top(self) -> Decimal:
        """The most points the band gives (``points_max`` of a score range)."""
        return self.points if self.points_max is None else self.points_max

    @property
    def bottom(self) -> Decimal:
        """The fewest points the band gives (the floor of a deduction inside it)."""
        return self.points if self.then is None else min(self.points, self.then.floor)

    @property
    def is_point(self) -> bool:
        return self.lower is not None and self.lower == self.upper

    def contains(self, x: Decimal) -> bool:
        lo, hi = self.lower, self.upper
        if lo is not None and (x < lo or (x == lo and not self.lower_closed)):
            return False
        return not (hi is not None and (x > hi or (x == hi and not self.upper_closed)))

    def intersects(self, lo: Decimal | None, hi: Decimal | None) -> bool:
        """Whether any value of the closed interval [lo, hi] falls in this band."""
        blo, bhi = self.lower, self.upper
        if (hi is not None and blo is not None
                and (hi < blo or (hi == blo and not self.lower_closed))):
            return False
        return not (lo is not None and bhi is not None
                    and (lo > bhi or (lo == bhi and not self.upper_closed)))

    def label(self) -> str:
        """The band as interval text: ``=0``, ``(0, 10]``, ``≤100``, ``>130``."""
        return self._label

    @functools.cached_property
    def _label(self) -> str:
        if self.is_point:
            return f"={fmt(self.lower)}"
        if self.lower is None and self.upper is None:
            return "任意值"
        if self.lower is None:
            return ("≤" if self.upper_closed else "<") + fmt(self.upper)
        if self.upper is None:
            return ("≥" if self.lower_closed else ">") + fmt(self.lower)
        return (
            ("[" if self.lower_closed else "(")
            + f"{fmt(self.lower)}, {fmt(self.upper)}"
            + ("]" if self.upper_closed else ")")
        )


def _bands(value: object) -> tuple[Band, ...]:
    bands: tuple[Band, ...] = non_empty(
        value, "bands", "band", "- {lower: 0, upper: 10, upper_closed: true, points: 4}",
        each=(lambda band: isinstance(band, Band), "a Band", "Band(4, 0, 10)"))
    # Bands may be listed from the lowest values up or, as Chinese criteria list them,
    # from the best (highest) down: one way throughout. Check them in ascending order,
    # naming each band by its index as written.
    n = len(bands)
    first = -INF if bands[0].lower is None else bands[0].lower
    last = -INF if bands[-1].lower is None else bands[-1].lower
    index = list(range(n))
    if n > 1 and first > last:
        index.reverse()
    for k, (a, b) in enumerate(itertools.pairwise([bands[j] for j in index]), start=1):
        ia, i = index[k - 1], index[k]
        a_lo = -INF if a.lower is None else a.lower
        b_lo = -INF if b.lower is None else b.lower
        if b_lo < a_lo or (b_lo == a_lo and not a.is_point):
            common = _common(a, b)
            if common is not None:  # ">120" typed for ">130" after (120, 130]: an overlap
                raise RulesetError(
                    f"bands[{ia}] {a.label()} and bands[{i}] {b.label()} overlap on {common}",
                    expected="each value in at most one band; 含 closes only one of two "
                             "touching ends",
                    example="(120, 130] then >130",
                )
            raise RulesetError(
                f"bands[{i}] {b.label()} is out of order after bands[{ia}] {a.label()}",
                expected="bands sorted one way: from the lowest values up, or from the "
                         "highest down",
                example="=0; (0, 10]; (10, 20]  or  >20; (10, 20]; (0, 10]; =0",
            )
        a_hi = INF if a.upper is None else a.upper
        if a_hi > b_lo or (a_hi == b_lo and a.upper_closed and b.lower_closed):
            common = _common(a, b)
            raise RulesetError(
                f"bands[{ia}] {a.label()} and bands[{i}] {b.label()} overlap"
                + (f" on {common}" if common else ""),
                expected="each value in at most one band; 含 closes only one of two touching ends",
                example="(0, 10] then (10, 20]",
            )
    return bands


def _common(a: Band, b: Band) -> str | None:
    """The values two bands share, as interval text; None when they share none."""
    # the higher lower end (an open one is the higher of two equal ends) and the lower
    # upper end (an open one is the lower of two equal ends)
    lo, lo_open = max((-INF if x.lower is None else x.lower, not x.lower_closed)
                      for x in (a, b))
    hi, hi_closed = min((INF if x.upper is None else x.upper, x.upper_closed)
                        for x in (a, b))
    if lo > hi or (lo == hi and (lo_open or not hi_closed)):
        return None
    return interval_text(lo, not lo_open, hi, hi_closed)


BandStep = template_step("BandStep", "band", "band points", module=__name__,
                         doc="The band the value fell in and its points.",
                         zh="落在区间 {band}，计 {points} 分",
                         en="falls in band {band}: {points} points")


@attrs.frozen
class Bands(OneFact):
    """Method 1/1b: the value falls in one of several intervals, each worth fixed points."""

    kind: ClassVar[str] = "bands"
    SCHEMA: ClassVar[dict[str, Any]] = one_fact_schema(
        kind, ("Method 1: the fact falls in one of several intervals, each "
         "worth fixed points."),
        {
            "bands": list_schema(
                "Bands sorted one way (from the lowest values up, or from the highest down); "
                "each value in at most one band.", {"$ref": "#/$defs/band"}),
            "direction": DIRECTION,
        },
        required=("bands",))
    STEPS: ClassVar[tuple[type[Step], ...]] = (BandStep, ChosenRange, ThenStep)
    fact: str
    bands: tuple[Band, ...] = attrs.field(converter=_bands)
    direction: str = attrs.field(default="none", validator=check_direction)

    @property
    def max_points(self) -> Decimal:
        return max(b.top for b in self.bands)

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        return self.prepare(ctx.defaults, ctx.domain)(values)

    def prepare(self, defaults: RuleDefaults, domain: DomainFn) -> Prepared:
        """Resolve everything once; the closure only compares."""
        fact = self.fact
        table = tuple(
            # An unbounded end holds ±Infinity (x/0 is an unbounded overrun).
            (-INF if b.lower is None else b.lower, b.lower_closed or b.lower is None,
             INF if b.upper is None else b.upper, b.upper_closed or b.upper is None,
             b.points, BandStep(b, b.points) if b.points_max is None
             else ChosenRange("band", b.label(), b.points, b.points_max),
             None if b.then is None else (b.then, *b.then.origin(b.lower, b.upper)))
            for b in self.bands
        )
        partial = defaults.partial
        lo, hi = domain(fact)
        reachable = [b for b in self.bands if b.intersects(lo, hi)]
        low = min((b.bottom for b in reachable), default=ZERO)
        high = max((b.top for b in reachable), default=ZERO)
        bands = self.bands  # their labels only for the error: built when it is raised
        new, outcome_, value_ = tuple.__new__, Outcome, Value  # hot: no constructor calls

        def run(values: Mapping[str, object]) -> Outcome:
            x = values.get(fact, MISSING)
            if type(x) is Decimal:
                for blo, lc, bhi, hc, pts, step, then in table:
                    if (x > blo or (lc and x == blo)) and (x < bhi or (hc and x == bhi)):
                        if then is not None:  # a base, then a deduction inside the band
                            rule, start, origin = then
                            distance = x - origin if start == "lower" else origin - x
                            steps, left = rule.score(pts, distance, rule.partial or partial)
                            return Outcome(left, left, (Value(fact, x), step, ThenStep(
                                origin, distance, steps, rule.per_step, left)))
                        top = step.high if type(step) is ChosenRange else pts
                        return new(outcome_, (pts, top, (new(value_, ("value", fact, x)), step),
                                              (), (), True))
                raise EvaluationError(f"{fact} = {x} falls in no band",
                                      expected="a value inside one of "
                                      + "; ".join(b.label() for b in bands))
            if x is NOT_APPLICABLE:
                return not_applicable(fact)
            if type(x) is Asserted:
                return asserted(x)
            return unknown(fact, x, low, high)

        asserted = self._asserted_reader(domain)
        return run

    def _asserted_reader(self, domain: DomainFn) -> Callable[[Asserted], Outcome]:
        """What an asserted state scores: met is the band of full marks (the highest
        points a value in the domain can reach); not met and partly met are the other
        bands, settled when they all give one score (the lowest), else a range; an echo
        is met only when it states the one band of full marks (``≥90`` for a top band
        ``[90, +∞)``), else a range over every band."""
        fact = self.fact
        lo, hi = domain(fact)
        reachable = [b for b in self.bands if b.intersects(lo, hi)] or list(self.bands)
        if any(b.points_max is not None or b.then is not None for b in reachable):
            span = (min(b.bottom for b in reachable), max(b.top for b in reachable))
            return lambda value: asserted_range(fact, value, *span, "band_unknown")
        top = max(b.points for b in reachable)
        best = [b for b in reachable if b.points == top]
        others = sorted({b.points for b in reachable if b.points != top})
        every = (min(b.points for b in reachable), top)
        statement: Statement = None
        if len(best) == 1:
            band = best[0]
            if band.upper is None and band.lower is not None:
                statement = ("≥" if band.lower_closed else ">", band.lower)
            elif band.lower is None and band.upper is not None:
                statement = ("≤" if band.upper_closed else "<", band.upper)

        return asserted_reader(fact, statement, top, "best_band", every,
                               (others[0], others[-1]) if others else None, "band_unknown")

    # -- verification, testing, audit, compiling -------------------------------------

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        """Overlaps, unreachable bands, gaps in the domain and direction."""
        lo, hi = an.domain(self.fact)
        dom = an.spec(self.fact)  # its declared domain, as the message prints it
        bands = self.bands
        for i, a in enumerate(bands):
            for j in range(i + 1, len(bands)):
                b = bands[j]
                if bands_overlap(a, b):
                    an.report("error", "band-overlap", i=i, a=a.label(), j=j, b=b.label())
        reachable: list[tuple[int, Band]] = []
        for i, band in enumerate(bands):
            if band.intersects(lo, hi):
                reachable.append((i, band))
            else:
                an.report("error", "band-unreachable", i=i, band=band.label(),
                          points=band.points, fact=self.fact, domain=dom)
        for gap in gaps(bands, lo, hi):
            an.report("error", "band-gap", fact=self.fact, gap=gap, domain=dom)
        # the direction is read from the lowest values up, however the bands are listed
        reachable.sort(key=lambda ib: (lo_or_inf(ib[1].lower), not ib[1].lower_closed))
        points = [b.points for _i, b in reachable]
        if not points:
            return ZERO, ZERO
        tops = [b.top for _i, b in reachable]
        bad = against(points, self.direction)
        if bad is None and tops != points:  # a score range: its high end moves too
            self._analyse_tops(an, reachable, tops)
        ends = self._then_ends(an, reachable, lo, hi)
        if ends:
            points = [*points, *ends]
        if bad is not None:
            (i, a), (j, b) = reachable[bad], reachable[bad + 1]
            verb = "rise" if b.points > a.points else "fall"
            an.report("error", "direction", verb, p1=a.points, i=i, a=a.label(), p2=b.points,
                      j=j, b=b.label(), fact=self.fact, direction=self.direction)
        return min(points), max(tops)

    def _then_ends(self, an: Analysis, reachable: list[tuple[int, Band]],
                   lo: Decimal | None, hi: Decimal | None) -> list[Decimal]:
        """The points a deduction inside a band leaves at the band's far end (in the
        declared domain), and its direction: the points fall away from the band's start,
        so a row of direction ``higher`` must count from the upper end, ``lower`` from
        the lower end."""
        ends = []
        for i, band in reachable:
            if band.then is None:
                continue
            start, origin = band.then.origin(band.lower, band.upper)
            far = (band.upper if band.upper is not None else hi) if start == "lower" else (
                band.lower if band.lower is not None else lo)
            partial = band.then.partial or an.defaults.partial
            end = band.then.floor if far is None else band.then.score(
                band.points, abs(far - origin), partial)[1]
            ends.append(end)
            wrong = {"higher": "lower", "lower": "upper"}.get(self.direction)
            if start == wrong and end < band.points:
                an.report("error", "direction", f"then-{start}", key=("bands", i), i=i,
                          a=band.label(), fact=self.fact, direction=self.direction)
        return ends

    def _analyse_tops(self, an: Analysis, reachable: list[tuple[int, Band]],
                      tops: list[Decimal]) -> None:
        """The high ends of score ranges must move in the rule's direction too."""
        bad = against(tops, self.direction)
        if bad is None:
            return
        (i, a), (j, b) = reachable[bad], reachable[bad + 1]
        verb = "rise" if b.top > a.top else "fall"
        an.report("error", "direction", f"top-{verb}", p1=a.top, i=i, a=a.label(), p2=b.top,
                  j=j, b=b.label(), fact=self.fact, direction=self.direction)

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        for band in self.bands:
            hints.near(self.fact, band.lower, band.upper)
            if band.then is not None and (band.lower is not None or band.upper is not None):
                start, origin = band.then.origin(band.lower, band.upper)
                way = band.then.step if start == "lower" else -band.then.step
                hints.near(self.fact, origin + way, origin + 2 * way)

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        """The bands' points (and what whole steps of a deduction inside one leave); None
        when a band sets a score range or deducts partial steps pro rata (continuous)."""
        out: list[Decimal] = []
        for b in self.bands:
            if b.points_max is not None:
                return None
            out.append(b.points)
            if b.then is not None:
                if (b.then.partial or defaults.partial) == "proportional":
                    return None
                out.extend(max(b.then.floor, b.points - k * b.then.per_step) for k in range(
                    1, min(1000, int((b.points - b.then.floor) / b.then.per_step) + 2)))
        return out

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        """A comparison chain; no band (an error) returns None for the general path.
        A band setting a score range or a deduction falls back to the prepared rule."""
        if any(b.points_max is not None or b.then is not None for b in self.bands):
            return False
        x = code.read(self.fact)
        if not code.typed(self.fact, "number"):
            code.emit(f"if type({x}) is not D: return None")
        chain = _contiguous(self.bands)
        if chain is not None:
            _write_chain(code, x, out, chain)
            return True
        first = True
        for band in self.bands:
            parts = []
            if band.lower is not None:
                op = ">=" if band.lower_closed else ">"
                parts.append(f"{x} {op} {code.const(band.lower)}")
            if band.upper is not None:
                op = "<=" if band.upper_closed else "<"
                parts.append(f"{x} {op} {code.const(band.upper)}")
            cond = " and ".join(parts) or "True"
            code.emit(f"{'if' if first else 'elif'} {cond}: {out} = {code.const(band.points)}")
            first = False
        code.emit("else: return None")  # no band: evaluate raises the located error
        return True


def _contiguous(bands: Sequence[Band]) -> list[Band] | None:
    """The bands from the lowest up when they cover one interval without a gap or an
    overlap (each ends where the next begins, exactly one of the two closed there; none
    empty), in the order written or its reverse; else None."""
    for order in (list(bands), list(reversed(bands))):
        if all(a.upper is not None and a.upper == b.lower and a.upper_closed != b.lower_closed
               for a, b in itertools.pairwise(order)) and all(
                   b.lower is None or b.upper is None or b.lower < b.upper
                   or (b.lower == b.upper and b.lower_closed and b.upper_closed)
                   for b in order):
            return order
    return None


def _write_chain(code: CodeWriter, x: str, out: str, chain: list[Band]) -> None:
    """The band of ``x`` among contiguous bands (``_contiguous``) by one comparison per
    band: below the lowest, none; then the first whose upper end ``x`` does not pass.
    The bands do not overlap, so it is the one band the written tests pick."""
    low = chain[0]
    if low.lower is not None:
        code.emit(f"if {x} {'<' if low.lower_closed else '<='} {code.const(low.lower)}: "
                  "return None")  # no band: evaluate raises the located error
    for i, band in enumerate(chain):
        points = code.const(band.points)
        if band.upper is None:  # the last band, open above
            code.emit(f"else: {out} = {points}" if i else f"{out} = {points}")
            return
        test = f"{x} {'<=' if band.upper_closed else '<'} {code.const(band.upper)}"
        code.emit(f"{'elif' if i else 'if'} {test}: {out} = {points}")
    code.emit("else: return None")  # above the highest band
