"""The chart of 得分率 (score / 分值) per 二级指标, as SVG or PNG.

Charted are the 二级 groups (一级 when there is no second level; never rows). SVG is
written here with no dependency; PNG uses matplotlib (imported lazily:
``rubric[chart]``) and needs a CJK font such as Noto Sans CJK — without one PNG is
refused rather than drawn with missing glyphs. A range shows as a light extension of
the settled part, labelled ``54.5%–100%``.
"""

from __future__ import annotations

import os
from decimal import Decimal

from ..engine.evaluation import Result
from ..errors import RubricError
from ..text import html_text, pct, range_text

__all__ = ["CJK_FONTS", "FONT_STACK", "chart_svg", "chart_title", "rates", "write_png"]

FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
              '"WenQuanYi Micro Hei", "Heiti SC", "SimSun", sans-serif')
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei",
             "PingFang SC", "Heiti SC", "AR PL UMing CN")


def rates(result: Result) -> list[tuple[str, Decimal, Decimal]]:
    """(name, low rate, high rate) of each 二级指标: 得分率 = score / 分值, as fractions.

    Charted are the groups at depth 2 (二级指标), in table order; when the tree has no
    group at depth 2, the groups at depth 1 (一级指标). Rows (三级指标) are never
    charted, even a row sitting at depth 1 or 2; not-applicable groups and groups of
    分值 0 are left out (their rate means nothing).
    """
    level = _chart_level(result)
    nodes = [n for n in result.nodes() if n.kind == "group" and n.depth == level
             and n.applicable]
    out = []
    for n in nodes:
        if n.max_points:
            out.append((n.name, n.low / n.max_points, n.high / n.max_points))
    return out


def _chart_level(result: Result) -> int:
    """The depth ``rates`` charts: 2 (二级) when the tree has a group there, else 1."""
    return 2 if any(n.kind == "group" and n.depth == 2 for n in result.nodes()) else 1


def chart_title(result: Result) -> str:
    return "各二级指标得分率" if _chart_level(result) == 2 else "各一级指标得分率"


def _pct(x: Decimal) -> str:
    return pct(x, places=1)


def _rate_label(low: Decimal, high: Decimal) -> str:
    """The bar label, the same in SVG and PNG: ``80%`` or ``54.5%–100%``."""
    return range_text(low, high, _pct)


def _text_width(text: str, size: int) -> int:
    return sum(size if ord(ch) > 0x2E80 else size * 6 // 10 for ch in text)


def chart_svg(result: Result) -> str:
    """得分率 per 二级指标 as a self-contained SVG bar chart (a range shows as a light
    extension of the settled part)."""
    esc = html_text
    data = rates(result)
    size, bar_h, gap, bar_w = 14, 18, 10, 360
    label_w = max((_text_width(n, size) for n, _l, _h in data), default=60) + 12
    width = label_w + bar_w + 130
    height = 40 + len(data) * (bar_h + gap) + 10
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(chart_title(result))}">'),
        (f"<style>text {{ font-family: {esc(FONT_STACK)}; font-size: {size}px; fill: #222; }}"
         "</style>"),
        f'<text x="{label_w}" y="20">得分率</text>',
        f'<line x1="{label_w}" y1="28" x2="{label_w}" y2="{height - 8}" stroke="#555"/>',
    ]
    for i, (name, low, high) in enumerate(data):
        y = 34 + i * (bar_h + gap)
        w_low = float(low) * bar_w
        w_high = float(high) * bar_w
        label = _rate_label(low, high)
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_h - 4}" text-anchor="end">'
                     f"{esc(name)}</text>")
        if w_high > w_low:
            parts.append(f'<rect x="{label_w + w_low:.1f}" y="{y}" width="{w_high - w_low:.1f}" '
                         f'height="{bar_h}" fill="#9ecae1"/>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w_low:.1f}" height="{bar_h}" '
                     f'fill="#3182bd"><title>{esc(name)} {label}</title></rect>')
        parts.append(f'<text x="{label_w + max(w_high, w_low) + 6:.1f}" y="{y + bar_h - 4}">'
                     f"{esc(label)}</text>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


def write_png(result: Result, path: str | os.PathLike[str], *, dpi: int = 150) -> None:
    """The 得分率 chart as PNG with matplotlib (lazily imported) and a CJK font."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise RubricError("PNG charts need matplotlib",
                          expected="pip install 'rubric[chart]', or write .svg instead") from None
    font = _cjk_font()
    if font is None:
        raise RubricError("no CJK font found for the PNG chart (Chinese labels would not show)",
                          expected="a CJK font such as Noto Sans CJK (Debian: apt-get install "
                          "fonts-noto-cjk), or write the chart as .svg",
                          example="rubric report R F -o chart.svg")
    from ..io.files import atomic_path

    data = rates(result)
    fig = Figure(figsize=(7, 0.45 * len(data) + 1.2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    names = [n for n, _l, _h in data][::-1]
    lows = [float(low) * 100 for _n, low, _h in data][::-1]
    extra = [float(high - low) * 100 for _n, low, high in data][::-1]
    ax.barh(names, lows, color="#3182bd")
    ax.barh(names, extra, left=lows, color="#9ecae1")
    labels = [_rate_label(low, high) for _n, low, high in data][::-1]
    for y, (lo, ex, text) in enumerate(zip(lows, extra, labels)):
        ax.text(lo + ex + 1, y, text, va="center", fontfamily=font)
    ax.set_xlim(0, 115)
    ax.set_xlabel("得分率 (%)", fontfamily=font)
    for label in ax.get_yticklabels():
        label.set_fontfamily(font)
    ax.set_title(chart_title(result), fontfamily=font)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi)
