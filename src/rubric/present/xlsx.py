"""The filed table as an XLSX workbook (openpyxl, imported lazily: ``rubric[xlsx]``).

One sheet, the 一级/二级 cells merged over their rows, exact numbers as numbers (得分
shown at the policy's precision, 分值 at the decimals they need), text always as text
(never a formula: ``io.xlsx_files``), the same bytes for the same result. The title
cell says what the table is about (``headers.about_line``); columns are as wide as
their content (CJK characters count 2, long texts wrap); the title and header rows are
frozen and printed on every page of an A4 landscape printout one page wide. Given an
audit (``audit=``), it is the unit's table handed back: the claimed 得分 as printed and
a 复核 column, the review's notes under the table (``present.filed``).
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from ..audit import AuditReport
from ..engine.evaluation import Result
from ..text import display_width
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
from .headers import about_line, wrap_list
from .xlsx_sheet import require_openpyxl, save_printed, wrapped_lines

__all__ = ["write_xlsx"]


def _decimals(values: list[Decimal]) -> int:
    """The decimals the longest of ``values`` needs (5 → 0, 2.5 → 1)."""
    return max((max(-v.normalize().as_tuple().exponent, 0)  # type: ignore[operator]
                for v in values if v.is_finite()), default=0)


def _number_format(decimals: int) -> str:
    return "0." + "0" * decimals if decimals else "0"


def _shown(value: object, decimals: int) -> str:
    """A cell's text as Excel shows it (for its column's width)."""
    if isinstance(value, Decimal):
        return f"{value:.{decimals}f}" if value.is_finite() else str(value)
    return "" if value is None else str(value)


def write_xlsx(result: Result, path: str | os.PathLike[str], *,
               audit: AuditReport | None = None) -> None:
    """Write the filed table as an XLSX workbook (one sheet, merged 一级/二级 cells);
    with ``audit``, the claimed 得分 and a 复核 column."""
    require_openpyxl()
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    from ..io.xlsx_files import set_cell

    rows = filed_rows(result)
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = "指标完成情况表"
    names = columns(audit)
    review, lang = review_of(audit)
    ncol = len(names)
    heading = about_line(result)  # the unit, project, fiscal year and ruleset, under the title
    title = set_cell(ws, 1, 1, table_title(result) + ("\n" + heading if heading else ""))
    title.font = Font(bold=True, size=14)
    title.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.row_dimensions[1].height = 42 if heading else 24
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    for col, name in enumerate(names, start=1):
        set_cell(ws, 2, col, name).font = Font(bold=True)

    def put(r: int, cells: list[Any]) -> None:  # a line's cells, "" and None left empty
        for col, value in enumerate(cells, start=1):
            if value is not None and value != "":
                set_cell(ws, r, col, value)

    first = 3
    for i, row in enumerate(rows):
        r = first + i
        put(r, line_cells(row, review, lang))
        if row.span1 > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r + row.span1 - 1, end_column=1)
        if row.span2 > 1:
            for col in (2, 3):
                ws.merge_cells(start_row=r, start_column=col, end_row=r + row.span2 - 1,
                               end_column=col)
    last = first + len(rows)
    put(last, total_cells(result, review, lang))  # the unit's 合计 and its review, if any
    ws.merge_cells(start_row=last, start_column=3, end_row=last, end_column=6)
    put(last + 1, grade_cells(result, audit))
    spanning: list[tuple[int, str]] = []  # rows whose text spans columns B:H
    for _kind, label, text in under_table(result, audit, missing=True):  # under the total
        last += 1
        set_cell(ws, last + 1, 1, label)
        spanning.append((last + 1, text))
    # number formats: 得分 at the policy's precision, 分值 at the decimals they need
    points = [c.value for r in ws.iter_rows(min_row=first, max_row=last + 1)
              for c in r if c.column in (3, 7) and isinstance(c.value, Decimal)]
    claims = [c.value for r in ws.iter_rows(min_row=first, max_row=last + 1)
              for c in r if c.column == 8 and isinstance(c.value, Decimal)]
    formats = {3: _decimals(points), 7: _decimals(points),  # claims as printed
               8: result.ruleset.policy.precision if audit is None else _decimals(claims)}
    side = Side(style="thin")
    border = Border(left=side, right=side, top=side, bottom=side)
    wrap = Alignment(wrap_text=True, vertical="center")
    center = Alignment(wrap_text=True, vertical="center", horizontal="center")
    widths = [display_width(name) for name in names]
    for row_cells in ws.iter_rows(min_row=2, max_row=last + 1, max_col=ncol):
        for cell in row_cells:
            col = int(cell.column or 0)
            cell.border = border
            cell.alignment = center if col in (1, 2, 3, 7, 8) else wrap
            if col in formats and isinstance(cell.value, Decimal):
                cell.number_format = _number_format(formats[col])
            text = _shown(cell.value, formats.get(col, 0))
            widths[col - 1] = max([widths[col - 1],
                                   *(display_width(x) for x in text.splitlines())])
    # column widths fit the content (CJK characters count 2), long texts wrap
    widths = [min(w + 2, cap) for w, cap in zip(widths, _MAX_WIDTHS)]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    span_width = sum(widths[1:]) - 2
    for r, text in spanning:
        lines = wrap_list(text, span_width)
        set_cell(ws, r, 2, "\n".join(lines)).alignment = wrap
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=ncol)
        ws.row_dimensions[r].height = 15 * len(lines) + 3
    for r in range(first, first + len(rows)):  # rows whose texts wrap made tall enough
        tall = max(wrapped_lines(ws.cell(r, c).value, widths[c - 1]) for c in range(4, ncol + 1))
        if tall > 1:
            ws.row_dimensions[r].height = 15 * tall + 3
    save_printed(wb, ws, path, frozen="A3", heading="1:2")  # the title and header rows


#: the widest each column grows before its text wraps (Excel's width units)
_MAX_WIDTHS = (16, 20, 8, 28, 30, 48, 8, 12, 40)
