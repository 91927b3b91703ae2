"""What ``rubric --help`` and each sub-command's ``--help`` say, in one table.

``HELP`` maps each sub-command's name to its ``Help``: the one-line ``summary`` that
``rubric --help`` lists, the ``description`` its own help opens with, ``lang`` (the
output's default language and what the output is, for ``--lang``'s help) and the
``epilog``: what its exit codes mean (``exit_codes``; 2 is always a usage error).
``command.add_command`` reads a command's entry; the command's module adds only its
own arguments. A new command is one entry here.
"""

from __future__ import annotations

import attrs

__all__ = ["HELP", "Help", "exit_codes"]


def exit_codes(ok: str, failed: str, *, see: str | None = None) -> str:
    """The epilog of a command's help: what exit 0 and 1 mean (2 is always a usage
    error), and the document to read, if any."""
    text = f"exit codes: 0 {ok}, 1 {failed}, 2 usage error."
    return f"{text} See {see}." if see else text


@attrs.frozen
class Help:
    """A sub-command's help: ``summary`` (listed by ``rubric --help``), ``description``
    and ``epilog`` (its own ``--help``), and ``lang`` = (the output's default language,
    what the output is)."""

    summary: str
    description: str
    lang: tuple[str, str]
    epilog: str | None = None


#: every sub-command's help, in the order ``rubric --help`` lists them
HELP: dict[str, Help] = {
    "score": Help(
        summary="score facts with a ruleset and print the table",
        description=(
            "Score FACTS with RULESET and print the indicator table (指标完成情况表): each "
            "row's value and score, subtotals, the total and the grade. Where facts are "
            "missing a row shows the range of scores it could get. With --batch, score "
            "every row of a spreadsheet instead."),
        lang=("zh", "headers and explanations"),
        epilog=exit_codes("success", "invalid input", see="docs/cli.md")),
    "diff": Help(
        summary="what changed between two rulesets (and how a batch's scores move)",
        description=(
            "List the rows of NEW added, removed, renamed (matched by id, then by name), "
            "re-weighted (分值) or given another rule since OLD, with the scores that "
            "differ at the rules' breakpoints. With --batch, score every unit of FILE "
            "with both and show how its total and grade move, and a summary."),
        lang=("zh", "the text"),
        epilog=exit_codes("success", "invalid input", see="docs/cli.md")),
    "audit": Help(
        summary="recompute a claimed table and classify every claimed score",
        description=(
            "Recompute every row from the facts and compare with the claimed "
            "得分 and printed 分值. Exit 0 when every claim is consistent or feasible, "
            "1 otherwise."),
        lang=("zh", "the table and explanations")),
    "report": Help(
        summary="write the filed table or chart of one scored unit",
        description=(
            "Score FACTS with RULESET and write the table evaluators file "
            "(.xlsx, .html, .md) or the 得分率 chart per 二级指标 (.svg, .png)."),
        lang=("zh", "the messages")),
    "check": Help(
        summary="verify rulesets: band gaps, bounds, directions, subtotals, units",
        description=(
            "Check each RULESET for defects: gaps and overlaps in bands, bands no value "
            "can reach, rows that can score above their 分值 or never reach it, points "
            "moving against a row's declared direction, subtotals that do not add up, "
            "unknown or unused facts, unit mismatches and divisions that can hit 0. "
            "See docs/verification.md."),
        lang=("en", "the findings"),
        epilog=exit_codes("clean (warnings allowed unless --strict)",
                          "errors found or invalid input")),
    "test": Help(
        summary="run policy test cases (cases.yaml) against a ruleset",
        description=(
            "Score the facts of every case in each CASES file with RULESET and compare "
            "the scores the case expects. See docs/testing.md for the format."),
        lang=("en", "the failures and the summary"),
        epilog=exit_codes("every case passed", "a case failed or a file is invalid")),
    "new": Help(
        summary="write a starting ruleset or self-evaluation file from a template",
        description=(
            "Write the starting file of a shipped template: a ruleset (the 53号 "
            "部门整体 frame, last year's table) or a project self-evaluation file to fill in "
            "(10号 项目支出绩效自评表 and its variants). An existing file is not overwritten "
            "unless --force."),
        lang=("en", "the messages")),
    "parse": Help(
        summary="read a Chinese scoring criterion (评价标准) into a rule",
        description=(
            "Read TEXT, one 评价标准 as printed in a filed table, into the rule mapping "
            "of a ruleset row, with the facts it reads, a restatement in plain Chinese "
            "and every reading made. Nothing is guessed: a text that cannot be read with "
            "certainty prints the reason and exits 1. See docs/criteria.md."),
        lang=("zh", "the restatement (always Chinese)"),
        epilog=exit_codes("parsed", "not parsed (the reason on stderr)")),
    "import": Help(
        summary="read a filed indicator table (XLSX, CSV, Markdown) into a draft ruleset",
        description=(
            "Read TABLE, a filed indicator table (XLSX with merged 一级/二级 cells, CSV or "
            "a Markdown table; columns found by their headers 一级指标, 二级指标, 三级指标, "
            "分值, 指标解释, 评价标准 and, when present, 得分), parse every row's 评价标准 and "
            "write DIR/ruleset.yaml (rows that cannot be read are marked TODO with the "
            "reason), DIR/facts.yaml (a skeleton) and DIR/claimed.yaml (the printed "
            "scores); then check the ruleset and print a summary. See docs/criteria.md."),
        lang=("en", "the summary"),
        epilog=exit_codes("written (rows needing a person are listed)",
                          "invalid input or the draft fails rubric check")),
    "schema": Help(
        summary="print the JSON Schema of ruleset files",
        description="Print the JSON Schema (draft 2020-12) of the ruleset format.",
        lang=("en", "the messages")),
    "units": Help(
        summary="list the units rubric knows and their dimensions",
        description=(
            "List every unit of rubric's built-in registry: its aliases, its "
            "dimension (units of one dimension convert by the exact factor "
            "shown; different dimensions never convert) and its size in the "
            "dimension's base unit. With --ruleset, the units as that ruleset "
            "knows them: the built-in ones and those it declares under units:."),
        lang=("en", "the table's header")),
    "serve": Help(
        summary="serve the rulesets under a directory over HTTP (JSON)",
        description=(
            "Serve every ruleset.yaml under DIR over HTTP: score, audit, batch and check "
            "with JSON in and out, for systems not written in Python. Changed rulesets are "
            "picked up without a restart. Needs the 'server' extra: "
            "pip install 'rubric[server]'. See docs/service.md."),
        lang=("en", ("errors (the command's, and the service's when a request's "
                     "Accept-Language does not say)")),
        epilog=exit_codes("stopped", "invalid input (DIR, a missing extra)")),
}
