"""Paired before/after timing of ``score_only`` in one process, rounds interleaved.

    python benchmarks/compare/paired.py --before 2c3f62f [--units 600 --rounds 9]

The package at commit ``--before`` is extracted (``git archive``) into a temporary folder
as ``rubric_before`` (rubric's own imports are relative) and imported beside the working
tree's ``rubric``. Both score the same fact sets (``facts.generate``, raw fact dicts as
the comparison harness gives them); each round times before, after and the hand-written
Decimal function one after another over each chunk of units, so load hits all three
alike, and the best round per chunk is kept. Printed: µs per unit for each, the after /
before ratio and each against the hand-written function. Both versions' totals are
checked equal on every fact set first.
"""

from __future__ import annotations

import argparse
import importlib
import io
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

import facts as fact_sets  # noqa: E402
import impl_hand_decimal  # noqa: E402

RULESET = REPO / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"


def _before(commit: str, into: Path) -> object:
    data = subprocess.run(["git", "-C", str(REPO), "archive", commit, "src/rubric"],
                          check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    (into / "src" / "rubric").rename(into / "rubric_before")
    sys.path.insert(0, str(into))
    return importlib.import_module("rubric_before")


def _best_per_unit(fn: object, units: list[dict[str, object]]) -> float:
    start = time.perf_counter()
    for f in units:
        fn(f)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True, help="the commit to compare against")
    ap.add_argument("--units", type=int, default=600)
    ap.add_argument("--chunk", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=9)
    args = ap.parse_args()
    import rubric
    with tempfile.TemporaryDirectory() as tmp:
        old = _before(args.before, Path(tmp))
        units = fact_sets.generate(args.units)
        rs_new = rubric.load_ruleset(RULESET)
        rs_old = old.load_ruleset(RULESET)  # type: ignore[attr-defined]
        new_fn, old_fn = rubric.score_only, old.score_only  # type: ignore[attr-defined]
        for f in units:
            a, b = new_fn(rs_new, f), old_fn(rs_old, f)
            assert a.lows == b.lows and a.highs == b.highs and a.grade == b.grade, f
            assert a.total == impl_hand_decimal.evaluate(f), f
        paths = {"before": lambda f: old_fn(rs_old, f), "after": lambda f: new_fn(rs_new, f),
                 "hand Decimal": impl_hand_decimal.evaluate}
        totals = dict.fromkeys(paths, 0.0)
        for i in range(0, len(units), args.chunk):
            chunk = units[i:i + args.chunk]
            best = dict.fromkeys(paths, float("inf"))
            for _ in range(args.rounds):
                for name, fn in paths.items():
                    best[name] = min(best[name], _best_per_unit(fn, chunk))
            for name in paths:
                totals[name] += best[name]
        per = {name: totals[name] / len(units) * 1e6 for name in paths}
        hand = per["hand Decimal"]
        print(f"{len(units)} fact sets, chunks of {args.chunk}, best of {args.rounds} "
              f"interleaved rounds per chunk; before = {args.before}")
        for name, us in per.items():
            print(f"  {name:13s} {us:8.2f} µs   {us / hand:5.2f}× hand Decimal")
        print(f"  after / before: {per['after'] / per['before']:.3f}")


if __name__ == "__main__":
    main()
