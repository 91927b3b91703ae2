"""Grades on tables whose total is not 100 (issue 11 item 7): a grade's minimum is a
percent of ``total_points`` by default (70 of 70 is 优, not 中), or points as written."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from rubric import evaluate as score
from rubric import load_ruleset, score_columns, score_only

TABLE = """
rubric: 1
metadata: {{id: t, name: t}}
policy: {{total_points: 70{basis}}}
facts:
  得分: {{minimum: 0, maximum: 70}}
root: {{id: 合计, name: 合计, max_points: 70}}
indicators:
  - {{id: A, max_points: 70, rule: {{kind: formula, expression: 得分, points: 70,
      direction: higher}}}}
"""


@pytest.mark.parametrize(("points", "percent", "as_written"), [
    ("70", "优", "中"),     # 70 of 70 is 100 %: 优; as written, 70 ≥ 60 points is 中
    ("63", "优", "中"),     # 63 / 70 = 90 %: 优 starts at 63 points
    ("62.9", "良", "中"),
    ("56", "良", "差"),     # 80 % of 70; as written, 56 < 60
    ("42", "中", "差"),     # 60 % of 70
    ("41.9", "差", "差"),
])
def test_grade_minimum_is_a_percent_of_the_total(points: str, percent: str,
                                                 as_written: str) -> None:
    scaled = load_ruleset(TABLE.format(basis=""))
    written = load_ruleset(TABLE.format(basis=", grade_basis: points"))
    facts = {"得分": points}
    assert score(scaled, facts).grade == percent
    assert score_only(scaled, facts).grade == percent
    assert score_columns(scaled, {"得分": [points]}).grade[0] == percent
    assert score(written, facts).grade == as_written == score_only(written, facts).grade


def test_the_minimum_in_points_is_exact() -> None:
    policy = load_ruleset(TABLE.format(basis="")).policy
    assert [policy.grade_minimum(g) for g in policy.grades] == [D(63), D(56), D(42), D(0)]
