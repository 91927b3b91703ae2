"""Every exception rubric raises.

::

    RubricError                      root; catch this to catch everything
    ├── RulesetError (ValueError)    a ruleset cannot be built or loaded
    │   ├── UnitError                a unit is unknown or cannot convert
    │   ├── FormulaError             a derived-fact formula is invalid
    │   └── LoadError                a ruleset/facts/cases file has problems
    │                                (holds every ``Problem`` found, not the first)
    ├── FactError (ValueError)       a fact value is unusable for its declaration
    └── EvaluationError (ValueError) scoring failed for a reason only the facts reveal

Load-time errors (``RulesetError``) and evaluation-time errors (``FactError``,
``EvaluationError``) are different classes, so a batch can report a bad row and go on.
Each error keeps structured fields (``where``, ``indicator``, ``expected``, ``example``)
and renders them into one readable message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "EvaluationError",
    "FactError",
    "FormulaError",
    "LoadError",
    "Problem",
    "RubricError",
    "RulesetError",
    "UnitError",
]


class RubricError(Exception):
    """Root of rubric's exceptions.

    ``where`` is a location (``file:line:col`` or a path inside a ruleset),
    ``indicator`` the indicator concerned, ``expected`` what is allowed and
    ``example`` a valid example.
    """

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        indicator: str | None = None,
        expected: str | None = None,
        example: str | None = None,
    ) -> None:
        self.message = message
        self.where = where
        self.indicator = indicator
        self.expected = expected
        self.example = example
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return format_message(self.message, self.where, self.indicator, self.expected, self.example)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (
            _rebuild,
            (type(self), self.message, self.where, self.indicator, self.expected, self.example),
        )


def _rebuild(cls, message, where, indicator, expected, example):  # type: ignore[no-untyped-def]
    return cls(message, where=where, indicator=indicator, expected=expected, example=example)


def format_message(
    message: str,
    where: str | None = None,
    indicator: str | None = None,
    expected: str | None = None,
    example: str | None = None,
) -> str:
    """Render the structured fields of an error as one line."""
    head = ""
    if where:
        head += f"{where}: "
    if indicator:
        head += f"indicator '{indicator}': "
    text = head + message
    if expected:
        text += f"; expected {expected}"
    if example:
        text += f" (example: {example})"
    return text


class RulesetError(RubricError, ValueError):
    """A ruleset (or one of its parts) is invalid."""


class UnitError(RulesetError):
    """A unit is unknown, or a value's unit cannot convert to the declared one."""


class FormulaError(RulesetError):
    """A derived-fact formula is invalid: syntax, unknown name, forbidden construct, cycle."""


class FactError(RubricError, ValueError):
    """A fact's value cannot be used (wrong type, unparsable, wrong unit, outside its domain)."""


class EvaluationError(RubricError, ValueError):
    """Scoring failed for a reason only the facts reveal (e.g. an unknown categorical state)."""


@attrs.frozen
class Problem:
    """One problem found while loading a file; ``LoadError`` collects them all."""

    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None
    path: str | None = None
    indicator: str | None = None
    expected: str | None = None
    example: str | None = None

    @property
    def location(self) -> str:
        parts = [self.file or "<string>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location
        if self.path:
            where += f": {self.path}"
        return format_message(self.message, where, self.indicator, self.expected, self.example)


class LoadError(RulesetError):
    """A file could not be loaded; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: Sequence[Problem] = tuple(
            sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.col or 0))
        )
        first = self.problems[0] if self.problems else None
        super().__init__(
            first.message if first else "invalid input",
            where=first.location if first else None,
            indicator=first.indicator if first else None,
            expected=first.expected if first else None,
            example=first.example if first else None,
        )

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        if len(lines) > 1:
            lines.insert(0, f"{len(lines)} problems:")
        return "\n".join(lines)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (LoadError, (self.problems,))
