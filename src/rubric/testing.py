"""Property testing of rulesets with hypothesis (the ``rubric[testing]`` extra).

- ``facts_for(ruleset, missing=False)``: a strategy of valid fact mappings inside the
  declared domains; numbers are ``Decimal``, and values on, just below and just above
  every band edge and deduction step boundary come up far more often than chance
  would have them (for a rate derived as ``a / b * 100`` the numerator is sometimes
  solved so the rate lands exactly on an edge).
- ``assert_bounds(ruleset, facts)``: every row and subtotal within ``[0, 分值]``.
- ``assert_monotone(ruleset, facts, fact_name)``: improving one fact the way its
  rows declare (``direction``) never lowers a row or the total.
- ``assert_range_contains(ruleset, partial, complete)``: the range scored with
  facts missing holds the score of a completion, at every node.
- ``check_properties(ruleset)``: runs the above as one hypothesis test.

Only this module imports hypothesis; ``import rubric`` never does.
"""

from __future__ import annotations

import ast
import datetime as _dt
from collections.abc import Collection, Iterator, Mapping
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from .engine.evaluation import NodeResult, Result, derive, evaluate
from .errors import RubricError
from .facts import MISSING, FactSpec, is_known
from .rules import FormulaRule
from .rules.analysis import FactHints
from .text import fmt
from .tree import Indicator, Ruleset

__all__ = [
    "assert_bounds",
    "assert_monotone",
    "assert_range_contains",
    "check_properties",
    "facts_for",
    "formula_counterexamples",
]

ZERO = Decimal(0)
CENT = Decimal("0.01")
#: The answer a number fact gets when ``missing=True`` makes it unsettled, not absent.
UNSETTLED_TEXT = "达成预期指标"
_OPPOSITE = {"higher": "lower", "lower": "higher"}


# ---------------------------------------------------------------------------- planning


class _Plan(FactHints):
    """Per fact: its valid domain and its interesting values, as the rules reading it
    say (each kind's ``test_hints``), plus the ratios among derived facts."""

    def __init__(self, ruleset: Ruleset) -> None:
        super().__init__(ruleset.facts)
        self.ruleset = ruleset
        for node in ruleset.indicators():
            node.rule.test_hints(self, ruleset.defaults)  # type: ignore[attr-defined]
        self.ratios = list(self._ratio_facts())

    def _ratio_facts(self) -> Iterator[tuple[str, str, str, Decimal]]:
        """Derived facts of the form ``N / D`` or ``N / D * K``: (derived, N, D, K)."""
        for spec in self.ruleset.facts:
            if spec.formula is None:
                continue
            tree = ast.parse(spec.formula.strip(), mode="eval").body
            scale = Decimal(1)
            if (isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Mult)
                    and isinstance(tree.right, ast.Constant)
                    and isinstance(tree.right.value, (int, float))):
                scale = Decimal(repr(tree.right.value))
                tree = tree.left
            if (isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Div)
                    and isinstance(tree.left, ast.Name) and isinstance(tree.right, ast.Name)
                    and scale != 0):
                yield spec.name, tree.left.id, tree.right.id, scale

    def in_domain(self, name: str, value: Decimal) -> bool:
        lo, hi = self.lo.get(name), self.hi.get(name)
        return (lo is None or value >= lo) and (hi is None or value <= hi)

    def number(self, spec: FactSpec) -> st.SearchStrategy[Decimal]:
        name = spec.name
        lo, hi = self.lo.get(name), self.hi.get(name)
        special = sorted(p for p in self.points.get(name, ()) if isinstance(p, Decimal)
                         and self.in_domain(name, p))
        anchors = list(special) + [x for x in (lo, hi) if x is not None] + [ZERO]
        span = max(abs(a) for a in anchors) * 2 + 100
        low = lo if lo is not None else -span
        high = hi if hi is not None else span
        if name in self.integral:
            plain: st.SearchStrategy[Decimal] = st.integers(
                int(low.to_integral_value("ROUND_CEILING")),
                int(high.to_integral_value("ROUND_FLOOR"))).map(Decimal)
            special = [p for p in special if p == p.to_integral_value()]
        else:
            plain = st.decimals(min_value=low, max_value=high, places=2,
                                allow_nan=False, allow_infinity=False)
        if special:
            return st.one_of(st.sampled_from(special), plain)
        return plain

    def value(self, spec: FactSpec) -> st.SearchStrategy[Any]:
        if spec.type == "number":
            return self.number(spec)
        if spec.type == "boolean":
            return st.booleans()
        if spec.type == "category":
            return st.sampled_from(spec.categories)
        if spec.type == "date":
            days = sorted(p for p in self.points.get(spec.name, ()) if isinstance(p, _dt.date))
            centre = days[len(days) // 2] if days else _dt.date(2023, 12, 31)
            plain = st.dates(centre - _dt.timedelta(days=90), centre + _dt.timedelta(days=90))
            return st.one_of(st.sampled_from(days), plain) if days else plain
        texts = self.texts.get(spec.name)
        return st.sampled_from(texts) if texts else st.text(min_size=1, max_size=4)


def facts_for(ruleset: Ruleset, *, missing: bool = False,
              only: Collection[str] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Valid fact mappings for ``ruleset`` (input facts only; derived ones are computed).

    With ``missing=True`` any fact may be left out, and a number fact may be the
    unsettled answer ``"达成预期指标"``, so scores become ranges. A fact read as the
    chosen tier of a qualitative rule is always left out (its score is then not tied
    to a tier). ``only`` limits the mapping to those input facts.
    """
    plan = _Plan(ruleset)
    specs = [s for s in ruleset.input_facts()
             if s.name not in plan.omit and (only is None or s.name in only)]

    @st.composite
    def build(draw: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in specs:
            if missing and draw(st.integers(0, 4)) == 0:
                if spec.type == "number" and draw(st.booleans()):
                    out[spec.name] = UNSETTLED_TEXT
                continue
            out[spec.name] = draw(plan.value(spec))
        for derived, num, den, scale in plan.ratios:
            edges = sorted(p for p in plan.points.get(derived, ()) if isinstance(p, Decimal))
            d, n = out.get(den), out.get(num)
            if edges and type(d) is Decimal and type(n) is Decimal and d != 0 \
                    and draw(st.booleans()):
                solved = draw(st.sampled_from(edges)) * d / scale
                if plan.in_domain(num, solved):
                    out[num] = solved
        return out

    return build()


# ---------------------------------------------------------------------------- assertions


def _show(facts: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {fmt(v)}" for k, v in facts.items()) + "}"


def _range(node: NodeResult) -> str:
    return fmt(node.low) if node.low == node.high else f"[{fmt(node.low)}, {fmt(node.high)}]"


def assert_bounds(ruleset: Ruleset, facts: Mapping[str, Any]) -> Result:
    """Every row and subtotal scores within ``[0, 分值]`` (low ≤ high); returns the result."""
    result = evaluate(ruleset, facts)
    for node in result.nodes():
        if not (ZERO <= node.low <= node.high <= node.max_points):
            raise AssertionError(
                f"{node.id} scored {_range(node)}, outside [0, {fmt(node.max_points)}] "
                f"for facts {_show(facts)}")
    total = result.total
    if total.high > ruleset.policy.total_points:
        raise AssertionError(f"total {_range(total)} is above {fmt(ruleset.policy.total_points)}"
                             f" for facts {_show(facts)}")
    return result


def assert_range_contains(ruleset: Ruleset, partial: Mapping[str, Any],
                          complete: Mapping[str, Any]) -> None:
    """Each node's range scored from ``partial`` holds its score from ``complete``.

    ``complete`` must agree with ``partial`` on every fact ``partial`` settles.
    """
    wide, exact = evaluate(ruleset, partial), evaluate(ruleset, complete)
    for node in sorted(exact.nodes(), key=lambda n: -n.depth):  # the row first
        other = wide[node.id]
        if not (other.low <= node.low and node.high <= other.high):
            raise AssertionError(
                f"{node.id}: range {_range(other)} with facts {_show(partial)} does not hold "
                f"{_range(node)}, its score with {_show(complete)}")


def _directions(rule: Any) -> dict[str, str]:
    """How each input of ``rule`` should move for the row to score better."""
    return rule.directions()  # type: ignore[no-any-return]


def _candidates(ruleset: Ruleset, name: str, value: Any) -> list[Any]:
    spec = ruleset.specs[name]
    if spec.type == "boolean":
        return [not value]
    if spec.type == "date":
        return [value + _dt.timedelta(days=d) for d in (-30, -1, 1, 30)]
    if spec.type != "number" or type(value) is not Decimal:
        return []
    out = [value + d for d in (CENT, -CENT, Decimal(1), Decimal(-1), abs(value) / 10 + 1,
                               -abs(value) / 10 - 1)]
    out += [x for x in (spec.minimum, spec.maximum) if x is not None]
    return [x for x in out if (spec.minimum is None or x >= spec.minimum)
            and (spec.maximum is None or x <= spec.maximum) and x != value]


def _moved(before: Any, after: Any, direction: str) -> bool | None:
    """True if the move improves, False if it worsens, None if nothing moved."""
    if before == after:
        return None
    if not (is_known(before) and is_known(after)) or direction not in _OPPOSITE:
        return False
    if direction == "higher":
        return bool(after > before)
    return bool(after < before)


def assert_monotone(ruleset: Ruleset, facts: Mapping[str, Any], fact_name: str) -> int:
    """Improving ``fact_name`` never lowers any row it feeds, nor any subtotal.

    "Improving" is judged row by row: a new value counts when every row reading the
    fact (directly or through derived facts) sees its input move the way the row's
    ``direction`` calls better (or not at all), and at least one row sees it move.
    Values that improve one row and worsen another are skipped. Returns how many
    improvements were checked.
    """
    if fact_name not in facts or not is_known(ruleset.facts_from(facts)[fact_name]):
        return 0
    before = evaluate(ruleset, facts)
    value = before.value(fact_name)
    readers: list[tuple[Indicator, str, str]] = []
    for row in ruleset.indicators():
        for name, direction in _directions(row.rule).items():
            if fact_name in ruleset.base_inputs((name,)):
                readers.append((row, name, direction))
    checked = 0
    for candidate in _candidates(ruleset, fact_name, value):
        changed = {**facts, fact_name: candidate}
        after = evaluate(ruleset, changed)
        moves = [_moved(before.value(n), after.value(n), d) for _row, n, d in readers]
        if False in moves or True not in moves:
            continue
        checked += 1
        for node in sorted(after.nodes(), key=lambda n: -n.depth):  # the row first
            old = before[node.id]
            if node.low < old.low or node.high < old.high:
                raise AssertionError(
                    f"{node.id} fell from {_range(old)} to {_range(node)} when {fact_name} "
                    f"improved from {fmt(value)} to {fmt(candidate)} (facts {_show(facts)})")
    return checked


def check_properties(ruleset: Ruleset, *, missing: bool = True) -> None:
    """Run bounds and monotonicity as one hypothesis test (under the active profile).

    Call it from a test function: ``def test_sane(): check_properties(my_ruleset)``.
    """
    names = [s.name for s in ruleset.input_facts() if s.type in ("number", "boolean", "date")]

    @given(facts=facts_for(ruleset, missing=missing))
    def run(facts: dict[str, Any]) -> None:
        assert_bounds(ruleset, facts)
        for name in names:  # every fact, every example: a defect in one row is not rare
            assert_monotone(ruleset, facts, name)

    run()


# ---------------------------------------------------------------------------- formula rules


def formula_counterexamples(ruleset: Ruleset, node: Indicator, *, max_examples: int = 300
                            ) -> list[tuple[str, str, str]]:
    """Search facts where a formula rule leaves ``[0, 分值]`` or moves against its direction.

    Returns ``(severity, code, message)`` for ``rubric check``; each message prints the
    counterexample hypothesis found (shrunk to a small one). No example database, and
    hypothesis's own storage (its cache of constants) in a temporary directory: ``rubric
    check`` writes no ``.hypothesis/`` folder where it runs.
    """
    import tempfile

    from hypothesis.configuration import set_hypothesis_home_dir, storage_directory

    before = storage_directory(intent_to_write=False).home_directory
    with tempfile.TemporaryDirectory(prefix="rubric-hypothesis-") as home:
        set_hypothesis_home_dir(home)
        try:
            return _formula_counterexamples(ruleset, node, max_examples)
        finally:
            set_hypothesis_home_dir(before)


_FAILED: Any = object()  # a formula that raised for the facts tried (failures says why)


def _formula_counterexamples(ruleset: Ruleset, node: Indicator, max_examples: int
                             ) -> list[tuple[str, str, str]]:
    from hypothesis import HealthCheck, Phase, find
    from hypothesis.errors import NoSuchExample

    rule = node.rule
    assert isinstance(rule, FormulaRule)
    config = settings(max_examples=max_examples, database=None, deadline=None,
                      phases=[Phase.generate, Phase.shrink],
                      suppress_health_check=list(HealthCheck))
    out: list[tuple[str, str, str]] = []

    def raw(facts: Mapping[str, Any]) -> Any:  # a Decimal, None or _FAILED
        # Only the facts the formula reads, and the derived facts over them: the rest
        # of the ruleset plays no part in this row's score.
        try:
            values: dict[str, object] = dict(ruleset.facts_from(facts).values)
            for name, formula in ruleset.derived:
                values[name] = derive(formula, values)
        except Exception:  # noqa: BLE001 - facts another row rejects: not this rule's fault
            return None
        args = {n: values.get(n, MISSING) for n in rule.inputs}
        if not all(is_known(v) for v in args.values()):
            return None
        try:
            value = rule.formula(args)
        except RubricError as exc:  # beyond the numeric domain: a counterexample too
            failures["error"] = exc.message
            return _FAILED
        return value if type(value) is Decimal and value.is_finite() else None

    failures: dict[str, str] = {}

    def score(facts: Mapping[str, Any]) -> Decimal | None:
        v = raw(facts)
        return None if v is None or v is _FAILED else min(rule.points, max(ZERO, v))

    read = ruleset.base_inputs(rule.inputs)

    def shown(facts: Mapping[str, Any]) -> str:
        return _show({k: v for k, v in facts.items() if k in read})

    def outside(facts: Mapping[str, Any]) -> bool:
        v = raw(facts)
        return v is _FAILED or (v is not None and not ZERO <= v <= rule.points)

    try:
        bad = find(facts_for(ruleset, only=read), outside, settings=config)
        got = raw(bad)
        message = (f"score formula '{rule.expression}' gives {fmt(got)}, outside "
                   f"[0, {fmt(rule.points)}] (clamped), for facts {shown(bad)} "
                   "(found by hypothesis)") if got is not _FAILED else (
                   f"{failures['error']}, for facts {shown(bad)} (found by hypothesis)")
        out.append(("warning", "formula-bounds", message))
    except NoSuchExample:
        pass
    main = rule.inputs[0] if rule.inputs else ""
    spec = ruleset.specs.get(main)
    if rule.direction in _OPPOSITE and spec is not None and spec.type == "number" \
            and not spec.derived:
        sign = 1 if rule.direction == "higher" else -1
        pairs = st.tuples(facts_for(ruleset, only=read),
                          st.decimals(Decimal("0.01"), Decimal(100), places=2))

        def against(pair: tuple[dict[str, Any], Decimal]) -> bool:
            facts, delta = pair
            if main not in facts:
                return False
            moved = facts[main] + sign * delta
            if (spec.minimum is not None and moved < spec.minimum) or (
                    spec.maximum is not None and moved > spec.maximum):
                return False
            a, b = score(facts), score({**facts, main: moved})
            return a is not None and b is not None and b < a

        try:
            facts, delta = find(pairs, against, settings=config)
            moved = facts[main] + sign * delta
            message = (f"score formula '{rule.expression}': the score falls from "
                       f"{fmt(score(facts))} to {fmt(score({**facts, main: moved}))} when "
                       f"{main} improves from {fmt(facts[main])} to {fmt(moved)} (direction "
                       f"'{rule.direction}'; facts {shown(facts)}; found by hypothesis)")
            out.append(("error", "direction", message))
        except NoSuchExample:
            pass
    return out
