"""The JSON Schema (draft 2020-12) of the ruleset format, for editors and validators.

The schema ships as package data (``ruleset.schema.json``) so editors can point at it
(``# yaml-language-server: $schema=...``). It describes the file's shape and documents
every key; the loader stays the authority (units, formulas, band order and fact
references are checked there, with line numbers). ``tests/test_loader.py`` keeps the
schema's rule kinds and fields in step with ``rules.RULE_TYPES``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["ruleset_schema", "schema_text"]


@lru_cache(maxsize=1)
def schema_text() -> str:
    """The schema as shipped (JSON text)."""
    return resources.files("rubric.io").joinpath("ruleset.schema.json").read_text(encoding="utf-8")


def ruleset_schema() -> dict[str, Any]:
    """The ruleset JSON Schema as a fresh dict (callers may modify it)."""
    return json.loads(schema_text())  # type: ignore[no-any-return]
