"""The lines around a report's table: what it is about, and lists wrapped at names.

``about`` is what every report states above its table: the unit's and the project's
name, who filled the facts in and when (from the facts file's metadata section,
``Result.metadata``), the fiscal year (the facts' or else the ruleset's) and the
ruleset's id and version. ``wrap_list`` wraps a list of names (the missing facts) at
its separators, ``、`` or ``, ``, never inside a name (and ``about_line`` between items).
"""

from __future__ import annotations

import re

from ..engine.evaluation import Result
from ..text import display_width

__all__ = ["about", "about_line", "wrap_list"]

_LABELS = {
    "zh": {"unit": "单位名称", "project": "项目名称", "fiscal_year": "年度",
           "filled_by": "填报人", "filled_on": "填报日期", "ruleset": "评价体系",
           "version": "{id}（版本 {version}）", "sep": "：", "join": "　"},
    "en": {"unit": "Unit", "project": "Project", "fiscal_year": "Fiscal year",
           "filled_by": "Filled in by", "filled_on": "Filled in on", "ruleset": "Ruleset",
           "version": "{id} (version {version})", "sep": ": ", "join": "; "},
}
_ORDER = ("unit", "project", "fiscal_year", "filled_by", "filled_on")
_BREAK = re.compile(r"(?<=、)|(?<=, )|(?<=　)|(?<=; )")


def about(result: Result, lang: str = "zh") -> list[tuple[str, str]]:
    """(label, text) of what the report is about, the fields given: 单位名称, 项目名称,
    年度, 填报人, 填报日期, then 评价体系 (the ruleset's id, or name, and version)."""
    labels = _LABELS["en" if lang == "en" else "zh"]
    given = dict(result.metadata)
    meta = result.ruleset.metadata
    if "fiscal_year" not in given and meta.fiscal_year is not None:
        given["fiscal_year"] = str(meta.fiscal_year)
    out = [(labels[key], given[key]) for key in _ORDER if given.get(key)]
    ruleset = meta.id or meta.name
    if ruleset:
        out.append((labels["ruleset"], labels["version"].format(id=ruleset, version=meta.version)
                    if meta.version else ruleset))
    return out


def about_line(result: Result, lang: str = "zh") -> str:
    """``单位名称：某某局　项目名称：…　年度：2023　评价体系：id（版本 1）`` ("" when
    nothing is known)."""
    labels = _LABELS["en" if lang == "en" else "zh"]
    return labels["join"].join(label + labels["sep"] + text for label, text in about(result, lang))


def wrap_list(text: str, width: int) -> list[str]:
    """``text`` (a head and names separated by ``、`` or ``, ``; or ``about_line``'s
    items, separated by ``　`` or ``; ``) in lines of at most
    ``width`` display columns, broken only after a separator: a name is never split (one
    longer than a line has a line of its own)."""
    lines: list[str] = []
    line = ""
    for part in _BREAK.split(text):
        if line and display_width((line + part).rstrip()) > width:
            lines.append(line.rstrip())
            line = part
        else:
            line += part
    if line or not lines:
        lines.append(line.rstrip())
    return lines
