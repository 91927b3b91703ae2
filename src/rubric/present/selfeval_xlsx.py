"""The filed 项目支出绩效自评表 as an XLSX workbook (openpyxl, imported lazily).

One sheet laid out as ``present.selfeval_layout`` places the cells: merged blocks,
numbers as numbers (万元 at 2 decimals, 执行率 a percent cell at 2, 分值 at the
decimals they need, 得分 at the policy's precision), text always as text
(``io.xlsx_files.set_cell``), a 复核 finding in red with the audit's messages as the
cell's comment. Columns are as wide as their content (CJK characters count 2, long
texts wrap); the rows down to the 绩效指标 heading are frozen, the heading is printed on
every page of an A4 landscape printout one page wide (the ten columns stay legible),
and the same sheet gives the same bytes.
"""

from __future__ import annotations

import os
from decimal import Decimal

from ..text import display_width
from .selfeval_layout import Sheet
from .xlsx_sheet import require_openpyxl, save_printed, wrapped_lines

__all__ = ["write_selfeval_xlsx"]

#: the widest each column grows before its text wraps (Excel's width units); the 复核
#: column is the last
_MAX_WIDTHS = (10, 14, 14, 22, 16, 16, 10, 10, 30, 28)
_MIN_WIDTHS = (10, 10, 10, 12, 12, 12, 7, 9, 14, 12)


def _number_format(role: str, decimals: int) -> str:
    body = "0." + "0" * decimals if decimals else "0"
    return body + "%" if role == "rate" else body


def write_selfeval_xlsx(sheet: Sheet, path: str | os.PathLike[str]) -> None:
    """Write the 自评表 ``sheet`` as a one-sheet XLSX workbook at ``path`` (atomically)."""
    require_openpyxl()
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    from ..io.xlsx_files import set_cell

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = "项目支出绩效自评表"
    side = Side(style="thin")
    border = Border(left=side, right=side, top=side, bottom=side)
    center = Alignment(wrap_text=True, vertical="center", horizontal="center")
    left = Alignment(wrap_text=True, vertical="center", horizontal="left")
    bold = Font(bold=True)
    shade = PatternFill("solid", fgColor="F2F2F2")
    widths = [float(w) for w in _MIN_WIDTHS[:sheet.ncols]]
    for cell in sheet.cells:
        r, c = cell.row + 1, cell.col + 1
        target = set_cell(ws, r, c, cell.value if cell.value != "" else None)
        if cell.role == "title":
            target.font = Font(bold=True, size=14)
            target.alignment = center
            ws.row_dimensions[r].height = 28
        else:
            target.alignment = left if cell.role in ("text", "note") else center
            if cell.role in ("label", "head"):
                target.font = bold
                target.fill = shade
            elif cell.role == "finding":
                target.font = Font(color="C00000", bold=True)
            if isinstance(cell.value, Decimal) and cell.role in sheet.decimals:
                target.number_format = _number_format(cell.role, sheet.decimals[cell.role])
            if cell.note:
                target.comment = Comment(cell.note, "rubric", width=320, height=120)
        if cell.rows > 1 or cell.cols > 1:
            ws.merge_cells(start_row=r, start_column=c, end_row=r + cell.rows - 1,
                           end_column=c + cell.cols - 1)
        if cell.cols == 1 and cell.role != "title":  # a merged cell's text spreads out
            widest = max((display_width(x) for x in cell.text.splitlines()), default=0)
            widths[cell.col] = max(widths[cell.col], widest + 2)
    for row in ws.iter_rows(min_row=2, max_row=sheet.nrows, max_col=sheet.ncols):
        for target in row:  # every position, merged ones too, gets the grid's border
            target.border = border
    widths = [min(w, cap) for w, cap in zip(widths, _MAX_WIDTHS)]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for r in range(1, sheet.nrows):  # rows whose texts wrap made tall enough
        tall = max((wrapped_lines(cell.text, sum(widths[cell.col:cell.col + cell.cols]))
                    for cell in sheet.cells if cell.row == r and cell.rows == 1), default=1)
        if tall > 1 or r == sheet.goal_row:  # the goals' row has room to write in
            ws.row_dimensions[r + 1].height = max(min(15 * tall + 3, 240),
                                                  48 if r == sheet.goal_row else 0)
    # down to the 绩效指标 heading stays in view; the heading is printed on every page
    save_printed(wb, ws, path, frozen=f"A{sheet.head_row + 2}",
                 heading=f"{sheet.head_row + 1}:{sheet.head_row + 1}")
