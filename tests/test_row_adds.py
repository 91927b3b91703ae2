"""Rows that print but do not add (issue 11 item 6): ``adds: false`` — 其中 (of which) rows
and informational rows, scored, shown and carried in results, not summed into their
group nor counted in its 分值."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest
from hypothesis import given, settings

from rubric import (
    Boolean,
    FactSpec,
    Group,
    Indicator,
    LoadError,
    Ruleset,
    RulesetError,
    audit,
    dump_ruleset,
    evaluate,
    score_only,
)
from rubric.audit import Claimed
from rubric.columnar import score_columns
from rubric.rules.row_options import RowOptions
from rubric.testing import facts_for
from rubric.verify.check import check_ruleset

D = Decimal

YAML = textwrap.dedent("""\
    rubric: 1
    facts:
      执行率: {unit: "%", minimum: 0, maximum: 100}
      三公: {type: boolean}
      其他: {type: boolean}
    indicators:
      - id: 预算执行
        children:
          - id: 执行率
            max_points: 10
            rule: {kind: ratio, actual: 执行率, target: 100, points: 10}
          - id: 其中三公
            name: 其中：三公经费控制
            max_points: 3
            rule: {kind: boolean, fact: 三公, yes_points: 3}
            adds: false
      - id: 其他
        max_points: 90
        rule: {kind: boolean, fact: 其他, yes_points: 90}
    """)


def load_text(text: str) -> Ruleset:
    from rubric.io.loader import load_ruleset as load

    return load(text, filename="t.yaml")


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return load_text(YAML)


def test_the_group_worth_leaves_out_a_row_that_does_not_add(ruleset: Ruleset) -> None:
    assert ruleset.node("预算执行").points == D(10)
    assert ruleset.root.points == D(100)
    assert ruleset.warnings == ()


@pytest.mark.parametrize(("rate", "sangong", "group"), [
    ("90%", True, "9"), ("90%", False, "9"), ("100%", True, "10"), ("0%", True, "0"),
])
def test_a_row_that_does_not_add_is_scored_and_shown_not_summed(
        ruleset: Ruleset, rate: str, sangong: bool, group: str) -> None:
    res = evaluate(ruleset, {"执行率": rate, "三公": sangong, "其他": True})
    assert res["其中三公"].score == (D(3) if sangong else D(0))
    assert res["预算执行"].score == D(group)
    assert res.score == D(group) + 90
    assert [c.id for c in res["预算执行"].children] == ["执行率", "其中三公"]
    assert "本行单列（其中项），不计入上级合计" in res["其中三公"].explain()
    out = res.to_dict()["tree"]["children"][0]["children"][1]
    assert out["id"] == "其中三公" and out["score"] == ("3" if sangong else "0")
    assert out["trace"][-1] == {"type": "not_added"}


def test_its_missing_fact_leaves_the_group_settled(ruleset: Ruleset) -> None:
    res = evaluate(ruleset, {"执行率": "90%", "其他": True})
    assert (res["其中三公"].low, res["其中三公"].high) == (D(0), D(3))
    assert res["预算执行"].score == D(9) and res.score == D(99)
    assert res.missing == ()


def test_a_row_that_does_not_add_and_does_not_apply_rescales_nothing(ruleset: Ruleset) -> None:
    res = evaluate(ruleset, {"执行率": "90%", "三公": "不适用", "其他": True})
    assert res["其中三公"].applicable is False
    assert (res.score, res.rescaled) == (D(99), None)


@pytest.mark.parametrize("given", [
    {"执行率": "90%", "三公": True, "其他": True}, {"执行率": "90%", "其他": True},
    {"执行率": "87.65%", "三公": False, "其他": False},
])
def test_score_only_and_the_column_engine_agree_with_evaluate(
        ruleset: Ruleset, given: dict[str, object]) -> None:
    res = evaluate(ruleset, given)
    fast = score_only(ruleset, given)
    assert fast.lows == tuple(r.low for r in res.records)
    assert fast.highs == tuple(r.high for r in res.records)
    cols = score_columns(ruleset, {k: [v] for k, v in given.items()})
    assert (cols.total_low[0], cols.total_high[0]) == (res.low, res.high)
    assert cols.low("预算执行")[0] == res["预算执行"].low


def test_check_notes_it_and_finds_no_group_sum_problem(ruleset: Ruleset) -> None:
    found = check_ruleset(ruleset)
    assert [f.code for f in found if f.severity == "error"] == []
    (note,) = [f for f in found if f.code == "not-added"]
    assert note.text("zh") == "本行单列计分（adds: false），不计入上级合计：其分值 3 不计入上级分值"


def test_without_adds_false_the_same_table_is_worth_more() -> None:
    rs = load_text(YAML.replace("        adds: false\n", ""))
    assert (rs.node("预算执行").points, rs.root.points) == (D(13), D(103))
    assert evaluate(rs, {"执行率": "90%", "三公": True, "其他": True}).score == D(102)


def test_audit_checks_the_subtotal_without_the_row(ruleset: Ruleset) -> None:
    report = audit(ruleset, {"执行率": "90%", "三公": True, "其他": True},
                   Claimed(scores={"预算执行": D(9), "其中三公": D(3)}, total=D(99)))
    assert report.ok
    wrong = audit(ruleset, {"执行率": "90%", "三公": True, "其他": True},
                  Claimed(scores={"预算执行": D(12)}, total=D(102)))
    assert not wrong.ok


def test_audit_of_a_fully_claimed_group_sums_only_the_rows_that_add(ruleset: Ruleset
                                                                    ) -> None:
    facts = {"执行率": "90%", "三公": True, "其他": True}
    claims = {"执行率": D(9), "其中三公": D(3), "预算执行": D(9), "其他": D(90)}
    report = audit(ruleset, facts, Claimed(scores=claims, total=D(99),
                                           maxima={"执行率": D(10), "其中三公": D(3),
                                                   "预算执行": D(10)}))
    assert report.ok, [(e.id, e.classes, e.messages) for e in report.findings]
    # the group claimed as the sum with the 其中 row is the mismatch it is
    wrong = audit(ruleset, facts, Claimed(scores={**claims, "预算执行": D(12)}, total=D(102)))
    assert "sum_mismatch" in wrong["预算执行"].classes


def test_dump_writes_it_back(ruleset: Ruleset) -> None:
    text = dump_ruleset(ruleset)
    assert "adds: false" in text
    assert load_text(text) == ruleset


def test_adds_must_be_true_or_false() -> None:
    with pytest.raises(LoadError, match="adds: 'no' is not true or false"):
        load_text(YAML.replace("adds: false", "adds: 'no'"))
    with pytest.raises(RulesetError, match="is not true or false"):
        RowOptions(Boolean("a", 3), adds=0)  # type: ignore[arg-type]


def test_a_move_to_a_row_that_does_not_add_is_refused() -> None:
    with pytest.raises(RulesetError, match="no sibling of the row summed into the group"):
        Ruleset(Group("t", [
            Indicator("A", RowOptions(Boolean("a", 50), adds=False)),
            Indicator("B", RowOptions(Boolean("b", 50), if_not_applicable=_move("A"))),
            Indicator("C", Boolean("c", 50))]),
            [FactSpec(n, type="boolean") for n in "abc"])


def _move(*to: str) -> object:
    from rubric.rules.row_options import IfNotApplicable

    return IfNotApplicable("move", to=to)


@settings(max_examples=60, deadline=None)
@given(data=facts_for(load_text(YAML), missing=True))
def test_the_group_is_the_sum_of_the_rows_that_add(data: dict[str, object]) -> None:
    rs = load_text(YAML)
    res = evaluate(rs, data)
    row, group = res["执行率"], res["预算执行"]
    assert (group.low, group.high) == (row.low, row.high)


def test_rubric_testing_check_properties_passes() -> None:
    from rubric.testing import check_properties

    check_properties(load_text(YAML))  # bounds, monotonicity (a veto fact: lower), ranges


def test_the_json_schema_accepts_the_form_and_refuses_a_misspelt_key() -> None:
    import jsonschema
    import yaml

    from rubric import ruleset_schema

    schema = ruleset_schema()
    jsonschema.validate(yaml.safe_load(YAML), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(YAML.replace("rule:", "rulez:", 1)), schema)
