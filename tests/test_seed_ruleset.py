"""The shipped seed ruleset (rulesets/xiangtan-kgxj-2023) against the Python-built table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import seed_table
from rubric.engine.evaluation import evaluate
from rubric.io import located_yaml as _yaml
from rubric.io.facts_file import load_facts
from rubric.io.loader import load_ruleset
from rubric.rules import StepDeduction

FOLDER = Path(__file__).parent.parent / "rulesets" / "xiangtan-kgxj-2023"
RULESET = load_ruleset(FOLDER / "ruleset.yaml")
BUILT = seed_table.build()


def test_same_tree_ids_and_maxima() -> None:
    assert [(n.id, d) for n, d in RULESET.walk()] == [(n.id, d) for n, d in BUILT.walk()]
    assert RULESET.points == BUILT.points
    assert RULESET.max_mismatches() == []
    assert len(list(RULESET.indicators())) == 25


def test_same_facts_declared() -> None:
    def shape(ruleset):  # type: ignore[no-untyped-def]
        return {s.name: (s.type, s.unit, s.minimum, s.maximum, s.categories, s.formula)
                for s in ruleset.facts}

    assert shape(RULESET) == shape(BUILT)


def test_every_row_keeps_its_criterion_and_a_source_line() -> None:
    for indicator in RULESET.indicators():
        assert indicator.criterion, indicator.id
        assert indicator.source is not None and indicator.source.startswith(str(FOLDER))


def test_readings_are_explicit_on_every_deduction() -> None:
    for indicator in RULESET.indicators():
        rule = indicator.rule
        if isinstance(rule, StepDeduction):
            assert None not in (rule.basis, rule.partial, rule.boundary), indicator.id
    assert RULESET.node("服务对象满意度").rule.basis == "absolute"
    assert RULESET.node("三公经费控制率").rule.basis == "absolute"
    assert RULESET.node("新增规模工业企业").rule.basis == "relative"


FACT_SETS = {
    "empty": {},
    "all-good": {
        "预算调整数": 0, "预算数": 900, "基本支出实际支出": 90, "基本支出年度总预算": 100,
        "项目支出实际支出": 400, "项目支出年度总预算": 400, "资金结余情况": "无结余",
        "三公经费实际支出数": 0, "三公经费预算安排数": 0, "供养人数": 131,
        "绩效目标完成日期": dt.date(2023, 12, 31), "服务对象满意度": 95,
        **dict.fromkeys(seed_table.BOOLEANS, True),
        **{name: t for name, t, _p, _u in seed_table.TARGETS},
    },
    "mixed": {
        "预算调整数": 15, "预算数": 100, "基本支出实际支出": 125, "基本支出年度总预算": 100,
        "项目支出实际支出": "1.3 亿元", "项目支出年度总预算": 10000,
        "资金结余情况": "未超过上年结余",
        "三公经费实际支出数": 10.35, "三公经费预算安排数": 10, "供养人数": 145,
        "绩效目标完成日期": "2024-01-02", "服务对象满意度": "87.5%", "规模工业增加值增长率": "6.3%",
        "新增规模工业企业": 15, "高新技术产值": "600 亿元", "选派科技特派员": 85,
        "分项目核算结余结转": "否", "政府采购执行": "是", "社会稳定环境良好": True,
    },
}


@pytest.mark.parametrize("name", list(FACT_SETS))
def test_scores_equal_the_python_built_table(name: str) -> None:
    facts = FACT_SETS[name]
    ours, theirs = evaluate(RULESET, facts), evaluate(BUILT, facts)
    assert (ours.total.low, ours.total.high) == (theirs.total.low, theirs.total.high)
    assert [(r.id, r.low, r.high) for r in ours.rows()] == [
        (r.id, r.low, r.high) for r in theirs.rows()]


def test_facts_file_scores_the_stated_rows() -> None:
    facts = load_facts(FOLDER / "facts.yaml", RULESET)
    result = evaluate(RULESET, facts)
    expected = {"规模工业增加值增长率": 5, "新增规模工业企业": 5, "选派科技特派员": 5,
                "四G和光纤宽带自然村全覆盖": 3}
    for node_id, points in expected.items():
        row = result[node_id]
        assert (row.low, row.high) == (Decimal(points), Decimal(points)), node_id
    assert result.total.low <= Decimal(98) <= result.total.high


def test_facts_file_quotes_a_source_for_every_fact() -> None:
    data = dict(_yaml.read(FOLDER / "facts.yaml").data)
    about = data.pop("基本信息")  # who the facts are about: not a fact, no source to quote
    assert about["单位名称"] == "湘潭县科技和工业信息化局"
    assert data and all(isinstance(v, dict) and v.get("source") for v in data.values())


def test_claimed_file_names_real_nodes_and_adds_up() -> None:
    claimed = _yaml.read(FOLDER / "claimed.yaml").data
    assert set(claimed) == {"scores", "maxima", "total"}
    ids = {n.id for n, _d in RULESET.walk()}
    assert set(claimed["scores"]) <= ids and set(claimed["maxima"]) <= ids
    for node_id, points in claimed["maxima"].items():
        assert RULESET.points[node_id] == points, node_id
    process = [n.id for n in RULESET.indicators()][:11]
    process_sum = sum(claimed["scores"][i] for i in process)
    assert process_sum + claimed["scores"]["产出与效果"] == claimed["total"]
