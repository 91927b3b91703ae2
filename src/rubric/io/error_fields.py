"""Reading where a construction error points: the field, index, cycle or fact it names.

Errors raised while a ruleset is built carry these as fields (``RulesetError.field``,
``index``, ``cycle``, ``fact``).
Until every raiser in rules/, tree.py, policy.py, facts.py and expressions.py sets them,
an error that does not is read the way its message is written: "bands[0] ... and
bands[1] overlap" (field bands, the later index), "derived facts form a cycle: a -> b ->
a", "fact 'a' is declared twice". Only these three functions do that.
"""

from __future__ import annotations

import re

from ..errors import RulesetError

__all__ = ["error_cycle", "error_field", "error_names_fact"]


def error_field(exc: RulesetError) -> tuple[str | None, int | None]:
    if exc.field is not None:
        return exc.field, exc.index
    match = re.match(r"(\w+)", exc.message)
    if match is None:
        return None, None
    indices = [int(i) for i in re.findall(rf"{match[1]}\[(\d+)\]", exc.message)]
    return match[1], max(indices) if indices else None


def error_cycle(exc: RulesetError) -> tuple[str, ...]:
    if exc.cycle:
        return exc.cycle
    cycle = re.search(r"form a cycle: (.+)$", exc.message)
    return tuple(cycle[1].split(" -> ")) if cycle else ()


def error_names_fact(exc: RulesetError, name: str) -> bool:
    if exc.fact is not None:
        return exc.fact == name
    return f"'{name}'" in exc.message
