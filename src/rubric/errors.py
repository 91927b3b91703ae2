"""Every exception rubric raises, and the ``Location`` an error points at.

::

    RubricError                        root; catch this to catch everything
    ├── RulesetError (ValueError)      a ruleset cannot be built or loaded
    │   ├── UnitError                  a unit is unknown or cannot convert
    │   ├── FormulaError               a derived-fact formula is invalid
    │   └── LoadError                  a ruleset/facts/cases/claimed file has problems
    │                                  (holds every ``Problem`` found, not the first)
    ├── FactError (ValueError)         a fact value is unusable for its declaration
    │   ├── TargetError                a self-evaluation's 年度指标值 cell cannot be read
    │   └── ActualError                its 实际完成值 cell cannot be read against the target
    ├── EvaluationError (ValueError)   scoring failed for a reason only the facts reveal
    ├── FileError (OSError)            a file argument cannot be used: missing, a folder,
    │                                  not UTF-8, not XLSX, an output folder that is not there
    ├── UnknownLanguage (ValueError)   a language other than those rubric writes
    └── MissingDependency (ImportError) an optional package (openpyxl, pandas) is needed

Load-time errors (``RulesetError``) and evaluation-time errors (``FactError``,
``EvaluationError``) are different classes, so a batch can report a bad row and go on.
Each class also derives from the builtin exception a caller would expect
(``ValueError``, ``OSError``, ``ImportError``), so ``except ValueError`` still works.

Each error keeps structured fields and renders them into one readable message
(``str(error)``): ``where`` (the location as text), ``indicator``, ``expected``,
``example``; ``location`` (a ``Location``: file, line, column, path inside the
document) when the raiser knows it; and, for errors about one part of a ruleset,
``field``/``index`` (the attrs field and list item concerned: ``bands``, 1), ``fact``
(the fact concerned) and ``cycle`` (the derived facts of a formula cycle, in order).
Callers read these fields; they never parse the message.

``str(error)`` is English. ``error.text("zh")`` is the same error in Chinese: the message,
``expected`` and ``example`` through the catalog of ``rubric.i18n`` (a message it does not
know stays English), the frame's words (``indicator``, ``expected``, ``example``, ``N
problems``) in Chinese; the CLI prints it under ``--lang zh``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

__all__ = [
    "ActualError",
    "EvaluationError",
    "FactError",
    "FileError",
    "FormulaError",
    "LoadError",
    "Location",
    "MissingDependency",
    "Problem",
    "RubricError",
    "RulesetError",
    "TargetError",
    "UnitError",
    "UnknownLanguage",
]


@attrs.frozen
class Location:
    """Where something is: ``file``, 1-based ``line`` and ``column``, and ``path``, the
    place inside the document (``$.indicators[3].rule.bands[1].upper``).

    ``str()`` is ``file:line:column: path`` (the parts known; ``<string>`` for text
    that came from no file); ``position`` is the same without the path.
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None

    @property
    def position(self) -> str:
        """``file:line:column`` (``<string>`` when there is no file)."""
        parts = [self.file or "<string>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return self.position + (f": {self.path}" if self.path else "")


class RubricError(Exception):
    """Root of rubric's exceptions.

    ``where`` is a location as text (``file:line:col`` or a path inside a ruleset),
    ``indicator`` the indicator concerned, ``expected`` what is allowed and
    ``example`` a valid example. ``location`` is the structured location when known
    (``where`` defaults to its text). ``field``, ``index``, ``fact`` and ``cycle`` name
    the part of a ruleset an error is about (see the module docstring); none of them
    changes the message.
    """

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        indicator: str | None = None,
        expected: str | None = None,
        example: str | None = None,
        location: Location | None = None,
        field: str | None = None,
        index: int | None = None,
        fact: str | None = None,
        cycle: Sequence[str] = (),
    ) -> None:
        self.message = message
        self.where = where if where is not None or location is None else str(location)
        self.indicator = indicator
        self.expected = expected
        self.example = example
        self.location = location
        self.field = field
        self.index = index
        self.fact = fact
        self.cycle: tuple[str, ...] = tuple(cycle)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return format_message(self.message, self.where, self.indicator, self.expected, self.example)

    def text(self, lang: str = "en") -> str:
        """The error's text in ``lang``: ``str(error)`` in English, else through the catalog
        of ``rubric.i18n`` (see the module docstring)."""
        if lang == "en":
            return str(self)
        return format_message(self.message, self.where, self.indicator, self.expected,
                              self.example, lang=lang)

    def keywords(self) -> dict[str, Any]:
        """The keyword arguments that rebuild this error (pickling, copies)."""
        return {"where": self.where, "indicator": self.indicator, "expected": self.expected,
                "example": self.example, "location": self.location, "field": self.field,
                "index": self.index, "fact": self.fact, "cycle": self.cycle}

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_rebuild, (type(self), self.message, self.keywords()))


def _rebuild(cls, message, fields):  # type: ignore[no-untyped-def]
    return cls(message, **fields)


def format_message(
    message: str,
    where: str | None = None,
    indicator: str | None = None,
    expected: str | None = None,
    example: str | None = None,
    *,
    lang: str = "en",
) -> str:
    """Render the structured fields of an error as one line, in ``lang``."""
    if lang == "zh":
        return _format_zh(message, where, indicator, expected, example)
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


def _format_zh(message: str, where: str | None, indicator: str | None, expected: str | None,
               example: str | None) -> str:
    from .i18n import frame, translate

    text = ""
    if where:
        text += frame("where", "zh", where=where.replace("<string>", frame("string", "zh")))
    if indicator:
        text += frame("indicator", "zh", indicator=indicator)
    text += translate(message, "zh")
    if expected:
        text += frame("expected", "zh", expected=translate(expected, "zh"))
    if example:
        text += frame("example", "zh", example=translate(example, "zh"))
    return text


class RulesetError(RubricError, ValueError):
    """A ruleset (or one of its parts) is invalid."""


class UnitError(RulesetError):
    """A unit is unknown, or a value's unit cannot convert to the declared one."""


class FormulaError(RulesetError):
    """A derived-fact formula is invalid: syntax, unknown name, forbidden construct, cycle."""


class FactError(RubricError, ValueError):
    """A fact's value cannot be used (wrong type, unparsable, wrong unit, outside its domain)."""


class TargetError(FactError):
    """A 年度指标值 cell of a self-evaluation cannot be read as a target
    (``rubric.parse_target``); the message names the cell."""


class ActualError(FactError):
    """A 实际完成值 cell cannot be read against its target (``rubric.parse_actual``);
    the message names the cell."""


class EvaluationError(RubricError, ValueError):
    """Scoring failed for a reason only the facts reveal (e.g. an unknown categorical state).

    ``facts_at`` maps each fact the failing indicator read to its ``Location`` in the
    facts file, once ``io.facts_file.locate_in_facts`` has found them (empty before).
    """

    def __init__(self, message: str, *, facts_at: Iterable[tuple[str, Location]] = (),
                 **fields: Any) -> None:
        self.facts_at: tuple[tuple[str, Location], ...] = tuple(facts_at)
        super().__init__(message, **fields)

    def keywords(self) -> dict[str, Any]:
        return {**super().keywords(), "facts_at": self.facts_at}


class FileError(RubricError, OSError):
    """A file argument cannot be used: no such file, a folder, an empty name, not UTF-8
    text, not an XLSX workbook, a suffix that names no format, an output folder that
    does not exist or cannot be written.

    ``location.file`` (and OSError's ``filename``) is the file concerned, when there is one.
    """

    def __init__(self, message: str, *, file: str | None = None, **fields: Any) -> None:
        if file is not None and fields.get("location") is None:
            fields["location"] = Location(file)
        super().__init__(message, **fields)
        self.filename = self.location.file if self.location is not None else None


class UnknownLanguage(RubricError, ValueError):
    """A language other than those rubric writes (``zh``, ``en``).

    ``language`` is the one asked for, ``languages`` those available.
    """

    def __init__(self, language: str, languages: Sequence[str], **fields: Any) -> None:
        self.language = language
        self.languages: tuple[str, ...] = tuple(languages)
        super().__init__(f"unknown language '{language}'; expected one of "
                         f"{', '.join(self.languages)}", **fields)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_rebuild_language, (type(self), self.language, self.languages, self.keywords()))


def _rebuild_language(cls, language, languages, fields):  # type: ignore[no-untyped-def]
    return cls(language, languages, **fields)


class MissingDependency(RubricError, ImportError):
    """An optional package is needed for what was asked (openpyxl for XLSX, pandas for
    DataFrames); ``package`` names it and ``expected`` says how to install it."""

    def __init__(self, message: str, *, package: str | None = None, **fields: Any) -> None:
        self.package = package
        super().__init__(message, **fields)
        self.name = package

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_rebuild_dependency, (type(self), self.message, self.package, self.keywords()))


def _rebuild_dependency(cls, message, package, fields):  # type: ignore[no-untyped-def]
    return cls(message, package=package, **fields)


def optional_module(name: str, needs: str, extra: str) -> Any:
    """The optional module ``name`` (``pyarrow.parquet``), or a MissingDependency
    "{needs} needs {package}" saying to install ``rubric[extra]``."""
    try:
        return importlib.import_module(name)
    except ImportError:
        package = name.partition(".")[0]
        raise MissingDependency(f"{needs} needs {package}", package=package,
                                expected=f"pip install 'rubric[{extra}]'") from None


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
    def location(self) -> Location:
        """The problem's ``Location`` (file, line, column, path inside the document)."""
        return Location(self.file, self.line, self.col, self.path)

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: str = "en") -> str:
        """The problem's line in ``lang`` (``str()`` in English)."""
        return format_message(self.message, str(self.location), self.indicator, self.expected,
                              self.example, lang=lang)


class LoadError(RulesetError):
    """A file could not be loaded; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: Sequence[Problem] = tuple(
            sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.col or 0))
        )
        first = self.problems[0] if self.problems else None
        super().__init__(
            first.message if first else "invalid input",
            where=first.location.position if first else None,
            indicator=first.indicator if first else None,
            expected=first.expected if first else None,
            example=first.example if first else None,
            location=first.location if first else None,
        )

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """Every problem, one a line (after ``N problems:`` when more than one), in ``lang``."""
        from .i18n import frame

        lines = [p.text(lang) for p in self.problems]
        if len(lines) > 1:
            lines.insert(0, frame("problems", lang, n=len(lines)))
        return "\n".join(lines)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (LoadError, (self.problems,))
