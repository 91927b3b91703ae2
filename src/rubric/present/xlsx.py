"""The filed table as an XLSX workbook (openpyxl, imported lazily: ``rubric[xlsx]``).

One sheet, the 一级/二级 cells merged over their rows, exact numbers as numbers, text
always as text (never a formula: ``io.xlsx_files``), the same bytes for the same result.
"""

from __future__ import annotations

import os

from ..engine.evaluation import Result
from ..errors import RubricError
from ..text import word
from .filed import COLUMNS, filed_rows, line_cells, score_value, table_title
from .summary import grade_text

__all__ = ["write_xlsx"]


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
    from ..io.xlsx_files import save_workbook, set_cell

    rows = filed_rows(result)
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = "指标完成情况表"
    ncol = len(COLUMNS)
    set_cell(ws, 1, 1, table_title(result)).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    for col, name in enumerate(COLUMNS, start=1):
        set_cell(ws, 2, col, name).font = Font(bold=True)
    first = 3
    for i, row in enumerate(rows):
        r = first + i
        for col, value in enumerate(line_cells(row), start=1):
            if value is not None and value != "":
                set_cell(ws, r, col, value)
        if row.span1 > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r + row.span1 - 1, end_column=1)
        if row.span2 > 1:
            for col in (2, 3):
                ws.merge_cells(start_row=r, start_column=col, end_row=r + row.span2 - 1,
                               end_column=col)
    total = result.total
    last = first + len(rows)
    set_cell(ws, last, 1, word("total"))
    set_cell(ws, last, 3, total.max_points)
    set_cell(ws, last, 7, total.max_points)
    set_cell(ws, last, 8, score_value(total))
    ws.merge_cells(start_row=last, start_column=3, end_row=last, end_column=6)
    set_cell(ws, last + 1, 1, word("grade"))
    set_cell(ws, last + 1, 8, grade_text(result))
    rescaled = result.rescaling_text()
    if rescaled is not None:  # how the total was rescaled, under it
        last += 1
        set_cell(ws, last + 1, 1, word("rescaled_label"))
        set_cell(ws, last + 1, 2, rescaled)
        ws.merge_cells(start_row=last + 1, start_column=2, end_row=last + 1, end_column=ncol)
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
        save_workbook(wb, tmp)
