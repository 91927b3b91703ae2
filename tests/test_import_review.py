"""Adversarial review of ``rubric import --names-from`` and deadline rows named by their
date (issue 13): a rename or a reading that would make the imported ruleset score
differently from what its criterion says is refused (the row left as parsed, with the
reason), and what is fine is pinned so a later change cannot break it silently.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from rubric import evaluate, load_ruleset
from rubric.cli import main
from rubric.criteria.deadline_names import deadline_rule, name_deadline
from test_import_names import HEAD, _prior, _rule, _run, _table

BOOLEAN = {"kind": "boolean", "fact": "按时完成", "yes_points": 3, "no_points": 0}


# -- renames by position that would swap meanings ------------------------------------------

def test_checklist_items_in_another_order_are_not_swapped(tmp_path: Path) -> None:
    # The prior names its items as the table does, in the other order, with equal points:
    # a rename by position would swap the two facts' meanings.
    prior = _prior(tmp_path, "  按规定内容公开: {type: boolean}\n  按规定时限公开: {type: boolean}",
                   "      - {id: 信息公开, max_points: 4, rule: {kind: checklist, items: "
                   "[{fact: 按规定内容公开, points: 2}, {fact: 按规定时限公开, points: 2}]}}\n")
    table = _table(tmp_path, [("信息公开", "4", "", "①按规定时限公开,2分;②按规定内容公开,2分")])
    ruleset, _, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    items = _rule(ruleset, "信息公开").items
    assert [(i.fact, i.label) for i in items] == [("按规定时限公开", "按规定时限公开"),
                                                  ("按规定内容公开", "按规定内容公开")]
    assert "信息公开: not renamed: the prior reads 按规定内容公开、按规定时限公开" in summary


def test_a_rate_whose_prior_formula_swaps_the_names_is_not_renamed(tmp_path: Path) -> None:
    # Last year's formula reads the same two names the other way round: renaming by
    # position would divide the budget by the adjustment (a wrong rate, a wrong score).
    prior = _prior(tmp_path, "  预算调整数: {unit: 万元}\n  年初预算数: {unit: 万元}\n"
                             "  预算调整率: {unit: '%', formula: 年初预算数 / 预算调整数 * 100}",
                   "      - {id: 预算调整率, max_points: 5, rule: {kind: bands, fact: 预算调整率, "
                   "bands: [{range: '<=10', points: 5}, {range: '>10', points: 0}]}}\n")
    table = _table(tmp_path, [("预算调整率", "5", "预算调整率=预算调整数/年初预算数×100%",
                               "预算调整率≤10%,计5分;大于10%不得分")])
    ruleset, _, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    assert str(ruleset.specs["预算调整率"].formula) == "预算调整数 / 年初预算数 * 100"
    facts = {"预算调整数": 5, "年初预算数": 100}  # 5 %: 5 points (20 % read backwards)
    assert evaluate(ruleset, facts).total.low == 5
    assert "预算调整率: not renamed: the prior reads" in summary


# -- what the prior declares -----------------------------------------------------------------

def test_bounds_in_another_unit_are_not_taken(tmp_path: Path) -> None:
    # The prior's maximum 1000 is in 亿元; this year's fact is in 万元: 1000 万元 would
    # refuse every valid value above 0.1 亿元.
    prior = _prior(tmp_path, "  高新技术产值: {unit: 亿元, minimum: 0, maximum: 1000}",
                   "      - {id: 高新技术产值, max_points: 2, rule: {kind: deduction, "
                   "fact: 高新技术产值, target: 600 亿元, points: 2, side: below, "
                   "basis: relative, step: 10, per_step: 1}}\n")
    table = _table(tmp_path, [("高新技术产值", "2", "", "6280000万元以上2分,每少10%扣1分")])
    ruleset, _, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    spec = ruleset.specs["高新技术产值"]
    assert spec.unit == "万元"
    assert spec.maximum is None
    assert spec.minimum == 0  # 0 is 0 in any unit
    assert evaluate(ruleset, {"高新技术产值": "6280000 万元"}).total.low == 2
    assert "the prior's maximum 1000 is in 亿元" in summary


def test_a_unit_is_not_taken_for_numbers_the_criterion_states_without_one(
        tmp_path: Path) -> None:
    # 5000 is written without a unit: the prior's 元 would make it 5000 元, a reading the
    # text does not state (it may mean 万元); the fact is left without a unit, reported.
    prior = _prior(tmp_path, "  完成投资额: {unit: 元, minimum: 0}",
                   "      - {id: 完成投资额, max_points: 5, rule: {kind: bands, fact: 完成投资额, "
                   "bands: [{range: '<50000000', points: 0}, {range: '>=50000000', "
                   "points: 5}]}}\n")
    table = _table(tmp_path, [("完成投资额", "5", "", "完成投资额5000以上得5分,否则不得分")])
    ruleset, _, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    spec = ruleset.specs["完成投资额"]
    assert spec.unit is None
    assert spec.minimum == 0
    assert ("完成投资额: the prior's unit 元 is not taken: the criterion's numbers are "
            "written without a unit") in summary


# -- the year of a deadline named by its date ---------------------------------------------------

DEADLINE = ("| 一级指标 | 二级指标 | 三级指标 | 分值 | 评价标准 |\n|---|---|---|---|---|\n"
            "| 产出 | 时效 | 绩效目标完成时间12月31日前 | 3 | 按时完成任务3分;否0分 |\n")


def _deadline(tmp_path: Path, title: str, *options: str) -> tuple[Any, str]:
    table = tmp_path / "table.md"
    table.write_text((f"# {title}\n\n" if title else "") + DEADLINE, encoding="utf-8")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["import", str(table), "-o", str(tmp_path / "out"), *options]) == 0
    return load_ruleset(tmp_path / "out" / "ruleset.yaml"), buf.getvalue()


def test_the_year_option_is_named_as_the_source(tmp_path: Path) -> None:
    ruleset, summary = _deadline(tmp_path, "", "--year", "2025")
    assert next(iter(ruleset.indicators())).rule.deadline == dt.date(2025, 12, 31)
    assert "年份取 --year 2025年" in summary and "表头年度" not in summary


def test_a_year_option_that_contradicts_the_title_is_shown(tmp_path: Path) -> None:
    ruleset, summary = _deadline(tmp_path, "某县2023年度部门整体支出绩效评价指标表",
                                 "--year", "2024")
    assert next(iter(ruleset.indicators())).rule.deadline == dt.date(2024, 12, 31)
    assert "年份取 --year 2024年（表头写的是2023年度）" in summary


@pytest.mark.parametrize("title", ["2023-2024年度项目绩效评价指标表", "2023至2024年度绩效评价",
                                   "2024年开展的2023年度部门整体支出绩效评价"])
def test_a_title_with_two_years_dates_nothing(tmp_path: Path, title: str) -> None:
    ruleset, summary = _deadline(tmp_path, title)
    assert next(iter(ruleset.indicators())).rule.kind == "boolean"
    assert "没有年份" in summary


@pytest.mark.parametrize("name", ["2023-2024年12月31日前完成",
                                  "绩效目标2023年至2024年6月30日前完成"])
def test_a_name_with_two_years_is_not_read(name: str) -> None:
    got = deadline_rule(name, "按时完成任务3分;否0分", BOOLEAN, 2023)
    assert isinstance(got, str) and "两个年份" in got


@pytest.mark.parametrize(("name", "day"), [
    ("绩效目标完成时间12月31日前", dt.date(2023, 12, 31)),
    ("绩效目标完成时间12月31日以前", dt.date(2023, 12, 31)),
    ("绩效目标完成时间12月31日之前", dt.date(2023, 12, 31)),
    ("项目验收11月底前完成", dt.date(2023, 11, 30)),
    ("项目验收11月末前完成", dt.date(2023, 11, 30)),
])
def test_before_includes_the_day(name: str, day: dt.date) -> None:
    # domain.md §3.10: 12月31日前 includes Dec 31; X月底前 the month's last day.
    got = deadline_rule(name, "按时完成任务3分;否0分", BOOLEAN, 2023)
    assert not isinstance(got, str) and got is not None
    assert got.mapping["deadline"] == day.isoformat() and got.mapping["inclusive"] is True


@pytest.mark.parametrize("name", ["绩效目标9月前完成", "绩效目标完成时间9月以前",
                                  "绩效目标完成时间9月之前"])
def test_a_month_alone_is_not_read(name: str) -> None:
    got = deadline_rule(name, "按时完成任务3分;否0分", BOOLEAN, 2023)
    assert isinstance(got, str) and "不明确" in got
    assert name_deadline(name) is not None


def test_two_deadline_rows_read_two_facts(tmp_path: Path) -> None:
    table = tmp_path / "table.md"
    table.write_text("# 2023年度绩效评价\n\n" + DEADLINE.replace("时效", "时效一") +
                     "| 产出 | 时效二 | 绩效目标完成时间6月30日前 | 3 | 按时完成任务3分;否0分 |\n",
                     encoding="utf-8")
    ruleset, _, _ = _run(table, tmp_path / "out")
    rules = [r.rule for r in ruleset.indicators()]
    assert [r.deadline for r in rules] == [dt.date(2023, 12, 31), dt.date(2023, 6, 30)]
    assert rules[0].fact != rules[1].fact
    facts = {rules[0].fact: "2023-07-01", rules[1].fact: "2023-07-01"}
    assert evaluate(ruleset, facts).total.low == 3  # on time for one, late for the other


def test_states_in_another_order_are_not_swapped(tmp_path: Path) -> None:
    prior = _prior(tmp_path, "  评价: {type: category, categories: [良好, 优秀, 一般]}",
                   "      - {id: 工作评价, max_points: 3, rule: {kind: categorical, fact: 评价, "
                   "states: [{value: 良好, points: 3}, {value: 优秀, points: 3}, "
                   "{value: 一般, points: 0}]}}\n")
    table = _table(tmp_path, [("工作评价", "3", "", "优秀,3分;良好,3分;一般,0分")])
    ruleset, _, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    rule = _rule(ruleset, "工作评价")
    assert [s.value for s in rule.states] == ["优秀", "良好", "一般"]
    assert "工作评价: not renamed: the prior reads 良好、优秀 in another order" in summary


def test_states_renamed_by_position_when_no_name_crosses(tmp_path: Path) -> None:
    prior = _prior(tmp_path, "  评价: {type: category, categories: [优, 良, 差]}",
                   "      - {id: 工作评价, max_points: 3, rule: {kind: categorical, fact: 评价, "
                   "states: [{value: 优, points: 3}, {value: 良, points: 2}, "
                   "{value: 差, points: 0}]}}\n")
    table = _table(tmp_path, [("工作评价", "3", "", "优秀,3分;良好,2分;一般,0分")])
    ruleset, _, _ = _run(table, tmp_path / "out", "--names-from", str(prior))
    assert [(s.value, s.points) for s in _rule(ruleset, "工作评价").states] == [
        ("优", 3), ("良", 2), ("差", 0)]
    assert evaluate(ruleset, {"评价": "良"}).total.low == 2


def test_two_rows_of_one_name_do_not_both_take_the_prior_row(tmp_path: Path) -> None:
    # The table prints 资金到位率 under two groups; the prior has one such row: the first
    # row takes its fact, the second (found by the same name) keeps its own.
    prior = _prior(tmp_path, "  到位率: {unit: '%'}",
                   "      - {id: 资金到位率, max_points: 2, rule: {kind: bands, fact: 到位率, "
                   "bands: [{range: '<100', points: 0}, {range: '>=100', points: 2}]}}\n")
    path = tmp_path / "table.md"
    row = "资金到位率 | 2 |  | 资金到位率≥100%,计2分;低于100%不得分 |\n"
    path.write_text(HEAD + f"| 产出 | 数量 | {row}| 产出 | 质量 | {row}", encoding="utf-8")
    ruleset, _, summary = _run(path, tmp_path / "out", "--names-from", str(prior))
    first, second = (r.rule.fact for r in ruleset.indicators())
    assert first == "到位率" and second != "到位率"
    assert "which another row reads" in summary
    scores = evaluate(ruleset, {first: 100, second: 50}).total
    assert scores.low == scores.high == 2


@pytest.mark.parametrize(("criterion", "rule", "value", "points"), [
    # a band above 110 % would never match under the prior's maximum 100
    ("预算执行率90%-110%(含),计5分;大于110%,计3分;低于90%不得分",
     ("{kind: bands, fact: 预算执行率, bands: [{range: '<90', points: 0}, "
     "{range: '[90, 110]', points: 5}, {range: '>110', points: 3}]}"), 120, 3),
    # the deduction for going over 100 % would never apply (105 % refused at scoring)
    ("预算执行率≦100%,计5分;每超过一个百分点扣1分,扣完为止",
     ("{kind: deduction, fact: 预算执行率, target: 100, points: 5, side: above, "
     "basis: absolute, step: 1, per_step: 1}"), 103, 2),
])
def test_a_prior_bound_the_criterion_goes_past_is_not_taken(
        tmp_path: Path, criterion: str, rule: str, value: int, points: int) -> None:
    prior = _prior(tmp_path, "  预算执行率: {unit: '%', minimum: 0, maximum: 100}",
                   f"      - {{id: 预算执行率, max_points: 5, rule: {rule}}}\n")
    table = _table(tmp_path, [("预算执行率", "5", "", criterion)])
    ruleset, _, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    spec = ruleset.specs["预算执行率"]
    assert (spec.minimum, spec.maximum) == (0, None)
    assert ("预算执行率: the prior's maximum 100 is not taken: the criterion scores values "
            "past it") in summary
    assert evaluate(ruleset, {"预算执行率": value}).total.low == points


def test_a_prior_bound_inside_the_criterion_is_taken(tmp_path: Path) -> None:
    prior = _prior(tmp_path, "  预算执行率: {unit: '%', minimum: 0, maximum: 100}",
                   "      - {id: 预算执行率, max_points: 5, rule: {kind: bands, fact: 预算执行率, "
                   "bands: [{range: '<90', points: 0}, {range: '>=90', points: 5}]}}\n")
    table = _table(tmp_path, [("预算执行率", "5", "", "预算执行率≥90%,计5分;低于90%不得分")])
    ruleset, _, _ = _run(table, tmp_path / "out", "--names-from", str(prior))
    spec = ruleset.specs["预算执行率"]
    assert (spec.minimum, spec.maximum) == (0, 100)


def test_grades_in_points_of_another_total_are_not_taken(tmp_path: Path) -> None:
    # Last year's grades are points of a 70-point table (优 from 63, 90 %); this table is
    # worth 5: read as percents (the default basis) 63 would make 4 of 5 (80 %) 优.
    prior = tmp_path / "prior.yaml"
    prior.write_text("rubric: 1\npolicy:\n  grade_basis: points\n  total_points: 70\n"
                     "  precision: 1\n  grades:\n    - {name: 优, minimum: 63}\n"
                     "    - {name: 差, minimum: 0}\n"
                     "facts:\n  x: {type: boolean}\nindicators:\n  - id: 产出\n    children:\n"
                     "      - {id: 按时, max_points: 70, rule: {kind: boolean, fact: x, "
                     "yes_points: 70}}\n", encoding="utf-8")
    table = _table(tmp_path, [("信息公开", "5", "", "①按规定内容公开,4分;②按规定时限公开,1分")])
    ruleset, _, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    assert ruleset.policy.precision == 1  # taken
    items = [i.fact for i in _rule(ruleset, "信息公开").items]
    assert evaluate(ruleset, {items[0]: True, items[1]: False}).grade == "良"  # 80 %
    assert ("policy: the prior's grades are points of a 70-point table, this table's "
            "total is 5: not taken") in summary


def test_grades_in_points_of_the_same_total_are_taken_with_their_basis(tmp_path: Path) -> None:
    prior = tmp_path / "prior.yaml"
    prior.write_text("rubric: 1\npolicy:\n  grade_basis: points\n  total_points: 5\n"
                     "  grades:\n    - {name: 优, minimum: 4}\n    - {name: 差, minimum: 0}\n"
                     "facts:\n  x: {type: boolean}\nindicators:\n  - id: 产出\n    children:\n"
                     "      - {id: 按时, max_points: 5, rule: {kind: boolean, fact: x, "
                     "yes_points: 5}}\n", encoding="utf-8")
    table = _table(tmp_path, [("按时", "5", "", "是否按时完成,是5分,否0分")])
    ruleset, _, _ = _run(table, tmp_path / "out", "--names-from", str(prior))
    assert ruleset.policy.grade_basis == "points"
    assert evaluate(ruleset, {_rule(ruleset, "按时").fact: True}).grade == "优"


def test_a_year_elsewhere_in_the_name_is_the_dates() -> None:
    got = deadline_rule("2023年绩效目标完成时间12月31日前", "按时完成任务3分;否0分", BOOLEAN, 2024)
    assert got is not None and not isinstance(got, str)
    assert got.mapping["deadline"] == "2023-12-31"
    assert got.fact == "绩效目标完成日期"  # next year's table reads the same fact
    assert "年份取名称所写2023年" in got.readings[0]


# -- the summary in Chinese ----------------------------------------------------------------------

def test_the_summary_follows_lang_zh(tmp_path: Path) -> None:
    prior = _prior(tmp_path, "  按内容: {type: boolean, description: 按规定内容公开}\n"
                             "  按时限: {type: boolean}\n  完成投资额: {unit: 元}\n"
                             "  产值: {unit: 亿元, maximum: 1000}\n  w: {type: boolean}",
                   "      - {id: 信息公开, max_points: 5, rule: {kind: checklist, items: "
                   "[{fact: 按内容, points: 3}, {fact: 按时限, points: 2}]}}\n"
                   "      - {id: 完成投资额, max_points: 5, rule: {kind: bands, fact: 完成投资额, "
                   "bands: [{range: '<5000', points: 0}, {range: '>=5000', points: 5}]}}\n"
                   "      - {id: 高新技术产值, max_points: 2, rule: {kind: deduction, fact: 产值, "
                   "target: 600 亿元, points: 2, side: below, basis: relative, step: 10, "
                   "per_step: 1}}\n"
                   "      - {id: 质量达标, max_points: 2, rule: {kind: boolean, fact: w, "
                   "yes_points: 2}}\n")
    table = _table(tmp_path, [
        ("信息公开", "5", "", "①按规定内容公开预决算信息,3分;②按规定时限公开预决算信息,2分"),
        ("完成投资额", "5", "", "完成投资额5000以上得5分,否则不得分"),
        ("高新技术产值", "2", "", "6280000万元以上2分,每少10%扣1分"),
        ("质量达标", "3", "", "是否质量达标,是3分,否0分"),
        ("绩效目标完成时间12月31日前", "3", "", "按时完成任务3分;否0分"),
        ("绩效目标9月前完成", "3", "", "按时完成任务3分;否0分"),
        ("新增", "3", "", "看情况")], title="2023年度绩效评价")
    _, text, english = _run(table, tmp_path / "en", "--names-from", str(prior))
    _, _, chinese = _run(table, tmp_path / "zh", "--names-from", str(prior), "--lang", "zh")
    for word in ("named from", "declared from", "CONFLICT", "not renamed", "READING", "TODO",
                 "NOTE", "check ", "shape differs", "not taken", "kept the table's"):
        assert word in english
        assert word not in chinese, word
    for line in (f"沿用 {prior} 的名称：信息公开：按内容 ← 按规定内容公开预决算信息",
                 f"从 {prior} 补上声明：按内容：description 按规定内容公开",
                 f"与 {prior} 冲突：完成投资额：不沿用上年规则集的单位 元",
                 f"与 {prior} 冲突：产值：表中的 unit 万元 与上年规则集的 亿元 不同：保留表中的",
                 ("产值：不沿用上年规则集的 maximum 1000：它的单位是 亿元，"
                  "表中这个事实的单位是 万元"),
                 "质量达标：未改名：规则的形状不同（上年：boolean 2/0，本表读出：boolean 3/0）",
                 "读法（domain §3.10）：“12月31日前”含截止当日", "请核对 绩效目标9月前完成：",
                 "待人工处理 新增：", "检查 提示："):
        assert line in chinese, line
    # the files are the same in either language (their comments stay as written)
    assert (tmp_path / "zh" / "ruleset.yaml").read_text(encoding="utf-8") == text


@pytest.mark.parametrize(("name", "what", "year"), [
    ("绩效目标完成时间：12月31日前", "绩效目标", None),
    ("完成时限：2023年12月底前", "", 2023),
])
def test_a_slot_with_a_colon(name: str, what: str, year: int | None) -> None:
    found = name_deadline(name)
    assert found is not None and (found.what, found.month, found.year) == (what, 12, year)


def test_a_year_that_is_not_one_is_refused(tmp_path: Path) -> None:
    # --year 23 would date the deadline 0023-12-31: every real date would be late.
    table = tmp_path / "table.md"
    table.write_text(DEADLINE, encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as stop:
        main(["import", str(table), "-o", str(tmp_path / "out"), "--year", "23"])
    assert stop.value.code == 2
    assert "argument --year: expected a year such as 2024, got '23'" in err.getvalue()
    got = deadline_rule("绩效目标完成时间12月31日前", "按时完成任务3分;否0分", BOOLEAN, 23)
    assert isinstance(got, str) and "不是年度" in got


@pytest.mark.parametrize(("printed", "taken"), [("4.5", False), ("4", True)])
def test_a_prior_precision_below_the_printed_scores_is_not_taken(
        tmp_path: Path, printed: str, taken: bool) -> None:
    # The table prints 4.5; last year's precision 0 would score the row 5 (half-up).
    prior = tmp_path / "prior.yaml"
    prior.write_text("rubric: 1\npolicy: {precision: 0}\nfacts:\n  x: {type: boolean}\n"
                     "indicators:\n  - id: 产出\n    children:\n      - {id: 按时, max_points: 5, "
                     "rule: {kind: boolean, fact: x, yes_points: 5}}\n", encoding="utf-8")
    table = tmp_path / "table.md"
    table.write_text("| 一级指标 | 二级指标 | 三级指标 | 分值 | 评价标准 | 得分 |\n"
                     "|---|---|---|---|---|---|\n"
                     f"| 产出 | 数量 | 完成率 | 5 | 完成率×分值 | {printed} |\n", encoding="utf-8")
    ruleset, _, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    assert ruleset.policy.precision == (0 if taken else 2)
    said = "the prior's precision 0 would round off the 1 decimals the table prints"
    assert (said in summary) is not taken


def test_an_escaped_pipe_in_a_markdown_cell_stays_in_its_cell(tmp_path: Path) -> None:
    # ``\|`` (as rubric's own .md reports write a | in a cell) split the cell in two: the
    # 指标解释's second half became the 评价标准 and the row's own criterion was dropped
    from rubric.criteria.table import read_table
    table = tmp_path / "table.md"
    table.write_text("| 一级指标 | 二级指标 | 三级指标 | 分值 | 指标解释 | 评价标准 |\n"
                     "|---|---|---|---|---|---|\n"
                     "| 过程 | 预算执行 | 政府采购 | 5 | 采购\\|合规 | 是得5分，否得0分 |\n"
                     "| 过程 | 预算执行 | 公开\\| | 5 | 是否公开 | 是得5分，否得0分 |\n",
                     encoding="utf-8")
    rows = read_table(table).rows
    assert [(r.name, r.definition, r.criterion) for r in rows] == [
        ("政府采购", "采购|合规", "是得5分，否得0分"), ("公开|", "是否公开", "是得5分，否得0分")]


def test_a_markdown_title_is_all_the_text_before_the_table(tmp_path: Path) -> None:
    # The heading says 2023年度; a note line before the table says when it was filled in
    # (2024年3月): the year is not the note's — two years, so none, and the row keeps its
    # yes/no with the NOTE asking for --year.
    table = tmp_path / "table.md"
    table.write_text("# 某县2023年度部门整体支出绩效评价指标表\n\n填报日期：2024年3月15日\n\n"
                     + DEADLINE, encoding="utf-8")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["import", str(table), "-o", str(tmp_path / "out")]) == 0
    ruleset = load_ruleset(tmp_path / "out" / "ruleset.yaml")
    assert next(iter(ruleset.indicators())).rule.kind == "boolean"
    assert "没有年份" in buf.getvalue()


def test_an_id_and_a_name_that_find_two_prior_rows(tmp_path: Path) -> None:
    # The prior's row 信息公开 is named 政府信息公开; its row xxgk is named 信息公开: which
    # one the table's 信息公开 is, is not known.
    prior = _prior(tmp_path, "  按内容: {type: boolean}\n  按时限: {type: boolean}\n"
                             "  甲: {type: boolean}\n  乙: {type: boolean}",
                   "      - {id: 信息公开, name: 政府信息公开, max_points: 5, rule: {kind: "
                   "checklist, items: [{fact: 按内容, points: 3}, {fact: 按时限, points: 2}]}}\n"
                   "      - {id: xxgk, name: 信息公开, max_points: 5, rule: {kind: checklist, "
                   "items: [{fact: 甲, points: 3}, {fact: 乙, points: 2}]}}\n")
    table = _table(tmp_path, [("信息公开", "5", "", "①按规定内容公开,3分;②按规定时限公开,2分")])
    ruleset, _, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    items = [i.fact for i in _rule(ruleset, "信息公开").items]
    assert items == ["按规定内容公开", "按规定时限公开"]
    assert (f"信息公开: not renamed: {prior} has this id on row 信息公开 and this name on "
            "row xxgk") in summary


def test_a_ratio_of_two_facts_takes_the_prior_units(tmp_path: Path) -> None:
    # 完成值/指标值: no number is stated, the units cancel; the prior's 万元 are taken.
    prior = _prior(tmp_path, "  完成值: {unit: 万元, minimum: 0}\n"
                             "  指标值: {unit: 万元, minimum: 0}",
                   "      - {id: 完成率, max_points: 5, rule: {kind: ratio, actual: 完成值, "
                   "target: 指标值, points: 5}}\n")
    table = _table(tmp_path, [("完成率", "5", "", "完成值/指标值×分值")])
    ruleset, _, _ = _run(table, tmp_path / "out", "--names-from", str(prior))
    assert ruleset.specs["完成值"].unit == ruleset.specs["指标值"].unit == "万元"
    result = evaluate(ruleset, {"完成值": "30000 元", "指标值": "6 万元"})  # half
    assert result.total.low == result.total.high == 2.5
