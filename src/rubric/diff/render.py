"""The diff of two rulesets and of a batch as JSON-ready dicts and zh/en text."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeAlias

from ..text import display_width, fmt, range_text, zh_en

# The shapes rendered (``rulesets``/``batch`` import this module, not the other way).
BatchDiff: TypeAlias = Any
UnitChange: TypeAlias = Any
NodeChange: TypeAlias = Any
Probe: TypeAlias = Any
RulesetDiff: TypeAlias = Any

__all__ = ["batch_diff_dict", "batch_diff_text", "ruleset_diff_dict", "ruleset_diff_text"]

#: probes listed per row in text (JSON lists them all)
TEXT_PROBES = 8


def _num(x: Decimal | None) -> str | None:
    return None if x is None else fmt(x)


def _meta(ruleset: Any) -> dict[str, Any]:
    m = ruleset.metadata
    return {"id": m.id, "name": m.name, "version": m.version, "fiscal_year": m.fiscal_year,
            "valid_from": None if m.valid_from is None else m.valid_from.isoformat(),
            "valid_until": None if m.valid_until is None else m.valid_until.isoformat()}


def _probe_dict(p: Probe) -> dict[str, Any]:
    return {"facts": {k: fmt(v) for k, v in p.values.items()}, "old": _num(p.old),
            "new": _num(p.new)}


def _node_dict(c: NodeChange) -> dict[str, Any]:
    out: dict[str, Any] = {
        "old_id": c.old_id, "new_id": c.new_id, "old_name": c.old_name,
        "new_name": c.new_name, "old_points": _num(c.old_points),
        "new_points": _num(c.new_points), "matched_by": c.matched_by,
        "old_path": list(c.old_path), "new_path": list(c.new_path),
        "added": c.added, "removed": c.removed, "renamed": c.renamed,
        "reweighted": c.reweighted, "moved": c.moved}
    if c.kind == "indicator":
        out.update({"rule_changed": c.rule_changed, "probed": c.probed,
                    "probes": [_probe_dict(p) for p in c.probes],
                    "unit_changed": list(c.unit_changed)})
    return out


def ruleset_diff_dict(d: RulesetDiff, lang: str = "zh") -> dict[str, Any]:
    return {"format": "rubric.diff/1", "old": _meta(d.old), "new": _meta(d.new),
            "changed": d.changed, "counts": d.counts(),
            "rows": [_node_dict(c) for c in d.rows if c.changed],
            "groups": [_node_dict(c) for c in d.groups if c.changed],
            "policy_changed": d.policy_changed, "facts_added": list(d.facts_added),
            "facts_removed": list(d.facts_removed), "text": ruleset_diff_text(d, lang)}


def _title(ruleset: Any, lang: str) -> str:
    m = ruleset.metadata
    bits = [b for b in (m.version and zh_en(lang, f"版本 {m.version}", f"version {m.version}"),
                        m.fiscal_year and str(m.fiscal_year)) if b]
    name = m.name or m.id or zh_en(lang, "（未命名）", "(unnamed)")
    return name + (f"（{'，'.join(bits)}）" if lang != "en" and bits
                   else f" ({', '.join(bits)})" if bits else "")


def _value(value: object, unit: str | None) -> str:
    if unit is None or type(value) is not Decimal:
        return fmt(value)
    return fmt(value) + (unit if unit == "%" else f" {unit}")


def _probe_text(p: Probe, lang: str, units: Mapping[str, str]) -> str:
    facts = zh_en(lang, "，", ", ").join(f"{k} = {_value(v, units.get(k))}"
                                        for k, v in p.values.items())
    none = zh_en(lang, "不计分", "no score")
    old = none if p.old is None else fmt(p.old)
    return f"{facts}: {old} → {none if p.new is None else fmt(p.new)}"


def _node_lines(c: NodeChange, lang: str, units: Mapping[str, str]) -> list[str]:
    what = zh_en(lang, "行", "row") if c.kind == "indicator" else zh_en(lang, "组", "group")
    if c.added or c.removed:
        sign, path = ("+", c.new_path) if c.added else ("-", c.old_path)
        points = c.new_points if c.added else c.old_points
        tail = f" [{'/'.join(path)}]" if path else ""
        zh_word, en_word = ("新增", "added") if c.added else ("删除", "removed")
        return [zh_en(lang, f"{sign} {zh_word}{what} {c.name}（{fmt(points)} 分）{tail}",
                      f"{sign} {en_word} {what} {c.name} ({fmt(points)} points){tail}")]
    out = []
    if c.renamed:
        by = zh_en(lang, "按编号" if c.matched_by == "id" else "按名称",
                   "matched by id" if c.matched_by == "id" else "matched by name")
        ids = "" if c.old_id == c.new_id else f" [{c.old_id} → {c.new_id}]"
        out.append(f"~ {zh_en(lang, '改名', 'renamed')} {c.old_name} → {c.new_name}{ids}"
                   + zh_en(lang, f"（{by}）", f" ({by})"))
    if c.moved:
        out.append(f"~ {zh_en(lang, '移动', 'moved')} {c.name}: "
                   f"{'/'.join(c.old_path)} → {'/'.join(c.new_path)}")
    if c.reweighted:
        out.append(f"~ {zh_en(lang, '分值', 'points')} {c.name}: {fmt(c.old_points)} → "
                   f"{fmt(c.new_points)}")
    if c.rule_changed:
        out.append(f"~ {zh_en(lang, '评分规则变动', 'rule changed')} {c.name}")
    if c.unit_changed:
        out.append("    " + zh_en(lang, "事实的单位或类型变了，未逐点比较："
                                  + "、".join(c.unit_changed),
                                  "a fact's unit or type changed, not probed: "
                                  + ", ".join(c.unit_changed)))
    elif c.rule_changed or c.reweighted:
        if c.probes:
            out.append("    " + zh_en(lang, f"得分不同之处（{len(c.probes)}/{c.probed} 个测点）：",
                                      f"scores that differ ({len(c.probes)} of {c.probed} "
                                      "probes):"))
            out += ["      " + _probe_text(p, lang, units) for p in c.probes[:TEXT_PROBES]]
            if len(c.probes) > TEXT_PROBES:
                out.append("      " + zh_en(lang, f"…另有 {len(c.probes) - TEXT_PROBES} 处",
                                            f"… and {len(c.probes) - TEXT_PROBES} more"))
        elif c.probed:
            out.append("    " + zh_en(lang, f"在 {c.probed} 个测点上得分相同",
                                      f"the same scores at all {c.probed} probes"))
    return out


def ruleset_diff_text(d: RulesetDiff, lang: str = "zh") -> str:
    n = d.counts()
    lines = [zh_en(lang, "规则集比较：", "Ruleset diff: ") + f"{_title(d.old, lang)} → "
             f"{_title(d.new, lang)}",
             zh_en(lang, f"行：新增 {n['added']}，删除 {n['removed']}，改名 {n['renamed']}，"
                         f"分值变动 {n['reweighted']}，规则变动 {n['rule_changed']}，"
                         f"未变 {n['unchanged']}",
                   f"rows: {n['added']} added, {n['removed']} removed, {n['renamed']} "
                   f"renamed, {n['reweighted']} re-weighted, {n['rule_changed']} with "
                   f"another rule, {n['unchanged']} unchanged")]
    for c in (*d.rows, *d.groups):
        if c.changed:
            lines += _node_lines(c, lang, {**d.old.units, **d.new.units})
    if d.facts_added:
        lines.append(zh_en(lang, "新增事实：", "facts added: ")
                     + zh_en(lang, "、", ", ").join(d.facts_added))
    if d.facts_removed:
        lines.append(zh_en(lang, "删除事实：", "facts removed: ")
                     + zh_en(lang, "、", ", ").join(d.facts_removed))
    if d.policy_changed:
        lines.append(zh_en(lang, "评分政策（取整、等级、总分等）有变动",
                           "the policy (rounding, grades, total points …) changed"))
    if not d.changed:
        lines.append(zh_en(lang, "两个规则集相同", "the two rulesets are the same"))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- batch


def _total(low: Decimal | None, high: Decimal | None) -> str | None:
    if low is None or high is None:
        return None
    return range_text(low, high)


def _unit_dict(u: UnitChange) -> dict[str, Any]:
    return {"row": u.row, "unit": u.unit, "old_total": _total(u.old_low, u.old_high),
            "new_total": _total(u.new_low, u.new_high), "delta": _num(u.delta),
            "old_grade": u.old_grade, "new_grade": u.new_grade, "score": u.score_move,
            "grade": u.grade_move, "error": u.error}


def batch_diff_dict(b: BatchDiff, lang: str = "zh") -> dict[str, Any]:
    return {"units": [_unit_dict(u) for u in b.units], "summary": b.summary(),
            "text": summary_text(b.summary(), lang)}


def summary_text(s: Mapping[str, Any], lang: str = "zh") -> str:
    moves = zh_en(lang, "，", ", ").join(f"{k} {v}" for k, v in s["transitions"].items())
    return zh_en(
        lang,
        f"汇总：{s['units']} 个单位；得分变动 {s['score_changed']}（升 {s['score_up']}，降 "
        f"{s['score_down']}）；等级变动 {s['grade_changed']}（升 {s['grade_up']}，降 "
        f"{s['grade_down']}），等级升降未定 {s['grade_unknown']}；出错 {s['errors']}"
        + (f"\n等级迁移：{moves}" if moves else ""),
        f"summary: {s['units']} units; score changed {s['score_changed']} (up "
        f"{s['score_up']}, down {s['score_down']}); grade changed {s['grade_changed']} (up "
        f"{s['grade_up']}, down {s['grade_down']}), grade move unknown {s['grade_unknown']}; "
        f"errors {s['errors']}" + (f"\ngrade moves: {moves}" if moves else ""))


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def batch_diff_text(b: BatchDiff, lang: str = "zh", *, changed_only: bool = False) -> str:
    head = [zh_en(lang, "行", "row"), zh_en(lang, "单位", "unit"),
            zh_en(lang, "原得分", "old"), zh_en(lang, "新得分", "new"),
            zh_en(lang, "变动", "change"), zh_en(lang, "原等级", "old grade"),
            zh_en(lang, "新等级", "new grade")]
    rows = [head]
    for u in b.units:
        if changed_only and u.error is None and u.score_move == "same" \
                and u.grade_move == "same":
            continue
        if u.error is not None:
            rows.append([str(u.row), u.unit, zh_en(lang, "出错：", "error: ") + u.error])
            continue
        delta = u.delta
        rows.append([str(u.row), u.unit, _total(u.old_low, u.old_high) or "",
                     _total(u.new_low, u.new_high) or "",
                     ("" if delta is None else ("+" if delta > 0 else "") + fmt(delta)),
                     u.old_grade or "", u.new_grade or ""])
    widths = [max(display_width(r[i]) for r in rows if i < len(r) and len(r) > 3)
              for i in range(len(head))]
    lines = ["  ".join(_pad(c, widths[i]) if len(r) > 3 else c for i, c in enumerate(r))
             .rstrip() for r in rows]
    return "\n".join([*lines, summary_text(b.summary(), lang)]) + "\n"
