"""Comparison benchmark (issue 6): one fixed 25-row scoring table in several engines.

    python benchmarks/compare/run.py [--n N] [--quick] [--seed S] [--ruleset PATH]

1. generates N fact sets (fixed seed; every band and step boundary is hit exactly),
2. checks that every implementation gives the same total as hand_decimal (exact reference) on
   every fact set, compared as Decimal rounded to 2 places; on the first disagreeing fact set it
   prints that fact set, every implementation's total and the per-row scores, and exits 1,
3. times each implementation (time.perf_counter, GC off, best of a few repeats over a shuffled
   cycle of the fact sets) and prints µs per evaluation, evaluations per second and the time
   ratio to hand_float.

Engines that are not installed (see requirements.txt) and the rubric slot, while the library or
its API or the ruleset is not there, are skipped with a printed reason.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import platform
import random
import sys
import time
from decimal import Decimal
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

import facts as facts_mod  # noqa: E402
import impl_hand_decimal  # noqa: E402
import impl_hand_float  # noqa: E402
from table import ROWS  # noqa: E402

CENT = Decimal("0.01")
DEFAULT_RULESET = REPO / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"


def to_dec(x) -> Decimal:
    if isinstance(x, Decimal):
        return x.quantize(CENT)
    if isinstance(x, float):
        return Decimal(repr(x)).quantize(CENT)
    return Decimal(x).quantize(CENT)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def load_implementations(ruleset: Path):
    """Returns (per-call impls, batch impls, skip messages).

    per-call: (label, arithmetic, evaluate(fact_dict) -> total)
    batch:    (label, arithmetic, prepare(fact_dicts) -> input [untimed], run(input) -> totals)
    """
    impls: list[tuple] = [
        ("hand_float", "float + round(x, 9)", impl_hand_float.evaluate),
        ("hand_decimal (reference)", "Decimal", impl_hand_decimal.evaluate),
    ]
    batches: list[tuple] = []
    skipped: list[str] = []

    def add(label: str, arithmetic: str, module: str, factory: str, batch_prepare=None) -> None:
        try:
            mod = importlib.import_module(module)
            fn = getattr(mod, factory)()
        except ImportError as exc:
            skipped.append(f"{label}: {exc} (pip install -r benchmarks/compare/requirements.txt)")
            return
        if batch_prepare is None:
            impls.append((label, arithmetic, fn))
        else:
            batches.append((label, arithmetic, batch_prepare, fn))

    add("zen graph: create_decision + evaluate", "rust_decimal", "impl_zen", "make_decision")
    add("zen graph: engine.evaluate, static loader", "rust_decimal", "impl_zen",
        "make_engine_evaluate")
    add("zen compile_expression + evaluate", "rust_decimal", "impl_zen",
        "make_compiled_expression")
    add("zen evaluate_expression (uncompiled)", "rust_decimal", "impl_zen",
        "make_uncompiled_expression")
    add("rule_engine (4 + 25 Rules)", "Decimal", "impl_rule_engine", "make")
    add("json_logic (4 + 25 rules)", "float + 1e-9 epsilon", "impl_json_logic", "make")

    import impl_rubric
    try:
        impls.append(("rubric", "Decimal", impl_rubric.make(ruleset)))
    except impl_rubric.RubricUnavailable as exc:
        skipped.append(f"rubric: {exc}")

    try:
        import impl_numpy
        batches.append(("numpy batch", "float64 + np.round(x, 9)", impl_numpy.build_columns,
                        impl_numpy.evaluate_batch))
    except ImportError as exc:
        skipped.append(f"numpy batch: {exc}")
    add("zen graph: engine.evaluate_batch", "rust_decimal", "impl_zen", "make_batch",
        batch_prepare=list)
    return impls, batches, skipped


def check(fact_sets, impls, batch_totals: dict) -> None:
    """Exit 1 on the first fact set where any implementation disagrees with hand_decimal."""
    for i, f in enumerate(fact_sets):
        expected = to_dec(impl_hand_decimal.evaluate(f))
        got = {}
        for label, _, fn in impls:
            try:
                got[label] = to_dec(fn(f))
            except Exception as exc:  # noqa: BLE001 - reported as a disagreement
                got[label] = f"raised {type(exc).__name__}: {exc}"
        for label, totals in batch_totals.items():
            got[label] = to_dec(float(totals[i]))
        if all(v == expected for v in got.values()):
            continue
        print(f"\nDISAGREEMENT on fact set #{i} (of {len(fact_sets)}); expected {expected}:",
              file=sys.stderr)
        for label, v in got.items():
            print(f"  {'OK ' if v == expected else 'BAD'} {label:44s} {v}", file=sys.stderr)
        print("facts:", json.dumps(f, ensure_ascii=False, indent=1), file=sys.stderr)
        dec_rows, flt_rows = impl_hand_decimal.row_scores(f), impl_hand_float.row_scores(f)
        print("per row (hand_decimal / hand_float):", file=sys.stderr)
        for (n, name, pts), a, b in zip(ROWS, dec_rows, flt_rows, strict=True):
            print(f"  {n:2d} {name}[{pts}]: {a} / {b}{'   <--' if a != b else ''}", file=sys.stderr)
        sys.exit(1)


def time_per_call(fn, seq, target_s: float, repeats: int) -> float:
    """Best-of-``repeats`` seconds per call of fn over a cycle of ``seq``."""
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        k = 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < min(0.05, target_s / 4) or k < 5:
            fn(seq[k % len(seq)])
            k += 1
        per_call = (time.perf_counter() - t0) / k
        calls = max(10, int(target_s / per_call))
        loop = [seq[j % len(seq)] for j in range(calls)]
        best = float("inf")
        for _ in range(repeats):
            t = time.perf_counter()
            for f in loop:
                fn(f)
            best = min(best, time.perf_counter() - t)
        return best / calls
    finally:
        if gc_was_enabled:
            gc.enable()


def time_batch(fn, cols, n: int, target_s: float, repeats: int) -> float:
    gc.disable()
    try:
        t = time.perf_counter()
        fn(cols)
        once = time.perf_counter() - t
        loops = max(1, int(target_s / max(once, 1e-9)))
        best = float("inf")
        for _ in range(repeats):
            t = time.perf_counter()
            for _ in range(loops):
                fn(cols)
            best = min(best, (time.perf_counter() - t) / loops)
        return best / n
    finally:
        gc.enable()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, help="number of fact sets (default 10000, --quick 1000)")
    ap.add_argument("--quick", action="store_true", help="small N and short timing (a few seconds)")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--ruleset", type=Path, default=DEFAULT_RULESET,
                    help="ruleset for the rubric slot "
                         f"(default {DEFAULT_RULESET.relative_to(REPO)})")
    args = ap.parse_args(argv)
    n = args.n or (1000 if args.quick else 10000)
    target_s, repeats = (0.05, 2) if args.quick else (1.0, 3)

    print(f"Python {platform.python_version()} on {platform.machine()}, "
          f"zen-engine {_version('zen-engine')}, rule-engine {_version('rule-engine')}, "
          f"panzi-json-logic {_version('panzi-json-logic')}, numpy {_version('numpy')}")
    fact_sets = facts_mod.generate(n, args.seed)
    impls, batches, skipped = load_implementations(args.ruleset)
    for msg in skipped:
        print(f"SKIP {msg}")

    prepared, batch_totals, prepare_s = {}, {}, {}
    for label, _, prepare, run in batches:
        t = time.perf_counter()
        prepared[label] = prepare(fact_sets)
        prepare_s[label] = time.perf_counter() - t
        batch_totals[label] = run(prepared[label])

    t = time.perf_counter()
    check(fact_sets, impls, batch_totals)
    print(f"agreement: all {len(impls) + len(batches)} implementations give hand_decimal's total "
          f"on all {n} fact sets ({time.perf_counter() - t:.1f} s)")

    order = list(range(n))
    random.Random(args.seed).shuffle(order)
    seq = [fact_sets[i] for i in order]
    results = []
    for label, arithmetic, fn in impls:
        print(f"  timing {label} ...", flush=True)
        results.append((label, arithmetic, time_per_call(fn, seq, target_s, repeats)))
    for label, arithmetic, _, run in batches:
        print(f"  timing {label} ...", flush=True)
        per = time_batch(run, prepared[label], n, target_s, repeats)
        results.append((f"{label} [batch of {n}]", arithmetic, per))

    base = results[0][2]
    print(f"\n{'implementation':50s} {'arithmetic':26s} {'µs/eval':>10s} {'evals/s':>12s} "
          f"{'× hand_float':>12s}")
    for label, arithmetic, per in results:
        print(f"{label:50s} {arithmetic:26s} {per * 1e6:10.2f} {1 / per:12,.0f} {per / base:12.2f}")
    print(f"\n(best of {repeats} repeats of ~{target_s} s each; × hand_float = time ratio, "
          f">1 is slower)")
    if "numpy batch" in prepare_s:
        print(f"(numpy: building the columns from the fact dicts, untimed above, took "
              f"{prepare_s['numpy batch'] / n * 1e6:.2f} µs per fact set)")
    if any(label.startswith("zen graph: engine.evaluate_batch") for label, _, _ in results):
        print("(zen evaluate_batch runs on several threads: its number is wall time on "
              f"{os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
