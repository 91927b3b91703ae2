"""The JSON Schema of a scored result (docs/result-format.md), shipped with the service.

``RESULT_SCHEMA_TEXT`` is the text of ``result.schema.json`` (package data beside this
module), a verbatim copy of the block between the ``<!-- result-schema -->`` markers of
docs/result-format.md; ``tests/test_service.py`` fails when the two differ, so
a change to the result format updates both in the same commit. ``openapi_components``
turns it into OpenAPI components (its ``$defs`` become sibling components).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["RESULT_SCHEMA_TEXT", "openapi_components", "result_schema"]

RESULT_SCHEMA_TEXT = (resources.files("rubric.service").joinpath("result.schema.json")
                      .read_text(encoding="utf-8"))


def result_schema() -> dict[str, Any]:
    """The result schema as data (a fresh copy)."""
    data: dict[str, Any] = json.loads(RESULT_SCHEMA_TEXT)
    return data


def openapi_components(prefix: str = "Result") -> dict[str, Any]:
    """The schema as OpenAPI components: ``prefix`` for the result and ``prefix_<name>`` for
    each ``$defs`` entry, with every ``#/$defs/<name>`` reference rewritten to point there."""
    schema = result_schema()
    defs: dict[str, Any] = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)

    def rewrite(value: Any) -> Any:
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if k == "$ref" and isinstance(v, str) and v.startswith("#/$defs/"):
                    out[k] = f"#/components/schemas/{prefix}_{v.removeprefix('#/$defs/')}"
                else:
                    out[k] = rewrite(v)
            return out
        if isinstance(value, list):
            return [rewrite(v) for v in value]
        return value

    components = {prefix: rewrite(schema)}
    for name, sub in defs.items():
        components[f"{prefix}_{name}"] = rewrite(sub)
    return components
