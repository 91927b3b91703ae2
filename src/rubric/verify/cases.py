"""Policy test cases as data: ``cases.yaml`` pins what a ruleset must score.

A cases file is a YAML list (or a mapping with a ``cases:`` list)::

    - name: 预算调整率 exactly 10% is still 4 points
      facts: {预算调整数: 10, 预算数: 100}
      expect:
        预算调整率: 4          # indicator or group id -> score
        资金结余: [0, 5]       # or [low, high] when facts are missing
      total: [20, 100]        # optional, same forms
      grade: 优                # optional
      tolerance: 0.01         # optional, default 0 (exact)

Every case keeps the line numbers it was written at, so a failure reads
``cases.yaml:7: case 'NAME': 预算调整率 expected 4, got 3``. ``run_cases`` runs a
file against a ruleset; ``rubric test`` and the pytest plugin (``rubric.pytest_plugin``)
are thin layers over it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..engine.evaluation import NodeResult, evaluate
from ..errors import LoadError, Problem, RubricError
from ..facts import suggest, to_decimal
from ..text import fmt
from ..tree import Ruleset

__all__ = ["Case", "CaseFailure", "CaseResult", "Expected", "load_cases", "run_case", "run_cases"]

_KEYS = ("name", "facts", "expect", "total", "grade", "tolerance", "description")


@attrs.frozen
class Expected:
    """An expected score (``low == high``) or range, and the line it was written at."""

    target: str
    low: Decimal
    high: Decimal
    line: int

    def text(self) -> str:
        return fmt(self.low) if self.low == self.high else f"[{fmt(self.low)}, {fmt(self.high)}]"


@attrs.frozen
class Case:
    """One case of a cases file."""

    name: str
    facts: Mapping[str, Any]
    expect: tuple[Expected, ...]
    file: str
    line: int
    total: Expected | None = None
    grade: tuple[str, int] | None = None
    tolerance: Decimal = Decimal(0)


@attrs.frozen
class CaseFailure:
    """One mismatch of a case, located at the line of the expectation it broke."""

    file: str
    line: int
    case: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: case '{self.case}': {self.message}"


@attrs.frozen
class CaseResult:
    """The outcome of one case: ``passed`` when ``failures`` is empty."""

    case: Case
    failures: tuple[CaseFailure, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures


# ---------------------------------------------------------------------------- loading


def load_cases(path: str | Path, *, filename: str | None = None) -> list[Case]:
    """Read a cases file; LoadError listing every problem (file:line) if it is malformed."""
    from ..io.located_yaml import read

    name = filename or str(path)
    doc = read(Path(path), filename=name)
    data = doc.data
    root: tuple[Any, ...] = ()
    if isinstance(data, dict) and "cases" in data:
        data, root = data["cases"], ("cases",)
    problems: list[Problem] = []
    if not isinstance(data, list):
        raise LoadError([doc.problem("a cases file is a list of cases", root,
                                     example="- {name: ..., facts: {...}, expect: {...}}")])
    cases: list[Case] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(data):
        at = (*root, i)
        line = doc.where(at)[0]
        if not isinstance(raw, dict):
            problems.append(doc.problem("a case is a mapping", at,
                                        example="name: ..., facts: {...}, expect: {...}"))
            continue
        for key in raw:
            if key not in _KEYS:
                hint = suggest(str(key), _KEYS)
                problems.append(doc.problem(
                    f"unknown key '{key}'" + (f" (did you mean '{hint}'?)" if hint else ""),
                    (*at, key), key=True, expected="one of " + ", ".join(_KEYS)))
        case_name = raw.get("name")
        if not isinstance(case_name, str) or not case_name.strip():
            problems.append(doc.problem("a case needs a name", at, example="name: 预算调整率 = 0"))
            continue
        if case_name in seen:
            problems.append(doc.problem(f"case name '{case_name}' is used twice (first at line "
                                        f"{seen[case_name]})", (*at, "name")))
        seen[case_name] = line
        facts = raw.get("facts", {})
        if not isinstance(facts, dict):
            problems.append(doc.problem("facts: expected a mapping of fact name to value",
                                        (*at, "facts"), example="facts: {预算数: 100}"))
            facts = {}
        expect_raw = raw.get("expect", {})
        expects: list[Expected] = []
        if not isinstance(expect_raw, dict):
            problems.append(doc.problem("expect: expected a mapping of indicator id to score",
                                        (*at, "expect"), example="expect: {预算调整率: 4}"))
            expect_raw = {}
        for target, value in expect_raw.items():
            got = _expected(doc, str(target), value, (*at, "expect", target), problems)
            if got is not None:
                expects.append(got)
        total = None
        if "total" in raw:
            total = _expected(doc, "total", raw["total"], (*at, "total"), problems)
        grade = None
        if "grade" in raw:
            grade = (str(raw["grade"]), doc.where((*at, "grade"))[0])
        tolerance = Decimal(0)
        if "tolerance" in raw:
            try:
                tolerance = to_decimal(raw["tolerance"])
            except RubricError:
                problems.append(doc.problem("tolerance: expected a number", (*at, "tolerance"),
                                            example="tolerance: 0.01"))
        if not expects and total is None and grade is None:
            problems.append(doc.problem("a case expects something", at,
                                        expected="expect, total or grade",
                                        example="expect: {预算调整率: 4}"))
        cases.append(Case(case_name, facts, tuple(expects), name, line, total, grade, tolerance))
    if problems:
        raise LoadError(problems)
    return cases


def _expected(doc: Any, target: str, value: Any, path: tuple[Any, ...],
              problems: list[Problem]) -> Expected | None:
    line = doc.where(path)[0]
    try:
        if isinstance(value, list) and len(value) == 2:
            low, high = to_decimal(value[0]), to_decimal(value[1])
            if low > high:
                raise RubricError("low above high")
            return Expected(target, low, high, line)
        number = to_decimal(value)
        return Expected(target, number, number, line)
    except RubricError:
        problems.append(doc.problem(f"{target}: expected a score or a range [low, high], got "
                                    f"{value!r}", path, example=f"{target}: 4"))
        return None


# ---------------------------------------------------------------------------- running


def run_case(ruleset: Ruleset, case: Case) -> CaseResult:
    """Score ``case.facts`` and compare every expectation; never raises for bad facts."""

    def fail(line: int, message: str) -> CaseFailure:
        return CaseFailure(case.file, line, case.name, message)

    try:
        result = evaluate(ruleset, case.facts)
    except RubricError as exc:
        return CaseResult(case, (fail(case.line, f"scoring failed: {exc}"),))
    failures = []
    for exp in case.expect:
        try:
            node = result[exp.target]
        except KeyError:
            ids = [n.id for n in result.nodes()]
            hint = suggest(exp.target, ids)
            failures.append(fail(exp.line, f"no indicator '{exp.target}'"
                                 + (f" (did you mean '{hint}'?)" if hint else "")))
            continue
        if not _matches(exp, node, case.tolerance):
            failures.append(fail(exp.line, f"{exp.target} expected {exp.text()}, got "
                                 f"{_got(node)}"))
    if case.total is not None and not _matches(case.total, result.total, case.tolerance):
        failures.append(fail(case.total.line, f"total expected {case.total.text()}, got "
                             f"{_got(result.total)}"))
    if case.grade is not None:
        grade, line = case.grade
        got = result.grade if result.grade is not None else "/".join(result.grades)
        if grade != got:
            failures.append(fail(line, f"grade expected {grade}, got {got}"))
    return CaseResult(case, tuple(failures))


def _matches(exp: Expected, node: NodeResult, tolerance: Decimal) -> bool:
    return abs(node.low - exp.low) <= tolerance and abs(node.high - exp.high) <= tolerance


def _got(node: NodeResult) -> str:
    return fmt(node.low) if node.low == node.high else f"[{fmt(node.low)}, {fmt(node.high)}]"


def run_cases(ruleset: Ruleset, cases_path: str | Path, *, filename: str | None = None
              ) -> list[CaseResult]:
    """Run every case of ``cases_path`` against ``ruleset`` (LoadError if the file is bad)."""
    return [run_case(ruleset, case) for case in load_cases(cases_path, filename=filename)]

