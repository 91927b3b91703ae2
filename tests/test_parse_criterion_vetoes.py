"""parse_criterion and vetoes: a row's veto read off the last clause, the table's refused.

A criterion ending in ``…的，本项不得分`` on a yes/no condition is the rule of the rest
of the text with a row's veto beside it (``ParsedCriterion.row``); the restatement says
it and parses back to the same rule and veto; ``rubric import`` writes the veto on the
row and the draft loads and passes ``rubric check``. Vetoes of the table, vague or
numeric conditions and a veto with no rule are refused with the reason.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from rubric import RowOptions, Veto, check_ruleset, evaluate, load_ruleset, parse_criterion
from rubric.cli import main
from rubric.criteria.parse import to_json

TEXT = "按时完成得5分，否则不得分；未全部落实的，本项指标不得分"


def test_a_row_veto_is_read_beside_the_rule() -> None:
    r = parse_criterion(TEXT)
    assert r.ok, r.unparsed
    assert r.mapping == {"kind": "boolean", "fact": "按时完成", "yes_points": Decimal(5),
                         "no_points": Decimal(0)}
    assert r.row == {"veto": {"fact": "未全部落实", "text": "未全部落实的，本项指标不得分"}}
    assert r.facts == {"按时完成": {"type": "boolean"}, "未全部落实": {"type": "boolean"}}
    assert isinstance(r.rule, RowOptions)
    assert r.rule.veto == Veto("未全部落实", "未全部落实的，本项指标不得分")
    assert r.rule.rule.kind == "boolean"
    assert any("是本行的否决" in reading and "未全部落实" in reading for reading in r.readings)
    assert r.restatement == "是否按时完成，是得5分，否得0分；未全部落实的，本项指标不得分"
    assert r.as_data()["veto"] == r.row["veto"]
    ruleset = load_ruleset(to_json(r.ruleset_data()))
    assert evaluate(ruleset, {"按时完成": True, "未全部落实": False}).total.score == 5
    assert evaluate(ruleset, {"按时完成": True, "未全部落实": True}).total.score == 0


@pytest.mark.parametrize(("text", "points", "fact"), [
    (TEXT, None, "未全部落实"),
    (("资金使用合规得5分；存在违规使用资金的，每发现一处扣1分；"
      "出现重大违规的，该项指标得0分。"), None, "出现重大违规"),
    ("预算执行率×该指标分值,最高不得超过分值上限。发生重大安全事故的，该项指标得0分", 5,
     "发生重大安全事故"),
    ("预算调整率=0,计5分;0-10%(含),计4分;大于10%不得分;如出现虚报预算的，本项不得分", None,
     "出现虚报预算"),
    ("三公经费控制率≦100%,计5分;每超过一个百分点扣1分,扣完为止;存在违规列支三公经费的,本项不得分",
     None, "存在违规列支三公经费"),
    ("满意度≥90%得满分，否则不得分。\n出现重大安全事故的，本项不得分。", 3, "出现重大安全事故"),
])
def test_the_restatement_round_trip_keeps_the_veto(text: str, points: int | None,
                                                   fact: str) -> None:
    r = parse_criterion(text, points=points)
    assert r.ok, r.unparsed
    assert r.row["veto"]["fact"] == fact and r.facts[fact] == {"type": "boolean"}
    assert r.restatement is not None and r.restatement.endswith(r.row["veto"]["text"])
    again = parse_criterion(r.restatement, points=points)
    assert again.mapping == r.mapping and again.row == r.row and again.rule == r.rule
    ruleset = load_ruleset(to_json(r.ruleset_data()))
    assert not [f for f in check_ruleset(ruleset) if f.severity == "error" and f.code != "total"]


def test_the_veto_keeps_the_clause_as_printed() -> None:
    r = parse_criterion("满意度≥90%得满分，否则不得分。\n出现重大安全事故的，本项不得分。",
                        points=3)
    assert r.row["veto"]["text"] == "出现重大安全事故的，本项不得分"


@pytest.mark.parametrize(("text", "reason"), [
    ("满意度≥90%得满分，否则不得分；视情况严重的，本项不得分",
     "否决条件需要评价人判断（“视情况”）"),
    ("满意度≥90%得满分，否则不得分；低于60%的，本项不得分", "不是是否：不能读成否决"),
    ("满意度≥90%得满分，否则不得分；出现两次以上的，本项不得分", "不是是否：不能读成否决"),
    ("出现重大安全事故的，本项不得分", "除否决（“出现重大安全事故的，本项不得分”）外没有评分规则"),
    ("满意度≥90%得满分，否则不得分；出现重大安全事故的，总分计0分", "“总分计0分”是整张表的否决"),
    ("满意度≥90%得满分，否则不得分；审计发现重大问题的，不得评为优", "“不得评为优”是整张表的否决"),
    ("出现重大安全事故的，本项不得分，并实行一票否决", "文中也没有写否决的后果"),
    ("每迟报半天扣0.5分,扣完为止,影响全省上报的取消评比资格", "“取消评比资格”是整张表的否决"),
])
def test_what_is_no_rows_veto_is_refused_with_the_reason(text: str, reason: str) -> None:
    r = parse_criterion(text, points=5)
    assert r.rule is None and r.unparsed is not None and reason in r.unparsed, r.unparsed


@pytest.mark.parametrize(("text", "effect"), [
    ("满意度≥90%得5分，否则不得分；出现重大安全事故的，总分计0分", "zero"),
    ("满意度≥90%得5分，否则不得分；审计发现重大问题的，不得评为优", "grade"),
    ("出现重大安全事故的，本项不得分，并实行一票否决", "zero"),
])
def test_a_table_veto_shows_the_vetoes_yaml_that_loads(text: str, effect: str) -> None:
    reason = parse_criterion(text).unparsed
    assert reason is not None
    vetoes = re.search(r"vetoes: \[\{.*?\}\]", reason)
    facts = re.search(r"facts: \{.*\}\}", reason)
    assert vetoes and facts, reason
    doc = {**yaml.safe_load(vetoes.group(0)), **yaml.safe_load(facts.group(0))}
    assert doc["vetoes"][0]["effect"] == effect
    doc["facts"]["满意度"] = {"unit": "%"}
    doc["indicators"] = [{"id": "满意度", "rule": {"kind": "bands", "fact": "满意度",
                                                 "bands": [{"range": "≥90", "points": 5},
                                                           {"range": "<90", "points": 0}]}}]
    ruleset = load_ruleset(to_json({"rubric": 1, **doc}))
    assert len(ruleset.vetoes) == 1


@pytest.mark.parametrize("text", [
    "按时完成得5分，否则本项不得分",              # 否则: the rule's own other values
    "按时完成得5分，否则，本项不得分",
    "按时完成得5分，未按时完成的，本项不得分",     # the other branch of the rule's condition
])
def test_the_rules_own_other_branch_is_no_veto(text: str) -> None:
    r = parse_criterion(text)
    assert r.row == {} and r.mapping == {"kind": "boolean", "fact": "按时完成",
                                         "yes_points": Decimal(5), "no_points": Decimal(0)}


def test_the_negated_state_is_the_rules_own_state_not_a_veto() -> None:
    r = parse_criterion("制度健全得5分，制度不健全的，本项不得分")
    assert r.row == {} and r.mapping is not None
    assert [s["value"] for s in r.mapping["states"]] == ["制度健全", "制度不健全"]
    r = parse_criterion("未发生安全事故得5分；发生安全事故的，本项不得分")
    assert r.row == {} and r.mapping is not None and r.mapping["kind"] == "categorical"


@pytest.mark.parametrize(("text", "reason"), [
    ("好得5分，一般得3分，差的，本项不得分", "太短，读不出是否决还是又一个状态"),
    ("好得5分，一般得3分，表现较差的，本项不得分", "可能是状态之一，也可能是否决"),
])
def test_a_last_clause_that_may_be_a_state_is_refused(text: str, reason: str) -> None:
    r = parse_criterion(text)
    assert r.unparsed is not None and reason in r.unparsed, r.unparsed


def test_a_checklist_with_a_rows_veto() -> None:
    r = parse_criterion("①制度健全（2分）；②执行到位（3分）；未提供佐证材料的，本项不得分")
    assert r.mapping is not None and r.mapping["kind"] == "checklist"
    assert r.row == {"veto": {"fact": "未提供佐证材料", "text": "未提供佐证材料的，本项不得分"}}
    again = parse_criterion(r.restatement or "")
    assert again.mapping == r.mapping and again.row == r.row


def test_import_writes_the_rows_veto_and_the_draft_checks(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "t.md"
    table.write_text(
        "| 一级指标 | 二级指标 | 三级指标 | 分值 | 评价标准 |\n"
        "|---|---|---|---|---|\n"
        f"| 过程(15分) | 任务 | 整改落实 | 5 | {TEXT} |\n"
        "| | | 安全生产 | 5 | 满意度≥90%得满分，否则不得分；出现重大安全事故的，本项不得分 |\n"
        "| | | 安全管理 | 5 | 制度健全得5分，否则不得分；出现重大安全事故的，本项不得分 |\n",
        encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import", str(table), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "3 rows: 3 parsed, 0 need a person" in printed, printed
    data = yaml.safe_load((out / "ruleset.yaml").read_text(encoding="utf-8"))
    rows = {r["id"]: r for r in data["indicators"][0]["children"][0]["children"]}
    assert rows["整改落实"]["veto"] == {"fact": "未全部落实",
                                    "text": "未全部落实的，本项指标不得分"}
    assert rows["安全生产"]["veto"]["fact"] == "出现重大安全事故"
    # Two rows with the same words assess two things: the second's condition is its own.
    assert rows["安全管理"]["veto"]["fact"] == "安全管理·出现重大安全事故"
    for fact in ("未全部落实", "出现重大安全事故", "安全管理·出现重大安全事故"):
        assert data["facts"][fact] == {"type": "boolean"}
    ruleset = load_ruleset(out / "ruleset.yaml")
    assert all(isinstance(row.rule, RowOptions) for row in ruleset.indicators())
    assert not [f for f in check_ruleset(ruleset) if f.severity == "error"]
    assert main(["check", str(out / "ruleset.yaml")]) == 0
    skeleton = (out / "facts.yaml").read_text(encoding="utf-8")
    assert "未全部落实:" in skeleton and "安全管理·出现重大安全事故:" in skeleton


def test_cli_parse_prints_the_rows_veto(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", TEXT]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert data["veto"] == {"fact": "未全部落实", "text": "未全部落实的，本项指标不得分"}
    assert data["facts"]["未全部落实"] == {"type": "boolean"}
