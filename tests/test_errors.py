"""Errors carry their fields: a Location, the file of a FileError, the facts-file lines
of an evaluation error; callers read them instead of parsing messages."""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

import pytest

from rubric import (
    EvaluationError,
    FileError,
    LoadError,
    Location,
    MissingDependency,
    RubricError,
    UnknownLanguage,
    load_ruleset,
)
from rubric.errors import optional_module
from rubric.io.facts_file import locate_in_facts
from rubric.io.files import check_input_file, check_output_path

RULESET = """\
rubric: 1
facts:
  率: {unit: '%'}
indicators:
  - id: 甲
    max_points: 5
    rule: {kind: bands, fact: 率, bands: [{range: '[0, 10]', points: 5}]}
"""


def test_location_text() -> None:
    at = Location("r.yaml", 3, 7, "$.indicators[0]")
    assert (str(at), at.position) == ("r.yaml:3:7: $.indicators[0]", "r.yaml:3:7")
    assert Location(line=2).position == "<string>:2"


def test_load_error_problems_carry_locations() -> None:
    with pytest.raises(LoadError) as info:
        load_ruleset(RULESET.replace("points: 5}", "points: 5, pionts: 1}"), filename="r.yaml")
    problem = info.value.problems[0]
    assert problem.location == Location("r.yaml", problem.line, problem.col, problem.path)
    assert info.value.location == problem.location
    assert info.value.where == problem.location.position


def test_file_errors_are_os_errors_with_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(FileError) as info:
        check_input_file(missing)
    exc = info.value
    assert isinstance(exc, OSError) and isinstance(exc, RubricError)
    assert exc.filename == str(missing) and exc.location == Location(str(missing))
    assert str(exc) == f"{missing}: no such file; expected a path to an existing file"
    with pytest.raises(FileError):
        check_output_path(tmp_path / "no-folder" / "out.csv")


@pytest.mark.parametrize("exc", [
    FileError("no such file", file="a.yaml", expected="a path"),
    UnknownLanguage("fr", ("zh", "en")),
    MissingDependency("needs openpyxl", package="openpyxl", expected="pip install openpyxl"),
    EvaluationError("x", where="r.yaml:3", indicator="甲",
                    facts_at=[("率", Location("f.yaml", 2, path="$.率"))]),
    RubricError("bad", field="bands", index=1, fact="率", cycle=("a", "b", "a")),
], ids=lambda e: type(e).__name__)
def test_errors_pickle_with_their_fields(exc: RubricError) -> None:
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is type(exc) and str(back) == str(exc)
    assert back.keywords() == exc.keywords()


def test_unknown_language() -> None:
    exc = UnknownLanguage("fr", ("zh", "en"))
    assert isinstance(exc, ValueError)
    assert str(exc) == "unknown language 'fr'; expected one of zh, en"
    assert (exc.language, exc.languages) == ("fr", ("zh", "en"))


def test_locate_in_facts_gives_the_lines_as_fields(tmp_path: Path) -> None:
    ruleset = load_ruleset(RULESET, filename="r.yaml")
    facts = tmp_path / "f.yaml"
    facts.write_text("# unit A\n率: 120\n", encoding="utf-8")
    exc = locate_in_facts(EvaluationError("120 is in no band", where="r.yaml:4",
                                          indicator="甲"), ruleset, facts)
    assert exc.message == f"120 is in no band (facts: {facts}:2 率)"
    assert exc.facts_at == (("率", Location(str(facts), 2, path="$.率")),)
    assert exc.where == "r.yaml:4" and exc.indicator == "甲"



def test_optional_module_returns_the_module_or_names_the_missing_package(monkeypatch):
    assert optional_module("json", "reading JSON", "json") is json
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow fails
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # even when imported before
    with pytest.raises(MissingDependency) as caught:
        optional_module("pyarrow.parquet", "reading or writing .parquet", "parquet")
    assert caught.value.message == "reading or writing .parquet needs pyarrow"
    assert caught.value.package == caught.value.name == "pyarrow"
    assert caught.value.expected == "pip install 'rubric[parquet]'"
