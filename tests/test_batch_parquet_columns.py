"""Parquet output written column by column (``batch_parquet._columns_out``) is the file
the record-by-record path (``batch.write_rows``) writes, byte for byte, with the same
error lines and summary: text and typed inputs, ranges, 不适用, refused cells, passed-
through columns, errors in Chinese, several row groups, the Decimal fallback."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import seed_table
from rubric import batch_parquet
from rubric.batch_parquet import score_parquet
from rubric.columnar import ColumnScores
from rubric.io import parquet_files

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_batch  # noqa: E402 - after its folder is on the path
import bench_parquet  # noqa: E402

TEXT, _BROKEN = bench_batch.generate(300)
ROWS = list(csv.DictReader(io.StringIO(TEXT)))
SEED = seed_table.build()
ODD = ["不适用", "#DIV/0!", "", "0.5", "abc", " 7 ", "1e3", "x" * 40000]


def both(tmp: Path, table: Any, lang: str, group: int, monkeypatch: pytest.MonkeyPatch
         ) -> tuple[tuple[bytes, str, Any], tuple[bytes, str, Any]]:
    src = tmp / "u.parquet"
    pq.write_table(table, src)
    out = []
    monkeypatch.setattr(parquet_files, "ROW_GROUP", group)
    for by_columns in (True, False):
        monkeypatch.setattr(batch_parquet, "_BY_COLUMNS", by_columns)
        err = io.StringIO()
        target = tmp / f"s{by_columns}.parquet"
        summary = score_parquet(SEED, src, target, errors=err, lang=lang)
        out.append((target.read_bytes(), err.getvalue(), (summary.scored, summary.errors)))
    return out[0], out[1]


@st.composite
def tables(draw: Any) -> Any:
    start = draw(st.integers(0, len(ROWS) - 1))
    rows = [dict(r) for r in ROWS[start:start + draw(st.integers(1, 60))]]
    names = list(rows[0])
    for _ in range(draw(st.integers(0, 8))):  # odd cells here and there
        row, col = draw(st.sampled_from(rows)), draw(st.sampled_from(names))
        row[col] = draw(st.sampled_from(ODD))
    if draw(st.booleans()):  # passed-through columns and a name column
        for i, r in enumerate(rows):
            r["备注"] = draw(st.sampled_from(["", "见附件", "#N/A", "1"])) if i % 3 else ""
            r["项目名称"] = f"项目{i}" if i % 4 else ""
    if draw(st.booleans()):
        as_text, _typed = bench_parquet._tables(_csv(rows))
        return as_text
    return bench_parquet._tables(_csv(rows))[1]


def _csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


@given(tables(), st.sampled_from(["en", "zh"]), st.sampled_from([7, 65536]))
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          deadline=None, max_examples=40)
def test_column_output_is_the_record_output_byte_for_byte(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: Any, lang: str,
        group: int) -> None:
    by_columns, by_records = both(tmp_path, table, lang, group, monkeypatch)
    assert by_columns == by_records


def test_the_decimal_fallback_is_the_record_output(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # totals that are no integer at the precision (never, with the seed) take the Decimals
    monkeypatch.setattr(ColumnScores, "scaled", lambda self, k, side, p: None)
    table = bench_parquet._tables(_csv(ROWS))[0]
    by_columns, by_records = both(tmp_path, table, "en", 50, monkeypatch)
    assert by_columns == by_records and by_columns[1]  # some rows have errors


def test_a_whole_file_written_by_columns(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for table in bench_parquet._tables(TEXT):
        by_columns, by_records = both(tmp_path, table, "en", 128, monkeypatch)
        assert by_columns == by_records
        assert by_columns[2][1]  # broken rows reported


@given(st.lists(st.tuples(st.integers(-2 ** 63 + 1, 2 ** 63 - 1), st.booleans()), max_size=30),
       st.integers(0, 6))
@settings(deadline=None, max_examples=200)
def test_decimal_arrays_from_scaled_integers(cells: list[tuple[int, bool]], scale: int) -> None:
    from decimal import Decimal

    import numpy as np

    ints = np.array([v for v, _ok in cells], dtype=np.int64)
    valid = np.array([ok for _v, ok in cells], dtype=bool)
    got = parquet_files.decimal_array(ints, valid, scale)
    want = pa.array([Decimal(v).scaleb(-scale) if ok else None for v, ok in cells],
                    pa.decimal128(38, scale))
    assert got.equals(want) and got.to_pylist() == want.to_pylist()
