"""``rubric diff``: the seed ruleset against a copy with re-weighted rows, a renamed row
(by id and by name), a changed band and a row replaced; a batch of 1 000 generated units
whose expected counts are computed here by scoring each unit with both rulesets through
``evaluate``; and ``rubric score DIR --year`` picking the version in force."""

from __future__ import annotations

import csv
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rubric import (
    RulesetError,
    diff_batch,
    diff_batch_file,
    diff_rulesets,
    dump_ruleset,
    evaluate,
    load_ruleset,
    pick_ruleset,
)
from rubric.cli import main
from rubric.errors import LoadError, RubricError

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
PUBLISHED = ("  published: claimed.yaml   # the scores the report printed; rubric score checks "
             "them against the facts\n")


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _seed_text() -> str:
    return _edit(SEED.read_text(encoding="utf-8"), PUBLISHED, "")


def _new_text() -> str:
    t = _edit(_seed_text(), "fiscal_year: 2023", "fiscal_year: 2024")
    # a changed band: (10, 20] 3 / (20, 30] 2 becomes (10, 15] 3 / (15, 30] 2
    t = _edit(t, '- {range: "(10, 20]", points: 3}\n                - {range: "(20, 30]", '
                 'points: 2}',
              '- {range: "(10, 15]", points: 3}\n                - {range: "(15, 30]", '
                 'points: 2}')
    # renamed, matched by id
    t = _edit(t, "name: 结余结转核算\n", "name: 结余结转分项目核算\n")
    # renamed, matched by name (the id changed)
    t = _edit(t, "- id: 政府采购完成情况\n", "- id: 政府采购\n")
    # re-weighted: 供养人数 3 -> 2, 新增高新技术企业 3 -> 4 (职责履行 stays 33)
    t = _edit(t, "max_points: 3   # RECONSTRUCTED from the criterion (\"131人计3分\")",
              "max_points: 2")
    t = _edit(t, "target: 131 人\n              points: 3",
              "target: 131 人\n              points: 2")
    t = _edit(t, "max_points: 3   # RECONSTRUCTED from the criterion\n            criterion: "
                 "15家以上3分;每少10%扣1分\n            rule: {kind: deduction, fact: "
                 "新增高新技术企业, target: 15 家, points: 3",
              "max_points: 4\n            criterion: 15家以上4分;每少10%扣1分\n            rule: "
              "{kind: deduction, fact: 新增高新技术企业, target: 15 家, points: 4")
    # a row replaced: new id and new name (removed + added)
    t = _edit(t, "- id: 推广生态技术促进环境改善\n            name: 推广生态技术,促进环境改善",
              "- id: 生态环境改善\n            name: 促进生态环境改善")
    return t


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(_seed_text(), encoding="utf-8")
    new.write_text(_new_text(), encoding="utf-8")
    return old, new


def test_rows_added_removed_renamed_reweighted_rule_changed(pair: tuple[Path, Path]) -> None:
    d = diff_rulesets(load_ruleset(pair[0]), load_ruleset(pair[1]))
    assert d.counts() == {"added": 1, "removed": 1, "renamed": 2, "reweighted": 2,
                          "rule_changed": 3, "unchanged": 19}
    assert [r.new_id for r in d.added] == ["生态环境改善"]
    assert [r.old_id for r in d.removed] == ["推广生态技术促进环境改善"]
    renamed = {(r.old_id, r.new_id, r.old_name, r.new_name, r.matched_by) for r in d.renamed}
    assert renamed == {
        ("结余结转核算", "结余结转核算", "结余结转核算", "结余结转分项目核算", "id"),
        ("政府采购完成情况", "政府采购", "政府采购完成情况", "政府采购完成情况", "name")}
    assert {(r.new_id, r.old_points, r.new_points) for r in d.reweighted} == {
        ("供养人数", 3, 2), ("新增高新技术企业", 3, 4)}
    assert {r.new_id for r in d.rule_changed} == {"预算调整率", "供养人数", "新增高新技术企业"}
    assert not d.policy_changed and not d.facts_added and not d.facts_removed
    assert not any(g.changed for g in d.groups)


def test_the_changed_band_differs_exactly_on_15_to_20(pair: tuple[Path, Path]) -> None:
    d = diff_rulesets(load_ruleset(pair[0]), load_ruleset(pair[1]))
    row = next(r for r in d.rows if r.new_id == "预算调整率")
    # breakpoints of both rules 0, 10, 15, 20, 30: the probes between them and at them;
    # (15, 20] moved from 3 points to 2, and nothing else did
    assert [(p.values["预算调整率"], p.old, p.new) for p in row.probes] == [
        (Decimal("17.5"), 3, 2), (Decimal(20), 3, 2)]
    assert row.probed == 10
    # checked by scoring the probes with the engine, whole rulesets
    old, new = load_ruleset(pair[0]), load_ruleset(pair[1])
    for x, before, after in (("17.5", 3, 2), ("20", 3, 2), ("15", 3, 3), ("12", 3, 3),
                             ("25", 2, 2)):
        facts = {"预算调整数": x, "预算数": 100}
        assert evaluate(old, facts)["预算调整率"].score == before
        assert evaluate(new, facts)["预算调整率"].score == after


def test_a_reweighted_row_differs_wherever_the_old_one_scored(pair: tuple[Path, Path]) -> None:
    d = diff_rulesets(load_ruleset(pair[0]), load_ruleset(pair[1]))
    row = next(r for r in d.rows if r.new_id == "供养人数")
    by_value = {p.values["供养人数"]: (p.old, p.new) for p in row.probes}
    assert by_value[Decimal(131)] == (3, 2)
    # every differing probe: the old score minus one point, never below 0
    assert all(new == max(old - 1, 0) for old, new in by_value.values())  # type: ignore[operator]
    assert all(old > 0 for old, _new in by_value.values())  # type: ignore[operator]
    # unchanged rows are not probed
    assert all(not r.probes for r in d.rows if not (r.rule_changed or r.reweighted))


def test_text_and_json(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(pair[0]), str(pair[1])]) == 0
    out = capsys.readouterr().out
    assert "行：新增 1，删除 1，改名 2，分值变动 2，规则变动 3，未变 19" in out
    assert "~ 改名 结余结转核算 → 结余结转分项目核算（按编号）" in out
    assert "预算调整率 = 17.5%: 3 → 2" in out
    assert "~ 分值 供养人数: 3 → 2" in out
    assert "+ 新增行 促进生态环境改善（3 分）" in out
    assert main(["diff", str(pair[0]), str(pair[1]), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "rows: 1 added, 1 removed, 2 renamed, 2 re-weighted, 3 with another rule" in out
    assert main(["diff", str(pair[0]), str(pair[1]), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "rubric.diff/1"
    assert data["counts"]["reweighted"] == 2
    assert data["old"]["fiscal_year"] == 2023 and data["new"]["fiscal_year"] == 2024
    band = next(r for r in data["rows"] if r["new_id"] == "预算调整率")
    assert band["probes"] == [{"facts": {"预算调整率": "17.5"}, "old": "3", "new": "2"},
                              {"facts": {"预算调整率": "20"}, "old": "3", "new": "2"}]


def test_the_same_ruleset_has_no_changes(pair: tuple[Path, Path],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    r = load_ruleset(pair[0])
    d = diff_rulesets(r, r)
    assert not d.changed and d.counts()["unchanged"] == 25
    assert main(["diff", str(pair[0]), str(pair[0])]) == 0
    assert "两个规则集相同" in capsys.readouterr().out


def test_usage_and_input_errors(pair: tuple[Path, Path], tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(pair[0]), str(pair[1]), "--changed-only"]) == 2
    assert main(["diff", str(pair[0]), str(tmp_path / "none.yaml")]) == 1
    assert "no such file" in capsys.readouterr().err


# ---------------------------------------------------------------------------- batch


def _units(n: int, seed: int = 16) -> list[dict[str, str]]:
    """Complete facts of ``n`` units, drawn so that most rows vary: 预算调整率 0–40 %, the
    two rows whose 分值 moved across their steps, the rest mostly full."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append({
            "unit": f"单位{i:04d}",
            "预算调整数": str(rng.choice([0, rng.randint(1, 40)])), "预算数": "100",
            "基本支出实际支出": str(rng.randint(90, 125)), "基本支出年度总预算": "100",
            "项目支出实际支出": str(rng.randint(90, 125)), "项目支出年度总预算": "100",
            "资金结余情况": rng.choice(["无结余", "未超过上年结余", "超过上年结余"]),
            "分项目核算结余结转": rng.choice(["是", "否"]),
            "三公经费实际支出数": str(rng.randint(95, 104)), "三公经费预算安排数": "100",
            "已制定管理制度": "是", "管理制度合法合规完整": rng.choice(["是", "否"]),
            "项目支出分项目单独核算": "是", "按规定内容公开": "是",
            "按规定时限公开": rng.choice(["是", "否"]), "政府采购执行": "是",
            "已制定资产管理制度": "是", "资产管理制度合法合规完整": "是",
            "供养人数": str(rng.randint(110, 150)),
            "规模工业增加值增长率": f"{rng.randint(50, 110) / 10}%",
            "新增规模工业企业": str(rng.randint(14, 25)),
            "新增高新技术企业": str(rng.randint(9, 18)),
            "新增国家级专精特新小巨人企业": str(rng.randint(0, 2)),
            "新增省级专精特新小巨人企业": str(rng.randint(1, 4)),
            "高新技术产值": f"{rng.randint(500, 700)} 亿元",
            "选派科技特派员": str(rng.randint(80, 120)),
            "四G和光纤宽带自然村全覆盖": "是",
            "绩效目标完成日期": rng.choice(["2023-12-20", "2024-01-15"]),
            "完成工作任务促进县域经济发展": "是", "社会稳定环境良好": "是",
            "推广生态技术促进环境改善": rng.choice(["是", "否"]),
            "服务对象满意度": f"{rng.randint(85, 99)}%",
        })
    return rows


def _expected(old: Any, new: Any, units: list[dict[str, str]]) -> dict[str, Any]:
    """The summary, computed unit by unit with ``evaluate`` and each ruleset's grades."""
    counts = {"units": len(units), "errors": 0, "score_changed": 0, "score_up": 0,
              "score_down": 0, "grade_changed": 0, "grade_up": 0, "grade_down": 0,
              "grade_unknown": 0}
    moves: dict[str, int] = {}
    old_names = [g.name for g in old.policy.grades]
    new_names = [g.name for g in new.policy.grades]
    for unit in units:
        facts = {k: v for k, v in unit.items() if k != "unit"}
        # the new ruleset has no 推广生态技术促进环境改善 row's id, but the same fact
        a, b = evaluate(old, facts), evaluate(new, facts)
        assert a.score is not None and b.score is not None and a.grade and b.grade
        if a.score != b.score:
            counts["score_changed"] += 1
            counts["score_up" if b.score > a.score else "score_down"] += 1
        ra, rb = old_names.index(a.grade), new_names.index(b.grade)
        if ra != rb:
            counts["grade_changed"] += 1
            counts["grade_up" if rb < ra else "grade_down"] += 1
            key = f"{a.grade}→{b.grade}"
            moves[key] = moves.get(key, 0) + 1
    counts["transitions"] = dict(sorted(moves.items(), key=lambda kv: (-kv[1], kv[0])))
    return counts


def test_a_batch_of_1000_units(pair: tuple[Path, Path], tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    old, new = load_ruleset(pair[0]), load_ruleset(pair[1])
    units = _units(1000)
    path = tmp_path / "units.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(units[0]))
        writer.writeheader()
        writer.writerows(units)
    expected = _expected(old, new, units)
    got = diff_batch_file(old, new, path)
    assert got.summary() == expected
    # the draw moves grades both ways, and many scores (a sanity check of the draw)
    assert expected["grade_up"] > 0 and expected["grade_down"] > 0
    assert expected["score_changed"] > 100
    # each unit's totals are those evaluate gives
    for unit, change in zip(units[:50], got.units[:50]):
        facts = {k: v for k, v in unit.items() if k != "unit"}
        assert change.unit == unit["unit"]
        assert change.old_low == evaluate(old, facts).score
        assert change.new_low == evaluate(new, facts).score
        assert change.delta == evaluate(new, facts).score - evaluate(old, facts).score  # type: ignore[operator]
    assert main(["diff", str(pair[0]), str(pair[1]), "--batch", str(path), "--format",
                 "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["batch"]["summary"] == expected
    assert len(data["batch"]["units"]) == 1000
    assert main(["diff", str(pair[0]), str(pair[1]), "--batch", str(path),
                 "--changed-only"]) == 0
    out = capsys.readouterr().out
    assert (f"等级变动 {expected['grade_changed']}（升 {expected['grade_up']}，降 "
            f"{expected['grade_down']}）") in out
    assert out.count("单位0") + out.count("单位1") == expected["score_changed"] + sum(
        1 for u, c in zip(units, got.units) if c.score_move == "same" and c.grade_move != "same")


def test_a_hand_checked_unit() -> None:
    """Every row full but 预算调整率 = 18 %: 3 of 5 under the old table (98), 2 of 5 under
    the new one (97); 供养人数 131 and 新增高新技术企业 15 家 score their whole 分值 in both
    (3 then 2, 3 then 4), so the re-weighting does not move this unit."""
    old, new = load_ruleset_text(_seed_text()), load_ruleset_text(_new_text())
    unit = {k: v for k, v in _units(1)[0].items() if k != "unit"}
    unit.update({"预算调整数": "18", "基本支出实际支出": "100", "项目支出实际支出": "100",
                 "资金结余情况": "无结余", "分项目核算结余结转": "是", "三公经费实际支出数": "100",
                 "管理制度合法合规完整": "是", "按规定时限公开": "是", "供养人数": "131",
                 "规模工业增加值增长率": "8%", "新增规模工业企业": "20", "新增高新技术企业": "15",
                 "新增国家级专精特新小巨人企业": "1", "新增省级专精特新小巨人企业": "3",
                 "高新技术产值": "628 亿元", "选派科技特派员": "100",
                 "绩效目标完成日期": "2023-12-31", "推广生态技术促进环境改善": "是",
                 "服务对象满意度": "90%"})
    d = diff_batch(old, new, [unit])
    (u,) = d.units
    assert (u.old_low, u.new_low) == (Decimal(98), Decimal(97))
    assert (u.old_grade, u.new_grade, u.grade_move, u.score_move) == ("优", "优", "same", "down")


def load_ruleset_text(text: str) -> Any:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.yaml"
        path.write_text(text, encoding="utf-8")
        return load_ruleset(path)


def test_batch_columns_of_either_ruleset(tmp_path: Path) -> None:
    """A fact only the old ruleset declares is a column the new one ignores."""
    old = load_ruleset_text(_seed_text())
    new_text = _edit(_new_text(), "  社会稳定环境良好: {type: boolean}\n",
                     "  社会稳定环境良好: {type: boolean}\n  新事实: {type: boolean}\n")
    new_text = _edit(new_text, "rule: {kind: boolean, fact: 社会稳定环境良好, yes_points: 3, "
                               "no_points: 0}",
                     "rule: {kind: boolean, fact: 新事实, yes_points: 3, no_points: 0}")
    new = load_ruleset_text(new_text)
    path = tmp_path / "u.csv"
    path.write_text("unit,社会稳定环境良好,新事实\na,是,否\n", encoding="utf-8")
    (u,) = diff_batch_file(old, new, path).units
    assert u.error is None
    assert (u.old_high - u.new_high) == 3  # type: ignore[operator]


# ------------------------------------------------------------------- validity period


def _version(folder: Path, name: str, metadata: str) -> Path:
    text = _edit(_seed_text(), "  fiscal_year: 2023\n", metadata)
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_from_and_until_load_check_and_dump(tmp_path: Path) -> None:
    path = _version(tmp_path, "r.yaml", "  valid_from: 2024-01-01\n  valid_until: '2024-12-31'\n")
    r = load_ruleset(path)
    assert (str(r.metadata.valid_from), str(r.metadata.valid_until)) == ("2024-01-01",
                                                                         "2024-12-31")
    dumped = tmp_path / "d.yaml"
    dumped.write_text(dump_ruleset(r), encoding="utf-8")
    assert load_ruleset(dumped) == r
    with pytest.raises(LoadError, match="valid_from 2024-02-01 is after valid_until"):
        load_ruleset(_version(tmp_path, "bad.yaml",
                              "  valid_from: 2024-02-01\n  valid_until: 2024-01-01\n"))
    with pytest.raises(LoadError, match="valid_until"):
        load_ruleset(_version(tmp_path, "bad2.yaml", "  valid_until: 明年\n"))


def test_metadata_dates_from_python() -> None:
    from rubric import Metadata

    assert str(Metadata(valid_from="2024年1月1日").valid_from) == "2024-01-01"  # type: ignore[arg-type]
    with pytest.raises(RulesetError):
        Metadata(valid_from="2024-02-30")  # type: ignore[arg-type]


@pytest.fixture
def versions(tmp_path: Path) -> Path:
    folder = tmp_path / "versions"
    _version(folder, "2022/ruleset.yaml", "  fiscal_year: 2022\n")
    _version(folder, "2023/ruleset.yaml",
             "  fiscal_year: 2023\n  valid_from: 2023-01-01\n  valid_until: 2023-12-31\n")
    _version(folder, "2024/ruleset.yaml", "  fiscal_year: 2024\n  valid_from: 2024-01-01\n")
    (folder / "2023" / "facts.yaml").write_text("供养人数: 131\n", encoding="utf-8")
    (folder / "notes.yaml").write_text("a: 1\n", encoding="utf-8")  # no 'rubric:' key
    return folder


def test_pick_the_version_in_force(versions: Path) -> None:
    for year, folder in ((2022, "2022"), (2023, "2023"), (2024, "2024"), (2031, "2024")):
        path, ruleset = pick_ruleset(versions, year)
        assert path == versions / folder / "ruleset.yaml"
        assert ruleset.metadata.fiscal_year == int(folder)
    with pytest.raises(RubricError, match="no ruleset is in force in 2021"):
        pick_ruleset(versions, 2021)


def test_several_in_force_is_an_error(versions: Path) -> None:
    _version(versions, "2024b/ruleset.yaml", "  valid_from: 2024-07-01\n")
    with pytest.raises(RubricError, match="2 rulesets are in force in 2024") as info:
        pick_ruleset(versions, 2024)
    assert "2024b" in str(info.value) and "valid_until" in str(info.value)


def test_score_with_a_directory_and_year(versions: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    facts = str(versions / "2023" / "facts.yaml")
    assert main(["score", str(versions), facts, "--year", "2024", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["ruleset"]["fiscal_year"] == 2024
    assert f"2024: {versions / '2024' / 'ruleset.yaml'}" in captured.err
    assert main(["score", str(versions), facts]) == 2
    assert "give --year" in capsys.readouterr().err
    assert main(["score", str(versions), facts, "--year", "2020"]) == 1
    assert "no ruleset is in force in 2020" in capsys.readouterr().err
    # a file: its period is checked; one with no period is taken
    assert main(["score", str(versions / "2022" / "ruleset.yaml"), facts, "--year",
                 "2024"]) == 1
    assert "in force fiscal_year 2022, not in 2024" in capsys.readouterr().err
    assert main(["score", str(versions / "2023" / "ruleset.yaml"), facts, "--year",
                 "2023", "--quiet"]) == 0


def test_batch_scoring_with_a_directory_and_year(versions: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    units = tmp_path / "u.csv"
    units.write_text("unit,供养人数\na,131\n", encoding="utf-8")
    out = tmp_path / "scores.csv"
    assert main(["score", str(versions), "--batch", str(units), "--year", "2023",
                 "--output", str(out)]) == 0
    assert f"2023: {versions / '2023' / 'ruleset.yaml'}" in capsys.readouterr().err
    assert "供养人数" in out.read_text(encoding="utf-8")


def test_boolean_and_deadline_rules_are_probed_at_their_states_and_days(
        tmp_path: Path) -> None:
    every = ROOT / "tests" / "data" / "every_kind.yaml"
    text = every.read_text(encoding="utf-8")
    text = _edit(text, "fact: 公开, yes_points: 5, no_points: 1",
                 "fact: 公开, yes_points: 1, no_points: 1")
    text = _edit(text, "deadline: 2024-09-30", "deadline: 2024-10-31")
    changed = tmp_path / "every.yaml"
    changed.write_text(text, encoding="utf-8")
    d = diff_rulesets(load_ruleset(every), load_ruleset(changed))
    yes_no = next(r for r in d.rows if r.new_id == "是否")
    assert [(p.values, p.old, p.new) for p in yes_no.probes] == [({"公开": True}, 5, 1)]
    assert yes_no.reweighted and yes_no.probed == 2
    late = next(r for r in d.rows if r.new_id == "期限")
    days = {str(p.values["完成日期"]): (p.old, p.new) for p in late.probes}
    # on time under both until 30 September; late (per day) under the old one after it
    assert "2024-09-30" not in days and days["2024-10-31"] == (Decimal("0.5"), 3)
    assert days["2024-11-01"] == (Decimal("0.5"), Decimal("2.9"))
