"""Matching a message against the catalog's English templates, and writing its Chinese.

Each English template is compiled, on first use, to a regular expression: its literal
text escaped, each placeholder a group (a placeholder between single quotes, ``'{name}'``,
matches a value without quotes first). A template whose longest literal piece is not in
the text is not tried (0.3 ms a message, measured over the catalog of about 600).
Templates are tried most literal text first, so
``"fact '{name}': states must be true or false"`` wins over ``"fact '{name}': {message}"``.
A trailing ``" (did you mean 'x'?)"`` is a suffix of its own, whatever the message.
"""

from __future__ import annotations

import re
import string
from functools import cache, lru_cache
from typing import Literal

from . import commands, files, rules, ruleset, selfeval, service, values

__all__ = ["ENTRIES", "LANGS", "Lang", "frame", "translate"]

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("zh", "en")

#: Every (English template, Chinese template), by area.
ENTRIES: tuple[tuple[str, str], ...] = (
    *files.ENTRIES, *ruleset.ENTRIES, *rules.ENTRIES, *values.ENTRIES, *service.ENTRIES,
    *commands.ENTRIES, *selfeval.ENTRIES)

#: The words of an error's frame (``errors.format_message``): (English, Chinese).
FRAME: dict[str, tuple[str, str]] = {
    "where": ("{where}: ", "{where}："),
    "indicator": ("indicator '{indicator}': ", "指标“{indicator}”："),
    "expected": ("; expected {expected}", "；要求：{expected}"),
    "example": (" (example: {example})", "（示例：{example}）"),
    "problems": ("{n} problems:", "共 {n} 个问题："),
    "string": ("<string>", "<文本>"),
    "hint": (" (did you mean '{hint}'?)", "（是否想写“{hint}”？）"),
}

_PROBLEMS = re.compile(r"(?P<n>\d+) problems: (?P<rest>.+)", re.DOTALL)
_HINT = re.compile(r"(?P<body>.+) \(did you mean '(?P<hint>[^']*)'\?\)", re.DOTALL)
_MAX_DEPTH = 8


def frame(part: str, lang: str = "en", **values: object) -> str:
    """The frame word ``part`` in ``lang``, its placeholders filled."""
    en, zh = FRAME[part]
    return (zh if lang == "zh" else en).format(**values)


def placeholders(template: str) -> list[str]:
    """The placeholder names of a template, in order."""
    return [name for _text, name, _spec, _conv in string.Formatter().parse(template)
            if name is not None]


def literal(template: str) -> str:
    """A template's literal text (its placeholders left out)."""
    return "".join(text for text, _name, _spec, _conv in string.Formatter().parse(template))


def _pattern(template: str, strict: bool) -> re.Pattern[str]:
    parts = list(string.Formatter().parse(template))
    out: list[str] = []
    seen: set[str] = set()
    for i, (text, name, _spec, _conv) in enumerate(parts):
        out.append(re.escape(text))
        if name is None:
            continue
        if name in seen:
            out.append(f"(?P={name})")
            continue
        seen.add(name)
        after = parts[i + 1][0] if i + 1 < len(parts) else ""
        quoted = text.endswith("'") and after.startswith("'")
        out.append(f"(?P<{name}>[^']*)" if strict and quoted else f"(?P<{name}>.*?)")
    return re.compile("".join(out), re.DOTALL)


def _anchor(template: str) -> str:
    """The longest literal piece of a template: a text without it cannot match."""
    return max((text for text, _n, _s, _c in string.Formatter().parse(template)), key=len)


@cache
def _compile(template: str, strict: bool) -> re.Pattern[str]:
    return _pattern(template, strict)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, str, str, bool], ...]:
    """(anchor, English, Chinese, strict) in the order tried: strict patterns first, each
    pass most literal text first; patterns compile on first use."""
    ordered = sorted(ENTRIES, key=lambda e: -len(literal(e[0])))
    return tuple((_anchor(en), en, zh, strict) for strict in (True, False)
                 for en, zh in ordered)


@lru_cache(maxsize=8192)
def translate(text: str, lang: str = "en") -> str:
    """``text`` (an English message, or a part of one) in ``lang``: the catalog's Chinese
    when a template matches it, else ``text`` as it is."""
    if lang != "zh" or not text:
        return text
    return _translate(text, 0)


def _problem_parts(text: str) -> list[str]:
    """``"a; expected x; b"`` as its problems ``["a; expected x", "b"]``."""
    parts: list[str] = []
    for piece in text.split("; "):
        if parts and piece.startswith(("expected ", "give ")):
            parts[-1] += "; " + piece
        else:
            parts.append(piece)
    return parts


def _translate(text: str, depth: int) -> str:
    if depth > _MAX_DEPTH or not any("a" <= c.lower() <= "z" for c in text):
        return text
    many = _PROBLEMS.fullmatch(text)
    if many is not None:  # facts_from's "2 problems: a; b", each part a message of its own
        return frame("problems", "zh", n=many["n"]) + "；".join(
            _translate(part, depth + 1) for part in _problem_parts(many["rest"]))
    hinted = _HINT.fullmatch(text)
    if hinted is not None:
        return _translate(hinted["body"], depth + 1) + frame("hint", "zh", hint=hinted["hint"])
    for anchor, en, zh, strict in _compiled():
        if anchor not in text:
            continue
        match = _compile(en, strict).fullmatch(text)
        if match is not None:
            return zh.format_map({k: _translate(v, depth + 1)
                                  for k, v in match.groupdict().items()})
    return text
