"""The message catalog of ``rubric check``: every finding's text, in English and Chinese.

One entry per finding kind: its stable ``code`` (``band-gap``, ``direction`` ...) and,
where one code has several messages, a ``variant`` name; each entry holds an English and
a Chinese template with named placeholders, the same set in both (tests/test_check_messages.py
keeps the catalog complete). Pieces that several messages share (a fact's declared
domain, the list of a row's facts, the words of the CLI's frame and summary) are entries
too, under the pseudo-codes ``part`` and ``cli``.

A finding's text is a ``Message``: its code, variant and parameters. Parameters are
formatted once, the same in both languages (numbers by ``text.fmt``, fact names, ranges);
a parameter may itself be a ``Message`` (rendered in the same language) or a ``Seq`` of
them (joined with that language's separator). ``Message.render("en")`` is the English
text ``Finding.message`` has always carried, byte for byte.

Load errors (``RulesetError`` from the loader) are free English messages from all over
the loader: they get a Chinese frame (``加载失败：`` and the ``expected`` label) and the
inner message is a ``Free`` text, written in Chinese by the error catalog of
``rubric.i18n`` (``RubricError.text``'s catalog; a message it lacks stays English).
"""

from __future__ import annotations

import string
from decimal import Decimal
from typing import Any, Literal, Union

import attrs

from ..i18n import translate
from ..text import fmt

__all__ = ["CATALOG", "LANGS", "Free", "Lang", "Message", "Seq", "domain_of", "msg",
           "placeholders"]

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")

Param = Union[str, "Message", "Seq", "Free"]

#: the opening of a zero-division finding, and what x/0 and 0/0 then read as (en, zh)
_DIVIDES = ("{what} '{source}' divides by '{den}', which can be 0 (declared domain {range}): ",
            "{what} '{source}' 除以 '{den}'，它可能为 0（声明的取值范围 {range}）：")
_OVERRUN = ("x/0 is an unbounded overrun (±∞) and 0/0 follows zero_over_zero '{reading}'",
            "x/0 是无界超额（±∞），0/0 按 zero_over_zero '{reading}' 处理")
#: a score at 0/0 given by the row's direction (en: + the row; zh: .format(row=…))
_GIVEN = ("{score} at 0/0 (zero_over_zero '{reading}'), {given} for ",
          "在 0/0（zero_over_zero '{{reading}}'，{row}按 {{given}}）时得 {{score}}")

#: (code, variant) -> (English, Chinese)
CATALOG: dict[tuple[str, str], tuple[str, str]] = {
    # -- the tree ------------------------------------------------------------------
    ("total", ""): (
        "the table is worth {points} but the policy's total is {total}",
        "整张表的分值为 {points}，但 policy 的总分（total_points）为 {total}"),
    ("group-sum", "more"): (
        ("children are worth {summed} in all, more than the group's 分值 {points}: they can "
        "score above it (the engine caps the subtotal)"),
        "下级指标分值合计 {summed}，超过本组分值 {points}：得分可能超出本组分值（引擎会截断小计）"),
    ("group-sum", "less"): (
        ("children are worth only {summed} in all, less than the group's 分值 {points}: full "
        "marks can never be reached"),
        "下级指标分值合计仅 {summed}，少于本组分值 {points}：永远拿不到满分"),
    ("one-of-maxima", ""): (
        ("the alternatives of this one_of group have different 分值 ({worth}): the group's "
        "score depends on which alternative the unit is assessed by; give every alternative "
        "the same 分值"),
        ("本 one_of（二者择其一）组的备选指标分值不同（{worth}）：本组得分取决于单位按哪一项考核；"
        "请给每个备选指标相同的分值")),
    ("one-of-maxima", "worth"): ("'{id}' {points}", "'{id}' {points}"),
    ("not-assessed", ""): (
        ("the row is not assessed (assessed: false): its 分值 is left out of the total (policy "
        "not_applicable)"),
        "本行不考核（assessed: false）：其分值不计入总分（policy not_applicable）"),
    ("veto", "row"): (
        ("the row scores 0 when '{fact}' holds ({text}); while it is unknown the row is a "
         "range from 0"),
        "当“{fact}”为是时本行计 0 分（{text}）；该事实未知时本行得分为自 0 起的范围"),
    ("veto", "zero"): (
        ("the total is 0 when '{fact}' holds ({text}); while it is unknown the total is a "
         "range from 0"),
        "当“{fact}”为是时总分计 0 分（{text}）；该事实未知时总分为自 0 起的范围"),
    ("veto", "grade"): (
        "the grade is at most {grade} when '{fact}' holds ({text}); the score is kept",
        "当“{fact}”为是时等级至多为{grade}（{text}），得分不变"),
    ("veto-caps-nothing", ""): (
        "the veto caps the grade at {grade}, the best grade: it changes nothing",
        "该否决把等级限为{grade}，即最高等级：不起作用"),
    ("row-not-applicable", ""): (
        ("when the row does not apply it scores {points} (if_not_applicable: {reading}) "
         "instead of being left out of the total"),
        "本行不适用时计 {points} 分（if_not_applicable: {reading}），而不是不计入总分"),
    ("row-not-applicable", "move"): (
        ("when the row does not apply its 分值 {points} moves to {to}, scored at their rate "
         "(if_not_applicable: to)"),
        "本行不适用时其分值 {points} 分移至 {to}，按其得分率计分（if_not_applicable: to）"),
    ("not-added", ""): (
        ("the row is scored and shown but not added into its group (adds: false): its 分值 "
         "{points} is not part of the group's"),
        "本行单列计分（adds: false），不计入上级合计：其分值 {points} 不计入上级分值"),
    ("above-max", ""): (
        ("the rule can award {awards}, more than the row's 分值 {points} (the engine caps it; "
        "fix the rule or the 分值)"),
        "规则最多可给 {awards} 分，超过本行分值 {points}（引擎会截断；请修改规则或分值）"),
    ("full-marks-unreachable", "rule"): (
        "full marks {points} can never be reached: the rule awards at most {awards}",
        "满分 {points} 永远无法达到：规则最多给 {awards} 分"),
    ("full-marks-unreachable", "domain"): (
        ("full marks {points} can never be reached: within the declared domain of its facts "
        "the best score is {best} ({domains})"),
        "满分 {points} 永远无法达到：在其事实声明的取值范围内最高得分为 {best}（{domains}）"),
    ("below-zero", ""): (
        "the row can score {low}, below 0",
        "本行可能得 {low} 分，低于 0"),
    ("min-points", ""): (
        "min_points {declared} is declared but the lowest reachable score is {low}",
        "声明了 min_points {declared}，但可达到的最低得分为 {low}"),
    ("min-above-zero", "declare"): (
        "{reason} (declare min_points: {low} if that is meant)",
        "{reason}（如确属本意，请声明 min_points: {low}）"),
    ("min-above-zero", "domains"): (
        ("the lowest reachable score is {low}, above 0: no value of its facts in their "
        "declared domains ({domains}) takes the row to 0"),
        ("可达到的最低得分为 {low}，高于 0：其事实在声明的取值范围内（{domains}）"
        "没有任何取值能使本行得 0 分")),
    ("min-above-zero", "floor"): (
        ("the lowest reachable score is {low}, above 0: floor: {floor} stops the deduction "
        "there (扣完为止 is floor: 0)"),
        "可达到的最低得分为 {low}，高于 0：floor: {floor} 使扣分到此为止（扣完为止应写 floor: 0）"),
    ("min-above-zero", "per_step"): (
        ("the lowest reachable score is {low}, above 0: over the declared domain {domain} of "
        "{fact} the deviation is at most {deviation}, and steps of {step} at {per_step} each "
        "never take off the {points} points"),
        ("可达到的最低得分为 {low}，高于 0：在 {fact} 声明的取值范围 {domain} 内偏差最多为 "
        "{deviation}，每 {step} 扣 {per_step} 分，永远扣不完 {points} 分")),
    ("min-above-zero", "per_occurrence"): (
        ("the lowest reachable score is {low}, above 0: {fact} is declared at most {most}, "
        "and {per_occurrence} each never takes off the {points} points"),
        ("可达到的最低得分为 {low}，高于 0：{fact} 声明最多为 {most}，每次扣 {per_occurrence} "
        "分，永远扣不完 {points} 分")),
    ("precision", ""): (
        ("分值 {points} is finer than the table's precision ({precision} decimals): rounding a "
        "score can lift it to {rounded}, above the 分值"),
        ("分值 {points} 比表格的精度（{precision} 位小数）更细：得分经舍入可能升至 {rounded}，"
        "超过分值")),
    # -- bands, states, deadlines --------------------------------------------------
    ("band-overlap", ""): (
        "bands[{i}] {a} and bands[{j}] {b} overlap",
        "bands[{i}] {a} 与 bands[{j}] {b} 重叠"),
    ("band-unreachable", ""): (
        "bands[{i}] {band} ({points} points) can never match: {fact} is declared in {domain}",
        "bands[{i}] {band}（{points} 分）永远不会被匹配：{fact} 声明的取值范围为 {domain}"),
    ("band-gap", ""): (
        ("values of {fact} in {gap} fall in no band (declared domain {domain}); scoring them "
        "fails"),
        "{fact} 在 {gap} 内的取值不属于任何档次（声明的取值范围 {domain}）；对其评分会失败"),
    ("band-gap", "categories"): (
        "categories of {fact} without a state: {absent} (scoring them fails)",
        "{fact} 的以下类别没有对应的状态：{absent}（对其评分会失败）"),
    ("band-gap", "tiers"): (
        "categories of {fact} without a tier: {absent} (scoring them fails)",
        "{fact} 的以下类别没有对应的档次：{absent}（对其评分会失败）"),
    ("direction", "rise"): (
        ("points rise from {p1} (bands[{i}] {a}) to {p2} (bands[{j}] {b}) as {fact} grows, "
        "but the rule's direction is '{direction}'"),
        ("随 {fact} 增大，得分从 {p1}（bands[{i}] {a}）升至 {p2}（bands[{j}] {b}），"
        "但规则的方向为 '{direction}'")),
    ("direction", "fall"): (
        ("points fall from {p1} (bands[{i}] {a}) to {p2} (bands[{j}] {b}) as {fact} grows, "
        "but the rule's direction is '{direction}'"),
        ("随 {fact} 增大，得分从 {p1}（bands[{i}] {a}）降至 {p2}（bands[{j}] {b}），"
        "但规则的方向为 '{direction}'")),
    ("direction", "top-rise"): (
        ("the most points rise from {p1} (bands[{i}] {a}) to {p2} (bands[{j}] {b}) as {fact} "
        "grows, but the rule's direction is '{direction}'"),
        ("随 {fact} 增大，最高得分从 {p1}（bands[{i}] {a}）升至 {p2}（bands[{j}] {b}），"
        "但规则的方向为 '{direction}'")),
    ("direction", "top-fall"): (
        ("the most points fall from {p1} (bands[{i}] {a}) to {p2} (bands[{j}] {b}) as {fact} "
        "grows, but the rule's direction is '{direction}'"),
        ("随 {fact} 增大，最高得分从 {p1}（bands[{i}] {a}）降至 {p2}（bands[{j}] {b}），"
        "但规则的方向为 '{direction}'")),
    ("direction", "then-lower"): (
        ("bands[{i}] {a}: the deduction counts from its lower end, so points fall as {fact} "
        "grows, but the rule's direction is '{direction}'"),
        ("bands[{i}] {a}：扣分从区间下端起算，{fact} 越大得分越低，但规则的方向为 "
        "'{direction}'")),
    ("direction", "then-upper"): (
        ("bands[{i}] {a}: the deduction counts from its upper end, so points fall as {fact} "
        "falls, but the rule's direction is '{direction}'"),
        ("bands[{i}] {a}：扣分从区间上端起算，{fact} 越小得分越低，但规则的方向为 "
        "'{direction}'")),
    ("direction", "categories"): (
        ("points go from {p1} to {p2} across the declared order of {fact}'s categories, "
        "against direction '{direction}'"),
        "按 {fact} 各类别的声明顺序，得分从 {p1} 变为 {p2}，与方向 '{direction}' 相反"),
    ("direction", "late"): (
        "finishing late earns {late}, more than finishing on time ({points})",
        "逾期完成得 {late} 分，多于按时完成（{points} 分）"),
    ("direction", "formula"): (
        ("score formula '{expression}': the score falls from {s1} to {s2} when {fact} improves "
        "from {v1} to {v2} (direction '{direction}'; facts {facts}; found by hypothesis)"),
        ("得分公式 '{expression}'：当 {fact} 从 {v1} 改善到 {v2} 时，得分从 {s1} 降至 {s2}"
        "（方向 '{direction}'；事实 {facts}；由 hypothesis 找到）")),
    # -- deductions, ratios, qualitative -------------------------------------------
    ("domain", "relative-zero"): (
        ("a relative step ('每少10%' of the target) with a target of 0 fails at evaluation; use "
        "basis: absolute"),
        "目标值为 0 时，相对步长（目标值的“每少10%”）在评分时会失败；请使用 basis: absolute"),
    ("domain", "count"): (
        ("{fact} counts occurrences but its declared domain {domain} admits negative values, "
        "which fail at evaluation; declare minimum: 0"),
        "{fact} 是次数，但其声明的取值范围 {domain} 允许负值，评分时会失败；请声明 minimum: 0"),
    ("domain", "coefficient"): (
        ("{fact} is declared in {domain} but a coefficient must lie in [0, {top}]; other values "
        "fail at evaluation (declare minimum: 0, maximum: {top})"),
        ("{fact} 声明的取值范围为 {domain}，但系数必须在 [0, {top}] 内；其他取值评分时会失败"
        "（请声明 minimum: 0, maximum: {top}）")),
    ("domain", "qualitative"): (
        ("{fact} holds the points awarded but is declared in {domain}; values outside [0, "
        "{points}] fail at evaluation (declare minimum: 0, maximum: {points})"),
        ("{fact} 记录所给分数，但声明的取值范围为 {domain}；[0, {points}] 以外的取值评分时会失败"
        "（请声明 minimum: 0, maximum: {points}）")),
    ("tier-overlap", ""): (
        ("tiers[{i}] '{a}' {a_range} and tiers[{j}] '{b}' {b_range} overlap: a score there is "
        "in two tiers"),
        "tiers[{i}] '{a}' {a_range} 与 tiers[{j}] '{b}' {b_range} 重叠：该处的得分同时属于两档"),
    ("sum-unreachable", ""): (
        "points {points} can never be reached: the parts give at most {total}",
        "分值 {points} 永远达不到：各项合计最多 {total} 分"),
    ("tier-gap", ""): (
        ("scores in {gap} % of the points fall in no tier: the tiers must cover 0-100% "
        "(100-80%(含80%)、80-60%(含60%)、60-0%)"),
        ("得分占分值 {gap} % 的部分不属于任何档次：各档必须覆盖 0-100%"
        "（100-80%(含80%)、80-60%(含60%)、60-0%）")),
    ("zero-division", "ratio-full"): (
        ("the ratio's denominator {den} can be 0 (declared domain {domain}): 0/0 scores full "
        "marks {points} (zero_over_zero: {applied}); a non-zero numerator over 0 is an "
        "unbounded ratio, capped at full marks"),
        ("比例的分母 {den} 可能为 0（声明的取值范围 {domain}）：0/0 得满分 {points}"
        "（zero_over_zero: {applied}）；非零分子除以 0 是无界比例，按满分截断")),
    ("zero-division", "ratio-zero"): (
        ("the ratio's denominator {den} can be 0 (declared domain {domain}): 0/0 scores 0 "
        "(zero_over_zero: {applied}); a non-zero numerator over 0 is an unbounded ratio, "
        "capped at full marks"),
        ("比例的分母 {den} 可能为 0（声明的取值范围 {domain}）：0/0 得 0 分"
        "（zero_over_zero: {applied}）；非零分子除以 0 是无界比例，按满分截断")),
    ("zero-division", "ratio-undefined"): (
        ("the ratio's denominator {den} can be 0 (declared domain {domain}): 0/0 scores a "
        "range [0, {points}] (zero_over_zero: {applied}); a non-zero numerator over 0 is an "
        "unbounded ratio, capped at full marks"),
        ("比例的分母 {den} 可能为 0（声明的取值范围 {domain}）：0/0 得分为区间 [0, {points}]"
        "（zero_over_zero: {applied}）；非零分子除以 0 是无界比例，按满分截断")),
    ("zero-division", "by-direction"): (
        "by_direction, {direction} is better, so {reading}",
        "by_direction，{direction} 为优，故取 {reading}"),
    # -- facts, formulas, units ----------------------------------------------------
    ("unused-fact", ""): (
        "fact '{fact}' is declared but no rule or formula reads it",
        "事实 '{fact}' 已声明，但没有任何规则或公式读取它"),
    ("unit-mismatch", "ratio"): (
        "ratio of '{a}' ({a_dim}) to '{b}' ({b_dim}): the two must be of one kind",
        "'{a}'（{a_dim}）与 '{b}'（{b_dim}）之比：两者必须是同一种量"),
    ("unit-mismatch", "formula"): (
        "{what} '{source}': {problem}",
        "{what} '{source}'：{problem}"),
    ("unit-mismatch", "result"): (
        "{what} '{source}' gives {dim}, which does not fit {target}",
        "{what} '{source}' 的结果为 {dim}，不符合{target}"),
    ("unit-mismatch", "adds"): (
        "adds '{a}' ({a_dim}) and '{b}' ({b_dim})",
        "将 '{a}'（{a_dim}）与 '{b}'（{b_dim}）相加"),
    ("unit-mismatch", "subtracts"): (
        "subtracts '{a}' ({a_dim}) and '{b}' ({b_dim})",
        "将 '{a}'（{a_dim}）与 '{b}'（{b_dim}）相减"),
    ("unit-mismatch", "remainder"): (
        "takes the remainder of '{a}' ({a_dim}) and '{b}' ({b_dim})",
        "求 '{a}'（{a_dim}）除以 '{b}'（{b_dim}）的余数"),
    ("unit-mismatch", "compares"): (
        "compares '{a}' ({a_dim}) and '{b}' ({b_dim})",
        "比较 '{a}'（{a_dim}）与 '{b}'（{b_dim}）"),
    ("unit-mismatch", "either"): (
        "gives either '{a}' ({a_dim}) and '{b}' ({b_dim})",
        "结果可能是 '{a}'（{a_dim}），也可能是 '{b}'（{b_dim}）"),
    ("unit-mismatch", "takes"): (
        "takes {func} of '{a}' ({a_dim}) and '{b}' ({b_dim})",
        "对 '{a}'（{a_dim}）与 '{b}'（{b_dim}）取 {func}"),
    ("unit-mismatch", "target-points"): ("points (a pure number)", "得分（纯数）"),
    ("unit-mismatch", "target-unit"): ("its declared unit {unit}", "其声明的单位 {unit}"),
    ("unit-mismatch", "target-pure"): ("its declared unit a pure number",
                                       "其声明的单位（纯数）"),
    ("derived-domain", ""): (
        ("{what} '{source}' can give values in {range} over its inputs' domains, outside its "
        "declared domain {domain}: scoring such facts is an error; widen the domain or bound "
        "the inputs"),
        ("{what} '{source}' 在其输入的取值范围内可能得出 {range} 内的值，超出其声明的取值范围 "
        "{domain}：对这样的事实评分会出错；请放宽取值范围或限定输入")),
    ("zero-division", "effects"): (_DIVIDES[0] + "with {den} = 0, {effects}",
                                   _DIVIDES[1] + "当 {den} = 0 时，{effects}"),
    ("zero-division", "score"): (_DIVIDES[0] + "the score is then a range [0, full marks]",
                                 _DIVIDES[1] + "此时得分为区间 [0, 满分]"),
    ("zero-division", "reading"): (_DIVIDES[0] + _OVERRUN[0], _DIVIDES[1] + _OVERRUN[1]),
    ("zero-division", "reading-by-direction"): (
        _DIVIDES[0] + _OVERRUN[0] + " (full for a lower-is-better row, else a range)",
        _DIVIDES[1] + _OVERRUN[1] + "（越低越好的行得满分，否则为区间）"),
    ("zero-division", "row"): (
        "row '{row}' scores {parts}",
        "行 '{row}' {parts}"),
    ("zero-division", "x/0"): (
        "{score} at x/0 ({sign}∞, an unbounded overrun)",
        "在 x/0（{sign}∞，无界超额）时得 {score}"),
    ("zero-division", "0/0"): (
        "{score} at 0/0 (zero_over_zero '{reading}')",
        "在 0/0（zero_over_zero '{reading}'）时得 {score}"),
    ("zero-division", "0/0-lower"): (_GIVEN[0] + "a lower-is-better row",
                                     _GIVEN[1].format(row="越低越好的行")),
    ("zero-division", "0/0-higher"): (_GIVEN[0] + "a higher-is-better row",
                                      _GIVEN[1].format(row="越高越好的行")),
    ("zero-division", "0/0-other"): (_GIVEN[0] + "a direction-{direction} row",
                                     _GIVEN[1].format(row="方向为 {direction} 的行")),
    ("zero-division", "range"): ("a range [{low}, {high}]", "区间 [{low}, {high}]"),
    ("zero-division", "fails"): ("fails ({error})", "评分失败（{error}）"),
    # -- formula rules -------------------------------------------------------------
    ("formula-bounds", ""): (
        ("score formula '{expression}' gives {raw}, outside [0, {points}] (clamped), for facts "
        "{facts} (found by hypothesis)"),
        ("得分公式 '{expression}' 在事实 {facts} 下得 {raw}，超出 [0, {points}]（已截断）"
        "（由 hypothesis 找到）")),
    ("formula-bounds", "fails"): (
        "{error}, for facts {facts} (found by hypothesis)",
        "{error}（事实 {facts}，由 hypothesis 找到）"),
    ("not-verified", ""): (
        ("formula rule not property-checked: install rubric[testing] (hypothesis) to check its "
        "bounds and direction"),
        "公式规则未经性质检验：请安装 rubric[testing]（hypothesis）以检查其取值范围和方向"),
    # -- load errors: the loader's own message, through rubric.i18n (a ``Free`` text) ----
    ("load", ""): ("{message}", "加载失败：{message}"),
    ("load", "expected"): ("{message}; expected {expected}",
                           "加载失败：{message}；应为 {expected}"),
    ("file", ""): ("{message}", "无法读取文件：{message}"),
    # -- shared pieces ---------------------------------------------------------------
    ("part", "free"): ("{text}", "{text}"),  # a rule's message not yet in the catalog
    ("part", "what-fact"): ("formula of fact '{fact}'", "事实 '{fact}' 的公式"),
    ("part", "what-score"): ("score formula", "得分公式"),
    ("part", "domain"): ("{range}", "{range}"),
    ("part", "domain-unit"): ("{range} in {unit}", "{range}，单位 {unit}"),
    ("part", "fact-domain"): ("{fact} in {domain}", "{fact} 取值于 {domain}"),
    ("part", "pure"): ("a pure number", "纯数"),
    ("part", "pure-unit"): ("a pure number ({unit})", "纯数（{unit}）"),
    # -- the CLI's frame -------------------------------------------------------------
    ("cli", "error"): ("error", "错误"),
    ("cli", "warning"): ("warning", "警告"),
    ("cli", "note"): ("note", "提示"),
    ("cli", "key"): (" (line {line}: {key})", "（第 {line} 行：{key}）"),
    ("cli", "summary"): ("{rulesets} checked: {errors}, {warnings}, {notes}",
                         "共检查 {rulesets}：{errors}，{warnings}，{notes}"),
    ("cli", "rulesets-1"): ("{n} ruleset", "{n} 个规则集"),
    ("cli", "rulesets"): ("{n} rulesets", "{n} 个规则集"),
    ("cli", "errors-1"): ("{n} error", "{n} 个错误"),
    ("cli", "errors"): ("{n} errors", "{n} 个错误"),
    ("cli", "warnings-1"): ("{n} warning", "{n} 个警告"),
    ("cli", "warnings"): ("{n} warnings", "{n} 个警告"),
    ("cli", "notes-1"): ("{n} note", "{n} 条提示"),
    ("cli", "notes"): ("{n} notes", "{n} 条提示"),
    ("cli", "row"): ("the row", "所在行"),
}

#: How a ``Seq`` is joined, per language.
SEPARATORS: dict[str, tuple[str, str]] = {
    "list": (", ", "，"),
    "semi": ("; ", "；"),
    "and": (" and ", "，"),
}


@attrs.frozen
class Seq:
    """Parameters joined with a language's separator (``list``, ``semi``, ``and``)."""

    items: tuple[Param, ...]
    sep: str = "list"

    def render(self, lang: Lang) -> str:
        joiner = SEPARATORS[self.sep][LANGS.index(lang)]
        return joiner.join(_render(item, lang) for item in self.items)


@attrs.frozen
class Free:
    """An error's English text (a load error's message), rendered in a language by the
    error catalog of ``rubric.i18n``."""

    text: str

    def render(self, lang: Lang) -> str:
        return translate(self.text, lang)


@attrs.frozen
class Message:
    """A finding's text as data: ``(code, variant)`` names its catalog entry, ``params``
    its parameters (formatted text, or nested ``Message`` / ``Seq``)."""

    code: str
    variant: str = ""
    params: tuple[tuple[str, Param], ...] = ()

    def render(self, lang: Lang = "en") -> str:
        """The text in ``lang`` (``en`` or ``zh``)."""
        en, zh = CATALOG[(self.code, self.variant)]
        values = {name: _render(value, lang) for name, value in self.params}
        return (zh if lang == "zh" else en).format_map(values)

    @property
    def en(self) -> str:
        return self.render("en")

    def __str__(self) -> str:
        return self.render("en")


def _render(value: Param, lang: Lang) -> str:
    return value if isinstance(value, str) else value.render(lang)


def _param(code: str, value: object) -> Param:
    if isinstance(value, (str, Message, Seq, Free)):
        return value
    if isinstance(value, dict):  # a nested message of the same code
        nested = dict(value)
        return msg(code, str(nested.pop("variant", "")), **nested)
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, (list, tuple)):
        return Seq(tuple(_param(code, v) for v in value))
    if hasattr(value, "domain_text") and hasattr(value, "minimum"):  # a FactSpec
        return domain_of(value)
    return str(value)


def msg(code: str, variant: str = "", /, **params: object) -> Message:
    """The catalog's message ``(code, variant)`` with ``params``: a Decimal is formatted
    by ``text.fmt``, a list becomes a ``Seq``, a fact declaration its declared domain, a
    dict a nested message of the same code (its ``variant`` and parameters)."""
    if (code, variant) not in CATALOG:
        raise KeyError(f"no message ({code!r}, {variant!r}) in the catalog")
    return Message(code, variant, tuple((k, _param(code, v)) for k, v in params.items()))


def domain_of(spec: Any) -> Message:
    """A fact's declared domain, as ``FactSpec.domain_text`` writes it (``[0, +∞] in %``)."""
    lo = "-∞" if spec.minimum is None else f"{spec.minimum}"
    hi = "+∞" if spec.maximum is None else f"{spec.maximum}"
    if spec.unit:
        return msg("part", "domain-unit", range=f"[{lo}, {hi}]", unit=spec.unit)
    return msg("part", "domain", range=f"[{lo}, {hi}]")


def placeholders(template: str) -> set[str]:
    """The named placeholders of a catalog template."""
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template)
            if name is not None}
