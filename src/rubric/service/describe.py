"""A served ruleset described as JSON: metadata, the indicator tree with 分值, the facts with
units, and a JSON Schema of the ``facts`` object a score request sends.

Decimals are strings without exponent or trailing zeros (``"5"``, ``"2.5"``), as in the
result format (docs/result-format.md). The facts schema is a guide for integrators and
form builders: it names every fact a client may give, with its type and unit; the
service still checks values with the ruleset's own declarations, which say more (a
number may carry a unit, ``"628 亿元"``; ``"不适用"`` marks a fact not applicable).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..facts import BOOLEAN_TEXT, NOT_APPLICABLE_TEXT, FactSpec
from ..io.facts_file import METADATA_KEYS
from ..text import fmt
from ..tree import Group, Indicator, Node, Ruleset

__all__ = ["describe_ruleset", "facts_schema", "summary"]


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def summary(ruleset: Ruleset, ruleset_id: str) -> dict[str, Any]:
    """The short listing of ``GET /rulesets``."""
    meta = ruleset.metadata
    return {"id": ruleset_id, "version": meta.version, "name": meta.name,
            "issuer": meta.issuer, "fiscal_year": meta.fiscal_year,
            "total_points": _dec(ruleset.root.points)}


def _node(node: Node, depth: int) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id, "name": node.name,
                           "kind": "group" if isinstance(node, Group) else "indicator",
                           "depth": depth, "points": _dec(node.points)}
    if isinstance(node, Indicator):
        out["rule"] = getattr(node.rule, "rule", node.rule).kind  # the kind under row options
        out["facts"] = list(node.rule.inputs)
        out["criterion"] = node.criterion
        out["definition"] = node.definition
    else:
        out["select"] = node.select
        out["children"] = [_node(child, depth + 1) for child in node.children]
    return out


def _fact(spec: FactSpec) -> dict[str, Any]:
    return {"name": spec.name, "type": spec.type, "unit": spec.unit,
            "description": spec.description, "minimum": _dec(spec.minimum),
            "maximum": _dec(spec.maximum), "categories": list(spec.categories),
            "derived": spec.formula is not None, "formula": spec.formula}


def describe_ruleset(ruleset: Ruleset, ruleset_id: str) -> dict[str, Any]:
    """``GET /rulesets/{id}``: metadata, tree, facts and the facts schema."""
    meta = ruleset.metadata
    return {
        "id": ruleset_id,
        "metadata": {"id": meta.id, "name": meta.name, "issuer": meta.issuer,
                     "fiscal_year": meta.fiscal_year, "version": meta.version,
                     "source": meta.source, "description": meta.description},
        "total_points": _dec(ruleset.root.points),
        "tree": _node(ruleset.root, 0),
        "facts": [_fact(spec) for spec in ruleset.facts],
        "facts_schema": facts_schema(ruleset),
    }


_NOT_APPLICABLE = {"enum": [*sorted(NOT_APPLICABLE_TEXT - {"n/a", "na", "not applicable"}),
                            "N/A", "NA", "n/a"],
                   "description": "the fact does not apply to the unit (不适用, /, — …)"}


def _value_schema(spec: FactSpec) -> dict[str, Any]:
    kind = spec.type
    options: list[dict[str, Any]]
    if kind == "number":
        number: dict[str, Any] = {"type": "number"}
        if spec.minimum is not None:
            number["minimum"] = float(spec.minimum)
        if spec.maximum is not None:
            number["maximum"] = float(spec.maximum)
        text = (f"a number with a unit of the same kind as {spec.unit}, e.g. '10 {spec.unit}'"
                if spec.unit else "a number written as text")
        options = [number, {"type": "string", "description": text}]
    elif kind == "boolean":
        options = [{"type": "boolean"}, {"enum": sorted(BOOLEAN_TEXT)}]
    elif kind == "category":
        options = [{"enum": list(spec.categories)}]
    elif kind == "date":
        options = [{"type": "string", "description": ("a date, e.g. 2023-12-31 or 2023年12月31日, "
                                                       "or a month with its year, 2023-07")}]
    else:
        options = [{"type": "string"}]
    options += [_NOT_APPLICABLE, {"type": "null", "description": "missing (scored as a range)"}]
    value: dict[str, Any] = {"anyOf": options}
    description = spec.description or spec.name
    if spec.unit:
        description += f" (in {spec.unit})"
    return {"description": description,
            "anyOf": [value, {"type": "object", "additionalProperties": False,
                              "required": ["value"],
                              "properties": {"value": value, "source": {"type": "string"}}}]}


def facts_schema(ruleset: Ruleset) -> dict[str, Any]:
    """JSON Schema (2020-12) of the ``facts`` object: the given facts, none required."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            **{spec.name: _value_schema(spec) for spec in ruleset.input_facts()},
            **{key: {"description": "who the facts are about (单位名称, 项目名称, 年度 …), as "
                                    "in a facts file; not a fact", "type": "object",
                     "additionalProperties": {"type": ["string", "number", "null"]}}
               for key in METADATA_KEYS}},
    }
