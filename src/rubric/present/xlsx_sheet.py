"""What the filed XLSX reports share (the indicator table, the 自评表): openpyxl
required with a clear error, how many lines a cell's text wraps to, and the sheet
printed as filed (A4 landscape, one page wide, its heading rows on every page) and
saved atomically."""

from __future__ import annotations

import os
from typing import Any

from ..errors import RubricError
from ..text import display_width

__all__ = ["require_openpyxl", "save_printed", "wrapped_lines"]


def require_openpyxl() -> None:
    """A RubricError saying how to install openpyxl, when it is not installed."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise RubricError("XLSX reports need openpyxl",
                          expected="pip install 'rubric[xlsx]'") from None


def wrapped_lines(value: object, width: float) -> int:
    """How many lines ``value`` (a cell's text; anything else is one line) wraps to in a
    column ``width`` wide (CJK characters count 2)."""
    if not isinstance(value, str) or not value:
        return 1
    room = max(int(width) - 1, 1)
    return sum(max(-(-display_width(part) // room), 1) for part in value.splitlines())


def save_printed(wb: Any, ws: Any, path: str | os.PathLike[str], *, frozen: str,
                 heading: str) -> None:
    """Save ``wb`` at ``path`` (atomically, the same bytes for the same cells) with its
    sheet ``ws`` frozen above and left of cell ``frozen`` and printed on A4 landscape,
    one page wide, centred, rows ``heading`` (``"1:2"``) repeated on every page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    from ..io.files import atomic_path
    from ..io.xlsx_files import save_workbook

    ws.freeze_panes = frozen
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = "landscape"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = heading
    ws.print_options.horizontalCentered = True
    with atomic_path(path) as tmp:
        save_workbook(wb, tmp)
