"""Adversarial checks of two fast paths against their exact references: ``score_only``
(int arithmetic for counts, ``CodeWriter.int_steps``; plain text by one strip) against
``evaluate``, and CSV cells read as UTF-8 bytes (``column_bytes``, ``csv_cells``) against
the per-unit path, on the inputs most likely to break them."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rubric import FactSpec, Group, Indicator, Policy, Ruleset, StepDeduction, evaluate
from rubric.engine import compiled


def _same(ruleset: Ruleset, facts: dict[str, Any]) -> None:
    """score_only gives every node's low and high (as written), the grade and the
    warnings evaluate gives."""
    expected = evaluate(ruleset, facts)
    got = compiled.score_only(ruleset, facts)
    assert list(map(str, got.lows)) == [str(r.low) for r in expected.records]
    assert list(map(str, got.highs)) == [str(r.high) for r in expected.records]
    assert got.grade == expected.grade
    assert tuple(got.warnings) == tuple(expected.fact_warnings)


def _steps(target: str, step: str, tolerance: str = "0", side: str = "below") -> Ruleset:
    rule = StepDeduction("x", target=Decimal(target), points=Decimal(20), step=Decimal(step),
                         per_step=Decimal(1), side=side, basis="absolute", partial="floor",
                         tolerance=Decimal(tolerance))
    return Ruleset(Group("root", [Indicator("扣分", rule)]), [FactSpec("x")],
                   Policy(precision=2))


# A target (or tolerance, or step) of more than 28 digits with places: the int path scaled
# it by 10^k in the compiling context (28 digits), which rounded it; 123456789012345678
# is then 10 steps of 1E-10 short of the target instead of 9.
@pytest.mark.parametrize(("target", "step", "tolerance", "side", "x"), [
    ("123456789012345678.000000000999", "1E-10", "0", "below", 123456789012345678),
    ("123456789012345678.000000000999", "1E-10", "0", "both", 123456789012345678),
    ("-123456789012345678.000000000999", "1E-10", "0", "above", -123456789012345678),
    ("5.5", "1E-10", "0.000000000999", "both", 5),
    ("0", "1E-10", "123456789012345677.999999999001", "both", 123456789012345678),
    ("0", "1E-10", "123456789012345677.999999999001", "above", 123456789012345678),
])
def test_int_steps_scale_long_targets_exactly(target: str, step: str, tolerance: str,
                                              side: str, x: int) -> None:
    ruleset = _steps(target, step, tolerance, side)
    _same(ruleset, {"x": x})
    assert compiled.score_only(ruleset, {"x": x}) == \
        compiled.score_only(ruleset, {"x": Decimal(x)})



@given(st.data())
@settings(max_examples=300, deadline=None)
def test_int_steps_of_long_numbers_score_as_evaluate(data: st.DataObject) -> None:
    """A count within a few steps of a target (or a tolerance's edge) of up to 30
    digits, 12 of them places (of 17 digits before the point or more), within 25 steps
    of 1 to 9 units of 10^-11 or 10^-10 (the int path's smallest: 10^30 steps at most;
    20 points, a point a step): an int scores what its
    Decimal scores and what evaluate gives."""
    x = data.draw(st.integers(10 ** 16, 10 ** 18 - 1), label="x") * data.draw(
        st.sampled_from([1, -1]))
    step = Decimal(data.draw(st.integers(1, 9))).scaleb(-data.draw(st.integers(10, 11)))
    off = Decimal(data.draw(st.integers(0, int(step.scaleb(12)) * 25))).scaleb(-12)
    side = data.draw(st.sampled_from(["below", "above", "both"]))
    exact = decimal.localcontext(decimal.Context(prec=40))
    if data.draw(st.booleans(), label="by the tolerance"):  # a whole target 0, x > 0
        x = abs(x)
        with exact:
            target, tol = Decimal(0), max(Decimal(x) - off, Decimal(0))
        if side == "below":
            side = "above"
    else:
        sign = -1 if side == "above" else data.draw(st.sampled_from([1, -1]))
        with exact:
            target, tol = Decimal(x) + sign * off, Decimal(0)
    ruleset = _steps(str(target), str(step), str(tol), side)
    _same(ruleset, {"x": x})
    assert compiled.score_only(ruleset, {"x": x}) == \
        compiled.score_only(ruleset, {"x": Decimal(x)})
