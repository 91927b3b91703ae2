"""Auditing a filed table as printed: blanks, printed values, implied totals, rounding,
row warnings, printed 分值 and the filed table with a 复核 column (issue 11, items 8–12).

Each test writes a small filed table of its own: a project's 自评表 of 100 points whose
two 产出 rows give 8.62 each under the rules (862 of 1000 人次, 431 of 500 个).
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from headless import browser_flags, dump_dom, screenshot
from rubric import LoadError, Ruleset, audit, format_audit, load_claimed, load_ruleset

TABLE = """\
rubric: 1
metadata: {id: xm-2024, name: 某项目2024年度支出绩效自评}
policy: {precision: 2}
facts:
  执行数: {unit: 万元, minimum: 0}
  预算数: {unit: 万元, minimum: 0}
  预算执行率: {unit: "%", minimum: 0, formula: 执行数 / 预算数 * 100}
  培训人次: {unit: 人次, minimum: 0}
  覆盖村数: {unit: 个, minimum: 0}
  按期完成: {type: boolean}
  受益户数: {unit: 户, minimum: 0}
  满意度: {unit: "%", minimum: 0, maximum: 100}
constraints:
  - {check: 执行数 <= 预算数, message: 支出不超过预算}
root: {id: 总分, name: 合计, max_points: 100}
indicators:
  - id: 预算执行率
    max_points: 10
    criterion: 预算执行率×10分
    rule: {kind: ratio, actual: 预算执行率, target: 100, points: 10}
  - id: 产出
    max_points: 40
    children:
      - id: 培训人次
        max_points: 10
        rule: {kind: ratio, actual: 培训人次, target: 1000, points: 10}
      - id: 覆盖村数
        max_points: 10
        rule: {kind: ratio, actual: 覆盖村数, target: 500, points: 10}
      - id: 按期完成
        max_points: 20
        rule: {kind: boolean, fact: 按期完成, yes_points: 20}
  - id: 效益
    max_points: 50
    children:
      - id: 受益户数
        max_points: 20
        rule: {kind: ratio, actual: 受益户数, target: 200, points: 20}
      - id: 满意度
        max_points: 30
        rule:
          kind: bands
          fact: 满意度
          bands:
            - {range: "≥90", points: 30}
            - {range: "[80, 90)", points: 24}
            - {range: "<80", points: 0}
"""

# 10 + 8.62 + 8.62 + 20 + 20 + 30 = 97.24
FACTS: dict[str, Any] = {"执行数": 200, "预算数": 200, "培训人次": 862, "覆盖村数": 431,
                         "按期完成": True, "受益户数": 200, "满意度": 95}
COMPUTED = {"预算执行率": 10, "培训人次": Decimal("8.62"), "覆盖村数": Decimal("8.62"),
            "按期完成": 20, "受益户数": 20, "满意度": 30}


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Ruleset:
    path = tmp_path_factory.mktemp("table") / "ruleset.yaml"
    path.write_text(TABLE, encoding="utf-8")
    return load_ruleset(path)


def claimed_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "claimed.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# -- item 8: blanks, printed values, printed and implied totals -----------------------


def test_a_blank_score_cell_is_not_scored_never_a_load_error(table: Ruleset,
                                                              tmp_path: Path) -> None:
    path = claimed_file(tmp_path, """\
        scores:
          预算执行率: 10
          培训人次:          # 得分 left empty
          覆盖村数: ""
        total:
        """)
    claimed = load_claimed(path)
    assert claimed.blank == {"培训人次", "覆盖村数"} and claimed.total_blank
    assert "培训人次" not in claimed.scores
    report = audit(table, FACTS, claimed)
    entry = report["培训人次"]
    assert entry.classes == ("not_scored",) and entry.blank and entry.claimed is None
    assert entry.messages == ("得分空白（未评分）；按规则应得 8.62",)
    assert entry.where == f"{path}:3"
    assert report["总分"].classes == ("not_scored",)
    assert report["预算执行率"].status == "consistent"
    assert not report.ok
    text = format_audit(report)
    assert f"{path}:3: 培训人次 [未评分]: 得分空白（未评分）；按规则应得 8.62" in text
    line = next(x for x in text.splitlines() if x.strip().startswith("培训人次"))
    assert line.split()[1:3] == ["未评分", "空白"]  # the 申报 column says the cell was empty
    en = audit(table, FACTS, claimed, lang="en")["覆盖村数"]
    assert en.messages == ("得分 left blank (not scored); the rule gives 8.62",)
    assert report.to_dict()["entries"][0]["blank"] is True  # the 合计


def test_a_blank_row_leaves_the_total_unimplied(table: Ruleset) -> None:
    from rubric import Claimed

    rows = {k: v for k, v in COMPUTED.items() if k != "满意度"}
    report = audit(table, FACTS, Claimed(rows, blank={"满意度"}))
    assert report["总分"].implied is None and report["总分"].status == "unclaimed"


def test_a_fully_spent_budget_scored_zero_is_wrong_with_the_computed_score(
        table: Ruleset) -> None:
    from rubric import Claimed

    report = audit(table, FACTS, Claimed({"预算执行率": 0}))
    entry = report["预算执行率"]
    assert entry.classes == ("wrong",)
    assert entry.messages == ("申报 0, 按规则应得 10",)
    assert entry.computed == 10 and "100%" in entry.explanation


@pytest.mark.parametrize(("printed", "agrees", "message"), [
    ("86%", True, "印刷 预算执行率 86% 与事实一致（计算 ≈86.20%）"),
    ("86.20%", True, "印刷 预算执行率 86.20% 与事实一致（计算 86.2037%）"),
    ("87%", False, "印刷 预算执行率 87% ≠ 按事实计算 ≈86.20%（按印刷精度为 86%）"),
    ("86.3%", False, "印刷 预算执行率 86.3% ≠ 按事实计算 ≈86.204%（按印刷精度为 86.2%）"),
    (Decimal("0.862"), False,
     "印刷 预算执行率 0.862% ≠ 按事实计算 86.20370%（按印刷精度为 86.204%）"),
], ids=["whole-percent", "two-decimals", "off-by-one", "beyond-one-decimal", "no-unit"])
def test_a_printed_derived_value_is_checked_at_the_printed_precision(
        table: Ruleset, printed: object, agrees: bool, message: str) -> None:
    from rubric import Claimed

    facts = {**FACTS, "执行数": "172.4074"}  # 86.2037 % of 200
    report = audit(table, facts, Claimed({"预算执行率": "8.62"}, printed={"预算执行率": printed}))
    [check] = report.printed
    assert (check.agrees, check.message) == (agrees, message)
    entry = report["预算执行率"]
    if agrees:
        assert entry.classes == ("consistent",) and report.ok
    else:
        # the claimed 8.62 is right; the printed 执行率 beside it is not
        assert entry.classes == ("printed_mismatch", "consistent") and not report.ok
        assert entry.messages == (message,) and not entry.ok


def test_printed_values_in_the_file_and_their_problems(table: Ruleset, tmp_path: Path) -> None:
    path = claimed_file(tmp_path, """\
        printed:
          预算执行率: 87%
          执行数: 172.4 万元
        """)
    claimed = load_claimed(path)
    assert claimed.printed["预算执行率"].decimals == 0
    assert claimed.printed["执行数"].unit == "万元"
    report = audit(table, {**FACTS, "执行数": "172.4074"}, claimed)
    bad = [p for p in report.printed if not p.agrees]
    assert [p.fact for p in bad] == ["预算执行率"] and bad[0].where == f"{path}:2"
    # 执行数 agrees at one decimal; the row reading 预算执行率 carries the finding
    assert report["预算执行率"].status == "printed_mismatch"
    assert f"{path}:2" in format_audit(report)
    data = report.to_dict()["printed"]
    assert data[0] == {"fact": "预算执行率", "printed": "87%", "computed": "86.2037",
                       "decimals": 0, "agrees": False, "message": bad[0].message,
                       "where": f"{path}:2", "rows": ["预算执行率"]}
    # a printed value that is not a number is a load error at its line; a fact the
    # ruleset lacks, or a unit of another kind, an error when auditing
    wrong = claimed_file(tmp_path, "printed:\n  预算执行率: 约八成\n")
    with pytest.raises(LoadError) as info:
        load_claimed(wrong)
    assert str(info.value).startswith(f"{wrong}:2:")
    assert "'约八成' is not a printed value" in str(info.value)
    unknown = claimed_file(tmp_path, "printed:\n  执行率: 86%\n  执行数: 172 人\n")
    with pytest.raises(LoadError) as info:
        audit(table, FACTS, load_claimed(unknown))
    lines = str(info.value).splitlines()
    assert lines[1].startswith(f"{unknown}:2:") and "did you mean '预算执行率'" in lines[1]
    assert lines[2].startswith(f"{unknown}:3:") and "printed in 人" in lines[2]


@pytest.mark.parametrize(("printed", "agrees"), [
    ("1724074 元", True), ("1724070 元", False), ("0.0172 亿元", True), ("0.0173 亿元", False),
])
def test_a_printed_amount_is_converted_exactly_to_the_printed_unit(
        table: Ruleset, printed: str, agrees: bool) -> None:
    from rubric import Claimed

    facts = {**FACTS, "执行数": "172.4074"}  # 万元
    [check] = audit(table, facts, Claimed(printed={"执行数": printed})).printed
    assert check.agrees is agrees, check.message
    if printed == "0.0173 亿元":
        assert check.message == ("印刷 执行数 0.0173 亿元 ≠ 按事实计算 ≈0.017241 亿元"
                                 "（按印刷精度为 0.0172 亿元）")


def test_a_printed_value_the_facts_do_not_give_is_not_checked(table: Ruleset) -> None:
    from rubric import Claimed

    facts = {k: v for k, v in FACTS.items() if k != "执行数"}
    report = audit(table, facts, Claimed(printed={"预算执行率": "86%"}))
    [check] = report.printed
    assert check.agrees is None and "无法核对" in check.message
    assert report.ok


def test_an_implied_total_is_compared_with_the_computed_total(table: Ruleset) -> None:
    from rubric import Claimed

    # the rows add up to 98 (one row claimed 0.76 too high), no 合计 printed
    claims = {**COMPUTED, "满意度": 30, "受益户数": Decimal("20"), "培训人次": Decimal("9.38")}
    report = audit(table, FACTS, Claimed(claims))
    total = report["总分"]
    assert total.claimed is None and total.implied == 98
    assert total.status == "wrong"
    assert total.messages[0] == ("合计未印刷，按下级申报之和 98 核对：申报 98, 按规则应得 97.24")
    # rows that add up to the computed total leave it acceptable
    assert audit(table, FACTS, Claimed(COMPUTED))["总分"].status == "unclaimed"
    assert audit(table, FACTS, Claimed(COMPUTED))["总分"].implied == Decimal("97.24")


TIERED = """\
rubric: 1
metadata: {id: xm-tier, name: 某项目质量自评}
facts:
  质量档次: {type: category, categories: [达成, 部分达成, 未达成]}
  按期完成: {type: boolean}
root: {id: 总分, name: 合计, max_points: 10}
indicators:
  - id: 质量达标
    max_points: 8
    rule: {kind: tier, fact: 质量档次, points: 8}
  - id: 按期完成
    max_points: 2
    rule: {kind: boolean, fact: 按期完成, yes_points: 2}
"""


@pytest.mark.parametrize(("tier", "claim", "status", "message"), [
    ("达成", "7", "consistent", None),
    ("达成", "5", "impossible", "“达成”档 应在 6.4–8 之间, 申报 5"),
    ("部分达成", "6.4", "impossible", "“部分达成”档 应在 4.8–6.4 之间（不含 6.4）, 申报 6.4"),
], ids=["inside", "below-the-tier", "the-open-end"])
def test_a_qualitative_claim_outside_its_tier(tmp_path: Path, tier: str, claim: str,
                                              status: str, message: str | None) -> None:
    path = tmp_path / "tiered.yaml"
    path.write_text(TIERED, encoding="utf-8")
    ruleset = load_ruleset(path)
    claims = claimed_file(tmp_path, f"scores:\n  质量达标: {claim}\n  按期完成: 2\n")
    report = audit(ruleset, {"质量档次": tier, "按期完成": True}, load_claimed(claims))
    entry = report["质量达标"]
    assert entry.status == status
    assert entry.messages == (() if message is None else (message,))
    assert report.ok == (status == "consistent")
    # the rows imply the 合计, checked against the range the chosen tier leaves (a closed
    # range for the group: the open end of a tier is the row's finding)
    assert report["总分"].implied == Decimal(claim) + 2
    if claim == "5":
        assert report["总分"].messages == (("合计未印刷，按下级申报之和 7 核对：评价人可给分 应在 "
                                           "8.4–10 之间, 申报 7"),)


# -- item 9: rounding explained once for the table -------------------------------------


def test_rows_printed_as_integers_are_one_rounding_with_both_totals(table: Ruleset) -> None:
    from rubric import Claimed

    printed = {"预算执行率": 10, "培训人次": 9, "覆盖村数": 9, "按期完成": 20, "受益户数": 20,
               "满意度": 30}
    report = audit(table, FACTS, Claimed(printed, total=98))
    rounding = report.rounding
    assert rounding is not None
    assert rounding.decimals == 0 and rounding.exceptions == ()
    assert rounding.rule() == "得分按整数取整：8.62 → 9"
    assert rounding.exact == (Decimal("97.24"), Decimal("97.24"))
    assert rounding.rounded == (98, 98)
    assert rounding.text() == ("得分按整数取整：8.62 → 9（重现全部 6 行申报得分）；"
                               "合计：按规则精度 97.24，按取整后各行 98")
    assert [report[r].status for r in ("培训人次", "覆盖村数")] == ["rounding", "rounding"]
    total = report["总分"]
    assert total.classes == ("rounding",)  # not wrong: the printed rows, rounded, add up
    assert total.messages == ("申报 98 是各行按整数取整后之和；按规则为 97.24",)
    assert report["产出"].status == "unclaimed"
    text = format_audit(report)
    assert text.count("得分按整数取整") == 1
    assert "舍入：得分按整数取整：8.62 → 9（重现全部 6 行申报得分）" in text
    assert not report.ok  # rounding is still a finding
    data = report.to_dict()["rounding"]
    assert data["rule"] == "得分按整数取整：8.62 → 9"
    assert (data["total"], data["total_rounded"]) == ("97.24", "98")
    en = audit(table, FACTS, Claimed(printed, total=98), lang="en")
    assert en.rounding is not None
    assert en.rounding.text("en") == (
        "row scores rounded to whole points: 8.62 → 9 (reproduces all 6 claimed rows); "
        "total: 97.24 at the rules' precision, 98 with the rows rounded")


def test_the_rounding_without_a_printed_total_and_with_a_row_it_does_not_reproduce(
        table: Ruleset) -> None:
    from rubric import Claimed

    printed = {"预算执行率": 10, "培训人次": 9, "覆盖村数": 9, "产出": 38}
    report = audit(table, FACTS, Claimed(printed))
    assert report["产出"].classes == ("rounding",)
    assert "38" in report["产出"].messages[0] and "37.24" in report["产出"].messages[0]
    # rows that add up to 98 against the rules' 97.24, no 合计 printed: the rounding
    rows = {**printed, "按期完成": 20, "受益户数": 20, "满意度": 30}
    del rows["产出"]
    total = audit(table, FACTS, Claimed(rows))["总分"]
    assert total.implied == 98 and total.status == "rounding"
    assert total.messages == (
        "合计未印刷，按下级申报之和 98 核对：申报 98 是各行按整数取整后之和；按规则为 97.24",)
    # one row the rounding does not reproduce is named, and stays wrong
    report = audit(table, FACTS, Claimed({**rows, "满意度": 24}))
    assert report.rounding is not None and report.rounding.exceptions == ("满意度",)
    assert "重现 6 行申报得分中的 5 行，不符：满意度" in report.rounding.text()
    assert report["满意度"].status == "wrong"
    assert report["总分"].status == "wrong"  # 92 is neither reading


def test_no_rounding_line_when_the_rows_are_exact(table: Ruleset) -> None:
    from rubric import Claimed

    report = audit(table, FACTS, Claimed(COMPUTED))
    assert report.rounding is None and "取整" not in format_audit(report)
    assert report.to_dict()["rounding"] is None


# -- item 10: the row's warnings, worded for its direction -----------------------------


def test_spending_over_budget_is_not_a_target_set_too_low(table: Ruleset) -> None:
    from rubric import Claimed

    report = audit(table, {**FACTS, "执行数": 220}, Claimed({"预算执行率": 10}))
    entry = report["预算执行率"]
    assert entry.status == "consistent"  # 110% scores full marks
    assert entry.warnings == (
        "注意：支出为预算的 110%，超出预算 10%（得分以满分封顶，不扣分）",
        "约束未满足：支出不超过预算：执行数 <= 预算数；执行数 = 220 万元，预算数 = 200 万元",
    )
    assert report["培训人次"].warnings == ()  # the constraint reads no fact of that row
    text = format_audit(report)
    assert "预算执行率 [一致]\n    注意：支出为预算的 110%" in text
    assert report.to_dict()["entries"][1]["warnings"] == list(entry.warnings)
    # far over budget: the rule's over-achievement warning, worded as overspending
    far = audit(table, {**FACTS, "执行数": 320}, Claimed())["预算执行率"]
    assert far.warnings[0] == "注意：支出为预算的 160%，超过 150%：超预算支出（不扣分）"
    assert not any("目标可能偏低" in w for w in far.warnings)
    en = audit(table, {**FACTS, "执行数": 320}, Claimed(), lang="en")["预算执行率"]
    assert en.warnings[0] == ("note: spending is 160% of the budget, above 150%: spent over "
                              "budget (no deduction)")


def test_a_target_exceeded_by_far_may_be_set_too_low(table: Ruleset) -> None:
    from rubric import Claimed

    entry = audit(table, {**FACTS, "受益户数": 320}, Claimed({"受益户数": 20}))["受益户数"]
    assert entry.warnings == ("注意：完成值为目标的 160%，超过 150%，目标可能偏低（不扣分）",)
    # an unclaimed row's warnings are listed with every node, not with the findings only
    report = audit(table, {**FACTS, "受益户数": 320}, Claimed({"满意度": 30}))
    assert "受益户数 [未申报]\n    注意：完成值为目标的 160%" in format_audit(report)
    assert "目标可能偏低" not in format_audit(report, all_nodes=False)


def test_a_lower_is_better_ratio_far_below_its_target() -> None:
    from rubric import Claimed, CompletionRatio, FactSpec, Group, Indicator
    from rubric import Ruleset as RS

    row = Indicator("单位成本", CompletionRatio("单位成本", 100, 10, reverse=True))
    rs = RS(Group("总分", [row]), [FactSpec("单位成本", unit="元", minimum=0)])
    entry = audit(rs, {"单位成本": 50}, Claimed())["单位成本"]
    assert entry.warnings == (
        "注意：实际值仅为目标值的 50%（越低越好），远低于目标：目标可能偏松（不扣分）",)


# -- item 11: printed 分值, printed or implied by the rows -----------------------------


def test_row_maxima_summing_to_110_under_a_printed_total_of_100(table: Ruleset,
                                                                 tmp_path: Path) -> None:
    path = claimed_file(tmp_path, """\
        maxima:        # only the rows and the 合计 are printed; 受益户数 printed 30
          预算执行率: 10
          培训人次: 10
          覆盖村数: 10
          按期完成: 20
          受益户数: 30
          满意度: 30
          总分: 100
        """)
    report = audit(table, FACTS, load_claimed(path))
    total = report["总分"]
    assert total.classes == ("maxima_mismatch",)
    assert total.messages == (("印刷分值 100 ≠ 下级印刷分值之和 110（产出、效益 分值未印刷，"
                              "按其下级印刷分值相加）"),)
    assert total.where == f"{path}:8"
    group = report["效益"]  # not printed: the sum of its rows' printed 分值 stands for it
    assert group.classes == ("maxima_mismatch",)
    assert group.messages == ("分值未印刷，按下级印刷分值之和 60 核对：≠ 规则集分值 50",)
    assert report["受益户数"].messages == ("印刷分值 30 ≠ 规则集分值 20",)
    output = report["产出"]  # 10 + 10 + 20 = 40 as the ruleset says: a note, no finding
    assert output.ok and output.notes == ("分值未印刷，按下级印刷分值之和 40 核对：与规则集一致",)
    assert report.to_dict()["entries"][2]["notes"] == list(output.notes)
    en = audit(table, FACTS, load_claimed(path), lang="en")["总分"]
    assert en.messages == (("printed 分值 100 ≠ sum of printed children's 110 (产出, 效益 not "
                           "printed: their children's printed 分值 added)"),)


def test_the_seed_table_prints_rows_and_merged_subtotals_consistently() -> None:
    seed = Path(__file__).resolve().parents[1] / "rulesets" / "xiangtan-kgxj-2023"
    ruleset = load_ruleset(seed / "ruleset.yaml")
    from rubric import load_facts

    report = audit(ruleset, load_facts(seed / "facts.yaml", ruleset),
                   load_claimed(seed / "claimed.yaml"))
    assert report.ok
    assert report["预算执行"].notes == ("分值未印刷，按下级印刷分值之和 30 核对：与规则集一致",)


def one_of_table(points: tuple[int, int]) -> Ruleset:
    from rubric import Boolean, FactSpec, Group, Indicator
    from rubric import Ruleset as RS

    pick = Group("企业培育", [Indicator("新增高企", Boolean("新增高企", points[0])),
                             Indicator("新增规上", Boolean("新增规上", points[1]))],
                 select="one_of")
    return RS(Group("总分", [pick, Indicator("满意", Boolean("满意", 7))]),
              [FactSpec("新增高企", type="boolean"), FactSpec("新增规上", type="boolean"),
               FactSpec("满意", type="boolean")])


def test_one_of_alternatives_of_different_maxima_as_check_reports_them() -> None:
    from rubric import Claimed, check_ruleset

    facts = {"新增高企": True, "新增规上": "不适用", "满意": True}
    uneven = one_of_table((3, 2))
    assert any(f.code == "one-of-maxima" for f in check_ruleset(uneven))
    entry = audit(uneven, facts, Claimed())["企业培育"]
    assert entry.status == "maxima_mismatch"
    assert entry.messages[0].startswith("本 one_of（二者择其一）组的备选指标分值不同（'新增高企' 3")
    assert entry.messages[0].endswith("(rubric check: one-of-maxima)")
    # equal alternatives printed with different 分值: the table's own mismatch
    even = one_of_table((3, 3))
    assert not any(f.code == "one-of-maxima" for f in check_ruleset(even))
    report = audit(even, facts, Claimed(maxima={"新增高企": 3, "新增规上": 2}))
    assert report["企业培育"].messages[0] == (
        "择一考核的备选指标印刷分值不同（'新增高企' 3、'新增规上' 2）：本组得分取决于按哪一项考核")
    # alternatives printed alike stand for the group: worth one of them, not their sum
    report = audit(even, facts, Claimed(maxima={"新增高企": 3, "新增规上": 3, "满意": 7,
                                                "总分": 10}))
    assert report.ok
    assert report["企业培育"].notes == ("分值未印刷，按备选指标的印刷分值 3 核对：与规则集一致",)


# -- item 12: the filed table handed back with a 复核 column ---------------------------

ROUNDED = """\
scores:
  预算执行率: 0
  培训人次: 9
  覆盖村数: 9
  按期完成: 20
  产出: 38
  受益户数:
  满意度: 30
total: 98
printed:
  预算执行率: 87%
"""


@pytest.fixture
def reviewed(table: Ruleset, tmp_path: Path) -> tuple[Path, Path, Path]:
    """The table, its facts (执行率 86.2037 %) and the unit's claims, as files."""
    rules = tmp_path / "ruleset.yaml"
    rules.write_text(TABLE, encoding="utf-8")
    facts = tmp_path / "facts.yaml"
    facts.write_text("".join(f"{k}: {v}\n" for k, v in {**FACTS, "执行数": "172.4074"}.items()),
                     encoding="utf-8")
    return rules, facts, claimed_file(tmp_path, ROUNDED)


def _grid_widths(html: str) -> list[int]:
    """How many columns each body row of the page's table covers (rowspans counted)."""
    from html.parser import HTMLParser

    class Rows(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[tuple[int, int]]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.rows[-1].append((int(a.get("colspan") or 1), int(a.get("rowspan") or 1)))

    parser = Rows()
    parser.feed(html)
    carried: dict[int, int] = {}  # row index -> columns covered by rowspans from above
    widths = []
    for i, cells in enumerate(parser.rows):
        width = carried.get(i, 0)
        for colspan, rowspan in cells:
            width += colspan
            for below in range(i + 1, i + rowspan):
                carried[below] = carried.get(below, 0) + colspan
        widths.append(width)
    return widths


def test_the_reviewed_table_as_xlsx(reviewed: tuple[Path, Path, Path], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from rubric.cli import main

    rules, facts, claims = reviewed
    out = tmp_path / "复核.xlsx"
    assert main(["audit", str(rules), str(facts), str(claims), "--format", "xlsx",
                 "-o", str(out)]) == 1  # findings: exit 1, the file written
    assert "有问题" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[2]]
    assert header == ["一级指标", "二级指标", "分值", "三级指标", "指标完成情况", "评价标准",
                      "分值", "得分", "复核"]
    lines = {ws.cell(r, 4).value: r for r in range(3, ws.max_row + 1)}
    spent = lines["预算执行率"]
    assert ws.cell(spent, 8).value == 0  # the unit's claim, as printed
    assert ws.cell(spent, 9).value.startswith("错误+印刷值不符：申报 0, 按规则应得 8.62；")
    assert "印刷 预算执行率 87%" in ws.cell(spent, 9).value
    row = lines["培训人次"]
    assert ws.cell(row, 8).value == 9
    assert ws.cell(row, 9).value == "舍入：计算得分 8.62 被舍入为 9 (0 位小数)"
    assert ws.cell(row, 8).number_format == "0"  # claims shown as printed, not 9.00
    blank = lines["受益户数"]
    assert ws.cell(blank, 8).value is None
    assert ws.cell(blank, 9).value == "未评分：得分空白（未评分）；按规则应得 20"
    assert ws.cell(lines["按期完成"], 9).value == "一致"
    total = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
    assert ws.cell(total, 8).value == 98
    assert ws.cell(total, 9).value.startswith("错误")
    assert ws.cell(total + 1, 1).value == "等级"
    assert ws.cell(total + 1, 9).value == "按申报合计 98：优；按规则：优"
    notes = [ws.cell(r, 2).value for r in range(total, ws.max_row + 1)
             if ws.cell(r, 1).value == "复核"]
    notes = [n.replace("\n", "") for n in notes]
    # the groups' reviews: the lines are rows, a subtotal is reviewed under the table
    assert notes[0] == "产出小计：舍入：申报 38 是各行按整数取整后之和；按规则为 37.24"
    assert notes[1].startswith("得分按整数取整：8.62 → 9")
    assert "印刷 预算执行率 87% ≠ 按事实计算" in notes[2]
    assert notes[-1].replace("\n", "").startswith("有问题 (")
    assert ws.column_dimensions["I"].width >= 20  # the review readable, wrapped


def test_the_reviewed_table_as_html(reviewed: tuple[Path, Path, Path], tmp_path: Path) -> None:
    pytest.importorskip("jinja2")
    from rubric.cli import main

    rules, facts, claims = reviewed
    out = tmp_path / "复核.html"
    assert main(["audit", str(rules), str(facts), str(claims), "--format", "html",
                 "-o", str(out), "--lang", "en"]) == 1
    html = out.read_text(encoding="utf-8")
    assert "<th>复核</th>" in html
    assert '<tr class="finding">' in html
    assert "row scores rounded to whole points: 8.62 → 9" in html
    assert set(_grid_widths(html)) == {9}  # every line, total and note spans 9 columns
    assert 'class="review">consistent</td>' in html  # in the audit's language
    assert "FINDINGS (wrong 2" in html
    # the plain filed table is unchanged: eight columns, no review
    from rubric import evaluate, write_report

    plain = tmp_path / "t.html"
    write_report(evaluate(load_ruleset(rules), {**FACTS}), plain)
    assert "复核" not in plain.read_text(encoding="utf-8")
    assert set(_grid_widths(plain.read_text(encoding="utf-8"))) == {8}


def test_the_reviewed_table_in_a_headless_browser(reviewed: tuple[Path, Path, Path],
                                                  tmp_path: Path) -> None:
    pytest.importorskip("jinja2")

    from rubric.cli import main

    flags = browser_flags(tmp_path)
    rules, facts, claims = reviewed
    page = tmp_path / "复核.html"
    assert main(["audit", str(rules), str(facts), str(claims), "--format", "html",
                 "-o", str(page)]) == 1
    dom = dump_dom(flags, page)
    assert "<th>复核</th>" in dom and set(_grid_widths(dom)) == {9}  # as the browser built it
    data = screenshot(flags, page, tmp_path / "shot.png", "1200,1300")
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_the_review_needs_a_file_and_a_table_format(reviewed: tuple[Path, Path, Path],
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from rubric import evaluate, write_report
    from rubric.cli import main

    rules, facts, claims = reviewed
    assert main(["audit", str(rules), str(facts), str(claims), "--format", "xlsx"]) == 2
    assert "--format xlsx writes a file: give -o 复核.xlsx" in capsys.readouterr().err
    out = tmp_path / "a.json"
    assert main(["audit", str(rules), str(facts), str(claims), "--format", "json",
                 "-o", str(out)]) == 1
    import json

    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["rounding"]["rule"] == "得分按整数取整：8.62 → 9"
    text = tmp_path / "a.txt"
    assert main(["audit", str(rules), str(facts), str(claims), "-o", str(text)]) == 1
    assert "舍入：得分按整数取整：8.62 → 9" in text.read_text(encoding="utf-8")
    assert main(["audit", str(rules), str(facts), str(claims), "--json", "--format",
                 "html", "-o", str(tmp_path / "x.html")]) == 2
    assert "ask for two outputs" in capsys.readouterr().err
    report = audit(load_ruleset(rules), FACTS, load_claimed(claims))
    with pytest.raises(Exception, match="written as XLSX or HTML, not md"):
        write_report(evaluate(load_ruleset(rules), FACTS), tmp_path / "t.md", audit=report)


def test_an_implied_total_inside_the_range_of_missing_facts_is_no_claim(table: Ruleset) -> None:
    from rubric import Claimed

    facts = {k: v for k, v in FACTS.items() if k != "满意度"}
    report = audit(table, facts, Claimed(COMPUTED))
    total = report["总分"]
    assert total.implied == Decimal("97.24") and total.status == "unclaimed"
    assert report.counts()["feasible"] == 1  # 满意度 only, not the 合计 nobody printed


def test_the_grade_line_reviews_the_claimed_total(table: Ruleset) -> None:
    from rubric import Claimed
    from rubric.present.filed import grade_review

    facts = {**FACTS, "按期完成": False, "满意度": 85}  # 71.24: 中
    report = audit(table, facts, Claimed(total=90))
    assert grade_review(report) == "按申报合计 90：优；按规则：中"
    assert grade_review(audit(table, facts, Claimed())) == ""
    en = audit(table, facts, Claimed(total=90), lang="en")
    assert grade_review(en) == "the claimed total 90: 优; by the rules: 中"


def test_a_ruleset_refusing_the_rounded_precision_never_aborts_the_audit(
        table: Ruleset, monkeypatch: pytest.MonkeyPatch) -> None:
    from rubric import Claimed, RubricError
    from rubric.audit import rounding

    def refuse(*_args: object) -> None:
        raise RubricError("a rule needs 2 decimals")

    monkeypatch.setattr(rounding, "_rounded_reading", refuse)
    report = audit(table, FACTS, Claimed({"培训人次": 9, "覆盖村数": 9}, total=98))
    assert report.rounding is not None and report.rounding.rounded is None
    assert report.rounding.text().endswith("合计：按规则精度 97.24，按取整后各行 无法汇总")
    assert report["总分"].status == "wrong"  # no reading to explain it: as computed
