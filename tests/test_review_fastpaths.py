"""Adversarial checks of two fast paths against their exact references: ``score_only``
(int arithmetic for counts, ``CodeWriter.int_steps``; plain text by one strip) against
``evaluate``, and CSV cells read as UTF-8 bytes (``column_bytes``, ``csv_cells``) against
the per-unit path, on the inputs most likely to break them."""

from __future__ import annotations

import decimal
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rubric import (
    FactSpec,
    Group,
    Indicator,
    Policy,
    Ruleset,
    StepDeduction,
    evaluate,
    load_ruleset,
)
from rubric.engine import compiled
from test_batch_columns import SEED, WALK, Counted, by_columns, cell, per_unit
from test_compiled import same


def _same(ruleset: Ruleset, facts: dict[str, Any]) -> None:
    """score_only gives what evaluate gives (``test_compiled.same``: every node's low and
    high as written, the grades, missing facts, rescaling), the warnings too."""
    same(ruleset, facts)
    got = compiled.score_only(ruleset, facts)
    assert tuple(got.warnings) == tuple(evaluate(ruleset, facts).fact_warnings)


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


# ------------------------------------------------------- CSV cells read as UTF-8 bytes

#: cells the byte columns must read as the per-unit path reads them (or leave to it)
NASTY_CELLS = ("-0", "+.5", ".5", "5.", "-.5", "-5.", "+5", "+0", "-0.0", "007", "0007.50",
               "1" * 8, "1" * 9, "1" * 18, "1" * 19, "1" * 40, "1" * 41, "0" * 17 + "1",
               "9" * 17, "-" + "9" * 18, "9223372036854775807", "-9223372036854775808",
               "9223372036854775808", "1." + "0" * 9, "1." + "1" * 12, "0.000000001",
               "0.0000000001", "99999999999999999.9", "123456789.12345678", "12345678.9",
               "85%", "８５%", "50 %", "５", "５万元", "5万元", "3 亿元", "1e3", "١٢", " 5", "5 ",
               "", " ", "是", "否", "不适用", "无结余", "2023-12-31", "2023-02-30", "0", "100")


def _nasty_csv(ruleset: Any, newline: str, bom: bool, last_newline: bool) -> str:
    """A CSV of the seed's walk with every nasty cell in every column in turn, quoted
    cells (commas, line breaks, doubled quotes), an empty line, a short and a long row."""
    names = [s.name for s in ruleset.input_facts()]
    lines = [",".join(["id", *names])]
    units = [{k: cell(v) for k, v in u.items()} for u in WALK[:60]]
    for i, unit in enumerate(units):
        row = [f"U{i}"] + [unit.get(n, "") for n in names]
        k = 1 + i % len(names)
        row[k] = NASTY_CELLS[(i * 7 + k) % len(NASTY_CELLS)]
        lines.append(",".join(row))
    for j, text in enumerate(NASTY_CELLS):
        row = [f"N{j}"] + [text] * len(names)
        lines.append(",".join(row))
    lines.append(",".join(['"Q,1"'] + ['"5"'] * len(names)))
    lines.append(",".join(["Q2"] + ['"1,5"', '"a\nb"', '"x""y"'] + ["1"] * (len(names) - 3)))
    lines.append("")
    lines.append("short,1")
    lines.append(",".join(["long"] + ["1"] * (len(names) + 2)))
    text = newline.join(lines) + (newline if last_newline else "")
    return ("\ufeff" if bom else "") + text


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize(("bom", "last_newline"), [(False, True), (True, False)])
@pytest.mark.parametrize("complete", [False, True])
def test_nasty_csv_cells_are_written_as_per_unit(tmp_path: Path, newline: str, bom: bool,
                                                  last_newline: bool, complete: bool,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    ruleset = load_ruleset(SEED)
    src = tmp_path / "units.csv"
    src.write_bytes(_nasty_csv(ruleset, newline, bom, last_newline).encode("utf-8"))
    want = per_unit(ruleset, src, complete)
    counted = Counted(monkeypatch)
    got = by_columns(ruleset, src, complete)
    assert got[:2] == want
    assert got[1]  # the bad cells and broken rows are reported
    if not complete:  # the columns (byte cells) score most of the walk's rows
        assert counted.rows < 60


def test_a_tiny_step_under_a_huge_deviation_scores_instead_of_raising():
    """divmod raised DivisionImpossible (a raw decimal error, a traceback) when the whole
    steps had more digits than the context holds: building the rule and scoring a huge
    value now count the steps exactly, and every path gives the floor."""
    from decimal import Decimal as D

    from rubric import Group, Indicator, Ruleset, StepDeduction, evaluate, score_only
    from rubric.facts import FactSpec

    rule = StepDeduction("x", target=D(0), points=D(5), step=D("1E-12"), per_step=D(1),
                         side="above", basis="absolute")
    ruleset = Ruleset(root=Group("总分", children=(Indicator("a", rule, max_points=D(5)),)),
                      facts=(FactSpec("x", minimum=D(0), maximum=D(10) ** 18),))
    for x in (D(10) ** 18, 10 ** 18, D("1E-12"), D("2.5E-12")):
        result = evaluate(ruleset, {"x": x})
        expected = D(0) if x >= D("5E-12") else D(5) - int(D(x) / D("1E-12"))
        assert result.total.low == result.total.high == expected, x
        got = score_only(ruleset, {"x": x})
        assert got.lows[-1] == got.highs[-1] == expected, x


def test_the_column_engine_scales_a_long_target_exactly():
    """The column engine scaled its constants with ``scaleb`` in the current context (28
    digits): a target of 18 whole digits and 12 places was rounded, and a unit at the
    target's whole part scored one step off (10.00 for evaluate's 11.00), silently."""
    from decimal import Decimal as D

    from rubric import Group, Indicator, Ruleset, StepDeduction, evaluate, score_columns
    from rubric.facts import FactSpec

    target = D("123456789012345678.000000000999")
    rule = StepDeduction("x", target=target, points=D(20), step=D("1E-10"), per_step=D(1),
                         side="below", basis="absolute")
    ruleset = Ruleset(root=Group("总分", children=(Indicator("a", rule, max_points=D(20)),)),
                      facts=(FactSpec("x"),))
    xs = [D(int(target)), target, target - D("1E-10"), target - D("1E-9"), target - 1]
    got = score_columns(ruleset, {"x": [str(x) for x in xs]}).total_low
    assert list(got) == [evaluate(ruleset, {"x": x}).total.low for x in xs]
    assert got[0] == D("11.00")
