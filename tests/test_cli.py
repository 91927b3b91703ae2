"""``rubric score`` on the shipped seed ruleset, in-process and as ``python -m rubric``."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from rubric import __version__, audit, evaluate, load_claimed
from rubric.cli import main
from rubric.io.facts_file import load_facts
from rubric.io.loader import load_ruleset
from rubric.present.render import render_table
from rubric.present.summary import published_line
from test_render import _doc_schema

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023"
RULESET = str(SEED / "ruleset.yaml")
FACTS = str(SEED / "facts.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must fail as a usage error (exit 2); return its stderr."""
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse itself rejected the command line
        code = exc.code  # type: ignore[assignment]
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert out == ""
    assert "usage: rubric" in err and "Traceback" not in err
    return err


def names() -> list[str]:
    return [ind.name for ind in load_ruleset(RULESET).indicators()]


# -- success -------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"rubric {__version__}"


def test_score_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "score", RULESET, FACTS)
    assert code == 0, err
    assert err == ""
    ruleset = load_ruleset(RULESET)
    facts = load_facts(FACTS, ruleset)
    result = evaluate(ruleset, facts)
    # the seed ships its published scores (metadata.published): the lead lines audit them
    report = audit(ruleset, facts, load_claimed(SEED / "claimed.yaml"))
    published = published_line(report, "claimed.yaml", Decimal(98))
    assert out == render_table(result, notes=[published])
    lead = out.split("+-", 1)[0]
    assert "本表 25 行：已确定 4 行（共 18 分），待定 21 行（缺少 27 项事实，见表下）。" in lead
    assert "总分 18–100，等级 优/良/中/差。" in lead
    assert "公布的得分（claimed.yaml）与所给事实相容：总分 98 及已申报的 12 项，无一矛盾。" in lead
    assert "一级指标" in out and "合计" in out
    for name in names():
        assert name in out
    assert len(names()) == 25


def test_score_explain_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "score", RULESET, FACTS, "--explain", "--lang", "en")
    assert code == 0
    ruleset = load_ruleset(RULESET)
    facts = load_facts(FACTS, ruleset)
    result = evaluate(ruleset, facts)
    report = audit(ruleset, facts, load_claimed(SEED / "claimed.yaml"), lang="en")
    published = published_line(report, "claimed.yaml", Decimal(98), "en")
    assert out == render_table(result, explain=True, lang="en", notes=[published])
    assert ("The published scores (claimed.yaml) are consistent with the facts: the total "
            "98 and 12 claimed rows, none contradicted.") in out
    assert "Level 1" in out and "Total" in out
    first = next(result.rows())
    assert first.explain("en")[:20] in out


def test_score_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "score", RULESET, FACTS, "--format", "json")
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, _doc_schema(), cls=jsonschema.Draft202012Validator)
    rows = []

    def collect(node: dict[str, object]) -> None:
        if node["kind"] == "indicator":
            rows.append(node["name"])
        for child in node["children"]:  # type: ignore[attr-defined]
            collect(child)

    collect(data["tree"])
    assert rows == names()


def test_score_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "score", RULESET, FACTS, "--format", "markdown", "--explain")
    assert code == 0
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert table[0].startswith("| 一级指标 |")
    for name in names():
        assert any(f"| {name} |" in line for line in table), name


def test_output_file_and_quiet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    code, out, _err = run(capsys, "score", RULESET, FACTS, "--format", "markdown",
                          "--output", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith(("| 一级指标", "### "))
    code, out, err = run(capsys, "score", RULESET, FACTS, "--quiet")
    assert (code, out, err) == (0, "", "")


def test_batch_is_delegated(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    import rubric.cli.batch

    seen: list[argparse.Namespace] = []

    def fake(args: argparse.Namespace) -> int:
        seen.append(args)
        return 7

    monkeypatch.setattr(rubric.cli.batch, "run_batch_command", fake)
    code, _out, _err = run(capsys, "score", RULESET, "--batch", "units.csv", "--output",
                           "o.xlsx", "--output-format", "xlsx", "--quiet")
    assert code == 7
    (args,) = seen
    assert (args.ruleset, args.batch, args.output, args.output_format, args.quiet) == (
        RULESET, "units.csv", "o.xlsx", "xlsx", True)


def test_batch_scores_a_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "units.csv"
    source.write_text("unit,预算调整数,预算数\n甲,0,100\n乙,15,100\n", encoding="utf-8")
    target = tmp_path / "scores.csv"
    code, _out, err = run(capsys, "score", RULESET, "--batch", str(source),
                          "--output", str(target), "--quiet")
    assert code == 0, err
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 3


# -- invalid input: exit 1, a message, no traceback -----------------------------------


def _facts_with(tmp_path: Path, extra: str) -> str:
    path = tmp_path / "facts.yaml"
    path.write_text(Path(FACTS).read_text(encoding="utf-8").rstrip("\n") + "\n" + extra,
                    encoding="utf-8")
    return str(path)


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.yaml")
    code, out, err = run(capsys, "score", RULESET, missing)
    assert code == 1 and out == ""
    assert err.startswith("rubric: error:") and "nope.yaml" in err
    assert "Traceback" not in err


def test_broken_yaml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("预算数: 100\n预算调整数: [1, 2\n", encoding="utf-8")
    code, out, err = run(capsys, "score", RULESET, str(path))
    assert code == 1 and out == ""
    assert re.search(r"broken\.yaml:\d+:\d+: YAML", err), err
    assert "Traceback" not in err


def test_unknown_fact(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "score", RULESET, _facts_with(tmp_path, "预算调正数: 5\n"))
    assert code == 1 and out == ""
    assert "预算调正数" in err and "预算调整数" in err  # the typo and the suggestion
    assert "Traceback" not in err


# -- usage errors: exit 2 ------------------------------------------------------------------


def test_facts_required_without_batch(capsys: pytest.CaptureFixture[str]) -> None:
    assert "FACTS" in usage_error(capsys, "score", RULESET)


@pytest.mark.parametrize("argv", [
    ["score", RULESET, FACTS, "--bogus"],
    ["score", RULESET, FACTS, "--format", "html"],
    ["score", RULESET, FACTS, "--lang", "fr"],
    ["score", RULESET, FACTS, "--output-format", "csv"],
    ["score", RULESET, FACTS, "--batch", "units.csv"],
    ["score", RULESET, "--batch", "units.csv", "--format", "json"],
    ["score", RULESET, "--batch", "units.csv", "--explain"],
    ["score"],
    [],
], ids=["unknown-option", "bad-format", "bad-lang", "output-format-without-batch",
        "facts-and-batch", "format-with-batch", "explain-with-batch", "no-ruleset",
        "no-command"])
def test_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    usage_error(capsys, *argv)


# -- as a program ------------------------------------------------------------------------


def _program(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rubric", *argv], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, timeout=120, check=False)


def test_python_m_rubric_score() -> None:
    done = _program("score", RULESET, FACTS)
    assert done.returncode == 0, done.stderr
    for name in names():
        assert name in done.stdout
    assert "合计" in done.stdout


def test_python_m_rubric_errors() -> None:
    done = _program("score", RULESET, str(ROOT / "no-such-facts.yaml"))
    assert done.returncode == 1
    assert "no-such-facts.yaml" in done.stderr and "Traceback" not in done.stderr
    done = _program("score", RULESET, FACTS, "--no-such-option")
    assert done.returncode == 2
    assert "usage:" in done.stderr and "Traceback" not in done.stderr


# -- QA regressions: file arguments, messages, pipes ------------------------------------


@pytest.mark.parametrize("kind", ["missing", "directory", "empty", "inline-yaml"])
@pytest.mark.parametrize("command", ["score", "report", "audit"])
def test_file_arguments_are_always_paths(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                         kind: str, command: str) -> None:
    arg = {"missing": str(tmp_path / "missing.txt"), "directory": str(tmp_path),
           "empty": "", "inline-yaml": "预算数: 100"}[kind]
    extra = {"score": [], "report": ["-o", str(tmp_path / "t.md")],
             "audit": [str(SEED / "claimed.yaml")]}[command]
    code, out, err = run(capsys, command, RULESET, arg, *extra)
    assert code == 1 and out == "", err
    expected = {"missing": f"rubric: error: {arg}: no such file",
                "directory": f"rubric: error: {arg}: is a directory",
                "empty": "rubric: error: empty file name",
                "inline-yaml": f"rubric: error: {arg}: no such file"}[kind]
    assert err.startswith(expected), err


def test_missing_ruleset_and_cases(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = run(capsys, "score", str(tmp_path / "r.yaml"), FACTS)
    assert code == 1 and err.startswith(f"rubric: error: {tmp_path / 'r.yaml'}: no such file")
    code, _out, err = run(capsys, "test", RULESET, str(tmp_path / "cases.yaml"))
    assert code == 1 and "cases.yaml: no such file" in err
    code, out, _err = run(capsys, "check", RULESET, str(tmp_path / "x.yaml"))
    assert code == 1 and f"{tmp_path / 'x.yaml'}: error: no such file" in out


def test_non_utf8_files_are_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("预算数: 100\n".encode("gbk"))
    for argv in (["score", RULESET, str(gbk)],
                 ["audit", RULESET, FACTS, str(gbk)]):
        code, _out, err = run(capsys, *argv)
        assert code == 1
        assert err.startswith(f"rubric: error: {gbk}: not UTF-8 text (save it as UTF-8)"), err


IMPORT_TABLE = ("一级指标,二级指标,三级指标,分值,评价标准\n"
                "过程,预算执行,政府采购,5,是得5分，否得0分\n")


@pytest.mark.parametrize("kind", ["directory", "gbk-csv", "gbk-md", "not-xlsx", "prior-dir",
                                  "prior-gbk", "out-is-a-file", "out-in-a-file",
                                  "ruleset-is-a-folder"])
def test_import_file_errors_name_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          kind: str) -> None:
    table = tmp_path / "t.csv"
    table.write_text(IMPORT_TABLE, encoding="utf-8")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(IMPORT_TABLE.encode("gbk"))
    out = tmp_path / "out"
    argv = {"directory": [str(tmp_path), "-o", str(out)],
            "gbk-csv": [str(gbk), "-o", str(out)],
            "gbk-md": [str(gbk.with_suffix(".md")), "-o", str(out)],
            "not-xlsx": [str(tmp_path / "t.xlsx"), "-o", str(out)],
            "prior-dir": [str(table), "-o", str(out), "--names-from", str(tmp_path)],
            "prior-gbk": [str(table), "-o", str(out), "--names-from", str(gbk)],
            "out-is-a-file": [str(table), "-o", str(table)],
            "out-in-a-file": [str(table), "-o", str(table / "sub")],
            "ruleset-is-a-folder": [str(table), "-o", str(out)]}[kind]
    named = {"directory": str(tmp_path), "gbk-csv": str(gbk),
             "gbk-md": str(gbk.with_suffix(".md")), "not-xlsx": str(tmp_path / "t.xlsx"),
             "prior-dir": str(tmp_path), "prior-gbk": str(gbk), "out-is-a-file": str(table),
             "out-in-a-file": str(table / "sub"),
             "ruleset-is-a-folder": str(out / "ruleset.yaml")}[kind]
    gbk.with_suffix(".md").write_bytes("| 三级指标 | 分值 | 评价标准 |\n|---|---|---|\n"
                                       "| 甲 | 5 | 是得5分 |\n".encode("gbk"))
    (tmp_path / "t.xlsx").write_text("not a workbook", encoding="utf-8")
    if kind == "ruleset-is-a-folder":
        (out / "ruleset.yaml").mkdir(parents=True)
    code, _out, err = run(capsys, "import", *argv)
    assert code == 1, err
    assert err.startswith(f"rubric: error: {named}: "), err
    assert "internal error" not in err and "Errno" not in err and "codec" not in err
    assert table.read_text(encoding="utf-8") == IMPORT_TABLE  # the input is untouched


@pytest.mark.parametrize("kind", ["score", "batch", "batch-link", "report", "audit"])
def test_an_output_that_is_an_input_is_refused(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path, kind: str) -> None:
    # -o naming the input replaced it with the results: the units' facts were lost
    facts = tmp_path / "facts.yaml"
    facts.write_text(Path(FACTS).read_text(encoding="utf-8"), encoding="utf-8")
    units = tmp_path / "units.csv"
    units.write_text("id,预算数\nA,100\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(units)
    claimed = tmp_path / "claimed.yaml"
    claimed.write_text((SEED / "claimed.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    argv, target = {
        "score": (["score", RULESET, str(facts), "-o", str(facts)], facts),
        "batch": (["score", RULESET, "--batch", str(units), "-o", str(units)], units),
        "batch-link": (["score", RULESET, "--batch", str(units), "-o", str(link)], link),
        "report": (["report", RULESET, str(facts), "-o", str(facts)], facts),
        "audit": (["audit", RULESET, str(facts), str(claimed), "-o", str(claimed)], claimed),
    }[kind]
    before = {p: p.read_bytes() for p in (facts, units, claimed)}
    code, _out, err = run(capsys, *argv)
    assert code == 1
    assert err.startswith(f"rubric: error: {target}: is also an input"), err
    assert {p: p.read_bytes() for p in before} == before


def test_import_an_unterminated_quote_is_an_error_naming_the_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # the rows after an unclosed quote were read into one cell and left out of the draft
    table = tmp_path / "t.csv"
    table.write_text(IMPORT_TABLE + '过程,预算执行,"预算执行率,10,得10分\n'
                     "过程,预算执行,资产管理,5,是得5分，否得0分\n", encoding="utf-8")
    code, _out, err = run(capsys, "import", str(table), "-o", str(tmp_path / "out"))
    assert code == 1 and err.startswith(f"rubric: error: {table}: cannot read line "), err
    assert "end of data" in err


def test_missing_claimed_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = run(capsys, "audit", RULESET, FACTS, str(tmp_path / "c.yaml"))
    assert code == 1 and err.startswith(f"rubric: error: {tmp_path / 'c.yaml'}: no such file")


@pytest.mark.parametrize("batch", [False, True])
def test_output_in_a_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                    batch: bool) -> None:
    target = tmp_path / "nonexistent" / "out.csv"
    if batch:
        src = tmp_path / "u.csv"
        src.write_text("id,预算数\nA,100\n", encoding="utf-8")
        argv = ["score", RULESET, "--batch", str(src), "--output", str(target)]
    else:
        argv = ["score", RULESET, FACTS, "--output", str(target)]
    code, _out, err = run(capsys, *argv)
    assert code == 1 and err.startswith(f"rubric: error: {target}: "), err
    assert ".tmp" not in err


def test_audit_json_findings_only(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("audit", RULESET, FACTS, str(SEED / "claimed.yaml"), "--json")
    _code, out_all, _err = run(capsys, *args)
    _code, out_some, _err = run(capsys, *args, "--findings-only")
    every, some = json.loads(out_all), json.loads(out_some)
    assert any(e["status"] == "unclaimed" for e in every["entries"])
    assert some["entries"] == [e for e in every["entries"] if e["status"] != "unclaimed"]
    assert some["entries"] and some["counts"] == every["counts"]


def test_closed_pipe_is_quiet(tmp_path: Path) -> None:
    """``rubric score ... | head -1``: no 'Broken pipe' message, exit 0."""
    src = tmp_path / "u.csv"
    src.write_text("id,预算数\n" + "".join(f"U{i},100\n" for i in range(3000)),
                   encoding="utf-8")  # far more output than a pipe buffer holds
    proc = subprocess.Popen([sys.executable, "-m", "rubric", "score", RULESET, "--batch",
                             str(src), "--jobs", "1", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"row,unit,")
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0, err
    assert "Broken pipe" not in err and "Traceback" not in err and err == ""


# -- the docs run as written -------------------------------------------------------------


def test_testing_md_case_example_runs(capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    text = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    block = re.search(r"## Policy cases: `cases.yaml`\n\n```yaml\n(.*?)```", text, re.S)
    assert block is not None
    cases = tmp_path / "cases.yaml"
    cases.write_text(block.group(1), encoding="utf-8")
    code, out, _err = run(capsys, "test", RULESET, str(cases))
    assert code == 0, out
    assert out.strip().endswith("1 case: 1 passed, 0 failed")


def test_cli_md_covers_every_command_and_option() -> None:
    from rubric.cli import COMMANDS, build_parser

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name in COMMANDS:
        head = f"## `rubric {name}`"
        assert head in text, head
        section = text.split(head, 1)[1].split("\n## ", 1)[0]
        assert "Exit 0" in section or "exit codes" in section.lower() or name == "score"
        for action in sub.choices[name]._actions:
            longs = [o for o in action.option_strings if o.startswith("--") and o != "--help"]
            for option in longs:
                assert f"`{option}" in section, (name, option)


def test_an_evaluation_error_names_the_facts_lines_too(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ruleset = tmp_path / "r.yaml"
    ruleset.write_text(
        "rubric: 1\n"
        "facts:\n"
        "  系数: {unit: '%'}\n"
        "indicators:\n"
        "  - id: 系数行\n"
        "    rule: {kind: coefficient, fact: 系数, points: 10}\n", encoding="utf-8")
    facts = tmp_path / "f.yaml"
    facts.write_text("# a coefficient above 100%\n系数: 120%\n", encoding="utf-8")
    for command in (["score", str(ruleset), str(facts)],
                    ["report", str(ruleset), str(facts), "-o", str(tmp_path / "x.md")]):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert f"{ruleset}:5: indicator '系数行'" in err
        assert f"(facts: {facts}:2 系数)" in err
        assert "Traceback" not in err
