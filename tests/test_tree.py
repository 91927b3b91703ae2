"""The indicator tree and Ruleset: nesting, caps, declared vs summed maxima, not-applicable
rows, "one of several" groups, and every construction error a ruleset can raise."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rubric import (
    Band,
    Bands,
    Boolean,
    Categorical,
    Coefficient,
    CompletionRatio,
    FactSpec,
    FormulaError,
    FormulaRule,
    Group,
    Indicator,
    Policy,
    Ruleset,
    RulesetError,
    State,
    StepDeduction,
    UnitError,
    evaluate,
)

D = Decimal


def flag(name):
    return FactSpec(name, type="boolean")


def yes(id_, points, fact=None):
    return Indicator(id_, Boolean(fact or id_, points))


# --------------------------------------------------------------------------- nesting

def deep(levels):
    node = Group("g0", [yes("leaf", 4), yes("other", 6)])
    for i in range(1, levels):
        node = Group(f"g{i}", [node, yes(f"side{i}", 1)])
    return node


@pytest.mark.parametrize("levels", [1, 2, 3, 6, 12])
def test_groups_nest_to_any_depth(levels):
    root = deep(levels)
    names = ["leaf", "other"] + [f"side{i}" for i in range(1, levels)]
    rs = Ruleset(root, [flag(n) for n in names])
    result = evaluate(rs, {n: n != "other" for n in names})
    # 4 (leaf) + 1 per side row; "other" (6) is false
    assert result.total.score == D(4 + (levels - 1))
    assert rs.points[root.id] == D(10 + (levels - 1))
    depths = {node.id: depth for node, depth in rs.walk()}
    assert depths["leaf"] == levels
    assert result["leaf"].depth == levels
    assert [r.id for r in result.rows()] == [i.id for i in rs.indicators()]


def test_subtotal_is_capped_at_its_declared_points():
    rs = Ruleset(Group("root", [Group("g", [yes("a", 5), yes("b", 5)], max_points=8),
                                yes("c", 2)]),
                 [flag("a"), flag("b"), flag("c")])
    result = evaluate(rs, {"a": True, "b": True, "c": True})
    assert result["g"].score == D(8)
    assert result.total.score == D(10)
    assert "10 分超过分值，按 8 分封顶" in result["g"].explain("zh")
    assert "10 points capped at 8" in result["g"].explain("en")
    # a floored row never spills into its siblings
    result = evaluate(rs, {"a": True, "b": False, "c": True})
    assert result["g"].score == D(5)


def test_floored_deduction_does_not_spill_into_siblings():
    rs = Ruleset(Group("g", [
        Indicator("r", StepDeduction("r", target=100, points=5, step=1, side="above",
                                     basis="absolute")),
        yes("b", 5)]), [FactSpec("r", unit="%"), flag("b")])
    result = evaluate(rs, {"r": "190", "b": True})   # 90 points of deduction on a 5-point row
    assert result["r"].score == D(0)
    assert result.total.score == D(5)


def test_declared_maximum_differing_from_the_sum_is_reported():
    rs = Ruleset(Group("root", [Group("g", [yes("a", 60), yes("b", 50)], max_points=100)],
                       max_points=100), [flag("a"), flag("b")])
    assert any("g" in w and "100" in w and "110" in w for w in rs.warnings)
    mismatches = rs.max_mismatches()
    assert [(g.id, declared, summed) for g, declared, summed in mismatches] == \
        [("g", D(100), D(110))]
    result = evaluate(rs, {"a": True, "b": True})
    assert result.warnings == rs.warnings
    assert result.total.score == D(100)          # capped, never normalised silently
    assert result.total.max_points == D(100)


def test_matching_maxima_give_no_warning():
    rs = Ruleset(Group("root", [yes("a", 60), yes("b", 40)], max_points=100),
                 [flag("a"), flag("b")])
    assert rs.warnings == ()
    assert evaluate(rs, {"a": True, "b": True}).warnings == ()


# ------------------------------------------------------------ not applicable (§2.15)

def na_table(policy):
    # root 100 = A 70 + G 30 (B: coefficient × 20, C: 10 points)
    return Ruleset(Group("root", [
        yes("A", 70),
        Group("G", [Indicator("B", Coefficient("B", 20)), yes("C", 10)], max_points=30),
    ]), [flag("A"), FactSpec("B", unit="%"), flag("C")], Policy(not_applicable=policy))


def test_not_applicable_renormalise_to_100():
    result = evaluate(na_table("renormalise"), {"A": True, "B": "76", "C": "不适用"})
    # A 70 + B 76% × 20 = 15.2 → 85.2 out of the applicable 70 + 20 = 90
    # 85.2 × 100 / 90 = 94.666… → 94.67
    assert result["C"].applicable is False
    assert result["C"].score == D(0)
    assert result["G"].score == D("15.2")
    assert result.total.score == D("94.67")
    assert result.grade == "优"
    assert "按 100 分制折算" in result.total.explain("zh")
    assert "rescaled from 90 to 100" in result.total.explain("en")


def test_not_applicable_redistribute_to_siblings():
    result = evaluate(na_table("redistribute"), {"A": True, "B": "76", "C": "不适用"})
    # G's 30 points go to B alone: 15.2 × 30 / 20 = 22.8; total 70 + 22.8 = 92.8
    assert result["G"].score == D("22.8")
    assert result.total.score == D("92.8")
    assert "不适用指标不考核" in result["G"].explain("zh")


def test_not_applicable_without_any_na_row_changes_nothing():
    for policy in ("renormalise", "redistribute"):
        result = evaluate(na_table(policy), {"A": True, "B": "76", "C": True})
        assert result.total.score == D("95.2")  # 70 + 15.2 + 10


def test_whole_group_not_applicable():
    result = evaluate(na_table("renormalise"), {"A": True, "B": "不适用", "C": "不适用"})
    assert result["G"].applicable is False
    # 70 of the applicable 70 → 100
    assert result.total.score == D(100)
    result = evaluate(na_table("redistribute"), {"A": False, "B": "不适用", "C": "不适用"})
    assert result.total.score == D(0)


# -------------------------------------------------------- one of several (§2.16)

def one_of_table():
    return Ruleset(Group("root", [
        Group("择一", [
            Indicator("执行率", CompletionRatio("执行数", "预算数", 10)),
            Indicator("控制率", Bands("控制率", [Band(10, None, 100, upper_closed=True),
                                                 Band(0, 100, None, lower_closed=False)])),
        ], select="one_of"),
        yes("其他", 5),
    ]), [FactSpec("执行数", minimum=0), FactSpec("预算数", minimum=0),
         FactSpec("控制率", unit="%", minimum=0), flag("其他")])


def test_one_of_scores_the_alternative_whose_facts_are_given():
    rs = one_of_table()
    assert rs.points["择一"] == D(10)
    assert rs.points["root"] == D(15)
    first = evaluate(rs, {"执行数": 8, "预算数": 10, "其他": True})
    assert first["择一"].score == D(8)
    assert "择一考核：执行率" in first["择一"].explain("zh")
    second = evaluate(rs, {"控制率": "120", "其他": True})
    assert second["择一"].score == D(0)
    assert "one of several: 控制率" in second["择一"].explain("en")
    assert second.total.score == D(5)


def test_one_of_with_nothing_given_is_the_range_over_alternatives():
    result = evaluate(one_of_table(), {"其他": True})
    assert (result["择一"].low, result["择一"].high) == (D(0), D(10))
    assert set(result["择一"].missing) >= {"执行数", "控制率"}


# ---------------------------------------------------------------- construction errors

def test_duplicate_ids():
    with pytest.raises(RulesetError, match="id 'a' is used twice"):
        Ruleset(Group("root", [yes("a", 1), Group("g", [yes("a", 2, fact="b")])]),
                [flag("a"), flag("b")])


def test_duplicate_fact_declaration():
    with pytest.raises(RulesetError, match="fact 'a' is declared twice"):
        Ruleset(Group("root", [yes("a", 1)]), [flag("a"), flag("a")])


@pytest.mark.parametrize("make", [
    lambda: Indicator("行", Boolean("a", 1), max_points=-1),
    lambda: Group("组", [yes("a", 1)], max_points="-0.5"),
], ids=["indicator", "group"])
def test_negative_max_names_the_node(make):
    with pytest.raises(RulesetError, match="max_points must not be negative") as err:
        make()
    assert "indicator '行'" in str(err.value) or "indicator '组'" in str(err.value)
    assert "expected 0 or more points" in str(err.value)


def test_unknown_fact_in_a_rule_names_indicator_and_suggests():
    with pytest.raises(RulesetError) as err:
        Ruleset(Group("root", [Indicator("公开", Boolean("按规定内容公开", 3))]),
                [flag("按规定内容公开信息")])
    text = str(err.value)
    assert "indicator '公开'" in text
    assert "rule reads fact '按规定内容公开', which is not declared" in text
    assert "did you mean '按规定内容公开信息'" in text


@pytest.mark.parametrize(("rule", "spec", "needs"), [
    (Boolean("x", 1), FactSpec("x"), "boolean"),
    (Bands("x", [Band(1)]), flag("x"), "number"),
    (StepDeduction("x", target=1, points=1, step=1), FactSpec("x", type="date"), "number"),
    (Categorical("x", [State("a", 1)]), FactSpec("x"), "category or text"),
], ids=["boolean-on-number", "bands-on-boolean", "deduction-on-date", "categorical-on-number"])
def test_wrong_fact_type_for_a_rule(rule, spec, needs):
    with pytest.raises(RulesetError) as err:
        Ruleset(Group("root", [Indicator("行", rule)]), [spec])
    text = str(err.value)
    assert "indicator '行'" in text
    assert f"needs fact 'x' to be {needs}, but it is declared as {spec.type}" in text


def test_categorical_state_not_among_the_fact_categories():
    with pytest.raises(RulesetError, match="state '有结余' is not a category of fact 'x'") as err:
        Ruleset(Group("root", [Indicator("行", Categorical("x", [State("无结余", 5),
                                                                State("有结余", 0)]))]),
                [FactSpec("x", type="category", categories=["无结余", "结余"])])
    assert "indicator '行'" in str(err.value)


def test_unknown_fact_in_a_formula():
    with pytest.raises(FormulaError, match="unknown fact '预算' \\(did you mean '预算数'\\?\\)"):
        Ruleset(Group("root", [yes("a", 1)]),
                [flag("a"), FactSpec("预算数"), FactSpec("率", formula="1 / 预算")])


def test_unknown_fact_in_a_formula_rule_names_the_indicator():
    with pytest.raises(RulesetError) as err:
        Ruleset(Group("root", [Indicator("行", FormulaRule("预算 * 2", 5))]), [FactSpec("预算数")])
    assert "indicator '行'" in str(err.value)
    assert "did you mean '预算数'" in str(err.value)


def test_incompatible_unit_declaration():
    with pytest.raises(UnitError, match="unknown unit '斤'"):
        Ruleset(Group("root", [yes("a", 1)]), [flag("a"), FactSpec("b", unit="斤")])


def test_formula_adding_incompatible_units_is_an_error_of_rubric_check():
    # Building a ruleset checks names, types and cycles; dimensional analysis of formulas
    # is rubric check's job, which reports it as an error with the fact's line.
    from rubric import check_ruleset

    ruleset = Ruleset(Group("root", [yes("a", 1)]),
                      [flag("a"), FactSpec("预算数", unit="万元"), FactSpec("人数", unit="人"),
                       FactSpec("和", formula="预算数 + 人数")])
    errors = [f for f in check_ruleset(ruleset) if f.code == "unit-mismatch"]
    assert [f.severity for f in errors] == ["error"]
    assert "adds '预算数'" in errors[0].message and "'人数'" in errors[0].message


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Indicator("", Boolean("a", 1)), "an indicator needs an id"),
    (lambda: Indicator("行", object()), "is not a rubric rule"),
    (lambda: Group("", [yes("a", 1)]), "a group needs an id"),
    (lambda: Group("g", []), "a group needs at least one child"),
    (lambda: Group("g", [yes("a", 1)], select="two_of"), "select: 'two_of' is not known"),
    (lambda: Policy(precision=9), "precision: 9 is not allowed"),
    (lambda: Policy(rounding="bankers"), "rounding: 'bankers' is not a known reading"),
    (lambda: Policy(not_applicable="ignore"), "not_applicable: 'ignore'"),
    (lambda: Policy(missing="guess"), "missing: 'guess'"),
], ids=["indicator-id", "not-a-rule", "group-id", "empty-group", "select", "precision",
        "rounding", "not-applicable", "missing"])
def test_invalid_construction(make, message):
    with pytest.raises(RulesetError, match=message) as err:
        make()
    assert "expected" in str(err.value) or "example" in str(err.value) or "indicator" in \
        str(err.value)


def test_node_lookup_suggests():
    rs = one_of_table()
    assert rs.node("执行率").id == "执行率"
    with pytest.raises(KeyError, match="did you mean '执行率'"):
        rs.node("执行")


def test_derived_facts_resolve_to_their_inputs():
    rs = Ruleset(Group("root", [Indicator("r", Bands("率", [Band(1)]))]),
                 [FactSpec("a"), FactSpec("b"), FactSpec("率", formula="a / b * 100")])
    assert rs.base_inputs(("率",)) == ("a", "b")
    assert [s.name for s in rs.input_facts()] == ["a", "b"]
    result = evaluate(rs, {"a": 1})
    assert result["r"].missing == ("b",)      # the given "a" would settle nothing
    assert result.missing == ("b",)
