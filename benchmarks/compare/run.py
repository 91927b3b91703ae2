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
import json
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


def load_implementations(ruleset: Path) -> tuple[list[tuple[str, str, object]], object, list[str]]:
    """[(label, arithmetic, evaluate)], numpy module or None, [skip messages]."""
    impls: list[tuple[str, str, object]] = [
        ("hand_float", "float + round(x, 9)", impl_hand_float.evaluate),
        ("hand_decimal (reference)", "Decimal", impl_hand_decimal.evaluate),
    ]
    skipped: list[str] = []

    def add(label: str, arithmetic: str, factory) -> None:
        try:
            impls.append((label, arithmetic, factory()))
        except ImportError as exc:
            skipped.append(f"{label}: {exc} (pip install -r benchmarks/compare/requirements.txt)")

    def zen_factory(name):
        def factory():
            import impl_zen
            return getattr(impl_zen, name)()
        return factory

    add("zen graph: create_decision + evaluate", "rust_decimal", zen_factory("make_decision"))
    add("zen compile_expression + evaluate", "rust_decimal", zen_factory("make_compiled_expression"))
    add("zen evaluate_expression (uncompiled)", "rust_decimal",
        zen_factory("make_uncompiled_expression"))

    def rule_engine_factory():
        import impl_rule_engine
        return impl_rule_engine.make()

    def json_logic_factory():
        import impl_json_logic
        return impl_json_logic.make()

    add("rule_engine (29 Rules)", "Decimal", rule_engine_factory)
    add("json_logic (29 rules)", "float + 1e-9 epsilon", json_logic_factory)

    numpy_mod = None
    try:
        import impl_numpy
        numpy_mod = impl_numpy
    except ImportError as exc:
        skipped.append(f"numpy batch: {exc}")

    import impl_rubric
    try:
        impls.append(("rubric", "Decimal", impl_rubric.make(ruleset)))
    except impl_rubric.RubricUnavailable as exc:
        skipped.append(f"rubric: {exc}")
    return impls, numpy_mod, skipped


def check(fact_sets, impls, numpy_totals) -> None:
    """Exit 1 on the first fact set where any implementation disagrees with hand_decimal."""
    for i, f in enumerate(fact_sets):
        expected = to_dec(impl_hand_decimal.evaluate(f))
        got = {}
        for label, _, fn in impls:
            try:
                got[label] = to_dec(fn(f))
            except Exception as exc:
                got[label] = f"raised {type(exc).__name__}: {exc}"
        if numpy_totals is not None:
            got["numpy batch"] = to_dec(float(numpy_totals[i]))
        if all(v == expected for v in got.values()):
            continue
        print(f"\nDISAGREEMENT on fact set #{i} (of {len(fact_sets)}); expected {expected}:",
              file=sys.stderr)
        for label, v in got.items():
            print(f"  {'OK ' if v == expected else 'BAD'} {label:40s} {v}", file=sys.stderr)
        print("facts:", json.dumps(f, ensure_ascii=False, indent=1), file=sys.stderr)
        dec_rows, flt_rows = impl_hand_decimal.row_scores(f), impl_hand_float.row_scores(f)
        print("per row (hand_decimal / hand_float):", file=sys.stderr)
        for (n, name, pts), a, b in zip(ROWS, dec_rows, flt_rows):
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
                    help=f"ruleset for the rubric slot (default {DEFAULT_RULESET.relative_to(REPO)})")
    args = ap.parse_args(argv)
    n = args.n or (1000 if args.quick else 10000)
    target_s, repeats = (0.05, 2) if args.quick else (1.0, 3)

    print(f"Python {platform.python_version()} on {platform.machine()}, "
          f"zen-engine {_version('zen-engine')}, rule-engine {_version('rule-engine')}, "
          f"panzi-json-logic {_version('panzi-json-logic')}, numpy {_version('numpy')}")
    fact_sets = facts_mod.generate(n, args.seed)
    impls, numpy_mod, skipped = load_implementations(args.ruleset)
    for msg in skipped:
        print(f"SKIP {msg}")

    cols = numpy_totals = None
    if numpy_mod is not None:
        t = time.perf_counter()
        cols = numpy_mod.build_columns(fact_sets)
        build_s = time.perf_counter() - t
        numpy_totals = numpy_mod.evaluate_batch(cols)

    t = time.perf_counter()
    check(fact_sets, impls, numpy_totals)
    names = [label for label, _, _ in impls] + (["numpy batch"] if numpy_mod else [])
    print(f"agreement: all {len(names)} implementations give hand_decimal's total on all {n} "
          f"fact sets ({time.perf_counter() - t:.1f} s)")

    order = list(range(n))
    random.Random(args.seed).shuffle(order)
    seq = [fact_sets[i] for i in order]
    results = []
    for label, arithmetic, fn in impls:
        results.append((label, arithmetic, time_per_call(fn, seq, target_s, repeats)))
        print(f"  timed {label}", file=sys.stderr, flush=True)
    if numpy_mod is not None:
        per = time_batch(numpy_mod.evaluate_batch, cols, n, target_s, repeats)
        results.append((f"numpy batch of {n} (per fact set)", "float64 + np.round(x, 9)", per))

    base = results[0][2]
    print(f"\n{'implementation':42s} {'arithmetic':26s} {'µs/eval':>10s} {'evals/s':>12s} "
          f"{'× hand_float':>12s}")
    for label, arithmetic, per in results:
        print(f"{label:42s} {arithmetic:26s} {per * 1e6:10.2f} {1 / per:12,.0f} {per / base:12.2f}")
    if numpy_mod is not None:
        print(f"\n(numpy: building the columns from the fact dicts, not timed above, took "
              f"{build_s / n * 1e6:.2f} µs per fact set)")
    print(f"(best of {repeats} repeats of ~{target_s} s each; × hand_float = time ratio, "
          f">1 is slower)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
