"""The report of a project self-evaluation: the filed 自评表 layout as XLSX or HTML.

``write_selfeval_report(score, path)`` writes a scored project
(``selfeval.score_project``'s ``ProjectScore``, audited or not) laid out as the
财预〔2020〕10号 附件2 项目支出绩效自评表 is filed (``present.selfeval_layout``): as a
workbook (``present.selfeval_xlsx``) or a standalone HTML page from the Jinja2 template
``templates/selfeval.html.j2``, which a user's template may ``{% extends
"rubric/selfeval.html.j2" %}`` to override some blocks (as ``present.html`` does for the
department table). Autoescaping is always on; an undefined name is an error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import RubricError
from .chart import FONT_STACK
from .html import render
from .selfeval_layout import Scored, Sheet, sheet_of
from .selfeval_xlsx import write_selfeval_xlsx

__all__ = ["DEFAULT_SELFEVAL_TEMPLATE", "SELFEVAL_FORMATS", "selfeval_context", "selfeval_html",
           "write_selfeval_report"]

#: the default template's name (a custom template may extend it)
DEFAULT_SELFEVAL_TEMPLATE = "rubric/selfeval.html.j2"
SELFEVAL_FORMATS = ("xlsx", "html")


def selfeval_context(score: Scored, sheet: Sheet | None = None, *,
                     review: bool | None = None) -> dict[str, Any]:
    """The names the HTML template is rendered with (the default template lists them)."""
    from markupsafe import Markup

    sheet = sheet if sheet is not None else sheet_of(score, review=review)
    rows = [[{"text": c.text, "rowspan": c.rows, "colspan": c.cols, "role": c.role,
              "note": c.note} for c in line] for line in sheet.lines()]
    return {"title": sheet.title, "rows": rows, "audited": sheet.audited,
            "font_stack": Markup(FONT_STACK), "sheet": sheet, "project": score.project,
            "result": score.result, "audit": score.audit if sheet.audited else None}


def selfeval_html(score: Scored, *, template: str | os.PathLike[str] | None = None,
                  review: bool | None = None) -> str:
    """The 自评表 as a standalone UTF-8 HTML page, from the default template or
    ``template`` (a Jinja2 file: RubricError, with its line, when it is missing,
    malformed, or uses a name the context lacks); ``review`` as for ``sheet_of``."""
    return render(template, DEFAULT_SELFEVAL_TEMPLATE,
                  lambda: selfeval_context(score, review=review))


def write_selfeval_report(score: Scored, path: str | os.PathLike[str],
                          fmt_name: str | None = None, *,
                          template: str | os.PathLike[str] | None = None,
                          review: bool | None = None) -> str:
    """Write the 自评表 of ``score`` as ``fmt_name`` or as ``path``'s suffix says (xlsx,
    html), atomically; returns the format written. ``template`` is a Jinja2 template
    for the HTML page; XLSX refuses one. ``review``: the 复核 column (default: when
    ``score`` was audited; False leaves it out, as ``rubric score`` does)."""
    kind = (fmt_name or Path(path).suffix.lower().lstrip(".")).lower()
    kind = {"htm": "html"}.get(kind, kind)
    if kind not in SELFEVAL_FORMATS:
        raise RubricError(f"cannot write a self-evaluation report as "
                          f"'{kind or os.fspath(path)}'",
                          expected="an output ending in .xlsx or .html",
                          example="-o 自评表.xlsx")
    if template is not None and kind != "html":
        raise RubricError(f"a template is for the HTML report, not {kind}",
                          expected="an output ending in .html", example="-o 自评表.html")
    if kind == "xlsx":
        write_selfeval_xlsx(sheet_of(score, review=review), path)
    else:
        from ..io.files import atomic_path

        text = selfeval_html(score, template=template, review=review)
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
    return kind
