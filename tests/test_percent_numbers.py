"""A plain number given for a % fact is read by an explicit, documented reading
(``percent_numbers``: percent, fraction or error), never silently."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from rubric import (
    Band,
    Bands,
    FactError,
    FactSpec,
    Group,
    Indicator,
    Policy,
    RuleDefaults,
    Ruleset,
    evaluate,
    load_ruleset,
    score_only,
)

SATISFACTION = Bands("满意度", [Band(0, 0, 90), Band(3, 90, 100, upper_closed=True)],
                     direction="higher")


def table(reading: str | None = None, fact_reading: str | None = None) -> Ruleset:
    policy = Policy(total_points=3) if reading is None else Policy(
        total_points=3, defaults=RuleDefaults(percent_numbers=reading))
    return Ruleset(Group("总分", [Indicator("满意度行", SATISFACTION)]),
                   [FactSpec("满意度", unit="%", minimum=0, maximum=100,
                             percent_numbers=fact_reading)], policy)


WARNING = ("满意度 = 0.925 按百分数读作 0.925%，看似小数（92.500%）；如为小数请写 '92.5%' "
           "或设 percent_numbers: fraction")


@pytest.mark.parametrize(("reading", "given", "score", "warnings"), [
    pytest.param(None, 0.925, "0", (WARNING,), id="default percent: kept, with a warning"),
    pytest.param("percent", "0.925", "0", (WARNING,), id="percent: text too"),
    pytest.param("percent", "92.5%", "3", (), id="percent: a value with % is no question"),
    pytest.param("percent", 92.5, "3", (), id="percent: above 1 is no question"),
    pytest.param("fraction", 0.925, "3",
                 ("满意度 = 0.925 按小数读作 92.5% (percent_numbers: fraction)",),
                 id="fraction: 0.925 is 92.5 %"),
    pytest.param("fraction", "92.5%", "3", (), id="fraction: a value with % is as written"),
])
def test_each_reading_of_a_plain_number(reading: str | None, given: object, score: str,
                                        warnings: tuple[str, ...]) -> None:
    result = evaluate(table(reading), {"满意度": given})
    assert result.total.score == D(score)
    assert result.warnings == warnings
    assert score_only(table(reading), {"满意度": given}).total == D(score)


def test_fraction_outside_the_domain_is_refused() -> None:
    with pytest.raises(FactError, match=r"fact '满意度' = 1\.2, read as a fraction, is 120%"):
        evaluate(table("fraction"), {"满意度": "1.2"})


def test_error_refuses_plain_numbers_and_accepts_percent_text() -> None:
    with pytest.raises(FactError, match=r"plain number 0\.925 for a % fact could be a percent "
                                        r"or a fraction \(percent_numbers: error\)"):
        evaluate(table("error"), {"满意度": 0.925})
    assert evaluate(table("error"), {"满意度": "92.5 %"}).total.score == 3


def test_a_facts_own_reading_wins_over_the_policy() -> None:
    assert evaluate(table("error", fact_reading="fraction"), {"满意度": 0.95}).total.score == 3


def test_the_readings_load_from_yaml(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.yaml"
    path.write_text(
        "rubric: 1\n"
        "policy: {total_points: 3, defaults: {percent_numbers: error}}\n"
        "facts:\n"
        "  满意度: {unit: '%', minimum: 0, maximum: 100, percent_numbers: fraction}\n"
        "root: {id: 总分}\n"
        "indicators:\n"
        "  - id: 满意度行\n"
        "    rule: {kind: bands, fact: 满意度, direction: higher, bands: [\n"
        "      {range: '[0, 90)', points: 0}, {range: '[90, 100]', points: 3}]}\n",
        encoding="utf-8")
    ruleset = load_ruleset(path)
    assert ruleset.policy.defaults.percent_numbers == "error"
    assert evaluate(ruleset, {"满意度": 0.95}).total.score == 3


@pytest.mark.parametrize(("reading", "given", "zh", "en"), [
    ("fraction", 0.925, "满意度 原文 0.925，按小数读作 92.5%（percent_numbers: fraction）；",
     "满意度 given as 0.925, read as 92.5% (percent_numbers: fraction); "),
    ("percent", "0.925", "满意度 原文 0.925，按百分数读作 0.925%（percent_numbers: percent）；",
     "满意度 given as 0.925, read as 0.925% (percent_numbers: percent); "),
    ("percent", 92.5, None, None),  # nothing to question: no reading shown
])
def test_the_row_explanation_opens_with_the_reading_applied(
        reading: str, given: object, zh: str | None, en: str | None) -> None:
    row = evaluate(table(reading), {"满意度": given})["满意度行"]
    if zh is None:
        assert "percent_numbers" not in row.explain("zh") + row.explain("en")
    else:
        assert row.explain("zh").startswith(zh)
        assert row.explain("en").startswith(en)
        assert row.to_dict()["trace"][0]["type"] == "percent_reading"
