"""A row's own options and the table's vetoes, as ruleset files write them.

Row keys beside ``rule`` (``rubric.rules.row_options``): ``veto: {fact, text}``,
``if_not_applicable: full | renormalise | {points: N} | {to: [ids]}``, ``precision: N``,
``rounding`` and ``adds: false``;
the row's rule becomes a ``RowOptions`` holding them. The top-level ``vetoes:`` list holds
the table's (``rubric.vetoes.TableVeto``: ``{fact, text, effect: zero | grade, grade}``).
Every problem is reported at its ``file:line`` with the loader's others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import RulesetError
from ..rules.row_options import IfNotApplicable, RowOptions, Veto
from ..vetoes import TableVeto, check_vetoes
from .field_types import describe
from .sections import PathT, SectionLoader, checked_items

__all__ = ["ROW_KEYS", "read_row_options", "read_vetoes", "row_options_data"]

#: the keys of an indicator that are the row's own options
ROW_KEYS = ("veto", "if_not_applicable", "precision", "rounding", "adds")
_TABLE_EXAMPLE = "vetoes: [{fact: 重大安全事故, text: 出现重大安全事故的，总分计0分, effect: zero}]"



def _if_not_applicable(loader: SectionLoader, raw: object, path: PathT, ind: str | None) -> Any:
    if isinstance(raw, str):
        raw = {"reading": raw}
    elif isinstance(raw, dict) and "reading" not in raw:
        raw = {"reading": "move" if "to" in raw else "points", **raw}
    if not isinstance(raw, dict):
        loader.problem(f"if_not_applicable must be full, renormalise, {{points: N}} or "
                       f"{{to: [ids]}}, got {describe(raw)}", path, indicator=ind,
                       expected="full, renormalise, {points: N} or {to: [ids of siblings]}",
                       example="if_not_applicable: {points: 2}")
        return None
    return loader.build(IfNotApplicable, raw, path, "if_not_applicable", ind)


def read_row_options(loader: SectionLoader, data: Mapping[str, Any], path: PathT, ind: str | None,
                     rule: Any) -> tuple[Any, bool]:
    """The row's rule with its options (the rule itself when it has none), and whether
    they read without problems."""
    given = {k: data[k] for k in ROW_KEYS if k in data}
    if given and "rule" not in data:  # assessed: false — nothing is scored to apply them to
        loader.problem(f"'{next(iter(given))}' is an option of a row's rule, and this row has "
                       "none", (*path, next(iter(given))), indicator=ind,
                       expected="a rule, or no row options with assessed: false",
                       example="rule: {kind: boolean, fact: X, yes_points: 5}")
        return None, False
    if not given or rule is None:
        return rule, True
    kwargs: dict[str, Any] = {}
    ok = True
    if "veto" in given:
        kwargs["veto"] = loader.build(Veto, given["veto"], (*path, "veto"), "veto", ind)
        ok = kwargs["veto"] is not None
    if "if_not_applicable" in given:
        kwargs["if_not_applicable"] = _if_not_applicable(
            loader, given["if_not_applicable"], (*path, "if_not_applicable"), ind)
        ok = ok and kwargs["if_not_applicable"] is not None
    for key in ("precision", "rounding", "adds"):
        if key in given:
            kwargs[key] = given[key]
    if not ok:
        return None, False
    try:
        return RowOptions(rule, **kwargs), True
    except RulesetError as exc:
        at = next((k for k in ROW_KEYS if k in exc.message or k in (exc.example or "")), None)
        loader.from_error(exc, (*path, at) if at in given else path, ind)
        return None, False


def row_options_data(rule: Any) -> tuple[Any, dict[str, Any]]:
    """The row's own rule and its options as keys of the row (``dump_ruleset``)."""
    if not isinstance(rule, RowOptions):
        return rule, {}
    out: dict[str, Any] = {}
    if rule.veto is not None:
        out["veto"] = {"fact": rule.veto.fact, **({"text": rule.veto.text} if rule.veto.text
                                                  else {})}
    na = rule.if_not_applicable
    if na is not None:
        out["if_not_applicable"] = {"points": na.points} if na.reading == "points" \
            else {"to": list(na.to)} if na.reading == "move" else na.reading
    if rule.precision is not None:
        out["precision"] = rule.precision
    if rule.rounding is not None:
        out["rounding"] = rule.rounding
    if not rule.adds:
        out["adds"] = False
    return rule.rule, out


def read_vetoes(loader: SectionLoader, value: object, specs: Mapping[str, Any],
                grades: tuple[str, ...]) -> list[TableVeto]:
    """The table's vetoes of the section ``value`` (None: none), each reading a declared
    yes/no fact (``specs``) and capping at one of ``grades``."""
    return checked_items(
        loader, TableVeto, value, "vetoes", "veto",
        lambda built: check_vetoes((built,), specs, grades),
        lambda exc, _item: "grade" if "caps the grade" in exc.message else "fact",
        expected="a list of vetoes", example=_TABLE_EXAMPLE)

