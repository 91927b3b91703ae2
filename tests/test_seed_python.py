"""The seed's 25-row table (tests/seed_table.py) scored on full fact sets, against totals
computed BY HAND from the 评价标准 texts, row by row (the arithmetic is in the comments;
the expected numbers are literals, never computed by rubric)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import seed_table
from rubric import evaluate

D = Decimal

TRUE_FLAGS = dict.fromkeys(seed_table.BOOLEANS, "是")

# ------------------------------------------------------------------ fact set 1: 中
MIXED = {
    **TRUE_FLAGS,
    "预算调整数": "12", "预算数": "100",                # 12% in (10, 20]          → 3
    "基本支出实际支出": "105", "基本支出年度总预算": "100",  # 105% in (100, 110]      → 4
    "项目支出实际支出": "98", "项目支出年度总预算": "100",    # 98% ≤ 100               → 5
    "资金结余情况": "未超过上年结余",                    #                          → 3
    # 分项目核算结余结转 是                                                        → 5
    "三公经费实际支出数": "10.25", "三公经费预算安排数": "10",  # 102.5%: 2 whole pp over → 3
    # 预算执行 = 3 + 4 + 5 + 3 + 5 + 3 = 23
    "管理制度合法合规完整": "否",                        # checklist 3 + 0          → 3
    # 项目支出分项目单独核算 是 → 5; 公开 3 + 2 → 5
    "政府采购执行": "否",                                #                          → 0
    # 预算管理 = 3 + 5 + 5 + 0 = 13;  资产管理 3 + 2 = 5;  过程 = 23 + 13 + 5 = 41
    "供养人数": "140",              # |140-131| = 9; step 5% × 131 = 6.55: 1 step    → 2
    "规模工业增加值增长率": "7.1%",  # short 0.9; step 10% × 8 = 0.8: 1 step        → 4
    "新增规模工业企业": "14",        # short 6; step 2: 3 steps                      → 2
    "新增高新技术企业": "15",        # target met                                    → 3
    "新增国家级专精特新小巨人企业": "0",  # short 1; step 0.1: 10 steps, floored      → 0
    "新增省级专精特新小巨人企业": "2",    # short 1; step 0.3: 3 steps, floored       → 0
    "高新技术产值": "600 亿元",      # short 28; step 62.8: 0 steps                  → 2
    "选派科技特派员": "85",          # short 15; step 10: 1 step                     → 4
    # 四G 是 → 3
    "绩效目标完成日期": "2023-12-31",  # the deadline day itself is on time          → 3
    # 职责履行 = 2 + 4 + 2 + 3 + 0 + 0 + 2 + 4 + 3 + 3 = 23
    "推广生态技术促进环境改善": "否",  # 3 + 3 + 0
    "服务对象满意度": "88.5",        # 1.5 pp under 90: 1 step                       → 2
    # 履职效益 = 3 + 3 + 0 + 2 = 8;  产出与效果 = 23 + 8 = 31;  总分 = 41 + 31 = 72
}

# ------------------------------------------------------------------ fact set 2: 差
POOR = {
    **TRUE_FLAGS,
    "预算调整数": "35", "预算数": "100",                # 35% > 30                 → 0
    "基本支出实际支出": "125", "基本支出年度总预算": "100",  # (120, 130]              → 2
    "项目支出实际支出": "110", "项目支出年度总预算": "100",  # 110 closes (100, 110]   → 4
    "资金结余情况": "超过上年结余",                      #                          → 0
    "分项目核算结余结转": "否",                          #                          → 0
    "三公经费实际支出数": "15", "三公经费预算安排数": "10",  # 150%: 50 steps, floored → 0
    # 预算执行 = 0 + 2 + 4 + 0 + 0 + 0 = 6
    "已制定管理制度": "否", "管理制度合法合规完整": "否",   #                          → 0
    "项目支出分项目单独核算": "否",                      #                          → 0
    "按规定内容公开": "否",                              # 0 + 2                    → 2
    # 政府采购执行 是 → 5;  预算管理 = 0 + 0 + 2 + 5 = 7
    "资产管理制度合法合规完整": "否",                    # 3 + 0                    → 3
    # 过程 = 6 + 7 + 3 = 16
    "供养人数": "120",              # |120-131| = 11 / 6.55: 1 step                  → 2
    "规模工业增加值增长率": "4",     # short 4 / 0.8: 5 steps                        → 0
    "新增规模工业企业": "20",        #                                               → 5
    "新增高新技术企业": "12",        # short 3 / 1.5: 2 steps                        → 1
    "新增国家级专精特新小巨人企业": "1",  #                                          → 2
    "新增省级专精特新小巨人企业": "3",    #                                          → 2
    "高新技术产值": "500亿元",       # short 128 / 62.8: 2 steps                     → 0
    "选派科技特派员": "100",         #                                               → 5
    "四G和光纤宽带自然村全覆盖": "否",  #                                            → 0
    "绩效目标完成日期": "2024-01-15",  # late                                        → 0
    # 职责履行 = 2 + 0 + 5 + 1 + 2 + 2 + 0 + 5 + 0 + 0 = 17
    "完成工作任务促进县域经济发展": "否",  # 0 + 3 + 3
    "服务对象满意度": "95",          #                                               → 3
    # 履职效益 = 0 + 3 + 3 + 3 = 9;  产出与效果 = 17 + 9 = 26;  总分 = 16 + 26 = 42
}

# ------------------------------------------------------------------ fact set 3: 优
GOOD = {
    **TRUE_FLAGS,
    "预算调整数": "0", "预算数": "1.5 亿元",            # =0                        → 5
    "基本支出实际支出": "1000万元", "基本支出年度总预算": "0.1 亿元",  # 100%           → 5
    "项目支出实际支出": "1.3 亿元", "项目支出年度总预算": "10000 万元",  # 130% in (120, 130] → 2
    "资金结余情况": "无结余",                            #                          → 5
    # 分项目核算结余结转 是 → 5
    "三公经费实际支出数": "0", "三公经费预算安排数": "0",   # 0/0: meets the standard  → 5
    # 预算执行 = 5 + 5 + 2 + 5 + 5 + 5 = 27;  预算管理 20;  资产管理 5;  过程 = 52
    "供养人数": "124.45",           # |124.45-131| = 6.55: exactly 1 step            → 2
    "规模工业增加值增长率": "10.3%",  #                                              → 5
    "新增规模工业企业": "25",        #                                               → 5
    "新增高新技术企业": "13.5",      # short 1.5 / 1.5: exactly 1 step                → 2
    "新增国家级专精特新小巨人企业": "2",  #                                          → 2
    "新增省级专精特新小巨人企业": "3",    #                                          → 2
    "高新技术产值": "565.2 亿元",    # short 62.8 / 62.8: exactly 1 step              → 1
    "选派科技特派员": "80",          # short 20 / 10: 2 steps                        → 3
    "绩效目标完成日期": "2023-06-30",  #                                             → 3
    # 四G 是 → 3;  职责履行 = 2 + 5 + 5 + 2 + 2 + 2 + 1 + 3 + 3 + 3 = 28
    "服务对象满意度": "89.9%",       # 0.1 pp under: no whole step                   → 3
    # 履职效益 = 3 + 3 + 3 + 3 = 12;  产出与效果 = 28 + 12 = 40;  总分 = 52 + 40 = 92
}

CASES = {
    "mixed": (MIXED, {"预算执行": 23, "预算管理": 13, "资产管理": 5, "过程": 41,
                      "职责履行": 23, "履职效益": 8, "产出与效果": 31, "总分": 72}, "中",
              {"预算调整率": 3, "基本支出预算控制率": 4, "三公经费控制率": 3, "供养人数": 2,
               "规模工业增加值增长率": 4, "新增规模工业企业": 2, "新增省级专精特新小巨人企业": 0,
               "高新技术产值": 2, "服务对象满意度": 2}),
    "poor": (POOR, {"预算执行": 6, "预算管理": 7, "资产管理": 3, "过程": 16,
                    "职责履行": 17, "履职效益": 9, "产出与效果": 26, "总分": 42}, "差",
             {"项目支出预算控制率": 4, "三公经费控制率": 0, "新增高新技术企业": 1,
              "高新技术产值": 0, "绩效目标按时完成": 0}),
    "good": (GOOD, {"预算执行": 27, "预算管理": 20, "资产管理": 5, "过程": 52,
                    "职责履行": 28, "履职效益": 12, "产出与效果": 40, "总分": 92}, "优",
             {"项目支出预算控制率": 2, "三公经费控制率": 5, "供养人数": 2, "新增高新技术企业": 2,
              "高新技术产值": 1, "选派科技特派员": 3, "服务对象满意度": 3}),
}


@pytest.fixture(scope="module")
def ruleset():
    return seed_table.build()


def test_seed_table_shape(ruleset):
    assert len(list(ruleset.indicators())) == 25
    assert ruleset.points["总分"] == D(100)
    assert ruleset.warnings == ()


@pytest.mark.parametrize("case", list(CASES))
def test_seed_totals_match_the_hand_computation(ruleset, case):
    facts, subtotals, grade, rows = CASES[case]
    result = evaluate(ruleset, facts)
    assert result.missing == ()
    for node_id, expected in subtotals.items():
        assert result[node_id].score == D(expected), (node_id, result[node_id].explain("en"))
    for node_id, expected in rows.items():
        assert result[node_id].score == D(expected), (node_id, result[node_id].explain("en"))
    assert result.total.score == D(subtotals["总分"])
    assert result.grade == grade
    # the rows add up to the subtotals (no cap binds on these tables)
    assert sum(r.score for r in result.rows()) == D(subtotals["总分"])


def test_every_fact_set_is_full(ruleset):
    inputs = {s.name for s in ruleset.input_facts()}
    for facts, *_ in CASES.values():
        assert set(facts) == inputs
