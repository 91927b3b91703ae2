"""Evaluations per second of the seed's 25-row table: rubric against hand-written Python.

Run from the repository root (rubric installed, e.g. in .venv):

    python benchmarks/bench_seed.py [--n 2000] [--repeats 3]

Every fact set is full (every row settled). Before timing, rubric's total must equal the
hand-written Decimal function's total on every fact set (the script fails otherwise).
Timings are best-of-N wall times of a loop over all fact sets, reported per evaluation and
as ratios to the hand-written functions measured in the same process; absolute numbers
depend on the machine, ratios much less.

rubric paths measured:
- ``evaluate(raw)``: facts as given (strings with units, ints, bools), converted per call;
- ``evaluate(prepared)``: facts converted once with ``ruleset.facts_from`` (the trace, the
  structured explanation, is still built);
- ``evaluate + explain``: the Chinese text of every row rendered too;
- ``score_only``: the compiled scores-only path (every node's score, no trace).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks" / "compare"))

import impl_hand_decimal  # noqa: E402
import impl_hand_float  # noqa: E402
from facts import generate  # noqa: E402

import rubric  # noqa: E402


def load_seed() -> rubric.Ruleset:
    path = ROOT / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
    from rubric.io.loader import load_ruleset

    return load_ruleset(path)


def best_time(fn: Callable[[object], object], items: Sequence[object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, time.perf_counter() - start)
    return best / len(items)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="fact sets (default 2000)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    ruleset = load_seed()
    fact_sets = generate(args.n)
    prepared = [ruleset.facts_from(f) for f in fact_sets]

    for i, (raw, facts) in enumerate(zip(fact_sets, prepared)):
        expected = impl_hand_decimal.evaluate(raw)
        got = rubric.evaluate(ruleset, facts).total.score
        fast = rubric.score_only(ruleset, facts).total
        if got != expected or fast != expected:
            print(f"DISAGREEMENT on fact set {i}: rubric {got}, score_only {fast}, "
                  f"hand-written {expected}\n{raw}")
            return 1
    print(f"agreement: rubric equals the hand-written Decimal total on all {len(fact_sets)} "
          "fact sets")

    def explained(facts: object) -> str:
        return rubric.evaluate(ruleset, facts).explain("zh")  # type: ignore[arg-type]

    rows = [
        ("hand-written float", best_time(impl_hand_float.evaluate, fact_sets, args.repeats)),
        ("hand-written Decimal", best_time(impl_hand_decimal.evaluate, fact_sets, args.repeats)),
        ("rubric evaluate(raw)",
         best_time(lambda f: rubric.evaluate(ruleset, f), fact_sets, args.repeats)),  # type: ignore[arg-type]
        ("rubric evaluate(prepared)",
         best_time(lambda f: rubric.evaluate(ruleset, f), prepared, args.repeats)),  # type: ignore[arg-type]
        ("rubric evaluate + explain text", best_time(explained, prepared, args.repeats)),
        ("rubric score_only(raw)",
         best_time(lambda f: rubric.score_only(ruleset, f), fact_sets, args.repeats)),  # type: ignore[arg-type]
        ("rubric score_only(prepared)",
         best_time(lambda f: rubric.score_only(ruleset, f), prepared, args.repeats)),  # type: ignore[arg-type]
    ]
    base_float, base_dec = rows[0][1], rows[1][1]
    print(f"{'implementation':34} {'µs/eval':>9} {'evals/s':>10} {'× float':>8} {'× Decimal':>9}")
    for label, seconds in rows:
        print(f"{label:34} {seconds * 1e6:9.2f} {1 / seconds:10,.0f} "
              f"{seconds / base_float:8.2f} {seconds / base_dec:9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
