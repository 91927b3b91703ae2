"""JsonLogic (``panzi-json-logic``, pure Python 3): one rule per derived rate and one per row.

Only standard JsonLogic operators are used, so the rules are portable to json-logic-js etc.
Fact values are handed over as they come (decimal strings, ints, bools, ISO date strings);
JsonLogic's own number coercion parses the strings on use, as part of the timed call.

Float trick needed: JsonLogic computes in binary floats and has no floor/round operator.
* whole steps: floor(v) is written ``v' - v' % 1`` with ``v' = v + 1e-9`` (the epsilon absorbs
  float noise such as (8 - 7.2) / 0.8 == 0.9999999999999998); step sizes are exact literals;
* band edges of *computed* rates are compared with an epsilon: ``rate <= 110 + 1e-9``
  (1.1 / 1 * 100 == 110.00000000000001), and ``rate == 0`` is ``rate <= 1e-9``;
  raw inputs are compared exactly.
The epsilon is safe because a true value that is not on a boundary is >= 1e-7 away from it
(inputs have <= 2 decimals, money <= 10^7 cents), while float noise is ~1e-13.
* dates: ISO strings compare lexicographically (JsonLogic has no date type).
* |x - 131| is ``max(x - 131, 131 - x)`` (no abs operator).

Package: ``json-logic`` 0.6.3 (2015) is broken on Python 3 (``dict.keys()[0]`` raises
TypeError on the first rule), so this uses ``panzi-json-logic`` (1.0.1), which installs the same
``json_logic`` import name with ``jsonLogic(rule, data)``.
"""

from __future__ import annotations

from json_logic import jsonLogic

EPS = 1e-9


def var(name: str) -> dict:
    return {"var": name}


def floor_(x) -> dict:
    nudged = {"+": [x, EPS]}
    return {"-": [nudged, {"%": [nudged, 1]}]}


def le(x, edge) -> dict:  # x <= edge for a computed x
    return {"<=": [x, edge + EPS]}


def pct(part: str, whole: str) -> dict:
    return {"*": [{"/": [var(part), var(whole)]}, 100]}


def if_(*args) -> dict:
    return {"if": list(args)}


def flag(name: str, points: int) -> dict:
    return if_(var(name), points, 0)


def below(name: str, points: int, target, step) -> dict:
    x = var(name)
    shortfall_steps = floor_({"/": [{"-": [target, x]}, step]})
    return if_({">=": [x, target]}, points, {"max": [0, {"-": [points, shortfall_steps]}]})


def control(rate_name: str) -> dict:
    r = var(rate_name)
    return if_(le(r, 100), 5, le(r, 110), 4, le(r, 120), 3, le(r, 130), 2, 0)


DERIVED = {
    "预算调整率": pct("预算调整数", "预算数"),
    "基本支出预算控制率": pct("基本支出实际支出", "基本支出年度总预算"),
    "项目支出预算控制率": pct("项目支出实际支出", "项目支出年度总预算"),
    "三公经费控制率": if_({"==": [var("三公经费预算安排数"), 0]}, 0,
                   pct("三公经费实际支出数", "三公经费预算安排数")),
}
_adj = var("预算调整率")
_sg = var("三公经费控制率")
_staff_dev = {"max": [{"-": [var("供养人数"), 131]}, {"-": [131, var("供养人数")]}]}
ROWS = [
    if_(le(_adj, 0), 5, le(_adj, 10), 4, le(_adj, 20), 3, le(_adj, 30), 2, 0),
    control("基本支出预算控制率"),
    control("项目支出预算控制率"),
    if_({"==": [var("资金结余情况"), "无结余"]}, 5,
        {"==": [var("资金结余情况"), "未超过上年结余"]}, 3, 0),
    flag("分项目核算结余结转", 5),
    if_({"==": [var("三公经费预算安排数"), 0]},
        if_({"==": [var("三公经费实际支出数"), 0]}, 5, 0),
        le(_sg, 100), 5,
        {"max": [0, {"-": [5, floor_({"-": [_sg, 100]})]}]}),
    {"+": [flag("已制定管理制度", 3), flag("管理制度合法合规完整", 2)]},
    flag("项目支出分项目单独核算", 5),
    {"+": [flag("按规定内容公开", 3), flag("按规定时限公开", 2)]},
    flag("政府采购执行", 5),
    {"+": [flag("已制定资产管理制度", 3), flag("资产管理制度合法合规完整", 2)]},
    {"max": [0, {"-": [3, floor_({"/": [_staff_dev, 6.55]})]}]},
    below("规模工业增加值增长率", 5, 8, 0.8),
    below("新增规模工业企业", 5, 20, 2),
    below("新增高新技术企业", 3, 15, 1.5),
    below("新增国家级专精特新小巨人企业", 2, 1, 0.1),
    below("新增省级专精特新小巨人企业", 2, 3, 0.3),
    below("高新技术产值", 2, 628, 62.8),
    below("选派科技特派员", 5, 100, 10),
    flag("四G和光纤宽带自然村全覆盖", 3),
    if_({"<=": [var("绩效目标完成日期"), "2023-12-31"]}, 3, 0),
    flag("完成工作任务促进县域经济发展", 3),
    flag("社会稳定环境良好", 3),
    flag("推广生态技术促进环境改善", 3),
    if_({">=": [var("服务对象满意度"), 90]}, 3,
        {"max": [0, {"-": [3, floor_({"-": [90, var("服务对象满意度")]})]}]}),
]


def make():
    derived = list(DERIVED.items())

    def evaluate(f: dict):
        data = dict(f)
        for name, rule in derived:
            data[name] = jsonLogic(rule, data)
        return sum(jsonLogic(rule, data) for rule in ROWS)

    return evaluate
