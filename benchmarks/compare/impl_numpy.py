"""numpy over a batch: prebuilt float/bool/str/datetime64 columns in, array of totals out.

Float trick needed: the same as hand_float, vectorised: every ratio and every
shortfall / step quotient goes through ``np.round(x, 9)`` before it is compared with a band
edge or floored, and step sizes are decimal literals (6.55, 0.8, 62.8 ...), never products
like 131 * 0.05. The zero 三公 budget is handled with ``np.divide(..., where=budget != 0)``.

``build_columns`` (parsing the fact dicts into arrays) is *not* timed: the benchmark times
``evaluate_batch`` only and reports time / batch size.
"""

from __future__ import annotations

import numpy as np
from facts import BOOL_FACTS, FACT_NAMES

TEXT_FACTS = ("资金结余情况",)
DATE_FACTS = ("绩效目标完成日期",)
DEADLINE = np.datetime64("2023-12-31", "D")
BELOW_TARGET = (
    ("规模工业增加值增长率", 5, 8.0, 0.8),
    ("新增规模工业企业", 5, 20.0, 2.0),
    ("新增高新技术企业", 3, 15.0, 1.5),
    ("新增国家级专精特新小巨人企业", 2, 1.0, 0.1),
    ("新增省级专精特新小巨人企业", 2, 3.0, 0.3),
    ("高新技术产值", 2, 628.0, 62.8),
    ("选派科技特派员", 5, 100.0, 10.0),
)


def build_columns(facts: list[dict]) -> dict[str, np.ndarray]:
    cols: dict[str, np.ndarray] = {}
    for name in FACT_NAMES:
        values = [f[name] for f in facts]
        if name in BOOL_FACTS:
            cols[name] = np.array(values, dtype=bool)
        elif name in TEXT_FACTS:
            cols[name] = np.array(values, dtype=str)
        elif name in DATE_FACTS:
            cols[name] = np.array(values, dtype="datetime64[D]")
        else:
            cols[name] = np.array([float(v) for v in values], dtype=np.float64)
    return cols


def _pct(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    return np.round(part / whole * 100.0, 9)


def _steps(amount: np.ndarray, step: float) -> np.ndarray:
    return np.floor(np.round(amount / step, 9))


def _control_band(rate: np.ndarray) -> np.ndarray:
    return np.select([rate <= 100, rate <= 110, rate <= 120, rate <= 130], [5, 4, 3, 2], 0)


def evaluate_batch(c: dict[str, np.ndarray]) -> np.ndarray:
    # 1
    rate = _pct(c["预算调整数"], c["预算数"])
    total = np.select([rate == 0, rate <= 10, rate <= 20, rate <= 30], [5, 4, 3, 2], 0)
    total = total.astype(np.float64)
    # 2, 3
    total += _control_band(_pct(c["基本支出实际支出"], c["基本支出年度总预算"]))
    total += _control_band(_pct(c["项目支出实际支出"], c["项目支出年度总预算"]))
    # 4
    bal = c["资金结余情况"]
    total += np.where(bal == "无结余", 5, np.where(bal == "未超过上年结余", 3, 0))
    # 5
    total += 5 * c["分项目核算结余结转"]
    # 6 三公经费控制率
    budget, spend = c["三公经费预算安排数"], c["三公经费实际支出数"]
    nonzero = budget != 0
    rate = np.round(np.divide(spend, budget, out=np.zeros_like(spend), where=nonzero) * 100.0, 9)
    over = np.maximum(0, 5 - _steps(np.maximum(rate - 100.0, 0.0), 1.0))
    total += np.where(nonzero, np.where(rate <= 100, 5, over), np.where(spend == 0, 5, 0))
    # 7-11
    total += 3 * c["已制定管理制度"] + 2 * c["管理制度合法合规完整"]
    total += 5 * c["项目支出分项目单独核算"]
    total += 3 * c["按规定内容公开"] + 2 * c["按规定时限公开"]
    total += 5 * c["政府采购执行"]
    total += 3 * c["已制定资产管理制度"] + 2 * c["资产管理制度合法合规完整"]
    # 12
    total += np.maximum(0, 3 - _steps(np.abs(c["供养人数"] - 131.0), 6.55))
    # 13-19
    for name, points, target, step in BELOW_TARGET:
        x = c[name]
        total += np.where(x >= target, points,
                          np.maximum(0, points - _steps(np.maximum(target - x, 0.0), step)))
    # 20
    total += 3 * c["四G和光纤宽带自然村全覆盖"]
    # 21
    total += np.where(c["绩效目标完成日期"] <= DEADLINE, 3, 0)
    # 22-24
    total += 3 * c["完成工作任务促进县域经济发展"]
    total += 3 * c["社会稳定环境良好"]
    total += 3 * c["推广生态技术促进环境改善"]
    # 25
    x = c["服务对象满意度"]
    total += np.where(x >= 90, 3, np.maximum(0, 3 - _steps(np.maximum(90.0 - x, 0.0), 1.0)))
    return total
