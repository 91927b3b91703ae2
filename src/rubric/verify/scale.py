"""What ``rubric check`` computes once per ruleset rather than once per row or formula.

A 10 000-row ruleset has thousands of rows and formulas in a few units and a deep tree:
a unit's dimensions are looked up once per unit (not parsed by pint per fact read), and a
group's summed 分值 is read from the children's ``Ruleset.points`` (not recomputed down the
tree at every level); the zero-denominator probes of 2 000 rates derive only the rates
each probe reaches (``Probes``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal

from ..rules.row_options import adds_up
from ..tree import Group, Ruleset
from .formulas import dimension_of

__all__ = ["Probes", "children_points", "unit_dimension"]


def children_points(group: Group, points: Mapping[str, Decimal]) -> Decimal:
    """``group.children_points`` from each child's 分值 in ``points`` (``Ruleset.points``)."""
    summed = [points[c.id] for c in group.children if adds_up(c)] or [Decimal(0)]
    return max(summed) if group.select == "one_of" else sum(summed, Decimal(0))


def unit_dimension(unit: str | None, ruleset: Ruleset) -> dict[str, int]:
    """``dimension_of(unit, ruleset.unit_system)``, computed once per unit text (a copy:
    callers may change it)."""
    known: dict[str | None, dict[str, int]] = ruleset.memo.setdefault("check-dimensions", {})
    dim = known.get(unit)
    if dim is None:
        dim = known[unit] = dimension_of(unit, ruleset.unit_system)
    return dict(dim)


class Probes:
    """Given and derived values of check's zero-denominator probes (``values``), as deriving
    every derived fact from the probe's facts would give them.

    The derived facts a probe's facts do not reach keep their value with no fact given,
    computed once: each probe derives only those it reaches, in order, into that one dict
    and restores it afterwards (a copy per probe would make 2 000 rates' probes quadratic).
    When the no-fact derivation fails, every probe derives them all, raising it again.
    """

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        # derived fact -> position; fact -> derived facts reading it; values with no fact
        self._index: tuple[dict[str, int], dict[str, list[str]],
                           dict[str, object] | None] | None = None

    def _built(self) -> tuple[dict[str, int], dict[str, list[str]], dict[str, object] | None]:
        from ..engine.evaluation import derive

        if self._index is None:
            derived = self.ruleset.derived
            order = {name: i for i, (name, _f) in enumerate(derived)}
            feeds: dict[str, list[str]] = {}
            for name, formula in derived:
                for read in formula.names:
                    feeds.setdefault(read, []).append(name)
            start: dict[str, object] = {}
            base: dict[str, object] | None = start
            try:
                for name, formula in derived:
                    start[name] = derive(formula, start)
            except Exception:  # noqa: BLE001 - the slow path raises it again, per probe
                base = None
            self._index = (order, feeds, base)
        return self._index

    @contextmanager
    def values(self, facts: dict[str, object]) -> Iterator[dict[str, object]]:
        """The values of ``facts`` given (converted as evaluation does) and every derived
        fact, for use inside the block only."""
        from ..engine.evaluation import derive
        from ..engine.plan import plan_of

        ruleset = self.ruleset
        given: dict[str, object] = dict(plan_of(ruleset).coerce(facts).values)
        order, feeds, base = self._built()
        if base is None:
            for name, formula in ruleset.derived:
                given[name] = derive(formula, given)
            yield given
            return
        reached: set[str] = set()
        todo = [n for n in facts if n in feeds]
        while todo:
            for nxt in feeds.get(todo.pop(), ()):
                if nxt not in reached:
                    reached.add(nxt)
                    todo.append(nxt)
        saved: dict[str, object] = {}
        formulas = ruleset.derived
        try:
            base.update(given)  # given names are never derived ones: new keys, last
            for i in sorted(order[n] for n in reached):
                name, formula = formulas[i]
                saved.setdefault(name, base[name])
                base[name] = derive(formula, base)
            yield base
        finally:
            for name in given:
                base.pop(name, None)
            base.update(saved)
