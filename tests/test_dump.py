"""dump_ruleset writes YAML that loads back to an equal Ruleset."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from rubric.facts import FactSpec
from rubric.io import located_yaml as _yaml
from rubric.io.dump import dump_ruleset
from rubric.io.loader import load_ruleset
from rubric.rules import RULE_TYPES, Band, Bands
from rubric.tree import Group, Indicator, Ruleset

ROOT = Path(__file__).parent.parent
SHIPPED = [*sorted(ROOT.glob("rulesets/*/ruleset.yaml")),
           Path(__file__).parent / "data" / "every_kind.yaml"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_round_trip(path: Path) -> None:
    ruleset = load_ruleset(path)
    again = load_ruleset(dump_ruleset(ruleset))
    assert again == ruleset
    # and dumping is stable: the dump of the reloaded ruleset is the same text
    assert dump_ruleset(again) == dump_ruleset(ruleset)


def test_every_kind_fixture_uses_every_rule_kind() -> None:
    kinds = {ind.rule.kind for ind in load_ruleset(SHIPPED[-1]).indicators()}
    assert kinds == set(RULE_TYPES)


def test_decimals_are_written_exactly() -> None:
    ruleset = Ruleset(Group("总分", [Indicator("x", Bands("f", [
        Band(Decimal("0.1"), None, Decimal("0.30000000000000004")),
        Band(Decimal("2.50"), Decimal("0.30000000000000004"), Decimal("1E+3"), upper_closed=True),
    ]))]), [FactSpec("f")])
    text = dump_ruleset(ruleset)
    assert "<0.30000000000000004" in text and "'[0.30000000000000004, 1000]'" in text
    assert "points: 2.50" in text
    assert load_ruleset(text) == ruleset


def test_band_with_unusual_closedness_is_written_explicitly() -> None:
    # an unbounded end marked open cannot be said as a range string; it stays exact
    band = Band(1, None, 5, lower_closed=False)
    ruleset = Ruleset(Group("总分", [Indicator("x", Bands("f", [band]))]), [FactSpec("f")])
    text = dump_ruleset(ruleset)
    assert "lower_closed: false" in text
    assert load_ruleset(text) == ruleset


def test_dump_is_plain_yaml_with_unicode() -> None:
    text = dump_ruleset(load_ruleset(SHIPPED[0]))
    assert "\\u" not in text and "预算调整率" in text
    data = _yaml.read(text).data
    assert list(data) == ["rubric", "metadata", "policy", "facts", "root", "indicators"]


# Strings a plain YAML scalar would turn into something else for rubric's reader:
# numbers (1e3 is one for rubric, not for YAML 1.1), YAML 1.1 integers, booleans, nulls.
NUMBER_LIKE = ["1e3", "2e1", "1.5e3", "-2E-3", "010", "09", "1:30", "0x10", "True", "null", "~",
               ".inf", "2023-12-31"]


def test_round_trip_keeps_number_like_strings_as_text() -> None:
    q = [f"'{s}'" for s in NUMBER_LIKE]
    text = textwrap.dedent(f"""\
        rubric: 1
        metadata: {{id: {q[0]}, name: {q[6]}, version: {q[1]}, description: {q[4]}}}
        facts:
          {q[1]}: {{unit: 万元, minimum: 0, description: {q[2]}}}
          s: {{type: category, categories: [{", ".join(q)}]}}
          评分: {{minimum: 0, maximum: 100}}
          档次: {{type: category, categories: [{q[2]}, {q[5]}]}}
          b: {{type: boolean}}
        root: {{id: {q[3]}}}
        indicators:
          - id: {q[4]}
            name: {q[8]}
            children:
              - id: {q[5]}
                criterion: {q[9]}
                rule:
                  kind: categorical
                  fact: s
                  states: [{", ".join(f"{{value: {v}, points: 1}}" for v in q)}]
              - id: {q[7]}
                rule: {{kind: ratio, actual: {q[1]}, target: {q[1]}, points: 5}}
              - id: 定性
                rule:
                  kind: qualitative
                  fact: 评分
                  points: 10
                  tier_fact: 档次
                  tiers:
                    - {{label: {q[2]}, lower: 80, upper: 100}}
                    - {{label: {q[5]}, lower: 0, upper: 80, upper_closed: false}}
              - id: {q[10]}
                rule: {{kind: checklist, items: [{{fact: b, points: 2, label: {q[11]}}}]}}
        """)
    ruleset = load_ruleset(text)
    assert ruleset.metadata.version == "2e1" and ruleset.metadata.id == "1e3"
    assert ruleset.specs["s"].categories == tuple(NUMBER_LIKE)
    assert "2e1" in ruleset.specs
    dumped = dump_ruleset(ruleset)
    again = load_ruleset(dumped)
    assert again == ruleset
    assert dump_ruleset(again) == dumped
