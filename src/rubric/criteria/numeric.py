"""Recognisers of the numeric forms: bands (区间), per-step deductions (每超过/每少…扣),
and per-occurrence deductions (每出现一例扣).
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from typing import Any

import attrs

from .clauses import FULL, Notes, outcome
from .draft import (
    Context,
    Draft,
    check_points,
    clean_name,
    decl,
    fact_name,
    fmt,
    points_of,
    unit_of,
    value_in,
)
from .intervals import UNIT, Interval, Unreadable, assemble, condition, sort_key
from .lexer import NUMBER

__all__ = ["floor_of", "read_bands", "read_deduction", "read_per_occurrence"]


def floor_of(points: Decimal, notes: Notes) -> Decimal:
    """The row's floor: 0 (扣完为止), or the points less 最多扣N分."""
    if notes.max_deduction is None:
        return Decimal(0)
    if notes.max_deduction > points:
        raise Unreadable(f"最多扣{fmt(notes.max_deduction)}分超过分值{fmt(points)}分")
    return points - notes.max_deduction  # the reading is the restatement's 最多扣N分


# ----------------------------------------------------------------------- bands


def _range_text(i: Interval, fact_unit: str) -> str:
    def q(d: Decimal) -> str:
        v = value_in(d, i.unit, fact_unit)
        return v if isinstance(v, str) else fmt(v)
    if i.point:
        assert i.lower is not None
        return f"={q(i.lower)}"
    if i.lower is None:
        assert i.upper is not None
        return f"{'≤' if i.upper_closed else '<'}{q(i.upper)}"
    if i.upper is None:
        return f"{'≥' if i.lower_closed else '>'}{q(i.lower)}"
    left, right = "[" if i.lower_closed else "(", "]" if i.upper_closed else ")"
    return f"{left}{q(i.lower)}, {q(i.upper)}{right}"


def _direction(points: list[Decimal], bounded_both: bool) -> str:
    if all(a >= b for a, b in itertools.pairwise(points)):
        return "lower"
    if all(a <= b for a, b in itertools.pairwise(points)):
        return "higher"
    top = points.index(max(points))
    up = all(a <= b for a, b in itertools.pairwise(points[: top + 1]))
    down = all(a >= b for a, b in itertools.pairwise(points[top:]))
    return "target" if up and down and bounded_both else "none"


def read_bands(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    if notes.standard is not None:
        return None
    if len(clauses) == 1:
        cond, pts, deducts = outcome(clauses[0])
        read = condition(cond) if pts is not None and not deducts else None
        if read is not None and not read[2]:
            raise Unreadable("只有一个区间：其他取值的得分未说明")
        return None
    metric = ""
    readings: list[str] = []
    otherwise = _otherwise(clauses)
    if otherwise is not None:  # 满意度≥90%得满分,否则不得分: the other values, written out
        clauses = [clauses[0], otherwise[0]]
        readings.append(f"“否则”读作{otherwise[1]}")
    found: list[tuple[Interval, Decimal]] = []
    bare: list[Interval] = []
    for clause in clauses:
        cond, pts, deducts = outcome(clause)
        if pts is None or deducts:
            return None
        read = condition(cond.removesuffix("的").removesuffix("时"))
        if read is None:
            return None
        name, interval, is_bare = read
        if is_bare:  # 100%:5分 among ranges: exactly that value
            bare.append(interval)
        name = clean_name(name)
        if name and metric and name != metric:
            if not (metric.endswith(name) or name.endswith(metric)):
                raise Unreadable(f"一条标准里有两个指标：{metric}、{name}")
            readings.append(f"“{min(name, metric, key=len)}”读作“{max(name, metric, key=len)}”")
        metric = max(metric, name, key=len)
        found.append((interval, points_of(pts, notes, ctx)))
    if bare:
        if len(bare) == len(found):
            return None
        for i in bare:
            assert i.lower is not None
            readings.append(f"“{fmt(i.lower)}{i.unit}”没有写比较的词：读作恰为{fmt(i.lower)}{i.unit}")
    units = {i.unit for i, _ in found if i.unit}
    if len(units) > 1:
        raise Unreadable(f"区间的单位不一致：{'、'.join(sorted(units))}")
    text_unit = units.pop() if units else ""
    if text_unit:
        found = [(attrs.evolve(i, unit=text_unit), p) for i, p in found]
    found.sort(key=lambda f: sort_key(f[0]))
    settled, closed = assemble([i for i, _ in found])
    readings.extend(closed)
    points = [p for _, p in found]
    check_points(max(points), notes, ctx)
    fact_unit = unit_of(text_unit, ctx)
    fact = fact_name(metric, ctx, readings, "指标值")
    facts: dict[str, dict[str, Any]] = {fact: decl(fact_unit)}
    lowest, highest = settled[0], settled[-1]
    if lowest.lower is not None:
        if lowest.lower == 0 and lowest.lower_closed:
            facts[fact]["minimum"] = Decimal(0)
            readings.append("最低区间从0起：事实的值域从0起（minimum: 0）")
        else:
            raise Unreadable(f"低于{fmt(lowest.lower)}时得分未说明")
    if highest.upper is not None:
        if highest.upper == 100 and highest.upper_closed and text_unit == "%":
            facts[fact]["maximum"] = Decimal(100)
            readings.append("最高区间到100%为止：事实的值域到100%（maximum: 100）")
        else:
            raise Unreadable(f"高于{fmt(highest.upper)}时得分未说明")
    direction = _direction(points, lowest.lower is not None or highest.upper is not None)
    bands = [{"range": _range_text(i, fact_unit), "points": p}
             for i, p in zip(settled, points, strict=True)]
    mapping = {"kind": "bands", "fact": fact, "direction": direction, "bands": bands}
    return Draft(mapping, facts, readings)


def _otherwise(clauses: list[str]) -> tuple[str, str] | None:
    """``(clause, values)``: a one-sided band and 否则 as the band of every other value."""
    if len(clauses) != 2:
        return None
    cond, pts, deducts = outcome(clauses[1])
    if deducts or pts is None or not re.fullmatch(r"否则|其他|其余|其他情况|反之", cond):
        return None
    first, first_pts, first_deducts = outcome(clauses[0])
    read = condition(first.removesuffix("的")) if first_pts is not None else None
    if read is None or read[2] or first_deducts:
        return None
    name, i, _ = read
    if i.lower is not None and i.upper is None:
        op, value = ("<" if i.lower_closed else "≤"), i.lower
    elif i.upper is not None and i.lower is None:
        op, value = (">" if i.upper_closed else "≥"), i.upper
    else:
        return None
    award = f"得{fmt(pts)}分" if isinstance(pts, Decimal) else "得满分"
    values = f"{op}{fmt(value)}{i.unit}"
    return f"{name}{values}{award}", values


# ------------------------------------------------------------------ deductions

_ABOVE = "超过|超出|高于|增加|上升|提高|多|高"
_BELOW = "减少|降低|下降|低于|不足|少|低"
_STEP = re.compile(
    rf"(?P<pre>.*?)(?P<dev>增减幅度|增减|上下浮动|浮动|偏离度|偏离|偏差率|偏差)?每"
    rf"(?P<verb>{_ABOVE}|{_BELOW}|偏离|相差)(?P<rel>目标值的)?(?P<step>{NUMBER})"
    rf"(?P<sunit>个百分点|百分点|{UNIT})$")


def read_deduction(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    steps = [(n, c) for n, c in enumerate(clauses) if outcome(c)[2]]
    if len(steps) != 1:
        return None
    n_step, step_clause = steps[0]
    cond, per_step, _ = outcome(step_clause)
    m = _STEP.fullmatch(cond)
    if not m or (len(clauses) == 1 and notes.standard is None and _MISSING.fullmatch(cond)):
        return None  # 达到…标准,每少一项扣: the missing items are counted (read_per_occurrence)
    assert isinstance(per_step, Decimal)
    readings: list[str] = []
    base = [c for k, c in enumerate(clauses) if k != n_step]
    if len(base) > 1:
        raise Unreadable("除得满分的条件和扣分外还有文字没有用上：" + "；".join(base[1:]))
    pre = m["pre"].rstrip(",的")
    verb = m["verb"]
    dev, magnitude = m["dev"], False
    if dev in ("偏差率", "偏离度") and verb not in ("偏离", "相差") and not pre:
        # 偏差率在10%以内(含)得满分,偏差率每增加1个百分点扣0.2分: the rate is the metric,
        # and the step says which way it is read (a deviation rate is one number).
        pre, dev, magnitude = dev, None, True
    side = ("both" if dev or verb in ("偏离", "相差")
            else "above" if re.fullmatch(_ABOVE, verb) else "below")
    if base:
        bcond, bpts, _ = outcome(base[0])
        read = condition(bcond.removesuffix("的").removesuffix("时"))
        if read is None or bpts is None:
            return None
        metric, interval, bare = read
    elif notes.standard is not None or pre:
        bpts, metric, bare = None, "", False
        interval = None
    else:
        return None
    # The target: the base condition's bound, else 以…为标准, else the step's own condition.
    target, t_unit = _target(interval, bare, side, notes, pre)
    if pre and base:
        pre_read = condition(pre)
        if pre_read is None:
            named = clean_name(pre)
            if named and not clean_name(metric).endswith(named):  # 问卷调查满意度 … 满意度每降低
                raise Unreadable(f"扣分条件“{pre}”读不出")
        else:
            p_metric, p_int, _ = pre_read
            bound = p_int.lower if p_int.lower is not None else p_int.upper
            if bound != target:
                raise Unreadable(f"扣分条件“{pre}”的界限与得满分的条件不一致")
            if p_metric and metric and clean_name(p_metric) not in clean_name(metric):
                raise Unreadable(f"扣分条件的指标“{p_metric}”与“{metric}”不同")
            metric = metric or p_metric
    elif pre and not metric:
        pre_read = condition(pre)
        metric = pre_read[0] if pre_read else pre
    points = points_of(bpts if base else FULL, notes, ctx)
    check_points(points, notes, ctx)
    step, s_unit = Decimal(m["step"]), m["sunit"]
    if not t_unit and s_unit in ("个百分点", "百分点"):
        t_unit = "%"
        readings.append(f"目标值{fmt(target)}没有单位：步长是百分点，按百分数读")
    basis = _basis(side, verb, m["rel"], s_unit, t_unit, notes, readings)
    fact_unit = unit_of(t_unit, ctx)
    fact = fact_name(metric, ctx, readings, "实际完成值")
    partial = notes.partial or "floor"
    if notes.partial is None:
        readings.append("不足一步的部分不扣分（partial: floor）")
    boundary = notes.boundary or "counts"
    if partial != "floor":
        if notes.boundary is not None:
            raise Unreadable("“恰为整步”的说明只用于不足一步不扣的读法")
    elif notes.boundary is None:
        readings.append("恰为整步时按整步扣（boundary: counts）")
    step_value: Any = step
    plain = ("个百分点", "百分点", "%", "", fact_unit)
    if basis == "absolute" and s_unit not in plain:
        step_value = f"{fmt(step)} {s_unit}"
    mapping = {"kind": "deduction", "fact": fact, "target": value_in(target, t_unit, fact_unit),
               "points": points, "side": side, "basis": basis, "step": step_value,
               "per_step": per_step, "partial": partial, "boundary": boundary,
               "floor": Decimal(0)}
    if partial != "floor":
        del mapping["boundary"]  # whole or proportional steps have no boundary reading
    mapping["floor"] = floor_of(points, notes)
    spec = decl(fact_unit)
    if interval is not None and not interval.point and _up_to_100(interval, side):
        spec["maximum"] = Decimal(100)
        readings.append("得满分的区间止于100%：事实的值域到100为止（maximum: 100）")
    if magnitude:
        # A signed deviation below the target would score full marks: the rate is read as
        # the deviation's size, and a negative value is refused by the fact's bounds.
        spec["minimum"] = Decimal(0)
        readings.append(f"“{fact}”读作偏差的大小（绝对值，minimum: 0）：每增加即偏差变大")
    return Draft(mapping, {fact: spec}, readings)


def _up_to_100(interval: Interval, side: str) -> bool:
    """90%-100%得满分 then a deduction below: the full marks run up to the rate's top.

    The ends need no closedness: at the lower end the deduction counts no step, and 100
    is the top of the fact's values (declared ``maximum: 100``)."""
    return (side == "below" and interval.lower is not None and interval.lower_closed is not False
            and interval.upper == 100 and interval.upper_closed is not False
            and interval.unit == "%")


def _target(interval: Interval | None, bare: bool, side: str, notes: Notes,
            pre: str) -> tuple[Decimal, str]:
    if interval is None:
        if notes.standard is not None:
            return notes.standard
        read = condition(pre)
        if read is None:
            raise Unreadable(f"没有得满分的条件，扣分条件“{pre}”也读不出目标值")
        interval = read[1]
        bound = interval.lower if interval.lower is not None else interval.upper
        assert bound is not None
        target = (bound, interval.unit)
    else:
        ok = (interval.point or bare
              or (side == "above" and interval.lower is None and interval.upper_closed)
              or (side == "below" and interval.upper is None and interval.lower_closed)
              or _up_to_100(interval, side))
        if not ok:
            raise Unreadable("得满分的条件与扣分的方向不一致")
        bound = interval.lower if interval.lower is not None else interval.upper
        assert bound is not None
        target = (bound, interval.unit)
    if notes.standard is not None and notes.standard[0] != target[0]:
        raise Unreadable("“以…为标准”与得满分的条件不一致")
    return target


def _basis(side: str, verb: str, rel: str | None, s_unit: str, t_unit: str, notes: Notes,
           readings: list[str]) -> str:
    if rel or notes.relative is True:
        if s_unit != "%":
            raise Unreadable("按目标值的百分比计的步长要写成百分数")
        return "relative"
    if notes.relative is False or s_unit in ("个百分点", "百分点"):
        if s_unit in ("个百分点", "百分点") and t_unit != "%":
            raise Unreadable("步长是百分点，但目标值不是百分数")
        return "absolute"
    if s_unit == "%":
        if t_unit != "%":
            readings.append("步长“%”按目标值的百分比计（basis: relative）")
            return "relative"
        if side == "both" or verb in ("少", "减少"):
            readings.append(f"“每{verb}…%”按目标值的百分比计，不是百分点"
                            "（basis: relative；domain §3.1）")
            return "relative"
        readings.append(f"比率的“每{verb}…%”按百分点计（basis: absolute；domain §3.1）")
        return "absolute"
    if not s_unit and t_unit == "%":
        raise Unreadable("步长没有单位，目标值是百分数：读不出是百分点还是目标值的百分比")
    return "absolute"


_COUNTED = "例|次|处|起|个|件|条|笔|宗|人次|项"
_OCCUR = re.compile(
    rf"(?P<name>.*?)每(?:出现|发现|有|存在|发生)?(?:(?P<n>{NUMBER}))?"
    rf"(?P<c>{_COUNTED})(?P<what>.*)$")
# 发现一例扣1分,扣完为止: no 每, a count of exactly one (出现次数 is a name, not a count).
_ONCE = re.compile(rf"(?P<name>[^每]*?)(?P<once>出现|发现|存在|发生|有)(?P<n>1)(?P<c>{_COUNTED})"
                   r"(?P<what>[^每]*)$")


# 会计核算规范…得满分;存在问题的每项扣1分: words that only point back at the full marks.
_BACK = re.compile(r"(?:存在|有|发现|出现)?(?:问题|不符合(?:要求|规定)?|不规范|未达(?:到)?要求"
                   r"|违规|违反规定)(?:的)?")


# …达不到要求的: what is counted fails the requirement the full-marks clause states.
_FAILS = re.compile(r"(?:达不到|未达到|未达|不符合|不满足)(?:要求|标准)的?$")


# 开展季度检查工作,未开展的,1次扣4.5分,扣完为止: the count right after the condition.
_ONCE_AFTER = re.compile(rf"(?P<name>[^每]*?的,)(?P<once>)(?P<n>1)(?P<c>{_COUNTED})"
                         r"(?P<what>[^每]*)$")


def _occurrence(cond: str) -> re.Match[str] | None:
    after = _ONCE_AFTER.fullmatch(cond)
    if after and re.search(r"\d", re.split(r"[,;]", after["name"].rstrip(","))[-1]):
        after = None  # 超过10%的,1次扣2分: a bound of a number, not a breach counted
    return _OCCUR.fullmatch(cond) or _ONCE.fullmatch(cond) or after


# 乡镇纪委达到“十有”（即配备有…）标准,每少一项扣0.05分: what is counted is the items of the
# requirement that are missing (no number in the requirement: 少于2次的每少一次 is a count).
_MISSING = re.compile(r"(?P<name>[^\d]*?[^\d,;]),?每(?:少|缺|缺少)(?:1|一)?(?:个)?(?P<c>项|个|条)")


def _missing_items(m: re.Match[str], per: Decimal | str | None, notes: Notes,
                   ctx: Context) -> Draft:
    assert isinstance(per, Decimal)
    requirement = clean_name(m["name"])
    if not requirement:
        raise Unreadable("“每少一项扣分”没有写是哪些项")
    fact = ctx.fact or f"缺少{m['c']}数"
    readings = [(f"“每少一{m['c']}”：事实“{fact}”是“{requirement}”中缺少的{m['c']}数"
                 "（可用 fact 指定）")]
    points = points_of(FULL, notes, ctx)
    check_points(points, notes, ctx)
    mapping = {"kind": "per_occurrence", "fact": fact, "points": points,
               "per_occurrence": per, "floor": floor_of(points, notes)}
    spec: dict[str, Any] = {"minimum": Decimal(0), "description": m["name"].strip(",;")}
    return Draft(mapping, {fact: spec}, readings)


def _shares_words(a: str, b: str) -> bool:
    """Two texts naming the same thing: a common run of two characters."""
    return any(a[i:i + 2] in b for i in range(len(a) - 1))


def read_per_occurrence(clauses: list[str], notes: Notes, ctx: Context) -> Draft | None:
    award: Decimal | str | None = FULL
    requirement = ""
    numbered_note = ""
    if len(clauses) == 2:  # 资金使用合规得5分;存在违规使用资金的,每发现一处扣1分
        first, award, first_deducts = outcome(clauses[0])
        if first_deducts or award is None or not first or "每" in first:
            return None
        counted = _occurrence(outcome(clauses[1])[0])
        bare = counted is not None and (
            not clean_name(counted["name"] + counted["what"])
            or (not clean_name(counted["what"]) and _BACK.fullmatch(clean_name(counted["name"])))
            or (not clean_name(counted["name"]) and _BACK.fullmatch(clean_name(counted["what"]))))
        # The full marks must be for the absence of what is counted (they name the same
        # thing); 按时报送得2分;每出现1次数据错误扣0.5分 is two criteria in one row. A count
        # naming nothing (…得满分;发现一例扣1分, …的,得2分,有一项未达要求扣1分) counts the
        # breaches of the first clause, whose number (在15个工作日内) is then a part of the
        # requirement, never a bound of a metric (完成率达到90%的).
        numbered = re.search(r"\d", first) is not None
        if bare and (award == FULL or isinstance(award, Decimal)) and not (
                numbered and condition(first.removesuffix("的")) is not None):
            requirement = first
            if numbered:
                numbered_note = f"“{first}”里的数是要求的一部分，不是计分的数值"
        elif (numbered and counted is not None and not clean_name(counted["name"])
              and _FAILS.search(clean_name(counted["what"]))
              and _shares_words(clean_name(first), _FAILS.sub("", clean_name(counted["what"])))):
            # 单个内设机构实际人员配置数不低于…的1/2,得1.5分;每有1个内设机构…达不到要求的,扣0.5分:
            # what is counted is named, failing the first clause, which (its number with it)
            # is the requirement each of them is held to.
            requirement = first
            numbered_note = f"“{first}”里的数是对每一个所数对象的要求，不是计分的数值"
        elif numbered or not _shares_words(clean_name(first), clean_name(clauses[1])):
            return None
        clauses = clauses[1:]
    if len(clauses) != 1:
        return None
    cond, per, deducts = outcome(clauses[0])
    missing = _MISSING.fullmatch(cond)
    if deducts and missing and award == FULL and not requirement:
        return _missing_items(missing, per, notes, ctx)
    m = _occurrence(cond)
    if not deducts or not m:
        return None
    assert isinstance(per, Decimal)
    readings: list[str] = []
    if "once" in m.groupdict():
        # 发现一例扣1分,扣完为止: without 每, only the floor says the deduction repeats.
        if not (notes.floor or notes.max_deduction is not None):
            return None
        readings.append(f"“{m['once']}1{m['c']}扣{fmt(per)}分”连同扣完为止（最多扣分）"
                        f"读作每{m['c']}扣{fmt(per)}分")
    if m["n"] is not None and Decimal(m["n"]) != 1:
        raise Unreadable(f"“每{m['n']}{m['c']}扣{fmt(per)}分”不是每一次扣分")
    name, what = clean_name(m["name"]), clean_name(m["what"])
    if requirement:
        readings.append(f"“{requirement}”是要求：扣分数的是不符合它的{m['c']}数，记在事实的说明里")
    if numbered_note:
        readings.append(numbered_note)
    sentences = [p for p in re.split(r"[,;]", m["name"]) if clean_name(p)]
    if name and not what and len(sentences) > 1 and not requirement:
        # 认真贯彻…遵纪守法。发生违法违纪行为。发现1例扣3.6分: the last sentence is what is
        # counted, the ones before it the requirement (in the fact's description).
        requirement = "；".join(sentences[:-1])
        name = clean_name(sentences[-1])
        readings.append(f"“{requirement}”是要求：记在事实的说明里")
    if name and what and m["name"].endswith(",") and re.search(r"[,;]", m["name"][:-1]):
        # 春节前下达…的50%;6月底前…全部下达完。每出现一个专项未按进度完成…扣0.5分: the
        # sentences before 每 state the requirement whose breaches are counted.
        requirement = "；".join(p for p in re.split(r"[,;]", m["name"]) if p)
        readings.append(f"“{requirement}”是要求：记在事实的说明里")
        name = ""
    if name and what:
        raise Unreadable(f"扣分条件前的“{m['name']}”读不出（不是指标名称）")
    if ctx.fact:
        fact = ctx.fact
    elif name:
        fact = name if name.endswith("数") else f"{name}{m['c']}数"
        if fact != name:
            readings.append(f"事实命名为“{fact}”：{name}的{m['c']}数（可用 fact 指定）")
    elif what:
        fact = f"{what}{m['c']}数"
        readings.append(f"事实命名为“{fact}”：“{m['what']}”出现的{m['c']}数（可用 fact 指定）")
    elif requirement:
        fact = f"不符合要求{m['c']}数"
        readings.append(f"事实命名为“{fact}”（可用 fact 指定）")
    else:
        fact = "出现次数"
        readings.append("文中没有写扣分的对象：事实命名为“出现次数”（可用 fact 指定）")
    points = points_of(award, notes, ctx)
    check_points(points, notes, ctx)
    stated = [Decimal(n) for n in re.findall(rf"({NUMBER})分", m["name"])]
    if stated:
        # 作风建设(18分):…发现1例扣3.6分: a 分值 written before the count must be the row's.
        if stated != [points]:
            raise Unreadable(f"扣分条件前写的“{'、'.join(fmt(n) + '分' for n in stated)}”"
                             f"与这一行的分值{fmt(points)}分不一致，读不出")
        readings.append(f"扣分条件前的“{fmt(points)}分”是这一行的分值")
    if award != FULL:
        readings.append("前一句的得分是没有出现扣分情形时的得分（满分）")
    mapping = {"kind": "per_occurrence", "fact": fact, "points": points,
               "per_occurrence": per, "floor": floor_of(points, notes)}
    spec: dict[str, Any] = {"minimum": Decimal(0)}
    if requirement:
        spec["description"] = requirement
    return Draft(mapping, {fact: spec}, readings)
