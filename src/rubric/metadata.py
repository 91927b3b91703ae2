"""Where a ruleset comes from: its name, issuing body, fiscal year, version, source, the
published scores it is audited against, and the period it is in force."""

from __future__ import annotations

import datetime as _dt

import attrs

from .dates import parse_date
from .errors import RulesetError

__all__ = ["Metadata"]


def _opt_date(value: object, name: str) -> _dt.date | None:
    """A metadata date: a date, or text ``2024-01-01`` (also ``2024年1月1日``)."""
    if value is None or (isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)):
        return value
    day = parse_date(value) if isinstance(value, str) else None
    if day is not None:
        return day
    raise RulesetError(f"{name}: expected a date, got {value!r}", expected="a date YYYY-MM-DD",
                       example=f"{name}: 2024-01-01")


def _valid_from(value: object) -> _dt.date | None:
    return _opt_date(value, "valid_from")


def _valid_until(value: object) -> _dt.date | None:
    return _opt_date(value, "valid_until")


@attrs.frozen
class Metadata:
    """Where a ruleset comes from: name, issuing body, fiscal year, version, source."""

    id: str = ""
    name: str = ""
    issuer: str = ""
    fiscal_year: int | None = None
    version: str = ""
    source: str = ""
    description: str = ""
    #: The published (claimed) scores of this table, a claimed-scores file relative to
    #: the ruleset file; ``rubric score`` audits the facts against it in its lead lines.
    published: str = ""
    #: The period the table is in force, both days included (None: open on that side);
    #: ``rubric score DIR --year`` picks a ruleset by it, or by ``fiscal_year``.
    valid_from: _dt.date | None = attrs.field(default=None, converter=_valid_from)
    valid_until: _dt.date | None = attrs.field(default=None, converter=_valid_until)

    def __attrs_post_init__(self) -> None:
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise RulesetError(f"valid_from {self.valid_from} is after valid_until "
                               f"{self.valid_until}", expected="valid_from on or before "
                               "valid_until", example="valid_from: 2024-01-01")
