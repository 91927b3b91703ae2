"""A rule mapping re-stated in plain Chinese, in the one wording ``parse_criterion`` reads back.

``restate(mapping, facts)`` writes every choice the mapping makes, readings included
(step basis, partial steps, boundary, 含当日), so parsing the restatement gives the same
mapping: ``预算调整率为0得5分；大于0且不超过10%得4分；…；大于30%得0分``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..io.ranges import parse_range

__all__ = ["restate"]


def _n(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value).replace(" ", "")


def _q(value: Any, unit: str) -> str:
    """A number with its unit as the text writes it."""
    if isinstance(value, str):
        return value.replace(" ", "")
    return f"{_n(value)}{unit}"


def _band(band: dict[str, Any], unit: str) -> str:
    r = parse_range(band["range"], None) if "range" in band else band
    lo, hi = r["lower"], r["upper"]
    if lo is not None and lo == hi:
        return f"为{_q(lo, unit)}"
    parts = []
    if lo is not None:
        parts.append(f"{'不低于' if r['lower_closed'] else '大于'}{_q(lo, unit)}")
    if hi is not None:
        parts.append(f"{'不超过' if r['upper_closed'] else '低于'}{_q(hi, unit)}")
    return "且".join(parts)


_PARTIAL = {"floor": "不足一步的部分不扣分", "ceil": "不足一步的按一步扣分",
            "proportional": "不足一步的按比例扣分"}
_BOUNDARY = {"counts": "恰为整步的按整步扣", "excludes": "恰为整步的少扣一步"}


def _deduction(m: dict[str, Any], unit: str) -> str:
    side = m["side"]
    target = _q(m["target"], unit)
    base = {"below": f"不低于{target}", "above": f"不超过{target}", "both": f"为{target}"}[side]
    verb = {"below": "少", "above": "超过", "both": "偏离"}[side]
    step = m["step"]
    if m["basis"] == "relative":
        step_text = f"目标值的{_n(step)}%"
    elif unit == "%" and not isinstance(step, str):
        step_text = f"{_n(step)}个百分点"
    else:
        step_text = _q(step, unit)
    notes = [_PARTIAL[m["partial"]]]
    if "boundary" in m:
        notes.append(_BOUNDARY[m["boundary"]])
    return (f"{m['fact']}{base}得{_n(m['points'])}分;每{verb}{step_text}扣{_n(m['per_step'])}分,"
            f"{_floor(m)}({')('.join(notes)})")


def _floor(m: dict[str, Any]) -> str:
    floor = m.get("floor", Decimal(0))
    return "扣完为止" if not floor else f"最多扣{_n(m['points'] - floor)}分"


def restate(mapping: dict[str, Any], facts: dict[str, dict[str, Any]]) -> str:
    """The Chinese restatement of a rule mapping (full-width punctuation)."""
    kind = mapping["kind"]
    text = _restate(kind, mapping, facts)
    return text.replace(";", "；").replace(",", "，").replace("(", "（").replace(")", "）")


def _restate(kind: str, m: dict[str, Any], facts: dict[str, dict[str, Any]]) -> str:
    fact = str(m.get("fact", ""))
    unit = str(facts.get(fact, {}).get("unit", ""))
    if kind == "bands":
        clauses = [f"{_band(b, unit)}得{_n(b['points'])}分" for b in m["bands"]]
        return fact + ";".join(clauses)
    if kind == "deduction":
        return _deduction(m, unit)
    if kind == "per_occurrence":
        return f"满分{_n(m['points'])}分;{fact}每1次扣{_n(m['per_occurrence'])}分,{_floor(m)}"
    if kind == "boolean":
        return f"是否{fact},是得{_n(m['yes_points'])}分,否得{_n(m['no_points'])}分"
    if kind == "categorical":
        states = ";".join(f"{s['value']},{_n(s['points'])}分" for s in m["states"])
        return f"{fact}:{states}"
    if kind == "checklist":
        marks = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
        return ";".join(f"{marks[n]}{i['label']},{_n(i['points'])}分"
                        for n, i in enumerate(m["items"]))
    if kind == "ratio":
        a, t = m["actual"], _n(m["target"])
        expr = f"{t}/{a}" if m.get("reverse") else f"{a}/{t}"
        return f"满分{_n(m['points'])}分;按{expr}*分值计分,最高不超过分值"
    if kind == "coefficient":
        return f"满分{_n(m['points'])}分;按{fact}*分值计分,最高不超过分值"
    if kind == "deadline":
        y, mo, d = (int(x) for x in str(m["deadline"]).split("-"))
        when = f"{fact.removesuffix('完成日期')}在{y}年{mo}月{d}日前完成"
        inc = "(含当日)" if m.get("inclusive", True) else "(不含当日)"
        tail = (f"每推迟1天扣{_n(m['per_day'])}分,扣完为止" if m.get("per_day") is not None
                else f"否则得{_n(m.get('late_points', Decimal(0)))}分")
        return f"{when}{inc}得{_n(m['points'])}分,{tail}"
    if kind == "qualitative":
        tiers = []
        for t in reversed(m["tiers"]):
            lo = f"{_n(t['lower'])}%{'(含)' if t.get('lower_closed', True) else ''}"
            hi = f"{_n(t['upper'])}%{'(含)' if t.get('upper_closed', True) else ''}"
            tiers.append(f"{t['label']}({lo}-{hi})")
        return f"满分{_n(m['points'])}分;{'、'.join(tiers)},由评价人在档内确定得分"
    raise ValueError(kind)  # pragma: no cover - the parser makes only the kinds above
