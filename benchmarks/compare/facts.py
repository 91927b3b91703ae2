"""Random fact sets for the comparison benchmark (issue 6), deterministic for a seed.

Every fact set is a flat dict keyed by the fact names of the ruleset (Chinese identifiers).
Value types, chosen so that no implementation gets its inputs pre-digested:

* money (万元)           -> ``str`` with 2 decimals, e.g. "1234.50"
* rates (%)              -> ``str`` with 1 or 2 decimals, e.g. "89.9"
* 高新技术产值 (亿元)    -> ``str`` with 1 decimal
* counts (人, 家)        -> ``int``
* yes/no facts           -> ``bool``
* 资金结余情况           -> ``str`` (one of three categories)
* 绩效目标完成日期       -> ``str`` ISO date 'YYYY-MM-DD'

The first fact sets walk through every band and step boundary of every row (values exactly on
the boundary and one unit either side); the rest mix random values with boundary values, so
each boundary shows up many times in combination with the others. A few fact sets have a zero
三公经费 budget, with zero and with non-zero spend.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

__all__ = ["BOOL_FACTS", "FACT_NAMES", "NUMERIC_FACTS", "generate"]

C = Decimal("0.01")
CATEGORIES = ("无结余", "未超过上年结余", "超过上年结余")
BOOL_FACTS = (
    "分项目核算结余结转",
    "已制定管理制度",
    "管理制度合法合规完整",
    "项目支出分项目单独核算",
    "按规定内容公开",
    "按规定时限公开",
    "政府采购执行",
    "已制定资产管理制度",
    "资产管理制度合法合规完整",
    "四G和光纤宽带自然村全覆盖",
    "完成工作任务促进县域经济发展",
    "社会稳定环境良好",
    "推广生态技术促进环境改善",
)
# (fact, target, relative step in % of the target) of the "whole steps below target" count rows
COUNT_ROWS = (
    ("新增规模工业企业", 20, 10),
    ("新增高新技术企业", 15, 10),
    ("新增国家级专精特新小巨人企业", 1, 10),
    ("新增省级专精特新小巨人企业", 3, 10),
    ("选派科技特派员", 100, 10),
)
# facts given as decimal strings (money, rates, 产值); each implementation parses them itself
NUMERIC_FACTS = (
    "预算数", "预算调整数", "基本支出年度总预算", "基本支出实际支出", "项目支出年度总预算",
    "项目支出实际支出", "三公经费预算安排数", "三公经费实际支出数", "规模工业增加值增长率",
    "高新技术产值", "服务对象满意度",
)
FACT_NAMES = (
    "预算数", "预算调整数",
    "基本支出年度总预算", "基本支出实际支出",
    "项目支出年度总预算", "项目支出实际支出",
    "资金结余情况",
    "三公经费预算安排数", "三公经费实际支出数",
    "供养人数", "规模工业增加值增长率",
    *(name for name, _, _ in COUNT_ROWS),
    "高新技术产值", "绩效目标完成日期", "服务对象满意度",
    *BOOL_FACTS,
)


def _money(x: Decimal) -> str:
    return str(x.quantize(C))


def _rate(rng: random.Random, lo: float, hi: float) -> str:
    """A percentage with 1 or 2 decimals, uniform in [lo, hi]."""
    places = rng.choice((1, 2))
    v = Decimal(repr(rng.uniform(lo, hi))).quantize(Decimal(1).scaleb(-places))
    return str(v)


def _near(v: Decimal, unit: Decimal, rng: random.Random) -> Decimal:
    """v itself (most often) or one unit either side of it."""
    return v + unit * rng.choice((0, 0, 0, -1, 1))


def _budget(rng: random.Random) -> Decimal:
    """Budgets are whole 万元 (so k% of them has at most 2 decimals) or random cents."""
    if rng.random() < 0.6:
        return Decimal(rng.randint(50, 50000))
    return Decimal(rng.randint(1000, 9_999_999)) * C


def _ratio_pair(rng: random.Random, edge: int | None, marks: list[int], lo: float, hi: float,
                budget: Decimal | None = None) -> tuple[str, str]:
    """(budget, spend) whose spend/budget*100 is on a boundary in ``marks`` or random."""
    b = budget if budget is not None else _budget(rng)
    if edge is not None or rng.random() < 0.5:
        k = marks[edge % len(marks)] if edge is not None else rng.choice(marks)
        s = (b * k / 100).quantize(C)
        if s == b * k / 100:  # only nudge when the boundary is representable in cents
            s = _near(s, C, rng) if edge is None else s + C * ((edge // len(marks)) % 3 - 1)
    else:
        s = (b * Decimal(repr(rng.uniform(lo, hi)))).quantize(C)
    return _money(b), _money(max(s, Decimal(0)))


def _one(rng: random.Random, edge: int | None) -> dict[str, object]:
    f: dict[str, object] = {}
    f["预算数"], f["预算调整数"] = _ratio_pair(rng, edge, [0, 10, 20, 30], 0.0, 0.45)
    f["基本支出年度总预算"], f["基本支出实际支出"] = _ratio_pair(
        rng, edge, [100, 110, 120, 130], 0.6, 1.5)
    f["项目支出年度总预算"], f["项目支出实际支出"] = _ratio_pair(
        rng, edge, [100, 110, 120, 130], 0.6, 1.5)
    f["资金结余情况"] = CATEGORIES[edge % 3] if edge is not None else rng.choice(CATEGORIES)

    # 三公经费: small budgets; every whole point over 100% is a step boundary
    u = rng.random()
    if (edge is not None and edge % 17 == 0) or (edge is None and u < 0.02):
        f["三公经费预算安排数"], f["三公经费实际支出数"] = "0.00", "0.00"
    elif (edge is not None and edge % 17 == 1) or (edge is None and u < 0.04):
        f["三公经费预算安排数"] = "0.00"
        f["三公经费实际支出数"] = _money(Decimal(rng.randint(1, 50000)) * C)
    else:
        if rng.random() < 0.6:
            small = Decimal(rng.randint(1, 500))
        else:
            small = Decimal(rng.randint(100, 50000)) * C
        f["三公经费预算安排数"], f["三公经费实际支出数"] = _ratio_pair(
            rng, edge, [100, 101, 102, 103, 104, 105, 106], 0.8, 1.08, budget=small)

    # 供养人数: |x - 131| against steps of 6.55 persons
    devs = [0, 6, 7, 13, 14, 19, 20, 26, 27, 32, 33, 131]
    if edge is not None or rng.random() < 0.5:
        d = devs[edge % len(devs)] if edge is not None else rng.choice(devs)
        sign = -1 if ((edge // len(devs)) if edge is not None else rng.randint(0, 1)) % 2 else 1
        f["供养人数"] = 131 + sign * d
    else:
        f["供养人数"] = rng.randint(90, 175)

    # 规模工业增加值增长率: target 8, step 0.8 percentage points
    if edge is not None or rng.random() < 0.5:
        k = edge % 7 if edge is not None else rng.randint(0, 6)
        v = Decimal(8) - Decimal("0.8") * k
        unit = rng.choice((Decimal("0.1"), Decimal("0.01")))
        v = _near(v, unit, rng) if edge is None else v + unit * ((edge // 7) % 3 - 1)
        f["规模工业增加值增长率"] = str(v)
    else:
        f["规模工业增加值增长率"] = _rate(rng, -3.0, 15.0)  # negative growth scores 0

    for name, target, _pct in COUNT_ROWS:
        hi = max(3, int(target * 1.3))
        f[name] = (edge % (hi + 1)) if edge is not None else rng.randint(0, hi)

    # 高新技术产值 (亿元, 1 decimal): target 628, step 62.8
    if edge is not None or rng.random() < 0.5:
        k = edge % 8 if edge is not None else rng.randint(0, 7)
        v = Decimal(628) - Decimal("62.8") * k
        f["高新技术产值"] = str(v + Decimal("0.1") * (((edge // 8) % 3 - 1) if edge is not None
                                                  else rng.choice((0, 0, -1, 1))))
    else:
        f["高新技术产值"] = str(Decimal(rng.randint(2000, 8000)) / 10)

    days = [-1, 0, 1]
    if edge is not None or rng.random() < 0.4:
        delta = days[edge % 3] if edge is not None else rng.choice(days)
    else:
        delta = rng.randint(-200, 90)
    f["绩效目标完成日期"] = (date(2023, 12, 31) + timedelta(days=delta)).isoformat()

    # 服务对象满意度: >= 90 full marks, each whole point below deducts 1
    if edge is not None or rng.random() < 0.5:
        k = edge % 6 if edge is not None else rng.randint(0, 5)
        unit = rng.choice((Decimal("0.1"), Decimal("0.01")))
        v = Decimal(90 - k)
        f["服务对象满意度"] = str(v + unit * (((edge // 6) % 3 - 1) if edge is not None
                                             else rng.choice((0, 0, -1, 1))))
    else:
        f["服务对象满意度"] = _rate(rng, 75.0, 100.0)

    for name in BOOL_FACTS:
        f[name] = rng.random() < 0.7
    return f


def generate(n: int, seed: int = 2023) -> list[dict[str, object]]:
    """``n`` fact sets; the first few hundred walk the boundaries systematically."""
    rng = random.Random(seed)
    edges = min(n, 3 * 7 * 8 * 17)  # enough to cycle every boundary list with its ±1 neighbours
    out = [_one(rng, i) for i in range(edges)]
    out += [_one(rng, None) for _ in range(n - edges)]
    return out


if __name__ == "__main__":
    import json
    import sys

    for fs in generate(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        print(json.dumps(fs, ensure_ascii=False))
