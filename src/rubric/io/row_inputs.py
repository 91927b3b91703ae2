"""Where in a ruleset file a row's rule names a fact it reads, for the loader's messages.

A rule reading an undeclared fact (or one of the wrong type) is reported at the key that
names it: ``fact``, ``actual``, ``target``… of the rule, a checklist item's ``fact``, a
part of a sum rule, or the row's ``veto`` (which reads its own fact); the rule itself
when none names it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["input_path", "value_at"]

PathT = tuple[Any, ...]


def value_at(data: Any, path: PathT) -> Any:
    """The value at ``path`` in the parsed document ``data`` (None if there is none)."""
    value: Any = data
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def input_path(data: Any, name: str, rpath: PathT) -> PathT:
    """The path of the key naming fact ``name`` in the rule at ``rpath`` (or ``rpath``)."""
    veto = value_at(data, (*rpath[:-1], "veto"))  # a row's veto reads its own fact
    if rpath[-1:] == ("rule",) and isinstance(veto, dict) and veto.get("fact") == name:
        return (*rpath[:-1], "veto", "fact")
    rule = value_at(data, rpath)
    if isinstance(rule, dict):
        for key in ("fact", "actual", "target", "tier_fact", "deadline_fact", "expression"):
            if rule.get(key) == name or (key == "expression" and key in rule):
                return (*rpath, key)
        for i, item in enumerate(rule.get("items") or []):
            if isinstance(item, dict) and item.get("fact") == name:
                return (*rpath, "items", i, "fact")
        for i in range(len(rule.get("parts") or [])):  # a part of a sum rule
            found = input_path(data, name, (*rpath, "parts", i))
            if len(found) > len(rpath) + 2:
                return found
    return rpath
