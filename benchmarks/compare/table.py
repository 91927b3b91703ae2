"""The one fixed 25-row scoring table of the comparison benchmark, as plain data.

Row numbers, names and maximum points, shared by the harness (diagnostics) and by the engine
implementations that are generated from data. The scoring rules themselves are written out in
each ``impl_*.py`` module (that is the point of the comparison); see README.md for the table.
"""

ROWS = (
    (1, "预算调整率", 5),
    (2, "基本支出预算控制率", 5),
    (3, "项目支出预算控制率", 5),
    (4, "资金结余情况", 5),
    (5, "分项目核算结余结转", 5),
    (6, "三公经费控制率", 5),
    (7, "管理制度健全性", 5),
    (8, "项目支出分项目单独核算", 5),
    (9, "预决算信息公开", 5),
    (10, "政府采购执行", 5),
    (11, "资产管理制度健全性", 5),
    (12, "供养人数", 3),
    (13, "规模工业增加值增长率", 5),
    (14, "新增规模工业企业", 5),
    (15, "新增高新技术企业", 3),
    (16, "新增国家级专精特新小巨人企业", 2),
    (17, "新增省级专精特新小巨人企业", 2),
    (18, "高新技术产值", 2),
    (19, "选派科技特派员", 5),
    (20, "四G和光纤宽带自然村全覆盖", 3),
    (21, "绩效目标按时完成", 3),
    (22, "完成工作任务促进县域经济发展", 3),
    (23, "社会稳定环境良好", 3),
    (24, "推广生态技术促进环境改善", 3),
    (25, "服务对象满意度", 3),
)
assert sum(points for _, _, points in ROWS) == 100

# Rows scored "one point off per whole step below target" (rows 13-19):
# (row, fact, max points, target, step size = target * relative step %, exact decimal text)
BELOW_TARGET_STEPS = (
    (13, "规模工业增加值增长率", 5, "8", "0.8"),
    (14, "新增规模工业企业", 5, "20", "2"),
    (15, "新增高新技术企业", 3, "15", "1.5"),
    (16, "新增国家级专精特新小巨人企业", 2, "1", "0.1"),
    (17, "新增省级专精特新小巨人企业", 2, "3", "0.3"),
    (18, "高新技术产值", 2, "628", "62.8"),
    (19, "选派科技特派员", 5, "100", "10"),
)
# (row, checklist facts with their points)
CHECKLISTS = (
    (7, (("已制定管理制度", 3), ("管理制度合法合规完整", 2))),
    (9, (("按规定内容公开", 3), ("按规定时限公开", 2))),
    (11, (("已制定资产管理制度", 3), ("资产管理制度合法合规完整", 2))),
)
# (row, yes/no fact, points)
YES_NO = (
    (5, "分项目核算结余结转", 5),
    (8, "项目支出分项目单独核算", 5),
    (10, "政府采购执行", 5),
    (20, "四G和光纤宽带自然村全覆盖", 3),
    (22, "完成工作任务促进县域经济发展", 3),
    (23, "社会稳定环境良好", 3),
    (24, "推广生态技术促进环境改善", 3),
)
DEADLINE = "2023-12-31"
