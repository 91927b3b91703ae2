"""The warnings an audit entry carries, worded for the row's direction.

A row's warnings come with its audit entry: the rule's own (a target exceeded by far),
spending over its budget, and the ruleset's constraints that the facts the row reads
violate. The wording fits what the row measures: a completion ratio far above its
target says the target may be set too low; the same ratio on money (执行数 against 预算数)
is spending over budget, never "目标可能偏低"; a lower-is-better ratio far below its
target says the target may be loose.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from ..engine.evaluation import NodeResult, Result
from ..text import pct
from ..text import zh_en as _zh_en
from ..tree import Indicator, Ruleset
from ..units import dimension

__all__ = ["row_warnings"]

ONE = Decimal(1)


def _money(ruleset: Ruleset, facts: tuple[str, ...]) -> bool:
    """True when every number fact the row rests on (with a unit) is an amount of money."""
    units = ruleset.units
    dims = [dimension(units[f], ruleset.unit_system) for f in facts if f in units]
    return bool(dims) and all(d == "[currency]" for d in dims)


def _ratio(res: NodeResult) -> tuple[Decimal, bool] | None:
    """The completion ratio the row was scored on and whether it is reversed, if any."""
    for step in res.trace:
        if step.type == "ratio":
            return step.ratio, step.reverse  # type: ignore[attr-defined]
    return None


def row_warnings(ruleset: Ruleset, result: Result, node: Indicator, res: NodeResult,
                 lang: str) -> tuple[str, ...]:
    """The warnings of one row: the rule's (worded for its direction), spending over
    budget, and the violated constraints among the facts it reads."""
    inputs = tuple(node.rule.inputs)
    facts = ruleset.base_inputs(inputs)
    money = _money(ruleset, facts)
    ratio = _ratio(res)
    out: list[str] = []
    warned_over = False
    for warning, text in zip(res.warnings, res.explain_warnings(lang)):
        if warning.type == "overachieved":
            warned_over = True
            out.append(_overachieved(warning.ratio, warning.threshold,  # type: ignore[attr-defined]
                                     money, ratio is not None and ratio[1], lang) or text)
        else:
            out.append(text)
    if money and ratio is not None and not ratio[1] and ratio[0] > ONE and not warned_over:
        over = pct(ratio[0] - ONE)
        out.append(_zh_en(lang, f"注意：支出为预算的 {pct(ratio[0])}，超出预算 {over}（得分以满分"
                          "封顶，不扣分）",
                          f"note: spending is {pct(ratio[0])} of the budget, {over} over it "
                          "(the score is capped at full marks, no deduction)"))
    out.extend(_violated(ruleset, result, {*inputs, *facts}))
    return tuple(out)


def _overachieved(ratio: Decimal, threshold: Decimal, money: bool, reverse: bool,
                  lang: str) -> str | None:
    """The over-achievement warning for money (over budget) or a lower-is-better ratio
    (far below the target); None keeps the rule's own wording."""
    if money and not reverse:
        return _zh_en(lang, f"注意：支出为预算的 {pct(ratio)}，超过 {pct(threshold)}：超预算支出"
                      "（不扣分）",
                      f"note: spending is {pct(ratio)} of the budget, above {pct(threshold)}: "
                      "spent over budget (no deduction)")
    if reverse and ratio:
        return _zh_en(lang, f"注意：实际值仅为目标值的 {pct(ONE / ratio)}（越低越好），远低于目标："
                      "目标可能偏松（不扣分）",
                      f"note: actual is only {pct(ONE / ratio)} of the target (lower is "
                      "better), far below it: the target may be set too loosely "
                      "(no deduction)")
    return None


def _violated(ruleset: Ruleset, result: Result, facts: set[str]) -> Iterator[str]:
    """The violated ``warning`` constraints that read any of ``facts``."""
    if not ruleset.checks:
        return
    values: Mapping[str, object] = {**result.facts, **result.derived}
    for check in ruleset.checks:
        if facts & set(check.names) and check.holds(values) is False:
            yield check.describe(values, ruleset.units)
