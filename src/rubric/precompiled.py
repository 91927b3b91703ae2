"""Formulas compiled once while a ruleset is loaded, reused when its ``Ruleset`` is built.

The loader compiles every derived fact's formula against the declarations to report
its problems at their lines (units checked strictly, which compiles to the same formula
when it passes); ``Ruleset`` compiles them again when it is built. A 10 000-row ruleset
has thousands: ``compiled_formulas`` hands the loader's over for that one construction.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from .expressions import Formula
from .facts import FactSpec

__all__ = ["compiled_for", "compiled_formulas"]

#: formulas already compiled against exactly these fact declarations (``compiled_formulas``)
_COMPILED: ContextVar[tuple[tuple[FactSpec, ...], Mapping[str, Formula]] | None] = ContextVar(
    "rubric_compiled_formulas", default=None)


@contextmanager
def compiled_formulas(facts: Sequence[FactSpec], formulas: Mapping[str, Formula]
                      ) -> Iterator[None]:
    """Inside the block, a ``Ruleset`` over exactly these ``FactSpec`` objects (the same
    objects, in the same order) takes the derived facts' formulas from ``formulas``, by
    fact name, instead of compiling them again (each still checked to be the text and
    the ``what`` of the fact's formula)."""
    token = _COMPILED.set((tuple(facts), formulas))
    try:
        yield
    finally:
        _COMPILED.reset(token)


def compiled_for(facts: tuple[FactSpec, ...]) -> Mapping[str, Formula]:
    """The formulas handed over by ``compiled_formulas`` for exactly ``facts``, or none."""
    given = _COMPILED.get()
    if given is None or len(given[0]) != len(facts) \
            or any(a is not b for a, b in zip(given[0], facts)):
        return {}
    return given[1]
