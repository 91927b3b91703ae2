"""The claimed file: what a filed table printed, read with line numbers so findings and
bad input point at ``file:line``.

A filed table prints 得分 (claims, by node id; a cell left empty is *blank*: not scored,
reported by the audit, never a load error), 分值 (by node id, where printed), the
合计 (``total``) and facts or derived values beside the rows (``printed``: the 执行率
``86%`` as printed, checked against the facts at the printed precision).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..errors import LoadError, Location, Problem, RubricError
from ..facts import suggest, to_decimal
from ..units import split_quantity

__all__ = ["KEYS", "Claimed", "PrintedValue", "claim_at", "load_claimed", "printed_value"]

#: the top-level keys of a claimed file
KEYS = ("scores", "maxima", "total", "printed")


def _dec_map(value: Mapping[str, Any] | None) -> Mapping[str, Decimal]:
    return {str(k): to_decimal(v, f"claimed value of '{k}'") for k, v in (value or {}).items()}


def _opt_dec(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, "claimed total")


@attrs.frozen
class PrintedValue:
    """A fact or derived value as the table printed it: ``86%`` is ``number`` 86 in
    ``unit`` ``%`` with 0 ``decimals`` (the precision a computed value is checked at)."""

    text: str
    number: Decimal
    unit: str | None

    @property
    def decimals(self) -> int:
        exponent = self.number.as_tuple().exponent
        return max(-exponent, 0) if isinstance(exponent, int) else 0


def printed_value(value: object) -> PrintedValue:
    """A printed value (a number, or text with a unit: ``"86%"``, ``"120 万元"``) read
    exactly; ValueError when it does not start with a number."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise ValueError(value)
    text = str(value).strip()
    if isinstance(value, (int, Decimal)):
        return PrintedValue(text, Decimal(text), None)
    number, unit = split_quantity(text)
    return PrintedValue(text, number, unit.strip() if unit else None)


def _ids(value: Iterable[str]) -> frozenset[str]:
    return frozenset(str(v) for v in value)


def _printed_map(value: Mapping[str, Any] | None) -> Mapping[str, PrintedValue]:
    return {str(k): v if isinstance(v, PrintedValue) else printed_value(v)
            for k, v in (value or {}).items()}


@attrs.frozen
class Claimed:
    """What a filed table claims: 得分 by node id, printed 分值 by node id, the total.

    ``total`` is the claim for the root (合计); ``blank`` holds the ids whose 得分 cell
    was printed empty (``total_blank``: the 合计 cell); ``printed`` the facts and
    derived values printed beside the rows, by fact name. ``lines`` maps
    ``"scores.<id>"``, ``"maxima.<id>"``, ``"printed.<fact>"`` and ``"total"`` to line
    numbers in ``source`` (for messages).
    """

    scores: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_dec_map)
    maxima: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_dec_map)
    total: Decimal | None = attrs.field(default=None, converter=_opt_dec)
    source: str | None = attrs.field(default=None, eq=False)
    lines: Mapping[str, int] = attrs.field(factory=dict, eq=False, repr=False)
    blank: frozenset[str] = attrs.field(default=frozenset(), converter=_ids)
    total_blank: bool = False
    printed: Mapping[str, PrintedValue] = attrs.field(factory=dict, converter=_printed_map)

    def where(self, key: str) -> str | None:
        """``file:line`` of a key (``scores.预算调整率``), or just the file, or None."""
        if self.source is None:
            return None
        line = self.lines.get(key)
        return f"{self.source}:{line}" if line else self.source

    def blank_ids(self, root: str) -> Iterable[str]:
        """The ids printed with an empty 得分 (``root`` for an empty 合计)."""
        return (*sorted(self.blank), *((root,) if self.total_blank else ()))


def claim_at(claimed: Claimed, key: str) -> tuple[str | None, int | None]:
    """The file and line of a claimed key (``scores.预算调整率``), as ``Claimed`` keeps them."""
    return claimed.source, claimed.lines.get(key) if claimed.source is not None else None


def load_claimed(path: str | os.PathLike[str]) -> Claimed:
    """Read a claimed YAML file (``scores``, ``maxima``, ``total``, ``printed``).

    The file is read by the located reader (``io.located_yaml``), as rulesets and
    facts are. Every problem is reported at once as a ``LoadError`` with ``file:line``:
    unknown top-level keys, duplicate keys and ids, values that are not numbers. An
    empty 得分 or 合计 (``预算执行率:`` with no value, or ``""``) is blank, not an error;
    an empty 分值 is a 分值 not printed.
    """
    from ..io.files import check_text_file
    from ..io.located_yaml import Doc, PathT, parse

    name = os.fspath(path)

    def duplicate(at_path: PathT, at: Location, first: int | None) -> Problem | None:
        if len(at_path) == 2 and at_path[0] in ("scores", "maxima", "printed"):
            return Problem(f"'{at_path[1]}' is listed twice under {at_path[0]} (first on line "
                           f"{first})", file=name, line=at.line, path=at.path,
                           expected="each id once")
        return None  # the reader's "duplicate key" problem

    doc: Doc
    doc, problems = parse(check_text_file(name), filename=name, duplicate=duplicate)
    lines: dict[str, int] = {}
    data: dict[str, Any] = {"scores": {}, "maxima": {}, "total": None, "printed": {}}
    blank: set[str] = set()
    total_blank = False
    root = {} if doc.data is None else doc.data
    if not isinstance(root, dict):
        raise LoadError([Problem("a claimed file is a mapping", file=name,
                                 line=doc.where(())[0], expected="keys " + ", ".join(KEYS),
                                 example="scores: {预算调整率: 5}")])
    for raw_key, value in root.items():
        key = str(raw_key)
        line = doc.where_key((raw_key,))[0]
        if key == "total":
            lines["total"] = doc.where((raw_key,))[0]
            if _empty(value):
                total_blank = True
            else:
                data["total"] = _number(value, doc, (raw_key,), problems)
        elif key in ("scores", "maxima", "printed"):
            if value is None:
                continue
            if not isinstance(value, dict):
                what = "fact names to printed values" if key == "printed" else "node ids to numbers"
                problems.append(Problem(f"'{key}' maps {what}", file=name,
                                        line=line, path=f"$.{key}",
                                        example=f"{key}: {{预算执行率: 86%}}" if key == "printed"
                                        else f"{key}: {{预算调整率: 5}}"))
                continue
            for raw_id, v in value.items():
                node_id = str(raw_id)
                lines[f"{key}.{node_id}"] = doc.where_key((raw_key, raw_id))[0]
                if _empty(v) and key != "printed":
                    if key == "scores":
                        blank.add(node_id)
                    continue  # an empty 分值: not printed
                if key == "printed":
                    shown = _printed(v, doc, (raw_key, raw_id), problems)
                    if shown is not None:
                        data[key][node_id] = shown
                    continue
                number = _number(v, doc, (raw_key, raw_id), problems)
                if number is not None:
                    data[key][node_id] = number
        else:
            hint = suggest(key, KEYS)
            problems.append(Problem(
                f"unknown key '{key}'" + (f" (did you mean '{hint}'?)" if hint else ""),
                file=name, line=line, path=f"$.{key}", expected="scores, maxima, total or printed",
                example="total: 98"))
    if problems:
        raise LoadError(problems)
    return Claimed(data["scores"], data["maxima"], data["total"], source=name, lines=lines,
                   blank=blank, total_blank=total_blank, printed=data["printed"])


def _empty(value: object) -> bool:
    """An empty cell: no value, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _printed(value: object, doc: Any, path: tuple[Any, ...], problems: list[Problem]
             ) -> PrintedValue | None:
    """``value`` as a printed fact (``86%``), else a Problem at its line."""
    line, col = doc.where(path)
    if any((p.line, p.col) == (line, col) for p in problems):
        return None
    try:
        return printed_value(value)
    except (ValueError, RubricError):
        shown = "an empty cell" if _empty(value) else f"'{value}'"
        problems.append(Problem(f"{shown} is not a printed value",
                                file=doc.filename, line=line, col=col,
                                path="$." + ".".join(str(p) for p in path),
                                expected="a number, with its unit as printed",
                                example="预算执行率: 86%"))
        return None


def _number(value: object, doc: Any, path: tuple[Any, ...], problems: list[Problem]
            ) -> Decimal | None:
    """``value`` (at ``path`` in ``doc``) as a number of points, else a Problem there."""
    line, col = doc.where(path)
    where = "$." + ".".join(str(p) for p in path)
    if any((p.line, p.col) == (line, col) for p in problems):  # the reader refused it (0x10)
        return None
    if value is None or isinstance(value, (dict, list)) or value == "":
        problems.append(Problem("expected a number of points", file=doc.filename, line=line,
                                col=col, path=where, expected="a number",
                                example="5 or 8.62"))
        return None
    try:
        return to_decimal(value)
    except RubricError:
        text = str(value).lower() if isinstance(value, bool) else value  # as written
        problems.append(Problem(f"'{text}' is not a number", file=doc.filename, line=line,
                                col=col, path=where, expected="a number of points",
                                example="5 or 8.62"))
        return None
