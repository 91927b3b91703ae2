"""Deadlines as 年度指标值 cells write them: a day, a month, a year's end, a quarter, a half.

``read_deadline`` reads ``2023年12月31日前``, ``2023.12.31前``, ``12月底前``, ``9月前``,
``2023年底前``, ``年内``, ``年度内``, ``2023年度``, ``第三季度末前``, ``上半年完成`` (the text
already canonical: ``criteria.lexer.normalise``) into a day or a ``rubric.dates.Month``
with its month reading: ``end`` when the text says so, None when it leaves open whether
the deadline is the end of that month or of the month before (``9月前``). A day written
without its year takes the project's year; the last day of a month without a year is
the month read by its end. ``DEADLINE_DAY`` and ``DEADLINE_MONTH`` are also how an
actual completion date is read (``selfeval.targets``).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import NoReturn, Protocol

from ..dates import Month

__all__ = ["DATE_HINT", "DEADLINE_DAY", "DEADLINE_MONTH", "Fail", "month_of", "read_deadline"]


class Fail(Protocol):
    """Raises the located error of the cell being read."""

    def __call__(self, reason: str, *, expected: str, example: str) -> NoReturn: ...


_BEFORE = r"(?P<before>以前|之前|前)?"
_VERB = (r"(?:完成|完工|竣工|验收|结束|实施完毕|完成验收|完成建设|建成|到位|拨付|支付|发放|"
         r"上线|投入使用)?")
_LEAD = r"(?:截至|截止|于|在)?"
#: a day: ``2023年12月31日前``, ``2023.12.31``, ``12月20日``
DEADLINE_DAY = re.compile(
    rf"^{_LEAD}(?:(?P<y>\d{{4}})[年./-])?(?P<m>\d{{1,2}})[月./-](?P<d>\d{{1,2}})日?"
    rf"(?P<within>内)?{_BEFORE}{_VERB}$")
#: a month: ``12月底前``, ``2023年6月``, ``2023.12前``, ``9月``
DEADLINE_MONTH = re.compile(
    rf"^{_LEAD}(?:(?P<y>\d{{4}})(?:年|[./-](?=\d{{1,2}}(?:[底末前以之内]|$))))?"
    rf"(?P<m>\d{{1,2}})(?:月份?)?(?P<end>底|末|内)?{_BEFORE}{_VERB}$")
_YEAR_END = re.compile(
    rf"^{_LEAD}(?:(?P<y>(?:19|20)\d\d)年度?(?:底|末|内)?|(?:本年度?|当年度?|年度?)?"
    rf"(?:底|末|内|年底|年末|年内|全年)|本年度?|当年度?){_BEFORE}{_VERB}$")
_QUARTER = re.compile(
    rf"^{_LEAD}(?:(?P<y>\d{{4}})年)?第?(?P<q>[1-4一二三四])季度(?P<end>末|底)?{_BEFORE}{_VERB}$")
_HALF = re.compile(
    rf"^{_LEAD}(?:(?P<y>\d{{4}})年)?(?P<h>上|下)半年(?P<end>末|底)?(?:内)?{_BEFORE}{_VERB}$")
#: a text that may be a date (a year, month, day or quarter in it)
DATE_HINT = re.compile(r"[年月日季]|^\d{4}[./-]\d{1,2}")
_QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
_LAST_DAY = {1: 31, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}

Deadline = tuple[_dt.date | Month, str | None, tuple[str, ...]]


def month_of(year: str | None, month: int, fail: Fail) -> Month:
    """The month ``month`` of ``year`` (None: a month without its year)."""
    if not 1 <= month <= 12:
        fail(f"month {month} is not a month", expected="a month 1 to 12", example="12月底前")
    return Month(int(year) if year else None, month)


def read_deadline(s: str, year: int | None, fail: Fail) -> Deadline | None:
    """The deadline ``s`` writes: (a day or a Month, the month reading, notes), or None
    when ``s`` is not a deadline; ``fail`` for a deadline that cannot be."""
    m = DEADLINE_DAY.match(s)
    if m:
        month, day = int(m["m"]), int(m["d"])
        y = int(m["y"]) if m["y"] else year
        month_of(m["y"], month, fail)
        if y is None:
            if _LAST_DAY.get(month) == day:
                return Month(None, month), "end", (f"{month}月{day}日即该月最后一天，按月末读",)
            fail("gives a day without its year", expected="the project's year (年度), or "
                 "the day with its year", example="2023年12月20日前")
        try:
            return _dt.date(y, month, day), None, ()
        except ValueError:
            fail(f"{y}-{month}-{day} is not a day of the calendar",
                 expected="a day that exists", example="2023年12月31日前")
    m = DEADLINE_MONTH.match(s)
    if m and (m["y"] or "月" in s):
        reading = "end" if m["end"] or not m["before"] else None
        return month_of(m["y"], int(m["m"]), fail), reading, ()
    m = _YEAR_END.match(s)
    if m:
        return Month(int(m["y"]) if m["y"] else None, 12), "end", ()
    for pattern in (_QUARTER, _HALF):
        m = pattern.match(s)
        if m is None:
            continue
        groups = m.groupdict()
        last = 3 * _QUARTERS[groups["q"]] if "q" in groups else 6 if groups["h"] == "上" else 12
        if m["before"] and not m["end"]:
            fail("leaves open whether the deadline is the start or the end of the period",
                 expected="its end written out", example=f"{last}月底前")
        return Month(int(m["y"]) if m["y"] else None, last), "end", ()
    return None
