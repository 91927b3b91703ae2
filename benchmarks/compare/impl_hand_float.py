"""Plain Python with floats, written as a careful human would.

Float trick needed (in ``row_scores``, the per-row diagnostic): every derived quantity that is compared with a band edge or floored into
whole steps is first rounded to 9 decimals (``round(x, 9)``), and step sizes are written as
decimal literals instead of being computed (131 * 0.05 == 6.550000000000001 and
3 * 0.1 == 0.30000000000000004 in binary floats). Without the rounding, e.g.
(8 - 7.2) / 0.8 == 0.9999999999999998 floors to 0 steps instead of 1, and
110.00 / 100.00 * 100 == 110.00000000000001 falls into the (110, 120] band instead of
(100, 110]. Rounding to 9 places is safe here because inputs have at most 2 decimals and money
at most 10^7 cents, so a true value that is *not* on a boundary is >= 1e-7 away from it, while
float noise is ~1e-13.

``evaluate`` is the timed function: the same table written for speed the way a careful
engineer would (one function, plain locals, no list of rows, no helper calls), snapping
with a 1e-9 tolerance instead of ``round(x, 9)`` (which formats the float through a string
and costs more than the rest of a row): a band edge ``rate <= 110`` is ``rate <= 110 + EPS``,
``rate == 0`` is ``rate < EPS`` (rates here are never negative), and whole steps are
``floor(amount / step + EPS)``. Safe for the same reason: a true value off a boundary is
>= 1e-7 away from it. ``run.py`` checks ``evaluate`` against ``sum(row_scores(f))`` and the
exact reference on every fact set before timing.
"""

from __future__ import annotations

import math
from datetime import date

DEADLINE = date(2023, 12, 31)
# (fact, max points, target, step = 10% of target, written out exactly)
BELOW_TARGET = (
    ("规模工业增加值增长率", 5, 8.0, 0.8),
    ("新增规模工业企业", 5, 20.0, 2.0),
    ("新增高新技术企业", 3, 15.0, 1.5),
    ("新增国家级专精特新小巨人企业", 2, 1.0, 0.1),
    ("新增省级专精特新小巨人企业", 2, 3.0, 0.3),
    ("高新技术产值", 2, 628.0, 62.8),
    ("选派科技特派员", 5, 100.0, 10.0),
)
BALANCE = {"无结余": 5, "未超过上年结余": 3, "超过上年结余": 0}


def _pct(part: float, whole: float) -> float:
    return round(part / whole * 100.0, 9)


def _steps(amount: float, step: float) -> int:
    """Whole steps in ``amount`` (>= 0), immune to float noise."""
    return math.floor(round(amount / step, 9))


def _control_band(rate: float) -> int:
    if rate <= 100:
        return 5
    if rate <= 110:
        return 4
    if rate <= 120:
        return 3
    if rate <= 130:
        return 2
    return 0


def row_scores(f: dict) -> list[int]:
    s = []
    # 1 预算调整率
    rate = _pct(float(f["预算调整数"]), float(f["预算数"]))
    s.append(5 if rate == 0 else 4 if rate <= 10 else 3 if rate <= 20 else 2 if rate <= 30 else 0)
    # 2, 3 预算控制率
    s.append(_control_band(_pct(float(f["基本支出实际支出"]), float(f["基本支出年度总预算"]))))
    s.append(_control_band(_pct(float(f["项目支出实际支出"]), float(f["项目支出年度总预算"]))))
    # 4
    s.append(BALANCE.get(f["资金结余情况"], 0))
    # 5
    s.append(5 if f["分项目核算结余结转"] else 0)
    # 6 三公经费控制率
    budget, spend = float(f["三公经费预算安排数"]), float(f["三公经费实际支出数"])
    if budget == 0:
        s.append(5 if spend == 0 else 0)
    else:
        rate = _pct(spend, budget)
        s.append(5 if rate <= 100 else max(0, 5 - _steps(rate - 100.0, 1.0)))
    # 7, 8, 9, 10, 11
    s.append((3 if f["已制定管理制度"] else 0) + (2 if f["管理制度合法合规完整"] else 0))
    s.append(5 if f["项目支出分项目单独核算"] else 0)
    s.append((3 if f["按规定内容公开"] else 0) + (2 if f["按规定时限公开"] else 0))
    s.append(5 if f["政府采购执行"] else 0)
    s.append((3 if f["已制定资产管理制度"] else 0) + (2 if f["资产管理制度合法合规完整"] else 0))
    # 12 供养人数: two-sided, steps of 6.55 persons
    s.append(max(0, 3 - _steps(abs(float(f["供养人数"]) - 131.0), 6.55)))
    # 13-19
    for name, points, target, step in BELOW_TARGET:
        x = float(f[name])
        s.append(points if x >= target else max(0, points - _steps(target - x, step)))
    # 20
    s.append(3 if f["四G和光纤宽带自然村全覆盖"] else 0)
    # 21
    s.append(3 if date.fromisoformat(f["绩效目标完成日期"]) <= DEADLINE else 0)
    # 22-24
    s.append(3 if f["完成工作任务促进县域经济发展"] else 0)
    s.append(3 if f["社会稳定环境良好"] else 0)
    s.append(3 if f["推广生态技术促进环境改善"] else 0)
    # 25 服务对象满意度
    x = float(f["服务对象满意度"])
    s.append(3 if x >= 90 else max(0, 3 - _steps(90.0 - x, 1.0)))
    return s


EPS = 1e-9
_floor = math.floor
_fromiso = date.fromisoformat


def evaluate(f: dict) -> int:
    """Total score of one fact set, written for speed (see the module docstring)."""
    t = 0
    r = float(f["预算调整数"]) / float(f["预算数"]) * 100.0
    t += 5 if r < EPS else 4 if r <= 10 + EPS else 3 if r <= 20 + EPS else 2 if r <= 30 + EPS else 0
    r = float(f["基本支出实际支出"]) / float(f["基本支出年度总预算"]) * 100.0
    t += 5 if r <= 100 + EPS else 4 if r <= 110 + EPS else 3 if r <= 120 + EPS else 2 if r <= 130 + EPS else 0
    r = float(f["项目支出实际支出"]) / float(f["项目支出年度总预算"]) * 100.0
    t += 5 if r <= 100 + EPS else 4 if r <= 110 + EPS else 3 if r <= 120 + EPS else 2 if r <= 130 + EPS else 0
    t += BALANCE.get(f["资金结余情况"], 0)
    if f["分项目核算结余结转"]:
        t += 5
    budget, spend = float(f["三公经费预算安排数"]), float(f["三公经费实际支出数"])
    if budget == 0:
        if spend == 0:
            t += 5
    else:
        r = spend / budget * 100.0
        if r <= 100 + EPS:
            t += 5
        else:
            k = 5 - _floor(r - 100.0 + EPS)
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
    k = 3 - _floor(abs(f["供养人数"] - 131) / 6.55 + EPS)
    if k > 0:
        t += k
    x = float(f["规模工业增加值增长率"])
    t += 5 if x >= 8.0 else max(0, 5 - _floor((8.0 - x) / 0.8 + EPS))
    x = f["新增规模工业企业"]
    t += 5 if x >= 20 else max(0, 5 - _floor((20 - x) / 2.0 + EPS))
    x = f["新增高新技术企业"]
    t += 3 if x >= 15 else max(0, 3 - _floor((15 - x) / 1.5 + EPS))
    x = f["新增国家级专精特新小巨人企业"]
    t += 2 if x >= 1 else max(0, 2 - _floor((1 - x) / 0.1 + EPS))
    x = f["新增省级专精特新小巨人企业"]
    t += 2 if x >= 3 else max(0, 2 - _floor((3 - x) / 0.3 + EPS))
    x = float(f["高新技术产值"])
    t += 2 if x >= 628.0 else max(0, 2 - _floor((628.0 - x) / 62.8 + EPS))
    x = f["选派科技特派员"]
    t += 5 if x >= 100 else max(0, 5 - _floor((100 - x) / 10.0 + EPS))
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
    x = float(f["服务对象满意度"])
    t += 3 if x >= 90.0 else max(0, 3 - _floor(90.0 - x + EPS))
    return t
