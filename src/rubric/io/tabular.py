"""Tables in and out: CSV, XLSX and JSON Lines rows read as fact mappings, records written.

Input holds one unit per row; columns are fact names, plus an optional ``id`` or
``unit`` column naming the unit; ``read_rows`` finds the header below title rows and
reads units in headers, 项目名称 and passed-through columns (``io.sheet_layout``), while
``check_columns`` refuses any other column, every one listed with a suggestion. Row
numbers are those a spreadsheet shows: the header is row 1 (or the row it was found on),
the next row the first unit (CSV, XLSX); JSON Lines count lines from 1. A row that
cannot be read (more cells than the header has, a formula cell with no saved value,
a JSON line that is not an object, a line that does not decode in the file's
encoding, a cell over ``CELL_LIMIT`` characters, a spreadsheet error value such as
``#DIV/0!`` or ``#N/A``, a JSON number too long or nesting too deep to read) is yielded
as an exception with its row number, so the caller reports it and goes on. Text files
are read in ``encoding`` (default UTF-8, a BOM allowed; ``gb18030`` for files saved by
Chinese Excel); only the header row must decode. An XLSX cell formatted as a
percentage is read as the text the user sees (``"95%"``), never as 0.95. openpyxl is
imported only when an XLSX file is read or written.

``write_records`` writes output records (mappings from column to value) as CSV, XLSX or
JSON Lines, atomically when given a path (``io.files.atomic_path``). Text is never
written as something a spreadsheet runs: XLSX text cells are text cells (never
formulas, ``io.xlsx_files``), and a CSV text cell beginning with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'`` (OWASP's advice on CSV
injection), unless it is a plain number or score range (``-5``, ``2.5–5``). Identical
records give byte-identical XLSX files.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from ..errors import FileError, LoadError, Problem, RubricError, optional_module
from ..facts import suggest
from ..text import fmt
from ..tree import Ruleset
from .csv_cells import (
    CELL_LIMIT,
    ERROR_VALUES,
    UNDECODED,
    bad_cells,
    csv_cells,
    encoding_label,
)
from .files import atomic_path, check_input_file, output_target
from .json_objects import KeyGivenTwice, unique_keys
from .sheet_layout import Layout, find_header, keyed_layout, keyed_lines, layout_of
from .xlsx_files import (
    BROKEN,
    broken,
    damage,
    open_workbook,
    percent_format,
    save_workbook,
    text_cell,
)

__all__ = ["CELL_LIMIT", "ERROR_VALUES", "FORMATS", "SUFFIXES", "UNIT_COLUMNS", "SourceRow",
           "cell_text", "check_columns", "csv_cells", "csv_safe", "csv_safe_all", "decimal_text",
           "input_format", "output_format_of", "read_rows", "read_table", "record_cells",
           "write_records"]

FORMATS = ("csv", "xlsx", "jsonl", "parquet")  # parquet: io.parquet_files
UNIT_COLUMNS = ("id", "unit")
#: file suffix -> table format
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".parquet": "parquet"}
#: one input row as the readers yield it: its number, and its mapping or why it failed
SourceRow = tuple[int, "Mapping[str, Any] | Exception"]


# -------------------------------------------------------------------------------- input


def input_format(path: str | os.PathLike[str]) -> str:
    """The table format (``csv``, ``xlsx``, ``jsonl``) a file's suffix names."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise FileError(f"cannot tell the format of '{os.fspath(path)}' from its suffix",
                        expected="a .csv, .xlsx, .jsonl or .parquet file",
                        example="units.csv")
    return SUFFIXES[suffix]


def output_format_of(output: str | os.PathLike[str] | None, given: str | None,
                     source: str | os.PathLike[str] | None = None) -> str:
    """A batch output's format: ``given``, else the output's suffix; with none to go by
    (standard output, a stream named without one) the input's kind: JSON Lines stays
    JSON Lines, anything else (and no ``source``: a Parquet input) is CSV."""
    if given:
        return given
    if output is None or (output_target(output) != "file"  # a stream named without suffix
                          and Path(output).suffix.lower() not in SUFFIXES):
        return "jsonl" if source is not None and input_format(source) == "jsonl" else "csv"
    return input_format(output)


def read_rows(path: str | os.PathLike[str], ruleset: Ruleset, *, fmt_name: str | None = None,
              encoding: str = "utf-8-sig", columns: Mapping[str, str] | None = None
              ) -> tuple[Sequence[str], Iterator[SourceRow], int | None]:
    """Open a batch input: (its header, an iterator of (row number, mapping), row count
    if known). The header row is found below any title rows, and its columns read, by
    ``io.sheet_layout`` (``columns``: a column map); unless every column is a fact named
    as such, a CSV or XLSX row is a ``sheet_layout.SheetRow`` (facts by name, ``extras``:
    the passed-through cells); rows of a plain header are yielded as read. Columns
    refused raise LoadError (every one listed); JSON Lines are checked row by row."""
    layout, rows, total = read_table(path, ruleset, fmt_name=fmt_name, encoding=encoding,
                                     columns=columns)
    return (list(layout.header) if layout is not None else []), rows, total


def read_table(path: str | os.PathLike[str], ruleset: Ruleset, *, fmt_name: str | None = None,
               encoding: str = "utf-8-sig", columns: Mapping[str, str] | None = None,
               cells: bool = False) -> tuple[Layout | None, Iterator[SourceRow], int | None]:
    """``read_rows`` with the header's ``Layout`` (None for JSON Lines or an empty file).
    With ``cells``, a CSV file's rows are their lists of cells, as read (``csv_cells``)."""
    kind = fmt_name or input_format(path)
    name = os.fspath(path)
    encoding = _encoding(encoding)
    if kind == "csv":
        fh = _open_text(name, encoding, newline="")
        _raise_field_limit()
        try:
            # strict: an unclosed quote is that row's error, not the rest of the file in a cell
            reader = csv.reader(fh, strict=True)
            head, at = find_header(reader, ruleset, columns)
        except csv.Error as exc:
            fh.close()
            raise FileError(f"cannot read the header row: {exc}", file=name,
                            expected="a CSV file with a header row") from None
        except UnicodeError:  # what surrogateescape cannot keep (UTF-16 without its BOM)
            fh.close()
            raise _not_decoded(name, encoding) from None
        if not head:
            fh.close()
            return None, iter(()), 0
        header = head[at]
        if any(UNDECODED.search(h) for h in header):
            fh.close()
            raise _not_decoded(name, encoding)
        header = _trim_header([h.strip() for h in header])
        try:
            layout = layout_of(header, ruleset, name, columns, line=at + 1)
        except BaseException:
            fh.close()
            raise
        if cells:  # the rest of the file read in blocks of text
            rows: Any = csv_cells(fh, reader, header, encoding, at + 1, pending=head[at + 1:])
            return layout, rows, None
        rest = itertools.chain(head[at + 1:], reader)
        return layout, _laid_out(_csv_rows(fh, rest, header, encoding, at + 1), layout), None
    if kind == "xlsx":
        wb, formulas = _open_xlsx(name)
        try:
            ws = wb.worksheets[0]
            it = ws.iter_rows()
            head_cells, at = find_header(it, ruleset, columns, _cell_values)
            if not head_cells:
                raise _Empty
            header = _trim_header(["" if c.value is None else str(c.value).strip()
                                   for c in head_cells[at]])
            layout = layout_of(header, ruleset, name, columns, line=at + 1)
            total = ws.max_row - at - 1 if ws.max_row else None
            formula_rows = formulas.worksheets[0].iter_rows(min_row=at + 2, values_only=True)
        except _Empty:
            wb.close()
            formulas.close()
            return None, iter(()), 0
        except RubricError:
            wb.close()
            formulas.close()
            raise
        except BROKEN as exc:  # damaged before the first row: the file's error
            wb.close()
            formulas.close()
            raise broken(name, exc) from None
        except BaseException:
            wb.close()
            formulas.close()
            raise
        rest_cells = itertools.chain(head_cells[at + 1:], it)
        return layout, _laid_out(_xlsx_rows(wb, formulas, rest_cells, formula_rows, header,
                                            at + 1), layout), total
    if kind == "jsonl":
        fh = _open_text(name, encoding)
        if not columns:
            return None, _jsonl_rows(fh, encoding), None
        return (keyed_layout(columns), keyed_lines(_jsonl_rows(fh, encoding), ruleset, name,
                                                    columns), None)
    if kind == "parquet":  # read by columns: io.parquet_files, batch_parquet
        raise RubricError("a Parquet batch is read by rubric.score_parquet",
                          expected="rubric.score_parquet(ruleset, 'units.parquet', output)")
    raise RubricError(f"unknown input format '{kind}'", expected="csv, xlsx or jsonl")


def _cell_values(row: Sequence[Any]) -> list[Any]:
    return [c.value for c in row]


def _laid_out(rows: Iterator[SourceRow], layout: Layout) -> Iterator[SourceRow]:
    if layout.plain:
        return rows
    return _applied(rows, layout)


def _applied(rows: Iterator[SourceRow], layout: Layout) -> Iterator[SourceRow]:
    for number, data in rows:
        yield number, (data if isinstance(data, Exception) else layout.apply(data))


#: input facts a refused column's message lists (in declaration order) before "…"
KNOWN_LISTED = 12


def check_columns(header: Sequence[str], ruleset: Ruleset, file: str) -> None:
    """LoadError listing every header cell that is not an input fact of ``ruleset`` (nor
    ``id``/``unit``, nor a row's id or name or ``不适用``, whose cells give rows as not
    applicable: ``Ruleset.split_rows``), appears twice or is empty, each at its column of
    row 1 of ``file``; a column that is no fact names the input facts (the first
    ``KNOWN_LISTED``). ``score_columns`` and ``score_dask`` read their columns so."""
    known = {s.name for s in ruleset.input_facts()}
    problems = []
    seen: set[str] = set()
    listed = [s.name for s in ruleset.input_facts()]
    facts = ", ".join(listed[:KNOWN_LISTED]) + (
        f", … ({len(listed)} in all)" if len(listed) > KNOWN_LISTED else "")
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
        if col in UNIT_COLUMNS or col in known or ruleset.is_row_key(col):
            continue  # is_row_key: a row given as 不适用 by its id or name, or 不适用
        spec = ruleset.specs.get(col)
        if spec is not None and spec.derived:
            message = f"column '{col}' is a derived fact ({spec.formula}); give its inputs"
        else:
            hint = suggest(col, known)
            message = f"column '{col}' is not an input fact of the ruleset" + (
                f" (did you mean '{hint}'?)" if hint else "")
        problems.append(Problem(message, file=file, line=1, col=i,
                                expected=f"input fact names ({facts}), and optionally id or "
                                         "unit", example=next(iter(sorted(known)), None)))
    if problems:
        raise LoadError(problems)


class _Empty(Exception):
    """An XLSX sheet with no rows at all."""


def _trim_header(header: list[str]) -> list[str]:
    """Drop empty header cells at the end (spreadsheets keep formatted blank columns);
    an empty header between named columns stays, for ``check_columns`` to refuse."""
    while header and not header[-1]:
        header.pop()
    return header


def _open_text(name: str, encoding: str, newline: str | None = None) -> IO[str]:
    """Open an input text file, with a clear message when it is missing or a folder.
    Bytes that do not decode are kept as surrogates, so each row is checked alone."""
    check_input_file(name)
    return open(name, encoding=encoding, newline=newline, errors="surrogateescape")


def _encoding(encoding: str) -> str:
    """The codec to read with: UTF-8 accepts a BOM; an unknown name is a RubricError."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise RubricError(f"unknown encoding '{encoding}'",
                          expected="utf-8, or gb18030 for files saved by Chinese Excel",
                          example="gb18030") from None
    try:  # a codec of bytes (hex, base64) or one without surrogateescape (idna) reads no file
        b"\xff\xfe".decode(encoding, "surrogateescape")
    except (LookupError, UnicodeError):
        raise RubricError(f"encoding '{encoding}' does not read text files",
                          expected="utf-8, or gb18030 for files saved by Chinese Excel",
                          example="gb18030") from None
    return "utf-8-sig" if name == "utf-8" else encoding


def _not_decoded(name: str, encoding: str, what: str = "the header row") -> FileError:
    """``what`` does not decode: the file as a whole is in another encoding."""
    if encoding_label(encoding) == "UTF-8":
        return FileError("not UTF-8 text (save it as UTF-8)", file=name,
                         expected="a UTF-8 encoded file, or --encoding gb18030 for a file "
                                  "saved by Chinese Excel")
    return FileError(f"{what} is not {encoding} text", file=name,
                     expected="the file's encoding: utf-8, or gb18030 for Chinese Excel")


def _raise_field_limit() -> None:
    """Let the csv module read cells of any length (the process-wide limit is only
    raised), so a long cell cannot stop the reader mid-row; ``CELL_LIMIT`` applies."""
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)


_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


def _open_xlsx(name: str) -> tuple[Any, Any]:
    """The workbook twice, read-only: cached values, and formulas (to tell a formula
    cell with no cached value from an empty one). A file that is not XLSX, or is damaged,
    is refused (``xlsx_files.open_workbook``)."""
    _openpyxl()
    check_input_file(name)
    values = open_workbook(name, data_only=True)
    try:
        return values, open_workbook(name, data_only=False)
    except BaseException:
        values.close()
        raise


def _csv_rows(fh: IO[str], reader: Any, header: Sequence[str], encoding: str,
              number: int = 1) -> Iterator[SourceRow]:
    for number_, cells in csv_cells(fh, reader, header, encoding, number):
        yield number_, (cells if isinstance(cells, Exception) else dict(zip(header, cells)))


def _xlsx_value(cell: Any) -> Any:
    """A cell's value as the user sees it: a number formatted as a percentage (0.95
    shown as 95%) is the text "95%", never 0.95."""
    value = cell.value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        scaled, shown = percent_format(getattr(cell, "number_format", None) or "")
        if scaled:
            return fmt(Decimal(str(value)) * 100) + "%"
        if shown:  # 0.0"%": a literal sign after the number as stored
            return fmt(Decimal(str(value))) + "%"
    return value


_FORMULA_ERROR = ("formula cell without a cached value in column '{}'; "
                  "open and save the file in Excel")


def _xlsx_rows(wb: Any, formulas: Any, it: Iterator[tuple[Any, ...]],
               formula_rows: Iterator[tuple[Any, ...]], header: Sequence[str],
               number: int = 1) -> Iterator[SourceRow]:
    """The rows after the header; damage met while streaming (a truncated sheet, a
    corrupt deflate stream) is the error of the row where it was met, and ends the file:
    the rows before it are kept."""
    width = len(header)
    try:
        while True:
            number += 1
            try:
                row = next(it, None)
                if row is None:
                    return
                raw = next(formula_rows, ())
                cells = [_xlsx_value(c) for c in row]
            except RubricError:
                raise
            except BROKEN as exc:
                yield number, RubricError(
                    f"the file is damaged or truncated from this row on ({damage(exc)}); "
                    "the rows before it were read", expected="the workbook saved again "
                    "by Excel or LibreOffice, or the rows as CSV")
                return
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
            bad = bad_cells(cells, header)
            if bad is not None:
                yield number, bad
                continue
            yield number, dict(zip(header, cells))
    finally:
        wb.close()
        formulas.close()


def _jsonl_rows(fh: IO[str], encoding: str) -> Iterator[SourceRow]:
    with fh:
        try:
            yield from _jsonl_lines(fh, encoding)
        except UnicodeError:  # what surrogateescape cannot keep (UTF-16 without its BOM)
            raise _not_decoded(fh.name, encoding, "the file") from None


_JSON_EXAMPLE = '{"id": "A", "预算数": 100}'


def _jsonl_lines(fh: IO[str], encoding: str = "utf-8") -> Iterator[SourceRow]:
    for number, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        m = UNDECODED.search(line)
        if m is not None:
            yield number, RubricError(
                f"line is not {encoding_label(encoding)} text (byte "
                f"0x{ord(m.group()) - 0xDC00:02X} at column {m.start() + 1})",
                expected="every line in the file's encoding")
            continue
        try:
            data = json.loads(line, parse_float=Decimal, object_pairs_hook=unique_keys)
        except KeyGivenTwice as exc:  # json.loads would keep the last value, silently
            key = exc.key
            yield number, RubricError(f"key '{key}' is given twice",
                                      expected="each key once in a JSON object",
                                      example=_JSON_EXAMPLE)
            continue
        except json.JSONDecodeError as exc:
            yield number, RubricError(f"not valid JSON: {exc.msg} (column {exc.colno})",
                                      expected="one JSON object per line",
                                      example=_JSON_EXAMPLE)
            continue
        except RecursionError:
            yield number, RubricError("JSON nested too deeply to read",
                                      expected="one flat JSON object per line",
                                      example=_JSON_EXAMPLE)
            continue
        except ValueError as exc:  # an integer longer than Python converts (4300 digits)
            yield number, RubricError(f"cannot read a JSON number: {exc}",
                                      expected="numbers of at most a few dozen digits",
                                      example=_JSON_EXAMPLE)
            continue
        if not isinstance(data, dict):
            yield number, RubricError("a JSON line must be an object", example=_JSON_EXAMPLE)
            continue
        values = list(data.values())
        bad = bad_cells(values, list(data)) if any(type(v) is str for v in values) else None
        if bad is not None:
            yield number, bad
            continue
        yield number, data


# ------------------------------------------------------------------------------- output


_DEC_TEXT: dict[Decimal, str] = {}


def decimal_text(value: Decimal) -> str:
    """``fmt(value)``, remembered: scores repeat a lot (0, 2.5, 5 ...)."""
    if not value:  # 0 and -0 are one key: each written as given
        return "-0" if value.is_signed() else "0"
    text = _DEC_TEXT.get(value)
    if text is None:
        text = fmt(value)
        if len(_DEC_TEXT) < 4096:
            _DEC_TEXT[value] = text
    return text


def cell_text(value: Any) -> str:
    """A record's value as CSV cell text: ``""`` for None, Decimals as ``fmt`` writes them."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    if type(value) is Decimal:
        return decimal_text(value)
    return str(value)

_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:–[+-]?\d+(?:\.\d+)?)?")
_ACTIVE_FIRST = frozenset("=+-@\t\r")


def csv_safe(text: str) -> str:
    """A CSV text cell a spreadsheet will not run: a leading ``'`` when it begins with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, unless it is a plain number
    or ``low–high`` range (``-5``); other text unchanged."""
    if text[:1] in _ACTIVE_FIRST and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


#: a line break before a character ``csv_safe`` looks at, in texts joined by line breaks
_ACTIVE_AFTER_BREAK = re.compile("\n[" + re.escape("".join(sorted(_ACTIVE_FIRST))) + "]")


def csv_safe_all(texts: list[str]) -> list[str]:
    """Each text as ``csv_safe`` makes it; ``texts`` itself when none begins with a
    character ``csv_safe`` looks at (one search over them all)."""
    if _ACTIVE_AFTER_BREAK.search("\n" + "\n".join(texts)) is None:
        return texts
    return list(map(csv_safe, texts))


def _write_csv(records: Iterable[Mapping[str, Any]], columns: list[str], fh: IO[str]) -> None:
    writer = csv.writer(fh)
    writer.writerow([csv_safe(c) for c in columns])
    write = writer.writerow
    for rec in records:
        write(record_cells(rec, columns))


def record_cells(rec: Mapping[str, Any], columns: Sequence[str]) -> list[str]:
    """A record's CSV line: ``cell_text`` of each column, made ``csv_safe``."""
    cells, known, active = [], _DEC_TEXT.get, _ACTIVE_FIRST
    for c in columns:  # cell_text and csv_safe inline: the loop runs for every cell
        v: Any = rec.get(c)
        t = type(v)
        if t is Decimal:
            cells.append(known(v) or decimal_text(v))
        elif t is str:
            cells.append(csv_safe(v) if v[:1] in active else v)
        else:
            cells.append("" if v is None else cell_text(v))
    return cells


def _write_jsonl(records: Iterable[Mapping[str, Any]], columns: list[str], fh: IO[str]
                 ) -> None:
    for rec in records:
        out = {c: (fmt(v) if isinstance(v, Decimal) else v) for c in columns
               if (v := rec.get(c)) is not None or c == "error"}
        fh.write(json.dumps(out, ensure_ascii=False) + "\n")


def _write_xlsx(records: Iterable[Mapping[str, Any]], columns: list[str], path: str) -> None:
    openpyxl = _openpyxl()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("scores")
    ws.append([text_cell(ws, c) for c in columns])
    for rec in records:  # Decimals stay exact numbers; text is never a formula
        ws.append([text_cell(ws, v) if type(v) is str else v
                   for v in (rec.get(c) for c in columns)])
    save_workbook(wb, path)


_WRITERS: dict[str, Callable[..., None]] = {"csv": _write_csv, "jsonl": _write_jsonl}


def _openpyxl() -> Any:
    return optional_module("openpyxl", "reading or writing .xlsx", "xlsx")


def write_records(records: Iterable[Mapping[str, Any]], columns: list[str],
                  path: str | os.PathLike[str] | None, kind: str, *,
                  stream: IO[str] | None = None) -> None:
    """Write ``records`` (the ``columns`` of each; None is an empty cell) as ``kind``,
    atomically to ``path``, or to ``stream`` (default stdout) when ``path`` is None."""
    if path is None:
        if kind == "xlsx":
            raise RubricError("XLSX output needs a file", expected="-o FILE.xlsx")
        _WRITERS[kind](records, columns, stream or sys.stdout)
    elif kind == "xlsx":
        with atomic_path(path) as tmp:
            _write_xlsx(records, columns, tmp)
    else:
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
            _WRITERS[kind](records, columns, fh)
