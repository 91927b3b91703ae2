"""Many projects' self-evaluations in one file, read into ``Project`` objects.

Two layouts are read (docs/selfeval-batch.md):

* the long format (CSV or an XLSX sheet): one row per project × indicator under one
  header row (title rows above it are skipped), with a 项目名称 column (and optionally
  项目编码, 主管部门, 实施单位, 年度), the row columns 一级指标 / 二级指标 / 三级指标 /
  年度指标值 / 实际完成值 / 分值 / 得分 / 偏差原因分析及改进措施 / 档次, the 资金 columns
  年初预算数 / 全年预算数 / 全年执行数 / 实际到位资金 (their unit in the header,
  ``全年预算数（万元）``; 万元 when none is written) and 总分 / 自评等级. A project's
  values (资金, 主管部门, 总分 ...) may be repeated on every row or given once, on any of
  its rows; two different values for one project are an error for that project. A blank
  项目名称 (a merged cell, or a cell left blank under the one above) continues the
  project above; 一级指标 and 二级指标 fill down within a project. Rows are grouped by
  项目编码 when the file has that column, else by 项目名称, in the order each project
  first appears. The 预算执行率 row is a row whose 一级指标 (or 三级指标) names it
  (``预算执行率``, ``预算资金执行率``, ``资金执行率``): its 分值 and 得分 are the 资金
  block's. A 总分 row gives the printed 总分.
* a workbook with one sheet per project, each in the filed 自评表 layout
  (``selfeval.read``).

A project that cannot be read is a ``ProjectNotRead`` naming it and the cell; the other
projects are read. A file that has neither layout is a ``FileError``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

import attrs

from ..errors import FactError, FileError, Location, RubricError, UnitError
from ..numbers import MAX_NUMBER_TEXT, accepted, ungrouped
from ..units import conversion_factor, converted
from .project import Funds, Project, ProjectRow
from .read import read_grid, read_projects

__all__ = ["BUDGET_ROW_NAMES", "LONG_COLUMNS", "ProjectNotRead", "read_many"]

#: the long format's columns: key -> the header titles that name it (units in brackets
#: and spaces ignored)
LONG_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称", "项目"), "code": ("项目编码", "项目代码", "项目编号"),
    "department": ("主管部门",), "unit": ("实施单位",), "year": ("年度",),
    "level1": ("一级指标", "一级指标名称"), "level2": ("二级指标", "二级指标名称"),
    "level3": ("三级指标", "三级指标名称", "指标名称"),
    "target": ("年度指标值", "指标值", "年度目标值"),
    "actual": ("实际完成值", "完成值", "全年实际值", "实际值"),
    "points": ("分值", "权重"), "claimed": ("得分", "自评得分"),
    "remarks": ("偏差原因分析及改进措施", "偏差原因分析", "偏差原因", "未完成原因分析"),
    "tier": ("档次",),
    "initial": ("年初预算数",), "annual": ("全年预算数", "调整后预算数"),
    "executed": ("全年执行数",), "available": ("实际到位资金", "到位资金"),
    "total": ("总分",), "grade": ("自评等级",),
}
_NEEDED = ("name", "level1", "level3", "target", "points")
_IGNORED = frozenset({"序号", "备注"})
_CELL_NAMES = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标",
               "target": "年度指标值", "actual": "实际完成值", "points": "分值",
               "claimed": "得分", "remarks": "偏差原因分析及改进措施", "tier": "档次"}
_FUND_KEYS = ("initial", "annual", "executed", "available")
_PROJECT_KEYS = ("code", "department", "unit", "year", *_FUND_KEYS, "total", "grade")
_TITLES = {key: titles[0] for key, titles in LONG_COLUMNS.items()}
#: the names of the 预算执行率 row in the long format
BUDGET_ROW_NAMES = ("预算执行率", "预算资金执行率", "资金执行率", "项目资金执行率", "预算执行")
_TOTAL_ROW = ("总分", "合计")
_BRACKETS = re.compile(r"[(（\[【]\s*([^)）\]】]*)\s*[)）\]】]")
_POINTS_NOTE = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分?\s*[)）]$")
_HEADER_SEARCH = 30


@attrs.frozen
class ProjectNotRead:
    """A project (or a row naming none) that could not be read: ``name`` its 项目名称
    (None for a row that names no project), ``source`` the file, ``error`` located at
    the cell."""

    name: str | None
    source: str
    error: RubricError

    @property
    def message(self) -> str:
        return str(self.error)


def _plain(text: str) -> str:
    return "".join(text.split())


def _col(index: int) -> str:
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _header(cells: list[str]) -> tuple[dict[str, int], dict[str, str], list[str]] | None:
    """The long format's columns of a header row (key -> column, key -> unit in the
    header, titles not read), or None when the row is not that header."""
    found: dict[str, int] = {}
    units: dict[str, str] = {}
    ignored: list[str] = []
    for c, text in enumerate(cells):
        plain = _plain(text)
        if not plain:
            continue
        unit = _BRACKETS.search(plain)
        title = _BRACKETS.sub("", plain)
        key = next((k for k, titles in LONG_COLUMNS.items() if title in titles), None)
        if key is None or key in found:
            if title not in _IGNORED:
                ignored.append(plain)
            continue
        found[key] = c
        if unit and unit[1]:
            units[key] = unit[1]
    if not all(k in found for k in _NEEDED):
        return None
    return found, units, ignored


def _find_header(grid: list[list[str]]
                 ) -> tuple[int, dict[str, int], dict[str, str], list[str]] | None:
    for r, cells in enumerate(grid[:_HEADER_SEARCH]):
        header = _header(cells)
        if header is not None:
            return (r, *header)
    return None


def _number(text: str, unit: str | None) -> Decimal:
    if text.isascii() and text.isdigit() and len(text) < 19:  # the common case: 10
        return Decimal(text)
    plain = _plain(text).replace("，", ",")
    for suffix in (unit, "分"):
        if suffix and plain.endswith(suffix):
            plain = plain[: -len(suffix)]
            break
    plain = ungrouped(plain)  # thousands commas only: "1,5" is refused, never 15
    if len(plain) > MAX_NUMBER_TEXT:
        raise ValueError(text)
    try:
        value = Decimal(plain)
    except InvalidOperation:
        raise ValueError(text) from None
    if not accepted(value):
        raise ValueError(text)
    return value


def _is_budget(level1: str, level3: str) -> bool:
    names = {_POINTS_NOTE.sub("", _plain(level1)), _POINTS_NOTE.sub("", _plain(level3))}
    return any(n in BUDGET_ROW_NAMES for n in names)


@attrs.define
class _Gather:
    """One project's rows and values as they are read."""

    name: str
    first: int
    rows: list[ProjectRow] = attrs.field(factory=list)
    values: dict[str, tuple[str, Location]] = attrs.field(factory=dict)
    budget: dict[str, tuple[Decimal | None, Location]] = attrs.field(factory=dict)
    last: dict[str, str] = attrs.field(factory=lambda: {"level1": "", "level2": ""})
    error: RubricError | None = None


class _Cells(Mapping[str, Location]):
    """A row's cells by column name (年度指标值 ...), each ``Location`` made when asked
    for: a batch of thousands of rows names only the few cells that have a problem."""

    def __init__(self, sheet: _LongSheet, r: int) -> None:
        self._sheet, self._r = sheet, r

    def __getitem__(self, name: str) -> Location:
        key = self._sheet.cell_keys.get(name)
        if key is None:
            raise KeyError(name)
        return self._sheet.where(self._r, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._sheet.cell_keys)

    def __len__(self) -> int:
        return len(self._sheet.cell_keys)


class _LongSheet:
    """One sheet (or CSV file) of the long format, grouped into projects."""

    def __init__(self, file: str, sheet: str | None, grid: list[list[str]],
                 header: tuple[int, dict[str, int], dict[str, str], list[str]]) -> None:
        self.file, self.sheet, self.grid = file, sheet, grid
        self.hr, self.cols, self.units, self.ignored = header
        self.source = file + (f" [{sheet}]" if sheet else "")
        self.cell_keys = {_CELL_NAMES[k]: k for k in _CELL_NAMES if k in self.cols}
        self.line: dict[str, str] = {}

    def where(self, r: int, key: str | None) -> Location:
        c = self.cols.get(key) if key else None
        ref = f"{_col(c)}{r + 1}" if c is not None else f"row {r + 1}"
        name = _TITLES.get(key, "") if key else ""
        path = (f"{self.sheet}!{ref}" if self.sheet else ref) + (f" {name}" if name else "")
        return Location(self.file, r + 1, None if c is None else c + 1, path)

    def get(self, r: int, key: str) -> str:
        c = self.cols.get(key)
        return self.grid[r][c].strip() if c is not None and c < len(self.grid[r]) else ""

    def read_line(self, r: int) -> None:
        """The cells of row ``r`` by key, read once (``self.line``)."""
        cells = self.grid[r]
        self.line = {k: cells[c].strip() if c < len(cells) else "" for k, c in self.cols.items()}

    def projects(self, gathered: dict[str, _Gather], orphans: list[ProjectNotRead]) -> None:
        current: _Gather | None = None
        key_column = "code" if "code" in self.cols else "name"
        for r in range(self.hr + 1, len(self.grid)):
            if not any(t and not t.isspace() for t in self.grid[r]):
                continue
            key = self.get(r, key_column)
            named = self.get(r, "name")
            if not key and current is not None and named in ("", current.name):
                gather = current
            elif not key:
                orphans.append(ProjectNotRead(None, self.source, FactError(
                    f"this row names no project ({_TITLES[key_column]} is blank)",
                    location=self.where(r, key_column),
                    expected=f"the {_TITLES[key_column]} of the project the row belongs to",
                    example="农村道路维修项目")))
                continue
            else:
                gather = gathered.get(key) or gathered.setdefault(
                    key, _Gather(self.get(r, "name") or key, len(gathered)))
            current = gather
            if gather.error is None:
                try:
                    self.read_line(r)
                    self.row(r, gather)
                except RubricError as exc:
                    gather.error = exc

    def row(self, r: int, g: _Gather) -> None:
        line = self.line
        for key in (*_PROJECT_KEYS, "name") if "code" in self.cols else _PROJECT_KEYS:
            text = line.get(key, "")
            if not text:
                continue
            seen = g.values.get(key)
            if seen is None:
                g.values[key] = (text, self.where(r, key))
            elif seen[0] != text and _plain(seen[0]) != _plain(text):
                raise FactError(f"{_TITLES[key]} of project '{g.name}' is '{text}' here and "
                                f"'{seen[0]}' at {seen[1].path}", location=self.where(r, key),
                                expected=f"one {_TITLES[key]} per project (repeat it, or "
                                "give it on one row)", example=seen[0])
        levels = {}
        for key in ("level1", "level2"):
            text = line.get(key, "")
            if text and key == "level1" and text != g.last["level1"]:
                g.last["level2"] = ""
            if text:
                g.last[key] = text
            levels[key] = text or g.last[key]
        level3 = line.get("level3", "")
        numbers: dict[str, Decimal | None] = {}
        unread: dict[str, str] = {}
        for key in ("points", "claimed"):
            text = line.get(key, "")
            try:
                numbers[key] = _number(text, None) if text else None
            except ValueError:
                numbers[key] = None
                unread[_CELL_NAMES[key]] = text
        if _is_budget(levels["level1"], level3):
            for key in ("points", "claimed"):
                if _CELL_NAMES[key] in unread:
                    raise FactError(f"预算执行率 {_CELL_NAMES[key]} "
                                    f"'{unread[_CELL_NAMES[key]]}' is not a "
                                    "number", location=self.where(r, key),
                                    expected="a number", example="10")
                g.budget[key] = (numbers[key], self.where(r, key))
            g.last["level1"] = g.last["level2"] = ""
            return
        if _plain(levels["level1"]) in _TOTAL_ROW or _plain(level3) in _TOTAL_ROW:
            if numbers["claimed"] is not None and "total" not in g.values:
                g.values["total"] = (line.get("claimed", ""), self.where(r, "claimed"))
            return
        if not any(line.get(k) for k in ("level3", "target", "actual", "points", "claimed")):
            return
        g.rows.append(ProjectRow(levels["level1"], levels["level2"], level3,
                                 line.get("target", ""), line.get("actual", ""),
                                 numbers["points"], numbers["claimed"], line.get("remarks", ""),
                                 self.where(r, None), line.get("tier") or None, _Cells(self, r),
                                 unread))

    def project(self, g: _Gather) -> Project | ProjectNotRead:
        if g.error is not None:
            return ProjectNotRead(g.name, self.source, g.error)
        try:
            return self._project(g)
        except RubricError as exc:
            return ProjectNotRead(g.name, self.source, exc)

    def _project(self, g: _Gather) -> Project:
        values = g.values

        def number(key: str, unit: str | None = None) -> Decimal | None:
            if key not in values:
                return None
            text, at = values[key]
            try:
                return _number(text, unit)
            except ValueError:
                raise FactError(f"{_TITLES[key]} '{text}' of project '{g.name}' is not a "
                                "number", location=at, expected="a number"
                                + (f" in {unit}" if unit else ""), example="120.5") from None

        written_units = {self.units.get(k, "万元") for k in _FUND_KEYS if k in self.cols}
        unit = written_units.pop() if len(written_units) == 1 else "万元"  # the form's unit

        def money(key: str) -> Decimal | None:
            written = self.units.get(key, "万元")
            value = number(key, written)
            if value is None or written == unit:
                return value
            try:  # another column's unit (年初预算数（元）beside 全年预算数（万元）)
                return converted(value, conversion_factor(written, unit))
            except UnitError as exc:
                raise FactError(f"{_TITLES[key]}: {exc.message}", location=values[key][1],
                                expected=f"a sum of money in {unit} or another money unit",
                                example=f"{_TITLES[key]}（{unit}）") from None

        funds_at = next((values[k][1] for k in _FUND_KEYS if k in values), None)
        points, claimed = (g.budget.get(k, (None, None))[0] for k in ("points", "claimed"))
        funds = Funds(money("initial"), money("annual"), money("executed"), money("available"),
                      unit, points, claimed, location=funds_at)
        year = None
        if "year" in values:
            written, at = values["year"]
            m = re.fullmatch(r"((?:19|20)\d\d)(?:年度?)?", _plain(written))
            if m is None:
                raise FactError(f"年度 '{written}' of project '{g.name}' is not a year",
                                location=at, expected="a year", example="2023")
            year = int(m[1])
        total = number("total")

        def text(key: str) -> str:
            return values[key][0] if key in values else ""

        return Project(g.name, funds, tuple(g.rows), department=text("department"),
                       unit=text("unit"), year=year, claimed_total=total,
                       claimed_grade=text("grade") or None,
                       source=f"{self.source}: {g.name}")


def _long_projects(path: Path, sheets: list[tuple[str | None, list[list[str]]]]
                   ) -> tuple[list[Project | ProjectNotRead], list[str]] | None:
    """The projects of every long-format sheet, or None when no sheet is one."""
    gathered: dict[str, _Gather] = {}
    owners: dict[str, _LongSheet] = {}
    orphans: list[ProjectNotRead] = []
    warnings: list[str] = []
    found = False
    for name, grid in sheets:
        header = _find_header(grid)
        if header is None:
            continue
        found = True
        sheet = _LongSheet(str(path), name, grid, header)
        if sheet.ignored:
            warnings.append(f"{sheet.source}: columns not read: " + ", ".join(sheet.ignored))
        before = set(gathered)
        sheet.projects(gathered, orphans)
        for key in set(gathered) - before:
            owners[key] = sheet
    if not found:
        return None
    out: list[Project | ProjectNotRead] = [owners[k].project(g) for k, g in gathered.items()]
    return [*out, *orphans], warnings


def read_many(path: str | Path, *, sheet: str | None = None, year: int | None = None
               ) -> tuple[list[Project | ProjectNotRead], list[str]]:
    """Every project of a batch file (long format, or one sheet per project), in file
    order, with the file's warnings (columns not read). ``sheet``: only that sheet;
    ``year``: the 年度 of a project the file gives none for."""
    path = Path(path)
    if not path.is_file():
        raise FileError("no such file", file=str(path), expected="a batch of "
                        "self-evaluations (.xlsx or .csv)", example="projects.xlsx")
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise FileError(f"unknown file type '{path.suffix}'", file=str(path),
                        expected="a .xlsx or .csv batch file", example="projects.xlsx")
    sheets = read_grid(path, sheet=sheet)
    long = _long_projects(path, sheets)
    if long is None and path.suffix.lower() == ".csv":
        raise FileError("no header row with 项目名称, 一级指标, 三级指标, 年度指标值 and 分值",
                        file=str(path), expected="the long format: one row per project × "
                        "indicator", example="项目名称,一级指标,二级指标,三级指标,年度指标值,"
                        "实际完成值,分值,得分")
    items, warnings = long if long is not None else (
        list(_sheet_projects(path)), [])
    if year is not None:
        items = [attrs.evolve(p, year=year) if isinstance(p, Project) and p.year is None
                 else p for p in items]
    return items, warnings


def _sheet_projects(path: Path) -> Iterator[Project | ProjectNotRead]:
    for item in read_projects(path):
        yield item if isinstance(item, Project) else ProjectNotRead(None, str(path), item)
