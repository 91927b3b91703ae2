"""Ruleset policy: rounding, grades, and the defaults for every ambiguous reading.

Each option below settles one ambiguity of domain.md §3. A rule may override the
rule-level ones (``step_basis``, ``partial``, ``boundary``, ``zero_over_zero``,
``overachievement_warn``, ``deadline_inclusive``, ``deadline_month_reading``); the
reading actually applied is recorded in every row's explanation.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

import attrs

from .errors import RulesetError
from .facts import PERCENT_NUMBERS

#: the context a definition's own constants are computed in (a grade's minimum in points,
#: a relative step's size, the compiled scores function's constants): Python's default
#: context (28 digits, half-even), whatever context the caller runs in, so that a
#: ruleset scores alike under a caller's ``decimal.localcontext`` and without one
DEFINITION_CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN,
                                     Emin=-999999, Emax=999999,
                                     traps=[decimal.InvalidOperation, decimal.DivisionByZero,
                                            decimal.Overflow])

__all__ = ["DEFAULT_GRADES", "Grade", "Policy", "RuleDefaults"]

ROUNDING_MODES = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}
STEP_BASES = ("relative", "absolute")
PARTIALS = ("floor", "ceil", "proportional")
BOUNDARIES = ("counts", "excludes")
ZERO_OVER_ZERO = ("full", "zero", "undefined", "by_direction")
NOT_APPLICABLE = ("renormalise", "redistribute")
MISSING = ("range", "zero")
GRADE_BASES = ("percent", "points")  # what a grade's minimum is measured in
MONTH_READINGS = ("end", "start")


def _choice(name: str, allowed: tuple[str, ...], example: str | None = None):  # type: ignore[no-untyped-def]
    def check(_inst: object, _attr: object, value: object) -> None:
        if value not in allowed:
            raise RulesetError(
                f"{name}: '{value}' is not a known reading",
                expected="one of " + ", ".join(allowed),
                example=f"{name}: {example or allowed[0]}",
            )

    return check


def _dec(value: object) -> Decimal:
    from .facts import to_decimal

    return to_decimal(value)


def _opt_dec(value: object) -> Decimal | None:
    return None if value is None else _dec(value)


@attrs.frozen
class RuleDefaults:
    """Ruleset-wide defaults for the per-rule readings of domain.md §3.

    - ``step_basis``: ``relative`` — "每少10%" is 10% *of the target* (§3.1);
      ``absolute`` — steps in the fact's own unit (percentage points on a rate).
    - ``partial``: ``floor`` — only whole steps deduct (100.5% against 每超过一个百分点
      deducts 0); ``ceil`` — a started step deducts; ``proportional`` — fractions (§3.2).
    - ``boundary``: ``counts`` — a deviation exactly k steps deducts k steps;
      ``excludes`` — "每超过" must be exceeded, so exactly k steps deducts k-1 (§3.2).
    - ``zero_over_zero``: ``full`` — nothing budgeted and nothing spent meets the
      standard; ``zero`` — scores 0; ``undefined`` — treated as missing (a range);
      ``by_direction`` (the default) — by the rule's direction: a lower-is-better rate
      (控制率, direction ``lower``) is met by spending nothing (``full``), a
      higher-is-better rate (执行率/完成率, ``higher``) and a target or undirected one
      are ``undefined`` (§3.6). See :func:`zero_over_zero_reading`.
    - ``overachievement_warn``: warn (never deduct) when actual/target exceeds this
      ratio; ``None`` turns the warning off (§3.8).
    - ``deadline_inclusive``: "12月31日前" includes the day itself (§3.10).
    - ``deadline_month_reading``: a deadline given as a month ("7月前", ``2023-07``):
      ``end`` — by the end of that month (2023-07-31); ``start`` — before the month
      begins (2023-06-30) (§3.10). A rule's ``month_reading`` wins.
    - ``deadline_year``: the year of a deadline month written without one (``7月``);
      ``None`` (the default) takes ``metadata.fiscal_year``, and a ruleset with neither
      refuses such a deadline at load.
    - ``percent_numbers``: how a plain number given for a % fact is read: ``percent`` —
      0.925 is 0.925 % (a value in (0, 1] of a fact that can reach 100 % is kept, with a
      warning that it looks like a fraction); ``fraction`` — 0.925 is 92.5 %; ``error`` —
      refused, the value must carry its % sign. A fact's own ``percent_numbers`` wins.
    """

    step_basis: str = attrs.field(default="relative", validator=_choice("step_basis", STEP_BASES))
    partial: str = attrs.field(default="floor", validator=_choice("partial", PARTIALS))
    boundary: str = attrs.field(default="counts", validator=_choice("boundary", BOUNDARIES))
    zero_over_zero: str = attrs.field(
        default="by_direction", validator=_choice("zero_over_zero", ZERO_OVER_ZERO)
    )
    overachievement_warn: Decimal | None = attrs.field(default=Decimal("1.5"), converter=_opt_dec)
    deadline_inclusive: bool = True
    # -- deadlines given as a month (rules.deadlines): keyword-only, see the docstring
    deadline_month_reading: str = attrs.field(
        default="end", kw_only=True,
        validator=_choice("deadline_month_reading", MONTH_READINGS))
    deadline_year: int | None = attrs.field(default=None, kw_only=True)
    percent_numbers: str = attrs.field(
        default="percent", validator=_choice("percent_numbers", PERCENT_NUMBERS))


def zero_over_zero_reading(reading: str, direction: str) -> str:
    """The 0/0 reading that applies to a rule of ``direction`` (``higher``, ``lower``,
    ``target``, ``none``): ``full``, ``zero`` or ``undefined``. ``by_direction`` is
    ``full`` for a lower-is-better rate and ``undefined`` otherwise; any other reading
    applies as it is (domain.md §3.6)."""
    if reading != "by_direction":
        return reading
    return "full" if direction == "lower" else "undefined"


@attrs.frozen
class Grade:
    """A grade awarded when the total is at least ``minimum`` (half-open bands)."""

    name: str
    minimum: Decimal = attrs.field(converter=_dec)
    label_en: str = ""


DEFAULT_GRADES: tuple[Grade, ...] = (
    Grade("优", Decimal(90), "excellent"),
    Grade("良", Decimal(80), "good"),
    Grade("中", Decimal(60), "fair"),
    Grade("差", Decimal(0), "poor"),
)


def _grades(value: object) -> tuple[Grade, ...]:
    grades = tuple(cast("Iterable[Any]", value))
    for grade in grades:
        if not isinstance(grade, Grade):
            raise RulesetError("grades: expected Grade objects", example="Grade('优', 90)")
    if not grades:
        raise RulesetError("grades: at least one grade is needed",
                           example="优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 ≥ 0")
    minima = [g.minimum for g in grades]
    if minima != sorted(minima, reverse=True) or len(set(minima)) != len(minima):
        raise RulesetError(
            "grades: minima must be strictly decreasing",
            expected="the best grade first", example="优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 ≥ 0",
        )
    if minima[-1] > 0:
        raise RulesetError(
            f"grades: the last grade '{grades[-1].name}' starts at {minima[-1]}, so a total "
            "below it would get no grade", expected="the last grade starting at 0",
            example="差 ≥ 0")
    return grades


@attrs.frozen
class Policy:
    """How a ruleset rounds, grades and reads ambiguous rules.

    Defaults follow 财预〔2020〕10号: rows computed exactly, each row rounded to
    ``precision`` decimals (half-up), rounded rows summed, total graded 优 ≥ 90,
    良 ≥ 80, 中 ≥ 60, else 差. ``not_applicable``: ``renormalise`` scales the total to
    ``total_points`` over the applicable maxima (§2.15, 按百分制折算); ``redistribute``
    gives a not-applicable row's weight to its siblings in the same group.
    ``missing``: ``range`` (default) scores a missing fact as the range of possible
    scores; ``zero`` scores it as if the worst value had been given.
    """

    precision: int = attrs.field(default=2)
    rounding: str = attrs.field(default="half_up",
                                validator=_choice("rounding", tuple(ROUNDING_MODES)))
    round_rows: bool = True
    grades: tuple[Grade, ...] = attrs.field(default=DEFAULT_GRADES, converter=_grades)
    not_applicable: str = attrs.field(
        default="renormalise", validator=_choice("not_applicable", NOT_APPLICABLE)
    )
    missing: str = attrs.field(default="range", validator=_choice("missing", MISSING))
    total_points: Decimal = attrs.field(default=Decimal(100), converter=_dec)
    defaults: RuleDefaults = RuleDefaults()
    #: ``percent`` (default): a grade's minimum is a percent of ``total_points`` (优 ≥ 90
    #: on a 70-point table is 63 points: 70 of 70 is 优, not 中); ``points``: the minimum
    #: is in points as written. Identical on a 100-point table.
    grade_basis: str = attrs.field(default="percent",
                                   validator=_choice("grade_basis", GRADE_BASES))

    @precision.validator
    def _check_precision(self, _attr: object, value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 6:
            raise RulesetError(f"precision: {value!r} is not allowed", expected="an integer 0-6",
                               example="precision: 2")

    @property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.precision)

    def round(self, value: Decimal) -> Decimal:
        """Round a score to the policy's precision and mode."""
        return value.quantize(self.quantum, rounding=ROUNDING_MODES[self.rounding])

    def grade_minimum(self, grade: Grade) -> Decimal:
        """The total, in points, at which ``grade`` starts (its minimum scaled to
        ``total_points`` when ``grade_basis`` is ``percent``)."""
        if self.grade_basis == "points" or self.total_points == 100:
            return grade.minimum
        context = DEFINITION_CONTEXT
        return context.divide(context.multiply(grade.minimum, self.total_points), 100)

    def grade(self, total: Decimal) -> str:
        for grade in self.grades:
            if total >= self.grade_minimum(grade):
                return grade.name
        return self.grades[-1].name
