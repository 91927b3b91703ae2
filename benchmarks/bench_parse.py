"""Speed of reading criteria: strings per second, and importing a 100-row filed table.

    python benchmarks/bench_parse.py [--repeats 5] [--rows 100]

* ``parse_criterion`` over every text of the corpus (tests/data/criteria.yaml) with its
  arguments, best of ``--repeats`` passes: strings per second, split into the texts read
  and the texts refused (a refusal stops before the proving load and check);
* ``rubric import`` of a generated XLSX of ``--rows`` rows (the corpus's parsed texts in
  turn, each row its own name and 分值, 一级/二级 merged): reading the table, drafting the
  ruleset, writing it, loading it back and ``rubric check`` — best of ``--repeats``, with
  the table read and the parsing timed on their own.

Times are this process's CPU time (``--wall`` for elapsed time, which on a shared machine
also counts the other processes' turns).

Before timing it checks that every corpus text reads as the corpus says (rule or refusal)
and that the imported ruleset has every row parsed; it exits 1 otherwise. The aims: well
over 100 strings a second, and a 100-row table imported well under a second.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rubric import load_ruleset, parse_criterion  # noqa: E402
from rubric.cli import main  # noqa: E402
from rubric.criteria.importer import draft_ruleset  # noqa: E402
from rubric.criteria.parse import to_json  # noqa: E402
from rubric.criteria.table import read_table  # noqa: E402


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_constructor("tag:yaml.org,2002:float",
                        lambda loader, node: Decimal(loader.construct_scalar(node)))


def corpus() -> list[dict[str, Any]]:
    text = (ROOT / "tests" / "data" / "criteria.yaml").read_text(encoding="utf-8")
    entries: list[dict[str, Any]] = yaml.load(text, Loader=_Loader)["criteria"]
    return entries


def _args(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: entry[k] for k in ("points", "fact", "unit") if k in entry}


def _plain(value: Any) -> Any:
    import json

    return json.loads(to_json(value), parse_float=Decimal, parse_int=Decimal)


def verify(entries: list[dict[str, Any]]) -> bool:
    ok = True
    for entry in entries:
        r = parse_criterion(entry["text"], **_args(entry))
        if "unparsed" in entry:
            good = r.unparsed == entry["unparsed"]
        else:
            good = r.ok and _plain(r.mapping) == _plain(entry["rule"])
        if not good:
            print(f"disagrees with the corpus: {entry['text'][:40]!r}: {r.unparsed}")
            ok = False
    return ok


def best(fn: Callable[[], object], repeats: int) -> float:
    """Best of ``repeats`` in this process's CPU time (``--wall``: elapsed time): on a
    shared machine the elapsed time counts other processes' turns."""
    clock = time.perf_counter if WALL else time.process_time
    times = []
    for _ in range(repeats):
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times)


WALL = False


def build_table(path: Path, entries: list[dict[str, Any]], rows: int) -> None:
    import openpyxl

    usable = [e for e in entries if "rule" in e and "points" not in e and "fact" not in e
              and "unit" not in e]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "评价标准", "得分"])
    for n in range(rows):
        entry = usable[n % len(usable)]
        # The rule's own top (a text stating 0.5分 must get 0.5); 1 only for a 0-point rule.
        points = _points(entry["rule"]) or Decimal(1)
        ws.append([f"一级{n // 50 + 1}", f"二级{n // 10 + 1}", f"指标{n + 1}", float(points),
                   entry["text"], None])
    for start in range(2, rows + 2, 10):
        ws.merge_cells(start_row=start, end_row=min(start + 9, rows + 1), start_column=2,
                       end_column=2)
    wb.save(path)


def _points(rule: dict[str, Any]) -> Decimal:
    kind = rule["kind"]
    if kind == "bands":
        return max(Decimal(str(b["points"])) for b in rule["bands"])
    if kind == "boolean":
        return max(Decimal(str(rule["yes_points"])), Decimal(str(rule["no_points"])))
    if kind == "checklist":
        return sum((Decimal(str(i["points"])) for i in rule["items"]), Decimal(0))
    if kind == "categorical":
        return max(Decimal(str(s["points"])) for s in rule["states"])
    return Decimal(str(rule["points"]))


def main_() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--wall", action="store_true", help="elapsed instead of CPU time")
    args = parser.parse_args()
    global WALL  # noqa: PLW0603 - a script's one setting
    WALL = args.wall
    print("timing:", "elapsed (wall) time" if WALL else "CPU time of this process")
    entries = corpus()
    if not verify(entries):
        return 1
    read = [e for e in entries if "rule" in e]
    refused = [e for e in entries if "unparsed" in e]

    def parse_all(group: list[dict[str, Any]]) -> Callable[[], None]:
        return lambda: [parse_criterion(e["text"], **_args(e)) for e in group] and None

    t_all = best(parse_all(entries), args.repeats)
    t_read = best(parse_all(read), args.repeats)
    t_refused = best(parse_all(refused), args.repeats)
    print(f"parse_criterion, {len(entries)} corpus texts: {len(entries) / t_all:,.0f} strings/s "
          f"({t_all / len(entries) * 1000:.2f} ms each)")
    print(f"  {len(read)} read into a rule (loaded and checked): {len(read) / t_read:,.0f}/s")
    print(f"  {len(refused)} refused: {len(refused) / t_refused:,.0f}/s")

    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "table.xlsx"
        build_table(table, entries, args.rows)
        out = Path(tmp) / "out"
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["import", str(table), "-o", str(out)])
        ruleset = load_ruleset(out / "ruleset.yaml")
        rows = list(ruleset.indicators())
        if code != 0 or len(rows) != args.rows or any(
                getattr(r.rule, "kind", "") == "not_assessed" for r in rows):
            print(f"import disagrees: exit {code}, {len(rows)} rows")
            return 1

        def run_import() -> None:
            with contextlib.redirect_stdout(io.StringIO()):
                main(["import", str(table), "-o", str(out)])

        t_import = best(run_import, args.repeats)
        t_table = best(lambda: read_table(table), args.repeats)
        parsed = read_table(table)
        t_draft = best(lambda: draft_ruleset(parsed), args.repeats)
    print(f"rubric import, {args.rows}-row XLSX: {t_import * 1000:.0f} ms "
          f"(reading the table {t_table * 1000:.0f} ms, drafting the ruleset "
          f"{t_draft * 1000:.0f} ms; the rest writes, loads and checks it)")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
