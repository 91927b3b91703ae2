"""Text of numbers, scores and ranges: the one vocabulary every output uses.

Exact Decimals are printed without exponent or trailing zeros (``fmt``); long ones are
shortened for display with ``≈`` (``show``); ratios print as percent (``pct``).
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

__all__ = ["LANGS", "fmt", "pct", "show"]

LANGS = ("zh", "en")

_FMT_CACHE: dict[Decimal, str] = {}


def _fmt_decimal(value: Decimal) -> str:
    if value.is_infinite():
        return "∞" if value > 0 else "-∞"
    whole = value.to_integral_value()
    if value == whole:
        return f"{whole:f}"
    return f"{value.normalize():f}"


def fmt(value: Any) -> str:
    """Plain text of a value: Decimals without exponent or trailing zeros."""
    if type(value) is Decimal:
        text = _FMT_CACHE.get(value) if value.is_finite() else None
        if text is None:
            text = _fmt_decimal(value)
            if value.is_finite() and len(_FMT_CACHE) < 8192:
                _FMT_CACHE[value] = text  # scores and thresholds repeat: format each once
        return text
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return _fmt_decimal(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if hasattr(value, "label"):  # a Band: rendered only when explained
        return str(value.label())
    return str(value)


def show(value: Any) -> str:
    """Like ``fmt`` for display: long decimals shortened to 4 places with '≈'."""
    if isinstance(value, Decimal) and value.is_finite():
        short = value.quantize(Decimal("0.0001"))
        if short != value:
            return "≈" + fmt(short)
    return fmt(value)


def pct(ratio: Decimal) -> str:
    if ratio.is_infinite():  # x/0: an unbounded ratio
        return fmt(ratio)
    return fmt((ratio * 100).quantize(Decimal("0.01"))) + "%"
