"""The audit's classes: their order of severity, which are acceptable, their labels.

An entry's ``status`` is the first of its classes in ``CLASSES`` (most severe first);
``consistent``, ``feasible`` and ``unclaimed`` are acceptable (``ACCEPTABLE``), anything
else is a finding.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["ACCEPTABLE", "CLASSES", "LABELS", "ZERO", "lang_of", "status_label"]

ZERO = Decimal(0)
# Most severe first; an entry's ``status`` is the first of its classes in this order.
CLASSES = ("impossible", "wrong", "sum_mismatch", "maxima_mismatch", "printed_mismatch",
           "not_scored", "rounding", "feasible", "consistent", "unclaimed")
ACCEPTABLE = frozenset({"consistent", "feasible", "unclaimed"})

LABELS = {
    "zh": {"impossible": "不可能", "wrong": "错误", "sum_mismatch": "合计不符",
           "maxima_mismatch": "分值不符", "printed_mismatch": "印刷值不符",
           "not_scored": "未评分", "rounding": "舍入", "feasible": "可能",
           "consistent": "一致", "unclaimed": "未申报"},
    "en": {c: c.replace("_", " ") for c in CLASSES},
}


def status_label(status: str, lang: str = "zh") -> str:
    """An audit class as the reports print it (``impossible`` is 不可能 in Chinese)."""
    return LABELS[lang_of(lang)][status]


def lang_of(lang: str) -> str:
    """The audit's language: English for ``en``, Chinese for anything else."""
    return "en" if lang == "en" else "zh"
