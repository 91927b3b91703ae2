"""Vetoes in a criterion: a row's veto read off its last clause, the table's refused.

A row's veto is the criterion's last clause when it zeroes the row on a yes/no condition
(``未全部落实的，本项指标不得分``, ``出现重大安全事故的，本项不得分``, ``…的，该项指标得0分``):
``split_row_veto`` cuts it off the normalised text, so the rule is read from the rest,
and returns the condition as a yes/no fact named from the clause and the clause as
printed. A clause of that shape is not a veto, and is left to the rule, when it says
otherwise (``否则本项不得分``) or is the other branch of the rule's own condition
(``按时完成得5分，未按时完成的，本项不得分``); it is refused when its condition needs the
evaluator (``视情况``) or is a bound of a number (``低于60%的``, ``两次及以上的``).

A veto of the whole table (``总分计0分``, ``不得评为优``, ``一票否决``, ``取消评比资格``) is no
row's rule: ``table_veto`` gives the reason to refuse it, with the YAML of the ruleset's
``vetoes:`` section.
"""

from __future__ import annotations

import re

import attrs

from .clauses import JUDGEMENT
from .intervals import Unreadable
from .lexer import normalise

__all__ = ["RowVeto", "split_row_veto", "table_veto"]


@attrs.frozen
class RowVeto:
    fact: str   # the yes/no condition, named from the clause (出现重大安全事故)
    text: str   # the clause as printed (出现重大安全事故的，本项不得分)


# 本项, 该指标均, 此项一律…: the row itself
_THIS_ROW = r"(?:本项|该项|此项|本指标|该指标)(?:指标)?(?:均|一律|直接|全部)?"
# The row scoring nothing: 本项不得分, 该项指标得0分, 此项计0分.
_ZERO = (rf"(?:则|即)?{_THIS_ROW}"
         r"(?:不得分|不计分|不给分|得0分|计0分|记0分|为0分|0分)")
_ROW = re.compile(rf"(?:^|(?<=[;,]))(?P<cond>[^;,]{{1,40}}?)(?:的)?,?{_ZERO}$")
_SCOPE = re.compile(rf",?{_THIS_ROW}")
_LEAD = re.compile(r"^(?:如果|如|若|凡是|凡|一旦)(?=.{2})")
_OTHERWISE = re.compile(r"^(?:否则|其他|其它|其余|反之|以外)")
# A bound of a number, not a yes/no condition: 低于60%的, 两次及以上的, 超过规定比例的.
_NUMERIC = re.compile(r"\d|[零〇一二两三四五六七八九十][次个项例处起件%]|%|分|以上|以下|以内"
                      r"|低于|高于|不足|不满|超过|大于|小于|不低于|不超过|少于|多于")
_NEGATION = re.compile(r"未能|未|没有|没|不|无")

# Vetoes of the whole table.
_TABLE = re.compile(r"总分(?:计|为|记|按|得)?(?:0分|零分|0(?![\d.])|零)|总分不得分"
                    r"|不得(?:评|定)(?:为|定为)?(?:优秀|优|良好|良|先进|合格)"
                    r"|一票否优|一票否决|否决|取消[^,;]{0,8}?资格")
_TABLE_COND = re.compile(r"^(?:如果|如|若|凡是|凡|一旦)?(?P<cond>[^,;的]{2,20}?)的")


def split_row_veto(original: str, s: str) -> tuple[str, RowVeto | None]:
    """The normalised text ``s`` without its last clause when that is a row's veto, and
    the veto (``original`` is the text as printed, for the clause's own words)."""
    body = s.rstrip(";,")
    m = _ROW.search(body)
    if m is None:
        return s, None
    cond = m["cond"]
    rest = body[: m.start()].rstrip(";,")
    negated = _NEGATION.sub("", _LEAD.sub("", cond))
    branch = bool(rest) and ((negated != cond and len(negated) >= 2 and negated in rest)
                             or cond in rest)
    if _OTHERWISE.search(body[m.start():]) or branch:
        # 否则本项不得分, 制度不健全的，本项不得分: the rule's own other values, where the row
        # scoring nothing is the clause scoring nothing (否则不得分, 制度不健全的不得分).
        return body[: m.start()] + _SCOPE.sub("", body[m.start():]), None
    clause = _verbatim(original, body[m.start():])
    judged = JUDGEMENT.search(cond)
    if judged:
        raise Unreadable(f"否决条件需要评价人判断（“{judged.group(0)}”）：“{clause}”不能读成"
                         "是否事实，请手工建模")
    numeric = _NUMERIC.search(cond)
    if numeric:
        raise Unreadable(f"“{clause}”的条件是一个数的界限（“{numeric.group(0)}”），不是是否："
                         "不能读成否决，请手工建模")
    fact = _LEAD.sub("", cond).removesuffix("的")
    if len(fact) < 3:
        raise Unreadable(f"“{clause}”的条件“{fact}”太短，读不出是否决还是又一个状态：请手工建模")
    if not rest:
        raise Unreadable(f"除否决（“{clause}”）外没有评分规则：不否决时得多少分文中没有写")
    return rest, RowVeto(fact, clause)


def _verbatim(original: str, clause: str) -> str:
    """``clause`` (normalised) in the words of ``original``: its last characters."""
    text = original.rstrip("。.；;，, \t\r\n")
    want = len(re.sub(r"\s", "", clause))
    at, seen = len(text), 0
    while at > 0 and seen < want:
        at -= 1
        if not text[at].isspace():
            seen += 1
    candidate = text[at:].strip()
    if seen == want and normalise(candidate)[0].rstrip(";,") == clause:
        return candidate
    return clause.replace(",", "，").replace(";", "；")


def table_veto(s: str) -> str | None:
    """The reason to refuse a veto of the whole table in ``s``, None when there is none."""
    m = _TABLE.search(s)
    if m is None:
        return None
    # The piece holding the veto (凭空捏造报表的取消评比资格), or, when it names no condition
    # of its own (并实行一票否决), the whole sentence up to it.
    start = max(s.rfind(";", 0, m.start()), s.rfind(",", 0, m.start())) + 1
    if "的" not in s[start: m.start()]:
        start = s.rfind(";", 0, m.start()) + 1
    end = min((at for at in (s.find(";", m.end()), s.find(",", m.end())) if at >= 0),
              default=len(s))
    clause = s[start:end].strip(";,")
    cond = _TABLE_COND.search(clause)
    fact = cond["cond"] if cond else "否决条件"
    text = clause.replace(",", "，")
    word = m.group(0)
    head = f"“{word}”是整张表的否决，不是一行的评分规则"
    declare = f"facts: {{{fact}: {{type: boolean}}}}"
    if word.startswith("总分"):
        return (f"{head}：请写在规则集的 vetoes: 部分：vetoes: [{{fact: {fact}, text: {text}, "
                f"effect: zero}}]，{declare}")
    if word.startswith("不得"):
        return (f"{head}：请写在规则集的 vetoes: 部分（grade 写仍可评的最好等级）："
                f"vetoes: [{{fact: {fact}, text: {text}, effect: grade, grade: 良}}]，{declare}")
    return (f"{head}，文中也没有写否决的后果（总分计0分还是不得评为某等级）：请写在规则集的 "
            f"vetoes: 部分：vetoes: [{{fact: {fact}, text: {text}, effect: zero}}]（总分计0分）"
            f"或 effect: grade, grade: 良（等级至多为良），{declare}")
