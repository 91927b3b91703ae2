"""CSV lines built column by column, byte for byte as ``csv.writer`` writes them: ``lines``.

A batch's output is written as text, not as row tuples handed to ``csv.writer``: its
columns are given whole (``lines``), each a constant text, a list of one text per line,
or a *coded* column (its distinct texts and, per line, the index of its text), and the
lines are joined from them. Adjacent coded and constant columns are first merged into
one coded column of their joined texts (each combination that occurs joined once), so a
line is joined from a few fields, not one per column.

Every field is written as ``csv.writer`` (the excel dialect, ``QUOTE_MINIMAL``) writes
it: unchanged unless it holds a comma, a double quote, a carriage return or a line feed
(the only characters that make it quote a field: checked for every code point), and then
by ``csv.writer`` itself (``field``). A line joins its fields with commas, as the writer
does, and ends in ``TERMINATOR``; a line of one empty field, which the writer writes as
``""``, is never made here (``lines`` needs two columns or more).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["TERMINATOR", "Coded", "field", "fields", "lines", "written"]

#: what ``csv.writer`` ends a line with
TERMINATOR = "\r\n"
#: the characters that make ``csv.writer`` quote a field
_QUOTED = re.compile(r'[,"\r\n]')


def field(text: str) -> str:
    """``text`` as ``csv.writer`` writes it as one field of a line."""
    if _QUOTED.search(text) is None:
        return text
    buf = io.StringIO()
    csv.writer(buf).writerow([text, ""])
    return buf.getvalue()[:-len("," + TERMINATOR)]


def fields(texts: list[str]) -> list[str]:
    """Each text as ``field`` writes it (one search over them all when none is quoted)."""
    if _QUOTED.search("".join(texts)) is None:
        return texts
    return [field(t) for t in texts]


class Coded:
    """A column of few distinct texts: ``texts[codes[i]]`` is line i's (an int array)."""

    __slots__ = ("codes", "texts")

    def __init__(self, texts: Sequence[str], codes: Any) -> None:
        self.texts = list(texts)
        self.codes = codes


def lines(np: Any, columns: Sequence[Any], n: int) -> list[str]:
    """The ``n`` lines (each without its ``TERMINATOR``) of ``columns`` (at least two),
    every field as ``csv.writer`` writes it."""
    if len(columns) < 2:
        raise ValueError("a line of one field is written by csv.writer itself")
    if n == 0:
        return []
    joined: list[Any] = []
    group: list[Any] = []
    for col in columns:
        if isinstance(col, list):
            if group:
                joined.append(_merged(np, group, n))
                group = []
            joined.append(fields(col))
        else:
            if isinstance(col, Coded) and group and not _fits(group, col, n):
                joined.append(_merged(np, group, n))
                group = []
            group.append(col)
    if group:
        joined.append(_merged(np, group, n))
    if len(joined) == 1:
        only = joined[0]
        return only if isinstance(only, list) else [only] * n
    return list(map(",".join, zip(*(_repeat(j, n) for j in joined))))


def _repeat(col: Any, n: int) -> Iterable[str]:
    return col if isinstance(col, list) else [col] * n


def _arrays(group: Sequence[Any]) -> list[Coded]:
    """The group's coded columns with distinct code arrays (one per array object)."""
    seen: dict[int, Coded] = {}
    for col in group:
        if isinstance(col, Coded):
            seen.setdefault(id(col.codes), col)
    return list(seen.values())


def _fits(group: Sequence[Any], col: Coded, n: int) -> bool:
    """Whether ``col`` joins ``group``: it shares a code array with it, or the number of
    combinations stays small beside the lines (at most ``n // 4``, at least 64)."""
    arrays = _arrays(group)
    if any(c.codes is col.codes for c in arrays):
        return True
    size = len(col.texts)
    for c in arrays:
        size *= len(c.texts)
    return size <= max(64, n // 4)


def _merged(np: Any, group: Sequence[Any], n: int) -> str | list[str]:
    """One field for adjacent constant and coded columns: a constant text, or a list of
    each line's joined texts (each combination that occurs joined once)."""
    arrays = _arrays(group)
    if not arrays:
        return ",".join(fields(list(group)))
    strides: dict[int, int] = {}
    joint = None
    size = 1
    for c in reversed(arrays):
        strides[id(c.codes)] = size
        part = c.codes.astype(np.int64, copy=False)
        joint = part if joint is None else joint + part * size
        size *= len(c.texts)
    assert joint is not None
    present = np.zeros(size, dtype=bool)
    present[joint] = True
    combos = np.flatnonzero(present)
    digits = {id(c.codes): ((combos // strides[id(c.codes)]) % len(c.texts)).tolist()
              for c in arrays}
    parts = [[col] * len(combos) if isinstance(col, str)
             else [col.texts[d] for d in digits[id(col.codes)]] for col in group]
    texts = np.array(list(map(",".join, zip(*(fields(p) for p in parts)))), dtype=object)
    rank = np.cumsum(present) - 1
    return texts[rank[joint]].tolist()  # type: ignore[no-any-return]


def written(rows: Iterable[Sequence[str]]) -> list[str]:
    """Each row of cells as ``csv.writer`` writes it, as a line without its ``TERMINATOR``."""
    buf = io.StringIO()
    write = csv.writer(buf).writerow
    out = []
    for row in rows:
        write(row)
        out.append(buf.getvalue()[:-len(TERMINATOR)])
        buf.seek(0)
        buf.truncate()
    return out
