"""Recognisers of yes/no (是否), categorical states, additive checklists (①②③) and
deadlines (按时完成, 每推迟一天扣).
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from typing import Any

from .clauses import Notes, outcome
from .draft import Context, Draft, check_points, clean_name, fmt, points_of
from .intervals import Unreadable, condition
from .lexer import CIRCLED, NUMBER

__all__ = ["read_boolean", "read_boolean_pairs", "read_categorical", "read_checklist",
           "read_deadline"]


# ----------------------------------------------------- yes/no, states, items

_YES_NO = re.compile(
    r"(?P<pre>.*?)是否(?P<x>.+?),?是(?:的)?,?(?P<y>.+?),否(?:的|则)?,?(?P<n>.+)")
_NO_YES = re.compile(  # 是否存在违规违纪问题,否得5分,是得0分: the no-branch printed first
    r"(?P<pre>.*?)是否(?P<x>.+?),?否(?:的)?,?(?P<n>.+?),是(?:的|则)?,?(?P<y>.+)")
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
    m = _YES_NO.fullmatch(text) or _NO_YES.fullmatch(text)
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
    question, cond = split_question(cond)
    spec: dict[str, Any] = {"type": "boolean"}
    if question:  # 项目资金设立依据是否充分。有批准文件:2分: the question names what is asked
        spec["description"] = question
        readings.append(f"问题“{question}”记在事实的说明里")
    yes = points_of(pts, notes, ctx)
    if yes == 0:
        raise Unreadable(f"只写了“{cond}”不得分：得分的情形没有写")
    if len(clauses) == 2:
        o = _OTHERWISE.fullmatch(clauses[1])
        neg_cond, neg_pts, neg_deducts = outcome(clauses[1])
        negated = re.fullmatch(r"(?:未|没有|不|未能)(?P<x>.+?)的?", neg_cond)
        if (negated and neg_pts is not None
                and clean_name(negated["x"]) in clean_name(cond)):
            # 编制预算绩效目标的得2分，未编制的不得分: the second clause negates the first
            if neg_deducts:  # 资料齐全的得2分,不齐全的扣2分: deducted from the award
                assert isinstance(neg_pts, Decimal)
                neg = deducted(yes, neg_pts, neg_cond)
                readings.append(f"“{neg_cond}扣{fmt(neg_pts)}分”：从{fmt(yes)}分扣，"
                                f"得{fmt(neg)}分")
            else:
                neg = points_of(neg_pts, notes, ctx)
            check_points(max(yes, neg), notes, ctx)
            fact = ctx.fact or clean_name(cond)
            return Draft({"kind": "boolean", "fact": fact, "yes_points": yes, "no_points": neg},
                         {fact: spec}, readings)
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
                 {fact: spec}, readings)


_QUESTION_END = re.compile(r".*(?:是否.+|[性度况])$")


def split_question(cond: str) -> tuple[str, str]:
    """``(question, rest)``: a question before the first state (``目标是否明确,明确``)."""
    head, comma, rest = cond.rpartition(",")
    if comma and rest and _QUESTION_END.fullmatch(head) and not re.search(r"[;:]", head):
        return head, rest
    return "", cond


def deducted(full: Decimal, per: Decimal, what: str) -> Decimal:
    """The points of a state that deducts from the full points (不健全的扣10分)."""
    if per > full:
        raise Unreadable(f"“{what}扣{fmt(per)}分”比得分{fmt(full)}分扣得多")
    return full - per


def read_categorical(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    if len(clauses) < 2:
        return None
    first_cond = outcome(clauses[0])[0]
    header, colon, first = clauses[0].partition(":")
    question = ""
    if not colon or ":" not in first_cond:
        question = split_question(first_cond)[0]
        header, first = "", clauses[0][len(question):].lstrip(",") if question else clauses[0]
    found: list[tuple[str, Decimal, bool]] = []
    for clause in [first, *clauses[1:]]:
        cond, pts, deducts = outcome(clause)
        if pts is None or not cond or re.search(r"\d|每|是否|得(?!到)|扣", cond):
            return None
        value = clean_name(cond)
        if value in ("否则", "其他", "其余", "反之", "其他情况"):  # every other state
            value = "其他"
        found.append((value, points_of(pts, notes, ctx), deducts))
    awarded = [p for _, p, d in found if not d]
    if not awarded:
        return None
    readings = ["每个状态按原文记为事实的一个取值"]
    if found[-1][0] == "其他":
        readings.append("“否则”记为状态“其他”：以上状态之外的情形")
    full = max(awarded)
    states: list[dict[str, Any]] = []
    for value, pts_v, _ in found:
        if any(s["value"] == value for s in states):
            raise Unreadable(f"状态“{value}”写了两次")
        states.append({"value": value, "points": pts_v})
    if not header and not question and not any(d for _, _, d in found):
        items = _additive(states, ctx)
        if items is not None:
            return items
    subject = ""
    if not header and not question:
        subject = _subject(states)
        if subject:
            readings.append(f"第一个状态前的“{subject}”是指标名称：事实命名为“{subject}”")
    for entry, (_, per, deducts) in zip(states, found, strict=True):
        if not deducts:
            continue
        # Only the negation of the first state deducts exclusively (不健全的扣10分); other
        # deductions may add up (工期滞后的扣5分, 业主投诉的扣10分) and are not states.
        value = str(entry["value"])
        negated = re.fullmatch(r"(?:不|未|没有|无)(?P<x>.+)", value)
        if not negated or negated["x"] != states[0]["value"] or found[0][2]:
            return None
        entry["points"] = kept = deducted(full, per, value)
        readings.append(f"“{value}”扣分从最高的{fmt(full)}分扣，得{fmt(kept)}分")
    check_points(full, notes, ctx)
    fact = (ctx.fact or clean_name(header) or clean_name(re.sub(r"是否.*$", "", question))
            or subject or _common(states, readings))
    decl: dict[str, Any] = {"type": "category", "categories": [s["value"] for s in states]}
    if question:
        decl["description"] = question
        readings.append(f"问题“{question}”记在事实的说明里")
    return Draft({"kind": "categorical", "fact": fact, "states": states}, {fact: decl}, readings)


_RANK = re.compile(r"[一二三四五六七八九十\d]+(?=等|级|档|类|名|星)|[A-Ea-e](?=级|档|类|等)"
                   r"|国家|省|市|县|区|乡镇|乡")


def _additive(states: list[dict[str, Any]], ctx: Context) -> Draft | None:
    """``项目立项符合规定得3分，程序规范得2分``: awards for different things, none of them a
    degree of another (基本/不/较), a grade (优秀/良好) or worth 0. Added up (a checklist) when
    they sum to the row's 分值; exclusive states when the top one is the 分值; with no 分值
    the text does not say which, and it is refused. None: these are states."""
    values = [str(s["value"]) for s in states]
    cores = [_STATE_WORDS.sub("", v) for v in values]
    ranked = {_RANK.sub("", v) for v in values}  # 获一等奖/获二等奖, 省级/市级: one ladder
    if (any(s["points"] == 0 for s in states) or "其他" in values or len(ranked) == 1
            or all(_GRADES.fullmatch(v) for v in values) or len(set(cores)) < len(cores)):
        return None
    total = sum((Decimal(s["points"]) for s in states), Decimal(0))
    top = max(Decimal(s["points"]) for s in states)
    if ctx.points is not None and total == ctx.points and top < total:
        items = [{"fact": v, "points": s["points"], "label": v}
                 for v, s in zip(values, states, strict=True)]
        return Draft({"kind": "checklist", "items": items},
                     {v: {"type": "boolean"} for v in values},
                     [(f"各句的得分相加等于分值{fmt(total)}分：逐项相加（清单），"
                       "未做到的一项得0分")])
    if ctx.points is None:
        shown = "；".join(f"{v}{fmt(s['points'])}分" for v, s in zip(values, states, strict=True))
        raise Unreadable(f"“{shown}”：是逐项相加还是只取其一，文中没有写"
                         "：请给出这一行的分值（points）")
    return None


_DEGREE = re.compile(r"(?:基本|不|较|比较|较为|不够|欠)(?P<s>.+)")


def _subject(states: list[dict[str, Any]]) -> str:
    """财务会计制度健全/基本健全/不健全: the name printed before the first state only.

    Only when every other state is the first's last words with a degree before them
    (基本, 不, 较…), so 按计划完成/部分完成/未完成 keeps its states as printed.
    """
    first, others = states[0]["value"], [s["value"] for s in states[1:]]
    bare = {m["s"] if (m := _DEGREE.fullmatch(o)) else None for o in others}
    if len(bare) != 1 or None in bare:
        return ""
    suffix = bare.pop()
    assert suffix is not None
    head = first.removesuffix(suffix)
    if head == first or len(head) < 2:
        return ""
    states[0]["value"] = suffix
    return str(head).removesuffix("的")


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
_ELSE_NONE = re.compile(r"[,;](?:否则|反之)(?:不得分|不计分|得0分|0分)$")
_BARE_POINTS = re.compile(rf"(?P<label>.+?)\((?P<p>{NUMBER})\)$")
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


def _not_a_value(label: str) -> None:
    """A checklist item is a yes/no; ``完成率100%`` or ``满意度≥90%`` is a band of a number
    (the items exclude each other), never added up."""
    if re.search(rf"{NUMBER}\s*(?:%|‰)|[≥≤<>=]\s*{NUMBER}", label) or condition(label):
        raise Unreadable(f"清单项“{label}”是数值的条件：各档互斥，不是逐项相加的清单")


_GRADES = re.compile(r"(?:优秀|优|良好|良|好|一般|中等|中|较好|较差|差|合格|不合格|达标|不达标)")
_STATE_WORDS = re.compile(r"基本|较为|比较|较|不|未|部分|欠|没有|无")


def _states(items: list[dict[str, Any]], notes: Notes, ctx: Context) -> Draft | None:
    """Checklist items add up; states of one thing (合理/基本合理/不合理, 优秀/良好/一般, an
    item worth 0) exclude each other: read as states, never added up (None: a checklist)."""
    labels = [str(i["label"]) for i in items]
    zero = [lab for i, lab in zip(items, labels, strict=True) if i["points"] == 0]
    cores = [_STATE_WORDS.sub("", clean_name(lab)) for lab in labels]
    graded = all(_GRADES.fullmatch(clean_name(lab)) for lab in labels)
    if not (zero or graded or len(set(cores)) < len(cores)):
        return None
    clauses = [f"{lab},{fmt(i['points'])}分" for i, lab in zip(items, labels, strict=True)]
    draft = read_categorical(clauses, notes, ctx)
    if draft is None:
        shown = "、".join(labels)
        raise Unreadable(f"清单项“{shown}”是同一事项的互斥状态：不是逐项相加的清单")
    draft.readings.insert(0, "编号的各项是同一事项的互斥状态：读作状态，不逐项相加")
    return draft


# An item's words may hold a bracket of their own (有党委书记、乡（镇）长…批示件（0.1分）):
# any bracket without 分 in it is part of the label.
_BRACKETED = re.compile(rf"((?:[^();,]|\([^()分]*\))+?)[;,]?\(({NUMBER})分\)[;,]?")


def _bracketed(text: str, notes: Notes, ctx: Context) -> Draft | None:
    """设有目标(1分)目标明确(1分)…: items each followed by its points in brackets."""
    found = list(_BRACKETED.finditer(text))
    if len(found) < 2 or "".join(m.group(0) for m in found) != text:
        return None
    for m in found:
        _not_a_value(m.group(1))
    items: list[dict[str, Any]] = [
        {"fact": clean_name(m.group(1)), "points": Decimal(m.group(2)),
         "label": m.group(1).strip(",;")} for m in found]
    if len({i["fact"] for i in items}) != len(items):
        raise Unreadable("两个清单项同名")
    if (states := _states(items, notes, ctx)) is not None:
        return states
    check_points(sum((i["points"] for i in items), Decimal(0)), notes, ctx)
    facts = {i["fact"]: {"type": "boolean"} for i in items}
    return Draft({"kind": "checklist", "items": items}, facts,
                 ["各项按“项目(分值)”逐项得分（清单）"])


_PAIR_NO = re.compile(r"(?:未|没有|不|未能)(?P<v>.+?)的?")  # as read_boolean's no-branch


def read_boolean_pairs(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    """全部完成发放补贴面积得5分,未完成不得分;全部完成补贴资金下发得5分,未完成不得分: two or
    more yes/no items, each with its own no-branch (the negation of its own verb, or 否则),
    added up as a checklist."""
    if len(clauses) < 4 or len(clauses) % 2:
        return None
    items: list[dict[str, Any]] = []
    for yes, no in zip(clauses[::2], clauses[1::2], strict=True):
        cond, pts, deducts = outcome(yes)
        no_cond, no_pts, no_deducts = outcome(no)
        if (deducts or no_deducts or not isinstance(pts, Decimal) or pts <= 0
                or no_pts != 0 or not cond or re.search(r"\d|每|扣|是否|否则", cond)):
            return None
        negated = _PAIR_NO.fullmatch(no_cond)
        negates = negated is not None and clean_name(negated["v"]) in clean_name(cond)
        if no_cond not in ("否则", "反之") and not negates:
            return None
        label = cond.strip(",;:")
        _not_a_value(label)
        items.append({"fact": clean_name(label), "points": pts, "label": label})
    if len({i["fact"] for i in items}) != len(items):
        raise Unreadable("两个清单项同名")
    check_points(sum((i["points"] for i in items), Decimal(0)), notes, ctx)
    facts = {i["fact"]: {"type": "boolean"} for i in items}
    return Draft({"kind": "checklist", "items": items}, facts,
                 [f"{len(items)}项各写了得分与不得分（“未…不得分”）：每项是一个是否，逐项相加（清单）"])


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
    readings: list[str] = []
    for raw in parts[1:]:
        part = raw.strip(";,")
        pieces = re.split(r"[;,]", part)
        if pieces and (less := _LESS_ONE.fullmatch(pieces[-1])):
            per_less = Decimal(less.group(1))
            part = ",".join(pieces[:-1])
        # 有明确的绩效目标得1分，否则不得分: the item's own all-or-nothing, said out loud.
        part = _ELSE_NONE.sub("", part)
        m = _ITEM.fullmatch(part)
        if not m and ctx.points is not None and (bare := _BARE_POINTS.fullmatch(part)):
            # 监测（20）among items written （30分）: the bracketed number is the item's
            # points, and the items must add up to the row's 分值 (checked below).
            others = [p for p in parts[1:] if p is not raw]
            if others and all(_ITEM.fullmatch(p.strip(";,")) for p in others):
                m = bare
                readings.append(f"“({bare['p']})”没有写“分”：同一清单其他项都写了分，读作{bare['p']}分")
        if not m:
            raise Unreadable(f"清单项“{part}”没有写分值")
        label = m["label"].strip(",;:")
        if re.search(rf"{NUMBER}分|扣|得分|比例|酌情|否则", label):
            raise Unreadable(f"清单项“{label}”里还有分值或扣分，读不出")
        _not_a_value(label)
        items.append({"fact": clean_name(label), "points": Decimal(m["p"]), "label": label})
    if per_less is not None:
        if any(i["points"] != per_less for i in items):
            raise Unreadable("“每少一项扣…分”与各项的分值不一致")
        readings.append("“每少一项扣分”与逐项得分是同一规则")
    if len({i["fact"] for i in items}) != len(items):
        raise Unreadable("两个清单项同名")
    if (states := _states(items, notes, ctx)) is not None:
        return states
    total = sum((i["points"] for i in items), Decimal(0))
    check_points(total, notes, ctx)
    facts = {i["fact"]: {"type": "boolean"} for i in items}
    return Draft({"kind": "checklist", "items": items}, facts, readings)


_DATE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:之前|以前|前)")
_ON_TIME = re.compile(r"(?P<what>.*?)(?:按时|按期|如期)(?:完成)?(?P<w2>.*)")
_NO_YEAR = re.compile(r"(?<!年)\d{1,2}月(?:\d{1,2}日|底)?(?:之前|以前|前)")
# 每推迟, 每逾期…: a deduction for each unit of time late
_EACH_DELAY = r"每(?:推迟|延迟|延期|逾期|超期|拖延|迟报|迟交|滞后)"
_PER_DAY = re.compile(rf"{_EACH_DELAY}(?:1)?(?:天|日)$")
_LATE = re.compile(rf"{_EACH_DELAY}(?:1|一|半)?(?:个)?"
                   r"(?P<unit>天|日|周|月|年|工作日)$")


def read_deadline(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    text = ",".join(clauses)
    for clause in clauses:
        cond, _, deducts = outcome(clause)
        overdue = _LATE.search(cond) if deducts else None
        if overdue and not _PER_DAY.search(cond):
            raise Unreadable(f"逾期扣分按“{overdue.group(0)}”计：rubric 的时限规则只按整天扣分"
                             "（每推迟一天），且要有截止日期")
        if overdue and not _DATE.search(text):
            raise Unreadable("“每推迟一天扣分”需要截止日期（如2023年12月31日前），文中没有")
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
