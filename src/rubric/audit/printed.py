"""Printed facts and derived values (the claimed file's ``printed``) checked against the facts.

A filed table prints the values its rows were scored on: the 执行率 ``86%`` beside a
computed 86.2037 %. A printed value agrees when the computed value, in the printed unit,
rounds (half-up) to it at the printed precision (``86%``: whole percent; ``86.20%``: two
decimals); otherwise it is a ``printed_mismatch`` on every row that reads the fact
(directly, or through a derived fact computed from it), never an aborted audit. A value
the facts do not settle cannot be checked and says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs

from ..engine.evaluation import Result
from ..errors import Problem, RubricError
from ..facts import suggest
from ..text import fmt
from ..text import zh_en as _zh_en
from ..tree import Ruleset
from ..units import conversion_factor
from .claimed import Claimed, PrintedValue, claim_at

__all__ = ["PrintedCheck", "check_printed", "printed_problems", "rows_of"]


@attrs.frozen
class PrintedCheck:
    """One printed value against the facts: ``computed`` is the facts' value in the
    printed unit (None when the facts do not settle it), ``agrees`` None when it cannot
    be checked; ``rows`` are the ids of the rows that read the fact."""

    fact: str
    printed: PrintedValue
    computed: Decimal | None
    agrees: bool | None
    message: str
    where: str | None
    rows: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"fact": self.fact, "printed": self.printed.text,
                "computed": None if self.computed is None else fmt(self.computed),
                "decimals": self.printed.decimals, "agrees": self.agrees,
                "message": self.message, "where": self.where, "rows": list(self.rows)}


@attrs.frozen
class _At:
    """Where a printed value was written, as ``Problem`` fields."""

    file: str | None
    line: int | None
    path: str

    def fields(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "path": self.path}


def _unit(ruleset: Ruleset, name: str) -> str | None:
    return ruleset.units.get(name)


def printed_problems(ruleset: Ruleset, claimed: Claimed) -> Iterator[Problem]:
    """The printed values that name no number fact of the ruleset, or are printed in a
    unit of another kind than the fact's (at their ``file:line``)."""
    specs = ruleset.specs
    for name, shown in claimed.printed.items():
        file, line = claim_at(claimed, f"printed.{name}")
        at = _At(file, line, f"$.printed.{name}")
        spec = specs.get(name)
        if spec is None:
            hint = suggest(name, specs)
            yield Problem(f"'{name}' is not a fact of ruleset "
                          f"'{ruleset.metadata.id or ruleset.root.id}'"
                          + (f" (did you mean '{hint}'?)" if hint else ""),
                          expected="a fact declared (or derived) by the ruleset",
                          example=f"{hint or next(iter(specs), '预算执行率')}: 86%", **at.fields())
            continue
        if spec.type != "number":
            yield Problem(f"'{name}' is a {spec.type} fact; only numbers are checked as "
                          "printed", expected="a number fact", example="预算执行率: 86%",
                          **at.fields())
            continue
        if shown.unit is not None:
            try:
                conversion_factor(_unit(ruleset, name), shown.unit, ruleset.unit_system)
            except RubricError:
                unit = _unit(ruleset, name) or "a pure number"
                yield Problem(f"'{name}' is printed in {shown.unit}, but the fact is in {unit}",
                              expected=f"a value in {unit} or a unit of the same kind",
                              example=f"{name}: {shown.number}{_unit(ruleset, name) or ''}",
                              **at.fields())


def _reading(ruleset: Ruleset, name: str) -> tuple[str, ...]:
    """The ids of the rows that read ``name``: directly or through a derived fact."""
    rows = []
    for node in ruleset.indicators():
        inputs = tuple(node.rule.inputs)
        if name in inputs or name in ruleset.base_inputs(inputs):
            rows.append(node.id)
    return tuple(rows)


def check_printed(ruleset: Ruleset, result: Result, claimed: Claimed, lang: str
                  ) -> tuple[PrintedCheck, ...]:
    """Every printed value checked against the facts, in the claimed file's order."""
    out = []
    for name, shown in claimed.printed.items():
        rows = _reading(ruleset, name)
        where = claimed.where(f"printed.{name}")
        value = result.value(name)
        unit = shown.unit if shown.unit is not None else (_unit(ruleset, name) or "")
        unit = unit if unit in ("", "%") else " " + unit  # 86%, 172.4 万元
        printed = shown.text if shown.unit is not None else shown.text + unit
        if not isinstance(value, Decimal) or not value.is_finite():
            out.append(PrintedCheck(name, shown, None, None, _zh_en(
                lang, f"印刷 {name} {printed}：事实未给出，无法核对",
                f"printed {name} {printed}: the facts do not give it, not checked"),
                where, rows))
            continue
        factor = (Decimal(1) if shown.unit is None else
                  conversion_factor(_unit(ruleset, name), shown.unit, ruleset.unit_system))
        computed = value * factor
        q = Decimal(1).scaleb(-shown.decimals)
        at_precision = computed.quantize(q, ROUND_HALF_UP)
        agrees = at_precision == shown.number
        exact = computed.quantize(Decimal(1).scaleb(-max(shown.decimals + 2, 2)),
                                  ROUND_HALF_UP)
        got = ("" if exact == computed else "≈") + f"{exact:f}" + unit
        if agrees:
            message = _zh_en(lang, f"印刷 {name} {printed} 与事实一致（计算 {got}）",
                             f"printed {name} {printed} agrees with the facts ({got})")
        else:
            message = _zh_en(
                lang, f"印刷 {name} {printed} ≠ 按事实计算 {got}（按印刷精度为 "
                f"{at_precision:f}{unit}）",
                f"printed {name} {printed} ≠ {got} from the facts ({at_precision:f}{unit} "
                "at the printed precision)")
        out.append(PrintedCheck(name, shown, computed, agrees, message, where, rows))
    return tuple(out)


def rows_of(checks: tuple[PrintedCheck, ...]) -> dict[str, list[PrintedCheck]]:
    """The disagreeing printed values by the id of each row reading them."""
    out: dict[str, list[PrintedCheck]] = {}
    for check in checks:
        if check.agrees is False:
            for row in check.rows:
                out.setdefault(row, []).append(check)
    return out

