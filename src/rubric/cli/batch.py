"""``rubric score RULESET --batch FILE``: the batch command over ``batch.score_file``.

``cli/score.py`` parses the arguments and hands a ``--batch`` run to
``run_batch_command``, which checks the file arguments, scores the file and prints
the one-line summary on stderr. Exit 0 when every row was scored, 1 when some failed.
Row errors (on stderr and in the ``error`` column) and the summary are in the errors'
language (``cli.lang``: English unless ``--lang zh`` or ``RUBRIC_LANG=zh``).
"""

from __future__ import annotations

import os
import sys
from typing import Any, cast

__all__ = ["run_batch_command"]


def run_batch_command(args: Any) -> int:
    """``rubric score RULESET --batch FILE [-o OUT] [--format csv|xlsx|jsonl] [--quiet]``.

    Exit 0 when every row was scored, 1 when some rows failed (they are reported on
    stderr and in the ``error`` column; the others are still written).
    """
    from ..batch import score_file
    from ..batch_parquet import score_parquet
    from ..i18n import translate
    from ..io.files import check_input_file, check_text_file
    from ..io.loader import load_ruleset
    from ..io.sheet_layout import parse_column_map

    lang = getattr(args, "error_lang", "en")  # row errors: English unless asked (cli.lang)
    ruleset = load_ruleset(check_text_file(args.ruleset))
    source = check_input_file(args.batch)
    quiet = bool(getattr(args, "quiet", False))
    progress = not quiet and sys.stderr.isatty()
    output = getattr(args, "output", None)
    if output in ("-", ""):
        output = None
    score = score_parquet if source.suffix.lower() == ".parquet" else score_file
    summary = score(ruleset, source, output,
                         output_format=getattr(args, "output_format", None),
                         complete=bool(getattr(args, "complete", False)), progress=progress,
                         jobs=_jobs(getattr(args, "jobs", None)),
                         columns=parse_column_map(getattr(args, "columns", None)),
                         encoding=getattr(args, "encoding", None) or "utf-8-sig",
                         lang=lang)
    if not quiet:
        rate = summary.rows / summary.seconds if summary.seconds else 0.0
        where = f" -> {output}" if output else ""
        line = (f"{summary.scored} units scored, {len(summary.errors)} rows with errors"
                f"{where} ({summary.seconds:.1f} s, {rate:,.0f} units/s)")
        print(f"rubric: {translate(line, lang)}", file=sys.stderr)
    return 1 if summary.errors else 0


def _jobs(value: object) -> int | None:
    """``--jobs``: a number of worker processes; None (auto) lets ``score_file`` decide."""
    if value in (None, "auto"):
        return None
    if value in (0, "0"):
        return os.cpu_count() or 1
    return max(1, int(cast("str | int", value)))
