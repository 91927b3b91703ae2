"""Comparison benchmark (issue 6): one fixed 25-row scoring table in several engines.

    python benchmarks/compare/run.py [--n N] [--quick] [--seed S] [--ruleset PATH]
                                     [--passes P] [--round-seconds S]

1. generates N fact sets (fixed seed; the first 2,856 walk every band and step boundary,
   the rest mix random values with boundaries; default 5,000, --quick 1,000),
2. checks that every implementation gives the same total as hand_decimal's per-row reference
   (``sum(row_scores(f))``, exact) on every fact set, compared as Decimal rounded to 2
   places; on the first disagreeing fact set it prints that fact set, every implementation's total and the per-row scores, and exits 1,
3. times each implementation (time.perf_counter, GC off, best of several passes that visit
   every implementation in turn, over a shuffled cycle of the fact sets) and prints µs per
   evaluation, evaluations per second and the time ratio to hand_float,
4. times the conversion of one fact given with a unit string against ``Decimal(str)``,
5. prints the issue's aims as ratios of those times.

rubric slots: ``evaluate`` (structured trace, the default), ``evaluate`` + ``explain("zh")``
(the text of every row), the scores-only function if the library has one, ``score_batch``,
and ``evaluate`` over facts converted beforehand. Engines that are not installed (the
``bench`` extra) and rubric slots whose API is not there are skipped with a printed reason.
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
import unicodedata
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


def pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (CJK characters take two)."""
    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - cols)


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
        ("hand_float", "float + 1e-9 tolerance", impl_hand_float.evaluate),
        ("hand_decimal (reference)", "Decimal", impl_hand_decimal.evaluate),
    ]
    batches: list[tuple] = []
    skipped: list[str] = []

    def add(label: str, arithmetic: str, module: str, factory: str, batch_prepare=None) -> None:
        try:
            mod = importlib.import_module(module)
            fn = getattr(mod, factory)()
        except ImportError as exc:
            skipped.append(f"{label}: {exc} (pip install '.[bench]')")
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

    add("simpleeval, parsed once (4 + 25 expressions)", "float + round(x, 9)", "impl_simpleeval",
        "make_parsed")
    add("simpleeval, eval(text) per call", "float + round(x, 9)", "impl_simpleeval", "make_text")

    import impl_rubric
    for label, factory in (("rubric evaluate (trace)", impl_rubric.make),
                           ("rubric evaluate + explain('zh') text", impl_rubric.make_explained),
                           ("rubric scores only", impl_rubric.make_score_only)):
        try:
            fn = factory(ruleset)
        except impl_rubric.RubricUnavailable as exc:
            skipped.append(f"{label}: {exc}")
            continue
        name = f"rubric {fn.name} (scores only)" if hasattr(fn, "name") else label
        impls.append((name, "Decimal", fn))

    try:
        import impl_numpy
        batches.append(("numpy batch", "float64 + np.round(x, 9)", impl_numpy.build_columns,
                        impl_numpy.evaluate_batch))
    except ImportError as exc:
        skipped.append(f"numpy batch: {exc}")
    add("zen graph: engine.evaluate_batch", "rust_decimal", "impl_zen", "make_batch",
        batch_prepare=list)
    try:
        batches.append(("rubric score_batch", "Decimal", list,
                        impl_rubric.make_score_batch(ruleset)))
        prepare, run = impl_rubric.make_prepared_batch(ruleset)
        batches.append(("rubric evaluate, facts_from untimed", "Decimal", prepare, run))
    except impl_rubric.RubricUnavailable as exc:
        skipped.append(f"rubric batch: {exc}")
    return impls, batches, skipped


def check(fact_sets, impls, batch_totals: dict) -> None:
    """Exit 1 on the first fact set where any implementation disagrees with hand_decimal."""
    for i, f in enumerate(fact_sets):
        expected = to_dec(sum(impl_hand_decimal.row_scores(f)))  # the per-row reference
        got = {"hand_float, per row (untimed)": to_dec(sum(impl_hand_float.row_scores(f)))}
        for label, _, fn in impls:
            try:
                got[label] = to_dec(fn(f))
            except Exception as exc:  # noqa: BLE001 - reported as a disagreement
                got[label] = f"raised {type(exc).__name__}: {exc}"
        for label, totals in batch_totals.items():
            v = totals[i]
            got[label] = to_dec(v if isinstance(v, (Decimal, int)) else float(v))
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


def _no_gc(fn):
    """Run ``fn()`` with the garbage collector off (restored afterwards)."""
    was = gc.isenabled()
    gc.disable()
    try:
        return fn()
    finally:
        if was:
            gc.enable()


def per_call_round(fn, seq, target_s: float):
    """Calibrate, then return ``round() -> seconds per call`` of fn over a cycle of ``seq``
    lasting about ``target_s``."""
    k, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < min(0.05, target_s / 4) or k < 5:
        fn(seq[k % len(seq)])
        k += 1
    calls = max(10, int(target_s / ((time.perf_counter() - t0) / k)))
    loop = [seq[j % len(seq)] for j in range(calls)]

    def one() -> float:
        t = time.perf_counter()
        for f in loop:
            fn(f)
        return (time.perf_counter() - t) / calls

    return lambda: _no_gc(one)


def batch_round(fn, cols, n: int, target_s: float):
    """``round() -> seconds per unit`` of fn(cols) repeated for about ``target_s``."""
    t = time.perf_counter()
    fn(cols)
    loops = max(1, int(target_s / max(time.perf_counter() - t, 1e-9)))

    def one() -> float:
        t = time.perf_counter()
        for _ in range(loops):
            fn(cols)
        return (time.perf_counter() - t) / loops / n

    return lambda: _no_gc(one)


def interleaved_best(rounds: list, repeats: int) -> list[float]:
    """Best time of each round function over ``repeats`` passes that visit all of them in
    turn (rotating the start), so a burst of load from other processes hits every
    implementation alike instead of one."""
    best = [float("inf")] * len(rounds)
    for r in range(repeats):
        for j in range(len(rounds)):
            i = (j + r) % len(rounds)
            best[i] = min(best[i], rounds[i]())
    return best


def time_per_call(fn, seq, target_s: float, repeats: int) -> float:
    """Best-of-``repeats`` seconds per call of fn over a cycle of ``seq``."""
    return interleaved_best([per_call_round(fn, seq, target_s)], repeats)[0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, help="number of fact sets (default 5000, --quick 1000)")
    ap.add_argument("--quick", action="store_true", help="small N and short timing (a few seconds)")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--ruleset", type=Path, default=DEFAULT_RULESET,
                    help="ruleset for the rubric slot "
                         f"(default {DEFAULT_RULESET.relative_to(REPO)})")
    ap.add_argument("--passes", type=int,
                    help="interleaved timing passes, each implementation's best kept "
                         "(default 5, --quick 3); more passes of shorter rounds find the "
                         "quiet moments of a loaded machine")
    ap.add_argument("--round-seconds", type=float,
                    help="seconds per implementation per pass (default 0.4, --quick 0.05)")
    args = ap.parse_args(argv)
    n = args.n or (1000 if args.quick else 5000)
    target_s, repeats = (0.05, 3) if args.quick else (0.4, 5)
    target_s = args.round_seconds or target_s
    repeats = args.passes or repeats

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
        try:
            batch_totals[label] = run(prepared[label])
        except Exception as exc:  # noqa: BLE001 - a batch that cannot score is a disagreement
            print(f"\nDISAGREEMENT: {label} raised {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1

    t = time.perf_counter()
    check(fact_sets, impls, batch_totals)
    print(f"agreement: all {len(impls) + len(batches)} implementations give hand_decimal's total "
          f"on all {n} fact sets ({time.perf_counter() - t:.1f} s)")

    order = list(range(n))
    random.Random(args.seed).shuffle(order)
    seq = [fact_sets[i] for i in order]
    labels, rounds = [], []
    for label, arithmetic, fn in impls:
        print(f"  calibrating {label} ...", flush=True)
        labels.append((label, arithmetic))
        rounds.append(per_call_round(fn, seq, target_s))
    for label, arithmetic, _, run in batches:
        print(f"  calibrating {label} ...", flush=True)
        labels.append((f"{label} [batch of {n}]", arithmetic))
        rounds.append(batch_round(run, prepared[label], n, target_s))
    print(f"  timing: {repeats} interleaved passes over all {len(rounds)} ...", flush=True)
    best = interleaved_best(rounds, repeats)
    results = [(label, arithmetic, per) for (label, arithmetic), per in zip(labels, best)]

    base = results[0][2]
    print(f"\n{'implementation':52s} {'arithmetic':26s} {'µs/eval':>10s} {'evals/s':>12s} "
          f"{'× hand_float':>12s}")
    for label, arithmetic, per in results:
        print(f"{pad(label, 52)} {arithmetic:26s} {per * 1e6:10.2f} {1 / per:12,.0f} "
              f"{per / base:12.2f}")
    print(f"\n(best of {repeats} interleaved passes of ~{target_s} s per implementation; "
          "× hand_float = time ratio, >1 is slower)")
    if "numpy batch" in prepare_s:
        print(f"(numpy: building the columns from the fact dicts, untimed above, took "
              f"{prepare_s['numpy batch'] / n * 1e6:.2f} µs per fact set)")
    if "rubric evaluate, facts_from untimed" in prepare_s:
        print(f"(rubric: converting the fact dicts with ruleset.facts_from, untimed in the "
              f"'facts_from untimed' row, took "
              f"{prepare_s['rubric evaluate, facts_from untimed'] / n * 1e6:.2f} µs per fact set)")
    if any(label.startswith("zen graph: engine.evaluate_batch") for label, _, _ in results):
        print("(zen evaluate_batch runs on several threads: its number is wall time on "
              f"{os.cpu_count()} cores)")

    conversion = fact_conversion(args.ruleset, target_s, repeats)
    if conversion:
        print(f"\n{pad('fact conversion (高新技术产值, declared in 亿元)', 52)} {'µs/call':>10s} "
              f"{'× Decimal(str)':>15s}")
        for label, per in conversion:
            print(f"{pad(label, 52)} {per * 1e6:10.3f} {per / conversion[0][1]:15.2f}")
    print_aims({label: per for label, _, per in results}, n, conversion)
    return 0


def fact_conversion(ruleset_path: Path, target_s: float, repeats: int) -> list[tuple[str, float]]:
    """Seconds per call of converting one fact with a unit string, against Decimal(str)."""
    import impl_rubric
    try:
        ruleset = impl_rubric._load(str(ruleset_path))
    except impl_rubric.RubricUnavailable:
        return []
    spec = ruleset.specs["高新技术产值"]
    assert ruleset.facts_from({"高新技术产值": "6280000 万元"}).values["高新技术产值"] == 628
    assert spec.coerce("628 亿元") == Decimal("628")
    cases = [
        ("Decimal('628') (baseline)", Decimal, "628"),
        ("spec.coerce('628 亿元') (general path)", spec.coerce, "628 亿元"),
        ("spec.coercer('628') (what facts_from uses)", spec.coercer, "628"),
        ("spec.coercer('628 亿元')", spec.coercer, "628 亿元"),
        ("spec.coercer('6280000 万元') (converted)", spec.coercer, "6280000 万元"),
        ("ruleset.facts_from({'高新技术产值': '628 亿元'})", ruleset.facts_from,
         {"高新技术产值": "628 亿元"}),
        ("ruleset.facts_from({... '6280000 万元'})", ruleset.facts_from,
         {"高新技术产值": "6280000 万元"}),
    ]
    return [(label, time_per_call(fn, [arg], target_s / 4, repeats)) for label, fn, arg in cases]


def print_aims(per: dict[str, float], n: int, conversion: list[tuple[str, float]]) -> None:
    """The issue's aims as ratios of the rows above (a missing row is reported as such)."""
    def ratio(a: str, b: str) -> str:
        if a not in per or b not in per:
            return "n/a (" + " and ".join(x for x in (a, b) if x not in per) + " not measured)"
        return f"{per[a] / per[b]:.2f}"

    r, rx = "rubric evaluate (trace)", "rubric evaluate + explain('zh') text"
    only = next((k for k in per if k.endswith("(scores only)")), None)
    numpy_label = f"numpy batch [batch of {n}]"
    lines = []
    for zen in ("zen graph: create_decision + evaluate",
                "zen graph: engine.evaluate, static loader"):
        lines.append((f"rubric / {zen}", ratio(r, zen), "< 1"))
        lines.append((f"rubric + explain text / {zen}", ratio(rx, zen), "< 1"))
    for other in ("simpleeval, parsed once (4 + 25 expressions)", "simpleeval, eval(text) per call",
                  "json_logic (4 + 25 rules)", "rule_engine (4 + 25 Rules)"):
        lines.append((f"{other} / rubric", ratio(other, r), "≥ 10"))
    lines.append(("rubric / hand_float", ratio(r, "hand_float"), "≤ 10"))
    lines.append(("rubric + explain text / hand_float", ratio(rx, "hand_float"), "≤ 10"))
    if only:
        lines.append((f"{only} / hand_decimal", ratio(only, "hand_decimal (reference)"), "≤ 1.5"))
    if only:
        lines.append((f"{only} / numpy, per unit", ratio(only, numpy_label), "≤ 3"))
    else:
        lines.append(("rubric scores only / numpy, per unit",
                      "n/a (rubric has no scores-only function yet)", "≤ 3"))
    for b in ("rubric score_batch", "rubric evaluate, facts_from untimed"):
        lines.append((f"{b} / numpy, per unit", ratio(f"{b} [batch of {n}]", numpy_label),
                      "≤ 3 for scores only"))
    if conversion:
        lines.append(("µs to convert '628 亿元' (the per-fact path of facts_from)",
                      f"{conversion[3][1] * 1e6:.2f}", "≤ 2 µs"))
        lines.append(("µs for a whole facts_from call of that one fact",
                      f"{conversion[5][1] * 1e6:.2f}", "(incl. the per-call cost)"))
    print("\naims (ratios of the times above: time of the first / time of the second)")
    for label, value, aim in lines:
        print(f"  {pad(label, 72)} {value:>8s}   aim {aim}")

if __name__ == "__main__":
    sys.exit(main())
