"""simpleeval: one expression per row (and one per derived rate), as a user would write them.

Python identifiers may be Chinese, so the expressions read the fact names directly
(``预算调整数 / 预算数 * 100``). Each call converts the fact set (decimal strings -> float),
evaluates the four derived-rate expressions into the names, then the 25 row expressions, and
adds them up. One ``SimpleEval`` instance is built once, with a function whitelist
(``floor max abs snap date``) instead of the defaults (which include ``rand``).

Two ways are timed:

* ``make_parsed``: each expression parsed once (``SimpleEval.parse``) and evaluated with
  ``eval(text, previously_parsed=tree)`` — what a user who cares about speed does;
* ``make_text``: ``eval(text)`` on every call, the usage of simpleeval's README (the text is
  re-parsed with ``ast.parse`` every time).

Float trick needed: the same as hand_float. Every rate compared with a band edge or floored
into whole steps goes through ``snap`` (``round(x, 9)``); step sizes are written as literals
(6.55, 0.8, 62.8). Without it, (8 - 7.2) / 0.8 floors to 0 steps instead of 1.
"""

from __future__ import annotations

import math
from datetime import date

from facts import NUMERIC_FACTS
from simpleeval import SimpleEval

FUNCTIONS = {
    "floor": math.floor,
    "max": max,
    "abs": abs,
    "snap": lambda x: round(x, 9),
    "date": date.fromisoformat,
}

DERIVED = {
    "预算调整率": "snap(预算调整数 / 预算数 * 100)",
    "基本支出预算控制率": "snap(基本支出实际支出 / 基本支出年度总预算 * 100)",
    "项目支出预算控制率": "snap(项目支出实际支出 / 项目支出年度总预算 * 100)",
    "三公经费控制率": ("0 if 三公经费预算安排数 == 0 "
                "else snap(三公经费实际支出数 / 三公经费预算安排数 * 100)"),
}
CONTROL = "5 if {r} <= 100 else 4 if {r} <= 110 else 3 if {r} <= 120 else 2 if {r} <= 130 else 0"


def _below(x: str, points: int, target: str, step: str) -> str:
    return (f"{points} if {x} >= {target} "
            f"else max(0, {points} - floor(snap(({target} - {x}) / {step})))")


ROWS = [
    ("5 if 预算调整率 == 0 else 4 if 预算调整率 <= 10 else 3 if 预算调整率 <= 20 "
     "else 2 if 预算调整率 <= 30 else 0"),
    CONTROL.format(r="基本支出预算控制率"),
    CONTROL.format(r="项目支出预算控制率"),
    '5 if 资金结余情况 == "无结余" else 3 if 资金结余情况 == "未超过上年结余" else 0',
    "5 if 分项目核算结余结转 else 0",
    ("(5 if 三公经费实际支出数 == 0 else 0) if 三公经费预算安排数 == 0 "
     "else 5 if 三公经费控制率 <= 100 else max(0, 5 - floor(snap(三公经费控制率 - 100)))"),
    "(3 if 已制定管理制度 else 0) + (2 if 管理制度合法合规完整 else 0)",
    "5 if 项目支出分项目单独核算 else 0",
    "(3 if 按规定内容公开 else 0) + (2 if 按规定时限公开 else 0)",
    "5 if 政府采购执行 else 0",
    "(3 if 已制定资产管理制度 else 0) + (2 if 资产管理制度合法合规完整 else 0)",
    "max(0, 3 - floor(snap(abs(供养人数 - 131) / 6.55)))",
    _below("规模工业增加值增长率", 5, "8", "0.8"),
    _below("新增规模工业企业", 5, "20", "2"),
    _below("新增高新技术企业", 3, "15", "1.5"),
    _below("新增国家级专精特新小巨人企业", 2, "1", "0.1"),
    _below("新增省级专精特新小巨人企业", 2, "3", "0.3"),
    _below("高新技术产值", 2, "628", "62.8"),
    _below("选派科技特派员", 5, "100", "10"),
    "3 if 四G和光纤宽带自然村全覆盖 else 0",
    '3 if date(绩效目标完成日期) <= date("2023-12-31") else 0',
    "3 if 完成工作任务促进县域经济发展 else 0",
    "3 if 社会稳定环境良好 else 0",
    "3 if 推广生态技术促进环境改善 else 0",
    "3 if 服务对象满意度 >= 90 else max(0, 3 - floor(snap(90 - 服务对象满意度)))",
]


def _names(f: dict) -> dict:
    names = dict(f)
    for name in NUMERIC_FACTS:
        names[name] = float(f[name])
    return names


def make_parsed():
    """Expressions parsed once; evaluated from the parsed trees."""
    s = SimpleEval(functions=FUNCTIONS)
    derived = [(name, text, s.parse(text)) for name, text in DERIVED.items()]
    rows = [(text, s.parse(text)) for text in ROWS]

    def evaluate(f: dict):
        s.names = names = _names(f)
        for name, text, tree in derived:
            names[name] = s.eval(text, previously_parsed=tree)
        return sum(s.eval(text, previously_parsed=tree) for text, tree in rows)

    return evaluate


def make_text():
    """``SimpleEval.eval(text)`` per expression per call (re-parses the text every time)."""
    s = SimpleEval(functions=FUNCTIONS)

    def evaluate(f: dict):
        s.names = names = _names(f)
        for name, text in DERIVED.items():
            names[name] = s.eval(text)
        return sum(s.eval(text) for text in ROWS)

    return evaluate
