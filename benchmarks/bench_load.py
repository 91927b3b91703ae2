"""Load, build and check time of generated rulesets of 100, 1,000 and 10,000 indicators.

    python benchmarks/bench_load.py [--sizes 100 1000 10000] [--repeats 7] [--quick]

Each ruleset is YAML text generated with a fixed seed: groups of ten rows mixing every common
rule kind (bands over a derived rate whose formula is a declared fact, deductions, yes/no
rows, checklists, ratios, formula rows), with the facts they read. The script measures, in
the same process and as best of ``--repeats`` (interleaved, so a burst of load from other
processes hits every step alike):

* baselines: ``yaml.safe_load`` of the same text (pure-Python loader, and the libyaml
  ``CSafeLoader`` when PyYAML has it), and ``json.loads`` of the same document as JSON;
* rubric: ``load_ruleset(text)`` (parse with line numbers + build + reference checks), split
  into its parse and build steps where the private modules allow it; ``check.check_ruleset``
  (the static checks of ``rubric check``); compiling ``score_only`` as its first use after
  loading does it (the engine's plan and the compiled scores function,
  ``engine.compiled.scores_function``, with the ruleset's memo of both cleared before each
  run), and one ``evaluate`` with every fact given.

With ``--before SRC`` (another checkout's ``src``, e.g. the main branch's) that version of
rubric is imported beside this one, as ``rubric_before``, and its ``load_ruleset(text)`` is
timed in the same interleaved passes; the two rulesets must dump to the same YAML text
(``dump_ruleset``), and a line per size gives the load time before and after.

It prints absolute milliseconds and ratios to ``yaml.safe_load`` and ``json.loads``, and for
load, check and compile the growth from the smallest size of 1,000 or more to the largest
(×10 from 1,000 to 10,000 is linear). Before timing it verifies that the loaded ruleset has
the generated rows, that ``check_ruleset`` reports no error, and that ``evaluate`` and
``score_only`` give the total computed independently by the generator; it exits 1
otherwise. The issues' aims: loading plus checking a 100-indicator ruleset under 100 ms;
at 10,000 indicators loading, checking and compiling ``score_only`` under 1 s each, growing
near-linearly.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from collections.abc import Callable
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
try:
    import rubric
except ModuleNotFoundError:  # not installed: use the source tree
    sys.path.insert(0, str(ROOT / "src"))
    import rubric

CENT = Decimal("0.01")
LOAD, CHECK = "rubric.load_ruleset(text)", "rubric check_ruleset(ruleset)"
BEFORE = "before: load_ruleset(text) (--before)"
COMPILE = "compile score_only (plan + code)"
KINDS = ("bands", "deduction", "boolean", "checklist", "ratio")
# a `formula` *rule* row (not a derived fact): check_ruleset property-checks each with
# hypothesis, which costs seconds per row; measured apart (--formula-rules)


def _q(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def _row(i: int, kind: str, rng: random.Random) -> tuple[dict, dict, dict, Decimal, Decimal]:
    """(fact declarations, rule-carrying indicator, fact values, max points, expected score)."""
    ind: dict = {"id": f"R{i:04d}", "name": f"指标{i}", "criterion": f"第{i}行评价标准（生成）"}
    if kind == "bands":
        a, b, r = f"实际支出{i}", f"年度预算{i}", f"预算执行率{i}"
        budget = Decimal(rng.randint(100, 100_000))
        spend = _q(budget * Decimal(rng.choice([90, 100, 105, 110, 115, 120, 125, 140])) / 100
                   + CENT * rng.choice([-1, 0, 0, 1]))
        facts = {a: {"unit": "万元", "minimum": 0}, b: {"unit": "万元", "minimum": 0},
                 r: {"unit": "%", "minimum": 0, "formula": f"{a} / {b} * 100"}}
        rate = spend * 100 / budget
        pts = 5 if rate <= 100 else 4 if rate <= 110 else 3 if rate <= 120 else 0
        ind["rule"] = {"kind": "bands", "fact": r, "direction": "lower", "bands": [
            {"range": "≤100", "points": 5}, {"range": "(100, 110]", "points": 4},
            {"range": "(110, 120]", "points": 3}, {"range": ">120", "points": 0}]}
        return facts, ind, {a: f"{spend} 万元", b: str(budget)}, Decimal(5), Decimal(pts)
    if kind == "deduction":
        x, target = f"新增企业{i}", rng.randint(10, 60)
        value = rng.randint(0, int(target * 1.2))
        facts = {x: {"unit": "家", "minimum": 0}}
        step = Decimal(target) / 10
        if value >= target:
            pts = Decimal(5)
        else:
            steps = ((target - value) / step).to_integral_value(rounding=ROUND_FLOOR)
            pts = max(Decimal(0), 5 - steps)
        ind["rule"] = {"kind": "deduction", "fact": x, "target": f"{target} 家", "points": 5,
                       "side": "below", "basis": "relative", "step": 10, "per_step": 1,
                       "partial": "floor", "boundary": "counts", "floor": 0}
        return facts, ind, {x: value}, Decimal(5), pts
    if kind == "boolean":
        x, yes = f"按时完成{i}", rng.random() < 0.7
        ind["rule"] = {"kind": "boolean", "fact": x, "yes_points": 3, "no_points": 0}
        return {x: {"type": "boolean"}}, ind, {x: "是" if yes else "否"}, Decimal(3), Decimal(
            3 if yes else 0)
    if kind == "checklist":
        names = [f"制度{i}第{k}项" for k in range(3)]
        points = [2, 2, 1]
        given = [rng.random() < 0.7 for _ in names]
        ind["rule"] = {"kind": "checklist", "items": [
            {"fact": n, "points": p, "label": f"检查项{k}"}
            for k, (n, p) in enumerate(zip(names, points))]}
        return ({n: {"type": "boolean"} for n in names}, ind, dict(zip(names, given)),
                Decimal(5), Decimal(sum(p for p, g in zip(points, given) if g)))
    if kind == "ratio":
        a, t = f"完成数{i}", f"计划数{i}"
        plan = rng.randint(10, 500)
        done = rng.randint(0, plan)
        ind["rule"] = {"kind": "ratio", "actual": a, "target": t, "points": 4}
        return ({a: {"unit": "个", "minimum": 0}, t: {"unit": "个", "minimum": 0}}, ind,
                {a: done, t: plan}, Decimal(4), _q(Decimal(4) * done / plan))
    x = f"培训人次{i}"  # formula
    value = rng.randint(0, 700)
    ind["rule"] = {"kind": "formula", "expression": f"min(5, {x} / 100)", "points": 5,
                   "direction": "higher"}
    return ({x: {"minimum": 0}}, ind, {x: value}, Decimal(5),
            _q(min(Decimal(5), Decimal(value) / 100)))


def generate(n: int, seed: int = 2023, formula_rules: int = 0
             ) -> tuple[str, dict, dict, Decimal]:
    """YAML text of an ``n``-row ruleset (groups of 10 rows), its document as data, a fact
    set giving every input, and the total that fact set must score. The last
    ``formula_rules`` rows are ``formula`` rules."""
    rng = random.Random(seed)
    facts: dict = {}
    values: dict = {}
    groups: list[dict] = []
    total = Decimal(0)
    expected = Decimal(0)
    for g in range(0, n, 10):
        children = []
        for i in range(g, min(n, g + 10)):
            kind = "formula" if i >= n - formula_rules else KINDS[rng.randrange(len(KINDS))]
            f, ind, vals, max_pts, pts = _row(i, kind, rng)
            facts.update(f)
            values.update(vals)
            children.append(ind)
            total += max_pts
            expected += pts
        groups.append({"id": f"G{g // 10:03d}", "name": f"二级指标{g // 10}",
                       "children": children})
    indicators = groups
    if len(groups) > 10:  # 1,000 rows: one more level (一级指标 of ten groups each)
        indicators = [{"id": f"L{k:02d}", "name": f"一级指标{k}", "children": groups[k:k + 10]}
                      for k in range(0, len(groups), 10)]
    doc = {
        "rubric": 1,
        "metadata": {"id": f"generated-{n}", "name": f"生成的{n}行指标体系"},
        "policy": {"precision": 2, "rounding": "half_up", "total_points": int(total)},
        "facts": facts,
        "root": {"id": "总分", "name": "合计", "max_points": int(total)},
        "indicators": indicators,
    }
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=None,
                          width=100)
    return text, doc, values, expected


CPU: list[float] = []  # the best process CPU seconds of each step of the last _best


def _best(fns: list[Callable[[], object]], repeats: int, budget_s: float = 4.0) -> list[float]:
    """Best seconds per call of each fn over up to ``repeats`` interleaved passes (GC on:
    loading allocates many objects, and a user's process collects too). A step stops being
    repeated once it has used ``budget_s`` (slow steps run once or twice). The best
    process CPU time of each is left in ``CPU``: on a machine shared with other work it
    moves less than wall time."""
    best = [float("inf")] * len(fns)
    cpu = [float("inf")] * len(fns)
    spent = [0.0] * len(fns)
    for r in range(repeats):
        for j in range(len(fns)):
            i = (j + r) % len(fns)
            if spent[i] > budget_s:
                continue
            gc.collect()
            c = time.process_time()
            t = time.perf_counter()
            fns[i]()
            t = time.perf_counter() - t
            c = time.process_time() - c
            best[i] = min(best[i], t)
            cpu[i] = min(cpu[i], c)
            spent[i] += t
    CPU[:] = cpu
    return best


def verify(n: int, text: str, values: dict, expected: Decimal) -> list[str]:
    """Problems found with the generated ruleset (an empty list when it is right)."""
    out = []
    ruleset = rubric.load_ruleset(text)
    result = rubric.evaluate(ruleset, values)
    got_rows = sum(1 for _ in result.rows())
    if got_rows != n:
        out.append(f"{n} rows generated, {got_rows} scored")
    if result.total.score != expected:
        bad = [f"{row.id}={row.score}" for row in result.rows()]
        out.append(f"total {result.total.score} (range {result.total.low}..{result.total.high}), "
                   f"the generator expects {expected}; rows: {' '.join(bad[:20])} ...")
    check = _check_fn()
    if check is not None:
        errors = [f for f in check(ruleset) if f.severity == "error"]
        out += [f"check_ruleset error: {f}" for f in errors[:5]]
    compiled = _compile_fn()
    if compiled is not None:
        from rubric.engine.compiled import score_only
        total = score_only(ruleset, values).total
        if total != expected:
            out.append(f"score_only total {total}, the generator expects {expected}")
    return out


def _compile_fn() -> Callable | None:
    """``score_only``'s first use after loading: the plan and the compiled function, the
    ruleset's memo of both cleared first (None without the compiled path)."""
    try:
        from rubric.engine.compiled import scores_function
    except ImportError:
        return None

    def compile_first_use(ruleset: object) -> object:
        memo = ruleset.memo  # type: ignore[attr-defined]
        memo.pop("plan", None)
        memo.pop("scores", None)
        return scores_function(ruleset)

    return compile_first_use


def _check_fn() -> Callable | None:
    try:
        from rubric.verify.check import check_ruleset
    except ImportError:
        return None
    return check_ruleset


def _parts() -> tuple[Callable, Callable] | None:
    """(parse(text) -> doc, build(doc) -> Ruleset) from rubric's private modules, if present."""
    try:
        from rubric.io import located_yaml as _yaml
        from rubric.io.loader import _Loader
    except ImportError:
        return None

    def build(doc: object) -> object:
        ruleset = _Loader(doc).ruleset()
        if ruleset is None:
            raise AssertionError("the generated ruleset did not build")
        return ruleset

    return _yaml.read, build


def import_before(src: str) -> object:
    """The rubric package under ``src`` imported as ``rubric_before`` (its imports inside
    the package are relative, so it runs beside this one)."""
    import importlib.util
    init = Path(src).resolve() / "rubric" / "__init__.py"
    spec = importlib.util.spec_from_file_location("rubric_before", init,
                                                  submodule_search_locations=[str(init.parent)])
    if spec is None or spec.loader is None:
        raise SystemExit(f"--before: no rubric package under {src}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["rubric_before"] = module
    spec.loader.exec_module(module)
    return module


def measure(n: int, repeats: int, before: object = None) -> list[tuple[str, float]]:
    text, doc, values, expected = generate(n)
    problems = verify(n, text, values, expected)
    if before is not None:
        old = before.dump_ruleset(before.load_ruleset(text))  # type: ignore[attr-defined]
        if old != rubric.dump_ruleset(rubric.load_ruleset(text)):
            problems.append("--before loads a different ruleset (its dump differs)")
    if problems:
        print(f"{n} indicators: FAILED\n  " + "\n  ".join(problems), file=sys.stderr)
        sys.exit(1)
    as_json = json.dumps(doc, ensure_ascii=False)
    ruleset = rubric.load_ruleset(text)
    check = _check_fn()
    steps: list[tuple[str, Callable[[], object]]] = [
        ("json.loads (baseline)", lambda: json.loads(as_json)),
        ("yaml.safe_load (baseline)", lambda: yaml.safe_load(text)),
    ]
    if hasattr(yaml, "CSafeLoader"):
        steps.append(("yaml.load, CSafeLoader (libyaml)",
                      lambda: yaml.load(text, Loader=yaml.CSafeLoader)))
    parts = _parts()
    if parts is not None:
        parse, build = parts
        parsed = parse(text)
        steps += [("rubric parse (YAML with line numbers)", lambda: parse(text)),
                  ("rubric build (Ruleset from the parsed doc)", lambda: build(parsed))]
    steps.append((LOAD, lambda: rubric.load_ruleset(text)))
    if before is not None:
        steps.append((BEFORE, lambda: before.load_ruleset(text)))  # type: ignore[attr-defined]
    if check is not None:
        steps.append((CHECK, lambda: check(ruleset)))
        steps.append(("load_ruleset + check_ruleset",
                      lambda: check(rubric.load_ruleset(text))))
    compile_first_use = _compile_fn()
    if compile_first_use is not None:
        compiled = rubric.load_ruleset(text)  # its own: the step clears its memo
        steps.append((COMPILE, lambda: compile_first_use(compiled)))
    steps.append(("evaluate, every fact given", lambda: rubric.evaluate(ruleset, values)))
    best = _best([fn for _, fn in steps], repeats)
    cpu = {label: c for (label, _), c in zip(steps, CPU)}
    return ([(label, t) for (label, _), t in zip(steps, best)], len(text), check is not None,
            cpu)


def growth(by_size: dict[int, dict[str, float]]) -> list[str]:
    """Load, check and compile time at the largest size over the smallest of 1,000 or
    more, beside the ratio of the sizes (equal: linear growth)."""
    big = [n for n in sorted(by_size) if n >= 1000]
    if len(big) < 2:
        return []
    lo, hi = big[0], big[-1]
    parts = [f"{what} ×{by_size[hi][label] / by_size[lo][label]:.1f}"
             for label, what in ((LOAD, "load"), (CHECK, "check"), (COMPILE, "compile"))
             if label in by_size[lo] and label in by_size[hi]]
    return [f"growth {hi} vs {lo} indicators (×{hi / lo:g} the rows; equal is linear): "
            + ", ".join(parts)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=None,
                    help="indicator counts (default 100 1000 10000; --quick: 100)")
    ap.add_argument("--repeats", type=int, default=None, help="default 7 (--quick: 3)")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--before", metavar="SRC", default=None,
                    help="also time load_ruleset of the rubric under SRC (another checkout's "
                         "src directory), in the same passes")
    ap.add_argument("--formula-rules", type=int, default=None,
                    help="also time check_ruleset once on a 100-row ruleset whose last K rows "
                         "are formula rules (default 1; --quick: 0, skipped)")
    args = ap.parse_args(argv)
    sizes = args.sizes or ([100] if args.quick else [100, 1000, 10000])
    repeats = args.repeats or (3 if args.quick else 7)
    print(f"rubric {rubric.__version__}, PyYAML {yaml.__version__} "
          f"(libyaml {'yes' if hasattr(yaml, 'CSafeLoader') else 'no'}), Python "
          f"{sys.version.split()[0]}; best of {repeats} interleaved runs")
    before = import_before(args.before) if args.before else None
    verdicts = []
    by_size: dict[int, dict[str, float]] = {}
    for n in sizes:
        rows, size, has_check, cpu = measure(n, repeats, before)
        times = dict(rows)
        by_size[n] = times
        js, ys = times["json.loads (baseline)"], times["yaml.safe_load (baseline)"]
        print(f"\n{n} indicators ({size / 1024:.0f} KiB of YAML), all checks passed")
        print(f"{'step':44s} {'ms':>9s} {'× json.loads':>13s} {'× yaml.safe_load':>17s} "
              f"{'CPU ms':>9s}")
        for label, t in rows:
            print(f"{label:44s} {t * 1e3:9.2f} {t / js:13.1f} {t / ys:17.2f} "
                  f"{cpu[label] * 1e3:9.2f}")
        if has_check:
            both = times["load_ruleset + check_ruleset"]
            verdicts.append(f"{n} indicators: load + check {both * 1e3:.1f} ms "
                            f"({'under' if both < 0.1 else 'OVER'} the 100 ms aim"
                            + (")" if n == 100 else "; the aim is for 100 indicators)"))
        else:
            verdicts.append(f"{n} indicators: rubric.verify.check.check_ruleset not available; "
                            f"load alone {times[LOAD] * 1e3:.1f} ms")
        if BEFORE in times:
            old, new = times[BEFORE], times[LOAD]
            verdicts.append(f"{n} indicators: load before {old * 1e3:,.1f} ms, after "
                            f"{new * 1e3:,.1f} ms (before/after ×{old / new:.2f}; CPU "
                            f"{cpu[BEFORE] * 1e3:,.1f} → {cpu[LOAD] * 1e3:,.1f} ms)")
        if n >= 10_000:
            for label, what in ((LOAD, "load"), (CHECK, "check"), (COMPILE, "compile score_only")):
                if label in times:
                    t = times[label]
                    verdicts.append(f"{n} indicators: {what} {t:.2f} s "
                                    f"({'under' if t < 1 else 'OVER'} the 1 s aim; "
                                    f"CPU {cpu[label]:.2f} s)")
    verdicts += growth(by_size)
    k = args.formula_rules if args.formula_rules is not None else (0 if args.quick else 1)
    if k:
        text, _doc, values, expected = generate(100, formula_rules=k)
        problems = verify(100, text, values, expected)  # includes one check_ruleset run
        if problems:
            print("formula rows: FAILED\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
        check, ruleset = _check_fn(), rubric.load_ruleset(text)
        if check is not None:
            t = time.perf_counter()
            check(ruleset)
            t = time.perf_counter() - t
            print(f"\ncheck_ruleset, 100 indicators of which {k} formula rule(s) "
                  f"(property-checked with hypothesis), one run: {t * 1e3:,.0f} ms")
            verdicts.append(f"100 indicators with {k} formula rule(s): check {t * 1e3:,.0f} ms")
    print()
    for v in verdicts:
        print(v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
