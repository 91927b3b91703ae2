"""Batch sheets as finance staff keep them (issue 16 item 4): a title row above the
header, 序号, 项目名称 as the unit's name, units in headers, a 备注 column passed
through, a column map; through ``rubric score --batch`` and ``score_dataframe``."""

from __future__ import annotations

import csv
import random
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import seed_table
from rubric import LoadError, RubricError, load_ruleset
from rubric.batch import score_batch, score_file
from rubric.cli import main
from rubric.io.sheet_layout import parse_column_map
from rubric.io.tabular import read_rows

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_batch

SEED = str(Path(__file__).resolve().parents[1] / "rulesets" / "xiangtan-kgxj-2023"
           / "ruleset.yaml")
TITLE = "2024年项目支出绩效自评汇总表"
#: headers as a finance officer writes them: fact -> (header, factor from the fact's unit)
SHEET_HEADERS = {"预算数": ("预算数（万元）", Decimal(1)),
                 "项目支出年度总预算": ("项目支出年度总预算(万元)", Decimal(1)),
                 "高新技术产值": ("高新技术产值[万元]", Decimal(10000)),
                 "供养人数": ("供养人数【人】", Decimal(1))}


@pytest.fixture(scope="module")
def seed():  # type: ignore[no-untyped-def]
    return seed_table.build()


def units(n: int = 6) -> list[dict[str, str]]:
    rng = random.Random(16)
    out = [bench_batch.unit(rng, i) for i in range(n)]
    out[2]["供养人数"] = ""  # a missing fact: a range, the same in both files
    return out


def plain_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _number(text: str, factor: Decimal) -> object:
    if not text:
        return None
    value = Decimal(text) * factor
    return int(value) if value == value.to_integral_value() else float(value)


def finance_xlsx(path: Path, rows: list[dict[str, str]]) -> Path:
    """The layout a finance officer would use: a merged title, a blank row, the header
    with 序号, 项目名称, units in headers, numbers as number cells, and 备注."""
    openpyxl = pytest.importorskip("openpyxl")
    facts = [k for k in rows[0] if k != "id"]
    header = ["序号", "项目名称", *(SHEET_HEADERS.get(f, (f, None))[0] for f in facts), "备注"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append([None] * len(header))
    ws.append(header)
    for i, row in enumerate(rows, start=1):
        cells: list[object] = [i, f"{row['id']} 项目"]
        for fact in facts:
            if fact in SHEET_HEADERS:
                cells.append(_number(row[fact], SHEET_HEADERS[fact][1]))
            else:
                cells.append(row[fact] or None)
        cells.append(f"备注{i}" if i % 2 else None)
        ws.append(cells)
    wb.save(path)
    return path


def read_out(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_finance_xlsx_scores_as_the_plain_csv(tmp_path: Path, seed) -> None:
    rows = units()
    plain = score_file(seed, plain_csv(tmp_path / "plain.csv", rows), tmp_path / "a.csv")
    sheet = score_file(seed, finance_xlsx(tmp_path / "sheet.xlsx", rows), tmp_path / "b.csv")
    assert plain.errors == sheet.errors == ()
    a, b = read_out(tmp_path / "a.csv"), read_out(tmp_path / "b.csv")
    assert len(a) == len(b) == len(rows)
    for x, y, row in zip(a, b, rows):
        for col in ("total", "total_low", "total_high", "grade", "missing_facts", "error"):
            assert x[col] == y[col], col
        assert x["unit"] == row["id"] and y["unit"] == f"{row['id']} 项目"
    assert [r["row"] for r in b] == [str(n) for n in range(4, 4 + len(rows))]
    assert [r["序号"] for r in b] == [str(n) for n in range(1, len(rows) + 1)]
    assert [r["备注"] for r in b] == ["备注1", "", "备注3", "", "备注5", ""]
    assert list(b[0])[:4] == ["row", "unit", "序号", "备注"]
    assert a[2]["total_low"] != a[2]["total_high"]  # the missing fact is a range in both


def test_finance_xlsx_through_the_command(tmp_path: Path) -> None:
    rows = units(3)
    path = finance_xlsx(tmp_path / "sheet.xlsx", rows)
    plain = plain_csv(tmp_path / "plain.csv", rows)
    assert main(["score", SEED, "--batch", str(path), "--output", str(tmp_path / "b.csv"),
                 "--quiet"]) == 0
    assert main(["score", SEED, "--batch", str(plain), "--output", str(tmp_path / "a.csv"),
                 "--quiet"]) == 0
    assert ([r["total"] for r in read_out(tmp_path / "a.csv")]
            == [r["total"] for r in read_out(tmp_path / "b.csv")])


def test_dataframe_from_read_excel_without_header(tmp_path: Path, seed) -> None:
    pd = pytest.importorskip("pandas")
    from rubric import score_dataframe

    rows = units()
    path = finance_xlsx(tmp_path / "sheet.xlsx", rows)
    score_file(seed, plain_csv(tmp_path / "plain.csv", rows), tmp_path / "a.csv")
    expected = read_out(tmp_path / "a.csv")
    out = score_dataframe(seed, pd.read_excel(path, header=None, dtype=object))
    assert list(out["unit"]) == [f"{r['id']} 项目" for r in rows]
    assert list(out["total"]) == [Decimal(r["total"]) if r["total"] else None
                                  for r in expected]
    assert list(out["备注"])[:2] == ["备注1", None]
    framed = score_dataframe(seed, pd.read_excel(path, header=2, dtype=object))
    assert list(framed["total"]) == list(out["total"])


def test_title_rows_and_units_in_a_csv_header(tmp_path: Path, seed) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"{TITLE},,\n,,\n序号,单位名称,预算数（万元）,预算调整数(亿元),备注\n"
                    "1,甲局,100,0.01,说明\n2,乙局,1 亿元,,\n", encoding="utf-8")
    header, rows, _total = read_rows(path, seed)
    assert header == ["序号", "单位名称", "预算数（万元）", "预算调整数(亿元)", "备注"]
    got = list(rows)
    assert [n for n, _r in got] == [4, 5]
    first, second = (r for _n, r in got)
    assert first == {"unit": "甲局", "预算数": "100 万元", "预算调整数": "0.01 亿元"}
    assert first.extras == {"序号": "1", "备注": "说明"}  # type: ignore[attr-defined]
    assert second["预算数"] == "1 亿元"  # a cell with its own unit keeps it
    out = tmp_path / "o.csv"
    score_file(seed, path, out)
    lines = read_out(out)
    assert [r["unit"] for r in lines] == ["甲局", "乙局"] and lines[0]["error"] == ""


def test_a_header_unit_applies_to_every_plain_number(tmp_path: Path) -> None:
    # full-width digits and commas (as typed with a Chinese IME) are plain numbers too:
    # read without the header's 元 they were 10,000 times too large, scored with exit 0
    path = tmp_path / "w.csv"
    path.write_text("项目名称,预算数（元）,预算调整数（元）\n"
                    '甲,"1，000，000",150000\n乙,"１，０００，０００",150000\n'
                    '丙,"1,000,000",150000\n', encoding="utf-8")
    ruleset = load_ruleset(SEED)
    _h, rows, _t = read_rows(path, ruleset)
    assert [r["预算数"] for _n, r in rows] == ["1000000 元"] * 3
    got = [row.result.value("预算调整率") for row in score_file_rows(ruleset, path)]
    assert got == [Decimal(15)] * 3


def test_a_comma_in_a_cell_under_a_header_unit_is_no_grouping_dropped(tmp_path: Path) -> None:
    # "1,5" is no thousands grouping: refused, never read as 15 万元 (nor "1.000,5" as 1.0005)
    path = tmp_path / "c.csv"
    path.write_text('项目名称,预算数（万元）\n甲,"1,5"\n乙,"1.000,5"\n丙,"1,500"\n',
                    encoding="utf-8")
    ruleset = load_ruleset(SEED)
    rows = score_file_rows(ruleset, path)
    assert [row.error is not None for row in rows] == [True, True, False]
    assert "comma" in str(rows[0].error) and "1,5" in str(rows[0].error)
    assert rows[2].result is not None and rows[2].result.value("预算数") == Decimal(1500)


def score_file_rows(ruleset, path: Path) -> list:  # type: ignore[no-untyped-def]
    _h, rows, _t = read_rows(path, ruleset)
    return list(score_batch(ruleset, (r for _n, r in rows)))


def test_header_units_convert_exactly(seed) -> None:
    (row,) = score_batch(seed, [{"预算数": "12345.6789 万元", "高新技术产值": "7858000 万元"}])
    assert row.result is not None
    assert row.result.value("高新技术产值") == Decimal("785.8")


def test_a_header_unit_of_another_kind_is_an_error_naming_the_column(tmp_path: Path,
                                                                      seed) -> None:
    path = tmp_path / "u.csv"
    path.write_text("项目名称,预算数（人）,供养人数(万元)\nA,1,2\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        read_rows(path, seed)
    text = str(info.value)
    assert "column '预算数（人）'" in text and "column '供养人数(万元)'" in text
    assert f"{path}:1:2" in text


def test_misspelt_facts_stay_errors_and_other_columns_pass(tmp_path: Path, seed) -> None:
    path = tmp_path / "m.csv"
    path.write_text("id,预算数,预算调正数,联系电话\nA,1,2,3\n", encoding="utf-8")
    with pytest.raises(LoadError, match="did you mean '预算调整数'") as info:
        read_rows(path, seed)
    assert "联系电话" not in str(info.value)
    _h, rows, _t = read_rows(path, seed, columns={"预算调正数": "预算调整数"})
    ((_n, row),) = list(rows)
    assert row == {"id": "A", "预算数": "1", "预算调整数": "2"}
    assert row.extras == {"联系电话": "3"}  # type: ignore[attr-defined]
    _h, rows, _t = read_rows(path, seed, columns={"预算调正数": "-"})
    ((_n, row),) = list(rows)
    assert row.extras == {"预算调正数": "2", "联系电话": "3"}  # type: ignore[attr-defined]


def test_column_map_forms(tmp_path: Path) -> None:
    assert parse_column_map("资金总额=预算数, 备注 = -") == {"资金总额": "预算数", "备注": "-"}
    path = tmp_path / "map.yaml"
    path.write_text("资金总额（万元）: 预算数\n", encoding="utf-8")
    assert parse_column_map(str(path)) == {"资金总额（万元）": "预算数"}
    assert parse_column_map({"a": "b"}) == {"a": "b"}
    with pytest.raises(RubricError, match="not header=fact"):
        parse_column_map("资金总额")


def test_a_column_map_header_given_twice_is_an_error(tmp_path: Path, capsys) -> None:
    # the later entry won silently: 资金总额 was read as 预算调整数, scored with exit 0
    with pytest.raises(RubricError, match="'资金总额' is mapped twice"):
        parse_column_map("资金总额=预算数,资金总额=预算调整数")
    path = tmp_path / "map.yaml"
    path.write_text("资金总额: 预算数\n资金总额: 预算调整数\n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"map.yaml:2:1: .*duplicate key '资金总额'"):
        parse_column_map(str(path))
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("资金总额: 预算数\n".encode("gbk"))  # was a bare codec message
    src = tmp_path / "c.csv"
    src.write_text("项目名称,资金总额\n甲,100\n", encoding="utf-8")
    assert main(["score", SEED, "--batch", str(src), "--columns", str(gbk)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"rubric: error: {gbk}: ") and "not UTF-8" in err, err


def test_columns_option(tmp_path: Path, capsys) -> None:
    path = tmp_path / "c.csv"
    path.write_text("项目名称,资金总额,供养人数\n甲,100,3\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    assert main(["score", SEED, "--batch", str(path), "--output", str(out), "--quiet",
                 "--columns", "资金总额=预算数"]) == 0
    (line,) = read_out(out)
    assert line["unit"] == "甲" and line["error"] == ""
    assert main(["score", SEED, "--batch", str(path), "--columns", "资金总额=预算书",
                 "--quiet"]) == 1
    assert "did you mean '预算数'" in capsys.readouterr().err


def test_a_mapped_header_keeps_its_unit(tmp_path: Path, seed) -> None:
    path = tmp_path / "p.csv"
    path.write_text("id,产值（万元）\nA,7858000\n", encoding="utf-8")
    _h, rows, _t = read_rows(path, seed, columns={"产值（万元）": "高新技术产值"})
    ((_n, row),) = list(rows)
    assert row == {"id": "A", "高新技术产值": "7858000 万元"}
