"""Band ranges and quantities as ruleset files write them: ``"(0, 10]"``, ``"≤100%"``,
``"628 亿元"`` (the forms of docs/ruleset-format.md, "Band ranges").

``parse_range`` turns an interval string into a band's bounds; ``quantity`` reads a
number that may carry a unit, converted to the unit of the fact it is compared with.
The loader reads files with them and ``io.dump`` checks that what it writes reads back.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..errors import RulesetError
from ..facts import to_decimal
from ..units import BUILTIN, UnitSystem, conversion_factor, converted, split_quantity

__all__ = ["ANY_UNIT", "parse_range", "quantity"]

_OPEN = {"(": False, "[": True, "（": False, "【": True}
_CLOSE = {")": False, "]": True, "）": False, "】": True}
_COMPARATORS = (  # longest first
    ("<=", "le"), (">=", "ge"), ("==", "eq"), ("≤", "le"), ("≦", "le"), ("≥", "ge"),
    ("≧", "ge"), ("<", "lt"), (">", "gt"), ("=", "eq"), ("＜", "lt"), ("＞", "gt"),
)
_INFINITE = {"∞": 1, "+∞": 1, "inf": 1, "+inf": 1, "-∞": -1, "-inf": -1, "": 0}



def parse_range(text: str, unit: str | None = None, system: UnitSystem = BUILTIN
                ) -> dict[str, Any]:
    """Band fields of an interval string: ``"(0, 10]"``, ``"=0"``, ``"≤100%"``, ``">130"``.

    Numbers may carry a unit, converted to ``unit`` (the fact's, among the units of
    ``system``). Returns ``lower``,
    ``upper``, ``lower_closed``, ``upper_closed``; RulesetError if ``text`` is not one of
    the forms of docs/ruleset-format.md ("Band ranges").
    """
    s = text.strip()
    for token, op in _COMPARATORS:
        if s.startswith(token):
            value = quantity(s[len(token):], unit, system)
            if op == "eq":
                return {"lower": value, "upper": value, "lower_closed": True, "upper_closed": True}
            if op in ("le", "lt"):
                return {"lower": None, "upper": value, "lower_closed": True,
                        "upper_closed": op == "le"}
            return {"lower": value, "upper": None, "lower_closed": op == "ge",
                    "upper_closed": False}
    if len(s) >= 2 and s[0] in _OPEN and s[-1] in _CLOSE:
        parts = re.split(r"[,，]", s[1:-1])
        if len(parts) == 2:
            lo, hi = (_bound(p, unit, system) for p in parts)
            # An infinite end keeps Band's default closedness (it never matters there).
            return {"lower": lo, "upper": hi,
                    "lower_closed": _OPEN[s[0]] if lo is not None else True,
                    "upper_closed": _CLOSE[s[-1]] if hi is not None else False}
    raise RulesetError(f"range {text!r} is not an interval",
                       expected="'(a, b]', '[a, b)', '=a', '<=b', '≤b', '<b', '>=a', '≥a' or '>a'",
                       example="range: '(0, 10]'")


def _bound(text: str, unit: str | None, system: UnitSystem) -> Decimal | None:
    key = text.strip().lower()
    if key in _INFINITE:
        return None
    return quantity(text, unit, system)


#: the unit of an undeclared fact: numbers are taken as written
ANY_UNIT = "\0any"


def quantity(value: object, unit: str | None, system: UnitSystem = BUILTIN) -> Decimal:
    """A number, or a ``"628 亿元"`` string converted to ``unit`` (``ANY_UNIT``: as written);
    RulesetError otherwise."""
    if isinstance(value, str):
        try:
            number, given = split_quantity(value)
        except RulesetError:  # a number outside rubric's domain (rubric.numbers)
            raise
        except ValueError:
            raise RulesetError(f"expected a number, got {value!r}",
                               example=f"'10 {unit}'" if unit else "10") from None
        if given is None or unit == ANY_UNIT:
            return number
        factor = conversion_factor(given, unit, system)
        # Fixed notation, so traces show 5000 rather than 5E+3.
        return Decimal(format(converted(number, factor), "f")) if factor != 1 else number
    return to_decimal(value, "value")
