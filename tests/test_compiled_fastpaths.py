"""The scores-only function's fast paths agree with the general code they stand for.

Derived formulas written as inline Decimal arithmetic (``engine.compiled_formulas``)
against the formula evaluator, the plain-number tests written without a regular
expression (``engine.compiled_facts``) against ``numbers.plain_decimal`` and
``numbers.in_range``, and ``score_only``'s own decimal context against the caller's.
"""

from __future__ import annotations

import decimal
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubric import evaluate, load_ruleset, score_only
from rubric.engine.compiled_facts import DEFERRED_TEST, INT_LIMIT, plain_unsigned
from rubric.engine.compiled_formulas import inline_formula, write_formula
from rubric.engine.evaluation import DECIMAL_CONTEXT
from rubric.errors import EvaluationError, FormulaError
from rubric.expressions import Formula, compile_formula
from rubric.facts import UNDEFINED
from rubric.numbers import in_range, plain_decimal
from rubric.rules.analysis import CodeWriter
from test_compiled_facts import _agrees

SEED = Path(__file__).resolve().parents[1] / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
RULESET = load_ruleset(SEED)

# formulas of * and / over the seed table's 万元 facts: each is inlined
INLINED = ["预算调整数 / 预算数 * 100", "预算调整数 * 100 / 预算数", "预算调整数 / 预算数",
           "(预算调整数 / 预算数) * 0.5", "预算调整数 * 预算数 / 3", "预算调整数 / 预算数 / 预算数",
           "预算调整数 / 2.5 * 预算数", "100 * (预算调整数 / (预算数))"]
# not inlined: a unit conversion of the result (亿元 / 万元), a computed or zero divisor,
# + (which converts its operands' units), a function
NOT_INLINED = ["高新技术产值 / 预算数 * 100", "预算调整数 / (预算数 * 2) * 100", "预算调整数 / 0",
               "(预算调整数 + 预算数) / 预算数 * 100", "max(预算调整数, 预算数) / 预算数"]

_SPECIAL = [Decimal(0), Decimal("0.00"), Decimal("-0"), Decimal("Infinity"),
            Decimal("-Infinity"), Decimal("1E-30"), Decimal("9E17"), Decimal("1E18"),
            Decimal("-1E18"), Decimal("0.000000000000000001"), Decimal("123456789012345678"),
            Decimal("1E10"), Decimal("3E-20")]
_NUMBERS = st.one_of(st.sampled_from(_SPECIAL),
                     st.decimals(min_value=-10**18, max_value=10**18, places=2,
                                 allow_nan=False),
                     st.decimals(min_value=-10**6, max_value=10**6, places=18,
                                 allow_nan=False),
                     st.integers(-10**6, 10**6).map(Decimal))


def _formula(text: str) -> Formula:
    """``text`` as a derived fact in % when it reads as one, else of no unit."""
    try:
        return compile_formula(text, RULESET.specs, unit="%")
    except FormulaError:
        return compile_formula(text, RULESET.specs, unit=None)


def _inlined(formula: Formula) -> Any:
    """The lines ``write_formula`` writes, as a function of the values."""
    src = CodeWriter()
    fn = src.const(formula)
    src.emit("def f(v):", 0)
    write_formula(src, formula, fn)
    src.emit("return x")
    namespace: dict[str, Any] = {"D": Decimal, **src.consts}
    exec("\n".join(src.lines), namespace)
    return namespace["f"]


def _outcome(fn: Any, values: dict[str, Decimal]) -> tuple[str, str]:
    """What ``fn`` gives: the value as written (its exponent too), 0/0, or that it raised
    (``score_only`` takes the general path for either kind of error)."""
    try:
        with decimal.localcontext(DECIMAL_CONTEXT):
            x = fn(dict(values))
    except (ArithmeticError, EvaluationError):
        return ("raises", "")
    return ("0/0", "") if x is UNDEFINED else (type(x).__name__, str(x))


@pytest.mark.parametrize("text", INLINED)
def test_these_formulas_are_inlined(text: str) -> None:
    assert inline_formula(_formula(text)) is not None


@pytest.mark.parametrize("text", NOT_INLINED)
def test_these_formulas_call_the_evaluator(text: str) -> None:
    assert inline_formula(_formula(text)) is None


@given(st.sampled_from(INLINED + NOT_INLINED), _NUMBERS, _NUMBERS, _NUMBERS)
def test_inline_formulas_compute_what_the_evaluator_computes(text: str, a: Decimal, b: Decimal,
                                                             c: Decimal) -> None:
    formula = _formula(text)
    values = dict(zip(("预算调整数", "预算数", "高新技术产值"), (a, b, c), strict=True))
    assert _outcome(_inlined(formula), values) == _outcome(formula, values)


@pytest.mark.parametrize(("a", "b"), [("1E-18", "1E10"), ("1E-18", "3E10"),
                                      ("3E-18", "1E19"), ("1", "1E-19")])
def test_values_beyond_the_bounds_are_the_evaluators(a: str, b: str) -> None:
    # below 10^-36 (to 60 places when longer: ≈1.1 * 10^-39), beyond 10^18 (10^38)
    formula = _formula("预算调整数 / 预算数 / 预算数")
    values = {"预算调整数": Decimal(a), "预算数": Decimal(b)}
    assert _outcome(_inlined(formula), values) == _outcome(formula, values)


def test_the_seed_tables_rates_are_inlined() -> None:
    assert [inline_formula(f) is not None for _name, f in RULESET.derived] == [True] * 4


@given(st.one_of(st.text(max_size=20),
                 st.text(alphabet="0123456789.+- e_", max_size=20),
                 st.from_regex(r"[+-]?[0-9]{1,10}(\.[0-9]{0,8})?", fullmatch=True),
                 st.sampled_from(["", ".", "5.", ".5", "1..2", "1.2.3", "٣", "²", "1_000",
                                  " 1", "1 ", "+1", "-1.5", "00.10", "..", "5.5.", "0",
                                  "1.\u0663", "\u0663.5", "1\n", "1.5.", ".5.", "0." * 3])))
def test_the_unsigned_text_test_takes_plain_decimals_without_a_sign(text: str) -> None:
    assert plain_unsigned(text) == (plain_decimal(text) is not None
                                    and not text.startswith(("+", "-")))


_TEXTS = st.one_of(st.text(max_size=20), st.text(alphabet="0123456789.+- e_١²", max_size=20),
                   st.from_regex(r"[0-9]{1,10}(\.[0-9]{0,8})?", fullmatch=True),
                   st.sampled_from(["5.", "1..2", "1.2.3", "٣", "1_000", "1 ", "00.10",
                                    "5.5.", "0", "1.\u0663", "1\n", "\ud800", "9" * 18]))
_deferred = eval(f"lambda J: {DEFERRED_TEST}")  # the compiled code's own test


@given(st.lists(_TEXTS, max_size=6))
def test_the_joined_test_takes_exactly_texts_that_are_each_unsigned_plain(
        texts: list[str]) -> None:
    """The kept texts are those ``unsigned_read`` keeps (under 19 characters, a first
    character at least '0'); their join passes ``DEFERRED_TEST`` exactly when each is
    unsigned plain decimal text or has a second point (which Decimal refused already)."""
    kept = [t for t in texts if len(t) < 19 and t >= "0"]
    joined = "".join(kept)
    expected = all(plain_unsigned(t) or (t.count(".") > 1 and not t.strip("0123456789."))
                   for t in kept)
    assert (not joined or bool(_deferred(joined))) == expected


@given(st.one_of(st.integers(), st.integers(INT_LIMIT - 3, INT_LIMIT + 3),
                 st.integers(-INT_LIMIT - 3, -INT_LIMIT + 3)))
def test_the_int_limit_is_in_range(number: int) -> None:
    assert (-INT_LIMIT <= number <= INT_LIMIT) == in_range(Decimal(number))


@pytest.mark.parametrize("value", [INT_LIMIT, INT_LIMIT + 1, -1, 0, 7, "1" * 18, "9" * 18 + ".",
                                   "5.", ".5", "-0", "+3", "1.123456789012345", "٣", "1_0"])
def test_numbers_at_the_edges_convert_as_coerce_facts_does(value: object) -> None:
    _agrees(RULESET, {"预算数": value, "供养人数": value})


def test_score_only_restores_the_callers_context() -> None:
    facts = {"预算数": "100", "预算调整数": "5"}
    with decimal.localcontext(decimal.Context(prec=3)) as mine:
        score_only(RULESET, facts)
        assert decimal.getcontext() is mine and mine.prec == 3
        score_only(RULESET, {"预算数": "not a number"} | facts)  # the general path's error
        assert decimal.getcontext() is mine


def test_score_only_in_threads_gives_evaluates_scores() -> None:
    import sys
    sys.path.insert(0, str(SEED.parents[2] / "benchmarks" / "compare"))
    from facts import generate
    units = generate(60)
    got: dict[int, list[Decimal | None]] = {}

    def run(k: int) -> None:
        with decimal.localcontext(decimal.Context(prec=4)):  # not the context scored in
            got[k] = [score_only(RULESET, f).total for f in units]

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = [evaluate(RULESET, f).total.score for f in units]
    assert all(got[k] == expected for k in range(4))
