"""Words around a criterion's numbers that a person reads past, each read with a note.

Three phrasings of real tables, each general and each shown in ``readings``:

* ``评分系数×60°``: a ``°`` right after the multiplier that ends the text is an
  extraction's full stop (no angle is multiplied into a score);
* ``…的符合程度,100%符合:5分;90-100%符合:3分``: a word after a band's number and before
  its ``:`` that repeats a word of the metric named first (``符合`` of ``符合程度``) is
  that metric, not a condition;
* ``资金拨付到位占…的资金比例(评价指标得分=资金到位率*该项指标分值)``: a text with no
  number outside one bracket that holds the scoring formula is the formula's metric
  explained (its 指标解释), then the formula; only a ratio or coefficient may come of it.
"""

from __future__ import annotations

import re

__all__ = ["bracketed_formula", "metric_echo", "trailing_degree"]

_DEGREE = re.compile(r"([×*]\s*\d+(?:\.\d+)?)\s*°\s*$")


def trailing_degree(text: str, notes: list[str]) -> str:
    """``…×60°`` (the raw text, before normalising): the ° is dropped, with a note."""
    m = _DEGREE.search(text)
    if m is None:
        # "好路率x60°": the Latin x is made × later; read it here as well.
        m = re.search(r"(?<=[\u4e00-\u9fff])([Xx]\s*\d+(?:\.\d+)?)\s*°\s*$", text)
    if m is None:
        return text
    notes.append(f"末尾“{m.group(1).strip()}”后的“°”是抽取时的句号，不是角度")
    return text[:m.start()] + m.group(1)


# Words that compare or bound: never taken for the metric's echo.
_BOUND_WORDS = re.compile(r"[以上下内含及不超过低高于大小至到间满达或且分得扣]")
_ECHO = re.compile(r"(?<=\d%)([\u4e00-\u9fff]{1,4})(?=:)")


def metric_echo(s: str, notes: list[str]) -> str:
    """``M,100%符合:5分;90-100%符合:3分`` (normalised): the echoed word of M dropped."""
    head, comma, rest = s.partition(",")
    if not comma or re.search(r"[\d:;]", head) or not head:
        return s
    echoes = {m.group(1) for m in _ECHO.finditer(rest)
              if m.group(1) in head and not _BOUND_WORDS.search(m.group(1))}
    if not echoes:
        return s
    for word in sorted(echoes):
        notes.append(f"数字后的“{word}”重复指标名称“{head}”里的词，不是条件：读作该指标的值")
    return head + comma + _ECHO.sub(lambda m: "" if m.group(1) in echoes else m.group(1), rest)


_FORMULA = re.compile(r"^([^()\d]+)\(((?:评价指标|该指标|本指标)?得分=[^()]+)\);?$")
_SCORING = re.compile(r"分|扣|得|否则|不|未|应|须|需")


def bracketed_formula(s: str, notes: list[str]) -> tuple[str, str | None]:
    """``定义(得分=比率*分值)`` (normalised): the formula, and the definition it explains."""
    m = _FORMULA.match(s)
    if m is None or _SCORING.search(m.group(1)):
        return s, None
    definition = m.group(1).strip(",;")
    notes.append(f"括号前的“{definition}”是所读比率的解释（指标解释），不影响计分")
    return m.group(2), definition
