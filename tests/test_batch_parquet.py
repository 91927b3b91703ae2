"""Parquet batches: typed columns read as the DataFrame path reads them, exact output,
file errors, atomic writes, the missing extra and the command end to end."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import seed_table
from rubric import LoadError, MissingDependency, RubricError, score_dataframe, score_file
from rubric.batch import batch_columns, score_batch
from rubric.batch_parquet import score_parquet
from rubric.io import parquet_files
from rubric.io.tabular import csv_safe
from rubric.text import fmt

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_batch  # noqa: E402 - after its folder is on the path

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
N = 600


@pytest.fixture(scope="module")
def seed():  # type: ignore[no-untyped-def]
    return seed_table.build()


@pytest.fixture(scope="module")
def generated() -> tuple[list[dict[str, str]], dict[int, str]]:
    text, broken = bench_batch.generate(N)
    return list(csv.DictReader(io.StringIO(text))), broken


def text_table(rows: list[dict[str, str]]) -> Any:
    """The rows as string columns, empty cells null (what a CSV export to Parquet holds)."""
    return pa.table({c: pa.array([r[c] or None for r in rows], pa.string()) for c in rows[0]})


def write_csv(rows: list[dict[str, str]], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def as_csv_cell(value: Any) -> str:
    """A Parquet cell as the CSV output writes it."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, str):
        return csv_safe(value)
    return str(value)


def parquet_as_csv(path: Path) -> list[dict[str, str]]:
    table = pq.read_table(path)
    return [{k: as_csv_cell(v) for k, v in rec.items()} for rec in table.to_pylist()]


# -- round trip ------------------------------------------------------------------------


def test_round_trip_matches_the_csv_output(tmp_path: Path, seed, generated) -> None:
    rows, broken = generated
    src = tmp_path / "units.parquet"
    pq.write_table(text_table(rows), src)
    out_pq, out_csv = tmp_path / "scores.parquet", tmp_path / "scores.csv"
    errs = io.StringIO()
    summary = score_parquet(seed, src, out_pq, errors=errs)
    score_parquet(seed, src, out_csv, errors=io.StringIO())
    # Parquet rows count from 1: the CSV's spreadsheet row r is Parquet row r - 1
    assert sorted(r for r, _ in summary.errors) == sorted(r - 1 for r in broken)
    for row, reason in summary.errors:
        assert broken[row + 1] in reason
        assert f"{src}:{row}: " in errs.getvalue()
    assert summary.scored == N - len(broken)
    table = pq.read_table(out_pq)
    assert table.column_names == batch_columns(seed)
    assert table.schema.field("row").type == pa.int64()
    for name in ("total", "total_low", "total_high"):
        assert table.schema.field(name).type == pa.decimal128(38, seed.policy.precision)
    assert all(table.schema.field(c).type == pa.string()
               for c in batch_columns(seed) if c not in ("row", "total", "total_low",
                                                         "total_high"))
    from_pq = parquet_as_csv(out_pq)
    assert from_pq == read_csv(out_csv)  # every cell
    # and the same scores as the CSV batch of the same units (rows shifted by the header)
    write_csv(rows, tmp_path / "units.csv")
    score_file(seed, tmp_path / "units.csv", tmp_path / "ref.csv", errors=io.StringIO())
    reference = read_csv(tmp_path / "ref.csv")
    assert len(reference) == len(from_pq) == N
    for ref, got in zip(reference, from_pq):
        assert int(ref.pop("row")) == int(got.pop("row")) + 1
        assert ref == got
    missing = [r for r in from_pq if r["missing_facts"]]
    assert missing and all("–" in r["总分"] for r in missing)  # missing values: ranges


def test_csv_input_written_as_parquet(tmp_path: Path, seed, generated) -> None:
    rows, _broken = generated
    write_csv(rows[:200], tmp_path / "units.csv")
    score_file(seed, tmp_path / "units.csv", tmp_path / "s.parquet", errors=io.StringIO())
    score_file(seed, tmp_path / "units.csv", tmp_path / "s.csv", errors=io.StringIO())
    assert parquet_as_csv(tmp_path / "s.parquet") == read_csv(tmp_path / "s.csv")
    # worker processes hand the writer text scores: read back exactly the same
    score_file(seed, tmp_path / "units.csv", tmp_path / "j.parquet", errors=io.StringIO(),
               jobs=2)
    assert pq.read_table(tmp_path / "j.parquet").equals(pq.read_table(tmp_path / "s.parquet"))


def test_passed_through_and_name_columns(tmp_path: Path, seed, generated) -> None:
    rows, _broken = generated
    cells = [{"序号": str(i + 1), "项目名称": r["id"], "备注": f"note {i}",
              **{k: v for k, v in r.items() if k != "id"}} for i, r in enumerate(rows[:50])]
    table = text_table(cells)
    table = table.set_column(0, "序号", pa.array(range(1, 51), pa.int64()))
    pq.write_table(table, tmp_path / "u.parquet")
    write_csv(cells, tmp_path / "u.csv")
    score_parquet(seed, tmp_path / "u.parquet", tmp_path / "s.csv", errors=io.StringIO())
    score_file(seed, tmp_path / "u.csv", tmp_path / "r.csv", errors=io.StringIO())
    got, ref = read_csv(tmp_path / "s.csv"), read_csv(tmp_path / "r.csv")
    assert list(got[0])[:4] == ["row", "unit", "序号", "备注"] == list(ref[0])[:4]
    for g, r in zip(got, ref):
        assert int(r.pop("row")) == int(g.pop("row")) + 1
        assert g == r
    assert got[3]["unit"] == rows[3]["id"] and got[3]["序号"] == "4"


def test_cells_a_csv_reader_refuses(tmp_path: Path, seed, generated) -> None:
    """A spreadsheet error value or an overlong text cell is its row's error, as in a CSV."""
    rows, _broken = generated
    cells = [dict(r, 备注="ok") for r in rows[:20]]
    cells[3]["资金结余情况"] = " #n/a "
    cells[5]["预算数"] = "#DIV/0!"
    cells[8]["备注"] = "x" * 200_000
    pq.write_table(text_table(cells), tmp_path / "u.parquet")
    write_csv(cells, tmp_path / "u.csv")
    summary = score_parquet(seed, tmp_path / "u.parquet", tmp_path / "s.csv",
                            errors=io.StringIO(), lang="zh")
    score_file(seed, tmp_path / "u.csv", tmp_path / "r.csv", errors=io.StringIO(), lang="zh")
    assert [r for r, _ in summary.errors][:3] == [4, 6, 9]
    got, ref = read_csv(tmp_path / "s.csv"), read_csv(tmp_path / "r.csv")
    for g, r in zip(got, ref):
        number = int(g.pop("row"))
        assert int(r.pop("row")) == number + 1
        if r["unit"] == f"row {number + 1}":  # a refused row is named by its number
            assert g.pop("unit") == f"row {number}" and r.pop("unit")
        assert g == r
    assert "#N/A" in got[3]["error"] and "#DIV/0!" in got[5]["error"]
    assert "200,000" in got[8]["error"]


# -- typed columns ---------------------------------------------------------------------


NUMBER_DECIMAL = ("预算数", "预算调整数")
NUMBER_INT = ("供养人数", "新增规模工业企业")


def typed_table(seed, rows: list[dict[str, str]], timestamps: str = "") -> Any:  # type: ignore[no-untyped-def]
    """The generated units as typed columns: decimal128, int64 (nulls too), float64,
    bool, date32 (or timestamps), a dictionary-encoded category, text where a cell
    carries a unit; cells that do not fit the type are null (missing)."""
    specs = {s.name: s for s in seed.input_facts()}
    data: dict[str, Any] = {"id": pa.array([r["id"] for r in rows], pa.string())}
    for name, spec in specs.items():
        cells = [r[name] for r in rows]
        if name in NUMBER_DECIMAL:
            data[name] = pa.array([_or_none(Decimal, c) for c in cells], pa.decimal128(18, 2))
        elif name in NUMBER_INT:
            data[name] = pa.array([_or_none(int, c) for c in cells], pa.int64())
        elif spec.type == "number" and all(_or_none(float, c) is not None or not c
                                           for c in cells):
            data[name] = pa.array([_or_none(float, c) for c in cells], pa.float64())
        elif spec.type == "boolean":
            data[name] = pa.array([{"是": True, "否": False}.get(c) for c in cells], pa.bool_())
        elif spec.type == "date":
            days = [_or_none(dt.date.fromisoformat, c) for c in cells]
            if timestamps:  # midnight, and one unit at noon (a datetime, as pandas has it)
                stamps = [None if d is None else dt.datetime(d.year, d.month, d.day)
                          for d in days]
                stamps[5] = dt.datetime(2023, 12, 1, 12, 0)
                if timestamps == "local":  # time-zone aware: its local midnight is a date
                    zone = dt.timezone(dt.timedelta(hours=8))
                    stamps = [None if d is None else d.replace(tzinfo=zone) for d in stamps]
                    data[name] = pa.array(stamps, pa.timestamp("us", tz="+08:00"))
                else:
                    data[name] = pa.array(stamps, pa.timestamp("us"))
            else:
                data[name] = pa.array(days, pa.date32())
        elif spec.type == "category":
            data[name] = pa.array([c or None for c in cells]).dictionary_encode()
        else:
            data[name] = pa.array([c or None for c in cells], pa.string())
    return pa.table(data)


def _or_none(convert: Any, cell: str) -> Any:
    try:
        return convert(cell)
    except (ValueError, ArithmeticError):
        return None


@pytest.mark.parametrize("timestamps", ["", "naive", "local"],
                         ids=["date32", "timestamp", "timestamp-tz"])
def test_typed_columns_read_as_the_dataframe_path(tmp_path: Path, seed, generated,
                                                  timestamps: str) -> None:
    rows, _broken = generated
    table = typed_table(seed, rows[:300], timestamps)
    kinds = {str(table.schema.field(c).type) for c in table.column_names}
    assert {"decimal128(18, 2)", "int64", "double", "bool", "string"} <= kinds
    assert any(table.column(c).null_count for c in NUMBER_INT)  # ints with nulls
    pq.write_table(table, tmp_path / "typed.parquet")
    score_parquet(seed, tmp_path / "typed.parquet", tmp_path / "s.parquet",
                  errors=io.StringIO())
    got = pq.read_table(tmp_path / "s.parquet").to_pylist()
    frame = score_dataframe(seed, table.to_pandas())  # the reference reading of each type
    assert len(got) == len(frame) == 300
    errors = 0
    for rec, (_i, ref) in zip(got, frame.iterrows()):
        for column in frame.columns:
            want, have = ref[column], rec[column]
            if isinstance(want, float) and want != want:  # an empty object cell
                want = None
            if isinstance(want, Decimal) and column not in ("total", "total_low", "total_high"):
                want = fmt(want)
            assert have == want, (rec["row"], column, have, want)
        errors += rec["error"] is not None
    assert errors > 0 and errors < 300


def test_units_in_headers(tmp_path: Path, seed, generated) -> None:
    """``预算数（亿元）``: plain numbers of a typed column in the header's unit, as in a CSV."""
    rows, _broken = generated
    cells = [{("预算数（亿元）" if k == "预算数" else k): v for k, v in r.items()}
             for r in rows[:40]]
    table = text_table(cells)
    col = table.column_names.index("预算数（亿元）")
    amounts = [_or_none(float, r["预算数"]) for r in rows[:40]]
    amounts = [None if a is None else a / 10000 for a in amounts]
    table = table.set_column(col, "预算数（亿元）", pa.array(amounts, pa.float64()))
    pq.write_table(table, tmp_path / "h.parquet")
    for c, a in zip(cells, amounts):
        c["预算数（亿元）"] = "" if a is None else repr(a)
    write_csv(cells, tmp_path / "h.csv")
    score_parquet(seed, tmp_path / "h.parquet", tmp_path / "s.csv", errors=io.StringIO())
    score_file(seed, tmp_path / "h.csv", tmp_path / "r.csv", errors=io.StringIO())
    got, ref = read_csv(tmp_path / "s.csv"), read_csv(tmp_path / "r.csv")
    assert len(got) == 40
    for g, r in zip(got, ref):
        assert int(r.pop("row")) == int(g.pop("row")) + 1
        assert g == r


def test_float_columns_read_by_their_shortest_repr(tmp_path: Path, seed, generated) -> None:
    """A float64 (and float32) cell is the decimal of its shortest repr: the rule of
    ``facts.to_decimal`` and the DataFrame path, never the binary value."""
    rows, _broken = generated
    base = dict(rows[0])
    values = [95.1, 0.1 + 0.2 + 90, 89.99999999999999, 100.0, float("nan")]
    units = [{**base, "id": f"F{i}"} for i in range(len(values))]
    table = text_table(units)
    col = table.column_names.index("服务对象满意度")
    for kind in (pa.float64(), pa.float32()):
        floats = table.set_column(col, "服务对象满意度", pa.array(values, kind))
        pq.write_table(floats, tmp_path / "f.parquet")
        score_parquet(seed, tmp_path / "f.parquet", tmp_path / "f.csv", errors=io.StringIO())
        got = read_csv(tmp_path / "f.csv")
        cells = [float(v) if kind == pa.float64() else float(pa.scalar(v, kind).as_py())
                 for v in values]
        facts = [{**u, "服务对象满意度": "" if c != c else str(Decimal(repr(c)))}
                 for u, c in zip(units, cells)]
        expected = [r.result for r in score_batch(seed, facts)]
        for line, result in zip(got, expected):
            assert result is not None
            assert line["total_low"] == fmt(result.low) and line["total_high"] == fmt(result.high)
        assert got[4]["missing_facts"] and "服务对象满意度" in got[4]["missing_facts"]


def test_int_columns_with_nulls_stay_exact(tmp_path: Path, seed, generated) -> None:
    rows, _broken = generated
    table = text_table([dict(rows[0], id="A"), dict(rows[0], id="B"), dict(rows[0], id="C")])
    col = table.column_names.index("供养人数")
    for values in ([None, 120, 2**53 + 1], [None, 120, 7]):
        pq.write_table(table.set_column(col, "供养人数", pa.array(values, pa.int64())),
                       tmp_path / "i.parquet")
        read = parquet_files.read_parquet(tmp_path / "i.parquet", seed).facts["供养人数"]
        cells = [None if v != v else v for v in read.tolist()]  # NaN: null
        assert cells == values and all(v is None or v == int(v) for v in cells)


def test_other_types_are_row_errors(tmp_path: Path, seed, generated) -> None:
    rows, _broken = generated
    table = text_table([dict(rows[0], id="A"), dict(rows[0], id="B")])
    col = table.column_names.index("预算数")
    table = table.set_column(col, "预算数", pa.array([[1, 2], None], pa.list_(pa.int64())))
    pq.write_table(table.append_column("备注", pa.array([[1], [2]])), tmp_path / "l.parquet")
    summary = score_parquet(seed, tmp_path / "l.parquet", tmp_path / "l.csv",
                            errors=io.StringIO())
    assert [r for r, _ in summary.errors] == [1] and "预算数" in summary.errors[0][1]
    a, b = read_csv(tmp_path / "l.csv")
    assert a["error"] and b["missing_facts"] == "预算数" and b["备注"] == "[2]"


def test_nulls_are_missing_facts(tmp_path: Path, seed, generated) -> None:
    rows, _broken = generated
    units = [dict(rows[0], id="A"), dict(rows[0], id="B")]
    table = text_table(units)
    col = table.column_names.index("供养人数")
    table = table.set_column(col, "供养人数", pa.array([None, 120], pa.int64()))
    pq.write_table(table, tmp_path / "n.parquet")
    score_parquet(seed, tmp_path / "n.parquet", tmp_path / "n.csv", errors=io.StringIO())
    a, b = read_csv(tmp_path / "n.csv")
    assert a["missing_facts"] == "供养人数" and "–" in a["总分"]
    assert b["missing_facts"] == "" and b["error"] == ""
    summary = score_parquet(seed, tmp_path / "n.parquet", tmp_path / "c.csv",
                            errors=io.StringIO(), complete=True)  # a null is then an error
    assert [r for r, _ in summary.errors] == [1]
    assert "missing value for 供养人数" in summary.errors[0][1]


def test_errors_in_chinese(tmp_path: Path, seed, generated) -> None:
    rows, _broken = generated
    pq.write_table(text_table(rows[:100]), tmp_path / "u.parquet")
    errs = io.StringIO()
    summary = score_parquet(seed, tmp_path / "u.parquet", tmp_path / "s.csv", errors=errs,
                            lang="zh")
    english = score_parquet(seed, tmp_path / "u.parquet", tmp_path / "e.csv",
                            errors=io.StringIO())
    assert [r for r, _ in summary.errors] == [r for r, _ in english.errors]
    assert summary.errors and all(zh != en for (_r, zh), (_s, en)
                                  in zip(summary.errors, english.errors))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in summary.errors[0][1].split("：")[-1])


# -- file errors -----------------------------------------------------------------------


def test_unknown_column_is_a_file_error(tmp_path: Path, seed, generated) -> None:
    rows, _broken = generated
    cells = [{("预算书" if k == "预算数" else k): v for k, v in r.items()} for r in rows[:5]]
    pq.write_table(text_table(cells), tmp_path / "bad.parquet")
    with pytest.raises(LoadError) as info:
        score_parquet(seed, tmp_path / "bad.parquet", tmp_path / "s.csv", errors=io.StringIO())
    text = str(info.value)
    assert str(tmp_path / "bad.parquet") in text and "'预算书'" in text and "预算数" in text
    assert not (tmp_path / "s.csv").exists()


def test_not_a_parquet_file(tmp_path: Path, seed) -> None:
    (tmp_path / "x.parquet").write_text("id,预算数\nA,1\n", encoding="utf-8")
    with pytest.raises(RubricError, match="cannot read the file as Parquet") as info:
        score_parquet(seed, tmp_path / "x.parquet", None, stream=io.StringIO())
    assert info.value.location is not None
    assert info.value.location.file == str(tmp_path / "x.parquet")


def test_score_file_points_to_score_parquet(tmp_path: Path, seed, generated) -> None:
    rows, _broken = generated
    pq.write_table(text_table(rows[:3]), tmp_path / "u.parquet")
    with pytest.raises(RubricError, match="score_parquet"):
        score_file(seed, tmp_path / "u.parquet", tmp_path / "s.csv")


# -- atomic output ---------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_output(tmp_path: Path, seed, generated,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    rows, _broken = generated
    pq.write_table(text_table(rows[:100]), tmp_path / "u.parquet")
    out = tmp_path / "s.parquet"
    out.write_bytes(b"old")
    monkeypatch.setattr(parquet_files, "ROW_GROUP", 10)  # a row group is on disk first
    real = pq.ParquetWriter.write_table
    seen = {"n": 0}

    def failing(self: Any, table: Any, *args: Any, **kwargs: Any) -> Any:  # per row group
        seen["n"] += 1
        if seen["n"] > 2:  # the third row group
            raise OSError("disk full")
        return real(self, table, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", failing)
    with pytest.raises(OSError, match="disk full"):
        score_parquet(seed, tmp_path / "u.parquet", out, errors=io.StringIO())
    assert seen["n"] == 3  # two row groups written, the third failed
    assert out.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["s.parquet", "u.parquet"]  # no temporary file


def test_a_score_finer_than_the_column_is_refused_not_rounded(tmp_path: Path) -> None:
    records = [{"row": 1, "unit": "A", "total": Decimal("88.125")}]
    with pytest.raises(RubricError, match="does not fit the Parquet column 'total'"):
        parquet_files.write_parquet(records, ["row", "unit", "total"], tmp_path / "o.parquet",
                                    scale=2)
    assert os.listdir(tmp_path) == []


def test_parquet_output_needs_a_file(tmp_path: Path, seed) -> None:
    with pytest.raises(RubricError, match="Parquet output needs a file"):
        parquet_files.write_parquet([], ["row"], None, scale=2)
    with pytest.raises(RubricError, match="Parquet output needs a file"):  # before reading
        score_parquet(seed, tmp_path / "absent.parquet", None, output_format="parquet")


# -- without pyarrow -------------------------------------------------------------------


def test_without_pyarrow_the_extra_is_named(tmp_path: Path, seed,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "u.parquet").write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow -> ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingDependency) as info:
        score_parquet(seed, tmp_path / "u.parquet", tmp_path / "s.csv")
    assert "rubric[parquet]" in str(info.value) and "pyarrow" in str(info.value)
    with pytest.raises(MissingDependency, match=r"rubric\[parquet\]"):
        parquet_files.write_parquet([], ["row"], tmp_path / "s.parquet", scale=2)


# -- the command -----------------------------------------------------------------------


def test_command_end_to_end(tmp_path: Path, generated) -> None:
    rows, broken = generated
    pq.write_table(text_table(rows[:200]), tmp_path / "units.parquet")
    write_csv(rows[:200], tmp_path / "units.csv")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "rubric", "score", str(RULESET), *argv],
                              capture_output=True, text=True, encoding="utf-8", env=env,
                              timeout=300, check=False)

    done = run("--batch", str(tmp_path / "units.parquet"), "-o", str(tmp_path / "out.parquet"))
    n_broken = sum(1 for r in broken if r <= 201)
    assert done.returncode == 1 and n_broken > 0, done.stderr
    assert f"{200 - n_broken} units scored, {n_broken} rows with errors" in done.stderr
    assert "Traceback" not in done.stderr
    ref = run("--batch", str(tmp_path / "units.csv"), "-o", str(tmp_path / "ref.csv"))
    assert ref.returncode == 1, ref.stderr
    got = parquet_as_csv(tmp_path / "out.parquet")
    want = read_csv(tmp_path / "ref.csv")
    for g, w in zip(got, want):
        assert int(w.pop("row")) == int(g.pop("row")) + 1
        assert g == w
    assert len(got) == len(want) == 200
    bad = run("--batch", str(tmp_path / "units.parquet"), "-o", str(tmp_path / "o.csv"),
              "--columns", "预算数=预算书")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "units.parquet" in bad.stderr and "预算书" in bad.stderr
