"""Hostile and broken input: a bad row never loses the batch, encodings and spreadsheet
error cells, output paths that are not regular files, formula/markup injection, and
reproducible XLSX. Each test is one reproduction from the issue."""

from __future__ import annotations

import csv
import errno
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from rubric.cli import main
from rubric.errors import FileError
from rubric.io.files import atomic_path, check_output_path, output_target
from rubric.text import md_cell

ROOT = Path(__file__).resolve().parent.parent
SEED = str(ROOT / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml")
SRC = str(ROOT / "src")
HEADER = "id,预算数,预算调整数\n"


def batch(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str | bytes,
          *extra: str, out: str = "o.csv") -> tuple[int, str, Path]:
    src = tmp_path / name
    if isinstance(content, bytes):
        src.write_bytes(content)
    else:
        src.write_text(content, encoding="utf-8")
    target = tmp_path / out
    code = main(["score", SEED, "--batch", str(src), "--output", str(target), *extra])
    return code, capsys.readouterr().err, target


def csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def check_rows(rows: list[dict[str, str]], good: dict[str, str], bad: dict[str, str]) -> None:
    """Every good row scored (no error, a total range), every bad one an error row."""
    by_row = {r["row"]: r for r in rows}
    assert set(by_row) == set(good) | set(bad), rows
    for number, unit in good.items():
        assert by_row[number]["unit"] == unit
        assert by_row[number]["error"] == "" and by_row[number]["total_high"], by_row[number]
    for number, reason in bad.items():
        assert reason in by_row[number]["error"], by_row[number]
        assert by_row[number]["total_high"] == ""


# ------------------------------------------------------ 1. a bad row never loses the batch


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_overflowing_number_is_that_rows_error(tmp_path, capsys, jobs):
    code, err, out = batch(tmp_path, capsys, "b.csv",
                           HEADER + "A,100,5\nB,1e999999 亿元,5\nC,200,5\n", "--jobs", jobs)
    assert code == 1
    assert "internal error" not in err
    assert f"{tmp_path / 'b.csv'}:3: B: a number is too large" in err
    check_rows(csv_rows(out), {"2": "A", "4": "C"}, {"3": "too large"})


def test_cell_over_128_kb_is_that_rows_error(tmp_path, capsys):
    big = "1" * 200_000
    code, err, out = batch(tmp_path, capsys, "b.csv",
                           HEADER + f"A,100,5\nB,{big},5\nC,\"{big}\n{big}\",5\nD,200,5\n")
    assert code == 1
    rows = csv_rows(out)
    check_rows(rows, {"2": "A", "5": "D"}, {"3": "200,000 characters",
                                             "4": "400,001 characters"})
    assert len(err) < 2000  # the reason does not quote the cell


def test_jsonl_long_number_and_deep_nesting_are_row_errors(tmp_path, capsys):
    lines = ['{"id": "A", "预算数": 100}',
             '{"id": "B", "预算数": ' + "9" * 5000 + "}",
             '{"id": "C", "预算数": ' + "[" * 100_000 + "]" * 100_000 + "}",
             '{"id": "D", "预算数": 200}']
    code, err, out = batch(tmp_path, capsys, "b.jsonl", "\n".join(lines) + "\n",
                           out="o.jsonl")
    assert code == 1
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["row"], r["unit"]) for r in rows] == [(1, "A"), (2, "row 2"), (3, "row 3"),
                                                    (4, "D")]
    assert rows[0]["error"] is None and rows[3]["error"] is None
    assert "cannot read a JSON number" in rows[1]["error"]
    assert "nested too deeply" in rows[2]["error"]
    assert ":2: row 2:" in err and ":3: row 3:" in err


def test_a_jsonl_key_given_twice_is_that_rows_error(tmp_path, capsys):
    # json.loads keeps the last of two equal keys: the unit was scored on 预算数 = 7,
    # silently; as in YAML, a key given twice is an error (that line's: the others score)
    lines = ['{"id": "A", "预算数": 100, "预算调整数": 5, "预算数": 7}',
             '{"id": "B", "预算数": 100, "预算调整数": 5}',
             '{"id": "C", "预算数": {"value": 1, "value": 2}}']
    code, err, out = batch(tmp_path, capsys, "d.jsonl", "\n".join(lines) + "\n",
                           out="o.jsonl")
    assert code == 1
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["row"], r["unit"]) for r in rows] == [(1, "row 1"), (2, "B"), (3, "row 3")]
    assert "key '预算数' is given twice" in rows[0]["error"]
    assert "key 'value' is given twice" in rows[2]["error"]
    assert rows[1]["error"] is None
    assert ":1: row 1: key '预算数' is given twice" in err


def test_control_character_in_id_with_xlsx_output(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    code, err, out = batch(tmp_path, capsys, "b.csv",
                           HEADER + "A,100,5\nB\x01x,100,5\nC,200,5\n", out="o.xlsx")
    assert code == 1
    assert "\x01" not in err and "B\\x01x: unit name contains a control character" in err
    ws = openpyxl.load_workbook(out).active
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    assert [(r["row"], r["unit"]) for r in rows] == [(2, "A"), (3, "B\\x01x"), (4, "C")]
    assert rows[0]["error"] is None and rows[2]["error"] is None
    assert "control character (U+0001)" in rows[1]["error"]


def _xlsx_with_cached(tmp_path: Path, cells: dict[str, tuple[str, str, str]]) -> Path:
    """An XLSX input whose formula cells carry cached values, as Excel saves them:
    ``cells`` maps a coordinate to (type attribute, formula, cached value)."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "预算数", "预算调整数"])
    for unit in "ABCD":
        ws.append([unit, 100, 5])
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    path = tmp_path / "b.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info).decode("utf-8")
            if info.filename == "xl/worksheets/sheet1.xml":
                for ref, (kind, formula, value) in cells.items():
                    start = data.index(f'<c r="{ref}"')
                    end = data.index("</c>", start) + 4
                    data = (data[:start] + f'<c r="{ref}" t="{kind}"><f>{formula}</f>'
                            f"<v>{value}</v></c>" + data[end:])
            dst.writestr(info, data)
    return path


def test_xlsx_formula_giving_a_non_number(tmp_path, capsys):
    path = _xlsx_with_cached(tmp_path, {"B3": ("str", '"abc"&amp;"d"', "abcd"),
                                        "B4": ("e", "1/0", "#DIV/0!"),
                                        "B5": ("b", "TRUE()", "1")})
    out = tmp_path / "o.csv"
    code = main(["score", SEED, "--batch", str(path), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    rows = csv_rows(out)
    by_row = {r["row"]: r for r in rows}
    assert by_row["2"]["error"] == ""
    assert "spreadsheet error #DIV/0!" in by_row["4"]["error"]
    assert "cannot use value True" in by_row["5"]["error"]
    assert by_row["3"]["error"] == "" and by_row["3"]["total_high"]  # text: unsettled
    assert ":4: row 4: cell in column" in err and ":5: D: fact" in err


# ---------------------------------------------------------- 2. encodings and error cells


def test_a_gbk_row_is_that_rows_error(tmp_path, capsys):
    content = (HEADER + "A,100,5\n").encode() + "乙单位,100,5\n".encode("gbk") + b"C,200,5\n"
    code, err, out = batch(tmp_path, capsys, "b.csv", content)
    assert code == 1
    assert ":3: row 3: row is not UTF-8 text (byte 0xD2 in column 'id')" in err
    assert "--encoding gb18030" in err
    check_rows(csv_rows(out), {"2": "A", "4": "C"}, {"3": "not UTF-8 text"})


def test_encoding_gb18030_reads_a_chinese_excel_csv(tmp_path, capsys):
    content = (HEADER + "甲单位,100,5\n乙单位,200,5\n").encode("gb18030")
    code, err, out = batch(tmp_path, capsys, "b.csv", content, "--encoding", "gb18030")
    assert code == 0, err
    check_rows(csv_rows(out), {"2": "甲单位", "3": "乙单位"}, {})
    code, err, _ = batch(tmp_path, capsys, "b.csv", content)  # as UTF-8: the header fails
    assert code == 1 and "not UTF-8 text (save it as UTF-8)" in err


def test_encoding_option_checks(tmp_path, capsys):
    code, err, _ = batch(tmp_path, capsys, "b.csv", HEADER + "A,1,1\n", "--encoding", "nope")
    assert code == 1 and "unknown encoding 'nope'" in err
    assert main(["score", SEED, str(tmp_path / "f.yaml"), "--encoding", "gb18030"]) == 2
    assert "--encoding applies only with --batch" in capsys.readouterr().err


@pytest.mark.parametrize("out", ["o.csv", "o.jsonl"])  # by columns, and per unit
@pytest.mark.parametrize("header", [HEADER, "序号,项目名称,预算数（万元）,预算调整数\n"])
def test_an_unterminated_quote_is_that_rows_error_not_the_rest_of_the_file(
        tmp_path, capsys, out, header):
    # the csv module read every line after an unclosed quote into that one cell: the
    # units after it were lost and the run said "1 units scored" with exit 0
    rows = "".join(f"U{i},U{i},100,5\n" if "序号" in header else f"U{i},100,5\n"
                   for i in range(5))
    first = '1,甲,"100,5\n' if "序号" in header else 'A,"100,5\n'
    code, err, target = batch(tmp_path, capsys, "b.csv", header + first + rows, out=out)
    assert code == 1
    assert ":2: " in err and "cannot read the row as CSV" in err and "end of data" in err, err
    text = target.read_text(encoding="utf-8")
    assert "end of data" in text


def test_a_quote_inside_a_cell_is_that_rows_error(tmp_path, capsys):
    # "10"0 was read as 100
    code, err, target = batch(tmp_path, capsys, "b.csv", HEADER + 'A,"10"0,5\nB,100,5\n')
    assert code == 1 and ":2: " in err and "cannot read the row as CSV" in err, err
    check_rows(csv_rows(target), {"3": "B"}, {"2": "cannot read the row as CSV"})


@pytest.mark.parametrize("encoding", ["hex", "rot13", "base64", "idna", "undefined"])
def test_an_encoding_that_reads_no_text_is_refused(tmp_path, capsys, encoding):
    # was an internal error (LookupError: 'hex' is not a text encoding, UnicodeError)
    code, err, out = batch(tmp_path, capsys, "b.csv", HEADER + "A,1,1\n", "--encoding", encoding)
    assert code == 1 and err.startswith(f"rubric: error: encoding '{encoding}' "), err
    assert "internal error" not in err and not out.exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_header_that_does_not_decode_in_a_wide_encoding_names_the_file(tmp_path, capsys,
                                                                          encoding):
    # UTF-8 bytes read as UTF-16 (no BOM) or UTF-32: an internal error or a bare codec
    # message; the file's error, naming it, like any header that does not decode
    code, err, out = batch(tmp_path, capsys, "b.csv", HEADER + "A,1,1\n", "--encoding", encoding)
    assert code == 1 and err.startswith(f"rubric: error: {tmp_path / 'b.csv'}: "), err
    assert "internal error" not in err and "codec" not in err and not out.exists()
    code, err, _out = batch(tmp_path, capsys, "w.csv", (HEADER + "A,100,5\n").encode(encoding),
                            "--encoding", encoding)
    assert code == 0, err  # the file in that encoding (with its BOM) reads
    code, err, out = batch(tmp_path, capsys, "b.jsonl", '{"id": "A", "预算数": 1}\n',
                           "--encoding", encoding, out="j.csv")
    assert code == 1 and err.startswith(f"rubric: error: {tmp_path / 'b.jsonl'}: "), err
    assert "internal error" not in err and "codec" not in err and not out.exists()


@pytest.mark.parametrize("value", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!",
                                   "#NULL!", " #n/a "])
def test_spreadsheet_error_cells_are_row_errors(tmp_path, capsys, value):
    code, _err, out = batch(tmp_path, capsys, "b.csv", HEADER + f"A,100,5\nB,{value},5\n")
    assert code == 1
    check_rows(csv_rows(out), {"2": "A"}, {"3": f"spreadsheet error {value.strip().upper()}"})


# ------------------------------------------------------------------------ 3. output paths


def test_output_to_a_fifo_streams(tmp_path, capsys):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _err, _ = batch(tmp_path, capsys, "b.csv", HEADER + "A,100,5\n", out="out.fifo")
    reader.join(5)
    assert code == 0
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a FIFO, not replaced
    assert got and got[0].decode().startswith("row,unit,")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_output_to_a_character_device_streams(tmp_path, capsys):
    assert output_target("/dev/null") == "stream"
    code, _err, _ = batch(tmp_path, capsys, "b.csv", HEADER + "A,100,5\n", out="o.csv")
    assert code == 0
    assert main(["score", SEED, "--batch", str(tmp_path / "b.csv"), "--output", "/dev/null",
                 "--output-format", "xlsx"]) == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("how", ["score", "batch", "batch-xlsx", "report"])
def test_a_full_disk_names_the_output(tmp_path, capsys, how, monkeypatch):
    # was a bare "[Errno 28] No space left on device", naming no file
    src = tmp_path / "b.csv"
    src.write_text(HEADER + "A,100,5\n", encoding="utf-8")
    facts = str(ROOT / "rulesets" / "xiangtan-kgxj-2023" / "facts.yaml")
    if how == "report":  # a regular file on a full disk: ENOSPC from the temporary file
        real = os.fsync

        def full(fd):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        monkeypatch.setattr(os, "fsync", full)
        target = str(tmp_path / "t.md")
        argv = ["report", SEED, facts, "-o", target]
    else:
        target = "/dev/full"
        argv = {"score": ["score", SEED, facts, "-o", target],
                "batch": ["score", SEED, "--batch", str(src), "-o", target],
                "batch-xlsx": ["score", SEED, "--batch", str(src), "-o", target,
                               "--output-format", "xlsx"]}[how]
    code = main(argv)
    if how == "report":
        monkeypatch.setattr(os, "fsync", real)
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"rubric: error: {target}: cannot write: No space left"), err
    assert list(tmp_path.glob(".*.tmp")) == []


def test_output_dev_stdout_writes_to_stdout(tmp_path):
    src = tmp_path / "b.csv"
    src.write_text(HEADER + "A,100,5\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "rubric", "score", SEED, "--batch", str(src),
                           "--output", "/dev/stdout"], check=False, capture_output=True,
                          timeout=60,
                          env={**os.environ, "PYTHONPATH": SRC})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().startswith("row,unit,")
    assert os.path.islink("/dev/stdout")


def test_atomic_path_dash_is_stdout(capsys):
    with atomic_path("-") as tmp:
        Path(tmp).write_text("你好\n", encoding="utf-8")
    assert capsys.readouterr().out == "你好\n"


def test_output_that_cannot_be_written_is_refused(tmp_path, capsys):
    sock_path = tmp_path / "s.sock"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(sock_path))
        with pytest.raises(FileError, match="is a socket"):
            check_output_path(sock_path)
        code, err, _ = batch(tmp_path, capsys, "b.csv", HEADER + "A,100,5\n", out="s.sock")
        assert code == 1 and "s.sock: cannot write: is a socket" in err
        assert stat.S_ISSOCK(os.stat(sock_path).st_mode)
    finally:
        sock.close()
    (tmp_path / "d").mkdir()
    code, err, _ = batch(tmp_path, capsys, "b.csv", HEADER + "A,100,5\n", out="d")
    assert code == 1 and "is a directory" in err


def test_atomic_write_fsyncs_and_cleans_up_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "o.csv"
    target.write_text("old", encoding="utf-8")
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    with atomic_path(target) as tmp:
        Path(tmp).write_text("new", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new" and synced

    def fail() -> None:
        with atomic_path(target) as tmp:
            Path(tmp).write_text("half", encoding="utf-8")
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fail()
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.csv"]


def test_atomic_write_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with atomic_path(link) as tmp:
        Path(tmp).write_text("new", encoding="utf-8")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_sigterm_mid_write_removes_the_temporary_file(tmp_path):
    target = tmp_path / "o.csv"
    code = ("import signal, sys, time\n"
            "signal.signal(signal.SIGTERM, signal.SIG_DFL)  # whatever the parent ignores\n"
            "from pathlib import Path\n"
            "from rubric.io.files import atomic_path\n"
            f"with atomic_path({str(target)!r}) as tmp:\n"
            "    Path(tmp).write_text('half')\n"
            "    print(tmp, flush=True)\n"
            "    time.sleep(30)\n")
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                          env={**os.environ, "PYTHONPATH": SRC}) as proc:
        assert proc.stdout is not None
        tmp = proc.stdout.readline().strip()
        assert os.path.exists(tmp)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 128 + signal.SIGTERM
    assert not os.path.exists(tmp) and not target.exists()
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ 4. no formula injection


HOSTILE = ["=1+1", "+A1", "-1+1", "@SUM(A1)", '=HYPERLINK("http://x","y")']


def hostile_lines(units: list[str]) -> str:
    return "".join('"' + u.replace('"', '""') + '",100,5\n' for u in units)


def test_batch_csv_neutralises_text_cells(tmp_path, capsys):
    lines = hostile_lines(HOSTILE) + "-5,100,5\n"
    code, _err, out = batch(tmp_path, capsys, "b.csv", HEADER + lines)
    assert code == 0
    units = [r["unit"] for r in csv_rows(out)]
    assert units == ["'" + u for u in HOSTILE] + ["-5"]


def test_batch_xlsx_writes_text_as_text(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    lines = hostile_lines(HOSTILE)
    code, _err, out = batch(tmp_path, capsys, "b.csv", HEADER + lines, out="o.xlsx")
    assert code == 0
    ws = openpyxl.load_workbook(out).active
    units = [r[1] for r in ws.iter_rows(min_row=2)]
    assert [c.value for c in units] == HOSTILE
    assert all(c.data_type == "s" for c in units)
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    totals = [r[header.index("total_low")] for r in ws.iter_rows(min_row=2)]  # a number
    assert all(c.data_type == "n" for c in totals)


def _hostile_facts(tmp_path: Path) -> Path:
    facts = tmp_path / "f.yaml"
    facts.write_text('规模工业增加值增长率: "=1+1<script>alert(1)</script>"\n'
                     "新增规模工业企业: 34\n", encoding="utf-8")
    return facts


def test_report_xlsx_writes_text_as_text(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "r.xlsx"
    assert main(["report", SEED, str(_hostile_facts(tmp_path)), "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)
             and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    assert any(isinstance(c.value, (int, float)) for row in ws.iter_rows() for c in row)


def test_markdown_escapes_html(tmp_path, capsys):
    assert md_cell("<script>a|b & c</script>") == "&lt;script&gt;a\\|b &amp; c&lt;/script&gt;"
    facts = _hostile_facts(tmp_path)
    out = tmp_path / "r.md"
    assert main(["report", SEED, str(facts), "-o", str(out)]) == 0
    assert main(["score", SEED, str(facts), "--format", "markdown"]) == 0
    for text in (out.read_text(encoding="utf-8"), capsys.readouterr().out):
        assert "<script>" not in text and "&lt;script&gt;" in text


# -------------------------------------------------------------------- 5. deterministic XLSX


def _zip_times(path: Path) -> set[tuple[int, ...]]:
    with zipfile.ZipFile(path) as z:
        return {i.date_time for i in z.infolist()}


def test_batch_and_report_xlsx_are_byte_identical(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    src = tmp_path / "b.csv"
    src.write_text(HEADER + "A,100,5\nB,200,5\n", encoding="utf-8")
    facts = _hostile_facts(tmp_path)
    made = []
    for i in (1, 2):
        b, r = tmp_path / f"b{i}.xlsx", tmp_path / f"r{i}.xlsx"
        assert main(["score", SEED, "--batch", str(src), "--output", str(b)]) == 0
        assert main(["report", SEED, str(facts), "-o", str(r)]) == 0
        made.append((b.read_bytes(), r.read_bytes()))
    assert made[0] == made[1]
    for path in (tmp_path / "b1.xlsx", tmp_path / "r1.xlsx"):
        assert _zip_times(path) == {(1980, 1, 1, 0, 0, 0)}
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode()
        assert core.count("1980-01-01T00:00:00Z") == 2, core
    capsys.readouterr()


def test_csv_safe_keeps_numbers(capsys):
    from rubric.io.tabular import csv_safe

    assert [csv_safe(t) for t in ["-5", "+2.5", "-1–3", "=1", "-x", "\tx", "\rx", "abc", ""]
            ] == ["-5", "+2.5", "-1–3", "'=1", "'-x", "'\tx", "'\rx", "abc", ""]


# ------------------------------------------------- 10. damaged XLSX inputs are file errors


def _workbook(tmp_path: Path, rows: int) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "预算数", "预算调整数"])
    for i in range(rows):
        ws.append([f"U{i}", 100 + i, 5])
    path = tmp_path / "good.xlsx"
    wb.save(path)
    return path


def _damaged(tmp_path: Path, how: str) -> Path:
    good = _workbook(tmp_path, 5)
    data = good.read_bytes()
    path = tmp_path / f"{how}.xlsx"
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garbage":
        path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    elif how == "empty":
        path.write_bytes(b"")
    else:  # a part's XML cut short, or its deflate stream scrambled
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w",
                                                           zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                part = src.read(info.filename)
                if how == "bad-xml" and info.filename == "xl/worksheets/sheet1.xml":
                    part = part[: len(part) // 2]
                dst.writestr(info, part)
        if how == "bad-deflate":
            raw = bytearray(path.read_bytes())
            with zipfile.ZipFile(path) as archive:
                info = archive.getinfo("xl/worksheets/sheet1.xml")
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            for k in range(start + 5, start + 40):
                raw[k] ^= 0x55
            path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty", "bad-xml", "bad-deflate"])
def test_a_damaged_xlsx_batch_is_a_file_error(tmp_path, capsys, how):
    path = _damaged(tmp_path, how)
    code = main(["score", SEED, "--batch", str(path), "--output", str(tmp_path / "o.csv")])
    err = capsys.readouterr().err
    assert code == 1
    assert "internal error" not in err and "Traceback" not in err
    if how == "bad-xml":  # the header row reads; the damage is the next row's error
        assert f"{path}:2: row 2: the file is damaged or truncated from this row on" in err
    else:
        assert f"{path}: not an XLSX file, or a damaged or truncated one (" in err


def test_an_xlsx_damaged_mid_sheet_keeps_the_rows_before(tmp_path, capsys):
    good = _workbook(tmp_path, 3000)
    path = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = part[: len(part) // 2]
            dst.writestr(info, part)
    out = tmp_path / "o.csv"
    code = main(["score", SEED, "--batch", str(path), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "internal error" not in err
    rows = csv_rows(out)
    assert len(rows) > 1000
    assert all(r["error"] == "" and r["total_high"] for r in rows[:-1])
    assert "damaged or truncated from this row on" in rows[-1]["error"]
    assert f":{rows[-1]['row']}: row {rows[-1]['row']}: the file is damaged" in err


def test_an_xlsx_zip_bomb_is_refused_before_inflating(tmp_path, capsys, monkeypatch):
    from rubric.io import xlsx_files

    monkeypatch.setattr(xlsx_files, "MAX_XLSX_BYTES", 100_000)
    good = _workbook(tmp_path, 5)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("xl/pad.bin", b"\0" * 200_000)
    code = main(["score", SEED, "--batch", str(path), "--output", str(tmp_path / "o.csv")])
    err = capsys.readouterr().err
    assert code == 1 and "XLSX file is too large uncompressed" in err and str(path) in err


def test_an_xlsx_facts_file_is_refused_as_not_text(tmp_path, capsys):
    path = _damaged(tmp_path, "bad-deflate")
    assert main(["score", SEED, str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}: not UTF-8 text" in err and "internal error" not in err


# ------------------------------------------- 1. (cont.) unit bombs and derived type errors


def test_unit_bomb_cells_are_row_errors(tmp_path, capsys):
    code, err, out = batch(tmp_path, capsys, "b.csv", HEADER + "A,100,5\nB,5 万元**400/元**399,5\n"
                           "C,3 元 ** 1e400,5\nD,200,5\n")
    assert code == 1 and "internal error" not in err
    check_rows(csv_rows(out), {"2": "A", "5": "D"}, {"3": "unit", "4": "unit"})


def test_a_derived_fact_over_text_is_that_rows_error(tmp_path, capsys):
    ruleset = tmp_path / "r.yaml"
    ruleset.write_text(
        "rubric: 1\nmetadata: {id: t, name: t, issuer: t, fiscal_year: 2024, version: '1', "
        "source: t}\npolicy: {total_points: 10}\nfacts:\n  说明: {type: text}\n"
        "  数: {formula: 说明 * 3}\nroot: {id: 合计, name: 合计, max_points: 10, select: all}\n"
        "indicators:\n  - id: x\n    max_points: 10\n"
        "    rule: {kind: formula, expression: 'min(10, 数)', points: 10}\n", encoding="utf-8")
    src = tmp_path / "b.csv"
    src.write_text("id,说明\nA,ab\n", encoding="utf-8")
    code = main(["score", str(ruleset), "--batch", str(src), "--output", str(tmp_path / "o.csv")])
    err = capsys.readouterr().err
    assert code == 1 and "internal error" not in err
    assert f"{src}:2: A: {ruleset}:6: formula of fact '数' '说明 * 3' cannot be computed" in err
    from rubric import RubricError, load_ruleset

    with pytest.raises(RubricError, match="cannot be computed"):  # literals: refused at load
        load_ruleset(ruleset.read_text(encoding="utf-8").replace("说明 * 3", '"\'ab\' * 3"'))
