"""Loading the file arguments that several commands share (RULESET, FACTS)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..facts import Facts
    from ..tree import Ruleset

__all__ = ["load_inputs"]


def load_inputs(ruleset_arg: str, facts_arg: str) -> tuple[Ruleset, Facts, Path]:
    """The RULESET and FACTS file arguments of score/report/audit, loaded and checked."""
    from ..io.facts_file import load_facts
    from ..io.files import check_text_file
    from ..io.loader import load_ruleset

    ruleset = load_ruleset(check_text_file(ruleset_arg))
    facts_path = check_text_file(facts_arg)
    return ruleset, load_facts(facts_path, ruleset), facts_path
