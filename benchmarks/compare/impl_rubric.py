"""The ``rubric`` slot: the library under test, scoring the same table from a ruleset file.

Written against the planned public API::

    ruleset = rubric.load_ruleset(path)
    result = rubric.evaluate(ruleset, facts)
    result.total.score            # decimal.Decimal

The ruleset meant for this benchmark is rulesets/xiangtan-kgxj-2023/ruleset.yaml (the harness
default); it must define the 25 rows of README.md over the same fact names as facts.py.
Float trick needed: none; rubric is exact (Decimal) by design.

If rubric is not installed, ``make`` falls back to importing it from the repo's src/.
``make`` raises ``RubricUnavailable`` with a readable reason when rubric cannot be imported,
lacks the API, or the ruleset file is missing; the harness prints the reason and skips the slot.
Fact conversion (decimal strings -> Decimal; ints, bools, category and ISO-date strings as they
are) is part of the timed call; adjust ``_facts`` if rubric wants other input types.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from facts import NUMERIC_FACTS

SRC = Path(__file__).resolve().parents[2] / "src"


class RubricUnavailable(RuntimeError):
    pass


def _facts(f: dict) -> dict:
    out = dict(f)
    for name in NUMERIC_FACTS:
        out[name] = Decimal(f[name])
    return out


def make(ruleset_path: str | Path):
    try:
        try:
            import rubric
        except ModuleNotFoundError as exc:
            if exc.name != "rubric" or not SRC.is_dir():
                raise
            sys.path.insert(0, str(SRC))  # not installed: fall back to the repo's src/
            import rubric
    except Exception as exc:  # ImportError, or a half-written package failing on import
        raise RubricUnavailable(
            f"'import rubric' failed: {type(exc).__name__}: {exc} "
            "(install the library into this environment: pip install -e '.[bench]')") from exc
    missing = [name for name in ("load_ruleset", "evaluate") if not hasattr(rubric, name)]
    if missing:
        where = getattr(rubric, "__file__", None) or next(iter(getattr(rubric, "__path__", ["?"])))
        raise RubricUnavailable(f"rubric ({where}) has no {' or '.join(missing)} yet")
    path = Path(ruleset_path)
    if not path.is_file():
        raise RubricUnavailable(f"ruleset {path} does not exist")
    ruleset = rubric.load_ruleset(path)

    def evaluate(f: dict) -> Decimal:
        return rubric.evaluate(ruleset, _facts(f)).total.score

    return evaluate
