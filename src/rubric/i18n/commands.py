"""The Chinese of the ``rubric`` command's own words: usage errors, the error prefix,
one-line summaries on standard error."""

from __future__ import annotations

__all__ = ["ENTRIES", "PREFIX"]

#: How the CLI prefixes what it prints on standard error: (English, Chinese).
PREFIX: dict[str, tuple[str, str]] = {
    "error": ("rubric: error: {text}", "rubric：错误：{text}"),
    "internal": ("rubric: internal error: {text} (rerun with --debug)",
                 "rubric：内部错误：{text}（加 --debug 重新运行可看到详情）"),
    "not-parsed": ("rubric: not parsed: {text}", "rubric：读不出：{text}"),
}

ENTRIES: tuple[tuple[str, str], ...] = (
    # -- usage errors (cli/score, cli/diff, cli/parse) -----------------------------------
    ("RULESET {ruleset} is a directory: give --year to pick the ruleset in force that year",
     "RULESET {ruleset} 是文件夹：请用 --year 选出当年生效的规则集"),
    ("the FACTS file is required (or use --batch FILE)",
     "需要给出 FACTS 事实文件（或用 --batch FILE）"),
    ("--output-format applies only with --batch; use --format for a single FACTS file",
     "--output-format 只能与 --batch 同用；单个 FACTS 文件请用 --format"),
    ("--jobs applies only with --batch", "--jobs 只能与 --batch 同用"),
    ("--columns applies only with --batch", "--columns 只能与 --batch 同用"),
    ("--encoding applies only with --batch (fact files are always UTF-8)",
     "--encoding 只能与 --batch 同用（事实文件总是 UTF-8）"),
    ("give either FACTS or --batch FILE, not both", "FACTS 与 --batch FILE 只能给出其一，不能都给"),
    ("--checkpoint applies to a single FACTS file", "--checkpoint 只用于单个 FACTS 文件"),
    (("--format, --explain and --what-if apply to a single FACTS file; with --batch use "
      "--output-format"),
     "--format、--explain 和 --what-if 只用于单个 FACTS 文件；批量评分请用 --output-format"),
    ("--jobs: expected a number of processes or 'auto', got '{jobs}'",
     "--jobs：应为进程数或 'auto'，实际是“{jobs}”"),
    ("--changed-only and --encoding apply only with --batch",
     "--changed-only 和 --encoding 只能与 --batch 同用"),
    ("--points {points} is not a number", "--points {points} 不是数字"),
    ("unknown language '{language}'; expected one of {languages}",
     "未知的语言“{language}”；应为以下之一：{languages}"),
    ("rubric serve needs {uvicorn}", "rubric serve 需要安装 {uvicorn}"),
    ("rubric serve: warning: listening on {host} without --token",
     "rubric serve：警告：在 {host} 上监听却没有 --token（任何人都能访问）"),
    # -- argparse's own usage errors (Python's wording) --------------------------------
    ("the following arguments are required: {names}", "缺少以下参数：{names}"),
    ("unrecognized arguments: {args}", "无法识别的参数：{args}"),
    ("argument {arg}: invalid choice: {value} (choose from {choices})",
     "参数 {arg}：无效的选项 {value}（可选：{choices}）"),
    ("argument {arg}: expected one argument", "参数 {arg}：需要一个值"),
    ("argument {arg}: invalid {kind} value: {value}", "参数 {arg}：无效的 {kind} 值 {value}"),
    ("argument {arg}: {message}", "参数 {arg}：{message}"),
    ("expected a positive whole number, got '{text}'", "应为正整数，实际是“{text}”"),
    ("expected a year such as 2024, got '{text}'", "应为年份（如 2024），实际是“{text}”"),
    ("argument {arg}: expected a year such as 2024, got '{text}'",
     "参数 {arg}：应为年份（如 2024），实际是“{text}”"),
    ("expected a positive number of seconds, got '{text}'", "应为正的秒数，实际是“{text}”"),
    ("argument {arg}: expected a positive whole number, got '{text}'",
     "参数 {arg}：应为正整数，实际是“{text}”"),
    ("argument {arg}: expected a positive number of seconds, got '{text}'",
     "参数 {arg}：应为正的秒数，实际是“{text}”"),
    ("fastapi and uvicorn", "fastapi 和 uvicorn"),
    # -- summaries on standard error (cli/batch, cli/report) -----------------------------
    ("{scored} units scored, {errors} rows with errors{where} ({seconds} s, {rate} units/s)",
     "已评分 {scored} 个单位，{errors} 行有错误{where}（{seconds} 秒，每秒 {rate} 个单位）"),
    ("wrote {kind} report to {output}", "已把 {kind} 报告写入 {output}"),
    # -- rubric import (cli/parse) ------------------------------------------------------
    ("{table}: {rows} rows: {parsed} parsed, {todo} need a person",
     "{table}：共 {rows} 行：读出 {parsed} 行，{todo} 行需要人工处理"),
    ("wrote {output}/ruleset.yaml, facts.yaml{claimed}",
     "已写入 {output}/ruleset.yaml、facts.yaml{claimed}"),
    (", claimed.yaml", "、claimed.yaml"),
    ("check {finding}", "检查 {finding}"),
    ("TODO {row}: {reason}", "待人工处理 {row}：{reason}"),
    ("NOTE {row}: {reason}", "请核对 {row}：{reason}"),
    ("READING: {text}", "读法：{text}"),
    ("READING (domain {section}): {text}", "读法（domain {section}）：{text}"),
    # rubric import --names-from (criteria/prior_names)
    ("named from {prior}: {row}: {changes}", "沿用 {prior} 的名称：{row}：{changes}"),
    ("{fact} states {values}", "{fact} 的状态 {values}"),
    ("declared from {prior}: {fact}: {taken}", "从 {prior} 补上声明：{fact}：{taken}"),
    ("CONFLICT with {prior}: {fact}: {why}", "与 {prior} 冲突：{fact}：{why}"),
    ("the table's {key} {table} differs from the prior's {prior}: kept the table's",
     "表中的 {key} {table} 与上年规则集的 {prior} 不同：保留表中的"),
    (("the prior's unit {unit} is not taken: the criterion's numbers are written without a "
      "unit, and a unit would decide what they mean; write the unit in the criterion or "
      "declare it"),
     ("不沿用上年规则集的单位 {unit}：评价标准中的数没有写单位，给它们加上单位就决定了它们的"
      "含义；请在评价标准中写明单位，或自行声明 unit")),
    (("the prior's precision {precision} would round off the {decimals} decimals the table "
      "prints in its scores: not taken"),
     "不沿用上年规则集的 precision {precision}：本表打印的得分有 {decimals} 位小数，会被舍去"),
    ("the prior's {key} {value} is not taken: the criterion scores values past it",
     "不沿用上年规则集的 {key} {value}：评价标准对超出它的值也给分"),
    ("the prior's {key} {value} is in {unit}, the table's fact in {table}: not taken",
     "不沿用上年规则集的 {key} {value}：它的单位是 {unit}，表中这个事实的单位是 {table}"),
    (("the prior's grades are points of a {prior}-point table, this table's total is "
      "{total}: not taken"),
     "不沿用上年规则集的等级：它按 {prior} 分制的分数划分，本表总分是 {total}"),
    ("not renamed: {prior} has this id on row {by_id} and this name on row {by_name}",
     "未改名：{prior} 中这个 id 是 {by_id} 行的，这个名称是 {by_name} 行的"),
    ("not renamed: no row of {prior} has this id or name",
     "未改名：{prior} 中没有这个 id 或名称的行"),
    ("not renamed: shape differs ({what})", "未改名：规则的形状不同（{what}）"),
    ("prior: {prior}, parsed: {parsed}", "上年：{prior}，本表读出：{parsed}"),
    ("prior 分值 {prior}, parsed 分值 {parsed}", "上年分值 {prior}，本表分值 {parsed}"),
    ("not renamed: {prior} pairs {names} with two of its facts",
     "未改名：{prior} 中与 {names} 对应的事实有两个"),
    ("not renamed: {prior} names {names}, which another row reads",
     "未改名：{prior} 的名称 {names} 已由另一行使用"),
    (("not renamed: the prior reads {names} in another order; renaming by position would "
      "swap their meanings ({what})"),
     "未改名：上年规则集以另一种顺序使用 {names}；按位置改名会调换它们的含义（{what}）"),
    # -- rubric test (cli/test, verify/cases) -------------------------------------------
    ("{total} cases: {passed} passed, {failed} failed",
     "共 {total} 个用例：{passed} 个通过，{failed} 个失败"),
    ("{total} case: {passed} passed, {failed} failed",
     "共 {total} 个用例：{passed} 个通过，{failed} 个失败"),
    ("scoring failed: {exc}", "评分失败：{exc}"),
    ("no indicator '{target}'", "没有指标“{target}”"),
    ("{target} expected {expected}, got {got}", "{target} 预期 {expected}，实际得 {got}"),
    ("total expected {expected}, got {got}", "总分预期 {expected}，实际得 {got}"),
    ("grade expected {grade}, got {got}", "等级预期 {grade}，实际是 {got}"),
    # -- rubric audit (cli/audit) --------------------------------------------------------
    ("--json and --format {kind} ask for two outputs",
     "--json 与 --format {kind} 要求两种输出，只能选其一"),
    ("--format {kind} writes a file: give -o 复核.{kind_}",
     "--format {kind} 输出为文件：请用 -o 复核.{kind_} 给出文件名"),
)
