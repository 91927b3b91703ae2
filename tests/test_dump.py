"""dump_ruleset writes YAML that loads back to an equal Ruleset."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rubric import _yaml
from rubric.dump import dump_ruleset
from rubric.facts import FactSpec
from rubric.loader import load_ruleset
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
