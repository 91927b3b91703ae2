"""Deadlines (时效): a completion date against a deadline, on time or late (per day)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ..errors import RulesetError
from ..facts import DATE_TEXT, MISSING, NOT_APPLICABLE
from ..policy import RuleDefaults
from ..text import fmt
from ..trace import Step
from .analysis import Analysis, CodeWriter, FactHints
from .base import (
    FACT_NAME,
    POINTS,
    ZERO,
    Context,
    OneFact,
    Outcome,
    dec,
    non_negative,
    not_applicable,
    opt_dec,
    prepare_generic,
    rule_schema,
    unknown,
)

__all__ = ["Deadline", "DeadlineStep", "OnTime"]


def _date(value: object) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        match = DATE_TEXT.match(value)  # 2023-12-31, 2023/12/31, 2023年12月31日 ...
        if match:
            try:
                return _dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                pass
    raise RulesetError(f"deadline: expected a date, got {value!r}", example="deadline: 2023-12-31")


class OnTime(Step, type="on_time"):
    """The fact said yes/no to "on time"."""

    fact: str
    value: bool
    points: Decimal

    def zh(self, units: Mapping[str, str]) -> str:
        done = "按时完成" if self.value else "未按时完成"
        return f"{self.fact}：{done}，计 {fmt(self.points)} 分"

    def en(self, units: Mapping[str, str]) -> str:
        return f"{self.fact}: {'on time' if self.value else 'late'}, {fmt(self.points)} points"


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
        return (f"{self.fact} = {fmt(self.date)}，期限 {fmt(self.deadline)}（{incl}），{late}，"
                f"计 {fmt(self.points)} 分")

    def en(self, units: Mapping[str, str]) -> str:
        incl = "inclusive" if self.inclusive else "exclusive"
        late = "on time" if self.days_late == 0 else f"{self.days_late} day(s) late"
        return (f"{self.fact} = {fmt(self.date)}, deadline {fmt(self.deadline)} ({incl}): "
                f"{late}, {fmt(self.points)} points")


@attrs.frozen
class Deadline(OneFact):
    """Method 12: "绩效目标完成时间12月31日前; 按时完成3分, 否0分".

    The fact is the completion date (or a boolean "on time"). ``inclusive`` settles
    whether the deadline day itself is on time (policy default: yes; "12月31日前"
    includes Dec 31). ``per_day`` deducts for each day late instead of dropping to
    ``late_points``.
    """

    kind: ClassVar[str] = "deadline"
    SCHEMA: ClassVar[dict[str, Any]] = rule_schema(
        "deadline", ("Method 12: on time gets points, late gets late_points (or "
         "per_day deduction)."),
        {
            "fact": FACT_NAME,
            "deadline": {
                "description": "The deadline date, YYYY-MM-DD.",
                "type": "string",
                "format": "date",
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
        required=("fact", "deadline", "points",))
    FACT_TYPES: ClassVar[tuple[str, ...]] = ("date", "boolean")
    STEPS: ClassVar[tuple[type[Step], ...]] = (OnTime, DeadlineStep)
    prepare = prepare_generic
    direction: ClassVar[str] = "lower"
    fact: str
    deadline: _dt.date = attrs.field(converter=_date)
    points: Decimal = attrs.field(converter=dec, validator=non_negative)
    late_points: Decimal = attrs.field(default=ZERO, converter=dec, validator=non_negative)
    inclusive: bool | None = None
    per_day: Decimal | None = attrs.field(default=None, converter=opt_dec)

    @property
    def max_points(self) -> Decimal:
        return max(self.points, self.late_points)

    def evaluate(self, values: Mapping[str, object], ctx: Context) -> Outcome:
        x = values.get(self.fact, MISSING)
        if x is True or x is False:
            score = self.points if x else self.late_points
            return Outcome(score, score, (OnTime(self.fact, x, score),))
        if isinstance(x, _dt.date):
            inclusive = (ctx.defaults.deadline_inclusive if self.inclusive is None
                         else self.inclusive)
            late_days = (x - self.deadline).days + (0 if inclusive else 1)
            if late_days <= 0:
                score = self.points
            elif self.per_day is not None:
                score = max(self.late_points, self.points - self.per_day * late_days)
            else:
                score = self.late_points
            return Outcome(score, score, (DeadlineStep(self.fact, x, self.deadline, inclusive,
                                                        max(0, late_days), score),))
        if x is NOT_APPLICABLE:
            return not_applicable(self.fact)
        lo, hi = sorted((self.points, self.late_points))
        return unknown(self.fact, x, lo, hi)

    # -- verification, testing, audit, compiling -------------------------------------

    def analyse(self, an: Analysis) -> tuple[Decimal, Decimal]:
        if self.late_points > self.points:
            an.report("error", "direction", "late", late=self.late_points, points=self.points)
        return min(self.points, self.late_points), self.max_points

    def test_hints(self, hints: FactHints, defaults: RuleDefaults) -> None:
        for days in (-1, 0, 1):
            hints.add(self.fact, self.deadline + _dt.timedelta(days=days))

    def achievable(self, defaults: RuleDefaults) -> Iterable[Decimal] | None:
        """On time or late; None with a per-day deduction (too many to list)."""
        if self.per_day is not None:
            return None
        return [self.points, self.late_points]

    def compile_into(self, code: CodeWriter, out: str, defaults: RuleDefaults) -> bool:
        """Falls back to the prepared rule (date arithmetic)."""
        return False
