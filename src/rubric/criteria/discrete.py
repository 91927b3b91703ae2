"""Recognisers of yes/no (是否), categorical states, additive checklists (①②③) and
deadlines (按时完成, 每推迟一天扣).
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from typing import Any

from .clauses import Notes, outcome
from .draft import Context, Draft, check_points, clean_name, points_of
from .intervals import Unreadable, condition
from .lexer import CIRCLED, NUMBER

__all__ = ["read_boolean", "read_categorical", "read_checklist", "read_deadline"]


# ----------------------------------------------------- yes/no, states, items

_YES_NO = re.compile(
    r"(?P<pre>.*?)是否(?P<x>.+?),?是(?:的)?,?(?P<y>.+?),否(?:的|则)?,?(?P<n>.+)")
_OTHERWISE = re.compile(r"(?:否则|否|反之|未达到|没有|不符合)(?:的)?(?:,)?(?P<n>.*)")


def _award(text: str, notes: Notes, ctx: Context) -> Decimal | None:
    if re.fullmatch(NUMBER, text):  # 是5
        return Decimal(text)
    cond, pts, deducts = outcome(text)
    if cond or deducts or pts is None:
        return None
    return points_of(pts, notes, ctx)


def read_boolean(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    text = ",".join(clauses)
    readings: list[str] = []
    m = _YES_NO.fullmatch(text)
    if m:
        y, n = _award(m["y"], notes, ctx), _award(m["n"], notes, ctx)
        if y is None or n is None:
            return None
        name = clean_name(m["x"])
        pre = m["pre"].strip(",")
        decl: dict[str, Any] = {"type": "boolean"}
        if pre.endswith("的"):  # a qualifier: 达到政府采购要求的是否进行了政府采购
            readings.append(f"前提“{pre}”记在事实的说明里")
            decl["description"] = f"{pre}是否{name}"
        elif pre:  # the subject: 项目支出是否分项目单独核算
            name = clean_name(pre) + name
        fact = ctx.fact or name
        check_points(max(y, n), notes, ctx)
        return Draft({"kind": "boolean", "fact": fact, "yes_points": y, "no_points": n},
                     {fact: decl}, readings)
    if len(clauses) > 2:
        return None
    cond, pts, deducts = outcome(clauses[0])
    if pts is None or deducts or not cond or re.search(r"\d|每", cond):
        return None
    if condition(cond) is not None:
        return None
    yes = points_of(pts, notes, ctx)
    if yes == 0:
        raise Unreadable(f"只写了“{cond}”不得分：得分的情形没有写")
    if len(clauses) == 2:
        o = _OTHERWISE.fullmatch(clauses[1])
        neg_cond, neg_pts, neg_deducts = outcome(clauses[1])
        negated = re.fullmatch(r"(?:未|没有|不|未能)(?P<x>.+?)的?", neg_cond)
        if (negated and neg_pts is not None and not neg_deducts
                and clean_name(negated["x"]) in clean_name(cond)):
            # 编制预算绩效目标的得2分，未编制的不得分: the second clause negates the first
            neg = points_of(neg_pts, notes, ctx)
            check_points(max(yes, neg), notes, ctx)
            fact = ctx.fact or clean_name(cond)
            return Draft({"kind": "boolean", "fact": fact, "yes_points": yes, "no_points": neg},
                         {fact: {"type": "boolean"}}, readings)
        if not o:
            return None
        other = _award(o["n"], notes, ctx)
        if other is None:
            return None
        no = other
        rest = clauses[1][: o.start("n")]
        if not re.fullmatch(r"(?:否则|否|反之)(?:的)?,?", rest) and clean_name(
                re.sub(r"^(?:未达到|没有|不符合)", "", rest)) not in ("", clean_name(cond)):
            return None
    else:
        no = Decimal(0)
        readings.append("文中只写了得分的情形：否则得0分")
    check_points(max(yes, no), notes, ctx)
    fact = ctx.fact or clean_name(cond.removeprefix("是否"))
    return Draft({"kind": "boolean", "fact": fact, "yes_points": yes, "no_points": no},
                 {fact: {"type": "boolean"}}, readings)


def read_categorical(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    if len(clauses) < 2:
        return None
    header, _, first = clauses[0].partition(":")
    if not first:
        header, first = "", clauses[0]
    states: list[dict[str, Any]] = []
    for clause in [first, *clauses[1:]]:
        cond, pts, deducts = outcome(clause)
        if pts is None or deducts or not cond or re.search(r"\d|每|是否", cond):
            return None
        value = clean_name(cond)
        if any(s["value"] == value for s in states):
            raise Unreadable(f"状态“{value}”写了两次")
        states.append({"value": value, "points": points_of(pts, notes, ctx)})
    check_points(max(s["points"] for s in states), notes, ctx)
    readings = ["每个状态按原文记为事实的一个取值"]
    fact = ctx.fact or clean_name(header) or _common(states, readings)
    decl = {"type": "category", "categories": [s["value"] for s in states]}
    return Draft({"kind": "categorical", "fact": fact, "states": states}, {fact: decl}, readings)


def _common(states: list[dict[str, Any]], readings: list[str]) -> str:
    first = states[0]["value"]
    best = ""
    for i in range(len(first)):
        for j in range(i + 2, len(first) + 1):
            part = first[i:j]
            if len(part) > len(best) and all(part in s["value"] for s in states):
                best = part
    name = f"{best}情况" if best else "状态"
    readings.append(f"事实命名为“{name}”（可用 fact 指定）")
    return name


_ITEM = re.compile(rf"(?P<label>.+?)[,:]?\(?(?:计|得)?(?P<p>{NUMBER})分\)?$")
_LESS_ONE = re.compile(rf"每(?:少|缺|未完成|缺少)(?:1|一)项扣({NUMBER})分$")


_ALL_OCCUR = re.compile(r"[;,]?以上(?:情况|各项|内容)?(?:中)?,?"
                        r"每(?:出现|发现|有)(?:1)?(?:例|项|处|次)"
                        rf"(?P<what>[^;,]*?)的?,?扣({NUMBER})分$")


def _occurrences(parts: list[str], occ: re.Match[str], notes: Notes,
                 ctx: Context) -> Draft:
    """①…②…以上每出现一例不符合要求的扣1分: a count of the items not met."""
    items = [p.strip(";,") for p in parts]
    items[-1] = items[-1][: items[-1].find("以上")].strip(";,")
    if any(re.search(rf"{NUMBER}分", i) for i in items):
        raise Unreadable("清单项写了分值，又写了每出现一例扣分")
    what = clean_name(occ["what"]) or "不符合要求"
    fact = ctx.fact or f"{what}例数"
    points = points_of(None, notes, ctx)
    readings = [f"事实“{fact}”是下列{len(items)}项中{what}的例数（可用 fact 指定）"]
    spec = {"minimum": Decimal(0), "description": "；".join(items)}
    mapping = {"kind": "per_occurrence", "fact": fact, "points": points,
               "per_occurrence": Decimal(occ.group(2)), "floor": Decimal(0)}
    return Draft(mapping, {fact: spec}, readings)


_BRACKETED = re.compile(rf"([^();,]+?)[;,]?\(({NUMBER})分\)[;,]?")


def _bracketed(text: str, notes: Notes, ctx: Context) -> Draft | None:
    """设有目标(1分)目标明确(1分)…: items each followed by its points in brackets."""
    found = list(_BRACKETED.finditer(text))
    if len(found) < 2 or "".join(m.group(0) for m in found) != text:
        return None
    items: list[dict[str, Any]] = [
        {"fact": clean_name(m.group(1)), "points": Decimal(m.group(2)),
         "label": m.group(1).strip(",;")} for m in found]
    if len({i["fact"] for i in items}) != len(items):
        raise Unreadable("两个清单项同名")
    check_points(sum((i["points"] for i in items), Decimal(0)), notes, ctx)
    facts = {i["fact"]: {"type": "boolean"} for i in items}
    return Draft({"kind": "checklist", "items": items}, facts,
                 ["各项按“项目(分值)”逐项得分（清单）"])


def read_checklist(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    text = ";".join(clauses)
    if not any(c in text for c in CIRCLED):
        return _bracketed(text, notes, ctx)
    parts = re.split(f"[{CIRCLED}]", text)
    if clean_name(parts[0]):
        raise Unreadable(f"①之前的“{parts[0]}”读不出")
    occ = _ALL_OCCUR.search(parts[-1].strip(";,"))
    if occ and not _ITEM.fullmatch(parts[-1].strip(";,")[: occ.start()]):
        return _occurrences(parts[1:], occ, notes, ctx)
    items: list[dict[str, Any]] = []
    per_less: Decimal | None = None
    for raw in parts[1:]:
        part = raw.strip(";,")
        pieces = re.split(r"[;,]", part)
        if pieces and (less := _LESS_ONE.fullmatch(pieces[-1])):
            per_less = Decimal(less.group(1))
            part = ",".join(pieces[:-1])
        m = _ITEM.fullmatch(part)
        if not m:
            raise Unreadable(f"清单项“{part}”没有写分值")
        label = m["label"].strip(",;:")
        if re.search(rf"{NUMBER}分|扣", label):
            raise Unreadable(f"清单项“{label}”里还有分值或扣分，读不出")
        items.append({"fact": clean_name(label), "points": Decimal(m["p"]), "label": label})
    readings: list[str] = []
    if per_less is not None:
        if any(i["points"] != per_less for i in items):
            raise Unreadable("“每少一项扣…分”与各项的分值不一致")
        readings.append("“每少一项扣分”与逐项得分是同一规则")
    total = sum((i["points"] for i in items), Decimal(0))
    check_points(total, notes, ctx)
    if len({i["fact"] for i in items}) != len(items):
        raise Unreadable("两个清单项同名")
    facts = {i["fact"]: {"type": "boolean"} for i in items}
    return Draft({"kind": "checklist", "items": items}, facts, readings)


_DATE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:之前|以前|前)")
_ON_TIME = re.compile(r"(?P<what>.*?)(?:按时|按期|如期)(?:完成)?(?P<w2>.*)")
_NO_YEAR = re.compile(r"(?<!年)\d{1,2}月(?:\d{1,2}日|底)?(?:之前|以前|前)")
_PER_DAY = re.compile(r"每(?:推迟|延迟|延期|逾期|超期|拖延)(?:1)?(?:天|日)$")


def read_deadline(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    text = ",".join(clauses)
    if not (_ON_TIME.search(text) and re.search("按时|按期|如期", text)) and not _DATE.search(text):
        return None
    date = _DATE.search(text)
    award, late, per_day = None, None, None
    for clause in clauses:
        cond, pts, deducts = outcome(clause)
        if deducts:
            if not _PER_DAY.fullmatch(cond):
                return None
            per_day = pts
        elif pts is not None and award is None:
            award = (cond, pts)
        elif pts is not None:
            o = _OTHERWISE.fullmatch(clause) or re.fullmatch(
                r"(?:未按时|未按期|逾期|延期|超期)(?:完成)?(?:的)?,?(?P<n>.*)", clause)
            if not o:
                return None
            late = _award(o["n"], notes, ctx)
            if late is None:
                return None
        else:
            return None
    if award is None:
        return None
    readings: list[str] = []
    points = points_of(award[1], notes, ctx)
    check_points(points, notes, ctx)
    cond = award[0]
    if date is None:
        if per_day is not None:
            raise Unreadable("“每推迟一天扣分”需要截止日期（如2023年12月31日前），文中没有")
        when = _NO_YEAR.search(cond)
        if when:  # 绩效目标完成时间12月31日前,按时完成3分: the date names the deadline
            cond = cond[: when.start()] + cond[when.end():]
            readings.append(f"截止日期“{when.group(0)}”没有年份：按“是否按时完成”读，"
                            "日期记在事实的说明里")
        if re.sub(r"按时|按期|如期|完成|任务|工作|的|,", "", cond) and not when:
            return None
        fact = ctx.fact or "按时完成"
        if not when:
            readings.append("文中没有截止日期：按“是否按时完成”读（boolean）")
        if late is None:
            late = Decimal(0)
            readings.append("文中只写了按时完成的得分：否则得0分")
        spec: dict[str, Any] = {"type": "boolean"}
        if when:
            spec["description"] = f"{clean_name(cond)}（{when.group(0)}）"
        return Draft({"kind": "boolean", "fact": fact, "yes_points": points, "no_points": late},
                     {fact: spec}, readings)
    try:
        deadline = _dt.date(int(date["y"]), int(date["m"]), int(date["d"]))
    except ValueError as exc:
        raise Unreadable(f"日期{date.group(0)}不存在") from exc
    name = clean_name(cond.replace(date.group(0), ""))
    bare = re.sub(r"按时|按期|如期|完成|截至|截止", "", name).removesuffix("在")
    fact = ctx.fact or bare + "完成日期"
    if notes.inclusive is None:
        readings.append(f"“{date.group(0)}”含当日（inclusive: true；domain §3.10）")
    mapping: dict[str, Any] = {"kind": "deadline", "fact": fact, "deadline": deadline.isoformat(),
                               "points": points, "inclusive": notes.inclusive is not False}
    if per_day is not None:
        mapping["per_day"] = per_day
        if late is not None:
            raise Unreadable("既写了逾期得分又写了每推迟一天扣分")
    else:
        if late is None:
            readings.append("文中只写了按时完成的得分：逾期得0分")
        mapping["late_points"] = late if late is not None else Decimal(0)
    return Draft(mapping, {fact: {"type": "date"}}, readings)
