"""parse_criterion: the edges of the phrasings read in issue 13's held-out round.

Each new reading (``N分扣完为止``, unnumbered yes/no items, ``每少一项扣`` against a listed
requirement, a leading item number or ``评分标准：`` header, ratios framed by a comparison,
a deviation rate read one-sided, unmarked awards) is tested where it must stop: the text
that looks alike but must be read otherwise, or refused.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from rubric import evaluate, load_ruleset, parse_criterion
from rubric.criteria.parse import to_json
from rubric.errors import RubricError


def test_the_points_before_koumanweizhi_are_the_rows_not_the_steps() -> None:
    r = parse_criterion("每发现一处扣0.2分，1分扣完为止")
    assert r.mapping is not None
    assert (r.mapping["points"], r.mapping["per_occurrence"]) == (1, Decimal("0.2"))
    # 扣1分扣完为止: the 1分 is the step, the 分值 must come from the row.
    assert parse_criterion("每发现一处扣1分扣完为止").unparsed is not None
    r = parse_criterion("每发现一处扣1分扣完为止", points=3)
    assert r.mapping is not None and r.mapping["points"] == 3


def test_a_lone_leading_number_is_dropped_but_never_a_spaced_decimal() -> None:
    r = parse_criterion("2. 市政消火栓未保持完好的，每发现一处扣0.2分，1分扣完为止")
    assert r.mapping is not None and r.mapping["fact"] == "市政消火栓未保持完好处数"
    assert any("序号" in x for x in r.readings)
    # "1. 5分" is the spaced 1.5 of the noise section, not an item number and 5分.
    r = parse_criterion("1. 5分", points=5)
    assert not any("序号" in x for x in r.readings)


def test_a_header_run_into_the_cell_is_not_part_of_a_name() -> None:
    r = parse_criterion("评价标准：被上级纪委发现并查处违纪违规问题的，每起扣2分，扣完为止。",
                        points=5)
    assert r.mapping is not None and r.mapping["fact"] == "被上级纪委发现并查处违纪违规问题起数"
    # Only at the very start: inside a text the words stay.
    r = parse_criterion("资料齐全，每缺一项扣0.5分，扣完为止", points=2)
    assert r.mapping is not None and r.mapping["kind"] == "per_occurrence"


def test_yes_no_items_each_with_their_own_no_branch() -> None:
    r = parse_criterion("按时报送得2分，未报送不得分；数据准确得3分，不准确不得分", points=5)
    assert r.mapping is not None and r.mapping["kind"] == "checklist"
    got = [(i["fact"], i["points"]) for i in r.mapping["items"]]
    assert got == [("按时报送", 2), ("数据准确", 3)]
    # A no-branch that negates another item's words is not its own: not this form.
    r = parse_criterion("按时报送得2分，数据不准确不得分；数据准确得3分，未报送不得分", points=5)
    assert r.mapping is None or r.mapping["kind"] != "checklist"


def test_unmarked_awards_need_the_rows_points_to_be_added_up() -> None:
    text = "项目立项符合规定得3分，程序规范得2分"
    refused = parse_criterion(text)
    assert refused.rule is None and "逐项相加还是只取其一" in (refused.unparsed or "")
    added = parse_criterion(text, points=5)
    assert added.mapping is not None and added.mapping["kind"] == "checklist"
    exclusive = parse_criterion(text, points=3)
    assert exclusive.mapping is not None and exclusive.mapping["kind"] == "categorical"
    # Degrees of one thing and grades are states whatever the points.
    for states in ("完成得5分，基本完成得3分", "好得5分，一般得3分", "优秀得5分，良好得3分",
                   "国家级表彰得5分，省级表彰得3分，市级表彰得2分", "A级得5分，B级得3分"):
        r = parse_criterion(states)
        assert r.mapping is not None and r.mapping["kind"] == "categorical", states


def test_missing_items_are_counted_only_against_a_requirement_without_a_number() -> None:
    r = parse_criterion("乡镇纪委达到“十有”（即配备有纪委副书记、办公室等办案设备）标准，"
                        "每少一项扣0.05分，扣完为止。", points=0.5)
    assert r.mapping is not None and r.mapping["fact"] == "缺少项数"
    assert "十有" in r.facts["缺少项数"]["description"]
    r = parse_criterion("完成10项任务，每少一项扣1分", points=10)
    assert r.mapping is None or r.mapping["kind"] != "per_occurrence"


def test_a_comparison_frame_must_compare_the_ratios_own_values() -> None:
    r = parse_criterion("实际完成值≥指标值，得满分；"
                        "实际完成值<指标值，按实际完成值/指标值×分值计分。", points=10)
    assert r.mapping == {"kind": "ratio", "actual": "实际完成值", "target": "指标值",
                         "points": Decimal(10)}
    r = parse_criterion("实际完成值≥计划值，得满分；"
                        "实际完成值<指标值，按实际完成值/指标值×分值计分。", points=10)
    assert r.rule is None


def test_completion_share_reads_the_target_its_full_marks_clause_names() -> None:
    text = "完成指标值的，记该指标所赋全部分值；未完成的，按照完成比例记分。"
    r = parse_criterion(text, points=10)
    assert r.mapping is not None
    assert (r.mapping["actual"], r.mapping["target"]) == ("实际完成值", "指标值")
    # With the row's rate given, the share is that rate times the 分值, as before.
    r = parse_criterion("完成指标值的，记该指标所赋全部分值；未完成的，按照完成比例记分。",
                        points=10, fact="预算执行率")
    assert r.mapping is not None and r.mapping["kind"] == "coefficient"


def test_a_deviation_rate_read_one_sided_refuses_a_negative_value() -> None:
    r = parse_criterion("偏差率在10%以内（含）得满分，偏差率每增加1个百分点扣0.2分。", points=5)
    assert r.mapping is not None and r.mapping["side"] == "above"
    ruleset = load_ruleset(to_json(r.ruleset_data()))
    assert evaluate(ruleset, {"偏差率": Decimal(12)}).score == Decimal("4.6")  # 2 steps of 0.2
    with pytest.raises(RubricError):  # a signed -20% would otherwise score full marks
        evaluate(ruleset, {"偏差率": Decimal(-20)})
    # 增减幅度 stays a two-sided deviation.
    r = parse_criterion("131人计3分,增减幅度每超过5%扣1分")
    assert r.mapping is not None and r.mapping["side"] == "both"


def test_a_formula_for_the_named_metric_is_kept_when_the_fact_is_given() -> None:
    # rubric import gives fact= when two rows print the same metric; the text's formula for
    # that metric (在职人员控制率=…) is then the given fact's, not a left-over clause.
    text = ("以100%为标准。在职人员控制率≦100%,计5分;每超过一个百分点扣0.5分,扣完为止。"
            "在职人员控制率=(在职人员数/编制数)×100%")
    r = parse_criterion(text, fact="人员控制")
    assert r.mapping is not None and r.mapping["fact"] == "人员控制"
    assert any("是人员控制的计算公式" in reading for reading in r.readings)
    # A formula for a metric the text does not score is still refused.
    other = text.replace("在职人员控制率=", "编制使用率=")
    assert parse_criterion(other, fact="人员控制").unparsed is not None
