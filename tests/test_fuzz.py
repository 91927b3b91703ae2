"""The fuzz suite (issue 18): mutated rulesets, hostile fact values and broken batch files.

Every outcome must be a result or a RubricError, never another exception; a batch with
broken rows still writes every good row, and reports every bad one by its row number;
what rubric prints stays bounded by the input. Bombs (inputs built to exhaust memory or
time) run in a subprocess under ``resource`` limits (1 GiB of address space, a few
seconds of CPU) and must end with a clear error, not be killed.

The number of examples follows the project's hypothesis profiles (tests/conftest.py):
the default profile (half its examples here, 30 per test) keeps this file well under a
minute on a 2-core CI machine; ``RUBRIC_HYPOTHESIS_PROFILE=thorough`` runs its 2000 per
test (about 16 000 inputs, tens of minutes), and ``RUBRIC_FUZZ_EXAMPLES=N``
sets the examples per test directly. With ``RUBRIC_FUZZ_REPORT=path`` the number of
inputs tried per test is written to ``path`` (JSON) at the end.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rubric
from rubric import RubricError
from rubric.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
EVERY_KIND = ROOT / "tests" / "data" / "every_kind.yaml"
SEED_FACTS = ROOT / "rulesets" / "xiangtan-kgxj-2023" / "facts.yaml"
THOROUGH = os.environ.get("RUBRIC_HYPOTHESIS_PROFILE") == "thorough"
EXAMPLES = int(os.environ.get("RUBRIC_FUZZ_EXAMPLES", "0")) or (
    settings.default.max_examples if THOROUGH else settings.default.max_examples // 2)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
#: the most characters a rendered result or an error message may have for these inputs
BOUNDED = 400_000

TRIED: Counter[str] = Counter()
FOUND: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    target = os.environ.get("RUBRIC_FUZZ_REPORT")
    if target:
        Path(target).write_text(json.dumps({"tried": dict(TRIED), "total": sum(TRIED.values()),
                                            "examples_per_test": EXAMPLES}, indent=1))


def outcome(what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args)``: its value, or None when it raised a RubricError (whose message must
    stay bounded); any other exception fails the test, naming ``what``."""
    try:
        return fn(*args, **kwargs)
    except RubricError as exc:
        if len(str(exc)) >= BOUNDED:
            raise AssertionError(f"{what}: an error message of {len(str(exc))} characters") \
                from exc
        return None
    except Exception as exc:  # the defect this suite exists to find
        FOUND[what] += 1
        raise AssertionError(f"{what}: {type(exc).__name__}: {str(exc)[:500]}") from exc


# ------------------------------------------------------------------ hostile values

HUGE = ["1E+999999999", "1e999999", "-1e400", "1E+19", "0E+999999999", "9" * 5000,
        "1" * 9000, "1e-400", "1E-999999", "0.0000000000000000001", "10" * 40]
ODD_NUMBERS = ["NaN", "nan", "-inf", "Infinity", "sNaN", "+", "-", ".", "1e", "1,0,0", "１００",
               "٣", "1_000", "0x10", "1/0", "½", "5‰", "5%%", "%", "5 %", "−5", "5e-3%",
               "#DIV/0!", "#N/A", " #n/a ", "=1+1", "@SUM(A1)", "\x00", "\u202e5", "5\u200b"]
UNITS = ["万元", "亿元", "元", "%", "‰", "人", "家", "个", "元**元", "万元**400/元**399",
         "元 ** 1e400", "元" * 40, "m", "kg", "dimensionless", "%%", "万元/人", "1/0", "",
         " ", "(元)", "元^元", "人/天/次", "万元 / 人", "平方米", "°C", "delta_degC", "inf",
         "e", "E+999999999", "元" * 5000]
FORMULAS = ["9**9**9", "人数 ** 人数 ** 人数", "a; open('X','w')", "__import__('os')",
            "(lambda: 1)()", "1/0", "0/0", "round(预算数, 1000000000)", "round(预算数, -19)",
            "min()", "max(预算数)", "abs(1, 2)", "预算数 if 预算数 else 'x'", "'ab' * 3",
            "预算数 ** 1e17", "-" * 3000 + "预算数", "+".join(["预算数"] * 700),
            "(" * 250 + "1" + ")" * 250, "预算数[0]", "预算数.real", "{1: 2}", "[1]",
            "预算调整数 / 预算数 * 100", "预算数 % 0", "floor(True)", "ceil('a')",
            "预算数 < 'a'", "not 预算数", "3 元 ** 1e400", "5 万元**400/元**399",
            "f'{预算数}'", "预算数 @ 预算数", "预算数 // 2", "预算数 << 2", "x := 1"]
TEXT = st.text(max_size=30) | st.text(
    st.characters(codec="utf-8", categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Lo", "So")),
    max_size=20)


def number_texts() -> st.SearchStrategy[str]:
    decimals = st.decimals(allow_nan=True, allow_infinity=True).map(str)
    quantity = st.tuples(st.sampled_from([*HUGE, "1", "0", "-5", "4.5", "628", "1e18"]) | decimals,
                         st.sampled_from([" ", "", "  "]), st.sampled_from(UNITS)).map("".join)
    return st.sampled_from(HUGE + ODD_NUMBERS) | decimals | quantity


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        number_texts(), TEXT, st.sampled_from(FORMULAS), st.none(), st.booleans(),
        st.integers(), st.sampled_from([-(10 ** 30), 2 ** 63]),
        st.integers(4301, 4500).map(lambda n: 10 ** n),
        st.floats(allow_nan=True, allow_infinity=True), st.dates(),
        st.sampled_from(["2024-02-30", "99999-01-01", "2024-13-01", "今天", "T", "是", "否"]))


def values() -> st.SearchStrategy[Any]:
    keys = st.sampled_from(["value", "source", "unit", "kind", "x"]) | TEXT
    return st.recursive(scalars(), lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(keys, inner, max_size=3), max_leaves=6)


# ------------------------------------------------------------------ mutated rulesets


def _paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*path, i))


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _mutate(data: Any, draw: Any) -> Any:
    """``data`` with one to three parts replaced, removed, renamed, duplicated or
    re-typed (``draw`` is hypothesis's ``data.draw``)."""
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        parent, key = _at(data, path[:-1]), path[-1]
        how = draw(st.sampled_from(["replace", "replace", "replace", "delete", "rename",
                                    "duplicate", "wrap", "number"]))
        if how == "replace":
            parent[key] = draw(values())
        elif how == "delete":
            del parent[key]
        elif how == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["kind", "fact", "points", "formula", "bands", "id",
                                         "max_points", "select", "unit"]) | TEXT)] = \
                parent.pop(key)
        elif how == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif how == "wrap":
            parent[key] = draw(st.sampled_from([[parent[key]], {"value": parent[key]}]))
        elif how == "number":
            parent[key] = draw(number_texts() | st.sampled_from([1e308, -1e308, 1e-300]))
    return data


def _dump(data: Any) -> str | None:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, ValueError):  # a value PyYAML cannot write: not our input
        return None


_SEED_DATA = {path: yaml.safe_load(path.read_text(encoding="utf-8"))
              for path in (SEED, EVERY_KIND)}
_SEED_FACTS_TEXT = SEED_FACTS.read_text(encoding="utf-8")


def _exercise(ruleset: rubric.Ruleset, facts_text: str, label: str, check: bool) -> None:
    """Score, render and (if ``check``) check a loaded ruleset: results or RubricErrors."""
    facts = outcome(f"{label}: load_facts", rubric.load_facts, facts_text, ruleset)
    mapping = yaml.safe_load(facts_text) or {}
    for one in ([facts] if facts is not None else []) + [mapping]:
        result = outcome(f"{label}: evaluate", rubric.evaluate, ruleset, one)
        outcome(f"{label}: score_only", rubric.score_only, ruleset, one)
        if result is not None:
            texts = [outcome(f"{label}: {render.__name__}", render, result, explain=True)
                     for render in (rubric.render_table, rubric.render_markdown)]
            texts.append(outcome(f"{label}: render_json", rubric.render_json, result))
            assert all(text is None or len(text) < BOUNDED for text in texts)
    if check:
        outcome(f"{label}: check", rubric.check_ruleset, ruleset)


@pytest.mark.parametrize("seed", [SEED, EVERY_KIND], ids=["xiangtan", "every_kind"])
@FUZZ
@given(data=st.data())
def test_mutated_rulesets_load_score_and_check_cleanly(seed, data):
    TRIED[f"mutated ruleset ({seed.stem})"] += 1
    text = _dump(_mutate(_SEED_DATA[seed], data.draw))
    if text is None:
        return
    ruleset = outcome("load_ruleset", rubric.load_ruleset, text, filename="fuzz.yaml")
    if ruleset is not None:
        # every_kind's formula rule is property-checked by hypothesis: about a second each
        check = seed == SEED or TRIED[f"mutated ruleset ({seed.stem})"] % 8 == 1
        _exercise(ruleset, _SEED_FACTS_TEXT, "mutated ruleset", check)


SNIPPETS = ["!!python/object/apply:os.system ['echo hi']", "!!timestamp abc", "&a [*a]",
            "*nope", "<<: {a: 1}", "{", "[", "'", '"', ":", "- ", "\t", "\x00", "\ufeff",
            "? ", "!!binary AAAA", "!!set {a}", "1E+999999999", "0x1F", "1:30", ".inf",
            "~", "\n  - \n", "#", "%YAML 1.1\n", "---\n", "...\n", "\\", "\x85"]


@FUZZ
@given(data=st.data())
def test_textually_mutated_yaml_loads_or_fails_cleanly(data):
    TRIED["textually mutated YAML"] += 1
    text = SEED.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        how = data.draw(st.sampled_from(["insert", "delete", "duplicate-line"]))
        if how == "insert":
            text = text[:at] + data.draw(st.sampled_from(SNIPPETS) | TEXT) + text[at:]
        elif how == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 40)):]
        else:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at) + 1 or len(text)
            text = text[:end] + text[start:end] + text[end:]
    ruleset = outcome("load_ruleset (text)", rubric.load_ruleset, text, filename="fuzz.yaml")
    if ruleset is not None:
        _exercise(ruleset, _SEED_FACTS_TEXT, "textually mutated YAML", check=True)


# ------------------------------------------------------------------ hostile fact values

_RULESETS = {path: rubric.load_ruleset(path) for path in (SEED, EVERY_KIND)}


@pytest.mark.parametrize("seed", [SEED, EVERY_KIND], ids=["xiangtan", "every_kind"])
@FUZZ
@given(data=st.data())
def test_hostile_fact_values_are_results_or_fact_errors(seed, data):
    TRIED[f"hostile facts ({seed.stem})"] += 1
    ruleset = _RULESETS[seed]
    names = [s.name for s in ruleset.facts] + ["未声明", ""]
    facts = data.draw(st.dictionaries(st.sampled_from(names), values(), max_size=6))
    if data.draw(st.booleans()):  # hostile values among good ones
        good = yaml.safe_load(_SEED_FACTS_TEXT) if seed == SEED else {}
        facts = {**good, **facts}
    _exercise_facts(ruleset, facts)


def _exercise_facts(ruleset: rubric.Ruleset, facts: dict[Any, Any]) -> None:
    result = outcome("evaluate", rubric.evaluate, ruleset, facts)
    outcome("score_only", rubric.score_only, ruleset, facts)
    if result is not None:
        assert len(outcome("render_table", rubric.render_table, result, explain=True)
                   or "") < BOUNDED
        assert len(outcome("render_json", rubric.render_json, result) or "") < BOUNDED
    text = _dump({str(k): v for k, v in facts.items()})
    if text is not None:  # the same values as a facts file: located problems
        outcome("load_facts", rubric.load_facts, text, ruleset, filename="f.yaml")


# ------------------------------------------------------------------ broken batch files

GOOD_ROWS = [{"预算数": "100", "预算调整数": "5"}, {"预算数": "628 万元", "新增规模工业企业": "34"},
             {"预算数": "1,000.5", "服务对象满意度": "95%"}, {}]
BATCH_COLUMNS = ["id", "预算数", "预算调整数", "新增规模工业企业", "服务对象满意度"]


def _cell() -> st.SearchStrategy[str]:
    return st.one_of(number_texts(), TEXT, st.sampled_from(FORMULAS + ODD_NUMBERS),
                     st.sampled_from(["", " ", "是", "否", "true"]))


@st.composite
def batches(draw: Any, fmt: str) -> tuple[bytes, dict[int, str], set[int]]:
    """A batch file: its bytes, the good rows (row number -> id) and every other row."""
    good: dict[int, str] = {}
    bad: set[int] = set()
    count = draw(st.integers(2, 8))
    kinds = [draw(st.sampled_from(["good", "cells", "bytes", "structure"]))
             for _ in range(count)]
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(BATCH_COLUMNS)
        chunks = [out.getvalue().encode("utf-8")]
        for number, kind in enumerate(kinds, start=2):
            out = io.StringIO(newline="")
            writer = csv.writer(out)
            if kind == "good":
                row = GOOD_ROWS[number % len(GOOD_ROWS)]
                good[number] = f"G{number}"
                writer.writerow([f"G{number}", *(row.get(c, "") for c in BATCH_COLUMNS[1:])])
                chunks.append(out.getvalue().encode("utf-8"))
                continue
            bad.add(number)
            if kind == "cells":
                writer.writerow([f"B{number}", *(draw(_cell()) for _ in BATCH_COLUMNS[1:]),
                                 *draw(st.lists(_cell(), max_size=2))])
                chunks.append(out.getvalue().encode("utf-8", "surrogatepass"))
            elif kind == "bytes":  # undecodable bytes or NUL in unquoted cells
                junk = draw(st.binary(min_size=1, max_size=8).map(
                    lambda b: bytes(c for c in b if c not in b'\r\n",') or b"\xff"))
                chunks.append(f"B{number},".encode() + junk + "乙".encode("gbk") + b",5\r\n")
            else:  # a row of another shape: too many cells
                writer.writerow([f"B{number}", "1", "2", "3", "4", "5", "6", "7"])
                chunks.append(out.getvalue().encode("utf-8"))
        return b"".join(chunks), good, bad
    lines = []
    for number, kind in enumerate(kinds, start=1):
        if kind == "good":
            good[number] = f"G{number}"
            lines.append(json.dumps({"id": f"G{number}", **GOOD_ROWS[number % len(GOOD_ROWS)]},
                                    ensure_ascii=False).encode())
            continue
        bad.add(number)
        if kind == "cells":
            row = draw(st.dictionaries(st.sampled_from(BATCH_COLUMNS[1:]), values(), max_size=3))
            try:
                text = json.dumps({"id": f"B{number}", **row}, ensure_ascii=False, default=str)
            except ValueError:  # an int over 4300 digits: written out by hand
                text = f'{{"id": "B{number}", "预算数": {"9" * 5000}}}'
            lines.append(text.encode("utf-8", "surrogatepass"))
        elif kind == "bytes":
            junk = draw(st.binary(min_size=1, max_size=12).map(
                lambda b: bytes(c for c in b if c not in b"\r\n") or b"\xff"))
            lines.append(b'{"id": "B' + str(number).encode() + b'", "x": "' + junk + b'"}')
        else:  # not one JSON object: truncated, a list, deep, a huge number
            lines.append(draw(st.sampled_from([
                b'{"id": "B", "\xe9\xa2\x84\xe7\xae\x97\xe6\x95\xb0": 1', b"[1, 2]", b"null",
                b"[" * 50_000 + b"]" * 50_000, b'{"id": 1e999999}', b"9" * 6000, b"{}}",
                b'{"id": "x", "id": "y"}', b"NaN", b'{"a": Infinity}'])))
    return b"\n".join(lines) + b"\n", good, bad


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@FUZZ
@given(data=st.data())
def test_broken_batches_keep_every_good_row(fmt, data):
    TRIED[f"broken batch ({fmt})"] += 1
    content, good, bad = data.draw(batches(fmt))
    out_fmt = data.draw(st.sampled_from(["csv", "jsonl"]))
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / f"b.{fmt}", Path(tmp) / f"o.{out_fmt}"
        src.write_bytes(content)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["score", str(SEED), "--batch", str(src), "--output", str(out)])
        message = err.getvalue()
        assert "internal error" not in message and "Traceback" not in message, message[-2000:]
        assert code in (0, 1), message[-2000:]
        rows = _records(out, out_fmt)
    by_row = {int(r["row"]): r for r in rows}
    for number, unit in good.items():
        assert number in by_row, (number, message[-2000:])
        row = by_row[number]
        assert row["unit"] == unit and not row["error"] and row["total_high"] not in ("", None)
    assert set(by_row) <= set(good) | bad
    if fmt == "jsonl":  # every line is a row of its own: reported or scored
        assert set(by_row) == set(good) | bad
    if any(r["error"] for r in rows):
        assert code == 1


_XLSX: list[bytes] = []


def _good_xlsx() -> bytes:
    if not _XLSX:
        openpyxl = pytest.importorskip("openpyxl")
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(BATCH_COLUMNS)
        for i in range(40):
            ws.append([f"G{i + 2}", 100 + i, 5, 3, "95%"])
        buffer = io.BytesIO()
        wb.save(buffer)
        _XLSX.append(buffer.getvalue())
    return _XLSX[0]


@FUZZ
@given(data=st.data())
def test_randomly_damaged_xlsx_batches_fail_cleanly(data):
    """Bytes flipped, cut or inserted anywhere in a workbook: a FileError naming the
    file, or the rows read before the damage (each scored or that row's error)."""
    TRIED["damaged XLSX batch"] += 1
    raw = bytearray(_good_xlsx())
    for _ in range(data.draw(st.integers(1, 4))):
        if not raw:
            break
        at = data.draw(st.integers(0, len(raw) - 1))
        how = data.draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if how == "flip":
            raw[at] ^= data.draw(st.integers(1, 255))
        elif how == "cut":
            del raw[at:at + data.draw(st.integers(1, 64))]
        elif how == "insert":
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=16))
        else:
            del raw[at:]
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "b.xlsx", Path(tmp) / "o.csv"
        src.write_bytes(bytes(raw))
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["score", str(SEED), "--batch", str(src), "--output", str(out)])
        message = err.getvalue()
        assert "internal error" not in message and "Traceback" not in message, message[-2000:]
        assert code in (0, 1), message[-2000:]
        if code == 1 and not out.exists():
            assert str(src) in message, message[-2000:]


def _records(path: Path, fmt: str) -> list[dict[str, Any]]:
    if fmt == "csv":
        with open(path, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# ------------------------------------------------------------------ bombs, under limits

LIMITED = """\
import resource, runpy, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu}))
sys.argv = ["rubric"] + sys.argv[1:]
sys.setrecursionlimit(10_000)
runpy.run_module("rubric", run_name="__main__")
"""
CPU_SECONDS = 20


def _bomb_files(tmp: Path, name: str) -> list[str]:
    """The command line of bomb ``name``, its files written under ``tmp``."""
    seed_head = SEED.read_text(encoding="utf-8")

    def write(file: str, text: str | bytes) -> str:
        path = tmp / file
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return str(path)

    formula_rule = ("rubric: 1\nmetadata: {id: b, name: b, issuer: t, fiscal_year: 2024, "
                    "version: '1', source: t}\npolicy: {total_points: 10}\nfacts:\n"
                    "  a: {minimum: 0}\n  d: {formula: 'a ** a ** a'}\n"
                    "root: {id: 合计, name: 合计, max_points: 10, select: all}\n"
                    "indicators:\n  - id: x\n    max_points: 10\n"
                    "    rule: {kind: formula, expression: 'min(10, d)', points: 10}\n")
    if name == "formula-power-at-score":
        return ["score", write("r.yaml", formula_rule), write("f.yaml", "a: 100\n")]
    if name == "formula-power-under-check":
        return ["check", write("r.yaml", formula_rule.replace("min(10, d)", "a ** a ** 9"))]
    if name == "band-bound-exponent":
        return ["check", write("r.yaml", seed_head.replace("minimum: 0", "minimum: 1E+999999999",
                                                           1))]
    if name == "billion-laughs":
        levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
        return ["check", write("r.yaml", "rubric: 1\n" + "\n".join(levels) + "\nroot: *a11\n")]
    if name == "deep-yaml":
        return ["check", write("r.yaml", "x: " + "[" * 200_000 + "]" * 200_000 + "\n")]
    if name == "long-unit-in-facts":
        return ["score", str(SEED), write("f.yaml", "预算数: '1 " + "万元*" * 300_000 + "万元'\n")]
    if name == "huge-csv-cell":
        cell = "9" * 4_000_000
        return ["score", str(SEED), "--batch",
                write("b.csv", f"id,预算数\nA,100\nB,{cell}\nC,{cell} 亿元\nD,200\n"),
                "--output", str(tmp / "o.csv")]
    if name == "deep-jsonl":
        return ["score", str(SEED), "--batch",
                write("b.jsonl", '{"id": "A", "预算数": 1}\n{"预算数": ' + "[" * 1_000_000
                      + "]" * 1_000_000 + "}\n"), "--output", str(tmp / "o.jsonl")]
    if name == "long-formula":
        return ["check", write("r.yaml", seed_head.replace(
            "formula: 预算调整数 / 预算数 * 100",
            "formula: '" + "+".join(["预算数"] * 200_000) + "'", 1))]
    if name == "xlsx-zip-bomb":
        import zipfile

        path = tmp / "bomb.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            with archive.open("xl/worksheets/sheet1.xml", "w") as part:
                block = b"<row>" + b" " * (1 << 20) + b"</row>"
                for _ in range(280):  # 280 MB inflated, about 300 kB on disk
                    part.write(block)
        return ["score", str(SEED), "--batch", str(path), "--output", str(tmp / "o.csv")]
    raise AssertionError(name)


BOMBS = ["formula-power-at-score", "formula-power-under-check", "band-bound-exponent",
         "billion-laughs", "deep-yaml", "long-unit-in-facts", "huge-csv-cell", "deep-jsonl",
         "long-formula", "xlsx-zip-bomb"]


@pytest.mark.parametrize("name", BOMBS)
def test_bombs_end_in_a_clear_error_within_limits(tmp_path, name):
    TRIED["bombs"] += 1
    if name == "xlsx-zip-bomb":
        pytest.importorskip("openpyxl")
    args = _bomb_files(tmp_path, name)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", LIMITED.format(cpu=CPU_SECONDS), *args],
                          capture_output=True, text=True, env=env, timeout=120, check=False,
                          cwd=tmp_path)
    took = time.monotonic() - start
    assert done.returncode == 1, (done.returncode, done.stderr[-3000:])  # < 0: killed
    text = done.stdout + done.stderr
    assert "internal error" not in text and "Traceback" not in text, text[-3000:]
    assert "error" in text
    assert len(text) < 100_000
    assert took < 60


# ------------------------------------------------------------------ a seeded smoke run


def test_random_fact_values_against_every_kind_smoke():
    """A quick, seeded sweep without hypothesis: every hostile scalar in every fact."""
    rng = random.Random(18)
    ruleset = _RULESETS[EVERY_KIND]
    pool = HUGE[:8] + ODD_NUMBERS + UNITS[:12] + [dt.date(1, 1, 1), Decimal("NaN"),
                                                   float("inf"), 10 ** 4400, None, [], {}]
    for spec in ruleset.facts:
        for value in pool:
            TRIED["smoke"] += 1
            _exercise_facts(ruleset, {spec.name: value})
        TRIED["smoke"] += 1
        _exercise_facts(ruleset, {s.name: rng.choice(pool) for s in ruleset.facts})
