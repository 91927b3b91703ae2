"""pytest plugin: collect policy test cases next to their ruleset.

Files named ``cases.yaml`` or ``*.cases.yaml`` in a directory that holds a
``ruleset.yaml`` are collected; each case is one test item, and a failure reads
``cases.yaml:LINE: case 'NAME': 预算调整率 expected 4, got 3``. Enabled through the
``pytest11`` entry point of the installed package, or with ``-p rubric.pytest_plugin``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..errors import RubricError
from .cases import Case, CaseResult, load_cases, run_case

__all__ = ["CaseItem", "CasesFile", "pytest_collect_file"]

RULESET_NAME = "ruleset.yaml"


def is_cases_file(path: Path) -> bool:
    """Whether ``path`` follows the naming convention and sits next to a ruleset.yaml."""
    name = path.name
    return (name == "cases.yaml" or name.endswith(".cases.yaml")) and (
        path.parent / RULESET_NAME).is_file()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if is_cases_file(file_path):
        return CasesFile.from_parent(parent, path=file_path)
    return None


class CasesFailed(Exception):
    """Raised by a case item whose expectations were not met."""

    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.case.name)
        self.result = result


class CasesFile(pytest.File):
    """A cases file; loads its sibling ruleset once for all its cases."""

    _ruleset: Any = None

    def display_name(self) -> str:
        try:
            return str(self.path.relative_to(self.config.rootpath))
        except ValueError:
            return str(self.path)

    def ruleset(self) -> Any:
        if self._ruleset is None:
            from ..io.loader import load_ruleset

            self._ruleset = load_ruleset(self.path.parent / RULESET_NAME)
        return self._ruleset

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
                     ) -> Any:
        if isinstance(excinfo.value, RubricError):  # a malformed cases file: file:line
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def collect(self) -> Iterator[CaseItem]:
        for case in load_cases(self.path, filename=self.display_name()):
            yield CaseItem.from_parent(self, name=case.name, case=case)


class CaseItem(pytest.Item):
    """One case of a cases file."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        assert isinstance(self.parent, CasesFile)
        result = run_case(self.parent.ruleset(), self.case)
        if not result.passed:
            raise CasesFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
                     ) -> str:
        if isinstance(excinfo.value, CasesFailed):
            return "\n".join(str(f) for f in excinfo.value.result.failures)
        if isinstance(excinfo.value, RubricError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, f"case '{self.case.name}'"
