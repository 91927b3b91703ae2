"""Memory per evaluated unit: peak and retained bytes when scoring N units of the seed table.

    python benchmarks/bench_memory.py [--n 5000] [--quick]

The units are the fact sets of benchmarks/compare/facts.py (fixed seed), scored with the seed
ruleset (rulesets/xiangtan-kgxj-2023/ruleset.yaml). Each scenario runs under ``tracemalloc``
after a warm-up pass (so caches filled on first use are not counted) and reports, divided by
N: the peak of traced memory above the start, and what is still allocated at the end while
the scenario's output is alive. Scenarios:

* ``score_batch``, keeping nothing (``for row in score_batch(...): pass``) — streaming;
* ``score_batch``, keeping every ``BatchRow`` (``list(score_batch(...))``);
* ``evaluate``, keeping nothing / keeping only the totals / keeping every ``Result``;
* the scores-only function, keeping its totals, when the library has one.

Before measuring, every scenario's totals must equal the hand-written Decimal reference
(benchmarks/compare/impl_hand_decimal.py) on every unit; the script exits 1 otherwise.
tracemalloc slows Python down several times, so no times are printed here.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks" / "compare"))
try:
    import rubric
except ModuleNotFoundError:  # not installed: use the source tree
    sys.path.insert(0, str(ROOT / "src"))
    import rubric

import impl_hand_decimal  # noqa: E402
import impl_rubric  # noqa: E402
from facts import generate  # noqa: E402

RULESET = ROOT / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"


def scenarios(ruleset: Any) -> list[tuple[str, Callable[[list[dict]], Any], Callable[[Any], list]]]:
    """(label, run(units) -> what the scenario keeps, totals(kept) -> the list of totals, or
    their sum for the scenarios that keep nothing)."""
    evaluate, score_batch = rubric.evaluate, rubric.score_batch

    # the "keep nothing" scenarios keep one running sum of the totals, checked against the
    # reference's sum
    def batch_stream(units: list[dict]) -> Any:
        checksum = 0
        for row in score_batch(ruleset, units):
            if row.result is None:
                raise AssertionError(f"row {row.row}: {row.error}")
            checksum += row.result.total.score
        return checksum

    def eval_nothing(units: list[dict]) -> Any:
        checksum = 0
        for f in units:
            checksum += evaluate(ruleset, f).total.score
        return checksum

    out: list[tuple[str, Callable[[list[dict]], Any], Callable[[Any], list]]] = [
        ("score_batch, keep nothing (stream)", batch_stream, lambda kept: kept),
        ("score_batch, keep every BatchRow", lambda u: list(score_batch(ruleset, u)),
         lambda kept: [row.result.total.score for row in kept]),
        ("evaluate, keep nothing", eval_nothing, lambda kept: kept),
        ("evaluate, keep totals only", lambda u: [evaluate(ruleset, f).total.score for f in u],
         lambda kept: kept),
        ("evaluate, keep every Result", lambda u: [evaluate(ruleset, f) for f in u],
         lambda kept: [r.total.score for r in kept]),
    ]
    name = impl_rubric.score_only_name()
    if name is not None:
        fn = getattr(rubric, name)
        out.append((f"{name}, keep totals", lambda u: [fn(ruleset, f) for f in u],
                    lambda kept: [impl_rubric._total(v) for v in kept]))
    return out


def measure(run: Callable[[list[dict]], Any], units: list[dict]) -> tuple[int, int, Any]:
    """(peak bytes above the start, bytes still allocated at the end, what run kept)."""
    gc.collect()
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        kept = run(units)
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - start, current - start, kept


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, help="units (default 5000, --quick 300)")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    n = args.n or (300 if args.quick else 5000)
    ruleset = rubric.load_ruleset(RULESET)
    units = generate(n)
    expected = [impl_hand_decimal.evaluate(f) for f in units]
    rows = []
    for label, run, totals in scenarios(ruleset):
        run(units[:50])  # warm-up: fill the caches used on first call
        peak, retained, kept = measure(run, units)
        got = totals(kept)
        if not isinstance(got, list):  # a running sum
            if got != sum(expected):
                print(f"DISAGREEMENT: {label}: the totals add up to {got}, the hand-written "
                      f"reference's to {sum(expected)}", file=sys.stderr)
                return 1
            got = ["sum"]
        elif got != expected:
            i = next(i for i, (a, b) in enumerate(zip(got, expected)) if a != b)
            print(f"DISAGREEMENT: {label}: unit {i} scores {got[i]}, the hand-written "
                  f"reference {expected[i]}\n{units[i]}", file=sys.stderr)
            return 1
        rows.append((label, peak, retained, "sum" if got == ["sum"] else "each"))
        del kept
    if impl_rubric.score_only_name() is None:
        print("(rubric has no scores-only function yet: looked for "
              + ", ".join(impl_rubric.SCORE_ONLY_NAMES) + ")")
    print(f"rubric {rubric.__version__}, Python {sys.version.split()[0]}: {n} units of the "
          f"seed table ({len(list(ruleset.indicators()))} rows), tracemalloc")
    print(f"{'scenario':38s} {'peak KiB':>10s} {'peak B/unit':>12s} {'kept KiB':>10s} "
          f"{'kept B/unit':>12s} {'totals checked':>15s}")
    for label, peak, retained, checked in rows:
        print(f"{label:38s} {peak / 1024:10,.0f} {peak / n:12,.0f} {retained / 1024:10,.0f} "
              f"{retained / n:12,.0f} {checked:>15s}")
    print("(peak and kept are above the memory in use before the scenario; the input fact "
          "dicts are allocated before and not counted.\n A 'keep nothing' peak does not grow "
          "with N: it is one unit's working memory, so its B/unit shrinks as N grows.)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
