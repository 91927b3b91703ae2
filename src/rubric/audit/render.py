"""The audit as a plain-text table, the findings explained below it."""

from __future__ import annotations

import itertools

from ..text import display_width, fmt
from .classes import LABELS, lang_of
from .report import AuditReport

__all__ = ["format_audit"]


def format_audit(report: AuditReport, lang: str = "zh", *, all_nodes: bool = True) -> str:
    """The audit as a plain-text table (indented by depth), findings explained below."""
    labels = LABELS[lang_of(lang)]
    head = (("node", "class", "claimed", "computed", "max") if lang == "en"
            else ("指标", "结论", "申报", "计算", "分值"))
    rows = []
    for e in report.entries:
        if not all_nodes and e.status == "unclaimed":
            continue
        rows.append(("  " * e.depth + e.name, "+".join(labels[c] for c in e.classes),
                     (("blank" if lang == "en" else "空白") if e.blank else "—")
                     if e.claimed is None else fmt(e.claimed), e.computed_text(lang),
                     fmt(e.max_points)))
    widths = [max(display_width(r[i]) for r in itertools.chain([head], rows)) for i in range(5)]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(r, widths)).rstrip()
             for r in itertools.chain([head], rows)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    rescaled = report.result.rescaling_text(lang_of(lang))
    if rescaled is not None:  # how the computed total was rescaled, under the table
        lines.append(rescaled)
    if report.rounding is not None:  # how the table rounded its rows, once, under it
        lines.append(("rounding: " if lang == "en" else "舍入：")
                     + report.rounding.text(lang_of(lang)))
    findings = [e for e in report.entries  # and the rows' warnings, as the table lists them
                if not e.ok or e.status == "feasible"
                or (e.warnings and (all_nodes or e.status != "unclaimed"))]
    if findings:
        lines.append("")
    for e in findings:
        where = f"{e.where}: " if e.where else ""
        lines.append(f"{where}{e.name} [{'+'.join(labels[c] for c in e.classes)}]"
                     + (": " + "; ".join(e.messages) if e.messages else ""))
        if e.explanation and not e.ok and e.status != "feasible":
            lines.append(("    computed: " if lang == "en" else "    计算: ") + e.explanation)
        lines.extend("    " + text for text in e.warnings)
    printed = [p for p in report.printed if p.agrees is not True]
    if printed and not findings:
        lines.append("")
    for check in printed:  # the printed values that disagree with the facts, or are unchecked
        where = f"{check.where}: " if check.where else ""
        label = labels["printed_mismatch"] if check.agrees is False else (
            "not checked" if lang == "en" else "未核对")
        lines.append(f"{where}{check.fact} [{label}]: {check.message}")
    if report.warnings:
        lines.append("")
        prefix = "warning: " if lang == "en" else "警告："
        lines.extend(prefix + text for text in report.warnings)
    counts = ", ".join(f"{labels[k]} {v}" for k, v in report.counts().items())
    lines.append("")
    lines.append(("OK" if report.ok else "FINDINGS") + f" ({counts})" if lang == "en"
                 else ("通过" if report.ok else "有问题") + f" ({counts})")
    return "\n".join(lines)




def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))
