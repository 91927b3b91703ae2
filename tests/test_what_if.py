"""``rubric.what_if``: every reported change is checked by scoring again.

For every change the tests re-evaluate the ruleset with the changed fact (``evaluate``,
the public path; a derived fact through the engine's row scoring) and assert that the
row reaches exactly the score reported, and that a change one step smaller does not (one
day for a date, 1 for a count, 1e-9 for an exact number, ``RESOLUTION`` for a rounded one;
for an open bound: the bound itself does not reach it, just past it does).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rubric import WhatIf, evaluate, load_facts, load_ruleset, what_if
from rubric.cli import main
from rubric.service.result_schema import result_schema
from rubric.text import fmt
from rubric.tree import Indicator, Ruleset
from rubric.whatif import RESOLUTION, Change, result_dict
from rubric.whatif.search import RowModel
from test_rule_forms import SUM

ROOT = Path(__file__).resolve().parents[1]
EVERY = ROOT / "tests" / "data" / "every_kind.yaml"
SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023"
EPS = Decimal("1e-9")

BASE: dict[str, Any] = {"人数": 120, "问题数": 3, "公开": False, "按时": False, "结余": "有",
                        "系数": "76%", "完成日期": "2024-10-05", "评分": 7}
EVERY_FACTS = {
    "next band closed, reverse ratio": {**BASE, "支出": 115, "预算": 100},
    "next band open (<120)": {**BASE, "支出": 125, "预算": 100},
    "constant ratio": {**BASE, "支出": 1150, "预算": 1000},
    "formula, deduction far out": {**BASE, "支出": 115, "预算": 100, "人数": 50},
    # a tier chosen (定档: 部分达成, 4.8-6.4 of 8) and a band's score range (区间分值:
    # 系数 40%, 0-6 of 9): the rows are ranges, the evaluator picks the score in the band
    "a tier chosen, a score range": {**BASE, "支出": 115, "预算": 100, "完成档次": "部分达成",
                                     "系数": "40%"},
}
SEED_FULL: dict[str, Any] = {
    "预算调整数": 5, "预算数": 100, "基本支出实际支出": 100, "基本支出年度总预算": 100,
    "项目支出实际支出": 112, "项目支出年度总预算": 100, "资金结余情况": "未超过上年结余",
    "分项目核算结余结转": True, "三公经费实际支出数": 3.63, "三公经费预算安排数": 3.6,
    "已制定管理制度": True, "管理制度合法合规完整": False, "项目支出分项目单独核算": True,
    "按规定内容公开": True, "按规定时限公开": True, "政府采购执行": True,
    "已制定资产管理制度": True, "资产管理制度合法合规完整": True, "供养人数": 120,
    "规模工业增加值增长率": "10.3%", "新增规模工业企业": 34, "新增高新技术企业": 12,
    "新增国家级专精特新小巨人企业": 1, "新增省级专精特新小巨人企业": 2, "高新技术产值": 560,
    "选派科技特派员": 111, "四G和光纤宽带自然村全覆盖": True, "绩效目标完成日期": "2024-01-15",
    "完成工作任务促进县域经济发展": True, "社会稳定环境良好": True,
    "推广生态技术促进环境改善": True, "服务对象满意度": "88%",
}


def _given(ruleset: Ruleset, name: str, value: object) -> object:
    if type(value) is Decimal and ruleset.specs[name].unit == "%":
        return fmt(value) + "%"
    return value


def _row(ruleset: Ruleset, row_id: str) -> Indicator:
    node = ruleset.node(row_id)
    assert isinstance(node, Indicator)
    return node


def _span(ruleset: Ruleset, facts: dict[str, Any], row_id: str, fact: str,
          value: object) -> tuple[Decimal, Decimal] | None:
    """The row's (low, high) with ``fact`` set to ``value``, scored again from scratch
    (a range: the evaluator picks the score inside a band)."""
    if fact in dict(ruleset.derived):  # a derived fact cannot be given: the engine's row
        result = evaluate(ruleset, facts)
        return RowModel(result, _row(ruleset, row_id)).outcome(fact, value)
    try:
        result = evaluate(ruleset, {**facts, fact: _given(ruleset, fact, value)})
    except Exception:  # noqa: BLE001 - a value the ruleset refuses reaches nothing
        return None
    node = result[row_id]
    return None if node.missing or not node.applicable else (node.low, node.high)


def _score(ruleset: Ruleset, facts: dict[str, Any], row_id: str, fact: str,
           value: object) -> Decimal | None:
    """The row's score (a range: its low end) with ``fact`` set to ``value``."""
    got = _span(ruleset, facts, row_id, fact, value)
    return None if got is None else got[0]


def _part(ruleset: Ruleset, facts: dict[str, Any], row_id: str, number: int, fact: str,
          value: object) -> tuple[Decimal, Decimal] | None:
    """Part ``number`` of a sum row, (low, high), from the trace of a fresh evaluation."""
    try:
        result = evaluate(ruleset, {**facts, fact: _given(ruleset, fact, value)})
    except Exception:  # noqa: BLE001
        return None
    steps = [s for s in result[row_id].trace if s.type == "part"]
    step: Any = next(s for s in steps if s.number == number)  # type: ignore[attr-defined]
    return step.low, step.high


def _kinds(rule: Any) -> set[str]:
    return {rule.kind, *(k for p in getattr(rule, "rules", ()) for k in _kinds(p))}


def _step(ruleset: Ruleset, row_id: str, change: Change) -> object:
    if isinstance(change.new, dt.date):
        return dt.timedelta(days=1)
    if "per_occurrence" in _kinds(_row(ruleset, row_id).rule):
        return Decimal(1)
    return EPS if change.exact else RESOLUTION


def _verify(ruleset: Ruleset, facts: dict[str, Any], row_id: str, change: Change) -> None:
    """The change gives exactly ``change.span`` (the row's (low, high)); one step less (or
    the open bound itself) gives less (ranges ordered by their low end, then their high
    end). In a sum row the part's own (low, high) is checked the same way."""
    def at(value: object) -> tuple[Decimal, Decimal] | None:
        return _span(ruleset, facts, row_id, change.fact, value)

    def part_at(value: object) -> tuple[Decimal, Decimal] | None:
        assert change.part is not None
        return _part(ruleset, facts, row_id, change.part, change.fact, value)

    checks = [(at, change.span)]
    if change.part is not None:
        assert change.part_points is not None
        checks.append((part_at, change.part_points))
    for got_at, span in checks:
        if isinstance(change.new, (bool, str)):
            assert got_at(change.new) == span, change
            old = got_at(change.old)
            assert old is not None and old < span, change
            continue
        step: Any = _step(ruleset, row_id, change)
        up = change.up
        before = change.new - step if up else change.new + step  # type: ignore[operator]
        beyond = change.new + step if up else change.new - step  # type: ignore[operator]
        if change.open:
            got = got_at(change.new)
            assert got is None or got < span, change
            assert got_at(beyond) == span, change
        else:
            assert got_at(change.new) == span, change
            got = got_at(before)
            assert got is None or got < span, (change, got)


@pytest.fixture(scope="module")
def every() -> Ruleset:
    return load_ruleset(EVERY)


@pytest.mark.parametrize("name", list(EVERY_FACTS))
def test_every_change_reaches_exactly_its_band(every: Ruleset, name: str) -> None:
    facts = EVERY_FACTS[name]
    w = what_if(evaluate(every, facts))
    assert isinstance(w, WhatIf)
    checked = 0
    for row in w.rows:
        for change in row.changes:
            _verify(every, facts, row.id, change)
            checked += 1
    assert checked


def test_every_rule_kind_gets_a_change(every: Ruleset) -> None:
    kinds: set[str] = set()
    for facts in EVERY_FACTS.values():
        for row in what_if(evaluate(every, facts)).rows:
            if row.changes:
                kinds.add(_row(every, row.id).rule.kind)
    assert kinds == {"bands", "deduction", "per_occurrence", "boolean", "checklist",
                     "categorical", "ratio", "coefficient", "deadline", "qualitative",
                     "formula", "sum", "tier"}


def _changes(w: WhatIf, row_id: str) -> list[tuple[str, str, str, str, bool]]:
    row = next(r for r in w.rows if r.id == row_id)
    return [(c.target, c.fact, fmt(c.new), fmt(c.points), c.open) for c in row.changes]


def test_the_numbers_of_every_kind(every: Ruleset) -> None:
    w = what_if(evaluate(every, EVERY_FACTS["next band closed, reverse ratio"]))
    assert _changes(w, "区间") == [
        ("next", "执行率", "111", "3", False),  # the point band =111
        ("next", "支出", "111", "3", False),
        ("full", "执行率", "100", "5", False),
        ("full", "支出", "100", "5", False),
        ("full", "预算", "115", "5", False),
    ]
    # 131 ± 2% tolerance, steps of 5% of 131 (6.55) at 0.5, a started step counts
    assert _changes(w, "扣分") == [("next", "人数", "121.83", "2.5", False),
                                   ("full", "人数", "128.38", "3", False)]
    # per_occurrence awards a continuum (achievable: None): full marks only
    assert _changes(w, "每例") == [("full", "问题数", "0", "4", False)]
    assert _changes(w, "是否") == [("full", "公开", "是", "5", False)]
    assert _changes(w, "分类") == [("full", "结余", "无", "5", False)]
    assert _changes(w, "系数") == [("full", "系数", "100", "10", False)]
    assert _changes(w, "期限") == [("full", "完成日期", "2024-09-30", "3", False)]
    assert _changes(w, "定性") == [("full", "评分", "10", "10", False)]
    open_ = what_if(evaluate(every, EVERY_FACTS["next band open (<120)"]))
    assert _changes(open_, "区间")[:2] == [("next", "执行率", "120", "2", True),
                                           ("next", "支出", "120", "2", True)]
    text = open_.text()
    assert "执行率 125% → 低于 120%（变动须大于 -5 个百分点）可得 2 分（下一档）" in text
    assert ("执行率 125% → below 120% (a change of more than -5 percentage points) gives "
            "the next band, 2 points") in open_.text("en")


def test_a_threshold_that_is_no_short_decimal_is_rounded_away(tmp_path: Path) -> None:
    ruleset = load_ruleset("""
rubric: 1
metadata: {id: t, name: t}
policy: {precision: 2}
facts:
  x: {minimum: 0, maximum: 100}
root: {id: r, name: r}
indicators:
  - {id: f, name: f, rule: {kind: formula, expression: "x * 7 / 3", points: 10, direction: higher}}
""")
    facts = {"x": 1}
    w = what_if(evaluate(ruleset, facts))
    (change,) = w.rows[0].changes
    assert not change.exact and change.new == Decimal("4.2836")  # 9.995 * 3 / 7 = 4.28357…
    _verify(ruleset, facts, "f", change)


def test_missing_facts_show_which_values_give_which_scores() -> None:
    ruleset = load_ruleset(SEED / "ruleset.yaml")
    result = evaluate(ruleset, load_facts(SEED / "facts.yaml", ruleset))
    w = what_if(result)
    rows = {r.id: r for r in w.rows}
    pieces = [(p.values, fmt(p.low), fmt(p.high)) for p in rows["服务对象满意度"].pieces]
    assert pieces == [("[0, 87]", "0", "0"), ("(87, 88]", "1", "1"), ("(88, 89]", "2", "2"),
                      ("(89, 100]", "3", "3")]
    deadline = [p.values for p in rows["绩效目标按时完成"].pieces]
    assert deadline == ["≤2023-12-31", "≥2024-01-01"]
    checked = 0
    for row in w.rows:
        for piece in row.pieces:
            for value in _inside(ruleset, piece.fact, piece.values):
                got = _score(ruleset, dict(result.facts), row.id, piece.fact, value)
                assert got is not None and piece.low <= got <= piece.high, (piece, value, got)
                checked += 1
    assert checked > 50
    assert "总分未定" in w.text()


def _inside(ruleset: Ruleset, fact: str, text: str) -> list[object]:
    """A few values inside a piece's interval text."""
    spec = ruleset.specs[fact]

    def num(s: str) -> Any:
        return dt.date.fromisoformat(s) if spec.type == "date" else Decimal(s)

    def shift(v: Any, d: int) -> Any:
        return v + dt.timedelta(days=d) if spec.type == "date" else v + d * Decimal("0.001")

    if spec.type in ("boolean", "category"):
        return [{"是": True, "否": False}.get(text, text)]
    if text.startswith("="):
        return [num(text[1:])]
    m = re.fullmatch(r"([\[(])(.+), (.+)([\])])", text)
    if m:
        a, b = num(m[2]), num(m[3])
        return [v for v, ok in ((a, m[1] == "["), (b, m[4] == "]"), (shift(a, 1), True),
                                (shift(b, -1), True)) if ok]
    m = re.fullmatch(r"(≤|<|≥|>)(.+)", text)
    assert m, text
    v = num(m[2])
    if m[1] in "≤≥":
        return [v, shift(v, -1 if m[1] == "≤" else 1)]
    return [shift(v, -1 if m[1] == "<" else 1)]


def test_the_seed_rows_and_the_way_to_the_next_grade() -> None:
    ruleset = load_ruleset(SEED / "ruleset.yaml")
    result = evaluate(ruleset, SEED_FULL)
    assert (fmt(result.score), result.grade) == ("82", "良")
    w = what_if(result)
    for row in w.rows:
        for change in row.changes:
            _verify(ruleset, SEED_FULL, row.id, change)
    text = w.text()
    assert "服务对象满意度 88% → 超过 89%（变动须大于 +1 个百分点）可得满分 3 分" in text
    assert ("项目支出实际支出 112 万元 → 110 万元（-2 万元）可得 4 分（下一档）"
            "（使 项目支出预算控制率 达到 110%，其他不变）") in text
    plan = w.grade
    assert plan is not None and plan.next_grade == "优" and plan.threshold == 90
    assert plan.reachable and plan.reached_grade == "优"
    # the plan, applied, scores what it says
    facts = dict(SEED_FULL)
    for _row_id, change in plan.steps:
        facts[change.fact] = _given(ruleset, change.fact, change.concrete())
    again = evaluate(ruleset, facts)
    assert again.score == plan.reached and again.score >= 90 and again.grade == "优"
    assert "总分 82（良）→ 90（优）需要" in text and "改后总分 90（优）" in text


def test_json_follows_the_documented_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    ruleset = load_ruleset(SEED / "ruleset.yaml")
    for facts in (SEED_FULL, load_facts(SEED / "facts.yaml", ruleset)):
        data = result_dict(evaluate(ruleset, facts), "en")
        jsonschema.validate(json.loads(json.dumps(data)), result_schema())
        assert data["what_if"]["format"] == "rubric.what_if/1"


def test_cli_what_if(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(SEED_FULL, ensure_ascii=False), encoding="utf-8")
    ruleset = str(SEED / "ruleset.yaml")
    assert main(["score", ruleset, str(facts), "--what-if"]) == 0
    out = capsys.readouterr().out
    assert "假如（怎样提高得分）：" in out and "总分 82（良）→ 90（优）需要" in out
    assert main(["score", ruleset, str(facts), "--what-if", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "What would it take:" in out and "total 82 (良) → 90 (优) needs" in out
    assert main(["score", ruleset, str(facts), "--what-if", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = result_dict(evaluate(load_ruleset(SEED / "ruleset.yaml"), SEED_FULL), "zh")
    assert data == json.loads(json.dumps(expected))
    assert main(["score", ruleset, "--batch", str(facts), "--what-if"]) == 2
    assert "--what-if apply to a single FACTS file" in capsys.readouterr().err


def test_not_applicable_rows_are_left_out_and_states_read_plainly() -> None:
    ruleset = load_ruleset(SEED / "ruleset.yaml")
    facts = {**SEED_FULL, "供养人数": "不适用"}
    w = what_if(evaluate(ruleset, facts))
    assert "供养人数" not in {r.id for r in w.rows}
    assert "管理制度合法合规完整 否 → 是 可得满分 5 分" in w.text()
    assert "管理制度合法合规完整 no → yes gives full marks, 5 points" in w.text("en")
    plan = w.grade
    assert plan is not None and plan.reachable


SWEEP = [{**BASE, "支出": spent, "预算": 100, "人数": people, "问题数": problems,
          "系数": f"{coefficient}%", "完成日期": f"2024-{month:02d}-{day:02d}", "评分": score}
         for spent, people, problems, coefficient, month, day, score in (
             (0, 0, 0, 0, 9, 29, 0), (99.5, 118, 1, 12.5, 9, 30, 2.5),
             (100, 131, 7, 50, 10, 1, 9.99),
             (100.5, 131.1, 8, 99.99, 10, 2, 10), (110.5, 133.62, 9, 100, 12, 31, 6),
             (111, 140.17, 2, 33, 10, 31, 8.1), (119.99, 200, 5, 66.6, 11, 11, 4),
             (120, 300, 6, 1, 9, 1, 1), (170, 128.38, 4, 88, 10, 20, 3))]


@pytest.mark.parametrize("facts", SWEEP, ids=[str(f["支出"]) for f in SWEEP])
def test_a_sweep_of_every_kind(every: Ruleset, facts: dict[str, Any]) -> None:
    for row in what_if(evaluate(every, facts)).rows:
        for change in row.changes:
            _verify(every, facts, row.id, change)


def test_in_the_best_grade_there_is_no_plan() -> None:
    ruleset = load_ruleset(SEED / "ruleset.yaml")
    facts = {**SEED_FULL, "服务对象满意度": "95%", "绩效目标完成日期": "2023-12-01",
             "项目支出实际支出": 100, "管理制度合法合规完整": True}
    result = evaluate(ruleset, facts)
    w = what_if(result)
    assert result.grade == "优" and w.grade is None
    assert f"总分 {fmt(result.score)}（优）：已是最高等级" in w.text()
    assert w.to_dict()["grade"] is None


def test_a_row_settled_by_an_asserted_state_gets_no_value_pieces() -> None:
    # 已完成 on a `states: true` fact scores full marks: nothing is missing to show
    from rubric import evaluate, load_ruleset, what_if

    rs = load_ruleset("""
rubric: 1
metadata: {id: t, name: t}
policy: {total_points: 20}
facts:
  长度: {unit: 米, minimum: 0, states: true}
root: {id: 合计, name: 合计, max_points: 20}
indicators:
  - id: A
    name: 长度
    max_points: 20
    rule: {kind: deduction, fact: 长度, target: 266 米, points: 20, step: 10, side: below}
""")
    result = evaluate(rs, {"长度": "已完成"})
    assert result.total.score == 20
    assert what_if(result).rows == ()  # at full marks: not a row to improve
    assert "缺少" not in what_if(result).text("zh")


# ---------------------------------------------------------- rows whose score is a range

# the sum row of tests/test_rule_forms.py: boolean 3 + per_occurrence 4 + tier 3, capped 8
SUM_TIER = SUM


def _spans(w: WhatIf, row_id: str) -> list[tuple[str, str, str, str, int | None]]:
    """(target, fact, to, the row's range, the part) of each change of a row."""
    row = next(r for r in w.rows if r.id == row_id)
    return [(c.target, c.fact, fmt(c.new), "–".join(dict.fromkeys(fmt(x) for x in c.span)),
             c.part) for c in row.changes]


def _lowest_state_above(ruleset: Ruleset, facts: dict[str, Any], row_id: str,
                        change: Change) -> tuple[Decimal, Decimal]:
    """Of all the states of the change's fact, the lowest (low, high) above the current:
    no other state gives the row a smaller rise than the one reported."""
    now = _span(ruleset, facts, row_id, change.fact, change.old)
    assert now is not None
    spec = ruleset.specs[change.fact]
    states = [True, False] if spec.type == "boolean" else list(spec.categories)
    above = [s for s in (_span(ruleset, facts, row_id, change.fact, v) for v in states)
             if s is not None and s > now]
    return min(above)


def test_a_sum_row_with_a_tier_part_gets_a_change_of_each_fact() -> None:
    ruleset = load_ruleset(SUM_TIER)
    facts: dict[str, Any] = {"制度健全": False, "问题数": 2, "执行档次": "部分达成"}
    result = evaluate(ruleset, facts)
    assert (result["管理"].low, result["管理"].high) == (Decimal("3.8"), Decimal("4.4"))
    w = what_if(result)
    # no single change reaches 8, so: the row's next band by each state, and the part
    # each count lifts (问题数 per occurrence: a continuum, its full marks only)
    assert _spans(w, "管理") == [("next", "制度健全", "是", "6.8–7.4", None),
                                 ("next", "执行档次", "达成", "4.4–5", None),
                                 ("next", "问题数", "0", "5.8–6.4", 2)]
    for change in w.rows[0].changes:
        _verify(ruleset, facts, "管理", change)
        if change.part is None:  # a state: no other state lifts the row less
            assert change.span == _lowest_state_above(ruleset, facts, "管理", change)
    (part,) = [c for c in w.rows[0].changes if c.part is not None]
    assert part.part_target == "full" and part.part_points == (4, 4)
    text = w.text()
    assert "单改一项事实无法提高" not in text and "总分未定" not in text
    assert "- 管理 [3.8–4.4/8]（区间：评价人在档内选定得分）：" in text
    assert "制度健全 否 → 是 可得 6.8–7.4 分（下一档，档内得分由评价人选定）" in text
    assert "执行档次 部分达成 → 达成 可得 4.4–5 分（下一档，档内得分由评价人选定）" in text
    assert ("问题数 2 个 → 0 个（-2 个）第 2 项可得满分 4 分，本行 5.8–6.4 分"
            "（档内得分由评价人选定）") in text
    assert "总分为区间 3.8–4.4：评价人在档内选定得分" in text
    en = w.text("en")
    assert ("制度健全 no → yes gives the next band, 6.8–7.4 points (the evaluator picks the "
            "score within the band)") in en
    assert "问题数 2 个 → 0 个 (-2 个) gives part 2 full marks, 4 points; the row 5.8–6.4" in en
    assert "the total is a range, 3.8–4.4: the evaluator picks a score within each" in en
    change = w.to_dict()["rows"][0]["changes"][0]
    assert (change["points"], change["high"], change["part"]) == ("6.8", "7.4", None)
    assert w.to_dict()["rows"][0]["changes"][2]["part"] == {
        "number": 2, "target": "full", "low": "4", "high": "4"}


def test_a_sum_row_reaches_full_marks_when_its_high_end_does() -> None:
    ruleset = load_ruleset(SUM_TIER)
    facts: dict[str, Any] = {"制度健全": True, "问题数": 2, "执行档次": "部分达成"}
    w = what_if(evaluate(ruleset, facts))  # 6.8-7.4 of 8
    # one problem fewer: 3 + 3 + 1.8-2.4 = 7.8-8.4, capped at 8: the evaluator may give 8
    assert _spans(w, "管理") == [("full", "问题数", "1", "7.8–8", None),
                                 ("full", "执行档次", "达成", "7.4–8", None),
                                 ("full", "问题数", "0", "8", 2)]
    for change in w.rows[0].changes:
        _verify(ruleset, facts, "管理", change)
    text = w.text()
    assert "问题数 2 个 → 1 个（-1 个）可得 7.8–8 分（可达满分，档内得分由评价人选定）" in text
    assert "问题数 2 个 → 0 个（-2 个）第 2 项可得满分 4 分，本行可得满分 8 分" in text
    # at 达成 the high end is 8: full marks are the evaluator's to give; nothing to change
    w = what_if(evaluate(ruleset, {**facts, "执行档次": "达成"}))
    assert w.rows == () and "总分为区间 7.4–8：评价人在档内选定得分" in w.text()


def test_a_missing_tier_shows_the_range_each_tier_gives() -> None:
    ruleset = load_ruleset(SUM_TIER)
    w = what_if(evaluate(ruleset, {"制度健全": True, "问题数": 2}))
    (row,) = w.rows
    assert [(p.values, fmt(p.low), fmt(p.high)) for p in row.pieces] == [
        ("达成", "7.4", "8"), ("部分达成", "6.8", "7.4"), ("未达成", "5", "6.8")]
    text = w.text()
    assert "执行档次 达成 → 7.4–8 分" in text and "总分未定：先补齐缺少的事实" in text
    assert "执行档次 达成 → 7.4–8 points" in w.text("en")


def test_tier_and_score_range_rows_reach_exactly_their_band(every: Ruleset) -> None:
    facts = EVERY_FACTS["a tier chosen, a score range"]
    w = what_if(evaluate(every, facts))
    # 部分达成 4.8-6.4 of 8 → 达成 6.4-8; 系数 40%: 0-6 of 9 → ≥50: 7-9
    assert _spans(w, "定档") == [("full", "完成档次", "达成", "6.4–8", None)]
    assert _spans(w, "区间分值") == [("full", "系数", "50", "7–9", None)]
    text = w.text()
    assert "- 定档 [4.8–6.4/8]（区间：评价人在档内选定得分）：" in text
    assert "完成档次 部分达成 → 达成 可得 6.4–8 分（可达满分，档内得分由评价人选定）" in text
    assert "系数 40% → 50%（+10 个百分点）可得 7–9 分（可达满分，档内得分由评价人选定）" in text
    # 未达成 0-4.8: the next band is 部分达成 (no state lifts it less), full marks 达成
    low = {**facts, "完成档次": "未达成"}
    w = what_if(evaluate(every, low))
    assert _spans(w, "定档") == [("next", "完成档次", "部分达成", "4.8–6.4", None),
                                 ("full", "完成档次", "达成", "6.4–8", None)]
    for change in next(r for r in w.rows if r.id == "定档").changes:
        _verify(every, low, "定档", change)
    nxt = next(r for r in w.rows if r.id == "定档").changes[0]
    assert nxt.span == _lowest_state_above(every, low, "定档", nxt)
    assert "完成档次 未达成 → 部分达成 可得 4.8–6.4 分（下一档，档内得分由评价人选定）" in w.text()


def test_cli_and_json_show_ranges(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = tmp_path / "sum.yaml"
    rules.write_text(SUM_TIER, encoding="utf-8")
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"制度健全": False, "问题数": 2, "执行档次": "部分达成"},
                                ensure_ascii=False), encoding="utf-8")
    assert main(["score", str(rules), str(facts), "--what-if"]) == 0
    out = capsys.readouterr().out
    assert "执行档次 部分达成 → 达成 可得 4.4–5 分（下一档，档内得分由评价人选定）" in out
    assert "总分为区间 3.8–4.4：评价人在档内选定得分" in out and "单改一项" not in out
    assert main(["score", str(rules), str(facts), "--what-if", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    changes = data["what_if"]["rows"][0]["changes"]
    assert [(c["fact"], c["points"], c["high"]) for c in changes] == [
        ("制度健全", "6.8", "7.4"), ("执行档次", "4.4", "5"), ("问题数", "5.8", "6.4")]
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(data, result_schema())


SUM_GRID = [{"制度健全": a, "问题数": q, "执行档次": t} for a in (True, False)
            for q in (0, 1, 2, 3, 5) for t in ("达成", "部分达成", "未达成")]


@pytest.mark.parametrize("facts", SUM_GRID, ids=[f"{f['制度健全']}-{f['问题数']}-{f['执行档次']}"
                                                 for f in SUM_GRID])
def test_a_sweep_of_a_sum_row_with_a_tier_part(facts: dict[str, Any]) -> None:
    # past the cap a part's full marks are not the row's: 3 + (4 - 3) + 达成 2.4-3 is
    # 6.4-7; one problem (not none) gives 8, and 2 problems give 7.4-8, full marks possible
    ruleset = load_ruleset(SUM_TIER)
    w = what_if(evaluate(ruleset, facts))
    for row in w.rows:
        assert row.changes, (facts, w.text())
        for change in row.changes:
            _verify(ruleset, facts, row.id, change)
    assert "单改一项事实无法提高" not in w.text()
