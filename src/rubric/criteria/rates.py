"""A rate's definition read from a row's 指标解释 (or criterion): ``METRIC = A / B × 100%``.

``read_rate(text, metric)`` looks, in the normalised text (full-width, ``÷``, ``×``,
quotes and line breaks as ``lexer.normalise`` reads them), for a sentence defining
``metric`` as a division. Exactly ``METRIC=A/B*100%`` or ``METRIC=(A/B)*100%`` (each
part a name, optionally followed by its unit in brackets, ``(万元)``) is a ``Rate``: the
derived fact's formula ``A / B * 100`` in ``%`` and its two given facts with the units
the text states. Anything else that defines ``metric`` with a division (several
operators, no ``×100%``, a part that is not a plain name, an unknown unit, one part with
a unit and one without) is returned as the reason it is not read, never guessed.
"""

from __future__ import annotations

import keyword
import re

import attrs

from ..errors import RubricError
from ..expressions import FUNCTIONS
from ..units import normalize_unit
from .draft import clean_name
from .lexer import normalise

__all__ = ["Rate", "read_rate"]

_NAME = r"[^\W\d]\w*"
_PART = rf"({_NAME})(?:\(([^()]+)\))?"
_BODIES = (re.compile(rf"{_PART}/{_PART}\*100%"),
           re.compile(rf"\({_PART}/{_PART}\)\*100%"))
_LEFT = re.compile(rf"({_NAME})(?:\(%\))?")


@attrs.frozen
class Rate:
    metric: str
    numerator: str
    denominator: str
    units: tuple[str | None, str | None]
    text: str  # the sentence as normalised

    @property
    def formula(self) -> str:
        return f"{self.numerator} / {self.denominator} * 100"


def _usable(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and name not in FUNCTIONS


def read_rate(text: str, metric: str) -> Rate | str | None:
    """``metric``'s rate definition in ``text``; the reason when one is there but not
    read exactly; None when the text defines no division for ``metric``."""
    if not text:
        return None
    s, _ = normalise(text)
    found: list[Rate | str] = []
    for sentence in re.split(r"[;,]", s):
        left, eq, body = sentence.partition("=")
        left = left.rsplit(":", 1)[-1]
        if not eq or "/" not in body or clean_name(left.replace("(%)", "")) != metric:
            continue
        found.append(_rate(left, body, sentence))
    if len(found) > 1:
        same = {(r.numerator, r.denominator, r.units) if isinstance(r, Rate) else r
                for r in found}
        if len(same) > 1 or not isinstance(found[0], Rate):
            texts = "；".join(r.text if isinstance(r, Rate) else r for r in found)
            return f"{metric}的公式写了不止一处且不一致：{texts}，请手写 formula"
    return found[0] if found else None


def _rate(left: str, body: str, sentence: str) -> Rate | str:
    unsure = f"{sentence}：公式读不确定（只读“{left}=A/B×100%”），请手写 formula"
    m_left = _LEFT.fullmatch(left)
    m = next((m for p in _BODIES if (m := p.fullmatch(body))), None)
    if m_left is None or m is None:
        return unsure
    metric, a, ua, b, ub = m_left[1], m[1], m[2], m[3], m[4]
    if len({metric, a, b}) < 3 or not all(_usable(n) for n in (metric, a, b)):
        return unsure
    if (ua is None) != (ub is None):
        return f"{sentence}：只有一个量写了单位，请写明两个量的单位和 formula"
    for unit in (ua, ub):
        if unit is not None:
            try:
                normalize_unit(unit)
            except RubricError:
                return f"{sentence}：单位“{unit}”不认得，请写明单位和 formula"
    return Rate(metric, a, b, (ua, ub), sentence)
