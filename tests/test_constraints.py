"""Checks between facts (``constraints:``): load errors at ``file:line``, each form, the
warning and error levels, and the warnings in score, batch, DataFrame and audit output."""

from __future__ import annotations

import csv
import json
import pickle
from decimal import Decimal as D
from pathlib import Path

import pytest

from rubric import (
    Claimed,
    Constraint,
    FactError,
    FactSpec,
    LoadError,
    RulesetError,
    audit,
    dump_ruleset,
    evaluate,
    load_ruleset,
    score_batch,
    score_file,
    score_only,
)
from rubric.audit import format_audit
from rubric.batch import batch_columns, row_record
from rubric.cli import main
from rubric.engine.compiled import scores_function

HEAD = """\
rubric: 1
metadata: {id: cons, name: 约束测试}
policy: {total_points: 20}
facts:
  全年预算数: {unit: 万元, minimum: 0}
  基本支出预算: {unit: 万元, minimum: 0}
  项目支出预算: {unit: 万元, minimum: 0}
  实际支出数: {unit: 元, minimum: 0}
  满意度: {unit: '%', minimum: 0, maximum: 100}
  新增企业数: {unit: 家, minimum: 0}
  供养人数: {unit: 人, minimum: 0}
  预算执行率: {unit: '%', formula: 实际支出数 / 全年预算数 * 100}
root: {id: 总分}
indicators:
  - id: 执行率行
    rule: {kind: bands, fact: 预算执行率, direction: higher, bands: [
      {range: '<90', points: 0}, {range: '>=90', points: 10}]}
  - id: 满意度行
    rule: {kind: bands, fact: 满意度, direction: higher, bands: [
      {range: '[0, 90)', points: 0}, {range: '[90, 100]', points: 5}]}
  - id: 企业行
    rule: {kind: bands, fact: 新增企业数, direction: higher, bands: [
      {range: '<20', points: 0}, {range: '>=20', points: 5}]}
"""

CONSTRAINTS = """\
constraints:
  - check: 全年预算数 == 基本支出预算 + 项目支出预算
    tolerance: 0.01
    message: 全年预算数等于基本支出与项目支出之和
  - check: 实际支出数 <= 全年预算数
    message: 实际支出不超过预算
  - integer: 新增企业数
    level: error
    message: 企业数是整数
"""

GOOD = {"全年预算数": "100", "基本支出预算": "60", "项目支出预算": "40", "实际支出数": "950000",
        "满意度": "92%", "新增企业数": "25"}

SUM_WARNING = ("约束未满足：全年预算数等于基本支出与项目支出之和：全年预算数 == 基本支出预算 + "
               "项目支出预算（容差 0.01）；全年预算数 = 100 万元，基本支出预算 = 60 万元，"
               "项目支出预算 = 30 万元")
SPEND_WARNING = ("约束未满足：实际支出不超过预算：实际支出数 <= 全年预算数；"
                 "实际支出数 = 1000001 元，全年预算数 = 100 万元")
INTEGER_ERROR = "约束未满足：企业数是整数：新增企业数 为整数；新增企业数 = 25.5 家"
PERCENT_WARNING = ("满意度 = 0.925 按百分数读作 0.925%，看似小数（92.500%）；如为小数请写 "
                   "'92.5%' 或设 percent_numbers: fraction")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "cons.yaml"
    p.write_text(HEAD + CONSTRAINTS, encoding="utf-8")
    return p


@pytest.fixture
def ruleset(path: Path):  # type: ignore[no-untyped-def]
    return load_ruleset(path)


# ---------------------------------------------------------------------- loading


@pytest.mark.parametrize(("section", "where", "message"), [
    pytest.param("  - check: 实际支出数 <= 全年预算\n", "2:12: $.constraints[0].check",
                 "constraint '实际支出数 <= 全年预算' uses unknown fact '全年预算' (did you mean "
                 "'全年预算数'?); expected names of declared facts (example: 全年预算数)",
                 id="unknown fact, did you mean"),
    pytest.param("  - integer: 新增企业\n", "2:14: $.constraints[0].integer",
                 "constraint reads fact '新增企业', which is not declared (did you mean "
                 "'新增企业数'?); expected a fact declared under facts (example: 新增企业数)",
                 id="integer of an unknown fact"),
    pytest.param("  - check: 实际支出数 <= 供养人数\n", "2:12: $.constraints[0].check",
                 "constraint '实际支出数 <= 供养人数' compares facts of different kinds of unit; "
                 "expected sides of one dimension (money with money, counts with counts) "
                 "(example: check: 实际支出数 <= 预算数)", id="mixed dimensions"),
    pytest.param("  - check: 实际支出数 + 1\n", "2:12: $.constraints[0].check",
                 "constraint '实际支出数 + 1' is not a comparison; expected a comparison (==, <=, "
                 "<, >=, >, !=), possibly joined by and/or/not (example: check: 实际支出数 <= "
                 "预算数)", id="not a comparison"),
    pytest.param("  - check: 实际支出数 <=\n", "2:12: $.constraints[0].check",
                 "constraint '实际支出数 <=' is not a valid formula: invalid syntax; expected one "
                 "arithmetic expression over declared facts (example: 预算调整数 / 预算数 * 100)",
                 id="bad expression"),
    pytest.param("  - check: open(实际支出数) < 1\n", "2:12: $.constraints[0].check",
                 "constraint 'open(实际支出数) < 1' calls unknown function 'open' (did you mean "
                 "'round'?); expected one of abs, min, max, round, floor, ceil (example: "
                 "min(完成数 / 计划数, 1))", id="unknown function"),
    pytest.param("  - {check: 实际支出数 <= 全年预算数, level: fatal}\n",
                 "2:36: $.constraints[0].level",
                 "constraint level 'fatal' is not known; expected warning or error (example: "
                 "level: error)", id="bad level"),
    pytest.param("  - {check: 实际支出数 <= 全年预算数, tolerance: 1}\n",
                 "2:40: $.constraints[0].tolerance",
                 "constraint '实际支出数 <= 全年预算数': tolerance applies only to a check "
                 "'a == b'; expected a check with one ==, or no tolerance (example: check: "
                 "全年预算数 == 基本支出预算 + 项目支出预算)", id="tolerance without =="),
    pytest.param("  - {check: 实际支出数 <= 全年预算数, mesage: x}\n",
                 "2:29: $.constraints[0].mesage",
                 "unknown key 'mesage' in constraint (did you mean 'message'?); expected one of "
                 "check, integer, message, level, tolerance (example: message: ...)",
                 id="unknown key"),
    pytest.param("  - {message: 空}\n", "2:5: $.constraints[0]",
                 "a constraint has exactly one of 'check' or 'integer'; expected check: a "
                 "formula that must hold, or integer: a fact (example: check: 实际支出数 <= "
                 "预算数)", id="neither form"),
    pytest.param("  - integer: 预算执行率\n  - integer: [新增企业数]\n",
                 "3:14: $.constraints[1].integer",
                 "'integer' has the wrong type (a list); expected text (example: 预算执行率)",
                 id="a list is not a fact name"),
])
def test_load_errors_have_file_and_line(tmp_path: Path, section: str, where: str,
                                        message: str) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text(HEAD + "constraints:\n" + section, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_ruleset(p)
    line, _, rest = where.partition(":")
    [problem] = info.value.problems
    assert str(problem) == f"{p}:{HEAD.count(chr(10)) + int(line)}:{rest}: {message}"


def test_a_section_that_is_not_a_list(tmp_path: Path) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text(HEAD + "constraints: {check: 实际支出数 <= 全年预算数}\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"bad\.yaml:\d+:\d+: \$\.constraints: constraints "
                                        r"must be a list, got a mapping"):
        load_ruleset(p)


def test_python_constraints_are_checked_when_the_ruleset_is_built(ruleset) -> None:  # type: ignore[no-untyped-def]
    import attrs

    with pytest.raises(RulesetError, match="uses unknown fact '预算'"):
        attrs.evolve(ruleset, constraints=[Constraint(check="实际支出数 <= 预算")])
    with pytest.raises(RulesetError, match="constraint reads fact '满意度行', which is not "):
        attrs.evolve(ruleset, constraints=[Constraint(integer="满意度行")])
    from rubric import Boolean, Group, Indicator, Ruleset

    with pytest.raises(RulesetError, match="integer: fact '甲' is declared as boolean"):
        Ruleset(Group("总分", [Indicator("a", Boolean("甲", 5))]),
                [FactSpec("甲", type="boolean")], constraints=[Constraint(integer="甲")])
    with pytest.raises(RulesetError, match="tolerance -1 must be 0 or more"):
        Constraint(check="实际支出数 == 全年预算数", tolerance=-1)


def test_round_trip_and_pickle(ruleset) -> None:  # type: ignore[no-untyped-def]
    again = load_ruleset(dump_ruleset(ruleset))
    assert again == ruleset and again.constraints == ruleset.constraints
    assert [c.level for c in again.constraints] == ["warning", "warning", "error"]
    assert again.constraints[0].tolerance == D("0.01")
    copy = pickle.loads(pickle.dumps(ruleset))
    assert copy == ruleset and len(copy.checks) == 3


# --------------------------------------------------------------------- evaluating


def test_consistent_facts_give_no_warning(ruleset) -> None:  # type: ignore[no-untyped-def]
    result = evaluate(ruleset, GOOD)
    assert result.total.score == 20 and result.warnings == ()


def test_a_sum_within_its_tolerance_holds(ruleset) -> None:  # type: ignore[no-untyped-def]
    assert evaluate(ruleset, {**GOOD, "项目支出预算": "40.01"}).warnings == ()
    assert evaluate(ruleset, {**GOOD, "项目支出预算": "39.99"}).warnings == ()
    off = evaluate(ruleset, {**GOOD, "项目支出预算": "39.98"}).warnings
    assert len(off) == 1 and "项目支出预算 = 39.98 万元" in off[0]


def test_a_violated_sum_is_a_warning_naming_the_facts(ruleset) -> None:  # type: ignore[no-untyped-def]
    result = evaluate(ruleset, {**GOOD, "项目支出预算": "30"})
    assert result.warnings == (SUM_WARNING,)
    assert result.fact_warnings == (SUM_WARNING,)
    assert result.total.score == 20  # a warning does not change the scores
    assert result.to_dict()["warnings"] == [SUM_WARNING]


def test_an_actual_above_its_budget_compares_in_units(ruleset) -> None:  # type: ignore[no-untyped-def]
    # 元 against 万元, exactly: 1,000,000 元 is 100 万元
    assert evaluate(ruleset, {**GOOD, "实际支出数": "1000000"}).warnings == ()
    assert evaluate(ruleset, {**GOOD, "实际支出数": "100 万元"}).warnings == ()
    assert evaluate(ruleset, {**GOOD, "实际支出数": "1000001"}).warnings == (SPEND_WARNING,)


def test_an_integer_constraint_at_level_error_refuses_the_unit(ruleset) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FactError) as info:
        evaluate(ruleset, {**GOOD, "新增企业数": "25.5"})
    assert info.value.message == INTEGER_ERROR
    assert info.value.where == f"{ruleset.constraints[2].source}"
    assert ruleset.constraints[2].source.endswith(f"cons.yaml:{HEAD.count(chr(10)) + 7}")
    with pytest.raises(FactError, match=r"新增企业数 = 25\.5 家"):
        score_only(ruleset, {**GOOD, "新增企业数": "25.5"})
    assert evaluate(ruleset, {**GOOD, "新增企业数": "25.0"}).warnings == ()


def test_an_integer_constraint_at_level_warning(ruleset) -> None:  # type: ignore[no-untyped-def]
    import attrs

    soft = attrs.evolve(ruleset, constraints=[Constraint(integer="新增企业数")])
    result = evaluate(soft, {**GOOD, "新增企业数": "2.5"})
    assert result.warnings == ("约束未满足：新增企业数 为整数；新增企业数 = 2.5 家",)


def test_constraints_whose_facts_are_missing_are_not_evaluated(ruleset) -> None:  # type: ignore[no-untyped-def]
    facts = {k: v for k, v in GOOD.items() if k not in ("项目支出预算", "新增企业数")}
    facts["实际支出数"] = "1000001"
    result = evaluate(ruleset, facts)
    assert result.warnings == (SPEND_WARNING,)  # the sum and the integer check are not run
    assert "新增企业数" in result.missing


def test_an_undefined_check_is_not_evaluated(ruleset) -> None:  # type: ignore[no-untyped-def]
    import attrs

    ratio = attrs.evolve(ruleset, constraints=[Constraint(check="实际支出数 / 全年预算数 <= 1")])
    zero = {**GOOD, "全年预算数": "0", "基本支出预算": "0", "项目支出预算": "0",
            "实际支出数": "0"}
    assert evaluate(ratio, zero).warnings == ()
    assert evaluate(ratio, {**GOOD, "实际支出数": "2000000"}).warnings == (
        "约束未满足：实际支出数 / 全年预算数 <= 1；实际支出数 = 2000000 元，全年预算数 = 100 万元",)


@pytest.mark.parametrize("satisfaction", [
    pytest.param("92%", id="general path (a % sign)"),
    pytest.param("92", id="compiled raw path (plain values)"),
])
def test_score_only_carries_the_same_warnings(ruleset, satisfaction: str) -> None:  # type: ignore[no-untyped-def]
    facts = {**GOOD, "项目支出预算": "30", "实际支出数": "1000001", "满意度": satisfaction}
    scores = score_only(ruleset, facts)
    assert scores.warnings == evaluate(ruleset, facts).fact_warnings == (SUM_WARNING,
                                                                         SPEND_WARNING)
    assert scores.total == evaluate(ruleset, facts).total.score


def test_a_fractions_warning_comes_before_the_constraints_warnings(ruleset) -> None:  # type: ignore[no-untyped-def]
    facts = {**GOOD, "项目支出预算": "30", "实际支出数": "1000001", "满意度": "0.925",
             "供养人数": "10"}  # every fact given: the compiled raw path scores it
    assert scores_function(ruleset).raw(dict(facts), []) is not None
    scores = score_only(ruleset, facts)
    assert scores.warnings == evaluate(ruleset, facts).fact_warnings == (
        PERCENT_WARNING, SUM_WARNING, SPEND_WARNING)
    assert scores.total == evaluate(ruleset, facts).total.score


def test_percent_reading_warnings_also_on_the_compiled_path(ruleset) -> None:  # type: ignore[no-untyped-def]
    import attrs

    plain = attrs.evolve(ruleset, constraints=())  # the compiled raw path
    facts = {**GOOD, "满意度": 0.925}
    assert score_only(plain, facts).warnings == (PERCENT_WARNING,)
    assert score_only(plain, {**GOOD, "满意度": 92.5}).warnings == ()
    assert evaluate(plain, facts).fact_warnings == (PERCENT_WARNING,)


def test_structural_warnings_are_not_fact_warnings() -> None:
    from rubric import Boolean, Group, Indicator, Ruleset

    rs = Ruleset(Group("总分", [Indicator("a", Boolean("甲", 5))], max_points=4),
                 [FactSpec("甲", type="boolean")], constraints=[])
    result = evaluate(rs, {"甲": True})
    assert result.warnings == rs.warnings != () and result.fact_warnings == ()


# ------------------------------------------------------------------------ outputs


def test_cli_score_shows_the_warnings(path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    facts = tmp_path / "f.yaml"
    facts.write_text("".join(f"{k}: '{v}'\n" for k, v in
                             {**GOOD, "项目支出预算": "30"}.items()), encoding="utf-8")
    assert main(["score", str(path), str(facts)]) == 0
    out = capsys.readouterr().out
    footer = out.rsplit("+\n", 1)[1]  # below the table, wrapped to its width
    assert footer.replace("\n", "") == "警告：" + SUM_WARNING
    assert main(["score", str(path), str(facts), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["warnings"] == [SUM_WARNING]
    assert main(["score", str(path), str(facts), "--format", "markdown"]) == 0
    assert f"- 警告：{SUM_WARNING}" in capsys.readouterr().out


def test_cli_score_refuses_a_unit_violating_an_error_constraint(path: Path, tmp_path: Path,
                                                                capsys) -> None:  # type: ignore[no-untyped-def]
    facts = tmp_path / "f.yaml"
    facts.write_text("".join(f"{k}: '{v}'\n" for k, v in
                             {**GOOD, "新增企业数": "25.5"}.items()), encoding="utf-8")
    assert main(["score", str(path), str(facts)]) != 0
    assert INTEGER_ERROR in capsys.readouterr().err


UNITS = [
    {"id": "甲", **GOOD},
    {"id": "乙", **GOOD, "项目支出预算": "30", "实际支出数": "1000001"},
    {"id": "丙", **GOOD, "新增企业数": "25.5"},
    {"id": "丁", **GOOD, "满意度": "0.925"},
]


def _write_csv(p: Path, rows: list[dict[str, str]]) -> None:
    with p.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_batch_columns_place_warnings_before_error(ruleset) -> None:  # type: ignore[no-untyped-def]
    assert batch_columns(ruleset)[-3:] == ["missing_facts", "warnings", "error"]


def test_score_batch_warnings_and_error_rows(ruleset) -> None:  # type: ignore[no-untyped-def]
    records = [row_record(r) for r in score_batch(ruleset, UNITS)]
    assert [r["unit"] for r in records] == ["甲", "乙", "丙", "丁"]
    assert records[0]["warnings"] is None and records[0]["error"] is None
    assert records[1]["warnings"] == SUM_WARNING + "; " + SPEND_WARNING
    assert records[1]["total"] == 20
    assert records[2]["error"] == (
        f"{ruleset.constraints[2].source}: {INTEGER_ERROR}; expected facts that agree with "
        "each other (the ruleset's constraints, level: error)")
    assert records[2].get("total") is None
    assert records[3]["warnings"] == PERCENT_WARNING and records[3]["total"] == 15


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_score_file_writes_the_warnings_column(ruleset, tmp_path: Path, suffix: str) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / f"units.{suffix}"
    if suffix == "csv":
        _write_csv(src, UNITS)
    else:
        src.write_text("".join(json.dumps(u, ensure_ascii=False) + "\n" for u in UNITS),
                       encoding="utf-8")
    out = tmp_path / f"out.{suffix}"
    errors = tmp_path / "err.txt"
    with errors.open("w", encoding="utf-8") as err:
        summary = score_file(ruleset, src, out, errors=err)
    assert summary.scored == 3 and [n for n, _ in summary.errors] == [
        4 if suffix == "csv" else 3]
    assert INTEGER_ERROR in errors.read_text(encoding="utf-8")
    if suffix == "csv":
        with out.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert list(rows[0]) == batch_columns(ruleset)
        blank = ""
    else:
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        blank = None
    assert rows[0].get("warnings", blank) == blank
    assert rows[1]["warnings"] == SUM_WARNING + "; " + SPEND_WARNING
    assert rows[2].get("warnings", blank) == blank and INTEGER_ERROR in rows[2]["error"]
    assert rows[3]["warnings"] == PERCENT_WARNING


def test_cli_batch_writes_the_warnings(path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "units.csv"
    _write_csv(src, UNITS)
    out = tmp_path / "out.jsonl"
    assert main(["score", str(path), "--batch", str(src), "--output", str(out), "--quiet"]) == 1
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("warnings") for r in rows] == [None, SUM_WARNING + "; " + SPEND_WARNING, None,
                                                 PERCENT_WARNING]
    assert f"{src}:4: 丙: " in capsys.readouterr().err


def test_dataframe_has_the_warnings_column(ruleset) -> None:  # type: ignore[no-untyped-def]
    pd = pytest.importorskip("pandas")
    from rubric import score_dataframe

    df = pd.DataFrame(UNITS).set_index("id")
    out = score_dataframe(ruleset, df)
    assert out.loc["乙", "warnings"] == SUM_WARNING + "; " + SPEND_WARNING
    assert INTEGER_ERROR in out.loc["丙", "error"]
    assert out.loc["甲", "warnings"] is None


def test_audit_reports_the_warnings(ruleset) -> None:  # type: ignore[no-untyped-def]
    facts = {**GOOD, "项目支出预算": "30"}
    report = audit(ruleset, facts, Claimed({"执行率行": 10, "满意度行": 5, "企业行": 5}))
    assert report.ok and report.warnings == (SUM_WARNING,)
    assert report.to_dict()["warnings"] == [SUM_WARNING]
    text = format_audit(report)
    assert f"警告：{SUM_WARNING}" in text.splitlines()
    assert text.splitlines()[-1].startswith("通过")
    assert f"warning: {SUM_WARNING}" in format_audit(report, "en")
    assert audit(ruleset, GOOD, Claimed({})).to_dict()["warnings"] == []
    with pytest.raises(FactError, match="企业数是整数"):
        audit(ruleset, {**GOOD, "新增企业数": "25.5"}, Claimed({}))


def test_cli_audit_prints_the_warnings(path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    facts = tmp_path / "f.yaml"
    facts.write_text("".join(f"{k}: '{v}'\n" for k, v in
                             {**GOOD, "项目支出预算": "30"}.items()), encoding="utf-8")
    claimed = tmp_path / "c.yaml"
    claimed.write_text("scores: {执行率行: 10}\n", encoding="utf-8")
    main(["audit", str(path), str(facts), str(claimed)])
    assert f"警告：{SUM_WARNING}" in capsys.readouterr().out


def test_property_testing_runs_on_a_ruleset_with_error_constraints(ruleset) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("hypothesis")
    from rubric.testing import check_properties

    check_properties(ruleset)  # the integer check at level error would refuse most draws


def test_checks_over_dates_and_booleans() -> None:
    from rubric import Boolean, Group, Indicator, Ruleset

    rs = Ruleset(Group("总分", [Indicator("a", Boolean("甲", 5))]),
                 [FactSpec("甲", type="boolean"), FactSpec("完成", type="date"),
                  FactSpec("计划", type="date")],
                 constraints=[Constraint(check="完成 <= 计划", message="不晚于计划"),
                              Constraint(check="甲 or 完成 <= 计划")])
    late = evaluate(rs, {"甲": False, "完成": "2023-12-01", "计划": "2023-11-30"})
    assert late.warnings == (
        "约束未满足：不晚于计划：完成 <= 计划；完成 = 2023-12-01，计划 = 2023-11-30",
        "约束未满足：甲 or 完成 <= 计划；甲 = 否，完成 = 2023-12-01，计划 = 2023-11-30")
    assert evaluate(rs, {"甲": True, "完成": "2023-11-30", "计划": "2023-11-30"}).warnings == ()


def test_facts_read_only_by_a_constraint_are_not_unused(ruleset) -> None:  # type: ignore[no-untyped-def]
    # 基本支出预算 and 项目支出预算 are read by `全年预算数 == 基本支出预算 + 项目支出预算` only
    from rubric import check_ruleset

    unused = {f.message for f in check_ruleset(ruleset) if f.code == "unused-fact"}
    assert not any("基本支出预算" in m or "项目支出预算" in m for m in unused), unused
