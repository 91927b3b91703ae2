"""Parquet batch throughput: Parquet -> Parquet through ``rubric.score_parquet``.

Generates N units of the seed ruleset (``bench_batch.generate``: fixed seed, a few broken
rows, some missing values), writes them as Parquet twice -- text columns (a CSV export)
and typed columns (float64 amounts, int64 counts with nulls, bool, date32, a
dictionary-encoded category) -- and scores each file end to end (read, score in columns,
write Parquet). Each is timed against a bare pyarrow read + write of the same rows and
columns (the input read, its columns repeated to the output's width, written as
strings: the floor of doing anything with the file in pyarrow), in the same passes, and
printed as a ratio. With ``--csv`` the same units are also scored as CSV -> CSV
(``score_file``, the per-unit path) in the same passes, for the ratio of the two paths.
``python benchmarks/bench_parquet.py [N] [--passes P] [--csv]`` (default 100,000 units,
3 passes, best kept).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_batch  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

import seed_table  # noqa: E402
from rubric.batch import batch_columns, score_file  # noqa: E402
from rubric.batch_parquet import score_parquet  # noqa: E402


def tables(n: int) -> tuple[Any, Any, int]:
    """The generated units as a text table and a typed table, and how many are broken."""
    text, broken = bench_batch.generate(n)
    return (*_tables(text), len(broken))


def _tables(text: str) -> tuple[Any, Any]:
    rows = list(csv.DictReader(io.StringIO(text)))
    names = list(rows[0])
    as_text = pa.table({c: pa.array([r[c] or None for r in rows], pa.string()) for c in names})
    specs = {s.name: s for s in seed_table.build().input_facts()}
    typed: dict[str, Any] = {}
    for c in names:
        cells = [r[c] for r in rows]
        spec = specs.get(c)
        if spec is None:
            typed[c] = pa.array(cells, pa.string())
        elif spec.type == "number" and c in ("供养人数", "选派科技特派员", "新增规模工业企业"):
            typed[c] = pa.array([_try(int, x) for x in cells], pa.int64())
        elif spec.type == "number" and all(_try(float, x) is not None for x in cells if x):
            typed[c] = pa.array([_try(float, x) for x in cells], pa.float64())
        elif spec.type == "boolean":
            typed[c] = pa.array([{"是": True, "否": False}.get(x) for x in cells], pa.bool_())
        elif spec.type == "date":
            typed[c] = pa.array([_try(dt.date.fromisoformat, x) for x in cells], pa.date32())
        elif spec.type == "category":
            typed[c] = pa.array([x or None for x in cells]).dictionary_encode()
        else:
            typed[c] = pa.array([x or None for x in cells], pa.string())
    return as_text, pa.table(typed)


def _try(convert: Any, cell: str) -> Any:
    try:
        return convert(cell)
    except ValueError:
        return None


def bare(src: Path, out: Path, width: int) -> float:
    """Seconds pyarrow takes to read ``src`` and write a table of as many rows and
    columns as the scored output (the input's columns repeated), as strings."""
    start = time.perf_counter()
    table = pq.read_table(src)
    k = table.num_columns
    columns = [table.column(i % k).cast(pa.string()) for i in range(width)]
    pq.write_table(pa.table(columns, names=[f"c{i}" for i in range(width)]), out)
    return time.perf_counter() - start


def run(n: int, passes: int = 3, with_csv: bool = False) -> None:
    ruleset = seed_table.build()
    width = len(batch_columns(ruleset))
    text, bad = bench_batch.generate(n)
    as_text, typed = _tables(text)
    broken = len(bad)
    with tempfile.TemporaryDirectory() as tmp:
        if with_csv:
            (Path(tmp) / "units.csv").write_text(text, encoding="utf-8")
            as_csv = float("inf")
        for label, table in (("text columns", as_text), ("typed columns", typed)):
            src, out = Path(tmp) / "units.parquet", Path(tmp) / "scores.parquet"
            pq.write_table(table, src)
            floor = scored = float("inf")
            for _ in range(passes):
                floor = min(floor, bare(src, Path(tmp) / "floor.parquet", width))
                start = time.perf_counter()
                summary = score_parquet(ruleset, src, out, errors=io.StringIO())
                scored = min(scored, time.perf_counter() - start)
                assert summary.rows == n, (summary.rows, n)
                assert pq.read_metadata(out).num_rows == n
                if with_csv and label == "text columns":
                    start = time.perf_counter()
                    score_file(ruleset, Path(tmp) / "units.csv", Path(tmp) / "scores.csv",
                               errors=io.StringIO(), jobs=1)
                    as_csv = min(as_csv, time.perf_counter() - start)
            print(f"{n} units, {label} (best of {passes}): bare pyarrow read + write "
                  f"{floor:.2f} s; score_parquet {scored:.2f} s ({n / scored:,.0f} units/s, "
                  f"{scored / floor:.1f}× the bare pyarrow; {len(summary.errors)} rows with "
                  f"errors, {broken} broken by design; typed, a bad cell that fits no type is "
                  f"null: missing, not an error)")
            if with_csv and label == "text columns":
                print(f"  the same units as CSV -> CSV (score_file, jobs=1): {as_csv:.2f} s "
                      f"({n / as_csv:,.0f} units/s); Parquet text columns take "
                      f"{scored / as_csv:.2f}× its time")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Parquet batch throughput")
    parser.add_argument("n", nargs="?", default="100000", help="units (default 100,000)")
    parser.add_argument("--passes", type=int, default=3, help="passes, best kept (default 3)")
    parser.add_argument("--csv", action="store_true",
                        help="also score the same units as CSV -> CSV (score_file)")
    args = parser.parse_args()
    run(int(args.n.replace(",", "").replace("_", "")), args.passes, args.csv)
