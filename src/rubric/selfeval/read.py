"""One project's self-evaluation file read as filed: YAML, XLSX or CSV.

The XLSX (and CSV) layout is the form finance staff fill in (财预〔2020〕10号 附件2):
title rows (``项目支出绩效自评表``, ``（2023年度）``), the header block of label/value
cells (项目名称, 主管部门, 实施单位), the 资金 block under its header row (年初预算数,
全年预算数, 全年执行数, 分值, 执行率, 得分; 实际到位资金 when the form has it), the
年度总体目标 block, the 绩效指标 header row found by its titles (一级指标 … 偏差原因分析及
改进措施, 档次 when present), the indicator rows (merged 一级/二级 cells, or blank cells in
CSV, filled down), and the 总分 / 自评等级 row. Nothing is interpreted here but numbers:
target and actual cells stay text (``selfeval.targets`` reads them); a number cell that
cannot be read is kept in ``ProjectRow.unread`` for scoring to report. Errors name the
file, the sheet and the cell.

The YAML shape (``docs/selfeval.md``): 项目名称, 主管部门, 实施单位, 年度; 项目资金 {单位,
年初预算数, 全年预算数, 全年执行数, 实际到位资金, 分值, 得分, 执行率}; 年度总体目标 {预期目标,
实际完成情况}; 绩效指标, a list of rows {一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值,
分值, 得分, 偏差原因分析及改进措施, 档次} (a row without 一级指标 / 二级指标 takes the previous
row's); 总分; 自评等级.
"""

from __future__ import annotations

import csv
import datetime as _dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from ..errors import FactError, FileError, LoadError, Location, Problem, RubricError
from ..io import located_yaml
from ..io.xlsx_files import percent_format
from ..numbers import ungrouped
from .project import Funds, Project, ProjectRow

__all__ = ["COLUMN_NAMES", "FUNDS_COLUMNS", "ROW_COLUMNS", "read_grid", "read_project",
           "read_projects"]

Grid = list[list[str]]

#: indicator columns: key -> header titles (a header cell matches when it contains one)
ROW_COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",), "level2": ("二级指标",), "level3": ("三级指标", "指标名称"),
    "target": ("年度指标值", "指标值", "年度目标值", "目标值"),
    "actual": ("实际完成值", "完成值", "全年实际值", "实际值", "完成情况"),
    "points": ("分值", "权重"), "claimed": ("得分",),
    "remarks": ("偏差原因", "原因分析", "改进措施"),
    "tier": ("档次",),
}
FUNDS_COLUMNS: dict[str, tuple[str, ...]] = {
    "initial": ("年初预算数",), "annual": ("全年预算数", "调整后预算数"),
    "executed": ("全年执行数",), "available": ("实际到位资金", "到位资金"),
    "points": ("分值",), "rate": ("执行率",), "claimed": ("得分",),
}
COLUMN_NAMES = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标",
                "target": "年度指标值", "actual": "实际完成值", "points": "分值",
                "claimed": "得分", "remarks": "偏差原因分析及改进措施", "tier": "档次"}
_HEADER_LABELS = {"项目名称": "name", "主管部门": "department", "实施单位": "unit"}
_YEAR = re.compile(r"(\d{4})\s*年")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
#: a cell typed "=100%" or "=12个" (a target, not a formula: no cell reference)
_TYPED = re.compile(r"=\s*\d+(?:\.\d+)?\s*%?\s*[^\x00-\x7f]*")
#: rows under the table that are not indicator rows: 注, 说明, 填表人 …
_NOTES = ("注", "说明", "备注", "填表", "填报", "联系", "审核", "负责人")


def _plain(text: str) -> str:
    return "".join(text.split())


def _col_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@attrs.frozen
class _Sheet:
    """A sheet as text cells, merged cells filled from their top-left cell (``origin``
    says which cell each text came from, so a merged label is not its own value)."""

    file: str
    name: str | None
    cells: Grid
    origin: list[list[tuple[int, int]]]

    def where(self, r: int, c: int | None, column: str | None = None) -> Location:
        ref = f"{_col_letter(c)}{r + 1}" if c is not None else f"row {r + 1}"
        path = (f"{self.name}!{ref}" if self.name else ref) + (f" {column}" if column else "")
        return Location(self.file, r + 1, None if c is None else c + 1, path)


def _cell_text(value: Any, number_format: str = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        scaled, shown = percent_format(number_format or "")
        if scaled:
            return f"{(number * 100).normalize():f}%"
        if shown:  # 0.0"%": a literal sign after the number as stored
            return f"{number.normalize():f}%"
        text = f"{number.normalize():f}" if number != number.to_integral() else f"{int(number)}"
        return text
    return str(value).strip()


def _xlsx_sheets(path: Path, sheet: str | None) -> list[_Sheet]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    from ..io.xlsx_files import BROKEN, broken

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
        # a cell typed "=100%" is a formula to Excel; with no cached value, the text
        # typed is what the finance staff filed (the target), so it is read as text
        formulas = openpyxl.load_workbook(path, data_only=False)
    except InvalidFileException as exc:
        raise broken(str(path), exc) from None
    except BROKEN as exc:
        raise broken(str(path), exc) from None
    try:
        names = wb.sheetnames
        if sheet is not None and sheet not in names:
            raise FileError(f"no sheet '{sheet}'", file=str(path),
                            expected="one of " + ", ".join(names), example=names[0])
        out = []
        for name in [sheet] if sheet is not None else names:
            ws, typed = wb[name], formulas[name]
            cells: Grid = []
            for ri, row in enumerate(ws.iter_rows(), start=1):
                line = []
                for ci, cell in enumerate(row, start=1):
                    text = _cell_text(cell.value, cell.number_format)
                    if cell.value is None:
                        raw = typed.cell(ri, ci).value
                        if isinstance(raw, str) and _TYPED.fullmatch(raw.strip()):
                            text = raw.strip()
                    line.append(text)
                cells.append(line)
            width = max((len(r) for r in cells), default=0)
            cells = [r + [""] * (width - len(r)) for r in cells]
            origin = [[(r, c) for c in range(width)] for r in range(len(cells))]
            for merged in ws.merged_cells.ranges:
                top = cells[merged.min_row - 1][merged.min_col - 1]
                for r in range(merged.min_row - 1, min(merged.max_row, len(cells))):
                    for c in range(merged.min_col - 1, min(merged.max_col, width)):
                        cells[r][c] = top
                        origin[r][c] = (merged.min_row - 1, merged.min_col - 1)
            out.append(_Sheet(str(path), name, cells, origin))
        return out
    finally:
        wb.close()
        formulas.close()


def _csv_sheet(path: Path) -> _Sheet:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise FileError("cannot decode the CSV file", file=str(path),
                            expected="UTF-8 or GB18030 text", example="保存为 CSV UTF-8") from None
    reader = csv.reader(text.splitlines(), strict=True)
    try:  # strict: an unclosed quote is an error, not the rest of the file in a cell
        cells = [[c.strip() for c in row] for row in reader]
    except csv.Error as exc:
        raise FileError(f"cannot read line {reader.line_num} as CSV: {exc}", file=str(path),
                        expected="cells separated by commas, a quoted cell closed by its "
                        "quote") from None
    width = max((len(r) for r in cells), default=0)
    cells = [r + [""] * (width - len(r)) for r in cells]
    origin = [[(r, c) for c in range(width)] for r in range(len(cells))]
    return _Sheet(str(path), None, cells, origin)


def read_grid(path: str | Path, *, sheet: str | None = None) -> list[tuple[str | None, Grid]]:
    """The sheets of an XLSX (``sheet``: only that one) or the one sheet of a CSV file,
    as text cells with merged cells filled: ``[(sheet name, rows)]``."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        s = _csv_sheet(path)
        return [(None, s.cells)]
    return [(s.name, s.cells) for s in _xlsx_sheets(path, sheet)]


def _find_header(s: _Sheet, columns: dict[str, tuple[str, ...]], needed: tuple[str, ...],
                 start: int = 0) -> tuple[int, dict[str, int]] | None:
    for r in range(start, len(s.cells)):
        found: dict[str, int] = {}
        for c, text in enumerate(s.cells[r]):
            plain = _plain(text)
            if not plain or (s.origin[r][c][1] != c and s.origin[r][c][0] == r):
                continue  # the right part of a cell merged across columns
            for key, titles in columns.items():
                if key not in found and any(t in plain for t in titles):
                    found[key] = c
                    break
        if all(k in found for k in needed):
            return r, found
    return None


def _number(text: str) -> Decimal | None:
    plain = _plain(text).replace("，", ",")
    for suffix in ("万元", "元", "分", "%", "％"):
        if plain.endswith(suffix):
            plain = plain[: -len(suffix)]
            break
    plain = ungrouped(plain)  # thousands commas only: "1,5" is refused, never 15
    if not _NUMBER.match(plain):
        raise ValueError(text)
    try:
        return Decimal(plain)
    except InvalidOperation:
        raise ValueError(text) from None


_AMOUNTS = ("initial", "annual", "executed", "available")


def _unit_mismatch(key: str, name: str, text: str, unit: str) -> str | None:
    """The message when an amount of the 资金 block (``key``) is written in another
    money unit than the block's (``4560000元`` in a block in 万元), else None."""
    plain = _plain(text)
    written = next((u for u in ("万元", "元") if plain.endswith(u)), None)
    if key not in _AMOUNTS or written is None or written == unit:
        return None
    return f"{name} '{plain}' is in {written}, but the 项目资金 amounts are in {unit}"


def _project_from_sheet(s: _Sheet) -> Project:
    """One project from a sheet of the filed layout (see the module docstring)."""
    header = _find_header(s, ROW_COLUMNS, ("level1", "level3", "target", "points"))
    if header is None:
        raise FileError("no 绩效指标 header row (一级指标, 三级指标, 年度指标值, 分值)",
                        file=s.file + (f" [{s.name}]" if s.name else ""),
                        expected="the 项目支出绩效自评表 layout with its header row",
                        example="一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 "
                                "| 得分")
    hr, cols = header
    info: dict[str, str] = {}
    year: int | None = None
    for r in range(hr):
        for c, text in enumerate(s.cells[r]):
            plain = _plain(text)
            if year is None and ("自评表" in plain or "年度" in plain):
                m = _YEAR.search(plain)
                if m and s.origin[r][c] == (r, c):
                    year = int(m.group(1))
            label = next((lb for lb in _HEADER_LABELS if plain.startswith(lb)), None)
            if label is None or _HEADER_LABELS[label] in info or s.origin[r][c] != (r, c):
                continue
            rest = plain[len(label):]
            if rest[:1] in (":", "：") and rest[1:]:  # 项目名称：某道路项目, in one cell
                info[_HEADER_LABELS[label]] = text.strip().split(rest[0], 1)[1].strip()
            elif not rest.strip(":：") or rest.startswith(("及", "（", "(")):  # 主管部门及代码
                info[_HEADER_LABELS[label]] = _value_right(s, r, c)
    funds = _funds(s, hr)
    goal, achieved = _goal(s, hr)
    rows, total, grade = _rows(s, hr, cols)
    return Project(info.get("name", ""), funds, tuple(rows), department=info.get("department", ""),
                   unit=info.get("unit", ""), year=year, goal=goal, achieved=achieved,
                   claimed_total=total, claimed_grade=grade,
                   source=s.file + (f" [{s.name}]" if s.name else ""))


def _value_right(s: _Sheet, r: int, c: int) -> str:
    label_origin = s.origin[r][c]
    for cc in range(c + 1, len(s.cells[r])):
        text = s.cells[r][cc]
        if s.origin[r][cc] == label_origin or not text.strip():
            continue
        if any(_plain(text).startswith(lb) for lb in _HEADER_LABELS):
            return ""
        return text.strip()
    return ""


def _funds(s: _Sheet, before: int) -> Funds:
    found = _find_header(s, FUNDS_COLUMNS, ("annual", "executed"))
    if found is None or found[0] >= before:
        return Funds()
    fr, cols = found
    unit = "万元"
    for text in s.cells[fr]:
        if "项目资金" in text and "（元）" in text.replace("(", "（").replace(")", "）"):
            unit = "元"
    data = None
    for r in range(fr + 1, before):
        texts = [_plain(t) for t in s.cells[r]]
        if any("年度资金总额" in t or "资金总额" in t for t in texts):
            data = r
            break
    if data is None:
        data = fr + 1
    values: dict[str, Decimal | None] = {}
    problems: list[Problem] = []
    for key, c in cols.items():
        text = s.cells[data][c]
        if not text.strip():
            values[key] = None
            continue
        loc = s.where(data, c, FUNDS_COLUMNS[key][0])
        mismatch = _unit_mismatch(key, FUNDS_COLUMNS[key][0], text, unit)
        if mismatch is not None:
            problems.append(Problem(mismatch, file=loc.file, line=loc.line, col=loc.column,
                                    path=loc.path, expected="an amount in " + unit,
                                    example="120.5"))
            continue
        try:
            values[key] = _number(text)
        except ValueError:
            problems.append(Problem(f"{FUNDS_COLUMNS[key][0]} {text!r} is not a number",
                                    file=loc.file, line=loc.line, col=loc.column, path=loc.path,
                                    expected="an amount in " + unit, example="120.5"))
    if problems:
        raise LoadError(problems)
    return Funds(values.get("initial"), values.get("annual"), values.get("executed"),
                 values.get("available"), unit, values.get("points"), values.get("claimed"),
                 values.get("rate"), s.where(data, None, "项目资金"))


def _goal(s: _Sheet, before: int) -> tuple[str, str]:
    for r in range(before):
        texts = [_plain(t) for t in s.cells[r]]
        if "预期目标" in texts and r + 1 < before:
            goal_c = texts.index("预期目标")
            done_c = next((i for i, t in enumerate(texts) if "实际完成情况" in t), None)
            below = s.cells[r + 1]
            return below[goal_c].strip(), below[done_c].strip() if done_c is not None else ""
    return "", ""


def _rows(s: _Sheet, hr: int, cols: dict[str, int]
          ) -> tuple[list[ProjectRow], Decimal | None, str | None]:
    rows: list[ProjectRow] = []
    total: Decimal | None = None
    grade: str | None = None
    last = {"level1": "", "level2": ""}
    ended = False
    for r in range(hr + 1, len(s.cells)):
        line = s.cells[r]

        def get(key: str, line: list[str] = line) -> str:
            c = cols.get(key)
            return line[c].strip() if c is not None else ""

        texts = [_plain(t) for t in line]
        first = next((t for t in texts if t), "")
        if ended and not any(t.startswith(("自评等级", "评价等级")) for t in texts):
            continue  # the table ends at 总分 / 自评等级: notes and signatures follow
        if first.startswith(("总分", "合计", "自评等级", "评价等级")) or any(
                t in ("总分", "合计") for t in texts[: cols["level3"] + 1]):
            for c, t in enumerate(texts):
                if t.startswith(("自评等级", "评价等级")):
                    said = re.split(r"[:：]", t, maxsplit=1)
                    below = _plain(s.cells[r + 1][c]) if r + 1 < len(s.cells) else ""
                    grade = (said[1] if len(said) == 2 and said[1] else _value_right(s, r, c)
                             or (below if 0 < len(below) <= 4 else "") or None)
            ended = True
            sc = cols.get("claimed")
            if sc is not None and total is None and s.cells[r][sc].strip():
                try:
                    total = _number(s.cells[r][sc])
                except ValueError:
                    raise FactError(f"总分 {s.cells[r][sc]!r} is not a number",
                                    location=s.where(r, sc, "总分"),
                                    expected="the printed total", example="92.5") from None
            continue
        if not any(get(k) for k in ("level3", "target", "actual", "points", "claimed")):
            continue
        origins = {s.origin[r][c] for c, t in enumerate(texts) if t}
        if first.startswith(_NOTES) or len(origins) == 1:
            continue  # a note under the table, or one cell merged across the row
        fills = {}
        for key in ("level1", "level2"):
            value = get(key)
            if value:
                last[key] = value
                if key == "level1":
                    last["level2"] = get("level2")
            fills[key] = value or last[key]
        numbers: dict[str, Decimal | None] = {}
        unread: dict[str, str] = {}
        for key in ("points", "claimed"):
            text = get(key)
            try:
                numbers[key] = _number(text) if text else None
            except ValueError:
                numbers[key] = None
                unread[COLUMN_NAMES[key]] = text
        cells = {COLUMN_NAMES[k]: s.where(r, c, COLUMN_NAMES[k]) for k, c in cols.items()}
        rows.append(ProjectRow(fills["level1"], fills["level2"], get("level3"), get("target"),
                               get("actual"), numbers["points"], numbers["claimed"],
                               get("remarks"), s.where(r, None), get("tier") or None, cells,
                               unread))
    return rows, total, grade


# -- YAML ---------------------------------------------------------------------------

def _yaml_project(path: Path) -> Project:
    doc = located_yaml.read(path)
    data = doc.data
    problems: list[Problem] = []
    if not isinstance(data, dict) or "绩效指标" not in data:
        raise LoadError([doc.problem("not a project self-evaluation file",
                                     expected="a mapping with 项目名称, 项目资金 and 绩效指标",
                                     example="绩效指标: [{一级指标: 产出指标, ...}]")])

    def number(value: object, at: tuple[Any, ...], what: str) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return Decimal(value)
        try:
            return _number(str(value))
        except ValueError:
            problems.append(doc.problem(f"{what} {value!r} is not a number", at,
                                        expected="a number", example="8"))
            return None

    def loc(at: tuple[Any, ...]) -> Location:
        line, col = doc.where(at)
        return Location(doc.filename, line, col, located_yaml.format_path(at))

    raw_funds = data.get("项目资金") or {}
    if not isinstance(raw_funds, dict):
        problems.append(doc.problem("项目资金 must be a mapping", ("项目资金",),
                                    expected="{年初预算数, 全年预算数, 全年执行数, 分值, 得分}",
                                    example="项目资金: {全年预算数: 100, 全年执行数: 95}"))
        raw_funds = {}
    fkeys = {"initial": "年初预算数", "annual": "全年预算数", "executed": "全年执行数",
             "available": "实际到位资金", "points": "分值", "claimed": "得分",
             "claimed_rate": "执行率"}
    funds_unit = str(raw_funds.get("单位") or "万元")
    fvals: dict[str, Decimal | None] = {}
    for k, v in fkeys.items():
        mismatch = _unit_mismatch(k, v, str(raw_funds.get(v) or ""), funds_unit)
        if mismatch is not None:
            problems.append(doc.problem(mismatch, ("项目资金", v),
                                        expected="an amount in " + funds_unit,
                                        example="120.5"))
            fvals[k] = None
        else:
            fvals[k] = number(raw_funds.get(v), ("项目资金", v), v)
    funds = Funds(**fvals, unit=funds_unit, location=loc(("项目资金",)))
    rows: list[ProjectRow] = []
    raw_rows = data.get("绩效指标")
    if not isinstance(raw_rows, list):
        problems.append(doc.problem("绩效指标 must be a list of rows", ("绩效指标",),
                                    expected="a list", example="- {三级指标: 道路长度, ...}"))
        raw_rows = []
    last = {"一级指标": "", "二级指标": ""}
    text: Callable[[Any], str] = lambda v: "" if v is None else str(v).strip()  # noqa: E731
    for i, raw in enumerate(raw_rows):
        at = ("绩效指标", i)
        if not isinstance(raw, dict):
            problems.append(doc.problem("a row must be a mapping", at, expected="a mapping",
                                        example="{三级指标: 道路长度, 年度指标值: ≥95公里}"))
            continue
        if raw.get("一级指标"):
            last["一级指标"], last["二级指标"] = text(raw["一级指标"]), ""
        if raw.get("二级指标"):
            last["二级指标"] = text(raw["二级指标"])
        cells = {k: loc((*at, k)) for k in COLUMN_NAMES.values()}
        rows.append(ProjectRow(
            last["一级指标"], last["二级指标"], text(raw.get("三级指标")),
            text(raw.get("年度指标值")), text(raw.get("实际完成值")),
            number(raw.get("分值"), (*at, "分值"), "分值"),
            number(raw.get("得分"), (*at, "得分"), "得分"),
            text(raw.get("偏差原因分析及改进措施")), loc(at), text(raw.get("档次")) or None, cells))
    goal = data.get("年度总体目标") or {}
    year = data.get("年度")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        m = _YEAR.search(str(year)) or re.match(r"^\s*(\d{4})\s*$", str(year))
        year = int(m.group(1)) if m else None
        if year is None:
            problems.append(doc.problem(f"年度 {data.get('年度')!r} is not a year", ("年度",),
                                        expected="a year", example="2023"))
    total = number(data.get("总分"), ("总分",), "总分")
    if problems:
        raise LoadError(problems)
    return Project(text(data.get("项目名称")), funds, tuple(rows),
                   department=text(data.get("主管部门")), unit=text(data.get("实施单位")),
                   year=year, goal=text(goal.get("预期目标")) if isinstance(goal, dict) else "",
                   achieved=text(goal.get("实际完成情况")) if isinstance(goal, dict) else "",
                   claimed_total=total, claimed_grade=text(data.get("自评等级")) or None,
                   source=doc.filename)


def read_project(path: str | Path, *, sheet: str | None = None) -> Project:
    """One project's self-evaluation from a YAML, XLSX or CSV file (``sheet``: the XLSX
    sheet; default the first sheet with a 绩效指标 header row)."""
    path = Path(path)
    if not path.is_file():
        raise FileError("no such file", file=str(path), expected="a self-evaluation file "
                        "(.yaml, .xlsx or .csv)", example="project.xlsx")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        return _yaml_project(path)
    if suffix == ".csv":
        return _project_from_sheet(_csv_sheet(path))
    if suffix in (".xlsx", ".xlsm"):
        sheets = _xlsx_sheets(path, sheet)
        errors: list[RubricError] = []
        for s in sheets:
            try:
                return _project_from_sheet(s)
            except FileError as exc:
                errors.append(exc)
        raise errors[0]
    raise FileError(f"unknown file type '{path.suffix}'", file=str(path),
                    expected="a .yaml, .xlsx or .csv self-evaluation file",
                    example="project.xlsx")


def read_projects(path: str | Path) -> list[Project | RubricError]:
    """Every project of a workbook with one sheet per project (the workbook loaded
    once): each sheet with a 绩效指标 header row is a Project, or the error that sheet
    raised (located by file and sheet); sheets without the header are skipped. A CSV or
    YAML file is its one project."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return [read_project(path)]
    out: list[Project | RubricError] = []
    for s in _xlsx_sheets(path, None):
        if _find_header(s, ROW_COLUMNS, ("level1", "level3", "target", "points")) is None:
            continue
        try:
            out.append(_project_from_sheet(s))
        except RubricError as exc:
            out.append(exc)
    return out
