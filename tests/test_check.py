"""rubric check: each defect injected alone into the seed ruleset is found, with its line.

Two forms of the seed are checked: the Python one (tests/seed_table.py, defects
injected with ``attrs.evolve``) and the shipped YAML one (defects injected into a
temporary copy of the text, found by ``check_file`` and the CLI at the right line).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import seed_table
from rubric import Band, Bands, FactSpec, FormulaRule, Group, Indicator, Ruleset
from rubric.cli import main
from rubric.verify.check import Finding, check_file, check_ruleset

ROOT = Path(__file__).resolve().parents[1]
SEED_YAML = ROOT / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml"
#: Budgets a division is taken by: the seed declares minimum 0, so x/0 is reachable.
DENOMINATORS = ("预算数", "基本支出年度总预算", "项目支出年度总预算", "三公经费预算安排数")
#: The change the seed needs to check clean (proposed to its owner; see the report).
POSITIVE_MINIMUM = Decimal("0.01")


# ---------------------------------------------------------------------------- helpers


def clean_seed() -> Ruleset:
    """The Python seed with a positive minimum for every denominator."""
    rs = seed_table.build()
    facts = [attrs.evolve(s, minimum=POSITIVE_MINIMUM) if s.name in DENOMINATORS else s
             for s in rs.facts]
    return attrs.evolve(rs, facts=facts)


def replace(ruleset: Ruleset, node_id: str, change: Callable[..., object]) -> Ruleset:
    """``ruleset`` with node ``node_id`` replaced by ``change(node)``."""

    def rebuild(node: Group | Indicator) -> Group | Indicator:
        if node.id == node_id:
            return change(node)  # type: ignore[return-value]
        if isinstance(node, Group):
            return attrs.evolve(node, children=[rebuild(c) for c in node.children])
        return node

    return attrs.evolve(ruleset, root=rebuild(ruleset.root))


def with_fact(ruleset: Ruleset, name: str, **changes: object) -> Ruleset:
    facts = [attrs.evolve(s, **changes) if s.name == name else s for s in ruleset.facts]
    return attrs.evolve(ruleset, facts=facts)


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


ADJUSTMENT_BANDS = seed_table.build().node("预算调整率").rule.bands  # type: ignore[union-attr]


def with_bands(*bands: Band, direction: str = "lower", where: str = "seed.yaml:12",
               max_points: Decimal | None = None) -> Ruleset:
    return replace(clean_seed(), "预算调整率", lambda n: attrs.evolve(
        n, rule=Bands("预算调整率", bands, direction), source=where, max_points=max_points))


# ---------------------------------------------------------------------------- the clean seed


def test_the_python_seed_with_positive_budgets_checks_clean() -> None:
    assert check_ruleset(clean_seed()) == []


def test_the_unmodified_python_seed_checks_clean_with_notes_on_zero_budgets() -> None:
    findings = check_ruleset(seed_table.build())
    assert {f.code for f in findings} == {"zero-division"}
    assert all(f.severity == "note" for f in findings)
    assert sorted(re.search(r"divides by '(.+?)'", f.message)[1] for f in findings) == sorted(
        DENOMINATORS)
    sangong = next(f for f in findings if "三公经费预算安排数" in f.message)
    # What the engine does, scored by the check: x/0 drops to 0, 0/0 follows the policy.
    assert ("with 三公经费预算安排数 = 0, row '三公经费控制率' scores 0 at x/0 (+∞, an unbounded "
            "overrun) and 5 at 0/0 (zero_over_zero 'full')") in sangong.message


def test_the_zero_division_warning_follows_the_zero_over_zero_reading() -> None:
    rs = seed_table.build()
    rs = attrs.evolve(rs, policy=attrs.evolve(rs.policy, defaults=attrs.evolve(
        rs.policy.defaults, zero_over_zero="undefined")))
    sangong = next(f for f in check_ruleset(rs) if "三公经费预算安排数" in f.message)
    assert "a range [0, 5] at 0/0 (zero_over_zero 'undefined')" in sangong.message


# ---------------------------------------------------------------------------- bands


def test_a_band_gap_is_found_with_its_closedness() -> None:
    a = ADJUSTMENT_BANDS
    findings = check_ruleset(with_bands(a[0], a[1], a[3], a[4]))  # (10, 20] removed
    (gap,) = only(findings, "band-gap")
    assert gap.severity == "error"
    assert "预算调整率 in (10, 20] fall in no band" in gap.message
    assert gap.where == "seed.yaml:12" and gap.line == 12
    assert gap.indicator == "过程/预算执行/预算调整率"
    assert str(gap).startswith("seed.yaml:12: error: values of 预算调整率 in (10, 20]")
    assert str(gap).endswith("[过程/预算执行/预算调整率]")


def test_a_point_gap_between_two_open_ends_is_found() -> None:
    a = ADJUSTMENT_BANDS
    open_at_10 = Band(4, 0, 10, lower_closed=False, upper_closed=False)
    (gap,) = only(check_ruleset(with_bands(a[0], open_at_10, *a[2:])), "band-gap")
    assert "in [10, 10] fall in no band" in gap.message


def test_values_below_the_first_band_are_a_gap_when_the_domain_allows_them() -> None:
    rs = with_fact(clean_seed(), "预算调整率", minimum=None)
    (gap,) = only(check_ruleset(rs), "band-gap")
    assert "预算调整率 in (-∞, 0) fall in no band" in gap.message


def test_a_band_outside_the_declared_domain_can_never_match() -> None:
    rs = with_fact(clean_seed(), "预算调整率", maximum=25)
    (finding,) = only(check_ruleset(rs), "band-unreachable")
    assert "bands[4] >30 (0 points) can never match: 预算调整率 is declared in [0, 25]" \
        in finding.message


def test_points_rising_against_a_lower_direction_are_proven_from_the_breakpoints() -> None:
    a = ADJUSTMENT_BANDS
    rising = attrs.evolve(a[3], points=4)  # (20, 30] now worth more than (10, 20]
    (finding,) = only(check_ruleset(with_bands(*a[:3], rising, a[4])), "direction")
    assert finding.severity == "error"
    assert ("points rise from 3 (bands[2] (10, 20]) to 4 (bands[3] (20, 30]) as 预算调整率 "
            "grows, but the rule's direction is 'lower'") in finding.message


# ---------------------------------------------------------------------------- bounds


def test_a_rule_that_awards_more_than_the_row_is_worth() -> None:
    a = ADJUSTMENT_BANDS
    rs = with_bands(attrs.evolve(a[0], points=6), *a[1:], max_points=Decimal(5))
    (finding,) = only(check_ruleset(rs), "above-max")
    assert "the rule can award 6, more than the row's 分值 5" in finding.message


def test_full_marks_above_what_the_rule_awards() -> None:
    rs = with_bands(*ADJUSTMENT_BANDS, max_points=Decimal(6))
    (finding,) = only(check_ruleset(rs), "full-marks-unreachable")
    assert "full marks 6 can never be reached: the rule awards at most 5" in finding.message


def test_full_marks_outside_the_declared_domain() -> None:
    rs = with_fact(clean_seed(), "服务对象满意度", maximum=85)
    (finding,) = only(check_ruleset(rs), "full-marks-unreachable")
    assert ("full marks 3 can never be reached: within the declared domain of its facts the "
            "best score is 0 (服务对象满意度 in [0, 85] in %)") in finding.message
    assert finding.indicator == "产出与效果/履职效益/服务对象满意度"


def test_a_group_whose_children_do_not_add_up() -> None:
    rs = replace(clean_seed(), "履职效益",
                 lambda g: attrs.evolve(g, max_points=13, source="seed.yaml:200"))
    findings = only(check_ruleset(rs), "group-sum")
    mine = [f for f in findings if f.indicator == "产出与效果/履职效益"]
    assert len(mine) == 1 and mine[0].line == 200
    assert "children are worth only 12 in all, less than the group's 分值 13" in mine[0].message
    parent = [f for f in findings if f.indicator == "产出与效果"]
    assert "children are worth 46 in all, more than the group's 分值 45" in parent[0].message


def test_a_table_not_worth_the_policy_total() -> None:
    rs = replace(clean_seed(), "总分", lambda g: attrs.evolve(g, max_points=None,
                                                                children=g.children[:1]))
    (finding,) = only(check_ruleset(rs), "total")
    assert "the table is worth 55 but the policy's total is 100" in finding.message


# ---------------------------------------------------------------------------- facts and units


def test_an_unused_fact_is_a_warning_at_its_declaration() -> None:
    rs = clean_seed()
    rs = attrs.evolve(rs, facts=[*rs.facts, FactSpec("无人读取", unit="万元", source="s.yaml:99")])
    (finding,) = only(check_ruleset(rs), "unused-fact")
    assert (finding.severity, finding.where) == ("warning", "s.yaml:99")
    assert "fact '无人读取' is declared but no rule or formula reads it" in finding.message


def test_adding_a_rate_to_money_is_a_unit_mismatch() -> None:
    rs = with_fact(clean_seed(), "预算调整率", formula="预算调整数 / 预算数 * 100 + 预算数",
                   source="seed.yaml:30")
    (finding,) = only(check_ruleset(rs), "unit-mismatch")
    assert finding.where == "seed.yaml:30"
    assert ("adds '预算调整数 / 预算数 * 100' (a pure number) and '预算数' ([currency] (万元))"
            in finding.message)


def test_a_derived_fact_whose_formula_does_not_fit_its_unit() -> None:
    rs = with_fact(clean_seed(), "预算调整率", formula="预算调整数 * 100")
    (finding,) = only(check_ruleset(rs), "unit-mismatch")
    assert ("formula of fact '预算调整率' '预算调整数 * 100' gives [currency], which does not "
            "fit its declared unit %") in finding.message


def test_a_ratio_of_two_money_facts_times_100_fits_percent() -> None:
    rs = with_fact(clean_seed(), "预算调整率", formula="(预算调整数 - 0) / 预算数 * 100")
    assert only(check_ruleset(rs), "unit-mismatch") == []


def test_a_division_that_can_hit_zero_says_what_the_row_will_score() -> None:
    rs = with_fact(clean_seed(), "三公经费预算安排数", minimum=0)
    (finding,) = only(check_ruleset(rs), "zero-division")
    assert finding.severity == "note"  # the policy's 0/0 reading settles it
    assert "divides by '三公经费预算安排数', which can be 0 (declared domain [0, ∞))" \
        in finding.message


# ---------------------------------------------------------------------------- formula rules


def test_a_formula_rule_against_its_direction_gets_a_counterexample() -> None:
    rule = FormulaRule("服务对象满意度 / 20 - 2", 3, direction="lower")
    rs = replace(clean_seed(), "服务对象满意度", lambda n: attrs.evolve(n, rule=rule))
    findings = check_ruleset(rs)
    (finding,) = only(findings, "direction")
    match = re.search(r"the score falls from (\S+) to (\S+) when 服务对象满意度 improves from "
                      r"(\S+) to (\S+) \(direction 'lower'; facts \{服务对象满意度: (\S+)\}",
                      finding.message)
    assert match, finding.message
    before, after, x, y, shown = (Decimal(g) for g in match.groups())
    assert y < x and after < before and shown == x  # a real counterexample, checkable by hand

    def clamp(v: Decimal) -> Decimal:
        return min(Decimal(3), max(Decimal(0), v))

    assert before == clamp(x / 20 - 2) and after == clamp(y / 20 - 2)
    (bounds,) = only(findings, "formula-bounds")
    assert "outside [0, 3] (clamped)" in bounds.message


def test_a_sane_formula_rule_has_no_findings() -> None:
    rule = FormulaRule("min(3, max(0, 服务对象满意度 - 87))", 3, direction="higher")
    rs = replace(clean_seed(), "服务对象满意度", lambda n: attrs.evolve(n, rule=rule))
    assert check_ruleset(rs) == []


# ---------------------------------------------------------------------------- the YAML seed

needs_yaml = pytest.mark.skipif(
    not SEED_YAML.is_file(), reason="rulesets/xiangtan-kgxj-2023/ruleset.yaml not written yet")


def test_a_row_worth_less_than_the_table_rounds_to_is_an_error() -> None:
    rs = attrs.evolve(clean_seed(), policy=attrs.evolve(clean_seed().policy, precision=0))
    rs = replace(rs, "预算调整率", lambda n: attrs.evolve(n, max_points=Decimal("4.5")))
    precision = only(check_ruleset(rs), "precision")
    assert [f.indicator for f in precision] == ["过程/预算执行/预算调整率"]
    assert "分值 4.5 is finer than the table's precision (0 decimals)" in precision[0].message

SATISFACTION_RULE = """              kind: deduction
              fact: 服务对象满意度"""


def seed_text(clean: bool = True) -> str:
    """The shipped seed's text; with ``clean``, every denominator gets a positive minimum."""
    text = SEED_YAML.read_text(encoding="utf-8")
    if clean:
        for name in DENOMINATORS:
            old = f"\n  {name}: {{unit: 万元, minimum: 0"
            assert text.count(old) == 1, old
            text = text.replace(old, f"\n  {name}: {{unit: 万元, minimum: {POSITIVE_MINIMUM}")
    return text


def line_of(text: str, anchor: str, after: str | None = None) -> int:
    start = text.index(after) if after else 0
    return text[:text.index(anchor, start)].count("\n") + 1


def write(tmp_path: Path, text: str, name: str = "ruleset.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# (id, old text, new text, code, message fragment, anchor of the expected line)
DEFECTS = [
    ("band gap", '                - {range: "(10, 20]", points: 3}\n', "", "band-gap",
     "values of 预算调整率 in (10, 20] fall in no band", "- id: 预算调整率"),
    ("band overlap", '{range: "(10, 20]", points: 3}', '{range: "[10, 20]", points: 3}', "load",
     "bands[1] (0, 10] and bands[2] [10, 20] overlap", '{range: "[10, 20]"'),
    ("band never matches", '预算调整率: {unit: "%", minimum: 0,',
     '预算调整率: {unit: "%", minimum: 0, maximum: 25,', "band-unreachable",
     "bands[4] >30 (0 points) can never match", "- id: 预算调整率"),
    ("above the row's max", '{range: "=0", points: 5}', '{range: "=0", points: 6}', "above-max",
     "the rule can award 6, more than the row's 分值 5", "- id: 预算调整率"),
    ("against its direction", '{range: "(20, 30]", points: 2}', '{range: "(20, 30]", points: 4}',
     "direction", "points rise from 3 (bands[2] (10, 20]) to 4 (bands[3] (20, 30])",
     "- id: 预算调整率"),
    ("group does not add up", "        name: 履职效益\n        max_points: 12",
     "        name: 履职效益\n        max_points: 13", "group-sum",
     "children are worth only 12 in all, less than the group's 分值 13", "- id: 履职效益"),
    ("full marks unreachable", '服务对象满意度: {unit: "%", minimum: 0, maximum: 100}',
     '服务对象满意度: {unit: "%", minimum: 0, maximum: 85}', "full-marks-unreachable",
     "full marks 3 can never be reached", "- id: 服务对象满意度"),
    ("unknown fact", "              fact: 基本支出预算控制率\n",
     "              fact: 基本支出预算控制\n", "load",
     ("rule reads fact '基本支出预算控制', which is not declared (did you mean "
      "'基本支出预算控制率'?)"), "fact: 基本支出预算控制\n"),
    ("unused fact", '  服务对象满意度: {unit: "%", minimum: 0, maximum: 100}\n',
     '  服务对象满意度: {unit: "%", minimum: 0, maximum: 100}\n  无人读取: {unit: 万元}\n',
     "unused-fact", "fact '无人读取' is declared but no rule or formula reads it", "无人读取"),
    ("unit mismatch", "formula: 预算调整数 / 预算数 * 100}",
     "formula: 预算调整数 / 预算数 * 100 + 预算数}", "unit-mismatch",
     "adds '预算调整数 / 预算数 * 100' (a pure number) and '预算数' ([currency] (万元))",
     "预算调整率: {unit"),
    ("division by zero", "  三公经费预算安排数: {unit: 万元, minimum: 0.01}",
     "  三公经费预算安排数: {unit: 万元, minimum: 0}", "zero-division",
     "divides by '三公经费预算安排数', which can be 0 (declared domain [0, ∞))",
     "三公经费控制率: {unit"),
    ("duplicate id", "          - id: 基本支出预算控制率\n", "          - id: 预算调整率\n", "load",
     "id '预算调整率' is used twice", "- id: 预算调整率\n            # RECONSTRUCTED"),
]


@needs_yaml
@pytest.mark.parametrize(("old", "new", "code", "fragment", "anchor"), [d[1:] for d in DEFECTS],
                         ids=[d[0] for d in DEFECTS])
def test_each_defect_in_the_yaml_seed_is_found_at_its_line(
        tmp_path: Path, old: str, new: str, code: str, fragment: str, anchor: str) -> None:
    text = seed_text()
    assert text.count(old) == 1, "the seed changed: update the defect"
    text = text.replace(old, new)
    path = write(tmp_path, text)
    findings = check_file(path)
    matching = [f for f in findings if f.code == code and fragment in f.message]
    assert matching, "\n".join(map(str, findings))
    assert matching[0].where == f"{path}:{line_of(text, anchor)}"
    expected = {"unused-fact": "warning", "zero-division": "note"}.get(code, "error")
    assert matching[0].severity == expected


@needs_yaml
def test_a_formula_rule_in_yaml_gets_a_counterexample_at_its_line(tmp_path: Path) -> None:
    text = seed_text()
    rule_at = text.index(SATISFACTION_RULE)
    block_start = text.rindex("            rule:", 0, rule_at)
    block_end = text.find("\n          - id", rule_at)
    text = text[:block_start] + (
        "            rule:\n"
        "              kind: formula\n"
        '              expression: "服务对象满意度 / 20 - 2"\n'
        "              points: 3\n"
        "              direction: lower\n") + (text[block_end:] if block_end != -1 else "")
    path = write(tmp_path, text)
    findings = [f for f in check_file(path) if f.code == "direction"]
    assert len(findings) == 1, findings
    assert "score formula '服务对象满意度 / 20 - 2': the score falls from" in findings[0].message
    assert findings[0].line == line_of(text, "- id: 服务对象满意度")


@needs_yaml
def test_the_yaml_seed_with_positive_budgets_checks_clean(tmp_path: Path) -> None:
    assert check_file(write(tmp_path, seed_text())) == []


@needs_yaml
def test_the_unmodified_yaml_seed_checks_clean_with_notes_on_zero_budgets() -> None:
    findings = check_file(SEED_YAML)
    assert {f.severity for f in findings} == {"note"}
    text = seed_text(clean=False)
    assert [(f.code, f.line) for f in findings] == [
        ("zero-division", line_of(text, f"  {rate}: {{unit"))
        for rate in ("预算调整率", "基本支出预算控制率", "项目支出预算控制率", "三公经费控制率")]


@needs_yaml
def test_cli_check_prints_findings_and_exits_1_on_errors(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = seed_text().replace('{range: "(20, 30]", points: 2}', '{range: "(20, 30]", points: 4}')
    path = write(tmp_path, text)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{path}:{line_of(text, '- id: 预算调整率')}: error: points rise from 3 (bands[2] "
        "(10, 20]) to 4 (bands[3] (20, 30]) as 预算调整率 grows, but the rule's direction is "
        "'lower' [过程/预算执行/预算调整率]")
    assert out[-1] == "1 ruleset checked: 1 error, 0 warnings, 0 notes"


@needs_yaml
def test_cli_check_of_the_seed_is_clean_even_when_strict(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--strict", str(SEED_YAML)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "1 ruleset checked: 0 errors, 0 warnings, 4 notes")


@needs_yaml
def test_cli_check_exits_0_on_warnings_unless_strict(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = seed_text().replace('  服务对象满意度: {unit: "%", minimum: 0, maximum: 100}\n',
                               '  服务对象满意度: {unit: "%", minimum: 0, maximum: 100}\n'
                               '  无人读取: {unit: 万元}\n')
    path = write(tmp_path, text)
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "1 ruleset checked: 0 errors, 1 warning, 0 notes")
    assert main(["check", "--strict", str(path)]) == 1


@needs_yaml
def test_cli_check_of_a_clean_ruleset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--strict", str(write(tmp_path, seed_text()))]) == 0
    assert capsys.readouterr().out == "1 ruleset checked: 0 errors, 0 warnings, 0 notes\n"


@needs_yaml
def test_cli_test_reports_a_deliberately_wrong_case(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "- name: right\n"
        "  facts: {预算调整数: 5, 预算数: 100}\n"
        "  expect: {预算调整率: 4}\n"
        "- name: wrong on purpose\n"
        "  facts: {预算调整数: 10.01, 预算数: 100}\n"
        "  expect:\n"
        "    预算调整率: 4\n", encoding="utf-8")
    assert main(["test", str(SEED_YAML), str(cases)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{cases}:7: case 'wrong on purpose': 预算调整率 expected 4, got 3",
                   "2 cases: 1 passed, 1 failed"]


@needs_yaml
def test_cli_test_passes_the_shipped_cases(capsys: pytest.CaptureFixture[str]) -> None:
    cases = SEED_YAML.parent / "cases.yaml"
    assert main(["test", str(SEED_YAML), str(cases)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(r"(\d+) cases: \1 passed, 0 failed", last)



def test_a_ratio_of_people_to_enterprises_is_a_unit_mismatch() -> None:
    from rubric import CompletionRatio

    rule = CompletionRatio("供养人数", "新增规模工业企业", 3)
    rs = replace(clean_seed(), "供养人数", lambda n: attrs.evolve(n, rule=rule))
    (finding,) = only(check_ruleset(rs), "unit-mismatch")
    assert ("ratio of '供养人数' ([person] (人)) to '新增规模工业企业' ([enterprise] (家))"
            in finding.message)


def test_a_count_whose_domain_admits_negative_values() -> None:
    from rubric import PerOccurrence

    rs = replace(clean_seed(), "供养人数",
                 lambda n: attrs.evolve(n, rule=PerOccurrence("供养人数", 3)))
    assert only(check_ruleset(rs), "domain") == []
    rs = with_fact(rs, "供养人数", minimum=None)
    (finding,) = only(check_ruleset(rs), "domain")
    assert "admits negative values, which fail at evaluation" in finding.message


def test_an_unbounded_band_end_leaves_no_gap_whatever_its_closedness() -> None:
    from rubric import Band, Bands, Group, Indicator

    bands = Bands("x", [Band(5, None, 90, lower_closed=False), Band(3, 90, None)],
                  direction="higher")
    rs = Ruleset(Group("root", [Indicator("r", bands)]), [FactSpec("x", unit="%")])
    assert [f for f in check_ruleset(rs) if f.code == "band-gap"] == []


DESCENDING = """\
rubric: 1
policy: {total_points: 5}
facts:
  预算调整率: {unit: "%", minimum: 0}
indicators:
  - id: A
    max_points: 5
    rule:
      kind: bands
      fact: 预算调整率
      direction: lower
      bands:
        - {range: ">30", points: 0}
        - {range: "(10, 30]", points: 2}
        - {range: "(0, 10]", points: 4}
        - {range: "=0", points: 5}
"""


def test_bands_listed_from_the_best_down_are_checked_and_compiled_as_listed() -> None:
    from rubric import evaluate, load_ruleset, score_only

    ruleset = load_ruleset(DESCENDING)
    assert [f for f in check_ruleset(ruleset) if f.severity != "note"] == []
    for value in ("0", "5", "10", "20", "30", "31"):
        assert score_only(ruleset, {"预算调整率": value}).total == \
            evaluate(ruleset, {"预算调整率": value}).total.score
    wrong = load_ruleset(DESCENDING.replace('">30", points: 0', '">30", points: 3'))
    direction = [f for f in check_ruleset(wrong) if f.code == "direction"]
    assert len(direction) == 1
    assert direction[0].message.startswith("points rise from 2 (bands[1] (10, 30]) to 3 "
                                           "(bands[0] >30) as 预算调整率 grows")
    gap = load_ruleset(DESCENDING.replace('"(10, 30]"', '"(11, 30]"'))
    assert [f.code for f in check_ruleset(gap) if f.severity == "error"] == ["band-gap"]
