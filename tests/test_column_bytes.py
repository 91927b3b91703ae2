"""Text cells held as bytes (``engine.column_bytes.ByteCells``, how ``io.csv_cells`` keeps a
block it splits in bulk) convert exactly as the list of the same texts does: numbers
(plain, signed, mixed scales, over 18 digits, with a unit, bad cells), yes/no,
categories and dates; and a CSV read in blocks is scored byte for byte as per unit."""

from __future__ import annotations

import io
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rubric.io.csv_cells as csv_cells_module
import seed_table
from rubric.batch import score_batch, score_file, write_rows
from rubric.engine.column_bytes import WIDEST, ByteCells, matching, numbers
from rubric.engine.column_values import blank, convert
from rubric.engine.columns import column_plan
from rubric.io.csv_cells import CellChunk, _block
from rubric.io.tabular import read_table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_batch

#: cell texts without the characters a split block never holds in a cell
TEXT = st.text(alphabet=st.characters(blacklist_characters='\n\r,"\0#',
                                      blacklist_categories=("Cs",)), max_size=6)
NUMBERS = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=None,
                min_value=Decimal(-10) ** 16, max_value=Decimal(10) ** 16
                ).map(lambda v: format(v, "f")),
    st.from_regex(r"[+-]?[0-9]{1,25}(\.[0-9]{1,11})?", fullmatch=True),
    st.sampled_from(("", " 5", "5 ", "-", "+", "5.", ".5", "+5", "-0", "007.50", "1.2.3",
                     "--5", "5-", "５", "1e5", "12 万元", "7125000 万元", "3 亿元", "5 人",
                     "不适用", "99999999999999999999", "0.0000000001", "1" * 45)),
    TEXT)


def byte_cells(cells: list[str]) -> ByteCells:
    """``cells`` as one line each of a buffer, as a block's column is held."""
    raw = ("\n".join(cells) + "\n").encode("utf-8") if cells else b""
    buf = np.frombuffer(raw, dtype=np.uint8)
    ends = np.flatnonzero(buf == 10)
    starts = np.concatenate([[0], ends[:-1] + 1]).astype(ends.dtype) if cells else ends
    return ByteCells(buf, starts, ends)


def same(a: Any, b: Any) -> None:
    """Two ``Converted`` columns are the same."""
    assert a.kind == b.kind
    assert a.ok.tolist() == b.ok.tolist()
    ok = a.ok
    if a.kind == "number":
        assert (a.value is None) == (b.value is None)
        if a.value is not None:
            sa, sb = len(str(a.value.den)) - 1, len(str(b.value.den)) - 1
            for x, y, good in zip(a.value.num.a.tolist(), b.value.num.a.tolist(), ok.tolist()):
                if good:
                    assert Decimal(x).scaleb(-sa) == Decimal(y).scaleb(-sb)
        assert (a.warn is None) == (b.warn is None)
        if a.warn is not None:
            assert a.warn.tolist() == b.warn.tolist()
    elif a.kind == "category":
        va, ca = a.value
        vb, cb = b.value
        assert [va[c] for c, g in zip(ca.tolist(), ok.tolist()) if g] == \
            [vb[c] for c, g in zip(cb.tolist(), ok.tolist()) if g]
    else:
        assert a.value[ok].tolist() == b.value[ok].tolist()


@pytest.fixture(scope="module")
def specs() -> Any:
    ruleset = seed_table.build()
    cp = column_plan(ruleset)
    return cp, {spec.type: (name, spec) for name, spec in cp.inputs.items()}


def test_the_number_bytes_are_read_as_the_text_reader_reads_them() -> None:
    cells = ["12.5", "-3", "+0.25", "", "1.2.3", "5 万元", "007.50", "9" * 19]
    n, ok, s, valid = numbers(np, byte_cells(cells))
    assert s == 2
    assert valid.tolist() == [True, True, True, False, False, False, True, True]
    assert ok.tolist() == [True, True, True, False, False, False, True, False]
    assert n.tolist()[:3] == [1250, -300, 25] and n.tolist()[6] == 750
    assert numbers(np, byte_cells(["1" * (WIDEST + 1)])) is None


@given(st.lists(NUMBERS, min_size=1, max_size=30))
@settings(deadline=None, max_examples=150)
def test_number_columns_convert_as_their_texts(specs: Any, cells: list[str]) -> None:
    cp, _kinds = specs
    for name in ("预算数", "高新技术产值", "服务对象满意度", "供养人数"):
        spec = cp.inputs[name]
        readings = (None, "percent", "fraction", "error") if name == "服务对象满意度" \
            else (cp.readings[name],)
        for reading in readings:
            for warn in (False, True):
                same(convert(np, byte_cells(cells), spec, reading, warn=warn),
                     convert(np, list(cells), spec, reading, warn=warn))


@given(st.lists(st.one_of(st.sampled_from(("是", "否", "Yes", "no", "TRUE", "1", "0", "是 ",
                                           "", "也许", "√", "×")), TEXT),
                min_size=1, max_size=30),
       st.lists(st.one_of(st.sampled_from(("无结余", "未超过上年结余", "超过上年结余", "",
                                           "结余很多", " 无结余")), TEXT),
                min_size=1, max_size=30),
       st.lists(st.one_of(st.sampled_from(("2023-12-01", "2023-12-31", "2024-01-15",
                                           "2023-02-30", "2023-13-45", "", "2023-1-5")),
                          TEXT), min_size=1, max_size=30))
@settings(deadline=None, max_examples=150)
def test_other_columns_convert_as_their_texts(specs: Any, yes: list[str], kinds: list[str],
                                              days: list[str]) -> None:
    cp, by_type = specs
    for kind, cells in (("boolean", yes), ("category", kinds), ("date", days),
                        ("date", days * 5)):
        name, spec = by_type[kind]
        same(convert(np, byte_cells(cells), spec, cp.readings[name]),
             convert(np, list(cells), spec, cp.readings[name]))
        assert blank(np, byte_cells(cells)).tolist() == blank(np, list(cells)).tolist()


def test_a_column_decodes_whole_and_cell_by_cell() -> None:
    cells = ["U1", "", "是", "12 万元", "a b"]
    col = byte_cells(cells)
    assert [col[i] for i in range(len(cells))] == cells
    assert col.cells() == cells and list(col) == cells
    assert col.lengths().tolist() == [2, 0, 3, 9, 3]
    assert byte_cells([]).cells() == []


def test_a_block_keeps_bytes_and_gives_the_same_rows() -> None:
    block = _block("a,是\n,x\n", 2)
    assert block is None  # a blank first cell
    block = _block("a,是\nb,\nc,12 万元\n", 2)
    assert block is not None and block.raw is not None
    assert block.columns == [["a", "b", "c"], ["是", "", "12 万元"]]
    head, tail = _block("a,是\nb,\nc,12 万元\n", 2).split(1)  # type: ignore[union-attr]
    assert head.columns == [["a"], ["是"]] and tail.columns == [["b", "c"], ["", "12 万元"]]
    assert _block("\u3000,b\n", 2) is None and _block("é,b\n", 2) is not None


@pytest.mark.parametrize("size", [1, 2999, 7000])
def test_a_csv_read_as_bytes_is_scored_as_per_unit(tmp_path: Path, size: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks held as bytes, chunks cut inside blocks, odd cells (units, blanks, bad
    cells, non-ASCII names): the output and the errors are the per-unit path's."""
    ruleset = seed_table.build()
    text, broken = bench_batch.generate(size, broken_every=13)
    lines = text.splitlines()
    for k in range(1, len(lines), 17):  # non-ASCII names and wider cells
        lines[k] = lines[k].replace("U", "单位é", 1)
    src = tmp_path / "units.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _layout, read, _total = read_table(src, ruleset)
    scored = list(score_batch(ruleset, read, records_only=True))
    want = io.StringIO()
    write_rows(scored, None, ruleset, "csv", stream=want)
    made = []
    of_bytes = CellChunk._of_bytes.__func__  # type: ignore[attr-defined]

    def counted(cls: Any, parts: Any, width: int) -> Any:
        made.append(len(parts))
        return of_bytes(cls, parts, width)

    monkeypatch.setattr(CellChunk, "_of_bytes", classmethod(counted))
    out, err = io.StringIO(), io.StringIO()
    summary = score_file(ruleset, src, None, stream=out, errors=err)
    assert made  # the chunks were held as bytes
    assert out.getvalue() == want.getvalue()
    assert summary.errors == tuple((r.row, r.error) for r in scored if r.error)
    assert len(summary.errors) == len(broken)


@given(st.lists(TEXT, min_size=0, max_size=30), st.lists(TEXT, min_size=0, max_size=6))
@settings(deadline=None, max_examples=100)
def test_matching_is_each_text_assigned_in_turn(cells: list[str], texts: list[str]) -> None:
    """The empty text, repeated texts, texts longer than any cell: the last equal wins."""
    want = np.full(len(cells), -1, dtype=np.int64)
    arr = np.array(cells, dtype=object)
    for i, text in enumerate(texts):
        want[arr == text] = i
    assert matching(np, byte_cells(cells), texts).tolist() == want.tolist()


@pytest.mark.parametrize("block", [97, 1000, 1 << 18])
def test_chunks_cut_inside_blocks_hold_each_rows_cells(tmp_path: Path, block: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 37 rows from blocks of any size (cut inside blocks, several blocks in a
    chunk): every column's cells, each row and each whole row are the rows read one by
    one, the columns held as bytes."""
    monkeypatch.setattr(csv_cells_module, "BLOCK_CHARS", block)
    ruleset = seed_table.build()
    text, _broken = bench_batch.generate(300, broken_every=7)
    src = tmp_path / "units.csv"
    src.write_text(text.replace("U0000", "单位"), encoding="utf-8")
    _layout, rows, _total = read_table(src, ruleset, cells=True)
    want = list(rows)
    _layout, rows, _total = read_table(src, ruleset, cells=True)
    got: list[Any] = []
    held = 0
    for chunk in rows.cell_chunks(37):
        held += all(isinstance(c, ByteCells) for c in chunk.columns)
        by_row = [list(r) for r in zip(*(list(c) for c in chunk.columns))]
        assert by_row == [chunk.whole_row(j) for j in range(len(chunk))]
        got += [chunk.row(i) for i in range(len(chunk))]
    assert got == want and held >= 8
