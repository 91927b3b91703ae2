"""Missing facts give score RANGES: sound (every completion of the missing facts scores
inside [low, high] at every node) and, for single-input rows, tight (both ends are
attained by some value of the fact's domain). Property tests on the seed table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import seed_table
from rubric import Bands, FactSpec, StepDeduction, evaluate

D = Decimal
RULESET = seed_table.build()
INPUTS = RULESET.input_facts()
BIG = D(10) ** 9
DAY0, DAY1 = dt.date(2023, 1, 1), dt.date(2025, 12, 31)


def value_strategy(spec: FactSpec) -> st.SearchStrategy[object]:
    """Random values inside the declared domain of ``spec``."""
    if spec.type == "boolean":
        return st.booleans()
    if spec.type == "category":
        return st.sampled_from(spec.categories)
    if spec.type == "date":
        return st.dates(DAY0, DAY1)
    lo = spec.minimum if spec.minimum is not None else D(-1000)
    hi = spec.maximum if spec.maximum is not None else D(1000)
    return st.one_of(
        st.sampled_from(sorted({lo, hi, min(hi, D(100))})),
        st.decimals(lo, min(hi, D(200)), places=2),
        st.decimals(lo, hi, places=1),
    )


def extremes(spec: FactSpec) -> tuple[object, object]:
    """The two ends of the declared domain."""
    if spec.type == "boolean":
        return False, True
    if spec.type == "category":
        return spec.categories[0], spec.categories[-1]
    if spec.type == "date":
        return DAY0, DAY1
    return (spec.minimum if spec.minimum is not None else -BIG,
            spec.maximum if spec.maximum is not None else BIG)


FULL = st.fixed_dictionaries({s.name: value_strategy(s) for s in INPUTS})
NAMES = [s.name for s in INPUTS]


def assert_inside(partial, complete, what):
    for node in partial.nodes():
        got = complete[node.id]
        assert got.score is not None, (what, node.id)
        assert node.low <= got.score <= node.high, (
            what, node.id, (node.low, node.high), got.score, got.explain("en"))


@given(full=FULL, removed=st.sets(st.sampled_from(NAMES), min_size=1), data=st.data())
def test_every_completion_scores_inside_the_reported_range(full, removed, data):
    partial_facts = {k: v for k, v in full.items() if k not in removed}
    partial = evaluate(RULESET, partial_facts)
    # the missing facts the result names are exactly the removed ones that matter
    assert set(partial.missing) <= removed
    specs = [RULESET.specs[name] for name in sorted(removed)]
    completions = [
        {s.name: extremes(s)[0] for s in specs},
        {s.name: extremes(s)[1] for s in specs},
        {s.name: extremes(s)[i % 2] for i, s in enumerate(specs)},
        {s.name: full[s.name] for s in specs},
    ]
    for _ in range(3):
        completions.append({s.name: data.draw(value_strategy(s)) for s in specs})
    for i, completion in enumerate(completions):
        complete = evaluate(RULESET, {**partial_facts, **completion})
        assert_inside(partial, complete, f"completion {i}: {completion}")


@given(full=FULL)
def test_full_fact_sets_give_exact_scores_inside_the_row_limits(full):
    result = evaluate(RULESET, full)
    assert result.missing == ()
    for node in result.nodes():
        assert node.score is not None
        assert D(0) <= node.score <= node.max_points, node.id


# ------------------------------------------------------------------------- tightness

def candidates(spec: FactSpec, rule) -> list[object]:
    """Breakpoints and extremes of ``spec``'s domain for ``rule``: where scores change."""
    lo, hi = extremes(spec)
    if spec.type != "number":
        if spec.type == "category":
            return list(spec.categories)
        if spec.type == "date":
            return [DAY0, dt.date(2023, 12, 30), dt.date(2023, 12, 31), dt.date(2024, 1, 1), DAY1]
        return [False, True]
    points: set[Decimal] = {lo, hi, D(0)}
    if isinstance(rule, Bands):
        for band in rule.bands:
            points.update(b for b in (band.lower, band.upper) if b is not None)
    if isinstance(rule, StepDeduction):
        step, tol, _ = rule.step_size(RULESET.defaults)
        for k in range(int(rule.points / rule.per_step) + 2):
            points.update((rule.target + tol + k * step, rule.target - tol - k * step))
    eps = D("0.01")
    out = {p + d for p in points for d in (-eps, D(0), eps)}
    return sorted(v for v in out if lo <= v <= hi)


def base_facts() -> dict[str, object]:
    full = {s.name: extremes(s)[1] if s.type == "boolean" else None for s in INPUTS}
    return {k: v for k, v in full.items() if v is not None}


SINGLE_INPUT = [
    node for node in RULESET.indicators()
    if len(node.rule.inputs) == 1 and len(RULESET.base_inputs(node.rule.inputs)) <= 2
]


@pytest.mark.parametrize("node", SINGLE_INPUT, ids=lambda n: n.id)
def test_single_input_row_range_is_tight(node):
    (fact,) = node.rule.inputs
    given_inputs = RULESET.base_inputs((fact,))
    facts = {k: v for k, v in base_facts().items() if k not in given_inputs}
    missing = evaluate(RULESET, facts)[node.id]
    assert missing.score is None or missing.low == missing.high
    spec = RULESET.specs[fact]
    if spec.derived:
        # a rate computed as numerator / denominator * 100: fix the denominator at 100
        numerator, denominator = given_inputs
        tries = [{numerator: v, denominator: D(100)} for v in candidates(spec, node.rule)]
        tries += [{numerator: D(0), denominator: D(0)}, {numerator: D(1), denominator: D(0)}]
    else:
        tries = [{fact: v} for v in candidates(spec, node.rule)]
    scores = {evaluate(RULESET, {**facts, **t})[node.id].score for t in tries}
    assert min(scores) >= missing.low and max(scores) <= missing.high
    assert missing.low in scores, (node.id, missing.low, sorted(scores))
    assert missing.high in scores, (node.id, missing.high, sorted(scores))


def test_single_input_rows_cover_the_seed_table():
    ids = {n.id for n in SINGLE_INPUT}
    assert {"预算调整率", "三公经费控制率", "资金结余", "供养人数", "高新技术产值",
            "绩效目标按时完成", "服务对象满意度"} <= ids
    assert len(ids) >= 20


# ------------------------------------------- ranges of single rules over random domains

_num = st.decimals(-200, 200, places=1)


@st.composite
def deduction_case(draw):
    side = draw(st.sampled_from(["below", "above", "both"]))
    basis = draw(st.sampled_from(["relative", "absolute"]))
    target = draw(_num.filter(lambda t: t != 0) if basis == "relative" else _num)
    partial = draw(st.sampled_from(["floor", "ceil", "proportional"]))
    rule = StepDeduction(
        "x", target=target, points=draw(st.integers(0, 10)), step=draw(st.sampled_from(
            [D("0.5"), D(1), D(5), D(10)])), per_step=draw(st.sampled_from([D("0.5"), D(1)])),
        side=side, basis=basis, partial=partial,  # excludes: whole steps only
        boundary=draw(st.sampled_from(
            ["counts", "excludes"] if partial == "floor" else ["counts"])),
        tolerance=draw(st.sampled_from([D(0), D(2)])))
    lo = draw(st.none() | _num)
    hi = draw(st.none() | _num.filter(lambda h: lo is None or h >= lo))
    return rule, FactSpec("x", minimum=lo, maximum=hi)


def _one_row(rule, spec):
    from rubric import Group, Indicator, Ruleset

    return Ruleset(Group("g", [Indicator("r", rule)]), [spec])


@given(case=deduction_case(), data=st.data())
def test_deduction_range_is_sound_and_tight_over_any_domain(case, data):
    rule, spec = case
    rs = _one_row(rule, spec)
    missing = evaluate(rs, {})["r"]
    lo = spec.minimum if spec.minimum is not None else -BIG
    hi = spec.maximum if spec.maximum is not None else BIG
    step, tol, _ = rule.step_size(rs.defaults)
    points = {lo, hi, rule.target}
    for k in range(int(rule.points / rule.per_step) + 2):
        points.update((rule.target + tol + k * step, rule.target - tol - k * step))
    tries = {p + e for p in points for e in (D("-0.01"), D(0), D("0.01"))}
    tries = [v for v in tries if lo <= v <= hi]
    tries += [data.draw(st.decimals(lo, hi, places=2)) for _ in range(5)]
    scores = {evaluate(rs, {"x": v})["r"].score for v in tries}
    assert missing.low <= min(scores) and max(scores) <= missing.high, (missing, sorted(scores))
    assert missing.low in scores and missing.high in scores, (missing, sorted(scores))
