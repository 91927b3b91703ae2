"""A deadline row named by its 指标 name: ``…完成时间12月31日前`` with ``按时完成任务3分``."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rubric import evaluate, load_ruleset
from rubric.cli import main
from rubric.criteria.deadline_names import (
    DeadlineRule,
    deadline_rule,
    name_deadline,
    on_time,
    title_year,
)

BOOLEAN = {"kind": "boolean", "fact": "按时完成", "yes_points": Decimal(3),
           "no_points": Decimal(0)}


@pytest.mark.parametrize(("name", "what", "month", "day", "year"), [
    ("绩效目标完成时间12月31日前", "绩效目标", 12, 31, None),
    ("绩效目标完成时间 12 月 31 日前", "绩效目标", 12, 31, None),
    ("项目完成时限6月30日之前", "项目", 6, 30, None),
    ("项目验收12月底前完成", "项目验收", 12, None, None),
    ("2024年6月30日前完成验收", "验收", 6, 30, 2024),
    ("绩效目标完成时间2023年12月31日前", "绩效目标", 12, 31, 2023),
])
def test_names_that_state_a_completion_date(name: str, what: str, month: int,
                                            day: int | None, year: int | None) -> None:
    found = name_deadline(name)
    assert found is not None
    assert (found.what, found.month, found.day, found.year) == (what, month, day, year)


@pytest.mark.parametrize("name", ["绩效目标按时完成", "资金12月31日前到位", "完成时间",
                                  "12月31日前", "12月31日前完成或6月30日前完成"])
def test_names_that_state_none(name: str) -> None:
    assert name_deadline(name) is None


@pytest.mark.parametrize(("text", "bare"), [
    ("按时完成任务 3 分; 否 0 分", True),
    ("按时完成任务3分", True),
    ("是否按时完成,是3分,否0分", True),
    ("按期完成得3分；未按期完成得0分", True),
    ("是否完成工作任务,是3分,否0分", False),    # not 按时
    ("按时完成且质量达标3分;否0分", False),     # more than on time
    ("2023年12月31日前按时完成3分", False),      # its own date
])
def test_a_bare_on_time_criterion(text: str, bare: bool) -> None:
    assert on_time(text) is bare


@pytest.mark.parametrize(("title", "year"), [
    ("2023年度部门整体支出绩效评价指标表", 2023),
    ("湘潭县科技和工业信息化局 2023 年 部门整体支出绩效评价指标完成情况表", 2023),
    ("部门整体支出绩效评价指标完成情况表", None),
    ("2023—2024年度项目绩效评价指标表", None),   # two years: which one?
    ("", None),
])
def test_the_title_year(title: str, year: int | None) -> None:
    assert title_year(title) == year


def test_the_rule() -> None:
    got = deadline_rule("绩效目标完成时间12月31日前", "按时完成任务3分;否0分", BOOLEAN, 2023)
    assert isinstance(got, DeadlineRule)
    assert got.fact == "绩效目标完成日期"
    assert got.mapping == {"kind": "deadline", "fact": "绩效目标完成日期",
                           "deadline": "2023-12-31", "points": 3, "late_points": 0,
                           "inclusive": True}
    assert any("§3.10" in r and "inclusive: true" in r for r in got.readings)
    end = deadline_rule("项目验收2月底前完成", "按时完成3分", BOOLEAN, 2024)
    assert isinstance(end, DeadlineRule) and end.mapping["deadline"] == "2024-02-29"


@pytest.mark.parametrize(("name", "year", "why"), [
    ("绩效目标完成时间12月31日前", None, "没有年份"),
    ("绩效目标9月前完成", 2023, "不明确"),
    ("绩效目标完成时间2月30日前", 2023, "不是日历上的日期"),
])
def test_a_date_that_cannot_be_read_keeps_the_yes_no(name: str, year: int | None,
                                                      why: str) -> None:
    got = deadline_rule(name, "按时完成任务3分;否0分", BOOLEAN, year)
    assert isinstance(got, str) and why in got


def test_other_rows_stay_as_parsed() -> None:
    assert deadline_rule("绩效目标按时完成", "按时完成任务3分;否0分", BOOLEAN, 2023) is None
    assert deadline_rule("绩效目标完成时间12月31日前", "是否完成工作任务,是3分,否0分",
                         BOOLEAN, 2023) is None
    bands = {"kind": "bands", "fact": "x", "bands": []}
    assert deadline_rule("绩效目标完成时间12月31日前", "按时完成任务3分;否0分", bands,
                         2023) is None


HEAD = ("| 一级指标 | 二级指标 | 三级指标 | 分值 | 评价标准 |\n|---|---|---|---|---|\n"
        "| 产出 | 时效 | 绩效目标完成时间12月31日前 | 3 | 按时完成任务3分;否0分 |\n"
        "| 产出 | 时效 | 资金到位及时性 | 2 | 按时完成2分 |\n")


def _import(tmp_path: Path, title: str, *options: str) -> tuple[Any, str, str]:
    table = tmp_path / "table.md"
    table.write_text((f"# {title}\n\n" if title else "") + HEAD, encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["import", str(table), "-o", str(tmp_path / "out"), *options]) == 0
    text = (tmp_path / "out" / "ruleset.yaml").read_text(encoding="utf-8")
    return load_ruleset(tmp_path / "out" / "ruleset.yaml"), text, out.getvalue()


def _first(ruleset: Any) -> Any:
    return next(iter(ruleset.indicators())).rule


def test_import_with_the_title_year(tmp_path: Path) -> None:
    ruleset, text, summary = _import(tmp_path, "某县2023年度部门整体支出绩效评价指标表")
    rule = _first(ruleset)
    assert (rule.kind, rule.fact, rule.deadline, rule.inclusive) == (
        "deadline", "绩效目标完成日期", dt.date(2023, 12, 31), True)
    assert ruleset.specs["绩效目标完成日期"].type == "date"
    assert "# READING (domain §3.10): “12月31日前”含截止当日（inclusive: true）" in text
    assert "年份取表头年度2023年" in summary
    on_the_day = evaluate(ruleset, {"绩效目标完成日期": "2023-12-31"})
    late = evaluate(ruleset, {"绩效目标完成日期": "2024-01-01"})
    assert on_the_day.total.children[0].children[0].children[0].low == 3
    assert late.total.children[0].children[0].children[0].low == 0
    # The row whose name states no date stays a yes/no.
    assert list(ruleset.indicators())[1].rule.kind == "boolean"


def test_import_with_year_option(tmp_path: Path) -> None:
    ruleset, _, _ = _import(tmp_path, "", "--year", "2025")
    assert _first(ruleset).deadline == dt.date(2025, 12, 31)


def test_import_without_a_year_keeps_the_yes_no(tmp_path: Path) -> None:
    ruleset, text, summary = _import(tmp_path, "部门整体支出绩效评价指标表")
    assert _first(ruleset).kind == "boolean"
    assert "NOTE 绩效目标完成时间12月31日前: 名称写了完成日期“12月31日前”但没有年份" in summary
    assert "--year" in summary
    assert "# TODO: 名称写了完成日期“12月31日前”但没有年份" in text
