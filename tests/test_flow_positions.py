"""Where a one-line flow mapping's values are: its positions are made when asked for
(``io.positions.FlowTable``), and a problem in one is at its value's line and column."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from rubric import load_ruleset
from rubric.errors import LoadError
from rubric.io import located_yaml

_TEXT = """\
rubric: 1
facts:
  支出: {unit: 万元, minimum: 0}
  预算: {unit: 万元, minimum: 0, formula: 支出 * 2}
indicators:
- id: A
  rule: {kind: bands, fact: 支出, bands: [{range: '≤100', points: 5}, {range: '>100', points: 0}]}
"""


def test_a_problem_in_a_flow_mapping_is_at_its_value() -> None:
    text = _TEXT.replace("支出: {unit: 万元, minimum: 0}", "支出: {unit: 万元, minimum: x}")
    with pytest.raises(LoadError) as caught:
        load_ruleset(text)
    assert [(p.line, p.col, p.path) for p in caught.value.problems] == [
        (3, 27, "$.facts.支出.minimum")]


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    docs = []
    for fast in (True, False):
        with monkeypatch.context() as m:
            m.setattr(located_yaml, "_FAST", fast)
            doc, problems = located_yaml.parse(text)
        assert problems == []
        docs.append(doc)
    return docs[0], docs[1]


def test_flow_mapping_positions_are_the_full_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("a: {x: 1, 'y z': \"q\", 2: 2.5, true: ~}\n"
            "b:\n- {k: v}\n- {k: v}\n- {k:   w,  j: '',   i: x y}  # c\n")
    fast, full = _both(text, monkeypatch)
    assert isinstance(fast._values.root[2]["a"][-1], tuple)  # a FlowTable, not a dict
    paths = [("a", k) for k in ("x", "y z", 2, True, "none", Decimal(2), 1)] + [
        ("b", i, k) for i in range(4) for k in ("k", "j", "i", "none")] + [
        ("a", "x", "deeper")]
    for path in paths:
        assert fast.where(path) == full.where(path), path
        assert fast.where_key(path) == full.where_key(path), path
    assert fast.where(("a", 2)) == (1, 26)
    assert fast.where_key(("b", 2, "i")) == (5, 22)
    assert sorted(map(str, fast._values)) == sorted(map(str, full._values))
    assert sorted(map(str, fast._keys)) == sorted(map(str, full._keys))
