"""Text cells held as UTF-8 bytes, read as columns without a Python string per cell: ``ByteCells``.

A CSV block split in bulk (``io.csv_cells``) keeps its text as one UTF-8 buffer and each
cell as a (start, end) pair of byte offsets into it: ``ByteCells`` is one column of such
cells. ``column_values.convert`` reads a column of them as it reads a list of the same
texts, with the same answer for every cell: plain numbers (``numbers``: the cells that
``column_text``'s ``_CELL`` matches, checked and summed digit by digit in whole-column
numpy steps over a matrix of the cells' bytes, integers only), and texts compared with
known texts (``matching``: yes/no, categories) or read once per distinct text
(``distinct_texts``: dates); any other cell is decoded alone (``text``) and read as before, and
a column none of these takes is decoded whole (``cells``) and read as a list.

*Why the numbers are exact.* A taken cell's value at the column's scale ``s`` is
``sum(d_j * 10**e_j)`` over its digits, ``e_j`` the digit's place at scale ``s``; a cell
is taken only with at most 18 digits at scale ``s`` (``e_j < 18``), so each term and the
sum stay below ``10**18 < 2**63`` in int64. A cell with more digits is read as a Python
int (exact), as ``column_text.text_numbers`` reads it.
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
    ``10**s`` (0 elsewhere). None when a cell is longer than ``WIDEST`` bytes."""
    got = column.matrix()
    if got is None:
        return None
    m, inside, lengths = got
    size = len(lengths)
    if not _POWERS:
        _POWERS.append(np.array([10 ** k for k in range(19)] + [0], dtype=np.int64))
    digit = (m >= 48) & (m <= 57)
    dot = m == 46
    sign = (m == 43) | (m == 45)
    valid = lengths > 0
    valid &= ~(inside & ~digit & ~dot & ~sign).any(axis=1)  # no other byte
    signed = sign[:, 0]
    if m.shape[1] > 1:
        valid &= ~sign[:, 1:].any(axis=1)  # a sign only as the first byte
    dots = dot.sum(axis=1)
    valid &= dots <= 1
    has = dots == 1
    point = np.where(has, dot.argmax(axis=1), lengths)  # where the point is (else the end)
    decimals = np.where(has, lengths - point - 1, 0)
    whole = point - signed
    valid &= (whole >= 1) & (whole <= 30) & (decimals <= MAX_SCALE) & (~has | (decimals >= 1))
    s = int(decimals[valid].max()) if valid.any() else 0
    ok = valid & (whole + s <= 18)
    if size == 0:
        return np.zeros(0, dtype=np.int64), ok, 0, valid
    cols = np.arange(m.shape[1], dtype=np.int64)
    place = point[:, None] - cols + s  # a digit's place at scale s, after the point
    place = np.where(cols < point[:, None], place - 1, place)
    place = np.where(digit & ok[:, None], np.clip(place, 0, 18), 19)  # 19: weight 0
    values = ((m.astype(np.int64) - 48) * _POWERS[0][place]).sum(axis=1)
    values = np.where(m[:, 0] == 45, -values, values)
    return np.where(ok, values, 0), ok, s, valid


def matching(np: Any, column: ByteCells, texts: list[str]) -> Any | None:
    """Each cell's index in ``texts`` (the last equal text, as assigning each text's
    cells in turn gives), -1 for none; None when a cell is longer than ``WIDEST`` bytes."""
    got = column.matrix()
    if got is None:
        return None
    m = got[0]
    width = m.shape[1]
    fixed = np.ascontiguousarray(m).view(f"S{width}").reshape(-1)
    codes = np.full(len(fixed), -1, dtype=np.int64)
    for i in range(len(texts)):
        raw = texts[i].encode("utf-8", "surrogatepass")
        if raw and len(raw) <= width and b"\0" not in raw:
            codes[fixed == raw] = i
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
