"""The JSON Schema of a scored result (docs/result-format.md), shipped with the service.

``RESULT_SCHEMA_TEXT`` is a verbatim copy of the block between the ``<!-- result-schema -->``
markers of docs/result-format.md; ``tests/test_service.py`` fails when the two differ, so
a change to the result format updates both in the same commit. ``openapi_components``
turns it into OpenAPI components (its ``$defs`` become sibling components).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["RESULT_SCHEMA_TEXT", "openapi_components", "result_schema"]

RESULT_SCHEMA_TEXT = r"""{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://rubric.invalid/result-1.schema.json",
  "type": "object",
  "additionalProperties": false,
  "required": ["format", "ruleset", "total", "grade", "grades", "missing_facts",
               "facts", "derived", "warnings", "tree"],
  "properties": {
    "format": {"const": "rubric.result/1"},
    "ruleset": {
      "type": "object",
      "additionalProperties": false,
      "required": ["id", "name", "version", "fiscal_year"],
      "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "version": {"type": "string"},
        "fiscal_year": {"type": ["integer", "null"]}
      }
    },
    "total": {
      "type": "object",
      "additionalProperties": false,
      "required": ["score", "low", "high", "max_points", "rescaled"],
      "properties": {
        "score": {"oneOf": [{"$ref": "#/$defs/decimal"}, {"type": "null"}]},
        "low": {"$ref": "#/$defs/decimal"},
        "high": {"$ref": "#/$defs/decimal"},
        "max_points": {"$ref": "#/$defs/decimal"},
        "rescaled": {"oneOf": [{"type": "null"}, {
          "type": "object",
          "additionalProperties": false,
          "required": ["low", "high", "applicable_max", "total_points", "text"],
          "properties": {
            "low": {"$ref": "#/$defs/decimal"},
            "high": {"$ref": "#/$defs/decimal"},
            "applicable_max": {"$ref": "#/$defs/decimal"},
            "total_points": {"$ref": "#/$defs/decimal"},
            "text": {"type": "string"}
          }
        }]}
      }
    },
    "grade": {"type": ["string", "null"]},
    "grades": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "missing_facts": {"type": "array", "items": {"type": "string"}},
    "facts": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
    "derived": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
    "warnings": {"type": "array", "items": {"type": "string"}},
    "tree": {"$ref": "#/$defs/node"},
    "vetoes": {"type": "array", "items": {
      "type": "object",
      "required": ["type", "fact", "text", "effect", "held", "message"],
      "properties": {
        "type": {"const": "table_veto"},
        "fact": {"type": "string"},
        "text": {"type": "string"},
        "effect": {"enum": ["zero", "grade"]},
        "held": {"type": ["boolean", "null"]},
        "grade": {"type": ["string", "null"]},
        "low": {"$ref": "#/$defs/decimal"},
        "high": {"$ref": "#/$defs/decimal"},
        "message": {"type": "string"}
      }
    }},
    "what_if": {"$ref": "#/$defs/what_if"}
  },
  "$defs": {
    "decimal": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"},
    "step": {
      "type": "object",
      "required": ["type"],
      "properties": {"type": {"type": "string"}}
    },
    "node": {
      "type": "object",
      "additionalProperties": false,
      "required": ["id", "name", "kind", "depth", "max_points", "score", "low", "high",
                   "applicable", "missing_facts", "explanation", "trace", "warnings",
                   "children"],
      "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "kind": {"enum": ["indicator", "group"]},
        "depth": {"type": "integer", "minimum": 0},
        "max_points": {"$ref": "#/$defs/decimal"},
        "score": {"oneOf": [{"$ref": "#/$defs/decimal"}, {"type": "null"}]},
        "low": {"$ref": "#/$defs/decimal"},
        "high": {"$ref": "#/$defs/decimal"},
        "applicable": {"type": "boolean"},
        "missing_facts": {"type": "array", "items": {"type": "string"}},
        "explanation": {"type": "string"},
        "trace": {"type": "array", "items": {"$ref": "#/$defs/step"}},
        "warnings": {
          "type": "array",
          "items": {
            "allOf": [{"$ref": "#/$defs/step"}],
            "required": ["type", "message"],
            "properties": {"message": {"type": "string"}}
          }
        },
        "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}
      }
    },
    "what_if": {
      "type": "object",
      "additionalProperties": false,
      "required": ["format", "rows", "grade", "text"],
      "properties": {
        "format": {"const": "rubric.what_if/1"},
        "rows": {"type": "array", "items": {"$ref": "#/$defs/what_if_row"}},
        "grade": {"oneOf": [{"$ref": "#/$defs/what_if_grade"}, {"type": "null"}]},
        "text": {"type": "string"}
      }
    },
    "what_if_row": {
      "type": "object",
      "additionalProperties": false,
      "required": ["id", "name", "score", "low", "high", "max_points", "missing_facts",
                   "changes", "pieces"],
      "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "score": {"oneOf": [{"$ref": "#/$defs/decimal"}, {"type": "null"}]},
        "low": {"$ref": "#/$defs/decimal"},
        "high": {"$ref": "#/$defs/decimal"},
        "max_points": {"$ref": "#/$defs/decimal"},
        "missing_facts": {"type": "array", "items": {"type": "string"}},
        "changes": {"type": "array", "items": {"$ref": "#/$defs/what_if_change"}},
        "pieces": {"type": "array", "items": {"$ref": "#/$defs/what_if_piece"}}
      }
    },
    "what_if_change": {
      "type": "object",
      "additionalProperties": false,
      "required": ["fact", "from", "to", "delta", "open", "exact", "direction", "target",
                   "points", "high", "part", "via", "via_value", "message"],
      "properties": {
        "fact": {"type": "string"},
        "from": {"type": ["string", "boolean"]},
        "to": {"type": ["string", "boolean"]},
        "delta": {"oneOf": [{"$ref": "#/$defs/decimal"}, {"type": "null"}]},
        "open": {"type": "boolean"},
        "exact": {"type": "boolean"},
        "direction": {"enum": ["up", "down", null]},
        "target": {"enum": ["next", "full"]},
        "points": {"$ref": "#/$defs/decimal"},
        "high": {"$ref": "#/$defs/decimal"},
        "part": {"oneOf": [{"type": "null"}, {
          "type": "object", "additionalProperties": false,
          "required": ["number", "target", "low", "high"],
          "properties": {"number": {"type": "integer", "minimum": 1},
                         "target": {"enum": ["next", "full"]},
                         "low": {"$ref": "#/$defs/decimal"},
                         "high": {"$ref": "#/$defs/decimal"}}}]},
        "via": {"type": ["string", "null"]},
        "via_value": {"type": ["string", "null"]},
        "message": {"type": "string"}
      }
    },
    "what_if_piece": {
      "type": "object",
      "additionalProperties": false,
      "required": ["fact", "values", "unit", "low", "high"],
      "properties": {
        "fact": {"type": "string"},
        "values": {"type": "string"},
        "unit": {"type": ["string", "null"]},
        "low": {"$ref": "#/$defs/decimal"},
        "high": {"$ref": "#/$defs/decimal"}
      }
    },
    "what_if_grade": {
      "type": "object",
      "additionalProperties": false,
      "required": ["total", "grade", "next_grade", "threshold", "reachable", "reached",
                   "reached_grade", "method", "steps"],
      "properties": {
        "total": {"$ref": "#/$defs/decimal"},
        "grade": {"type": "string"},
        "next_grade": {"type": "string"},
        "threshold": {"$ref": "#/$defs/decimal"},
        "reachable": {"type": "boolean"},
        "reached": {"oneOf": [{"$ref": "#/$defs/decimal"}, {"type": "null"}]},
        "reached_grade": {"type": ["string", "null"]},
        "method": {"const": "greedy"},
        "steps": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["row", "change", "value"],
            "properties": {
              "row": {"type": "string"},
              "change": {"$ref": "#/$defs/what_if_change"},
              "value": {"type": ["string", "boolean"]}
            }
          }
        }
      }
    }
  }
}
"""


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
