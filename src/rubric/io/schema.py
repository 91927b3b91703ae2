"""The JSON Schema (draft 2020-12) of the ruleset format, for editors and validators.

The frame (tree, facts, policy) ships as package data (``ruleset.schema.json``); each
rule kind's part is its class's ``SCHEMA``, joined in from ``rules.RULE_TYPES``, and
``rubric schema`` prints the whole for editors (``# yaml-language-server: $schema=...``).
It describes the file's shape and documents every key; the loader stays the authority
(units, formulas, band order and fact references are checked there, with line numbers).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from ..rules import RULE_TYPES

__all__ = ["ruleset_schema", "schema_text"]


@lru_cache(maxsize=1)
def schema_text() -> str:
    """The whole schema as JSON text: the shipped frame with every rule kind joined in."""
    frame = json.loads(
        resources.files("rubric.io").joinpath("ruleset.schema.json").read_text(encoding="utf-8"))
    kinds = list(RULE_TYPES)
    rules: dict[str, Any] = {f"rule_{kind}": cls.SCHEMA  # type: ignore[attr-defined]
                             for kind, cls in RULE_TYPES.items()}
    rules["rule"] = {
        "description": "A scoring rule; `kind` picks the method: " + ", ".join(kinds) + ".",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": kinds}},
        "allOf": [{"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                   "then": {"$ref": f"#/$defs/rule_{kind}"}} for kind in kinds],
    }
    defs = frame["$defs"]
    at = list(defs).index("group")  # rule kinds sit before the tree that uses them
    items = list(defs.items())
    frame["$defs"] = dict(items[:at] + list(rules.items()) + items[at:])
    return json.dumps(frame, ensure_ascii=False, indent=2) + "\n"


def ruleset_schema() -> dict[str, Any]:
    """The ruleset JSON Schema as a fresh dict (callers may modify it)."""
    return json.loads(schema_text())  # type: ignore[no-any-return]
