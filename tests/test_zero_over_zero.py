"""0/0 by the rule's direction (domain.md §3.6): a lower-is-better rate (控制率) with
nothing budgeted and nothing spent meets the standard; a higher-is-better rate
(执行率/完成率) is undefined, a score range with the reason. ``by_direction`` reads it so;
an explicit ``full``/``zero``/``undefined`` keeps its meaning; a rule's own reading wins.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from rubric import (
    CompletionRatio,
    FactSpec,
    Group,
    Indicator,
    Policy,
    RuleDefaults,
    Ruleset,
    StepDeduction,
    check_ruleset,
    evaluate,
    load_ruleset,
    score_only,
)
from rubric.policy import zero_over_zero_reading

RATE = [FactSpec("支出", minimum=0), FactSpec("预算", minimum=0),
        FactSpec("率", unit="%", formula="支出 / 预算 * 100")]
ZERO = {"支出": 0, "预算": 0}


def table(rule, reading="by_direction", specs=RATE):
    return Ruleset(Group("root", [Indicator("行", rule)]), specs,
                   Policy(defaults=RuleDefaults(zero_over_zero=reading)))


def control(**kw):
    """三公经费控制率: over 100% deducts (lower is better)."""
    return StepDeduction("率", target=100, points=5, step=1, side="above",
                         basis="absolute", **kw)


def execution(**kw):
    """预算执行率: under 100% deducts (higher is better)."""
    return StepDeduction("率", target=100, points=5, step=1, side="below",
                         basis="absolute", **kw)


def agrees(rs, facts):
    node = evaluate(rs, facts)["行"]
    scores = score_only(rs, facts)
    assert (scores.lows[0], scores.highs[0]) == (node.low, node.high)
    return node


@pytest.mark.parametrize(("direction", "reading"), [
    ("lower", "full"), ("higher", "undefined"), ("target", "undefined"),
    ("none", "undefined")])
def test_by_direction_reads(direction, reading):
    assert zero_over_zero_reading("by_direction", direction) == reading
    for explicit in ("full", "zero", "undefined"):
        assert zero_over_zero_reading(explicit, direction) == explicit


def test_a_lower_is_better_rate_at_0_over_0_scores_full():
    node = agrees(table(control()), ZERO)
    assert node.score == D(5)
    assert "0/0 视为达标" in node.explain("zh")
    assert "0/0 read as meeting the standard" in node.explain("en")


def test_a_higher_is_better_rate_at_0_over_0_is_a_range_with_the_reason():
    node = agrees(table(execution()), ZERO)
    assert (node.low, node.high) == (D(0), D(5))
    assert node.score is None
    en, zh = node.explain("en"), node.explain("zh")
    assert "0/0 is undefined" in en and "score range" in en
    assert "0/0 无法计算" in zh
    assert any(s.type == "zero_over_zero" and s.reading == "undefined" for s in node.trace)


def test_a_both_sided_rate_at_0_over_0_is_a_range():
    rule = StepDeduction("率", target=100, points=5, step=1, side="both", basis="absolute")
    node = agrees(table(rule), ZERO)
    assert (node.low, node.high) == (D(0), D(5))


def test_spending_against_a_zero_budget_is_still_an_overrun():
    assert agrees(table(control()), {"支出": 3, "预算": 0}).score == D(0)


@pytest.mark.parametrize("reading", ["full", "zero", "undefined"])
def test_an_explicit_policy_reading_keeps_its_meaning(reading):
    want = {"full": (D(5), D(5)), "zero": (D(0), D(0)), "undefined": (D(0), D(5))}[reading]
    for rule in (control(), execution()):
        node = agrees(table(rule, reading), ZERO)
        assert (node.low, node.high) == want


# ------------------------------------------------------------- ratio rules (9/9b)

RATIO = [FactSpec("实际", minimum=0), FactSpec("计划", minimum=0)]


@pytest.mark.parametrize(("reverse", "low", "high"), [(True, 10, 10), (False, 0, 10)])
def test_a_ratio_rule_reads_0_over_0_by_its_direction(reverse, low, high):
    rs = table(CompletionRatio("实际", "计划", 10, reverse=reverse), specs=RATIO)
    node = agrees(rs, {"实际": 0, "计划": 0})
    assert (node.low, node.high) == (D(low), D(high))
    assert ("0/0 read as meeting the standard" if reverse else "0/0 is undefined") in (
        node.explain("en"))


def test_a_rules_own_reading_overrides_the_policy_both_ways():
    full = table(CompletionRatio("实际", "计划", 10, zero_over_zero="full"), specs=RATIO)
    assert agrees(full, {"实际": 0, "计划": 0}).score == D(10)
    undefined = table(CompletionRatio("实际", "计划", 10, reverse=True,
                                      zero_over_zero="undefined"), specs=RATIO)
    node = agrees(undefined, {"实际": 0, "计划": 0})
    assert (node.low, node.high) == (D(0), D(10))
    # the rule may also ask for by_direction under an explicit policy
    by_dir = table(CompletionRatio("实际", "计划", 10, reverse=True,
                                   zero_over_zero="by_direction"), "zero", specs=RATIO)
    assert agrees(by_dir, {"实际": 0, "计划": 0}).score == D(10)


def test_a_rules_own_reading_overrides_the_policy_on_a_derived_rate():
    # 执行率 = 支出/预算 scored as a completion ratio against 100%: higher is better
    higher = CompletionRatio("率", 100, 10)
    node = agrees(table(higher), ZERO)
    assert (node.low, node.high) == (D(0), D(10))
    assert agrees(table(CompletionRatio("率", 100, 10, zero_over_zero="full")),
                  ZERO).score == D(10)
    lower = CompletionRatio("率", 100, 10, reverse=True)
    assert agrees(table(lower), ZERO).score == D(10)
    node = agrees(table(CompletionRatio("率", 100, 10, reverse=True,
                                        zero_over_zero="undefined"), "full"), ZERO)
    assert (node.low, node.high) == (D(0), D(10))


# ------------------------------------------------------------------ rubric check

def test_check_states_the_reading_that_applies():
    rs = Ruleset(Group("root", [Indicator("控制", control()), Indicator("执行", execution())]),
                 RATE, Policy(defaults=RuleDefaults(zero_over_zero="by_direction")))
    (finding,) = [f for f in check_ruleset(rs) if f.code == "zero-division"]
    assert ("row '控制' scores 0 at x/0 (+∞, an unbounded overrun) and 5 at 0/0 "
            "(zero_over_zero 'full'), by_direction for a lower-is-better row") in finding.message
    assert ("row '执行' scores 5 at x/0 (+∞, an unbounded overrun) and a range [0, 5] at 0/0 "
            "(zero_over_zero 'undefined'), by_direction for a higher-is-better row"
            ) in finding.message


@pytest.mark.parametrize(("reverse", "effect"), [
    (True, "0/0 scores full marks 10 (zero_over_zero: by_direction, lower is better, so full)"),
    (False, ("0/0 scores a range [0, 10] (zero_over_zero: by_direction, higher is better, "
             "so undefined)"))])
def test_check_of_a_ratio_rule_states_the_reading(reverse, effect):
    rs = table(CompletionRatio("实际", "计划", 10, reverse=reverse), specs=RATIO)
    (finding,) = [f for f in check_ruleset(rs) if f.code == "zero-division"]
    assert effect in finding.message


def test_the_ruleset_file_accepts_by_direction():
    rs = load_ruleset("""
rubric: 1
facts:
  实际: {minimum: 0}
  计划: {minimum: 0}
policy:
  defaults: {zero_over_zero: by_direction}
indicators:
  - id: 行
    rule: {kind: ratio, actual: 实际, target: 计划, points: 10}
""", filename="t.yaml")
    assert rs.policy.defaults.zero_over_zero == "by_direction"
    node = evaluate(rs, {"实际": 0, "计划": 0})["行"]
    assert (node.low, node.high) == (D(0), D(10))
