"""Evaluation's walk of a small ruleset's plan, written out once as straight-line code.

``evaluation._Evaluator.run`` walks the plan in a loop: per step it unpacks the step,
tests what kind it is, whether its row is given as not applicable, whether 分值 moves,
and takes the common case inline (a settled row within its 分值, rounded; a group of
settled, applicable children within its 分值). ``run_builder`` writes that same walk
for one ruleset as one function, each step's constants bound by name: the same rule
calls, comparisons, rounding and sums in the same order, so the records are the same.
Every other case calls the evaluator's own ``indicator`` and ``group``, which the
function is given, so those are scored (and their errors located) exactly as the loop
scores them. The evaluator uses it when the walk has nothing else to do: rows rounded,
no redistribution, no 分值 moving to siblings and no rows given as not applicable.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..policy import ROUNDING_MODES
from ..rules import Outcome
from ..trace import Rounded
from ..tree import Ruleset
from .plan import plan_of
from .result_nodes import STRAIGHT_UP_TO

__all__ = ["Run", "run_builder"]

#: ``run(values, indicator, group) -> records``: the evaluator's bound methods for the
#: cases the straight line does not take
Run = Callable[[dict[str, object], Any, Any], list[Outcome]]


def run_builder(ruleset: Ruleset) -> Run | None:
    """The straight-line walk of ``ruleset``'s plan (kept in its memo), or None when the
    policy does not round rows, redistributes, or the plan has more than
    ``STRAIGHT_UP_TO`` steps."""
    memo = ruleset.memo
    if "run_builder" in memo:
        return memo["run_builder"]  # type: ignore[no-any-return]
    policy = ruleset.policy
    steps = plan_of(ruleset).steps
    run: Run | None = None
    if policy.round_rows and policy.not_applicable != "redistribute" \
            and len(steps) <= STRAIGHT_UP_TO:
        run = _written(ruleset)
    memo["run_builder"] = run
    return run


def _written(ruleset: Ruleset) -> Run:
    policy = ruleset.policy
    steps = plan_of(ruleset).steps
    namespace: dict[str, Any] = {"N": tuple.__new__, "O": Outcome, "RD": Rounded,
                                 "Q": policy.quantum, "M": ROUNDING_MODES[policy.rounding],
                                 "RN": policy.rounding, "ZERO": Decimal(0)}
    lines = ["def run(v, ind, grp):"]
    emit = lines.append
    for i, step in enumerate(steps):
        namespace[f"n{i}"], namespace[f"p{i}"] = step.node, step.max_points
        if step.rule is not None:
            namespace[f"f{i}"] = step.rule
            emit(f"    try: l, h, t, m, w, a = f{i}(v)")
            emit("    except Exception: a = False")  # the general path raises it, located
            emit(f"    if a and not m and h <= p{i} and l == h:")
            emit("        q = l.quantize(Q, M)")
            emit("        if q != l: t = (*t, RD(l, q, RN))")
            emit(f"        r{i} = N(O, (q, q, t, (), w, True))")
            emit(f"    else: r{i} = ind(n{i}, p{i}, f{i})")
            continue
        kids = step.children
        namespace[f"c{i}"] = kids
        general = f"grp(n{i}, p{i}, [{', '.join(f'r{k}' for k in kids)}], c{i})"
        if getattr(step.node, "select", "all") != "all":
            emit(f"    r{i} = {general}")
            continue
        settled = " and ".join(f"r{k}[5] and not r{k}[3]" for k in kids) or "True"
        emit(f"    if {settled}:")  # every child applicable and settled
        emit("        l = ZERO" + "".join(f" + r{k}[0]" for k in kids))
        emit("        h = ZERO" + "".join(f" + r{k}[1]" for k in kids))
        emit(f"        r{i} = N(O, (l, h, (), (), (), True)) if h <= p{i} else {general}")
        emit(f"    else: r{i} = {general}")
    emit("    return [" + ", ".join(f"r{i}" for i in range(len(steps))) + "]")
    exec(compile("\n".join(lines), f"<rubric walk of {ruleset.metadata.id or 'ruleset'}>",
                 "exec"), namespace)
    return namespace["run"]  # type: ignore[no-any-return]
