"""Reports: one scored unit as the table evaluators file (指标完成情况表), and a chart.

The filed table has the columns 一级指标 / 二级指标 / 分值 / 三级指标 / 指标完成情况 /
评价标准 / 分值 / 得分, with 一级 and 二级 cells (and the 二级 分值) merged over their
rows, then 合计 and 等级 rows. Formats:

- XLSX (openpyxl, imported lazily: ``rubric[xlsx]``), merged cells, exact numbers;
- Markdown (continuation cells left blank, as a merged cell reads);
- standalone HTML (UTF-8, ``<meta charset>``, a CJK font stack, ``rowspan`` merges, the
  chart inline; no external resources);
- the chart of 得分率 per 二级指标 (一级 when there is no second level; never rows) as
  SVG (written here, no dependency) or PNG (matplotlib, lazily: ``rubric[chart]``;
  needs a CJK font such as Noto Sans CJK — without one PNG is refused rather than drawn
  with missing glyphs).

A row whose facts are missing shows its score range (``0–5``). Tree levels: nodes at
depth 1 are 一级, depth 2 二级 (deeper groups are joined into the 二级 cell with "/"),
indicators are 三级.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..engine.evaluation import NodeResult, Result
from ..errors import RubricError
from ..facts import MISSING, NOT_APPLICABLE, UNDEFINED, Unsettled
from ..text import fmt
from ..tree import Group, Indicator

__all__ = [
    "COLUMNS",
    "REPORT_FORMATS",
    "FiledRow",
    "chart_svg",
    "filed_rows",
    "rates",
    "to_html",
    "to_markdown",
    "write_png",
    "write_report",
    "write_xlsx",
]

#: the 得分 of a not-applicable row or group (as ``rubric score`` shows it): not a 0
NOT_SCORED = "不计"
COLUMNS = ("一级指标", "二级指标", "分值", "三级指标", "指标完成情况", "评价标准", "分值", "得分")
REPORT_FORMATS = ("xlsx", "html", "md", "svg", "png")
FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
              '"WenQuanYi Micro Hei", "Heiti SC", "SimSun", sans-serif')
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei",
             "PingFang SC", "Heiti SC", "AR PL UMing CN")


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


def _score(node: NodeResult) -> str:
    return fmt(node.low) if node.low == node.high else f"{fmt(node.low)}–{fmt(node.high)}"


def _score_value(node: NodeResult) -> Decimal | str:
    if not node.applicable:
        return NOT_SCORED
    return node.low if node.low == node.high else _score(node)


def _score_text(node: NodeResult) -> str:
    return NOT_SCORED if not node.applicable else _score(node)


def _show(value: object, unit: str | None) -> str:
    if value is MISSING:
        return "未提供"
    if value is NOT_APPLICABLE:
        return "不适用"
    if value is UNDEFINED:
        return "无法计算(0/0)"
    if type(value) is Unsettled:
        return value.text
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


def _cells(row: FiledRow) -> list[Any]:
    """The eight cells of a line: None only for a cell covered by a merge above (an
    empty cell, such as the 二级 cells of a row with no 二级 group, is "")."""
    r = row.result
    return [
        (row.level1[1] if row.level1 else "") if row.span1 else None,
        (row.level2[1] if row.level2 else "") if row.span2 else None,
        (row.level2[2].max_points if row.level2 else "") if row.span2 else None,
        r.name, row.facts, row.criterion, r.max_points, _score_value(r),
    ]


def _title(result: Result) -> str:
    meta = result.ruleset.metadata
    return (meta.name or meta.id or "评价") + " 指标完成情况表"


def _grade(result: Result) -> str:
    return result.grade if result.grade is not None else "/".join(result.grades)


# ---------------------------------------------------------------------------------- xlsx


def write_xlsx(result: Result, path: str | os.PathLike[str]) -> None:
    """Write the filed table as an XLSX workbook (one sheet, merged 一级/二级 cells)."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Font, Side
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.worksheet import Worksheet
    except ImportError:
        raise RubricError("XLSX reports need openpyxl",
                          expected="pip install 'rubric[xlsx]'") from None
    from ..io.files import atomic_path

    rows = filed_rows(result)
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = "指标完成情况表"
    ncol = len(COLUMNS)
    ws.cell(1, 1, _title(result)).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    for col, name in enumerate(COLUMNS, start=1):
        ws.cell(2, col, name).font = Font(bold=True)
    first = 3
    for i, row in enumerate(rows):
        r = first + i
        for col, value in enumerate(_cells(row), start=1):
            if value is not None and value != "":
                ws.cell(r, col, value)
        if row.span1 > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r + row.span1 - 1, end_column=1)
        if row.span2 > 1:
            for col in (2, 3):
                ws.merge_cells(start_row=r, start_column=col, end_row=r + row.span2 - 1,
                               end_column=col)
    total = result.total
    last = first + len(rows)
    ws.cell(last, 1, "合计")
    ws.cell(last, 3, total.max_points)
    ws.cell(last, 7, total.max_points)
    ws.cell(last, 8, _score_value(total))
    ws.merge_cells(start_row=last, start_column=3, end_row=last, end_column=6)
    ws.cell(last + 1, 1, "等级")
    ws.cell(last + 1, 8, _grade(result))
    side = Side(style="thin")
    border = Border(left=side, right=side, top=side, bottom=side)
    wrap = Alignment(wrap_text=True, vertical="center")
    center = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row_cells in ws.iter_rows(min_row=2, max_row=last + 1, max_col=ncol):
        for cell in row_cells:
            cell.border = border
            cell.alignment = center if cell.column in (1, 2, 3, 7, 8) else wrap
    for col, width in enumerate((10, 12, 6, 18, 22, 40, 6, 8), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    with atomic_path(path) as tmp:
        wb.save(tmp)


# ------------------------------------------------------------------------------ markdown


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(result: Result) -> str:
    """The filed table as a Markdown pipe table (merged cells shown once)."""
    lines = [f"# {_title(result)}", "", "| " + " | ".join(COLUMNS) + " |",
             "|" + "---|" * len(COLUMNS)]
    for row in filed_rows(result):
        cells = ["" if v is None else _md(fmt(v) if isinstance(v, Decimal) else v)
                 for v in _cells(row)]
        lines.append("| " + " | ".join(cells) + " |")
    total = result.total
    lines.append(f"| 合计 |  | {fmt(total.max_points)} |  |  |  | {fmt(total.max_points)} | "
                 f"{_score_text(total)} |")
    lines.append(f"| 等级 |  |  |  |  |  |  | {_grade(result)} |")
    if total.missing:
        lines += ["", "待定事实: " + ", ".join(total.missing)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------- html


def to_html(result: Result, *, chart: bool = True) -> str:
    """A standalone UTF-8 HTML page with the filed table (and the chart inline)."""
    esc = html.escape
    body = []
    for row in filed_rows(result):
        cells = _cells(row)
        tds = []
        for col, value in enumerate(cells):
            if value is None:
                continue
            span = row.span1 if col == 0 else row.span2 if col in (1, 2) else 1
            attr = f' rowspan="{span}"' if span > 1 else ""
            cls = ' class="num"' if col in (2, 6, 7) else ""
            text = fmt(value) if isinstance(value, Decimal) else str(value)
            tds.append(f"<td{attr}{cls}>{esc(text)}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    total = result.total
    body.append(f'<tr class="total"><td>合计</td><td></td><td class="num">'
                f'{esc(fmt(total.max_points))}</td><td colspan="3"></td><td class="num">'
                f'{esc(fmt(total.max_points))}</td>'
                f'<td class="num">{esc(_score_text(total))}</td></tr>')
    body.append(f'<tr class="total"><td>等级</td><td colspan="6"></td>'
                f'<td class="num">{esc(_grade(result))}</td></tr>')
    head = "".join(f"<th>{esc(c)}</th>" for c in COLUMNS)
    missing = (f'<p class="missing">待定事实: {esc(", ".join(total.missing))}</p>'
               if total.missing else "")
    caption = f"<figcaption>{esc(_chart_title(result))}</figcaption>"
    figure = f"<figure>{chart_svg(result)}{caption}</figure>" if chart else ""
    title = esc(_title(result))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: {FONT_STACK}; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; font-size: 14px; }}
th, td {{ border: 1px solid #555; padding: 4px 6px; vertical-align: middle; }}
th {{ background: #eee; }}
td.num {{ text-align: center; white-space: nowrap; }}
tr.total td {{ font-weight: bold; }}
figure {{ margin: 2em 0; }}
</style>
</head>
<body>
<h1>{title}</h1>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
{missing}
{figure}
</body>
</html>
"""


# --------------------------------------------------------------------------------- chart


def rates(result: Result) -> list[tuple[str, Decimal, Decimal]]:
    """(name, low rate, high rate) of each 二级指标: 得分率 = score / 分值, as fractions.

    Charted are the groups at depth 2 (二级指标), in table order; when the tree has no
    group at depth 2, the groups at depth 1 (一级指标). Rows (三级指标) are never
    charted, even a row sitting at depth 1 or 2; not-applicable groups and groups of
    分值 0 are left out (their rate means nothing).
    """
    level = _chart_level(result)
    nodes = [n for n in result.nodes() if n.kind == "group" and n.depth == level
             and n.applicable]
    out = []
    for n in nodes:
        if n.max_points:
            out.append((n.name, n.low / n.max_points, n.high / n.max_points))
    return out


def _chart_level(result: Result) -> int:
    """The depth ``rates`` charts: 2 (二级) when the tree has a group there, else 1."""
    return 2 if any(n.kind == "group" and n.depth == 2 for n in result.nodes()) else 1


def _chart_title(result: Result) -> str:
    return "各二级指标得分率" if _chart_level(result) == 2 else "各一级指标得分率"


def _pct(x: Decimal) -> str:
    return fmt((x * 100).quantize(Decimal("0.1"))) + "%"


def _rate_label(low: Decimal, high: Decimal) -> str:
    """The bar label, the same in SVG and PNG: ``80%`` or ``54.5%–100%``."""
    return _pct(low) if low == high else f"{_pct(low)}–{_pct(high)}"


def _text_width(text: str, size: int) -> int:
    return sum(size if ord(ch) > 0x2E80 else size * 6 // 10 for ch in text)


def chart_svg(result: Result) -> str:
    """得分率 per 二级指标 as a self-contained SVG bar chart (a range shows as a light
    extension of the settled part)."""
    esc = html.escape
    data = rates(result)
    size, bar_h, gap, bar_w = 14, 18, 10, 360
    label_w = max((_text_width(n, size) for n, _l, _h in data), default=60) + 12
    width = label_w + bar_w + 130
    height = 40 + len(data) * (bar_h + gap) + 10
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'viewBox="0 0 {width} {height}" role="img" aria-label="{_chart_title(result)}">'),
        (f"<style>text {{ font-family: {esc(FONT_STACK)}; font-size: {size}px; fill: #222; }}"
         "</style>"),
        f'<text x="{label_w}" y="20">得分率</text>',
        f'<line x1="{label_w}" y1="28" x2="{label_w}" y2="{height - 8}" stroke="#555"/>',
    ]
    for i, (name, low, high) in enumerate(data):
        y = 34 + i * (bar_h + gap)
        w_low = float(low) * bar_w
        w_high = float(high) * bar_w
        label = _rate_label(low, high)
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_h - 4}" text-anchor="end">'
                     f"{esc(name)}</text>")
        if w_high > w_low:
            parts.append(f'<rect x="{label_w + w_low:.1f}" y="{y}" width="{w_high - w_low:.1f}" '
                         f'height="{bar_h}" fill="#9ecae1"/>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w_low:.1f}" height="{bar_h}" '
                     f'fill="#3182bd"><title>{esc(name)} {label}</title></rect>')
        parts.append(f'<text x="{label_w + max(w_high, w_low) + 6:.1f}" y="{y + bar_h - 4}">'
                     f"{esc(label)}</text>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


def write_png(result: Result, path: str | os.PathLike[str], *, dpi: int = 150) -> None:
    """The 得分率 chart as PNG with matplotlib (lazily imported) and a CJK font."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise RubricError("PNG charts need matplotlib",
                          expected="pip install 'rubric[chart]', or write .svg instead") from None
    font = _cjk_font()
    if font is None:
        raise RubricError("no CJK font found for the PNG chart (Chinese labels would not show)",
                          expected="a CJK font such as Noto Sans CJK (Debian: apt-get install "
                          "fonts-noto-cjk), or write the chart as .svg",
                          example="rubric report R F -o chart.svg")
    from ..io.files import atomic_path

    data = rates(result)
    fig = Figure(figsize=(7, 0.45 * len(data) + 1.2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    names = [n for n, _l, _h in data][::-1]
    lows = [float(low) * 100 for _n, low, _h in data][::-1]
    extra = [float(high - low) * 100 for _n, low, high in data][::-1]
    ax.barh(names, lows, color="#3182bd")
    ax.barh(names, extra, left=lows, color="#9ecae1")
    labels = [_rate_label(low, high) for _n, low, high in data][::-1]
    for y, (lo, ex, text) in enumerate(zip(lows, extra, labels)):
        ax.text(lo + ex + 1, y, text, va="center", fontfamily=font)
    ax.set_xlim(0, 115)
    ax.set_xlabel("得分率 (%)", fontfamily=font)
    for label in ax.get_yticklabels():
        label.set_fontfamily(font)
    ax.set_title(_chart_title(result), fontfamily=font)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi)


# -------------------------------------------------------------------------------- output


def write_report(result: Result, path: str | os.PathLike[str], fmt_name: str | None = None) -> str:
    """Write the report in the format named by ``fmt_name`` or ``path``'s suffix
    (xlsx, html, md, svg, png); returns the format written."""
    kind = fmt_name or Path(path).suffix.lower().lstrip(".")
    kind = {"htm": "html", "markdown": "md"}.get(kind, kind)
    if kind not in REPORT_FORMATS:
        raise RubricError(f"cannot write a report as '{kind or os.fspath(path)}'",
                          expected="an output ending in " + ", ".join(
                              "." + f for f in REPORT_FORMATS), example="-o table.xlsx")
    if kind == "xlsx":
        write_xlsx(result, path)
    elif kind == "png":
        write_png(result, path)
    else:
        from ..io.files import atomic_path

        text = {"html": to_html, "md": to_markdown, "svg": chart_svg}[kind](result)
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
    return kind
