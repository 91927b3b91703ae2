"""One XLSX file, two ways in: ``rubric score --batch`` reads it with its own reader,
``score_dataframe`` gets what ``pandas.read_excel`` makes of it. Both score the same,
Excel percent cells included (issue 10, item 2)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from rubric import load_ruleset
from rubric.batch import batch_columns
from rubric.cli import main

pd = pytest.importorskip("pandas")
openpyxl = pytest.importorskip("openpyxl")

from rubric.dataframe import score_dataframe  # noqa: E402 - after the importorskip

RULESET = """\
rubric: 1
metadata: {id: xlsx-pandas, name: 表格两读}
facts:
  预算数: {unit: 万元, minimum: 0}
  执行数: {unit: 万元, minimum: 0}
  满意度: {unit: '%', minimum: 0, maximum: 100, percent_numbers: READING}
  预算执行率: {unit: '%', formula: 执行数 / 预算数 * 100}
root: {id: 总分, max_points: 15}
indicators:
  - id: 执行率行
    max_points: 10
    rule: {kind: bands, fact: 预算执行率, direction: higher, bands: [
      {range: '<80', points: 0}, {range: '[80, 95)', points: 6}, {range: '>=95', points: 10}]}
  - id: 满意度行
    max_points: 5
    rule: {kind: bands, fact: 满意度, direction: higher, bands: [
      {range: '[0, 90)', points: 0}, {range: '[90, 95)', points: 3},
      {range: '[95, 100]', points: 5}]}
"""

#: (id, 预算数, 执行数, 满意度 as stored, its number format)
UNITS = [
    ("甲", 100, 96.5, 0.95, "0%"),
    ("乙", 628.25, 520, 0.925, "0.0%"),
    ("丙", 80, 80, 0.8, "0.00%"),
    ("丁", 50, None, 0.999, "0.0%"),  # a missing 执行数: a range
    ("戊", 0.5, 0.45, 1, "0%"),
]


def workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "预算数", "执行数", "满意度"])
    for i, (name, budget, spent, satisfaction, number_format) in enumerate(UNITS, start=2):
        ws.append([name, budget, spent, satisfaction])
        ws[f"D{i}"].number_format = number_format
    wb.save(path)


def cli_batch(ruleset_path: Path, xlsx: Path, out: Path) -> list[dict[str, str]]:
    assert main(["score", str(ruleset_path), "--batch", str(xlsx), "--output", str(out),
                 "--quiet"]) == 0
    with out.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def same(cell: object, text: str) -> bool:
    """A DataFrame cell equal to the CSV cell (exact numbers compared as numbers)."""
    if cell is None:
        return text == ""
    if isinstance(cell, Decimal):
        return cell == Decimal(text)
    return str(cell) == text


def test_fraction_reading_scores_the_same_both_ways(tmp_path: Path) -> None:
    ruleset_path = tmp_path / "r.yaml"
    ruleset_path.write_text(RULESET.replace("READING", "fraction"), encoding="utf-8")
    ruleset = load_ruleset(ruleset_path)
    xlsx = tmp_path / "units.xlsx"
    workbook(xlsx)
    rows = cli_batch(ruleset_path, xlsx, tmp_path / "out.csv")
    df = pd.read_excel(xlsx)
    assert df["满意度"].tolist() == [0.95, 0.925, 0.8, 0.999, 1]  # pandas drops the format
    out = score_dataframe(ruleset, df)
    assert len(rows) == len(out) == len(UNITS)
    compared = [c for c in batch_columns(ruleset) if c not in ("row", "warnings")]
    for (_index, frame_row), csv_row in zip(out.iterrows(), rows):
        for column in compared:
            assert same(frame_row[column], csv_row[column]), (column, frame_row[column],
                                                              csv_row[column])
    totals = [r["total"] for r in rows]
    assert totals == ["15", "9", "10", "", "11"]
    assert rows[3]["total_low"] == "5" and rows[3]["total_high"] == "15"
    # The batch reader saw "95%"; pandas saw 0.95, read as a fraction, and says so.
    assert rows[0]["warnings"] == ""
    assert out.loc[0, "warnings"] == "满意度 = 0.95 按小数读作 95% (percent_numbers: fraction)"


def test_the_default_reading_warns_where_pandas_lost_the_percent_format(tmp_path: Path
                                                                       ) -> None:
    ruleset_path = tmp_path / "r.yaml"
    ruleset_path.write_text(RULESET.replace("READING", "percent"), encoding="utf-8")
    ruleset = load_ruleset(ruleset_path)
    xlsx = tmp_path / "units.xlsx"
    workbook(xlsx)
    rows = cli_batch(ruleset_path, xlsx, tmp_path / "out.csv")
    assert [r["满意度行"] for r in rows] == ["5", "3", "0", "5", "5"]  # percent cells: as shown
    assert all(r["warnings"] == "" for r in rows)
    out = score_dataframe(ruleset, pd.read_excel(xlsx))
    assert out["满意度行"].tolist() == [0, 0, 0, 0, 0]  # 0.95 read as 0.95 %
    assert out.loc[0, "warnings"] == (
        "满意度 = 0.95 按百分数读作 0.95%，看似小数（95.00%）；如为小数请写 '95%' 或设 "
        "percent_numbers: fraction")
    assert all(w for w in out["warnings"])  # every unit is told
