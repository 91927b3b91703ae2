"""Rendering a Result: the aligned text table, Markdown, and the documented JSON shape.

The JSON tests read docs/result-format.md (its JSON Schema and its trace-step table)
so that the documented contract and ``Result.to_dict`` cannot drift apart.
"""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import seed_table
from rubric import Boolean, FactSpec, Group, Indicator, Metadata, Ruleset, evaluate
from rubric.engine.evaluation import Result
from rubric.present.render import display_width, render_json, render_markdown, render_table
from rubric.text import fmt
from rubric.trace import STEP_FIELDS

DOC = Path(__file__).resolve().parents[1] / "docs" / "result-format.md"

PARTIAL = {  # some facts, some missing, one not applicable, one non-numeric answer
    "预算调整数": "10.3", "预算数": 100,
    "基本支出实际支出": "97.14", "基本支出年度总预算": 100,
    "资金结余情况": "无结余",
    "已制定管理制度": "是",
    "绩效目标完成日期": "2023-12-31",
    "新增规模工业企业": 34,
    "供养人数": "不适用",
    "规模工业增加值增长率": "达成预期指标",
}


def complete_facts() -> dict[str, object]:
    facts: dict[str, object] = dict.fromkeys(seed_table.BOOLEANS, "是")
    facts.update({
        "预算调整数": 0, "预算数": 1200,
        "基本支出实际支出": "950.5", "基本支出年度总预算": 1000,
        "项目支出实际支出": 480, "项目支出年度总预算": 500,
        "三公经费实际支出数": "10.4", "三公经费预算安排数": 10,
        "资金结余情况": "未超过上年结余",
        "供养人数": 125, "绩效目标完成日期": "2023-12-20", "服务对象满意度": 95,
    })
    facts.update({name: target for name, target, _p, _u in seed_table.TARGETS})
    facts["新增高新技术企业"] = 12  # 20% short of 15: loses 2 of 3 points
    return facts


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return seed_table.build()


@pytest.fixture(scope="module")
def partial(ruleset: Ruleset) -> Result:
    return evaluate(ruleset, PARTIAL)


@pytest.fixture(scope="module")
def complete(ruleset: Ruleset) -> Result:
    return evaluate(ruleset, complete_facts())


def columns(text: str) -> int:
    """Terminal columns of ``text``, computed independently of ``render.display_width``."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def frame_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line[:1] in ("+", "|")]


def row_cells(text: str, name: str) -> list[str]:
    """The cells of the table line whose cells include ``name`` exactly."""
    for line in frame_lines(text):
        if line.startswith("| "):
            cells = [c.strip() for c in line[2:-2].split(" | ")]
            if name in cells:
                return cells
    raise AssertionError(f"no table line for {name!r}")


# -- display width ---------------------------------------------------------------


@pytest.mark.parametrize(("text", "width"), [
    ("abc", 3),
    ("预算调整率", 10),
    ("（含）", 6),          # fullwidth punctuation
    ("4G宽带", 6),
    ("e\u0301", 1),        # combining acute accent takes no column
    ("18–100", 6),         # en dash is ambiguous-width: one column
])
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


# -- the text table ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("explain", [False, True])
@pytest.mark.parametrize("which", ["partial", "complete"])
def test_every_table_line_has_the_same_display_width(
        request: pytest.FixtureRequest, which: str, explain: bool, lang: str) -> None:
    result = request.getfixturevalue(which)
    lines = frame_lines(render_table(result, explain=explain, lang=lang))
    assert len(lines) > len(list(result.rows()))
    widths = {columns(line) for line in lines}
    assert len(widths) == 1, widths
    assert all(line[-1] in "+|" for line in lines)


def test_columns_and_one_line_per_row(partial: Result) -> None:
    text = render_table(partial)
    header = row_cells(text, "分值")
    assert header == ["一级指标", "二级指标", "三级指标", "分值", "指标完成情况", "得分"]
    for node in partial.rows():
        cells = row_cells(text, node.name)
        assert cells[2] == node.name
        assert cells[3] == fmt(node.max_points)


def test_group_names_only_on_the_first_row_of_each_group(partial: Result) -> None:
    text = render_table(partial)
    first = row_cells(text, "预算调整率")
    assert first[:2] == ["过程", "预算执行"]
    assert row_cells(text, "基本支出预算控制率")[:2] == ["", ""]
    assert row_cells(text, "管理制度健全性")[:2] == ["", "预算管理"]
    assert row_cells(text, "供养人数")[:2] == ["产出与效果", "职责履行"]
    for group in ("过程", "预算执行", "预算管理", "产出与效果"):
        occurrences = [line for line in frame_lines(text)
                       if group in [c.strip() for c in line[2:-2].split(" | ")]]
        assert len(occurrences) == 1, group


def test_values_with_units_and_states(partial: Result) -> None:
    text = render_table(partial)
    actual = {node.name: row_cells(text, node.name)[4] for node in partial.rows()}
    assert actual["预算调整率"] == "10.3%"
    assert actual["基本支出预算控制率"] == "97.14%"   # derived 97.1400, shortened
    assert actual["新增规模工业企业"] == "34 家"
    assert actual["资金结余"] == "无结余"
    assert actual["绩效目标按时完成"] == "2023-12-31"
    assert actual["供养人数"] == "不适用"
    assert actual["规模工业增加值增长率"] == "达成预期指标"
    assert actual["项目支出预算控制率"] == "缺少事实"
    assert actual["管理制度健全性"] == "是 / 缺少事实"   # checklist: one value per item


def test_derived_values_shortened_to_two_decimals_and_marked(ruleset: Ruleset) -> None:
    result = evaluate(ruleset, {"基本支出实际支出": 2, "基本支出年度总预算": 3})
    assert result.value("基本支出预算控制率") != Decimal("66.67")
    cells = row_cells(render_table(result), "基本支出预算控制率")
    assert cells[4] == "≈66.67%"


def test_scores_and_ranges(partial: Result) -> None:
    text = render_table(partial)
    ranged = exact = 0
    for node in partial.rows():
        score = row_cells(text, node.name)[5]
        if not node.applicable:
            assert score == "不计"
        elif node.score is not None:
            assert score == fmt(node.score)
            exact += 1
        else:
            assert score == f"{fmt(node.low)}–{fmt(node.high)}"
            ranged += 1
    assert ranged and exact
    total = row_cells(text, "合计")
    assert total[3] == "100"
    assert total[5] == f"{fmt(partial.total.low)}–{fmt(partial.total.high)}"
    grade = row_cells(text, "等级")
    assert partial.grade is None and len(partial.grades) > 1
    assert grade[5] == "/".join(partial.grades)  # best first, as batch output writes it
    assert grade[5].startswith(partial.grades[0] + "/")


def test_subtotals_show_each_group(partial: Result) -> None:
    text = render_table(partial)
    for node in partial.nodes():
        if node.kind == "group" and node.depth >= 1:
            cells = row_cells(text, f"{node.name}小计")
            assert cells[3] == fmt(node.max_points)
            expected = fmt(node.low) if node.exact else f"{fmt(node.low)}–{fmt(node.high)}"
            assert cells[5] == expected


def test_settled_total_and_grade(complete: Result) -> None:
    assert complete.total.score is not None and complete.grade is not None
    text = render_table(complete)
    assert row_cells(text, "合计")[5] == fmt(complete.total.score)
    assert row_cells(text, "等级")[5] == complete.grade
    assert "缺少事实" not in text


def test_missing_facts_listed_under_the_table(partial: Result) -> None:
    text = render_table(partial)
    footer = "".join(line for line in text.splitlines() if line[:1] not in ("+", "|"))
    assert f"缺少事实（{len(partial.missing)} 项）" in footer
    for name in partial.missing:
        assert name in footer


def test_explain_adds_each_rows_explanation_and_warnings(partial: Result) -> None:
    plain = render_table(partial)
    explained = render_table(partial, explain=True)
    assert len(explained.splitlines()) > len(plain.splitlines()) + len(list(partial.rows()))
    lines = [line[2:-2].strip() for line in frame_lines(explained)]
    for node in partial.rows():
        text = node.explain("zh")
        if display_width(text) < 60:  # short enough not to be wrapped
            assert text in lines
    warned = [n for n in partial.rows() if n.warnings]
    assert warned, "the partial facts overachieve 新增规模工业企业 (34 against 20)"
    for node in warned:
        for warning in node.explain_warnings("zh"):
            assert "! " + warning in lines
    assert "! " not in plain


def test_explain_wraps_long_explanations_inside_the_frame(partial: Result) -> None:
    explained = render_table(partial, explain=True)
    body = "".join(line[2:-2].strip() for line in frame_lines(explained))
    for node in partial.rows():
        assert node.explain("zh").replace(" ", "") in body.replace(" ", "")


def test_english(partial: Result) -> None:
    text = render_table(partial, lang="en", explain=True)
    header = row_cells(text, "Points")
    assert header == ["Level 1", "Level 2", "Level 3", "Points", "Actual", "Score"]
    assert row_cells(text, "预算调整率")[4] == "10.3%"
    assert row_cells(text, "项目支出预算控制率")[4] == "missing"
    assert row_cells(text, "Total")[5] == f"{fmt(partial.total.low)}–{fmt(partial.total.high)}"
    assert "(poor)" in row_cells(text, "Grade")[5]
    assert partial["预算调整率"].explain("en") in text
    for word in ("分值", "得分", "合计", "缺少事实"):
        assert word not in text


def test_unknown_language_is_refused(partial: Result) -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        render_table(partial, lang="fr")


def _tree_with_depths() -> Ruleset:
    """Rows at depths 1, 2 and 3 under the root, to check the generic layout."""
    facts = [FactSpec(f"f{i}", type="boolean") for i in range(4)]
    root = Group("root", [
        Indicator("flat", Boolean("f0", 10), name="直属指标"),
        Group("一级", [
            Indicator("mid", Boolean("f1", 10), name="二级行"),
            Group("二级", [Indicator("deep", Boolean("f2", 10), name="三级行"),
                          Indicator("deep2", Boolean("f3", 10), name="另一行")]),
        ]),
    ])
    return Ruleset(root, facts, metadata=Metadata(id="depths"))


def test_rows_at_different_depths_keep_their_columns() -> None:
    result = evaluate(_tree_with_depths(), {"f0": True, "f1": False, "f2": True})
    text = render_table(result)
    assert row_cells(text, "直属指标")[:3] == ["", "", "直属指标"]
    assert row_cells(text, "二级行")[:3] == ["一级", "", "二级行"]
    assert row_cells(text, "三级行")[:3] == ["", "二级", "三级行"]
    assert row_cells(text, "另一行")[:3] == ["", "", "另一行"]
    assert len({columns(line) for line in frame_lines(text)}) == 1


NAME_CHARS = st.sampled_from(list("预算执行率考核科技工业abcXYZ019%（）：，、 ·éü\t\n\u0301"))


@settings(max_examples=25)
@given(names=st.lists(st.text(NAME_CHARS, min_size=1, max_size=14).map(str.strip)
                      .filter(bool), min_size=2, max_size=5),
       explain=st.booleans())
def test_alignment_holds_for_any_names(names: list[str], explain: bool) -> None:
    facts = [FactSpec(f"f{i}", type="boolean") for i in range(len(names))]
    rows = [Indicator(f"r{i}", Boolean(f"f{i}", 5), name=name) for i, name in enumerate(names)]
    root = Group("root", [Group("g", rows[:1], name=names[-1]), Group("h", rows[1:])])
    result = evaluate(Ruleset(root, facts), {"f0": True})
    lines = frame_lines(render_table(result, explain=explain))
    assert len({columns(line) for line in lines}) == 1


# -- markdown ---------------------------------------------------------------------


def _md_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            rows.append([c.strip() for c in cells])
    return rows


@pytest.mark.parametrize("explain", [False, True])
def test_markdown_table(partial: Result, explain: bool) -> None:
    text = render_markdown(partial, explain=explain)
    rows = _md_rows(text)
    ncols = 7 if explain else 6
    assert all(len(r) == ncols for r in rows)
    assert rows[0][:6] == ["一级指标", "二级指标", "三级指标", "分值", "指标完成情况", "得分"]
    assert rows[1][3] == "---:" and rows[1][5] == "---:"
    by_name = {r[2]: r for r in rows[2:] if r[2]}
    for node in partial.rows():
        row = by_name[node.name]
        assert row[3] == fmt(node.max_points)
        if explain:
            assert row[6].startswith(node.explain("zh"))
    total = next(r for r in rows if r[0] == "**合计**")
    assert total[5] == f"**{fmt(partial.total.low)}–{fmt(partial.total.high)}**"


def test_markdown_escapes_pipes() -> None:
    root = Group("root", [Group("g", [Indicator("a", Boolean("x", 5), name="甲|乙")])])
    result = evaluate(Ruleset(root, [FactSpec("x", type="boolean")]), {"x": True})
    rows = _md_rows(render_markdown(result))
    assert rows[0][:2] == ["一级指标", "二级指标"]  # the row sits at depth 2
    assert any(r[1] == "甲\\|乙" for r in rows)
    assert all(len(r) == 5 for r in rows)


# -- json and the documented contract --------------------------------------------------


def _doc_schema() -> dict[str, object]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- result-schema -->\s*```json\n(.*?)```", text, re.DOTALL)
    assert block, "docs/result-format.md lost its schema block"
    return json.loads(block.group(1))  # type: ignore[no-any-return]


def _doc_step_fields() -> dict[str, tuple[str, ...]]:
    text = DOC.read_text(encoding="utf-8")
    table = re.search(r"<!-- step-fields: begin -->(.*?)<!-- step-fields: end -->", text,
                      re.DOTALL)
    assert table, "docs/result-format.md lost its step table"
    fields = {}
    for line in table.group(1).splitlines():
        m = re.match(r"\|\s*`(\w+)`\s*\|([^|]*)\|", line)
        if m:
            fields[m.group(1)] = tuple(re.findall(r"`(\w+)`", m.group(2)))
    return fields


def test_documented_step_table_is_step_fields() -> None:
    assert _doc_step_fields() == dict(STEP_FIELDS)


def _check_steps(node: dict[str, object], doc: dict[str, tuple[str, ...]], seen: set[str]) -> None:
    for step in node["trace"]:  # type: ignore[attr-defined]
        keys = list(step)
        assert keys[0] == "type"
        assert keys[1:] == list(doc[step["type"]][:len(keys) - 1]), step
        seen.add(step["type"])
    for warning in node["warnings"]:  # type: ignore[attr-defined]
        keys = [k for k in warning if k != "message"]
        assert keys[1:] == list(doc[warning["type"]][:len(keys) - 1]), warning
        assert warning["message"]
        seen.add(warning["type"])
    for child in node["children"]:  # type: ignore[attr-defined]
        _check_steps(child, doc, seen)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("which", ["partial", "complete"])
def test_json_matches_documented_shape(request: pytest.FixtureRequest, which: str,
                                       lang: str) -> None:
    result = request.getfixturevalue(which)
    data = json.loads(render_json(result, lang=lang))
    schema = _doc_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    seen: set[str] = set()
    _check_steps(data["tree"], _doc_step_fields(), seen)
    assert {"value", "band"} <= seen


def test_json_values(partial: Result) -> None:
    data = json.loads(render_json(partial))
    assert data == json.loads(json.dumps(partial.to_dict("zh")))
    assert data["total"]["score"] is None
    assert Decimal(data["total"]["low"]) == partial.total.low
    assert Decimal(data["total"]["high"]) == partial.total.high
    assert data["grades"] == list(partial.grades)
    assert data["facts"]["供养人数"] == "不适用"
    assert data["derived"]["项目支出预算控制率"] is None
    assert "预算调整率" in render_json(partial)  # not \u-escaped


def test_schema_rejects_an_undocumented_key(complete: Result) -> None:
    data = json.loads(render_json(complete))
    data["tree"]["children"][0]["extra"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, _doc_schema(), cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("first", ["-0", "0"])
def test_a_zero_is_written_with_its_own_sign_whatever_was_formatted_before(first: str) -> None:
    """fmt and the batch's decimal_text remember each Decimal's text, keyed by the value:
    0 and -0 are one key, so after a fact given as -0 every 0 was written "-0" (in the
    JSON facts, the batch's cells; a service for every later request), or the other
    way round."""
    from rubric.io.tabular import decimal_text
    from rubric.text import _FMT_CACHE

    _FMT_CACHE.clear()
    for text in (first, "0" if first == "-0" else "-0", first):
        for write in (fmt, decimal_text):
            assert write(Decimal(text)) == text
            assert write(Decimal(text + ".00")) == text
    ruleset = Ruleset(Group("root", [Indicator("a", Boolean("f", 5))]),
                      [FactSpec("f", type="boolean"), FactSpec("x"), FactSpec("y")])
    shown = json.loads(render_json(evaluate(ruleset, {"f": True, "x": "-0", "y": "0"})))
    assert (shown["facts"]["x"], shown["facts"]["y"]) == ("-0", "0")
