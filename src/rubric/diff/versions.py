"""Which version of a ruleset is in force for a year: the period each declares
(``metadata.valid_from`` / ``valid_until``, else ``fiscal_year``) and picking the one
ruleset of a directory of versions whose period meets the year.

A ruleset's period is ``[valid_from, valid_until]``, both days included, either end open
when not given; a ruleset with neither date but a ``fiscal_year`` is in force for that
calendar year (a Chinese fiscal year is the calendar year); one with none of the three
declares no period and is never picked. A ruleset is in force for year Y when its period
and the calendar year Y share a day. Exactly one ruleset of the directory must be: none
or several is an error naming every candidate and its period (end the older version's
period with ``valid_until``).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from pathlib import Path

from ..errors import RubricError
from ..io.loader import load_ruleset
from ..tree import Metadata, Ruleset

__all__ = ["RULESET_SUFFIXES", "check_year", "in_force", "period_text", "pick_ruleset",
           "ruleset_period"]

RULESET_SUFFIXES = (".yaml", ".yml", ".json")
#: a ruleset file opens its top-level mapping with the format version ``rubric: 1``
_RUBRIC_KEY = re.compile(r'^(?:rubric|"rubric")\s*:', re.MULTILINE)


def ruleset_period(metadata: Metadata) -> tuple[_dt.date | None, _dt.date | None] | None:
    """``(first day, last day)`` the ruleset is in force (None: open on that side), or
    None when it declares no period."""
    if metadata.valid_from is not None or metadata.valid_until is not None:
        return metadata.valid_from, metadata.valid_until
    if metadata.fiscal_year is not None:
        year = metadata.fiscal_year
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    return None


def in_force(metadata: Metadata, year: int) -> bool | None:
    """Whether the ruleset's period shares a day with calendar year ``year`` (None: it
    declares no period)."""
    period = ruleset_period(metadata)
    if period is None:
        return None
    start, end = period
    return (start is None or start.year <= year) and (end is None or end.year >= year)


def period_text(metadata: Metadata) -> str:
    period = ruleset_period(metadata)
    if period is None:
        return "no period (no valid_from, valid_until or fiscal_year)"
    start, end = period
    if metadata.valid_from is None and metadata.valid_until is None:
        return f"fiscal_year {metadata.fiscal_year}"
    return f"{start or '…'} – {end or '…'}"


def _candidates(directory: Path) -> list[Path]:
    out = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if path.suffix.lower() not in RULESET_SUFFIXES:
                continue
            try:
                head = path.read_text(encoding="utf-8-sig", errors="replace")[:65536]
            except OSError:
                continue
            if _RUBRIC_KEY.search(head):
                out.append(path)
    return out


def pick_ruleset(directory: str | os.PathLike[str], year: int) -> tuple[Path, Ruleset]:
    """The one ruleset file under ``directory`` (searched with its subdirectories; a
    ruleset file is a ``.yaml``/``.yml``/``.json`` file with a top-level ``rubric`` key)
    in force for ``year``, loaded. RubricError when none or several are."""
    folder = Path(directory)
    found: list[tuple[Path, Ruleset]] = [(p, load_ruleset(p)) for p in _candidates(folder)]
    if not found:
        raise RubricError(f"{folder}: no ruleset file in this directory",
                          expected="ruleset files (YAML with 'rubric: 1') under the directory",
                          example="rulesets/kgxj/2024/ruleset.yaml")
    chosen = [(p, r) for p, r in found if in_force(r.metadata, year)]
    listing = "; ".join(f"{p}: {period_text(r.metadata)}" for p, r in found)
    if not chosen:
        raise RubricError(f"{folder}: no ruleset is in force in {year} ({listing})",
                          expected=f"one ruleset whose metadata valid_from/valid_until or "
                          f"fiscal_year covers {year}",
                          example=f"metadata: {{valid_from: {year}-01-01}}")
    if len(chosen) > 1:
        listing = "; ".join(f"{p}: {period_text(r.metadata)}" for p, r in chosen)
        raise RubricError(f"{folder}: {len(chosen)} rulesets are in force in {year} "
                          f"({listing})", expected="exactly one; end the older version's "
                          "period with valid_until", example=f"valid_until: {year - 1}-12-31")
    return chosen[0]


def check_year(ruleset: str | os.PathLike[str], year: int, *, quiet: bool = False) -> Path:
    """``rubric score RULESET --year Y``: a directory gives the one ruleset in force in
    ``year`` (named on standard error unless ``quiet``); a file is refused when it
    declares a period that does not meet ``year`` (a file with no period is taken)."""
    import sys

    path = Path(ruleset)
    if path.is_dir():
        chosen, _ruleset = pick_ruleset(path, year)
        if not quiet:
            print(f"rubric: {year}: {chosen}", file=sys.stderr)
        return chosen
    metadata = load_ruleset(path).metadata
    if in_force(metadata, year) is False:
        raise RubricError(f"{path}: the ruleset is in force {period_text(metadata)}, not in "
                          f"{year}", expected=f"a ruleset for {year}, or a directory of "
                          "versions to pick from", example=f"rubric score DIR FACTS --year {year}")
    return path
