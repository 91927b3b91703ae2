"""Parquet batch files: a file's columns read as fact columns, records written as Parquet.

pyarrow is optional (``pip install 'rubric[parquet]'``); it is imported only when a
Parquet file is read or written, and its absence is a ``MissingDependency`` naming the
extra.

``read_parquet`` reads the whole file as columns. Its column names are a header, read as
a CSV header is (``io.sheet_layout.layout_of``: ``id``/``unit``, 项目名称, units in
headers, passed-through columns, a column map; a misspelt fact or a derived fact is a
file-level ``LoadError`` naming the file and the column). Parquet has no header row:
rows are counted from 1 (the first unit is row 1), and a refused column's problem
names the file and the column, with no line. Each fact column becomes the values the
DataFrame path (``score_dataframe`` and ``score_columns`` on pandas) would see for it:

* integers: exact (an int64/uint numpy column; with nulls a float64 column, NaN for
  nulls, as pandas has it, when every value is below 2^53 and so exact as a float, else
  Python ints and None);
* decimal128/decimal256: exact ``Decimal`` values;
* float16/32/64: a float64 numpy column, NaN for nulls: each float is read by its
  shortest repr, as ``facts.to_decimal`` reads a float (``0.1`` is 0.1; a float32
  ``0.1`` is 0.10000000149011612, as pandas reads it);
* strings (also dictionary-encoded): text, read as CSV cells are;
* booleans: a bool column (True/False and None with nulls);
* date32/date64: ``datetime.date``; timestamps: a datetime64 column (a midnight is a
  date), time-zone aware ones as local datetimes (a local midnight is a date);
* nulls (and NaN) are missing facts; any other type is its Python values, which the
  per-unit conversion refuses row by row.

``write_parquet`` writes output records atomically (``io.files.atomic_path``), in row
groups of ``ROW_GROUP`` records, with these types: ``row`` int64; ``total``,
``total_low`` and ``total_high`` decimal128(38, s), where s is the policy's precision
(or a row's own, when larger): exact, never a float, and a score with more decimals
is an error, never rounded; every other column (node cells, which may be ranges
``10–12`` or ``不适用``, the unit, the grade, passed-through cells) a string, as the
CSV output writes it, except that text is written as is (a Parquet cell is never run
as a formula, so no leading ``'``).
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..errors import FileError, LoadError, RubricError, optional_module
from ..tree import Ruleset
from .csv_cells import bad_cells
from .files import atomic_path, check_input_file
from .sheet_layout import Layout, layout_of
from .tabular import CELL_LIMIT, ERROR_VALUES, cell_text

__all__ = ["DECIMAL_COLUMNS", "ROW_GROUP", "ParquetColumns", "decimal_array",
           "pyarrow_modules", "read_parquet", "text_cells", "write_parquet",
           "write_parquet_columns"]

#: output columns written as decimal128 (exact); ``row`` is int64, the rest strings
DECIMAL_COLUMNS = ("total", "total_low", "total_high")
#: records per row group of a written file
ROW_GROUP = 65536
_DIGITS = 38  # decimal128's largest precision


def pyarrow_modules() -> tuple[Any, Any]:
    """``(pyarrow, pyarrow.parquet)``, or a MissingDependency naming the extra."""
    needs = "reading or writing .parquet"
    return (optional_module("pyarrow", needs, "parquet"),
            optional_module("pyarrow.parquet", needs, "parquet"))


@attrs.frozen
class ParquetColumns:
    """A Parquet file read for scoring: its ``layout`` (the header as ``layout_of`` reads
    it), ``facts`` (target -> values: facts, ``id``/``unit``, row keys), ``extras``
    (passed-through column -> Python values) and ``rows`` (how many)."""

    layout: Layout
    facts: dict[str, Any]
    extras: dict[str, list[Any]]
    rows: int
    #: rows (counted from 1) a CSV reader would refuse: a text cell holding a
    #: spreadsheet error value (``#DIV/0!``) or over ``CELL_LIMIT`` characters
    refused: dict[int, RubricError] = attrs.field(factory=dict)


def read_parquet(path: str | os.PathLike[str], ruleset: Ruleset, *,
                 columns: Mapping[str, str] | None = None) -> ParquetColumns:
    """Read ``path``'s columns for ``ruleset`` (see the module docstring)."""
    pa, pq = pyarrow_modules()
    name = os.fspath(path)
    check_input_file(name)
    try:
        table = pq.read_table(name)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise FileError(f"cannot read the file as Parquet ({type(exc).__name__}: {exc})",
                        file=name, expected="a Parquet file (.parquet), e.g. written by "
                        "pandas.DataFrame.to_parquet or Spark") from None
    header = [str(c).strip() for c in table.column_names]
    try:
        layout = layout_of(header, ruleset, name, columns)
    except LoadError as exc:  # no header line in Parquet: the file and the column's name
        raise LoadError([attrs.evolve(p, line=None, col=None) for p in exc.problems]) from None
    np = _numpy()
    facts: dict[str, Any] = {}
    extras: dict[str, list[Any]] = {}
    refused: dict[int, RubricError] = {}
    for i, (col, target, unit) in enumerate(zip(layout.header, layout.targets, layout.units)):
        column = table.column(i)
        _refuse(pa, column, col, refused)
        if target is None:
            extras[col] = [_python(v) for v in column.to_pylist()]
            continue
        values = _values(np, pa, column)
        if unit is not None:  # the header's unit on each plain number
            one = Layout((col,), (target,), (unit,), ())
            values = [one.apply([_python(v)])[target] for v in _cells(values)]
        if target in facts:  # 项目名称 and 单位名称 both: the first name given
            values = [a if not _blank(a) else b
                      for a, b in zip(_cells(facts[target]), _cells(values))]
        facts[target] = values
    return ParquetColumns(layout, facts, extras, table.num_rows, refused)


def _refuse(pa: Any, column: Any, name: str, refused: dict[int, RubricError]) -> None:
    """Note the rows whose text cell in ``column`` a CSV reader refuses (the first such
    column of a row gives its error, as in a CSV)."""
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    t = column.type
    if pa.types.is_dictionary(t):
        column = column.cast(t.value_type)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return
    long = pc.greater(pc.utf8_length(column), CELL_LIMIT)
    error = pc.is_in(pc.utf8_upper(pc.utf8_trim_whitespace(column)),
                     value_set=pa.array(sorted(ERROR_VALUES), pa.string()))
    bad = pc.or_(pc.fill_null(long, False), pc.fill_null(error, False))
    if not pc.any(bad).as_py():
        return
    cells = column.to_pylist()
    for index in pc.indices_nonzero(bad).to_pylist():
        if index + 1 in refused:
            continue
        found = bad_cells([cells[index]], [name])  # the CSV reader's own message
        if found is not None:
            refused[index + 1] = found


def _numpy() -> Any:
    """numpy (the column engine's, which ``rubric[parquet]`` installs)."""
    return optional_module("numpy", "reading .parquet", "parquet")


def _values(np: Any, pa: Any, column: Any) -> Any:
    """One Arrow column as the DataFrame path sees it (see the module docstring)."""
    t = column.type
    types = pa.types
    if types.is_dictionary(t):
        column = column.cast(t.value_type)
        t = column.type
    nulls = column.null_count
    if types.is_integer(t):
        if not nulls:
            return column.to_numpy()
        ints = column.to_numpy(zero_copy_only=False)  # float64, NaN for nulls
        if np.nanmax(np.abs(ints), initial=0) < 2.0 ** 53:  # every int exact as a float
            return ints
        return _objects(np, column.to_pylist())
    if types.is_floating(t):
        return column.to_numpy(zero_copy_only=False).astype(np.float64)
    if types.is_boolean(t) and not nulls:
        return column.to_numpy(zero_copy_only=False)
    if types.is_timestamp(t) and t.tz is None:
        return column.to_numpy(zero_copy_only=False)
    if types.is_string(t) or types.is_large_string(t):
        # str and None: a list, which the column engine reads as text cells in bulk
        return column.to_pylist()
    return _objects(np, [_python(v) for v in column.to_pylist()])


def _objects(np: Any, values: list[Any]) -> Any:
    """A one-dimensional object array of ``values`` (a list value stays one cell)."""
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out


def _python(value: Any) -> Any:
    """A Python value from Arrow as the per-unit path reads it: a datetime at midnight
    is a date (``score_dataframe`` reads a midnight ``Timestamp`` so)."""
    if type(value) is _dt.datetime and value.time() == _dt.time(0):
        return value.date()
    return value


def _cells(values: Any) -> Iterator[Any]:
    """A column's cells as Python values (None for NaN and NaT)."""
    if hasattr(values, "dtype"):
        if values.dtype.kind == "M":  # datetime64[ns].tolist() would give ints
            values = values.astype("datetime64[us]")
        values = values.tolist()
    for v in values:
        if v is None or (type(v) is float and v != v):
            yield None
        else:
            yield _python(v)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ------------------------------------------------------------------------------- output


def write_parquet(records: Iterable[Mapping[str, Any]], columns: Sequence[str],
                  path: str | os.PathLike[str] | None, *, scale: int) -> None:
    """Write ``records`` (the ``columns`` of each) to ``path`` as Parquet, atomically,
    with the types of the module docstring (``scale``: the decimals' scale)."""
    if path is None:
        raise RubricError("Parquet output needs a file", expected="-o FILE.parquet")
    pa, pq = pyarrow_modules()
    decimal = pa.decimal128(_DIGITS, scale)
    schema = _schema(pa, columns, decimal)
    with atomic_path(path) as tmp, pq.ParquetWriter(tmp, schema) as writer:
        for chunk in _chunks(records):
            arrays = [_array(pa, c, [rec.get(c) for rec in chunk], decimal, scale)
                      for c in columns]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))


def write_parquet_columns(n: int, columns: Sequence[str], path: str | os.PathLike[str],
                          cells: Callable[[str, int, int], Any], *, scale: int,
                          before: Callable[[int, int], None] | None = None) -> None:
    """``write_parquet`` for ``n`` records given column by column: ``cells(c, start,
    stop)`` gives column ``c`` of records ``start:stop``, as their values (what
    ``write_parquet`` takes from each record) or as a finished Arrow array of the
    column's type; ``before(start, stop)`` runs before each row group's columns are
    asked for. The same row groups, types and checks as ``write_parquet``."""
    pa, pq = pyarrow_modules()
    decimal = pa.decimal128(_DIGITS, scale)
    schema = _schema(pa, columns, decimal)
    with atomic_path(path) as tmp, pq.ParquetWriter(tmp, schema) as writer:
        for start in range(0, n, ROW_GROUP):
            stop = min(n, start + ROW_GROUP)
            if before is not None:
                before(start, stop)
            arrays = []
            for c in columns:
                got = cells(c, start, stop)
                arrays.append(got if isinstance(got, pa.Array)
                              else _array(pa, c, got, decimal, scale))
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))


def decimal_array(ints: Any, valid: Any, scale: int) -> Any:
    """A decimal128(38, ``scale``) Arrow array of ``ints / 10**scale`` (an int64 numpy
    array), null where ``valid`` is False: the 16-byte two's complement values written
    directly (little-endian machines; elsewhere via Decimals)."""
    import sys

    pa, _pq = pyarrow_modules()
    np = _numpy()
    decimal = pa.decimal128(_DIGITS, scale)
    if sys.byteorder != "little":
        return pa.array([Decimal(int(v)).scaleb(-scale) if ok else None
                         for v, ok in zip(ints.tolist(), valid.tolist())], decimal)
    n = len(ints)
    words = np.empty((n, 2), dtype=np.int64)
    words[:, 0] = ints
    words[:, 1] = ints >> 63  # the sign, extended to the high 64 bits
    nulls = n - int(valid.sum())
    bitmap = pa.array(valid, pa.bool_()).buffers()[1] if nulls else None
    return pa.Array.from_buffers(decimal, n, [bitmap, pa.py_buffer(words)], null_count=nulls)


def _schema(pa: Any, columns: Sequence[str], decimal: Any) -> Any:
    return pa.schema([(c, pa.int64() if c == "row" else
                       decimal if c in DECIMAL_COLUMNS else pa.string()) for c in columns])


def _array(pa: Any, column: str, cells: list[Any], decimal: Any, scale: int) -> Any:
    """One column of records' values as its Arrow array (the types above)."""
    if column == "row":
        return pa.array(cells, pa.int64())
    if column in DECIMAL_COLUMNS:
        return _decimals(pa, cells, decimal, scale, column)
    return pa.array(text_cells(cells), pa.string())


def text_cells(cells: Sequence[Any]) -> list[str | None]:
    """Cells as the CSV output's text (``cell_text``), each distinct score once."""
    out: list[str | None] = []
    known: dict[Decimal, str] = {}
    for v in cells:
        if v is None or type(v) is str:
            out.append(v)
        elif type(v) is Decimal:
            text = known.get(v)
            if text is None:
                text = known[v] = cell_text(v)
            out.append(text)
        else:
            out.append(cell_text(v))
    return out


def _chunks(records: Iterable[Mapping[str, Any]]) -> Iterator[list[Mapping[str, Any]]]:
    chunk: list[Mapping[str, Any]] = []
    for rec in records:
        chunk.append(rec)
        if len(chunk) >= ROW_GROUP:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _decimals(pa: Any, cells: list[Any], decimal: Any, scale: int, column: str) -> Any:
    """A decimal column: pyarrow converts Decimals exactly, or refuses one that would
    lose a digit (then ``_exact`` names it); text scores (worker processes) are read
    as Decimals first."""
    if any(type(v) is str for v in cells):
        cells = [_exact(v, scale, column) for v in cells]
    try:
        return pa.array(cells, decimal)
    except pa.ArrowInvalid:
        return pa.array([_exact(v, scale, column) for v in cells], decimal)


def _exact(value: Any, scale: int, column: str) -> Decimal | None:
    """A score for a decimal column, exactly at ``scale``; more decimals (or more than
    decimal128's 38 digits) are an error, never rounded."""
    if value is None or value == "":
        return None
    d = value if type(value) is Decimal else Decimal(str(value))
    if d.is_finite():
        q = d.quantize(Decimal(1).scaleb(-scale))
        if q == d and (not q or q.adjusted() < _DIGITS - scale):
            return q
    raise RubricError(f"the score {value} does not fit the Parquet column '{column}' "
                      f"(decimal128 with {scale} decimals)",
                      expected="scores at the ruleset's precision")
