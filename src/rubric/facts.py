"""Facts: declared fact specifications, value coercion and the sentinel values.

A ruleset declares every fact it reads (``FactSpec``: type, unit, domain, or a derived
formula). ``Ruleset.facts(mapping)`` turns a plain mapping into a ``Facts`` object:
numbers become ``Decimal`` in the declared unit (``"628 亿元"`` for a fact declared in
万元 becomes ``Decimal('6280000')``), ``是``/``否`` become booleans, ISO strings become
dates. What cannot be settled from the input is kept as an explicit value, never 0:

- ``MISSING``: no value given (or an empty cell);
- ``Unsettled(text)``: a non-numeric answer for a number fact (``"达成预期指标"``);
- ``Asserted(state, text)``: an outcome asserted instead of a number (``"已完成"``,
  ``"未完成"``, ``"部分完成"``, or the target echoed, ``"≥266米"``) by a number fact
  declared with ``states: true``; each rule kind decides what it scores;
- ``NOT_APPLICABLE``: ``"不适用"``, ``"无此项"``, ``"/"``, ``"—"``, ``"N/A"`` … (the texts of
  ``not_applicable_text``): the indicator is not assessed;
- ``UNDEFINED``: a derived rate whose formula divided 0 by 0.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, cast

import attrs

from . import numbers as num
from .dates import Month, parse_date, parse_month
from .errors import FactError, RulesetError
from .numbers import MAX_NUMBER_TEXT, accepted, as_text, checked, quoted, shown, text_problem
from .states import (
    BOOLEAN_EXPECTED,
    BOOLEAN_PAIRS,
    Asserted,
    boolean_texts,
    read_asserted,
)
from .units import (
    BUILTIN,
    QUANTITY,
    UnitSystem,
    conversion_factor,
    converted,
    normalize_unit,
    split_quantity,
)

PERCENT_NUMBERS = ("percent", "fraction", "error")  # readings of a plain number for a % fact

__all__ = [
    "MISSING",
    "NOT_APPLICABLE",
    "UNDEFINED",
    "Asserted",
    "FactSpec",
    "Facts",
    "Unsettled",
    "is_known",
    "suggest",
    "to_decimal",
]

FACT_TYPES: tuple[str, ...] = ("number", "boolean", "date", "category", "text")

_TRUE = frozenset({"true", "yes", "y", "1", "√", "✓", *(t for t, _f in BOOLEAN_PAIRS)})
_FALSE = frozenset({"false", "no", "n", "0", "×", "✗", *(f for _t, f in BOOLEAN_PAIRS)})
#: the texts (after stripping, case-folded) a fact or a row is given as not applicable
#: with: the words, a slash (half or full width) and a dash (em dash, a pair of them,
#: the horizontal bar, the full-width hyphen). A lone ASCII ``-`` is not among them: in
#: exported spreadsheets it is as often a blank or an accounting-format 0, so it reads
#: as a blank (MISSING: a range, never a silent 0 or a silent rescaling).
NOT_APPLICABLE_TEXT = frozenset({
    "不适用", "无此项", "不涉及", "n/a", "na", "not applicable", "—不适用",
    "/", "／", "—", "——", "―", "－",
})
#: the texts read as a blank (MISSING) although they are not empty
BLANK_TEXT = frozenset({"-"})
_DIGITS = frozenset("0123456789.")
#: the texts a boolean fact reads as true / false (exactly as written)
BOOLEAN_TEXT: Mapping[str, bool] = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}


class _Sentinel:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __reduce__(self) -> str:
        return self._name

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Sentinel("MISSING")
NOT_APPLICABLE: Any = _Sentinel("NOT_APPLICABLE")
UNDEFINED: Any = _Sentinel("UNDEFINED")


def not_applicable_text(text: str) -> Any:
    """What a stripped, non-empty text says when it is not a value: NOT_APPLICABLE for
    the texts of ``NOT_APPLICABLE_TEXT`` (``不适用``, ``无此项``, ``/``, ``—`` …), MISSING
    for a lone ``-`` (``BLANK_TEXT``), else None (the text is read as a value)."""
    folded = text.lower()
    if folded in NOT_APPLICABLE_TEXT:
        return NOT_APPLICABLE
    if folded in BLANK_TEXT:
        return MISSING
    return None


@attrs.frozen
class Unsettled:
    """A non-numeric answer for a number fact; scored as a range, never as 0."""

    text: str


def is_known(value: object) -> bool:
    """True for a usable value (not missing, unsettled, asserted, undefined or not
    applicable)."""
    return not (
        value is MISSING or value is UNDEFINED or value is NOT_APPLICABLE
        or type(value) is Unsettled or type(value) is Asserted
    )


def suggest(name: str, known: object) -> str | None:
    """The closest known name to ``name``, for "did you mean" messages."""
    matches = difflib.get_close_matches(name, list(known), n=1, cutoff=0.4)  # type: ignore[call-overload]
    return matches[0] if matches else None


def to_decimal(value: object, what: str = "number") -> Decimal:
    """Exact Decimal of an int, Decimal, float (via its shortest repr) or numeric string."""
    if type(value) is Decimal:
        number = value
    elif isinstance(value, bool):
        raise RulesetError(f"{what}: expected a number, got a boolean ({quoted(value)})")
    else:
        number = _to_decimal(value, what)
    if not number.is_finite():
        raise RulesetError(f"{what}: expected a finite number, got {number}", example="5")
    return checked(number, what)


def _to_decimal(value: object, what: str) -> Decimal:
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):  # also numpy.float64, whose repr is 'np.float64(...)'
        return Decimal(repr(float(value)))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        text = num.ungrouped(value.strip())
        if text_problem(text):
            raise RulesetError(f"a number {text_problem(text)}: {what} = {shown(value)}",
                               example="4.5")
        try:
            return Decimal(text)
        except InvalidOperation:
            pass
    raise RulesetError(f"{what}: expected a number, got {quoted(value)}", example="5 or '4.5'")


def _opt_decimal(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value)


def _opt_unit(value: str | None) -> str | None:
    return value or None


@attrs.frozen
class FactSpec:
    """The declaration of one fact a ruleset reads.

    ``unit`` is the unit numbers are held in (values given in another unit of the same
    kind are converted); ``minimum``/``maximum`` bound the valid domain (closed) and
    are what a missing fact's score range is computed over; ``formula`` makes the fact
    derived (computed from other facts, never given).
    """

    name: str
    type: str = attrs.field(default="number")
    unit: str | None = attrs.field(default=None, converter=_opt_unit)
    #: the units the ruleset knows (built-in plus its declared ``units:``); keyword only
    unit_system: UnitSystem = attrs.field(default=BUILTIN, kw_only=True, repr=False)
    description: str = ""
    minimum: Decimal | None = attrs.field(default=None, converter=_opt_decimal)
    maximum: Decimal | None = attrs.field(default=None, converter=_opt_decimal)
    categories: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    formula: str | None = None
    source: str | None = attrs.field(default=None, eq=False)
    percent_numbers: str | None = attrs.field(default=None)
    states: bool = attrs.field(default=False)

    @percent_numbers.validator
    def _check_percent_numbers(self, _attr: object, value: str | None) -> None:
        if value is not None and value not in PERCENT_NUMBERS:
            raise RulesetError(
                f"fact '{self.name}': percent_numbers '{value}' is not a known reading",
                expected="one of " + ", ".join(PERCENT_NUMBERS),
                example="percent_numbers: fraction")

    @type.validator
    def _check_type(self, _attr: object, value: str) -> None:
        if value not in FACT_TYPES:
            raise RulesetError(
                f"fact '{self.name}': unknown type '{value}'",
                expected="one of " + ", ".join(FACT_TYPES),
                example="type: number",
            )

    def __attrs_post_init__(self) -> None:
        if self.unit is not None:
            try:
                normalize_unit(self.unit, self.unit_system)
            except RulesetError as exc:
                raise type(exc)(f"fact '{self.name}': {exc.message}", expected=exc.expected,
                                example=exc.example) from None
            if self.type != "number":
                raise RulesetError(f"fact '{self.name}': only number facts have a unit",
                                   expected="type: number, or no unit")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise RulesetError(
                f"fact '{self.name}': minimum {self.minimum} is above maximum {self.maximum}",
                expected="minimum <= maximum",
            )
        if self.states is not False and self.states is not True:
            raise RulesetError(f"fact '{self.name}': states must be true or false",
                               example="states: true")
        if self.states and (self.type != "number" or self.formula is not None):
            raise RulesetError(f"fact '{self.name}': only a given number fact accepts "
                               "asserted states", expected="type: number and no formula, "
                               "or no 'states'", example="states: true")
        if self.type == "category" and not self.categories:
            raise RulesetError(f"fact '{self.name}': a category fact lists its categories",
                               example="categories: [无结余, 未超过上年结余, 超过上年结余]")

    @property
    def derived(self) -> bool:
        return self.formula is not None

    def coerce(self, raw: object) -> object:
        """Turn an input value into the declared type and unit; FactError if impossible."""
        if raw is None or raw is MISSING:
            return MISSING
        if raw is NOT_APPLICABLE or raw is UNDEFINED or type(raw) is Unsettled:
            return raw
        if type(raw) is Asserted:
            return self._given_state(raw)
        if isinstance(raw, str):
            text = raw.strip()
            if not text:
                return MISSING
            reading = not_applicable_text(text)
            if reading is not None:
                return reading
        kind = self.type
        if kind == "number":
            if self.states and isinstance(raw, str):  # 已完成, ≥266米, 266米以上
                asserted = read_asserted(raw.strip(), self._echo_bound)
                if asserted is not None:
                    return asserted
            return self._number(raw)
        if kind == "boolean":
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.strip().lower() in _TRUE:
                return True
            if isinstance(raw, str) and raw.strip().lower() in _FALSE:
                return False
            if isinstance(raw, int) and raw in (0, 1):
                return bool(raw)
            raise self._error(raw, BOOLEAN_EXPECTED, "是")
        if kind == "date":
            if isinstance(raw, _dt.datetime) and type(raw.date()) is _dt.date:  # not NaT
                return raw.date()
            if isinstance(raw, _dt.date) and not isinstance(raw, _dt.datetime):
                return raw
            if isinstance(raw, str):  # a day, or a month (dates.Month: its rule reads it)
                day = parse_date(raw)
                if day is not None:
                    return day
                month = parse_month(raw)
                if month is not None and month.year is not None:
                    return month
                if month is not None:
                    raise self._error(raw, "a date or a month with its year", "2023年7月")
            if isinstance(raw, Month) and raw.year is not None:
                return raw
            raise self._error(raw, "a date YYYY-MM-DD or a month YYYY-MM", "2023-12-31")
        if kind == "category":
            text = as_text(raw).strip()
            if text not in self.categories:
                hint = suggest(text, self.categories)
                raise self._error(
                    raw, "one of " + ", ".join(self.categories),
                    hint or self.categories[0], did_you_mean=hint,
                )
            return text
        return as_text(raw)

    @functools.cached_property
    def coercer(self) -> Callable[[object], object]:
        """``coerce`` with a fast path for the common inputs of this fact's type.

        Plain numbers (``Decimal``, ``int``, a bare numeric string) in a number fact's
        domain, booleans, and known categories are returned without the general path;
        everything else goes through ``coerce``, which also raises the errors.
        """
        slow = self.coerce
        kind = self.type
        if kind == "number":
            lo, hi = self.minimum, self.maximum
            dec = Decimal
            unit, system = self.unit, self.unit_system
            factors: dict[str, Decimal] = {}  # unit text -> exact factor, learnt once
            match_quantity = QUANTITY.match

            def number(raw: object) -> object:
                t = type(raw)
                value: Decimal
                if t is str:
                    text = cast(str, raw)
                    if len(text) > MAX_NUMBER_TEXT:
                        return slow(raw)
                    ok = value = cast(Decimal, num.simple_number(text))  # None: not plain
                    if ok is None and text and text[-1] in _DIGITS:  # a bare number
                        try:
                            value = dec(text)
                        except (InvalidOperation, ValueError):
                            return slow(raw)
                        if not value.is_finite():
                            return slow(raw)
                    elif ok is None:  # "628 亿元", "10.3%": number and unit, by a cached factor
                        m = match_quantity(text)
                        given = m["unit"] if m is not None else None
                        if m is None or not given:
                            return slow(raw)
                        factor = factors.get(given)
                        if factor is None:
                            try:
                                factor = factors[given] = conversion_factor(given, unit, system)
                            except RulesetError:
                                return slow(raw)  # raises the error naming both units
                        try:
                            value = converted(dec(num.ungrouped(m["num"])), factor)
                        except (ArithmeticError, ValueError):  # also decimal.Overflow
                            return slow(raw)
                elif t is Decimal:
                    value = cast(Decimal, raw)
                elif t is int:
                    value = dec(cast(int, raw))
                else:
                    return slow(raw)
                if not ((t is str and ok) or (t is int and num.in_range(value)) or accepted(value)):
                    return slow(raw)  # raises the error naming the value
                if (lo is not None and value < lo) or (hi is not None and value > hi):
                    return slow(raw)  # raises the domain error
                return value

            return number
        if kind == "boolean":
            table = BOOLEAN_TEXT

            def boolean(raw: object) -> object:
                if raw is True or raw is False:
                    return raw
                if type(raw) is str:
                    hit = table.get(raw)
                    if hit is not None:
                        return hit
                return slow(raw)

            return boolean
        if kind == "category":
            known = frozenset(self.categories)

            def category(raw: object) -> object:
                if type(raw) is str and raw in known:
                    return raw
                return slow(raw)

            return category
        return slow

    def _number(self, raw: object) -> object:
        if isinstance(raw, bool):
            raise self._error(raw, f"a number{self._in_unit()}", self._example())
        if type(raw) is Decimal or type(raw) is int:
            value = Decimal(raw)
        elif isinstance(raw, float):
            value = Decimal(repr(float(raw)))
        elif isinstance(raw, Decimal):
            value = raw
        elif isinstance(raw, str):
            try:
                number, unit = split_quantity(raw)
            except RulesetError as exc:  # a number outside rubric's domain
                raise FactError(f"{exc.message} (fact '{self.name}')",
                                expected=exc.expected, example=exc.example) from None
            except ValueError:
                # No leading number: a qualitative answer ("达成预期指标"), not an error.
                return Unsettled(raw.strip())
            value = number
            if unit is not None:
                try:
                    value = converted(number, conversion_factor(unit, self.unit,
                                                                self.unit_system))
                except RulesetError as exc:
                    raise FactError(
                        f"fact '{self.name}': {exc.message} (value {quoted(raw)})",
                        expected=f"a number{self._in_unit()}", example=self._example(),
                    ) from None
        elif hasattr(raw, "magnitude") and hasattr(raw, "units"):  # a pint Quantity
            try:
                value = converted(to_decimal(raw.magnitude),
                                  conversion_factor(str(raw.units), self.unit, self.unit_system))
            except RulesetError as exc:
                raise FactError(
                    f"fact '{self.name}': {exc.message} (value {quoted(raw)})",
                    expected=f"a number{self._in_unit()}", example=self._example(),
                ) from None
        else:
            raise self._error(raw, f"a number{self._in_unit()}", self._example())
        if not value.is_finite():
            raise self._error(raw, f"a finite number{self._in_unit()}", self._example())
        checked(value, f"fact '{self.name}'", FactError, raw)
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            raise self._error(raw, f"a value in {self.domain_text()}", self._example())
        return value

    # -- asserted states (issue 10 item 4): kept apart from the other readings ---------

    def _echo_bound(self, rest: str, text: str) -> Decimal | None:
        """The bound of a comparison, in the fact's unit (FactError naming the text)."""
        try:
            bound = self._number(rest)
        except FactError as exc:
            raise FactError(f"{exc.message} in the comparison {text!r}", expected=exc.expected,
                            example=exc.example) from None
        return bound if type(bound) is Decimal else None

    def _given_state(self, value: Asserted) -> object:
        """An ``Asserted`` given directly: kept when the declaration accepts states."""
        if self.type == "number" and self.states:
            return value
        raise self._error(value.text, f"a {self.type} (this fact does not accept asserted "
                          "states; declare states: true on a number fact)", self._example())

    def domain_text(self) -> str:
        lo = "-∞" if self.minimum is None else f"{self.minimum}"
        hi = "+∞" if self.maximum is None else f"{self.maximum}"
        return f"[{lo}, {hi}]{self._in_unit()}"

    def _in_unit(self) -> str:
        return f" in {self.unit}" if self.unit else ""

    def _example(self) -> str:
        number = self.minimum if self.minimum is not None and self.minimum > 0 else 10
        return f"'{number} {self.unit}'" if self.unit else str(number)

    def _error(self, raw: object, expected: str, example: str, did_you_mean: str | None = None
               ) -> FactError:
        message = f"fact '{self.name}': cannot use value {quoted(raw)}"
        if did_you_mean:
            message += f" (did you mean '{did_you_mean}'?)"
        return FactError(message, expected=expected, example=example)


@attrs.frozen
class Facts:
    """A coerced fact set: every declared input fact mapped to its value (or a sentinel),
    the warnings the reading of the given values raised (``percent_numbers``), and the
    words a yes/no fact was given in when they are not 是/否 (``texts``: 已完成, 合格)."""

    values: Mapping[str, object]
    given: frozenset[str] = frozenset()
    warnings: tuple[str, ...] = ()
    #: ids of the rows the facts give as not applicable as a whole (``Ruleset.facts_from``)
    not_applicable_rows: frozenset[str] = frozenset()
    texts: Mapping[str, str] = attrs.field(factory=dict)  # boolean_texts: words as given
    #: % facts given as plain numbers whose reading is shown: name -> (text, reading)
    readings: Mapping[str, tuple[str, str]] = attrs.field(factory=dict)
    #: the facts file's metadata section, not facts: unit, project, fiscal_year, … → text
    metadata: Mapping[str, str] = attrs.field(factory=dict)

    def __getitem__(self, name: str) -> object:
        return self.values.get(name, MISSING)

    def known(self, name: str) -> bool:
        return is_known(self.values.get(name, MISSING))


def percent_readings(specs: Mapping[str, FactSpec], default: str) -> dict[str, str]:
    """Each given % fact's reading of a plain number (its own ``percent_numbers`` or the
    policy's ``default``)."""
    return {s.name: s.percent_numbers or default for s in specs.values()
            if s.formula is None and s.type == "number" and s.unit in ("%", "percent")}


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _plain_number(raw: object) -> bool:
    """Whether ``raw`` is a number written without a unit or percent sign."""
    if isinstance(raw, bool):
        return False
    if isinstance(raw, (int, float, Decimal)):
        return True
    return isinstance(raw, str) and _PLAIN_NUMBER.fullmatch(raw.strip()) is not None


def read_percent_number(spec: FactSpec, raw: object, value: Decimal, reading: str
                        ) -> tuple[Decimal, str | None]:
    """A plain number given for a % fact, read as ``reading`` says: ``percent`` keeps it
    (0.925 is 0.925 %), with a warning when it looks like a fraction; ``fraction`` takes
    0.925 as 92.5 %; ``error`` refuses it. Returns the value and a warning or None."""
    name = spec.name
    if reading == "error":
        raise FactError(f"fact '{name}': the plain number {raw} for a % fact could be a "
                        "percent or a fraction (percent_numbers: error)",
                        expected="the value with its percent sign",
                        example=f"{name}: '{value}%'")
    if reading == "fraction":
        read = value * 100
        lo, hi = spec.minimum, spec.maximum
        if (lo is not None and read < lo) or (hi is not None and read > hi):
            raise FactError(f"fact '{name}' = {raw}, read as a fraction, is {read.normalize():f}%,"
                            f" outside its declared domain {spec.domain_text()}",
                            expected="a fraction whose percent lies in the domain")
        return read, (f"{name} = {raw} 按小数读作 {read.normalize():f}% "
                      "(percent_numbers: fraction)")
    if 0 < value <= 1 and (spec.maximum is None or spec.maximum >= 100):
        return value, (f"{name} = {raw} 按百分数读作 {raw}%，看似小数（{value * 100:f}%）；"
                       f"如为小数请写 '{(value * 100).normalize():f}%' 或设 "
                       "percent_numbers: fraction")
    return value, None


def coerce_facts(specs: Mapping[str, FactSpec], mapping: Mapping[str, object],
                 coercers: Mapping[str, Callable[[object], object]] | None = None,
                 percent: Mapping[str, str] | None = None) -> Facts:
    """Check ``mapping`` against ``specs``; every problem is reported together.

    ``coercers`` (name -> ``FactSpec.coercer``, given facts only) is the fast path the
    engine builds once per ruleset; without it each given name's spec is looked up.
    ``percent`` (``percent_readings``) says how a plain number for each % fact is read.
    """
    values: dict[str, object] = {}
    problems: list[str] = []
    readings: dict[str, tuple[str, str]] = {}
    warned: dict[str, str] = {}
    for name, raw in mapping.items():
        if coercers is not None:
            coerce = coercers.get(name)
        else:
            found = specs.get(name)
            coerce = found.coercer if found is not None and found.formula is None else None
        if coerce is not None:
            try:
                value = values[name] = coerce(raw)
                if percent and name in percent and type(value) is Decimal and _plain_number(raw):
                    values[name], warning = read_percent_number(
                        specs[name], raw, value, percent[name])
                    if warning:
                        readings[name] = (str(raw), percent[name])
                        warned[name] = warning
            except FactError as exc:
                problems.append(str(exc))
            continue
        spec = specs.get(name)
        if spec is None:
            hint = suggest(name, specs) if isinstance(name, str) else None  # not a key 5
            problems.append(f"unknown fact '{name}'"
                            + (f" (did you mean '{hint}'?)" if hint else ""))
        else:
            problems.append(f"fact '{name}' is derived from a formula ({spec.formula}); "
                            "give its inputs instead")
    if problems:
        if len(problems) == 1:
            raise FactError(problems[0])
        raise FactError(f"{len(problems)} problems: " + "; ".join(problems))
    # in the order the facts are declared, whatever order they were given in
    warnings = tuple(warned[name] for name in specs if name in warned) if warned else ()
    return Facts(values, frozenset(values), warnings,
                 texts=boolean_texts(mapping, values), readings=readings)

