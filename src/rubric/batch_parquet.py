"""Parquet batches through the column engine: ``score_parquet`` reads, scores and writes.

A Parquet input (``io.parquet_files.read_parquet``: its columns read as a CSV header is,
each typed column as the DataFrame path reads it) is scored by
``columnar.score_columns`` -- whole columns in exact scaled integers, the batch's
per-unit path for every unit the column engine does not settle -- and written by
``batch.write_rows``: CSV, XLSX, JSON Lines or Parquet (``io.parquet_files``), the
same columns and row order as ``score_file`` writes. Rows are counted from 1 (Parquet
has no header row). A bad row is reported on ``errors`` as ``FILE:ROW: unit: reason``
and in the ``error`` column; every other row is scored.

``rubric score RULESET --batch FILE.parquet`` runs ``score_parquet``; it takes
``score_file``'s arguments (``jobs``, ``encoding`` and ``progress`` have no effect: the
column engine runs in one process over whole columns, and Parquet text is UTF-8). Row
errors are in ``lang``: the column engine's are English, so a failed row is scored once
more by the per-unit path in ``lang``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Mapping
from typing import IO, Any

from .batch import BatchRow, BatchSummary, batch_columns, row_record, score_batch, write_rows
from .collector import paused
from .columnar import ColumnScores, python_cell, score_columns
from .engine.column_values import numpy_or_none
from .errors import RubricError
from .io.files import check_output_path
from .io.parquet_files import (
    DECIMAL_COLUMNS,
    ParquetColumns,
    decimal_array,
    pyarrow_modules,
    read_parquet,
    text_cells,
    write_parquet_columns,
)
from .io.tabular import output_format_of
from .tree import Ruleset

__all__ = ["score_parquet"]


def score_parquet(ruleset: Ruleset, source: str | os.PathLike[str],
                  output: str | os.PathLike[str] | None, *, output_format: str | None = None,
                  complete: bool = False, progress: bool = False, encoding: str = "utf-8",
                  stream: IO[str] | None = None, errors: IO[str] | None = None,
                  jobs: int | None = 1, columns: Mapping[str, str] | None = None,
                  lang: str = "en") -> BatchSummary:
    """Score every row of the Parquet file ``source`` and write ``output`` (see the
    module docstring); the arguments are ``batch.score_file``'s."""
    del progress, encoding, jobs  # one pass over whole columns; Parquet text is UTF-8
    err = errors or sys.stderr
    if output is not None:
        check_output_path(output)
    fmt_name = output_format_of(output, output_format)
    if fmt_name == "parquet" and output is None:  # before the file is read and scored
        raise RubricError("Parquet output needs a file", expected="-o FILE.parquet")
    with paused():  # whole columns and their records stay alive: see rubric.collector
        return _scored(ruleset, source, output, fmt_name, complete, stream, err, columns,
                       lang)


def _scored(ruleset: Ruleset, source: str | os.PathLike[str],
            output: str | os.PathLike[str] | None, fmt_name: str, complete: bool,
            stream: IO[str] | None, err: IO[str], columns: Mapping[str, str] | None,
            lang: str) -> BatchSummary:
    table = read_parquet(source, ruleset, columns=columns)
    scores = score_columns(ruleset, table.facts, complete=complete)
    name = os.fspath(source)
    if fmt_name == "parquet" and output is not None and _BY_COLUMNS:
        return _columns_out(ruleset, table, scores, output, err, name, complete, lang)
    extras: dict[int, Mapping[str, Any]] = {}
    if table.extras:
        for i in range(table.rows):
            if i + 1 not in table.refused:  # a CSV reader keeps no cells of a refused row
                extras[i + 1] = {c: v[i] for c, v in table.extras.items()}

    def rows() -> Iterator[BatchRow]:
        for scored in scores.records(first_row=1):
            refused = table.refused.get(scored["row"])
            rec = scored if refused is None else row_record(next(score_batch(  # as in a CSV
                ruleset, [(scored["row"], refused)], lang=lang)))
            error = rec.get("error")
            if refused is None and error is not None and lang != "en":  # English in columns
                error = _error_in(ruleset, table.facts, rec["row"], complete, lang) or error
                rec["error"] = error
            if error is not None:
                err.write(f"{name}:{rec['row']}: {rec['unit']}: {error}\n")
            yield BatchRow(rec["row"], rec["unit"], None, error, rec)

    return write_rows(rows(), output, ruleset, fmt_name, stream=stream,
                      passthrough=table.layout.passthrough,
                      extras=extras if table.extras else None)


def _error_in(ruleset: Ruleset, facts: Mapping[str, Any], row: int, complete: bool,
              lang: str) -> str | None:
    """Row ``row``'s error in ``lang``: the row scored again by the per-unit path."""
    values = {c: python_cell(v[row - 1]) for c, v in facts.items()}
    for scored in score_batch(ruleset, [(row, values)], complete=complete, lang=lang):
        return scored.error
    return None


#: Parquet output written column by column from the scores (``_columns_out``); False
#: writes it record by record through ``batch.write_rows`` (the path it replaces)
_BY_COLUMNS = True


def _columns_out(ruleset: Ruleset, table: ParquetColumns, scores: ColumnScores,
                 output: str | os.PathLike[str], err: IO[str], name: str, complete: bool,
                 lang: str) -> BatchSummary:
    """Parquet output column by column: the cells ``write_rows`` writes from the
    records, each column made from the column engine's arrays (a distinct score
    formatted once, the totals' decimal128 from their scaled integers), a refused row
    (``table.refused``) from its per-unit record; the error lines on ``err`` in row
    order, each row group's before its columns are made, as ``write_rows`` does."""
    start = time.perf_counter()
    n, ids = scores.n, scores.ids
    p = ruleset.policy.precision
    units, errors = list(scores.units), scores.errors
    redone: dict[int, dict[str, Any]] = {}  # refused rows: their per-unit record
    for row, refused in table.refused.items():
        rec = row_record(next(score_batch(ruleset, [(row, refused)], lang=lang)))
        redone[row - 1] = rec
        units[row - 1], errors[row - 1] = rec["unit"], rec.get("error")
    if lang != "en":  # the column engine's errors are English
        for i, error in enumerate(errors):
            if error is not None and i not in redone:
                errors[i] = _error_in(ruleset, table.facts, i + 1, complete, lang) or error
    out_columns = batch_columns(ruleset, table.layout.passthrough)
    made: dict[str, Any] = {}

    def column(c: str) -> Any:
        """Column ``c`` for every row: an object array of cells, or (decimal columns)
        ``(ints, valid)`` at the policy's precision, or None (then Decimals)."""
        got = made.get(c, _UNMADE)
        if got is not _UNMADE:
            return got
        if c in ids:
            got = scores.texts(ids.index(c))
        elif c in DECIMAL_COLUMNS:
            got = _totals(scores, c, p)
            if got is not None and any(redone[i].get(c) is not None for i in redone):
                got = None  # a refused row scored: never (its record is an error)
            if got is not None:
                for i in redone:
                    got[1][i] = False
            else:  # the records' Decimals, checked as write_parquet checks them
                got = _decimal_cells(scores, redone, c)
        else:
            values: list[Any]
            if c == "unit":
                values = units
            elif c == "error":
                values = errors
            elif c == "grade":
                values = scores.grade
            elif c == "rescaled":
                values = scores.rescaled
            elif c == "missing_facts":
                values = [", ".join(m) or None for m in scores.missing]
            elif c == "warnings":
                values = scores.warnings
            else:  # passed through: a refused row keeps none of its cells
                values = [None if i + 1 in table.refused else v
                          for i, v in enumerate(table.extras[c])]
            got = np.empty(n, dtype=object)
            got[:] = text_cells(values)
        if c not in DECIMAL_COLUMNS and c != "row":
            for i, rec in redone.items():
                got[i] = text_cells([rec.get(c)])[0]
        made[c] = got
        return got

    def cells(c: str, lo: int, hi: int) -> Any:
        if c == "row":
            return pa.array(np.arange(lo + 1, hi + 1, dtype=np.int64))
        got = column(c)
        if c in DECIMAL_COLUMNS:
            if isinstance(got, list):
                return got[lo:hi]
            return decimal_array(got[0][lo:hi], got[1][lo:hi], p)
        return pa.array(got[lo:hi], pa.string())

    def before(lo: int, hi: int) -> None:
        for i in range(lo, hi):
            if errors[i] is not None:
                err.write(f"{name}:{i + 1}: {units[i]}: {errors[i]}\n")

    pa, _pq = pyarrow_modules()
    np = numpy_or_none()
    write_parquet_columns(n, out_columns, output, cells, scale=p, before=before)
    failed = tuple((i + 1, e) for i, e in enumerate(errors) if e is not None)
    return BatchSummary(n - len(failed), failed, time.perf_counter() - start)


_UNMADE: Any = object()


def _totals(scores: ColumnScores, c: str, p: int) -> tuple[Any, Any] | None:
    """A total column at precision ``p`` as ``(ints, valid)`` (``ColumnScores.scaled``);
    ``total`` only where the low and high agree. None: some total is not exact there."""
    k = len(scores.ids) - 1
    low = scores.scaled(k, 0, p)
    if low is None or c == "total_low":
        return low
    high = scores.scaled(k, 1, p)
    if high is None or c == "total_high":
        return high
    return low[0], low[1] & high[1] & (low[0] == high[0])


def _decimal_cells(scores: ColumnScores, redone: Mapping[int, Mapping[str, Any]], c: str
                   ) -> list[Any]:
    """Total column ``c`` of every row as the records hold it (Decimals, None)."""
    lows, highs = scores.total_low, scores.total_high
    if c == "total":
        out = [lo if lo == hi else None for lo, hi in zip(lows, highs)]
    else:
        out = list(lows if c == "total_low" else highs)
    for i, rec in redone.items():
        out[i] = rec.get(c)
    return out
