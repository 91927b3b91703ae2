"""Batch scoring throughput: units/second through ``rubric.batch`` for the seed ruleset.

Generates N units (fixed seed) with a few deliberately broken rows, 5% with 供养人数
blank and 2% with 高新技术产值 written in 万元, writes them as CSV, scores the file end
to end (``score_file`` CSV -> CSV: read, convert, score, write; by columns,
``rubric.batch_csv``, with the rows the columns do not settle per unit) and prints
units/s and units/minute, then checks that the broken rows were reported and every other
row is present. ``python benchmarks/bench_batch.py [N] [--jobs 1,2,auto] [--passes P]`` (default
100,000 units, one pass). Printed: units/s and units/minute for one process, one worker
process per CPU core and ``--jobs auto``, each as a ratio to a bare ``csv`` reader -> writer
of the same file (the same rows, as many columns as the output) timed in the same passes
(issue 15's aim: within 2× of it).

Also used by tests/test_batch.py (``generate``, ``check``) with a small N.
"""

from __future__ import annotations

import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

import seed_table  # noqa: E402
from rubric.batch import auto_jobs, batch_columns, score_file  # noqa: E402

CATEGORIES = ("无结余", "未超过上年结余", "超过上年结余")
# (column, bad value, what the reason must mention) — cycled through the broken rows
BREAKAGES = (
    ("政府采购执行", "也许", "政府采购执行"),            # not a boolean
    ("预算数", "5 人", "预算数"),                        # wrong unit
    ("资金结余情况", "结余很多", "资金结余情况"),        # unknown category
    ("服务对象满意度", "120", "服务对象满意度"),         # outside [0, 100]
    ("绩效目标完成日期", "2023-13-45", "绩效目标完成日期"),  # not a date
)


def columns() -> list[str]:
    return ["id", *(s.name for s in seed_table.build().input_facts())]


def unit(rng: random.Random, i: int) -> dict[str, Any]:
    """One random unit of the seed table, values as a spreadsheet holds them (text)."""
    budget = rng.randint(50, 5000)
    row: dict[str, Any] = {
        "id": f"U{i:06d}",
        "预算数": f"{budget}.{rng.randint(0, 99):02d}",
        "预算调整数": f"{rng.choice([0, 0, rng.uniform(0, budget * 0.4)]):.2f}",
        "基本支出年度总预算": f"{budget * 0.3:.2f}",
        "基本支出实际支出": f"{budget * 0.3 * rng.uniform(0.8, 1.4):.2f}",
        "项目支出年度总预算": f"{budget * 0.7:.2f}",
        "项目支出实际支出": f"{budget * 0.7 * rng.uniform(0.8, 1.4):.2f}",
        "资金结余情况": rng.choice(CATEGORIES),
        "三公经费预算安排数": f"{rng.uniform(1, 10):.2f}",
        "三公经费实际支出数": f"{rng.uniform(0.5, 12):.2f}",
        "供养人数": str(rng.randint(100, 160)),
        "绩效目标完成日期": f"2023-12-{rng.randint(1, 31):02d}" if rng.random() < 0.9
        else "2024-01-15",
        "服务对象满意度": f"{rng.uniform(80, 100):.1f}",
    }
    for name in seed_table.BOOLEANS:
        row[name] = rng.choice(("是", "是", "是", "否"))
    for name, target, _pts, unit_ in seed_table.TARGETS:
        value = rng.uniform(0.5, 1.3) * target
        row[name] = f"{value:.1f}" if unit_ in ("%", "亿元") else str(round(value))
    if rng.random() < 0.05:
        row["供养人数"] = ""  # missing: scored as a range
    if rng.random() < 0.02:
        row["高新技术产值"] = f"{float(row['高新技术产值']) * 10000:.0f} 万元"  # unit in the cell
    return row


def generate(n: int, seed: int = 20231231, broken_every: int = 97
             ) -> tuple[str, dict[int, str]]:
    """CSV text of ``n`` units; every ``broken_every``-th unit has one bad cell.
    Returns the text and {spreadsheet row number: the fact the reason must name}."""
    rng = random.Random(seed)
    cols = columns()
    out = io.StringIO()
    writer = csv.DictWriter(out, cols, lineterminator="\n")
    writer.writeheader()
    broken: dict[int, str] = {}
    for i in range(n):
        row = unit(rng, i)
        if i % broken_every == broken_every - 1:
            col, bad, names = BREAKAGES[(i // broken_every) % len(BREAKAGES)]
            row[col] = bad
            broken[i + 2] = names  # header is row 1
        writer.writerow(row)
    return out.getvalue(), broken


def check(output_csv: str, n: int, broken: dict[int, str], errors: list[tuple[int, str]]) -> None:
    """Every broken row reported with its number and a reason naming the fact; every
    other row present, scored, in order."""
    assert sorted(r for r, _reason in errors) == sorted(broken), "reported rows differ"
    for row, reason in errors:
        assert broken[row] in reason, (row, reason)
    with open(output_csv, encoding="utf-8", newline="") as fh:
        lines = list(csv.DictReader(fh))
    assert len(lines) == n, (len(lines), n)
    for i, line in enumerate(lines):
        number = i + 2
        assert int(line["row"]) == number
        if number in broken:
            assert line["error"] and not line["total_low"]
        else:
            assert line["unit"] == f"U{i:06d}" and not line["error"], line
            assert line["total_low"] and line["grade"]


def io_baseline(src: Path, out: Path) -> float:
    """Seconds a bare ``csv`` reader -> writer takes over the same file, writing as many
    rows and columns as the scored output has (each input row's cells, repeated to the
    output's width): the floor, written as fast as plain ``csv`` goes."""
    width = len(batch_columns(seed_table.build()))
    start = time.perf_counter()
    with open(src, encoding="utf-8", newline="") as fh, \
            open(out, "w", encoding="utf-8", newline="") as dst:
        write = csv.writer(dst).writerow
        for row in csv.reader(fh):
            write((row * 2)[:width])
    return time.perf_counter() - start


def run(n: int, jobs: tuple[int | None, ...] = (1,), passes: int = 1) -> float:
    """Score ``n`` generated units once per entry of ``jobs`` (None: ``--jobs auto``) in
    each of ``passes`` interleaved passes, the bare I/O timed in every pass too; print
    each one's best and its ratio to the best bare I/O; return the best rate."""
    text, broken = generate(n)
    ruleset = seed_table.build()
    floor = float("inf")
    times: dict[int | None, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "units.csv", Path(tmp) / "scores.csv"
        src.write_text(text, encoding="utf-8")
        for _ in range(passes):
            floor = min(floor, io_baseline(src, Path(tmp) / "floor.csv"))
            for workers in jobs:
                errs = io.StringIO()
                start = time.perf_counter()
                summary = score_file(ruleset, src, out, errors=errs, jobs=workers)
                seconds = time.perf_counter() - start
                check(str(out), n, broken, list(summary.errors))
                times[workers] = min(times.get(workers, float("inf")), seconds)
    print(f"{n} units (best of {passes} interleaved passes): bare csv reader -> writer of the "
          f"same rows and columns {floor:.2f} s ({n / floor:,.0f} rows/s)")
    best = 0.0
    for workers, seconds in times.items():
        rate = n / seconds
        best = max(best, rate)
        label = f"auto ({auto_jobs(n)})" if workers is None else str(workers)
        print(f"  jobs={label}: {seconds:.2f} s, {rate:,.0f} units/s, "
              f"{rate * 60:,.0f} units/minute, {seconds / floor:.1f}× the bare csv "
              f"(aim ≤ 2×; {len(broken)} broken rows reported, every other row present)")
    return best


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="batch scoring throughput")
    parser.add_argument("n", nargs="?", default="100000", help="units (default 100,000)")
    parser.add_argument("--jobs", default=None,
                        help="comma-separated worker counts to measure, 'auto' for --jobs "
                             "auto (default: 1, one per CPU core, auto)")
    parser.add_argument("--passes", type=int, default=1,
                        help="interleaved passes, best kept (default 1)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    counts = tuple(None if j == "auto" else int(j) for j in args.jobs.split(",")) \
        if args.jobs else tuple(dict.fromkeys((1, cores, None)))
    run(int(args.n.replace(",", "").replace("_", "")), counts, args.passes)
