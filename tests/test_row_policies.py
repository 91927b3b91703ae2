"""A row's own not-applicable reading (issue 11 item 5) and its own precision (item 7).

``if_not_applicable``: renormalise (the policy's, the default), ``full`` (没有该项任务的，
不扣分), ``{points: N}`` (若单位无项目，得2分), ``{to: [siblings]}`` (the 分值 moves to
them); ``precision``/``rounding``: a row rounded otherwise than the table.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings

from rubric import (
    Boolean,
    CompletionRatio,
    FactSpec,
    Group,
    Indicator,
    LoadError,
    Ruleset,
    RulesetError,
    dump_ruleset,
    evaluate,
    load_ruleset,
    score_only,
)
from rubric.audit import achievable_scores
from rubric.columnar import score_columns
from rubric.rules.row_options import IfNotApplicable, RowOptions
from rubric.testing import facts_for
from rubric.verify.check import check_ruleset

D = Decimal

YAML = textwrap.dedent("""\
    rubric: 1
    facts:
      完成率: {unit: "%", minimum: 0, maximum: 100}
      专项: {type: boolean}
      采购: {type: boolean}
      登记率: {unit: "%", minimum: 0, maximum: 100}
      处置: {type: boolean}
      其他: {type: boolean}
    indicators:
      - id: 项目管理
        max_points: 5
        criterion: 完成率×5分；若单位无项目，得2分
        rule: {kind: ratio, actual: 完成率, target: 100, points: 5}
        if_not_applicable: {points: 2}
      - id: 专项任务
        max_points: 3
        criterion: 完成专项任务得3分；没有该项任务的，不扣分
        rule: {kind: boolean, fact: 专项, yes_points: 3}
        if_not_applicable: full
      - id: 资产管理
        children:
          - id: 政府采购
            max_points: 5
            rule: {kind: boolean, fact: 采购, yes_points: 5}
            if_not_applicable: {to: [资产登记, 资产处置]}
          - id: 资产登记
            max_points: 10
            rule: {kind: ratio, actual: 登记率, target: 100, points: 10}
          - id: 资产处置
            max_points: 10
            rule: {kind: boolean, fact: 处置, yes_points: 10}
      - id: 其他
        max_points: 67
        rule: {kind: boolean, fact: 其他, yes_points: 67}
    """)


def load_text(text: str) -> Ruleset:
    from rubric.io.loader import load_ruleset as load

    return load(text, filename="t.yaml")


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return load_text(YAML)


def facts(**over: object) -> dict[str, object]:
    base: dict[str, object] = {"完成率": "90%", "专项": True, "采购": True, "登记率": "80%",
                               "处置": True, "其他": True}
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


def test_every_row_applicable_scores_by_its_rule(ruleset: Ruleset) -> None:
    res = evaluate(ruleset, facts())
    assert [res[i].score for i in ("项目管理", "专项任务", "政府采购", "资产登记", "资产处置")] == [
        D("4.5"), D(3), D(5), D(8), D(10)]
    assert (res.score, res.rescaled) == (D("97.5"), None)


# -- fixed points, full points -------------------------------------------------------


@pytest.mark.parametrize("how", ["fact", "row"])
def test_a_row_without_its_task_scores_the_fixed_points(ruleset: Ruleset, how: str) -> None:
    given = facts(完成率="不适用") if how == "fact" else {**facts(), "不适用": ["项目管理"]}
    res = evaluate(ruleset, given)
    row = res["项目管理"]
    assert (row.score, row.applicable) == (D(2), True)
    assert "本行规定不适用时计 2 分" in row.explain()
    assert res.rescaled is None  # it counts: nothing is rescaled
    assert res.score == D(95)


@pytest.mark.parametrize("how", ["fact", "row"])
def test_a_row_without_its_task_keeps_full_points(ruleset: Ruleset, how: str) -> None:
    given = facts(专项="不适用") if how == "fact" else {**facts(), "不适用": "专项任务"}
    res = evaluate(ruleset, given)
    assert (res["专项任务"].score, res["专项任务"].applicable) == (D(3), True)
    assert "不扣分，计满分 3 分" in res["专项任务"].explain()
    assert res.score == D("97.5")


def test_the_default_reading_still_renormalises() -> None:
    rs = load_text(YAML.replace("    if_not_applicable: full\n", ""))
    res = evaluate(rs, facts(专项="不适用"))
    assert res["专项任务"].applicable is False
    assert res.rescaled is not None and res.rescaled.applicable_max == D(97)
    assert res.score == (D("94.5") * 100 / 97).quantize(D("0.01"))


def test_renormalise_written_out_is_the_default() -> None:
    explicit = load_text(YAML.replace("if_not_applicable: full", "if_not_applicable: renormalise"))
    default = load_text(YAML.replace("    if_not_applicable: full\n", ""))
    for each in (facts(专项="不适用"), facts()):
        assert evaluate(explicit, each).score == evaluate(default, each).score


def test_fixed_points_above_what_the_rule_awards_are_refused() -> None:
    with pytest.raises(RulesetError, match="6 points are more than the rule awards"):
        RowOptions(Boolean("a", 5), if_not_applicable=IfNotApplicable("points", 6))
    with pytest.raises(RulesetError, match="points are given with the fixed-points reading"):
        IfNotApplicable("full", 2)


# -- weight moved to siblings ----------------------------------------------------------


@pytest.mark.parametrize("how", ["fact", "row"])
def test_a_row_not_applicable_moves_its_points_to_the_named_siblings(ruleset: Ruleset,
                                                                    how: str) -> None:
    given = facts(采购="不适用") if how == "fact" else {**facts(), "不适用": ["政府采购"]}
    res = evaluate(ruleset, given)
    row = res["政府采购"]
    # the siblings' rate: (8 + 10) / (10 + 10) = 0.9 of the row's 5 points
    assert (row.low, row.high) == (D("4.5"), D("4.5"))
    assert "本行分值 5 分移至资产登记、资产处置：按其得分率计 4.5 分" in row.explain()
    # the same subtotal as scaling each sibling by (分值 + share) / 分值: 8 × 1.25 + 10 × 1.25
    assert res["资产管理"].score == D("22.5") == D(8) * D("1.25") + D(10) * D("1.25")
    assert res.rescaled is None


def test_a_sibling_range_makes_the_moved_points_a_range(ruleset: Ruleset) -> None:
    res = evaluate(ruleset, facts(采购="不适用", 处置=None))
    row = res["政府采购"]
    assert (row.low, row.high) == (D(2), D("4.5"))  # 5 × 8/20 … 5 × 18/20
    assert row.missing == ("处置",)


def test_siblings_not_applicable_take_nothing(ruleset: Ruleset) -> None:
    res = evaluate(ruleset, facts(采购="不适用", 处置="不适用"))
    assert res["政府采购"].score == D(4)  # 5 × 8/10: only 资产登记 applies
    res = evaluate(ruleset, facts(采购="不适用", 处置="不适用", 登记率="不适用"))
    assert res["政府采购"].applicable is False  # nobody to move to: left out, rescaled
    assert res.rescaled is not None and res.rescaled.applicable_max == D(75)


@pytest.mark.parametrize(("to", "why"), [
    ("[资产登记, 资产清查]", "'资产清查', which is no sibling of the row"),
    ("[其他]", "'其他', which is no sibling of the row"),
    ("[政府采购]", "'政府采购', which is the row itself"),
    ("[资产登记, 资产登记]", "'资产登记', which is named twice"),
])
def test_a_move_to_anything_but_a_sibling_is_a_load_error(tmp_path: Path, to: str,
                                                          why: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(YAML.replace("{to: [资产登记, 资产处置]}", f"{{to: {to}}}"), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_ruleset(path)
    (problem,) = info.value.problems
    text = str(problem)
    assert text.startswith(f"{path}:25:")  # the if_not_applicable line
    assert f"indicator '政府采购': if_not_applicable moves the row's 分值 to {why}" in text
    assert "expected ids of other rows or groups of its group: 资产登记, 资产处置" in text


def test_check_notes_each_row_reading(ruleset: Ruleset) -> None:
    notes = [(f.indicator, f.text("zh")) for f in check_ruleset(ruleset)
             if f.code == "row-not-applicable"]
    assert notes == [
        ("项目管理", "本行不适用时计 2 分（if_not_applicable: points），而不是不计入总分"),
        ("专项任务", "本行不适用时计 3 分（if_not_applicable: full），而不是不计入总分"),
        ("资产管理/政府采购", ("本行不适用时其分值 5 分移至 资产登记、资产处置，按其得分率计分"
                              "（if_not_applicable: to）")),
    ]


# -- per-row precision -----------------------------------------------------------------


PRECISION = textwrap.dedent("""\
    rubric: 1
    policy: {precision: 2}
    facts:
      a: {unit: "%", minimum: 0, maximum: 100}
      b: {unit: "%", minimum: 0, maximum: 100}
    indicators:
      - id: A
        max_points: 10
        rule: {kind: ratio, actual: a, target: 100, points: 10}
        precision: 1
      - id: B
        max_points: 90
        rule: {kind: ratio, actual: b, target: 100, points: 90}
    """)


@pytest.mark.parametrize(("a", "row"), [
    ("87.64%", "8.8"),   # 8.764: up at 1 decimal
    ("87.65%", "8.8"),   # 8.765
    ("87.44%", "8.7"),   # 8.744: down
    ("87.45%", "8.7"),   # 8.745 → 8.7 (half up at the first decimal: 8.745 < 8.75)
    ("87.5%", "8.8"),    # 8.75: exactly half, up
    ("100%", "10.0"),
])
def test_a_row_rounds_to_its_own_precision_and_the_rest_to_the_policy(a: str, row: str) -> None:
    rs = load_text(PRECISION)
    res = evaluate(rs, {"a": a, "b": "87.654%"})
    assert res["A"].score == D(row)
    assert res["B"].score == D("78.89")  # 78.8886 at the policy's 2 decimals
    assert res.score == D(row) + D("78.89")


def test_a_row_rounds_down_when_it_says_so() -> None:
    rs = load_text(PRECISION.replace("precision: 1\n", "precision: 1\n    rounding: down\n"))
    res = evaluate(rs, {"a": "87.69%", "b": "100%"})
    assert res["A"].score == D("8.7")
    assert "本行保留 1 位小数（舍去尾数）：8.769 为 8.7 分" in res["A"].explain()
    assert "this row to 1 decimal(s) (down): 8.769 to 8.7" in res["A"].explain("en")


def test_a_row_precision_finer_than_the_table_is_refused() -> None:
    with pytest.raises(LoadError, match=r"the row's precision 3 is finer than the table's \(2\)"):
        load_text(PRECISION.replace("precision: 1", "precision: 3"))
    with pytest.raises(LoadError, match="a row's rounding needs its precision"):
        load_text(PRECISION.replace("precision: 1", "rounding: down"))
    with pytest.raises(LoadError, match="precision: 7 is not a number of decimals"):
        load_text(PRECISION.replace("precision: 1", "precision: 7"))


def test_a_row_precision_reaches_audit_as_its_achievable_scores() -> None:
    rs = Ruleset(Group("t", [Indicator("A", RowOptions(Boolean("a", D("2.25")), precision=1),
                                       max_points=D("2.3")),
                             Indicator("B", Boolean("b", D("97.7")))]),
                 [FactSpec("a", type="boolean"), FactSpec("b", type="boolean")])
    assert achievable_scores(rs.node("A"), rs) == {D(0), D("2.3")}  # type: ignore[arg-type]
    assert evaluate(rs, {"a": True, "b": True})["A"].score == D("2.3")


# -- every path the same ---------------------------------------------------------------


@pytest.mark.parametrize("over", [
    {}, {"完成率": "不适用"}, {"专项": "不适用"}, {"采购": "不适用"},
    {"采购": "不适用", "处置": None},
    {"不适用": ["项目管理", "政府采购"]}, {"完成率": "87.65%"},
])
def test_score_only_and_the_column_engine_agree_with_evaluate(ruleset: Ruleset,
                                                               over: dict[str, object]) -> None:
    given = {**facts(), **over}
    given = {k: v for k, v in given.items() if v is not None}
    res = evaluate(ruleset, given)
    fast = score_only(ruleset, given)
    assert fast.lows == tuple(r.low for r in res.records)
    assert fast.highs == tuple(r.high for r in res.records)
    cols = score_columns(ruleset, {k: [v] for k, v in given.items()})
    assert (cols.total_low[0], cols.total_high[0]) == (res.low, res.high)


def test_dump_writes_every_row_option_back(ruleset: Ruleset) -> None:
    text = dump_ruleset(ruleset)
    assert "if_not_applicable: {points: 2}" in text and "if_not_applicable: full" in text
    assert "if_not_applicable:\n" in text or "if_not_applicable: {to:" in text
    assert load_text(text) == ruleset
    rs = load_text(PRECISION.replace("precision: 1\n", "precision: 1\n    rounding: up\n"))
    assert load_text(dump_ruleset(rs)) == rs


@settings(max_examples=80, deadline=None)
@given(data=facts_for(load_text(YAML), missing=True))
def test_scores_stay_within_each_row_and_the_total(data: dict[str, object]) -> None:
    rs = load_text(YAML)
    res = evaluate(rs, data)
    for node in res.nodes():
        assert D(0) <= node.low <= node.high <= node.max_points, node.id
    if data.get("完成率") == "不适用":
        assert res["项目管理"].score == D(2)


def test_a_python_row_keeps_full_points_as_in_yaml() -> None:
    rs = Ruleset(Group("t", [
        Indicator("A", RowOptions(CompletionRatio("a", D(100), D(10)),
                                  if_not_applicable=IfNotApplicable("full"))),
        Indicator("B", Boolean("b", 90))]),
        [FactSpec("a", unit="%", minimum=0, maximum=100), FactSpec("b", type="boolean")])
    assert evaluate(rs, {"a": "不适用", "b": True}).score == D(100)
    assert evaluate(rs, {"a": "50%", "b": True}).score == D(95)


def test_rubric_testing_check_properties_passes() -> None:
    from rubric.testing import check_properties

    check_properties(load_text(YAML))  # bounds, monotonicity (a veto fact: lower), ranges


def test_a_row_worth_finer_than_its_precision_is_refused() -> None:
    with pytest.raises(LoadError, match=r"the row.s 分值 10\.25 is finer than its precision 1"):
        load_text(PRECISION.replace("max_points: 10\n", "max_points: 10.25\n"))


def test_row_options_on_a_row_not_assessed_are_refused() -> None:
    old = "    rule: {kind: boolean, fact: 专项, yes_points: 3}\n"
    assert old in YAML
    text = YAML.replace(old, "    assessed: false\n")
    with pytest.raises(LoadError, match="'if_not_applicable' is an option of a row's rule, "
                                        "and this row has none"):
        load_text(text)


def test_the_json_schema_accepts_the_form_and_refuses_a_misspelt_key() -> None:
    import jsonschema
    import yaml

    from rubric import ruleset_schema

    schema = ruleset_schema()
    jsonschema.validate(yaml.safe_load(YAML), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(YAML.replace("rule:", "rulez:", 1)), schema)


def test_the_json_schema_accepts_a_row_precision() -> None:
    import jsonschema
    import yaml

    from rubric import ruleset_schema

    jsonschema.validate(yaml.safe_load(PRECISION), ruleset_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(PRECISION.replace("precision: 1", "precision: 9")),
                            ruleset_schema())
