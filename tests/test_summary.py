"""The lead lines of a scored table: what the run established, before the table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rubric import Claimed, audit, evaluate, load_claimed
from rubric.io.facts_file import load_facts
from rubric.io.loader import load_ruleset
from rubric.present.render import render_table
from rubric.present.summary import published_line, summary_lines
from rubric.text import fmt

SEED = Path(__file__).resolve().parent.parent / "rulesets" / "xiangtan-kgxj-2023"
RULESET = load_ruleset(SEED / "ruleset.yaml")
FACTS = load_facts(SEED / "facts.yaml", RULESET)


def test_partial_facts_say_what_is_settled_and_what_is_open() -> None:
    result = evaluate(RULESET, FACTS)
    settled = [r for r in result.rows() if r.applicable and r.low == r.high]
    points = fmt(sum(r.low for r in settled))
    assert summary_lines(result) == [
        (f"本表 25 行：已确定 {len(settled)} 行（共 {points} 分），待定 {25 - len(settled)} 行"
        f"（缺少 {len(result.missing)} 项事实，见表下）。"),
        "总分 18–100，等级 优/良/中/差。"]
    assert summary_lines(result, "en")[1] == (
        "Total 18–100, grade 优 (excellent)/良 (good)/中 (fair)/差 (poor).")


def test_complete_facts_are_all_settled_and_not_applicable_rows_are_counted() -> None:
    facts = {name: "不适用" if name == "供养人数" else value
             for name, value in _complete().items()}
    result = evaluate(RULESET, facts)
    lines = summary_lines(result)
    assert lines[0] == "本表 25 行，已全部确定，不适用 1 行。"
    assert lines[1] == f"总分 {result.total.low}，等级 {result.grade}。"
    assert render_table(result).splitlines()[1:3] == lines


def _complete() -> dict[str, object]:
    """Every input fact of the seed given a plausible value."""
    out: dict[str, object] = {}
    for spec in RULESET.input_facts():
        if spec.type == "boolean":
            out[spec.name] = True
        elif spec.type == "category":
            out[spec.name] = spec.categories[0]
        elif spec.type == "date":
            out[spec.name] = "2023-12-31"
        elif spec.type == "number":
            out[spec.name] = Decimal(100) if spec.unit == "%" else Decimal(50)
        else:
            out[spec.name] = "是"
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_published_scores_that_the_facts_contradict_are_counted(lang: str) -> None:
    claimed = load_claimed(SEED / "claimed.yaml")
    # 新增规模工业企业 (34 家) scores 5: a claim of 2 is not a score the row can give
    wrong = Claimed(scores={**claimed.scores, "新增规模工业企业": Decimal(2)},
                    maxima=claimed.maxima, total=claimed.total)
    report = audit(RULESET, FACTS, wrong, lang=lang)
    assert not report.ok
    line = published_line(report, "claimed.yaml", wrong.total, lang)
    bad = sum(n for s, n in report.counts().items()
              if s not in ("consistent", "feasible", "unclaimed"))
    if lang == "zh":
        assert line.startswith(f"公布的得分（claimed.yaml）与所给事实不符：{bad} 项（")
    else:
        assert line.startswith(f"The published scores (claimed.yaml) contradict the facts "
                               f"in {bad} places (")
