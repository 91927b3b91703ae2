"""A requirement of several parts, one of them a number, met or not: a yes/no.

``实行村级公示制,公示补贴面积、补贴标准、补贴金额等,公示时间不得少于7天,得5分;未达要求的,不得分``:
the award holds when every part of the requirement is met, and the no-branch is the
requirement not met (``未达要求``, ``达不到要求``, ``否则``). The number is a part of the
requirement, not a value the row is scored on: the fact is a yes/no named by the
requirement's first part, the whole requirement (its number included) in the fact's
description, a reading. Read only when the requirement has a part without a number
besides the parts with one (a bare bound, ``完成率不低于90%得5分，否则不得分``, is bands) and
no part is a scoring step (``每``) or an evaluator's judgement.
"""

from __future__ import annotations

import re
from typing import Any

from .clauses import Notes, outcome
from .draft import Context, Draft, check_points, clean_name, fmt, points_of
from .intervals import condition

__all__ = ["read_requirement"]

_NOT_MET = re.compile(r"(?:未达(?:到)?(?:要求|标准)|达不到(?:要求|标准)|不符合要求|否则)(?:的)?")


def read_requirement(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    if len(clauses) != 2:
        return None
    cond, pts, deducts = outcome(clauses[0])
    if pts is None or deducts or "每" in cond:
        return None
    neg_cond, neg_pts, neg_deducts = outcome(clauses[1])
    if neg_pts is None or neg_deducts or not _NOT_MET.fullmatch(neg_cond.rstrip(",")):
        return None
    parts = [p for p in re.split(r",", cond.removesuffix("的")) if p]
    numbered = [p for p in parts if re.search(r"\d", p)]
    plain = [p for p in parts if not re.search(r"\d", p)]
    if not numbered or not plain:
        return None
    for part in numbered:  # each bound names what it bounds (公示时间不得少于7天)
        read = condition(part)
        if read is not None and not clean_name(read[0]):
            return None
    yes, no = points_of(pts, notes, ctx), points_of(neg_pts, notes, ctx)
    if yes <= no:
        return None
    check_points(yes, notes, ctx)
    first = clean_name(parts[0]) if not re.search(r"\d", parts[0]) else ""
    name = f"{first}等要求全部达到" if first else "要求全部达到"
    fact = ctx.fact or name
    requirement = "，".join(parts)
    spec: dict[str, Any] = {"type": "boolean", "description": requirement}
    readings = [(f"“{'”“'.join(numbered)}”是要求的一部分，不是计分的数值：整个要求是一个是否事实"
                 f"“{fact}”（全部达到为是），要求记在事实的说明里"),
                f"“{neg_cond.rstrip(',')}”是要求未全部达到：得{fmt(no)}分"]
    return Draft({"kind": "boolean", "fact": fact, "yes_points": yes, "no_points": no},
                 {fact: spec}, readings)
