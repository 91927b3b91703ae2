"""Conditions on a value as tables print them, and bands assembled from them.

``condition`` reads one clause's condition (``预算调整率=0``, ``0-10%(含)``,
``80%(含)-90%``, ``≥90%``, ``20家以上``, ``低于60%``, ``大于0且不超过10%``,
``100-80%(含80%)``, ``0<X≤10%``) into the metric it names (or ``""``) and an
``Interval`` whose ends are closed, open, or undetermined (``None``: a bare ``80-90%``
does not say). Closedness follows domain.md §3.3: 含/以上/以下/以内/不超过/不低于 include
the number, 超过/大于/高于/低于/不足/不满/小于 exclude it.

``assemble`` sorts intervals, settles each undetermined end from its neighbour (a
touching end the neighbour closes is open here and the other way round; where both say
nothing the convention the text itself uses elsewhere, else lower-closed, is applied and
recorded), and refuses gaps and overlaps the text creates.
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from .lexer import NUMBER

__all__ = ["UNIT", "Interval", "Unreadable", "assemble", "condition", "metric_split", "sort_key"]

UNIT = (r"(?:%|‰|万元|亿元|千元|元|人次|人|家|户|项|次|天|日|个|名|所|条|件|篇|处|台|辆"
        r"|套|座|平方米|立方米|公里|千米|米|亩|公顷|吨|千克|小时|个月|月|年|册|场|批|期|部"
        r"|棵|头|只|床|班|学时|本|份|张|间|栋|块|根|组|门|种|类|支|批次|宗)?")
V = rf"({NUMBER})({UNIT})"
_INC = r"(?:\(含\)|\(包含\)|\(含本数\))"
_EXC = r"(?:\(不含\)|\(不包含\)|\(不含本数\))"

_GE_WORDS = r"(?:≥|不低于|不少于|大于等于|大于或等于|高于或等于|达到|达(?=\d)|不小于)"
_GT_WORDS = r"(?:>|大于|高于|超过|多于|超出)"
_LE_WORDS = r"(?:≤|不超过|不高于|不大于|小于等于|小于或等于|不多于|控制在)"
_LT_WORDS = r"(?:<|小于|低于|不足|不满|少于|未达到|未满)"
_EQ_WORDS = r"(?:=|为|等于)"
# Words that begin the condition after a metric's name.
OP_START = re.compile(rf"{_GE_WORDS}|{_GT_WORDS}|{_LE_WORDS}|{_LT_WORDS}|{_EQ_WORDS}|\d")


class Unreadable(Exception):
    """A condition or a band layout read with certainty to be wrong or ambiguous."""


@attrs.frozen
class Interval:
    lower: Decimal | None
    upper: Decimal | None
    lower_closed: bool | None
    upper_closed: bool | None
    unit: str  # the unit the text wrote ("" for none)

    @property
    def point(self) -> bool:
        return self.lower is not None and self.lower == self.upper


def _unit(*units: str) -> str:
    found = {u for u in units if u}
    if len(found) > 1:
        raise Unreadable(f"单位不一致：{'、'.join(sorted(found))}")
    return found.pop() if found else ""


def _half(op: str, value: Decimal, unit: str) -> Interval:
    if op == "ge":
        return Interval(value, None, True, False, unit)
    if op == "gt":
        return Interval(value, None, False, False, unit)
    if op == "le":
        return Interval(None, value, True, True, unit)
    if op == "lt":
        return Interval(None, value, True, False, unit)
    return Interval(value, value, True, True, unit)


_HALF = (
    (rf"{_EQ_WORDS}{V}", "eq"),
    (rf"{_GE_WORDS}{V}(?:及以上|以上)?", "ge"),
    (rf"{V}{_INC}?(?:及以上|以上)(?:\(含{NUMBER}{UNIT}\))?", "ge"),
    (rf"{V}(?:及以上|以上){_INC}", "ge"),
    (rf"{V}以上{_EXC}", "gt"),
    (rf"{V}以后", "gt"),
    (rf"{_GT_WORDS}{V}(?:以上)?", "gt"),
    (rf"{_LE_WORDS}{V}(?:及以下|以下|以内)?", "le"),
    (rf"{V}{_INC}?(?:及以下|以下|以内)(?:\(含{NUMBER}{UNIT}\))?", "le"),
    (rf"{V}(?:及以下|以下|以内){_INC}", "le"),
    (rf"{V}以下{_EXC}", "lt"),
    (rf"{_LT_WORDS}{V}(?:以下)?", "lt"),
    (rf"在?{V}", "bare"),
)
_HALF_RE = tuple((re.compile(p), op) for p, op in _HALF)
_RANGE = re.compile(
    rf"在?{V}({_INC}|{_EXC})?(?:-|至|到){V}({_INC}|{_EXC})?(?:\(含({NUMBER}){UNIT}\))?(?:之间)?")
_CHAIN = re.compile(rf"{V}(<|≤)(.*?)(<|≤){V}")


def _half_line(text: str) -> tuple[Interval, bool] | None:
    """One-sided condition; the flag is True for a bare number (no comparison)."""
    for pattern, op in _HALF_RE:
        m = pattern.fullmatch(text)
        if m:
            value, unit = Decimal(m.group(1)), m.group(2)
            if op == "bare":
                return Interval(value, value, True, True, unit), True
            return _half(op, value, unit), False
    return None


def _closed(mark: str | None) -> bool | None:
    if not mark:
        return None
    return "不" not in mark


def _range(text: str) -> Interval | None:
    m = _RANGE.fullmatch(text)
    if not m:
        return None
    a, ua, mark_a, b, ub, mark_b, included = m.groups()
    da, db = Decimal(a), Decimal(b)
    unit = _unit(ua, ub)
    ca, cb = _closed(mark_a), _closed(mark_b)
    if included is not None:
        inc = Decimal(included)
        if inc == da and ca is None:
            ca = True
        elif inc == db and cb is None:
            cb = True
        else:
            raise Unreadable(f"“含{included}”不是区间{a}-{b}的端点")
    if da == db:
        raise Unreadable(f"区间{a}-{b}两端相同")
    if da > db:  # printed from the top down: 100-80%(含80%)
        da, db, ca, cb = db, da, cb, ca
    return Interval(da, db, ca, cb, unit)


def _intersect(first: Interval, second: Interval) -> Interval | None:
    lows = [i for i in (first, second) if i.lower is not None and i.upper is None]
    highs = [i for i in (first, second) if i.upper is not None and i.lower is None]
    if len(lows) != 1 or len(highs) != 1:
        return None
    lo, hi = lows[0], highs[0]
    assert lo.lower is not None and hi.upper is not None
    if lo.lower >= hi.upper:
        raise Unreadable("条件“且”的两端围不成区间")
    return Interval(lo.lower, hi.upper, lo.lower_closed, hi.upper_closed, _unit(lo.unit, hi.unit))


# An age qualifier inside a metric's name: 新进人员中35岁及以下的(占比).
_QUALIFIER = re.compile(rf"{NUMBER}(?:周)?岁(?:及|或)?(?:以下|以上|以内)的?")


def metric_split(cond: str) -> tuple[str, str]:
    """The metric named at the start of a condition, and the rest.

    An age qualifier (``35岁及以下的``) before the condition belongs to the name:
    ``新进人员中35岁及以下的不低于80%`` names 新进人员中35岁及以下 (a share)."""
    m = OP_START.search(cond)
    if not m:
        return cond, ""
    q = _QUALIFIER.match(cond, m.start())
    if q and (after := OP_START.search(cond, q.end())):
        return cond[: after.start()].removesuffix("的"), cond[after.start():]
    return cond[: m.start()].removesuffix("在"), cond[m.start():]


# A must-not before a comparison negates it: 不得少于 is 不少于, 不应超过 is 不超过.
_MODAL = re.compile(r"(?:不得|不应|不能|不宜|不可|不准|应不|须不)$")


def condition(cond: str) -> tuple[str, Interval, bool] | None:
    """``(metric, interval, bare)`` of a value condition, or None if it is not one.

    ``bare`` is True for a number without comparison (``131人``: the target itself).
    """
    chain = _CHAIN.fullmatch(cond)
    if chain:
        a, ua, op1, name, op2, b, ub = chain.groups()
        return name, Interval(Decimal(a), Decimal(b), op1 == "≤", op2 == "≤", _unit(ua, ub)), False
    metric, rest = metric_split(cond)
    if not rest:
        return None
    modal = _MODAL.search(metric)
    if modal:  # 公示时间不得少于7天 is 不少于7天 (never 少于7天 under the name 公示时间不得)
        if not re.match(r"少于|低于|小于|超过|高于|大于|多于", rest):
            return None
        metric, rest = metric[: modal.start()], "不" + rest
    # 不低于总数的20%: a share of the whole, the same as 不低于20%.
    rest = re.sub(r"^([^\d]{1,3}?)(?:总数|总人数|总量)的(?=\d)", r"\1", rest)
    parts = re.split(r"(?:,?且|,?并且|,?但)", rest)
    if len(parts) == 1:  # 大于0小于等于10%: the upper bound's word right after a number
        parts = re.split(rf"(?<=[\d%])(?={_LT_WORDS}|{_LE_WORDS})", rest, maxsplit=1)
    if len(parts) == 2 and parts[1]:
        m2, rest2 = metric_split(parts[1])
        if m2 and m2 != metric:
            return None
        one, two = _half_line(parts[0]), _half_line(rest2)
        if one is None or two is None or one[1] or two[1]:
            return None
        both = _intersect(one[0], two[0])
        return None if both is None else (metric, both, False)
    interval = _range(rest)
    if interval is not None:
        return metric, interval, False
    half = _half_line(rest)
    if half is None:
        return None
    return metric, half[0], half[1]


@attrs.define
class _Ends:
    lo: Decimal | None
    hi: Decimal | None
    lc: bool | None
    uc: bool | None


def sort_key(i: Interval) -> tuple[int, Decimal, bool]:
    """Lowest values first; a point band before the band starting at it."""
    if i.lower is None:
        return (0, Decimal(0), False)
    return (1, i.lower, not i.point)


def assemble(intervals: list[Interval]) -> tuple[list[Interval], list[str]]:
    """Sorted, settled intervals (same objects' values) and the readings made.

    Raises Unreadable for a gap or an overlap the text creates.
    """
    readings: list[str] = []
    order = sorted(intervals, key=sort_key)
    ends = [_Ends(i.lower, i.upper, i.lower_closed, i.upper_closed) for i in order]
    # Conventions the text shows at touching ends: "lower" (the upper band takes the
    # point) or "upper" (the lower band takes it).
    shown: set[str] = set()
    pairs = []
    for n in range(len(order) - 1):
        a, b = ends[n], ends[n + 1]
        if a.hi is None or b.lo is None:
            raise Unreadable("区间重叠：两个区间都没有上界或下界")
        if a.hi != b.lo:
            if a.hi > b.lo:
                raise Unreadable(f"区间重叠：{_fmt(b.lo)}到{_fmt(a.hi)}落在两个区间里")
            raise Unreadable(f"区间之间有空档：{_fmt(a.hi)}到{_fmt(b.lo)}之间的得分未说明")
        pairs.append(n)
        if a.uc is True and b.lc is None:
            b.lc = False
        if a.uc is None and b.lc is True:
            a.uc = False
        if a.uc is False and b.lc is None:
            b.lc = True
        if a.uc is None and b.lc is False:
            a.uc = True
        if order[n].point or order[n + 1].point:
            continue
        if a.uc is True and b.lc is False:
            shown.add("upper")
        elif a.uc is False and b.lc is True:
            shown.add("lower")
    for n in pairs:
        a, b = ends[n], ends[n + 1]
        if a.uc is None and b.lc is None:
            if len(shown) == 1 and "upper" in shown:
                a.uc, b.lc = True, False
                readings.append(f"{_fmt(a.hi)}未注明含否：按文中其他端点的写法，归入较低的区间")
            else:
                a.uc, b.lc = False, True
                why = ("按文中其他端点的写法" if shown == {"lower"}
                       else "文中其他端点两种写法都有，按含下限" if shown
                       else "文中没有注明，按含下限")
                readings.append(f"{_fmt(a.hi)}未注明含否：{why}，归入较高的区间")
        if a.uc and b.lc:
            raise Unreadable(f"区间重叠：{_fmt(a.hi)}同时落在两个区间里")
        if not a.uc and not b.lc:
            raise Unreadable(f"区间之间有空档：恰为{_fmt(a.hi)}时得分未说明")
    out = []
    for i, e in zip(order, ends, strict=True):
        if e.lc is None:
            e.lc = True
            if e.lo is not None and i is order[0]:
                readings.append(f"最低区间的下端{_fmt(e.lo)}未注明含否：按含读")
        if e.uc is None:
            e.uc = True
            if e.hi is not None and i is order[-1]:
                readings.append(f"最高区间的上端{_fmt(e.hi)}未注明含否：按含读")
        out.append(Interval(e.lo, e.hi, e.lc, e.uc, i.unit))
    return out, readings


def _fmt(d: Decimal | None) -> str:
    return "∞" if d is None else f"{d.normalize():f}"
