"""The filed table as a standalone HTML page, the 得分率 chart inline.

UTF-8 with ``<meta charset>``, a CJK font stack, ``rowspan`` merges; no external
resources.
"""

from __future__ import annotations

from decimal import Decimal

from ..engine.evaluation import Result
from ..text import fmt, html_text, node_score, word
from .chart import FONT_STACK, chart_svg, chart_title
from .filed import COLUMNS, filed_rows, line_cells, table_title
from .summary import grade_text

__all__ = ["to_html"]


def to_html(result: Result, *, chart: bool = True) -> str:
    """A standalone UTF-8 HTML page with the filed table (and the chart inline)."""
    esc = html_text
    body = []
    for row in filed_rows(result):
        cells = line_cells(row)
        tds = []
        for col, value in enumerate(cells):
            if value is None:
                continue
            span = row.span1 if col == 0 else row.span2 if col in (1, 2) else 1
            attr = f' rowspan="{span}"' if span > 1 else ""
            cls = ' class="num"' if col in (2, 6, 7) else ""
            text = fmt(value) if isinstance(value, Decimal) else str(value)
            tds.append(f"<td{attr}{cls}>{esc(text)}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    total = result.total
    body.append(f'<tr class="total"><td>{esc(word("total"))}</td><td></td><td class="num">'
                f'{esc(fmt(total.max_points))}</td><td colspan="3"></td><td class="num">'
                f'{esc(fmt(total.max_points))}</td>'
                f'<td class="num">{esc(node_score(total))}</td></tr>')
    body.append(f'<tr class="total"><td>{esc(word("grade"))}</td><td colspan="6"></td>'
                f'<td class="num">{esc(grade_text(result))}</td></tr>')
    rescaled = result.rescaling_text()
    if rescaled is not None:  # how the total was rescaled, beside it
        body.append(f'<tr class="rescaled"><td>{esc(word("rescaled_label"))}</td>'
                    f'<td colspan="7">{esc(rescaled)}</td></tr>')
    head = "".join(f"<th>{esc(c)}</th>" for c in COLUMNS)
    missing = (f'<p class="missing">{esc(word("missing_facts"))}: '
               f'{esc(", ".join(total.missing))}</p>' if total.missing else "")
    caption = f"<figcaption>{esc(chart_title(result))}</figcaption>"
    figure = f"<figure>{chart_svg(result)}{caption}</figure>" if chart else ""
    title = esc(table_title(result))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: {FONT_STACK}; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; font-size: 14px; }}
th, td {{ border: 1px solid #555; padding: 4px 6px; vertical-align: middle; }}
th {{ background: #eee; }}
td.num {{ text-align: center; white-space: nowrap; }}
tr.total td {{ font-weight: bold; }}
figure {{ margin: 2em 0; }}
</style>
</head>
<body>
<h1>{title}</h1>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
{missing}
{figure}
</body>
</html>
"""
