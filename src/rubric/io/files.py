"""File arguments: checking input files and output paths, and writing files atomically.

Every command and writer checks its file arguments here first, so a missing file, a
folder, a file that is not UTF-8 text or an output folder that does not exist is one
clear ``FileError`` naming the path, before any work is done. ``atomic_path`` writes
a file whole or not at all (a temporary file in the same folder, renamed at the end).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import FileError

__all__ = ["atomic_path", "check_input_file", "check_output_path", "check_text_file",
           "not_utf8"]


def not_utf8(name: str) -> FileError:
    """The error for a file that is not UTF-8 text."""
    return FileError("not UTF-8 text (save it as UTF-8)", file=name,
                     expected="a UTF-8 encoded file")


def check_input_file(name: str | os.PathLike[str]) -> Path:
    """``name`` as a Path, if it is an existing regular file; else a clear FileError
    (no such file, a directory, an empty name): file arguments are always paths."""
    text = os.fspath(name)
    if not text.strip():
        raise FileError("empty file name", expected="a path to a file",
                        example="facts.yaml")
    path = Path(text)
    if path.is_dir():
        raise FileError("is a directory, not a file", file=text, expected="a path to a file")
    if not path.exists():
        raise FileError("no such file", file=text, expected="a path to an existing file")
    return path


def check_text_file(name: str | os.PathLike[str]) -> Path:
    """``check_input_file``, and the file must be UTF-8 text (rulesets, facts, claimed
    tables and cases are small: decoding them once up front costs nothing)."""
    path = check_input_file(name)
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise not_utf8(os.fspath(name)) from None
    return path


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """The folder an output file goes to, if ``path`` can be written there; else a
    FileError naming ``path`` (checked before any input is read)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise FileError("is a directory, not a file", file=os.fspath(path),
                        expected="an output file name", example="scores.csv")
    if not folder.is_dir():
        raise FileError(f"cannot write: folder '{folder}' does not exist",
                        file=os.fspath(path), expected="an output path in an existing folder")
    return folder


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[str]:
    """A temporary path in ``path``'s directory, renamed over ``path`` on success and
    removed on failure, so a reader never sees a half-written file."""
    target = Path(path)
    folder = check_output_path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:  # name the file asked for, not the hidden temporary one
        raise FileError(f"cannot write: {exc.strerror or exc}", file=os.fspath(path),
                        expected="a writable output path") from None
    os.close(fd)
    try:
        yield tmp
        try:
            mode = os.stat(target).st_mode & 0o777
        except FileNotFoundError:
            mask = os.umask(0)  # mkstemp makes 0600 files; give the usual mode instead
            os.umask(mask)
            mode = 0o666 & ~mask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
