"""What a command prints: its text to ``-o PATH``, written atomically, or else to
standard output."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["write_output"]


def write_output(text: str, output: str | None, *, quiet: bool = False) -> None:
    """Write ``text`` to ``output`` through ``io.files.atomic_path`` (a reader never sees
    half of it), or to standard output when ``output`` is None, empty or ``-`` (unless
    ``quiet``)."""
    if output not in (None, "", "-"):
        from ..io.files import atomic_path

        with atomic_path(output) as tmp:
            Path(tmp).write_text(text, encoding="utf-8")
    elif not quiet:
        sys.stdout.write(text)
