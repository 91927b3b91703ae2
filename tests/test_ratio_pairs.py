"""A ratio row's reachable range for ``rubric check``: ``CompletionRatio.pairs_range`` gives
exactly what ``analysis.sampled_range`` gives by evaluating the rule on each pair."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from rubric import CompletionRatio
from rubric.policy import ZERO_OVER_ZERO, RuleDefaults
from rubric.rules.analysis import probe_points, sampled_range

NUMBERS = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False,
                      allow_infinity=False)
BOUND = st.one_of(st.none(), NUMBERS)


@given(reverse=st.booleans(), constant=st.one_of(st.none(), NUMBERS),
       reading=st.one_of(st.none(), st.sampled_from(ZERO_OVER_ZERO)),
       default=st.sampled_from(ZERO_OVER_ZERO),
       points=st.sampled_from([Decimal(0), Decimal(4), Decimal("2.5"), Decimal("10.00")]),
       alo=BOUND, ahi=BOUND, tlo=BOUND, thi=BOUND)
def test_pairs_range_is_sampled_range(reverse: bool, constant: Decimal | None,
                                      reading: str | None, default: str, points: Decimal,
                                      alo: Decimal | None, ahi: Decimal | None,
                                      tlo: Decimal | None, thi: Decimal | None) -> None:
    rule = CompletionRatio("完成数", "计划数" if constant is None else constant, points,
                           reverse=reverse, zero_over_zero=reading)
    defaults = RuleDefaults(zero_over_zero=default)
    targets = probe_points([Decimal(0)], tlo, thi) if constant is None else [constant]
    actuals = probe_points([Decimal(0), *targets], alo, ahi)
    samples: list[dict[str, object]] = [
        {"完成数": a, "计划数": t} if constant is None else {"完成数": a}
        for t in targets for a in actuals]
    want = sampled_range(rule, samples, defaults, lambda name: (None, None))
    got = rule.pairs_range(targets, actuals, defaults)
    assert got == want
    assert [str(x) for x in got] == [str(x) for x in want]  # the same digits too
