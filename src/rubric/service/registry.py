"""The rulesets a service serves: every ``ruleset.yaml`` under one directory, reloaded when
changed.

``Registry.refresh`` walks the directory (symbolic links to folders are not followed),
``stat``s each ``ruleset.yaml`` and reloads those whose modification time or size
changed; it runs at most once per ``interval`` seconds, so a busy service pays for one walk
a second, not one per request. A file that no longer loads keeps its last good version
serving and its error is listed (``errors``) until it loads again or is removed. A
ruleset is found by its ``metadata.id`` (the folder name when the metadata has none) in a
dict: a client's id is never part of a path. Two files with one id: the first in path
order serves, the other is an error.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import attrs

from ..errors import RubricError
from ..io.loader import load_ruleset
from ..tree import Ruleset

__all__ = ["FILENAME", "Entry", "LoadProblem", "Registry"]

FILENAME = "ruleset.yaml"


@attrs.frozen
class Entry:
    """One served ruleset: where it came from (relative to the directory) and when."""

    id: str
    version: str
    path: str
    ruleset: Ruleset = attrs.field(repr=False)
    stamp: tuple[int, int] = attrs.field(repr=False)  # (mtime_ns, size) it was loaded at
    loaded_at: float = attrs.field(repr=False)


@attrs.frozen
class LoadProblem:
    """A file that does not load (now): the message, and the version still serving."""

    path: str
    error: str
    serving: str | None
    stamp: tuple[int, int] = attrs.field(repr=False)


class Registry:
    """The rulesets under ``directory``, by id; thread-safe."""

    def __init__(self, directory: str | os.PathLike[str], *, interval: float = 1.0) -> None:
        self.directory = Path(directory).resolve()
        if not self.directory.is_dir():
            raise RubricError(f"{directory}: not a directory",
                              expected="a directory holding ruleset.yaml files")
        self.interval = interval
        self._lock = threading.Lock()
        self._by_path: dict[str, Entry] = {}
        self._problems: dict[str, LoadProblem] = {}
        self._duplicates: dict[str, LoadProblem] = {}
        self._by_id: dict[str, Entry] = {}
        self._checked = float("-inf")
        self.refresh(force=True)

    # -- queries ------------------------------------------------------------------

    def get(self, ruleset_id: str) -> Entry | None:
        """The entry serving ``ruleset_id``, or None."""
        self.refresh()
        return self._by_id.get(ruleset_id)

    def entries(self) -> list[Entry]:
        """Every served ruleset, by id."""
        self.refresh()
        return [self._by_id[k] for k in sorted(self._by_id)]

    def problems(self) -> list[LoadProblem]:
        """Every file that does not load now, by path."""
        self.refresh()
        found = {**self._duplicates, **self._problems}
        return [found[k] for k in sorted(found)]

    # -- reloading ----------------------------------------------------------------

    def _files(self) -> Iterator[tuple[str, Path]]:
        for folder, dirs, files in os.walk(self.directory, followlinks=False):
            dirs.sort()
            if FILENAME in files:
                path = Path(folder) / FILENAME
                yield path.relative_to(self.directory).as_posix(), path

    def refresh(self, *, force: bool = False) -> None:
        """Reload what changed on disk, at most once per ``interval`` (always with ``force``)."""
        now = time.monotonic()
        if not force and now - self._checked < self.interval:
            return
        with self._lock:
            if not force and now - self._checked < self.interval:
                return
            self._scan()
            self._checked = time.monotonic()

    def _scan(self) -> None:
        seen: set[str] = set()
        for rel, path in self._files():
            seen.add(rel)
            try:
                st = path.stat()
            except OSError:
                continue
            stamp = (st.st_mtime_ns, st.st_size)
            current = self._by_path.get(rel)
            problem = self._problems.get(rel)
            if (current is not None and current.stamp == stamp and problem is None) or (
                    problem is not None and problem.stamp == stamp):
                continue
            self._load(rel, path, stamp, current)
        for rel in set(self._by_path) - seen:
            del self._by_path[rel]
        for rel in set(self._problems) - seen:
            del self._problems[rel]
        self._index()

    def _load(self, rel: str, path: Path, stamp: tuple[int, int], current: Entry | None) -> None:
        try:
            ruleset = load_ruleset(path, filename=rel)
        except (RubricError, OSError, RecursionError, MemoryError) as exc:
            message = str(exc) if isinstance(exc, RubricError) else f"{rel}: {exc!r}"
            self._problems[rel] = LoadProblem(rel, message,
                                              current.version if current else None, stamp)
            return
        meta = ruleset.metadata
        ruleset_id = meta.id or path.parent.name
        self._by_path[rel] = Entry(ruleset_id, meta.version, rel, ruleset, stamp, time.time())
        self._problems.pop(rel, None)

    def _index(self) -> None:
        by_id: dict[str, Entry] = {}
        duplicates: dict[str, LoadProblem] = {}
        for rel in sorted(self._by_path):
            entry = self._by_path[rel]
            first = by_id.get(entry.id)
            if first is not None:
                duplicates[rel] = LoadProblem(
                    rel, f"{rel}: ruleset id '{entry.id}' is already served from {first.path}",
                    None, entry.stamp)
                continue
            by_id[entry.id] = entry
        self._by_id = by_id
        self._duplicates = duplicates
