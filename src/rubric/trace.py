"""Explanations: render a row's structured trace in Chinese (default) or English.

A rule's trace is a tuple of steps ``(type, *args)``; evaluation only records them,
rendering happens when someone asks (``NodeResult.explain``), so explanations cost
nothing on the scoring path. ``STEP_FIELDS`` names each step's arguments; it is the
shape of ``trace`` in the JSON result (see docs/result-format.md).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from .text import LANGS, fmt, show
from .text import pct as _pct

__all__ = ["STEP_FIELDS", "explain_steps", "step_to_dict"]


STEP_FIELDS: Mapping[str, tuple[str, ...]] = {
    "value": ("fact", "value"),
    "derived": ("fact", "formula", "value"),
    "band": ("band", "points"),
    "within": ("deviation", "tolerance", "points", "basis"),
    "deduct": ("deviation", "tolerance", "step", "steps", "per_step", "deducted", "points",
               "basis", "partial", "boundary", "floor"),
    "occurrences": ("count", "per_occurrence", "points"),
    "bool": ("fact", "value", "points"),
    "item": ("item", "value", "points"),
    "item_missing": ("item", "points"),
    "state": ("fact", "value", "points"),
    "ratio": ("ratio", "reverse", "max_points", "points"),
    "zero_over_zero": ("reading", "points"),
    "coefficient": ("coefficient", "max_points", "points"),
    "on_time": ("fact", "value", "points"),
    "deadline": ("fact", "date", "deadline", "inclusive", "days_late", "points"),
    "qualitative": ("fact", "points", "tier"),
    "formula": ("expression", "value", "points"),
    "formula_undefined": ("expression",),
    "missing": ("fact",),
    "unsettled": ("fact", "text"),
    "undefined": ("fact",),
    "not_applicable": ("fact",),
    "range": ("low", "high"),
    "capped": ("points", "max_points"),
    "missing_as_zero": ("points",),
    "rounded": ("exact", "points", "mode"),
    "overachieved": ("ratio", "threshold"),
    "one_of": ("chosen",),
    "renormalised": ("applicable_max", "total_points"),
}


def _json(value: Any) -> Any:
    if isinstance(value, Decimal) or hasattr(value, "label"):
        return fmt(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def step_to_dict(step: tuple[Any, ...]) -> dict[str, Any]:
    """A trace step as a JSON-ready mapping: ``{"type": ..., field: value, ...}``."""
    kind, args = step[0], step[1:]
    fields = STEP_FIELDS.get(kind, tuple(f"arg{i}" for i in range(len(args))))
    out: dict[str, Any] = {"type": kind}
    for name, value in zip(fields, args):
        out[name] = _json(value)
    return out


_ZH_BASIS = {"relative": "按目标值的百分比计步", "absolute": "按绝对值(百分点)计步"}
_EN_BASIS = {"relative": "steps relative to the target", "absolute": "steps in absolute units"}
_ZH_PARTIAL = {"floor": "不足一步不扣", "ceil": "不足一步按一步扣",
               "proportional": "不足一步按比例扣"}
_EN_PARTIAL = {"floor": "partial steps not deducted", "ceil": "a started step counts",
               "proportional": "partial steps pro rata"}
_ZH_BOUNDARY = {"counts": "；恰好整步计入", "excludes": "；恰好整步不计入(须超过)", None: ""}
_EN_BOUNDARY = {"counts": "; exact multiples count", "excludes": "; exact multiples do not count",
                None: ""}
_ZH_ROUND = {"half_up": "四舍五入", "half_even": "四舍六入五成双", "down": "舍去尾数",
             "up": "进一"}
_ZH_00 = {"full": "0/0 视为达标", "zero": "0/0 不得分", "undefined": "0/0 无法计算"}
_EN_00 = {"full": "0/0 read as meeting the standard", "zero": "0/0 scores 0",
          "undefined": "0/0 is undefined"}


def _u(units: Mapping[str, str], fact: str) -> str:
    unit = units.get(fact)
    if not unit:
        return ""
    return "%" if unit in ("%", "percent") else f" {unit}"


Renderer = Callable[[tuple[Any, ...], Mapping[str, str]], str]


def _zh(step: tuple[Any, ...], units: Mapping[str, str]) -> str:
    k, a = step[0], step[1:]
    if k == "value":
        return f"{a[0]} = {show(a[1])}{_u(units, a[0])}"
    if k == "derived":
        return f"{a[0]} = {a[1]} = {fmt(a[2])}{_u(units, a[0])}"
    if k == "band":
        return f"落在区间 {fmt(a[0])}，计 {fmt(a[1])} 分"
    if k == "within":
        return (f"偏差 {fmt(a[0])} 未超过容许值 {fmt(a[1])}，"
                f"计满分 {fmt(a[2])} 分（{_ZH_BASIS[a[3]]}）")
    if k == "deduct":
        dev, tol, step_, steps, per, ded, pts, basis, partial, boundary, floor = a
        extra = f"超出容许值 {fmt(tol)} 后" if tol else ""
        text = (f"偏差 {show(dev)}，{extra}每 {fmt(step_)} 扣 {fmt(per)} 分，计 {show(steps)} 步，"
                f"扣 {show(ded)} 分，得 {show(pts)} 分")
        if pts == floor and ded != 0:
            text += "（扣完为止）"
        return text + f"（{_ZH_BASIS[basis]}；{_ZH_PARTIAL[partial]}{_ZH_BOUNDARY[boundary]}）"
    if k == "occurrences":
        return f"出现 {fmt(a[0])} 例，每例扣 {fmt(a[1])} 分，得 {fmt(a[2])} 分"
    if k == "bool":
        return f"{a[0]}：{fmt(a[1])}，计 {fmt(a[2])} 分"
    if k == "item":
        return f"{a[0]}：{fmt(a[1])}，计 {fmt(a[2])} 分"
    if k == "item_missing":
        return f"{a[0]}：缺少事实（0–{fmt(a[1])} 分）"
    if k == "state":
        return f"{a[0]}：{a[1]}，计 {fmt(a[2])} 分"
    if k == "ratio":
        form = "目标值/实际值" if a[1] else "实际值/目标值"
        return f"完成比例 {form} = {_pct(a[0])}，{fmt(a[2])} 分 × min(1, 比例) = {fmt(a[3])} 分"
    if k == "zero_over_zero":
        tail = f"，计 {fmt(a[1])} 分" if len(a) > 1 else ""
        return f"分子分母均为 0（{_ZH_00[a[0]]}）{tail}"
    if k == "coefficient":
        return f"得分系数 {_pct(a[0])} × 分值 {fmt(a[1])} = {fmt(a[2])} 分"
    if k == "on_time":
        return f"{a[0]}：{'按时完成' if a[1] else '未按时完成'}，计 {fmt(a[2])} 分"
    if k == "deadline":
        incl = "含当日" if a[3] else "不含当日"
        late = "按时完成" if a[4] == 0 else f"逾期 {a[4]} 天"
        return f"{a[0]} = {fmt(a[1])}，期限 {fmt(a[2])}（{incl}），{late}，计 {fmt(a[5])} 分"
    if k == "qualitative":
        tier = f"，属“{a[2]}”档" if a[2] else ""
        return f"评价人给分 {fmt(a[1])}{tier}"
    if k == "formula":
        return f"得分公式 {a[0]} = {fmt(a[1])}，计 {fmt(a[2])} 分"
    if k == "formula_undefined":
        return f"得分公式 {a[0]} 无法计算（分母为 0）"
    if k == "missing":
        return f"缺少事实：{a[0]}"
    if k == "unsettled":
        return f"{a[0]} 为非数值“{a[1]}”，无法定分"
    if k == "undefined":
        return f"{a[0]} 无法计算（0/0）"
    if k == "not_applicable":
        return f"{a[0]} 不适用，不考核"
    if k == "range":
        return f"得分范围 {fmt(a[0])}–{fmt(a[1])} 分"
    if k == "capped":
        return f"{fmt(a[0])} 分超过分值，按 {fmt(a[1])} 分封顶"
    if k == "missing_as_zero":
        return f"按政策缺少事实按最低分计，得 {fmt(a[0])} 分"
    if k == "rounded":
        return f"{fmt(a[0])} {_ZH_ROUND[a[2]]}为 {fmt(a[1])} 分"
    if k == "overachieved":
        return f"注意：完成值为目标的 {_pct(a[0])}，超过 {_pct(a[1])}，目标可能偏低（不扣分）"
    if k == "one_of":
        return f"择一考核：{a[0]}"
    if k == "renormalised":
        return f"不适用指标不考核，适用指标满分 {fmt(a[0])}，按 {fmt(a[1])} 分制折算"
    return " ".join(fmt(x) for x in step)


def _en(step: tuple[Any, ...], units: Mapping[str, str]) -> str:
    k, a = step[0], step[1:]
    yes = {True: "yes", False: "no"}
    if k == "value":
        return f"{a[0]} = {show(a[1])}{_u(units, a[0])}"
    if k == "derived":
        return f"{a[0]} = {a[1]} = {fmt(a[2])}{_u(units, a[0])}"
    if k == "band":
        return f"falls in band {fmt(a[0])}: {fmt(a[1])} points"
    if k == "within":
        return (f"deviation {fmt(a[0])} within tolerance {fmt(a[1])}: full {fmt(a[2])} points "
                f"({_EN_BASIS[a[3]]})")
    if k == "deduct":
        dev, tol, step_, steps, per, ded, pts, basis, partial, boundary, floor = a
        extra = f" beyond the tolerance {fmt(tol)}" if tol else ""
        text = (f"deviation {show(dev)}{extra}: {show(steps)} step(s) of {fmt(step_)} at "
                f"{fmt(per)} each, {show(ded)} deducted, {show(pts)} points")
        if pts == floor and ded != 0:
            text += " (floored)"
        return text + f" ({_EN_BASIS[basis]}; {_EN_PARTIAL[partial]}{_EN_BOUNDARY[boundary]})"
    if k == "occurrences":
        return f"{fmt(a[0])} occurrence(s) at {fmt(a[1])} each: {fmt(a[2])} points"
    if k in ("bool", "item"):
        return f"{a[0]}: {yes[a[1]]}, {fmt(a[2])} points"
    if k == "item_missing":
        return f"{a[0]}: no fact (0-{fmt(a[1])} points)"
    if k == "state":
        return f"{a[0]}: {a[1]}, {fmt(a[2])} points"
    if k == "ratio":
        form = "target/actual" if a[1] else "actual/target"
        return f"ratio {form} = {_pct(a[0])}: {fmt(a[2])} x min(1, ratio) = {fmt(a[3])} points"
    if k == "zero_over_zero":
        tail = f": {fmt(a[1])} points" if len(a) > 1 else ""
        return f"0/0 ({_EN_00[a[0]]}){tail}"
    if k == "coefficient":
        return f"coefficient {_pct(a[0])} x {fmt(a[1])} = {fmt(a[2])} points"
    if k == "on_time":
        return f"{a[0]}: {'on time' if a[1] else 'late'}, {fmt(a[2])} points"
    if k == "deadline":
        incl = "inclusive" if a[3] else "exclusive"
        late = "on time" if a[4] == 0 else f"{a[4]} day(s) late"
        return f"{a[0]} = {fmt(a[1])}, deadline {fmt(a[2])} ({incl}): {late}, {fmt(a[5])} points"
    if k == "qualitative":
        tier = f" (tier '{a[2]}')" if a[2] else ""
        return f"evaluator's score {fmt(a[1])}{tier}"
    if k == "formula":
        return f"score formula {a[0]} = {fmt(a[1])}: {fmt(a[2])} points"
    if k == "formula_undefined":
        return f"score formula {a[0]} is undefined (zero denominator)"
    if k == "missing":
        return f"missing fact: {a[0]}"
    if k == "unsettled":
        return f"{a[0]} is not a number ('{a[1]}'), so it cannot be scored exactly"
    if k == "undefined":
        return f"{a[0]} is undefined (0/0)"
    if k == "not_applicable":
        return f"{a[0]} is not applicable"
    if k == "range":
        return f"score range {fmt(a[0])}-{fmt(a[1])} points"
    if k == "capped":
        return f"{fmt(a[0])} points capped at {fmt(a[1])}"
    if k == "missing_as_zero":
        return f"policy scores missing facts at the minimum: {fmt(a[0])} points"
    if k == "rounded":
        return f"{fmt(a[0])} rounded ({a[2]}) to {fmt(a[1])}"
    if k == "overachieved":
        return (f"note: actual is {_pct(a[0])} of the target, above {_pct(a[1])}; the target "
                "may be set too low (no deduction)")
    if k == "one_of":
        return f"one of several: {a[0]}"
    if k == "renormalised":
        return f"not-applicable rows left out: rescaled from {fmt(a[0])} to {fmt(a[1])} points"
    return " ".join(fmt(x) for x in step)


_RENDERERS: Mapping[str, Renderer] = {"zh": _zh, "en": _en}


def explain_steps(steps: tuple[tuple[Any, ...], ...], lang: str = "zh",
                  units: Mapping[str, str] | None = None) -> str:
    """Render trace steps as one line of text in ``lang`` (``zh`` or ``en``)."""
    try:
        render = _RENDERERS[lang]
    except KeyError:
        raise ValueError(f"unknown language '{lang}'; expected one of {', '.join(LANGS)}") from None
    sep = "；" if lang == "zh" else "; "
    return sep.join(render(step, units or {}) for step in steps)
