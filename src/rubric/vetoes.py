"""Vetoes of the whole table (一票否决): a condition, as a yes/no fact, and what it vetoes.

Tables close with sentences that override the rows: "出现重大安全事故的, 总分计0分" (the
total is 0: ``effect: zero``), "不得评为优" or 一票否优 (the grade is capped, the score is
kept: ``effect: grade``, with the best grade still allowed). Each ``TableVeto`` keeps the
table's text; the engine applies them (``engine.vetoes``) and the result carries each
with whether it held. A veto of one row is the row's (``rules.row_options.Veto``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .errors import RulesetError
from .facts import suggest

__all__ = ["EFFECTS", "TableVeto", "check_vetoes"]

#: what a veto of the table does: the total is 0, or the grade is capped
EFFECTS = ("zero", "grade")
_EXAMPLE = "{fact: 重大安全事故, text: 出现重大安全事故的，总分计0分, effect: zero}"


def _effect(inst: Any, attr: Any, value: str) -> None:
    if value not in EFFECTS:
        raise RulesetError(f"veto effect '{value}' is not known", expected="zero (总分计0分) or "
                           "grade (不得评为优: with grade, the best grade allowed)",
                           example=_EXAMPLE)


@attrs.frozen
class TableVeto:
    """When the yes/no fact ``fact`` holds: ``effect: zero`` scores the total 0;
    ``effect: grade`` caps the grade at ``grade`` (the best grade still allowed: 良 for
    不得评为优) and keeps the score. ``text`` is the table's sentence, verbatim."""

    fact: str
    effect: str = attrs.field(validator=_effect)
    text: str = ""
    grade: str | None = None
    source: str | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.fact, str) or not self.fact:
            raise RulesetError("a veto needs the yes/no fact of its condition",
                               where=self.source, example=_EXAMPLE)
        if (self.effect == "grade") != (self.grade is not None):
            raise RulesetError("a veto of the grade names the best grade still allowed, and "
                               "only such a veto does", where=self.source,
                               expected="effect: grade with grade: NAME, or effect: zero",
                               example="{fact: 审计发现问题, text: 不得评为优, effect: grade, "
                                       "grade: 良}")


def check_vetoes(vetoes: tuple[TableVeto, ...], specs: Mapping[str, Any],
                 grades: tuple[str, ...]) -> None:
    """Each veto reads a declared yes/no fact, and a grade veto names a known grade."""
    for veto in vetoes:
        spec = specs.get(veto.fact)
        if spec is None:
            hint = suggest(veto.fact, specs)
            raise RulesetError(f"veto reads fact '{veto.fact}', which is not declared"
                               + (f" (did you mean '{hint}'?)" if hint else ""),
                               where=veto.source, expected="a yes/no fact declared under facts",
                               example=f"facts: {{{veto.fact}: {{type: boolean}}}}")
        if spec.type != "boolean":
            raise RulesetError(f"veto fact '{veto.fact}' is declared as {spec.type}",
                               where=veto.source, expected="type: boolean (是/否)",
                               example=f"{veto.fact}: {{type: boolean}}")
        if veto.grade is not None and veto.grade not in grades:
            raise RulesetError(f"veto caps the grade at '{veto.grade}', which is not a grade",
                               where=veto.source, expected="one of " + ", ".join(grades),
                               example=f"grade: {grades[min(1, len(grades) - 1)]}")
