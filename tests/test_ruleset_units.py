"""Declared units: a ruleset's ``units:`` section, its checks, and its isolation."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from rubric import (
    FactSpec,
    LoadError,
    RubricError,
    UnitError,
    UnitSystem,
    check_ruleset,
    dump_ruleset,
    evaluate,
    load_ruleset,
)
from rubric.cli import main
from rubric.engine.compiled import score_only
from rubric.testing import check_properties
from rubric.units import BUILTIN, conversion_factor, dimension, normalize_unit

D = Decimal

RULESET = """\
rubric: 1
policy: {total_points: 25}
units:
  亩: 10000/15 平方米
  标准亩: 666.6666666666666667 平方米
  万人次: 10000 人次
  床日: count
facts:
  治理面积: {unit: 亩, minimum: 0}
  治理面积平方米: {unit: 平方米, formula: 治理面积}
  补助资金: {unit: 万元, minimum: 0}
  亩均补助: {unit: 元/亩, formula: 补助资金 / 治理面积}
  服务人次: {unit: 万人次, minimum: 0}
  床日数: {unit: 床日, minimum: 0}
indicators:
  - id: 治理面积
    max_points: 10
    rule:
      kind: bands
      fact: 治理面积
      bands: [{range: '< 1000', points: 0}, {range: '>= 1000 亩', points: 10}]
  - id: 服务人次
    max_points: 5
    rule: {kind: ratio, actual: 服务人次, target: '20000 人次', points: 5}
  - id: 床日
    max_points: 5
    rule: {kind: ratio, actual: 床日数, target: '300 床日', points: 5}
  - id: 亩均补助
    max_points: 5
    rule:
      kind: bands
      fact: 亩均补助
      bands: [{range: '<= 200', points: 5}, {range: '> 200', points: 0}]
"""


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(RULESET, filename="units.yaml")


def test_the_builtin_registry_has_the_units_of_real_tables() -> None:
    for unit in ("亩", "厘米", "立方米", "头", "所", "万人次", "户", "公里", "人次", "个", "项",
                 "次", "家", "平方米", "公顷", "吨", "千瓦", "元", "万元", "亿元", "天", "月",
                 "年", "万头", "万亩", "米", "千克", "万平方米", "千瓦时", "万千瓦时"):
        assert normalize_unit(unit) == unit


def test_a_ruleset_declaring_units_loads_scores_and_checks(ruleset) -> None:
    facts = {"治理面积": "66.7 公顷", "补助资金": "20 万元", "服务人次": "1.5 万人次",
             "床日数": 240}
    result = evaluate(ruleset, facts)
    assert result.value("治理面积") == D("1000.5")  # 66.7 公顷 × 15 亩/公顷, exactly
    assert result.value("服务人次") == D("1.5")
    assert result.value("亩均补助").quantize(D("0.0001")) == D("199.9000")  # 元/亩
    assert [(r.id, r.low) for r in result.total.children] == [
        ("治理面积", D("10.00")), ("服务人次", D("3.75")), ("床日", D("4.00")),
        ("亩均补助", D("5.00"))]
    assert result.total.low == D("22.75")
    scores = score_only(ruleset, facts)
    assert scores.lows == tuple(r[0] for r in result.records)
    assert scores.highs == tuple(r[1] for r in result.records)
    assert [f for f in check_ruleset(ruleset) if f.severity == "error"] == []
    check_properties(ruleset)  # rubric.testing: bounds and directions hold


def test_declared_factors_are_fractions_carried_exactly(ruleset) -> None:
    system = ruleset.unit_system
    assert conversion_factor("平方米", "亩", system) == D("0.0015")
    assert conversion_factor("公顷", "亩", system) == D("15")
    assert conversion_factor("万亩", "公顷", system) == D("2000") / D("3")
    assert conversion_factor("标准亩", "平方米", system) == D("666.6666666666666667")
    assert dimension("亩", system) == "[area]"
    assert dimension("床日", system) == "[床日]"


def test_declared_units_do_not_leak_into_the_builtin_registry(ruleset) -> None:
    assert dimension("亩") == "[mu]"  # the built-in 亩 is its own dimension
    with pytest.raises(UnitError, match="cannot convert 亩 to 平方米"):
        conversion_factor("亩", "平方米")
    with pytest.raises(UnitError, match="unknown unit '标准亩'"):
        normalize_unit("标准亩")
    with pytest.raises(UnitError, match="unknown unit '标准亩'"):
        FactSpec("面积", unit="标准亩")
    assert evaluate(ruleset, {"治理面积": "1000 亩"}).value("治理面积") == D("1000")


def _area_ruleset(definition: str) -> str:
    return f"""\
rubric: 1
units:
  亩: {definition}
facts:
  面积: {{unit: 平方米, minimum: 0}}
indicators:
  - id: 面积
    max_points: 10
    rule: {{kind: ratio, actual: 面积, target: '1000 亩', points: 10}}
"""


def test_two_rulesets_with_conflicting_declarations_do_not_interfere() -> None:
    exact = load_ruleset(_area_ruleset("10000/15 平方米"), filename="a.yaml")
    large = load_ruleset(_area_ruleset("1000 平方米"), filename="b.yaml")
    facts = {"面积": "500 亩"}
    for _ in range(2):  # interleaved, so no cache keyed by unit text alone can serve both
        # 500 × 2000/3 has no finite decimal: rounded to rubric's 18 places
        assert evaluate(exact, facts).value("面积") == D("333333.333333333333333333")
        assert evaluate(large, facts).value("面积") == D("500000")
        assert evaluate(exact, facts).total.low == D("5.00")
        assert evaluate(large, facts).total.low == D("5.00")
        assert evaluate(large, {"面积": "666667 平方米"}).total.low == D("6.67")
        assert evaluate(exact, {"面积": "666667 平方米"}).total.low == D("10.00")
    assert exact != large
    assert exact.unit_system != large.unit_system


def test_the_units_section_round_trips_through_dump_and_pickle(ruleset) -> None:
    text = dump_ruleset(ruleset)
    assert "units:\n  亩: 10000/15 平方米\n" in text
    assert load_ruleset(text) == ruleset
    again = pickle.loads(pickle.dumps(ruleset))
    assert again == ruleset
    assert again.unit_system == ruleset.unit_system
    assert evaluate(again, {"治理面积": "66.7 公顷"}).value("治理面积") == D("1000.5")


def test_a_ruleset_without_units_uses_the_builtin_ones() -> None:
    plain = load_ruleset(RULESET.split("units:", maxsplit=1)[0] + "facts:\n  x: {unit: 亩}\n"
                         "indicators: [{id: a, max_points: 1, rule: {kind: boolean, "
                         "fact: y, yes_points: 1}}]\n".replace("fact: y", "fact: z")
                         .replace("indicators", "  z: {type: boolean}\nindicators"))
    assert plain.unit_system == BUILTIN
    assert "units:" not in dump_ruleset(plain)


BAD = {
    "not-a-name": ("  标准亩: 666.6666666666666667 平方米\n", "  1亩: 2 平方米\n",
                   ("units.yaml:5:7: $.units.1亩: '1亩' is not a unit name; expected one word "
                   "of letters or Chinese characters, not starting with a digit, at most 32 "
                   "long (example: 亩: 10000/15 平方米, 标准亩: 666.6666666666666667 平方米 or "
                   "头: count)")),
    "unreadable": ("  标准亩: 666.6666666666666667 平方米\n", "  标准亩: 约666平方米\n",
                   ("units.yaml:5:8: $.units.标准亩: unit '标准亩': cannot read the definition "
                   "'约666平方米'; expected a factor (a decimal or a fraction a/b) and a known "
                   "unit, or count (example: 亩: 10000/15 平方米, 标准亩: 666.6666666666666667 "
                   "平方米 or 头: count)")),
    "unknown-unit": ("  万人次: 10000 人次\n", "  万人次: 10000 人头\n",
                     ("units.yaml:6:8: $.units.万人次: unit '万人次' is defined in '人头', which "
                     "is not a known unit; expected a built-in unit (rubric units) or one "
                     "declared before it (example: 亩: 10000/15 平方米, 标准亩: "
                     "666.6666666666666667 平方米 or 头: count)")),
    "zero": ("  万人次: 10000 人次\n", "  万人次: 0 人次\n",
             ("units.yaml:6:8: $.units.万人次: unit '万人次': the factor must not be 0 ('0 人次'); "
             "expected a positive factor (example: 亩: 10000/15 平方米, 标准亩: "
             "666.6666666666666667 平方米 or 头: count)")),
    "alias": ("  床日: count\n", "  名: 2 人\n",
              ("units.yaml:7:6: $.units.名: unit '名' is an alias of the built-in unit 人; "
              "expected a new unit name (example: 亩: 10000/15 平方米, 标准亩: "
              "666.6666666666666667 平方米 or 头: count)")),
    "itself": ("  亩: 10000/15 平方米\n", "  亩: 2 亩\n",
               ("units.yaml:4:6: $.units.亩: unit '亩' is defined in terms of itself ('2 亩'); "
               "expected a definition in other, known units (example: 亩: 10000/15 平方米, "
               "标准亩: 666.6666666666666667 平方米 or 头: count)")),
    "not-text": ("  床日: count\n", "  床日: [1, 2]\n",
                 ("units.yaml:7:7: $.units.床日: unit '床日': the definition must be text, got "
                 "[1, 2]; expected a factor and a known unit, or count (example: 亩: 10000/15 "
                 "平方米, 标准亩: 666.6666666666666667 平方米 or 头: count)")),
}


@pytest.mark.parametrize("case", BAD, ids=str)
def test_a_bad_unit_definition_is_a_load_error_at_its_line(case: str) -> None:
    old, new, expected = BAD[case]
    assert old in RULESET
    with pytest.raises(LoadError) as info:
        load_ruleset(RULESET.replace(old, new, 1), filename="units.yaml")
    assert str(info.value.problems[0]) == expected


def test_units_must_be_a_mapping() -> None:
    text = RULESET.replace(RULESET[RULESET.index("units:"):RULESET.index("facts:")],
                           "units: [亩]\n")
    with pytest.raises(LoadError) as info:
        load_ruleset(text, filename="units.yaml")
    assert str(info.value.problems[0]) == (
        "units.yaml:3:8: $.units: units must be a mapping from unit name to its definition, "
        "got a list; expected name: definition pairs (example: units: {亩: 10000/15 平方米, "
        "万头: 10000 头, 床日: count})")


def test_unit_systems_are_built_in_code_too() -> None:
    system = UnitSystem().declare("标准亩", "666.6666666666666667 平方米").declare("万标准亩",
                                                                           "10000 标准亩")
    spec = FactSpec("面积", unit="万标准亩", unit_system=system)
    assert spec.coerce("666.6666666666666667 公顷") == D("1")
    with pytest.raises(UnitError, match="declared already"):
        system.declare("标准亩", "1 平方米")


def test_rubric_units_lists_a_rulesets_declared_units(tmp_path, capsys) -> None:
    path = tmp_path / "units.yaml"
    path.write_text(RULESET, encoding="utf-8")
    assert main(["units", "--ruleset", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "亩\t\t[area]\t666.6666666666666666666666667 平方米\tdeclared: 10000/15 平方米" in lines
    assert "床日\t\t[床日]\t\tdeclared: count" in lines
    assert main(["units"]) == 0
    assert "亩\t\t[mu]\t" in capsys.readouterr().out.splitlines()


def test_rubric_check_and_score_pass_on_a_ruleset_declaring_units(tmp_path, capsys) -> None:
    path = tmp_path / "units.yaml"
    path.write_text(RULESET, encoding="utf-8")
    facts = tmp_path / "facts.yaml"
    facts.write_text("治理面积: 66.7 公顷\n补助资金: 20 万元\n服务人次: 15000 人次\n床日数: 240\n",
                     encoding="utf-8")
    assert main(["check", str(path)]) == 0
    capsys.readouterr()
    assert main(["score", str(path), str(facts), "--format", "json"]) == 0
    assert '"score": "22.75"' in capsys.readouterr().out


def test_check_sees_the_declared_dimension() -> None:
    def ratio(units: str) -> str:
        return f"""\
rubric: 1
policy: {{total_points: 5}}
{units}facts:
  治理面积: {{unit: 亩, minimum: 0}}
  计划面积: {{unit: 平方米, minimum: 1}}
indicators:
  - id: 面积
    max_points: 5
    rule: {{kind: ratio, actual: 治理面积, target: 计划面积, points: 5}}
"""
    builtin = check_ruleset(load_ruleset(ratio(""), filename="a.yaml"))
    assert [f.code for f in builtin if f.severity == "error"] == ["unit-mismatch"]
    # once 亩 is an area, the two are of one kind but not one scale: the ratio rule
    # divides the values as declared, so the ruleset is refused (never a silent 0.0015×)
    with pytest.raises(RubricError, match=r"b\.yaml:10:11: .* ratio of '治理面积' \(亩\) to "
                       r"'计划面积' \(平方米\): .* 1 平方米 is 0\.0015 亩"):
        load_ruleset(ratio("units: {亩: 10000/15 平方米}\n"), filename="b.yaml")


def test_the_json_schema_accepts_the_units_section_and_refuses_a_bad_name() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from rubric.io import located_yaml
    from rubric.io.schema import ruleset_schema

    validator = jsonschema.Draft202012Validator(ruleset_schema())
    data = located_yaml.read(RULESET).data
    assert list(validator.iter_errors(data)) == []
    data["units"]["1亩"] = "2 平方米"
    assert list(validator.iter_errors(data)) != []
