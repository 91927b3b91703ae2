"""Dates and months as tables write them: ``2023-12-31``, ``2023年12月31日``, a month
(``2023-07``, ``2023年7月``) and, for deadlines, a month without its year (``7月``).

A month is kept as a ``Month``, never silently turned into one of its days: which day
it stands for is a reading (docs/ruleset-format.md, "Deadlines": ``month_reading``),
applied and shown by the rule that reads it.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re

import attrs

__all__ = [
    "DATE_TEXT", "MONTH_TEXT", "Month", "parse_date", "parse_month",
]

#: a day: 2023-12-31, 2023/12/31, 2023.12.31, 2023年12月31日
DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
#: a month: 2023-07, 2023/7, 2023.07, 2023年7月; without its year: 7月
MONTH_TEXT = re.compile(r"^\s*(?:(\d{4})\s*(?:[-/.]|年)\s*)?(\d{1,2})\s*(?(1)月?|月)\s*(?:份)?\s*$")


@attrs.frozen(order=True)
class Month:
    """A calendar month; ``year`` is None when the text gave none (``7月``)."""

    year: int | None
    month: int = attrs.field()

    @month.validator
    def _check(self, _attr: object, value: int) -> None:
        if not 1 <= value <= 12:
            raise ValueError(f"month {value} is not 1 to 12")

    def first(self, year: int | None = None) -> _dt.date:
        """Its first day (``year`` for a month written without one)."""
        return _dt.date(self._year(year), self.month, 1)

    def last(self, year: int | None = None) -> _dt.date:
        """Its last day (``year`` for a month written without one)."""
        y = self._year(year)
        return _dt.date(y, self.month, calendar.monthrange(y, self.month)[1])

    def _year(self, year: int | None) -> int:
        y = self.year if self.year is not None else year
        if y is None:
            raise ValueError(f"{self.label()} has no year")
        return y

    def label(self) -> str:
        """``2023-07``, or ``7月`` without a year (what ``fmt`` and JSON show)."""
        return f"{self.month}月" if self.year is None else f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.label()


def parse_date(text: str) -> _dt.date | None:
    """The day ``text`` writes (with its year), or None."""
    match = DATE_TEXT.match(text)
    if match:
        try:
            return _dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None


def parse_month(text: str) -> Month | None:
    """The month ``text`` writes (``2023-07``, ``2023年7月``, ``7月``), or None."""
    match = MONTH_TEXT.match(text)
    if match:
        try:
            return Month(int(match[1]) if match[1] else None, int(match[2]))
        except ValueError:
            return None
    return None
