"""Every command's errors in Chinese under ``--lang zh`` (or ``RUBRIC_LANG=zh``), in
English by default and under ``--lang en``, exactly as before.

One bad input per error class and per command; each run with ``--lang zh`` must print
the Chinese of the message and leave no English sentence (three English words in a row
outside quoted values, code and paths), and the same run without ``--lang`` must print
the English message it always has.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rubric import (
    EvaluationError,
    FactError,
    FileError,
    FormulaError,
    LoadError,
    MissingDependency,
    Problem,
    RubricError,
    RulesetError,
    UnitError,
    UnknownLanguage,
)
from rubric.cli import main
from rubric.cli.lang import ENV
from rubric.i18n import translate
from test_error_messages import english_sentence

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023"

MINI = """\
rubric: 1
metadata: {id: mini, name: 测试}
facts:
  完成率: {unit: '%', minimum: 0, maximum: 100}
indicators:
  - id: 完成
    max_points: 5
    rule: {kind: bands, fact: 完成率, bands: [{range: '[0, 50]', points: 5}]}
"""


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    def write(name: str, text: str) -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return {
        "mini": write("mini.yaml", MINI),
        "formula": write("formula.yaml", MINI.replace(
            "indicators:", '  派生: {formula: "完成率 * 未知"}\nindicators:')),
        "negative": write("negative.yaml", MINI.replace("max_points: 5", "max_points: -5")),
        "f80": write("f80.yaml", "完成率: 80\n"),
        "f120": write("f120.yaml", "完成率: 120\n"),
        "funit": write("funit.yaml", "完成率: 5 亿美元\n"),
        "unknown": write("unknown.yaml", "完成率: 30\n未声明: 1\n"),
        "ok": write("ok.yaml", "完成率: 30\n"),
        "claimed": write("claimed.yaml", "scores: {完成: x}\n"),
        "cases": write("cases.yaml", "name: not a list\n"),
        "batch": write("batch.csv", "id,完成率\nA,80\nB,120\nC,30\n"),
        "missing": str(tmp_path / "missing.yaml"),
        "nofolder": str(tmp_path / "no" / "out.csv"),
        "tmp": str(tmp_path),
    }


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_chinese(text: str, *expected: str) -> None:
    for part in expected:
        assert part in text, (part, text)
    assert english_sentence(text) is None, (english_sentence(text), text)


# (id, argv with {names} of the files fixture, exit code, Chinese parts, English part)
CASES = [
    ("score: a file error", ["score", "{mini}", "{missing}"], 1,
     ["rubric：错误：", "文件不存在；要求：已有文件的路径"],
     "no such file; expected a path to an existing file"),
    ("score: a fact error", ["score", "{mini}", "{f120}"], 1,
     ["事实“完成率”：无法使用值 120；要求：[0, 100]（单位：%）之内的值（示例：'10 %'）"],
     "fact '完成率': cannot use value 120; expected a value in [0, 100] in % (example: '10 %')"),
    ("score: a unit error", ["score", "{mini}", "{funit}"], 1,
     ["未知的单位“亿美元”（值为 '5 亿美元'）", "要求：数字（单位：%）"],
     "unknown unit '亿美元' (value '5 亿美元'); expected a number in %"),
    ("score: an unknown fact", ["score", "{mini}", "{unknown}"], 1,
     ["未知的事实“未声明”；要求：规则集声明的事实"],
     "unknown fact '未声明'; expected a fact the ruleset declares"),
    ("score: an evaluation error", ["score", "{mini}", "{f80}"], 1,
     ["指标“完成”：完成率 = 80 不落在任何档位（事实：", "要求：落在以下某一档位内的值：[0, 50]"],
     "indicator '完成': 完成率 = 80 falls in no band (facts: "),
    ("score: a formula error", ["score", "{formula}", "{ok}"], 1,
     ["事实“派生”的公式“完成率 * 未知”使用了未知的事实“未知”；要求：已声明事实的名称"],
     "formula of fact '派生' '完成率 * 未知' uses unknown fact '未知'"),
    ("score: a ruleset error", ["score", "{negative}", "{ok}"], 1,
     ["指标“完成”：max_points（分值）不能为负（实际是 -5）；要求：0 或更高的分数"],
     "indicator '完成': max_points must not be negative (got -5); expected 0 or more points"),
    ("score: a usage error", ["score", "{mini}", "{ok}", "--jobs", "2"], 2,
     ["rubric score：错误：--jobs 只能与 --batch 同用"],
     "rubric score: error: --jobs applies only with --batch"),
    ("score --batch: a file error", ["score", "{mini}", "--batch", "{missing}"], 1,
     ["文件不存在"], "no such file"),
    ("score --batch: an output folder", ["score", "{mini}", "--batch", "{batch}", "--output",
                                         "{nofolder}"], 1,
     ["无法写入：文件夹", "不存在；要求：已有文件夹中的输出路径"], "cannot write: folder"),
    ("audit: a claimed file", ["audit", "{mini}", "{ok}", "{claimed}"], 1,
     ["“x”不是数字；要求：分数（示例：5 或 8.62）"],
     "'x' is not a number; expected a number of points (example: 5 or 8.62)"),
    ("diff: a ruleset error", ["diff", "{mini}", "{negative}"], 1,
     ["max_points（分值）不能为负"], "max_points must not be negative"),
    ("diff: a usage error", ["diff", "{mini}", "{mini}", "--changed-only"], 2,
     ["rubric diff：错误：--changed-only 和 --encoding 只能与 --batch 同用"],
     "--changed-only and --encoding apply only with --batch"),
    ("report: an unknown suffix", ["report", "{mini}", "{ok}", "-o", "{tmp}/table.doc"], 1,
     ["无法把报告写成“doc”", "结尾的输出文件"], "cannot write a report as 'doc'"),
    ("test: a cases file", ["test", "{mini}", "{cases}"], 1,
     ["测试用例文件是用例的列表"], "a cases file is a list of cases"),
    ("units: a missing ruleset", ["units", "--ruleset", "{missing}"], 1,
     ["文件不存在"], "no such file"),
    ("schema: an output folder", ["schema", "-o", "{nofolder}"], 1,
     ["无法写入：文件夹"], "cannot write: folder"),
    ("parse: --points", ["parse", "满分5分", "--points", "x"], 2,
     ["rubric：错误：--points 'x' 不是数字"], "--points 'x' is not a number"),
    ("import: a missing table", ["import", "{tmp}/table.xlsx", "-o", "{tmp}/out"], 1,
     ["table.xlsx：文件不存在"], "table.xlsx: no such file"),
    ("serve: not a directory", ["serve", "{missing}"], 1,
     ["rubric：错误："], "rubric: error: "),
]


def _argv(argv: list[str], files: dict[str, str]) -> list[str]:
    return [a.format(**files) for a in argv]


@pytest.mark.parametrize(("argv", "code", "zh", "en"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_every_command_prints_its_errors_in_chinese_under_lang_zh(
        argv: list[str], code: int, zh: list[str], en: str, files: dict[str, str],
        capsys: pytest.CaptureFixture[str]) -> None:
    got, _out, err = run([*_argv(argv, files), "--lang", "zh"], capsys)
    assert got == code
    assert_chinese(err.replace(files["tmp"], "/tmp/x"), *zh)
    got, _out, err = run(_argv(argv, files), capsys)  # default: English, as before
    assert got == code
    assert en in err
    assert "错误" not in err
    got, _out, err = run([*_argv(argv, files), "--lang", "en"], capsys)
    assert got == code
    assert en in err


def test_check_prints_a_load_error_in_chinese(files: dict[str, str],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["check", files["negative"], "--lang", "zh"], capsys)
    assert code == 1
    line = next(x for x in out.splitlines() if "加载失败" in x)
    assert_chinese(line.replace(files["tmp"], "/tmp/x"),
                   "错误: 加载失败：max_points（分值）不能为负（实际是 -5）；应为 0 或更高的分数")
    code, out, _err = run(["check", files["negative"]], capsys)
    assert "error: max_points must not be negative (got -5)" in out


def test_a_batch_prints_its_row_errors_and_summary_in_chinese(
        files: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_csv = str(tmp_path / "out.csv")
    argv = ["score", files["mini"], "--batch", files["batch"], "--output", out_csv]
    code, _out, err = run([*argv, "--lang", "zh"], capsys)
    assert code == 1
    assert_chinese(err.replace(files["tmp"], "/tmp/x"),
                   ":2: A: ", "指标“完成”：完成率 = 80 不落在任何档位",
                   ":3: B: 事实“完成率”：无法使用值 '120'",
                   "rubric: 已评分 1 个单位，2 行有错误 -> ")
    written = Path(out_csv).read_text(encoding="utf-8")
    assert "事实“完成率”：无法使用值 '120'；要求：[0, 100]（单位：%）之内的值" in written
    code, _out, err = run(argv, capsys)
    assert "fact '完成率': cannot use value '120'; expected a value in [0, 100] in %" in err
    assert "rubric: 1 units scored, 2 rows with errors -> " in err
    assert "cannot use value '120'" in Path(out_csv).read_text(encoding="utf-8")


def test_rubric_lang_sets_the_language_of_every_command(
        files: dict[str, str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(ENV, "zh_CN.UTF-8")
    _code, _out, err = run(["score", files["mini"], files["missing"]], capsys)
    assert "rubric：错误：" in err and "文件不存在" in err
    _code, out, _err = run(["units"], capsys)  # the output too: units' header in Chinese
    assert out.startswith("单位\t别名\t量纲\t大小\n")
    _code, _out, err = run(["score", files["mini"], files["missing"], "--lang", "en"], capsys)
    assert "rubric: error: " in err and "no such file" in err  # --lang wins
    monkeypatch.setenv(ENV, "en")
    _code, out, _err = run(["score", files["mini"], files["ok"]], capsys)
    assert "| Total   |" in out and "总分" not in out  # score's table follows RUBRIC_LANG
    monkeypatch.setenv(ENV, "fr")
    code, _out, err = run(["units"], capsys)
    assert code == 2
    assert err == "rubric: error: RUBRIC_LANG: unknown language 'fr'; expected one of zh, en\n"
    code, _out, _err = run(["units", "--lang", "en"], capsys)  # --lang needs no RUBRIC_LANG
    assert code == 0


def test_commands_keep_their_output_language_by_default(
        files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = run(["score", files["mini"], files["ok"]], capsys)
    assert "总分" in out  # score writes Chinese unless asked
    _code, out, _err = run(["units"], capsys)
    assert out.startswith("unit\taliases\tdimension\tsize\n")


# ---------------------------------------------------------------- each error class


ERRORS: list[tuple[str, RubricError, str, str]] = [
    ("RulesetError", RulesetError("a group needs an id", where="r.yaml:3:5",
                                  example="id: 预算执行"),
     "r.yaml:3:5: a group needs an id (example: id: 预算执行)",
     "r.yaml:3:5：指标组需要 id（示例：id: 预算执行）"),
    ("UnitError", UnitError("unknown unit '亿美元'", expected="a unit of rubric's registry",
                            example="万元"),
     "unknown unit '亿美元'; expected a unit of rubric's registry (example: 万元)",
     "未知的单位“亿美元”；要求：rubric 单位表中的单位（示例：万元）"),
    ("FormulaError", FormulaError("derived facts form a cycle: a -> b -> a",
                                  expected="formulas that do not depend on themselves"),
     ("derived facts form a cycle: a -> b -> a; expected formulas that do not depend on "
     "themselves"), "派生事实构成循环：a -> b -> a；要求：不依赖自身的公式"),
    ("LoadError", LoadError([Problem("a case needs a name", file="c.yaml", line=2, col=3),
                             Problem("no such file", file="<string>")]),
     "2 problems:\n<string>: no such file\nc.yaml:2:3: a case needs a name",
     "共 2 个问题：\n<文本>：文件不存在\nc.yaml:2:3：测试用例需要 name（名称）"),
    ("FactError", FactError("fact 'x': cannot use value 'y'", indicator="a",
                            expected="a number in 万元", example="'10 万元'"),
     ("indicator 'a': fact 'x': cannot use value 'y'; expected a number in 万元 "
     "(example: '10 万元')"),
     "指标“a”：事实“x”：无法使用值 'y'；要求：数字（单位：万元）（示例：'10 万元'）"),
    ("EvaluationError", EvaluationError("x = 5 falls in no band", where="r.yaml:9"),
     "r.yaml:9: x = 5 falls in no band", "r.yaml:9：x = 5 不落在任何档位"),
    ("FileError", FileError("is a directory, not a file", file="out",
                            expected="an output file name"),
     "out: is a directory, not a file; expected an output file name",
     "out：是文件夹，不是文件；要求：输出文件名"),
    ("UnknownLanguage", UnknownLanguage("fr", ("zh", "en")),
     "unknown language 'fr'; expected one of zh, en", "未知的语言“fr”；应为以下之一：zh, en"),
    ("MissingDependency", MissingDependency("score_dask needs dask", package="dask",
                                            expected="pip install 'rubric[dask]'"),
     "score_dask needs dask; expected pip install 'rubric[dask]'",
     "score_dask 需要安装 dask；要求：pip install 'rubric[dask]'"),
]


@pytest.mark.parametrize(("error", "en", "zh"), [e[1:] for e in ERRORS],
                         ids=[e[0] for e in ERRORS])
def test_every_error_class_renders_in_both_languages(error: RubricError, en: str,
                                                     zh: str) -> None:
    assert str(error) == en
    assert error.text() == en
    assert error.text("en") == en
    assert error.text("zh") == zh
    assert english_sentence(zh) is None


def test_a_message_the_catalog_lacks_stays_as_it_is() -> None:
    assert translate("something nobody wrote a template for", "zh") == (
        "something nobody wrote a template for")
    assert translate("fact 'a': something new", "zh") == "事实“a”：something new"


def test_a_did_you_mean_and_a_list_of_problems_translate_part_by_part() -> None:
    text = ("2 problems: fact 'a': cannot use value 'x'; expected a number (example: 5); "
            "unknown fact 'b' (did you mean 'c'?)")
    assert translate(text, "zh") == ("共 2 个问题：事实“a”：无法使用值 'x'；要求：数字（示例：5）；"
                                     "未知的事实“b”（是否想写“c”？）")


@pytest.mark.parametrize(("argv", "zh", "en"), [
    (["score"], "rubric score：错误：缺少以下参数：RULESET",
     "rubric score: error: the following arguments are required: RULESET"),
    (["units", "extra"], "rubric：错误：无法识别的参数：extra",
     "rubric: error: unrecognized arguments: extra"),
    (["check", "x.yaml", "--format", "xml"], "rubric check：错误：参数 --format：无效的选项 'xml'",
     "rubric check: error: argument --format: invalid choice: 'xml'"),
    (["serve", "d", "--port", "x"], "rubric serve：错误：参数 --port：应为正整数，实际是“x”",
     "rubric serve: error: argument --port: expected a positive whole number, got 'x'"),
], ids=["required", "unrecognized", "choice", "type"])
def test_argparse_usage_errors_follow_lang_too(argv: list[str], zh: str, en: str,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit) as info:
        main([*argv, "--lang", "zh"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert zh in err
    assert english_sentence(err.splitlines()[-1]) is None
    with pytest.raises(SystemExit):
        main(argv)
    assert en in capsys.readouterr().err
    monkeypatch.setenv(ENV, "zh")
    with pytest.raises(SystemExit):
        main(argv)
    assert zh in capsys.readouterr().err


def test_diff_batch_row_errors_follow_lang(files: dict[str, str],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["diff", files["mini"], files["mini"], "--batch", files["batch"]]
    _code, out, _err = run([*argv, "--lang", "zh"], capsys)
    assert "出错：事实“完成率”：无法使用值 '120'；要求：[0, 100]（单位：%）之内的值" in out
    _code, out, _err = run(argv, capsys)  # the text is Chinese, its errors English as before
    assert "出错：fact '完成率': cannot use value '120'; expected a value in [0, 100] in %" in out


def test_rubric_test_prints_failures_in_chinese(files: dict[str, str], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "c.yaml"
    cases.write_text("- name: x\n  facts: {完成率: 80}\n  expect: {完成: 3}\n"
                     "- name: y\n  facts: {完成率: 10}\n  expect: {完成: 3}\n", encoding="utf-8")
    code, out, _err = run(["test", files["mini"], str(cases), "--lang", "zh"], capsys)
    assert code == 1
    assert_chinese(out.replace(str(tmp_path), "/tmp/x"),
                   "c.yaml:1：用例“x”：评分失败：", "指标“完成”：完成率 = 80 不落在任何档位",
                   "c.yaml:6：用例“y”：完成 预期 3，实际得 5", "共 2 个用例：0 个通过，2 个失败")
    _code, out, _err = run(["test", files["mini"], str(cases)], capsys)
    assert "case 'y': 完成 expected 3, got 5" in out
    assert out.endswith("2 cases: 0 passed, 2 failed\n")


def test_audit_usage_errors_follow_lang(capsys: pytest.CaptureFixture[str]) -> None:
    """rubric audit's own usage errors (two outputs asked, a file format without -o)."""
    seed = [str(SEED / f) for f in ("ruleset.yaml", "facts.yaml", "claimed.yaml")]
    assert main(["audit", *seed, "--format", "xlsx", "--lang", "zh"]) == 2
    err = capsys.readouterr().err.splitlines()[-1]
    assert err.startswith("rubric audit：错误：") and "-o 复核.xlsx" in err
    assert english_sentence(err) is None
    assert main(["audit", *seed, "--format", "xlsx", "--lang", "en"]) == 2
    assert "rubric audit: error: --format xlsx writes a file" in capsys.readouterr().err
