"""What loading leaves of Python's cyclic collector, and where a flow mapping's values are.

``load_ruleset`` moves what it built to the collector's oldest generation (``gc.freeze``
then ``gc.unfreeze``) unless the caller froze objects itself; the one-line flow
mappings' positions are made when asked for (``io.positions.FlowTable``).
"""

from __future__ import annotations

import gc

import pytest

from rubric import load_ruleset
from rubric.errors import LoadError

_TEXT = """\
rubric: 1
facts:
  支出: {unit: 万元, minimum: 0}
  预算: {unit: 万元, minimum: 0, formula: 支出 * 2}
indicators:
- id: A
  rule: {kind: bands, fact: 支出, bands: [{range: '≤100', points: 5}, {range: '>100', points: 0}]}
"""


def test_a_loaded_ruleset_is_in_the_oldest_generation() -> None:
    ruleset = load_ruleset(_TEXT)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    oldest = {id(o) for o in gc.get_objects(2)}
    assert id(ruleset.memo) in oldest  # a dict the load made, never scanned young
    assert id(ruleset.memo) not in {id(o) for o in gc.get_objects(0)}


def _generation_of(obj: object) -> int | None:
    """The collector generation ``obj`` is in, None when frozen (or untracked)."""
    return next((g for g in range(3) if any(o is obj for o in gc.get_objects(g))), None)


def test_a_callers_frozen_objects_stay_frozen() -> None:
    kept: list[object] = [[]]
    gc.freeze()
    try:
        assert gc.get_freeze_count() > 0
        assert _generation_of(kept) is None
        load_ruleset(_TEXT)
        with pytest.raises(LoadError):
            load_ruleset(_TEXT.replace("points: 0", "points: x"))
        assert _generation_of(kept) is None  # gc.unfreeze() would have put it in 2
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert _generation_of(kept) == 2


def test_a_problem_in_a_flow_mapping_is_at_its_value() -> None:
    text = _TEXT.replace("支出: {unit: 万元, minimum: 0}", "支出: {unit: 万元, minimum: x}")
    with pytest.raises(LoadError) as caught:
        load_ruleset(text)
    assert [(p.line, p.col, p.path) for p in caught.value.problems] == [
        (3, 27, "$.facts.支出.minimum")]
