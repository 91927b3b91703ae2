"""Write a ``Ruleset`` back as ruleset YAML (the format ``load_ruleset`` reads).

``load_ruleset(dump_ruleset(r)) == r`` for every ruleset: numbers are written exactly
(Decimal in fixed notation, never through float), bands as interval strings when the
string reads back to the same band, and options left at their defaults are omitted
except the policy, which is written in full so a reader sees every reading in force.
Values are in the facts' declared units (units given at load are already converted);
the units a ruleset declares are written back as its ``units:`` section.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

import attrs
import yaml

from ..dates import Month
from ..errors import RulesetError
from ..facts import FactSpec
from ..rules import Band
from ..tree import Group, Indicator, Ruleset
from . import located_yaml as _yaml
from .declared_units import units_section
from .loader import FORMAT_VERSION
from .ranges import parse_range
from .row_section import row_options_data

__all__ = ["dump_ruleset", "ruleset_to_data"]


def _band(band: Band) -> dict[str, Any]:
    fields = {"lower": band.lower, "upper": band.upper, "lower_closed": band.lower_closed,
              "upper_closed": band.upper_closed}
    text = _range_text(band)
    points: Any = band.points if band.points_max is None else [band.points, band.points_max]
    then = {} if band.then is None else {"then": _fields(band.then)}
    try:
        if parse_range(text) == fields:
            return {"range": text, "points": points, **then}
    except RulesetError:  # pragma: no cover - every label we write parses
        pass
    out: dict[str, Any] = {"points": points}
    out.update({k: v for k, v in fields.items() if v is not None})
    return {**out, **then}


def _range_text(band: Band) -> str:
    lo, hi = band.lower, band.upper
    if lo is not None and lo == hi:
        return f"={_fmt(lo)}"
    if lo is None and hi is not None:
        return ("<=" if band.upper_closed else "<") + _fmt(hi)
    if hi is None and lo is not None:
        return (">=" if band.lower_closed else ">") + _fmt(lo)
    left = "[" if band.lower_closed and lo is not None else "("
    right = "]" if band.upper_closed and hi is not None else ")"
    return f"{left}{'-∞' if lo is None else _fmt(lo)}, {'+∞' if hi is None else _fmt(hi)}{right}"


def _fmt(d: Decimal) -> str:
    return format(d, "f")


def _fields(obj: Any, *, keep_defaults: bool = False, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Init fields of an attrs object, in declaration order, defaults omitted."""
    out: dict[str, Any] = {}
    for field in attrs.fields(type(obj)):
        if not field.init or not field.eq or field.name in skip:
            continue
        value = getattr(obj, field.name)
        default = field.default
        if hasattr(default, "takes_self"):  # an attrs.Factory
            default = default.factory()
        if not keep_defaults and default is not attrs.NOTHING and _same(value, default):
            continue
        out[field.alias or field.name] = _plain(value)
    return out


def _same(a: object, b: object) -> bool:
    return (type(a) is type(b) and bool(a == b)) or (a is None and b is None)


def _plain(value: Any) -> Any:
    if isinstance(value, Band):
        return _band(value)
    if isinstance(value, Month):  # a deadline month, as written: 2023-07 or 7月
        return value.label()
    if attrs.has(type(value)):  # a rule inside a rule (a part of ``sum``) keeps its kind
        return _rule(value) if isinstance(getattr(value, "kind", None), str) else _fields(value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def _rule(rule: Any) -> dict[str, Any]:
    return {"kind": rule.kind, **_fields(rule)}


def _node(node: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id}
    if node.name != node.id:
        out["name"] = node.name
    if node.max_points is not None:
        out["max_points"] = node.max_points
    if isinstance(node, Group):
        if node.select != "all":
            out["select"] = node.select
        out["children"] = [_node(c) for c in node.children]
        return out
    assert isinstance(node, Indicator)
    if node.criterion:
        out["criterion"] = node.criterion
    if node.definition:
        out["definition"] = node.definition
    if node.min_points is not None:
        out["min_points"] = node.min_points
    if not node.assessed:  # a placeholder row: no rule to write
        out["assessed"] = False
        return out
    rule, options = row_options_data(node.rule)  # veto, precision…: keys of the row
    out["rule"] = _rule(rule)
    out.update(options)
    return out


def _fact(spec: FactSpec) -> dict[str, Any]:
    return _fields(spec, skip=("name", "unit_system"))  # the system: the units: section


def ruleset_to_data(ruleset: Ruleset) -> dict[str, Any]:
    """The plain mapping ``dump_ruleset`` writes (Decimals and dates kept as such)."""
    data: dict[str, Any] = {"rubric": FORMAT_VERSION}
    meta = _fields(ruleset.metadata)
    if meta:
        data["metadata"] = meta
    policy = _fields(ruleset.policy, keep_defaults=True, skip=("defaults",))
    policy["defaults"] = _fields(ruleset.policy.defaults, keep_defaults=True)
    data["policy"] = policy
    units = units_section(ruleset.unit_system)
    if units:
        data["units"] = units
    data["facts"] = {spec.name: _fact(spec) for spec in ruleset.facts}
    root = ruleset.root
    data["root"] = {k: v for k, v in _node(root).items() if k != "children"}
    data["indicators"] = [_node(c) for c in root.children]
    if ruleset.constraints:
        data["constraints"] = [_fields(c) for c in ruleset.constraints]
    if ruleset.vetoes:
        data["vetoes"] = [_fields(v) for v in ruleset.vetoes]
    return data


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        # A number shared by several objects (a band text's parse, reused) is written
        # where it occurs, never as an anchor and aliases.
        return isinstance(data, Decimal) or bool(super().ignore_aliases(data))


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    if value.is_nan():
        return dumper.represent_scalar("tag:yaml.org,2002:float", ".nan")
    if value.is_infinite():
        return dumper.represent_scalar("tag:yaml.org,2002:float", ".inf" if value > 0 else "-.inf")
    text = _fmt(value)
    if "." in text:
        return dumper.represent_scalar("tag:yaml.org,2002:float", text)
    return dumper.represent_scalar("tag:yaml.org,2002:int", text)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """A string, quoted when rubric's reader would take it plain as something else.

    PyYAML quotes what YAML 1.1 reads as non-text (``True``, ``null``, ``1:30``), but
    rubric's reader also takes ``1e3`` and ``09`` as numbers (see ``_yaml``), so those
    are quoted too: a version ``"1e3"`` or a category ``"010"`` stays text on reload.
    """
    if "\n" in value:
        style: str | None = "|"
    else:
        style = None if _yaml.plain_is_text(value) else "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_dict(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
    # Short mappings of plain values read best on one line ({range: '(0, 10]', points: 4}).
    scalars = all(not isinstance(v, (dict, list)) for v in value.values())
    flow = scalars and len(str(value)) <= 80
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    scalars = all(not isinstance(v, (dict, list)) for v in value)
    flow = scalars and len(str(value)) <= 80
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_dt.date, yaml.SafeDumper.represent_date)


def dump_ruleset(ruleset: Ruleset) -> str:
    """The ruleset as YAML text; ``load_ruleset`` of it gives an equal ``Ruleset``."""
    text = yaml.dump(ruleset_to_data(ruleset), Dumper=_Dumper, allow_unicode=True,
                     sort_keys=False, default_flow_style=False, width=100, indent=2)
    return text

