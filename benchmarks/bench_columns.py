"""The column engine against a float numpy kernel and per-unit score_only (issue 15).

Usage::

    python benchmarks/bench_columns.py                  # 100 000 units, a few seconds
    python benchmarks/bench_columns.py --units 1000000  # the issue's 1 M figure
    python benchmarks/bench_columns.py --dask 1,2       # also the Dask path, 1 and 2 workers

N units of the seed table (rulesets/xiangtan-kgxj-2023) as typed columns -- float64
money and rates with 2 decimals, int64 counts, bool yes/no facts, text categories,
datetime64 dates -- the columns a DataFrame holds. Three implementations score the same
columns, side by side in one run:

* ``float numpy kernel``: benchmarks/compare/impl_numpy.py, hand-written vectorised
  float64 with the rounding its docstring explains (the fastest careful baseline);
* ``rubric.score_columns``: the column engine, exact (scaled integers), with the totals
  as Decimal (``total_low``) and, separately, the engine alone (integer arrays);
* ``rubric.score_only`` per unit on the first ``--per-unit`` units (default 20 000;
  its time per unit is what scales).

Every total is checked identical before anything is timed (score_columns against the
float kernel on all N units, and against score_only on the per-unit sample); a
disagreement exits 1. Each timing is the best of ``--repeat`` interleaved runs. With
``--dask`` the same units, as a pandas DataFrame in 8 partitions, are scored by
``rubric.dask.score_dask`` on a ``LocalCluster`` of k worker processes (1 thread each)
for each k (each partition fully scored on its worker, the ``total_low`` column sent
back); the cluster's start and the first run are not timed, the totals are checked
against the single-process ``score_columns``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if not os.environ.get("PYTHONPATH"):  # else the rubric PYTHONPATH names (another checkout)
    sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks" / "compare"))

import impl_numpy  # noqa: E402

import rubric  # noqa: E402
from rubric import load_ruleset, score_columns, score_only  # noqa: E402
from rubric.engine.column_values import numpy_or_none  # noqa: E402
from rubric.engine.columns import column_plan, convert_all  # noqa: E402

SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
CATEGORIES = np.array(["无结余", "未超过上年结余", "超过上年结余"])
COUNTS = ("供养人数", "新增规模工业企业", "新增高新技术企业", "新增国家级专精特新小巨人企业",
          "新增省级专精特新小巨人企业", "选派科技特派员")


def columns(n: int, seed: int = 20231231) -> dict[str, Any]:
    """N random units of the seed table as typed numpy columns (fixed seed)."""
    rng = np.random.default_rng(seed)
    cents = lambda lo, hi: rng.integers(lo * 100, hi * 100, n) / 100.0  # noqa: E731
    budget = cents(50, 5000)
    cols: dict[str, Any] = {
        "预算数": budget,
        "预算调整数": np.where(rng.random(n) < 0.4, 0.0, np.round(budget * rng.random(n) * 0.4, 2)),
        "基本支出年度总预算": np.round(budget * 0.3, 2),
        "基本支出实际支出": np.round(budget * 0.3 * rng.uniform(0.8, 1.4, n), 2),
        "项目支出年度总预算": np.round(budget * 0.7, 2),
        "项目支出实际支出": np.round(budget * 0.7 * rng.uniform(0.8, 1.4, n), 2),
        "资金结余情况": CATEGORIES[rng.integers(0, 3, n)],
        "三公经费预算安排数": cents(1, 10),
        "三公经费实际支出数": cents(0, 12),
        "规模工业增加值增长率": cents(-2, 12),
        "高新技术产值": cents(300, 800),
        "服务对象满意度": rng.integers(800, 1000, n) / 10.0,
        "绩效目标完成日期": np.datetime64("2023-11-15") + rng.integers(0, 60, n),
    }
    for name, (lo, hi) in zip(COUNTS, ((100, 160), (10, 30), (8, 20), (0, 3), (1, 5),
                                       (60, 130))):
        cols[name] = rng.integers(lo, hi, n)
    for name in impl_numpy.BOOL_FACTS:
        cols[name] = rng.random(n) < 0.75
    return cols


def best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def per_unit_facts(cols: dict[str, Any], m: int) -> list[dict[str, Any]]:
    """The first m units as the plain values score_only's fast path takes: numbers as
    their text (a float as its shortest repr, what a CSV cell holds), bools, ISO dates."""
    names = list(cols)
    lists = {k: (v[:m].astype(str).tolist() if v.dtype.kind in "MU"
                 else [repr(x) for x in v[:m].tolist()] if v.dtype.kind == "f"
                 else v[:m].tolist()) for k, v in cols.items()}
    return [{k: lists[k][i] for k in names} for i in range(m)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--per-unit", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dask", default="", help="worker counts, e.g. 1,2")
    args = ap.parse_args()
    n, m = args.units, min(args.per_unit, args.units)
    ruleset = load_ruleset(SEED)
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {n:,} units of the "
          f"seed table; best of {args.repeat}; rubric from {Path(rubric.__file__).parent}")
    cols = columns(n)
    floats = {k: (v.astype(np.float64) if v.dtype.kind in "iu" else v) for k, v in cols.items()}

    # -- agreement before timing ------------------------------------------------------
    got = score_columns(ruleset, cols)
    if got.columnar != n:
        print(f"DISAGREEMENT: only {got.columnar} of {n} units scored in columns")
    kernel = impl_numpy.evaluate_batch(floats)
    scale = column_plan(ruleset).scale
    exact = got.total_low
    same = all(d is not None and d == Decimal(repr(round(f, 9)))
               for d, f in zip(exact, kernel.tolist()))
    facts = per_unit_facts(cols, m)
    same_unit = all(score_only(ruleset, f).total == d for f, d in zip(facts, exact))
    if not (same and same_unit):
        print("DISAGREEMENT: totals differ (float kernel "
              f"{'agrees' if same else 'differs'}, score_only "
              f"{'agrees' if same_unit else 'differs'})")
        return 1
    print(f"agreement: score_columns == float kernel on all {n:,} totals, == score_only on "
          f"the first {m:,}; {got.columnar:,} units scored in columns (scale 10^-{scale})")

    # -- timing -----------------------------------------------------------------------
    npy = numpy_or_none()
    cp = column_plan(ruleset)

    def engine_only() -> None:
        converted, ok = convert_all(npy, cp, cols, n)
        cp.run(npy, converted, ok)

    rows = [
        ("float numpy kernel (float64, impl_numpy)", lambda: impl_numpy.evaluate_batch(floats),
         n),
        ("rubric column engine (integer arrays)", engine_only, n),
        ("rubric score_columns + Decimal totals", lambda: score_columns(ruleset, cols).total_low,
         n),
        ("rubric score_only per unit", lambda: [score_only(ruleset, f) for f in facts], m),
    ]
    times = {name: best(fn, args.repeat) / k for name, fn, k in rows}
    base = times[rows[0][0]]
    print(f"{'implementation':44} {'µs/unit':>9} {'units/s':>12} {'× float kernel':>15}")
    for name, _fn, _k in rows:
        t = times[name]
        print(f"{name:44} {t * 1e6:9.3f} {1 / t:12,.0f} {t / base:15.2f}")
    print(f"(score_only timed on {m:,} units; the others on all {n:,})")
    if args.dask:
        dask_rows(ruleset, cols, got, [int(k) for k in args.dask.split(",")], args.repeat)
    return 0


def dask_rows(ruleset: Any, cols: dict[str, Any], got: Any, workers: list[int],
              repeat: int) -> None:
    import dask.dataframe as dd
    import pandas as pd
    from dask.distributed import Client, LocalCluster, wait

    from rubric.dask import score_dask

    df = pd.DataFrame(cols)
    want = got.total_low
    n = len(df)
    print(f"\nDask: {n:,} units in 8 partitions, score_dask(ruleset, ddf)['total_low']"
          ".compute() (every partition fully scored on the workers, the totals sent back)")
    first = None
    for k in workers:
        with LocalCluster(n_workers=k, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            times = []
            for _ in range(repeat):
                # a fresh cluster state each time: the scheduler would otherwise hand back
                # the totals of the previous run under the same keys (0.04 s, nothing scored)
                client.restart()
                ddf = client.persist(dd.from_pandas(df, npartitions=8, sort=False))
                wait(ddf)
                # untimed: every worker imports rubric and compiles the plan on other keys
                score_dask(ruleset, dd.from_pandas(df.head(8 * k), npartitions=8 * k,
                                                   sort=False)).compute()
                t0 = time.perf_counter()
                out = score_dask(ruleset, ddf)["total_low"].compute()  # scored on the workers
                times.append(time.perf_counter() - t0)
                if out.tolist() != want:
                    print(f"DISAGREEMENT: the Dask result with {k} workers differs")
                    raise SystemExit(1)
            t = min(times)
        first = first or t
        print(f"  {k} worker process(es): {t:7.2f} s, {n / t:10,.0f} units/s, "
              f"speed-up {first / t:4.2f}× over {workers[0]}")


if __name__ == "__main__":
    raise SystemExit(main())
