"""What loading reuses or takes a shortcut for gives what the full computation gives.

The number-range check's shortcut (``numbers.accepted`` without ``as_tuple`` for 0-2
decimal places), band range texts parsed once and reused, and the tree's 分值 summed
bottom-up once per node (``Ruleset.points``, its warnings) against ``Group.points``.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from rubric import Boolean, FactSpec, Group, Indicator, Ruleset, dump_ruleset, load_ruleset
from rubric.numbers import accepted, problem

_EDGES = ["0", "-0", "0.00", "0E+30", "0E-30", "1E+18", "-1E+18", "1000000000000000000.01",
          "999999999999999999.99", "1000000000000000001", "1.0000000000000000000", "NaN",
          "sNaN", "Infinity", "-Infinity", "0.1", "-0.01", "123.456", "5E+1", "5E-19"]


@given(st.one_of(st.sampled_from(_EDGES),
                 st.builds(lambda i, e: f"{i}E{e:+d}", st.integers(-10**40, 10**40),
                           st.integers(-45, 45))))
def test_accepted_is_problem_is_none(text: str) -> None:
    number = Decimal(text)
    assert accepted(number) is (problem(number) is None)


def _table(unit: str) -> str:
    return f"""\
rubric: 1
facts:
  支出: {{unit: {unit}, minimum: 0}}
  收入: {{unit: 万元, minimum: 0}}
indicators:
- id: A
  rule:
    kind: bands
    fact: 支出
    bands:
    - {{range: '≤1 亿元', points: 5}}
    - {{range: '>1 亿元', points: 0}}
- id: B
  rule:
    kind: bands
    fact: 收入
    bands:
    - {{range: '≤1 亿元', points: 3}}
    - {{range: '>1 亿元', points: 1}}
"""


def test_a_reused_range_text_keeps_each_facts_unit() -> None:
    first = load_ruleset(_table("亿元"))
    again = load_ruleset(_table("亿元"))  # the same texts again: the parse is reused
    rows = {r.id: r.rule for r in first.indicators()}
    assert rows["A"].bands[0].upper == Decimal(1)  # in 亿元, A's fact's unit
    assert rows["B"].bands[0].upper == Decimal(10000)  # the same text in 万元
    assert again == first and dump_ruleset(again) == dump_ruleset(first)
    other = load_ruleset(_table("元"))
    assert {r.id: r.rule for r in other.indicators()}["A"].bands[0].upper == Decimal(10**8)


def test_shared_numbers_dump_without_aliases() -> None:
    text = dump_ruleset(load_ruleset(_table("亿元")))
    assert "&id" not in text and "*id" not in text
    assert load_ruleset(text) == load_ruleset(_table("亿元"))


def _flag(name: str) -> FactSpec:
    return FactSpec(name, type="boolean")


def test_points_bottom_up_are_the_groups_own() -> None:
    rows = [Indicator(f"r{i}", Boolean(f"f{i}", i + 1)) for i in range(6)]
    inner = Group("inner", rows[:2], select="one_of")
    middle = Group("middle", [inner, rows[2], Group("capped", rows[3:5], max_points=4)])
    root = Group("root", [middle, rows[5]], max_points=9)
    ruleset = Ruleset(root, [_flag(f"f{i}") for i in range(6)])
    for node in (inner, middle, root, *rows):
        assert ruleset.points[node.id] == node.points
    assert ruleset.points["inner"] == 2 and ruleset.points["middle"] == 9
    # as Group.children_points gives them, in the tree's order
    expected = [(g, g.max_points, g.children_points) for g in (root, middle, inner, rows[0])
                if isinstance(g, Group) and g.max_points is not None
                and g.max_points != g.children_points] + [(middle.children[2], Decimal(4), 9)]
    assert ruleset.max_mismatches() == expected
    assert [m[2] for m in expected] == [15, 9]  # 9 + 6; 4 + 5 (capped at 4 in middle's 9)
    assert ruleset.warnings == ("root: 分值 9 ≠ 下级分值之和 15", "capped: 分值 4 ≠ 下级分值之和 9")
