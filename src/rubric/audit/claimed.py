"""The claimed file: what a filed table claims (得分, printed 分值, the total), read
with line numbers so findings and bad input point at ``file:line``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..errors import LoadError, Location, Problem, RubricError
from ..facts import suggest, to_decimal

__all__ = ["Claimed", "claim_at", "load_claimed"]


def _dec_map(value: Mapping[str, Any] | None) -> Mapping[str, Decimal]:
    return {str(k): to_decimal(v, f"claimed value of '{k}'") for k, v in (value or {}).items()}


def _opt_dec(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, "claimed total")


@attrs.frozen
class Claimed:
    """What a filed table claims: 得分 by node id, printed 分值 by node id, the total.

    ``total`` is the claim for the root (合计); ``lines`` maps ``"scores.<id>"``,
    ``"maxima.<id>"`` and ``"total"`` to line numbers in ``source`` (for messages).
    """

    scores: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_dec_map)
    maxima: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_dec_map)
    total: Decimal | None = attrs.field(default=None, converter=_opt_dec)
    source: str | None = attrs.field(default=None, eq=False)
    lines: Mapping[str, int] = attrs.field(factory=dict, eq=False, repr=False)

    def where(self, key: str) -> str | None:
        """``file:line`` of a key (``scores.预算调整率``), or just the file, or None."""
        if self.source is None:
            return None
        line = self.lines.get(key)
        return f"{self.source}:{line}" if line else self.source



def claim_at(claimed: Claimed, key: str) -> tuple[str | None, int | None]:
    """The file and line of a claimed key (``scores.预算调整率``), as ``Claimed`` keeps them."""
    return claimed.source, claimed.lines.get(key) if claimed.source is not None else None



def load_claimed(path: str | os.PathLike[str]) -> Claimed:
    """Read a claimed-scores YAML file (``scores``, ``maxima``, ``total``).

    The file is read by the located reader (``io.located_yaml``), as rulesets and
    facts are. Every problem is reported at once as a ``LoadError`` with ``file:line``:
    unknown top-level keys, duplicate keys and ids, values that are not numbers.
    """
    from ..io.files import check_text_file
    from ..io.located_yaml import Doc, PathT, parse

    name = os.fspath(path)

    def duplicate(at_path: PathT, at: Location, first: int | None) -> Problem | None:
        if len(at_path) == 2 and at_path[0] in ("scores", "maxima"):
            return Problem(f"'{at_path[1]}' is listed twice under {at_path[0]} (first on line "
                           f"{first})", file=name, line=at.line, path=at.path,
                           expected="each id once")
        return None  # the reader's "duplicate key" problem

    doc: Doc
    doc, problems = parse(check_text_file(name), filename=name, duplicate=duplicate)
    lines: dict[str, int] = {}
    data: dict[str, Any] = {"scores": {}, "maxima": {}, "total": None}
    root = {} if doc.data is None else doc.data
    if not isinstance(root, dict):
        raise LoadError([Problem("a claimed file is a mapping", file=name,
                                 line=doc.where(())[0], expected="keys scores, maxima, total",
                                 example="scores: {预算调整率: 5}")])
    for raw_key, value in root.items():
        key = str(raw_key)
        line = doc.where_key((raw_key,))[0]
        if key == "total":
            lines["total"] = doc.where((raw_key,))[0]
            data["total"] = _number(value, doc, (raw_key,), problems)
        elif key in ("scores", "maxima"):
            if value is None:
                continue
            if not isinstance(value, dict):
                problems.append(Problem(f"'{key}' maps node ids to numbers", file=name,
                                        line=line, path=f"$.{key}",
                                        example=f"{key}: {{预算调整率: 5}}"))
                continue
            for raw_id, v in value.items():
                node_id = str(raw_id)
                lines[f"{key}.{node_id}"] = doc.where_key((raw_key, raw_id))[0]
                number = _number(v, doc, (raw_key, raw_id), problems)
                if number is not None:
                    data[key][node_id] = number
        else:
            hint = suggest(key, ("scores", "maxima", "total"))
            problems.append(Problem(
                f"unknown key '{key}'" + (f" (did you mean '{hint}'?)" if hint else ""),
                file=name, line=line, path=f"$.{key}", expected="scores, maxima or total",
                example="total: 98"))
    if problems:
        raise LoadError(problems)
    return Claimed(data["scores"], data["maxima"], data["total"], source=name, lines=lines)


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
