"""rubric check in Chinese: the message catalog is complete, and every finding kind prints
in Chinese (``--lang zh``) with its severity and line, in text, JSON and SARIF.

Each defect is injected alone into a copy of the shipped YAML seed, as
tests/test_check.py and tests/test_check_findings.py do (their helpers are reused); the
few kinds the loader rejects before ``rubric check`` can see them are built in Python.
English output is pinned by those two files and must not change.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from rubric import Band, FormulaRule
from rubric.cli import main
from rubric.verify.check import Finding, check_file, check_ruleset
from rubric.verify.messages import CATALOG, Message, msg, placeholders
from test_check import (
    ADJUSTMENT_BANDS,
    SEED_YAML,
    clean_seed,
    line_of,
    only,
    replace,
    seed_text,
    with_bands,
    with_fact,
    write,
)
from test_check_findings import (
    ALTERNATIVES,
    QUALITATIVE,
    SATISFACTION,
    formula_seed,
    qualitative_seed,
)

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "rubric"
SEVERITY = {"error": "错误", "warning": "警告", "note": "提示"}
CJK = re.compile(r"[\u4e00-\u9fff]")

needs_yaml = pytest.mark.skipif(not SEED_YAML.is_file(), reason="the YAML seed is missing")


# ---------------------------------------------------------------------------- the catalog


def test_every_entry_has_both_languages_with_the_same_placeholders() -> None:
    for key, (en, zh) in CATALOG.items():
        assert en and zh, key
        assert placeholders(en) == placeholders(zh), key


def test_every_chinese_template_is_chinese() -> None:
    for key, (en, zh) in CATALOG.items():
        words = re.sub(r"\{\w+\}", "", en)
        if re.search(r"[A-Za-z]{3,}", words) and key[0] != "load":
            assert CJK.search(zh), key


def test_every_entry_renders_in_both_languages() -> None:
    for (code, variant), (en, zh) in CATALOG.items():
        params = {name: f"<{name}>" for name in placeholders(en)}
        message = msg(code, variant, **params)
        assert message.render("en") == en.format(**params)
        assert message.render("zh") == zh.format(**params)
        assert "{" not in message.render("zh").replace("{facts}", "")


def _sources() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in SRC.rglob("*.py")}


#: messages whose variant the sources compute: every value they can take
COMPUTED = {
    ("direction", v) for v in ("rise", "fall", "top-rise", "top-fall", "then-lower",
                               "then-upper")} | {
    ("zero-division", f"ratio-{r}") for r in ("full", "zero", "undefined")} | {
    ("zero-division", f"0/0-{d}") for d in ("lower", "higher", "other")} | {
    ("unit-mismatch", v) for v in ("adds", "subtracts", "remainder", "compares", "either",
                                    "takes")} | {
    ("cli", f"{w}{n}") for w in ("rulesets", "errors", "warnings", "notes") for n in ("", "-1")} | {
    ("cli", s) for s in ("error", "warning", "note")}


def test_every_message_the_sources_name_is_in_the_catalog() -> None:
    named: set[tuple[str, str]] = set()
    computed = {code for code, _v in COMPUTED}
    for path, text in _sources().items():
        for code, rest in re.findall(r'\bmsg\(\s*"([\w-]+)"\s*([^\n]{0,40})', text):
            variant = re.match(r',\s*"([\w/-]*)"', rest)
            if variant:
                named.add((code, variant.group(1)))
            elif rest.startswith(")") or re.match(r",\s*\w+=", rest):
                named.add((code, ""))
            else:  # a computed variant: listed in COMPUTED
                assert code in computed, (path, code, rest)
        for code, third in re.findall(
                r'\.report\(\s*"\w+",\s*"([\w-]+)"(?:,\s*([^,)\s]+))?', text):
            if third.startswith('"'):
                named.add((code, third.strip('"')))
            elif not third or "=" in third:
                named.add((code, ""))
            else:  # a computed variant: listed in COMPUTED
                assert code in computed, (path, code, third)
    missing = sorted((named | COMPUTED) - set(CATALOG))
    assert not missing, missing


def test_no_finding_is_built_from_a_free_text() -> None:
    # A finding is built by ``verify.check.finding`` from a catalog message; ``report``
    # calls name a catalog variant, never an English sentence or an f-string.
    for path, text in _sources().items():
        for match in re.finditer(r"\.report\(\s*\"\w+\",\s*\"[\w-]+\",\s*f?\"([^\"]*)\"", text):
            assert re.fullmatch(r"[\w/-]*(\{\w+\})?", match.group(1)), (path, match[0])
        if path.name != "check.py" or path.parent.name != "verify":
            assert not re.search(r"\bFinding\(", text), path


def test_every_finding_code_is_documented() -> None:
    doc = (ROOT / "docs" / "verification.md").read_text(encoding="utf-8")
    codes = {code for code, _v in CATALOG if code not in ("part", "cli")}
    assert {c for c in codes if f"`{c}`" not in doc} == set()


def test_a_message_is_data_and_english_is_the_finding_message() -> None:
    message = msg("below-zero", low=Decimal("-1.50"))
    assert message == Message("below-zero", "", (("low", "-1.5"),))
    assert message.render() == "the row can score -1.5, below 0"
    assert message.render("zh") == "本行可能得 -1.5 分，低于 0"
    with pytest.raises(KeyError):
        msg("below-zero", "no-such-variant")


# ---------------------------------------------------------------------------- every kind


def sub(old: str, new: str, after: str | None = None) -> Callable[[str], str]:
    """A mutation of the seed's text: the first ``old`` after ``after`` becomes ``new``."""

    def mutate(text: str) -> str:
        start = text.index(after) if after else 0
        at = text.index(old, start)
        return text[:at] + new + text[at + len(old):]

    return mutate


def both(*mutations: Callable[[str], str]) -> Callable[[str], str]:
    def mutate(text: str) -> str:
        for m in mutations:
            text = m(text)
        return text

    return mutate


def whole(make: Callable[[], str]) -> Callable[[str], str]:
    return lambda _text: make()


def one_of(_text: str) -> str:
    text = seed_text()
    start = text.index(ALTERNATIVES)
    end = text.index("          - id: 新增省级专精特新小巨人企业")
    wrapped = ("          - id: 企业培育\n            select: one_of\n            children:\n"
               + "".join("    " + line + "\n" for line in text[start:end].splitlines()))
    return text[:start] + wrapped + text[end:]


SPECIALISTS = ("rule: {kind: deduction, fact: 选派科技特派员, target: 100 人, points: 5, "
               "side: below,\n                   basis: relative, step: 10, per_step: 1, "
               "partial: floor, boundary: counts, floor: 0}")
SPECIALISTS_FACT = "选派科技特派员: {unit: 人, minimum: 0}"
SATISFACTION_FACT = '服务对象满意度: {unit: "%", minimum: 0, maximum: 100}'
ADJUSTMENT = "- id: 预算调整率"
SAT_ROW = SATISFACTION.strip()
SPEC_ROW = "- id: 选派科技特派员"
DOMAIN = "声明的取值范围 [0, +∞]，单位 %"

# (id, mutation, code, severity, anchor of the row's line, anchor of the key's line or None,
#  the Chinese message)
KINDS: list[tuple[str, Callable[[str], str], str, str, str, str | None, str]] = [
    ("band-gap", sub('                - {range: "(10, 20]", points: 3}\n', ""), "band-gap",
     "error", ADJUSTMENT, None,
     f"预算调整率 在 (10, 20] 内的取值不属于任何档次（{DOMAIN}）；对其评分会失败"),
    ("category without a state", sub("                - {value: 超过上年结余, points: 0}\n", ""),
     "band-gap", "error", "- id: 资金结余", None,
     "资金结余情况 的以下类别没有对应的状态：超过上年结余（对其评分会失败）"),
    ("band never matches", sub('预算调整率: {unit: "%", minimum: 0,',
                               '预算调整率: {unit: "%", minimum: 0, maximum: 25,'),
     "band-unreachable", "error", ADJUSTMENT, None,
     "bands[4] >30（0 分）永远不会被匹配：预算调整率 声明的取值范围为 [0, 25]，单位 %"),
    ("above the row's max", sub('{range: "=0", points: 5}', '{range: "=0", points: 6}'),
     "above-max", "error", ADJUSTMENT, "max_points: 5",
     "规则最多可给 6 分，超过本行分值 5（引擎会截断；请修改规则或分值）"),
    ("points rise", sub('{range: "(20, 30]", points: 2}', '{range: "(20, 30]", points: 4}'),
     "direction", "error", ADJUSTMENT, None,
     ("随 预算调整率 增大，得分从 3（bands[2] (10, 20]）升至 4（bands[3] (20, 30]），"
     "但规则的方向为 'lower'")),
    ("points fall", sub("direction: lower", "direction: higher", after="fact: 基本支出预算控制率"),
     "direction", "error", "- id: 基本支出预算控制率", None,
     ("随 基本支出预算控制率 增大，得分从 5（bands[0] ≤100）降至 4（bands[1] (100, 110]），"
     "但规则的方向为 'higher'")),
    ("categories against direction", sub("direction: none", "direction: higher"), "direction",
     "error", "- id: 资金结余", None,
     "按 资金结余情况 各类别的声明顺序，得分从 5 变为 3，与方向 'higher' 相反"),
    ("late pays more", sub("points: 3\n              late_points: 0",
                           "points: 2\n              late_points: 3"),
     "direction", "error", "- id: 绩效目标按时完成", None, "逾期完成得 3 分，多于按时完成（2 分）"),
    ("one_of maxima", one_of, "one-of-maxima", "error", "- id: 企业培育", None,
     ("本 one_of（二者择其一）组的备选指标分值不同（'新增高新技术企业' 3，"
     "'新增国家级专精特新小巨人企业' 2）：本组得分取决于单位按哪一项考核；"
     "请给每个备选指标相同的分值")),
    ("group worth more", sub("        name: 履职效益\n        max_points: 12",
                             "        name: 履职效益\n        max_points: 13"),
     "group-sum", "error", "- id: 履职效益", "max_points: 13",
     "下级指标分值合计仅 12，少于本组分值 13：永远拿不到满分"),
    ("group worth less", sub("        name: 履职效益\n        max_points: 12",
                             "        name: 履职效益\n        max_points: 11"),
     "group-sum", "error", "- id: 履职效益", "max_points: 11",
     "下级指标分值合计 12，超过本组分值 11：得分可能超出本组分值（引擎会截断小计）"),
    ("full marks beyond the domain", sub(SATISFACTION_FACT,
                                         '服务对象满意度: {unit: "%", minimum: 0,\n'
                                         '    maximum: 85}'),
     "full-marks-unreachable", "error", SAT_ROW, "maximum: 85}",
     ("满分 3 永远无法达到：在其事实声明的取值范围内最高得分为 0"
      "（服务对象满意度 取值于 [0, 85]，单位 %）")),
    ("full marks beyond the rule", sub("            max_points: 3\n", "            max_points: 4\n",
                                       after=SATISFACTION),
     "full-marks-unreachable", "error", SAT_ROW, "max_points: 4",
     "满分 4 永远无法达到：规则最多给 3 分"),
    ("floor above 0", sub("              floor: 0\n", "              floor: 1\n",
                          after=SATISFACTION),
     "min-above-zero", "warning", SAT_ROW, "floor: 1",
     ("可达到的最低得分为 1，高于 0：floor: 1 使扣分到此为止（扣完为止应写 floor: 0）"
     "（如确属本意，请声明 min_points: 1）")),
    ("step too small", sub("              per_step: 1\n", "              per_step: 0.01\n",
                           after=SATISFACTION),
     "min-above-zero", "warning", SAT_ROW, "per_step: 0.01",
     ("可达到的最低得分为 2.1，高于 0：在 服务对象满意度 声明的取值范围 [0, 100] 内偏差最多为 90，"
     "每 1 扣 0.01 分，永远扣不完 3 分（如确属本意，请声明 min_points: 2.1）")),
    ("occurrences too cheap", both(
        sub(SPECIALISTS, "rule: {kind: per_occurrence, fact: 选派科技特派员, points: 5, "
                         "per_occurrence: 0.1}"),
        sub(SPECIALISTS_FACT, "选派科技特派员: {unit: 人, minimum: 0, maximum: 10}")),
     "min-above-zero", "warning", SPEC_ROW, "rule: {kind: per_occurrence",
     ("可达到的最低得分为 4，高于 0：选派科技特派员 声明最多为 10，每次扣 0.1 分，永远扣不完 5 分"
     "（如确属本意，请声明 min_points: 4）")),
    ("lowest band above 0", sub('{range: ">30", points: 0}', '{range: ">30", points: 1}'),
     "min-above-zero", "warning", ADJUSTMENT, "kind: bands",
     ("可达到的最低得分为 1，高于 0：其事实在声明的取值范围内（预算调整率 取值于 [0, +∞]，单位 %）"
     "没有任何取值能使本行得 0 分（如确属本意，请声明 min_points: 1）")),
    ("min_points not reached", sub("            max_points: 3\n",
                                   "            max_points: 3\n            min_points: 1\n",
                                   after=SATISFACTION),
     "min-points", "warning", SAT_ROW, "min_points: 1",
     "声明了 min_points 1，但可达到的最低得分为 0"),
    ("tiers with a gap", whole(qualitative_seed), "tier-gap", "error", SAT_ROW,
     "{label: 优", ("得分占分值 [0, 60) % 的部分不属于任何档次：各档必须覆盖 0-100%"
                  "（100-80%(含80%)、80-60%(含60%)、60-0%）")),
    ("tiers that overlap", whole(lambda: qualitative_seed(
        QUALITATIVE.replace(
            "{label: 中, lower: 60, upper: 70}", "{label: 中, lower: 0, upper: 80}"))),
     "tier-overlap", "error", SAT_ROW, "{label: 中",
     "tiers[0] '优' [80%, 100%] 与 tiers[1] '中' [0%, 80%] 重叠：该处的得分同时属于两档"),
    ("points fact beyond the points", whole(lambda: qualitative_seed().replace(
        "服务对象满意度: {minimum: 0, maximum: 3}", "服务对象满意度: {minimum: 0, maximum: 5}")),
     "domain", "warning", SAT_ROW, "fact: 服务对象满意度",
     ("服务对象满意度 记录所给分数，但声明的取值范围为 [0, 5]；[0, 3] 以外的取值评分时会失败"
     "（请声明 minimum: 0, maximum: 3）")),
    ("negative counts", both(
        sub(SPECIALISTS, "rule: {kind: per_occurrence, fact: 选派科技特派员, points: 5}"),
        sub(SPECIALISTS_FACT, "选派科技特派员: {unit: 人}")),
     "domain", "error", SPEC_ROW, None,
     "选派科技特派员 是次数，但其声明的取值范围 (-∞, ∞) 允许负值，评分时会失败；请声明 minimum: 0"),
    ("coefficient beyond 100%", both(
        sub(SPECIALISTS, "rule: {kind: coefficient, fact: 服务对象满意度, points: 5}"),
        sub(SATISFACTION_FACT, '服务对象满意度: {unit: "%", minimum: 0, maximum: 120}')),
     "domain", "error", SPEC_ROW, None,
     ("服务对象满意度 声明的取值范围为 [0, 120]，但系数必须在 [0, 100] 内；其他取值评分时会失败"
     "（请声明 minimum: 0, maximum: 100）")),
    ("table total", sub("  total_points: 100", "  total_points: 90"), "total", "error",
     "root: {id: 总分", None, "整张表的分值为 100，但 policy 的总分（total_points）为 90"),
    ("precision", sub("            max_points: 3\n", "            max_points: 3.125\n",
                      after=SATISFACTION),
     "precision", "error", SAT_ROW, "max_points: 3.125",
     "分值 3.125 比表格的精度（2 位小数）更细：得分经舍入可能升至 3.13，超过分值"),
    ("rate plus money", sub("formula: 预算调整数 / 预算数 * 100}",
                            "formula: 预算调整数 / 预算数 * 100 + 预算数}"),
     "unit-mismatch", "error", "预算调整率: {unit", None,
     ("事实 '预算调整率' 的公式 '预算调整数 / 预算数 * 100 + 预算数'："
      "将 '预算调整数 / 预算数 * 100'"
     "（纯数）与 '预算数'（[currency] (万元)）相加")),
    ("ratio of people to enterprises", sub(
        SPECIALISTS, "rule: {kind: ratio, actual: 选派科技特派员, target: 新增规模工业企业, "
                     "points: 5, zero_over_zero: zero}"),
     "unit-mismatch", "error", SPEC_ROW, None,
     ("'选派科技特派员'（[person] (人)）与 '新增规模工业企业'（[enterprise] (家)）之比："
      "两者必须是同一种量")),
    ("derived fact beyond its domain", sub('预算调整率: {unit: "%", minimum: 0,',
                                           '预算调整率: {unit: "%", minimum: 0, maximum: 50,'),
     "derived-domain", "warning", "预算调整率: {unit", None,
     ("事实 '预算调整率' 的公式 '预算调整数 / 预算数 * 100' 在其输入的取值范围内可能得出 [0, ∞) "
     "内的值，超出其声明的取值范围 [0, 50]，单位 %：对这样的事实评分会出错；"
     "请放宽取值范围或限定输入")),
    ("division by a budget that can be 0", sub("  三公经费预算安排数: {unit: 万元, minimum: 0.01}",
                                                "  三公经费预算安排数: {unit: 万元, minimum: 0}"),
     "zero-division", "note", "三公经费控制率: {unit", None,
     ("事实 '三公经费控制率' 的公式 '三公经费实际支出数 / 三公经费预算安排数 * 100' 除以 "
     "'三公经费预算安排数'，它可能为 0（声明的取值范围 [0, ∞)）：当 三公经费预算安排数 = 0 时，"
     "行 '三公经费控制率' 在 x/0（+∞，无界超额）时得 0，在 0/0（zero_over_zero 'full'）时得 5")),
    ("division read by direction", both(
        sub("  三公经费预算安排数: {unit: 万元, minimum: 0.01}",
            "  三公经费预算安排数: {unit: 万元, minimum: 0}"),
        sub("    zero_over_zero: full", "    zero_over_zero: by_direction")),
     "zero-division", "note", "三公经费控制率: {unit", None,
     ("事实 '三公经费控制率' 的公式 '三公经费实际支出数 / 三公经费预算安排数 * 100' 除以 "
     "'三公经费预算安排数'，它可能为 0（声明的取值范围 [0, ∞)）：当 三公经费预算安排数 = 0 时，"
     "行 '三公经费控制率' 在 x/0（+∞，无界超额）时得 0，在 0/0（zero_over_zero 'full'，"
     "越低越好的行按 by_direction）时得 5")),
    ("division by an expression", sub("formula: 预算调整数 / 预算数 * 100}",
                                      "formula: 预算调整数 / (预算数 - 1) * 100}"),
     "zero-division", "note", "预算调整率: {unit", None,
     ("事实 '预算调整率' 的公式 '预算调整数 / (预算数 - 1) * 100' 除以 '预算数 - 1'，它可能为 0"
     "（声明的取值范围 [-0.99, ∞)）：x/0 是无界超额（±∞），0/0 按 zero_over_zero 'full' 处理")),
    ("ratio over a count that can be 0", sub(
        SPECIALISTS, "rule: {kind: ratio, actual: 选派科技特派员, target: 供养人数, points: 5}"),
     "zero-division", "note", SPEC_ROW, None,
     ("比例的分母 供养人数 可能为 0（声明的取值范围 [0, ∞)）：0/0 得满分 5"
      "（zero_over_zero: full）；"
     "非零分子除以 0 是无界比例，按满分截断")),
    ("score formula dividing by 0", whole(lambda: formula_seed(
        "min(3, 服务对象满意度 / 服务对象满意度)")),
     "zero-division", "warning", SAT_ROW, None,
     ("得分公式 'min(3, 服务对象满意度 / 服务对象满意度)' 除以 '服务对象满意度'，它可能为 0"
     "（声明的取值范围 [0, 100]）：此时得分为区间 [0, 满分]")),
    ("not assessed", lambda text: text[:text.index("            rule:", text.index(SATISFACTION))]
     + "            assessed: false\n", "not-assessed", "note", SAT_ROW, None,
     "本行不考核（assessed: false）：其分值不计入总分（policy not_applicable）"),
    ("unused fact", sub(f"  {SATISFACTION_FACT}\n",
                        f"  {SATISFACTION_FACT}\n  无人读取: {{unit: 万元}}\n"),
     "unused-fact", "warning", "无人读取", None,
     "事实 '无人读取' 已声明，但没有任何规则或公式读取它"),
    ("load error", sub('{range: "(10, 20]", points: 3}', '{range: "[10, 20]", points: 3}'),
     "load", "error", '{range: "[10, 20]"', None,
     ("加载失败：bands[1] (0, 10] 与 bands[2] [10, 20] 在 [10, 10] 上重叠；"
      "应为 每个值最多落在一个档位；相邻两档的公共端点只能有一端写“含”")),
]


def _kind_ids() -> list[str]:
    return [k[0] for k in KINDS]


@needs_yaml
@pytest.mark.parametrize(("mutate", "code", "severity", "row", "key", "zh"),
                         [k[1:] for k in KINDS], ids=_kind_ids())
def test_every_finding_kind_prints_in_chinese_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], mutate: Callable[[str], str],
        code: str, severity: str, row: str, key: str | None, zh: str) -> None:
    text = mutate(seed_text())
    path = write(tmp_path, text)
    findings = [f for f in check_file(path) if f.code == code and f.text("zh") == zh]
    assert len(findings) == 1, "\n".join(f.format("zh") for f in check_file(path))
    (f,) = findings
    assert f.severity == severity
    assert f.line == line_of(text, row)
    if key is not None:  # the key at fault: the first match after the row, else before it
        after = row if key in text[text.index(row):] else None
        assert f.key_line == line_of(text, key, after=after)
    assert f.text("en") == f.message and CJK.search(zh)
    main(["check", "--lang", "zh", str(path)])
    out = capsys.readouterr().out.splitlines()
    head = f"{path}:{f.line}: {SEVERITY[severity]}: {zh}"
    (printed,) = [line for line in out if line.startswith(head)]
    if f.indicator:
        assert f" [{f.indicator}]" in printed
    if f.key_where and f.key_where != f.where:
        assert printed.endswith(f"（第 {f.key_line} 行：{f.key}）")


@needs_yaml
def test_a_formula_rule_prints_its_counterexamples_in_chinese(tmp_path: Path) -> None:
    text = formula_seed("服务对象满意度 / 20 - 2").replace("direction: higher", "direction: lower")
    path = write(tmp_path, text)
    findings = {f.code: f for f in check_file(path)}
    bounds, direction = findings["formula-bounds"], findings["direction"]
    assert bounds.severity == "error" and direction.severity == "error"
    assert re.fullmatch(r"得分公式 '服务对象满意度 / 20 - 2' 在事实 \{服务对象满意度: [\d.]+\} "
                        r"下得 "
                        r"-?[\d.]+，超出 \[0, 3\]（已截断）（由 hypothesis 找到）",
                        bounds.text("zh")), bounds.text("zh")
    assert re.fullmatch(r"得分公式 '服务对象满意度 / 20 - 2'：当 服务对象满意度 从 [\d.]+ 改善到 "
                        r"[\d.]+ 时，得分从 [\d.]+ 降至 [\d.]+（方向 'lower'；"
                        r"事实 \{服务对象满意度: [\d.]+\}；由 hypothesis 找到）",
                        direction.text("zh")), direction.text("zh")
    row = line_of(text, SAT_ROW)
    assert bounds.line == direction.line == row
    assert bounds.key_line == line_of(text, "expression: ")


@needs_yaml
def test_a_formula_rule_without_hypothesis_is_a_warning_in_chinese(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rubric

    monkeypatch.setitem(sys.modules, "rubric.testing", None)  # import fails
    monkeypatch.delattr(rubric, "testing", raising=False)
    text = formula_seed("服务对象满意度 / 20 - 2")
    (f,) = [f for f in check_file(write(tmp_path, text)) if f.code == "not-verified"]
    assert f.severity == "warning" and f.line == line_of(text, SAT_ROW)
    assert f.text("zh") == ("公式规则未经性质检验：请安装 rubric[testing]（hypothesis）以检查其取值"
                            "范围和方向")


# -- kinds the loader rejects before the check sees them: built in Python


def _forced_bands(*bands: Band) -> list[Finding]:
    """Check the Python seed with bands its constructor would refuse (set past it)."""
    rs = with_bands(*ADJUSTMENT_BANDS)
    object.__setattr__(rs.node("预算调整率").rule, "bands", bands)
    return check_ruleset(rs)


def test_an_overlap_and_a_score_below_0_print_in_chinese() -> None:
    # Both are refused when bands are built (and by the loader); the analysis still says
    # them, in either language.
    a = ADJUSTMENT_BANDS
    (f,) = only(_forced_bands(a[0], Band(4, 0, 15, lower_closed=False), *a[2:]),
                "band-overlap")
    assert f.severity == "error"
    assert f.format("zh") == ("seed.yaml:12: 错误: bands[1] (0, 15) 与 bands[2] (10, 20] 重叠 "
                              "[过程/预算执行/预算调整率]")
    negative = attrs.evolve(a[4])
    object.__setattr__(negative, "points", Decimal(-1))
    (f,) = only(_forced_bands(*a[:4], negative), "below-zero")
    assert f.severity == "error"
    assert f.format("zh") == ("seed.yaml:12: 错误: 本行可能得 -1 分，低于 0 "
                              "[过程/预算执行/预算调整率]")


def test_every_finding_code_has_a_chinese_test() -> None:
    # The codes KINDS and the tests of this file around it print in Chinese.
    tested = {k[2] for k in KINDS} | {"formula-bounds", "not-verified", "band-overlap",
                                      "below-zero", "file", "sum-unreachable", "veto",
                                      "veto-caps-nothing", "row-not-applicable", "not-added"}
    codes = {code for code, _v in CATALOG if code not in ("part", "cli")}
    assert codes - tested == set()


def test_a_sum_row_worth_more_than_its_parts_prints_in_chinese() -> None:
    from rubric import Boolean, FactSpec, Group, Indicator, Ruleset, SumRule

    rs = Ruleset(Group("t", [Indicator("x", SumRule([Boolean("a", 3), Boolean("b", 2)], 12))]),
                 [FactSpec("a", type="boolean"), FactSpec("b", type="boolean")])
    (f,) = only(check_ruleset(rs), "sum-unreachable")
    assert f.severity == "warning"
    assert f.text("zh") == "分值 12 永远达不到：各项合计最多 5 分"
    assert f.message == "points 12 can never be reached: the parts give at most 5"


def test_a_derived_fact_of_the_wrong_unit_prints_in_chinese() -> None:
    rs = with_fact(clean_seed(), "预算调整率", formula="预算调整数 * 100")
    (f,) = only(check_ruleset(rs), "unit-mismatch")
    assert f.text("zh") == ("事实 '预算调整率' 的公式 '预算调整数 * 100' 的结果为 [currency]，"
                            "不符合其声明的单位 %")


def test_a_score_formula_of_the_wrong_unit_prints_in_chinese() -> None:
    rule = FormulaRule("min(3, 预算数)", 3, direction="higher")
    rs = replace(clean_seed(), "服务对象满意度", lambda n: attrs.evolve(n, rule=rule))
    (f,) = only(check_ruleset(rs), "unit-mismatch")
    assert f.text("zh") == ("得分公式 'min(3, 预算数)' 的结果为 [currency]，不符合得分（纯数）")
    assert f.message == ("score formula 'min(3, 预算数)' gives [currency], which does not fit "
                         "points (a pure number)")


# ---------------------------------------------------------------------------- the CLI's frame


@needs_yaml
def test_the_summary_and_an_unreadable_file_print_in_chinese(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.yaml"
    assert main(["check", "--lang", "zh", str(SEED_YAML), str(missing)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-2] == f"{missing}: 错误: 无法读取文件：文件不存在"
    assert out[-1] == "共检查 2 个规则集：1 个错误，0 个警告，4 条提示"
    assert main(["check", "--lang", "en", str(SEED_YAML)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "1 ruleset checked: 0 errors, 0 warnings, 4 notes")


def _defective(tmp_path: Path) -> Path:
    return write(tmp_path, sub("              floor: 0\n", "              floor: 1\n",
                               after=SATISFACTION)(seed_text()))


FLOOR_ZH = ("可达到的最低得分为 1，高于 0：floor: 1 使扣分到此为止（扣完为止应写 floor: 0）"
            "（如确属本意，请声明 min_points: 1）")


@needs_yaml
def test_json_carries_the_chosen_language_and_english(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _defective(tmp_path)
    (expected,) = check_file(path)
    main(["check", "--format", "json", "--lang", "zh", str(path)])
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["message"] == FLOOR_ZH
    assert finding["message_en"] == expected.message
    assert (finding["code"], finding["severity"]) == ("min-above-zero", "warning")
    main(["check", "--format", "json", str(path)])
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["message"] == expected.message and "message_en" not in finding


@needs_yaml
def test_sarif_carries_the_chosen_language(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _defective(tmp_path)
    main(["check", "--format", "sarif", "--lang", "zh", str(path)])
    (result,) = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert result["ruleId"] == "min-above-zero" and result["level"] == "warning"
    assert result["message"]["text"] == FLOOR_ZH
    assert result["relatedLocations"][0]["message"]["text"] == "所在行"


def test_a_finding_built_by_hand_keeps_its_text_in_every_language() -> None:
    f = Finding("error", "something free", None, "x.yaml:3", "custom")
    assert f.text("zh") == "something free"
    assert f.format("zh") == "x.yaml:3: 错误: something free"
    assert str(f) == "x.yaml:3: error: something free"


def test_english_text_is_unchanged_by_the_catalog() -> None:
    # Every finding of a ruleset full of defects renders its English from the catalog,
    # byte for byte the message it carries.
    a = ADJUSTMENT_BANDS
    rs = with_bands(attrs.evolve(a[0], points=6), a[1], a[3], a[4], direction="higher",
                    max_points=Decimal("5.555"))
    findings = check_ruleset(rs)
    assert len({f.code for f in findings}) >= 4
    for f in findings:
        assert f.detail is not None and f.detail.render("en") == f.message == f.text()
        assert str(f) == f.format("en")
