"""``rubric.dask.score_dask`` on a real Dask cluster (a scheduler and two worker
processes started here) gives exactly what the single-process ``score_dataframe`` and
the batch give, bad rows included."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")

from rubric import LoadError, load_ruleset, score_dataframe  # noqa: E402
from rubric.batch import batch_columns, row_record, score_batch  # noqa: E402
from rubric.dask import score_dask  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
sys.path.insert(0, str(ROOT / "benchmarks" / "compare"))
from facts import generate  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield client


def units(n: int) -> list[dict[str, Any]]:
    out = [{"id": f"U{i:04d}", **f} for i, f in enumerate(generate(n))]
    out[3]["政府采购执行"] = "也许"  # not a boolean: an error row
    out[5]["供养人数"] = None  # missing: a range
    out[7]["服务对象满意度"] = "120"  # outside its domain: an error row
    out[9]["高新技术产值"] = "6280000 万元"  # a unit in the cell: per unit
    out[11]["分项目核算结余结转"] = "不适用"  # not applicable: rescaled
    return out


def test_partitions_scored_on_workers_equal_the_single_process_result(client: Any) -> None:
    ruleset = load_ruleset(SEED)
    rows = units(600)
    df = pd.DataFrame(rows, index=[f"K{i}" for i in range(len(rows))])
    ddf = dd.from_pandas(df, npartitions=4, sort=False)  # keep the rows in input order
    scored = score_dask(ruleset, ddf)
    assert list(scored.columns) == [c for c in batch_columns(ruleset) if c != "row"]
    got = scored.compute()
    want = score_dataframe(ruleset, df)
    assert list(got.index) == list(want.index)
    assert got.to_numpy().tolist() == want.to_numpy().tolist()
    # and the batch's own records, bad rows reported, every other row scored
    records = [row_record(r) for r in score_batch(ruleset, rows)]
    assert [r.get("error") for r in records] == got["error"].tolist()
    assert [r.get("total_low") for r in records] == got["total_low"].tolist()
    errors = got["error"].notna()
    assert errors.sum() == 2 and got.loc[~errors, "total_low"].notna().all()
    assert got.loc["K11", "rescaled"] is not None


def test_unknown_columns_fail_before_anything_runs(client: Any) -> None:
    ruleset = load_ruleset(SEED)
    ddf = dd.from_pandas(pd.DataFrame({"预算数": [1.0], "nope": [2]}), npartitions=1)
    with pytest.raises(LoadError, match="nope"):
        score_dask(ruleset, ddf)
