"""The ``rubric`` slots: the library under test, scoring the same table from its ruleset file.

    ruleset = rubric.load_ruleset("rulesets/xiangtan-kgxj-2023/ruleset.yaml")
    result = rubric.evaluate(ruleset, facts)        # facts: the raw fact dict of facts.py
    result.total.score                              # decimal.Decimal

Float trick needed: none; rubric is exact (Decimal) by design. Fact conversion (decimal
strings -> Decimal, ISO strings -> dates, checking every value against its declaration) is
rubric's own and part of every timed call, as the float parse is for the other engines.

Paths (each a factory taking the ruleset path):

* ``make``: ``evaluate`` — the default, builds the structured trace (the explanation);
* ``make_explained``: ``evaluate`` + ``result.explain("zh")``, the Chinese text of every row;
* ``make_score_only``: the scores-only function, if the library has one (``SCORE_ONLY_NAMES``);
  raises ``RubricUnavailable`` naming the names looked for when it has none;
* ``make_score_batch``: ``rubric.score_batch`` over the list of raw fact dicts (batch slot);
* ``make_prepared_batch``: ``evaluate`` over facts converted beforehand with
  ``ruleset.facts_from`` (untimed, like numpy's column building) (batch slot).

If rubric is not installed, the factories fall back to importing it from the repo's src/.
They raise ``RubricUnavailable`` with a readable reason when rubric cannot be imported,
lacks the API, or the ruleset file is missing; the harness prints the reason and skips.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[2] / "src"
# names a scores-only entry point might have; the first one rubric exports is used
SCORE_ONLY_NAMES = ("score_only", "scores_only", "evaluate_scores", "score_total", "quick_score")


class RubricUnavailable(RuntimeError):
    pass


def _rubric() -> Any:
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
    return rubric


def _need(rubric: Any, *names: str) -> None:
    missing = [name for name in names if not hasattr(rubric, name)]
    if missing:
        where = getattr(rubric, "__file__", None) or "?"
        raise RubricUnavailable(f"rubric ({where}) has no {' or '.join(missing)} yet")


@lru_cache(maxsize=4)
def _load(ruleset_path: str) -> Any:
    rubric = _rubric()
    _need(rubric, "load_ruleset", "evaluate")
    path = Path(ruleset_path)
    if not path.is_file():
        raise RubricUnavailable(f"ruleset {path} does not exist")
    return rubric.load_ruleset(path)


def score_only_name() -> str | None:
    """The name of rubric's scores-only function, or None when it has none."""
    rubric = _rubric()
    return next((n for n in SCORE_ONLY_NAMES if callable(getattr(rubric, n, None))), None)


def _total(value: Any) -> Decimal:
    """The total of whatever the scores-only function returns (a Decimal or a result)."""
    if isinstance(value, (Decimal, int)):
        return value
    total = getattr(value, "total", value)
    for attr in ("score", "low"):
        if hasattr(total, attr):
            return getattr(total, attr)
    if isinstance(total, (Decimal, int)):
        return total
    raise TypeError(f"cannot find the total in {type(value).__name__}: {value!r}")


def make(ruleset_path: str | Path):
    rubric, ruleset = _rubric(), _load(str(ruleset_path))
    evaluate = rubric.evaluate

    def run(f: dict) -> Decimal:
        return evaluate(ruleset, f).total.score

    return run


def make_explained(ruleset_path: str | Path):
    rubric, ruleset = _rubric(), _load(str(ruleset_path))
    evaluate = rubric.evaluate

    def run(f: dict) -> Decimal:
        result = evaluate(ruleset, f)
        text = result.explain("zh")
        if not text:
            raise AssertionError("empty explanation")
        return result.total.score

    return run


def make_score_only(ruleset_path: str | Path):
    rubric, ruleset = _rubric(), _load(str(ruleset_path))
    name = score_only_name()
    if name is None:
        raise RubricUnavailable("rubric has no scores-only function yet (looked for "
                                + ", ".join(SCORE_ONLY_NAMES) + ")")
    fn = getattr(rubric, name)
    if name == "score_only":  # its documented result: Scores, whose .total is the Decimal

        def run(f: dict) -> Decimal:
            return fn(ruleset, f).total
    else:  # another library's name: the total found in whatever it returns

        def run(f: dict) -> Decimal:
            return _total(fn(ruleset, f))

    run.name = name
    return run


def make_score_batch(ruleset_path: str | Path):
    rubric, ruleset = _rubric(), _load(str(ruleset_path))
    _need(rubric, "score_batch")
    score_batch = rubric.score_batch

    def run(fact_sets: list[dict]) -> list[Decimal]:
        out = []
        for row in score_batch(ruleset, fact_sets):
            if row.result is None:
                raise AssertionError(f"score_batch: row {row.row}: {row.error}")
            out.append(row.result.total.score)
        return out

    return run


def make_prepared_batch(ruleset_path: str | Path):
    """(prepare, run): prepare converts the fact dicts once (untimed), run scores them."""
    rubric, ruleset = _rubric(), _load(str(ruleset_path))
    evaluate = rubric.evaluate

    def prepare(fact_sets: list[dict]) -> list[Any]:
        return [ruleset.facts_from(f) for f in fact_sets]

    def run(prepared: list[Any]) -> list[Decimal]:
        return [evaluate(ruleset, f).total.score for f in prepared]

    return prepare, run
