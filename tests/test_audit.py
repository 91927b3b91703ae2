"""Audit of claimed tables: every class, the claimed-file loader, the CLI."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

import seed_table
from rubric import (
    Band,
    Bands,
    Boolean,
    CompletionRatio,
    FactSpec,
    Group,
    Indicator,
    LoadError,
    Ruleset,
    evaluate,
)
from rubric.audit import (
    Claimed,
    achievable_scores,
    audit,
    format_audit,
    load_claimed,
)

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "rulesets" / "xiangtan-kgxj-2023"

FULL = {
    "预算调整数": 0, "预算数": 100, "基本支出实际支出": 90, "基本支出年度总预算": 100,
    "项目支出实际支出": 95, "项目支出年度总预算": 100, "资金结余情况": "无结余",
    "三公经费实际支出数": "5.125", "三公经费预算安排数": 5, "供养人数": 131,
    "绩效目标完成日期": "2023-12-20", "服务对象满意度": 95,
    **dict.fromkeys(seed_table.BOOLEANS, True),
    **{n: t for n, t, _p, _u in seed_table.TARGETS},
}


@pytest.fixture(scope="module")
def seed() -> Ruleset:
    return seed_table.build()


def computed_claims(ruleset: Ruleset, facts: dict) -> dict[str, Decimal]:
    result = evaluate(ruleset, facts)
    return {r.id: r.low for r in result.nodes() if r.low == r.high and r.depth > 0}


def test_claims_equal_to_the_computed_scores_are_consistent(seed: Ruleset) -> None:
    claims = computed_claims(seed, FULL)
    total = evaluate(seed, FULL).total.score
    report = audit(seed, FULL, Claimed(claims, {"过程": 55, "产出与效果": 45}, total))
    assert report.ok
    assert {e.status for e in report.entries} == {"consistent"}
    assert report["总分"].claimed == total


def test_wrong_claim_shows_both_scores_and_the_explanation(seed: Ruleset) -> None:
    # 三公经费 5.125 / 5 = 102.5%: two whole points over, 5 - 2 = 3
    report = audit(seed, FULL, Claimed({"三公经费控制率": 5}))
    entry = report["三公经费控制率"]
    assert entry.classes == ("wrong",)
    assert entry.computed == 3 and entry.claimed == 5
    assert "5" in entry.messages[0] and "3" in entry.messages[0]
    assert "102.5" in entry.explanation
    assert not report.ok
    text = format_audit(report)
    assert "三公经费控制率 [错误]" in text and "102.5" in text


@pytest.mark.parametrize(("node", "claim", "why"), [
    ("结余结转核算", 4, "不是该规则可能给出的得分"),      # boolean 5 or 0
    ("管理制度健全性", 1, "不是该规则可能给出的得分"),    # checklist 3 + 2
    ("预算调整率", 6, "超出 [0, 5]"),
    ("预算执行", 31, "超出 [0, 30]"),
    ("资金结余", -1, "超出 [0, 5]"),
], ids=["boolean-4", "checklist-1", "row-above-max", "group-above-max", "negative"])
def test_impossible_claims(seed: Ruleset, node: str, claim: int, why: str) -> None:
    entry = audit(seed, FULL, Claimed({node: claim}))[node]
    assert entry.status == "impossible"
    assert why in entry.messages[0]


def test_missing_facts_make_claims_inside_the_range_feasible(seed: Ruleset) -> None:
    facts = {k: v for k, v in FULL.items() if k != "供养人数"}
    report = audit(seed, facts, Claimed({"供养人数": 2, "职责履行": 32}))
    assert report["供养人数"].status == "feasible"
    assert (report["供养人数"].low, report["供养人数"].high) == (0, 3)
    assert "供养人数" in report["供养人数"].messages[0]
    assert report["职责履行"].status == "feasible"
    assert report.ok


def test_claim_outside_the_range_or_between_whole_steps_is_impossible(seed: Ruleset) -> None:
    facts = {k: v for k, v in FULL.items() if k != "供养人数"}
    # range is 0-3 but only whole-step scores 3, 2, 1, 0 exist
    assert audit(seed, facts, Claimed({"供养人数": "2.5"}))["供养人数"].status == "impossible"
    # 职责履行 is at least 30 with 供养人数 unknown (the other rows are full)
    assert audit(seed, facts, Claimed({"职责履行": 29}))["职责履行"].status == "impossible"


def ratio_ruleset() -> Ruleset:
    return Ruleset(Group("总分", [
        Indicator("完成率", CompletionRatio("完成数", 100, 10)),
        Indicator("达标", Boolean("达标", 90)),
    ]), [FactSpec("完成数", minimum=0), FactSpec("达标", type="boolean")])


@pytest.mark.parametrize(("claim", "status"), [
    ("8.62", "consistent"), ("9", "rounding"), ("8.6", "rounding"), ("8", "wrong"),
    ("8.7", "wrong"),
])
def test_rounding_is_its_own_class(claim: str, status: str) -> None:
    report = audit(ratio_ruleset(), {"完成数": "86.2", "达标": True}, Claimed({"完成率": claim}))
    assert report["完成率"].status == status


def test_sum_mismatch_uses_claimed_children(seed: Ruleset) -> None:
    claims = dict.fromkeys(("预算调整率", "基本支出预算控制率", "项目支出预算控制率", "资金结余",
                            "结余结转核算"), 5)
    claims["三公经费控制率"] = 3
    report = audit(seed, FULL, Claimed({**claims, "预算执行": 30}))
    entry = report["预算执行"]
    assert entry.classes == ("wrong", "sum_mismatch")  # the rule gives 28 too
    assert any("28" in m for m in entry.messages)
    # with the claimed children adding up, the subtotal is fine
    assert audit(seed, FULL, Claimed({**claims, "预算执行": 28}))["预算执行"].ok


def test_total_checked_against_implied_subtotals(seed: Ruleset) -> None:
    claims = computed_claims(seed, FULL)
    rows_only = {k: v for k, v in claims.items()
                 if isinstance(seed.node(k), Indicator)}
    good = sum(v for v in rows_only.values())
    assert audit(seed, FULL, Claimed(rows_only, total=good))["总分"].ok
    entry = audit(seed, FULL, Claimed(rows_only, total=good - 1))["总分"]
    assert "sum_mismatch" in entry.classes


def test_maxima_mismatch(seed: Ruleset) -> None:
    report = audit(seed, FULL, Claimed(maxima={"过程": 50}))
    assert report["过程"].status == "maxima_mismatch"
    assert "50" in report["过程"].messages[0] and "55" in report["过程"].messages[0]
    # printed children that do not add up to the printed parent
    report = audit(seed, FULL, Claimed(maxima={"过程": 55, "预算执行": 30, "预算管理": 20,
                                               "资产管理": 4}))
    assert report["过程"].status == "maxima_mismatch"
    assert "54" in report["过程"].messages[-1]
    assert report["资产管理"].status == "maxima_mismatch"


def test_achievable_scores(seed: Ruleset) -> None:
    assert achievable_scores(seed.node("管理制度健全性"), seed) == {0, 2, 3, 5}
    assert achievable_scores(seed.node("结余结转核算"), seed) == {0, 5}
    assert achievable_scores(seed.node("预算调整率"), seed) == {0, 2, 3, 4, 5}
    assert achievable_scores(seed.node("供养人数"), seed) == {0, 1, 2, 3}
    assert achievable_scores(ratio_ruleset().node("完成率"), ratio_ruleset()) is None


def test_band_capped_by_row_max() -> None:
    rs = Ruleset(Group("总分", [Indicator("率", Bands("率", [Band(6, None, 10), Band(0, 10, None)]),
                                          max_points=5)]), [FactSpec("率")])
    assert achievable_scores(rs.node("率"), rs) == {0, 5}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "claimed.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_load_claimed_keeps_lines(tmp_path: Path, seed: Ruleset) -> None:
    path = write(tmp_path, """\
        scores:        # rows and groups
          预算调整率: 5
          三公经费控制率: 5
        maxima:
          产出与效果: 45
        total: 98
        """)
    claimed = load_claimed(path)
    assert claimed.scores == {"预算调整率": 5, "三公经费控制率": 5}
    assert claimed.total == 98 and claimed.maxima == {"产出与效果": 45}
    entry = audit(seed, FULL, claimed)["三公经费控制率"]
    assert entry.where == f"{path}:3"
    assert f"{path}:3: 三公经费控制率" in format_audit(audit(seed, FULL, claimed))


def test_load_claimed_reports_every_problem(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        scores:
          预算调整率: 五
          预算调整率: 5
        totl: 98
        """)
    with pytest.raises(LoadError) as info:
        load_claimed(path)
    lines = str(info.value).splitlines()
    assert lines[0] == "3 problems:"
    assert lines[1].startswith(f"{path}:2:")
    assert "'五' is not a number" in lines[1]
    assert lines[2].startswith(f"{path}:3:") and "listed twice" in lines[2]
    assert lines[3].startswith(f"{path}:4:") and "did you mean 'total'" in lines[3]


def test_unknown_ids_name_the_line_and_suggest(tmp_path: Path, seed: Ruleset) -> None:
    path = write(tmp_path, "scores:\n  预算调整: 5\n")
    with pytest.raises(LoadError) as info:
        audit(seed, FULL, load_claimed(path))
    assert str(info.value).startswith(f"{path}:2: ")
    assert "did you mean '预算调整率'" in str(info.value)


def test_cli_audit_exit_codes(tmp_path: Path) -> None:
    pytest.importorskip("rubric.io.loader", reason="rubric.io.loader (engineer A) not present yet")
    if not (SEED_DIR / "claimed.yaml").exists():
        pytest.skip("rulesets/xiangtan-kgxj-2023 not present yet")
    from rubric.cli import main

    args = [str(SEED_DIR / "ruleset.yaml"), str(SEED_DIR / "facts.yaml")]
    assert main(["audit", *args, str(SEED_DIR / "claimed.yaml")]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("total: 101\n", encoding="utf-8")
    assert main(["audit", *args, str(bad)]) == 1


def test_seed_claimed_table_audits_clean() -> None:
    pytest.importorskip("rubric.io.loader", reason="rubric.io.loader (engineer A) not present yet")
    if not (SEED_DIR / "claimed.yaml").exists():
        pytest.skip("rulesets/xiangtan-kgxj-2023 not present yet")
    from rubric.io.facts_file import load_facts
    from rubric.io.loader import load_ruleset

    ruleset = load_ruleset(SEED_DIR / "ruleset.yaml")
    report = audit(ruleset, load_facts(SEED_DIR / "facts.yaml", ruleset),
                   load_claimed(SEED_DIR / "claimed.yaml"))
    assert report.ok, format_audit(report)
    root = report[ruleset.root.id]
    assert root.claimed == 98 and root.low <= 98 <= root.high


@pytest.fixture
def python_loader(monkeypatch, seed, tmp_path):  # type: ignore[no-untyped-def]
    """The CLI's loader, answering with the seed table built in Python and FULL facts
    (the commands' own wiring is what these tests check). r.yaml and f.yaml exist (in
    the working directory) because the commands check their file arguments first."""
    loader = pytest.importorskip("rubric.io.loader")
    facts_file = pytest.importorskip("rubric.io.facts_file")
    monkeypatch.chdir(tmp_path)
    for name in ("r.yaml", "f.yaml"):
        (tmp_path / name).write_text("# stands in for the seed\n", encoding="utf-8")
    monkeypatch.setattr(loader, "load_ruleset", lambda _p, **_k: seed)
    monkeypatch.setattr(facts_file, "load_facts", lambda _p, _r, **_k: seed.facts_from(FULL))


def test_cli_audit_table_and_exit_codes(tmp_path: Path, python_loader, capsys) -> None:
    from rubric.cli import main

    good = write(tmp_path, "scores:\n  三公经费控制率: 3\n  结余结转核算: 5\n")
    assert main(["audit", "r.yaml", "f.yaml", str(good)]) == 0
    out = capsys.readouterr().out
    assert "三公经费控制率" in out and "一致" in out and "通过" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("scores:\n  三公经费控制率: 5\n", encoding="utf-8")
    assert main(["audit", "r.yaml", "f.yaml", str(bad), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:2: 三公经费控制率 [wrong]: claimed 5, the rule gives 3" in out
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("scores:\n  三公: 5\n", encoding="utf-8")
    assert main(["audit", "r.yaml", "f.yaml", str(unknown)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"rubric: error: {unknown}:2: ") and "Traceback" not in err


def test_cli_report(tmp_path: Path, python_loader, capsys) -> None:
    from rubric.cli import main

    out = tmp_path / "t.md"
    assert main(["report", "r.yaml", "f.yaml", "-o", str(out)]) == 0
    assert "| 三公经费控制率 | 102.5% |" in out.read_text(encoding="utf-8")
    assert main(["report", "r.yaml", "f.yaml", "-o", str(tmp_path / "t.doc")]) == 1
    assert "expected an output ending in" in capsys.readouterr().err


def test_load_claimed_refuses_a_duplicate_total(tmp_path: Path) -> None:
    # read through the located reader: a repeated key is an error at its line, never
    # silently the last value
    path = write(tmp_path, """\
        total: 98
        scores:
          预算调整率: 5
        total: 90
        """)
    with pytest.raises(LoadError) as info:
        load_claimed(path)
    assert str(info.value) == (f"{path}:4:1: $.total: duplicate key 'total' (first at line 1)"
                               "; expected each key once in a mapping")
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.path) == (str(path), 4, "$.total")


def test_a_not_applicable_row_is_not_computed_as_zero() -> None:
    # the score table prints 不计 for a row not applicable; the audit says the same
    from pathlib import Path

    from rubric import audit, load_claimed, load_ruleset
    from rubric.audit import format_audit

    seed = Path(__file__).resolve().parent.parent / "rulesets" / "xiangtan-kgxj-2023"
    ruleset = load_ruleset(seed / "ruleset.yaml")
    report = audit(ruleset, {"供养人数": "不适用"}, load_claimed(seed / "claimed.yaml"))
    entry = report["供养人数"]
    assert not entry.applicable and entry.computed_text() == "不计"
    assert entry.computed_text("en") == "n/a"
    assert entry.to_dict()["applicable"] is False
    line = next(x for x in format_audit(report).splitlines() if "供养人数" in x)
    assert "不计" in line.split() and " 0 " not in f" {line} "
