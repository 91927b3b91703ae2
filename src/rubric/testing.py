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
- ``facts_for(ruleset, states=True)`` (the default with ``missing=True``): a number
  fact declared ``states: true`` is sometimes an asserted state (``ASSERTED_TEXTS``, or
  a comparison echoing one of its breakpoints, ``≥266 米``).
- ``check_properties(ruleset)``: runs the above as one hypothesis test.

Only this module imports hypothesis; ``import rubric`` never does.
"""

from __future__ import annotations

import ast
import datetime as _dt
from collections.abc import Collection, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from .engine.evaluation import NodeResult, Result, derive, evaluate
from .errors import EvaluationError, RubricError
from .facts import MISSING, FactSpec, is_known, percent_readings
from .rules import FormulaRule
from .rules.analysis import FactHints
from .rules.row_options import RowOptions
from .text import fmt
from .tree import Indicator, Ruleset
from .units import conversion_factor, normalize_unit
from .verify.messages import Message, msg

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
#: The asserted states a number fact declared ``states: true`` may be given as.
ASSERTED_TEXTS = ("达成预期指标", "已完成", "全部完成", "未完成", "部分完成")
_OPPOSITE = {"higher": "lower", "lower": "higher"}
#: Units of one kind a number fact may be written in instead of its declared one.
_KINDRED = (("元", "万元", "亿元"),)


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
        ends = [x for x in (lo, hi) if x is not None and x not in special
                and (name not in self.integral or x == x.to_integral_value())]
        # Half the draws are the rule's breakpoints (edges and either side of them), one
        # in six an end of the domain, the rest anywhere in it: a defect at one edge is
        # not left to chance, and a fact with no breakpoints is still mostly ordinary
        # (a denominator is rarely its minimum 0). check_properties also visits every
        # breakpoint deterministically before the search.
        parts: list[st.SearchStrategy[Decimal]] = []
        if special:
            parts += [st.sampled_from(special)] * 3
        if ends:
            parts.append(st.sampled_from(ends))
        return st.one_of(*parts, *[plain] * (6 - len(parts))) if parts else plain

    def breakpoints(self, spec: FactSpec) -> list[Any]:
        """The values of a number or date fact worth probing, in its domain, sorted."""
        name = spec.name
        if spec.type == "date":
            return sorted(p for p in self.points.get(name, ()) if isinstance(p, _dt.date))
        if spec.type != "number":
            return []
        out = {p for p in self.points.get(name, ()) if isinstance(p, Decimal)}
        out.update(x for x in (self.lo.get(name), self.hi.get(name)) if x is not None)
        return sorted(p for p in out if self.in_domain(name, p) and (
            name not in self.integral or p == p.to_integral_value()))

    def typical(self, spec: FactSpec) -> Any:
        """One valid, unremarkable value of an input fact (a number: non-zero if it can)."""
        if spec.type == "boolean":
            return True
        if spec.type == "category":
            return spec.categories[0]
        if spec.type == "date":
            days = self.breakpoints(spec)
            return days[len(days) // 2] if days else _dt.date(2023, 12, 31)
        if spec.type != "number":
            texts = self.texts.get(spec.name)
            return texts[0] if texts else "是"
        points = self.breakpoints(spec)
        lo, hi = self.lo.get(spec.name), self.hi.get(spec.name)
        for x in [points[len(points) // 2]] if points else []:
            if x != 0:
                return x
        for x in (Decimal(1), Decimal(100), lo, hi):
            if x is not None and x != 0 and self.in_domain(spec.name, x):
                return x
        return lo if lo is not None else ZERO

    def edge_cases(self, specs: list[FactSpec]
                   ) -> Iterator[tuple[dict[str, Any], tuple[str, ...]]]:
        """Complete fact mappings, one per breakpoint of each fact (the others typical),
        and one per edge of each derived rate ``N / D * K`` (N solved for it), each with
        the facts it moved off their typical value."""
        base = {s.name: self.typical(s) for s in specs}
        yield dict(base), tuple(base)
        for spec in specs:
            for point in self.breakpoints(spec):
                if point != base[spec.name]:
                    yield {**base, spec.name: point}, (spec.name,)
        for derived, num, den, scale in self.ratios:
            d = base.get(den)
            if num not in base or type(d) is not Decimal or d == 0:
                continue
            for edge in sorted(p for p in self.points.get(derived, ())
                               if isinstance(p, Decimal)):
                solved = edge * d / scale
                if self.in_domain(num, solved):
                    yield {**base, num: solved}, (num, den)

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


def _with_unit(spec: FactSpec, value: Decimal, other: str) -> Any:
    """``value`` (in the fact's unit) written as text in ``other``, as in ``"0.5 亿元"``,
    when that text converts back to exactly ``value``; otherwise ``value`` itself."""
    factor = conversion_factor(spec.unit, other, spec.unit_system)
    text = f"{format(value * factor, 'f')} {other}"
    try:
        back = spec.coercer(text)
    except Exception:  # noqa: BLE001 - not writable so: keep the plain number
        return value
    return text if type(back) is Decimal and back == value else value


def _kindred(spec: FactSpec) -> list[str]:
    unit = (normalize_unit(spec.unit, spec.unit_system) if spec.type == "number" and spec.unit
            else None)
    for group in _KINDRED:
        if unit in group:
            return [u for u in group if u != unit]
    return []


def _in_tier(tier: Any, points: Decimal) -> st.SearchStrategy[Decimal]:
    """Points inside a qualitative tier (percent of ``points``), its closed ends included."""
    ends = [p for p, closed in ((tier.lower, tier.lower_closed), (tier.upper, tier.upper_closed))
            if closed]
    inside = st.decimals(min_value=tier.lower, max_value=tier.upper, places=2,
                         allow_nan=False, allow_infinity=False).filter(tier.contains)
    pct = st.one_of(st.sampled_from(ends), inside) if ends else inside
    return pct.map(lambda p: points * p / 100).filter(
        lambda x: tier.contains(x * 100 / points) if points else x == 0)


def facts_for(ruleset: Ruleset, *, missing: bool = False,
              only: Collection[str] | None = None,
              units: bool = False, states: bool | None = None
              ) -> st.SearchStrategy[dict[str, Any]]:
    """Valid fact mappings for ``ruleset`` (input facts only; derived ones are computed).

    With ``missing=True`` any fact may be left out, and a number fact may be the
    unsettled answer ``"达成预期指标"``, so scores become ranges. A fact read as the
    chosen tier of a qualitative rule is drawn with its score: a tier, then points
    inside it (its closed ends often), three times in four; otherwise it is left out.
    Every mapping is one the ruleset accepts: a rate ``N / D * K`` outside its declared
    domain gets N solved for a value inside it, and a % fact that reads plain numbers
    as fractions (``percent_numbers: fraction``) gets 0.925 for 92.5 % (with ``error``,
    the text ``"92.5%"``). ``only`` limits the mapping to those input facts. With
    ``units=True`` a
    number fact declared in 元, 万元 or 亿元 is sometimes written as text in another of
    them (``"0.5 亿元"`` for 5000 万元), converting back to exactly the drawn value.
    With ``states`` (by default as ``missing``) a number fact declared ``states: true``
    is sometimes an asserted state instead (``ASSERTED_TEXTS``, or ``≥``/``≤`` one of
    its breakpoints, as a target is echoed).
    """
    plan = _Plan(ruleset)
    specs = [s for s in ruleset.input_facts()
             if s.name not in plan.omit and (only is None or s.name in only)]
    asserted = {s.name: _asserted_texts(plan, s) for s in specs
                if s.states and (missing if states is None else states)}
    kindred = {s.name: k for s in specs if (k := _kindred(s))}
    tiered = {t: v for t, v in plan.tiered.items() if only is None or t in only}
    readings = percent_readings({s.name: s for s in specs}, ruleset.defaults.percent_numbers)

    @st.composite
    def build(draw: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in specs:
            texts = asserted.get(spec.name)
            if texts and draw(st.integers(0, 3)) == 0:
                out[spec.name] = draw(st.sampled_from(texts))
                continue
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
        for derived, num, den, scale in plan.ratios:  # keep each rate in its domain
            d, n = out.get(den), out.get(num)
            if type(d) is not Decimal or type(n) is not Decimal:
                continue
            if d == 0:
                if n != 0 and plan.in_domain(num, ZERO):
                    out[num] = ZERO  # x/0 is infinite: only 0/0 can be in a domain
            elif not plan.in_domain(derived, n / d * scale):
                solved = draw(plan.number(ruleset.specs[derived])) * d / scale
                if plan.in_domain(num, solved):
                    out[num] = solved
        for tier_fact, (fact, points, tiers) in tiered.items():
            if fact in out and draw(st.integers(0, 3)) != 0:
                tier = draw(st.sampled_from(tiers))
                out[tier_fact], out[fact] = tier.label, draw(_in_tier(tier, points))
        for name, reading in readings.items():  # a plain number as the fact reads it
            if type(out.get(name)) is Decimal and reading != "percent":
                out[name] = out[name] / 100 if reading == "fraction" else f"{out[name]}%"
        if units:
            for name, others in kindred.items():
                if type(out.get(name)) is Decimal and draw(st.integers(0, 3)) == 0:
                    out[name] = _with_unit(ruleset.specs[name], out[name],
                                           draw(st.sampled_from(others)))
        return out

    return build()


def _asserted_texts(plan: _Plan, spec: FactSpec) -> list[str]:
    """The state words, and comparisons echoing each breakpoint of ``spec``."""
    unit = f" {spec.unit}" if spec.unit else ""
    edges = sorted(p for p in plan.points.get(spec.name, ()) if isinstance(p, Decimal)
                   and p.is_finite() and plan.in_domain(spec.name, p))
    return [*ASSERTED_TEXTS, *(f"{op}{fmt(p)}{unit}" for p in edges for op in ("≥", "≤"))]


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
        try:
            after = evaluate(ruleset, changed)
        except EvaluationError:  # the ruleset refuses it (a score outside a chosen tier)
            continue
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
    Constraints between facts never change scores; those of ``level: error`` would
    refuse the draws that violate them, so the properties run without them.
    """
    if any(c.level == "error" for c in ruleset.constraints):
        kept = tuple(c for c in ruleset.constraints if c.level != "error")
        # attrs' converter=tuple makes mypy expect an unbound Iterable[_T_co]
        ruleset = attrs.evolve(ruleset, constraints=kept)  # type: ignore[arg-type]
    names = [s.name for s in ruleset.input_facts() if s.type in ("number", "boolean", "date")]

    def check(facts: dict[str, Any]) -> None:
        assert_bounds(ruleset, facts)
        for name in names:  # every fact, every example: a defect in one row is not rare
            assert_monotone(ruleset, facts, name)

    # First, deterministically, every breakpoint of every fact (so a band-order or
    # direction defect is found on every run, its counterexample on the edge); facts
    # the ruleset itself rejects (a derived value outside its domain, say) are skipped
    # here and left to the search.
    plan = _Plan(ruleset)
    specs = [s for s in ruleset.input_facts() if s.name not in plan.omit]
    for facts, moved in plan.edge_cases(specs):
        try:
            evaluate(ruleset, facts)
        except Exception:  # noqa: BLE001 - not a property failure; see above
            continue
        assert_bounds(ruleset, facts)
        for name in moved:  # the facts on an edge here (all of them, the first time)
            if name in names:
                assert_monotone(ruleset, facts, name)

    @given(facts=facts_for(ruleset, missing=missing, units=True))
    def run(facts: dict[str, Any]) -> None:
        check(facts)

    run()


# ---------------------------------------------------------------------------- formula rules


def formula_counterexamples(ruleset: Ruleset, node: Indicator, *, max_examples: int = 300,
                            rule: Any = None) -> list[tuple[str, str, Message]]:
    """Search facts where a formula rule leaves ``[0, 分值]`` or moves against its direction.

    ``rule`` is the formula rule searched: the row's own (the default), or a part of it
    (a formula inside a ``sum`` row).

    Returns ``(severity, code, message)`` for ``rubric check`` (the message from
    ``verify.messages``' catalog); each message prints the
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
            return _formula_counterexamples(ruleset, node, max_examples, rule)
        finally:
            set_hypothesis_home_dir(before)


_FAILED: Any = object()  # a formula that raised for the facts tried (failures says why)


def _formula_counterexamples(ruleset: Ruleset, node: Indicator, max_examples: int,
                             rule: Any = None) -> list[tuple[str, str, Message]]:
    from hypothesis import HealthCheck, Phase, find
    from hypothesis.errors import NoSuchExample

    rule = node.rule if rule is None else rule
    if isinstance(rule, RowOptions):  # a row's own options around its formula
        rule = rule.rule
    assert isinstance(rule, FormulaRule)
    config = settings(max_examples=max_examples, database=None, deadline=None,
                      phases=[Phase.generate, Phase.shrink],
                      suppress_health_check=list(HealthCheck))
    out: list[tuple[str, str, Message]] = []

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
        out.append(("warning", "formula-bounds", msg(
            "formula-bounds", expression=rule.expression, raw=fmt(got), points=rule.points,
            facts=shown(bad)) if got is not _FAILED else msg(
            "formula-bounds", "fails", error=failures["error"], facts=shown(bad))))
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
            out.append(("error", "direction", msg(
                "direction", "formula", expression=rule.expression, s1=fmt(score(facts)),
                s2=fmt(score({**facts, main: moved})), fact=main, v1=fmt(facts[main]),
                v2=fmt(moved), direction=rule.direction, facts=shown(facts))))
        except NoSuchExample:
            pass
    return out
