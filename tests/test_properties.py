"""Property tests: shipped rulesets and randomly generated ones, scored by the engine.

Shipped rulesets (rulesets/*/ruleset.yaml, and the Python seed) are checked for
bounds and monotonicity with rubric.testing. The engine itself is tested on random
trees of random rules: scores within bounds, caps respected, ranges for missing facts
holding every completion, evaluation deterministic, and the YAML round trip equal.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import seed_table
from rubric import (
    Band,
    Bands,
    Boolean,
    Categorical,
    Checklist,
    ChecklistItem,
    Coefficient,
    CompletionRatio,
    Deadline,
    FactSpec,
    Group,
    Indicator,
    PerOccurrence,
    Policy,
    Ruleset,
    State,
    StepDeduction,
    evaluate,
)
from rubric.facts import is_known
from rubric.testing import assert_bounds, assert_range_contains, check_properties, facts_for

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "rulesets").glob("*/ruleset.yaml"))
HAVE_LOADER = importlib.util.find_spec("rubric.io.loader") is not None
HAVE_DUMP = importlib.util.find_spec("rubric.io.dump") is not None


# ---------------------------------------------------------------------------- shipped rulesets


def test_the_python_seed_keeps_its_bounds_and_directions() -> None:
    check_properties(seed_table.build())


@pytest.mark.skipif(not (SHIPPED and HAVE_LOADER), reason="no shipped YAML ruleset or loader yet")
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_every_shipped_ruleset_keeps_its_bounds_and_directions(path: Path) -> None:
    from rubric.io.loader import load_ruleset

    check_properties(load_ruleset(path))


# ---------------------------------------------------------------------------- random rulesets

POINTS = st.decimals(0, 10, places=1)
EDGES = st.lists(st.decimals(-50, 150, places=1), min_size=1, max_size=4, unique=True).map(sorted)


@st.composite
def random_rulesets(draw: Any) -> Ruleset:
    """A random tree (depth ≤ 3) of random rules over random fact domains.

    Bands are contiguous (no gaps), so every value in a domain scores; caps are
    random, so rows and groups are sometimes worth less than their rules award.
    """
    facts: list[FactSpec] = []
    ids = itertools.count()

    def fact(**kwargs: Any) -> str:
        name = f"f{len(facts)}"
        facts.append(FactSpec(name, **kwargs))
        return name

    def number(lo: Decimal | None = None, hi: Decimal | None = None) -> str:
        lo = draw(st.one_of(st.none(), st.decimals(-100, 100, places=1))) if lo is None else lo
        hi = draw(st.one_of(st.none(), st.decimals(lo if lo is not None else -100, 300,
                                                   places=1))) if hi is None else hi
        return fact(minimum=lo, maximum=hi)

    def rule() -> Any:
        kind = draw(st.sampled_from(["bands", "deduction", "per_occurrence", "boolean",
                                     "checklist", "categorical", "ratio", "coefficient",
                                     "deadline"]))
        if kind == "bands":
            edges = draw(EDGES)
            bands, lower, lower_closed = [], None, True
            for edge in edges:
                upper_closed = draw(st.booleans())
                bands.append(Band(draw(POINTS), lower, edge, lower_closed, upper_closed))
                lower, lower_closed = edge, not upper_closed
            bands.append(Band(draw(POINTS), lower, None, lower_closed))
            return Bands(number(), bands)
        if kind == "deduction":
            points = draw(POINTS)
            partial = draw(st.sampled_from([None, "floor", "ceil", "proportional"]))
            boundaries = [None, "counts"] + ([] if partial in ("ceil", "proportional")
                                             else ["excludes"])  # excludes: whole steps only
            return StepDeduction(
                number(), target=draw(st.decimals(1, 200, places=1)), points=points,
                step=draw(st.decimals("0.5", 20, places=1)),
                per_step=draw(st.decimals("0.5", 3, places=1)),
                side=draw(st.sampled_from(["below", "above", "both"])),
                basis=draw(st.sampled_from([None, "relative", "absolute"])),
                partial=partial,
                boundary=draw(st.sampled_from(boundaries)),
                tolerance=draw(st.decimals(0, 5, places=1)),
                floor=draw(st.decimals(0, points, places=1)))
        if kind == "per_occurrence":
            return PerOccurrence(number(Decimal(0)), draw(POINTS),
                                 draw(st.decimals("0.5", 3, places=1)))
        if kind == "boolean":
            return Boolean(fact(type="boolean"), draw(POINTS), draw(POINTS))
        if kind == "checklist":
            n = draw(st.integers(1, 3))
            return Checklist([ChecklistItem(fact(type="boolean"), draw(POINTS))
                              for _ in range(n)])
        if kind == "categorical":
            names = [f"s{i}" for i in range(draw(st.integers(1, 3)))]
            return Categorical(fact(type="category", categories=names),
                               [State(n, draw(POINTS)) for n in names])
        if kind == "ratio":
            target: Any = draw(st.one_of(st.decimals(1, 100, places=1),
                                         st.just(None)))
            if target is None:
                target = number(Decimal(0))
            return CompletionRatio(number(Decimal(0)), target, draw(POINTS),
                                   reverse=draw(st.booleans()),
                                   zero_over_zero=draw(st.sampled_from(
                                       [None, "full", "zero", "undefined"])))
        if kind == "coefficient":
            return Coefficient(fact(unit="%", minimum=Decimal(0), maximum=Decimal(100)),
                               draw(POINTS))
        return Deadline(fact(type="date"), _dt.date(2023, 12, 31), draw(POINTS),
                        late_points=draw(st.decimals(0, 2, places=1)),
                        per_day=draw(st.one_of(st.none(), st.decimals("0.1", 1, places=1))))

    def indicator() -> Indicator:
        r = rule()
        cap = draw(st.one_of(st.none(), st.decimals(0, r.max_points, places=1)))
        return Indicator(f"i{next(ids)}", r, max_points=cap)

    def group(depth: int) -> Group:
        n = draw(st.integers(1, 3))
        children = [group(depth + 1) if depth < 2 and draw(st.booleans()) else indicator()
                    for _ in range(n)]
        total = sum((c.points for c in children), Decimal(0))
        cap = draw(st.one_of(st.none(), st.decimals(0, total, places=1)))
        return Group(f"g{next(ids)}", children, max_points=cap)

    root = group(0)
    # Points have one decimal: a coarser precision could round a row above its 分值
    # (rubric check reports that as a 'precision' error).
    policy = Policy(precision=draw(st.integers(1, 2)), total_points=root.points)
    return Ruleset(root, facts, policy)


@st.composite
def ruleset_and_facts(draw: Any, missing: bool = False) -> tuple[Ruleset, dict[str, Any]]:
    rs = draw(random_rulesets())
    return rs, draw(facts_for(rs, missing=missing))


@given(ruleset_and_facts(missing=True))
def test_random_rulesets_score_within_bounds_and_caps(case: tuple[Ruleset, dict[str, Any]]
                                                      ) -> None:
    rs, facts = case
    result = assert_bounds(rs, facts)
    for node in result.nodes():
        if node.children:  # a group never exceeds what its children add up to
            assert node.high <= sum((c.high for c in node.children), Decimal(0))
            assert node.low <= sum((c.low for c in node.children), Decimal(0))
        assert node.high <= node.max_points


@given(st.data())
def test_ranges_for_missing_facts_hold_every_completion(data: st.DataObject) -> None:
    rs = data.draw(random_rulesets())
    partial = data.draw(facts_for(rs, missing=True), label="partial")
    settled = {k: v for k, v in partial.items() if is_known(rs.facts_from({k: v})[k])}
    for i in range(3):
        filler = data.draw(facts_for(rs), label=f"completion {i}")
        assert_range_contains(rs, partial, {**filler, **settled})


@given(ruleset_and_facts(missing=True))
def test_evaluation_is_deterministic(case: tuple[Ruleset, dict[str, Any]]) -> None:
    rs, facts = case
    first, second = evaluate(rs, facts), evaluate(rs, dict(reversed(list(facts.items()))))
    assert first == second
    assert first.to_dict() == second.to_dict()


@pytest.mark.skipif(not (HAVE_DUMP and HAVE_LOADER),
                    reason="rubric.io.dump.dump_ruleset and rubric.io.loader.load_ruleset are not "
                           "written yet (issue: YAML loader); enable once they exist")
@given(random_rulesets())
def test_yaml_round_trip_is_equal(rs: Ruleset) -> None:  # pragma: no cover - until then
    from rubric.io.dump import dump_ruleset
    from rubric.io.loader import load_ruleset

    text = dump_ruleset(rs)
    assert load_ruleset(text) == rs
