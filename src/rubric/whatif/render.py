"""The what-if as JSON (``rubric.what_if/1``, docs/result-format.md "What if") and as text
in Chinese or English (``rubric score --what-if``)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..text import fmt, show, zh_en

__all__ = ["change_text", "what_if_dict", "what_if_text"]


def _json(value: object) -> object:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (Decimal, _dt.date)):
        return fmt(value)
    return str(value)


def _opt(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def _value(value: object, unit: str | None, lang: str) -> str:
    if isinstance(value, bool):
        return zh_en(lang, "是" if value else "否", "yes" if value else "no")
    text = fmt(value)
    if unit is None or not isinstance(value, Decimal):
        return text
    return f"{text}%" if unit in ("%", "percent") else f"{text} {unit}"


def _delta(change: Any, unit: str | None, lang: str) -> str:
    d = change.delta
    if d is None:
        return ""
    sign = "+" if d > 0 else ""
    if isinstance(change.new, _dt.date):
        word = zh_en(lang, " 天", " day(s)")
    elif unit in ("%", "percent"):
        word = zh_en(lang, " 个百分点", " percentage points")
    else:
        word = f" {unit}" if unit else ""
    amount = f"{sign}{fmt(d)}{word}"
    if change.open:
        return zh_en(lang, f"（变动须大于 {amount}）", f" (a change of more than {amount})")
    return zh_en(lang, f"（{amount}）", f" ({amount})")


def _span(low: Decimal, high: Decimal | None) -> str:
    return fmt(low) if high is None or high == low else f"{fmt(low)}–{fmt(high)}"


def _gain(change: Any, lang: str) -> str:
    """What the change gives: the row's score, or its range (the evaluator then picks the
    score inside the band); in a ``sum`` row, the part it lifts first."""
    ranged = change.high is not None
    points = _span(change.points, change.high)
    full = change.target == "full"
    if change.part is not None:
        lo, hi = change.part_points
        part_full = change.part_target == "full"
        head = zh_en(lang, f"第 {change.part} 项可得" + ("满分 " if part_full else " ")
                     + f"{_span(lo, hi)} 分" + ("" if part_full else "（该项下一档）") + "，",
                     f"gives part {change.part} " + ("full marks, " if part_full
                                                      else "its next band, ")
                     + f"{_span(lo, hi)} points; ")
        if full and not ranged:
            row = zh_en(lang, f"本行可得满分 {points} 分", f"the row full marks, {points} points")
        else:
            row = zh_en(lang, f"本行 {points} 分" + ("（可达满分）" if full else ""),
                        f"the row {points} points" + (" (full marks possible)" if full else ""))
        tail = zh_en(lang, "（档内得分由评价人选定）", " (the evaluator picks the score "
                     "within the band)") if ranged else ""
        return head + row + tail
    if ranged:
        if full:
            return zh_en(lang, f"可得 {points} 分（可达满分，档内得分由评价人选定）",
                         f"gives {points} points (full marks possible; the evaluator picks "
                         "the score within the band)")
        return zh_en(lang, f"可得 {points} 分（下一档，档内得分由评价人选定）",
                     f"gives the next band, {points} points (the evaluator picks the score "
                     "within the band)")
    if full:
        return zh_en(lang, f"可得满分 {points} 分", f"gives full marks, {points} points")
    return zh_en(lang, f"可得 {points} 分（下一档）", f"gives the next band, {points} points")


def change_text(change: Any, units: Mapping[str, str], lang: str = "zh") -> str:
    """``服务对象满意度 88% → 90%（+2 个百分点）可得满分 3 分``."""
    unit = units.get(change.fact)
    new = _value(change.new, unit, lang)
    if change.open:
        up = change.up is not False
        new = zh_en(lang, ("超过 " if up else "低于 ") + new, ("above " if up else "below ") + new)
    if not change.exact:
        new += zh_en(lang, "（精确到 0.0001）", " (to 0.0001)")
    head = f"{change.fact} {_value(change.old, unit, lang)} → {new}{_delta(change, unit, lang)}"
    gain = _gain(change, lang)
    text = f"{head}{gain}" if lang == "zh" and head.endswith("）") else f"{head} {gain}"
    if change.via is not None:
        needed = _value(change.via_value, units.get(change.via), lang)
        text += zh_en(lang, f"（使 {change.via} 达到 {needed}，其他不变）",
                      f" (bringing {change.via} to {needed}, the rest unchanged)")
    return text


def _change_dict(change: Any, units: Mapping[str, str], lang: str) -> dict[str, Any]:
    return {
        "fact": change.fact,
        "from": _json(change.old),
        "to": _json(change.new),
        "delta": _opt(change.delta),
        "open": change.open,
        "exact": change.exact,
        "direction": None if change.up is None else ("up" if change.up else "down"),
        "target": change.target,
        "points": fmt(change.points),
        "high": fmt(change.points if change.high is None else change.high),
        "part": None if change.part is None else {
            "number": change.part, "target": change.part_target,
            "low": fmt(change.part_points[0]), "high": fmt(change.part_points[1])},
        "via": change.via,
        "via_value": _json(change.via_value) if change.via is not None else None,
        "message": change_text(change, units, lang),
    }


def what_if_dict(w: Any, lang: str = "zh") -> dict[str, Any]:
    """The what-if as JSON-ready data (``rubric.what_if/1``)."""
    units = w.result.ruleset.units
    grade = w.grade
    return {
        "format": "rubric.what_if/1",
        "rows": [{
            "id": r.id,
            "name": r.name,
            "score": _opt(r.score),
            "low": fmt(r.low),
            "high": fmt(r.high),
            "max_points": fmt(r.max_points),
            "missing_facts": list(r.missing),
            "changes": [_change_dict(c, units, lang) for c in r.changes],
            "pieces": [{"fact": p.fact, "values": p.values, "unit": units.get(p.fact),
                        "low": fmt(p.low), "high": fmt(p.high)} for p in r.pieces],
        } for r in w.rows],
        "grade": None if grade is None else {
            "total": fmt(grade.total),
            "grade": grade.grade,
            "next_grade": grade.next_grade,
            "threshold": fmt(grade.threshold),
            "reachable": grade.reachable,
            "reached": _opt(grade.reached),
            "reached_grade": grade.reached_grade,
            "method": "greedy",
            "steps": [{"row": rid, "change": _change_dict(c, units, lang),
                       "value": _json(c.concrete())} for rid, c in grade.steps],
        },
        "text": what_if_text(w, lang),
    }


def _score(r: Any) -> str:
    if r.low == r.high:
        return show(r.low)
    return f"{show(r.low)}–{show(r.high)}"


def what_if_text(w: Any, lang: str = "zh") -> str:
    """The suggestions, one row per block, then the grade plan."""
    units = w.result.ruleset.units
    lines = [zh_en(lang, "假如（怎样提高得分）：", "What would it take:")]
    for r in w.rows:
        head = f"- {r.name} [{_score(r)}/{fmt(r.max_points)}]"
        if r.low < r.high and not r.missing:
            head += zh_en(lang, "（区间：评价人在档内选定得分）",
                          " (a range: the evaluator picks the score within the band)")
        if r.changes:
            lines.append(head + ":" if lang == "en" else head + "：")
            lines += ["    " + change_text(c, units, lang) for c in r.changes]
        elif r.pieces:
            fact = r.pieces[0].fact
            lines.append(head + zh_en(lang, f"：缺少 {fact}，取值与得分：",
                                      f": {fact} is missing; its values and scores:"))
            unit = units.get(fact)
            values = f" {unit}" if unit else ""
            lines += [f"    {fact} {p.values}{values} → {_score(p)} " + zh_en(lang, "分", "points")
                      for p in r.pieces]
        elif r.missing:
            lines.append(head + zh_en(lang, "：需要 " + "、".join(r.missing),
                                      ": needs " + ", ".join(r.missing)))
        else:
            lines.append(head + zh_en(lang, "：单改一项事实无法提高",
                                      ": no change of one fact raises it"))
    g = w.grade
    if g is not None:
        lines.append(zh_en(
            lang,
            f"总分 {fmt(g.total)}（{g.grade}）→ {fmt(g.threshold)}（{g.next_grade}）需要"
            "（建议：依次取增分最多的一项，非唯一方案）：",
            f"total {fmt(g.total)} ({g.grade}) → {fmt(g.threshold)} ({g.next_grade}) needs "
            "(a suggestion: the largest gain first; not the only plan):"))
        names = {r.id: r.name for r in w.rows}
        for i, (rid, c) in enumerate(g.steps, start=1):
            line = f"  {i}. {names.get(rid, rid)}: " + change_text(c, units, lang)
            if c.open:
                value = _value(c.concrete(), units.get(c.fact), lang)
                line += zh_en(lang, f"（取 {value}）", f" (taking {value})")
            lines.append(line)
        if g.reachable:
            lines.append(zh_en(lang, f"  改后总分 {fmt(g.reached)}（{g.reached_grade}）",
                               f"  total then {fmt(g.reached)} ({g.reached_grade})"))
        else:
            lines.append(zh_en(lang, "  单项事实的改变不足以达到该等级",
                               "  changes of single facts do not reach it"))
    elif w.result.score is not None and w.result.grade == w.result.ruleset.policy.grades[0].name:
        lines.append(zh_en(lang, f"总分 {fmt(w.result.score)}（{w.result.grade}）：已是最高等级",
                           f"total {fmt(w.result.score)} ({w.result.grade}): the best grade"))
    elif w.result.score is None and not w.result.missing and not any(r.missing for r in w.rows):
        # every fact given (none stated only as a state): a range from the evaluator's choice
        total = w.result.total
        lines.append(zh_en(
            lang, f"总分为区间 {_score(total)}：评价人在档内选定得分",
            f"the total is a range, {_score(total)}: the evaluator picks a score within each "
            "tier's band"))
    elif w.result.score is None:
        lines.append(zh_en(lang, "总分未定：先补齐缺少的事实",
                           "the total is not settled: give the missing facts first"))
    return "\n".join(lines) + "\n"
