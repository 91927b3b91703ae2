"""A deadline row named by its 指标 name (``绩效目标完成时间12月31日前``: ``按时完成任务3分``).

Real tables print the deadline in the row's 三级指标 and only a yes/no on 按时完成 in its
评价标准. ``name_deadline(name)`` finds a completion date the name states —
``…完成时间X月X日前`` (also 完成时间：…, 完成时限, 完成日期), ``…X月底前完成`` (or
月末), ``…YYYY年X月X日前`` with 完成 in the name — as the thing completed (``绩效目标``)
and the date; ``on_time(text)`` says whether a criterion is a bare 按时完成 yes/no
(``按时完成任务3分;否0分``, ``是否按时完成,是3分,否0分``).
``deadline_rule(name, criterion, mapping, year)`` then
turns the parsed boolean ``mapping`` into a ``deadline`` rule on the date fact
``绩效目标完成日期`` with the same points, the year the name's own (on the date or elsewhere
in the name) or ``year`` (``--year``, else the table's title, ``title_year``; the reading
names which, and the title's year when ``--year`` differs from it), ``inclusive: true``
as domain.md §3.10 reads
``12月31日前`` (the deadline day itself is on time) and ``X月底前`` (by the month's last day,
itself on time). A row that is not this form is None; a row that is but cannot be read
(no year, two years in the name, ``9月前`` which leaves open the end of August or of
September, a day that does not exist) is the reason, and the row keeps its yes/no rule.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from decimal import Decimal
from typing import Any

import attrs

from .draft import clean_name
from .lexer import normalise

__all__ = ["DeadlineRule", "NamedDeadline", "deadline_rule", "name_deadline", "on_time",
           "title_year", "year_source"]

_BEFORE = r"(?:之前|以前|前)"
_WHEN = re.compile(
    rf"(?:(?P<y>\d{{4}})年)?(?P<m>\d{{1,2}})月(?:(?P<d>\d{{1,2}})日|(?P<end>底|末))?{_BEFORE}")
_SLOT = r"(?:完成时间|完成时限|完成日期|完成期限):?(?:为|是|在|于)?"
# a year followed by 年, or the first of a span of years (2023—2024年)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=\s*(?:年|[—–\-~～至到]\s*(?:19|20)\d\d\s*年))")
_POINTS = r"(?:得|计|给)?\d+(?:\.\d+)?分"
_ON_TIME = re.compile(
    rf"^(?:是否)?(?:按时|按期|如期)完成(?:任务|工作任务|工作|目标任务|目标)?(?:的)?"
    rf"(?:[,;:]?(?:是[,;:]?)?{_POINTS})"
    rf"(?:[,;](?:否|否则|未按时完成|未按期完成|逾期完成|逾期|未完成)(?:的)?[,;:]?{_POINTS})?"
    r"[。.;,]?$")


# a year anywhere in a name (2023年, 2023-2024年): more than one leaves the date's open
_NAME_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@attrs.frozen
class NamedDeadline:
    what: str  # the thing completed (绩效目标)
    text: str  # the date as the name writes it (12月31日前)
    year: int | None
    month: int
    day: int | None  # None: the month's end (月底前)
    ends_month: bool  # 月底/月末 written


def title_year(title: str) -> int | None:
    """The one year a table's title states (``2023年度…``, ``…2023 年部门整体…``), else None
    (no year, or several)."""
    years = set(_YEAR.findall(title.replace("\n", "")))
    return int(years.pop()) if len(years) == 1 else None


def year_source(year: int | None, title: int | None) -> str | None:
    """How a reading names the year dates are read in: ``--year`` when it was given
    (with the title's year when that differs), else None (the title's)."""
    if year is None:
        return None
    differs = f"（表头写的是{title}年度）" if title is not None and title != year else ""
    return f" --year {year}年{differs}"


def name_deadline(name: str) -> NamedDeadline | None:
    """The completion date a row's name states, or None."""
    s, _ = normalise(re.sub(r"\s", "", name))
    if "完成" not in s:
        return None
    found = list(_WHEN.finditer(s))
    if len(found) != 1:
        return None
    m = found[0]
    before, after = s[: m.start()], s[m.end():]
    slot = re.search(rf"{_SLOT}$", before)
    if slot:  # 绩效目标完成时间12月31日前
        what = before[: slot.start()]
        if after:
            return None
    elif after.startswith("完成"):  # 12月底前完成验收, 绩效目标12月底前完成
        what = before + after.removeprefix("完成")
    else:
        return None
    return NamedDeadline(clean_name(what), m.group(0), int(m["y"]) if m["y"] else None,
                         int(m["m"]), int(m["d"]) if m["d"] else None, bool(m["end"]))


def on_time(criterion: str) -> bool:
    """Whether a criterion is a bare 按时完成 yes/no, with no date of its own."""
    s, _ = normalise(re.sub(r"\s", "", criterion))
    return bool(_ON_TIME.match(s))


@attrs.frozen
class DeadlineRule:
    mapping: dict[str, Any]
    fact: str
    readings: tuple[str, ...]


def deadline_rule(name: str, criterion: str, mapping: dict[str, Any],
                  year: int | None, source: str | None = None) -> DeadlineRule | str | None:
    """The deadline rule of a row named by its date (see the module docstring); the
    reason it is not read (the row keeps ``mapping``); None when the row is not this form.
    ``source`` says where ``year`` came from in the reading (default ``表头年度YYYY年``;
    ``year_source`` writes it for ``--year``)."""
    if mapping.get("kind") != "boolean" or not on_time(criterion):
        return None
    when = name_deadline(name)
    if when is None:
        return None
    years = _NAME_YEAR.findall(re.sub(r"\s", "", name))
    if len(years) > 1:
        return (f"名称写了两个年份（{'、'.join(years)}）：不知道“{when.text}”是哪一年的，"
                "按“是否按时完成”读；请在名称里只写截止日期的年份")
    named = when.year if when.year is not None else (int(years[0]) if years else None)
    y = named if named is not None else year
    if y is None:
        return (f"名称写了完成日期“{when.text}”但没有年份，表头也没有写年度：按“是否按时完成”读；"
                "用 --year 给出年度可读作完成日期")
    if not 1900 <= y <= 2099:
        return f"年份{y}不是年度（应为四位数的年份，如 2024）：按“是否按时完成”读"
    if when.day is None and not when.ends_month:
        return (f"名称写的“{when.text}”不明确（到上月底还是到该月底）：按“是否按时完成”读，"
                "请写明“X月底前”或具体日期")
    if not 1 <= when.month <= 12:
        return f"名称写的“{when.text}”不是日期：按“是否按时完成”读"
    day = when.day if when.day is not None else calendar.monthrange(y, when.month)[1]
    try:
        deadline = _dt.date(y, when.month, day)
    except ValueError:
        return f"名称写的“{when.text}”（{y}年）不是日历上的日期：按“是否按时完成”读"
    what = re.sub(r"(?<!\d)(?:19|20)\d\d年度?", "", when.what)  # the year is the date's
    fact = f"{what or '任务'}完成日期"
    yes, no = mapping["yes_points"], mapping.get("no_points", Decimal(0))
    taken = f"名称所写{y}年" if named is not None else (source or f"表头年度{y}年")
    readings = (
        (f"READING: 名称写明完成日期“{when.text}”，评价标准只写按时完成与否：读作截止日期"
         f" {deadline.isoformat()}（年份取{taken}），按时{yes}分、逾期{no}分"),
        f"READING (domain §3.10): “{when.text}”含截止当日（inclusive: true）",
    )
    rule = {"kind": "deadline", "fact": fact, "deadline": deadline.isoformat(),
            "points": yes, "late_points": no, "inclusive": True}
    return DeadlineRule(rule, fact, readings)
