"""The seed's 25-row table (湘潭县科技和工业信息化局 2023) built with the Python API.

The YAML ruleset in rulesets/xiangtan-kgxj-2023/ is the shipped form; this builder is
the independent Python form the engine tests score against hand-computed totals.
"""

from __future__ import annotations

from rubric import (
    Band,
    Bands,
    Boolean,
    Categorical,
    Checklist,
    ChecklistItem,
    Deadline,
    FactSpec,
    Group,
    Indicator,
    Metadata,
    Ruleset,
    State,
    StepDeduction,
)

CONTROL_BANDS = [
    Band(5, None, 100, upper_closed=True),
    Band(4, 100, 110, lower_closed=False, upper_closed=True),
    Band(3, 110, 120, lower_closed=False, upper_closed=True),
    Band(2, 120, 130, lower_closed=False, upper_closed=True),
    Band(0, 130, None, lower_closed=False),
]

BOOLEANS = [
    "分项目核算结余结转", "已制定管理制度", "管理制度合法合规完整", "项目支出分项目单独核算",
    "按规定内容公开", "按规定时限公开", "政府采购执行", "已制定资产管理制度",
    "资产管理制度合法合规完整", "四G和光纤宽带自然村全覆盖", "完成工作任务促进县域经济发展",
    "社会稳定环境良好", "推广生态技术促进环境改善",
]

TARGETS = [  # id, target, points, unit
    ("规模工业增加值增长率", 8, 5, "%"),
    ("新增规模工业企业", 20, 5, "家"),
    ("新增高新技术企业", 15, 3, "家"),
    ("新增国家级专精特新小巨人企业", 1, 2, "家"),
    ("新增省级专精特新小巨人企业", 3, 2, "家"),
    ("高新技术产值", 628, 2, "亿元"),
    ("选派科技特派员", 100, 5, "人"),
]


def facts() -> list[FactSpec]:
    money = {"unit": "万元", "minimum": 0}
    specs = [
        FactSpec("预算调整数", **money), FactSpec("预算数", **money),
        FactSpec("预算调整率", unit="%", minimum=0, formula="预算调整数 / 预算数 * 100"),
        FactSpec("基本支出实际支出", **money), FactSpec("基本支出年度总预算", **money),
        FactSpec("基本支出预算控制率", unit="%", minimum=0,
                 formula="基本支出实际支出 / 基本支出年度总预算 * 100"),
        FactSpec("项目支出实际支出", **money), FactSpec("项目支出年度总预算", **money),
        FactSpec("项目支出预算控制率", unit="%", minimum=0,
                 formula="项目支出实际支出 / 项目支出年度总预算 * 100"),
        FactSpec("资金结余情况", type="category",
                 categories=["无结余", "未超过上年结余", "超过上年结余"]),
        FactSpec("三公经费实际支出数", **money), FactSpec("三公经费预算安排数", **money),
        FactSpec("三公经费控制率", unit="%", minimum=0,
                 formula="三公经费实际支出数 / 三公经费预算安排数 * 100"),
        FactSpec("供养人数", unit="人", minimum=0),
        FactSpec("绩效目标完成日期", type="date"),
        FactSpec("服务对象满意度", unit="%", minimum=0, maximum=100),
    ]
    specs += [FactSpec(name, type="boolean") for name in BOOLEANS]
    specs += [FactSpec(name, unit=unit, minimum=None if unit == "%" else 0)  # growth: any sign
              for name, _t, _p, unit in TARGETS]
    return specs


def build() -> Ruleset:
    yes = Boolean
    execution = Group("预算执行", [
        Indicator("预算调整率", Bands("预算调整率", [
            Band(5, 0, 0, upper_closed=True),
            Band(4, 0, 10, lower_closed=False, upper_closed=True),
            Band(3, 10, 20, lower_closed=False, upper_closed=True),
            Band(2, 20, 30, lower_closed=False, upper_closed=True),
            Band(0, 30, None, lower_closed=False),
        ], direction="lower")),
        Indicator("基本支出预算控制率", Bands("基本支出预算控制率", CONTROL_BANDS, "lower")),
        Indicator("项目支出预算控制率", Bands("项目支出预算控制率", CONTROL_BANDS, "lower")),
        Indicator("资金结余", Categorical("资金结余情况", [
            State("无结余", 5), State("未超过上年结余", 3), State("超过上年结余", 0)])),
        Indicator("结余结转核算", yes("分项目核算结余结转", 5)),
        Indicator("三公经费控制率", StepDeduction(
            "三公经费控制率", target=100, points=5, step=1, side="above", basis="absolute")),
    ], max_points=30)
    management = Group("预算管理", [
        Indicator("管理制度健全性", Checklist([
            ChecklistItem("已制定管理制度", 3), ChecklistItem("管理制度合法合规完整", 2)])),
        Indicator("专项核算", yes("项目支出分项目单独核算", 5)),
        Indicator("预决算信息公开", Checklist([
            ChecklistItem("按规定内容公开", 3), ChecklistItem("按规定时限公开", 2)])),
        Indicator("政府采购完成情况", yes("政府采购执行", 5)),
    ], max_points=20)
    assets = Group("资产管理", [
        Indicator("资产管理制度健全性", Checklist([
            ChecklistItem("已制定资产管理制度", 3), ChecklistItem("资产管理制度合法合规完整", 2)])),
    ], max_points=5)
    duties = Group("职责履行", [
        Indicator("供养人数", StepDeduction("供养人数", target=131, points=3, step=5, side="both")),
        *[Indicator(name, StepDeduction(name, target=t, points=p, step=10, side="below"))
          for name, t, p, _u in TARGETS],
        Indicator("四G和光纤宽带自然村全覆盖", yes("四G和光纤宽带自然村全覆盖", 3)),
        Indicator("绩效目标按时完成", Deadline("绩效目标完成日期", "2023-12-31", 3)),
    ], max_points=33)
    benefits = Group("履职效益", [
        Indicator("完成工作任务促进县域经济发展", yes("完成工作任务促进县域经济发展", 3)),
        Indicator("社会稳定环境良好", yes("社会稳定环境良好", 3)),
        Indicator("推广生态技术促进环境改善", yes("推广生态技术促进环境改善", 3)),
        Indicator("服务对象满意度", StepDeduction(
            "服务对象满意度", target=90, points=3, step=1, side="below", basis="absolute")),
    ], max_points=12)
    root = Group("总分", [
        Group("过程", [execution, management, assets], max_points=55),
        Group("产出与效果", [duties, benefits], max_points=45),
    ], max_points=100)
    return Ruleset(root, facts(), metadata=Metadata(id="xiangtan-kgxj-2023", name="seed"))
