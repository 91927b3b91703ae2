"""File arguments: checking input files and output paths, and writing files atomically.

Every command and writer checks its file arguments here first, so a missing file, a
folder, a file that is not UTF-8 text or an output folder that does not exist is one
clear ``FileError`` naming the path, before any work is done.

Output goes where ``output_target`` says: a regular file or a new path is written
whole or not at all by ``atomic_path`` (a temporary file in the same folder, flushed
to disk with fsync, then renamed over the target; removed on failure, on Ctrl-C and on
SIGTERM). A FIFO, a character device (``/dev/null``, a terminal) and a descriptor path
(``/dev/stdout``, ``/dev/fd/N``) are written in place, as a stream; ``-`` is standard
output. A directory, a socket or a block device is refused with a ``FileError``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Literal

from ..errors import FileError
from .located_yaml import MAX_FILE_BYTES

__all__ = ["atomic_path", "check_input_file", "check_output_path", "check_text_file",
           "not_utf8", "output_target"]


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
    shown = os.fspath(name)
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):  # /dev/zero, a FIFO: could be endless
        raise FileError(f"{shown}: not a regular file", file=shown,
                        expected="a YAML file on disk")
    if info.st_size > MAX_FILE_BYTES:
        raise FileError(f"{shown}: file is too large (more than {MAX_FILE_BYTES} bytes)",
                        file=shown, expected=f"a file of at most {MAX_FILE_BYTES // 2**20} MB")
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise not_utf8(shown) from None
    return path


#: paths that name an open descriptor of this process: written in place, never replaced
_DESCRIPTOR_PATH = re.compile(
    r"^/(?:dev/(?:stdout|stderr|fd/\d+)|proc/(?:self|thread-self|\d+)/fd/\d+)$")


def output_target(path: str | os.PathLike[str]) -> Literal["file", "stream", "stdout"]:
    """How output is written to ``path``: ``"file"`` (a regular file or a new path:
    atomically), ``"stream"`` (a FIFO, a character device or a descriptor path such as
    ``/dev/stdout``: in place) or ``"stdout"`` (``-``). Anything else (a directory, a
    socket, a block device, a path in a folder that does not exist) is a FileError."""
    text = os.fspath(path)
    if text == "-":
        return "stdout"
    if not text.strip():
        raise FileError("empty output file name", expected="an output file name",
                        example="scores.csv")
    try:
        mode = os.stat(text).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:  # a parent that is a file, a name too long, no permission
        raise FileError(f"cannot write: {exc.strerror or exc}", file=text,
                        expected="a writable output path") from None
    if mode is None:
        target = Path(text)
        folder = target.parent if str(target.parent) else Path(".")
        if not folder.is_dir():
            raise FileError(f"cannot write: folder '{folder}' does not exist", file=text,
                            expected="an output path in an existing folder")
        return "file"
    if stat.S_ISDIR(mode):
        raise FileError("is a directory, not a file", file=text,
                        expected="an output file name", example="scores.csv")
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return "stream"
    if stat.S_ISREG(mode):
        return "stream" if _DESCRIPTOR_PATH.match(os.path.abspath(text)) else "file"
    what = "a socket" if stat.S_ISSOCK(mode) else (
        "a block device" if stat.S_ISBLK(mode) else "not a regular file")
    raise FileError(f"cannot write: is {what}", file=text,
                    expected="a regular file, a new path, a FIFO, a character device or '-'")


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """The folder an output file goes to, if ``path`` can be written there (see
    ``output_target``); else a FileError naming ``path`` (checked before any input is
    read)."""
    output_target(path)
    target = Path(path)
    return target.parent if str(target.parent) else Path(".")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[str]:
    """A path to write ``path``'s content to, so a reader never sees a half-written file.

    For a regular file or a new path: a temporary file in the target's folder (the
    real folder when ``path`` is a symbolic link), fsynced and renamed over the target
    on success, removed on failure, on KeyboardInterrupt and on SIGTERM. For a stream
    (FIFO, character device, ``/dev/stdout``): ``path`` itself, written in place. For
    ``-``: a temporary file copied to standard output at the end.
    """
    kind = output_target(path)
    with _named_on_failure(path):
        if kind == "stream":
            yield os.fspath(path)
            return
        if kind == "stdout":
            with _removed_on_exit(tempfile.mkstemp(prefix=".rubric-", suffix=".tmp")) as tmp:
                yield tmp
                _copy_to_stdout(tmp)
            return
        yield from _replaced(path)


#: what only writing meets (reading the input never does): a full disk, a quota, a size limit
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


@contextlib.contextmanager
def _named_on_failure(path: str | os.PathLike[str]) -> Iterator[None]:
    """A full disk (or a quota, a file size limit) met while the output is written: a
    FileError naming the output, not a bare ``[Errno 28]``."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in _WRITE_ERRORS:
            raise
        raise FileError(f"cannot write: {exc.strerror or exc}", file=os.fspath(path),
                        expected="a writable output path") from None


def _replaced(path: str | os.PathLike[str]) -> Iterator[str]:
    """``atomic_path`` for a regular file or a new path (see there)."""
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        made = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:  # name the file asked for, not the hidden temporary one
        raise FileError(f"cannot write: {exc.strerror or exc}", file=os.fspath(path),
                        expected="a writable output path") from None
    with _removed_on_exit(made) as tmp:
        yield tmp
        try:
            mode = os.stat(target).st_mode & 0o777
        except FileNotFoundError:
            mask = os.umask(0)  # mkstemp makes 0600 files; give the usual mode instead
            os.umask(mask)
            mode = 0o666 & ~mask
        os.chmod(tmp, mode)
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync_folder(folder)


class _Terminated(SystemExit):
    """SIGTERM while a temporary output file exists: unwinds so it is removed."""


@contextlib.contextmanager
def _removed_on_exit(made: tuple[int, str]) -> Iterator[str]:
    """The temporary file ``made`` (mkstemp's pair), removed unless it was renamed
    away; SIGTERM (when its handler is the default one) unwinds like Ctrl-C does."""
    fd, tmp = made
    os.close(fd)
    owner = os.getpid()
    previous = None

    def terminate(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:  # a forked worker inherited the handler: die as usual
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise _Terminated(128 + signum)

    if threading.current_thread() is threading.main_thread():
        with contextlib.suppress(ValueError, OSError):
            if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
                previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield tmp
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        with contextlib.suppress(OSError):
            os.remove(tmp)  # gone already after a successful rename


def _fsync(name: str) -> None:
    fd = os.open(name, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX; a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _copy_to_stdout(tmp: str) -> None:
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    with open(tmp, "rb") as fh:
        if out is not None:
            shutil.copyfileobj(fh, out)
            out.flush()
        else:  # a text-only stream (an embedding application): text output only
            sys.stdout.write(fh.read().decode("utf-8"))
            sys.stdout.flush()
