"""Not applicable as data (issue 10 item 5): the texts a fact or a whole row is given as
not applicable with, rows declared not assessed, and the rescaling line that every output
prints beside the total."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rubric import (
    MISSING,
    NOT_APPLICABLE,
    EvaluationError,
    FactError,
    FactSpec,
    Indicator,
    LoadError,
    NotAssessedRule,
    RulesetError,
    audit,
    check_ruleset,
    dump_ruleset,
    evaluate,
    load_facts,
    load_ruleset,
    render_json,
    render_markdown,
    render_table,
    score_batch,
    score_file,
    score_only,
)
from rubric.audit import Claimed, format_audit
from rubric.batch import row_record
from rubric.present.html import to_html
from rubric.present.markdown import to_markdown
from rubric.present.xlsx import write_xlsx

RULESET = """\
rubric: 1
metadata: {id: na, name: 不适用测试}
facts:
  公开: {type: boolean}
  执行率: {unit: "%", minimum: 0, maximum: 100}
  核算: {type: boolean}
  结余: {type: category, categories: [无结余, 有结余]}
  完成日期: {type: date}
indicators:
  - id: 过程
    children:
      - {id: A, name: 信息公开, rule: {kind: boolean, fact: 公开, yes_points: 50}}
      - {id: B, name: 预算执行率, rule: {kind: coefficient, fact: 执行率, points: 40}}
      - {id: C, name: 专项核算, rule: {kind: boolean, fact: 核算, yes_points: 5}}
      - id: D
        name: 资金结余
        rule:
          kind: categorical
          fact: 结余
          states: [{value: 无结余, points: 5}, {value: 有结余, points: 0}]
  - id: 产出
    max_points: 0
    children:
      - {id: P, name: 指标1, max_points: 0, assessed: false}
"""

# A: 50, B: 97.25% of 40 = 38.9; C and D not applicable: 88.90 / 90 × 100 = 98.78
BASE: dict[str, Any] = {"公开": True, "执行率": "97.25%", "核算": True, "结余": "无结余"}
LINE_ZH = "按适用指标折算：88.90 / 90 × 100 = 98.78"
LINE_EN = "rescaled to applicable rows: 88.90 / 90 × 100 = 98.78"


@pytest.fixture(scope="module")
def ruleset() -> Any:
    return load_ruleset(RULESET, filename="na.yaml")


@pytest.fixture(scope="module")
def result(ruleset: Any) -> Any:
    return evaluate(ruleset, {**BASE, "核算": "/", "结余": "无此项"})


# -- the texts -------------------------------------------------------------------------

NA_TEXTS = ["不适用", "无此项", "不涉及", "/", "／", "—", "——", "―", "－", "N/A", "n/a",
            " / ", "无此项 "]


@pytest.mark.parametrize("text", NA_TEXTS)
@pytest.mark.parametrize("spec", [FactSpec("x"), FactSpec("x", unit="%"),
                                  FactSpec("x", type="boolean"),
                                  FactSpec("x", type="category", categories=("甲", "乙")),
                                  FactSpec("x", type="date"), FactSpec("x", type="text")],
                         ids=["number", "percent", "boolean", "category", "date", "text"])
def test_not_applicable_texts_for_every_type(spec: FactSpec, text: str) -> None:
    assert spec.coerce(text) is NOT_APPLICABLE
    assert spec.coercer(text) is NOT_APPLICABLE


@pytest.mark.parametrize("spec", [FactSpec("x"), FactSpec("x", type="boolean")],
                         ids=["number", "boolean"])
def test_a_lone_hyphen_is_a_blank_not_a_zero_nor_not_applicable(spec: FactSpec) -> None:
    assert spec.coerce("-") is MISSING
    assert spec.coerce(" - ") is MISSING


def test_negative_numbers_and_words_with_dashes_are_still_values() -> None:
    assert FactSpec("x").coerce("-5") == Decimal(-5)
    assert FactSpec("x", unit="%").coerce("-1.5%") == Decimal("-1.5")
    assert FactSpec("x", type="text").coerce("无此项目") == "无此项目"


def test_a_fact_given_as_not_applicable_leaves_its_row_out(result: Any) -> None:
    assert [n.applicable for n in result.rows()] == [True, True, False, False, False]
    assert result["过程"].score == Decimal("88.90")
    assert result.score == Decimal("98.78") and result.grade == "优"
    assert result.facts["核算"] is NOT_APPLICABLE
    assert "专项核算" not in result.missing


def test_a_hyphen_leaves_the_row_a_range(ruleset: Any) -> None:
    got = evaluate(ruleset, {**BASE, "执行率": "-"})
    assert got["B"].low == 0 and got["B"].high == 40
    assert got.missing == ("执行率",)
    assert got.rescaled is None  # nothing is not applicable: no rescaling


# -- facts files and batch files -------------------------------------------------------


def test_yaml_facts_file_with_the_texts(tmp_path: Path, ruleset: Any) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text("公开: 是\n执行率: 97.25%\n核算: —\n结余: {value: /, source: 本单位无此项}\n",
                    encoding="utf-8")
    got = evaluate(ruleset, load_facts(path, ruleset))
    assert got.score == Decimal("98.78")
    assert got.rescaling_text() == LINE_ZH


@pytest.mark.parametrize("lines", [
    "不适用: [C, D]\n",                      # the list, by id
    "不适用: [专项核算, 资金结余]\n",          # by name
    "不适用: 专项核算、资金结余\n",            # one text
    "not_applicable: [C, 资金结余]\n",
    "C: 不适用\n资金结余: /\n",               # each row's id or name given the text
], ids=["ids", "names", "text", "english-key", "per-row"])
def test_whole_rows_not_applicable_in_a_facts_file(tmp_path: Path, ruleset: Any,
                                                   lines: str) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text("公开: 是\n执行率: 97.25%\n核算: 是\n" + lines, encoding="utf-8")
    facts = load_facts(path, ruleset)
    assert facts.not_applicable_rows == {"C", "D"}
    got = evaluate(ruleset, facts)
    assert got.score == Decimal("98.78")
    assert got["C"].trace[0].type == "row_not_applicable"
    assert got["C"].explain() == "专项核算 整行不适用，不考核"
    assert got["C"].explain("en") == "专项核算: the whole row is not applicable"


def test_a_whole_group_not_applicable(ruleset: Any) -> None:
    # nothing applicable: 0 / 0 is no total (not 0 and 差), so the unit is refused, clearly
    with pytest.raises(EvaluationError, match="no row of the table applies") as info:
        evaluate(ruleset, {**BASE, "不适用": ["过程"]})
    assert info.value.expected == "facts for at least one row that applies"
    with pytest.raises(EvaluationError, match="no row of the table applies"):
        score_only(ruleset, {**BASE, "不适用": ["过程"]})


def test_the_row_wins_over_its_facts(ruleset: Any) -> None:
    """A row given as not applicable is so whatever its facts say (here, nothing)."""
    got = evaluate(ruleset, {"公开": True, "执行率": 90, "D": "不适用", "C": "/"})
    assert got.missing == () and got.score == Decimal("95.56")  # 86 / 90 × 100


def test_bad_row_entries_in_a_facts_file_are_located(tmp_path: Path, ruleset: Any) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text("公开: 是\nC: 5\n不适用: [X1]\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_facts(path, ruleset)
    problems = [(p.line, p.message) for p in info.value.problems]
    assert problems[0][0] == 2 and "'C' is an indicator, not a fact" in problems[0][1]
    assert problems[1][0] == 3 and "no indicator or group 'X1'" in problems[1][1]


def test_bad_row_entries_in_a_mapping(ruleset: Any) -> None:
    with pytest.raises(FactError, match="'C' is an indicator, not a fact"):
        evaluate(ruleset, {**BASE, "C": "是"})
    with pytest.raises(FactError, match="unknown fact 'X1'"):
        evaluate(ruleset, {**BASE, "X1": "不适用"})  # not a row either: an unknown fact
    with pytest.raises(FactError, match="lists the rows"):
        evaluate(ruleset, {**BASE, "不适用": 5})


def test_a_name_shared_by_two_rows_must_be_given_by_id() -> None:
    text = RULESET.replace("name: 专项核算", "name: 信息公开")
    rs = load_ruleset(text)
    with pytest.raises(FactError, match="'信息公开' names 2 indicators"):
        evaluate(rs, {**BASE, "不适用": ["信息公开"]})


def _csv_rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {row["unit"]: row for row in csv.DictReader(fh)}


def test_csv_batch_with_the_texts_and_a_row_column(tmp_path: Path, ruleset: Any) -> None:
    src = tmp_path / "units.csv"
    src.write_text("unit,公开,执行率,核算,结余,资金结余,不适用\n"
                   "u1,是,97.25%,／,不涉及,,\n"
                   "u2,是,97.25%,是,无结余,不适用,C\n"
                   "u3,是,-,是,无结余,,\n"
                   "u4,是,97.25%,是,无结余,,\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    summary = score_file(ruleset, src, out)
    assert summary.errors == ()
    rows = _csv_rows(out)
    for unit in ("u1", "u2"):
        assert rows[unit]["C"] == rows[unit]["D"] == "不适用"
        assert rows[unit]["total"] == "98.78"
        assert rows[unit]["rescaled"] == LINE_ZH
    assert rows["u3"]["B"] == "0–40" and rows["u3"]["missing_facts"] == "执行率"
    assert rows["u4"]["rescaled"] == ""  # every row applicable: nothing rescaled
    assert rows["u4"]["total"] == "98.9"


def test_batch_records_from_both_paths(ruleset: Any) -> None:
    facts = {**BASE, "核算": "/", "结余": "无此项"}
    [full] = score_batch(ruleset, [facts])
    [fast] = score_batch(ruleset, [facts], records_only=True)
    assert row_record(full) == row_record(fast)
    assert row_record(full)["rescaled"] == LINE_ZH


# -- rows not assessed -----------------------------------------------------------------


def test_a_placeholder_row_declared_not_assessed() -> None:
    rs = load_ruleset(RULESET.replace("max_points: 0, assessed", "max_points: 10, assessed")
                      .replace("    max_points: 0\n", ""))
    row = rs.node("P")
    assert isinstance(row, Indicator) and not row.assessed
    assert isinstance(row.rule, NotAssessedRule) and row.points == 10
    got = evaluate(rs, BASE)
    assert not got["P"].applicable
    assert got["P"].explain() == "指标1 不考核（规则未设评分标准）"
    assert got["P"].to_dict()["trace"] == [{"type": "not_assessed", "row": "指标1"}]
    # A, B, C, D: 50 + 38.9 + 5 + 5 = 98.9 of 100 applicable points, of 110 in the table
    assert got.rescaling_text() == "按适用指标折算：98.90 / 100 × 100 = 98.90"
    assert got.score == Decimal("98.90")
    assert score_only(rs, BASE).lows == tuple(r.low for r in got.records)


def test_not_assessed_round_trips_and_checks(ruleset: Any) -> None:
    again = load_ruleset(dump_ruleset(ruleset))
    assert again == ruleset
    assert "assessed: false" in dump_ruleset(ruleset)
    placeholder = load_ruleset(RULESET.replace("max_points: 0, assessed", "max_points: 10, "
                                               "assessed").replace("    max_points: 0\n", ""))
    found = [(f.severity, f.code) for f in check_ruleset(placeholder)
             if (f.indicator or "").endswith("P")]
    assert found == [("note", "not-assessed")]


def test_not_assessed_with_a_rule_or_no_rule_at_all_is_an_error() -> None:
    both = RULESET.replace("assessed: false}",
                           "assessed: false, rule: {kind: boolean, fact: 公开, yes_points: 1}}")
    with pytest.raises(LoadError, match="a row that is not assessed has no rule"):
        load_ruleset(both)
    neither = RULESET.replace(", assessed: false}", "}")
    with pytest.raises(LoadError, match=r"needs 'children' .* or 'rule'"):
        load_ruleset(neither)
    with pytest.raises(RulesetError, match="an indicator needs a rule"):
        Indicator("x")
    with pytest.raises(LoadError, match="'assessed' has the wrong type"):
        load_ruleset(RULESET.replace("assessed: false", "assessed: nein"))
    with pytest.raises(LoadError, match="an indicator needs a rule"):
        load_ruleset(RULESET.replace("assessed: false", "assessed: true"))


# -- the rescaling line in every output ------------------------------------------------


def test_the_rescaling_is_recorded(result: Any) -> None:
    r = result.rescaled
    assert (r.low, r.high, r.applicable_max, r.total_points) == (
        Decimal("88.90"), Decimal("88.90"), 90, 100)
    assert (r.scaled_low, r.scaled_high) == (Decimal("98.78"), Decimal("98.78"))
    assert result.rescaling_text() == LINE_ZH
    assert result.rescaling_text("en") == LINE_EN


def test_a_range_is_rescaled_as_a_range(ruleset: Any) -> None:
    got = evaluate(ruleset, {"公开": True, "核算": "/", "结余": "/"})
    assert got.rescaling_text() == "按适用指标折算：50.00–90.00 / 90 × 100 = 55.56–100.00"


def test_json_field(result: Any) -> None:
    data = json.loads(render_json(result))
    assert data["total"]["rescaled"] == {"low": "88.9", "high": "88.9",
                                         "applicable_max": "90", "total_points": "100",
                                         "text": LINE_ZH}
    assert result.to_dict("en")["total"]["rescaled"]["text"] == LINE_EN
    plain = evaluate(load_ruleset(RULESET), BASE)
    assert plain.to_dict()["total"]["rescaled"] is None


@pytest.mark.parametrize("explain", [False, True])
def test_cli_table_says_it_beside_the_total(result: Any, explain: bool) -> None:
    lines = render_table(result, explain=explain).splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("| 合计"))
    assert LINE_ZH in lines[at + 1]
    assert LINE_EN in render_table(result, explain=explain, lang="en")


def test_markdown_says_it(result: Any) -> None:
    assert f"- {LINE_ZH}" in render_markdown(result).splitlines()
    assert f"- {LINE_EN}" in render_markdown(result, lang="en").splitlines()
    assert LINE_ZH in to_markdown(result).splitlines()


def test_html_says_it(result: Any) -> None:
    page = to_html(result, chart=False)
    assert f"<td>折算</td><td colspan=\"7\">{LINE_ZH}</td>" in page


def test_xlsx_says_it(result: Any, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "table.xlsx"
    write_xlsx(result, path)
    ws = openpyxl.load_workbook(path).active
    cells = [list(row) for row in ws.iter_rows(values_only=True)]
    total = next(i for i, row in enumerate(cells) if row[0] == "合计")
    assert cells[total][7] == Decimal("98.78") or str(cells[total][7]) == "98.78"
    assert tuple(cells[total + 2][:2]) == ("折算", LINE_ZH)


def test_audit_says_it(ruleset: Any) -> None:
    facts = {**BASE, "核算": "/", "结余": "无此项"}
    report = audit(ruleset, facts, Claimed({"A": Decimal(50)}, {}, Decimal("98.78")))
    assert LINE_ZH in format_audit(report).splitlines()
    assert LINE_EN in format_audit(report, "en").splitlines()
    assert report.to_dict()["rescaled"] == LINE_ZH
    assert report["总分"].status == "consistent"


def test_no_rescaling_no_line(ruleset: Any) -> None:
    plain = evaluate(ruleset, BASE)
    assert plain.rescaled is None and plain.rescaling_text() is None
    assert "折算" not in render_table(plain) + render_markdown(plain) + to_markdown(plain)
    assert "折算" not in to_html(plain, chart=False)


def test_redistribute_does_not_rescale_the_total() -> None:
    rs = load_ruleset(RULESET.replace("metadata:", "policy: {not_applicable: redistribute}\n"
                                      "metadata:"))
    got = evaluate(rs, {**BASE, "核算": "/"})
    assert got.rescaled is None and got.to_dict()["total"]["rescaled"] is None
    assert "renormalised" in [s.type for s in got["过程"].trace]


def test_compiled_and_evaluate_agree_on_rows_not_applicable(ruleset: Any) -> None:
    for facts in ({**BASE, "核算": "/"}, {**BASE, "不适用": ["C"]}, {**BASE, "D": "—"},
                  {**BASE, "执行率": "-"}, BASE):
        got = evaluate(ruleset, facts)
        scores = score_only(ruleset, facts)
        assert scores.lows == tuple(r.low for r in got.records)
        assert scores.highs == tuple(r.high for r in got.records)
        assert scores.rescaled == got.rescaled
        assert [scores.is_applicable(i) for i in range(len(got.records))] == [
            r.applicable for r in got.records]
        assert score_only(ruleset, ruleset.facts_from(facts)).lows == scores.lows


def test_batch_output_as_jsonl(ruleset: Any, tmp_path: Path) -> None:
    src = tmp_path / "units.csv"
    src.write_text("公开,执行率,核算,结余\n是,97.25%,/,/\n", encoding="utf-8")
    out = io.StringIO()
    score_file(ruleset, src, None, output_format="jsonl", stream=out)
    [line] = out.getvalue().splitlines()
    assert json.loads(line)["rescaled"] == LINE_ZH
