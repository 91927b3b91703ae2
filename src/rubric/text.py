"""Presentation vocabulary: the text every output gives numbers, scores, ranges and facts.

One home for what the table (``present.render``), the filed reports
(``present.reports``), the audit and the CLI print:

- numbers: exact Decimals without exponent or trailing zeros (``fmt``), long ones
  shortened with ``≈`` (``show``), ratios as percent (``pct``);
- scores and ranges: ``score_text(low, high)`` is ``5`` or ``0–5`` (an en dash),
  ``range_text`` the same for any formatter, ``node_score`` a result node's 得分 cell
  (``不计`` for a not-applicable node);
- the words for a fact that has no usable value (``fact_word``: missing, not
  applicable, undefined 0/0, an unsettled answer) and every other shared word
  (``word``, ``words``), per language in ``LANGS``;
- the line every output prints beside a total rescaled to the applicable rows
  (``rescaling_text``: ``按适用指标折算：88.90 / 90 × 100 = 98.78``);
- escaping: ``md_cell`` for a Markdown table cell, ``html_text`` for HTML, and
  ``one_line`` for a cell that must stay on one line, ``escaped`` for characters a
  file or a line cannot hold (``\x07``, ``\udc80``); ``display_width`` counts the
  terminal columns text takes.
"""

from __future__ import annotations

import datetime as _dt
import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from .errors import UnknownLanguage
from .facts import MISSING, NOT_APPLICABLE, UNDEFINED, Asserted, Unsettled

__all__ = [
    "LANGS",
    "RANGE_DASH",
    "display_width",
    "escaped",
    "fact_word",
    "fmt",
    "html_text",
    "md_cell",
    "missing_list",
    "node_score",
    "one_line",
    "pct",
    "range_text",
    "rescaling_text",
    "score_text",
    "show",
    "word",
    "words",
    "zh_en",
]

LANGS = ("zh", "en")
#: between the low and high end of a range: ``0–5``, ``54.5%–100%``
RANGE_DASH = "–"

_FMT_CACHE: dict[Decimal, str] = {}
_SHOW_CACHE: dict[Decimal, str] = {}
_SHOW_QUANTUM = Decimal("0.0001")


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
        # not zeros: 0 and -0 are one key, and fmt writes each as given
        cacheable = value.is_finite() and value
        text = _FMT_CACHE.get(value) if cacheable else None
        if text is None:
            text = _fmt_decimal(value)
            if cacheable and len(_FMT_CACHE) < 8192:
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
    """Like ``fmt`` for explanations: a decimal longer than 4 places shortened to 4 with
    '≈' (``7.777…`` is ``≈7.7778``; one below 0.0001 keeps 4 significant digits), so an
    explanation never prints 28 digits; results and JSON keep the exact value."""
    if isinstance(value, Decimal) and value.is_finite():
        cacheable = type(value) is Decimal and value  # not -0: fmt writes it as given
        if cacheable:
            text = _SHOW_CACHE.get(value)
            if text is not None:
                return text
        short = value.quantize(_SHOW_QUANTUM)
        if short != value:
            if short == 0:
                short = value.quantize(Decimal(1).scaleb(value.adjusted() - 3))
            text = "≈" + fmt(short)
        else:
            text = fmt(value)
        if cacheable and len(_SHOW_CACHE) < 8192:
            _SHOW_CACHE[value] = text  # an explanation shows the same thresholds again
        return text
    return fmt(value)


def pct(ratio: Decimal, places: int = 2) -> str:
    """A ratio as percent with at most ``places`` decimals: ``0.1025`` is ``10.25%``."""
    if ratio.is_infinite():  # x/0: an unbounded ratio
        return fmt(ratio)
    percent = ratio * 100
    try:
        return fmt(percent.quantize(Decimal(1).scaleb(-places))) + "%"
    except InvalidOperation:  # more digits than the context holds (10^36 = 10^18 / 10^-18)
        return fmt(percent.to_integral_value()) + "%"


# -- words ---------------------------------------------------------------------------

_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        # a fact with no usable value, in a table cell
        "missing": "缺少事实", "not_applicable": "不适用", "undefined": "无法计算（0/0）",
        # the 得分 of a not-applicable row or group: not a 0
        "not_scored": "不计",
        "yes": "是", "no": "否",
        # the facts that would settle a range, as a label and as a counted list
        "missing_facts": "缺少事实", "missing_list": "缺少事实（{n} 项）：", "list_sep": "、",
        "total": "合计", "grade": "等级",
        # beside a total rescaled to the applicable rows (policy not_applicable: renormalise)
        "rescaled": "按适用指标折算：", "rescaled_label": "折算", "veto_label": "一票否决",
    },
    "en": {
        "missing": "missing", "not_applicable": "not applicable",
        "undefined": "undefined (0/0)", "not_scored": "n/a", "yes": "yes", "no": "no",
        "missing_facts": "missing facts", "missing_list": "Missing facts ({n}): ",
        "list_sep": ", ", "total": "Total", "grade": "Grade",
        "rescaled": "rescaled to applicable rows: ", "rescaled_label": "Rescaled",
        "veto_label": "Veto",
    },
}


def words(lang: str) -> Mapping[str, str]:
    """Every shared word in ``lang``; UnknownLanguage (a ValueError) for another."""
    try:
        return _WORDS[lang]
    except KeyError:
        raise UnknownLanguage(lang, LANGS) from None


def word(key: str, lang: str = "zh") -> str:
    """One shared word (``word("missing", "en") == "missing"``)."""
    return words(lang)[key]


def zh_en(lang: str, zh: str, en: str) -> str:
    """``en`` for English, else ``zh`` (messages written inline in both languages)."""
    return en if lang == "en" else zh


def fact_word(value: object, lang: str = "zh", *, missing: str | None = None) -> str | None:
    """The text of a fact with no usable value, or None for a usable value.

    Missing facts say ``word("missing")`` (or ``missing`` when given), not-applicable
    ones ``不适用``, 0/0 ``无法计算（0/0）``, and a non-numeric answer its own text.
    """
    if value is MISSING:
        return word("missing", lang) if missing is None else missing
    if value is NOT_APPLICABLE:
        return word("not_applicable", lang)
    if value is UNDEFINED:
        return word("undefined", lang)
    if type(value) is Unsettled or type(value) is Asserted:
        return value.text
    return None


def missing_list(names: Iterable[str], lang: str = "zh") -> str:
    """The facts that would settle the scores: ``缺少事实（2 项）：甲、乙``."""
    names = list(names)
    w = words(lang)
    return w["missing_list"].format(n=len(names)) + w["list_sep"].join(names)


# -- scores and ranges -------------------------------------------------------------


class Ranged(Protocol):
    """A score range: ``low`` and ``high`` (equal once every fact is known)."""

    @property
    def low(self) -> Decimal: ...
    @property
    def high(self) -> Decimal: ...


class Scored(Ranged, Protocol):
    """What ``node_score`` reads: a node result's range and whether it applies."""

    @property
    def applicable(self) -> bool: ...


def range_text(low: Decimal, high: Decimal, form: Callable[[Decimal], str] = fmt) -> str:
    """``form(low)`` when the ends are equal, else ``form(low)–form(high)``."""
    if low == high:
        return form(low)
    return f"{form(low)}{RANGE_DASH}{form(high)}"


def score_text(low: Decimal, high: Decimal) -> str:
    """A score, or the range of scores missing facts leave: ``5`` or ``0–5``."""
    return range_text(low, high)


def node_score(node: Scored, lang: str = "zh") -> str:
    """A result node's 得分 cell: its score or range, ``不计`` when not applicable."""
    if not node.applicable:
        return word("not_scored", lang)
    return score_text(node.low, node.high)


class Rescaled(Ranged, Protocol):
    """What ``rescaling_text`` reads (``engine.evaluation.Rescaling``)."""

    @property
    def applicable_max(self) -> Decimal: ...
    @property
    def total_points(self) -> Decimal: ...
    @property
    def scaled_low(self) -> Decimal: ...
    @property
    def scaled_high(self) -> Decimal: ...
    @property
    def precision(self) -> int: ...


def rescaling_text(r: Rescaled, lang: str = "zh") -> str:
    """How a total was rescaled to the applicable rows, the one text every output prints
    beside the total: ``按适用指标折算：88.90 / 90 × 100 = 98.78`` (English ``rescaled to
    applicable rows: …``); the sums at the policy's precision, a range as ``low–high``."""
    quantum = Decimal(1).scaleb(-r.precision)

    def places(value: Decimal) -> str:
        return f"{value.quantize(quantum):f}"

    before = range_text(r.low, r.high, places)
    after = range_text(r.scaled_low, r.scaled_high, places)
    return (f"{word('rescaled', lang)}{before} / {fmt(r.applicable_max)} × "
            f"{fmt(r.total_points)} = {after}")


# -- escaping and width --------------------------------------------------------------


def one_line(text: str) -> str:
    """``text`` on one line: control characters (newline, tab) become spaces."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escaped(text: str, chars: re.Pattern[str]) -> str:
    """``text`` with each character ``chars`` matches written as an escape: ``\\x07``
    below U+0100, ``\\udc80`` above (a lone surrogate, which no encoding writes)."""
    return chars.sub(_escape, text) if chars.search(text) else text


def md_cell(text: object) -> str:
    """``text`` as a Markdown table cell: one line, backslashes and pipes escaped, and
    HTML escaped (``&``, ``<``, ``>``), so a cell never becomes markup (``<script>``)."""
    cell = one_line(str(text)).replace("\\", "\\\\").replace("|", "\\|")
    if "<" in cell or ">" in cell or "&" in cell:
        cell = cell.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return cell


def html_text(text: object) -> str:
    """``text`` escaped for HTML element content and attribute values."""
    return html.escape(str(text))


def display_width(text: str) -> int:
    """Terminal columns ``text`` occupies (wide/fullwidth 2, combining 0, others 1)."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width
