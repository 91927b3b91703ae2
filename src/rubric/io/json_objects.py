"""JSON objects read with each key once: ``json.loads`` keeps the last of two equal keys,
and a fact given twice (``{"预算数": 100, …, "预算数": 7}``) would be scored on the last
one silently. ``json.loads(text, object_pairs_hook=unique_keys)`` raises ``KeyGivenTwice``
instead, for the reader to report where it read the text."""

from __future__ import annotations

from typing import Any

__all__ = ["KeyGivenTwice", "unique_keys"]


class KeyGivenTwice(Exception):
    """A key of a JSON object given twice (``key``); not a ``RubricError``: each reader
    words and locates its own."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's pairs as a dict; ``KeyGivenTwice`` when a key repeats."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise KeyGivenTwice(key)
            seen.add(key)
    return data
