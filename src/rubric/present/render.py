"""Render a ``Result`` the way evaluators file it: a text table, Markdown, or JSON.

Pure functions over ``rubric.engine.evaluation.Result`` (no I/O). The table has one
line per indicator with its group names on the first line of each group (like the
merged cells of the printed 指标完成情况表), the actual value(s) the row was scored on,
the score or the range of scores where facts are missing, subtotals, the total and the
grade. Scores, ranges, fact words and Markdown escaping come from ``rubric.text``.

Column widths count display columns, not characters (``text.display_width``, re-exported
here): East Asian wide and fullwidth characters (``W``/``F``) take 2 columns, combining
marks and format characters 0, everything else 1. ``unicodedata`` is enough for the CJK
text, digits and ASCII that tables hold, so no ``wcwidth`` dependency; ambiguous-width
characters (``A``: the en dash in "18–100", "≈") count 1, as in most terminals. The
frame is plain ASCII (``+ - |``) because box-drawing characters are ambiguous-width and
would misalign in terminals that draw them wide.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal

from ..engine.evaluation import NodeResult, Result
from ..text import (
    display_width,
    fact_word,
    fmt,
    md_cell,
    missing_list,
    node_score,
    one_line,
    words,
)
from ..tree import Indicator
from .headers import about_line, wrap_list
from .summary import grade_text, summary_lines

__all__ = ["display_width", "render_json", "render_markdown", "render_table"]

_CENT = Decimal("0.01")
_ZH_DIGITS = "一二三四五六七八九十"

# the table's own headings; the words it shares with other outputs are text.words
_HEADINGS = {
    "zh": {"points": "分值", "actual": "指标完成情况", "score": "得分", "subtotal": "{name}小计",
           "warning": "警告：", "explanation": "评分说明"},
    "en": {"points": "Points", "actual": "Actual", "score": "Score",
           "subtotal": "{name} subtotal", "warning": "warning: ", "explanation": "Explanation"},
}


_ALL_WORDS = {lang: {**words(lang), **heads} for lang, heads in _HEADINGS.items()}


def _words(lang: str) -> dict[str, str]:
    """The shared words of ``lang`` (ValueError for an unknown one) and the headings."""
    words(lang)
    return _ALL_WORDS[lang]


def _level_header(level: int, lang: str) -> str:
    if lang == "en":
        return f"Level {level}"
    if level <= len(_ZH_DIGITS):
        return f"{_ZH_DIGITS[level - 1]}级指标"
    return f"{level}级指标"


# -- cell texts ----------------------------------------------------------------


def _number(value: Decimal, unit: str | None, derived: bool) -> str:
    text = fmt(value)
    if derived and value.is_finite() and value != value.quantize(_CENT, ROUND_HALF_UP):
        text = "≈" + fmt(value.quantize(_CENT, ROUND_HALF_UP))
    if not unit:
        return text
    return text + "%" if unit in ("%", "percent") else f"{text} {unit}"


def value_text(result: Result, name: str, lang: str = "zh") -> str:
    """The value fact ``name`` had in ``result``, as a table cell ("10.3%", "34 家", "是").

    Derived facts (rates computed by a formula) are shortened to 2 decimals, marked
    with "≈" when that changed them; given facts are shown exactly as given.
    """
    w = words(lang)
    value = result.value(name)
    text = fact_word(value, lang)
    if text is not None:
        return text
    if isinstance(value, bool):
        return w["yes"] if value else w["no"]
    if isinstance(value, Decimal):
        spec = result.ruleset.specs.get(name)
        return _number(value, result.ruleset.units.get(name),
                       derived=bool(spec is not None and spec.derived))
    if isinstance(value, _dt.date):
        return value.isoformat()
    return fmt(value)


def _actual_text(result: Result, node: NodeResult, lang: str) -> str:
    w = _words(lang)
    if not node.applicable:
        return w["not_applicable"]
    try:
        indicator = result.ruleset.node(node.id)
    except KeyError:
        return ""
    if not isinstance(indicator, Indicator):
        return ""
    texts = [value_text(result, name, lang) for name in indicator.rule.inputs]
    if texts and all(t == w["missing"] for t in texts):
        return w["missing"]
    return " / ".join(texts)


# -- the table as logical lines ------------------------------------------------


class _Line:
    """One logical line: ``cells`` for a table line, ``text`` for a spanning line."""

    __slots__ = ("cells", "node", "rule", "text")

    def __init__(self, cells: Sequence[str] | None = None, text: str | None = None,
                 rule: bool = False, node: NodeResult | None = None) -> None:
        self.cells = list(cells) if cells is not None else None
        self.text = text
        self.rule = rule
        self.node = node


def _levels(result: Result) -> int:
    depths = [n.depth for n in result.rows()]
    return max(depths, default=1) or 1


def _logical(result: Result, explain: bool, lang: str) -> tuple[list[str], list[_Line]]:
    w = _words(lang)
    levels = _levels(result)
    header = [_level_header(i + 1, lang) for i in range(levels)]
    header += [w["points"], w["actual"], w["score"]]
    ncols = len(header)
    lines: list[_Line] = []
    pending: dict[int, str] = {}

    def blank() -> list[str]:
        return [""] * ncols

    def notes(node: NodeResult) -> Iterator[_Line]:
        if not explain:
            return
        text = node.explain(lang)
        if text:
            yield _Line(text=text)
        for warning in node.explain_warnings(lang):
            yield _Line(text="! " + warning)

    def visit(node: NodeResult) -> None:
        if node.kind == "indicator":
            cells = blank()
            for col, name in pending.items():
                cells[col] = name
            pending.clear()
            cells[levels - 1] = one_line(node.name)
            cells[levels] = fmt(node.max_points)
            cells[levels + 1] = one_line(_actual_text(result, node, lang))
            cells[levels + 2] = node_score(node, lang)
            lines.append(_Line(cells, node=node))
            lines.extend(notes(node))
            return
        if node.depth == 1 and lines:
            lines.append(_Line(rule=True))
        if node.depth >= 1:
            pending[node.depth - 1] = one_line(node.name)
        for child in node.children:
            visit(child)
        if node.depth >= 1:
            cells = blank()
            cells[node.depth - 1] = w["subtotal"].format(name=one_line(node.name))
            cells[levels] = fmt(node.max_points)
            cells[levels + 2] = node_score(node, lang)
            lines.append(_Line(cells, node=node))
            lines.extend(notes(node))

    visit(result.total)
    lines.append(_Line(rule=True))
    total = blank()
    total[0] = w["total"]
    total[levels] = fmt(result.total.max_points)
    total[levels + 2] = node_score(result.total, lang)
    lines.append(_Line(total, node=result.total))
    rescaled = result.rescaling_text(lang)
    if rescaled is not None:  # beside the total, with or without --explain
        lines.append(_Line(text=rescaled))
    lines.extend(_Line(text=veto) for veto in result.veto_texts(lang))
    lines.extend(notes(result.total))
    grade = blank()
    grade[0] = w["grade"]
    grade[levels + 2] = grade_text(result, lang)
    lines.append(_Line(grade))
    return header, lines


def _footer(result: Result, explain: bool, lang: str, rescaled: bool = False) -> list[str]:
    """The lines under the table; ``rescaled`` adds how the total was rescaled (for
    Markdown, whose table cannot hold a line spanning the columns)."""
    w = _words(lang)
    out = []
    text = result.rescaling_text(lang) if rescaled else None
    if text is not None:
        out.append(text)
    if rescaled:  # Markdown: the vetoes beside the total too
        out.extend(result.veto_texts(lang))
    if result.missing:
        out.append(missing_list(result.missing, lang))
    # The unit's own warnings (plain numbers read for % facts, violated constraints)
    # always; the ruleset's structural ones with the explanations.
    shown = result.warnings if explain else result.fact_warnings
    out.extend(w["warning"] + text for text in shown)
    return out


# -- text table ------------------------------------------------------------------


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def _wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into lines of at most ``width`` display columns.

    CJK text breaks between any two characters; a run of ASCII breaks at its last
    space when there is one on the line.
    """
    out: list[str] = []
    line, used = "", 0
    for ch in text:
        cw = display_width(ch)
        if used + cw > width and line:
            cut = line.rfind(" ")
            if ch != " " and ch.isascii() and cut > 0 and line[-1].isascii():
                out.append(line[:cut].rstrip())
                line = line[cut + 1:]
            else:
                out.append(line.rstrip())
                line = ""
            if ch == " " and not line:
                used = 0
                continue
            used = display_width(line)
        line += ch
        used += cw
    if line.strip() or not out:
        out.append(line.rstrip())
    return out


def render_table(result: Result, *, explain: bool = False, lang: str = "zh",
                 notes: Sequence[str] = ()) -> str:
    """The scored table as aligned plain text for a terminal.

    It opens with the title and what the run established (``summary.summary_lines``:
    rows settled and open, the total and grade), then ``notes`` (the CLI adds the audit
    of published scores there). Columns 一级指标/二级指标/三级指标 (as many as the tree
    is deep)/分值/指标完成情况/得分 (English headers with ``lang="en"``); a range
    "18–100" where facts are missing; subtotals, 合计 and the grade (or range of
    grades); under 合计, how the total was rescaled to the applicable rows when it was
    (``text.rescaling_text``).
    ``explain=True`` adds each row's explanation and warnings under it.
    """
    header, lines = _logical(result, explain, lang)
    ncols = len(header)
    numeric = {ncols - 3, ncols - 1}
    widths = [display_width(h) for h in header]
    for line in lines:
        if line.cells is not None:
            for i, cell in enumerate(line.cells):
                widths[i] = max(widths[i], display_width(cell))
    inner = sum(widths) + 3 * (ncols - 1)  # " | " between cells
    rule = "+" + "+".join("-" * (wd + 2) for wd in widths) + "+"

    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(_pad(c, wd, i in numeric) for i, (c, wd)
                                  in enumerate(zip(cells, widths))) + " |"

    out = []
    title = result.ruleset.metadata.name
    if title:
        out.append(one_line(title))
    for text in [*summary_lines(result, lang), *notes]:
        out.extend(_wrap(text, len(rule)))
    if about_line(result, lang):  # the unit, project, year and ruleset, split between items
        out.extend(wrap_list(about_line(result, lang), len(rule)))
    out += [rule, row(header), rule.replace("-", "=")]
    for line in lines:
        if line.rule:
            out.append(rule)
        elif line.cells is not None:
            out.append(row(line.cells))
        else:
            for part in _wrap(one_line(line.text or ""), inner - 2):
                out.append("| " + _pad("  " + part, inner) + " |")
    out.append(rule)
    missing = missing_list(result.missing, lang) if result.missing else None
    for text in _footer(result, explain, lang):  # the missing facts break between names
        out.extend(wrap_list(text, len(rule)) if text == missing else _wrap(text, len(rule)))
    return "\n".join(out) + "\n"


# -- markdown --------------------------------------------------------------------


def render_markdown(result: Result, *, explain: bool = False, lang: str = "zh") -> str:
    """The same table as GitHub-flavoured Markdown.

    With ``explain=True`` an extra column holds each row's explanation (Markdown tables
    cannot hold lines between rows) and warnings follow the table as a list.
    """
    w = _words(lang)
    header, lines = _logical(result, False, lang)
    ncols = len(header)
    cols = header + ([w["explanation"]] if explain else [])
    align = ["---"] * (ncols - 3) + ["---:", "---", "---:"] + (["---"] if explain else [])
    out = []
    title = result.ruleset.metadata.name
    if title:
        out += [f"### {md_cell(title)}", ""]
    if about_line(result, lang):
        out += [md_cell(about_line(result, lang)), ""]
    out.append("| " + " | ".join(md_cell(c) for c in cols) + " |")
    out.append("| " + " | ".join(align) + " |")
    for line in lines:
        if line.cells is None:
            continue
        cells = [md_cell(c) for c in line.cells]
        if cells[0] in (md_cell(w["total"]), md_cell(w["grade"])):
            cells = [f"**{c}**" if c else c for c in cells]
        if explain:
            cells.append(md_cell(_explanation(line.node, lang)) if line.node is not None else "")
        out.append("| " + " | ".join(cells) + " |")
    footer = _footer(result, explain, lang, rescaled=True)
    if footer:
        out.append("")
        out += [f"- {md_cell(text)}" for text in footer]
    return "\n".join(out) + "\n"


def _explanation(node: NodeResult, lang: str) -> str:
    """A node's explanation and warnings as one cell."""
    parts = [node.explain(lang)] + ["! " + x for x in node.explain_warnings(lang)]
    return ("；" if lang == "zh" else "; ").join(p for p in parts if p)


# -- json ------------------------------------------------------------------------


def render_json(result: Result, *, lang: str = "zh") -> str:
    """``Result.to_dict(lang)`` as indented JSON (shape: docs/result-format.md)."""
    words(lang)
    return json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2)
