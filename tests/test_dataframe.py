"""score_dataframe: batch semantics over a pandas DataFrame."""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import seed_table
from rubric import LoadError, evaluate

pd = pytest.importorskip("pandas")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_batch  # noqa: E402

from rubric.dataframe import score_dataframe  # noqa: E402 - after the importorskip


def frame(n: int = 30) -> pd.DataFrame:
    rng = random.Random(5)
    rows = [bench_batch.unit(rng, i) for i in range(n)]
    df = pd.DataFrame(rows, index=[f"k{i}" for i in range(n)])
    df["预算数"] = [float(x) for x in df["预算数"]]  # a float column, as pandas reads one
    df["供养人数"] = [float("nan") if i % 7 == 0 else float(v or 0) for i, v in
                      enumerate(df["供养人数"])]
    if n > 4:
        df.loc["k3", "政府采购执行"] = "也许"
        df.loc["k4", "预算数"] = -5.0
    return df


def test_bad_rows_in_error_column_others_scored() -> None:
    ruleset = seed_table.build()
    df = frame()
    out = score_dataframe(ruleset, df)
    assert list(out.index) == list(df.index)
    errors = out[out["error"].notna()]
    assert list(errors.index) == ["k3", "k4"]
    assert "政府采购执行" in errors.loc["k3", "error"]
    assert "预算数" in errors.loc["k4", "error"]
    for key in df.index:
        if key in ("k3", "k4"):
            continue
        row = df.loc[key]
        # numpy scalars as plain Python values (the engine's float path expects float)
        facts = {c: (row[c].item() if hasattr(row[c], "item") else row[c])
                 for c in df.columns if c != "id"}
        if facts["供养人数"] != facts["供养人数"]:  # NaN: missing
            facts["供养人数"] = None
        result = evaluate(ruleset, facts)
        assert out.loc[key, "total_low"] == result.total.low
        assert out.loc[key, "total_high"] == result.total.high
        assert isinstance(out.loc[key, "total_low"], Decimal)
        assert out.loc[key, "unit"] == row["id"]
    missing = out.loc["k0"]
    assert missing["total"] is None and "供养人数" in missing["missing_facts"]


def test_unit_is_the_index_without_an_id_column() -> None:
    df = frame(3).drop(columns=["id"])
    df.loc["k1", "政府采购执行"] = "也许"
    out = score_dataframe(seed_table.build(), df)
    assert list(out["unit"]) == ["k0", "k1", "k2"]
    assert [e is None for e in out["error"]] == [True, False, True]


def test_unknown_column_is_an_error() -> None:
    df = pd.DataFrame({"预算数x": [1]})
    with pytest.raises(LoadError, match="did you mean '预算数'"):
        score_dataframe(seed_table.build(), df)
