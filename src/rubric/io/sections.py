"""What the readers of a ruleset file's sections are handed: the loader.

``constraints_section`` and ``row_section`` read their parts of a ruleset through the
loader that reports every problem at its ``file:line`` and builds objects from mappings;
``SectionLoader`` is that loader as they see it (``io.loader`` provides it), ``PathT``
a path inside the file (``("constraints", 0, "check")``), ``built_items`` the items
of a list section built each with its source text, and ``checked_items`` those of a
top-level list section that also pass the section's own check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from ..errors import RulesetError
from .field_types import describe

__all__ = ["PathT", "SectionLoader", "built_items", "checked_items"]

PathT = tuple[Any, ...]


class SectionLoader(Protocol):
    """The ruleset loader, as a section reader uses it."""

    def problem(self, message: str, path: PathT, *, key: bool = False,
                indicator: str | None = None, expected: str | None = None,
                example: str | None = None) -> None: ...

    def from_error(self, exc: RulesetError, path: PathT, indicator: str | None = None
                   ) -> None: ...

    def source(self, path: PathT) -> str: ...

    def build(self, cls: type, value: object, path: PathT, what: str,
              indicator: str | None = None, skip: tuple[str, ...] = (),
              convert: Any = None, extra: Mapping[str, Any] | None = None) -> Any: ...


def built_items(loader: SectionLoader, cls: type, items: list[Any], path: PathT, what: str
                ) -> Iterator[tuple[PathT, Any, Any]]:
    """``(path, item, built)`` for each item of the list section at ``path`` that builds
    as ``cls`` (with its source text as ``source``); the loader reports the others."""
    for i, item in enumerate(items):
        ipath = (*path, i)
        built = loader.build(cls, item, ipath, what, extra={"source": loader.source(ipath)})
        if built is not None:
            yield ipath, item, built


def checked_items(loader: SectionLoader, cls: type, value: object, name: str, what: str,
                  check: Callable[[Any], object], field: Callable[[RulesetError, Any], str],
                  *, expected: str, example: str,
                  skip: Callable[[Any], bool] | None = None) -> list[Any]:
    """The items of the top-level list section ``name`` (its ``value``; None: none) that
    build as ``cls`` and pass ``check(built)``; a RulesetError ``check`` raises is reported
    at the item's key ``field(exc, item)``, a value that is not a list with ``expected``
    and ``example``. An item ``skip(built)`` is left out unreported (reported already)."""
    path: PathT = (name,)
    if value is None:
        return []
    if not isinstance(value, list):
        loader.problem(f"{name} must be a list, got {describe(value)}", path,
                       expected=expected, example=example)
        return []
    out: list[Any] = []
    for ipath, item, built in built_items(loader, cls, value, path, what):
        if skip is not None and skip(built):
            continue
        try:
            check(built)
        except RulesetError as exc:
            loader.from_error(exc, (*ipath, field(exc, item)))
            continue
        out.append(built)
    return out
