"""Mid-year monitoring (绩效运行监控): the seed ruleset scoring a unit's facts at a
checkpoint; a deadline row before the checkpoint settled, after it open; rows at risk."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rubric import evaluate, load_ruleset, monitor
from rubric.cli import main
from rubric.errors import RubricError
from rubric.monitor import parse_checkpoint

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023"
RULESET = SEED / "ruleset.yaml"
ROW = "绩效目标按时完成"  # deadline 2023-12-31, 3 points, late 0

FULL: dict[str, Any] = {
    "预算调整数": 0, "预算数": 100, "基本支出实际支出": 100, "基本支出年度总预算": 100,
    "项目支出实际支出": 100, "项目支出年度总预算": 100, "资金结余情况": "无结余",
    "分项目核算结余结转": True, "三公经费实际支出数": 100, "三公经费预算安排数": 100,
    "已制定管理制度": True, "管理制度合法合规完整": True, "项目支出分项目单独核算": True,
    "按规定内容公开": True, "按规定时限公开": True, "政府采购执行": True,
    "已制定资产管理制度": True, "资产管理制度合法合规完整": True, "供养人数": 131,
    "规模工业增加值增长率": "8%", "新增规模工业企业": 20, "新增高新技术企业": 15,
    "新增国家级专精特新小巨人企业": 1, "新增省级专精特新小巨人企业": 3, "高新技术产值": "628 亿元",
    "选派科技特派员": 100, "四G和光纤宽带自然村全覆盖": True, "完成工作任务促进县域经济发展": True,
    "社会稳定环境良好": True, "推广生态技术促进环境改善": True, "服务对象满意度": "90%",
    "绩效目标完成日期": "2023-06-30",
}


@pytest.fixture(scope="module")
def ruleset() -> Any:
    return load_ruleset(RULESET)


def _without(*names: str, **changes: Any) -> dict[str, Any]:
    facts = {k: v for k, v in FULL.items() if k not in names}
    facts.update(changes)
    return facts


@pytest.mark.parametrize(("text", "year", "day"), [
    ("7月", 2023, "2023-07-31"), ("11月", 2023, "2023-11-30"), ("12月", 2023, "2023-12-31"),
    ("2月", 2024, "2024-02-29"), ("7月末", 2023, "2023-07-31"), ("7", 2023, "2023-07-31"),
    ("2024-07", None, "2024-07-31"), ("2024年7月", None, "2024-07-31"),
    ("2024-07-15", None, "2024-07-15"), ("2024年7月15日", 2023, "2024-07-15"),
])
def test_checkpoints(text: str, year: int | None, day: str) -> None:
    assert parse_checkpoint(text, year).isoformat() == day


@pytest.mark.parametrize(("text", "year", "message"), [
    ("7月", None, "which year"), ("13月", 2023, "not a date"), ("下半年", 2023, "not a date"),
    ("2024-02-30", None, "not a date"),
])
def test_bad_checkpoints(text: str, year: int | None, message: str) -> None:
    with pytest.raises(RubricError, match=message):
        parse_checkpoint(text, year)


def test_a_deadline_after_the_checkpoint_is_open(ruleset: Any) -> None:
    p = monitor(ruleset, _without("绩效目标完成日期"), "7月")  # the seed's fiscal_year 2023
    assert p.checkpoint == dt.date(2023, 7, 31)
    row = next(r for r in p.rows if r.id == ROW)
    assert (row.low, row.high, row.status, row.missing) == (0, 3, "open", ("绩效目标完成日期",))
    assert p.result.low == 97 and p.result.high == 100 and p.result.grades == ("优",)
    assert p.at_risk == ()


@pytest.mark.parametrize("when", ["9999-12", "9999-12-31", "9990-01-01"])
def test_a_checkpoint_at_the_end_of_the_calendar_is_no_overflow(ruleset: Any, when: str) -> None:
    # the days tried after the checkpoint (a day, 20 years) overflowed: an internal error
    p = monitor(ruleset, _without("绩效目标完成日期"), when)
    assert p.checkpoint.year in (9990, 9999)
    row = next(r for r in p.rows if r.id == ROW)
    assert row.status == "at_risk"  # the deadline (2023-12-31) passed long before


def test_a_deadline_before_the_checkpoint_not_met_is_settled_late(ruleset: Any) -> None:
    p = monitor(ruleset, _without("绩效目标完成日期"), "2024-01-10")
    row = next(r for r in p.rows if r.id == ROW)
    assert (row.low, row.high, row.status, row.missing) == (0, 0, "at_risk", ())
    assert row.lost and [r.id for r in p.at_risk] == [ROW]
    # exactly the score of finishing any day after the checkpoint
    assert p.result.score == evaluate(ruleset, _without(绩效目标完成日期="2024-01-11")).score == 97
    assert p.result.grade == "优"


def test_a_date_after_the_checkpoint_has_not_happened(ruleset: Any) -> None:
    p = monitor(ruleset, _without(绩效目标完成日期="2023-11-30"), "7月")
    assert p.future == ("绩效目标完成日期",)
    row = next(r for r in p.rows if r.id == ROW)
    assert (row.low, row.high, row.status) == (0, 3, "open")
    done = monitor(ruleset, _without(绩效目标完成日期="2023-06-30"), "7月")
    assert done.future == ()
    assert next(r for r in done.rows if r.id == ROW).status == "full"
    assert done.result.score == 100 and all(r.status == "full" for r in done.rows)


def test_a_completion_month_after_the_checkpoint_has_not_happened(ruleset: Any) -> None:
    p = monitor(ruleset, _without(绩效目标完成日期="2023年11月"), "7月")
    assert p.future == ("绩效目标完成日期",)
    assert next(r for r in p.rows if r.id == ROW).status == "open"
    done = monitor(ruleset, _without(绩效目标完成日期="2023-06"), "7月")
    assert done.future == ()


def test_rows_at_risk_are_those_whose_high_end_is_below_full_marks(ruleset: Any) -> None:
    # 服务对象满意度 87% (0 of 3 lost already), 预算调整数 missing (预算调整率 open 0–5),
    # 选派科技特派员 missing (open), 新增规模工业企业 17 (15 % short: one whole step of
    # 10 %, 4 of 5)
    facts = _without("预算调整数", "选派科技特派员", 服务对象满意度="87%", 新增规模工业企业=17)
    p = monitor(ruleset, facts, "7月", year=2023)
    status = {r.id: r.status for r in p.rows}
    assert status["服务对象满意度"] == "at_risk" and status["新增规模工业企业"] == "at_risk"
    assert status["预算调整率"] == "open" and status["选派科技特派员"] == "open"
    assert status[ROW] == "full"
    assert {r.id for r in p.at_risk} == {"服务对象满意度", "新增规模工业企业"}
    assert p.counts() == {"rows": 25, "full": 21, "open": 2, "at_risk": 2, "lost": 2}
    # the projection's rows and total are evaluate's own where no date is open
    plain = evaluate(ruleset, facts)
    assert (p.result.low, p.result.high) == (plain.low, plain.high)
    for r in p.rows:
        node = plain[r.id]
        assert (r.low, r.high, r.max_points) == (node.low, node.high, node.max_points)
        assert r.at_risk == (node.high < node.max_points)


def test_an_open_date_and_a_missing_fact_combine(ruleset: Any) -> None:
    facts = _without("绩效目标完成日期", "预算调整数")
    p = monitor(ruleset, facts, "2024-03-31")
    # the deadline row is settled at 0 (late), 预算调整率 still 0–5: 92–97
    assert (p.result.low, p.result.high) == (Decimal(92), Decimal(97))
    assert p.result.grades == ("优",)
    total = p.result.total
    assert total.missing == ("预算调整数",)


def test_text_json_and_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("服务对象满意度: 87%\n绩效目标完成日期: 2023-12-20\n", encoding="utf-8")
    assert main(["score", str(RULESET), str(facts), "--checkpoint", "7月"]) == 0
    out = capsys.readouterr().out
    assert "绩效运行监控（截至 2023-07-31）" in out
    assert "有风险的行（最高可得分低于分值）：" in out
    assert "- 服务对象满意度：最高 0 / 3 分（已定）" in out
    assert "晚于截至日的日期视为尚未发生：绩效目标完成日期" in out
    assert main(["score", str(RULESET), str(facts), "--checkpoint", "2023-07-31", "--lang",
                 "en"]) == 0
    out = capsys.readouterr().out
    assert "Monitoring at 2023-07-31" in out and "- 服务对象满意度: at most 0 of 3 (settled)" in out
    assert main(["score", str(RULESET), str(facts), "--checkpoint", "7月", "--format",
                 "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["monitor"]["checkpoint"] == "2023-07-31"
    assert data["monitor"]["at_risk"] == ["服务对象满意度"]
    assert data["monitor"]["future"] == ["绩效目标完成日期"]
    assert data["format"] == "rubric.result/1"
    row = next(r for r in data["monitor"]["rows"] if r["id"] == ROW)
    assert (row["low"], row["high"], row["status"]) == ("0", "3", "open")
    assert main(["score", str(RULESET), "--batch", str(facts), "--checkpoint", "7月"]) == 2
    assert main(["score", str(RULESET), str(facts), "--checkpoint", "下半年"]) == 1
    assert "not a date or a month" in capsys.readouterr().err
