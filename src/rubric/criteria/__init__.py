"""Reading Chinese scoring criteria (评价标准) into rubric rules.

``parse_criterion(text, *, points=None, fact=None, unit=None)`` returns a
``ParsedCriterion``: the rule, its ruleset mapping, the fact declarations it reads, the
readings made, a Chinese restatement that parses back to the same rule, or the reason
the text could not be read with certainty. Modules: ``lexer`` (width, spaces, numerals,
OCR slips), ``intervals`` (conditions and bands), ``clauses`` (cutting a text into
clauses), ``forms`` (the recognisers, in ``numeric``, ``discrete`` and ``scaled``, sharing
``draft``), ``vetoes`` (a row's veto read off the last clause, the table's refused),
``restate`` and ``parse``; ``table`` and ``importer`` read a whole filed table into
a draft ruleset (``rubric import``).
"""

from __future__ import annotations

from .parse import ParsedCriterion, parse_criterion

__all__ = ["ParsedCriterion", "parse_criterion"]
