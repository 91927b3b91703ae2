"""A normalised criterion cut into clauses, and the phrases read off it first.

``prepare`` removes the phrases that qualify the whole criterion rather than one clause
(``扣完为止``, ``以100%为标准``, ``满分5分``, ``最高不超过分值``, the partial-step and
boundary notes a restatement writes) and returns them as ``Notes``; ``split`` cuts the
rest at ``;`` and ``,`` and joins pieces until each clause ends in what it scores
(``计5分``, ``不得分``, ``得满分``, ``扣1分``). ``outcome`` reads that ending.
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from .intervals import UNIT
from .lexer import NUMBER

__all__ = ["FULL", "SHARE", "Notes", "outcome", "prepare", "split"]

FULL = "full"  # 得满分: the row's 分值

# The evaluator's judgement: never read as a rule (qualitative tiers excepted).
JUDGEMENT = re.compile(r"酌情|视[^,;]{0,4}?情况|视情|适当扣分|适当加分|根据情况|综合评定|综合考虑"
                       r"|由专家|专家评定|评价组|自行确定|合理确定")

_OUT = re.compile(
    rf"(?:(?:计|得|记|给|可得|给予|赋|评|为)?({NUMBER})分|(不得分|不计分|不给分|计0分|得0分|0分)"
    rf"|(得满分|计满分|给满分|满分|得全分"
    rf"|(?:记|得|计|给)(?:该指标|该项|本项|本指标)?(?:所赋)?(?:的)?全部分值))$")
_DEDUCT = re.compile(rf"扣(?:除)?({NUMBER})分$")
# A share of the row's 分值: 得一半, 得60%, 得分值的80%, 计该项分值的50%.
_SHARE = re.compile(rf"(?:得|计|给)(?:该项|本项|该指标)?(?:分值的)?(?:(一半|半数)(?:分)?|半分"
                    rf"|({NUMBER})%(?:的)?(?:分值|分)?)$")
SHARE = "share:"  # SHARE + "0.6": that share of the row's 分值


@attrs.define
class Notes:
    floor: bool = False          # 扣完为止
    standard: tuple[Decimal, str] | None = None   # 以100%为标准
    stated_points: Decimal | None = None          # 满分5分
    capped: bool = False         # 最高不超过分值
    partial: str | None = None   # floor / ceil / proportional, when the text says
    boundary: str | None = None  # counts / excludes, when the text says
    inclusive: bool | None = None  # 含当日 / 不含当日
    evidence: str | None = None    # 以上需提供佐证资料: how to verify, not how to score
    definition: tuple[str, str] | None = None  # (metric, formula): 完成率=实际完成数/计划数×100%
    relative: bool | None = None   # 按目标值的百分比 / 按百分点 (a restatement's note)
    max_deduction: Decimal | None = None  # 最多扣3分


_PHRASES: tuple[tuple[str, str], ...] = (
    # 每发现一处扣0.1分,1分扣完为止: the row's 分值 is deducted down to 0 (never the step's
    # own number: 扣1分扣完为止 is the step and a floor).
    (rf"(?<![扣\d.])({NUMBER})分扣(?:完|满)为止", "floor-points"),
    (r"扣完为止|(?:直至|直到)扣完|扣完即止|扣至0分为止|扣完为准|扣至0分|最低(?:为|得)?0分|最低不得分",
     "floor"),
    (rf"扣(?:满|完)({NUMBER})分为止", "floor-points"),
    (rf"最多扣({NUMBER})分|最高扣({NUMBER})分|扣分不超过({NUMBER})分|最多扣除({NUMBER})分",
     "max-deduction"),
    (rf"以({NUMBER})({UNIT})为(?:标准|基准|目标)", "standard"),
    (rf"(?:满分|分值|本项|本指标|该指标|共计|共)(?:为)?({NUMBER})分", "points"),
    ((r"最高(?:不得|不能|不)?超过(?:该指标|该项|本项)?分值(?:上限)?|最高得满分|最高为满分"
      r"|超过(?:目标值?|指标值|100%)的?按满分计"
      r"|(?:得分)?不超过(?:该指标|该项|本项)?分值(?:上限)?|(?<![扣得])满分为止"), "cap"),
    (r"\(?不足(?:1|一)步的(?:部分)?不扣分?\)?|\(?不足1个百分点的?(?:部分)?不扣分?\)?", "p:floor"),
    ((r"\(?不足(?:1|一)步的?按(?:1|一)步扣分?\)?"
      r"|\(?不足1个百分点的?按1个百分点(?:计|扣分?)\)?"), "p:ceil"),
    (r"\(?不足(?:1|一)步的?按比例扣分?\)?|\(?按比例扣(?:分|减)\)?", "p:proportional"),
    (r"\(?恰为整步的按整步扣\)?", "b:counts"),
    (r"\(?恰为整步的少扣(?:1|一)步\)?", "b:excludes"),
    (r"\(含当日\)", "i:true"),
    (r"\(不含当日\)", "i:false"),
    (r"\(步长按目标值的百分比计\)", "r:true"),
    (r"\(步长按(?:百分点|绝对值)计\)", "r:false"),
)
_PHRASES_RE = tuple((re.compile(p), what) for p, what in _PHRASES)
# A closing note on the evidence a row needs (以上需提供佐证资料, 此项需提供相应的资金分配方案):
# it says how the row is verified, not how it is scored (simplified or traditional script).
_EVIDENCE = re.compile(
    r"[;,]?((?:以上|此[项項]|[该該][项項]|本[项項])?(?:均)?需(?:要)?提供[^;,]*)[;,]?$")


def prepare(text: str) -> tuple[str, Notes]:
    """The text without its whole-criterion phrases, and what they said.

    Raises ValueError with the reason when two phrases contradict each other.
    """
    notes = Notes()
    evidence = _EVIDENCE.search(text)
    if evidence and evidence.start() > 0:
        notes.evidence = evidence.group(1)
        text = text[: evidence.start()]
    for pattern, what in _PHRASES_RE:
        for m in list(pattern.finditer(text)):
            if what == "floor":
                notes.floor = True
            elif what == "max-deduction":
                value_m = Decimal(next(g for g in m.groups() if g is not None))
                if notes.max_deduction is not None and notes.max_deduction != value_m:
                    raise ValueError("两处最多扣分不一致")
                notes.max_deduction = value_m
            elif what == "floor-points":
                notes.floor = True
                value_f = Decimal(next(g for g in m.groups() if g is not None))
                if notes.stated_points is not None and notes.stated_points != value_f:
                    raise ValueError("两处分值不一致")
                notes.stated_points = value_f
            elif what == "standard":
                value = (Decimal(m.group(1)), m.group(2))
                if notes.standard and notes.standard != value:
                    raise ValueError("两处“以…为标准”不一致")
                notes.standard = value
            elif what == "points":
                value_p = Decimal(m.group(1))
                if notes.stated_points is not None and notes.stated_points != value_p:
                    raise ValueError("两处分值不一致")
                notes.stated_points = value_p
            elif what == "cap":
                notes.capped = True
            else:
                tag, _, val = what.partition(":")
                if tag == "p":
                    notes.partial = val
                elif tag == "b":
                    notes.boundary = val
                elif tag == "i":
                    notes.inclusive = val == "true"
                else:
                    notes.relative = val == "true"
        text = pattern.sub(";", text)
    text = re.sub(r"[;,]*;[;,]*", ";", text)
    text = re.sub(r",+", ",", text).strip(";,")
    pieces = re.split(r"([;,])", text)
    for at in (0, len(pieces) - 1):
        formula = _DEFINITION.fullmatch(pieces[at])
        if formula and len(pieces) > 1:
            notes.definition = (formula["name"], pieces[at])
            pieces = pieces[2:] if at == 0 else pieces[:-2]
            text = "".join(pieces)
            break
    return text, notes


# The metric's formula run into the criterion (a 指标解释 column merged by extraction):
# 在职人员控制率=(在职人员数/编制数)×100%. A division, no points.
_DEFINITION = re.compile(r"(?P<name>[^=;,:()]{2,30}?)=(?P<expr>[^;,=分]*/[^;,=分]*)")


def outcome(clause: str) -> tuple[str, Decimal | str | None, bool]:
    """``(condition, points, deducts)`` of a clause; points None when it scores nothing."""
    m = _DEDUCT.search(clause)
    if m:
        return clause[: m.start()].rstrip(",:"), Decimal(m.group(1)), True
    m = _OUT.search(clause)
    if not m:
        share = _SHARE.search(clause)
        if share:
            part = Decimal("0.5") if share.group(2) is None else Decimal(share.group(2)) / 100
            return clause[: share.start()].rstrip(",:"), f"{SHARE}{part}", False
        return clause, None, False
    cond = clause[: m.start()].rstrip(",:")
    if m.group(1) is not None:
        return cond, Decimal(m.group(1)), False
    if m.group(2) is not None:
        return cond, Decimal(0), False
    return cond, FULL, False


def split(text: str) -> list[str]:
    """Clauses, each ending in what it scores (the last may score nothing)."""
    out: list[str] = []
    current: list[str] = []
    for piece in re.split(r"[;,]", text):
        if not piece:
            continue
        current.append(piece)
        if outcome(piece)[1] is not None:
            out.append(",".join(current))
            current = []
    if current:
        out.append(",".join(current))
    return out
