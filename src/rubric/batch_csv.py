"""CSV batches scored by columns: ``csv_lines`` turns read CSV rows into output lines.

``rubric.batch.score_file`` reads a CSV input as text cells (``io.tabular``'s
``read_table(cells=True)``) and, when the column engine takes the ruleset
(``column_ready``), hands them here a chunk at a time, already by column
(``io.csv_cells.CellChunk``). Number columns are converted to exact scaled integers in
bulk (``engine.column_text``; why that is exact is said there), booleans, dates and
categories as ``engine.column_values`` reads them, and scored by ``engine.columns`` in
integers; the output columns are then formatted column by column (each distinct score
written once with ``io.tabular.decimal_text``, a node's scores as a coded column) and
joined into the chunk's CSV text by ``io.csv_lines`` (each field as ``csv.writer``
writes it), which ``write_lines`` writes as it is.

Every row the columns do not settle goes to the caller's per-unit path, unchanged, and
its line is that path's record (``io.tabular.record_cells``): a row the reader refused,
a row with more or fewer cells than the header, a bad cell, a blank (missing) fact other
than the lone facts ``batch_ranges`` reads as ranges, a cell with a unit whose factor is
not a power of ten, 不适用, a % fact's plain number that warns, a value outside its
domain or in no band, a unit name with a control character, a blank input with
``complete``; and every row of a chunk the columns fail on (a failure here is never a
row's wrong score). So the output is byte for byte the per-unit path's: a settled row's
line holds only its row number, name, node scores, total and grade, with the rescaling,
missing facts, warnings and error cells empty, which is what that path writes for it.
"""

from __future__ import annotations

import csv
import itertools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from .batch_ranges import ranged_rows, ranged_texts
from .collector import paused
from .engine.column_values import numpy_or_none
from .engine.columns import column_plan, convert_all
from .engine.plan import plan_of
from .errors import FactError
from .io.csv_cells import CellChunk, CellRow, CellRows
from .io.csv_lines import TERMINATOR, Coded, written
from .io.csv_lines import lines as csv_text_lines
from .io.files import atomic_path
from .io.sheet_layout import Layout
from .io.tabular import UNIT_COLUMNS, csv_safe, csv_safe_all, decimal_text, record_cells
from .tree import Ruleset

__all__ = ["CHUNK_ROWS", "KNOWN_ERRORS", "Chunk", "FactCheck", "column_ready", "csv_lines",
           "fact_check", "write_lines"]

#: rows scored together (bounds memory; progress and errors are reported per chunk);
#: measured on the bench's data with the cells held as bytes (``CellBlock.raw``), 20 000
#: took less CPU time than 10 000 (8% at 200 000 units, 4% at 1 M), 30 000 or 40 000
CHUNK_ROWS = 20000

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

#: the per-unit path: rows (number, mapping or exception) -> (unit, error, record) each
PerUnit = Callable[[list[tuple[int, Any]]], Iterable[tuple[str, str | None, Any]]]
#: a row's facts check alone: the error text of a mapping of cells when the per-unit
#: conversion refuses it (``FactError``), else None (``fact_check``)
FactCheck = Callable[[dict[str, str]], "str | None"]
#: the errors of bad cells a ``fact_check`` keeps (the same cells give the same error)
KNOWN_ERRORS = 4096


class Chunk:
    """One chunk's output: its CSV text (its lines in input order, each ending in
    ``csv_lines.TERMINATOR``), the rows that failed (row number, unit, error), how many
    rows were scored and how many lines it has."""

    __slots__ = ("failed", "rows", "scored", "text")

    def __init__(self, text: str, failed: list[tuple[int, str, str]], scored: int,
                 rows: int) -> None:
        self.text = text
        self.failed = failed
        self.scored = scored
        self.rows = rows


def column_ready(ruleset: Ruleset, layout: Layout | None) -> bool:
    """Whether a CSV read with ``layout`` can be scored by columns: numpy installed, a
    ruleset the column engine takes, and a header of input facts (and ``id``/``unit``)
    read as written (``Layout.plain``)."""
    if layout is None or not layout.plain or numpy_or_none() is None:
        return False
    cp = column_plan(ruleset)
    return cp.supported and all(c in cp.inputs or c in UNIT_COLUMNS for c in layout.header)


def fact_check(ruleset: Ruleset, error_text: Callable[[Exception], str]) -> FactCheck:
    """The per-unit conversion's error for a mapping of cells (``Plan.coerce``'s
    ``FactError``, as ``error_text`` writes it; any other failure: None, the row goes
    per unit), or None; the errors of the last ``KNOWN_ERRORS`` mappings kept (bad
    values repeated down a file, ``-`` or ``5 人``, checked once)."""
    coerce = plan_of(ruleset).coerce
    known: dict[tuple[tuple[str, str], ...], str | None] = {}

    def refused(cells: dict[str, str]) -> str | None:
        key = tuple(cells.items())
        if key in known:
            return known[key]
        try:
            coerce(cells)
            error = None
        except FactError as exc:  # the error score_batch gives a row with these cells
            error = error_text(exc)
        except Exception:  # noqa: BLE001 - anything else: the row goes per unit
            error = None
        if len(known) >= KNOWN_ERRORS:
            known.clear()
        known[key] = error
        return error

    return refused


def csv_lines(ruleset: Ruleset, header: Sequence[str], rows: Iterable[CellRow],
              out_columns: Sequence[str], per_unit: PerUnit, *, complete: bool = False,
              chunk_rows: int = CHUNK_ROWS, refused: FactCheck | None = None
              ) -> Iterator[Chunk]:
    """The output of ``rows`` (read with ``header``; ``column_ready``), chunk by chunk.
    ``refused``: the per-unit conversion's error for a mapping of cells, or None; a row
    the columns do not settle whose not-converted cells alone it refuses is that error
    (``_refused``), without the per-unit path (not with ``complete``)."""
    if isinstance(rows, CellRows):  # read by column, a chunk at a time
        chunks: Iterator[CellChunk] = rows.cell_chunks(chunk_rows)
    else:
        it = iter(rows)
        chunks = (CellChunk.of([part], len(header))
                  for part in iter(lambda: list(itertools.islice(it, chunk_rows)), []))
    while True:
        with paused():  # a chunk's rows, columns and lines are acyclic: no scans of them
            chunk = next(chunks, None)
            if chunk is None:
                return
            try:
                done = _chunk(ruleset, list(header), chunk, list(out_columns), per_unit,
                              complete, refused=None if complete else refused)
            except Exception:  # noqa: BLE001 - the columns failed: the chunk per unit
                done = _chunk(ruleset, list(header), chunk, list(out_columns), per_unit,
                              complete, by_columns=False)
            del chunk  # freed before the collector runs again, so it is not scanned
        yield done


def _chunk(ruleset: Ruleset, header: list[str], chunk: CellChunk, out_columns: list[str],
           per_unit: PerUnit, complete: bool, by_columns: bool = True,
           refused: FactCheck | None = None) -> Chunk:
    np = numpy_or_none()
    cp = column_plan(ruleset)
    size = len(chunk)
    whole = list(range(size)) if chunk.whole is None else chunk.whole
    if not by_columns:
        whole = []
    settled: list[int] = []
    lines: Any = np.empty(size, dtype=object)  # each row's line, placed by position
    wholes = np.arange(size) if chunk.whole is None else np.asarray(chunk.whole, dtype=np.intp)
    quick: dict[int, tuple[str, str]] = {}  # position -> (unit, error): ``_refused``
    if whole:
        every = len(whole) == size  # every row whole: the columns as read
        columns = dict(zip(header, chunk.columns))  # header name -> list of cells
        n = len(whole)
        numbers = chunk.numbers if every else [chunk.numbers[i] for i in whole]
        names, named_ok = _names(columns, numbers)
        data = {c: v for c, v in columns.items() if c not in UNIT_COLUMNS}
        cols, ok = convert_all(np, cp, data, n)
        ok &= named_ok
        if complete:
            for name in cp.inputs:
                col = data.get(name)
                if col is None:
                    ok[:] = False
                else:
                    ok &= np.fromiter((bool(c.strip()) for c in col), dtype=bool, count=n)
        ranged, exempt = (ranged_rows(np, cp, data, cols, ok, named_ok) if not complete
                          else (np.zeros(n, dtype=bool), {}))
        nodes, fast = cp.run(np, cols, ok | ranged, exempt)
        at = np.flatnonzero(fast & ~ranged)
        if len(at):
            made = _settled_lines(cp, nodes, at, numbers, names, out_columns, np)
            settled = at.tolist()
            _place(np, lines, wholes[at], made)
        at = np.flatnonzero(fast & ranged)
        got = ranged_texts(np, cp, nodes, at, exempt, header, chunk.whole_row) \
            if len(at) else None
        if got is not None:
            made = _settled_lines(cp, nodes, at, numbers, names, out_columns, np, got[0])
            if _checked(made, at.tolist(), got[1], [chunk.row(whole[j]) for j in got[1]],
                        header, out_columns, per_unit):
                _place(np, lines, wholes[at], made)
                settled += at.tolist()
    left = np.ones(size, dtype=bool)  # the rows not settled, in order
    if settled:
        left[wholes[settled]] = False
    if whole and refused is not None:
        quick = _refused(np, header, data, cols, named_ok, wholes, left, names, refused)
    slow = np.flatnonzero(left).tolist()
    failed: list[tuple[int, str, str]] = []
    if quick:  # error lines, as ``record_cells`` makes them: row, unit and error only
        failed = [(chunk.numbers[i], unit, error) for i, (unit, error) in quick.items()]
        by_column: dict[str, Any] = {"row": [str(f[0]) for f in failed],
                                     "unit": csv_safe_all([f[1] for f in failed]),
                                     "error": [csv_safe(f[2]) for f in failed]}
        made = csv_text_lines(np, [by_column.get(c, "") for c in out_columns], len(failed))
        _place(np, lines, np.fromiter(quick, dtype=np.intp, count=len(quick)), made)
    if slow:
        given = []
        for i in slow:
            number, cells = chunk.row(i)
            given.append((number, cells if isinstance(cells, Exception)
                          else dict(zip(header, cells))))
        done = list(per_unit(given))
        _place(np, lines, np.asarray(slow, dtype=np.intp),
               written(record_cells(record, out_columns) for _u, _e, record in done))
        failed += [(number, unit, error) for (number, _c), (unit, error, _r)
                   in zip(given, done) if error is not None]
        if quick:
            failed.sort(key=lambda f: f[0])  # in input order
    text = TERMINATOR.join(lines.tolist()) + TERMINATOR if size else ""
    return Chunk(text, failed, size - len(failed), size)


def _place(np: Any, lines: Any, at: Any, made: list[str]) -> None:
    """Lines ``made`` put at positions ``at`` of the object array ``lines``."""
    if len(at):
        held = np.empty(len(made), dtype=object)  # an object array of the texts as they are
        held[:] = made
        lines[at] = held


def _refused(np: Any, header: list[str], data: dict[str, list[str]], cols: dict[str, Any],
             named_ok: Any, wholes: Any, left: Any, names: list[str],
             refused: FactCheck) -> dict[int, tuple[str, str]]:
    """The rows not settled (``left``, positions; taken out of it here) whose error is the
    one the per-unit conversion gives their not-converted cells alone: position ->
    (unit, error). Exact: a converted cell (``Converted.ok``) is one the per-unit
    conversion takes, so the facts check of the whole row (``facts.coerce_facts``, every
    problem in the order of the cells) finds the same problems as that of those cells,
    in the same order; a row whose name the batch refuses is left to the per-unit path,
    and so is any row those cells alone do not make an error."""
    js = np.flatnonzero(left[wholes] & named_ok)  # whole rows not settled, named
    out: dict[int, tuple[str, str]] = {}
    facts = [c for c in header if c in data]
    if not len(js) or not facts:
        return out
    bad = np.stack([np.asarray(~cols[c].ok)[js] if c in cols
                    else np.ones(len(js), dtype=bool) for c in facts], axis=1)
    each: list[list[str]] = [[] for _ in range(len(js))]  # each row's bad cells' facts
    for k, f in zip(*(x.tolist() for x in np.nonzero(bad))):  # row by row, in column order
        each[k].append(facts[f])
    for j, named in zip(js.tolist(), each):
        if not named:
            continue
        error = refused({c: data[c][j] for c in named})
        if error is not None:
            i = int(wholes[j])
            out[i] = (names[j], error)
            left[i] = False
    return out


def _names(columns: dict[str, list[str]], numbers: list[int]
           ) -> tuple[list[str], Any]:
    """Each row's unit name as ``rubric.batch`` takes it (the first non-blank of ``id``,
    ``unit``, stripped; else ``row N``), and which names have no control character."""
    np = numpy_or_none()
    named = [columns[c] for c in UNIT_COLUMNS if c in columns]
    names = [f"row {n}" for n in numbers] if not named else list(map(str.strip, named[0]))
    if named and "" in names:
        for k, first in enumerate(names):
            if not first:
                name = ""
                for col in named[1:]:
                    name = col[k].strip()
                    if name:
                        break
                names[k] = name or f"row {numbers[k]}"
    ok = np.ones(len(names), dtype=bool)
    if _UNPRINTABLE.search("".join(names)) is not None:
        ok = np.fromiter((_UNPRINTABLE.search(u) is None for u in names), dtype=bool,
                         count=len(names))
    return names, ok


def _settled_lines(cp: Any, nodes: list[Any], at: Any, numbers: list[int], names: list[str],
                   out_columns: list[str], np: Any,
                   ranged: dict[str, list[str] | Coded] | None = None) -> list[str]:
    """The lines of the settled rows ``at``, built column by column (``ranged``: the
    cells of units scored as ranges, ``batch_ranges``): each node's scores as a coded
    column (each distinct score written once), the total's columns and the grade coded
    by the total's codes."""
    picked = at.tolist()
    every = len(picked) == len(numbers)  # every row of the chunk, in order
    units = names if every else list(map(names.__getitem__, picked))
    units = csv_safe_all(units)
    by_column: dict[str, Any] = {"row": list(map(str, numbers if every
                                                 else map(numbers.__getitem__, picked))),
                                 "unit": units,
                                 "rescaled": "", "missing_facts": "", "warnings": "",
                                 "error": ""}
    if ranged is not None:
        by_column.update({c: [csv_safe(t) for t in texts]
                          if c in _TEXT_CELLS and isinstance(texts, list) else texts
                          for c, texts in ranged.items()})
    else:
        scale = -cp.scale
        for step, node in zip(cp.plan.steps, nodes):
            by_column[step.node.id], uniq = _coded(np, node.a[at], scale)
        total = by_column[cp.plan.steps[-1].node.id]
        names_ = [csv_safe(g.name) for g in cp.ruleset.policy.grades]
        grade = Coded([names_[g] for g in cp.grade_codes(np, uniq).tolist()], total.codes)
        by_column.update(total=total, total_low=total, total_high=total, grade=grade)
    return csv_text_lines(np, [by_column[c] for c in out_columns], len(picked))


#: the columns of a ranged line the per-unit path writes as text (``csv_safe``), not
#: as a Decimal: a range ``low–high``, the grades and the missing facts
_TEXT_CELLS = frozenset({"grade", "missing_facts"})


def _coded(np: Any, ints: Any, shift: int) -> tuple[Coded, Any]:
    """Scores at scale ``-shift`` as a coded column of their ``decimal_text``, and the
    distinct scores (ascending): codes by a table over the scores' span when it is small,
    else by sorting (``np.unique``)."""
    uniq = codes = None
    if ints.dtype != object and len(ints):
        lo, hi = int(ints.min()), int(ints.max())
        if hi - lo < max(1 << 16, 4 * len(ints)):
            offset = ints - lo
            present = np.zeros(hi - lo + 1, dtype=bool)
            present[offset] = True
            uniq = np.flatnonzero(present) + lo
            codes = (np.cumsum(present) - 1)[offset]
    if uniq is None:
        uniq, codes = np.unique(ints, return_inverse=True)
        codes = codes.reshape(-1)
    texts = [decimal_text(Decimal(int(v)).scaleb(shift)) for v in uniq.tolist()]
    return Coded(texts, codes), uniq


def _checked(made: list[str], at: list[int], taken: list[int],
             rows: list[CellRow], header: list[str], out_columns: list[str],
             per_unit: PerUnit) -> bool:
    """Whether the lines of the units ranges were taken from are the per-unit path's."""
    given = [(number, dict(zip(header, cells))) for number, cells in rows
             if isinstance(cells, list)]
    where = {j: k for k, j in enumerate(at)}
    for j, (_unit, error, record) in zip(taken, per_unit(given)):
        if error is not None or made[where[j]] != written([record_cells(record, out_columns)])[0]:
            return False
    return True


def write_lines(chunks: Iterable[str], columns: Sequence[str],
                path: str | os.PathLike[str] | None, *, stream: IO[str] | None = None) -> None:
    """Write a CSV of ``columns`` and each chunk's text, as ``io.tabular``'s
    ``write_records`` writes CSV: atomically to ``path``, or to ``stream`` (stdout)."""
    if path is None:
        _write_lines(chunks, columns, stream or sys.stdout)
        return
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        _write_lines(chunks, columns, fh)


def _write_lines(chunks: Iterable[str], columns: Sequence[str], fh: IO[str]) -> None:
    csv.writer(fh).writerow([csv_safe(c) for c in columns])
    for text in chunks:
        fh.write(text)
