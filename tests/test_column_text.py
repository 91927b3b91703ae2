"""The bulk text readers of ``engine.column_text`` and the batched CSV rows of
``io.csv_cells`` agree cell by cell with a plain reading of each cell: numbers (signed,
mixed decimals, a few bad cells, line breaks, cells with a unit), yes/no cells (one
character a cell, and any other column), dates (few distinct, many distinct), and rows
read a chunk at a time or one by one."""

from __future__ import annotations

import datetime as dt
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import seed_table
from rubric.engine.column_text import text_booleans, text_dates, text_numbers
from rubric.io.csv_cells import CellRows
from rubric.io.tabular import read_table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_batch

CELL = re.compile(r"[+-]?([0-9]{1,30})(?:\.([0-9]{1,9}))?")
NUMBERS = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=None,
                min_value=Decimal(-10) ** 16, max_value=Decimal(10) ** 16
                ).map(lambda v: format(v, "f")),
    st.from_regex(r"[+-]?[0-9]{1,20}(\.[0-9]{1,11})?", fullmatch=True),
    st.sampled_from(("", " 5", "5 ", "-", "+", "5.", ".5", "+5", "-0", "007.50", "1,234",
                     "1.2.3", "--5", "5-", "５", "1e5", "5\n6", "\n", "12 万元", "不适用")),
    st.text(max_size=5))


def expected_scale(cells: list[str]) -> int:
    return max((len(m[2] or "") for c in cells if (m := CELL.fullmatch(c))), default=0)


@given(st.lists(NUMBERS, min_size=0, max_size=40))
@settings(deadline=None)
def test_every_plain_cell_within_int64_is_taken_exactly(cells: list[str]) -> None:
    """A plain-number cell is taken whenever its digits at the column's scale fit in 18
    digits, whatever else the column holds (signs, other cells, line breaks), and its
    integer is exactly its value; no other cell is taken."""
    got = text_numbers(np, cells)
    assert got is not None
    n, ok, s = got
    assert s == expected_scale(cells)
    for text, k, good in zip(cells, n.tolist(), ok.tolist()):
        m = CELL.fullmatch(text)
        if m is None:
            assert not good and k == 0, text
            continue
        value = Decimal(text).scaleb(s)
        assert good == (abs(value) < 10 ** 18), text
        if good:
            assert Decimal(k) == value


def test_a_column_with_a_unit_cell_and_large_digits_stays_exact() -> None:
    """Rescaled for a cell with a unit, a cell whose digits would pass 18 is left out
    (never an int64 overflow)."""
    cells = ["999999999999999", "1.5 万元", "-3", "2.5"]  # 10**15 - 1 at scale 5: > 2**63
    got = text_numbers(np, cells, lambda unit: Decimal("0.0001") if unit == "万元" else None)
    assert got is not None
    n, ok, s = got
    assert s == 5
    assert ok.tolist() == [False, True, True, True]
    assert n.tolist() == [0, 15, -300000, 250000]


YES_NO = {"是": True, "否": False, "有": True, "无": False, "Y": True}


@given(st.lists(st.one_of(st.sampled_from(["是", "否", "是", "有", "无", "Y", "", " 是",
                                           "也许", "x"]), st.text(max_size=3)),
                max_size=40))
@settings(deadline=None)
def test_text_booleans_are_the_table_cell_by_cell(cells: list[str]) -> None:
    got = text_booleans(np, cells, YES_NO)
    assert got is not None
    value, ok = got
    for text, v, good in zip(cells, value.tolist(), ok.tolist()):
        hit = YES_NO.get(text)
        assert good == (hit is not None) and v == (hit is True), text


@given(st.lists(st.sampled_from(["是", "否"]), min_size=60, max_size=120),
       st.lists(st.tuples(st.integers(0, 59), st.one_of(
           st.sampled_from(["", " 是", "是 ", "也许", "无", "有", "Y", "true", "否否", "\t"]),
           st.text(max_size=3))), min_size=1, max_size=7))
@settings(deadline=None)
def test_text_booleans_mostly_one_character(cells: list[str],
                                            odd: list[tuple[int, str]]) -> None:
    """A column of one character a cell but for a few other cells (the cells' lengths
    read from the line breaks): the table, cell by cell."""
    for at, text in odd:
        cells[at] = text
    got = text_booleans(np, cells, YES_NO)
    assert got is not None
    value, ok = got
    for text, v, good in zip(cells, value.tolist(), ok.tolist()):
        hit = YES_NO.get(text)
        assert good == (hit is not None) and v == (hit is True), text


def test_text_booleans_one_character_columns() -> None:
    cells = ["是", "否", "有", "否", "Y", "是"] * 10 + ["无"]
    value, ok = text_booleans(np, cells, YES_NO)  # type: ignore[misc]
    assert ok.all()
    assert value.tolist() == [YES_NO[c] for c in cells]


def one_date(text: str, epoch: int) -> int | None:
    if re.fullmatch(r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])", text) is None:
        return None
    return dt.date.fromisoformat(text).toordinal() - epoch


DATES = st.one_of(st.dates(min_value=dt.date(1000, 1, 1)).map(str),
                  st.sampled_from(["2023-12-31", "2024-01-15", "2023-13-45", "", "2023-1-5",
                                   "2023-12-31 ", "二〇二三年"]))


@given(st.lists(DATES, max_size=12), st.integers(1, 30))
@settings(deadline=None)
def test_text_dates_are_each_cell_read_alone(distinct: list[str], repeat: int) -> None:
    """Few distinct dates (each read once) and many: the same days as one cell alone."""
    epoch = dt.date(2000, 1, 1).toordinal()
    cells = (distinct * repeat)[: len(distinct) * repeat]
    got = text_dates(np, cells, epoch)
    expected = [one_date(c, epoch) for c in cells]
    if got is None:  # numpy refuses a day the month lacks: the caller reads cell by cell
        assert any(re.fullmatch(r"\d{4}-\d\d-\d\d", c) and one_date(c, epoch) is None
                   for c in cells if c[:2] != "  ")
        return
    days, ok = got
    for want, d, good in zip(expected, days.tolist(), ok.tolist()):
        assert good == (want is not None)
        if good:
            assert d == want


def test_text_dates_refuse_a_day_the_month_lacks() -> None:
    assert text_dates(np, ["2023-02-30"] * 8 + ["2023-02-28"], 0) is None


@pytest.mark.parametrize("size", [1, 7, 512, 1000])
def test_chunks_are_the_rows_read_one_by_one(tmp_path: Path, size: int) -> None:
    """``CellRows.chunks`` hands out the same rows, numbers and errors as iterating."""
    ruleset = seed_table.build()
    lines = bench_batch.generate(1300)[0].splitlines(keepends=True)
    width = lines[0].count(",") + 1
    for at, odd in ((3, ",,,\n"), (600, "U1,#DIV/0!\n"), (700, "a\0b,1\n"),
                    (900, ",".join(["1"] * (width + 2)) + "\n"), (1100, "  ,\n")):
        lines.insert(at, odd)  # blank, error value, NUL (a csv.Error), too wide, blank
    src = tmp_path / "units.csv"
    src.write_text("".join(lines), encoding="utf-8")
    _l, rows, _t = read_table(src, ruleset, cells=True)
    one_by_one = [(n, c if isinstance(c, list) else str(c)) for n, c in rows]
    _l, rows, _t = read_table(src, ruleset, cells=True)
    assert isinstance(rows, CellRows)
    chunks = list(rows.chunks(size))
    assert all(len(c) == size for c in chunks[:-1]) and 0 < len(chunks[-1]) <= size
    flat: list[Any] = [(n, c if isinstance(c, list) else str(c)) for ch in chunks
                       for n, c in ch]
    assert flat == one_by_one
    assert len(one_by_one) > 1200
