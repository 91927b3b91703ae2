"""Score a pandas DataFrame: one unit per row, the same semantics as batch scoring.

Columns are fact names (plus an optional ``id``/``unit`` column); NaN and None cells are
missing facts. The result has the input's index and the columns of
``rubric.batch.batch_columns`` except ``row`` (the index takes its place): one per node
in table order (a ``Decimal`` score, or ``"low–high"`` text when facts are missing),
``total`` (``Decimal`` or None), ``total_low``, ``total_high``, ``grade``,
``missing_facts``, ``warnings`` (the unit's fact warnings, ``"; "``-joined) and
``error``; ``unit`` is the ``id``/``unit`` column, else the index
label. A bad row is not scored: its ``error`` says why, and every other row is scored.
Scores stay exact ``Decimal`` objects (object dtype); convert with ``.astype(float)`` only
for display. pandas is imported lazily (``rubric[pandas]``).
"""

from __future__ import annotations

import math
from typing import Any

from .batch import batch_columns, row_record, score_batch
from .errors import MissingDependency
from .io.tabular import UNIT_COLUMNS, check_columns
from .tree import Ruleset

__all__ = ["score_dataframe"]


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        return value.item()  # numpy scalars -> Python (floats via their shortest repr)
    if type(value).__name__ == "Timestamp":
        return value.date() if value == value.normalize() else value.to_pydatetime()
    return value


def score_dataframe(ruleset: Ruleset, df: Any, *, complete: bool = False) -> Any:
    """Score every row of ``df``; returns a new DataFrame (see the module docstring).

    Unknown columns raise ``LoadError`` (listed with suggestions), like a batch file.
    """
    try:
        import pandas as pd
    except ImportError:
        raise MissingDependency("score_dataframe needs pandas", package="pandas",
                                expected="pip install 'rubric[pandas]'") from None
    columns = [str(c) for c in df.columns]
    check_columns(columns, ruleset, "<DataFrame>")
    named = any(c in UNIT_COLUMNS for c in columns)
    records = (
        (i, {c: _cell(v) for c, v in zip(columns, values)} if named
         else {"id": str(key), **{c: _cell(v) for c, v in zip(columns, values)}})
        for i, (key, values) in enumerate(
            zip(df.index, df.itertuples(index=False, name=None)), start=1)
    )
    out_cols = [c for c in batch_columns(ruleset) if c != "row"]
    data = [[rec.get(c) for c in out_cols]
            for rec in map(row_record, score_batch(ruleset, records, complete=complete))]
    return pd.DataFrame(data, index=df.index, columns=out_cols, dtype=object)
