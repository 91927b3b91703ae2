"""Batch scoring: many units from a spreadsheet, one scored line per unit.

Input (CSV, XLSX or JSON Lines) holds one unit per row; columns are fact names, plus an
optional ``id`` or ``unit`` column naming the unit. A cell may carry its unit
(``"628 亿元"``), otherwise the ruleset's declared unit applies. An empty cell is a
missing fact (by default the unit is scored as the range of scores it could get: the
policy's ``missing`` option in docs/ruleset-format.md), unless ``complete=True``, which
makes any missing input fact an error for that row. Reading and writing the files is
``io.tabular``'s; this module scores the rows.

A bad row (unparsable or out-of-domain value, wrong unit, unknown category, a JSON line
that is not an object, a missing value with ``complete=True``, a row the reader could
not decode, a spreadsheet error value such as ``#DIV/0!``, a unit name with a control
character, and anything else that goes wrong while scoring that one row: a number too
large to compute with, nesting too deep) becomes an error row with its row number and
reason; every other row is still scored, in one process or in worker processes alike.
Error text is printable (control characters escaped) and at most ``ERROR_TEXT_LIMIT``
characters. Row numbers are those a
spreadsheet shows: the header is row 1, the first unit row 2 (CSV, XLSX); JSON Lines
count lines from 1. Title rows, units in headers, 项目名称 and passed-through columns
(序号, 备注) are read as ``io.sheet_layout`` says; a column close to a fact's name, or a
derived fact, is a file-level error.

Output (CSV, XLSX or JSON Lines) has one line per input row, in input order: ``row``,
``unit``, one column per node in table order (each indicator, subtotal and the total:
the score, ``low–high`` when facts are missing, or ``不适用`` for a row or group that
is not applicable to the unit), ``total``, ``total_low``,
``total_high``, ``grade`` (``优``, or ``优/良``, best first, when the range spans grades),
``rescaled`` (how the total was rescaled to the applicable rows, ``按适用指标折算：88.90 /
90 × 100 = 98.78``, when rows are not applicable; else empty), ``missing_facts``,
``warnings`` (the unit's fact warnings: plain numbers read for % facts, violated
constraints, joined by ``"; "``) and ``error`` (empty unless the row failed). Errors
are also printed on stderr as ``FILE:ROW: reason``. Output files are written whole or not at all (a
temporary file in the same directory, renamed at the end). CSV to CSV goes through the
column engine (``batch_csv``, in one process), every row it does not settle through
the per-unit path here: the same bytes either way.
"""

from __future__ import annotations

import functools
import os
import re
import signal
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import IO, Any

import attrs

from .batch_csv import column_ready, csv_lines, fact_check, write_lines
from .engine.compiled import Scores, score_only
from .engine.evaluation import Result, evaluate
from .engine.plan import plan_of
from .errors import RubricError
from .facts import MISSING, not_applicable_text
from .i18n import translate
from .io.files import check_output_path
from .io.parquet_files import write_parquet
from .io.tabular import (
    FORMATS,
    UNIT_COLUMNS,
    SourceRow,
    decimal_text,
    input_format,
    output_format_of,
    read_table,
    write_records,
)
from .text import escaped
from .tree import Ruleset

__all__ = [
    "AUTO_JOBS_FROM",
    "ERROR_TEXT_LIMIT",
    "NOT_APPLICABLE_TEXT",
    "WARNING_SEPARATOR",
    "BatchRow",
    "BatchSummary",
    "batch_columns",
    "row_record",
    "score_batch",
    "score_file",
    "score_parallel",
    "write_rows",
]

#: the cell of a node that is not assessed for the unit (never a 0, which reads as a score)
NOT_APPLICABLE_TEXT = "不适用"
#: with ``jobs=None``, files of at least this many rows are scored on every CPU core
AUTO_JOBS_FROM = 5000
#: a row's error text is cut to this many characters (a reason may quote a long cell)
ERROR_TEXT_LIMIT = 500
#: between two of a row's warnings in the ``warnings`` column
WARNING_SEPARATOR = "; "


@attrs.frozen
class BatchRow:
    """One input row: its number, the unit's name, and its ``Result`` or an error."""

    row: int
    unit: str
    result: Result | None = attrs.field(default=None, repr=False)
    error: str | None = None
    #: the output line, when a worker process scored the row (``result`` stays None)
    record: dict[str, Any] | None = attrs.field(default=None, repr=False, eq=False)

    @property
    def ok(self) -> bool:
        return self.error is None


@attrs.frozen
class BatchSummary:
    """What a batch run did: rows scored, rows that failed (row number, reason)."""

    scored: int
    errors: tuple[tuple[int, str], ...]
    seconds: float

    @property
    def rows(self) -> int:
        return self.scored + len(self.errors)


# ------------------------------------------------------------------------------ scoring


def score_batch(
    ruleset: Ruleset,
    rows: Iterable[Mapping[str, Any] | SourceRow],
    *,
    first_row: int = 1,
    complete: bool = False,
    records_only: bool = False,
    lang: str = "en",
) -> Iterator[BatchRow]:
    """Score each row; yield a ``BatchRow`` per row, in order, errors included.

    ``rows`` are fact mappings (numbered from ``first_row``) or ``(row_number,
    mapping)`` pairs as the readers yield them (the mapping may be an exception: a
    row the reader could not parse). An ``id`` or ``unit`` key names the unit.
    With ``records_only`` a row carries its output record (``BatchRow.record``) instead
    of a ``Result``, scored by the compiled scores-only path (``rubric.score_only``).
    A row's error is in ``lang`` (``RubricError.text``: English, or ``zh``).
    """
    inputs = tuple(s.name for s in ruleset.input_facts())
    facts_from = plan_of(ruleset).coerce
    number = first_row - 1
    for item in rows:
        if type(item) is tuple:
            number, data = item
        else:
            number += 1
            data = item  # type: ignore[assignment]
        if isinstance(data, Exception):
            yield BatchRow(number, f"row {number}", None, _error_text(data, lang))
            continue
        unit = f"row {number}"
        try:
            values = dict(data)
            unit = _unit_name(values, number)
            bad_name = _name_error(unit)
            if bad_name is not None:
                unit = _printable(unit)
                raise bad_name
            if complete:
                absent = [n for n in inputs if _blank(v := values.get(n))  # or a lone -
                          or (type(v) is str and not_applicable_text(v.strip()) is MISSING)]
                if absent:
                    raise RubricError("missing value for " + ", ".join(absent),
                                      expected="a value for every input fact (complete=True)")
            if records_only:
                scores = score_only(ruleset, values)  # converts, or raises FactError
                yield BatchRow(number, unit, None, None, _scores_record(ruleset, number, unit,
                                                                        scores))
            else:
                yield BatchRow(number, unit, evaluate(ruleset, facts_from(values)))
        except Exception as exc:  # noqa: BLE001 - whatever fails in one row is that row's error
            yield BatchRow(number, unit, None, _error_text(exc, lang))


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _printable(text: str) -> str:
    """``text`` with control characters and lone surrogates written as escapes."""
    return escaped(text, _UNPRINTABLE)


def _error_text(exc: BaseException, lang: str = "en") -> str:
    """A row's error as one printable line in ``lang``: the RubricError's message, or what
    an unexpected failure was (a number too large, nesting too deep), never a traceback."""
    if isinstance(exc, RubricError):
        text = exc.text(lang)
    elif isinstance(exc, ArithmeticError):
        text = (f"a number is too large, too small or too precise to compute with "
                f"({type(exc).__module__}.{type(exc).__name__})")
    elif isinstance(exc, RecursionError):
        text = "a value is nested too deeply to score"
    else:
        text = f"cannot score this row ({type(exc).__name__}: {exc})"
    if not isinstance(exc, RubricError):
        text = translate(text, lang)
    text = _printable(text)
    if len(text) > ERROR_TEXT_LIMIT:
        text = text[:ERROR_TEXT_LIMIT - 1] + "…"
    return text


def _scores_record(ruleset: Ruleset, number: int, unit: str, scores: Scores
                   ) -> dict[str, Any]:
    """The output line of ``row_record`` from a ``Scores`` (no ``Result`` needed)."""
    rec: dict[str, Any] = {"row": number, "unit": unit}
    for i, (step, low, high) in enumerate(zip(plan_of(ruleset).steps, scores.lows, scores.highs)):
        if not scores.is_applicable(i):
            rec[step.node.id] = NOT_APPLICABLE_TEXT
        else:
            rec[step.node.id] = low if low == high else f"{decimal_text(low)}–{decimal_text(high)}"
    rec["total"] = scores.total
    rec["total_low"] = scores.lows[-1]
    rec["total_high"] = scores.highs[-1]
    rec["grade"] = scores.grade if scores.grade is not None else "/".join(scores.grades)
    rec["rescaled"] = None if scores.rescaled is None else scores.rescaled.text()
    rec["missing_facts"] = ", ".join(scores.missing) or None
    rec["warnings"] = WARNING_SEPARATOR.join(scores.warnings) or None
    rec["error"] = None
    return rec


def _unit_name(values: dict[str, Any], number: int) -> str:
    name = None
    for key in UNIT_COLUMNS:
        if key in values:
            raw = values.pop(key)
            if name is None and not _blank(raw):
                name = str(raw).strip()
    return name if name is not None else f"row {number}"


def _name_error(name: str) -> RubricError | None:
    """Why a unit name cannot be shown or written (a control character in it), or None."""
    m = _UNPRINTABLE.search(name)
    if m is None:
        return None
    return RubricError(f"unit name contains a control character (U+{ord(m.group()):04X})",
                       expected="a unit name of printable characters")


def _blank(value: object) -> bool:
    return value is None or value is MISSING or (isinstance(value, str) and not value.strip())


# ------------------------------------------------------------------------------- output


_WORKER_RULESET: Ruleset | None = None


def auto_jobs(total: int | None) -> int:
    """``--jobs auto``: worker processes only where they pay off — a file known to hold
    ``AUTO_JOBS_FROM`` rows or more, on a machine with more than two cores (one core
    feeds the pool; measured on two cores, two workers were slower than one process)."""
    cores = os.cpu_count() or 1
    if cores <= 2 or total is None or total < AUTO_JOBS_FROM:
        return 1
    return cores - 1


def _worker_init(ruleset: Ruleset) -> None:
    global _WORKER_RULESET  # noqa: PLW0603 - process-pool initializer: one ruleset per worker
    _WORKER_RULESET = ruleset
    # A worker forked while the parent writes its output inherits the parent's SIGTERM
    # handler (which removes the parent's temporary file); the pool stops its workers
    # with SIGTERM, so they take the default action.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _worker_score(chunk: list[SourceRow], complete: bool, as_text: bool, lang: str = "en"
                  ) -> list[BatchRow]:
    assert _WORKER_RULESET is not None
    out = []
    rows = score_batch(_WORKER_RULESET, chunk, complete=complete, records_only=True, lang=lang)
    for (number, _data), row in zip(chunk, rows):
        try:
            record = row.record
            if record is not None and as_text:  # strings pickle far cheaper than Decimals
                record = {k: (decimal_text(v) if type(v) is Decimal else v)
                          for k, v in record.items()}
            out.append(BatchRow(row.row, row.unit, None, row.error, record))
        except Exception as exc:  # noqa: BLE001 - one row's failure stays that row's
            out.append(BatchRow(number, row.unit, None, _error_text(exc, lang)))
    return out


def _chunks(rows: Iterable[Mapping[str, Any] | SourceRow], size: int, first_row: int
            ) -> Iterator[list[SourceRow]]:
    chunk: list[SourceRow] = []
    number = first_row - 1
    for item in rows:
        if type(item) is tuple:
            number = item[0]
            chunk.append(item)
        else:
            number += 1
            chunk.append((number, item))  # type: ignore[arg-type]
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def score_parallel(ruleset: Ruleset, rows: Iterable[Mapping[str, Any] | SourceRow], *,
                   jobs: int, first_row: int = 1, complete: bool = False,
                   chunk_size: int = 500, as_text: bool = False, lang: str = "en"
                   ) -> Iterator[BatchRow]:
    """Like ``score_batch`` over ``jobs`` worker processes, in input order.

    Each worker gets the ruleset once; rows travel in chunks and come back as output
    records (``BatchRow.record``), not ``Result`` objects; with ``as_text`` the scores
    in them are already decimal strings. ``jobs <= 1`` is ``score_batch``.
    """
    if jobs <= 1:
        yield from score_batch(ruleset, rows, first_row=first_row, complete=complete,
                               records_only=True, lang=lang)
        return
    import multiprocessing

    with multiprocessing.get_context().Pool(jobs, _worker_init, (ruleset,)) as pool:
        work = pool.imap(functools.partial(_worker_score, complete=complete, as_text=as_text,
                                           lang=lang),
                         _chunks(rows, chunk_size, first_row))
        for chunk in work:
            yield from chunk


def batch_columns(ruleset: Ruleset, passthrough: Iterable[str] = ()) -> list[str]:
    """Output columns: row, unit, the input's passed-through columns (``序号``, ``备注``:
    ``io.sheet_layout``; one named like an output column is left out), each node in
    table order, then the total's columns."""
    nodes = [node.id for node, _d in ruleset.walk()]
    tail = [*nodes, "total", "total_low", "total_high", "grade", "rescaled",
            "missing_facts", "warnings", "error"]
    taken = {"row", "unit", *tail}
    return ["row", "unit", *(c for c in passthrough if c not in taken), *tail]


def row_record(row: BatchRow) -> dict[str, Any]:
    """One output line as a dict: Decimals for settled scores, ``"low–high"`` text for
    ranges, ``None`` for empty cells (the columns of ``batch_columns``)."""
    if row.record is not None:
        return row.record
    rec: dict[str, Any] = {"row": row.row, "unit": row.unit}
    result = row.result
    if result is None:
        rec["error"] = row.error
        return rec
    for step, record in zip(plan_of(result.ruleset).steps, result.records):  # no NodeResult tree
        low, high, applicable = record.low, record.high, record.applicable
        if not applicable:
            rec[step.node.id] = NOT_APPLICABLE_TEXT
        else:
            rec[step.node.id] = low if low == high else f"{decimal_text(low)}–{decimal_text(high)}"
    rec["total"] = result.score
    rec["total_low"] = result.low
    rec["total_high"] = result.high
    rec["grade"] = result.grade if result.grade is not None else "/".join(result.grades)
    rec["rescaled"] = result.rescaling_text()
    rec["missing_facts"] = ", ".join(result.missing) or None
    rec["warnings"] = WARNING_SEPARATOR.join(result.fact_warnings) or None
    rec["error"] = None
    return rec


def write_rows(rows: Iterable[BatchRow], path: str | os.PathLike[str] | None, ruleset: Ruleset,
               fmt_name: str | None = None, *, stream: IO[str] | None = None,
               passthrough: Iterable[str] = (),
               extras: dict[int, Mapping[str, Any]] | None = None) -> BatchSummary:
    """Write scored rows as CSV, XLSX or JSON Lines (atomically when ``path`` is given,
    else to ``stream``); returns the summary (errors with their row numbers).
    ``passthrough`` columns take their cells from ``extras`` (row number -> cells)."""
    kind = fmt_name or (input_format(path) if path is not None else "csv")
    if kind not in FORMATS:
        raise RubricError(f"unknown output format '{kind}'",
                          expected="csv, xlsx, jsonl or parquet")
    columns = batch_columns(ruleset, passthrough)
    counter = _Counter(rows)
    start = time.perf_counter()
    records: Iterable[dict[str, Any]] = map(row_record, counter)
    if extras is not None:
        kept = extras
        records = ({**rec, **{k: v for k, v in kept.pop(rec["row"], {}).items()
                              if k not in rec}} for rec in records)
    if kind == "parquet":  # exact decimal128 totals at the policy's precision
        write_parquet(records, columns, path, scale=ruleset.policy.precision)
    else:
        write_records(records, columns, path, kind, stream=stream)
    return BatchSummary(counter.scored, tuple(counter.errors), time.perf_counter() - start)


class _Counter:
    """Passes rows through, counting scored rows and collecting errors."""

    def __init__(self, rows: Iterable[BatchRow]) -> None:
        self.rows = rows
        self.scored = 0
        self.errors: list[tuple[int, str]] = []

    def __iter__(self) -> Iterator[BatchRow]:
        for row in self.rows:
            if row.error is None:
                self.scored += 1
            else:
                self.errors.append((row.row, row.error))
            yield row


# ------------------------------------------------------------------ file in, file out


class _Progress:
    """A one-line progress counter on stderr (only when stderr is a terminal)."""

    def __init__(self, total: int | None, enabled: bool, stream: IO[str]) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream
        self.start = self.last = time.perf_counter()
        self.count = 0

    def wrap(self, rows: Iterable[BatchRow]) -> Iterator[BatchRow]:
        for row in rows:
            self.count += 1
            if self.enabled and self.count % 200 == 0:
                now = time.perf_counter()
                if now - self.last >= 0.2:
                    self.last = now
                    self._show(now)
            yield row
        self.finish()

    def advance(self, count: int) -> None:
        """``count`` more rows done (shown at most every 0.2 s)."""
        self.count += count
        now = time.perf_counter()
        if self.enabled and now - self.last >= 0.2:
            self.last = now
            self._show(now)

    def finish(self) -> None:
        """The last count, and the end of the progress line."""
        if self.enabled and self.count:
            self._show(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()

    def _show(self, now: float) -> None:
        rate = self.count / max(now - self.start, 1e-9)
        of = f"/{self.total}" if self.total else ""
        self.stream.write(f"\r{self.count}{of} units  {rate:,.0f} units/s")
        self.stream.flush()


def score_file(ruleset: Ruleset, source: str | os.PathLike[str],
               output: str | os.PathLike[str] | None, *, output_format: str | None = None,
               complete: bool = False, progress: bool = False, encoding: str = "utf-8-sig",
               stream: IO[str] | None = None, errors: IO[str] | None = None,
               jobs: int | None = 1, columns: Mapping[str, str] | None = None,
               lang: str = "en") -> BatchSummary:
    """Read ``source``, score every row, write ``output``; errors go to ``errors``
    (default stderr) as ``SOURCE:ROW: reason`` and into the output's ``error`` column.
    ``jobs`` > 1 scores in that many worker processes (same output, same order);
    ``None`` decides by ``auto_jobs``. ``columns`` maps headers to facts
    (``io.sheet_layout``); passed-through columns are written after ``unit``. Row errors
    are in ``lang`` (English by default; ``zh``: Chinese, ``RubricError.text``)."""
    err = errors or sys.stderr
    if output is not None:
        check_output_path(output)
    try:
        fmt_name: str | None = output_format_of(output, output_format, source)
        by_columns = fmt_name == "csv" and input_format(source) == "csv"
    except RubricError:  # reported below, after the input's own errors
        fmt_name, by_columns = None, False
    if by_columns:  # CSV to CSV: by columns
        layout, cells, total = read_table(source, ruleset, encoding=encoding,
                                          columns=columns, cells=True)
        bar = _Progress(total, progress, err)
        if column_ready(ruleset, layout):
            assert layout is not None
            return _by_columns(ruleset, layout.header, cells, output, stream, err, bar,
                               complete, lang, os.fspath(source))
        rows = _mappings(cells, layout)
    else:
        layout, rows, total = read_table(source, ruleset, encoding=encoding, columns=columns)
    passthrough = layout.passthrough if layout is not None else ()
    extras: dict[int, Mapping[str, Any]] = {}
    if passthrough:
        rows = _stash(rows, extras)
    if jobs is None:
        jobs = auto_jobs(total)
    bar = _Progress(total, progress, err)
    if fmt_name is None:
        fmt_name = output_format_of(output, output_format, source)
    scored = bar.wrap(score_parallel(ruleset, rows, jobs=jobs, complete=complete,
                                     as_text=fmt_name != "xlsx", lang=lang))
    name = os.fspath(source)

    def report(rows: Iterable[BatchRow]) -> Iterator[BatchRow]:
        for row in rows:
            if row.error is not None:
                if bar.enabled:
                    err.write("\n")
                err.write(f"{name}:{row.row}: {row.unit}: {row.error}\n")
            yield row

    return write_rows(report(scored), output, ruleset, fmt_name, stream=stream,
                      passthrough=passthrough, extras=extras if passthrough else None)


def _stash(rows: Iterator[SourceRow], extras: dict[int, Mapping[str, Any]]
           ) -> Iterator[SourceRow]:
    """Rows as read, keeping each row's passed-through cells (by row number) for output."""
    for number, data in rows:
        kept = getattr(data, "extras", None)
        if kept:
            extras[number] = kept
        yield number, data


def _mappings(rows: Iterator[Any], layout: Any) -> Iterator[SourceRow]:
    """CSV rows read as cells (``read_table(cells=True)``) as ``read_table`` yields them."""
    if layout is None:
        return
    header, plain = layout.header, layout.plain
    for number, cells in rows:
        if isinstance(cells, Exception):
            yield number, cells
        else:
            data = dict(zip(header, cells))
            yield number, (data if plain else layout.apply(data))


def _by_columns(ruleset: Ruleset, header: Iterable[str], cells: Iterator[Any],
                output: str | os.PathLike[str] | None, stream: IO[str] | None, err: IO[str],
                bar: _Progress, complete: bool, lang: str, name: str) -> BatchSummary:
    """CSV to CSV through the column engine (``batch_csv``): the same file, lines and
    error lines as the per-unit path, whose rows it sends there."""
    out_columns = batch_columns(ruleset)
    start = time.perf_counter()
    errors: list[tuple[int, str]] = []
    scored = 0

    def per_unit(rows: list[SourceRow]) -> Iterator[tuple[str, str | None, Any]]:
        for row in score_batch(ruleset, rows, complete=complete, records_only=True,
                               lang=lang):
            yield row.unit, row.error, row_record(row)

    refused = fact_check(ruleset, lambda exc: _error_text(exc, lang))

    def texts() -> Iterator[str]:
        nonlocal scored
        for chunk in csv_lines(ruleset, list(header), cells, out_columns, per_unit,
                               complete=complete, refused=refused):
            for number, unit, error in chunk.failed:
                if bar.enabled:
                    err.write("\n")
                err.write(f"{name}:{number}: {unit}: {error}\n")
                errors.append((number, error))
            scored += chunk.scored
            bar.advance(chunk.rows)
            yield chunk.text
        bar.finish()

    write_lines(texts(), out_columns, output, stream=stream)
    return BatchSummary(scored, tuple(errors), time.perf_counter() - start)
