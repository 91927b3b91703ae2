"""Writing project self-evaluation files in the filed layout (财预〔2020〕10号 附件2), for
tests: the XLSX form as finance staff fill it in (title rows, merged label cells, the 资金
block, merged 一级/二级 cells, the 总分 / 自评等级 row), and the same as CSV and YAML.

A project is given as a plain dict: ``name``, ``department``, ``unit``, ``year``,
``funds`` (initial, annual, executed, points, claimed, rate), ``rows`` (tuples of 一级,
二级, 三级, 年度指标值, 实际完成值, 分值, 得分 — ``None`` for a blank cell — and optionally
the 偏差原因), ``total`` and ``grade``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
          "偏差原因分析及改进措施")


def _value(v: Any) -> Any:
    """Numbers as numbers (as Excel holds them), text as text."""
    if v is None:
        return None
    if isinstance(v, (int, float)):
        return v
    text = str(v)
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text else number


def grid(project: dict[str, Any]) -> tuple[list[list[Any]], list[tuple[int, int, int, int]]]:
    """The sheet's rows (9 columns, A is the 绩效指标 label column) and merged ranges
    (min_row, min_col, max_row, max_col; 1-based)."""
    f = project["funds"]
    rows: list[list[Any]] = []
    merges: list[tuple[int, int, int, int]] = []

    def add(cells: list[Any]) -> int:
        rows.append(cells + [None] * (9 - len(cells)))
        return len(rows)

    r = add(["项目支出绩效自评表"])
    merges.append((r, 1, r, 9))
    r = add([f"（{project['year']}年度）"] if project.get("year") else [None])
    merges.append((r, 1, r, 9))
    r = add(["项目名称", project["name"]])
    merges.append((r, 2, r, 9))
    r = add(["主管部门", project.get("department", ""), None, None, None, "实施单位",
             project.get("unit", "")])
    merges.append((r, 2, r, 5))
    merges.append((r, 7, r, 9))
    top = add(["项目资金（万元）", None, "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值",
               "执行率（B/A）", "得分"])
    add([None, "年度资金总额", _value(f.get("initial")), _value(f.get("annual")),
         _value(f.get("executed")), _value(f.get("points")), f.get("rate"),
         _value(f.get("claimed"))])
    add([None, "其中：本年财政拨款", _value(f.get("annual")), _value(f.get("annual")),
         _value(f.get("executed"))])
    add([None, "上年结转资金"])
    bottom = add([None, "其他资金"])
    merges.append((top, 1, bottom, 1))
    r = add(["年度总体目标", "预期目标", None, None, None, "实际完成情况"])
    merges.append((r, 2, r, 5))
    merges.append((r, 6, r, 9))
    r2 = add([None, project.get("goal", "完成项目建设"), None, None, None,
              project.get("achieved", "已完成")])
    merges.append((r2, 2, r2, 5))
    merges.append((r2, 6, r2, 9))
    merges.append((r, 1, r2, 1))
    head = add(["绩效指标", *HEADER])
    keys: list[tuple[Any, ...]] = []
    for row in project["rows"]:
        level1, level2, name, target, actual, points, claimed, *rest = row
        first1 = not keys or keys[-1][0] != level1
        first2 = not keys or keys[-1] != (level1, level2)
        add([None, level1 if first1 else None, level2 if first2 else None, name, target,
             actual, _value(points), _value(claimed), rest[0] if rest else None])
        keys.append((level1, level2))
    # merge each run of equal 一级 / 二级 cells, as the filed forms do
    for col, width in ((2, 1), (3, 2)):
        start = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i][:width] != keys[start][:width]:
                if i - 1 > start:
                    merges.append((head + 1 + start, col, head + i, col))
                start = i
    if keys:
        merges.append((head, 1, head + len(keys), 1))
    add(["总分", None, None, None, None, None, 100, _value(project.get("total")),
         f"自评等级：{project['grade']}" if project.get("grade") else None])
    return rows, merges


def write_xlsx(path: Path, project: dict[str, Any], *, sheet: str = "自评表") -> Path:
    return write_workbook(path, {sheet: project})


def write_workbook(path: Path, projects: dict[str, dict[str, Any]]) -> Path:
    """One sheet per project, named by the keys."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, project in projects.items():
        _sheet(wb.create_sheet(sheet), project)
    wb.save(path)
    return path


def _sheet(ws: Any, project: dict[str, Any]) -> None:
    rows, merges = grid(project)
    for r, cells in enumerate(rows, start=1):
        for c, value in enumerate(cells, start=1):
            if value is not None:
                cell = ws.cell(r, c, value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # typed as text ('=100%), not a formula
    for a, b, c, d in merges:
        ws.merge_cells(start_row=a, start_column=b, end_row=c, end_column=d)


def write_csv(path: Path, project: dict[str, Any]) -> Path:
    rows, _merges = grid(project)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["" if v is None else v for v in r] for r in rows])
    return path


def write_yaml(path: Path, project: dict[str, Any]) -> Path:
    f = project["funds"]

    def q(v: Any) -> str:
        return "null" if v is None else f"'{v}'" if isinstance(v, str) else str(v)

    lines = [f"项目名称: {project['name']}", f"主管部门: {project.get('department', '')}",
             f"实施单位: {project.get('unit', '')}", f"年度: {project['year']}", "项目资金:",
             "  单位: 万元"]
    for key, name in (("initial", "年初预算数"), ("annual", "全年预算数"),
                      ("executed", "全年执行数"), ("points", "分值"), ("claimed", "得分")):
        lines.append(f"  {name}: {q(f.get(key))}")
    lines.append("绩效指标:")
    for row in project["rows"]:
        level1, level2, name, target, actual, points, claimed, *_ = row
        lines.append(f"  - {{一级指标: {level1}, 二级指标: {level2}, 三级指标: {name}, "
                     f"年度指标值: {q(target)}, 实际完成值: {q(actual)}, 分值: {q(points)}, "
                     f"得分: {q(claimed)}}}")
    lines.append(f"总分: {q(project.get('total'))}")
    if project.get("grade"):
        lines.append(f"自评等级: {project['grade']}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
