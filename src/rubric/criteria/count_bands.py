"""A count's bands written as a deduction and a row's zero.

``发现1次的,扣0.5分;发现2次及以上的,此项不得分``: once deducts, twice or more zeroes the row.

It scores the 分值 for none, the 分值 less the deduction
for one, 0 from two on. That is no per-occurrence deduction (two deductions of 0.5 from
1.5 leave 0.5, not 0) and no veto (its condition bounds a count): it is bands on the count
of what the text says is found, the requirement before it (``是否…``, the questions) in the
count's description, and the 分值 the row's (a ``(1.5分)`` in the title must be it). Read
only when the two counts follow each other (1, then 2 及以上) and the deduction leaves
more than 0.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .clauses import FULL, Notes
from .draft import Context, Draft, check_points, fmt, points_of
from .lexer import NUMBER

__all__ = ["read_count_bands"]

_COUNT_BANDS = re.compile(
    rf"(?:(?P<title>[^;()]*)\((?P<p>{NUMBER})分\);)?(?P<req>[^()]*?);?"
    rf"(?P<verb>发现|出现|发生)1(?P<c>次|例|起|处)的?,扣(?P<x>{NUMBER})分;"
    r"(?:(?P=verb))?有?2(?P=c)及以上的?,(?:此项|该项|本项)?(?:不得分|得0分|计0分)")


def read_count_bands(s: str, ctx: Context) -> Draft | None:
    """The normalised text ``s`` as a count's bands, or None when it is not that form."""
    m = _COUNT_BANDS.fullmatch(s)
    if m is None or re.search(r"\d|扣|得分|每", m["req"] + (m["title"] or "")):
        return None
    stated = Decimal(m["p"]) if m["p"] else None
    points = points_of(stated if stated is not None else FULL, Notes(), ctx)
    check_points(points, Notes(), ctx)
    once = Decimal(fmt(points - Decimal(m["x"])))
    if once <= 0:
        return None
    c = m["c"]
    fact = ctx.fact or f"{m['verb']}{c}数"
    requirement = "；".join(p for p in (m["title"], m["req"].strip(";")) if p)
    x = fmt(Decimal(m["x"]))
    readings = [(f"“{m['verb']}1{c}扣{x}分；2{c}及以上不得分”是{c}数的区间：0{c}得"
                 f"{fmt(points)}分，1{c}得{fmt(once)}分，2{c}及以上得0分（不是每{c}扣分）"),
                (f"事实“{fact}”是{m['verb']}的{c}数（可用 fact 指定）：区间写作<1、[1, 2)、≥2，"
                 "每个整数的次数各落其一")]
    if requirement:
        readings.append(f"“{requirement}”是要求：记在事实的说明里")
    if stated is not None:
        readings.append(f"标题里的“({m['p']}分)”是这一行的分值")
    bands = [{"range": "<1", "points": points}, {"range": "[1, 2)", "points": once},
             {"range": "≥2", "points": Decimal(0)}]
    spec: dict[str, object] = {"minimum": Decimal(0)}
    if requirement:
        spec["description"] = requirement
    return Draft({"kind": "bands", "fact": fact, "direction": "lower", "bands": bands},
                 {fact: dict(spec)}, readings)
