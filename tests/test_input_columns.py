"""Input columns (issue 16): JSON Lines with a column map (each line's keys read as a
header is), and the column engine refusing columns that are not facts, naming them and
the ruleset's input facts."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from rubric import LoadError
from rubric.batch import score_file
from rubric.cli import main
from rubric.io.loader import load_ruleset
from rubric.io.tabular import read_rows

SEED = Path(__file__).resolve().parents[1] / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"


@pytest.fixture(scope="module")
def seed():  # type: ignore[no-untyped-def]
    return load_ruleset(SEED)


def lines(path: Path, *rows: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_mapped_keys_name_facts_with_their_units(tmp_path: Path, seed) -> None:
    path = lines(tmp_path / "u.jsonl", {"id": "A", "资金总额（万元）": 100, "备注": "x"},
                 {"项目名称": "乙", "资金总额（万元）": "2 亿元"})
    _h, rows, _t = read_rows(path, seed, columns={"资金总额（万元）": "预算数", "备注": "-"})
    (_1, a), (_2, b) = list(rows)
    assert a == {"id": "A", "预算数": "100 万元"}
    assert a.extras == {"备注": "x"}  # type: ignore[attr-defined]
    assert b == {"unit": "乙", "预算数": "2 亿元"}  # a cell with its own unit keeps it


def test_without_a_map_keys_are_read_as_before(tmp_path: Path, seed) -> None:
    path = lines(tmp_path / "u.jsonl", {"id": "A", "资金总额": 100})
    _h, rows, _t = read_rows(path, seed)
    assert list(rows) == [(1, {"id": "A", "资金总额": 100})]


def test_a_key_neither_mapped_nor_a_fact_is_that_lines_error(tmp_path: Path, seed) -> None:
    path = lines(tmp_path / "u.jsonl", {"id": "A", "资金总额": 1, "电话": "3"},
                 {"id": "B", "资金总额": 2}, {"id": "C", "预算调正数": 2})
    _h, rows, _t = read_rows(path, seed, columns={"资金总额": "预算数"})
    (_1, a), (_2, b), (_3, c) = list(rows)
    assert isinstance(a, LoadError)
    assert str(a) == (f"{path}:1: key '电话' is not an input fact of the ruleset; expected "
                      "input fact names; to keep the key as it is, --columns '电话=-'")
    assert a.text("zh") == (f"{path}:1：键“电话”不是规则集的输入事实；要求：输入事实的名称；"
                            "要原样保留该键，请用 --columns '电话=-'")
    assert b == {"id": "B", "预算数": 2}
    assert isinstance(c, LoadError) and "did you mean '预算调整数'" in str(c)


def test_a_batch_passes_the_mapped_keys_through(tmp_path: Path, seed) -> None:
    path = lines(tmp_path / "u.jsonl", {"id": "A", "资金（万元）": 100, "备注": "甲"},
                 {"id": "B", "资金（万元）": 50, "别的": 1})
    out = tmp_path / "o.jsonl"
    errors = io.StringIO()
    summary = score_file(seed, path, out, columns={"资金（万元）": "预算数", "备注": "-"},
                         errors=errors)
    assert f"{path}:2: row 2: {path}:2: key '别的'" in errors.getvalue()
    a, b = (json.loads(x) for x in out.read_text(encoding="utf-8").splitlines())
    assert list(a)[:3] == ["row", "unit", "备注"] and a["备注"] == "甲" and a["error"] is None
    assert "key '别的' is not an input fact" in b["error"]
    assert summary.scored == 1 and len(summary.errors) == 1


def test_the_columns_option_reads_json_lines(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = lines(tmp_path / "u.jsonl", {"id": "A", "资金总额": "100"})
    out = tmp_path / "o.jsonl"
    assert main(["score", str(SEED), "--batch", str(path), "--output", str(out), "--quiet",
                 "--columns", "资金总额=预算数"]) == 0
    (line,) = (json.loads(x) for x in out.read_text(encoding="utf-8").splitlines())
    assert line["unit"] == "A" and line["error"] is None
    assert Decimal(line["total_high"]) >= Decimal(line["total_low"])


# ------------------------------------------- score_columns / score_dask: unknown columns


def test_score_columns_refuses_unknown_columns_naming_them_and_the_facts(seed) -> None:
    from rubric import score_columns

    with pytest.raises(LoadError) as info:
        score_columns(seed, {"预算书": [1], "备注": ["x"], "预算数": [2]})
    text = str(info.value)
    assert text.startswith("2 problems:\n<columns>:1:1: column '预算书' is not an input fact "
                           "of the ruleset (did you mean '预算数'?); expected input fact names "
                           "(预算调整数, 预算数, 基本支出实际支出, ")
    assert "column '备注' is not an input fact of the ruleset" in text
    assert f", … ({len(seed.input_facts())} in all)), and optionally id or unit" in text
    assert f"……（共 {len(seed.input_facts())} 个）），可另加 id 或 unit 列" in info.value.text("zh")


def test_score_dask_refuses_unknown_columns_the_same_way(seed) -> None:
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    from rubric.dask import score_dask

    ddf = dd.from_pandas(pd.DataFrame({"预算数": [1.0], "备注": ["x"]}), npartitions=1)
    with pytest.raises(LoadError) as info:
        score_dask(seed, ddf)
    assert str(info.value).startswith("<Dask DataFrame>:1:2: column '备注' is not an input "
                                      "fact of the ruleset; expected input fact names (")
