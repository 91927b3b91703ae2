"""Score whole columns at once: ``score_columns(ruleset, columns)``.

``columns`` is a mapping of fact name -> sequence of raw values (lists or numpy arrays,
one entry per unit; an optional ``id``/``unit`` column names the units), or a pandas
DataFrame (read as ``score_dataframe`` reads it: NaN/None are missing facts, the index
labels name the units when there is no ``id``/``unit`` column). Units whose every value
the column engine (``engine.columns``) takes are scored there, over whole columns in
exact scaled integers; every other unit -- a missing or not-applicable value, a value
with a unit, a bad value, a row given as not applicable, a row the engine cannot settle
-- is scored by the batch's own per-unit path (``score_batch``), so scores, grades,
ranges and errors are exactly the batch's. Without numpy every unit takes that path.

The result is a ``ColumnScores``: per unit the total's ``low``/``high`` (Decimal), the
grade, each node's score, the facts that would settle the total and the error, as lists
in input order, as the batch's output records (``records()``) or as the DataFrame
``score_dataframe`` returns (``to_pandas()``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from .batch import NOT_APPLICABLE_TEXT, WARNING_SEPARATOR, batch_columns, score_batch
from .column_ranges import range_scores, ranged_units
from .engine.column_values import (
    Converted,
    distinct,
    node_exponents,
    numpy_or_none,
    percent_warning,
    times_ten_to,
)
from .engine.columns import ColumnPlan, column_plan, convert_all
from .errors import RubricError
from .io.tabular import UNIT_COLUMNS, check_columns, decimal_text
from .tree import Ruleset

__all__ = ["ColumnScores", "score_columns"]

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

class _Unit(NamedTuple):
    """A unit scored per unit: every node's range and applicability, the grade text,
    the facts that would settle it and the rescaling text."""

    lows: tuple[Decimal, ...]
    highs: tuple[Decimal, ...]
    applicable: tuple[bool, ...]
    grade: str
    missing: tuple[str, ...]
    rescaled: str | None
    warnings: str | None  # the batch's warnings cell (fact readings, constraints)


def python_cell(value: Any) -> Any:
    """A cell as the per-unit path reads it (``score_dataframe``'s reading): NaN, NaT
    and NA are None, numpy scalars Python values, a midnight timestamp a date."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    name = type(value).__name__
    if name in ("NaTType", "NAType"):
        return None
    if name == "datetime64":
        if value != value:
            return None
        value = value.astype("datetime64[us]").item()
        return value.date() if value.time() == value.min.time() else value
    if hasattr(value, "item") and type(value).__module__ == "numpy" and value.ndim == 0:
        return value.item()  # a scalar (an array stays one: its fact refuses it)
    if name == "Timestamp":
        return value.date() if value == value.normalize() else value.to_pydatetime()
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class ColumnScores:
    """The scores of many units, column by column (see the module docstring).

    ``n`` units in input order; ``ids`` the node ids in plan order (the root last);
    ``columnar`` how many units the column engine scored (the rest went per unit; a
    unit scored from lone facts' ranges, ``column_ranges``, counts as columnar).
    """

    def __init__(self, ruleset: Ruleset, n: int, units: list[str] | None,
                 nodes: list[Any] | None, fast: Any, scale: int,
                 per_unit: dict[int, _Unit | str], shown: dict[int, str],
                 warned: dict[int, str] | None = None, ranged: int = 0) -> None:
        self.ruleset = ruleset
        self.n = n
        self._units = units  # None: ``row N``
        self._shown = shown  # names as the per-unit path shows them
        self.steps = column_plan(ruleset).plan.steps
        self.ids = tuple(s.node.id for s in self.steps)
        self._nodes = nodes
        self._fast = fast
        self._scale = scale
        self._per_unit = per_unit
        self._exps: list[Any] | None = None  # each node's exponents (``node_exponents``)
        self._warned = warned or {}  # units scored in columns whose facts warn
        #: units scored in columns, those missing lone facts (``column_ranges``) included
        self.columnar = self.n - len(per_unit) + ranged

    @property
    def units(self) -> list[str]:
        """Each unit's name (``id``/``unit``, the index label, else ``row N``)."""
        units = self._units or [f"row {i + 1}" for i in range(self.n)]
        if self._shown:
            units = list(units)
            for i, name in self._shown.items():
                units[i] = name
        return units

    # -- per node ---------------------------------------------------------------------

    def _index(self, node: str | None) -> int:
        return len(self.ids) - 1 if node is None else self.ids.index(node)

    def _column(self, k: int, side: int) -> list[Decimal | None]:
        out = self._decimals(k, side)
        return out if isinstance(out, list) else out.tolist()

    def _decimals(self, k: int, side: int) -> Any:
        """Node ``k``'s lows (side 0) or highs as an object array of Decimal (None for
        errors): each distinct scaled integer made a Decimal once."""
        np = numpy_or_none()
        if np is None:
            out: Any = [None] * self.n
        else:
            out = np.full(self.n, None, dtype=object)
            if self._nodes is not None and self.columnar:
                ints = self._nodes[k][self._fast]
                s = -self._scale
                if self._exps is None:
                    self._exps = node_exponents(np, self.steps, self._nodes, self._fast,
                                                self._scale, self.ruleset.policy.precision)
                exps = self._exps[k]
                at = np.flatnonzero(self._fast)
                for e in [exps] if isinstance(exps, int) else np.unique(exps).tolist():
                    same = slice(None) if isinstance(exps, int) else exps == e
                    uniq, inverse = distinct(np, ints[same])
                    made = np.empty(len(uniq), dtype=object)
                    made[:] = [Decimal(int(v)).scaleb(s) for v in uniq.tolist()]
                    if e != s:  # exact: the value has no digits past 10^e
                        quantum = Decimal(1).scaleb(e)
                        made[:] = [d.quantize(quantum) for d in made]
                    out[at[same]] = made[inverse]
        for i, unit in self._per_unit.items():
            if isinstance(unit, _Unit):
                out[i] = unit.lows[k] if side == 0 else unit.highs[k]
        return out

    def texts(self, k: int) -> Any:
        """Node ``k``'s output cells as the CSV output writes their text (``cell_text`` of
        the records' values: the score, ``low–high``, ``不适用``; None for errors), an
        object array: each distinct settled score formatted once."""
        np = numpy_or_none()
        out = np.full(self.n, None, dtype=object)
        if self._nodes is not None and self.columnar:
            uniq, inverse = distinct(np, self._nodes[k][self._fast])
            s = -self._scale
            made = np.empty(len(uniq), dtype=object)
            made[:] = [decimal_text(Decimal(int(v)).scaleb(s)) for v in uniq.tolist()]
            out[self._fast] = made[inverse]
        for i, unit in self._per_unit.items():
            if isinstance(unit, _Unit):
                lo, hi = unit.lows[k], unit.highs[k]
                out[i] = (NOT_APPLICABLE_TEXT if not unit.applicable[k] else decimal_text(lo)
                          if lo == hi else f"{decimal_text(lo)}–{decimal_text(hi)}")
        return out

    def scaled(self, k: int, side: int, p: int) -> tuple[Any, Any] | None:
        """Node ``k``'s lows (side 0) or highs times 10**p as an int64 array, and which
        units have one (errors do not); None when a value is no integer at that scale
        or passes int64 (the caller then takes the Decimals)."""
        np = numpy_or_none()
        ints = np.zeros(self.n, dtype=np.int64)
        valid = np.zeros(self.n, dtype=bool)
        if self._nodes is not None and self.columnar:
            fast = self._nodes[k][self._fast]
            if fast.dtype != np.int64 or self._scale < p:
                return None
            unit = 10 ** (self._scale - p)
            if unit > 1:
                if (fast % unit).any():
                    return None
                fast = fast // unit
            ints[self._fast] = fast
            valid[self._fast] = True
        for i, one in self._per_unit.items():
            if isinstance(one, _Unit):
                q = times_ten_to(one.lows[k] if side == 0 else one.highs[k], p)
                if q is None:
                    return None
                ints[i] = q
                valid[i] = True
        return ints, valid

    def _fast_rows(self) -> list[int]:
        np = numpy_or_none()
        return np.flatnonzero(self._fast).tolist()  # type: ignore[no-any-return]

    def low(self, node: str | None = None) -> list[Decimal | None]:
        """Each unit's lowest score of ``node`` (default: the total); None for errors."""
        return self._column(self._index(node), 0)

    def high(self, node: str | None = None) -> list[Decimal | None]:
        """Each unit's highest score of ``node`` (default: the total); None for errors."""
        return self._column(self._index(node), 1)

    def applicable(self, node: str) -> list[bool | None]:
        """Whether ``node`` is assessed for each unit (False: 不适用); None for errors."""
        k = self._index(node)
        out: list[bool | None] = [True] * self.n
        for i, unit in self._per_unit.items():
            out[i] = unit.applicable[k] if isinstance(unit, _Unit) else None
        return out

    # -- per unit ---------------------------------------------------------------------

    @property
    def total_low(self) -> list[Decimal | None]:
        return self.low()

    @property
    def total_high(self) -> list[Decimal | None]:
        return self.high()

    @property
    def total(self) -> list[Decimal | None]:
        """The settled total of each unit, None for a range or an error."""
        return [lo if lo is not None and lo == hi else None
                for lo, hi in zip(self.total_low, self.total_high)]

    @property
    def grade(self) -> list[str | None]:
        """Each unit's grade, ``优/良`` (best first) when its range spans grades."""
        out: list[str | None] = [None] * self.n
        if self._nodes is not None and self.columnar:
            np = numpy_or_none()
            code = column_plan(self.ruleset).grade_codes(np, self._nodes[-1])
            names = np.array([g.name for g in self.ruleset.policy.grades], dtype=object)
            column = np.full(self.n, None, dtype=object)
            column[self._fast] = names[code[self._fast]]
            out = column.tolist()
        for i, unit in self._per_unit.items():
            if isinstance(unit, _Unit):
                out[i] = unit.grade
        return out

    def _of_units(self, field: str, default: Any) -> list[Any]:
        """Each unit's ``field`` of its per-unit scoring, ``default`` for the others."""
        out = [default] * self.n
        for i, unit in self._per_unit.items():
            if isinstance(unit, _Unit):
                out[i] = getattr(unit, field)
        return out

    @property
    def missing(self) -> list[tuple[str, ...]]:
        """Facts that would settle each unit's total (empty when settled)."""
        return self._of_units("missing", ())

    @property
    def rescaled(self) -> list[str | None]:
        """How each unit's total was rescaled to its applicable rows (text), or None."""
        return self._of_units("rescaled", None)

    @property
    def warnings(self) -> list[str | None]:
        """Each unit's warnings about its facts (the batch's ``warnings`` cell), or None."""
        out = self._of_units("warnings", None)
        for i, text in self._warned.items():
            out[i] = text
        return out

    @property
    def errors(self) -> list[str | None]:
        """Why each unit was not scored (the batch's error text), None when it was."""
        out: list[str | None] = [None] * self.n
        for i, unit in self._per_unit.items():
            if isinstance(unit, str):
                out[i] = unit
        return out

    def records(self, first_row: int = 1) -> Iterator[dict[str, Any]]:
        """The batch's output records (``rubric.batch.row_record``), in input order."""
        lows = [self._column(k, 0) for k in range(len(self.ids))]
        highs = [self._column(k, 1) for k in range(len(self.ids))]
        grade, missing, rescaled, units = self.grade, self.missing, self.rescaled, self.units
        warned = self._warned
        for i in range(self.n):
            unit = self._per_unit.get(i)
            rec: dict[str, Any] = {"row": i + first_row, "unit": units[i]}
            if isinstance(unit, str):
                rec["error"] = unit
                yield rec
                continue
            for k, node in enumerate(self.ids):
                lo, hi = lows[k][i], highs[k][i]
                if unit is not None and not unit.applicable[k]:
                    rec[node] = NOT_APPLICABLE_TEXT
                else:
                    assert lo is not None and hi is not None
                    rec[node] = lo if lo == hi else f"{decimal_text(lo)}–{decimal_text(hi)}"
            lo, hi = lows[-1][i], highs[-1][i]
            rec["total"] = lo if lo == hi else None
            rec["total_low"], rec["total_high"] = lo, hi
            rec["grade"] = grade[i]
            rec["rescaled"] = rescaled[i]
            rec["missing_facts"] = ", ".join(missing[i]) or None
            rec["warnings"] = warned.get(i) if unit is None else unit.warnings
            rec["error"] = None
            yield rec

    def to_pandas(self, index: Any = None) -> Any:
        """The DataFrame ``score_dataframe`` returns for the same units (object columns:
        Decimal scores, ``low–high`` text for ranges)."""
        import pandas as pd

        data: dict[str, Any] = {"unit": self.units}
        lows = [self._decimals(k, 0) for k in range(len(self.ids))]
        highs = [self._decimals(k, 1) if self._per_unit else lows[k]
                 for k in range(len(self.ids))]
        for k, node in enumerate(self.ids):
            column = lows[k].copy()  # settled units: the Decimal; the rest patched below
            for i, unit in self._per_unit.items():
                lo, hi = lows[k][i], highs[k][i]
                if isinstance(unit, str):
                    column[i] = None
                elif not unit.applicable[k]:
                    column[i] = NOT_APPLICABLE_TEXT
                elif lo != hi:
                    assert lo is not None and hi is not None
                    column[i] = f"{decimal_text(lo)}–{decimal_text(hi)}"
            data[node] = column
        total = lows[-1].copy()
        for i, unit in self._per_unit.items():
            if isinstance(unit, _Unit) and unit.lows[-1] != unit.highs[-1]:
                total[i] = None
        data["total"] = total
        data["total_low"], data["total_high"] = lows[-1], highs[-1]
        data["grade"] = self.grade
        data["rescaled"] = self.rescaled
        data["missing_facts"] = [", ".join(m) or None for m in self.missing]
        data["warnings"] = self.warnings
        data["error"] = self.errors
        out_cols = [c for c in batch_columns(self.ruleset) if c != "row"]
        return pd.DataFrame({c: pd.Series(data[c], dtype=object, index=index)
                             for c in out_cols}, index=index, columns=out_cols)


def _table(ruleset: Ruleset, columns: Any) -> tuple[list[str], dict[str, Any], int, Any]:
    """Column names, the columns by name, the number of units and the DataFrame index
    (None for a mapping)."""
    if hasattr(columns, "columns") and hasattr(columns, "index") and hasattr(columns, "iloc"):
        names = [str(c) for c in columns.columns]
        check_columns(names, ruleset, "<DataFrame>")
        np = numpy_or_none()
        data: dict[str, Any] = {}
        for name, (_label, series) in zip(names, columns.items()):
            values = series.to_numpy()
            if np is not None and series.dtype != object and _is_text(series.dtype):
                values = series.to_numpy(dtype=object, na_value=None)  # str or None
            elif np is None or values.dtype == object or type(values) is not np.ndarray \
                    or values.dtype.kind not in "biufM":
                values = [python_cell(v) for v in series.to_numpy(dtype=object)]
            data[name] = values
        return names, data, len(columns.index), columns.index
    names = [str(c) for c in columns]
    check_columns(names, ruleset, "<columns>")
    data = {str(c): v for c, v in columns.items()}
    lengths = {len(v) for v in data.values()}
    if len(lengths) > 1:
        raise RubricError("columns of different lengths: " + ", ".join(
            f"{c} {len(v)}" for c, v in data.items()), expected="one value per unit in each")
    return names, data, lengths.pop() if lengths else 0, None


def _is_text(dtype: Any) -> bool:
    """Whether a pandas column holds only text (and missing values)."""
    import pandas as pd

    return bool(pd.api.types.is_string_dtype(dtype))


def _unit_names(data: Mapping[str, Any], n: int, index: Any) -> list[str] | None:
    """Each unit's name as the batch names it (``id``/``unit``, else the index label,
    else ``row N``: None)."""
    named = [c for c in UNIT_COLUMNS if c in data]
    if not named and index is None:
        return None
    if not named and index is not None:
        if getattr(index.dtype, "kind", "O") in "iu":  # str(label), as the batch names it
            keys: Sequence[str] = index.astype(str).tolist()
        else:
            keys = [str(k).strip() for k in index]
        return [k or f"row {i + 1}" for i, k in enumerate(keys)]
    out = []
    for i in range(n):
        name = None
        for c in named:
            raw = python_cell(data[c][i])
            if name is None and not _blank(raw):
                name = str(raw).strip()
        out.append(name if name is not None else f"row {i + 1}")
    return out


def score_columns(ruleset: Ruleset, columns: Mapping[str, Sequence[Any]] | Any, *,
                  complete: bool = False) -> ColumnScores:
    """Score every unit of ``columns`` (see the module docstring); bad units are
    reported in ``errors`` and every other unit is still scored."""
    names, data, n, index = _table(ruleset, columns)
    units = _unit_names(data, n, index)
    np = numpy_or_none()
    cp = column_plan(ruleset)
    nodes, fast = None, None
    named = any(c in UNIT_COLUMNS for c in names)
    labels: list[Any] = []  # the index labels as pandas iterates them, once needed

    def values_of(i: int) -> dict[str, Any]:
        """Unit ``i``'s values as the per-unit path takes them."""
        values = {c: python_cell(data[c][i]) for c in names}
        if not named and index is not None:
            if not labels:
                labels.extend(index)
            values = {"id": str(labels[i]), **values}
        return values

    per_unit: dict[int, _Unit | str] = {}
    shown: dict[int, str] = {}
    ranged_count = 0
    converted = None
    if np is not None and cp.supported and n:
        try:
            converted = convert_all(np, cp, data, n, warn=True)
        except (TypeError, ValueError):  # a cell numpy cannot compare (an array): per unit
            converted = None
    if converted is not None:
        cols, ok = converted
        others = np.ones(n, dtype=bool)  # every check but the conversion of the facts
        extra = [c for c in names if c not in cp.inputs and c not in UNIT_COLUMNS]
        for c in extra:  # rows given as 不适用 by a column: the per-unit path splits them
            others &= np.array([_blank(python_cell(v)) for v in data[c]], dtype=bool)
        if complete:
            for name in cp.inputs:
                if name not in data:
                    others[:] = False
                else:
                    others &= ~np.array([_blank(python_cell(v)) for v in data[name]],
                                        dtype=bool)
        if units is not None:
            others &= np.array([_UNPRINTABLE.search(u) is None for u in units], dtype=bool)
        ok &= others
        ranged, exempt = (ranged_units(np, cp, data, cols, ok, others) if not complete
                          else (np.zeros(n, dtype=bool), {}))
        nodes_ints, fast = cp.run(np, cols, ok | ranged, exempt)
        nodes = [x.a for x in nodes_ints]
        warned = _warnings(np, cp, cols, data, fast)  # may send a unit per unit (fast)
        at = np.flatnonzero(fast & ranged)
        if len(at):
            fast[at] = False  # scored below from the ranges, else per unit
            from_ranges = _ranged(np, cp, nodes, at, exempt, values_of, warned, units,
                                  complete)
            per_unit.update(from_ranges)
            ranged_count = len(from_ranges)
            for i in at.tolist():  # those not scored so: their warnings come per unit
                warned.pop(i, None)
        slow = [i for i in np.flatnonzero(~fast).tolist() if i not in per_unit]
    else:
        warned = {}
        slow = list(range(n))
    if slow:
        rows = [(i + 1, values_of(i)) for i in slow]
        for i, row in zip(slow, score_batch(ruleset, rows, complete=complete)):
            shown[i] = row.unit  # as the batch shows it (control characters escaped)
            per_unit[i] = _unit_of(row)
    return ColumnScores(ruleset, n, units, nodes, fast, cp.scale, per_unit, shown, warned,
                        ranged_count)


def _unit_of(row: Any) -> _Unit | str:
    """A ``BatchRow`` as ``ColumnScores`` keeps a unit scored per unit (or its error)."""
    result = row.result
    if result is None:
        return row.error or "not scored"
    recs = result.records
    grade = result.grade if result.grade is not None else "/".join(result.grades)
    return _Unit(tuple(r.low for r in recs), tuple(r.high for r in recs),
                 tuple(r.applicable for r in recs), grade, result.missing,
                 result.rescaling_text(), WARNING_SEPARATOR.join(result.fact_warnings) or None)


def _ranged(np: Any, cp: ColumnPlan, nodes: list[Any], at: Any, exempt: Mapping[int, Any],
            values_of: Any, warned: dict[int, str], units: list[str] | None,
            complete: bool) -> dict[int, _Unit]:
    """Units ``at``, missing only lone facts, scored from the columns and the lone rows'
    ranges (``column_ranges``); empty (they go per unit) unless each unit a range was
    taken from is exactly, Decimal exponents included, what the per-unit path gives."""
    got = range_scores(np, cp, nodes, at, exempt, values_of)
    if got is None:
        return {}
    lows, highs, grades, missing, taken = got
    s = -cp.scale
    made: dict[int, Decimal] = {}

    def dec(v: int) -> Decimal:
        d = made.get(v)
        if d is None:
            d = made[v] = Decimal(v).scaleb(s)
        return d

    applicable = (True,) * len(lows)
    low_rows, high_rows = list(zip(*[x.tolist() for x in lows])), \
        list(zip(*[x.tolist() for x in highs]))
    out: dict[int, _Unit] = {}
    for j, i in enumerate(at.tolist()):
        out[i] = _Unit(tuple(map(dec, low_rows[j])), tuple(map(dec, high_rows[j])), applicable,
                       grades[j], missing[j], None, warned.pop(i, None))
    rows = [(i + 1, values_of(i)) for i in taken]
    for i, row in zip(taken, score_batch(cp.ruleset, rows, complete=complete)):
        want = _unit_of(row)
        name = units[i] if units is not None else f"row {i + 1}"
        if (not isinstance(want, _Unit) or row.unit != name
                or _exactly(want) != _exactly(out[i])):
            return {}  # every one per unit, warnings and all
    return out


def _exactly(unit: _Unit) -> tuple[Any, ...]:
    """A unit's scores with their Decimal exponents (``str``), for an exact comparison."""
    return (tuple(map(str, unit.lows)), tuple(map(str, unit.highs)), *unit[2:])


def _warnings(np: Any, cp: ColumnPlan, cols: Mapping[str, Converted], data: Mapping[str, Any],
              fast: Any) -> dict[int, str]:
    """The warnings cell of each unit scored in columns whose facts warn: each fact's
    warning (``percent_warning``, the per-unit conversion's text for the raw cell, each
    distinct cell once), in the order the facts are declared, as ``coerce_facts`` gives
    them, joined as the batch joins them. A cell the per-unit conversion refuses sends
    its unit per unit (``fast`` is cleared for it)."""
    per_fact: list[tuple[list[int], list[str], list[int]]] = []  # warned, texts, refused
    for name, col in cols.items():  # input facts in declared order (convert_all)
        if col.warn is None:
            continue
        idx = np.flatnonzero(col.warn & fast)
        if not len(idx):
            continue
        spec, reading = cp.inputs[name], cp.readings[name]
        assert reading is not None
        raw = data[name]
        if isinstance(raw, np.ndarray) and raw.dtype.kind in "iuf":  # equal numbers, same text
            uniq, inverse = np.unique(raw[idx], return_inverse=True)
            texts = [percent_warning(spec, python_cell(v), reading) for v in uniq]
            table = np.empty(len(texts), dtype=object)
            table[:] = texts
            kind = np.array([0 if t is None else 1 if type(t) is str else 2 for t in texts],
                            dtype=np.int8)[inverse]  # each distinct text judged once
            warns = kind == 1
            per_fact.append((idx[warns].tolist(), table[inverse[warns]].tolist(),
                             idx[kind == 2].tolist()))
            continue
        known: dict[tuple[type, object], Any] = {}
        each = []
        at = idx.tolist()
        for i in at:
            cell = python_cell(raw[i])
            key = (type(cell), str(cell) if type(cell) is Decimal else cell)
            text = known.get(key, _UNSEEN)
            if text is _UNSEEN:
                text = known[key] = percent_warning(spec, cell, reading)
            each.append(text)
        per_fact.append(([i for i, t in zip(at, each) if type(t) is str],
                         [t for t in each if type(t) is str],
                         [i for i, t in zip(at, each) if t is not None and type(t) is not str]))
    refused = [i for _at, _each, no in per_fact for i in no]
    if refused:
        fast[refused] = False
    if len(per_fact) == 1 and not refused:  # one fact warns (the usual case)
        return dict(zip(per_fact[0][0], per_fact[0][1]))
    found: dict[int, list[str]] = {}
    for at, each, _no in per_fact:
        for i, text in zip(at, each):
            found.setdefault(i, []).append(text)
    return {i: WARNING_SEPARATOR.join(texts) for i, texts in found.items() if fast[i]}


_UNSEEN: Any = object()
