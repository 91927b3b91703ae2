"""The filed table as a standalone HTML page, from a Jinja2 template (``rubric[html]``).

The default template, ``templates/report.html.j2`` (package data), writes UTF-8 with
``<meta charset>``, a CJK font stack, ``rowspan`` merges, the 得分率 chart inline, and no
external resources. A user's template (``template=``, ``rubric report --template``) gets
the same names (the template's opening comment lists them) and may ``{% extends
"rubric/report.html.j2" %}`` to override only some blocks. Autoescaping is always on;
an undefined name is an error, not an empty string. Given an audit (``audit=``), the
table is the unit's, handed back: the claimed 得分 as printed and a 复核 column, the
review's notes under it (``present.filed``); lines with a finding have the class
``finding``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..audit import AuditReport
from ..engine.evaluation import Result
from ..errors import RubricError
from ..text import fmt, word
from .chart import FONT_STACK, chart_svg, chart_title
from .filed import (
    columns,
    filed_rows,
    grade_cells,
    line_cells,
    review_of,
    table_title,
    total_cells,
    under_table,
)
from .headers import about

__all__ = ["DEFAULT_TEMPLATE", "environment", "render", "template_context", "to_html"]

#: the default template's name (custom templates may extend it)
DEFAULT_TEMPLATE = "rubric/report.html.j2"


def _cell(text: object, *, rowspan: int = 1, colspan: int = 1, num: bool = False,
          review: bool = False) -> dict[str, Any]:
    shown = fmt(text) if isinstance(text, Decimal) else str(text)
    return {"text": shown, "rowspan": rowspan, "colspan": colspan, "num": num,
            "review": review}


def _column_cell(col: int, value: object, *, rowspan: int = 1,
                 colspan: int = 1) -> dict[str, Any]:
    """The cell of a line's column ``col`` (0-based): the 分值 and 得分 columns are
    numbers, the ninth the 复核."""
    return _cell(value, rowspan=rowspan, colspan=colspan, num=col in (2, 6, 7),
                 review=col == 8)


def _merged(values: list[Any], merged: range) -> list[dict[str, Any]]:
    """The cells of the 合计 or 等级 line (``filed.total_cells``, ``grade_cells``), its
    blank columns ``merged`` one cell across them."""
    return [_column_cell(col, value, colspan=len(merged) if col == merged.start else 1)
            for col, value in enumerate(values) if col not in merged[1:]]


def template_context(result: Result, *, chart: bool = True,
                     audit: AuditReport | None = None) -> dict[str, Any]:
    """The names a report template is rendered with (the default template lists them);
    with ``audit``, the columns end in 复核 and the rows carry the review."""
    from markupsafe import Markup

    review, lang = review_of(audit)
    rows = []
    for row in filed_rows(result):
        cells = []
        for col, value in enumerate(line_cells(row, review, lang)):
            if value is None:
                continue
            span = row.span1 if col == 0 else row.span2 if col in (1, 2) else 1
            cells.append(_column_cell(col, value, rowspan=span))
        bad = review is not None and not review[row.result.id].ok
        rows.append({"cells": cells, "class": "finding" if bad else ""})
    total = result.total
    wide = len(columns(audit)) - 1  # the columns a note spans after its label
    rows.append({"class": "total", "cells": _merged(total_cells(result, review, lang),
                                                    range(3, 6))})
    rows.append({"class": "total", "cells": _merged(grade_cells(result, audit), range(1, 7))})
    for kind, label, text in under_table(result, audit):  # beside the total
        rows.append({"class": kind, "cells": [
            _cell(label), _cell(text, colspan=wide, review=kind == "review")]})
    return {
        "title": table_title(result), "about": about(result),
        "columns": columns(audit),
        "rows": rows, "missing": list(total.missing), "missing_label": word("missing_facts"),
        "chart": Markup(chart_svg(result)) if chart else "",  # rubric's own SVG
        "chart_title": chart_title(result), "font_stack": Markup(FONT_STACK), "result": result,
    }


@functools.lru_cache(maxsize=8)
def environment(folder: str | None) -> Any:
    """An autoescaping environment that finds the default templates as
    ``rubric/NAME.html.j2`` (``report``, ``selfeval``) and, with ``folder``, a custom
    template's own files."""
    try:
        import jinja2
    except ImportError:
        raise RubricError("HTML reports need jinja2",
                          expected="pip install 'rubric[html]'") from None
    loaders: list[Any] = [jinja2.PrefixLoader(
        {"rubric": jinja2.PackageLoader("rubric.present", "templates")})]
    if folder is not None:
        loaders.append(jinja2.FileSystemLoader(folder))
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def to_html(result: Result, *, chart: bool = True,
            template: str | os.PathLike[str] | None = None,
            audit: AuditReport | None = None) -> str:
    """A standalone UTF-8 HTML page with the filed table (and the chart inline), from
    the default template or ``template`` (a Jinja2 file: RubricError, with its line,
    when it is missing, malformed, or uses a name the context lacks)."""
    return render(template, DEFAULT_TEMPLATE,
                  lambda: template_context(result, chart=chart, audit=audit))


def render(template: str | os.PathLike[str] | None, default: str,
           context: Callable[[], Mapping[str, Any]]) -> str:
    """``template`` (or the default template ``default``, ``rubric/NAME.html.j2``)
    rendered with ``context()``: a RubricError, with its line, when the file is missing,
    malformed, or uses a name the context lacks."""
    shown = os.fspath(template) if template is not None else default
    if template is None:
        env, name = environment(None), default
    else:
        path = Path(template).resolve()
        if not path.is_file():
            raise RubricError(f"{shown}: no such template file",
                              expected="a Jinja2 HTML template",
                              example=default.rsplit("/", 1)[-1])
        env, name = environment(str(path.parent)), path.name
    import jinja2  # environment said how to install it when it is missing

    try:
        return str(env.get_template(name).render(context()))
    except jinja2.TemplateSyntaxError as exc:
        raise RubricError(f"{exc.filename or shown}:{exc.lineno}: template error: "
                          f"{exc.message}", where=f"{exc.filename or shown}:{exc.lineno}",
                          expected="a Jinja2 template") from None
    except jinja2.TemplateError as exc:
        raise RubricError(f"{shown}: template error: {exc}",
                          expected="the names rubric's default template lists") from None
