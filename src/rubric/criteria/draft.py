"""What a recogniser returns, and the helpers every recogniser shares.

``Context`` is the caller's ``points``/``fact``/``unit``; ``Draft`` a rule mapping with
its fact declarations and readings. The helpers settle a row's points (the text's, the
stated 满分, or the caller's 分值, refusing a contradiction), name facts from printed
words and write numbers in the fact's unit.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import attrs

from .clauses import FULL, SHARE, Notes
from .intervals import Unreadable

__all__ = ["Context", "Draft", "check_points", "clean_name", "decl", "fact_name", "fmt",
           "points_of", "unit_of", "value_in"]


@attrs.frozen
class Context:
    points: Decimal | None
    fact: str | None
    unit: str | None


@attrs.define
class Draft:
    mapping: dict[str, Any]
    facts: dict[str, dict[str, Any]]
    readings: list[str] = attrs.field(factory=list)


def clean_name(text: str) -> str:
    """A fact name from printed words: punctuation, quotes (as the lexer drops them
    around a metric's name: “小巨人”) and a trailing 的 dropped."""
    name = re.sub(r"[,;:、()（）\s.。!?！？“”‘’\"'「」]", "", text)
    return name.removesuffix("的")


def points_of(value: Decimal | str | None, notes: Notes, ctx: Context) -> Decimal:
    if value == FULL or value is None:
        if notes.stated_points is not None:
            return notes.stated_points
        if ctx.points is None:
            raise Unreadable("文中没有写这一行的分值（满分）：请给出分值（points）")
        return ctx.points
    if isinstance(value, str) and value.startswith(SHARE):  # 得一半, 得60%: of the 分值
        full = notes.stated_points if notes.stated_points is not None else ctx.points
        if full is None:
            raise Unreadable("文中按分值的比例计分（如“得一半”）但没有写分值：请给出分值（points）")
        return full * Decimal(value.removeprefix(SHARE))
    assert isinstance(value, Decimal)
    return value


def check_points(awarded: Decimal, notes: Notes, ctx: Context) -> None:
    for given, what in ((notes.stated_points, "文中写的分值"), (ctx.points, "给出的分值")):
        if given is not None and given != awarded:
            raise Unreadable(f"最高得分{fmt(awarded)}分与{what}{fmt(given)}分不一致")


def fmt(d: Decimal) -> str:
    return f"{d.normalize():f}"


def fact_name(metric: str, ctx: Context, readings: list[str], fallback: str) -> str:
    if ctx.fact:
        return ctx.fact
    name = clean_name(metric)
    if name:
        return name
    readings.append(f"文中没有写指标名称：事实命名为“{fallback}”（可用 fact 指定）")
    return fallback


def unit_of(text_unit: str, ctx: Context) -> str:
    return ctx.unit or text_unit


def value_in(value: Decimal, text_unit: str, fact_unit: str) -> Any:
    """A number in the mapping: plain in the fact's unit, else a quantity to convert."""
    if not text_unit or text_unit == fact_unit:
        return value
    return f"{fmt(value)} {text_unit}"


def decl(unit: str) -> dict[str, Any]:
    return {"unit": unit} if unit else {}
