"""CSV to CSV by columns (``rubric.batch_csv``) writes byte for byte what the per-unit
path writes: the same lines, error rows, ranges, warnings, grades and stderr lines, for
the bench's data (broken rows, missing cells, cells with a unit) and for cells drawn by
hypothesis over the seed ruleset, the department template, every rule kind and random
rulesets; and the columns really score most rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rubric.batch
import seed_table
from rubric import load_ruleset
from rubric.batch import score_batch, score_file, write_rows
from rubric.batch_csv import column_ready
from rubric.engine.column_text import text_numbers
from rubric.io.tabular import read_table
from rubric.testing import facts_for
from test_columns import every_kind, settled_kinds
from test_properties import random_rulesets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "compare"))
import bench_batch  # noqa: E402
from facts import generate  # noqa: E402

SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
DEPARTMENT = ROOT / "rulesets" / "templates" / "xiangtan-kgxj-department.yaml"


def per_unit(ruleset: Any, path: Path, complete: bool = False) -> tuple[str, str]:
    """What the per-unit path writes for ``path``: the CSV text and the stderr lines
    (``score_file`` before the column path: read_table, score_batch, write_rows)."""
    _layout, rows, _total = read_table(path, ruleset)
    scored = list(score_batch(ruleset, rows, complete=complete, records_only=True))
    out = io.StringIO()
    write_rows(scored, None, ruleset, "csv", stream=out)
    err = "".join(f"{path}:{r.row}: {r.unit}: {r.error}\n" for r in scored if r.error)
    return out.getvalue(), err


def by_columns(ruleset: Any, path: Path, complete: bool = False,
               output: Path | None = None) -> tuple[str, str, Any]:
    out, err = io.StringIO(), io.StringIO()
    summary = score_file(ruleset, path, output, stream=out, errors=err, complete=complete)
    text = out.getvalue() if output is None else output.read_bytes().decode("utf-8")
    return text, err.getvalue(), summary


class Counted:
    """Counts the rows the per-unit path is given (``rubric.batch.score_batch``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rows = 0
        real = rubric.batch.score_batch

        def counting(ruleset: Any, rows: Any, **kw: Any) -> Iterator[Any]:
            rows = list(rows)
            self.rows += len(rows)
            return real(ruleset, rows, **kw)

        monkeypatch.setattr(rubric.batch, "score_batch", counting)


@pytest.fixture(scope="module")
def seed() -> Any:
    return seed_table.build()


# -------------------------------------------------------------------- the bench's data


@pytest.mark.parametrize("complete", [False, True])
def test_bench_data_is_written_byte_for_byte(tmp_path: Path, seed: Any, complete: bool,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    text, broken = bench_batch.generate(1200)
    src = tmp_path / "units.csv"
    src.write_text(text, encoding="utf-8")
    want, want_err = per_unit(seed, src, complete)
    counted = Counted(monkeypatch)
    got, got_err, summary = by_columns(seed, src, complete, output=tmp_path / "out.csv")
    assert got == want
    assert got_err == want_err
    assert len(broken) <= len(summary.errors)
    assert summary.rows == 1200
    # with complete, broken rows and blank cells go per unit; without, a broken row's
    # error is its bad cells' (``batch_csv._refused``) and only the one unit per lone fact
    # a range is taken from goes per unit; units in cells and missing cells never do
    blanks = sum(1 for line in text.splitlines() if ",," in line)
    assert blanks > 20 and "万元" in text
    if complete:
        assert len(broken) < counted.rows <= len(broken) + blanks
    else:
        assert 1 <= counted.rows <= 2


def test_a_range_taken_wrongly_is_caught(tmp_path: Path, seed: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A range line that differs from the per-unit path's sends the chunk's ranged
    units per unit (the unit a range is taken from is checked first)."""
    import rubric.batch_csv

    real = rubric.batch_csv.ranged_texts

    def wrong(*args: Any) -> Any:
        got = real(*args)
        if got is not None:
            got[0]["missing_facts"] = ["某事实"] * len(got[0]["missing_facts"])
        return got

    monkeypatch.setattr(rubric.batch_csv, "ranged_texts", wrong)
    text, _broken = bench_batch.generate(400)
    src = tmp_path / "units.csv"
    src.write_text(text, encoding="utf-8")
    counted = Counted(monkeypatch)
    got, got_err, _summary = by_columns(seed, src)
    assert (got, got_err) == per_unit(seed, src)
    assert "某事实" not in got and "供养人数" in got
    assert counted.rows > sum(1 for line in text.splitlines() if ",," in line)


def test_stream_output_and_cells_with_units(tmp_path: Path, seed: Any) -> None:
    text, _broken = bench_batch.generate(300)
    assert "万元" in text  # the bench writes some 高新技术产值 cells in 万元
    src = tmp_path / "units.csv"
    src.write_text(text, encoding="utf-8")
    want, want_err = per_unit(seed, src)
    got, got_err, _summary = by_columns(seed, src)
    assert (got, got_err) == (want, want_err)


def test_the_column_path_is_taken_only_for_a_plain_header(tmp_path: Path, seed: Any) -> None:
    text, _broken = bench_batch.generate(5)
    src = tmp_path / "units.csv"
    src.write_text(text, encoding="utf-8")
    layout, rows, _total = read_table(src, seed, cells=True)
    assert column_ready(seed, layout)
    rows_list = list(rows)
    assert all(type(c) is list for _n, c in rows_list)
    moved = tmp_path / "moved.csv"  # a passed-through 备注 column: the per-unit path
    lines = text.splitlines()
    moved.write_text("\n".join([lines[0] + ",备注", *(ln + ",x" for ln in lines[1:])]) + "\n",
                     encoding="utf-8")
    layout, rows, _total = read_table(moved, seed, cells=True)
    list(rows)
    assert not column_ready(seed, layout)
    want, want_err = per_unit(seed, src)
    got, got_err, _summary = by_columns(seed, moved)
    got_lines = list(csv.reader(io.StringIO(got)))
    assert got_lines[0][2] == "备注" and {ln[2] for ln in got_lines[1:]} == {"x"}
    assert [ln[:2] + ln[3:] for ln in got_lines] == list(csv.reader(io.StringIO(want)))
    assert got_err == want_err.replace("units.csv", "moved.csv")


def test_a_failing_chunk_goes_per_unit(tmp_path: Path, seed: Any,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import rubric.batch_csv

    def broken(*args: Any, **kw: Any) -> Any:
        raise RuntimeError("a bug in the columns")

    monkeypatch.setattr(rubric.batch_csv, "convert_all", broken)
    text, _broken = bench_batch.generate(150)
    src = tmp_path / "units.csv"
    src.write_text(text, encoding="utf-8")
    counted = Counted(monkeypatch)
    assert by_columns(seed, src)[:2] == per_unit(seed, src)
    assert counted.rows == 150


def test_a_header_alone_and_short_rows(tmp_path: Path, seed: Any) -> None:
    text, _broken = bench_batch.generate(20)
    lines = text.splitlines()
    src = tmp_path / "units.csv"
    src.write_text(lines[0] + "\n", encoding="utf-8")
    assert by_columns(seed, src)[:2] == per_unit(seed, src)
    short = [lines[0], lines[1], ",".join(lines[2].split(",")[:5]), lines[3] + ",,",
             lines[4] + ",9", "", " , ", lines[5]]
    src.write_text("\n".join(short) + "\n", encoding="utf-8")
    got = by_columns(seed, src)
    assert got[:2] == per_unit(seed, src) and got[2].rows == 5


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_cells_are_reported_without_the_per_unit_path(
        tmp_path: Path, seed: Any, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A row refused for its bad cells gets the per-unit path's error (one problem or
    several, in column order, in ``lang``) from those cells alone; a bad cell beside a
    blank lone fact or a cell with a unit is still that error; a bad unit name, or a
    cell the per-unit path takes that the columns do not, still goes per unit."""
    text, _broken = bench_batch.generate(60, broken_every=1000)
    rows = list(csv.DictReader(io.StringIO(text)))
    edits = [{"预算数": "5 人"}, {"政府采购执行": "也许", "服务对象满意度": "120"},
             {"绩效目标完成日期": "2023-13-45", "供养人数": ""},
             {"资金结余情况": "结余很多", "高新技术产值": "7125000 万元"},
             {"预算数": "1,234"}, {"id": "U\x07", "预算数": "5 人"},
             {"服务对象满意度": "不适用"}, {"预算数": "3 亿元", "服务对象满意度": "-1"},
             {"id": "=SUM(A1)", "预算数": "5 人"}, {"id": "-U", "政府采购执行": "也许"},
             {"id": 'U "q", 1', "资金结余情况": '结余,"多"'}]
    for k, edit in enumerate(edits):
        rows[2 + 3 * k].update(edit)
    src = tmp_path / "units.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    _layout, read, _total = read_table(src, seed)
    scored = list(score_batch(seed, read, records_only=True, lang=lang))
    want = io.StringIO()
    write_rows(scored, None, seed, "csv", stream=want)
    want_err = "".join(f"{src}:{r.row}: {r.unit}: {r.error}\n" for r in scored if r.error)
    assert sum(1 for r in scored if r.error) >= 9
    assert "'=SUM(A1)" in want.getvalue() and '"U ""q"", 1"' in want.getvalue()
    assert '结余,""多""' in want.getvalue()
    assert any(r.error is not None and r.error.startswith(("2 problems", "共 2 个问题"))
               for r in scored)
    counted = Counted(monkeypatch)
    out, err = io.StringIO(), io.StringIO()
    summary = score_file(seed, src, None, stream=out, errors=err, lang=lang)
    assert out.getvalue() == want.getvalue()
    assert err.getvalue() == want_err
    assert summary.errors == tuple((r.row, r.error) for r in scored if r.error)
    # per unit: the bad name's row, 1,234 (no bad cell: its value per unit), maybe
    # 不适用, and the units ranges are taken from; not the rows refused for their cells
    assert 2 <= counted.rows <= 6


# ------------------------------------------------------------------ cells as text files


#: cells the per-unit path reads in its own ways (or refuses): the columns must leave them
ODD_NUMBERS = ("", " ", "-", "不适用", "/", "5.", ".5", "+5", "-0", "007.50", "1,234",
               " 12", "12 ", "1e3", "١٢", "１２", "0.0000000001", "99999999999999999",
               "123456789012345.5", "5 人", "5人", "7125000 万元", "3 亿元", "10%", "10 %",
               "0.925", "0.5", "1", "100", "101", "-3", "nan", "inf", "5\n6", "达成预期指标")
ODD_OTHER = ("", " ", "是", "否", " 是", "是 ", "true", "True", "已完成", "有", "无", "x",
             "2023-12-31", "2023-02-30", "2023-1-5", "0999-01-01", "2023-12-31 ",
             "2024-02-29", "2023/12/31", "不适用", "无结余", " 无结余", "好", "较好")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return str(value) if value == value.normalize() or value.is_zero() else \
            format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@st.composite
def csv_units(draw: Any, ruleset: Any, size: int = 8, base: list[dict[str, Any]] | None = None
              ) -> list[dict[str, str]]:
    """Units drawn for ``ruleset`` (or ``base``), as text cells, some cells odd."""
    units = base if base is not None else draw(
        st.lists(facts_for(ruleset, missing=True), min_size=1, max_size=size))
    specs = ruleset.specs
    out = []
    for unit in units:
        row = {k: cell(v) for k, v in unit.items()}
        for k in list(row):
            if draw(st.integers(0, 11)) == 0:  # now and then a cell read some other way
                row[k] = draw(st.sampled_from(
                    ODD_NUMBERS if specs[k].type == "number" else ODD_OTHER))
        out.append(row)
    return out


def write_csv(path: Path, ruleset: Any, units: list[dict[str, str]], named: bool) -> None:
    names = [s.name for s in ruleset.input_facts()]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow((["id"] if named else []) + names)
        for i, unit in enumerate(units):
            w.writerow(([f"U{i}" if i % 5 else " "] if named else [])
                       + [unit.get(n, "") for n in names])


def agree(ruleset: Any, units: list[dict[str, str]], tmp: Path, named: bool = True,
          complete: bool = False) -> None:
    src = tmp / "units.csv"
    write_csv(src, ruleset, units, named)
    assert (by_columns(ruleset, src, complete)[:2]) == per_unit(ruleset, src, complete)


EXAMPLES = settings(suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture],
                    deadline=None, max_examples=30)


WALK = list(generate(400))  # every band and step boundary of the seed, and neighbours


@pytest.mark.parametrize("path", [SEED, DEPARTMENT], ids=["seed", "department"])
def test_the_boundary_walk_is_written_byte_for_byte(tmp_path: Path, path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ruleset = load_ruleset(path)
    counted = Counted(monkeypatch)
    agree(ruleset, [{k: cell(v) for k, v in u.items()} for u in WALK], tmp_path)
    assert counted.rows < len(WALK) // 5  # 0/0 budgets and the like go per unit


@pytest.mark.parametrize("path", [SEED, DEPARTMENT], ids=["seed", "department"])
def test_boundary_cells_agree(tmp_path: Path, path: Path) -> None:
    ruleset = load_ruleset(path)

    @given(st.data())
    @EXAMPLES
    def run(data: st.DataObject) -> None:
        at = data.draw(st.integers(0, len(WALK) - 8))
        units = data.draw(csv_units(ruleset, base=WALK[at:at + 8]))
        units += data.draw(csv_units(ruleset, 4))
        agree(ruleset, units, tmp_path, named=data.draw(st.booleans()),
              complete=data.draw(st.booleans()))

    run()


@given(st.data())
@EXAMPLES
def test_every_kind_cells_agree(tmp_path: Path, data: st.DataObject) -> None:
    ruleset = settled_kinds(every_kind(True))
    assert column_ready(ruleset, read_layout(ruleset, tmp_path))
    full = [{k: cell(v) for k, v in u.items()}
            for u in data.draw(st.lists(facts_for(ruleset), min_size=1, max_size=4))]
    agree(ruleset, full + data.draw(csv_units(ruleset)), tmp_path)


@given(st.data())
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          deadline=None, max_examples=40)
def test_random_ruleset_cells_agree(tmp_path: Path, data: st.DataObject) -> None:
    ruleset = data.draw(random_rulesets())
    full = [{k: cell(v) for k, v in u.items()}
            for u in data.draw(st.lists(facts_for(ruleset), min_size=1, max_size=4))]
    agree(ruleset, full + data.draw(csv_units(ruleset, 4)), tmp_path)


def read_layout(ruleset: Any, tmp: Path) -> Any:
    src = tmp / "header.csv"
    write_csv(src, ruleset, [], True)
    layout, rows, _total = read_table(src, ruleset, cells=True)
    list(rows)
    return layout


# ----------------------------------------------------------- bulk text -> scaled ints


PLAIN = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
DECIMAL_TEXT = st.decimals(allow_nan=False, allow_infinity=False, places=None,
                           min_value=Decimal(-10) ** 15, max_value=Decimal(10) ** 15
                           ).map(lambda v: format(v, "f"))


@given(st.lists(st.one_of(DECIMAL_TEXT, DECIMAL_TEXT, st.sampled_from(ODD_NUMBERS),
                          st.text(max_size=6)), min_size=1, max_size=30))
@settings(deadline=None)
def test_text_numbers_are_the_cells_digits(cells: list[str]) -> None:
    import numpy as np

    got = text_numbers(np, cells)
    assert got is not None
    n, ok, s = got
    for text, k, good in zip(cells, n.tolist(), ok.tolist()):
        if good:  # taken: a plain number, exactly its value at scale s
            assert PLAIN.fullmatch(text) and Decimal(k).scaleb(-s) == Decimal(text)
        elif PLAIN.fullmatch(text):  # left: too many decimals or digits for the path
            d = Decimal(text)
            assert (-d.as_tuple().exponent > 9  # type: ignore[operator]
                    or abs(d.scaleb(s)) >= 10 ** 15 - 1 or len(text) > 40)


@given(st.integers(0, 9), st.lists(st.integers(0, 10 ** 18), min_size=1, max_size=20))
@settings(deadline=None)
def test_columns_of_one_scale_are_read_as_digits(places: int, digits: list[int]) -> None:
    """Cells that all have ``places`` decimals: the digits themselves (no float)."""
    import numpy as np

    cells = [format(Decimal(d).scaleb(-places), "f") for d in digits]
    got = text_numbers(np, cells)
    assert got is not None
    n, ok, s = got
    if max(len(c.replace(".", "")) for c in cells) <= 18:  # every cell taken, as digits
        assert ok.all() and s == places
    for text, k, good in zip(cells, n.tolist(), ok.tolist()):
        if good:
            assert Decimal(k).scaleb(-s) == Decimal(text)
