"""Read one band of a ``bands`` rule: its interval (``range``, ``equals`` or lower/upper)
and its points, a number or a score range the evaluator picks within (``points: [7, 9]``
or ``points: "7-9"``), and a deduction inside it (``then: {step: 1, per_step: 0.5}``)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import attrs

from ..errors import RulesetError
from ..rules import Band
from .field_types import describe
from .ranges import parse_range

__all__ = ["BAND_KEYS", "points_range", "read_band"]

BAND_KEYS = ("points", "range", "equals", "lower", "upper", "lower_closed", "upper_closed",
             "then")
_RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:-|–|~|到|至)\s*(\d+(?:\.\d+)?)\s*分?\s*$")
# (range text, fact unit, id of the unit system) -> (that system, the fields it reads as):
# a table repeats its band texts row after row; the parse is reused (its Decimals are
# immutable, and ``dump`` writes a shared number as a number, never as an alias)
_PARSED: dict[tuple[str, str | None, int], tuple[Any, dict[str, Any]]] = {}
_PARSED_MAX = 4096
_SCALARS = (str, int, bool, type(None))


def _band_key(value: object, unit: str | None, system: Any) -> tuple[Any, ...] | None:
    """All that ``read_band`` reads a band from: the unit and units of the fact, and each
    key of the mapping with the type and the value of its scalar (a Decimal by its text:
    ``5`` and ``5.0`` differ); None when the mapping holds anything but scalars (a
    ``then:``, a score range as a list). A table writes the same bands row after row."""
    if type(value) is not dict:
        return None
    key: list[Any] = [unit, id(system)]
    for name, raw in value.items():
        kind = type(raw)
        if kind is Decimal:
            key += (name, kind, str(raw))
        elif kind in _SCALARS:
            key += (name, kind, raw)
        else:
            return None
    return tuple(key)


def _parsed_range(text: str, unit: str | None, system: Any) -> dict[str, Any]:
    """``parse_range(text, unit, system)``, from the last parse of the same text when
    there is one (errors are not kept: each is raised by a new parse)."""
    key = (text, unit, id(system))
    found = _PARSED.get(key)
    if found is not None and found[0] is system:
        return dict(found[1])
    fields = parse_range(text, unit, system)
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[key] = (system, fields)
    return dict(fields)


def points_range(raw: object) -> tuple[Any, Any] | None:
    """The two ends of a band's score range (``[7, 9]``, ``"7-9"``, ``"7到9分"``), or
    None when ``raw`` is one number (or not a range at all: the type check says so)."""
    if isinstance(raw, list) and len(raw) == 2:
        return raw[0], raw[1]
    if isinstance(raw, str):
        match = _RANGE.match(raw)
        if match:
            return match.group(1), match.group(2)
    return None


def read_band(loader: Any, value: object, path: tuple[Any, ...], indicator: str | None,
              unit: str | None) -> Band | None:
    """One band read problem-collecting by ``loader`` (``io.loader``'s builder); ``unit``
    is the unit of the fact the rule reads. A band read without problems before, from
    the same mapping for a fact of the same unit, is that band again."""
    key = _band_key(value, unit, loader.system)
    built: dict[tuple[Any, ...], Band] = loader.bands  # this file's, by _band_key
    if key is not None and key in built:
        return built[key]
    reported = len(loader.problems)
    band = _read_band(loader, value, path, indicator, unit)
    if key is not None and band is not None and len(loader.problems) == reported:
        built[key] = band
    return band


def _read_band(loader: Any, value: object, path: tuple[Any, ...], indicator: str | None,
               unit: str | None) -> Band | None:
    data = loader.mapping(value, path, BAND_KEYS, "band", indicator,
                          example="{range: '(0, 10]', points: 4}")
    if data is None:
        return None
    forms = [k for k in ("range", "equals") if k in data]
    explicit = [k for k in ("lower", "upper", "lower_closed", "upper_closed") if k in data]
    if len(forms) + bool(explicit) > 1:
        loader.problem("a band is given either by 'range', by 'equals' or by lower/upper",
                       path, indicator=indicator, example="{range: '(0, 10]', points: 4}")
        return None
    fields: dict[str, Any] = {}
    try:
        if "range" in data:
            if not isinstance(data["range"], str):
                loader.problem(f"expected an interval string, got {describe(data['range'])}",
                               (*path, "range"), indicator=indicator,
                               example="range: '(0, 10]'")
                return None
            fields = _parsed_range(data["range"], unit, loader.system)
        elif "equals" in data:
            point = loader.quantity(data["equals"], unit)
            fields = {"lower": point, "upper": point, "lower_closed": True,
                      "upper_closed": True}
    except RulesetError as exc:
        loader.from_error(exc, (*path, forms[0]), indicator)
        return None
    mapping = {k: v for k, v in data.items() if k not in ("range", "equals")}
    ends = points_range(mapping.get("points"))
    if ends is not None:  # a score range: the low end is points, the high end points_max
        mapping["points"], mapping["points_max"] = ends
    elif isinstance(mapping.get("points"), list):
        loader.problem("a band's score range is two numbers, low and high", (*path, "points"),
                       indicator=indicator, example="points: [7, 9]")
        return None

    def convert(name: str, raw: Any, _p: Any) -> Any:
        if name in ("lower", "upper") and raw is not None:
            return loader.quantity(raw, unit)
        return raw

    if fields:  # the band built at once with its interval, the common case
        reported = len(loader.problems)
        band = loader.build(Band, mapping, path, "band", indicator, convert=convert,
                            extra=fields)
        if band is not None:  # then the two steps below succeed and give this band
            return band  # type: ignore[no-any-return]
        del loader.problems[reported:]  # reported as the two steps report them
    band = loader.build(Band, mapping, path, "band", indicator, convert=convert)
    if band is not None and fields:
        try:
            band = attrs.evolve(band, **fields)
        except RulesetError as exc:
            loader.from_error(exc, (*path, forms[0]), indicator)
            return None
    return band  # type: ignore[no-any-return]
