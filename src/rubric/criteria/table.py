"""Filed indicator tables read as rows: XLSX (merged 一级/二级 cells), CSV or Markdown.

``read_table(path)`` finds the header row by its titles (一级指标, 二级指标, 三级指标,
分值, 指标解释, 评价标准 or 评分标准, and when present 指标完成情况 / 实际完成值 and 得分 /
自评得分) and returns one ``TableRow`` per scored row, the merged (or, in CSV and
Markdown, blank) 一级/二级 cells filled down from the row above, and a 合计 row's 得分
as the printed total, and the text above the header as the table's title (a Markdown
table's: the text before it) — where ``rubric import`` finds the year (``2023年度…``).
openpyxl is imported only for an XLSX file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from ..errors import FileError, RubricError
from ..io.files import check_input_file, not_utf8
from ..io.xlsx_files import BROKEN, broken

__all__ = ["COLUMNS", "Table", "TableRow", "read_table"]

# Column key -> header titles (a header cell matches when it contains the title).
COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标",),
    "points": ("分值", "权重"),
    "definition": ("指标解释", "指标说明", "指标内涵"),
    "criterion": ("评价标准", "评分标准", "评分依据", "评分细则"),
    "actual": ("指标完成情况", "实际完成值", "完成情况"),
    "score": ("自评得分", "得分", "评价得分"),
}


@attrs.frozen
class TableRow:
    line: int  # the row as a spreadsheet or the file numbers it (1-based)
    level1: str
    level2: str
    name: str
    points: str
    definition: str
    criterion: str
    actual: str
    score: str
    level1_points: str = ""  # a 分值 column printed beside the 一级/二级 cell (merged)
    level2_points: str = ""


@attrs.frozen
class Table:
    rows: tuple[TableRow, ...]
    total: str  # the 合计 row's 得分, or ""
    title: str = ""  # the text above the header (``2023年度…绩效评价指标表``), or ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx(path: Path) -> list[list[str]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb.worksheets[0]
    grid = [[_text(c) for c in row] for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        top = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                grid[r][c] = top
    wb.close()
    return grid


#: a cell boundary of a Markdown table row: a ``|`` not escaped (``\|`` is a ``|`` in a
#: cell, as GitHub reads it and as rubric's reports write it), and the row's outer pipes
_PIPE = re.compile(r"(?<!\\)\|")
_OUTER = re.compile(r"^\||(?<!\\)\|$")


def _markdown(text: str) -> list[list[str]]:
    grid = []
    for line in text.splitlines():
        s = line.strip()
        if not s.startswith("|"):
            continue
        cells = [c.strip().replace("\\|", "|").replace("<br>", "\n")
                 for c in _PIPE.split(_OUTER.sub("", s))]
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue
        grid.append(cells)
    return grid


def _markdown_title(text: str) -> str:
    """The text before a Markdown file's table (its heading and any lines under it, as an
    XLSX's title is every cell above the header: a note ``填报日期：2024年3月`` under the
    heading ``2023年度…`` is two years, not the note's), or ""."""
    before = []
    for line in text.splitlines():
        if line.strip().startswith("|"):
            break
        if line.strip():
            before.append(line.strip().lstrip("#").strip())
    return " ".join(before)


def _header(grid: list[list[str]], file: str) -> tuple[int, dict[str, int]]:
    for n, row in enumerate(grid):
        found: dict[str, int] = {}
        for key, titles in COLUMNS.items():
            for i, cell in enumerate(row):
                if any(t in cell.replace("\n", "").replace(" ", "") for t in titles):
                    if key == "score" and ("分值" in cell or i in found.values()):
                        continue
                    found.setdefault(key, i)
                    break
        if "criterion" in found and "points" in found:
            return n, _group_points(row, found)
    raise FileError(f"{file}: no header row with 评价标准 (or 评分标准) and 分值",
                    expected="a table with the columns 一级指标, 二级指标, 三级指标, 分值, "
                             "评价标准")


def _group_points(row: list[str], found: dict[str, int]) -> dict[str, int]:
    """Two 分值 columns (一级/二级指标 | 分值 | 三级指标 | … | 分值): the row's is the one after
    三级指标; one printed right after a group's column is that group's 分值."""
    columns = [i for i, c in enumerate(row) if any(t in c for t in COLUMNS["points"])]
    name = found.get("name")
    if len(columns) < 2 or name is None:
        return found
    after = [i for i in columns if i > name]
    if not after:
        return found
    out = {**found, "points": after[0]}
    for level in ("level1", "level2"):
        at = found.get(level)
        if at is not None and at + 1 in columns and at + 1 < name:
            out[f"{level}_points"] = at + 1
    return out


def _title(grid: list[list[str]]) -> str:
    seen: list[str] = []
    for row in grid:
        for cell in row:
            text = re.sub(r"\s+", " ", cell).strip()
            if text and text not in seen:
                seen.append(text)
    return " ".join(seen)


def _rows(grid: list[list[str]], file: str, title: str = "") -> Table:
    start, cols = _header(grid, file)
    title = title or _title(grid[:start])
    out: list[TableRow] = []
    total = ""
    last = {"level1": "", "level2": ""}

    def cell(row: list[str], key: str) -> str:
        i = cols.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    for n, row in enumerate(grid[start + 1:], start + 2):
        if not any(row):
            continue
        first = cell(row, "level1")
        if re.sub(r"\s", "", first) in ("合计", "总计", "总分") or (
                not cell(row, "criterion") and "合计" in "".join(row)):
            total = cell(row, "score")
            continue
        values = {k: cell(row, k) for k in (*COLUMNS, "level1_points", "level2_points")}
        for key in ("level1", "level2"):
            if values[key]:
                last[key] = values[key]
                last[f"{key}_points"] = values[f"{key}_points"]
            else:
                values[key] = last[key]
                values[f"{key}_points"] = last.get(f"{key}_points", "")
        if not values["criterion"] and not values["name"]:
            continue
        out.append(TableRow(line=n, **values))
    return Table(tuple(out), total, title)


def read_table(path: str | Path) -> Table:
    """The scored rows of a filed table (see the module docstring); a file that is missing,
    a directory, not UTF-8 text or not a workbook is a FileError naming it."""
    p = check_input_file(path)
    suffix = p.suffix.lower()
    title = ""
    if suffix in (".xlsx", ".xlsm"):
        try:
            grid = _xlsx(p)
        except RubricError:
            raise
        except BROKEN as exc:
            raise broken(str(p), exc) from None
    elif suffix in (".md", ".markdown", ".csv", ".tsv", ".txt"):
        try:
            text = p.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise not_utf8(str(p)) from None
        if suffix in (".md", ".markdown"):
            grid = _markdown(text)
            title = _markdown_title(text)
        else:
            reader = csv.reader(io.StringIO(text, newline=""),
                                delimiter="\t" if suffix == ".tsv" else ",", strict=True)
            try:  # strict: an unclosed quote is an error, not the rest of the file in a cell
                grid = [list(r) for r in reader]
            except csv.Error as exc:
                raise FileError(f"cannot read line {reader.line_num} as CSV: {exc}",
                                file=str(p), expected="cells separated by commas, a quoted "
                                "cell closed by its quote") from None
    else:
        raise FileError(f"{p}: unknown table format {suffix!r}",
                        expected="an .xlsx, .csv or .md table")
    return _rows(_pad(grid), str(p), title)


def _pad(grid: Iterable[list[str]]) -> list[list[str]]:
    rows = [list(r) for r in grid]
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]
