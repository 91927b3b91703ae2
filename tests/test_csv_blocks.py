"""CSV rows read in blocks of text (``io.csv_cells``' ``_blocks``, ``_split``) are the rows
the csv module reads one by one: the same numbers, cells and errors for odd text (double
quotes, quoted line breaks across a block's end, ``\\r\\n`` and lone ``\\r``, NUL, blank
lines, ``#`` and error values, short and wide rows, undecoded bytes, no line break at the
end), whether iterated, taken a list at a time or a ``CellChunk`` at a time."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rubric.io.csv_cells as csv_cells_module
import seed_table
from rubric.io.csv_cells import CellRows, _split, csv_cells
from rubric.io.tabular import read_table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_batch


def shown(rows: Any) -> list[tuple[int, Any]]:
    return [(n, c if isinstance(c, list) else f"{type(c).__name__}: {c}") for n, c in rows]


def by_rows(path: Path, encoding: str = "utf-8") -> list[tuple[int, Any]]:
    """The rows read the csv module's way, one by one (``csv_cells`` without blocks), by
    a strict reader as ``read_table``'s (an unclosed quote is an error)."""
    fh = open(path, encoding=encoding, newline="", errors="surrogateescape")  # noqa: SIM115
    reader = csv.reader(fh, strict=True)
    header = [h.strip() for h in next(reader)]
    return shown(csv_cells(fh, reader, header, encoding, 1))


def by_blocks(path: Path, how: str, encoding: str = "utf-8") -> list[tuple[int, Any]]:
    fh = open(path, encoding=encoding, newline="", errors="surrogateescape")  # noqa: SIM115
    reader = csv.reader(fh, strict=True)
    header = [h.strip() for h in next(reader)]
    rows = csv_cells(fh, reader, header, encoding, 1, pending=[])
    assert isinstance(rows, CellRows)
    if how == "iter":
        return shown(rows)
    if how == "chunks":
        return shown(r for chunk in rows.chunks(3) for r in chunk)
    return shown(chunk.row(i) for chunk in rows.cell_chunks(3) for i in range(len(chunk)))


PIECES = ["1", "2.5", "是", "否", "", " ", "U1", '"', '"a,b"', '"x\ny"', '"q""q"', "#N/A",
          "#1", "a#", "\x00", "\udc80", "\t", "优", "  "]
ENDS = ["\n", "\n", "\n", "\r\n", "\r", ""]


@st.composite
def csv_texts(draw: Any) -> str:
    width = draw(st.integers(1, 4))
    header = ",".join(f"c{k}" for k in range(width))
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        size = draw(st.one_of(st.just(width), st.just(width), st.integers(0, width + 2)))
        cells = draw(st.lists(st.sampled_from(PIECES), min_size=size, max_size=size))
        lines.append(",".join(cells) + draw(st.sampled_from(ENDS)))
    return header + "\n" + "".join(lines)


@given(csv_texts(), st.integers(1, 40), st.sampled_from(["iter", "chunks", "cells"]))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None,
          max_examples=400)
def test_blocks_read_the_rows_the_csv_module_reads(tmp_path: Path, monkeypatch: Any,
                                                   text: str, block: int, how: str) -> None:
    monkeypatch.setattr(csv_cells_module, "BLOCK_CHARS", block)
    src = tmp_path / "t.csv"
    src.write_bytes(text.encode("utf-8", "surrogateescape"))
    assert by_blocks(src, how) == by_rows(src)


@pytest.mark.parametrize("block", [64, 1000, 1 << 20])
@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_the_bench_file_is_read_in_blocks_as_row_by_row(tmp_path: Path, monkeypatch: Any,
                                                        block: int, end: str) -> None:
    monkeypatch.setattr(csv_cells_module, "BLOCK_CHARS", block)
    lines = bench_batch.generate(300)[0].splitlines()
    lines[40] = lines[40].replace("U000039", '"U,39"')  # one quoted cell
    src = tmp_path / "t.csv"
    src.write_text(end.join(lines) + end, encoding="utf-8")
    assert by_blocks(src, "cells") == by_rows(src)
    assert by_blocks(src, "iter") == by_rows(src)


def test_whole_blocks_are_split_and_odd_ones_left() -> None:
    assert _split("a,b\nc,d\n", 2) == [["a", "c"], ["b", "d"]]
    assert _split("a,b\r\nc,d", 2) == [["a", "c"], ["b", "d"]]
    for odd in ('a,"b"\n', "a,b\rc,d\n", "a,b\n\nc,d\n", "a,b,c\n", "a\n", " ,b\n",
                "a,#N/A\n", "a,\x00\n", "a,\udc80\n"):
        assert _split(odd, 2) is None, odd


def test_the_block_reader_is_what_read_table_gives(tmp_path: Path) -> None:
    """``read_table(cells=True)`` reads in blocks; a file with a BOM and title rows too."""
    ruleset = seed_table.build()
    text = bench_batch.generate(50)[0]
    src = tmp_path / "t.csv"
    src.write_text("\ufeff" + text, encoding="utf-8")
    _layout, rows, _total = read_table(src, ruleset, cells=True)
    got = shown(rows)
    assert got == by_rows(src, "utf-8-sig") and len(got) == 50
