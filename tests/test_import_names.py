"""``rubric import --names-from PRIOR``: last year's fact names kept where the shapes match.

Each test imports a small Markdown table against a small prior ruleset and checks what
was renamed, declared, reported and left as parsed.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pytest

from rubric import evaluate, load_ruleset
from rubric.cli import main
from rubric.criteria.importer import draft_ruleset
from rubric.criteria.prior_names import read_prior
from rubric.criteria.table import read_table
from rubric.errors import RubricError

HEAD = ("| 一级指标 | 二级指标 | 三级指标 | 分值 | 指标解释 | 评价标准 |\n"
        "|---|---|---|---|---|---|\n")


def _table(tmp_path: Path, rows: list[tuple[str, str, str, str]], title: str = "") -> Path:
    path = tmp_path / "table.md"
    body = "".join(f"| 产出 | 数量 | {n} | {p} | {d} | {c} |\n" for n, p, d, c in rows)
    path.write_text((f"# {title}\n\n" if title else "") + HEAD + body, encoding="utf-8")
    return path


def _prior(tmp_path: Path, facts: str, rows: str) -> Path:
    path = tmp_path / "prior.yaml"
    path.write_text(f"rubric: 1\nfacts:\n{facts}\nindicators:\n  - id: 产出\n    children:\n"
                    f"{rows}", encoding="utf-8")
    load_ruleset(path)  # a valid prior
    return path


def _run(table: Path, out: Path, *options: str) -> tuple[Any, str, str]:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["import", str(table), "-o", str(out), *options]) == 0
    text = (out / "ruleset.yaml").read_text(encoding="utf-8")
    return load_ruleset(out / "ruleset.yaml"), text, buf.getvalue()


def _rule(ruleset: Any, name: str) -> Any:
    return next(r.rule for r in ruleset.indicators() if (r.name or r.id) == name)


CHECKLIST = "①按规定内容公开预决算信息,3分;②按规定时限公开预决算信息,2分"


def test_a_checklist_and_its_items_renamed(tmp_path: Path) -> None:
    prior = _prior(tmp_path, "  按内容: {type: boolean, description: 按规定内容公开}\n"
                             "  按时限: {type: boolean}",
                   "      - {id: 信息公开, max_points: 5, rule: {kind: checklist, items: "
                   "[{fact: 按内容, points: 3}, {fact: 按时限, points: 2}]}}\n")
    table = _table(tmp_path, [("信息公开", "5", "", CHECKLIST)])
    ruleset, text, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    assert [i.fact for i in _rule(ruleset, "信息公开").items] == ["按内容", "按时限"]
    assert ruleset.specs["按内容"].description == "按规定内容公开"  # the table has none
    assert f"named from {prior}: 信息公开: 按内容 ← 按规定内容公开预决算信息" in summary
    assert f"# named from {prior}: 按内容 ← 按规定内容公开预决算信息; 按时限 ←" in text
    skeleton = (tmp_path / "out" / "facts.yaml").read_text(encoding="utf-8")
    assert "按内容:" in skeleton and "按规定内容公开预决算信息:" not in skeleton
    # Without --names-from the table's own names stay.
    alone, _, _ = _run(table, tmp_path / "alone")
    assert [i.fact for i in _rule(alone, "信息公开").items] == ["按规定内容公开预决算信息",
                                                                 "按规定时限公开预决算信息"]


def test_a_shape_that_differs_is_not_renamed(tmp_path: Path) -> None:
    prior = _prior(tmp_path, "  完成日期: {type: date}\n  按内容: {type: boolean}\n"
                             "  按时限: {type: boolean}",
                   "      - {id: 按时完成, max_points: 3, rule: {kind: deadline, fact: 完成日期, "
                   "deadline: 2023-12-31, points: 3}}\n"
                   "      - {id: 信息公开, max_points: 5, rule: {kind: checklist, items: "
                   "[{fact: 按内容, points: 2}, {fact: 按时限, points: 3}]}}\n")
    table = _table(tmp_path, [("按时完成", "3", "", "是否完成工作任务,是3分,否0分"),
                              ("信息公开", "5", "", CHECKLIST)])
    ruleset, text, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    alone, _, _ = _run(table, tmp_path / "alone")
    assert _rule(ruleset, "按时完成") == _rule(alone, "按时完成")  # as parsed
    assert _rule(ruleset, "按时完成").kind == "boolean"
    assert "按时完成: not renamed: shape differs (prior: deadline, parsed: boolean)" in summary
    assert ("信息公开: not renamed: shape differs (prior: checklist 2+3, parsed: checklist 3+2)"
            in summary)
    assert [i.fact for i in _rule(ruleset, "信息公开").items] == ["按规定内容公开预决算信息",
                                                                 "按规定时限公开预决算信息"]
    assert "# not renamed: shape differs (prior: deadline, parsed: boolean)" in text
    assert "named from" not in summary


def test_the_row_points(tmp_path: Path) -> None:
    prior = _prior(tmp_path, "  按内容: {type: boolean}\n  按时限: {type: boolean}",
                   "      - {id: 信息公开, max_points: 5, rule: {kind: checklist, items: "
                   "[{fact: 按内容, points: 3}, {fact: 按时限, points: 2}]}}\n")
    # no 分值 printed: the items' points decide (the draft, before its check)
    table = read_table(_table(tmp_path, [("信息公开", "", "", CHECKLIST)]))
    draft = draft_ruleset(table, prior=read_prior(prior))
    assert list(draft.facts) == ["按内容", "按时限"]
    # one item more: not the same rule
    table = _table(tmp_path, [("信息公开", "6", "", CHECKLIST + ";③按规定格式公开,1分")])
    _, _, summary = _run(table, tmp_path / "out6", "--names-from", str(prior))
    assert "not renamed: shape differs (prior: checklist 3+2, parsed: checklist 3+2+1)" in summary
    # the same items, but the prior's row is worth 10 (its items scaled, say): not renamed
    worth = _prior(tmp_path, "  按内容: {type: boolean}\n  按时限: {type: boolean}",
                   "      - {id: 信息公开, max_points: 10, rule: {kind: checklist, items: "
                   "[{fact: 按内容, points: 3}, {fact: 按时限, points: 2}]}}\n")
    table = _table(tmp_path, [("信息公开", "5", "", CHECKLIST)])
    _, _, summary = _run(table, tmp_path / "out5", "--names-from", str(worth))
    assert "not renamed: shape differs (prior 分值 10, parsed 分值 5)" in summary


def test_a_row_found_by_name_when_ids_differ(tmp_path: Path) -> None:
    prior = _prior(tmp_path, "  结余情况: {type: category, categories: [无结余, 未超过上年结余, "
                             "超过上年结余]}",
                   "      - {id: jy, name: 资金结余, max_points: 5, rule: {kind: categorical, "
                   "fact: 结余情况, states: [{value: 无结余, points: 5}, {value: 未超过上年结余, "
                   "points: 3}, {value: 超过上年结余, points: 0}]}}\n")
    table = _table(tmp_path, [("资金 结余", "5", "",
                               "无结余,5分;有结余,但不超过上年结余,3分;结余超过上年结余,不得分")])
    ruleset, _, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    rule = _rule(ruleset, "资金结余")
    assert rule.fact == "结余情况"
    assert [s.value for s in rule.states] == ["无结余", "未超过上年结余", "超过上年结余"]
    assert ruleset.specs["结余情况"].categories == ("无结余", "未超过上年结余", "超过上年结余")
    assert "结余情况 states 未超过上年结余 ← 有结余但不超过上年结余" in summary
    result = evaluate(ruleset, {"结余情况": "未超过上年结余"})
    assert result.total.low == result.total.high == 3


def test_a_stated_unit_that_conflicts_is_kept(tmp_path: Path) -> None:
    prior = _prior(tmp_path, "  高新技术产值: {unit: 万元, minimum: 0, "
                             "description: 全县高新技术产值}",
                   "      - {id: 高新技术产值, max_points: 2, rule: {kind: deduction, "
                   "fact: 高新技术产值, target: 6000000 万元, points: 2, side: below, "
                   "basis: relative, step: 10, per_step: 1}}\n")
    table = _table(tmp_path, [("高新技术产值", "2", "", "628亿元以上2分,每少10%扣1分")])
    ruleset, text, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    spec = ruleset.specs["高新技术产值"]
    assert spec.unit == "亿元"  # the table's
    assert (spec.minimum, spec.description) == (0, "全县高新技术产值")  # the prior fills these
    assert (f"CONFLICT with {prior}: 高新技术产值: the table's unit 亿元 differs from the "
            "prior's 万元: kept the table's") in summary
    assert "# CONFLICT with" in text
    # The rule's numbers are the criterion's, never the prior's: 628 亿元, not 600 亿元
    # (560 is 10.8 % short of 628, one step: 1 point; 6.7 % short of 600 would keep 2).
    rule = _rule(ruleset, "高新技术产值")
    assert rule.target == 628
    assert evaluate(ruleset, {"高新技术产值": "628 亿元"}).total.low == 2
    assert evaluate(ruleset, {"高新技术产值": "560 亿元"}).total.low == 1


def test_units_declared_from_the_prior(tmp_path: Path) -> None:
    prior = _prior(tmp_path, "  调整数: {unit: 万元, minimum: 0}\n"
                             "  预算数: {unit: 万元, minimum: 0}\n"
                             "  预算调整率: {unit: '%', formula: 调整数 / 预算数 * 100}",
                   "      - {id: 预算调整率, max_points: 5, rule: {kind: bands, fact: 预算调整率, "
                   "bands: [{range: '<=10', points: 5}, {range: '>10', points: 0}]}}\n")
    table = _table(tmp_path, [("预算调整率", "5", "预算调整率=预算调整数/年初预算数×100%",
                               "预算调整率≤10%,计5分;大于10%不得分")])
    ruleset, text, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    assert str(ruleset.specs["预算调整率"].formula) == "调整数 / 预算数 * 100"
    assert ruleset.specs["调整数"].unit == ruleset.specs["预算数"].unit == "万元"
    assert "调整数 ← 预算调整数" in summary and "预算数 ← 年初预算数" in summary
    assert "指标解释没有写单位" not in text  # the unit is now declared
    skeleton = (tmp_path / "out" / "facts.yaml").read_text(encoding="utf-8")
    assert "调整数:   # 万元" in skeleton
    result = evaluate(ruleset, {"调整数": "1 万元", "预算数": "100000 元"})  # 10 %
    assert result.total.low == 5


def test_a_prior_name_another_row_reads_is_not_taken(tmp_path: Path) -> None:
    prior = _prior(tmp_path, "  供养人数: {unit: 人}",
                   "      - {id: 在编人数, max_points: 3, rule: {kind: deduction, fact: 供养人数, "
                   "target: 100 人, points: 3, side: both, basis: relative, step: 5, "
                   "per_step: 1}}\n")
    table = _table(tmp_path, [("供养人数", "3", "", "131人计3分,增减幅度每超过5%扣1分"),
                              ("在编人数", "3", "", "在编人数100人计3分,增减幅度每超过5%扣1分")])
    ruleset, _, summary = _run(table, tmp_path / "out", "--names-from", str(prior))
    assert _rule(ruleset, "在编人数").fact == "在编人数"
    assert "在编人数: not renamed:" in summary and "供养人数, which another row reads" in summary
    assert "供养人数: not renamed: no row of" in summary


def test_a_bad_prior_is_a_located_error(tmp_path: Path) -> None:
    bad = tmp_path / "prior.yaml"
    bad.write_text("rubric: 1\nindicators: 3\n", encoding="utf-8")
    with pytest.raises(RubricError):
        read_prior(bad)
    table = _table(tmp_path, [("信息公开", "5", "", CHECKLIST)])
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["import", str(table), "-o", str(tmp_path / "out"),
                     "--names-from", str(bad)]) == 1
    assert "prior.yaml" in err.getvalue()


def test_the_python_api(tmp_path: Path) -> None:
    prior = _prior(tmp_path, "  按内容: {type: boolean}\n  按时限: {type: boolean}",
                   "      - {id: 信息公开, max_points: 5, rule: {kind: checklist, items: "
                   "[{fact: 按内容, points: 3}, {fact: 按时限, points: 2}]}}\n")
    table = read_table(_table(tmp_path, [("信息公开", "5", "", CHECKLIST)]))
    draft = draft_ruleset(table, prior=read_prior(prior))
    assert draft.adopted is not None
    assert [r for r, _ in draft.adopted.named] == ["信息公开"]
    assert list(draft.facts) == ["按内容", "按时限"]
