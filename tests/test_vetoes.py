"""Vetoes (issue 11 item 4): of a row (未全部落实，本项指标不得分), of the total
(出现重大安全事故的，总分计0分) and of the grade (不得评为优, 一票否优).

Each holds, does not hold, or is unknown (a range, never a silent pass); the YAML form,
the Python form, check, testing, audit, the compiled and column paths and the JSON
result all carry it.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings

from rubric import (
    Boolean,
    CompletionRatio,
    FactSpec,
    Group,
    Indicator,
    LoadError,
    Ruleset,
    RulesetError,
    dump_ruleset,
    evaluate,
    load_ruleset,
    score_only,
)
from rubric.audit import achievable_scores
from rubric.columnar import score_columns
from rubric.rules.row_options import RowOptions, Veto
from rubric.testing import facts_for
from rubric.verify.check import check_ruleset
from rubric.vetoes import TableVeto

D = Decimal
ROW_TEXT = "未全部落实，本项指标不得分"
ZERO_TEXT = "出现重大安全事故的，总分计0分"

YAML = textwrap.dedent("""\
    rubric: 1
    facts:
      整改率: {unit: "%", minimum: 0, maximum: 100}
      未全部落实: {type: boolean}
      公开: {type: boolean}
      重大安全事故: {type: boolean}
      审计问题: {type: boolean}
    indicators:
      - id: 整改
        max_points: 10
        criterion: 整改率×10；未全部落实，本项指标不得分
        rule: {kind: ratio, actual: 整改率, target: 100, points: 10}
        veto: {fact: 未全部落实, text: 未全部落实，本项指标不得分}
      - id: 公开
        max_points: 90
        rule: {kind: boolean, fact: 公开, yes_points: 90}
    vetoes:
      - {fact: 重大安全事故, text: 出现重大安全事故的，总分计0分, effect: zero}
      - {fact: 审计问题, text: 不得评为优, effect: grade, grade: 良}
    """)


@pytest.fixture(scope="module")
def ruleset(tmp_path_factory: pytest.TempPathFactory) -> Ruleset:
    path = tmp_path_factory.mktemp("vetoes") / "r.yaml"
    path.write_text(YAML, encoding="utf-8")
    return load_ruleset(path)


def facts(**over: object) -> dict[str, object]:
    base: dict[str, object] = {"整改率": "80%", "未全部落实": False, "公开": True,
                               "重大安全事故": False, "审计问题": False}
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


# -- a row's veto ----------------------------------------------------------------------


def test_a_row_veto_not_held_keeps_the_rule_score_and_says_so(ruleset: Ruleset) -> None:
    row = evaluate(ruleset, facts())["整改"]
    assert (row.low, row.high) == (D(8), D(8))
    assert "否决条件不成立：未全部落实，本项指标不得分（未全部落实：否）" in row.explain()
    assert [s.held for s in row.trace if s.type == "veto"] == [False]


def test_a_row_veto_held_scores_the_row_0_with_its_text(ruleset: Ruleset) -> None:
    res = evaluate(ruleset, facts(未全部落实=True))
    row = res["整改"]
    assert (row.low, row.high) == (D(0), D(0))
    assert f"否决：{ROW_TEXT}（未全部落实：是），本项计 0 分" in row.explain()
    assert f"veto: {ROW_TEXT}" in row.explain("en")
    assert res.score == D(90)


def test_a_row_veto_held_settles_a_row_whose_own_facts_are_missing(ruleset: Ruleset) -> None:
    row = evaluate(ruleset, facts(整改率=None, 未全部落实=True))["整改"]
    assert (row.low, row.high, row.missing) == (D(0), D(0), ())


def test_an_unknown_row_veto_is_a_range_from_0_naming_its_fact(ruleset: Ruleset) -> None:
    res = evaluate(ruleset, facts(未全部落实=None))
    row = res["整改"]
    assert (row.low, row.high) == (D(0), D(8))
    assert row.missing == ("未全部落实",)
    assert "未全部落实" in res.missing
    assert (res.low, res.high) == (D(90), D(98))
    held = [s.held for s in row.trace if s.type == "veto"]
    assert held == [None]


def test_a_row_veto_given_as_not_applicable_is_no_silent_pass(ruleset: Ruleset) -> None:
    row = evaluate(ruleset, facts(未全部落实="不适用"))["整改"]
    assert (row.low, row.high) == (D(0), D(8))


def test_a_row_veto_in_python_is_the_same_row() -> None:
    rs = Ruleset(Group("总分", [
        Indicator("整改", RowOptions(CompletionRatio("整改率", D(100), D(10)),
                                     veto=Veto("未全部落实", ROW_TEXT)), max_points=10),
        Indicator("公开", Boolean("公开", 90))]),
        [FactSpec("整改率", unit="%", minimum=0, maximum=100),
         FactSpec("未全部落实", type="boolean"), FactSpec("公开", type="boolean")])
    assert evaluate(rs, {"整改率": "80%", "未全部落实": True, "公开": True}).score == D(90)
    assert evaluate(rs, {"整改率": "80%", "未全部落实": False, "公开": True}).score == D(98)


# -- the total's veto ------------------------------------------------------------------


def test_a_total_veto_held_makes_the_total_0_and_its_grade_the_lowest(ruleset: Ruleset
                                                                       ) -> None:
    res = evaluate(ruleset, facts(重大安全事故=True))
    assert res.score == D(0)
    assert (res.grade, res.grades) == ("差", ("差",))
    assert ZERO_TEXT in res.total.explain()
    assert res["公开"].score == D(90)  # the rows keep their scores
    (step, _grade) = res.vetoes
    assert (step.fact, step.effect, step.held) == ("重大安全事故", "zero", True)


def test_an_unknown_total_veto_is_a_range_down_to_0(ruleset: Ruleset) -> None:
    res = evaluate(ruleset, facts(重大安全事故=None))
    assert (res.low, res.high) == (D(0), D(98))
    assert res.grade is None and res.grades == ("优", "良", "中", "差")
    assert "重大安全事故" in res.missing


def test_a_total_veto_not_held_changes_nothing(ruleset: Ruleset) -> None:
    res = evaluate(ruleset, facts())
    assert (res.score, res.grade) == (D(98), "优")
    assert [v.held for v in res.vetoes] == [False, False]


# -- the grade's veto ------------------------------------------------------------------


@pytest.mark.parametrize(("rate", "vetoed", "grade"), [
    ("100%", True, "良"),   # 100: 优 capped at 良
    ("0%", True, "良"),     # 90, the boundary of 优: capped
    ("0%", False, "优"),    # 90 without the veto: 优
    ("100%", False, "优"),
])
def test_a_grade_veto_caps_the_grade_and_keeps_the_score(ruleset: Ruleset, rate: str,
                                                         vetoed: bool, grade: str) -> None:
    res = evaluate(ruleset, facts(整改率=rate, 审计问题=vetoed))
    assert res.score == (D(100) if rate == "100%" else D(90))
    assert res.grade == grade


def test_a_grade_veto_never_raises_a_worse_grade(ruleset: Ruleset) -> None:
    res = evaluate(ruleset, facts(公开=False, 审计问题=True))  # 8 points: 差, capped at 良
    assert (res.score, res.grade) == (D(8), "差")


def test_an_unknown_grade_veto_spans_the_capped_and_the_uncapped_grade(ruleset: Ruleset
                                                                       ) -> None:
    res = evaluate(ruleset, facts(审计问题=None))
    assert res.score == D(98)  # the score is settled, the grade is not
    assert res.grade is None and res.grades == ("优", "良")
    assert "审计问题" in res.missing


# -- the result, the other paths -------------------------------------------------------


def test_the_json_result_carries_every_table_veto(ruleset: Ruleset) -> None:
    out = evaluate(ruleset, facts(审计问题=True)).to_dict()
    assert [(v["fact"], v["effect"], v["held"]) for v in out["vetoes"]] == [
        ("重大安全事故", "zero", False), ("审计问题", "grade", True)]
    assert out["vetoes"][1]["message"] == "一票否决：不得评为优（审计问题：是），等级至多为良"
    assert out["grade"] == "良"
    assert "vetoes" not in evaluate(load_ruleset_text("""\
        rubric: 1
        facts: {a: {type: boolean}}
        indicators: [{id: A, max_points: 100, rule: {kind: boolean, fact: a, yes_points: 100}}]
        """), {"a": True}).to_dict()


def load_ruleset_text(text: str) -> Ruleset:
    from rubric.io.loader import load_ruleset as load

    return load(textwrap.dedent(text), filename="t.yaml")


@pytest.mark.parametrize("over", [
    {}, {"未全部落实": True}, {"重大安全事故": True}, {"审计问题": True},
    {"审计问题": None}, {"未全部落实": None}, {"整改率": None},
])
def test_score_only_and_the_column_engine_agree_with_evaluate(ruleset: Ruleset,
                                                               over: dict[str, object]) -> None:
    given = facts(**over)
    res = evaluate(ruleset, given)
    fast = score_only(ruleset, given)
    assert (fast.lows[-1], fast.highs[-1], fast.grade, fast.grades) == (
        res.low, res.high, res.grade, res.grades)
    cols = score_columns(ruleset, {k: [v] for k, v in given.items()})
    assert (cols.total_low[0], cols.total_high[0], cols.grade[0]) == (
        res.low, res.high, res.grade or "/".join(res.grades))


def test_dump_writes_every_veto_back(ruleset: Ruleset) -> None:
    text = dump_ruleset(ruleset)
    assert "veto: {fact: 未全部落实, text: 未全部落实，本项指标不得分}" in text
    assert load_ruleset_text(text) == ruleset


def test_audit_knows_a_vetoed_row_can_score_0() -> None:
    rs = Ruleset(Group("t", [Indicator("A", RowOptions(Boolean("a", 5, 2), veto=Veto("v"))),
                             Indicator("B", Boolean("b", 95))]),
                 [FactSpec("a", type="boolean"), FactSpec("b", type="boolean"),
                  FactSpec("v", type="boolean")])
    assert achievable_scores(rs.node("A"), rs) == {D(0), D(2), D(5)}  # type: ignore[arg-type]
    assert achievable_scores(rs.node("B"), rs) == {D(0), D(95)}  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(data=facts_for(load_ruleset_text(YAML), missing=True))
def test_facts_for_draws_the_veto_facts_and_scores_stay_in_bounds(data: dict[str, object]
                                                                  ) -> None:
    rs = load_ruleset_text(YAML)
    res = evaluate(rs, data)
    assert D(0) <= res.low <= res.high <= D(100)
    if data.get("重大安全事故") is True:
        assert res.high == D(0)
    if data.get("未全部落实") is True:
        assert res["整改"].high == D(0)


def test_facts_for_covers_every_veto_fact() -> None:
    from hypothesis import find

    rs = load_ruleset_text(YAML)
    for name in ("未全部落实", "重大安全事故", "审计问题"):
        for value in (True, False):
            find(facts_for(rs), lambda f, n=name, v=value: f.get(n) is v)


# -- check and load errors -------------------------------------------------------------


def test_check_notes_each_veto_in_chinese(ruleset: Ruleset) -> None:
    found = [(f.code, f.severity, f.text("zh")) for f in check_ruleset(ruleset)
             if f.code.startswith("veto")]
    assert found == [
        ("veto", "note", (f"当“未全部落实”为是时本行计 0 分（{ROW_TEXT}）；"
                         "该事实未知时本行得分为自 0 起的范围")),
        ("veto", "note", (f"当“重大安全事故”为是时总分计 0 分（{ZERO_TEXT}）；"
                         "该事实未知时总分为自 0 起的范围")),
        ("veto", "note", "当“审计问题”为是时等级至多为良（不得评为优），得分不变"),
    ]


def test_check_warns_of_a_grade_veto_at_the_best_grade() -> None:
    rs = load_ruleset_text(YAML.replace("grade: 良", "grade: 优"))
    (f,) = [f for f in check_ruleset(rs) if f.code == "veto-caps-nothing"]
    assert f.severity == "warning"
    assert f.text("zh") == "该否决把等级限为优，即最高等级：不起作用"


def _problems(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_ruleset(path)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(("old", "new", "line", "expected"), [
    ("veto: {fact: 未全部落实,", "veto: {fact: 未全部落时,", 13,
     ("$.indicators[0].veto.fact: indicator '整改': rule reads fact '未全部落时', which is not "
     "declared (did you mean '未全部落实'?)")),
    ("- {fact: 重大安全事故, text", "- {fact: 重大安全事, text", 18,
     ("$.vetoes[0].fact: veto reads fact '重大安全事', which is not declared (did you mean "
     "'重大安全事故'?); expected a yes/no fact declared under facts")),
    ("  重大安全事故: {type: boolean}", "  重大安全事故: {minimum: 0}", 18,
     ("$.vetoes[0].fact: veto fact '重大安全事故' is declared as number; expected type: "
     "boolean (是/否)")),
    ("grade: 良}", "grade: 甲}", 19,
     ("$.vetoes[1].grade: veto caps the grade at '甲', which is not a grade; expected one of "
     "优, 良, 中, 差")),
    ("effect: grade, grade: 良}", "effect: grade}", 19,
     "$.vetoes[1]: a veto of the grade names the best grade still allowed"),
    ("effect: zero}", "effect: nil}", 18, "$.vetoes[0]: veto effect 'nil' is not known"),
    ("veto: {fact: 未全部落实, text: 未全部落实，本项指标不得分}", "veto: 未全部落实", 13,
     "$.indicators[0].veto: indicator '整改': veto must be a mapping"),
])
def test_a_bad_veto_is_a_load_error_at_its_line(tmp_path: Path, old: str, new: str, line: int,
                                                expected: str) -> None:
    assert old in YAML
    problems = _problems(YAML.replace(old, new), tmp_path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{tmp_path / 'bad.yaml'}:{line}:")
    assert expected in problems[0]


def test_a_veto_in_python_needs_its_fact_declared_as_yes_no() -> None:
    with pytest.raises(RulesetError, match="veto reads fact 'z', which is not declared"):
        Ruleset(Group("t", [Indicator("A", Boolean("a", 100))]), [FactSpec("a", type="boolean")],
                vetoes=[TableVeto("z", "zero", ZERO_TEXT)])
    with pytest.raises(RulesetError, match="rule reads fact 'v', which is not declared"):
        Ruleset(Group("t", [Indicator("A", RowOptions(Boolean("a", 100), veto=Veto("v")))]),
                [FactSpec("a", type="boolean")])
    with pytest.raises(RulesetError, match="needs fact 'v' to be boolean"):
        Ruleset(Group("t", [Indicator("A", RowOptions(Boolean("a", 100), veto=Veto("v")))]),
                [FactSpec("a", type="boolean"), FactSpec("v")])


def test_the_lead_lines_say_which_table_veto_held_or_may_hold(ruleset: Ruleset) -> None:
    from rubric.present.summary import summary_lines

    lines = summary_lines(evaluate(ruleset, facts(重大安全事故=True, 审计问题=None)))
    assert lines[1] == "总分 0，等级 差。"
    assert lines[2:] == [f"一票否决：{ZERO_TEXT}（重大安全事故：是），总分计 0 分",
                         "否决条件“审计问题”未知：不得评为优（可能等级至多为良），总分 0 分"]
    assert len(summary_lines(evaluate(ruleset, facts()))) == 2  # nothing held: no line


def test_a_total_vetoed_to_0_is_not_also_said_to_be_rescaled(ruleset: Ruleset) -> None:
    given = facts(公开="不适用")
    assert evaluate(ruleset, given).rescaled is not None  # 8 of 10, rescaled to 80
    vetoed = evaluate(ruleset, {**given, "重大安全事故": True})
    assert (vetoed.score, vetoed.rescaled, vetoed.rescaling_text()) == (D(0), None, None)


def test_a_veto_holds_on_a_row_scored_by_its_not_applicable_reading() -> None:
    from rubric.rules.row_options import IfNotApplicable

    rs = Ruleset(Group("t", [
        Indicator("A", RowOptions(Boolean("a", 10), veto=Veto("v", ROW_TEXT),
                                  if_not_applicable=IfNotApplicable("full"))),
        Indicator("B", Boolean("b", 90))]),
        [FactSpec("a", type="boolean"), FactSpec("b", type="boolean"),
         FactSpec("v", type="boolean")])
    for na in ({"a": "不适用"}, {"不适用": ["A"]}):
        assert evaluate(rs, {**na, "b": True, "v": False})["A"].score == D(10)
        assert evaluate(rs, {**na, "b": True, "v": True})["A"].score == D(0)
        row = evaluate(rs, {**na, "b": True})["A"]
        assert (row.low, row.high, row.missing) == (D(0), D(10), ("v",))


def test_rubric_testing_check_properties_passes() -> None:
    from rubric.testing import check_properties

    check_properties(load_ruleset_text(YAML))  # bounds, monotonicity (a veto fact: lower), ranges


def test_a_ruleset_with_vetoes_pickles_and_scores_alike(ruleset: Ruleset) -> None:
    import pickle

    from rubric import IfNotApplicable as PublicNA
    from rubric import RowOptions as PublicRowOptions
    from rubric import TableVeto as PublicTableVeto

    assert (PublicNA, PublicRowOptions, PublicTableVeto) == (
        __import__("rubric.rules.row_options", fromlist=["x"]).IfNotApplicable,
        RowOptions, TableVeto)
    again = pickle.loads(pickle.dumps(ruleset))
    assert again == ruleset and again.vetoes == ruleset.vetoes
    given = facts(重大安全事故=True)
    assert evaluate(again, given).score == evaluate(ruleset, given).score == D(0)


def test_the_json_schema_accepts_the_form_and_refuses_a_misspelt_key() -> None:
    import jsonschema
    import yaml

    from rubric import ruleset_schema

    schema = ruleset_schema()
    jsonschema.validate(yaml.safe_load(YAML), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(YAML.replace("rule:", "rulez:", 1)), schema)


def test_check_proves_a_vetoed_formula_row_like_any_formula_row() -> None:
    rs = load_ruleset_text("""\
        rubric: 1
        facts:
          x: {minimum: 0, maximum: 20}
          v: {type: boolean}
          o: {type: boolean}
        indicators:
          - id: A
            max_points: 10
            rule: {kind: formula, expression: "x", points: 10}
            veto: {fact: v, text: 不得分}
          - id: B
            max_points: 90
            rule: {kind: boolean, fact: o, yes_points: 90}
        """)
    codes = {f.code for f in check_ruleset(rs)}
    assert "formula-bounds" in codes  # x up to 20 against 10 points: found through the veto
    assert "veto" in codes


def test_a_veto_on_a_fact_the_rule_reads_as_a_number_is_refused() -> None:
    with pytest.raises(RulesetError, match="the veto's fact '整改率' is read by the rule as "
                                           "number"):
        RowOptions(CompletionRatio("整改率", D(100), D(10)), veto=Veto("整改率"))


# -- every output prints a table veto beside the total ----------------------------------


def test_every_output_prints_a_table_veto_that_held_or_may_hold(ruleset: Ruleset,
                                                                tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from rubric import render_markdown, render_table, to_html, to_markdown, write_report

    held = evaluate(ruleset, facts(重大安全事故=True))
    assert held.total.score == 0
    (text,) = held.veto_texts()
    assert "一票否决" in text and "出现重大安全事故的，总分计0分" in text
    table = render_table(held)  # the lead lines, and inside the box under 合计 (wrapped)
    box = table[table.index("| 合计"):]
    flat = "".join(ch for ch in box if ch not in "| \n")
    assert text in table.replace("\n", "") and text.replace(" ", "") in flat
    assert text in render_markdown(held)
    assert text in to_markdown(held)
    assert text in to_html(held, chart=False)
    path = tmp_path / "veto.xlsx"
    write_report(held, path, "xlsx")
    cells = [c.value for row in load_workbook(path).active.iter_rows() for c in row]
    assert text in cells and "一票否决" in cells
    # an unknown condition is printed as what may happen; a veto that did not hold is not
    unknown = evaluate(ruleset, facts(重大安全事故=None))
    assert any("重大安全事故" in t for t in unknown.veto_texts())
    assert evaluate(ruleset, facts()).veto_texts() == ()
    assert "一票否决" not in render_table(evaluate(ruleset, facts()))
