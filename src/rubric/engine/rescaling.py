"""How the total was rescaled to the applicable rows (policy ``not_applicable:
renormalise``, §2.15): the record evaluation keeps, and its text and JSON form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from ..text import fmt, rescaling_text

__all__ = ["Rescaling"]


class Rescaling(NamedTuple):
    """How the total was rescaled to the applicable rows (policy ``not_applicable:
    renormalise``, §2.15): the sum of the applicable rows ``low``–``high`` out of their
    分值 ``applicable_max``, scaled to ``total_points`` gives ``scaled_low``–
    ``scaled_high`` (the total). ``precision`` is the policy's, for the text
    (``text.rescaling_text``: ``按适用指标折算：88.90 / 90 × 100 = 98.78``)."""

    low: Decimal
    high: Decimal
    applicable_max: Decimal
    total_points: Decimal
    scaled_low: Decimal
    scaled_high: Decimal
    precision: int

    def text(self, lang: str = "zh") -> str:
        return rescaling_text(self, lang)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"low": fmt(self.low), "high": fmt(self.high),
                "applicable_max": fmt(self.applicable_max),
                "total_points": fmt(self.total_points), "text": self.text(lang)}
