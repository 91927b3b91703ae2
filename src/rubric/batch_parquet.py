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
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from .batch import BatchRow, BatchSummary, row_record, score_batch, write_rows
from .collector import paused
from .columnar import python_cell, score_columns
from .errors import RubricError
from .io.files import check_output_path, output_target
from .io.parquet_files import read_parquet
from .io.tabular import SUFFIXES, input_format
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
    if output_format:
        fmt_name = output_format
    elif output is None or (output_target(output) != "file"
                            and Path(output).suffix.lower() not in SUFFIXES):
        fmt_name = "csv"
    else:
        fmt_name = input_format(output)
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
