"""Reports: one scored unit written to a file in the format its name asks for.

The filed table (指标完成情况表, ``present.filed``) as XLSX (``present.xlsx``), Markdown
(``present.markdown``) or standalone HTML (``present.html``), or the 得分率 chart per
二级指标 as SVG or PNG (``present.chart``). ``write_report`` picks the format from the
output's suffix; the other names here are re-exported from those modules. Given an
audit, the XLSX and HTML tables are the unit's handed back with a 复核 column.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..audit import AuditReport
from ..engine.evaluation import Result
from ..errors import RubricError
from . import chart
from .chart import CJK_FONTS, FONT_STACK, chart_svg, rates, write_png
from .filed import COLUMNS, FiledRow, filed_rows
from .html import to_html
from .markdown import to_markdown
from .xlsx import write_xlsx

__all__ = [
    "CJK_FONTS",
    "COLUMNS",
    "FONT_STACK",
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

REPORT_FORMATS = ("xlsx", "html", "md", "svg", "png")
_cjk_font = chart._cjk_font  # importable from here as before the split


def write_report(result: Result, path: str | os.PathLike[str], fmt_name: str | None = None,
                 *, template: str | os.PathLike[str] | None = None,
                 audit: AuditReport | None = None) -> str:
    """Write the report in the format named by ``fmt_name`` or ``path``'s suffix
    (xlsx, html, md, svg, png); returns the format written. ``template`` is a Jinja2
    template for the HTML report (``to_html``); other formats refuse one. ``audit``
    (of ``result``'s facts) adds the 复核 column, in XLSX and HTML only."""
    kind = fmt_name or Path(path).suffix.lower().lstrip(".")
    kind = {"htm": "html", "markdown": "md"}.get(kind, kind)
    if kind not in REPORT_FORMATS:
        raise RubricError(f"cannot write a report as '{kind or os.fspath(path)}'",
                          expected="an output ending in " + ", ".join(
                              "." + f for f in REPORT_FORMATS), example="-o table.xlsx")
    if template is not None and kind != "html":
        raise RubricError(f"a template is for the HTML report, not {kind}",
                          expected="an output ending in .html", example="-o table.html")
    if audit is not None and kind not in ("xlsx", "html"):
        raise RubricError(f"a reviewed table (复核 column) is written as XLSX or HTML, not {kind}",
                          expected="an output ending in .xlsx or .html",
                          example="-o 复核.xlsx")
    if kind == "xlsx":
        write_xlsx(result, path, audit=audit)
    elif kind == "png":
        write_png(result, path)
    else:
        from ..io.files import atomic_path

        text = (to_html(result, template=template, audit=audit) if kind == "html"
                else {"md": to_markdown, "svg": chart_svg}[kind](result))
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
    return kind
