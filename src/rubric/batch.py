"""Batch scoring: many units from a spreadsheet, one scored line per unit.

Input (CSV, XLSX or JSON Lines) holds one unit per row; columns are fact names, plus an
optional ``id`` or ``unit`` column naming the unit. A cell may carry its unit
(``"628 亿元"``), otherwise the ruleset's declared unit applies. An empty cell is a
missing fact (the unit is scored as a range, domain.md §3.7), unless ``complete=True``,
which makes any missing input fact an error for that row.

A bad row (unparsable or out-of-domain value, wrong unit, unknown category, a JSON line
that is not an object, a missing value with ``complete=True``) becomes an error row with
its row number and reason; every other row is still scored. Row numbers are those a
spreadsheet shows: the header is row 1, the first unit row 2 (CSV, XLSX); JSON Lines
count lines from 1. A column that is not a declared input fact is a file-level error.

Output (CSV, XLSX or JSON Lines) has one line per input row, in input order: ``row``,
``unit``, one column per node in table order (each indicator, subtotal and the total:
the score, ``low–high`` when facts are missing, or ``不适用`` for a row or group that
is not applicable to the unit), ``total``, ``total_low``,
``total_high``, ``grade`` (``优``, or ``优/良``, best first, when the range spans grades),
``missing_facts`` and ``error`` (empty unless the row failed). Errors are also printed
on stderr as ``FILE:ROW: reason``. Output files are written whole or not at all (a
temporary file in the same directory, renamed at the end).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, cast

import attrs

from .engine.compiled import Scores, score_only
from .engine.evaluation import Result, evaluate
from .engine.plan import plan_of
from .errors import LoadError, Problem, RubricError
from .facts import MISSING, suggest
from .text import fmt
from .tree import Ruleset

__all__ = [
    "FORMATS",
    "UNIT_COLUMNS",
    "BatchRow",
    "BatchSummary",
    "batch_columns",
    "check_input_file",
    "check_output_path",
    "check_text_file",
    "read_rows",
    "row_record",
    "run_batch_command",
    "score_batch",
    "score_file",
    "score_parallel",
    "write_rows",
]

FORMATS = ("csv", "xlsx", "jsonl")
UNIT_COLUMNS = ("id", "unit")
_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}

#: the cell of a node that is not assessed for the unit (never a 0, which reads as a score)
NOT_APPLICABLE_TEXT = "不适用"
SourceRow = tuple[int, "Mapping[str, Any] | Exception"]
#: with ``jobs=None``, files of at least this many rows are scored on every CPU core
AUTO_JOBS_FROM = 5000


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
) -> Iterator[BatchRow]:
    """Score each row; yield a ``BatchRow`` per row, in order, errors included.

    ``rows`` are fact mappings (numbered from ``first_row``) or ``(row_number,
    mapping)`` pairs as the readers yield them (the mapping may be an exception: a
    row the reader could not parse). An ``id`` or ``unit`` key names the unit.
    With ``records_only`` a row carries its output record (``BatchRow.record``) instead
    of a ``Result``, scored by the compiled scores-only path (``rubric.score_only``).
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
            yield BatchRow(number, f"row {number}", None, str(data))
            continue
        values = dict(data)
        unit = _unit_name(values, number)
        try:
            if complete:
                absent = [n for n in inputs if _blank(values.get(n))]
                if absent:
                    raise RubricError("missing value for " + ", ".join(absent),
                                      expected="a value for every input fact (complete=True)")
            if records_only:
                scores = score_only(ruleset, values)  # converts, or raises FactError
                yield BatchRow(number, unit, None, None, _scores_record(ruleset, number, unit,
                                                                        scores))
            else:
                yield BatchRow(number, unit, evaluate(ruleset, facts_from(values)))
        except RubricError as exc:
            yield BatchRow(number, unit, None, str(exc))


def _scores_record(ruleset: Ruleset, number: int, unit: str, scores: Scores
                   ) -> dict[str, Any]:
    """The output line of ``row_record`` from a ``Scores`` (no ``Result`` needed)."""
    rec: dict[str, Any] = {"row": number, "unit": unit}
    for i, (step, low, high) in enumerate(zip(plan_of(ruleset).steps, scores.lows, scores.highs)):
        if not scores.is_applicable(i):
            rec[step.node.id] = NOT_APPLICABLE_TEXT
        else:
            rec[step.node.id] = low if low == high else f"{_dec_text(low)}–{_dec_text(high)}"
    rec["total"] = scores.total
    rec["total_low"] = scores.lows[-1]
    rec["total_high"] = scores.highs[-1]
    rec["grade"] = scores.grade if scores.grade is not None else "/".join(scores.grades)
    rec["missing_facts"] = ", ".join(scores.missing) or None
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


def _blank(value: object) -> bool:
    return value is None or value is MISSING or (isinstance(value, str) and not value.strip())


# -------------------------------------------------------------------------------- input


def input_format(path: str | os.PathLike[str]) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise RubricError(f"cannot tell the format of '{os.fspath(path)}' from its suffix",
                          expected="a .csv, .xlsx or .jsonl file", example="units.csv")
    return _SUFFIXES[suffix]


def read_rows(path: str | os.PathLike[str], ruleset: Ruleset, *, fmt_name: str | None = None,
              encoding: str = "utf-8-sig") -> tuple[Sequence[str], Iterator[SourceRow], int | None]:
    """Open a batch input: (its columns, an iterator of (row number, mapping), row count
    if known). Columns that are neither input facts nor ``id``/``unit`` raise LoadError
    (every one listed, with a suggestion); JSON Lines are checked row by row."""
    kind = fmt_name or input_format(path)
    name = os.fspath(path)
    if kind == "csv":
        fh = _open_text(name, encoding, newline="")
        try:
            reader = csv.reader(fh)
            header = next(reader, None)
        except UnicodeDecodeError:
            fh.close()
            raise _not_utf8(name) from None
        if header is None:
            fh.close()
            return [], iter(()), 0
        header = _trim_header([h.strip() for h in header])
        try:
            _check_columns(header, ruleset, name)
        except BaseException:
            fh.close()
            raise
        return header, _csv_rows(fh, reader, header, name), None
    if kind == "xlsx":
        wb, formulas = _open_xlsx(name)
        try:
            ws = wb.worksheets[0]
            it = ws.iter_rows()
            first = next(it, None)
            if first is None:
                raise _Empty
            header = _trim_header(["" if c.value is None else str(c.value).strip()
                                   for c in first])
            _check_columns(header, ruleset, name)
        except _Empty:
            wb.close()
            formulas.close()
            return [], iter(()), 0
        except BaseException:
            wb.close()
            formulas.close()
            raise
        total = ws.max_row - 1 if ws.max_row else None
        formula_rows = formulas.worksheets[0].iter_rows(min_row=2, values_only=True)
        return header, _xlsx_rows(wb, formulas, it, formula_rows, header), total
    if kind == "jsonl":
        fh = _open_text(name, encoding)
        return [], _jsonl_rows(fh, ruleset, name), None
    raise RubricError(f"unknown input format '{kind}'", expected="csv, xlsx or jsonl")


def _check_columns(header: Sequence[str], ruleset: Ruleset, file: str) -> None:
    known = {s.name for s in ruleset.input_facts()}
    problems = []
    seen: set[str] = set()
    for i, col in enumerate(header, start=1):
        if col in seen:
            problems.append(Problem(f"column '{col}' appears twice", file=file, line=1, col=i,
                                    expected="each fact in one column"))
        seen.add(col)
        if not col:
            problems.append(Problem(f"column {i} has no header", file=file, line=1, col=i,
                                    expected="a fact name in every column's header "
                                    "(delete the column if it is not needed)",
                                    example=next(iter(sorted(known)), None)))
            continue
        if col in UNIT_COLUMNS or col in known:
            continue
        spec = ruleset.specs.get(col)
        if spec is not None and spec.derived:
            message = f"column '{col}' is a derived fact ({spec.formula}); give its inputs"
        else:
            hint = suggest(col, known)
            message = f"column '{col}' is not an input fact of the ruleset" + (
                f" (did you mean '{hint}'?)" if hint else "")
        problems.append(Problem(message, file=file, line=1, col=i,
                                expected="input fact names, and optionally id or unit",
                                example=next(iter(sorted(known)), None)))
    if problems:
        raise LoadError(problems)


class _Empty(Exception):
    """An XLSX sheet with no rows at all."""


def _trim_header(header: list[str]) -> list[str]:
    """Drop empty header cells at the end (spreadsheets keep formatted blank columns);
    an empty header between named columns stays, for ``_check_columns`` to refuse."""
    while header and not header[-1]:
        header.pop()
    return header


def _open_text(name: str, encoding: str, newline: str | None = None) -> IO[str]:
    """Open an input text file, with a clear message when it is missing or a folder."""
    check_input_file(name)
    return open(name, encoding=encoding, newline=newline)


def _not_utf8(name: str) -> RubricError:
    return RubricError("not UTF-8 text (save it as UTF-8)", where=name,
                       expected="a UTF-8 encoded file")


def _open_xlsx(name: str) -> tuple[Any, Any]:
    """The workbook twice, read-only: cached values, and formulas (to tell a formula
    cell with no cached value from an empty one). A file that is not XLSX is refused."""
    import zipfile

    openpyxl = _openpyxl()
    from openpyxl.utils.exceptions import InvalidFileException

    check_input_file(name)
    try:
        values = openpyxl.load_workbook(name, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, EOFError) as exc:
        raise RubricError(f"not an XLSX file ({type(exc).__name__}: {exc})", where=name,
                          expected="a workbook saved by Excel or LibreOffice as .xlsx",
                          example="units.xlsx") from None
    return values, openpyxl.load_workbook(name, read_only=True, data_only=False)


def check_input_file(name: str | os.PathLike[str]) -> Path:
    """``name`` as a Path, if it is an existing regular file; else a clear RubricError
    (no such file, a directory, an empty name): file arguments are always paths."""
    text = os.fspath(name)
    if not text.strip():
        raise RubricError("empty file name", expected="a path to a file",
                          example="facts.yaml")
    path = Path(text)
    if path.is_dir():
        raise RubricError("is a directory, not a file", where=text, expected="a path to a file")
    if not path.exists():
        raise RubricError("no such file", where=text, expected="a path to an existing file")
    return path


def check_text_file(name: str | os.PathLike[str]) -> Path:
    """``check_input_file``, and the file must be UTF-8 text (rulesets, facts, claimed
    tables and cases are small: decoding them once up front costs nothing)."""
    path = check_input_file(name)
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise _not_utf8(os.fspath(name)) from None
    return path


def _csv_rows(fh: IO[str], reader: Any, header: Sequence[str], name: str
              ) -> Iterator[SourceRow]:
    with fh:
        width = len(header)
        try:
            for number, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > width and any(c.strip() for c in cells[width:]):
                    yield number, RubricError(
                        f"row has {len(cells)} cells but the header has {width}",
                        expected="one cell per column")
                    continue
                yield number, dict(zip(header, cells))
        except UnicodeDecodeError:
            raise _not_utf8(name) from None


def _xlsx_value(cell: Any) -> Any:
    """A cell's value as the user sees it: a number formatted as a percentage (0.95
    shown as 95%) is the text "95%", never 0.95."""
    value = cell.value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number_format = getattr(cell, "number_format", None) or ""
        if "%" in number_format:
            return fmt(Decimal(str(value)) * 100) + "%"
    return value


_FORMULA_ERROR = ("formula cell without a cached value in column '{}'; "
                  "open and save the file in Excel")


def _xlsx_rows(wb: Any, formulas: Any, it: Iterator[tuple[Any, ...]],
               formula_rows: Iterator[tuple[Any, ...]], header: Sequence[str]
               ) -> Iterator[SourceRow]:
    width = len(header)
    try:
        for number, row in enumerate(it, start=2):
            raw = next(formula_rows, ())
            cells = [_xlsx_value(c) for c in row]
            uncached = [header[i] if i < width else f"#{i + 1}"
                        for i, (c, f) in enumerate(zip(cells, raw))
                        if c is None and isinstance(f, str) and f.startswith("=")]
            if uncached:
                yield number, RubricError(_FORMULA_ERROR.format(", ".join(uncached)),
                                          expected="a value (formulas need their saved result)")
                continue
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            if any(c is not None and not (isinstance(c, str) and not c.strip())
                   for c in cells[width:]):
                yield number, RubricError(f"row has {len(cells)} cells but the header has "
                                          f"{width}", expected="one cell per column")
                continue
            yield number, dict(zip(header, cells))
    finally:
        wb.close()
        formulas.close()


def _jsonl_rows(fh: IO[str], ruleset: Ruleset, name: str) -> Iterator[SourceRow]:
    with fh:
        try:
            yield from _jsonl_lines(fh)
        except UnicodeDecodeError:
            raise _not_utf8(name) from None


def _jsonl_lines(fh: IO[str]) -> Iterator[SourceRow]:
    for number, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            yield number, RubricError(f"not valid JSON: {exc.msg} (column {exc.colno})",
                                      expected="one JSON object per line",
                                      example='{"id": "A", "预算数": 100}')
            continue
        if not isinstance(data, dict):
            yield number, RubricError("a JSON line must be an object",
                                      example='{"id": "A", "预算数": 100}')
            continue
        yield number, data


# ------------------------------------------------------------------------------- output


_WORKER_RULESET: Ruleset | None = None


def _worker_init(ruleset: Ruleset) -> None:
    global _WORKER_RULESET  # noqa: PLW0603 - process-pool initializer: one ruleset per worker
    _WORKER_RULESET = ruleset


def _worker_score(chunk: list[SourceRow], complete: bool, as_text: bool) -> list[BatchRow]:
    assert _WORKER_RULESET is not None
    out = []
    for row in score_batch(_WORKER_RULESET, chunk, complete=complete, records_only=True):
        record = row.record
        if record is not None and as_text:  # strings pickle far cheaper than Decimals
            record = {k: (_dec_text(v) if type(v) is Decimal else v) for k, v in record.items()}
        out.append(BatchRow(row.row, row.unit, None, row.error, record))
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
                   chunk_size: int = 500, as_text: bool = False) -> Iterator[BatchRow]:
    """Like ``score_batch`` over ``jobs`` worker processes, in input order.

    Each worker gets the ruleset once; rows travel in chunks and come back as output
    records (``BatchRow.record``), not ``Result`` objects; with ``as_text`` the scores
    in them are already decimal strings. ``jobs <= 1`` is ``score_batch``.
    """
    if jobs <= 1:
        yield from score_batch(ruleset, rows, first_row=first_row, complete=complete,
                               records_only=True)
        return
    import multiprocessing

    with multiprocessing.get_context().Pool(jobs, _worker_init, (ruleset,)) as pool:
        work = pool.imap(functools.partial(_worker_score, complete=complete, as_text=as_text),
                         _chunks(rows, chunk_size, first_row))
        for chunk in work:
            yield from chunk


def batch_columns(ruleset: Ruleset) -> list[str]:
    """Output columns: row, unit, each node in table order, then the total's columns."""
    nodes = [node.id for node, _d in ruleset.walk()]
    return ["row", "unit", *nodes, "total", "total_low", "total_high", "grade",
            "missing_facts", "error"]


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
        low, high, applicable = record[0], record[1], record[2]
        if not applicable:
            rec[step.node.id] = NOT_APPLICABLE_TEXT
        else:
            rec[step.node.id] = low if low == high else f"{_dec_text(low)}–{_dec_text(high)}"
    rec["total"] = result.score
    rec["total_low"] = result.low
    rec["total_high"] = result.high
    rec["grade"] = result.grade if result.grade is not None else "/".join(result.grades)
    rec["missing_facts"] = ", ".join(result.missing) or None
    rec["error"] = None
    return rec


_DEC_TEXT: dict[Decimal, str] = {}


def _dec_text(value: Decimal) -> str:
    """``fmt(value)``, remembered: scores repeat a lot (0, 2.5, 5 ...)."""
    text = _DEC_TEXT.get(value)
    if text is None:
        text = fmt(value)
        if len(_DEC_TEXT) < 4096:
            _DEC_TEXT[value] = text
    return text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return value
    if type(value) is Decimal:
        return _dec_text(value)
    return str(value)


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """The folder an output file goes to, if ``path`` can be written there; else a
    RubricError naming ``path`` (checked before any input is read)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise RubricError("is a directory, not a file", where=os.fspath(path),
                          expected="an output file name", example="scores.csv")
    if not folder.is_dir():
        raise RubricError(f"cannot write: folder '{folder}' does not exist",
                          where=os.fspath(path), expected="an output path in an existing folder")
    return folder


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[str]:
    """A temporary path in ``path``'s directory, renamed over ``path`` on success and
    removed on failure, so a reader never sees a half-written file."""
    target = Path(path)
    folder = check_output_path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:  # name the file asked for, not the hidden temporary one
        raise RubricError(f"cannot write: {exc.strerror or exc}", where=os.fspath(path),
                          expected="a writable output path") from None
    os.close(fd)
    try:
        yield tmp
        try:
            mode = os.stat(target).st_mode & 0o777
        except FileNotFoundError:
            mask = os.umask(0)  # mkstemp makes 0600 files; give the usual mode instead
            os.umask(mask)
            mode = 0o666 & ~mask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def write_rows(rows: Iterable[BatchRow], path: str | os.PathLike[str] | None, ruleset: Ruleset,
               fmt_name: str | None = None, *, stream: IO[str] | None = None) -> BatchSummary:
    """Write scored rows as CSV, XLSX or JSON Lines (atomically when ``path`` is given,
    else to ``stream``); returns the summary (errors with their row numbers)."""
    kind = fmt_name or (input_format(path) if path is not None else "csv")
    if kind not in FORMATS:
        raise RubricError(f"unknown output format '{kind}'", expected="csv, xlsx or jsonl")
    columns = batch_columns(ruleset)
    counter = _Counter(rows)
    start = time.perf_counter()
    if path is None:
        if kind == "xlsx":
            raise RubricError("XLSX output needs a file", expected="-o FILE.xlsx")
        _WRITERS[kind](counter, columns, stream or sys.stdout)
    elif kind == "xlsx":
        with atomic_path(path) as tmp:
            _write_xlsx(counter, columns, tmp)
    else:
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
            _WRITERS[kind](counter, columns, fh)
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


def _write_csv(rows: Iterable[BatchRow], columns: list[str], fh: IO[str]) -> None:
    writer = csv.writer(fh)
    writer.writerow(columns)
    for row in rows:
        rec = row_record(row)
        writer.writerow([_text(rec.get(c)) for c in columns])


def _write_jsonl(rows: Iterable[BatchRow], columns: list[str], fh: IO[str]) -> None:
    for row in rows:
        rec = row_record(row)
        out = {c: (fmt(v) if isinstance(v, Decimal) else v) for c in columns
               if (v := rec.get(c)) is not None or c == "error"}
        fh.write(json.dumps(out, ensure_ascii=False) + "\n")


def _write_xlsx(rows: Iterable[BatchRow], columns: list[str], path: str) -> None:
    openpyxl = _openpyxl()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("scores")
    ws.append(columns)
    for row in rows:
        rec = row_record(row)
        ws.append([rec.get(c) for c in columns])  # Decimals stay exact numbers
    wb.save(path)


_WRITERS: dict[str, Callable[..., None]] = {"csv": _write_csv, "jsonl": _write_jsonl}


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise RubricError("reading or writing .xlsx needs openpyxl",
                          expected="pip install 'rubric[xlsx]'") from None
    return openpyxl


# ------------------------------------------------------------------------------ running


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
               jobs: int | None = 1) -> BatchSummary:
    """Read ``source``, score every row, write ``output``; errors go to ``errors``
    (default stderr) as ``SOURCE:ROW: reason`` and into the output's ``error`` column.
    ``jobs`` > 1 scores in that many worker processes (same output, same order);
    ``None`` uses one per CPU core for files of ``AUTO_JOBS_FROM`` rows or more."""
    err = errors or sys.stderr
    if output is not None:
        check_output_path(output)
    _columns, rows, total = read_rows(source, ruleset, encoding=encoding)
    if jobs is None:  # auto: worker processes pay off only for larger files
        jobs = (os.cpu_count() or 1) if total is None or total >= AUTO_JOBS_FROM else 1
    bar = _Progress(total, progress, err)
    fmt_name = output_format or (input_format(output) if output is not None else
                                 ("jsonl" if input_format(source) == "jsonl" else "csv"))
    scored = bar.wrap(score_parallel(ruleset, rows, jobs=jobs, complete=complete,
                                     as_text=fmt_name != "xlsx"))
    name = os.fspath(source)

    def report(rows: Iterable[BatchRow]) -> Iterator[BatchRow]:
        for row in rows:
            if row.error is not None:
                if bar.enabled:
                    err.write("\n")
                err.write(f"{name}:{row.row}: {row.unit}: {row.error}\n")
            yield row

    return write_rows(report(scored), output, ruleset, fmt_name, stream=stream)


def run_batch_command(args: Any) -> int:
    """``rubric score RULESET --batch FILE [-o OUT] [--format csv|xlsx|jsonl] [--quiet]``.

    Exit 0 when every row was scored, 1 when some rows failed (they are reported on
    stderr and in the ``error`` column; the others are still written).
    """
    from .io.loader import load_ruleset

    ruleset = load_ruleset(check_text_file(args.ruleset))
    source = check_input_file(args.batch)
    quiet = bool(getattr(args, "quiet", False))
    progress = not quiet and sys.stderr.isatty()
    output = getattr(args, "output", None)
    if output in ("-", ""):
        output = None
    summary = score_file(ruleset, source, output,
                         output_format=getattr(args, "output_format", None),
                         complete=bool(getattr(args, "complete", False)), progress=progress,
                         jobs=_jobs(getattr(args, "jobs", None)),
                         encoding=getattr(args, "encoding", None) or "utf-8-sig")
    if not quiet:
        rate = summary.rows / summary.seconds if summary.seconds else 0.0
        where = f" -> {output}" if output else ""
        print(f"rubric: {summary.scored} units scored, {len(summary.errors)} rows with errors"
              f"{where} ({summary.seconds:.1f} s, {rate:,.0f} units/s)", file=sys.stderr)
    return 1 if summary.errors else 0


def _jobs(value: object) -> int | None:
    """``--jobs``: a number of worker processes; None (auto) lets ``score_file`` decide."""
    if value in (None, "auto"):
        return None
    if value in (0, "0"):
        return os.cpu_count() or 1
    return max(1, int(cast("str | int", value)))
