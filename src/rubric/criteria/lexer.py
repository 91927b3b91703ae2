"""Reading the noise of printed criteria: width, spaces, numerals, OCR slips, numbers.

``normalise`` turns a 评价标准 as extracted from a filed table into one canonical text
the recognisers read: full-width digits and symbols made ASCII (``；`` is ``;``, ``（含）``
is ``(含)``), ``≦``/``≧``/``<=``/``>=`` made ``≤``/``≥``, quotes dropped, whitespace and
line breaks removed (inside numbers too: ``0. 1分`` is ``0.1分``), ``。`` made a clause
end, Chinese numerals before a counter made digits (``一个百分点`` is ``1个百分点``,
``两分`` is ``2分``), and the OCR slip ``W`` before a number read as ``≤`` where nothing
else can be meant. Every such repair that changes a reading (not merely the width of a
character) is returned as a note, so it shows in the parse's readings. Two numbers
separated only by a space are never joined: they stay apart, marked, and the
recognisers refuse the text.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

__all__ = ["GAP", "CIRCLED", "normalise", "number", "NUMBER"]

# Marks two numbers a space separated (``10 20``): no recogniser accepts it.
GAP = "\u2063"

# Circled item numbers survive NFKC as themselves (NFKC would make ① a plain 1).
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CIRCLED_GUARD = {c: f"\ue000{i}\ue001" for i, c in enumerate(CIRCLED)}

NUMBER = r"\d+(?:\.\d+)?"

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
# Counters after which a Chinese numeral is a count: 一个百分点, 两分, 一项, 每一例.
_COUNTERS = "个分项例次天日处起件条笔宗家人户名所篇期月周"
_ZH_NUMERAL = re.compile(rf"([零〇一二两三四五六七八九十]{{1,3}})(?=[{_COUNTERS}])")

_SYMBOLS = {
    "≦": "≤", "≧": "≥", "⩽": "≤", "⩾": "≥", "＜": "<", "＞": ">", "＝": "=",
    "。": ";", "；": ";", "，": ",", "：": ":", "～": "-", "~": "-", "—": "-", "–": "-",
    "－": "-", "×": "*", "✕": "*", "╳": "*", "÷": "/",
    "“": "", "”": "", "\"": "", "‘": "", "’": "", "「": "", "」": "", "《": "", "》": "",
    "〔": "(", "〕": ")",
}


def _zh_value(text: str) -> int | None:
    """十, 十二, 二十, 二十五, 三: the value of a small Chinese numeral, or None."""
    if "十" not in text:
        return _ZH_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    t = _ZH_DIGITS[tens] if tens else 1
    o = _ZH_DIGITS[ones] if ones else 0
    return t * 10 + o


def _numerals(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        word = m.group(1)
        before = text[m.start() - 1] if m.start() else ""
        # 一级/一般 are not counts; 第一 is an ordinal, kept as written.
        if before == "第":
            return word
        value = _zh_value(word)
        return word if value is None else str(value)
    return _ZH_NUMERAL.sub(repl, text)


# "1." / "1、" opening the text, a line or a clause, or right after an item's "(2分)":
# an item number (``1.…(5分);2.…``).
_ITEM_NUMBER = re.compile(r"(^|[\n;；。)])([ \t\u3000]*)(\d{1,2})[.、](?!\d)")


def _item_numbers(s: str, notes: list[str]) -> str:
    """Items numbered 1., 2., 3. (or 1、2、) in sequence are written ①②③, as when circled.

    Only a run 1…n (n ≥ 2) in order counts, each number opening the text, a line or a
    clause and not followed by a digit (``1.5分`` is a number)."""
    found = list(_ITEM_NUMBER.finditer(s))
    if (len(found) == 1 and found[0].start() == 0 and not found[0].group(1)
            and not re.match(r"\s*\d", s[found[0].end():])):
        # "2. 市政供水…扣1分": one number opening the text is the row's number in its
        # table (never "1. 5分", a spaced 1.5).
        notes.append(f"开头的“{found[0].group(3)}.”是表中条目的序号，不是分值")
        return s[found[0].end():]
    if len(found) < 2 or [int(m.group(3)) for m in found] != list(range(1, len(found) + 1)):
        return s
    if len(found) > len(CIRCLED):
        return s
    notes.append(f"条目编号“1.”至“{len(found)}.”读作①至{CIRCLED[len(found) - 1]}")
    return _ITEM_NUMBER.sub(lambda m: m.group(1) + m.group(2) + CIRCLED[int(m.group(3)) - 1], s)


_HEADER = re.compile(r"\s*(评分标准|评价标准|计分标准|评分办法|评分细则|评分规则|考核标准)\s*:\s*")


def normalise(text: str) -> tuple[str, list[str]]:
    """The canonical text of a criterion and the notes of every repair that reads."""
    notes: list[str] = []
    s = text
    for c, guard in _CIRCLED_GUARD.items():
        s = s.replace(c, guard)
    s = unicodedata.normalize("NFKC", s)
    for i, c in enumerate(CIRCLED):
        s = s.replace(f"\ue000{i}\ue001", c)
    # "评分标准：…" opening the text: the column's header run into the cell, not a rule.
    header = _HEADER.match(s)
    if header:
        notes.append(f"开头的“{header.group(1)}:”是栏目名，不是评分规则的一部分")
        s = s[header.end():]
    s = _item_numbers(s, notes)
    s = s.replace("<=", "≤").replace(">=", "≥").replace("==", "=")
    # OCR: "W 100%" for "≤100%" (the glyph misread); only right before a number.
    if re.search(r"W\s*\d", s):
        notes.append("OCR：数字前的“W”读作“≤”")
        s = re.sub(r"W(\s*\d)", r"≤\1", s)
    # "好路率X120": a Latin X typed (or OCR'd) for × between a name and a number.
    if re.search(r"(?<=[\u4e00-\u9fff])[Xx](?=\s*\d)", s):
        notes.append("名称与数字之间的“X”读作“×”")
        s = re.sub(r"(?<=[\u4e00-\u9fff])[Xx](?=\s*\d)", "×", s)
    # OCR: "得分二资金到位率*分值" for "得分=…" (二 where an equals sign was printed).
    if re.search(r"得分\s*二(?![十分])", s):
        notes.append("OCR：“得分二”读作“得分=”")
        s = re.sub(r"得分\s*二(?![十分])", "得分=", s)
    s = "".join(_SYMBOLS.get(c, c) for c in s)
    # Spaces inside a number: "0. 1" and "0 .1" are 0.1; "10 20" stays two numbers.
    s = re.sub(r"(\d)\s*\.\s*(\d)", r"\1.\2", s)
    s = re.sub(r"(\d)\s+(?=\d)", r"\1" + GAP, s)
    s = re.sub(r"\s+", "", s)
    # Thousands grouped with commas before a unit (1,000万元): one number.
    grouped = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+)"
                         r"(?=万元|亿元|千元|元|人|家|户|个|项|次|吨|亩)")
    for m in grouped.finditer(s):
        notes.append(f"“{m.group(1)}”是千位分隔的一个数：{m.group(1).replace(',', '')}")
    s = grouped.sub(lambda m: m.group(1).replace(",", ""), s)
    s = re.sub(r"(?<!\d)\.|\.(?!\d)", ";", s)  # a full stop typed as "."
    s = _numerals(s)
    s = re.sub(r";+", ";", s).strip(";,")
    return s, notes


def number(text: str) -> Decimal:
    """The exact Decimal of a matched number text."""
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - callers match NUMBER first
        raise ValueError(text) from exc
