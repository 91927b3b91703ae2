"""Score a pandas DataFrame: one unit per row, the same semantics as batch scoring.

Columns are fact names (plus an optional ``id``/``unit`` column), read as a batch
file's header is (title rows, units in headers, 项目名称, passed-through columns:
``io.sheet_layout``); NaN and None cells are missing facts. The result has the input's
index and the columns of
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
from collections.abc import Mapping
from typing import Any

from .batch import batch_columns, row_record, score_batch
from .errors import MissingDependency
from .io.sheet_layout import find_header, layout_of, parse_column_map
from .io.tabular import UNIT_COLUMNS
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


def score_dataframe(ruleset: Ruleset, df: Any, *, complete: bool = False,
                    columns: Mapping[str, str] | str | None = None) -> Any:
    """Score every row of ``df``; returns a new DataFrame (see the module docstring).

    Columns are read as a batch file's header is (``io.sheet_layout``): units in headers,
    ``项目名称``/``单位名称`` as the unit's name, other columns passed through to the result
    (after ``unit``); ``columns`` maps headers to facts (a mapping, ``"h=f,h=f"`` or a
    YAML file). A frame read with ``header=None`` (integer column labels) has its header
    row found among its rows, below any title rows; the rows under it are the units.
    Columns refused (a misspelt fact, a derived fact) raise ``LoadError`` with suggestions.
    """
    try:
        import pandas as pd
    except ImportError:
        raise MissingDependency("score_dataframe needs pandas", package="pandas",
                                expected="pip install 'rubric[pandas]'") from None
    mapping = parse_column_map(columns)
    labels = list(df.columns)
    if labels and all(isinstance(c, int) and not isinstance(c, bool) for c in labels):
        rows = ([_cell(v) for v in values] for values in df.itertuples(index=False, name=None))
        head, at = find_header(rows, ruleset, mapping)
        header = [("" if v is None else str(v).strip()) for v in head[at]] if head else []
        while header and not header[-1]:
            header.pop()
        df = df.iloc[at + 1:] if head else df
        line = at + 1
    else:
        header = [str(c) for c in labels]
        line = 1
    layout = layout_of(header, ruleset, "<DataFrame>", mapping, line=line)
    named = any(t in UNIT_COLUMNS for t in layout.targets)
    rows_out = []
    for key, values in zip(df.index, df.itertuples(index=False, name=None)):
        row = layout.apply([_cell(v) for v in values])
        if not named:
            row["id"] = str(key)
        rows_out.append(row)
    out_cols = [c for c in batch_columns(ruleset, layout.passthrough) if c != "row"]
    data = []
    for row, rec in zip(rows_out, map(row_record, score_batch(ruleset, rows_out,
                                                              complete=complete))):
        extras = row.extras
        data.append([rec[c] if c in rec else extras.get(c) for c in out_cols])
    return pd.DataFrame(data, index=df.index, columns=out_cols, dtype=object)
