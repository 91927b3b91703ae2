"""Filed-table reports (XLSX, Markdown, HTML) and the 得分率 chart (SVG, PNG)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

import seed_table
from headless import browser_flags, screenshot
from rubric import Group, Indicator, RubricError, evaluate
from rubric.present.reports import COLUMNS, chart_svg, rates, to_html, to_markdown, write_report

FACTS = {
    "预算调整数": 0, "预算数": 100, "基本支出实际支出": 90, "基本支出年度总预算": 100,
    "项目支出实际支出": 95, "项目支出年度总预算": 100, "资金结余情况": "未超过上年结余",
    "三公经费实际支出数": "5.125", "三公经费预算安排数": 5,
    "绩效目标完成日期": "2023-12-20", "服务对象满意度": 95,
    **dict.fromkeys(seed_table.BOOLEANS, True),
    **{n: t for n, t, _p, _u in seed_table.TARGETS},
    "高新技术产值": "600 亿元",
}  # 供养人数 missing: that row and its groups are ranges


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return evaluate(seed_table.build(), FACTS)


def expected_layout(ruleset):  # type: ignore[no-untyped-def]
    """(一级 name, row count, [(二级 name, 二级 max, row count)]) from the tree itself."""
    def count(node):  # type: ignore[no-untyped-def]
        return 1 if isinstance(node, Indicator) else sum(count(c) for c in node.children)

    return [(g.name, count(g), [(s.name, s.points, count(s)) for s in g.children])
            for g in ruleset.root.children]


def test_xlsx_layout_and_values(tmp_path: Path, result) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "table.xlsx"
    assert write_report(result, path) == "xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert tuple(c.value for c in ws[2]) == COLUMNS
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:H1" in merged
    row = 3
    for name1, n1, seconds in expected_layout(result.ruleset):
        assert ws.cell(row, 1).value == name1
        assert (f"A{row}:A{row + n1 - 1}" in merged) == (n1 > 1)
        for name2, max2, n2 in seconds:
            assert ws.cell(row, 2).value == name2
            assert Decimal(str(ws.cell(row, 3).value)) == max2
            for col in "BC":
                assert (f"{col}{row}:{col}{row + n2 - 1}" in merged) == (n2 > 1)
            row += n2
    rows = list(result.rows())
    for i, node in enumerate(rows):
        r = 3 + i
        assert ws.cell(r, 4).value == node.name
        assert Decimal(str(ws.cell(r, 7).value)) == node.max_points
        score = ws.cell(r, 8).value
        if node.exact:
            assert Decimal(str(score)) == node.low
        else:
            assert score == f"{node.low.normalize():f}–{node.high.normalize():f}"
    total_row = 3 + len(rows)
    assert ws.cell(total_row, 1).value == "合计"
    total = result.total
    assert ws.cell(total_row, 8).value == f"{total.low.normalize():f}–{total.high.normalize():f}"
    assert ws.cell(total_row + 1, 1).value == "等级"
    assert ws.cell(total_row + 1, 8).value == result.grade == "优"  # 93–96 is 优 either way
    assert ws.cell(3 + 5, 5).value == "102.5%"  # 三公经费控制率, derived and shown
    wb.close()


def test_markdown(result) -> None:
    text = to_markdown(result)
    lines = [line for line in text.splitlines() if line.startswith("|")]
    assert lines[0] == "| " + " | ".join(COLUMNS) + " |"
    assert len(lines) == 2 + len(list(result.rows())) + 2
    assert "| 三公经费控制率 | 102.5% |" in text
    assert "缺少事实: 供养人数" in text  # one word for a missing fact in every output


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rowspans: list[tuple[str, int]] = []
        self.meta_charset = False
        self.external: list[str] = []
        self._span: int | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if tag == "meta" and a.get("charset", "").lower() == "utf-8":
            self.meta_charset = True
        for key in ("src", "href"):
            if key in a:
                self.external.append(a[key])
        self._span = int(a["rowspan"]) if tag == "td" and "rowspan" in a else None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._span:
            self.rowspans.append((data, self._span))
            self._span = None


def test_html_standalone_with_rowspans(result) -> None:
    page = to_html(result)
    parser = _Cells()
    parser.feed(page)
    assert parser.meta_charset and not parser.external
    assert "url(" not in page and "@import" not in page
    assert "Noto Sans CJK SC" in page
    expected = []
    for name1, n1, seconds in expected_layout(result.ruleset):
        if n1 > 1:
            expected.append((name1, n1))
        for name2, max2, n2 in seconds:
            if n2 > 1:
                expected += [(name2, n2), (f"{max2.normalize():f}", n2)]
    assert parser.rowspans == expected
    assert "<svg" in page


def test_html_renders_in_a_headless_browser(tmp_path: Path, result) -> None:
    flags = browser_flags(tmp_path)
    page, shot = tmp_path / "t.html", tmp_path / "shot.png"
    write_report(result, page)
    data = screenshot(flags, page, shot, "1000,1300")
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a page, not a blank


def test_svg_chart(result) -> None:
    svg = chart_svg(result)
    tree = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    names = [t.text for t in tree.iter(f"{ns}text")]
    data = rates(result)
    expected = [n for n, _l, _h in data]
    assert expected == [g.name for g in result.ruleset.root.children[0].children] + [
        g.name for g in result.ruleset.root.children[1].children]
    for name in expected:
        assert name in names
    # one solid bar per 二级指标, plus a light extension where the rate is a range
    solid = [r for r in tree.iter(f"{ns}rect") if r.get("fill") == "#3182bd"]
    light = [r for r in tree.iter(f"{ns}rect") if r.get("fill") == "#9ecae1"]
    assert len(solid) == len(expected)
    assert len(light) == sum(1 for _n, low, high in data if high > low) == 1
    budget = {n: (lo, hi) for n, lo, hi in data}["预算执行"]
    assert budget == (Decimal(26) / 30, Decimal(26) / 30)  # 三公 3 + 结余 3 + 4 × 5


def test_png_chart(tmp_path: Path, result) -> None:
    pytest.importorskip("matplotlib")
    from rubric.present.reports import _cjk_font

    if _cjk_font() is None:
        with pytest.raises(RubricError, match="no CJK font"):
            write_report(result, tmp_path / "c.png")
        pytest.skip("no CJK font for matplotlib (apt-get install -y fonts-noto-cjk)")
    write_report(result, tmp_path / "c.png")  # missing glyphs would warn: warnings are errors
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_unknown_format(tmp_path: Path, result) -> None:
    with pytest.raises(RubricError, match=r"expected an output ending in \.xlsx"):
        write_report(result, tmp_path / "t.docx")
    assert not list(tmp_path.iterdir())


def test_shallow_tree_levels() -> None:
    from rubric import Boolean, FactSpec, Ruleset

    rs = Ruleset(Group("总分", [Group("决策", [Indicator("立项", Boolean("立项", 5))]),
                                Indicator("满意度", Boolean("满意", 5))]),
                 [FactSpec("立项", type="boolean"), FactSpec("满意", type="boolean")])
    md = to_markdown(evaluate(rs, {"立项": True}))
    assert "| 决策 |  |  | 立项 | 是 |  | 5 | 5 |" in md
    assert "|  |  |  | 满意度 | 缺少事实 |  | 5 | 0–5 |" in md


# --------------------------------------------------------------- QA regressions


def _tiny(shape: str):  # type: ignore[no-untyped-def]
    """Trees with a row straight under the root ('mixed') or one group level ('one')."""
    from rubric import Boolean, FactSpec, Ruleset

    specs = [FactSpec(n, type="boolean") for n in ("a", "b", "c")]
    if shape == "one":
        root = Group("总分", [Group("组一", [Indicator("行一", Boolean("a", 5)),
                                              Indicator("行二", Boolean("b", 5))]),
                               Indicator("行三", Boolean("c", 5))])
    else:
        root = Group("总分", [Indicator("行零", Boolean("a", 10)),
                              Group("甲", [Group("乙", [Indicator("行一", Boolean("b", 20))]),
                                           Indicator("行二", Boolean("c", 30))])])
    return Ruleset(root, specs)


class _Grid(HTMLParser):
    """The body rows of the filed table as 8-column grids, rowspans expanded."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._pending: dict[int, int] = {}  # column -> rows still covered from above
        self._cell: list[str] | None = None
        self._row: list[tuple[str, int]] | None = None
        self._in_body = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body and a.get("class") != "total":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []
            self._span = int(a.get("rowspan", 1))

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "td" and self._cell is not None and self._row is not None:
            self._row.append(("".join(self._cell), self._span))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            grid: list[str] = []
            cells = iter(self._row)
            while len(grid) < 12:
                col = len(grid)
                if self._pending.get(col):
                    self._pending[col] -= 1
                    grid.append("↑")
                    continue
                nxt = next(cells, None)
                if nxt is None:
                    break
                text, span = nxt
                if span > 1:
                    self._pending[col] = span - 1
                grid.append(text)
            self.rows.append(grid + [f"extra:{t}" for t, _s in cells])
            self._row = None


@pytest.mark.parametrize("shape", ["one", "mixed"])
def test_html_rows_keep_eight_columns(shape: str) -> None:
    result = evaluate(_tiny(shape), {"a": True, "b": False, "c": True})
    grid = _Grid()
    grid.feed(to_html(result, chart=False))
    names = [n.name for n in result.rows()]
    assert len(grid.rows) == len(names)
    for row, node in zip(grid.rows, result.rows()):
        assert len(row) == len(COLUMNS), row
        assert row[3] == node.name  # 三级指标 in its own column, not shifted left
        assert row[7] == f"{node.low.normalize():f}"  # 得分 in the last column


def test_not_applicable_rows_show_not_scored(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    result = evaluate(_tiny("one"), {"a": "不适用", "b": True, "c": True})
    na = next(n for n in result.rows() if n.name == "行一")
    assert not na.applicable
    md = to_markdown(result)
    assert "| 行一 | 不适用 |  | 5 | 不计 |" in md
    grid = _Grid()
    grid.feed(to_html(result, chart=False))
    assert grid.rows[0][3:] == ["行一", "不适用", "", "5", "不计"]
    write_report(result, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert ws.cell(3, 4).value == "行一" and ws.cell(3, 8).value == "不计"


def test_rates_chart_groups_never_rows() -> None:
    deep = evaluate(_tiny("mixed"), {"a": True, "b": True, "c": False})
    assert [n for n, _l, _h in rates(deep)] == ["乙"]  # the depth-2 group, not 行二
    shallow = evaluate(_tiny("one"), {"a": True, "b": False, "c": True})
    assert [(n, lo) for n, lo, _h in rates(shallow)] == [("组一", Decimal("0.5"))]  # not 行三
    assert 'aria-label="各一级指标得分率"' in chart_svg(shallow)
    assert "<figcaption>各一级指标得分率</figcaption>" in to_html(shallow)
    assert 'aria-label="各二级指标得分率"' in chart_svg(deep)


def test_png_labels_match_svg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              result) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.axes import Axes

    from rubric.present.reports import _cjk_font

    if _cjk_font() is None:
        pytest.skip("no CJK font for matplotlib (apt-get install -y fonts-noto-cjk)")
    drawn: list[str] = []
    original = Axes.text

    def spy(self, x, y, s, *args, **kwargs):  # type: ignore[no-untyped-def]
        drawn.append(s)
        return original(self, x, y, s, *args, **kwargs)

    monkeypatch.setattr(Axes, "text", spy)
    write_report(result, tmp_path / "c.png")
    svg_labels = {t.text for t in ET.fromstring(chart_svg(result)).iter(
        "{http://www.w3.org/2000/svg}text")}
    assert drawn and set(drawn) <= svg_labels
    assert any("%–" in label for label in drawn)  # the range label, e.g. 54.5%–100%


def test_one_word_for_a_missing_fact_in_every_output(tmp_path: Path, result) -> None:
    # issue 16: the table, Markdown, the filed reports, HTML, XLSX and audit say 缺少事实
    import openpyxl

    from rubric import audit, load_claimed, load_ruleset
    from rubric.audit import format_audit
    from rubric.present.render import render_markdown, render_table

    assert result.missing, "the fixture must leave facts missing"
    write_report(result, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    xlsx = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    seed = Path(__file__).resolve().parent.parent / "rulesets" / "xiangtan-kgxj-2023"
    report = audit(load_ruleset(seed / "ruleset.yaml"), {}, load_claimed(seed / "claimed.yaml"))
    outputs = {"table": render_table(result), "markdown": render_markdown(result),
               "filed markdown": to_markdown(result), "html": to_html(result), "xlsx": xlsx,
               "audit": format_audit(report)}
    for name, text in outputs.items():
        assert "缺少事实" in text, name
        assert "未提供" not in text and "待定事实" not in text, name
