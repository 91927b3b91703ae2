"""CSV rows as cells, each row checked as the batch reads it: ``csv_cells``.

A batch's CSV rows after the header (``io.tabular.read_table``) are yielded as (row
number, cells) or (row number, why the row cannot be read): a row the csv module cannot
parse, a row with bytes that did not decode, more cells than the header has, a cell
over ``CELL_LIMIT`` characters or a spreadsheet error value (``#DIV/0!``); a row of
blank cells is skipped (its number is not reused). Rows are read in batches of
``BATCH_ROWS``: a batch whose rows all pass one set of checks over the whole batch (the
same checks, each run once over all its rows in C) is yielded as read; any other batch
is checked row by row. Either way every row gets the same number and the same answer.
The rows come as a ``CellRows``: iterated row by row, or a list of rows at a time
(``CellRows.chunks``, how ``batch_csv`` takes them), without a step per row.
The row checks are shared with the XLSX and JSON Lines readers (``bad_cells``,
``undecoded_row``).
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import IO, Any

from ..errors import RubricError

__all__ = ["BATCH_ROWS", "CELL_LIMIT", "ERROR_VALUES", "UNDECODED", "CellRow", "CellRows",
           "bad_cells", "csv_cells", "encoding_label", "undecoded_row"]

#: the longest cell a row may hold (the csv module's default field limit); a longer
#: cell makes its row an error (the reader's own limit is raised so parsing goes on)
CELL_LIMIT = 131072
#: the error values a spreadsheet shows in a cell whose formula failed
ERROR_VALUES = frozenset({"#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA"})
#: bytes ``surrogateescape`` kept undecoded
UNDECODED = re.compile(r"[\udc80-\udcff]")
#: rows read and checked together
BATCH_ROWS = 512


def encoding_label(encoding: str) -> str:
    """``UTF-8`` for the UTF-8 codecs, else the encoding as named."""
    return "UTF-8" if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig") else encoding


def undecoded_row(cells: Sequence[str], header: Sequence[str], encoding: str
                  ) -> RubricError | None:
    """The error for a row with bytes that did not decode, else None."""
    for i, cell in enumerate(cells):
        m = UNDECODED.search(cell)
        if m is not None:
            column = header[i] if i < len(header) else f"#{i + 1}"
            return RubricError(
                f"row is not {encoding_label(encoding)} text (byte "
                f"0x{ord(m.group()) - 0xDC00:02X} in column '{column}')",
                expected="every row in the file's encoding (a file saved by Chinese "
                         "Excel is usually gb18030: --encoding gb18030)")
    return None


def bad_cells(cells: Sequence[Any], header: Sequence[str]) -> RubricError | None:
    """The error for a row holding a spreadsheet error value or an overlong cell."""
    for i, cell in enumerate(cells):
        if type(cell) is not str:
            continue
        column = header[i] if i < len(header) else f"#{i + 1}"
        if len(cell) > CELL_LIMIT:
            return RubricError(f"cell in column '{column}' has {len(cell):,} characters "
                               f"(at most {CELL_LIMIT:,})", expected="a value")
        if cell[:1] == "#" or cell[:1].isspace():
            value = cell.strip().upper()
            if value in ERROR_VALUES:
                return RubricError(f"cell in column '{column}' is the spreadsheet error "
                                   f"{value}", expected="a value (fix the formula, or leave "
                                   "the cell empty if the fact is not known)")
    return None


#: a row read: its number, and its cells or why it cannot be read
CellRow = tuple[int, "list[str] | Exception"]


class CellRows:
    """The rows ``csv_cells`` reads: an iterator of (row number, cells or why not), and
    the same rows a list at a time (``chunks``), without a step per row. Read them one
    way: the rows ``iter`` hands out are not seen by ``chunks``."""

    __slots__ = ("_batches", "_rows")

    def __init__(self, batches: Iterator[list[CellRow]]) -> None:
        self._batches = batches
        self._rows: Iterator[CellRow] = iter(())

    def __iter__(self) -> Iterator[CellRow]:  # row by row at C speed (one reading only)
        return itertools.chain(self._rows, itertools.chain.from_iterable(self._batches))

    def __next__(self) -> CellRow:
        while True:
            try:
                return next(self._rows)
            except StopIteration:  # this batch is done: the next (its end, the file's)
                self._rows = iter(next(self._batches))

    def chunks(self, size: int) -> Iterator[list[CellRow]]:
        """The rows not yet read, ``size`` at a time (the last chunk shorter)."""
        buffer: list[CellRow] = list(self._rows)
        for batch in self._batches:
            buffer += batch
            while len(buffer) >= size:
                chunk = buffer[:size]
                del buffer[:size]  # before the chunk is handed out: its rows live once
                yield chunk
        if buffer:
            yield buffer


def csv_cells(fh: IO[str], reader: Any, header: Sequence[str], encoding: str,
              number: int = 1) -> CellRows:
    """The rows after the header as (row number, its cells, or why it cannot be read)."""
    return CellRows(_batches(fh, reader, header, encoding, number))


def _batches(fh: IO[str], reader: Any, header: Sequence[str], encoding: str,
             number: int) -> Iterator[list[CellRow]]:
    """``csv_cells``' rows a batch (``BATCH_ROWS`` rows read) at a time."""
    with fh:
        width = len(header)
        while True:
            batch, failure, done = _take(reader)
            if batch and _clean(batch, width):
                first = number + 1
                number += len(batch)
                rows: list[CellRow] = list(zip(range(first, number + 1), batch))
            else:
                rows = []
                for cells in batch:
                    number += 1
                    item = _row(cells, header, width, encoding)
                    if item is not None:
                        rows.append((number, item))
            if failure is not None:
                number += 1
                rows.append((number, RubricError(f"cannot read the row as CSV: {failure}",
                                                 expected="cells separated by commas")))
            if rows:
                yield rows
            if done:
                return


def _take(reader: Any) -> tuple[list[list[str]], csv.Error | None, bool]:
    """Up to ``BATCH_ROWS`` rows: those read before the end or a row the csv module
    refused (the error), and whether the file ended. (``list.extend`` keeps the rows
    it took before the error.)"""
    batch: list[list[str]] = []
    try:
        batch.extend(itertools.islice(reader, BATCH_ROWS))
    except csv.Error as exc:
        return batch, exc, False
    return batch, None, len(batch) < BATCH_ROWS


def _clean(batch: list[list[str]], width: int) -> bool:
    """Whether every row of ``batch`` passes ``_row`` unchanged: none blank (all cells
    empty or spaces), none wider than the header, no undecoded byte, no ``#``, no cell
    over ``CELL_LIMIT``."""
    if max(map(len, batch)) > width:
        return False
    joins = list(map("".join, batch))
    if not all(joins) or any(map(str.isspace, joins)):
        return False
    blob = "".join(joins)
    return ("#" not in blob and UNDECODED.search(blob) is None
            and max(map(len, joins)) <= CELL_LIMIT)


def _row(cells: list[str], header: Sequence[str], width: int, encoding: str
         ) -> list[str] | Exception | None:
    """One row checked alone: its cells, why it cannot be read, or None (blank)."""
    joined = "".join(cells)
    if not joined.strip():  # every cell blank (as any(c.strip() ...), in one call)
        return None
    if UNDECODED.search(joined):
        return undecoded_row(cells, header, encoding) or RubricError("row does not decode")
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        return RubricError(f"row has {len(cells)} cells but the header has {width}",
                           expected="one cell per column")
    if "#" in joined or len(joined) > CELL_LIMIT:
        bad = bad_cells(cells, header)
        if bad is not None:
            return bad
    return cells
