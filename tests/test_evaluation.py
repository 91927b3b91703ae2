"""Results: exact Decimal scores, grades, ranges, JSON, pickling, purity, explanations."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
from decimal import Decimal

import pytest

from rubric import (
    Band,
    Bands,
    Boolean,
    Categorical,
    Checklist,
    ChecklistItem,
    Coefficient,
    CompletionRatio,
    Deadline,
    EvaluationError,
    FactError,
    FactSpec,
    FormulaRule,
    Grade,
    Group,
    Indicator,
    PerOccurrence,
    Policy,
    Qualitative,
    Ruleset,
    RulesetError,
    State,
    StepDeduction,
    Tier,
    evaluate,
)

D = Decimal


def percent_table(policy=None):
    """One row worth 100 whose score is the given percentage: total == the fact."""
    return Ruleset(Group("root", [Indicator("c", Coefficient("c", 100))]),
                   [FactSpec("c", unit="%", minimum=0, maximum=100)], policy or Policy())


@pytest.mark.parametrize(("total", "grade"), [
    ("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"),
    ("60", "中"), ("59.99", "差"), ("0", "差"),
], ids=str)
def test_grade_bands_are_half_open(total, grade):
    result = evaluate(percent_table(), {"c": total})
    assert result.total.score == D(total)
    assert result.grade == grade
    assert result.grades == (grade,)


def test_custom_grades_must_be_strictly_decreasing():
    policy = Policy(grades=(Grade("合格", 60), Grade("不合格", 0)))
    assert evaluate(percent_table(policy), {"c": "59.99"}).grade == "不合格"
    with pytest.raises(RulesetError, match="strictly decreasing"):
        Policy(grades=(Grade("差", 0), Grade("优", 90)))


def test_grade_range_when_the_total_is_a_range():
    rs = Ruleset(Group("root", [Indicator("c", Coefficient("c", 90)),
                                Indicator("b", Boolean("b", 10))]),
                 [FactSpec("c", unit="%"), FactSpec("b", type="boolean")])
    result = evaluate(rs, {"c": "95"})            # 85.5 + [0, 10]
    assert (result.total.low, result.total.high) == (D("85.5"), D("95.5"))
    assert result.total.score is None
    assert result.grade is None
    assert result.grades == ("优", "良")
    assert result.missing == ("b",)
    wide = evaluate(rs, {"c": "50"})              # 45 + [0, 10]: 差 only
    assert wide.grades == ("差",) and wide.grade == "差"
    wider = evaluate(Ruleset(rs.root, [FactSpec("c", unit="%"), FactSpec("b", type="boolean")]),
                     {})                         # [0, 100]: every grade
    assert wider.grades == ("优", "良", "中", "差")


def test_scores_are_exact_decimals_never_floats():
    rs = Ruleset(Group("root", [Indicator(f"r{i}", Coefficient(f"c{i}", 10)) for i in range(10)]),
                 [FactSpec(f"c{i}", unit="%") for i in range(10)])
    result = evaluate(rs, {f"c{i}": 0.1 for i in range(10)})   # 0.01 points each
    for node in result.nodes():
        assert type(node.low) is Decimal and type(node.high) is Decimal
        assert type(node.max_points) is Decimal
    assert result.total.score == D("0.1")                      # floats would give 0.09999…


# ------------------------------------------------------------------ a table of every kind

SPECS = [
    FactSpec("预算调整率", unit="%", minimum=0),
    FactSpec("新增企业", unit="家", minimum=0),
    FactSpec("违规例数", unit="个", minimum=0),
    FactSpec("已公开", type="boolean"),
    FactSpec("按时公开", type="boolean"),
    FactSpec("资金结余情况", type="category", categories=["无结余", "有结余"]),
    FactSpec("完成值", unit="人", minimum=0),
    FactSpec("指标值", unit="人", minimum=0),
    FactSpec("得分系数", unit="%", minimum=0, maximum=100),
    FactSpec("完成日期", type="date"),
    FactSpec("评价得分", minimum=0),
    FactSpec("结余资金", unit="万元", minimum=0),
]
EVERY_KIND = Ruleset(Group("root", [
    Indicator("bands", Bands("预算调整率", [Band(5, 0, 0, upper_closed=True),
                                          Band(4, 0, 10, lower_closed=False, upper_closed=True),
                                          Band(0, 10, None, lower_closed=False)])),
    Indicator("deduction", StepDeduction("新增企业", target=20, points=5, step=10)),
    Indicator("per_occurrence", PerOccurrence("违规例数", 5)),
    Indicator("boolean", Boolean("已公开", 5)),
    Indicator("checklist", Checklist([ChecklistItem("已公开", 3), ChecklistItem("按时公开", 2)])),
    Indicator("categorical", Categorical("资金结余情况", [State("无结余", 5), State("有结余", 2)])),
    Indicator("ratio", CompletionRatio("完成值", "指标值", 10)),
    Indicator("coefficient", Coefficient("得分系数", 10)),
    Indicator("deadline", Deadline("完成日期", "2023-12-31", 3, per_day=1)),
    Indicator("qualitative", Qualitative("评价得分", 10, (Tier("好", 80, 100),
                                                      Tier("中", 0, 80, upper_closed=False)))),
    Indicator("formula", FormulaRule("10 - 结余资金 / 10", 10)),
]), SPECS)
FACTS = {"预算调整率": "5%", "新增企业": "18", "违规例数": "2", "已公开": "是", "按时公开": "否",
         "资金结余情况": "有结余", "完成值": "80 人", "指标值": "100", "得分系数": "76",
         "完成日期": "2024-01-02", "评价得分": "8.5", "结余资金": "25 万元"}
EXPECTED = {"bands": 4, "deduction": 4, "per_occurrence": 3, "boolean": 5, "checklist": 3,
            "categorical": 2, "ratio": 8, "coefficient": "7.6", "deadline": 1,
            "qualitative": "8.5", "formula": "7.5"}
# zh / en fragments each row's explanation must contain: the input values with their units
SHOWN = {
    "bands": (["预算调整率 = 5%"], ["预算调整率 = 5%"]),
    "deduction": (["新增企业 = 18 家"], ["新增企业 = 18 家"]),
    "per_occurrence": (["违规例数 = 2 个"], ["违规例数 = 2 个"]),
    "boolean": (["已公开：是"], ["已公开: yes"]),
    "checklist": (["已公开：是", "按时公开：否"], ["已公开: yes", "按时公开: no"]),
    "categorical": (["资金结余情况：有结余"], ["资金结余情况: 有结余"]),
    "ratio": (["完成值 = 80 人", "指标值 = 100 人"], ["完成值 = 80 人", "指标值 = 100 人"]),
    "coefficient": (["得分系数 = 76%"], ["得分系数 = 76%"]),
    "deadline": (["完成日期 = 2024-01-02", "2023-12-31"], ["完成日期 = 2024-01-02", "2023-12-31"]),
    "qualitative": (["8.5"], ["8.5"]),
    "formula": (["结余资金 = 25 万元"], ["结余资金 = 25 万元"]),
}


def test_every_kind_scores_as_computed_by_hand():
    result = evaluate(EVERY_KIND, FACTS)
    for row_id, expected in EXPECTED.items():
        assert result[row_id].score == D(expected), row_id
    assert result.total.score == sum(D(v) for v in EXPECTED.values())  # 51.6


@pytest.mark.parametrize("row_id", list(SHOWN))
def test_explanations_contain_the_inputs_with_units(row_id):
    node = evaluate(EVERY_KIND, FACTS)[row_id]
    zh, en = node.explain("zh"), node.explain("en")
    for fragment in SHOWN[row_id][0]:
        assert fragment in zh, (fragment, zh)
    for fragment in SHOWN[row_id][1]:
        assert fragment in en, (fragment, en)
    assert zh != en


def test_explain_rejects_unknown_language():
    node = evaluate(EVERY_KIND, FACTS)["bands"]
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        node.explain("fr")


def test_result_explain_lists_every_row():
    text = evaluate(EVERY_KIND, FACTS).explain("en")
    assert len(text.splitlines()) == len(EXPECTED)
    assert "coefficient [7.6/10]" in text


# ----------------------------------------------------------- JSON, pickling, purity

def test_to_dict_is_json_serialisable_with_decimals_as_strings():
    result = evaluate(EVERY_KIND, {**FACTS, "已公开": None})
    for lang in ("zh", "en"):
        data = result.to_dict(lang)
        text = json.dumps(data, ensure_ascii=False)
        back = json.loads(text)
        assert back["total"]["low"] == f"{result.total.low.normalize():f}"
        assert isinstance(back["total"]["high"], str)
        assert back["total"]["score"] is None
        assert back["missing_facts"] == ["已公开"]
        assert back["facts"]["完成日期"] == "2024-01-02"
        assert back["facts"]["已公开"] is None
        tree = back["tree"]
        assert tree["children"][0]["id"] == "bands"
        assert tree["children"][0]["score"] == "4"
        assert tree["children"][0]["trace"][0] == {"type": "value", "fact": "预算调整率",
                                                  "value": "5"}


def _floats(obj):
    if isinstance(obj, float):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _floats(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _floats(v)


def test_to_dict_contains_no_floats():
    assert list(_floats(evaluate(EVERY_KIND, FACTS).to_dict())) == []


def test_rulesets_and_results_pickle():
    rs = pickle.loads(pickle.dumps(EVERY_KIND))
    assert rs == EVERY_KIND
    result = evaluate(EVERY_KIND, FACTS)
    back = pickle.loads(pickle.dumps(result))
    assert back == result
    assert evaluate(rs, FACTS) == result


def test_evaluation_is_pure():
    facts = copy.deepcopy(FACTS)
    first = evaluate(EVERY_KIND, facts)
    second = evaluate(EVERY_KIND, facts)
    assert first == second
    assert facts == FACTS
    assert first is not second


def test_results_are_immutable():
    import attrs

    result = evaluate(EVERY_KIND, FACTS)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.grade = "优"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.total.low = D(0)  # type: ignore[misc]


def test_result_keeps_given_and_derived_values():
    rs = Ruleset(Group("root", [Indicator("r", Bands("率", [Band(1)]))]),
                 [FactSpec("a", unit="万元"), FactSpec("b", unit="万元"),
                  FactSpec("率", unit="%", formula="a / b * 100")])
    result = evaluate(rs, {"a": "1 亿元", "b": "20000"})
    assert result.value("a") == D(10000)
    assert result.value("率") == D(50)
    with pytest.raises(KeyError):
        result["nope"]


# ------------------------------------------------------------------ errors at evaluation

def test_bad_facts_are_reported_together():
    with pytest.raises(FactError) as err:
        evaluate(EVERY_KIND, {**FACTS, "得分系数": "120", "资金结余情况": "无节余", "nope": 1})
    text = str(err.value)
    assert "得分系数" in text and "did you mean '无结余'" in text and "unknown fact 'nope'" in text


def test_evaluation_error_names_the_indicator():
    with pytest.raises(EvaluationError, match="indicator 'qualitative'"):
        evaluate(EVERY_KIND, {**FACTS, "评价得分": "11"})


def test_derived_zero_over_zero_follows_policy():
    def table(reading):
        from rubric import RuleDefaults

        return Ruleset(Group("root", [Indicator("三公", StepDeduction(
            "控制率", target=100, points=5, step=1, side="above", basis="absolute"))]),
            [FactSpec("支出", minimum=0), FactSpec("预算", minimum=0),
             FactSpec("控制率", unit="%", formula="支出 / 预算 * 100")],
            Policy(defaults=RuleDefaults(zero_over_zero=reading)))

    full = evaluate(table("full"), {"支出": 0, "预算": 0})["三公"]
    assert full.score == D(5)
    assert "0/0 视为达标" in full.explain("zh")
    zero = evaluate(table("zero"), {"支出": 0, "预算": 0})["三公"]
    assert zero.score == D(0)
    undefined = evaluate(table("undefined"), {"支出": 0, "预算": 0})["三公"]
    assert (undefined.low, undefined.high) == (D(0), D(5))
    assert "0/0" in undefined.explain("en")
    # spending against a zero budget is an unbounded overrun: 0 points, never an error
    overrun = evaluate(table("full"), {"支出": 3, "预算": 0})["三公"]
    assert overrun.score == D(0)


def test_dates_before_the_deadline_score_full():
    result = evaluate(EVERY_KIND, {**FACTS, "完成日期": dt.date(2023, 12, 31)})
    assert result["deadline"].score == D(3)


def test_zero_over_zero_on_a_capped_row_keeps_the_cap_in_the_explanation():
    rs = Ruleset(Group("root", [Indicator("三公", StepDeduction(
        "控制率", target=100, points=5, step=1, side="above", basis="absolute"), max_points=3)]),
        [FactSpec("支出"), FactSpec("预算"), FactSpec("控制率", formula="支出 / 预算 * 100")])
    node = evaluate(rs, {"支出": 0, "预算": 0})["三公"]
    assert node.score == D(3)
    en = node.explain("en")
    assert "5 points capped at 3" in en
    assert "0/0 read as meeting the standard" in en
    assert "is undefined" not in en and "score range" not in en
