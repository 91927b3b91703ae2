"""Deadlines (时效): a completion date against a deadline, on time or late (per day).

The deadline is a day, a month (``2023-07``, ``2023年7月``, ``7月`` with the year from
``policy.defaults.deadline_year`` or ``metadata.fiscal_year``) read by ``month_reading``
(``end``: by its last day; ``start``: before it begins), or the value of another fact
(``deadline_fact``: "在项目计划完成时间内完成"). A completion given as a month is any
day of it: the row is settled when every day scores alike, else a range.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ..dates import Month, parse_date, parse_month
from ..errors import RulesetError
from ..facts import MISSING, NOT_APPLICABLE
from ..policy import MONTH_READINGS, RuleDefaults
from ..text import show
from ..trace import Range, Step
from .analysis import Analysis, CodeWriter, FactHints
from .base import (
    POINTS,
    ZERO,
    Context,
    OneFact,
    Outcome,
    dec,
    non_negative,
    not_applicable,
    one_fact_schema,
    opt_dec,
    prepare_generic,
    scored_value_step,
    unknown,
)

__all__ = ["CompletionMonth", "Deadline", "DeadlineFrom", "DeadlineMonth", "DeadlineStep",
           "OnTime"]

_EXAMPLE = "deadline: 2023-12-31 (or 2023-07, 2023年7月, 7月)"


def _date(value: object) -> _dt.date | Month | None:
    if value is None or isinstance(value, Month):
        return value
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        day = parse_date(value)  # 2023-12-31, 2023/12/31, 2023年12月31日 ...
        if day is not None:
            return day
        month = parse_month(value)  # 2023-07, 2023年7月, 7月
        if month is not None:
            return month
    raise RulesetError(f"deadline: expected a date or a month, got {value!r}",
                       example=_EXAMPLE)


def _points(value: object) -> Decimal:
    if value is None:
        raise RulesetError("a deadline rule needs 'points' (what finishing on time earns)",
                           expected="points: a number", example="points: 3")
    return dec(value)


def _reading(_inst: object, _attr: object, value: str | None) -> None:
    if value is not None and value not in MONTH_READINGS:
        raise RulesetError(f"month_reading: '{value}' is not a known reading",
                           expected="one of " + ", ".join(MONTH_READINGS),
                           example="month_reading: end")


def month_day(month: Month, reading: str, year: int | None) -> _dt.date:
    """The deadline day a month stands for: its last day (``end``) or the day before it
    begins (``start``); ``year`` for a month written without one."""
    if reading == "end":
        return month.last(year)
    return month.first(year) - _dt.timedelta(days=1)


_ZH_READING = {"end": "按月末", "start": "按月初（该月开始前）"}
_EN_READING = {"end": "read as its end", "start": "read as its start (before it begins)"}


class DeadlineMonth(Step, type="deadline_month"):
    """The deadline was a month; ``reading`` (end/start) made it a day. ``fact`` is the
    fact it came from (``""``: the rule's own ``deadline``)."""

    fact: str
    month: str
    reading: str
    deadline: _dt.date

    def zh(self, units: Mapping[str, str]) -> str:
        source = f"期限取自 {self.fact} = {self.month}" if self.fact else f"期限 {self.month}"
        return f"{source}，为月份，{_ZH_READING[self.reading]}计至 {show(self.deadline)}"

    def en(self, units: Mapping[str, str]) -> str:
        source = (f"deadline from {self.fact} = {self.month}" if self.fact
                  else f"deadline {self.month}")
        return f"{source}: a month, {_EN_READING[self.reading]}: {show(self.deadline)}"


class DeadlineFrom(Step, type="deadline_from"):
    """The deadline is the value of another fact (the planned completion date)."""

    fact: str
    deadline: _dt.date

    ZH = "期限取自 {fact} = {deadline}"
    EN = "deadline from {fact} = {deadline}"


class CompletionMonth(Step, type="completion_month"):
    """The completion was given as a month: any of its days."""

    fact: str
    month: str
    first: _dt.date
    last: _dt.date

    ZH = "{fact} = {month}，为月份，未给出日期：按 {first} 至 {last} 中任一日计"
    EN = "{fact} = {month}: a month without its day, any day from {first} to {last}"


_ZH_DONE = {True: "按时完成", False: "未按时完成"}
_EN_DONE = {True: "on time", False: "late"}


OnTime = scored_value_step("OnTime", "on_time", module=__name__,
                           doc='The fact said yes/no to "on time".',
                           zh_value="{value:ZH_DONE}", en_value="{value:EN_DONE}",
                           words={"ZH_DONE": _ZH_DONE, "EN_DONE": _EN_DONE})


class DeadlineStep(Step, type="deadline"):
    fact: str
    date: _dt.date
    deadline: _dt.date
    inclusive: bool
    days_late: int
    points: Decimal

    def zh(self, units: Mapping[str, str]) -> str:
        incl = "含当日" if self.inclusive else "不含当日"
        late = "按时完成" if self.days_late == 0 else f"逾期 {self.days_late} 天"
        return (f"{self.fact} = {show(self.date)}，期限 {show(self.deadline)}（{incl}），{late}，"
                f"计 {show(self.points)} 分")

    def en(self, units: Mapping[str, str]) -> str:
        incl = "inclusive" if self.inclusive else "exclusive"
        late = "on time" if self.days_late == 0 else f"{self.days_late} day(s) late"
        return (f"{self.fact} = {show(self.date)}, deadline {show(self.deadline)} ({incl}): "
                f"{late}, {show(self.points)} points")


@attrs.frozen
class Deadline(OneFact):
    """Method 12: "绩效目标完成时间12月31日前; 按时完成3分, 否0分".

    The fact is the completion date (or a boolean "on time"). The deadline is
    ``deadline`` (a day, or a month read by ``month_reading``) or the value of the fact
    ``deadline_fact`` (the planned completion date). ``inclusive`` settles whether the
    deadline day itself is on time (policy default: yes; "12月31日前" includes Dec 31).
    ``per_day`` deducts for each day late instead of dropping to ``late_points``.
    """

    kind: ClassVar[str] = "deadline"
    SCHEMA: ClassVar[dict[str, Any]] = one_fact_schema(
        kind, ("Method 12: on time gets points, late gets late_points (or "
         "per_day deduction)."),
        {
            "deadline": {
                "description": ("The deadline: a day (YYYY-MM-DD, 2023年12月31日) or a month "
                                "(2023-07, 2023年7月, or 7月 with the year from "
                                "policy.defaults.deadline_year or metadata.fiscal_year). "
                                "Give deadline or deadline_fact."),
                "type": "string",
                "pattern": (r"^\s*(\d{4}\s*[-/.年]\s*)?\d{1,2}\s*([-/.月]\s*"
                            r"(\d{1,2}\s*日?)?)?\s*(份)?\s*$"),
            },
            "deadline_fact": {
                "description": ("A date fact whose value is the deadline (the planned "
                                "completion date: 在项目计划完成时间内完成), instead of "
                                "deadline."),
                "type": "string", "minLength": 1,
            },
            "month_reading": {
                "description": ("How a deadline month is read: end (by its last day) or "
                                "start (before it begins); default "
                                "policy.defaults.deadline_month_reading (end)."),
                "enum": list(MONTH_READINGS),
            },
            "points": POINTS,
            "late_points": POINTS,
            "inclusive": {
                "description": ("Whether the deadline day itself is on time; default "
                 "policy.defaults.deadline_inclusive."),
                "type": "boolean",
            },
            "per_day": POINTS,
        },
        required=("points",))
    FACT_TYPES: ClassVar[tuple[str, ...]] = ("date", "boolean")
    STEPS: ClassVar[tuple[type[Step], ...]] = (OnTime, DeadlineStep, DeadlineMonth,
                                               DeadlineFrom, CompletionMonth)
    direction: ClassVar[str] = "lower"
    fact: str
    deadline: _dt.date | Month | None = attrs.field(default=None, converter=_date)
    # points is required: its default only lets deadline come before it, as None
    points: Decimal = attrs.field(default=None, converter=_points, validator=non_negative)
    late_points: Decimal = attrs.field(default=ZERO, converter=dec, validator=non_negative)
    inclusive: bool | None = None
    per_day: Decimal | None = attrs.field(default=None, converter=opt_dec)
    deadline_fact: str | None = attrs.field(default=None, kw_only=True)
    month_reading: str | None = attrs.field(default=None, kw_only=True, validator=_reading)

    def __attrs_post_init__(self) -> None:
        if (self.deadline is None) == (self.deadline_fact is None):
            raise RulesetError(
                "a deadline rule gives either 'deadline' or 'deadline_fact'"
                + (" (not both)" if self.deadline is not None else ""),
                expected="deadline: a day or a month, or deadline_fact: a date fact",
                example="deadline: 2023-12-31 or deadline_fact: 计划完成时间")
        if self.deadline_fact == self.fact:
            raise RulesetError(f"deadline_fact '{self.fact}' is the completion fact itself",
                               expected="the fact holding the planned completion date",
                               example="deadline_fact: 计划完成时间")

    @property
    def max_points(self) -> Decimal:
        return max(self.points, self.late_points)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.fact,) if self.deadline_fact is None else (self.fact, self.deadline_fact)

    @property
    def input_types(self) -> Mapping[str, tuple[str, ...]]:
        types = {self.fact: self.FACT_TYPES}
        if self.deadline_fact is not None:
            types[self.deadline_fact] = ("date",)
        return types

    def directions(self) -> dict[str, str]:
        """Finishing earlier, or being given a later planned date, scores better."""
        out = {self.fact: "lower"}
        if self.deadline_fact is not None:
            out[self.deadline_fact] = "higher"
        return out

    def prepare(self, defaults: RuleDefaults, domain: Any) -> Any:
        """Refuses a deadline month without a year when the ruleset gives none."""
        if isinstance(self.deadline, Month) and self.deadline.year is None \
                and defaults.deadline_year is None:
            raise RulesetError(
                f"deadline {self.deadline.label()} has no year, and the ruleset gives none",
                expected=("the year in the deadline, or policy.defaults.deadline_year or "
                          "metadata.fiscal_year"), example="deadline: 2023-07")
        return prepare_generic(self, defaults, domain)

    def reading(self, defaults: RuleDefaults) -> str:
        """The month reading in force (the rule's, else the policy's)."""
        return self.month_reading or defaults.deadline_month_reading

    def _score(self, day: _dt.date, deadline: _dt.date, inclusive: bool) -> tuple[Decimal, int]:
        late_days = (day - deadline).days + (0 if inclusive else 1)
        if late_days <= 0:
            return self.points, 0
        if self.per_day is not None:
            return max(self.late_points, self.points - self.per_day * late_days), late_days
        return self.late_points, late_days

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        x = values.get(self.fact, MISSING)
        if x is True or x is False:
            score = self.points if x else self.late_points
            return Outcome(score, score, (OnTime(self.fact, x, score),))
        if x is NOT_APPLICABLE:
            return not_applicable(self.fact)
        if not isinstance(x, _dt.date | Month):
            lo, hi = sorted((self.points, self.late_points))
            return unknown(self.fact, x, lo, hi)
        written: object = self.deadline
        source = ""
        if self.deadline_fact is not None:
            written, source = values.get(self.deadline_fact, MISSING), self.deadline_fact
            if written is NOT_APPLICABLE:
                return not_applicable(source)
            if not isinstance(written, _dt.date | Month):
                lo, hi = sorted((self.points, self.late_points))
                return unknown(source, written, lo, hi)
        steps: tuple[Step, ...] = ()
        if isinstance(written, Month):
            reading = self.reading(ctx.defaults)
            deadline = month_day(written, reading, ctx.defaults.deadline_year)
            steps = (DeadlineMonth(source, written.label(), reading, deadline),)
        else:
            assert isinstance(written, _dt.date)
            deadline = written
            if source:
                steps = (DeadlineFrom(source, deadline),)
        inclusive = ctx.defaults.deadline_inclusive if self.inclusive is None else self.inclusive
        if isinstance(x, Month):  # any day of the month: its first and last days bound it
            first, last = x.first(), x.last()
            steps += (CompletionMonth(self.fact, x.label(), first, last),)
            best, _ = self._score(first, deadline, inclusive)
            worst, late = self._score(last, deadline, inclusive)
            if best != worst:
                return Outcome(worst, best, (*steps, Range(worst, best)), (self.fact,))
            return Outcome(worst, worst, (*steps, DeadlineStep(
                self.fact, last, deadline, inclusive, late, worst)))
        score, late = self._score(x, deadline, inclusive)
        return Outcome(score, score, (*steps, DeadlineStep(self.fact, x, deadline, inclusive,
                                                           late, score)))

    # -- verification, testing, audit, compiling -------------------------------------

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        if self.late_points > self.points:
            an.report("error", "direction", "late", late=self.late_points, points=self.points)
        return min(self.points, self.late_points), self.max_points

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        if self.deadline_fact is not None:
            planned = _dt.date(2023, 6, 30)  # any day: the boundary moves with the fact
            hints.add(self.deadline_fact, planned)
            deadline = planned
        elif isinstance(self.deadline, Month):
            deadline = month_day(self.deadline, self.reading(defaults), defaults.deadline_year)
        else:
            assert self.deadline is not None
            deadline = self.deadline
        for days in (-1, 0, 1):
            hints.add(self.fact, deadline + _dt.timedelta(days=days))

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        """On time or late; None with a per-day deduction (too many to list)."""
        if self.per_day is not None:
            return None
        return [self.points, self.late_points]

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        """A day known to be a date (``CodeWriter.known``) against a fixed deadline day,
        with no deduction per day: on time or late, compared as ``_score`` compares
        (inclusive: late from the next day on). Else the prepared rule (months, a deadline
        fact, days late counted)."""
        if not code.typed(self.fact, "date") or self.deadline_fact is not None \
                or type(self.deadline) is not _dt.date or self.per_day is not None:
            return False
        inclusive = defaults.deadline_inclusive if self.inclusive is None else self.inclusive
        x, deadline = code.read(self.fact), code.const(self.deadline)
        code.emit(f"if {x} {'<=' if inclusive else '<'} {deadline}: "
                  f"{out} = {code.const(self.points)}")
        code.emit(f"else: {out} = {code.const(self.late_points)}")
        return True
