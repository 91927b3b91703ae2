"""The column engine: a ruleset scored over whole columns at once, in exact integers.

``column_plan(ruleset)`` compiles the ruleset's plan (``engine.plan``) once into a list
of column operations, kept in ``ruleset.memo["columns"]``; ``ColumnPlan.run`` applies
them to every unit of a batch at once with numpy. Nothing is a binary float: a number
is a *scaled integer* (``x = n / 10**s``, ``n`` an int64 array, or an object array of
Python ints when a value could overflow 63 bits), a derived rate ``a / b * 10**k`` an
exact fraction of two such arrays, and every comparison, step count and rounding is
done on integers. Each kind of rule the engine knows writes its columns here (bands,
step deductions, yes/no rows, checklists, categorical states, deadlines); any other
kind is scored by its prepared rule one unit at a time over the same columns.

A unit the columns do not settle is left to the caller (``ok`` is False for it), which
scores it with the per-unit engine: a missing, not-applicable or unconverted value, a
value outside its domain or in no band, a zero denominator, a derived rate too large
for the exactness bound below, a rule whose prepared form does not settle. Settled
units get exactly ``evaluate``'s scores: rows capped at their 分值 and rounded by the
policy, groups summed and capped, the total graded.

*Why the derived rates stay exact.* ``evaluate`` computes ``a / b * 100`` in Decimal
with 34 significant digits; the columns compare the exact fraction. The two agree
unless the 34-digit rounding crosses a threshold the rules compare with. Between a
fraction ``N / (B·10^m)`` and a threshold of scale ``s`` that differ, the gap is at
least ``1 / (B·10^(m+s))``, while the rounding moves the value by at most
``10^-33 × |value|``; units where ``(|value| + |threshold|) · B · 10^(m+s)`` reaches
``10^30`` are left to the per-unit path. An exact hit of a threshold is exact in
Decimal too, because the factor is a power of ten.
"""

from __future__ import annotations

import ast
import datetime as _dt
import decimal
import itertools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ..facts import percent_readings
from ..numbers import MAX_MAGNITUDE
from ..policy import ROUNDING_MODES
from ..tree import Ruleset
from .column_values import (
    EPOCH,
    LIMIT,
    Converted,
    Frac,
    Ints,
    blank,
    cmp,
    convert,
    places,
    scaled,
)
from .evaluation import DECIMAL_CONTEXT, derive
from .plan import plan_of

__all__ = ["ColumnPlan", "column_plan", "convert_all"]

EXACT_BOUND = 1e30  # the exactness bound of derived rates (module docstring)
_HALF_MAGNITUDE = MAX_MAGNITUDE / 2  # derived rates beyond it go per unit (derived_ok)
_HALF_MAGNITUDE_INT = int(_HALF_MAGNITUDE)


# ----------------------------------------------------------------------------- the plan


def _ratio_form(ruleset: Ruleset, name: str, formula: Any) -> tuple[str, str, int] | None:
    """``(a, b, k)`` when the derived fact is ``a / b`` times 10**k (given facts a, b)."""
    try:
        tree = ast.parse(formula.text.strip(), mode="eval").body
    except SyntaxError:
        return None
    factor = Decimal(1)
    while isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Mult):
        if isinstance(tree.right, ast.Constant) and type(tree.right.value) in (int, float):
            factor *= Decimal(repr(tree.right.value))
            tree = tree.left
        elif isinstance(tree.left, ast.Constant) and type(tree.left.value) in (int, float):
            factor *= Decimal(repr(tree.left.value))
            tree = tree.right
        else:
            return None
    if not (isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Div)
            and isinstance(tree.left, ast.Name) and isinstance(tree.right, ast.Name)):
        return None
    a, b = tree.left.id, tree.right.id
    specs = ruleset.specs
    if a == b or any(n not in specs or specs[n].derived or specs[n].type != "number"
                     for n in (a, b)):
        return None
    with decimal.localcontext(DECIMAL_CONTEXT):  # probe: any unit factor is in the result
        try:
            k = formula({a: Decimal(1), b: Decimal(1)})
            probe = formula({a: Decimal(3), b: Decimal(7)})
        except Exception:  # noqa: BLE001 - a formula the probe cannot run: per unit
            return None
        if type(k) is not Decimal or k <= 0 or k != Decimal(1).scaleb(k.adjusted()):
            return None
        if probe != Decimal(3) / Decimal(7) * k or k.adjusted() < 0:
            return None
    return a, b, k.adjusted()


Op = Callable[[Any, dict[str, Converted], Any], "tuple[Ints, int, Any]"]


class ColumnPlan:
    """A ruleset compiled for columns (``column_plan``): see the module docstring."""

    def __init__(self, ruleset: Ruleset) -> None:
        policy = ruleset.policy
        self.ruleset = ruleset
        self.plan = plan_of(ruleset)
        # constraints between facts warn or refuse per unit: such rulesets go per unit
        self.supported = (not ruleset.checks and not ruleset.vetoes and policy.round_rows
                          and policy.missing == "range"
                          and policy.not_applicable != "redistribute"
                          and all(getattr(s.node, "select", "all") == "all"
                                  for s in self.plan.steps if s.rule is None))
        self.precision = policy.precision
        self.mode = policy.rounding
        caps = [s.max_points for s in self.plan.steps]
        self.scale = max([policy.precision, *map(places, caps),
                          *(places(policy.grade_minimum(g)) for g in policy.grades)])
        self.ratios = {name: _ratio_form(ruleset, name, f) for name, f in ruleset.derived}
        defaults = ruleset.policy.defaults
        self.inputs = {s.name: s for s in ruleset.input_facts()}
        readings = percent_readings(ruleset.specs, defaults.percent_numbers)
        self.readings = {s.name: readings.get(s.name) for s in ruleset.input_facts()}
        used: set[str] = set()
        for row in ruleset.indicators():
            used.update(row.rule.inputs)
        for _name, formula in ruleset.derived:
            used.update(formula.names)
        self.used = frozenset(used)
        self.ops: list[Op | None] = [None if s.rule is None
                                     else self._op(s.node.rule, i)  # type: ignore[union-attr]
                                     for i, s in enumerate(self.plan.steps)]

    # -- per kind ---------------------------------------------------------------------

    def _op(self, rule: Any, index: int) -> Op:
        kind = rule.kind
        d = self.ruleset.policy.defaults
        # a kind is taken only in the forms written here; any other option of it (a band's
        # score range or `then:` deduction, a deadline month or planned date) goes per unit
        if kind == "bands" and self._numeric(rule.fact) and all(
                b.points_max is None and b.then is None for b in rule.bands):
            return self._bands(rule)
        if (kind == "deduction" and self._numeric(rule.fact)
                and (rule.partial or d.partial) != "proportional"):
            return self._deduction(rule)
        if kind == "boolean":
            return self._boolean(rule)
        if kind == "checklist" and len({i.fact for i in rule.items}) == len(rule.items):
            return self._checklist(rule)
        if kind == "categorical":
            return self._categorical(rule)
        if (kind == "deadline" and self.ruleset.specs[rule.fact].type == "date"
                and type(rule.deadline) is _dt.date and rule.deadline_fact is None):
            return self._deadline(rule)
        return self._per_unit(index)

    def _numeric(self, fact: str) -> bool:
        spec = self.ruleset.specs[fact]
        return spec.type == "number" and (not spec.derived or self.ratios.get(fact) is not None)

    def _bands(self, rule: Any) -> Op:
        edges = [e for b in rule.bands for e in (b.lower, b.upper) if e is not None]
        s = max([0, *map(places, edges)])
        big = max([abs(e) for e in edges], default=Decimal(0))
        sp = max(self.precision, *(places(b.points) for b in rule.bands))  # _run's scale
        fact, bands = rule.fact, rule.bands
        contiguous = all(a.upper is not None and a.upper == b.lower
                         and a.upper_closed != b.lower_closed
                         for a, b in itertools.pairwise(bands))
        # contiguous bands whose upper ends rise: each "value ≤ (or <) upper" implies the
        # next, so the first band whose end is not passed is the count of ends passed
        ends = [(b.upper, b.upper_closed) for b in bands[:-1]]
        rising = contiguous and len(bands) < 127 and all(
            u < v or (u == v and (not c or d)) for (u, c), (v, d) in itertools.pairwise(ends))
        by_passed = [scaled(b.points, sp) for b in bands]

        def run(np: Any, cols: dict[str, Converted], ok: Any) -> tuple[Ints, int, Any]:
            x, guard = self.number(np, cols, fact, s, big)
            lhs = x.num.times(10 ** s)  # value ⋚ edge: num·10^s ⋚ edge·10^s·den
            edge = {e: (x.den.times(scaled(e, s)) if isinstance(x.den, Ints)
                        else scaled(e, s) * x.den) for e in edges}
            conds: list[Any] = []
            if contiguous:  # each band starts where the one before ends: upper ends decide
                first, last = bands[0], bands[-1]
                hit: Any = True
                if first.lower is not None:
                    hit = cmp(lhs, edge[first.lower], ">=" if first.lower_closed else ">")
                if last.upper is not None:
                    hit = hit & cmp(lhs, edge[last.upper], "<=" if last.upper_closed else "<")
                if rising:
                    passed = np.zeros(len(ok), dtype=np.int8)
                    for b in bands[:-1]:
                        passed += cmp(lhs, edge[b.upper], ">" if b.upper_closed else ">=")
                    pts = np.array(by_passed, dtype=np.int64)[passed]
                    return Ints(pts, max(by_passed)), sp, guard & hit
                for b in bands[:-1]:
                    conds.append(cmp(lhs, edge[b.upper], "<=" if b.upper_closed else "<"))
                conds.append(np.ones(len(ok), dtype=bool))
            else:
                hit = np.zeros(len(ok), dtype=bool)
                for b in bands:
                    cond: Any = True
                    if b.lower is not None:
                        cond = cmp(lhs, edge[b.lower], ">=" if b.lower_closed else ">")
                    if b.upper is not None:
                        cond = cond & cmp(lhs, edge[b.upper], "<=" if b.upper_closed else "<")
                    if cond is True:
                        cond = np.ones(len(ok), dtype=bool)
                    conds.append(cond)
                    hit = hit | cond
            pts = np.select(conds, [scaled(b.points, sp) for b in bands], 0)
            top = max(scaled(b.points, sp) for b in bands)
            return Ints(pts.astype(np.int64, copy=False), top), sp, guard & hit

        return run

    def _deduction(self, rule: Any) -> Op:
        d = self.ruleset.policy.defaults
        step, tol, _basis = rule.step_size(d)
        partial = rule.partial or d.partial
        excludes = partial == "floor" and (rule.boundary or d.boundary) == "excludes"
        nums = (rule.target, step, tol, rule.points, rule.per_step, rule.floor)
        s = max(map(places, nums))
        big = abs(rule.target) + tol + step
        fact, side = rule.fact, rule.side
        T, STEP, TOL = (scaled(v, s) for v in (rule.target, step, tol))
        P, PER, FLOOR = (scaled(v, s) for v in (rule.points, rule.per_step, rule.floor))
        # n whole steps deduct max(P - n·PER, FLOOR), the same from n = P // PER + 1 on:
        # the row's points are a table over min(n, that), each "n ≥ j" one comparison of
        # the deviation with a threshold (_by_steps: its docstring gives the thresholds)
        by_steps: tuple[tuple[int, int], list[int]] | None = None
        at = max(s, self.precision)  # the table's scale: what _run takes without rescaling
        if PER > 0 and P // PER + 1 <= 64:
            by_steps = ((0, 1) if partial == "ceil" else (1, 1) if excludes else (1, 0),
                        [max(P - j * PER, FLOOR) * 10 ** (at - s)
                         for j in range(P // PER + 2)])

        def run(np: Any, cols: dict[str, Converted], ok: Any) -> tuple[Ints, int, Any]:
            x, guard = self.number(np, cols, fact, s, big)
            num = x.num.times(10 ** s)  # x = num / den at scale s; target T·den
            den = x.den
            tden = den.times(T) if isinstance(den, Ints) else T * den
            if side == "below":  # every deviation ·den·10^s: an integer column
                dev = (tden.add(num, -1) if isinstance(tden, Ints)
                       else Ints(tden - num.a, num.bound + abs(tden)))
            else:
                dev = num.add(tden, -1)
                if side == "both":
                    dev = Ints(np.abs(dev.a), dev.bound)
            tolden = den.times(TOL) if isinstance(den, Ints) else TOL * den
            divisor = den.times(STEP) if isinstance(den, Ints) else STEP * den
            if by_steps is not None:  # the steps counted by comparisons: no division
                return Ints(_by_steps(np, dev, tolden, divisor, *by_steps),
                            max(P, FLOOR) * 10 ** (at - s)), at, guard
            excess = dev.add(tolden, -1)  # (d - tol)·den·10^s; ≤ 0 within the tolerance
            dv = divisor.a if isinstance(divisor, Ints) else divisor
            e = np.maximum(excess.a, 0)  # no deviation beyond the tolerance: 0 steps
            n = e // dv
            if partial == "ceil":
                n = n + (e % dv != 0)
            elif excludes:
                n = n - ((e % dv == 0) & (n > 0))
            # points - n·per, floored; n·per can only pass the points where it floors
            n = np.minimum(n, P // PER + 1)
            a = np.maximum(P - n * PER, FLOOR)
            return Ints(a.astype(np.int64, copy=False), max(P, FLOOR)), s, guard

        return run

    def _boolean(self, rule: Any) -> Op:
        s = max(self.precision, places(rule.yes_points), places(rule.no_points))
        yes, no, fact = scaled(rule.yes_points, s), scaled(rule.no_points, s), rule.fact

        def run(np: Any, cols: dict[str, Converted], ok: Any) -> tuple[Ints, int, Any]:
            a = np.multiply(cols[fact].value, yes - no, dtype=np.int64)  # no where false
            return Ints(a + no if no else a, max(yes, no)), s, True

        return run

    def _checklist(self, rule: Any) -> Op:
        s = max(self.precision, *(places(i.points) for i in rule.items))
        items = [(i.fact, scaled(i.points, s)) for i in rule.items]

        def run(np: Any, cols: dict[str, Converted], ok: Any) -> tuple[Ints, int, Any]:
            total = np.zeros(len(ok), dtype=np.int64)
            for fact, pts in items:
                total += np.multiply(cols[fact].value, pts, dtype=np.int64)
            return Ints(total, sum(p for _f, p in items)), s, True

        return run

    def _categorical(self, rule: Any) -> Op:
        s = max(self.precision, *(places(st.points) for st in rule.states))
        table = {st.value: scaled(st.points, s) for st in rule.states}
        fact = rule.fact

        def run(np: Any, cols: dict[str, Converted], ok: Any) -> tuple[Ints, int, Any]:
            values, codes = cols[fact].value
            by_code = np.array([table.get(v, -1) for v in values] + [-1], dtype=np.int64)
            a = by_code[codes]
            return Ints(np.maximum(a, 0), max(table.values())), s, a >= 0

        return run

    def _deadline(self, rule: Any) -> Op:
        d = self.ruleset.policy.defaults
        inclusive = d.deadline_inclusive if rule.inclusive is None else rule.inclusive
        per_day = rule.per_day
        s = max(self.precision, places(rule.points), places(rule.late_points),
                places(per_day) if per_day is not None else 0)
        P, LATE = scaled(rule.points, s), scaled(rule.late_points, s)
        PER = None if per_day is None else scaled(per_day, s)
        due = rule.deadline.toordinal() - EPOCH - (0 if inclusive else 1)
        fact = rule.fact

        def run(np: Any, cols: dict[str, Converted], ok: Any) -> tuple[Ints, int, Any]:
            late = cols[fact].value - due
            if PER is None:
                a = np.where(late <= 0, P, LATE)
                return Ints(a.astype(np.int64), max(P, LATE)), s, True
            late_o = np.where(late > 0, late, 0).astype(object)
            a = np.where(late <= 0, P, np.maximum(late_o * -PER + P, LATE))
            return Ints(a.astype(object), max(P, LATE)), s, True

        return run

    def _per_unit(self, index: int) -> Op:
        """A kind the columns do not know: its prepared rule, one unit at a time."""
        step = self.plan.steps[index]
        rule, prepared, s = step.node.rule, step.rule, self.precision  # type: ignore[union-attr]
        names = list(rule.inputs)
        q, mode = self.ruleset.policy.quantum, ROUNDING_MODES[self.mode]

        def run(np: Any, cols: dict[str, Converted], ok: Any) -> tuple[Ints, int, Any]:
            n = len(ok)
            out, good = [0] * n, np.zeros(n, dtype=bool)
            idx = np.flatnonzero(ok)
            with decimal.localcontext(DECIMAL_CONTEXT):
                for i in idx:
                    try:
                        values = {name: self.value(cols, name, int(i)) for name in names}
                        low, high, _t, missing, _w, applicable = prepared(values)
                    except Exception:  # noqa: BLE001 - the per-unit path reports it
                        continue
                    if not applicable or missing or low != high:
                        continue
                    low = min(low, step.max_points).quantize(q, mode)
                    out[i] = scaled(low, s)
                    good[i] = True
            bound = max(out, default=0) + 1
            return Ints(np.array(out, dtype=object if bound >= LIMIT else np.int64), bound), \
                s, good

        return run

    # -- values -----------------------------------------------------------------------

    def number(self, np: Any, cols: dict[str, Converted], fact: str, s: int, big: Decimal
               ) -> tuple[Frac, Any]:
        """The fact's column as an exact fraction, and which units the exactness bound
        (module docstring) lets the columns decide (all of them for given facts)."""
        got = cols.get("=" + fact)
        if got is not None:
            frac: Frac = got.value
        elif fact in self.inputs:
            return cols[fact].value, True
        else:
            ratio = self.ratios[fact]
            assert ratio is not None
            a, b, k = ratio
            fa, fb = cols[a].value, cols[b].value
            sa, sb = len(str(fa.den)) - 1, len(str(fb.den)) - 1
            num = fa.num.times(10 ** (sb + k))
            den = fb.num.times(10 ** sa)
            flip = den.a < 0
            nonzero = den.a != 0
            if flip.any():
                num = Ints(np.where(flip, -num.a, num.a), num.bound)
                den = Ints(np.where(flip, -den.a, den.a), den.bound)
            if not nonzero.all():  # a zero denominator (its units are not ok): 1
                den = Ints(np.where(nonzero, den.a, 1), max(den.bound, 1))
            frac = Frac(num, den, sa + sb + k)
            cols["=" + fact] = got = Converted("number", frac, nonzero)
        assert isinstance(frac.den, Ints)
        sizes = cols.get("|" + fact)
        if sizes is None:  # the largest |num| and den, as floats, for the bound
            a, d = frac.num.a, frac.den.a
            try:
                top = (float(max(-a.min(), a.max())), float(d.max())) if len(a) else (0., 0.)
            except OverflowError:  # past any float: unit by unit below
                top = (float("inf"), float("inf"))
            sizes = cols["|" + fact] = Converted("", [top], True)
        if (sizes.value[0][0] + float(big) * sizes.value[0][1]) * 10.0 ** s < EXACT_BOUND:
            return frac, got.ok  # every unit inside the bound (float rounding is monotone)
        if len(sizes.value) == 1:  # |num| and den as floats, unit by unit
            sizes.value.append((np.abs(frac.num.a.astype(np.float64)),
                                frac.den.a.astype(np.float64)))
        num_f, den_f = sizes.value[1]
        size = (num_f + float(big) * den_f) * 10.0 ** s
        return frac, got.ok & (size < EXACT_BOUND)

    def value(self, cols: dict[str, Converted], name: str, i: int) -> object:
        """One unit's value of a fact as ``evaluate`` holds it (per-unit rules)."""
        spec = self.ruleset.specs[name]
        if spec.derived:
            formula = dict(self.ruleset.derived)[name]
            return derive(formula, {n: self.value(cols, n, i) for n in formula.names})
        col = cols[name]
        if col.kind == "number":
            frac = col.value
            return Decimal(int(frac.num.a[i])) / Decimal(frac.den)
        if col.kind == "boolean":
            return bool(col.value[i])
        if col.kind == "date":
            return _dt.date.fromordinal(int(col.value[i]) + EPOCH)
        values, codes = col.value
        return values[codes[i]]

    # -- running ----------------------------------------------------------------------

    def round(self, np: Any, x: Ints, s: int) -> Ints:
        """Scale-``s`` non-negative scores rounded to the policy's precision."""
        p = self.precision
        if s <= p:
            return x.times(10 ** (p - s))
        unit = 10 ** (s - p)
        q, r = x.a // unit, x.a % unit
        half = unit // 2
        if self.mode == "half_up":
            q = q + (r >= half)
        elif self.mode == "half_even":
            q = q + ((r > half) | ((r == half) & (q % 2 == 1)))
        elif self.mode == "up":
            q = q + (r > 0)
        return Ints(q, x.bound // unit + 1)

    def derived_ok(self, np: Any, cols: dict[str, Converted], ok: Any) -> Any:
        """Units whose derived facts are finite and inside their declared domains
        (``evaluate`` raises otherwise): rates in columns, other formulas per unit."""
        for name, formula in self.ruleset.derived:
            spec = self.ruleset.specs[name]
            if self.ratios.get(name) is not None:
                for bound, op in ((spec.minimum, ">="), (spec.maximum, "<=")):
                    s = 0 if bound is None else places(bound)
                    frac, good = self.number(np, cols, name, s,
                                             Decimal(0) if bound is None else abs(bound))
                    ok = ok & good
                    if bound is not None:
                        ok = ok & cmp(*frac.against(bound, s), op)
                # evaluate refuses a value beyond 10^18 in magnitude: units past half
                # of it (far from any rounding of evaluate's) are left to it. |num/den|
                # is at most |num| (den is a whole number >= 1): the exact test, on wide
                # integers, only when some |num| is past it
                frac, _ = self.number(np, cols, name, 0, Decimal(0))
                if (abs(frac.num.a) > _HALF_MAGNITUDE_INT).any():
                    ok = (ok & cmp(*frac.against(_HALF_MAGNITUDE, 0), "<=")
                          & cmp(*frac.against(-_HALF_MAGNITUDE, 0), ">="))
                continue
            good = np.zeros(len(ok), dtype=bool)
            with decimal.localcontext(DECIMAL_CONTEXT):
                for i in np.flatnonzero(ok):
                    try:
                        x = derive(formula, {n: self.value(cols, n, int(i))
                                             for n in formula.names})
                    except Exception:  # noqa: BLE001 - the per-unit path reports it
                        continue
                    good[i] = (type(x) is Decimal and x.is_finite()
                               and (spec.minimum is None or x >= spec.minimum)
                               and (spec.maximum is None or x <= spec.maximum))
            ok = ok & good
        return ok

    def grade_codes(self, np: Any, total: Any) -> Any:
        """Each settled total's grade (the total at ``self.scale``) as its index into
        ``policy.grades``: the best grade whose minimum it reaches."""
        grades = self.ruleset.policy.grades
        code = np.full(len(total), len(grades) - 1)
        for j in range(len(grades) - 1, -1, -1):
            minimum = self.ruleset.policy.grade_minimum(grades[j]).scaleb(self.scale)
            code = np.where(total >= int(minimum.to_integral_value("ROUND_CEILING")), j, code)
        return code

    def run(self, np: Any, cols: dict[str, Converted], ok: Any,
            exempt: Mapping[int, Any] | None = None) -> tuple[list[Ints], Any]:
        """Every node's score at scale ``self.scale`` (plan order), and the units settled.
        ``exempt``: step index -> units whose score of that row the caller replaces (its
        column is then not required to settle them)."""
        if not ok.any():  # nothing to settle here (a fact no column gives, say)
            return [], ok
        with np.errstate(all="ignore"):
            return self._run(np, cols, self.derived_ok(np, cols, ok), exempt or {})

    def _run(self, np: Any, cols: dict[str, Converted], ok: Any,
             exempt: Mapping[int, Any]) -> tuple[list[Ints], Any]:
        S, p = self.scale, self.precision
        nodes: list[Ints] = []
        for step, op in zip(self.plan.steps, self.ops):
            cap = scaled(step.max_points, S)
            if op is None:
                kids = [nodes[k] for k in step.children]
                bound = sum(x.bound for x in kids)
                if len(kids) > 1 and bound < LIMIT and all(x.a.dtype == np.int64 for x in kids):
                    a = np.add(kids[0].a, kids[1].a)  # a new array, summed into in place
                    for x in kids[2:]:
                        np.add(a, x.a, out=a)
                    total = Ints(a, bound)
                else:
                    total = Ints(np.zeros(len(ok), dtype=np.int64), 0)
                    for x in kids:
                        total = total.add(x)
                if total.bound > cap:
                    total = Ints(np.minimum(total.a, cap), cap)
                nodes.append(total)
                continue
            raw, s, good = op(np, cols, ok)
            spared = exempt.get(len(nodes))
            ok = ok & (good if spared is None else good | spared)
            if s <= p and (raw.bound <= scaled(step.max_points, s)
                           or places(step.max_points) <= p):
                # at most the policy's places, capped or not: nothing to round
                x = raw.times(10 ** (S - s))
                nodes.append(x if x.bound <= cap else Ints(np.minimum(x.a, cap), cap))
                continue
            m = max(s, S)
            x = raw.times(10 ** (m - s))
            capm = scaled(step.max_points, m)
            if x.bound > capm:  # a rule worth more than its row's 分值: capped
                x = Ints(np.minimum(x.a, capm), capm)
            rounded = self.round(np, x, m).times(10 ** (S - p)) if m > p else x.times(
                10 ** (S - m))
            nodes.append(rounded)
        return nodes, ok


def _by_steps(np: Any, dev: Ints, tol: Ints | int, step: Ints | int,
              start: tuple[int, int], table: list[int]) -> Any:
    """``table[min(n, len(table) - 1)]`` for each unit's whole steps ``n`` beyond the
    tolerance: ``n ≥ j`` exactly when ``dev ≥ tol + (j - 1 + start[0])·step + start[1]``
    (floor: ``(1, 0)``; a step counted once begun, ceil: ``(0, 1)``; an exact multiple
    not yet counted, boundary excludes: ``(1, 1)``), with step > 0."""
    a = dev.a
    n = np.zeros(len(a), dtype=np.int8)
    k0, plus = start
    if isinstance(step, int) and isinstance(tol, int):
        wide = a.dtype == object
        for j in range(1, len(table)):
            t = tol + (j - 1 + k0) * step + plus
            if not wide and t > dev.bound:  # no unit reaches it (and past int64)
                break
            if not wide and t < -dev.bound:  # every unit does
                n += 1
                continue
            n += a >= t
    else:  # a rate: both are its denominator's column times a constant
        assert isinstance(step, Ints) and isinstance(tol, Ints)
        at = tol.add(step.times(k0)).add(plus)
        for j in range(1, len(table)):
            if j > 1:
                at = at.add(step)
            n += cmp(dev, at, ">=")
    return np.array(table, dtype=np.int64)[n]


def column_plan(ruleset: Ruleset) -> ColumnPlan:
    """The ruleset compiled for columns, built on first use and kept in its memo."""
    plan: ColumnPlan | None = ruleset.memo.get("columns")
    if plan is None:
        plan = ruleset.memo["columns"] = ColumnPlan(ruleset)
    return plan


def convert_all(np: Any, cp: ColumnPlan, columns: Mapping[str, Any], n: int, *,
                warn: bool = False) -> tuple[dict[str, Converted], Any]:
    """Every input fact column converted, and the units whose every fact converted.
    ``warn``: cells that warn per unit (``column_values.convert``) stay ok, marked in
    their column's ``warn``; the caller gives those units their warnings."""
    ok = np.ones(n, dtype=bool)
    cols: dict[str, Converted] = {}
    with np.errstate(all="ignore"):
        for name, spec in cp.inputs.items():
            if name not in columns:
                if name in cp.used:
                    ok[:] = False  # a fact no column gives: every unit is missing it
                continue
            col = convert(np, columns[name], spec, cp.readings[name], warn=warn)
            cols[name] = col
            if name in cp.used:
                ok &= col.ok
            else:  # a value the declarations refuse is an error even where unused
                ok &= col.ok | blank(np, columns[name])
    return cols, ok
