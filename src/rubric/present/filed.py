"""The filed table (指标完成情况表): its lines, merged cells and cell values, in any format.

The table evaluators file has the columns 一级指标 / 二级指标 / 分值 / 三级指标 /
指标完成情况 / 评价标准 / 分值 / 得分, with 一级 and 二级 cells (and the 二级 分值) merged
over their rows, then 合计 and 等级 rows. Tree levels: nodes at depth 1 are 一级, depth
2 二级 (deeper groups are joined into the 二级 cell with "/"), indicators are 三级. A
row whose facts are missing shows its score range (``0–5``). ``present.xlsx``,
``present.markdown`` and ``present.html`` lay these cells out.

Given an audit of the unit's claimed table (``rubric.audit``), the table is the one the
unit filed, handed back with a review: 得分 holds the unit's claims as printed (empty
where the cell was), and a ninth column 复核 the audit's verdict on each line (一致, or
the classes and why: ``错误：申报 0, 按规则应得 10``) with the row's warnings; notes under
the table say how the rows were rounded and which printed values disagree.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..audit import AuditEntry, AuditReport, status_label
from ..engine.evaluation import NodeResult, Result
from ..text import fact_word, fmt, node_score, word
from ..tree import Group, Indicator
from .summary import grade_text

__all__ = [
    "COLUMNS",
    "REVIEW",
    "FiledRow",
    "claimed_value",
    "columns",
    "grade_review",
    "filed_rows",
    "grade_cells",
    "line_cells",
    "review_notes",
    "review_of",
    "review_text",
    "score_value",
    "table_title",
    "total_cells",
    "under_table",
]

COLUMNS = ("一级指标", "二级指标", "分值", "三级指标", "指标完成情况", "评价标准", "分值", "得分")
#: the column a reviewed table adds after 得分
REVIEW = "复核"


@attrs.frozen
class FiledRow:
    """One indicator line of the filed table, with the groups it sits under.

    ``level1``/``level2`` are (key, name, result) of the 一级/二级 group or None;
    ``span1``/``span2`` are how many rows a merged cell starting here covers (0 when the
    cell is covered by a merge above).
    """

    level1: tuple[str, str, NodeResult] | None
    level2: tuple[str, str, NodeResult] | None
    result: NodeResult
    facts: str
    criterion: str
    span1: int = 1
    span2: int = 1


def score_value(node: NodeResult) -> Decimal | str:
    """The 得分 cell: the exact score (a number in XLSX), else ``node_score``'s text."""
    if node.applicable and node.low == node.high:
        return node.low
    return node_score(node)


def _show(value: object, unit: str | None) -> str:
    """One fact's 指标完成情况 text: exact, long decimals cut to 2 places, unit appended."""
    text = fact_word(value, missing=word("missing"))
    if text is not None:
        return text
    if isinstance(value, Decimal):
        if value.is_finite() and value.as_tuple().exponent < -2:  # type: ignore[operator]
            value = value.quantize(Decimal("0.01"))
        return fmt(value) + (unit or "")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return fmt(value)


def filed_rows(result: Result) -> list[FiledRow]:
    """The filed table's indicator lines in table order, with merge spans computed."""
    ruleset = result.ruleset
    by_id = {n.id: n for n in result.nodes()}
    units = ruleset.units
    rows: list[FiledRow] = []
    path: list[Group] = []
    for node, depth in ruleset.walk():
        del path[max(depth - 1, 0):]
        if isinstance(node, Group):
            if depth > 0:
                path.append(node)
            continue
        assert isinstance(node, Indicator)
        l1 = (path[0].id, path[0].name, by_id[path[0].id]) if path else None
        l2 = None
        if len(path) > 1:
            rest = path[1:]
            l2 = ("/".join(g.id for g in rest), "/".join(g.name for g in rest), by_id[rest[-1].id])
        inputs = node.rule.inputs
        shown = [(name, _show(result.value(name), units.get(name))) for name in inputs]
        facts = shown[0][1] if len(shown) == 1 else "; ".join(f"{n}: {v}" for n, v in shown)
        rows.append(FiledRow(l1, l2, by_id[node.id], facts, node.criterion))
    out: list[FiledRow] = []
    for i, row in enumerate(rows):
        span1 = _span(rows, i, lambda r: r.level1[0] if r.level1 else None)
        span2 = _span(rows, i, lambda r: (r.level1[0] if r.level1 else None,
                                          r.level2[0] if r.level2 else None))
        out.append(attrs.evolve(row, span1=span1, span2=span2))
    return out


def _span(rows: Sequence[FiledRow], i: int, key: Any) -> int:
    k = key(rows[i])
    if k is None or (isinstance(k, tuple) and k[1] is None):
        return 1
    if i > 0 and key(rows[i - 1]) == k:
        return 0
    n = 1
    while i + n < len(rows) and key(rows[i + n]) == k:
        n += 1
    return n


def line_cells(row: FiledRow, review: Mapping[str, AuditEntry] | None = None,
               lang: str = "zh") -> list[Any]:
    """The eight cells of a line: None only for a cell covered by a merge above (an
    empty cell, such as the 二级 cells of a row with no 二级 group, is ""). With
    ``review`` (audit entries by id), 得分 is the claim and a ninth cell the 复核 (its
    labels in ``lang``, the audit's)."""
    r = row.result
    return [
        (row.level1[1] if row.level1 else "") if row.span1 else None,
        (row.level2[1] if row.level2 else "") if row.span2 else None,
        (row.level2[2].max_points if row.level2 else "") if row.span2 else None,
        r.name, row.facts, row.criterion, r.max_points, *_scored(r, review, lang),
    ]


def total_cells(result: Result, review: Mapping[str, AuditEntry] | None = None,
                lang: str = "zh") -> list[Any]:
    """The 合计 line's cells, as ``line_cells`` gives a line's: 合计, the total 分值 in
    both 分值 columns, the other cells "", and 得分 (with ``review``, the unit's claimed
    合计 and a ninth cell its 复核)."""
    total = result.total
    return [word("total"), "", total.max_points, "", "", "", total.max_points,
            *_scored(total, review, lang)]


def grade_cells(result: Result, audit: AuditReport | None = None) -> list[Any]:
    """The 等级 line's cells: 等级, the grade in the 得分 column, the other cells "" (with
    ``audit``, a ninth cell: ``grade_review``)."""
    cells = [word("grade"), "", "", "", "", "", "", grade_text(result)]
    return cells if audit is None else [*cells, grade_review(audit)]


def _scored(node: NodeResult, review: Mapping[str, AuditEntry] | None,
            lang: str) -> list[Any]:
    """A line's last cells: 得分 (``score_value``), or with ``review`` the unit's claim
    (``claimed_value``) and the 复核 (``review_text``)."""
    if review is None:
        return [score_value(node)]
    entry = review[node.id]
    return [claimed_value(entry), review_text(entry, lang)]


def claimed_value(entry: AuditEntry) -> Decimal | str:
    """The 得分 the unit printed: the claim, or "" where nothing (or a blank) was."""
    return "" if entry.claimed is None else entry.claimed


def review_text(entry: AuditEntry, lang: str = "zh") -> str:
    """The 复核 cell of a line: ``一致``; the classes and why (``错误：申报 0, 按规则应得
    10``); ``未申报；计算 8.62`` where nothing was claimed; then the row's warnings."""
    en = lang == "en"
    if entry.classes == ("unclaimed",):
        head = status_label("unclaimed", lang) + ("; computed " if en else "；计算 ") \
            + entry.computed_text(lang)
        if entry.implied is not None:
            head += (f"; printed rows add up to {fmt(entry.implied)}" if en
                     else f"；下级申报之和 {fmt(entry.implied)}")
    else:
        head = "+".join(status_label(c, lang) for c in entry.classes)
        if entry.messages:
            head += (": " if en else "：") + ("; " if en else "；").join(entry.messages)
    return "\n".join([head, *entry.warnings])


def grade_review(report: AuditReport) -> str:
    """The 等级 line's 复核: the grade the claimed (or implied) 合计 gives, against the
    rules' (``按申报合计 98：优；按规则：优``); "" when no 合计 was printed or implied."""
    result = report.result
    root = report[result.ruleset.root.id]
    total = root.claimed if root.claimed is not None else root.implied
    if total is None:
        return ""
    claimed = result.ruleset.policy.grade(total)
    rules = "/".join(result.grades)
    if report.lang == "en":
        return f"the claimed total {fmt(total)}: {claimed}; by the rules: {rules}"
    return f"按申报合计 {fmt(total)}：{claimed}；按规则：{rules}"


def review_notes(report: AuditReport) -> list[str]:
    """The review's notes under the table: the groups' subtotals reviewed (the lines are
    rows), how the rows were rounded, the printed values that disagree with the facts (or
    could not be checked), and the verdict's counts, in the audit's language."""
    lang = report.lang
    en = lang == "en"
    notes = []
    for entry in report.entries:  # the groups' claims and findings: the lines hold rows
        if entry.kind == "group" and entry.depth > 0 and (
                entry.classes != ("unclaimed",) or entry.notes):
            subtotal = f"{entry.name} subtotal" if en else f"{entry.name}小计"
            notes.append(f"{subtotal}{': ' if en else '：'}{review_text(entry, lang)}")
    if report.rounding is not None:
        notes.append(report.rounding.text(lang))
    for check in report.printed:
        if check.agrees is not True:
            notes.append(check.message)
    counts = ", ".join(f"{status_label(k, lang)} {v}" for k, v in report.counts().items())
    verdict = ("OK" if report.ok else "FINDINGS") if en else ("通过" if report.ok else "有问题")
    notes.append(f"{verdict} ({counts})")
    return notes


def columns(audit: AuditReport | None) -> tuple[str, ...]:
    """The table's columns: ``COLUMNS``, then 复核 when handed back with an ``audit``."""
    return COLUMNS if audit is None else (*COLUMNS, REVIEW)


def review_of(audit: AuditReport | None) -> tuple[Mapping[str, AuditEntry] | None, str]:
    """The ``audit``'s entries by id (the ``review`` of ``line_cells``; None without an
    audit) and the language its 复核 is written in (zh without)."""
    if audit is None:
        return None, "zh"
    return {e.id: e for e in audit.entries}, audit.lang


def under_table(result: Result, audit: AuditReport | None = None, *,
                missing: bool = False) -> list[tuple[str, str, str]]:
    """The lines under the 合计 and 等级 rows, each (kind, label, text): how the total was
    rescaled (``rescaled``), the 一票否决 that apply (``veto``), with ``missing`` the
    facts still missing (``missing``), then the ``audit``'s notes (``review``)."""
    lines = []
    rescaled = result.rescaling_text()
    if rescaled is not None:
        lines.append(("rescaled", word("rescaled_label"), rescaled))
    lines += [("veto", word("veto_label"), veto) for veto in result.veto_texts()]
    if missing and result.total.missing:  # the names, broken between them when wrapped
        lines.append(("missing", word("missing_facts"), ", ".join(result.total.missing)))
    if audit is not None:
        lines += [("review", REVIEW, note) for note in review_notes(audit)]
    return lines


def table_title(result: Result) -> str:
    """``<ruleset name> 指标完成情况表``."""
    meta = result.ruleset.metadata
    return (meta.name or meta.id or "评价") + " 指标完成情况表"
