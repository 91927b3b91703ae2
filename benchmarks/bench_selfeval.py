"""Self-evaluation batch throughput: projects/second through ``rubric.selfeval.many``.

Generates N projects (fixed seed) in the long format (one row per project × indicator,
财预〔2020〕10号 rows: 预算执行率, 产出 数量/质量/时效/成本, 效益, 满意度), a few of them
deliberately broken, writes them as CSV, and times in the same process:

* ``baseline``: the projects, already read, scored one by one through the Python API
  (``score_project``, audited);
* ``batch``: the file end to end (``score_many_file``: read, group, score, audit,
  summary rows; no files written);
* ``batch keeping summary rows only``: the same with ``keep=False``, as the CLI runs it
  (each project's score dropped once its summary row is made);
* ``batch + files``: the same writing the summary and one 自评表 XLSX per project (on
  the first 100 projects: the XLSX writer dominates).

The baseline and the batch run in three interleaved passes and the best of each is kept
(other work on the machine moves single timings). It prints projects/second for each and
the time per project as a ratio to the baseline, then checks that the broken projects
were reported and every other project is complete and equal to its hand-computed total.
``python benchmarks/bench_selfeval.py [N]`` (default 1000).

Also used by tests/test_selfeval_batch.py (``generate``, ``expected``, ``write_long``).
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rubric.selfeval.build import score_project  # noqa: E402
from rubric.selfeval.long_format import read_many  # noqa: E402
from rubric.selfeval.many import score_many_file  # noqa: E402
from rubric.selfeval.template import load_template  # noqa: E402

D = Decimal
CENT = D("0.01")
COLUMNS = ["项目名称", "主管部门", "实施单位", "年度", "一级指标", "二级指标", "三级指标",
           "年度指标值", "实际完成值", "分值", "得分", "年初预算数（万元）", "全年预算数（万元）",
           "全年执行数（万元）"]
COUNTS = (("个", 5, 40), ("人次", 500, 5000), ("米", 200, 3000), ("家", 3, 30), ("次", 2, 12),
          ("亩", 50, 800))
#: (kind, what the report must say): cycled through the broken projects
BREAKAGES = (
    ("target", "'≥abc' has a comparison but no number"),
    ("points", "分值 is blank"),
    ("unit", "unknown unit 'xyz'"),
    ("funds", "全年预算数 of project"),
)
BROKEN_EVERY = 97


def _r(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _forward(points: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    return _r(points * min(D(1), actual / target))


def generate(n: int, seed: int = 12) -> list[dict[str, Any]]:
    """N projects as dicts (the shape of tests/selfeval_files.py, plus ``expected``:
    the hand-computed (low, high) total, and ``broken``: the breakage or None)."""
    rng = random.Random(seed)
    return [_project(rng, i) for i in range(n)]


def _project(rng: random.Random, i: int) -> dict[str, Any]:
    annual = D(rng.randint(5000, 90000)) / 100
    executed = _r(annual * D(rng.randint(70, 100)) / 100)
    rows: list[tuple[Any, ...]] = []
    low = high = _r(D(10) * min(D(1), executed / annual))

    def add(level1: str, level2: str, name: str, target: str, actual: str, points: int,
            lo: Decimal, hi: Decimal | None = None) -> None:
        nonlocal low, high
        low, high = low + lo, high + (lo if hi is None else hi)
        rows.append((level1, level2, name, target, actual, points, _text(lo)))

    for k, points in enumerate((15, 10)):
        unit, lo_t, hi_t = COUNTS[(i + k) % len(COUNTS)]
        target = D(rng.randint(lo_t, hi_t))
        actual = _r(target * D(rng.randint(70, 120)) / 100)
        add("产出指标", "数量指标", f"数量{k + 1}", f"≥{target}{unit}", f"{_text(actual)}{unit}",
            points, _forward(D(points), target, actual))
    target_q = D(rng.choice((90, 95, 98)))
    actual_q = D(rng.randint(85, 100))
    form = rng.choice(("≥{}%", "不低于{}%", "≥{}％", "{}%"))
    if form == "≥{}％":
        form = "≥" + "".join(chr(ord(c) + 0xFEE0) for c in str(target_q)) + "％"
    add("产出指标", "质量指标", "验收合格率", form.format(target_q), f"{actual_q}%", 10,
        _forward(D(10), target_q, actual_q))
    month = rng.randint(6, 12)
    done = rng.randint(5, 12)
    add("产出指标", "时效指标", "完成时间", f"{month}月底前", f"{done}月", 5,
        D(5) if done <= month else D(0))
    cap = D(rng.randint(20, 400))
    spent = _r(cap * D(rng.randint(85, 115)) / 100)
    unit_cost = rng.choice(("万元", "元"))
    shown = (cap, spent) if unit_cost == "万元" else (cap * 10000, spent * 10000)
    add("产出指标", "成本指标", "成本控制", f"≤{_text(shown[0])}{unit_cost}",
        f"{_text(shown[1])}{unit_cost}", 10, _r(D(10) * min(D(1), cap / spent)))
    target_s = D(rng.choice((70, 80, 85)))
    actual_s = D(rng.randint(60, 95))
    add("效益指标", "社会效益指标", "受益覆盖率", f"≥{target_s}%", f"{actual_s}%", 15,
        _forward(D(15), target_s, actual_s))
    if i % 10 == 4:  # a tier row with the evaluator's score: the score, inside the tier
        add("效益指标", "可持续影响指标", "长效机制", "有所提升", "达成预期指标", 15, D("13.5"))
    elif i % 10 == 9:  # no score given: the tier's range (达成: 80%–100% of 15)
        add("效益指标", "可持续影响指标", "长效机制", "有所提升", "达成预期指标", 15, D(12), D(15))
        rows[-1] = (*rows[-1][:6], None)
    else:
        years = D(rng.randint(2, 5))
        lasting = D(rng.randint(1, 6))
        add("效益指标", "可持续影响指标", "持续年限", f"≥{years}年", f"{lasting}年", 15,
            _forward(D(15), years, lasting))
    target_m = D(90)
    actual_m = D(rng.randint(80, 99))
    add("满意度指标", "服务对象满意度指标", "满意度", f"≥{target_m}%", f"{actual_m}%", 10,
        _forward(D(10), target_m, actual_m))
    broken = BREAKAGES[(i // BROKEN_EVERY) % len(BREAKAGES)][0] if i % BROKEN_EVERY == 7 else None
    if broken == "target":
        rows[0] = (*rows[0][:3], "≥abc", *rows[0][4:])
    elif broken == "points":
        rows[2] = (*rows[2][:5], None, rows[2][6])
    elif broken == "unit":
        rows[1] = (*rows[1][:3], "≥5 xyz", "6 xyz", *rows[1][5:])
    budget_claim = _r(D(10) * min(D(1), executed / annual))
    return {"name": f"项目{i:05d}", "department": f"部门{i % 17}", "unit": f"单位{i % 53}",
            "year": 2023, "funds": {"initial": annual, "annual": annual, "executed": executed,
                                    "points": 10, "claimed": budget_claim},
            "rows": rows, "total": _text(low) if low == high else None,
            "expected": (low, high), "broken": broken}


def write_long(path: Path, projects: list[dict[str, Any]]) -> Path:
    """The projects as one long-format CSV: the 资金 columns on the 预算执行率 row only
    (even projects) or on every row (odd), 项目名称 blank on continuation rows of every
    third project, 一级指标 blank where it repeats."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["项目自评汇总表（2023年度）"])
        out.writerow(COLUMNS)
        for i, p in enumerate(projects):
            f = p["funds"]
            funds = [_text(f["initial"]), _text(f["annual"]), _text(f["executed"])]
            head = [p["name"], p["department"], p["unit"], p["year"]]
            out.writerow([*head, "预算执行率", "", "", "", "", f["points"],
                          _text(f["claimed"]), *funds])
            last1 = ""
            for k, row in enumerate(p["rows"]):
                level1, level2, name, target, actual, points, claimed = row[:7]
                name_cells = ["", "", "", ""] if i % 3 == 2 else head
                repeat = funds if i % 2 else ["", "", ""]
                if p["broken"] == "funds" and k == 3:
                    repeat = [funds[0], _text(f["annual"] + 1), funds[2]]
                out.writerow([*name_cells, "" if level1 == last1 else level1, level2, name,
                              target, actual, "" if points is None else points,
                              "" if claimed is None else claimed, *repeat])
                last1 = level1
    return path


def bench(n: int, passes: int = 3, files: int = 100) -> None:
    """Time the baseline and the batch in ``passes`` interleaved passes (best of each:
    other work on the machine moves single timings), and the 自评表 files on the first
    ``files`` projects."""
    template = load_template("10号")
    projects = generate(n)
    broken = {p["name"]: p["broken"] for p in projects if p["broken"]}
    best = {"baseline": float("inf"), "batch": float("inf"), "stream": float("inf")}
    with tempfile.TemporaryDirectory() as tmp:
        source = write_long(Path(tmp) / "long.csv", projects)
        items, _ = read_many(source)
        read = [p for p in items if not hasattr(p, "error")]
        for _ in range(passes):
            t0 = time.perf_counter()
            for p in read:
                score_project(p, template)  # type: ignore[arg-type]
            best["baseline"] = min(best["baseline"], time.perf_counter() - t0)
            t0 = time.perf_counter()
            summary = score_many_file(source, template)
            best["batch"] = min(best["batch"], time.perf_counter() - t0)
            t0 = time.perf_counter()
            score_many_file(source, template, keep=False)
            best["stream"] = min(best["stream"], time.perf_counter() - t0)
        some = write_long(Path(tmp) / "some.csv", projects[:files])
        t0 = time.perf_counter()
        score_many_file(some, template, Path(tmp) / "out")
        written = time.perf_counter() - t0
    per = best["baseline"] / len(read)
    print(f"{n} projects ({len(broken)} broken), same process, best of {passes} passes:")
    for label, seconds, count in (
            ("baseline (score_project, read already)", best["baseline"], len(read)),
            ("batch (read + score + summary)", best["batch"], n),
            ("batch keeping summary rows only (the CLI)", best["stream"], n),
            (f"batch + 自评表 XLSX files ({files} projects)", written, files)):
        print(f"  {label:44s} {count / seconds:8.1f} projects/s  ({seconds:.2f} s, "
              f"{seconds / count / per:.2f}× baseline per project)")
    failed = [o for o in summary.outcomes
              if o.score is None or o.score.built.problems]
    assert {o.name for o in failed} == set(broken), "broken projects not all reported"
    for o in summary.outcomes:
        if o.name in broken:
            continue
        assert o.score is not None
        expected = projects[o.index]["expected"]
        assert (o.score.result.low, o.score.result.high) == expected, o.name
    print(f"  checked: {len(failed)} broken projects reported, {n - len(failed)} complete "
          "and equal to the hand-computed totals")


if __name__ == "__main__":
    bench(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
