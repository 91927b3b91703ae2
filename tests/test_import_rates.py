"""``rubric import`` derives a rate its 指标解释 (or criterion) defines as A/B×100%."""

from __future__ import annotations

from pathlib import Path

import pytest

from rubric import evaluate, load_ruleset
from rubric.cli import main
from rubric.criteria.rates import Rate, read_rate


@pytest.mark.parametrize("text", [
    "预算调整率=预算调整数/年初预算数×100%",
    "预算调整率=（预算调整数÷年初预算数）×100％",
    "预算调整率=(预算调整数/年初预算数)*100%。预算调整数:本年度追加、追减的资金总和",
    "“预算调整率”=“预算调整数”/“年初预算数”×100%",
    "计算公式：预算调整率＝预算调整数／年初预算数×100%",
    "预算调整率=(预算调整数/年初预算数) \n×100%",
])
def test_the_written_forms(text: str) -> None:
    rate = read_rate(text, "预算调整率")
    assert isinstance(rate, Rate)
    assert (rate.formula, rate.units) == ("预算调整数 / 年初预算数 * 100", (None, None))


def test_units_in_brackets() -> None:
    rate = read_rate("三公经费控制率=三公经费实际支出数（万元）/三公经费预算数（万元）×100%",
                     "三公经费控制率")
    assert isinstance(rate, Rate)
    assert rate.units == ("万元", "万元")
    assert rate.formula == "三公经费实际支出数 / 三公经费预算数 * 100"


@pytest.mark.parametrize("text", [
    "预算执行率=(实际支出-结转)/预算数×100%",       # several operators
    "预算执行率=实际支出/预算数",                   # no ×100%: a fraction or a percent?
    "预算执行率=实际支出/预算数×100",               # no %
    "预算执行率=实际支出（万元）/预算数×100%",       # one unit only
    "预算执行率=实际支出（万块）/预算数（万块）×100%",  # an unknown unit
    "预算执行率=4G基站数/预算数×100%",              # a name a formula cannot hold
    "预算执行率=A/B×100%;预算执行率=C/B×100%",       # two different formulas
])
def test_an_uncertain_formula_is_a_reason(text: str) -> None:
    assert isinstance(read_rate(text, "预算执行率"), str)


@pytest.mark.parametrize("text", ["", "预算执行率是指实际支出与预算的比", "预算执行率=0,计5分",
                                  "完成率=实际完成/计划×100%"])
def test_no_definition_of_the_metric(text: str) -> None:
    assert read_rate(text, "预算执行率") is None


_ROWS = [
    ("三公经费控制率", "三公经费控制率=三公经费实际支出数（万元）÷三公经费预算数（万元）×100%",
     "三公经费控制率≤100%,计5分;每超过一个百分点扣1分,扣完为止"),
    ("预算调整率", "预算调整率=预算调整数/年初预算数×100%",
     "预算调整率=0,计5分;0-10%(含),计4分;大于10%不得分"),
    ("预算执行率", "预算执行率=(实际支出-结转)/预算数×100%", "预算执行率≥90%,计5分;低于90%不得分"),
    ("在职人员控制率", "",
     ("在职人员控制率≤100%,计5分;每超过一个百分点扣1分,扣完为止。"
      "在职人员控制率=(在职人员数/编制数)×100%")),
]
TABLE = ("| 一级指标 | 二级指标 | 三级指标 | 分值 | 指标解释 | 评价标准 |\n"
         "|---|---|---|---|---|---|\n") + "".join(
    f"| 过程 | 预算执行 | {n} | 5 | {d} | {c} |\n" for n, d, c in _ROWS)


def test_import_derives_the_rates(tmp_path: Path) -> None:
    table = tmp_path / "table.md"
    table.write_text(TABLE, encoding="utf-8")
    assert main(["import", str(table), "-o", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "ruleset.yaml").read_text(encoding="utf-8")
    ruleset = load_ruleset(tmp_path / "out" / "ruleset.yaml")
    specs = ruleset.specs
    assert str(specs["三公经费控制率"].formula) == "三公经费实际支出数 / 三公经费预算数 * 100"
    assert specs["三公经费实际支出数"].unit == "万元"
    assert str(specs["预算调整率"].formula) == "预算调整数 / 年初预算数 * 100"
    assert specs["预算调整数"].unit is None
    assert str(specs["在职人员控制率"].formula) == "在职人员数 / 编制数 * 100"
    # Not certain: the rule reads the rate as given, with a TODO on the row.
    assert specs["预算执行率"].formula is None
    assert "# TODO: 预算执行率=(实际支出-结转)/预算数*100%：公式读不确定" in text
    assert "  # TODO: 指标解释没有写单位" in text.split("预算调整数:")[0]
    skeleton = (tmp_path / "out" / "facts.yaml").read_text(encoding="utf-8")
    assert "三公经费控制率" not in skeleton and "三公经费预算数:   # 万元" in skeleton
    assert "预算调整数:   # TODO" in skeleton
    result = evaluate(ruleset, {"三公经费实际支出数": "3.3 万元", "三公经费预算数": "30000 元",
                                "预算调整数": 1, "年初预算数": 20, "预算执行率": 95,
                                "在职人员数": 10, "编制数": 10})
    leaves = result.total.children[0].children[0].children
    # 3.3 万元 / 30 000 元 = 110 %: 10 points over, 0; 1/20 = 5 %: 4; 95 %: 5; 10/10: 5.
    assert [(r.low, r.high) for r in leaves] == [(0, 0), (4, 4), (5, 5), (5, 5)]
