"""Batch sheets as finance staff keep them: title rows, 序号, 项目名称, units in headers.

``find_header`` picks the header row: the first of the first ``HEADER_SCAN`` rows with a
cell that names something of the ruleset (an input fact, with or without a unit in
brackets, ``id``/``unit``, ``项目名称``/``单位名称``, a header of the column map, a row
given as not applicable); the rows above it (titles, blank rows) are skipped. When no
row qualifies, the first non-empty row is the header (and its columns are refused as
before). ``layout_of`` reads each header cell:

* a column map entry (``--columns``/``columns=``: ``header=fact,header=fact``, a YAML
  file or a mapping) names the fact; the target ``-`` keeps the column as a passed-through
  one;
* an input fact, ``id``/``unit``, a row key: as before;
* ``全年预算数（万元）``, ``全年预算数(万元)``, ``全年预算数[万元]``, ``全年预算数【万元】``:
  the fact ``全年预算数`` whose plain-number cells are in 万元 (``100`` reads as
  ``100 万元``, converted exactly); a cell with its own unit keeps it. A header unit of
  another dimension than the fact's (or an unknown unit) is an error naming the column;
  for a fact that is not a number the bracketed text is a note and is ignored;
* ``项目名称``/``单位名称``: the unit's name when there is no ``id``/``unit`` column,
  else passed through;
* ``序号`` and any other column: passed through to the output, unscored — except a
  header close to an input fact's name (a likely misspelling: refused with a suggestion,
  map it with ``-`` to keep it), a derived fact, an empty header between named columns,
  and a fact given twice, which stay file errors.

JSON Lines have no header row: with a column map, ``keyed_lines`` reads each line's keys
as a header (the same ``layout_of``, cached per set of keys), so ``{"资金总额（万元）": 100}``
maps and converts as a CSV column would. A key that the map does not name and that is
not a fact, ``id``/``unit`` or ``项目名称`` is that line's error (the line has no header
to pass it through under); the keys mapped to ``-`` are passed through to the output.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..errors import LoadError, Problem, RubricError
from ..facts import suggest
from ..numbers import ungrouped
from ..tree import Ruleset
from ..units import conversion_factor
from . import located_yaml
from .files import check_text_file

__all__ = ["HEADER_SCAN", "NAME_COLUMNS", "PASS", "Layout", "SheetRow", "find_header",
           "keyed_layout", "keyed_lines", "layout_of", "parse_column_map"]

#: rows searched for the header row
HEADER_SCAN = 20
#: columns naming the unit when there is no ``id``/``unit`` column
NAME_COLUMNS = ("项目名称", "单位名称")
#: the column-map target that keeps a column as passed through
PASS = "-"
_UNIT_COLUMNS = ("id", "unit")
_BRACKETED = re.compile(r"^(?P<name>.+?)\s*[（(\[【]\s*(?P<unit>[^（()）\[\]【】]+?)\s*[)）\]】]$")
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class SheetRow(dict[str, Any]):
    """A row's facts, with the passed-through cells in ``extras``."""

    extras: dict[str, Any]


@attrs.frozen
class Layout:
    """How a header's columns are read: per column, its target (a fact, ``unit``, or
    None: passed through) and the unit of its plain-number cells."""

    header: tuple[str, ...]
    targets: tuple[str | None, ...]
    units: tuple[str | None, ...]
    passthrough: tuple[str, ...]
    header_row: int = 1

    @property
    def plain(self) -> bool:
        """Whether rows read by this header need no change (every column its own fact
        name, no units in headers, nothing passed through)."""
        return (not self.passthrough and all(u is None for u in self.units)
                and all(t == c for t, c in zip(self.targets, self.header)))

    def apply(self, cells: Mapping[str, Any] | Sequence[Any]) -> SheetRow:
        """A row (a mapping by header, or cells in column order) as facts + extras."""
        values = (list(cells.values()) if isinstance(cells, Mapping) else list(cells))
        row = SheetRow()
        extras: dict[str, Any] = {}
        for col, target, unit, cell in zip(self.header, self.targets, self.units, values):
            if target is None:
                extras[col] = cell
                continue
            value = cell if unit is None else _with_unit(cell, unit)
            if target not in row or _blank(row[target]):
                row[target] = value
        row.extras = extras
        return row


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _with_unit(value: Any, unit: str) -> Any:
    """A plain-number cell with the header's unit attached; other cells unchanged."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return f"{Decimal(repr(value))} {unit}"
    if isinstance(value, (int, Decimal)):
        return f"{value} {unit}"
    if isinstance(value, str):  # full-width digits and commas (１，０００) are plain too
        text = ungrouped(unicodedata.normalize("NFKC", value).strip())
        if _PLAIN.fullmatch(text):
            return f"{text} {unit}"
    return value


def parse_column_map(spec: str | os.PathLike[str] | Mapping[str, str] | None
                     ) -> dict[str, str]:
    """A column map from a mapping, a YAML file (``header: fact``) or ``h=f,h=f`` text."""
    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        return {str(k).strip(): str(v).strip() for k, v in spec.items()}
    text = os.fspath(spec)
    if text.endswith((".yaml", ".yml")) or ("=" not in text and Path(text).is_file()):
        # read as every rubric YAML file is: a key given twice, a file that is not UTF-8
        # or not there is an error naming the file (and line)
        data = located_yaml.read(check_text_file(text)).data
        if not isinstance(data, dict):
            raise RubricError(f"the column map '{text}' is not a mapping",
                              expected="header: fact lines", example="项目资金（万元）: 全年预算数")
        return parse_column_map({str(k): str(v) for k, v in data.items()})
    out: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        header, sep, fact = part.partition("=")
        if not sep or not header.strip() or not fact.strip():
            raise RubricError(f"column map entry '{part.strip()}' is not header=fact",
                              expected="header=fact,header=fact, or a YAML file",
                              example="资金总额=全年预算数,备注=-")
        name = header.strip()
        if name in out:  # the later entry would win silently
            raise RubricError(f"column map: '{name}' is mapped twice",
                              expected="each header once in the map",
                              example="资金总额=全年预算数,备注=-")
        out[name] = fact.strip()
    return out


def _resolve(cell: str, ruleset: Ruleset, mapping: Mapping[str, str]
             ) -> tuple[str, str | None] | None:
    """(target, header unit) when ``cell`` names something of the ruleset, else None."""
    known = ruleset.specs
    if cell in mapping:  # a mapped header keeps the unit in its brackets
        target = mapping[cell]
        m = _BRACKETED.match(cell)
        spec = known.get(target)
        number = spec is not None and spec.type == "number"
        return target, (m["unit"] if m is not None and number else None)
    if cell in _UNIT_COLUMNS or ruleset.is_row_key(cell):
        return cell, None
    spec = known.get(cell)
    if spec is not None and not spec.derived:
        return cell, None
    m = _BRACKETED.match(cell)
    if m is not None:
        name = mapping.get(m["name"], m["name"])
        spec = known.get(name)
        if spec is not None and not spec.derived:
            return name, (m["unit"] if spec.type == "number" else None)
    return None


def find_header(rows: Iterator[Any], ruleset: Ruleset,
                mapping: Mapping[str, str] | None = None,
                values: Callable[[Any], Sequence[Any]] = list) -> tuple[list[Any], int]:
    """Read ``rows`` up to the header row (see the module docstring), no further than
    needed: (the rows read, the header's index among them). ``values`` gives a row's
    cell values."""
    mapping = mapping or {}
    head: list[Any] = []
    first = None
    for row in rows:
        head.append(row)
        texts = [_text(c) for c in values(row)]
        if any(texts):
            if first is None:
                first = len(head) - 1
            if any(t in NAME_COLUMNS or _resolve(t, ruleset, mapping) is not None
                   for t in texts if t):
                return head, len(head) - 1
        if len(head) >= HEADER_SCAN:
            break
    return head, (first if first is not None else 0)


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def layout_of(header: Sequence[str], ruleset: Ruleset, file: str,
              mapping: Mapping[str, str] | None = None, *, line: int = 1) -> Layout:
    """The ``Layout`` of ``header`` (row ``line`` of ``file``); LoadError listing every
    column refused (see the module docstring)."""
    mapping = mapping or {}
    inputs = {s.name for s in ruleset.input_facts()}
    targets: list[str | None] = []
    units: list[str | None] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    example = next(iter(sorted(inputs)), None)
    for i, col in enumerate(header, start=1):
        target: str | None = None
        unit: str | None = None
        if not col:
            problems.append(Problem(f"column {i} has no header", file=file, line=line, col=i,
                                    expected="a fact name in every column's header "
                                    "(delete the column if it is not needed)",
                                    example=example))
        elif mapping.get(col) == PASS:
            pass
        elif (found := _resolve(col, ruleset, mapping)) is not None:
            target, unit = found
            spec = ruleset.specs.get(target)
            if (target not in inputs and target not in _UNIT_COLUMNS
                    and not ruleset.is_row_key(target)):
                hint = suggest(target, inputs)
                problems.append(Problem(
                    f"column '{col}' is mapped to '{target}', which is not an input fact"
                    + (f" (did you mean '{hint}'?)" if hint else ""), file=file, line=line,
                    col=i, expected="input fact names", example=example))
                target = None
            elif unit is not None and spec is not None:
                try:
                    conversion_factor(unit, spec.unit, spec.unit_system)
                except RubricError as exc:
                    problems.append(Problem(
                        f"column '{col}': the header's unit '{unit}' does not fit the fact "
                        f"'{target}' ({exc.message})", file=file, line=line, col=i,
                        expected=f"a unit of the same kind as {spec.unit or 'a pure number'}",
                        example=f"{target}（{spec.unit}）" if spec.unit else target))
        elif col in NAME_COLUMNS:
            target = "unit"
        else:
            spec = ruleset.specs.get(col)
            base = m["name"] if (m := _BRACKETED.match(col)) is not None else col
            hint = suggest(base, inputs)
            if spec is not None and spec.derived:
                problems.append(Problem(
                    f"column '{col}' is a derived fact ({spec.formula}); give its inputs",
                    file=file, line=line, col=i,
                    expected="input fact names, and optionally id or unit", example=example))
            elif hint is not None and base != "序号":
                problems.append(Problem(
                    f"column '{col}' is not an input fact of the ruleset (did you mean "
                    f"'{hint}'?)", file=file, line=line, col=i,
                    expected=f"input fact names; to keep the column as it is, "
                             f"--columns '{col}=-'", example=example))
        if target is not None:
            if target in seen and target != "unit":
                problems.append(Problem(f"column '{col}' gives '{target}' a second time",
                                        file=file, line=line, col=i,
                                        expected="each fact in one column"))
            seen.add(target)
        elif col and col in seen:
            problems.append(Problem(f"column '{col}' appears twice", file=file, line=line,
                                    col=i, expected="each column once"))
        if col and target is None:
            seen.add(col)
        targets.append(target)
        units.append(unit)
    if problems:
        raise LoadError(problems)
    has_id = any(t in _UNIT_COLUMNS and header[i] in _UNIT_COLUMNS
                 for i, t in enumerate(targets))
    if has_id:  # 项目名称 beside an id column: passed through
        targets = [None if (t == "unit" and header[i] in NAME_COLUMNS) else t
                   for i, t in enumerate(targets)]
    passthrough = tuple(c for c, t in zip(header, targets) if t is None and c)
    return Layout(tuple(header), tuple(targets), tuple(units), passthrough, line)


def keyed_layout(mapping: Mapping[str, str]) -> Layout:
    """The ``Layout`` a batch writes JSON Lines read with ``mapping`` by: no header, the
    keys mapped to ``-`` passed through."""
    return Layout((), (), (), tuple(k for k, v in mapping.items() if v == PASS))


def keyed_lines(rows: Iterator[tuple[int, Any]], ruleset: Ruleset, file: str,
                mapping: Mapping[str, str]) -> Iterator[tuple[int, Any]]:
    """JSON Lines rows (``(line, mapping)``, or ``(line, error)``) with each line's keys read
    as a header by ``layout_of``; a line whose keys are refused yields its LoadError."""
    layouts: dict[tuple[str, ...], Layout] = {}
    for number, data in rows:
        if isinstance(data, Exception):
            yield number, data
            continue
        keys = tuple(str(k) for k in data)
        layout = layouts.get(keys)
        if layout is None:
            try:
                layout = layout_of(keys, ruleset, file, mapping, line=number)
            except LoadError as exc:
                yield number, exc
                continue
            stray = [c for c in layout.passthrough if mapping.get(c) != PASS]
            if stray:
                yield number, LoadError([Problem(
                    f"key '{c}' is not an input fact of the ruleset", file=file, line=number,
                    expected=f"input fact names; to keep the key as it is, --columns '{c}=-'")
                    for c in stray])
                continue
            layouts[keys] = layout
        yield number, layout.apply(data)
