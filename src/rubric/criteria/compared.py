"""A deduction whose target is another quantity the row names, not a number.

``平均年龄不大于市级部门人员平均年龄的，得2分；每超平均年龄1岁的，扣0.5分`` and ``…占比，不低于
…的占比的，得2.5分；每低1%，扣0.1分``: the full marks hold while one quantity does not pass
another, and each step past it deducts. Both quantities are facts of the row, so the rule
reads their difference: the fact ``X减Y`` (X − Y, in the step's unit), with target 0 and
the side the comparison gives. Read only when the compared quantity holds no number, the
step names nothing but the compared quantity (or nothing), the step's direction is the
one the comparison bounds, and the step's unit is a percentage (on two 占比/率: points of
the difference, a reading) or a unit of the registry (``岁`` is years of age, ``年``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from .clauses import Notes, outcome
from .draft import Context, Draft, check_points, clean_name, fmt, points_of
from .intervals import Unreadable
from .lexer import NUMBER

__all__ = ["read_compared_deduction"]

_NOT_ABOVE = "不大于|不高于|不超过|不多于"
_NOT_BELOW = "不低于|不少于|不小于"
_FULL = re.compile(rf"(?P<x>[^\d≤≥<>=]+?),?(?P<cmp>{_NOT_ABOVE}|{_NOT_BELOW})"
                   rf"(?P<y>[^\d≤≥<>=]+?)(?:的|时)?$")
_STEP = re.compile(rf"每(?P<verb>超过|超出|超|高于|高|多|低于|低|少于|少)(?P<ref>[^\d]*?)"
                   rf"(?P<step>{NUMBER})(?P<unit>%|个百分点|百分点|岁|年)(?:的)?$")
_ABOVE_VERBS = ("超过", "超出", "超", "高于", "高", "多")
# Units a fact may be declared in, for the units a step is printed in.
_UNITS = {"%": "%", "个百分点": "%", "百分点": "%", "岁": "年", "年": "年"}
_RATE = re.compile(r"占比|比例|比重|率")


def read_compared_deduction(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    if len(clauses) != 2 or notes.standard is not None:
        return None
    bcond, bpts, bded = outcome(clauses[0])
    scond, per_step, sded = outcome(clauses[1])
    if bpts is None or bded or not sded or not isinstance(per_step, Decimal):
        return None
    full, step = _FULL.fullmatch(bcond), _STEP.fullmatch(scond)
    if full is None or step is None:
        return None
    x, y = clean_name(full["x"]), clean_name(full["y"])
    ref = clean_name(step["ref"])
    if not x or not y or (ref and not (y.endswith(ref) or x.endswith(ref))):
        return None
    side = "above" if re.fullmatch(_NOT_ABOVE, full["cmp"]) else "below"
    if (step["verb"] in _ABOVE_VERBS) != (side == "above"):
        raise Unreadable(f"扣分的方向“每{step['verb']}”与得满分的条件“{full['cmp']}{y}”不一致")
    unit = _UNITS[step["unit"]]
    readings: list[str] = []
    if unit == "%":
        if not (_RATE.search(x) and _RATE.search(y)):
            raise Unreadable(f"步长是百分数，但“{x}”与“{y}”不都是占比或比率："
                             "读不出是百分点还是目标的百分比")
        if step["unit"] == "%":
            readings.append(f"两个占比之差的“每{step['verb']}{fmt(Decimal(step['step']))}%”"
                            "按百分点计（basis: absolute；domain §3.1）")
    elif step["unit"] == "岁":
        readings.append("“岁”是年龄的年数：事实的单位记作年")
    points = points_of(bpts, notes, ctx)
    check_points(points, notes, ctx)
    fact = ctx.fact or f"{x}减{y}"
    readings.append(f"目标是另一个量“{y}”，不是一个数：事实“{fact}”是{x}减{y}的差"
                    f"（{unit}），目标为0（两者相等）")
    if ref:
        readings.append(f"扣分条件里的“{ref}”即得满分条件里比较的“{y}”")
    readings += ["不足一步的部分不扣分（partial: floor）", "恰为整步时按整步扣（boundary: counts）"]
    mapping = {"kind": "deduction", "fact": fact, "target": Decimal(0), "points": points,
               "side": side, "basis": "absolute", "step": Decimal(step["step"]),
               "per_step": per_step, "partial": "floor", "boundary": "counts",
               "floor": Decimal(0)}
    spec = {"unit": ctx.unit or unit, "description": f"{x} − {y}（{unit}）"}
    return Draft(mapping, {fact: spec}, readings)
