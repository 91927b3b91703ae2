"""Printed 分值 checked against the ruleset's and against each other.

A printed 分值 is compared with the ruleset's, and a printed group's with the sum of its
children's printed 分值. Tables often leave a group's 分值 unprinted (merged cells, only
the rows printed): such a group is read as the sum of its children's printed 分值
(recursively, when all of them are printed or so implied) and compared with the
ruleset's; the message says which comparison was made. A one_of group's alternatives
stand for one another: their printed 分值 must be equal (``rubric check`` reports the
ruleset's own unequal alternatives as ``one-of-maxima``), and the group is worth one
of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from ..rules.row_options import adds_up
from ..text import fmt
from ..text import zh_en as _zh_en
from ..tree import Group, Node, Ruleset
from ..verify.messages import msg
from .claimed import Claimed
from .classes import ZERO

__all__ = ["PrintedMax", "maxima_findings", "printed_maxima"]


@attrs.frozen
class PrintedMax:
    """A node's 分值 as the table prints it (``implied``: not printed, the sum of its
    children's printed 分值, or an alternative's for a one_of group)."""

    value: Decimal
    implied: bool = False


def printed_maxima(ruleset: Ruleset, claimed: Claimed) -> Mapping[str, PrintedMax]:
    """Every node's printed 分值, or the one its printed children imply."""
    out: dict[str, PrintedMax] = {}

    def visit(node: Node) -> PrintedMax | None:
        if isinstance(node, Group):
            shown_kids = [visit(c) for c in node.children]  # every child is visited
            kids = [k for c, k in zip(node.children, shown_kids, strict=True) if adds_up(c)]
        else:
            kids = []
        value = claimed.maxima.get(node.id)
        if value is not None:
            found: PrintedMax | None = PrintedMax(value)
        elif isinstance(node, Group) and kids and all(k is not None for k in kids):
            values = [k.value for k in kids if k is not None]
            if node.select == "one_of":
                found = PrintedMax(values[0], True) if len(set(values)) == 1 else None
            else:
                found = PrintedMax(sum(values, ZERO), True)
        else:
            found = None
        if found is not None:
            out[node.id] = found
        return found

    visit(ruleset.root)
    return out


def maxima_findings(node: Node, ruleset: Ruleset, shown: Mapping[str, PrintedMax],
                    lang: str) -> tuple[list[str], list[str]]:
    """The ``maxima_mismatch`` messages of one node, and notes on the comparisons made
    for a group whose 分值 is not printed."""
    mine = shown.get(node.id)
    problems: list[str] = []
    notes: list[str] = []
    own = ruleset.points[node.id]
    kids = list(node.children) if isinstance(node, Group) else []
    if isinstance(node, Group) and node.select == "one_of":
        if len({c.points for c in kids}) > 1:  # as ``rubric check`` reports it
            alternatives = [msg("one-of-maxima", "worth", id=c.id, points=c.points)
                            for c in kids]
            problems.append(msg("one-of-maxima", worth=alternatives).render(
                "en" if lang == "en" else "zh") + " (rubric check: one-of-maxima)")
        printed = [(c, shown[c.id].value) for c in kids if c.id in shown]
        if len({v for _c, v in printed}) > 1:
            worth = _zh_en(lang, "、", ", ").join(f"'{c.id}' {fmt(v)}" for c, v in printed)
            problems.append(_zh_en(
                lang, f"择一考核的备选指标印刷分值不同（{worth}）：本组得分取决于按哪一项考核",
                f"the alternatives of this one_of group are printed with different 分值 "
                f"({worth}): the group's score depends on which one is assessed"))
    if mine is None:
        return problems, notes
    if not mine.implied:
        if mine.value != own:
            problems.append(_zh_en(lang, f"印刷分值 {fmt(mine.value)} ≠ 规则集分值 {fmt(own)}",
                                   f"printed 分值 {fmt(mine.value)} ≠ the ruleset's {fmt(own)}"))
        summed = [c for c in kids if adds_up(c)]  # not the 其中 rows (adds: false)
        if isinstance(node, Group) and node.select == "all" and all(c.id in shown
                                                                    for c in summed):
            total = sum((shown[c.id].value for c in summed), ZERO)
            unprinted = [c.name for c in summed if shown[c.id].implied]
            how = "" if not unprinted else _zh_en(
                lang, f"（{'、'.join(unprinted)} 分值未印刷，按其下级印刷分值相加）",
                f" ({', '.join(unprinted)} not printed: their children's printed 分值 added)")
            if total != mine.value:
                problems.append(_zh_en(
                    lang, f"印刷分值 {fmt(mine.value)} ≠ 下级印刷分值之和 {fmt(total)}{how}",
                    f"printed 分值 {fmt(mine.value)} ≠ sum of printed children's "
                    f"{fmt(total)}{how}"))
        return problems, notes
    # not printed: the children's printed 分值 stand for it
    which = (_zh_en(lang, "备选指标的印刷分值", "the alternatives' printed 分值")
             if isinstance(node, Group) and node.select == "one_of"
             else _zh_en(lang, "下级印刷分值之和", "the sum of the children's printed 分值"))
    if mine.value != own:
        problems.append(_zh_en(
            lang, f"分值未印刷，按{which} {fmt(mine.value)} 核对：≠ 规则集分值 {fmt(own)}",
            f"分值 not printed; checked as {which}, {fmt(mine.value)}: ≠ the ruleset's "
            f"{fmt(own)}"))
    else:
        notes.append(_zh_en(
            lang, f"分值未印刷，按{which} {fmt(mine.value)} 核对：与规则集一致",
            f"分值 not printed; checked as {which}, {fmt(mine.value)}: agrees with the "
            "ruleset"))
    return problems, notes
