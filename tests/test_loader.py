"""Loading rulesets and facts files: positions, exact numbers, and every problem at once.

Invalid-input cases are tables with readable ids asserting the exact message and line.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from rubric.cli import main
from rubric.errors import LoadError, RulesetError
from rubric.io import located_yaml as _yaml
from rubric.io.facts_file import load_facts, load_facts_mapping
from rubric.io.loader import load_ruleset
from rubric.io.ranges import parse_range
from rubric.io.schema import ruleset_schema
from rubric.rules import RULE_TYPES, Band, StepDeduction

DATA = Path(__file__).parent / "data"

BASE = textwrap.dedent("""\
    rubric: 1
    facts:
      预算数: {unit: 万元, minimum: 0}
      调整数: {unit: 万元, minimum: 0}
      调整率: {unit: "%", minimum: 0, formula: 调整数 / 预算数 * 100}
      新增企业: {unit: 家, minimum: 0}
    indicators:
      - id: 预算执行
        max_points: 10
        children:
          - id: 预算调整率
            max_points: 5
            rule:
              kind: bands
              fact: 调整率
              bands:
                - {range: "=0", points: 5}
                - {range: "(0, 10]", points: 4}
                - {range: ">10", points: 0}
          - id: 新增企业
            rule: {kind: deduction, fact: 新增企业, target: 20 家, points: 5, step: 10}
    """)

R0 = "$.indicators[0].children[0]"
R1 = "$.indicators[0].children[1]"

# id: (text replaced in BASE, replacement, [(line, exact message), ...])
BROKEN = {
    "syntax-error": (
        "      - id: 新增企业\n", "      - id: 新增企业\n     bad: [\n",
        [(21, ("r.yaml:21:6: YAML syntax error: while parsing a block mapping did not find "
              "expected key; expected valid YAML (or JSON) (example: key: value)"))]),
    "unknown-key": (
        "        max_points: 5\n", "        max_pionts: 5\n",
        [(12, (f"r.yaml:12:9: {R0}.max_pionts: indicator '预算调整率': unknown key 'max_pionts' "
              "in indicator (did you mean 'max_points'?); expected one of id, name, max_points, "
              "criterion, definition, rule (example: max_points: ...)"))]),
    "duplicate-key": (
        "        max_points: 5\n", "        max_points: 5\n        max_points: 6\n",
        [(13, (f"r.yaml:13:9: {R0}.max_points: duplicate key 'max_points' (first at line 12); "
              "expected each key once in a mapping"))]),
    "wrong-type": (
        "        max_points: 5\n", "        max_points: [5]\n",
        [(12, (f"r.yaml:12:21: {R0}.max_points: indicator '预算调整率': 'max_points' has the "
              "wrong type (a list); expected a number (example: 5)"))]),
    "band-overlap": (
        '"(0, 10]"', '"[0, 10]"',
        [(18, (f"r.yaml:18:15: {R0}.rule.bands[1]: indicator '预算调整率': bands[0] =0 and "
              "bands[1] [0, 10] overlap on [0, 0]; expected each value in at most one band; "
              "含 closes only one of two touching ends (example: (0, 10] then (10, 20])"))]),
    "band-unsorted": (
        '- {range: "=0", points: 5}\n            - {range: "(0, 10]", points: 4}',
        '- {range: "(0, 10]", points: 4}\n            - {range: "=0", points: 5}',
        [(18, (f"r.yaml:18:15: {R0}.rule.bands[1]: indicator '预算调整率': bands[1] =0 is out "
              "of order after bands[0] (0, 10]; expected bands sorted one way: from the lowest "
              "values up, or from the highest down (example: =0; (0, 10]; (10, 20]  or  >20; "
              "(10, 20]; (0, 10]; =0)"))]),
    "band-bad-range": (
        '"(0, 10]"', '"0-10"',
        [(18, (f"r.yaml:18:23: {R0}.rule.bands[1].range: indicator '预算调整率': range '0-10' is "
              "not an interval; expected '(a, b]', '[a, b)', '=a', '<=b', '≤b', '<b', '>=a', "
              "'≥a' or '>a' (example: range: '(0, 10]')"))]),
    "unknown-fact-in-formula": (
        "调整数 / 预算数", "调整书 / 预算数",
        [(5, ("r.yaml:5:41: $.facts.调整率.formula: formula of fact '调整率' "
             "'调整书 / 预算数 * 100' uses unknown fact '调整书' (did you mean '调整率'?); "
             "expected names of declared facts (example: 调整率)"))]),
    "unit-mismatch": (
        "target: 20 家", "target: 20 万元",
        [(21, (f"r.yaml:21:53: {R1}.rule.target: indicator '新增企业': cannot convert 万元 to 家; "
              "expected a value in 家 or a unit of the same kind"))]),
    "unknown-unit": (
        "target: 20 家", "target: 20 furlongs",
        [(21, (f"r.yaml:21:53: {R1}.rule.target: indicator '新增企业': unknown unit 'furlongs'; "
              "expected a unit of rubric's registry (元, 万元, 亿元, %, 人, 人次, 家, 个, 项, 次, "
              "天 ...) (example: 万元)"))]),
    "unknown-kind": (
        "kind: deduction", "kind: deductoin",
        [(21, (f"r.yaml:21:22: {R1}.rule.kind: indicator '新增企业': unknown rule kind "
              "'deductoin' (did you mean 'deduction'?); expected one of bands, deduction, "
              "per_occurrence, boolean, checklist, categorical, ratio, coefficient, deadline, "
              "qualitative, formula, tier, sum (example: kind: deduction)"))]),
    "unknown-fact-in-rule": (
        "fact: 新增企业,", "fact: 新增企事业,",
        [(21, (f"r.yaml:21:39: {R1}.rule.fact: indicator '新增企业': rule reads fact '新增企事业', "
              "which is not declared (did you mean '新增企业'?); expected a fact declared under "
              "facts (example: 新增企业)"))]),
    "duplicate-id": (
        "- id: 新增企业", "- id: 预算调整率",
        [(20, (f"r.yaml:20:13: {R1}.id: indicator '预算调整率': id '预算调整率' is used twice "
              "(first at line 11); expected a unique id for every indicator and group"))]),
    "missing-field": (
        ", step: 10}", "}",
        [(21, (f"r.yaml:21:15: {R1}.rule: indicator '新增企业': missing key 'step' in rule "
              "'deduction'; expected 'step' (a number) (example: step: 5)"))]),
    "unknown-choice": (
        "step: 10}", "step: 10, side: under}",
        [(21, (f"r.yaml:21:86: {R1}.rule.side: indicator '新增企业': side: 'under' is not known; "
              "expected below (shortfall), above (overrun) or both (deviation) "
              "(example: side: below)"))]),
    "negative-points": (
        "points: 5, step", "points: -5, step",
        [(21, (f"r.yaml:21:67: {R1}.rule.points: indicator '新增企业': points must not be "
              "negative (got -5); expected 0 or more points (example: points: 5)"))]),
    "object-tag-refused": (
        "max_points: 10", "max_points: !!python/name:os.system 10",
        [(9, ("r.yaml:9:17: $.indicators[0].max_points: tag "
             "'tag:yaml.org,2002:python/name:os.system' is not allowed; expected plain YAML data "
             "(mappings, lists, strings, numbers, dates)"))]),
    "no-format-version": (
        "rubric: 1\n", "",
        [(1, ("r.yaml:1:1: $: missing 'rubric: 1' (the format version) at the top of the file; "
             "expected rubric: 1 (example: rubric: 1)"))]),
    "unknown-fact-type": (
        "新增企业: {unit: 家, minimum: 0}", "新增企业: {type: numbr}",
        [(6, ("r.yaml:6:9: $.facts.新增企业: fact '新增企业': unknown type 'numbr'; "
             "expected one of number, boolean, date, category, text (example: type: number)"))]),
    "group-and-indicator": (
        "        max_points: 5\n        rule:", ("        max_points: 5\n        children: []\n"
                                                "        rule:"),
        [(11, (f"r.yaml:11:9: {R0}: indicator '预算调整率': a node has either 'children' (a "
              "group) or 'rule' (an indicator), not both"))]),
    "nan-points": (
        "points: 5, step", "points: .nan, step",
        [(21, (f"r.yaml:21:67: {R1}.rule.points: '.nan' is not a finite number; expected a "
              "finite number, or quote it for text (example: 4.5)"))]),
    "inf-max-points": (
        "max_points: 10", "max_points: .inf",
        [(9, ("r.yaml:9:17: $.indicators[0].max_points: '.inf' is not a finite number; expected "
             "a finite number, or quote it for text (example: 4.5)"))]),
    "inf-text-points": (
        "points: 5, step", "points: '-inf', step",
        [(21, (f"r.yaml:21:67: {R1}.rule.points: indicator '新增企业': 'points' must be a finite "
              "number (got text '-inf'); expected a finite number (example: 5)"))]),
    "text-points": (
        "points: 5, step", "points: abc, step",
        [(21, (f"r.yaml:21:67: {R1}.rule.points: indicator '新增企业': 'points' has the wrong "
              "type (text 'abc'); expected a number (example: 5)"))]),
    "text-max-points": (
        "        max_points: 5\n", "        max_points: abc\n",
        [(12, (f"r.yaml:12:21: {R0}.max_points: indicator '预算调整率': 'max_points' has the "
              "wrong type (text 'abc'); expected a number (example: 5)"))]),
    "text-band-points": (
        '{range: ">10", points: 0}', '{range: ">10", points: five}',
        [(19, (f"r.yaml:19:38: {R0}.rule.bands[2].points: indicator '预算调整率': 'points' has "
              "the wrong type (text 'five'); expected a number (example: 5)"))]),
    "text-total-points": (
        "rubric: 1\n", "rubric: 1\npolicy: {total_points: x}\n",
        [(2, ("r.yaml:2:24: $.policy.total_points: 'total_points' has the wrong type (text 'x'); "
             "expected a number (example: 5)"))]),
    "hex-integer": (
        "points: 5, step", "points: 0x10, step",
        [(21, (f"r.yaml:21:67: {R1}.rule.points: hexadecimal integer '0x10' is not supported; "
              "expected a decimal number, or quote it for text (example: '0x10')"))]),
    "sexagesimal-integer": (
        "max_points: 10", "max_points: 1:30",
        [(9, ("r.yaml:9:17: $.indicators[0].max_points: sexagesimal number '1:30' is not "
             "supported; expected a decimal number, or quote it for text (example: '1:30')"))]),
    "group-id-wrong-type": (
        "- id: 预算执行\n", "- id: 2023\n",
        [(8, ("r.yaml:8:9: $.indicators[0].id: 'id' has the wrong type (a number (2023)); "
             "expected text (example: 预算执行率)"))]),
    "indicator-id-wrong-type": (
        "- id: 新增企业\n", "- id: 2024\n",
        [(20, (f"r.yaml:20:13: {R1}.id: 'id' has the wrong type (a number (2024)); "
              "expected text (example: 预算执行率)"))]),
}


def test_base_ruleset_loads() -> None:
    ruleset = load_ruleset(BASE)
    rule = ruleset.node("新增企业").rule
    assert isinstance(rule, StepDeduction) and rule.target == Decimal(20)
    assert ruleset.node("预算调整率").source == "<string>:11"


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_ruleset(case: str) -> None:
    old, new, expected = BROKEN[case]
    assert old in BASE
    with pytest.raises(LoadError) as info:
        load_ruleset(BASE.replace(old, new, 1), filename="r.yaml")
    assert [(p.line, str(p)) for p in info.value.problems] == expected


def test_every_problem_is_reported_at_once() -> None:
    text = (BASE.replace("max_points: 5\n", "max_pionts: 5\n")
            .replace("调整数 / 预算数", "调整书 / 预算数")
            .replace("target: 20 家", "target: 20 万元")
            .replace('"(0, 10]"', '"[0, 10]"'))
    with pytest.raises(LoadError) as info:
        load_ruleset(text, filename="r.yaml")
    problems = info.value.problems
    assert [p.line for p in problems] == [5, 12, 18, 21]
    assert str(info.value).splitlines()[0] == "4 problems:"
    assert problems[2].indicator == "预算调整率"
    assert problems[2].path == f"{R0}.rule.bands[1]"


def test_load_error_is_a_ruleset_error_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BASE.replace("kind: deduction", "kind: nope"), encoding="utf-8")
    with pytest.raises(RulesetError, match=rf"^{path}:21:22: "):
        load_ruleset(path)


def test_file_not_found_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="cannot read file"):
        load_ruleset(str(tmp_path / "missing.yaml"))


# ------------------------------------------------------------------------- band ranges

RANGES = {
    "point": ("=0", (Decimal(0), Decimal(0), True, True)),
    "left-open": ("(0, 10]", (Decimal(0), Decimal(10), False, True)),
    "left-closed": ("[80, 90)", (Decimal(80), Decimal(90), True, False)),
    "le": ("<=100", (None, Decimal(100), True, True)),
    "le-unicode": ("≤100%", (None, Decimal(100), True, True)),
    "le-fullwidth": ("≦100", (None, Decimal(100), True, True)),
    "lt": ("<5", (None, Decimal(5), True, False)),
    "gt": (">130", (Decimal(130), None, False, False)),
    "ge": ("≥20", (Decimal(20), None, True, False)),
    "infinite-end": ("(-∞, 5]", (None, Decimal(5), True, True)),
    "fullwidth-comma": ("(0，10]", (Decimal(0), Decimal(10), False, True)),
    "decimal": ("(0.5, 1.25]", (Decimal("0.5"), Decimal("1.25"), False, True)),
}


@pytest.mark.parametrize("case", list(RANGES), ids=list(RANGES))
def test_parse_range(case: str) -> None:
    text, (lo, hi, lc, hc) = RANGES[case]
    got = parse_range(text, "%")
    assert got == {"lower": lo, "upper": hi, "lower_closed": lc, "upper_closed": hc}
    Band(1, **got)  # every parsed range is a valid band


def test_parse_range_converts_units() -> None:
    assert parse_range(">=6 亿元", "万元")["lower"] == Decimal(60000)
    with pytest.raises(RulesetError, match="cannot convert 人 to 万元"):
        parse_range("<5 人", "万元")


@pytest.mark.parametrize("text", ["0-10", "(0, 10", "(0, 5, 10]", "about 5", "=x"])
def test_parse_range_rejects(text: str) -> None:
    with pytest.raises(RulesetError):
        parse_range(text)


def test_units_convert_to_the_declared_unit() -> None:
    text = BASE.replace("target: 20 家", "target: 20").replace(
        '新增企业: {unit: 家, minimum: 0}', '新增企业: {unit: 万元, minimum: "0.1 亿元"}').replace(
        "step: 10}", "step: 10}\n      - id: 产值\n        rule: {kind: deduction, fact: 新增企业, "
        "target: 6.28 亿元, points: 2, step: '5 万元', basis: absolute}")
    ruleset = load_ruleset(text)
    rule = ruleset.node("产值").rule
    assert (rule.target, rule.step) == (Decimal(62800), Decimal(5))
    assert ruleset.specs["新增企业"].minimum == Decimal(1000)


# ------------------------------------------------------------------------ yaml reader


def test_yaml_keeps_decimals_exact_and_positions() -> None:
    doc = _yaml.read("a: 0.1\nb:\n  - 1.50\n  - 2e3\n  - 7\n  - 2023-12-31\n  - '0.1'\n")
    assert doc.data == {"a": Decimal("0.1"), "b": [Decimal("1.50"), Decimal("2E+3"), 7,
                                                   dt.date(2023, 12, 31), "0.1"]}
    assert type(doc.data["b"][2]) is int and type(doc.data["b"][0]) is Decimal
    assert doc.where(("b", 1)) == (4, 5)
    assert doc.where_key(("b",)) == (2, 1)
    assert doc.where(("b", 9)) == doc.where(("b",)) == (3, 3)  # missing: nearest ancestor


def test_yaml_reads_json_and_refuses_duplicate_keys() -> None:
    assert _yaml.read('{"a": [1, 2.5], "b": "x"}').data == {"a": [1, Decimal("2.5")], "b": "x"}
    with pytest.raises(LoadError, match=r"<string>:1:10: \$\.a: duplicate key 'a'"):
        _yaml.read('{"a": 1, "a": 2}')


@pytest.mark.parametrize("text", [
    "a: !!python/object/apply:os.system ['true']\n",
    "a: !custom 1\n",
    "a: !!binary aGVsbG8=\n",
    "b: &x {c: 1}\na:\n  <<: *x\n",
])
def test_yaml_refuses_constructing_tags_and_merge_keys(text: str) -> None:
    with pytest.raises(LoadError):
        _yaml.read(text)


def test_yaml_allows_plain_aliases() -> None:
    assert _yaml.read("a: &x [1, 2]\nb: *x\n").data == {"a": [1, 2], "b": [1, 2]}


# ------------------------------------------------------------------------- facts files

FACTS_RULESET = load_ruleset(BASE)

BROKEN_FACTS = {
    "unknown-fact": (
        "预算书: 10\n",
        [("f.yaml:1:1: $.预算书: unknown fact '预算书' (did you mean '预算数'?); expected a fact "
         "the ruleset declares (example: 预算数)")]),
    "derived-fact": (
        "调整率: 5\n",
        [("f.yaml:1:1: $.调整率: fact '调整率' is derived from a formula (调整数 / 预算数 * 100); "
         "give its inputs instead; expected the facts the formula reads")]),
    "bad-unit": (
        "预算数:\n  value: 10 人\n  source: 年度预算 10 人\n",
        [("f.yaml:2:10: $.预算数.value: fact '预算数': cannot convert 人 to 万元 (value '10 人'); "
         "expected a number in 万元 (example: '10 万元')")]),
    "below-domain": (
        "新增企业: -3\n",
        [("f.yaml:1:7: $.新增企业: fact '新增企业': cannot use value -3; expected a value in "
         "[0, +∞] in 家 (example: '10 家')")]),
    "unknown-entry-key": (
        "预算数: {value: 10, sorce: x}\n",
        [("f.yaml:1:18: $.预算数.sorce: unknown key 'sorce' in fact '预算数' (did you mean "
         "'source'?); expected value and source (example: {value: 34, source: '新增规模工业企业 "
         "34 家'})")]),
}


@pytest.mark.parametrize("case", list(BROKEN_FACTS), ids=list(BROKEN_FACTS))
def test_broken_facts_file(case: str) -> None:
    text, expected = BROKEN_FACTS[case]
    with pytest.raises(LoadError) as info:
        load_facts(text, FACTS_RULESET, filename="f.yaml")
    assert [str(p) for p in info.value.problems] == expected


def test_facts_file_reports_every_problem() -> None:
    text = "预算书: 10\n新增企业: -3\n调整数: 5 万元\n调整率: 1\n"
    with pytest.raises(LoadError) as info:
        load_facts(text, FACTS_RULESET, filename="f.yaml")
    assert [p.line for p in info.value.problems] == [1, 2, 4]


def test_facts_file_values_and_sources() -> None:
    text = "预算数: {value: 0.1 亿元, source: 年度预算 0.1 亿元}\n调整数: 100\n新增企业: 不适用\n"
    facts = load_facts(text, FACTS_RULESET)
    assert facts["预算数"] == Decimal(1000) and facts["调整数"] == Decimal(100)
    assert not facts.known("新增企业")
    assert load_facts_mapping(text) == {"预算数": "0.1 亿元", "调整数": 100, "新增企业": "不适用"}


# ----------------------------------------------------------------------------- schema


def _plain(value: object) -> object:
    """YAML data as JSON data (what an editor validates)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _validator():  # type: ignore[no-untyped-def]
    jsonschema = pytest.importorskip("jsonschema")
    schema = ruleset_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize(
    "path",
    [*sorted(Path(__file__).parent.parent.glob("rulesets/*/ruleset.yaml")),
     DATA / "every_kind.yaml"],
    ids=lambda p: p.parent.name + "/" + p.name)
def test_shipped_rulesets_validate_against_the_schema(path: Path) -> None:
    errors = list(_validator().iter_errors(_plain(_yaml.read(path).data)))
    assert errors == []


@pytest.mark.parametrize("case", ["unknown-key", "wrong-type", "unknown-kind", "no-format-version",
                                  "missing-field", "unknown-choice", "group-and-indicator"])
def test_broken_rulesets_fail_the_schema(case: str) -> None:
    old, new, _expected = BROKEN[case]
    data = _plain(_yaml.read(BASE.replace(old, new, 1)).data)
    assert list(_validator().iter_errors(data)) != []


def test_schema_knows_every_rule_kind_and_field() -> None:
    defs = ruleset_schema()["$defs"]
    assert defs["rule"]["properties"]["kind"]["enum"] == list(RULE_TYPES)
    for kind, cls in RULE_TYPES.items():
        fields = {f.alias or f.name for f in attrs.fields(cls) if f.init and f.eq}
        assert set(defs[f"rule_{kind}"]["properties"]) == fields | {"kind"}, kind


def test_cli_schema_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == ruleset_schema()


def test_a_json_ruleset_loads_like_its_yaml(tmp_path: Path) -> None:
    path = tmp_path / "every_kind.json"
    path.write_text(json.dumps(_plain(_yaml.read(DATA / "every_kind.yaml").data),
                               ensure_ascii=False, indent="\t"), encoding="utf-8")
    assert load_ruleset(path) == load_ruleset(DATA / "every_kind.yaml")


# ------------------------------------------------------- numbers that are not numbers

# (text replaced in BASE, replacement with {v} for the value, path of the value)
NUMERIC_FIELDS = {
    "points": ("points: 5, step", "points: {v}, step", f"{R1}.rule.points"),
    "step": ("step: 10}", "step: {v}}", f"{R1}.rule.step"),
    "target": ("target: 20 家", "target: {v}", f"{R1}.rule.target"),
    "max_points": ("max_points: 10", "max_points: {v}", "$.indicators[0].max_points"),
    "minimum": ("调整数: {unit: 万元, minimum: 0}", "调整数: {unit: 万元, minimum: {v}}",
                "$.facts.调整数.minimum"),
    "band-upper": ('{range: "=0", points: 5}', "{upper: {v}, points: 5}",
                   f"{R0}.rule.bands[0].upper"),
    "band-points": ('{range: ">10", points: 0}', '{range: ">10", points: {v}}',
                    f"{R0}.rule.bands[2].points"),
    "total_points": ("rubric: 1\n", "rubric: 1\npolicy: {total_points: {v}}\n",
                     "$.policy.total_points"),
    "grade-minimum": ("rubric: 1\n", "rubric: 1\npolicy: {grades: [{name: A, minimum: {v}}]}\n",
                      "$.policy.grades[0].minimum"),
}


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN", "+.Inf"])
@pytest.mark.parametrize("field", list(NUMERIC_FIELDS), ids=list(NUMERIC_FIELDS))
def test_non_finite_number_is_a_problem_at_its_line(field: str, value: str) -> None:
    old, new, path = NUMERIC_FIELDS[field]
    new = new.replace("{v}", value)
    text = BASE.replace(old, new, 1)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if new.splitlines()[-1] in row)
    with pytest.raises(LoadError) as info:
        load_ruleset(text, filename="r.yaml")
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.path) == ("r.yaml", line, path)
    assert problem.message == f"{value!r} is not a finite number"
    assert problem.expected == "a finite number, or quote it for text"


def test_text_in_a_numeric_field_is_reported_at_the_field() -> None:
    text = BASE.replace("points: 5, step", "points: abc, step").replace(
        "        max_points: 5\n", "        max_points: 五\n")
    with pytest.raises(LoadError) as info:
        load_ruleset(text, filename="r.yaml")
    got = [(p.line, p.path, p.expected, p.example) for p in info.value.problems]
    assert got == [(12, f"{R0}.max_points", "a number", "5"),
                   (21, f"{R1}.rule.points", "a number", "5")]


def test_numbers_as_text_and_quantities_with_units_still_load() -> None:
    text = (BASE.replace("points: 5, step", "points: '5', step")
            .replace("        max_points: 5\n", "        max_points: '5.0'\n")
            .replace("target: 20 家", "target: '628 家'"))
    ruleset = load_ruleset(text)
    rule = ruleset.node("新增企业").rule
    assert (rule.points, rule.target) == (Decimal(5), Decimal(628))
    assert ruleset.node("预算调整率").max_points == Decimal("5.0")


def test_formula_cycle_is_reported_at_the_first_fact_in_it() -> None:
    text = BASE.replace("新增企业: {unit: 家, minimum: 0}\n",
                        "新增企业: {unit: 家, minimum: 0}\n  a: {formula: b + 1}\n"
                        "  b: {formula: a * 2}\n")
    with pytest.raises(LoadError) as info:
        load_ruleset(text, filename="r.yaml")
    assert [str(p) for p in info.value.problems] == [
        ("r.yaml:7:16: $.facts.a.formula: derived facts form a cycle: a -> b -> a; "
         "expected formulas that do not depend on themselves")]


def test_formula_cycle_points_at_file_order_not_detection_order() -> None:
    text = BASE.replace("新增企业: {unit: 家, minimum: 0}\n",
                        "新增企业: {unit: 家, minimum: 0}\n  p: {formula: y + 1}\n"
                        "  z: {formula: y + 1}\n  y: {formula: 调整率 + z}\n")
    with pytest.raises(LoadError) as info:
        load_ruleset(text, filename="r.yaml")
    [problem] = info.value.problems
    # found from p as y -> z -> y; z is written first, so that is where it is reported
    assert problem.message == "derived facts form a cycle: y -> z -> y"
    assert (problem.line, problem.path) == (8, "$.facts.z.formula")


@pytest.mark.parametrize(("name", "unit"), [("2023年预算数", "万元"), ("3年计划天数", "天")])
def test_ratio_target_naming_a_fact_that_starts_with_a_digit(name: str, unit: str) -> None:
    text = textwrap.dedent(f"""\
        rubric: 1
        facts:
          实际数: {{unit: {unit}, minimum: 0}}
          {name}: {{unit: {unit}, minimum: 0}}
        indicators:
          - id: A
            rule: {{kind: ratio, actual: 实际数, target: {name}, points: 5}}
          - id: B
            rule: {{kind: ratio, actual: 实际数, target: 3 {unit}, points: 5}}
        """)
    ruleset = load_ruleset(text)
    assert ruleset.node("A").rule.target == name
    assert ruleset.node("B").rule.target == Decimal(3)  # a quantity is still a quantity


# ------------------------------------------------------- YAML 1.1 integer surprises

@pytest.mark.parametrize(("text", "value"), [
    ("010", 10), ("-010", -10), ("007", 7), ("09", 9), ("1_000", 1000), ("0", 0), ("+5", 5),
])
def test_yaml_reads_plain_digits_as_decimal_integers(text: str, value: int) -> None:
    got = _yaml.read(f"a: {text}\n").data["a"]
    assert type(got) is int and got == value


@pytest.mark.parametrize(("text", "kind"), [
    ("0x10", "hexadecimal integer"), ("0b11", "binary integer"), ("-0x1F", "hexadecimal integer"),
    ("1:30", "sexagesimal number"), ("190:20:30", "sexagesimal number"),
    ("12:30.5", "sexagesimal number"),
])
def test_yaml_refuses_non_decimal_integers(text: str, kind: str) -> None:
    with pytest.raises(LoadError) as info:
        _yaml.read(f"x: 1\na: {text}\n", filename="f.yaml")
    assert [str(p) for p in info.value.problems] == [
        (f"f.yaml:2:4: $.a: {kind} {text!r} is not supported; expected a decimal number, "
         f"or quote it for text (example: '{text}')")]


def test_quoted_yaml11_forms_stay_text() -> None:
    data = _yaml.read("a: ['010', '0x10', '1:30', '.nan', \"1e3\"]\n").data
    assert data == {"a": ["010", "0x10", "1:30", ".nan", "1e3"]}


def test_facts_file_reads_integers_as_decimal() -> None:
    facts = load_facts("预算数: 010\n调整数: 1_000\n新增企业: 09\n", FACTS_RULESET)
    assert (facts["预算数"], facts["调整数"], facts["新增企业"]) == (10, 1000, 9)


@pytest.mark.parametrize(("value", "message"), [
    (".nan", "'.nan' is not a finite number"),
    ("-.inf", "'-.inf' is not a finite number"),
    ("0x10", "hexadecimal integer '0x10' is not supported"),
    ("0b11", "binary integer '0b11' is not supported"),
    ("1:30", "sexagesimal number '1:30' is not supported"),
])
def test_facts_file_refuses_non_finite_and_non_decimal_values(value: str, message: str) -> None:
    text = f"调整数: 5\n预算数: {value}\n新增企业: {{value: {value}, source: x}}\n"
    with pytest.raises(LoadError) as info:
        load_facts(text, FACTS_RULESET, filename="f.yaml")
    got = [(p.line, p.path, p.message) for p in info.value.problems]
    assert got == [(2, "$.预算数", message), (3, "$.新增企业.value", message)]


def test_a_formula_cycle_is_reported_with_the_other_problems() -> None:
    text = textwrap.dedent("""\
        rubric: 1
        facts:
          a: {formula: "b * 2"}
          b: {formula: "a + 1"}
          f: {unit: 斤}
        indicators:
          - id: x
            rule: {kind: boolean, fact: a, yes_points: 5}
        """)
    with pytest.raises(LoadError) as err:
        load_ruleset(text, filename="r.yaml")
    messages = [(p.line, p.message) for p in err.value.problems]
    assert (3, "derived facts form a cycle: a -> b -> a") in messages
    assert any(line == 5 and "unknown unit '斤'" in m for line, m in messages)
