"""Score a Dask DataFrame partition by partition: ``score_dask(ruleset, ddf)``.

Each partition (a pandas DataFrame) is scored by the column engine
(``rubric.score_columns``), units it cannot settle by the batch's per-unit path, on
whichever workers hold it; the ruleset travels to each worker once per task (it pickles
as its definition). The result is a lazy Dask DataFrame with the index of ``ddf`` and
the columns of ``score_dataframe``: one per node (a ``Decimal`` score, ``low–high`` text
for a range, ``不适用``), ``total``, ``total_low``, ``total_high``, ``grade``,
``rescaled``, ``missing_facts`` and ``error``. A bad row is not scored: its ``error``
says why (the batch's text) and every other row still is. Computed, it equals
``score_dataframe(ruleset, ddf.compute())`` row for row. Unknown columns raise
``LoadError`` at once, before anything is computed.

Dask is optional (``rubric[dask]``: ``dask[dataframe]`` and ``distributed``).
"""

from __future__ import annotations

from typing import Any

from .batch import batch_columns
from .columnar import score_columns
from .errors import MissingDependency
from .io.tabular import check_columns
from .tree import Ruleset

__all__ = ["output_meta", "score_dask", "score_partition"]


def output_meta(ruleset: Ruleset, index: Any = None) -> Any:
    """The empty pandas DataFrame the scored partitions look like (object columns)."""
    import pandas as pd

    columns = [c for c in batch_columns(ruleset) if c != "row"]
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns},
                        index=index[:0] if index is not None else None)


def score_partition(partition: Any, ruleset: Ruleset, complete: bool = False) -> Any:
    """One partition scored: the DataFrame ``score_dataframe`` gives for it."""
    return score_columns(ruleset, partition, complete=complete).to_pandas(index=partition.index)


def score_dask(ruleset: Ruleset, ddf: Any, *, complete: bool = False) -> Any:
    """``ddf`` scored partition by partition (see the module docstring); lazy."""
    try:
        import dask.dataframe  # noqa: F401 - the dependency this needs
    except ImportError:
        raise MissingDependency("score_dask needs dask", package="dask",
                                expected="pip install 'rubric[dask]'") from None
    check_columns([str(c) for c in ddf.columns], ruleset, "<Dask DataFrame>")
    meta = output_meta(ruleset, ddf._meta.index)
    return ddf.map_partitions(score_partition, ruleset, complete, meta=meta)
