"""A band written again (the same mapping, for a fact of the same unit) is the band read first.

``io.band_fields.read_band`` keeps each band it reads without problems by what it read
it from, and gives that band again for the same mapping in the same file: tables write
the same bands row after row. Rulesets whose rows draw their bands from a small pool
(with and without units, numbers written as text, ints and decimals of one value,
broken bands among them) load the same with and without the kept bands: the same
ruleset, the same dump, the same problems at the same lines.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rubric.errors import LoadError
from rubric.io import band_fields
from rubric.io.dump import dump_ruleset
from rubric.io.loader import load_ruleset

_UNITS = [None, "万元", "元", "%"]
#: bands as files write them; rows draw theirs from these (lists that read, mostly)
_GOOD = [
    ["{range: ≤100, points: 5}", "{range: '(100, 110]', points: 4}",
     "{range: '(110, 120]', points: 3}", "{range: '>120', points: 0}"],
    ["{range: ≤100, points: 5.0}", "{range: '>100', points: 0}"],
    ["{range: ≤100, points: 5.00}", "{range: '>100', points: '0'}"],
    ["{range: ≤ 1 万元, points: 5}", "{range: '(1万元, 2万元]', points: 2}",
     "{range: '> 2 万元', points: 1}"],
    ["{lower: 0, upper: 50, points: 2}",
     "{lower: '50', upper: 100, points: 1.5, lower_closed: false}",
     "{lower: 100, points: '1.50', lower_closed: false}"],
    ["{equals: 0, points: 1}", "{range: '>0', points: 3-4}"],
    ["{equals: 0 万元, points: 1}", "{range: '>0', points: [3, 4]}"],
    ["{range: ≤100, points: 5, then: {step: 10, per_step: 1}}", "{range: '>100', points: 0}"],
]
_BAD = ["{range: ≤100, points: 5, colour: red}", "{range: 100, points: 1}",
        "{range: ≤100, points: -1}", "{range: ≤100, equals: 3, points: 1}",
        "{range: '[100, 50]', points: 1}", "{points: 2}", "{range: ≤100}",
        "{range: ≤ 100 人, points: 2}", "{range: '(100, 110]', points: 4}"]


@st.composite
def rulesets(draw: st.DrawFn) -> str:
    lines = ["rubric: 1", "facts:"]
    rows = []
    for i in range(draw(st.integers(1, 6))):
        unit = draw(st.sampled_from(_UNITS))
        lines.append(f"  x{i}: {{minimum: 0}}" if unit is None
                     else f"  x{i}: {{unit: '{unit}', minimum: 0}}")
        bands = list(draw(st.sampled_from(_GOOD)))
        if draw(st.integers(0, 4)) == 0:  # now and then a band that does not read
            bands.insert(draw(st.integers(0, len(bands))), draw(st.sampled_from(_BAD)))
        rows += [f"  - id: R{i}", "    rule:", "      kind: bands", f"      fact: x{i}",
                 "      bands:", *(f"      - {b}" for b in bands)]
    return "\n".join([*lines, "indicators:", "- id: G", "  children:", *rows, ""])


def _loaded(text: str) -> Any:
    try:
        ruleset = load_ruleset(text)
    except LoadError as exc:
        return [attrs.asdict(p) for p in exc.problems]
    return ruleset, dump_ruleset(ruleset)


@settings(max_examples=300, deadline=None)
@given(rulesets())
def test_bands_read_again_load_as_read_anew(text: str) -> None:
    kept = _loaded(text)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(band_fields, "_band_key", lambda *_a: None)  # every band read anew
        anew = _loaded(text)
    assert kept == anew


def test_a_band_written_again_is_the_band_read_first() -> None:
    text = yaml.safe_dump({"rubric": 1, "facts": {"a": {"unit": "万元"}, "b": {"unit": "元"}},
                           "indicators": [{"id": f"R{f}{i}", "rule": {
                               "kind": "bands", "fact": f, "bands": [
                                   {"range": "≤ 1 万元", "points": 5},
                                   {"range": "> 1 万元", "points": 0}]}}
                               for f in "ab" for i in range(2)]}, allow_unicode=True)
    rows = {r.id: r.rule.bands for r in load_ruleset(text).indicators()}
    assert rows["Ra0"][0] is rows["Ra1"][0]
    assert rows["Ra0"][0] is not rows["Rb0"][0]  # another unit: read again
    assert rows["Ra0"][0].upper == 1 and rows["Rb0"][0].upper == 10000
