"""The filed table as a Markdown pipe table (merged cells shown once, then blank).

Every text from the ruleset or the facts goes through ``text.md_cell`` (pipes and HTML
escaped), the title and the list of missing facts included."""

from __future__ import annotations

from decimal import Decimal

from ..engine.evaluation import Result
from ..text import fmt, md_cell, word
from .filed import COLUMNS, filed_rows, grade_cells, line_cells, table_title, total_cells
from .headers import about_line, wrap_list

__all__ = ["WIDTH", "to_markdown"]

#: the display columns the list of missing facts is wrapped at
WIDTH = 80


def to_markdown(result: Result) -> str:
    """The filed table as a Markdown pipe table (merged cells shown once)."""
    lines = [f"# {md_cell(table_title(result))}", ""]
    if about_line(result):  # the unit, project, fiscal year and ruleset
        lines += [md_cell(about_line(result)), ""]
    lines += ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for values in [*(line_cells(row) for row in filed_rows(result)),
                   total_cells(result), grade_cells(result)]:
        cells = ["" if v is None else md_cell(fmt(v) if isinstance(v, Decimal) else v)
                 for v in values]
        lines.append("| " + " | ".join(cells) + " |")
    total = result.total
    rescaled = result.rescaling_text()
    if rescaled is not None:  # how the total was rescaled, right under the table
        lines += ["", md_cell(rescaled)]
    lines += [line for veto in result.veto_texts() for line in ("", md_cell(veto))]
    if total.missing:  # source lines of at most 80 columns, broken between fact names
        lines += ["", *wrap_list(f"{word('missing_facts')}: "
                                 + md_cell(", ".join(total.missing)), WIDTH)]
    return "\n".join(lines) + "\n"
