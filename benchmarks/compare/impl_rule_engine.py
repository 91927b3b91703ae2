"""rule-engine (the ``rule-engine`` package): one Rule per derived rate and one per row.

Each call converts the fact set (decimal strings -> float), evaluates the four derived-rate
rules, stores their results next to the facts, then evaluates the 25 row rules and adds them up.

Float trick needed: none inside the engine. rule-engine turns every Python float it resolves
into ``decimal.Decimal(repr(x))`` and computes in Decimal, so 7.2 stays 7.2 and
(8 - 7.2) / 0.8 is exactly 1; ``.floor`` is an exact Decimal floor.

API quirks: rule-engine symbols must be ASCII identifiers, so the rules use English aliases
that a custom ``resolver`` maps to the Chinese fact names (``ALIASES``). Going through a
mapping instead (``f["预算数"]``) works but is much slower: rule-engine coerces the *whole*
dict on every symbol lookup.
"""

from __future__ import annotations

import rule_engine
from facts import NUMERIC_FACTS

ALIASES = {
    "budget": "预算数",
    "budget_adjustment": "预算调整数",
    "basic_budget": "基本支出年度总预算",
    "basic_spend": "基本支出实际支出",
    "project_budget": "项目支出年度总预算",
    "project_spend": "项目支出实际支出",
    "balance": "资金结余情况",
    "carryover_by_project": "分项目核算结余结转",
    "sangong_budget": "三公经费预算安排数",
    "sangong_spend": "三公经费实际支出数",
    "has_mgmt_rules": "已制定管理制度",
    "mgmt_rules_compliant": "管理制度合法合规完整",
    "project_separate_accounting": "项目支出分项目单独核算",
    "disclosed_content": "按规定内容公开",
    "disclosed_in_time": "按规定时限公开",
    "procurement_ok": "政府采购执行",
    "has_asset_rules": "已制定资产管理制度",
    "asset_rules_compliant": "资产管理制度合法合规完整",
    "staff": "供养人数",
    "industry_growth": "规模工业增加值增长率",
    "new_industrial": "新增规模工业企业",
    "new_hightech": "新增高新技术企业",
    "new_national_little_giants": "新增国家级专精特新小巨人企业",
    "new_provincial_little_giants": "新增省级专精特新小巨人企业",
    "hightech_output": "高新技术产值",
    "tech_envoys": "选派科技特派员",
    "coverage_4g_fiber": "四G和光纤宽带自然村全覆盖",
    "due_date": "绩效目标完成日期",
    "tasks_done": "完成工作任务促进县域经济发展",
    "stability_ok": "社会稳定环境良好",
    "eco_tech_ok": "推广生态技术促进环境改善",
    "satisfaction": "服务对象满意度",
    # derived
    "adjust_rate": "预算调整率",
    "basic_control_rate": "基本支出预算控制率",
    "project_control_rate": "项目支出预算控制率",
    "sangong_rate": "三公经费控制率",
}
DERIVED = {
    "预算调整率": "budget_adjustment / budget * 100",
    "基本支出预算控制率": "basic_spend / basic_budget * 100",
    "项目支出预算控制率": "project_spend / project_budget * 100",
    "三公经费控制率": "sangong_budget == 0 ? 0 : sangong_spend / sangong_budget * 100",
}
CONTROL = "{r} <= 100 ? 5 : ({r} <= 110 ? 4 : ({r} <= 120 ? 3 : ({r} <= 130 ? 2 : 0)))"


def _below(x: str, points: int, target: str, step: str) -> str:
    return f"{x} >= {target} ? {points} : $max([0, {points} - (({target} - {x}) / {step}).floor])"


ROWS = [
    ("adjust_rate == 0 ? 5 : (adjust_rate <= 10 ? 4 : (adjust_rate <= 20 ? 3"
     " : (adjust_rate <= 30 ? 2 : 0)))"),
    CONTROL.format(r="basic_control_rate"),
    CONTROL.format(r="project_control_rate"),
    'balance == "无结余" ? 5 : (balance == "未超过上年结余" ? 3 : 0)',
    "carryover_by_project ? 5 : 0",
    ("sangong_budget == 0 ? (sangong_spend == 0 ? 5 : 0)"
     " : (sangong_rate <= 100 ? 5 : $max([0, 5 - (sangong_rate - 100).floor]))"),
    "(has_mgmt_rules ? 3 : 0) + (mgmt_rules_compliant ? 2 : 0)",
    "project_separate_accounting ? 5 : 0",
    "(disclosed_content ? 3 : 0) + (disclosed_in_time ? 2 : 0)",
    "procurement_ok ? 5 : 0",
    "(has_asset_rules ? 3 : 0) + (asset_rules_compliant ? 2 : 0)",
    "$max([0, 3 - ($abs(staff - 131) / 6.55).floor])",
    _below("industry_growth", 5, "8", "0.8"),
    _below("new_industrial", 5, "20", "2"),
    _below("new_hightech", 3, "15", "1.5"),
    _below("new_national_little_giants", 2, "1", "0.1"),
    _below("new_provincial_little_giants", 2, "3", "0.3"),
    _below("hightech_output", 2, "628", "62.8"),
    _below("tech_envoys", 5, "100", "10"),
    "coverage_4g_fiber ? 3 : 0",
    '$parse_datetime(due_date) <= d"2023-12-31" ? 3 : 0',
    "tasks_done ? 3 : 0",
    "stability_ok ? 3 : 0",
    "eco_tech_ok ? 3 : 0",
    "satisfaction >= 90 ? 3 : $max([0, 3 - (90 - satisfaction).floor])",
]


def make():
    context = rule_engine.Context(resolver=lambda thing, name: thing[ALIASES[name]])
    derived = [(name, rule_engine.Rule(text, context=context)) for name, text in DERIVED.items()]
    rows = [rule_engine.Rule(text, context=context) for text in ROWS]

    def evaluate(f: dict):
        thing = dict(f)
        for name in NUMERIC_FACTS:
            thing[name] = float(f[name])
        for name, rule in derived:
            thing[name] = rule.evaluate(thing)
        return sum(rule.evaluate(thing) for rule in rows)

    return evaluate
