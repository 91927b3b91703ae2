"""Reports that say what they are about (issue 16 item 7).

The facts file's metadata section (基本信息 / metadata: 单位名称, 项目名称, 年度 …) is not a
fact and reaches every report; the XLSX's number formats, widths, frozen header and print
setup; the HTML from a Jinja2 template a user can override (checked in headless
Chromium); the missing-facts footer wrapped between fact names, never inside one.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from headless import browser_flags, screenshot
from rubric import (
    Boolean,
    FactSpec,
    Group,
    Indicator,
    LoadError,
    Metadata,
    Policy,
    RubricError,
    Ruleset,
    evaluate,
    load_facts,
    load_ruleset,
)
from rubric.cli import main
from rubric.io.facts_file import load_facts_mapping, load_facts_metadata
from rubric.present.headers import about, about_line, wrap_list
from rubric.present.render import render_markdown, render_table
from rubric.present.reports import COLUMNS, to_html, to_markdown, write_report
from rubric.text import display_width

SEED = Path(__file__).resolve().parent.parent / "rulesets" / "xiangtan-kgxj-2023"
UNIT, PROJECT = "湘潭县科技和工业信息化局", "2023年部门整体支出"
META = f"""基本信息:
  单位名称: {UNIT}
  项目名称: {PROJECT}
  年度: 2023
  填报人: 张三
  填报日期: 2024-03-01
"""


@pytest.fixture(scope="module")
def seed() -> Ruleset:
    return load_ruleset(SEED / "ruleset.yaml")


@pytest.fixture(scope="module")
def facts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's facts with this test's metadata section in front (the seed's own
    section left out)."""
    import re

    path = tmp_path_factory.mktemp("facts") / "facts.yaml"
    seed_facts = (SEED / "facts.yaml").read_text(encoding="utf-8")
    seed_facts = re.sub(r"^基本信息:.*\n(?:  .*\n)*", "", seed_facts, flags=re.M)
    assert "基本信息" not in seed_facts
    path.write_text(META + seed_facts, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def result(seed: Ruleset, facts_file: Path):  # type: ignore[no-untyped-def]
    return evaluate(seed, load_facts(facts_file, seed))


# ------------------------------------------------------------- the metadata section


def test_metadata_section_is_carried_not_a_fact(seed: Ruleset, facts_file: Path,
                                                result) -> None:
    facts = load_facts(facts_file, seed)
    assert dict(facts.metadata) == {"unit": UNIT, "project": PROJECT, "fiscal_year": "2023",
                                    "filled_by": "张三", "filled_on": "2024-03-01"}
    plain = load_facts(SEED / "facts.yaml", seed)
    assert facts.values == plain.values  # no fact changed
    assert dict(plain.metadata) == {"unit": UNIT, "project": PROJECT,
                                    "fiscal_year": "2023"}  # the seed's own section
    assert result.metadata == facts.metadata
    assert "基本信息" not in load_facts_mapping(facts_file)  # the raw facts only
    assert load_facts_metadata(facts_file)["unit"] == UNIT
    assert evaluate(seed, plain).total == result.total


def test_metadata_english_keys(tmp_path: Path, seed: Ruleset) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("metadata:\n  unit: 某局\n  project: 某项目\n  fiscal_year: 2024\n",
                    encoding="utf-8")
    assert dict(load_facts(path, seed).metadata) == {"unit": "某局", "project": "某项目",
                                                     "fiscal_year": "2024"}


@pytest.mark.parametrize(("text", "message"), [
    ("基本信息:\n  单位名: 某局\n", r"f\.yaml:2:.*unknown field '单位名'.*did you mean '单位名称'"),
    ("基本信息: 某局\n", r"f\.yaml:1:.*'基本信息' is the facts file's metadata"),
    ("基本信息:\n  项目名称: [a, b]\n", r"f\.yaml:2:.*项目名称 is one text"),
    ("基本信息: {年度: 2023}\nmetadata: {unit: x}\n", r"f\.yaml:2:.*repeats the metadata"),
])
def test_metadata_mistakes_are_located(tmp_path: Path, seed: Ruleset, text: str,
                                       message: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match=message):
        load_facts(path, seed)


def test_about_falls_back_to_the_rulesets_fiscal_year(seed: Ruleset) -> None:
    result = evaluate(seed, {})
    assert about(result) == [("年度", "2023"), ("评价体系", "xiangtan-kgxj-2023（版本 1）")]
    assert about_line(result, "en") == "Fiscal year: 2023; Ruleset: xiangtan-kgxj-2023 (version 1)"


def _texts_of_xlsx(path: Path) -> str:
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(path).active
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_every_report_says_what_it_is_about(tmp_path: Path, result) -> None:
    write_report(result, tmp_path / "t.xlsx")
    outputs = {
        "score table": render_table(result), "score markdown": render_markdown(result),
        "filed markdown": to_markdown(result), "html": to_html(result),
        "xlsx": _texts_of_xlsx(tmp_path / "t.xlsx"),
    }
    for name, text in outputs.items():
        for expected in (UNIT, PROJECT, "2023", "xiangtan-kgxj-2023", "版本 1", "张三"):
            assert expected in text, (name, expected)
    # the score table keeps its lead lines where they were, the about line under them
    lines = render_table(result).splitlines()
    assert lines[0] == result.ruleset.metadata.name
    assert any(line.startswith(f"单位名称：{UNIT}") for line in lines[1:6])


def test_cli_report_states_the_unit(tmp_path: Path, facts_file: Path) -> None:
    out = tmp_path / "t.md"
    assert main(["report", str(SEED / "ruleset.yaml"), str(facts_file), "-o", str(out)]) == 0
    head = out.read_text(encoding="utf-8").split("|", 1)[0]
    assert f"单位名称：{UNIT}" in head and f"项目名称：{PROJECT}" in head and "年度：2023" in head


# ------------------------------------------------------------------------- XLSX


def test_xlsx_formats_widths_frozen_header_and_print_setup(tmp_path: Path, result) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "t.xlsx"
    write_report(result, path)
    ws = openpyxl.load_workbook(path).active
    assert tuple(c.value for c in ws[2]) == COLUMNS
    title = ws.cell(1, 1).value
    assert title.startswith(result.ruleset.metadata.name) and f"单位名称：{UNIT}" in title
    # numbers: 得分 at the policy's precision (2), 分值 at the decimals they need (0)
    last = 2 + len(list(result.rows())) + 1  # the 合计 row
    scores = [ws.cell(r, 8) for r in range(3, last + 1) if isinstance(ws.cell(r, 8).value,
                                                                       (int, float))]
    points = [ws.cell(r, c) for r in range(3, last + 1) for c in (3, 7)
              if isinstance(ws.cell(r, c).value, (int, float))]
    assert scores and {c.number_format for c in scores} == {"0.00"}
    assert points and {c.number_format for c in points} == {"0"}
    # widths: as wide as the widest line (CJK counts 2) and a margin, long texts capped
    for col in range(1, len(COLUMNS) + 1):
        letter = openpyxl.utils.get_column_letter(col)
        width = ws.column_dimensions[letter].width
        widest = max(display_width(line) for r in range(2, last + 2)
                     for line in str(ws.cell(r, col).value or "").splitlines() or [""])
        assert min(widest, 16) <= width <= widest + 2, (letter, width, widest)
    name = "新增国家级专精特新小巨人企业"  # 14 CJK characters: 28 columns
    assert ws.column_dimensions["D"].width >= 2 * len(name)
    assert ws.column_dimensions["C"].width < 10  # a narrow 分值 column
    # the title and header stay in view and print on every page: A4, landscape, fit to width
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$1:$2"
    setup = ws.page_setup
    assert int(setup.paperSize) == 9 and setup.orientation == "landscape"  # 9: A4
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True


def test_xlsx_score_format_follows_the_precision(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    rs = Ruleset(Group("总分", [Indicator("立项", Boolean("立项", Decimal("2.5"))),
                                Indicator("满意度", Boolean("满意", 5))]),
                 [FactSpec("立项", type="boolean"), FactSpec("满意", type="boolean")],
                 policy=Policy(precision=0))
    write_report(evaluate(rs, {"立项": True, "满意": True}), tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert ws.cell(3, 8).number_format == "0"
    assert ws.cell(3, 7).number_format == "0.0"  # 2.5 points needs one decimal


def test_xlsx_same_bytes_for_the_same_result(tmp_path: Path, result) -> None:
    pytest.importorskip("openpyxl")
    write_report(result, tmp_path / "a.xlsx")
    write_report(result, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_xlsx_missing_facts_break_between_names(tmp_path: Path, result) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    write_report(result, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "缺少事实")
    text = ws.cell(row, 2).value
    assert f"B{row}:H{row}" in {str(m) for m in ws.merged_cells.ranges}
    lines = text.split("\n")
    assert len(lines) > 1  # the seed leaves 27 facts missing
    assert [n for line in lines for n in line.rstrip(",").split(", ")] == list(result.missing)


# ------------------------------------------------------------------------- HTML


def test_default_template_keeps_the_page(result) -> None:
    page = to_html(result)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")
    assert '<meta charset="utf-8">' in page and "font-family: \"Noto Sans CJK SC\"" in page
    assert f"<span>单位名称：{UNIT}</span>" in page
    assert page.count("<tr") == 1 + len(list(result.rows())) + 2
    assert '<tr class="total"><td>合计</td>' in page
    names = re.findall(r'<span class="fact">([^<]*)</span>', page)
    assert names == list(result.missing)  # each name unbreakable (white-space: nowrap)
    assert "p.about span, p.missing .fact { white-space: nowrap; }" in page


def test_html_escapes_what_the_facts_say(tmp_path: Path, seed: Ruleset) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("基本信息:\n  单位名称: <script>alert(1)</script> & 某局\n", encoding="utf-8")
    page = to_html(evaluate(seed, load_facts(path, seed)), chart=False)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 某局" in page


CUSTOM = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>body { font-family: {{ font_stack }}; } .score { font-size: 48px; color: #a00; }</style>
</head><body>
<h1>自定义：{{ title }}</h1>
{% for label, text in about %}<p class="about">{{ label }}={{ text }}</p>{% endfor %}
<p class="score">总分 {{ result.total.low }}–{{ result.total.high }}</p>
<ol>{% for row in rows %}<li>{{ row.cells | map(attribute="text") | join(" / ") }}</li>
{% endfor %}</ol>
</body></html>
"""


def test_custom_template(tmp_path: Path, result) -> None:
    template = tmp_path / "mine.html.j2"
    template.write_text(CUSTOM, encoding="utf-8")
    page = to_html(result, template=template)
    assert "<h1>自定义：" in page and f'<p class="about">单位名称={UNIT}</p>' in page
    assert f"总分 {result.total.low}–{result.total.high}" in page
    assert page.count("<li>") == len(list(result.rows())) + 2
    write_report(result, tmp_path / "out.html", template=template)
    assert (tmp_path / "out.html").read_text(encoding="utf-8") == page


def test_custom_template_extends_the_default(tmp_path: Path, result) -> None:
    template = tmp_path / "ext.html.j2"
    template.write_text('{% extends "rubric/report.html.j2" %}'
                        '{% block header %}<h1>封面：{{ title }}</h1>{% endblock %}',
                        encoding="utf-8")
    page = to_html(result, template=template)
    assert "<h1>封面：" in page and '<p class="about">' not in page
    assert page.count("<tr") == to_html(result).count("<tr")  # the table as by default


def test_template_errors_say_where(tmp_path: Path, result) -> None:
    bad = tmp_path / "bad.html.j2"
    bad.write_text("<p>\n{% for x in rows %}\n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"bad\.html\.j2:\d+: template error"):
        to_html(result, template=bad)
    typo = tmp_path / "typo.html.j2"
    typo.write_text("{{ titel }}", encoding="utf-8")
    with pytest.raises(RubricError, match="titel"):  # undefined names are errors
        to_html(result, template=typo)
    with pytest.raises(RubricError, match="no such template"):
        to_html(result, template=tmp_path / "nope.html.j2")
    with pytest.raises(RubricError, match="template is for the HTML report"):
        write_report(result, tmp_path / "t.md", template=typo)
    assert not (tmp_path / "t.md").exists()


def test_cli_template_option(tmp_path: Path, facts_file: Path) -> None:
    template = tmp_path / "mine.html.j2"
    template.write_text(CUSTOM, encoding="utf-8")
    out = tmp_path / "t.html"
    assert main(["report", str(SEED / "ruleset.yaml"), str(facts_file), "-o", str(out),
                 "--template", str(template)]) == 0
    assert "<h1>自定义：" in out.read_text(encoding="utf-8")


def _screenshot(tmp_path: Path, page: Path, shot: Path) -> bytes:
    """``page`` in headless Chromium, its screenshot saved at ``shot`` (as
    tests/test_reports.py's browser test does)."""
    flags = browser_flags(tmp_path)
    return screenshot(flags, page, shot, "1000,1300")


@pytest.mark.parametrize("kind", ["default", "custom"])
def test_templates_render_in_a_headless_browser(tmp_path: Path, result, kind: str) -> None:
    page, shot = tmp_path / "t.html", tmp_path / f"shot-{kind}.png"
    template = None
    if kind == "custom":
        template = tmp_path / "mine.html.j2"
        template.write_text(CUSTOM, encoding="utf-8")
    write_report(result, page, template=template)
    data = _screenshot(tmp_path, page, shot)
    assert shot.exists() and data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000  # a page of CJK text, not a blank


# ---------------------------------------------------------- the missing-facts footer


def test_wrap_list_never_splits_a_name() -> None:
    names = ["预算调整数", "基本支出实际支出", "项目支出年度总预算", "三公经费预算安排数"] * 3
    text = "缺少事实（12 项）：" + "、".join(names)
    for width in (12, 20, 30, 50):
        lines = wrap_list(text, width)
        assert "".join(lines) == text
        for line in lines:
            assert display_width(line) <= width or "、" not in line.rstrip("、")
            assert line.endswith("、") or line == lines[-1]
    assert wrap_list("Missing facts (3): alpha, beta, gamma", 24) == [
        "Missing facts (3): alpha,", "beta, gamma"]
    assert wrap_list("", 10) == [""]


def test_score_table_footer_breaks_between_fact_names(seed: Ruleset) -> None:
    result = evaluate(seed, {})
    text = render_table(result)
    footer = text.rstrip("\n").split("\n")
    rule_at = max(i for i, line in enumerate(footer) if line.startswith("+"))
    width = len(footer[rule_at])
    tail = footer[rule_at + 1:]
    assert tail and tail[0].startswith("缺少事实（")
    assert all(display_width(line) <= width for line in tail)
    body = "".join(tail).split("：", 1)[1]
    assert body.split("、") == list(result.missing)  # every name whole, in order
    for line in tail[:-1]:
        assert line.endswith("、")  # broken right after a separator
    english = render_table(result, lang="en").rstrip("\n").split("\n")
    assert any(line.startswith("Missing facts (") for line in english)


def test_filed_markdown_footer_wraps_at_names(seed: Ruleset) -> None:
    result = evaluate(seed, {})
    text = to_markdown(result)
    tail = text.split("\n\n")[-1].strip().split("\n")
    assert tail[0].startswith("缺少事实: ") and len(tail) > 1
    assert all(display_width(line) <= 80 for line in tail)
    assert " ".join(tail)[len("缺少事实: "):].split(", ") == list(result.missing)


def test_metadata_keeps_the_ruleset_metadata_apart() -> None:
    rs = Ruleset(Group("总分", [Indicator("立项", Boolean("立项", 5))]),
                 [FactSpec("立项", type="boolean")], metadata=Metadata(id="t", version="2.1"))
    result = evaluate(rs, {"立项": True})
    assert about_line(result) == "评价体系：t（版本 2.1）"
    # facts given in Python: the metadata added to the result, as docs/reports.md says
    named = attrs.evolve(result, metadata={"unit": "某局", "fiscal_year": "2024"})
    assert about_line(named) == "单位名称：某局　年度：2024　评价体系：t（版本 2.1）"
    assert "单位名称：某局" in to_markdown(named) and named.total == result.total
