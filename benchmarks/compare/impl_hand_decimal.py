"""Reference implementation: plain Python with decimal.Decimal, exact.

Float trick needed: none. Inputs are parsed with Decimal(str) (exact), step sizes are exact
decimals (131 * 5% = 6.55), and the only inexact operation is a division whose result is not
on any boundary (a 28-digit quotient cannot round onto a boundary it is >= 1e-7 away from).
This is the implementation every other one must agree with.

``row_scores`` gives the per-row scores (diagnostics); ``evaluate``, the timed function, is
the same table written for speed the way a careful engineer would: one function, plain
locals, Decimal constants compared with Decimal values, no list of rows, no helper calls.
Whole steps are ``math.floor(amount / step)`` as in ``row_scores``, except for the whole
counts given as ``int`` (新增…企业, 选派科技特派员), whose steps of 10 % of an integer
target are exact in integer arithmetic: ``(target - x) * 10 // target``. ``run.py`` checks ``evaluate`` equal to ``sum(row_scores(f))`` on every fact
set before timing.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal as D

ZERO, HUNDRED = D(0), D(100)
DEADLINE = date(2023, 12, 31)
STAFF_TARGET = D(131)
STAFF_STEP = STAFF_TARGET * D(5) / HUNDRED  # 6.55 persons
# (fact, max points, target, step = 10% of target)
BELOW_TARGET = (
    ("规模工业增加值增长率", 5, D(8)),
    ("新增规模工业企业", 5, D(20)),
    ("新增高新技术企业", 3, D(15)),
    ("新增国家级专精特新小巨人企业", 2, D(1)),
    ("新增省级专精特新小巨人企业", 2, D(3)),
    ("高新技术产值", 2, D(628)),
    ("选派科技特派员", 5, D(100)),
)
BELOW_TARGET = tuple((name, pts, t, t * D(10) / HUNDRED) for name, pts, t in BELOW_TARGET)
BALANCE = {"无结余": 5, "未超过上年结余": 3, "超过上年结余": 0}


def _control_band(rate: D) -> int:
    if rate <= 100:
        return 5
    if rate <= 110:
        return 4
    if rate <= 120:
        return 3
    if rate <= 130:
        return 2
    return 0


def _below_target(x: D, points: int, target: D, step: D) -> int:
    if x >= target:
        return points
    return max(0, points - math.floor((target - x) / step))


def row_scores(f: dict) -> list[int]:
    s = []
    # 1 预算调整率 = 预算调整数 / 预算数 * 100
    rate = D(f["预算调整数"]) * HUNDRED / D(f["预算数"])
    s.append(5 if rate == 0 else 4 if rate <= 10 else 3 if rate <= 20 else 2 if rate <= 30 else 0)
    # 2, 3 预算控制率
    s.append(_control_band(D(f["基本支出实际支出"]) * HUNDRED / D(f["基本支出年度总预算"])))
    s.append(_control_band(D(f["项目支出实际支出"]) * HUNDRED / D(f["项目支出年度总预算"])))
    # 4 资金结余情况
    s.append(BALANCE.get(f["资金结余情况"], 0))
    # 5
    s.append(5 if f["分项目核算结余结转"] else 0)
    # 6 三公经费控制率: one point per whole percentage point over 100
    budget, spend = D(f["三公经费预算安排数"]), D(f["三公经费实际支出数"])
    if budget == 0:
        s.append(5 if spend == 0 else 0)
    else:
        rate = spend * HUNDRED / budget
        s.append(5 if rate <= 100 else max(0, 5 - math.floor(rate - HUNDRED)))
    # 7 管理制度健全性
    s.append((3 if f["已制定管理制度"] else 0) + (2 if f["管理制度合法合规完整"] else 0))
    # 8
    s.append(5 if f["项目支出分项目单独核算"] else 0)
    # 9 预决算信息公开
    s.append((3 if f["按规定内容公开"] else 0) + (2 if f["按规定时限公开"] else 0))
    # 10
    s.append(5 if f["政府采购执行"] else 0)
    # 11 资产管理制度健全性
    s.append((3 if f["已制定资产管理制度"] else 0) + (2 if f["资产管理制度合法合规完整"] else 0))
    # 12 供养人数: two-sided, steps of 6.55 persons
    deviation = abs(D(f["供养人数"]) - STAFF_TARGET)
    s.append(max(0, 3 - math.floor(deviation / STAFF_STEP)))
    # 13-19 below-target steps
    for name, points, target, step in BELOW_TARGET:
        s.append(_below_target(D(f[name]), points, target, step))
    # 20
    s.append(3 if f["四G和光纤宽带自然村全覆盖"] else 0)
    # 21 绩效目标按时完成
    s.append(3 if date.fromisoformat(f["绩效目标完成日期"]) <= DEADLINE else 0)
    # 22-24
    s.append(3 if f["完成工作任务促进县域经济发展"] else 0)
    s.append(3 if f["社会稳定环境良好"] else 0)
    s.append(3 if f["推广生态技术促进环境改善"] else 0)
    # 25 服务对象满意度: one point per whole percentage point (absolute) under 90
    x = D(f["服务对象满意度"])
    s.append(3 if x >= 90 else max(0, 3 - math.floor(90 - x)))
    return s


_floor = math.floor
_fromiso = date.fromisoformat
(D10, D20, D30, D110, D120, D130, D8, D08, D628, D628S, D90) = (
    D(10), D(20), D(30), D(110), D(120), D(130), D(8), D("0.8"), D(628), D("62.8"), D(90))


def evaluate(f: dict) -> int:
    """Total score of one fact set (an int: every point in this table is whole), written
    for speed (see the module docstring)."""
    t = 0
    r = D(f["预算调整数"]) * HUNDRED / D(f["预算数"])
    t += 5 if r == ZERO else 4 if r <= D10 else 3 if r <= D20 else 2 if r <= D30 else 0
    r = D(f["基本支出实际支出"]) * HUNDRED / D(f["基本支出年度总预算"])
    t += 5 if r <= HUNDRED else 4 if r <= D110 else 3 if r <= D120 else 2 if r <= D130 else 0
    r = D(f["项目支出实际支出"]) * HUNDRED / D(f["项目支出年度总预算"])
    t += 5 if r <= HUNDRED else 4 if r <= D110 else 3 if r <= D120 else 2 if r <= D130 else 0
    t += BALANCE.get(f["资金结余情况"], 0)
    if f["分项目核算结余结转"]:
        t += 5
    budget, spend = D(f["三公经费预算安排数"]), D(f["三公经费实际支出数"])
    if budget == ZERO:
        if spend == ZERO:
            t += 5
    else:
        r = spend * HUNDRED / budget
        if r <= HUNDRED:
            t += 5
        else:
            k = 5 - _floor(r - HUNDRED)
            if k > 0:
                t += k
    if f["已制定管理制度"]:
        t += 3
    if f["管理制度合法合规完整"]:
        t += 2
    if f["项目支出分项目单独核算"]:
        t += 5
    if f["按规定内容公开"]:
        t += 3
    if f["按规定时限公开"]:
        t += 2
    if f["政府采购执行"]:
        t += 5
    if f["已制定资产管理制度"]:
        t += 3
    if f["资产管理制度合法合规完整"]:
        t += 2
    k = 3 - _floor(abs(D(f["供养人数"]) - STAFF_TARGET) / STAFF_STEP)
    if k > 0:
        t += k
    x = D(f["规模工业增加值增长率"])
    t += 5 if x >= D8 else max(0, 5 - _floor((D8 - x) / D08))
    # whole counts: exact in int arithmetic (target - x) * 10 // target = floor((t - x) / (t/10))
    x = f["新增规模工业企业"]
    t += 5 if x >= 20 else max(0, 5 - (20 - x) * 10 // 20)
    x = f["新增高新技术企业"]
    t += 3 if x >= 15 else max(0, 3 - (15 - x) * 10 // 15)
    x = f["新增国家级专精特新小巨人企业"]
    t += 2 if x >= 1 else max(0, 2 - (1 - x) * 10)
    x = f["新增省级专精特新小巨人企业"]
    t += 2 if x >= 3 else max(0, 2 - (3 - x) * 10 // 3)
    x = D(f["高新技术产值"])
    t += 2 if x >= D628 else max(0, 2 - _floor((D628 - x) / D628S))
    x = f["选派科技特派员"]
    t += 5 if x >= 100 else max(0, 5 - (100 - x) // 10)
    if f["四G和光纤宽带自然村全覆盖"]:
        t += 3
    if _fromiso(f["绩效目标完成日期"]) <= DEADLINE:
        t += 3
    if f["完成工作任务促进县域经济发展"]:
        t += 3
    if f["社会稳定环境良好"]:
        t += 3
    if f["推广生态技术促进环境改善"]:
        t += 3
    x = D(f["服务对象满意度"])
    t += 3 if x >= D90 else max(0, 3 - _floor(D90 - x))
    return t
