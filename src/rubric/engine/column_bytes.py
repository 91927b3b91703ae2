"""Text cells held as UTF-8 bytes, read as columns without a Python string per cell: ``ByteCells``.

A CSV block split in bulk (``io.csv_cells``) keeps its text as one UTF-8 buffer and each
cell as a (start, end) pair of byte offsets into it: ``ByteCells`` is one column of such
cells. ``column_values.convert`` reads a column of them as it reads a list of the same
texts, with the same answer for every cell: plain numbers (``numbers``: the cells that
``column_text``'s ``_CELL`` matches, read a byte position at a time over the whole
column, integers only), and texts compared with known texts (``matching``: yes/no,
categories, the cells of each text's length compared as fixed-width byte strings) or
read once per distinct text (``distinct_texts``: dates, from a matrix of the cells'
bytes); any other cell is decoded alone (``text``) and read as before, and a column
none of these takes is decoded whole (``cells``) and read as a list.

*Why the numbers are exact.* No binary float is used. A cell's digits are read into
an int64 one at a time (``10 * n + d``, the point skipped), and a cell is taken only
when its digits at the column's scale ``s`` number at most 18: its integer is then below
``10**18 < 2**63``, and so is that integer times ``10**(s - its decimals)``, the cell's
value times ``10**s`` exactly. A longer cell's integer may wrap in int64, but such a
cell is not taken: a valid one is read as a Python int (exact), as
``column_text.text_numbers`` reads it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

from .column_text import MAX_SCALE

__all__ = ["WIDEST", "ByteCells", "distinct_texts", "matching", "numbers"]

#: cells of a column are read from a byte matrix while its longest cell has at most
#: this many bytes (else the column is decoded and read as a list)
WIDEST = 40
#: the digits of a taken cell at the column's scale stay below this (int64 holds them)
_LIMIT = 10 ** 18
_POWERS: list[Any] = []


class ByteCells(Sequence[str]):
    """A column of text cells: cell ``i`` is ``buf[starts[i]:ends[i]]`` decoded as UTF-8
    (``buf`` a uint8 array; no cell holds a line break, a comma, a double quote or NUL)."""

    __slots__ = ("_cells", "buf", "ends", "starts")

    def __init__(self, buf: Any, starts: Any, ends: Any) -> None:
        self.buf = buf
        self.starts = starts
        self.ends = ends
        self._cells: list[str] | None = None

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self) -> Iterator[str]:
        return iter(self.cells())

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if self._cells is not None or isinstance(i, slice):
            return self.cells()[i]
        return self.text(i)

    def text(self, i: int) -> str:
        """Cell ``i``."""
        return bytes(self.buf[int(self.starts[i]):int(self.ends[i])]).decode("utf-8")

    def lengths(self) -> Any:
        """Each cell's length in bytes (0: an empty cell)."""
        return self.ends - self.starts

    def cells(self) -> list[str]:
        """Every cell as text (decoded once, in bulk, and kept)."""
        if self._cells is None:
            np = _numpy()
            size = len(self.starts)
            if not size:
                self._cells = []
                return self._cells
            width = self.ends - self.starts + 1  # each cell and the delimiter after it
            total = int(width.sum())
            first = np.cumsum(width) - width
            at = np.arange(total, dtype=np.int64) + np.repeat(self.starts - first, width)
            raw = self.buf[at]
            raw[first + width - 1] = 10
            self._cells = raw.tobytes().decode("utf-8").split("\n")[:-1]
        return self._cells

    def matrix(self) -> tuple[Any, Any, Any] | None:
        """``(m, inside, lengths)``: the cells' bytes as a matrix (row ``i`` cell ``i``'s
        bytes, zero past its end), where a cell's bytes are, and each cell's length;
        None when a cell is longer than ``WIDEST`` bytes."""
        np = _numpy()
        lengths = self.ends - self.starts
        widest = int(lengths.max()) if len(lengths) else 0
        if widest > WIDEST:
            return None
        cols = np.arange(max(widest, 1), dtype=np.int64)
        inside = cols < lengths[:, None]
        at = np.minimum(self.starts[:, None] + cols, len(self.buf) - 1)
        m = np.where(inside, self.buf[at], 0).astype(np.uint8)
        return m, inside, lengths


def _numpy() -> Any:
    import numpy

    return numpy


def numbers(np: Any, column: ByteCells) -> tuple[Any, Any, int, Any] | None:
    """``(n, ok, s, valid)`` as ``column_text``'s ``_parsed`` gives them for the same
    cells: ``valid`` the plain-number cells, ``s`` the most decimals a valid one has,
    ``ok`` those of at most 18 digits at scale ``s`` and ``n`` their values times
    ``10**s`` (0 elsewhere). None when a cell is longer than ``WIDEST`` bytes. The
    cells' ``j``-th bytes are read together, ``j`` = 0, 1 ...: each digit appended to its
    cell's integer (``10 * n + d``, digits only; a cell of at most 18 digits stays below
    ``10**18``), each point's place kept, any other byte marking its cell."""
    buf, starts = column.buf, column.starts
    lengths = column.ends - starts
    size = len(lengths)
    widest = int(lengths.max()) if size else 0
    if widest > WIDEST:
        return None
    if not _POWERS:
        _POWERS.append(np.array([10 ** k for k in range(19)], dtype=np.int64))
    top = len(buf) - 1
    first = buf[np.minimum(starts, top)] if size else np.zeros(0, dtype=np.uint8)
    signed = (first == 43) | (first == 45)
    value = np.zeros(size, dtype=np.int64)
    bad = np.zeros(size, dtype=bool)
    dots = np.zeros(size, dtype=np.int64)
    point = lengths.copy()  # where the point is (the cell's end when it has none)
    for j in range(widest):
        inside = lengths > j
        byte = first if j == 0 else buf[np.minimum(starts + j, top)]
        digit = byte - np.uint8(48)
        is_digit = digit < 10
        is_dot = byte == 46
        fits = is_digit | is_dot
        if j == 0:
            fits |= signed  # a sign only as the first byte
        bad |= inside & ~fits
        value = np.where(is_digit & inside, value * 10 + digit, value)
        here = is_dot & inside
        point = np.where(here, j, point)
        dots += here
    valid = (lengths > 0) & ~bad & (dots <= 1)
    has = dots == 1
    decimals = np.where(has, lengths - point - 1, 0)
    whole = point - signed
    valid &= (whole >= 1) & (whole <= 30) & (decimals <= MAX_SCALE) & (~has | (decimals >= 1))
    s = int(decimals[valid].max()) if valid.any() else 0
    ok = valid & (whole + s <= 18)
    value = value * _POWERS[0][np.where(ok, s - decimals, 0)]
    value = np.where(first == 45, -value, value)
    return np.where(ok, value, 0), ok, s, valid


def matching(np: Any, column: ByteCells, texts: list[str]) -> Any:
    """Each cell's index in ``texts`` (the last equal text, as assigning each text's
    cells in turn gives), -1 for none: the cells of each text's length in bytes compared
    with it, as one integer of their bytes (up to 8) or as fixed-width byte strings."""
    buf, starts = column.buf, column.starts
    lengths = column.ends - starts
    codes = np.full(len(starts), -1, dtype=np.int64)
    by_length: dict[int, list[tuple[int, bytes]]] = {}
    for i, text in enumerate(texts):
        raw = text.encode("utf-8", "surrogatepass")
        if b"\0" not in raw:  # no cell holds a NUL
            by_length.setdefault(len(raw), []).append((i, raw))
    for width, known in by_length.items():
        at = np.flatnonzero(lengths == width)
        if not len(at):
            continue
        if width == 0:  # the empty text: the empty cells
            codes[at] = known[-1][0]
            continue
        if width <= 8:  # the bytes as one integer (little-endian), compared as such
            first = starts[at]
            fixed = buf[first].astype(np.uint64)
            for k in range(1, width):
                fixed |= buf[first + k].astype(np.uint64) << np.uint64(8 * k)
            for i, raw in known:
                codes[at[fixed == np.uint64(int.from_bytes(raw, "little"))]] = i
            continue
        fixed = buf[starts[at, None] + np.arange(width)].view(f"S{width}").reshape(-1)
        for i, raw in known:
            codes[at[fixed == raw]] = i
    return codes


def distinct_texts(np: Any, column: ByteCells) -> tuple[list[str], Any] | None:
    """The column's distinct texts and each cell's index among them; None when a cell is
    longer than ``WIDEST`` bytes."""
    got = column.matrix()
    if got is None:
        return None
    m = got[0]
    fixed = np.ascontiguousarray(m).view(f"S{m.shape[1]}").reshape(-1)
    uniq, codes = np.unique(fixed, return_inverse=True)
    return [u.decode("utf-8") for u in uniq.tolist()], codes.reshape(-1)
