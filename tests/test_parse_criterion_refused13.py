"""parse_criterion: the phrasings that read issue 13's parseable-but-refused real texts.

Each reading is scored through a one-row ruleset (so the rule means what the text says,
not just has the expected shape) and tested where it must stop: the look-alike text that
must be refused or read otherwise.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rubric import evaluate, load_ruleset, parse_criterion
from rubric.criteria.parse import to_json


def _score(text: str, facts: dict[str, Any], **kwargs: Any) -> Decimal:
    r = parse_criterion(text, **kwargs)
    assert r.unparsed is None, r.unparsed
    score = evaluate(load_ruleset(to_json(r.ruleset_data())), facts).score
    assert isinstance(score, Decimal)
    return score


def test_a_must_not_before_a_comparison_negates_it() -> None:
    text = "公示时间不得少于7天,得5分;否则不得分"
    assert _score(text, {"公示时间": Decimal(6)}) == 0
    assert _score(text, {"公示时间": Decimal(7)}) == 5
    assert _score("项目工期不得超过12个月的得3分;否则不得分", {"项目工期": Decimal(13)}) == 0


def test_a_target_that_is_another_quantity_reads_the_difference() -> None:
    text = "平均年龄不大于市级部门人员平均年龄的，得2分；每超平均年龄1岁的，扣0.5分"
    fact = "平均年龄减市级部门人员平均年龄"
    assert _score(text, {fact: Decimal("-3")}) == 2
    assert _score(text, {fact: Decimal("2.5")}) == 1  # two whole years over
    shares = "女性干部占比不低于全市平均占比的，得2分；每低1个百分点，扣0.2分"
    assert _score(shares, {"女性干部占比减全市平均占比": Decimal(-3)}) == Decimal("1.4")
    # Two counts with a % step: points or a share of the target is not written.
    assert parse_criterion("人员编制数不低于核定编制数的，得2分；每低1%，扣0.1分").unparsed


def test_a_requirement_with_a_number_is_one_yes_no_but_a_bare_bound_is_not() -> None:
    text = "开展技术培训，培训人数不少于50人次，得4分；否则不得分"
    r = parse_criterion(text)
    assert r.mapping is not None and r.mapping["kind"] == "boolean"
    assert "50人次" in r.facts[r.mapping["fact"]]["description"]
    assert _score(text, {r.mapping["fact"]: False}) == 0
    assert _score(text, {r.mapping["fact"]: True}) == 4
    bare = parse_criterion("完成率不低于90%,得5分;否则不得分")
    assert bare.mapping is not None and bare.mapping["kind"] == "bands"


def test_breaches_of_a_requirement_holding_a_number_are_counted() -> None:
    text = ("单个内设机构实际人员配置数不低于内设机构人员平均数的1/2，得1.5分；"
            "每有1个内设机构实际人员配置数达不到要求的，扣0.5分")
    assert _score(text, {"内设机构实际人员配置数达不到要求个数": 2}) == Decimal("0.5")
    once = "收到上级批复文件后在15个工作日内通知各村的,得2分,有一项未达要求扣1分,最多扣2分"
    assert _score(once, {"未达要求项数": 3}) == 0
    # A bound of a metric is no requirement whose items are counted.
    assert parse_criterion("完成率达到90%的,得2分,有一项未达要求扣1分,最多扣2分").unparsed


def test_a_count_target_else_its_share() -> None:
    text = "新增就业人数500人以上;未完成的,按完成比例计分(10分)"
    assert _score(text, {"新增就业人数": 350}) == 7
    assert _score(text, {"新增就业人数": 600}) == 10
    # A rate's "以上…按完成比例" is not a count's share: not read so.
    assert parse_criterion("完成率90%以上，否则按完成比例得分", points=6).unparsed


def test_words_read_past_only_where_they_cannot_mean_more() -> None:
    echo = parse_criterion("资金使用与预算的相符程度,100%相符:3分;90%-100%相符:2分;90%以下:0分")
    assert echo.mapping is not None and any("相符" in x for x in echo.readings)
    assert parse_criterion("项目建设进度,100%完成:5分;90-100%完成:3分;90%以下:0分").unparsed
    degree = parse_criterion("以抽查的路面完好率×30°", points=30)
    assert degree.mapping is not None and degree.mapping["points"] == 30
    assert parse_criterion("路面完好率不低于30°", points=30).unparsed
    formula = "资金拨付到位占计划的比例(得分=资金到位率*该项指标分值)"
    assert _score(formula, {"资金到位率": Decimal(80)}, points=5) == 4
    assert parse_criterion("资金拨付到位占计划的比例,未到位的扣1分(得分=资金到位率*该项指标分值)",
                           points=5).unparsed


def test_once_deducts_twice_zeroes_is_a_counts_bands_not_a_per_occurrence() -> None:
    text = "落实安全生产责任制（3分）。发现一次的，扣1分；发现两次及以上的，本项不得分"
    scores = [_score(text, {"发现次数": n}) for n in (0, 1, 2, 5)]
    assert scores == [3, 2, 0, 0]  # per occurrence would give 1 at two
    # When once already zeroes the row, the 2次及以上 clause is a veto bounding a number.
    assert parse_criterion("发现一次的，扣2分；发现两次及以上的，此项不得分", points=2).unparsed
