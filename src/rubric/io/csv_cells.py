"""CSV rows as cells, each row checked as the batch reads it: ``csv_cells``.

A batch's CSV rows after the header (``io.tabular.read_table``) are yielded as (row
number, cells) or (row number, why the row cannot be read): a row the csv module cannot
parse, a row with bytes that did not decode, more cells than the header has, a cell
over ``CELL_LIMIT`` characters or a spreadsheet error value (``#DIV/0!``); a row of
blank cells is skipped (its number is not reused). Rows are read in batches of
``BATCH_ROWS``: a batch whose rows all pass one set of checks over the whole batch (the
same checks, each run once over all its rows in C) is yielded as read; any other batch
is checked row by row. Either way every row gets the same number and the same answer.
The rows come as a ``CellRows``: iterated row by row, a list of rows at a time
(``CellRows.chunks``), or a ``CellChunk`` at a time, the cells by column
(``CellRows.cell_chunks``, how ``batch_csv`` takes them), without a step per row.

``read_table(cells=True)`` reads the rows after the header in blocks of text
(``BLOCK_CHARS``, cut after a line break): a block the csv module would read as lines
split at their commas, each with the header's number of cells and each taken by the
checks unchanged (``_split``: no double quote, NUL or lone carriage return, no ``#``,
no undecoded byte, no blank row, no line over ``CELL_LIMIT``) is split into columns in
bulk (a ``CellBlock``): with numpy, kept as the block's UTF-8 bytes and each cell's
offsets, found from the positions of its commas and line breaks, and handed on as
``engine.column_bytes.ByteCells`` columns (no Python string per cell; a cell is decoded
when it is asked for), else as lists of text in two calls; any other block is read by
the csv module over its lines, row by row as above, and a quoted cell running past the
block's end makes the rest of the file read so. Either way every row gets the number and
the answer the csv module's reading gives it (tests/test_csv_blocks.py).
The row checks are shared with the XLSX and JSON Lines readers (``bad_cells``,
``undecoded_row``).
"""

from __future__ import annotations

import bisect
import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import IO, Any

from ..engine.column_bytes import ByteCells
from ..engine.column_values import numpy_or_none
from ..errors import RubricError

__all__ = ["BATCH_ROWS", "BLOCK_CHARS", "CELL_LIMIT", "ERROR_VALUES", "UNDECODED", "CellBlock",
           "CellChunk", "CellRow", "CellRows", "bad_cells", "csv_cells", "encoding_label",
           "undecoded_row"]

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


class CellBlock:
    """Rows ``first``, ``first + 1`` ... read whole from a block of text (``_split``): the
    cells of each header column, one per row, every row passing ``_row`` unchanged;
    held as lists of text (``columns``) or as the block's UTF-8 bytes and each cell's
    byte offsets (``raw``: buffer, starts, ends, each offset matrix a row per line)."""

    __slots__ = ("_columns", "first", "raw", "size")

    def __init__(self, first: int, columns: list[list[str]] | None, size: int,
                 raw: tuple[Any, Any, Any] | None = None) -> None:
        self.first = first
        self._columns = columns
        self.size = size
        self.raw = raw

    @property
    def columns(self) -> list[list[str]]:
        """The cells of each header column as text."""
        if self._columns is None:
            assert self.raw is not None
            buf, starts, ends = self.raw
            self._columns = [ByteCells(buf, starts[:, k], ends[:, k]).cells()
                             for k in range(starts.shape[1])]
        return self._columns

    def rows(self) -> list[CellRow]:
        if self._columns is None and self.raw is not None:  # the lines decoded, then split
            buf, starts, ends = self.raw
            if not self.size:
                return []
            text = bytes(buf[int(starts[0, 0]):int(ends[-1, -1])]).decode("utf-8")
            return list(zip(range(self.first, self.first + self.size),
                            [line.split(",") for line in text.split("\n")]))
        return list(zip(range(self.first, self.first + self.size),
                        map(list, zip(*self.columns))))

    def split(self, at: int) -> tuple[CellBlock, CellBlock]:
        if self._columns is None and self.raw is not None:
            buf, starts, ends = self.raw
            return (CellBlock(self.first, None, at, (buf, starts[:at], ends[:at])),
                    CellBlock(self.first + at, None, self.size - at,
                              (buf, starts[at:], ends[at:])))
        return (CellBlock(self.first, [c[:at] for c in self.columns], at),
                CellBlock(self.first + at, [c[at:] for c in self.columns], self.size - at))


class CellChunk:
    """Up to a chunk's rows (``CellRows.cell_chunks``): every row's number in order,
    which of them are *whole* (cells, as many as the header has: ``whole``, positions in
    the chunk, None when all are), those rows' cells by header column (``columns``:
    lists of text, or ``engine.column_bytes.ByteCells`` when every row came from blocks
    split in bulk), and every row as read (``row``)."""

    __slots__ = ("columns", "numbers", "odd", "raw", "whole")

    def __init__(self, numbers: list[int], whole: list[int] | None,
                 columns: list[Any],
                 odd: dict[int, list[str] | Exception],
                 raw: tuple[Any, Any, Any] | None = None) -> None:
        self.numbers = numbers
        self.whole = whole
        self.columns = columns
        self.odd = odd  # position -> the cells or error of a row that is not whole
        self.raw = raw  # the rows' bytes and offsets, when held so (``CellBlock.raw``)

    def __len__(self) -> int:
        return len(self.numbers)

    def row(self, i: int) -> CellRow:
        """The row at position ``i`` as read: (number, cells or why it cannot be read)."""
        got = self.odd.get(i)
        if got is not None:
            return self.numbers[i], got
        j = i if self.whole is None else bisect.bisect_left(self.whole, i)
        return self.numbers[i], self.whole_row(j)

    def whole_row(self, j: int) -> list[str]:
        """The cells of the ``j``-th whole row."""
        if self.raw is not None:
            buf, starts, ends = self.raw
            line = bytes(buf[int(starts[j, 0]):int(ends[j, -1])]).decode("utf-8")
            return line.split(",")
        return [c[j] for c in self.columns]

    @classmethod
    def of(cls, parts: list[list[CellRow] | CellBlock], width: int) -> CellChunk:
        """The chunk of ``parts`` (rows, blocks) in order; ``parts`` is emptied."""
        if parts and all(isinstance(p, CellBlock) and p.raw is not None
                         and p._columns is None for p in parts):
            return cls._of_bytes(parts, width)  # type: ignore[arg-type]
        numbers: list[int] = []
        whole: list[int] = []
        columns: list[list[str]] = [[] for _ in range(width)]
        odd: dict[int, list[str] | Exception] = {}
        for part in parts:
            at = len(numbers)
            if isinstance(part, CellBlock):
                numbers += range(part.first, part.first + part.size)
                whole += range(at, at + part.size)
                for col, taken in zip(columns, part.columns):
                    col.extend(taken)
                continue
            good: list[list[str]] = []
            for k, (number, read) in enumerate(part):
                numbers.append(number)
                if type(read) is list and len(read) == width:
                    whole.append(at + k)
                    good.append(read)
                else:
                    odd[at + k] = read
            if good:
                for col, by_column in zip(columns, zip(*good)):
                    col.extend(by_column)
        parts.clear()  # the parts' rows are now only the chunk's
        return cls(numbers, None if len(whole) == len(numbers) else whole, columns, odd)

    @classmethod
    def _of_bytes(cls, parts: list[CellBlock], width: int) -> CellChunk:
        """The chunk of blocks held as bytes: one buffer, the offsets moved into it."""
        import numpy as np

        bufs, starts, ends = [], [], []
        numbers: list[int] = []
        shift = 0
        for part in parts:
            assert part.raw is not None
            buf, st, en = part.raw
            lo, hi = int(st[0, 0]), int(en[-1, -1]) + 1
            bufs.append(buf[lo:hi])
            starts.append(st + (shift - lo))
            ends.append(en + (shift - lo))
            shift += hi - lo
            numbers += range(part.first, part.first + part.size)
        parts.clear()
        buf = bufs[0] if len(bufs) == 1 else np.concatenate(bufs)
        st = starts[0] if len(starts) == 1 else np.concatenate(starts)
        en = ends[0] if len(ends) == 1 else np.concatenate(ends)
        columns = [ByteCells(buf, np.ascontiguousarray(st[:, k]), np.ascontiguousarray(en[:, k]))
                   for k in range(width)]
        return cls(numbers, None, columns, {}, (buf, st, en))


def _as_rows(batch: list[CellRow] | CellBlock) -> list[CellRow]:
    return batch.rows() if isinstance(batch, CellBlock) else batch


class CellRows:
    """The rows ``csv_cells`` reads: an iterator of (row number, cells or why not), and
    the same rows a chunk at a time (``chunks``: lists of rows; ``cell_chunks``: by
    column, as ``batch_csv`` takes them), without a step per row. Read them one way: the
    rows ``iter`` hands out are not seen by the chunks."""

    __slots__ = ("_batches", "_rows", "width")

    def __init__(self, batches: Iterator[list[CellRow] | CellBlock], width: int) -> None:
        self._batches = batches
        self._rows: Iterator[CellRow] = iter(())
        self.width = width

    def __iter__(self) -> Iterator[CellRow]:  # row by row at C speed (one reading only)
        return itertools.chain(self._rows,
                               itertools.chain.from_iterable(map(_as_rows, self._batches)))

    def __next__(self) -> CellRow:
        while True:
            try:
                return next(self._rows)
            except StopIteration:  # this batch is done: the next (its end, the file's)
                self._rows = iter(_as_rows(next(self._batches)))

    def chunks(self, size: int) -> Iterator[list[CellRow]]:
        """The rows not yet read, ``size`` at a time (the last chunk shorter)."""
        buffer: list[CellRow] = list(self._rows)
        for batch in self._batches:
            buffer += _as_rows(batch)
            while len(buffer) >= size:
                chunk = buffer[:size]
                del buffer[:size]  # before the chunk is handed out: its rows live once
                yield chunk
        if buffer:
            yield buffer

    def cell_chunks(self, size: int) -> Iterator[CellChunk]:
        """The rows not yet read as ``CellChunk``s of ``size`` rows (the last shorter).
        Nothing here keeps a chunk handed out (or its rows) alive: each is freed when
        its reader drops it, and the next reuses its memory."""
        parts: list[list[CellRow] | CellBlock] = []
        count = 0
        rest = list(self._rows)
        batches = itertools.chain([rest] if rest else [], self._batches)
        del rest
        for batch in batches:
            left: list[CellRow] | CellBlock | None = batch
            del batch  # only ``left`` holds it (and drops it when taken)
            while left:
                room = size - count
                n = left.size if isinstance(left, CellBlock) else len(left)
                if n <= room:
                    parts.append(left)
                    count += n
                    left = None
                elif isinstance(left, CellBlock):
                    head, left = left.split(room)
                    parts.append(head)
                    del head
                    count = size
                else:
                    parts.append(left[:room])
                    left = left[room:]
                    count = size
                if count == size:
                    count = 0
                    yield CellChunk.of(parts, self.width)  # parts emptied
        if parts:
            yield CellChunk.of(parts, self.width)


def csv_cells(fh: IO[str], reader: Any, header: Sequence[str], encoding: str,
              number: int = 1, pending: list[list[str]] | None = None) -> CellRows:
    """The rows after the header as (row number, its cells, or why it cannot be read).
    With ``pending`` (the rows ``reader`` read past the header), ``reader`` is the csv
    reader of ``fh`` itself, and the rest of the file is read in blocks of text
    (``BLOCK_CHARS``), each block that ``_split`` takes split into columns in bulk."""
    if pending is None:
        return CellRows(_batches(fh, reader, header, encoding, number), len(header))
    return CellRows(_blocks(fh, reader, pending, header, encoding, number), len(header))


#: characters read from the file at a time when the rows are read in blocks (about
#: 2 000 rows of the bench's data; with 1 << 20 the batch took more CPU time)
BLOCK_CHARS = 1 << 18


def _blocks(fh: IO[str], reader: Any, pending: list[list[str]], header: Sequence[str],
            encoding: str, number: int) -> Iterator[list[CellRow] | CellBlock]:
    """``csv_cells``' rows from blocks of the file's text: a block ``_split`` takes as one
    ``CellBlock``, any other block by the csv module over its lines, as ``_batches``
    reads them. A record the csv module reads past the block's end (a quoted cell over
    a line break there) makes the rest of the file read by the csv module."""
    with fh:
        width = len(header)
        last = [number]  # the number of the last row read
        if pending:
            yield from _checked(iter(pending), header, encoding, last)
        carry = ""
        while True:
            text = fh.read(BLOCK_CHARS)
            end = not text
            text = carry + text
            cut = len(text) if end else text.rfind("\n") + 1
            if not end and cut == 0:  # no line ends yet: read on
                carry = text
                continue
            block, carry = text[:cut], text[cut:]
            if block:
                split = _block(block, width)
                if split is not None:
                    split.first = last[0] + 1
                    last[0] += split.size
                    held = [split]
                    del split  # not kept here while the block is out (``cell_chunks``)
                    yield held.pop()
                else:
                    lines = list(io.StringIO(block, newline=""))
                    parsed = csv.reader(itertools.chain(lines, _after(carry, fh)), strict=True)
                    yield from _checked(parsed, header, encoding, last, len(lines))
                    if parsed.line_num > len(lines):  # read on past the block
                        yield from _checked(parsed, header, encoding, last)
                        return
            if end:
                return


def _after(carry: str, fh: IO[str]) -> Iterator[str]:
    """The lines after a block: ``carry`` (the start of the next line) and the file's."""
    if carry:
        yield from io.StringIO(carry + fh.readline(), newline="")
    yield from fh


def _split(block: str, width: int) -> list[list[str]] | None:
    """The cells of ``block``'s lines by column, as ``_block`` takes them; else None."""
    got = _block(block, width)
    return None if got is None else got.columns


def _block(block: str, width: int) -> CellBlock | None:
    """The cells of ``block``'s lines by column (a ``CellBlock`` of its rows, its
    ``first`` left 0), when the csv module would read each line as ``width``
    cells split at its commas and ``_row`` would take every row unchanged: no double
    quote, NUL or carriage return other than in ``\r\n``, each line (none empty) with
    ``width - 1`` commas, the first cell of every line not blank, no ``#``, no undecoded
    byte, no line over ``CELL_LIMIT`` characters. Else None. With numpy the cells are
    kept as the block's UTF-8 bytes and offsets (``CellBlock.raw``: no text per cell)."""
    if '"' in block or "\0" in block or "#" in block or width < 1:
        return None
    if "\r" in block:
        if block.count("\r") != block.count("\r\n"):
            return None
        block = block.replace("\r\n", "\n")
    body = block[:-1] if block.endswith("\n") else block
    np = numpy_or_none()
    if np is not None:
        try:  # no surrogate code point (so no undecoded byte, ``UNDECODED``)
            raw = (body + "\n").encode("utf-8")
        except UnicodeEncodeError:
            return None
        return _split_bytes(np, np.frombuffer(raw, dtype=np.uint8), width)
    lines = body.split("\n")
    if (list(map(str.count, lines, itertools.repeat(","))).count(width - 1) != len(lines)
            or not _no_surrogates(body)
            or (len(body) > CELL_LIMIT and max(map(len, lines)) > CELL_LIMIT)):
        return None
    cells = body.replace("\n", ",").split(",")
    columns = [cells[k::width] for k in range(width)]
    first = columns[0]
    if not all(first) or any(map(str.isspace, first)):
        return None
    return CellBlock(0, columns, len(first))


def _split_bytes(np: Any, b: Any, width: int) -> CellBlock | None:
    """``_split`` of a block's text as UTF-8 bytes ``b`` (each line ending in a line
    break): each cell's offsets, found from the positions of the commas and line breaks
    (a line of ``width`` cells has ``width - 1`` commas, then its break)."""
    delims = np.flatnonzero((b == 44) | (b == 10))
    breaks = np.flatnonzero(b == 10)
    rows = len(breaks)
    if rows == 0 or len(delims) != rows * width:
        return None
    ends = delims.reshape(rows, width)
    if not (ends[:, -1] == breaks).all():
        return None
    starts = np.empty_like(ends)
    starts[:, 1:] = ends[:, :-1] + 1
    starts[0, 0] = 0
    starts[1:, 0] = breaks[:-1] + 1
    line = breaks - starts[:, 0]
    if int(line.max()) > CELL_LIMIT:  # a line of more bytes than that: the csv module
        return None
    first = starts[:, 0]
    if not (ends[:, 0] > first).all():  # a blank first cell
        return None
    lead = b[first]
    odd = np.flatnonzero((lead <= 32) | (lead >= 128)).tolist()  # maybe a space
    for i in odd:
        if bytes(b[int(first[i]):int(ends[i, 0])]).decode("utf-8").isspace():
            return None
    return CellBlock(0, None, rows, (b, starts, ends))


def _no_surrogates(text: str) -> bool:
    """Whether ``text`` has no surrogate code point (so no byte ``surrogateescape``
    kept, ``UNDECODED``): UTF-8 encodes it (in C, faster than a search)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _batches(fh: IO[str], reader: Any, header: Sequence[str], encoding: str,
             number: int) -> Iterator[list[CellRow]]:
    """``csv_cells``' rows a batch (``BATCH_ROWS`` rows read) at a time."""
    with fh:
        yield from _checked(reader, header, encoding, [number])


def _checked(reader: Any, header: Sequence[str], encoding: str, last: list[int],
             lines: int | None = None) -> Iterator[list[CellRow]]:
    """The rows ``reader`` reads (until it has read ``lines`` lines, when given), checked
    a batch at a time; ``last[0]``: the number of the last row read (kept up to date)."""
    width = len(header)
    number = last[0]
    while True:
        batch, failure, done = _take(reader, lines)
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
        last[0] = number
        if rows:
            yield rows
        if done:
            return


def _take(reader: Any, lines: int | None = None
          ) -> tuple[list[list[str]], csv.Error | None, bool]:
    """Up to ``BATCH_ROWS`` rows: those read before the end or a row the csv module
    refused (the error), and whether the rows ended (the file, or ``lines`` lines read
    by ``reader``, a csv reader). (``list.extend`` keeps the rows it took before the
    error.)"""
    batch: list[list[str]] = []
    try:
        if lines is None:
            batch.extend(itertools.islice(reader, BATCH_ROWS))
        else:
            while len(batch) < BATCH_ROWS and reader.line_num < lines:
                batch.append(next(reader))
    except csv.Error as exc:
        return batch, exc, False
    except StopIteration:
        return batch, None, True
    if lines is not None:
        return batch, None, reader.line_num >= lines
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
