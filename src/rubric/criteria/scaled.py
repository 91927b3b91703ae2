"""Recognisers of scaled scores: completion ratios (完成值/指标值×分值), coefficients
(执行率×分值) and qualitative tiers (好（100%-80%）…, the evaluator scores inside a tier).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .clauses import FULL, Notes
from .draft import Context, Draft, check_points, clean_name, decl, fmt, points_of
from .intervals import UNIT, Interval, Unreadable, assemble, condition
from .lexer import NUMBER

__all__ = ["read_count_share", "read_qualitative", "read_ratio"]


# ------------------------------------------------------ ratios and deadlines

_TARGETISH = re.compile(r"目标|指标值|计划|标准值|预算数|应")
_ACTUALISH = re.compile(r"实际|完成|执行数|实现")
_SCORE_IS = r"(?:(?:评价指标|指标|本项|该项)?得分=|按)?"
_RATIO = re.compile(_SCORE_IS + r"\(?(?P<a>[^,;*/()]+)/(?P<b>[^,;*/()]+?)\)?(?:\*100%)?\*"
                    rf"(?:(?:该|本)?(?:项目|项)?(?:指标)?(?:的)?(?:分值|权重)|(?P<n>{NUMBER})分?)"
                    r"(?:计分|计算|得分)?")
_COEF = re.compile(_SCORE_IS + r"(?P<a>[^,;*/()]+)\*(?:该|本)?(?:项目|项)?(?:指标)?(?:的)?"
                   r"(?:分值|权重)(?:计分|计算|得分)?")
# 以实际评定的好路率×120: a rate times the row's 分值 written as a number.
_COEF_N = re.compile(_SCORE_IS + rf"以?(?P<a>[^,;*/()]+)\*(?P<n>{NUMBER})分?(?:计分|计算|得分)?")
_BY_SHARE = re.compile(r"按(?:照)?(?:实际)?完成(?:的)?比例(?:计算)?(?:得分|计分|记分|赋分)")
_FULL_MARKS = (r"(?:得满分|计满分|记满分|满分"
               r"|(?:记|得|计|给)(?:该指标|该项|本项|本指标)?(?:所赋)?(?:的)?全部分值)")
_FULL_WHEN = re.compile(r"(?:全部|按计划|达到目标值?|达到|足额)?完成(?P<t>目标值|指标值|计划值)?"
                        rf"(?:目标|计划|任务)?的?,?{_FULL_MARKS}"
                        r"|达到(?:或超过)?(?P<t2>目标值|指标值)的?得满分")


# 实际完成值≥指标值,得满分;实际完成值<指标值,按实际完成值/指标值×分值计分: the full marks
# and the ratio's branch say the same comparison of the ratio's own two values.
_CMP_FULL = re.compile(rf"(?P<x>[^≥≤<>=,;]+?)(?:≥|大于等于|不低于)(?P<y>[^≥≤<>=,;]+?)(?:的|时)?,?"
                       rf"{_FULL_MARKS}")
_CMP_REST = re.compile(r"(?P<x>[^≥≤<>=,;]+?)(?:<|小于|低于)(?P<y>[^≥≤<>=,;]+?)(?:的|时)?,")


def _compared(clauses: list[str]) -> tuple[list[str], tuple[str, str] | None]:
    """The clauses with a ``A≥B,得满分;A<B,`` frame taken off, and (A, B)."""
    if len(clauses) != 2:
        return clauses, None
    full, rest = _CMP_FULL.fullmatch(clauses[0]), _CMP_REST.match(clauses[1])
    if not full or not rest:
        return clauses, None
    pair = (clean_name(full["x"]), clean_name(full["y"]))
    if pair != (clean_name(rest["x"]), clean_name(rest["y"])):
        return clauses, None
    return [clauses[1][rest.end():]], pair


def read_ratio(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    clauses, compared = _compared(clauses)
    full = [m for c in clauses if (m := _FULL_WHEN.fullmatch(c))]
    rest = [c for c in clauses if not _FULL_WHEN.fullmatch(c)]
    if len(rest) != 1:
        return None
    # 完成指标值的,记该指标所赋全部分值;未完成的,按照完成比例记分: the share is of the target
    # the full-marks clause names (实际完成值/指标值), when no rate is given.
    named_target = next((m["t"] or m["t2"] for m in full if m["t"] or m["t2"]), None)
    text = re.sub(r"^(?:未(?:全部)?完成的?|未达到的?)?,?", "", rest[0])
    readings: list[str] = []
    m = _RATIO.fullmatch(text)
    if m:
        points = points_of(Decimal(m["n"]) if m["n"] else FULL, notes, ctx)
        if m["n"]:
            check_points(points, notes, ctx)
        a, b = clean_name(m["a"]), clean_name(m["b"])
        if compared is not None and compared != (a, b):
            return None  # the full marks compare other values than the ratio divides
        if compared is not None:
            readings.append(f"“{a}≥{b}得满分”与比率封顶为1是同一规则")
        if re.fullmatch(NUMBER, b):
            readings.append(f"目标值为{b}")
            fixed = {"kind": "ratio", "actual": a, "target": Decimal(b), "points": points}
            return Draft(fixed, {a: {**decl(ctx.unit or ""), "minimum": Decimal(0)}}, readings)
        a_t, b_t = bool(_TARGETISH.search(a)), bool(_TARGETISH.search(b))
        a_a, b_a = bool(_ACTUALISH.search(a)), bool(_ACTUALISH.search(b))
        if b_t and not a_t:
            actual, target, reverse = a, b, False
        elif a_t and not b_t and b_a:
            actual, target, reverse = b, a, True
            readings.append(f"“{a}/{b}”：目标值在分子，按反向比率读（reverse: true），"
                            "适用于越低越好的指标")
        elif a_a and not b_a:
            actual, target, reverse = a, b, False
        else:
            raise Unreadable(f"“{a}/{b}”读不出哪个是目标值、哪个是实际值")
        readings.append("比率封顶为1：超过目标值得满分")
        readings.append("0/0按规则集的 zero_over_zero 读（默认 by_direction）")
        unit = ctx.unit or ""
        mapping: dict[str, Any] = {"kind": "ratio", "actual": actual, "target": target,
                                   "points": points}
        if reverse:
            mapping["reverse"] = True
        facts = {actual: {**decl(unit), "minimum": Decimal(0)}}
        if isinstance(target, str):
            facts[target] = {**decl(unit), "minimum": Decimal(0)}
        return Draft(mapping, facts, readings)
    m = _COEF.fullmatch(text)
    numbered = None if m else _COEF_N.fullmatch(text)
    by_share = _BY_SHARE.fullmatch(text)
    if not m and not by_share and not numbered:
        return None
    if numbered:
        m = numbered
        points = points_of(Decimal(numbered["n"]), notes, ctx)
        check_points(points, notes, ctx)
        readings.append(f"“×{numbered['n']}”是这一行的分值")
    else:
        points = points_of(FULL, notes, ctx)
    if by_share and not ctx.fact and named_target:
        readings += [f"“{by_share.group(0)}”读作：实际完成值/{named_target}×分值",
                     "比率封顶为1：完成即得满分",
                     "0/0按规则集的 zero_over_zero 读（默认 by_direction）"]
        unit = ctx.unit or ""
        share = {"kind": "ratio", "actual": "实际完成值", "target": named_target,
                 "points": points}
        return Draft(share, {"实际完成值": {**decl(unit), "minimum": Decimal(0)},
                             named_target: {**decl(unit), "minimum": Decimal(0)}}, readings)
    if by_share:  # 按完成比例计算得分: the rate is the row's, the text does not name it
        if not ctx.fact:
            raise Unreadable("“按完成比例计分”没有写是哪个比率：请给出事实（fact），如“预算执行率”")
        readings.append(f"“{by_share.group(0)}”读作：{ctx.fact}×分值")
    fact = ctx.fact or clean_name(m["a"] if m else "")
    if not fact.endswith(("率", "系数", "度")) and ctx.unit != "%":
        raise Unreadable(f"“{fact}×分值”：{fact}不是百分率或系数")
    percent = ctx.unit == "%" or fact.endswith(("率", "度"))
    readings.append(f"{fact}按{'百分数' if percent else '系数（0–1）'}读，得分封顶为分值")
    coef = {"kind": "coefficient", "fact": fact, "points": points, "percent": percent}
    spec: dict[str, Any] = {"minimum": Decimal(0), "maximum": Decimal(100 if percent else 1)}
    if percent:
        spec["unit"] = "%"
    return Draft(coef, {fact: spec}, readings)


# ------------------------------------------------------------- qualitative

_TIER = re.compile(rf"(?P<label>[^,;、()]*?)\(?(?P<range>{NUMBER}%?(?:\(含\))?-{NUMBER}%"
                   rf"(?:\(含\))?(?:\(含{NUMBER}%\))?)\)?")


def read_qualitative(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    text = ",".join(clauses)
    if "%" not in text or not re.search(r"好|优|良|中|差|一般|较好|档|区间|等级", text):
        return None
    body = re.sub(r"^(?:分值区间|分为|按)?", "", text)
    body = re.sub(r"[,;]?(?:合理确定得分|由评价人在档内确定得分|在区间内确定得分"
                  r"|酌情打分|酌情给分)$", "", body)
    tiers_raw = re.split(r"[、,;]", body)
    tiers: list[tuple[str, Interval]] = []
    for n, raw in enumerate(tiers_raw, 1):
        m = _TIER.fullmatch(raw)
        if not m:
            return None
        read = condition(m["range"])
        if read is None:
            return None
        tiers.append((m["label"] or f"第{n}档", read[1]))
    if len(tiers) < 2:
        return None
    settled, readings = assemble([i for _, i in tiers])
    if settled[0].lower != 0 or settled[-1].upper != 100:
        raise Unreadable("档次没有覆盖0%到100%")
    labelled: list[dict[str, Any]] = []
    for s in settled:
        label = next(lab for lab, i in tiers if i.lower == s.lower and i.upper == s.upper)
        labelled.append({"label": label, "lower": s.lower, "upper": s.upper,
                         "lower_closed": s.lower_closed, "upper_closed": s.upper_closed})
    if any(not re.sub(r"第\d+档", "", t["label"]) for t in labelled):
        readings.append("档次没有名称：按“第1档”“第2档”…命名")
    points = points_of(FULL, notes, ctx)
    fact = ctx.fact or "评价得分"
    if not ctx.fact:
        readings.append("评价人给出的得分记为事实“评价得分”（可用 fact 指定）")
    readings.append("档次内的得分由评价人确定，rubric 只核对它落在所选档次内")
    labelled.reverse()
    return Draft({"kind": "qualitative", "fact": fact, "points": points, "tiers": labelled},
                 {fact: {"minimum": Decimal(0), "maximum": points}}, readings)


# ------------------------------------------------- a count target, else its share

# 年内全县查处非法捕捞案件10例以上(含简易案件);否则按完成比例得分(15分): the count's share
# of its target, capped at 1 (at and above the target, full marks: the same rule).
_COUNT_SHARE = re.compile(
    rf"(?P<pre>(?:[^;,\d]*[,;])*?)(?P<name>[^,;\d()]+?)(?P<n>{NUMBER})(?P<unit>例|起|{UNIT})以上"
    r"(?:\((?P<scope>含[^()\d]+)\))?[,;](?:否则|未完成的?|未达到的?),?"
    r"按(?:照)?(?:实际)?完成(?:的)?比例(?:计算)?(?:得分|计分|记分|赋分)"
    rf"(?:\((?P<p>{NUMBER})分\))?")
_NOT_WORDS = re.compile(r"分|扣|得|否则|不|未|酌情|视")


def read_count_share(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    m = _COUNT_SHARE.fullmatch(",".join(clauses))
    if m is None or not m["unit"] or m["unit"] == "%" or _NOT_WORDS.search(m["pre"] + m["name"]):
        return None
    points = points_of(Decimal(m["p"]) if m["p"] else FULL, notes, ctx)
    check_points(points, notes, ctx)
    name = clean_name(m["name"])
    actual = ctx.fact or (name if name.endswith("数") else f"{name}数")
    target = Decimal(m["n"])
    n, u = fmt(target), m["unit"]
    readings = [(f"“{n}{u}以上”得满分，否则按完成比例：{actual}/{n}×分值，"
                 f"比率封顶为1（{n}{u}及以上得满分，与“以上”含本数一致）"),
                f"目标值为{n}{u}：{actual}按{u}数给出"]
    described = [p for p in (m["pre"].strip(",;"), m["scope"]) if p]
    if m["pre"].strip(",;"):
        readings.append(f"“{m['pre'].strip(',;')}”是工作要求，记在事实的说明里，不影响计分")
    if m["scope"]:
        readings.append(f"“{m['scope']}”是所数对象的范围，记在事实的说明里")
    if m["p"]:
        readings.append(f"末尾的“({m['p']}分)”是这一行的分值")
    spec: dict[str, Any] = {**decl(ctx.unit or ""), "minimum": Decimal(0)}
    if described:
        spec["description"] = "；".join(described)
    return Draft({"kind": "ratio", "actual": actual, "target": target, "points": points},
                 {actual: spec}, readings)
