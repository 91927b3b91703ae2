"""Units: the pint registries and exact conversion factors.

The built-in registry is built once from ``units.txt`` (元, 万元, 亿元, %, 人, 人次, 户,
家, 个, 项, 次, 天, 亩, 公里, 吨, 立方米 ...; ``rubric units`` lists them). A ruleset may
declare units of its own (``units:``, docs/ruleset-format.md "Declared units"): they
live in a ``UnitSystem``, the built-in definitions plus the declared ones, with a pint
registry of its own, so one ruleset's 亩 never changes another's. Every function here
takes the system (``BUILTIN`` by default) and caches per (unit, system).

Factors are exact: each definition's factor is a fraction (``10000/15 平方米``), and a
factor between two units is computed as a fraction from the definitions, never from
pint's floats. It is returned as a ``Decimal``, exact when the fraction is a finite
decimal and otherwise rounded to 28 significant digits. Parsing a quantity string with
pint costs tens of microseconds, so rubric resolves every unit string to a factor once
(``conversion_factor`` is cached) and multiplies at evaluation time; pint is never
called per evaluation.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Context, Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from typing import Any

import attrs
import pint

from .errors import UnitError
from .numbers import MAX_PLACES, checked, shown, text_problem, ungrouped

__all__ = [
    "BUILTIN", "MAX_UNIT_LENGTH", "UnitSystem", "catalogue", "conversion_factor", "converted",
    "dimension",
    "normalize_unit", "registry", "scale_of", "split_quantity",
]

_NUMBER = re.compile(
    r"^\s*(?P<num>[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<unit>.*?)\s*$"
)


#: the longest unit string given to pint (the longest of units.txt is far shorter; a
#: 40 kB one took pint 16 s)
MAX_UNIT_LENGTH = 32
# The shapes of unit text given to pint: names (letters, CJK, %, ‰, ², ³), optionally
# joined by one '/' or by '*' / '·' / spaces, with an integer power (^2, **2).
_UNIT_SHAPE = re.compile(
    r"^[^\W\d_]?[\w%‰°²³ ]*(?:(?:\*\*|\^)-?\d)?"
    r"(?:\s*[*·/]\s*[^\W\d][\w%‰°²³ ]*(?:(?:\*\*|\^)-?\d)?){0,2}$"
)
# A declared unit's name: one word of letters or CJK, not starting with a digit.
_NAME = re.compile(r"^[^\W\d_][^\W_]*$")
# A declared unit's definition: a factor (a decimal, or a fraction a/b), then the known
# unit it multiplies ("666.6666666666666667 平方米", "10000/15 m**2", "10000 * 头").
_DEFINITION = re.compile(
    r"^\s*(?P<num>\d+(?:\.\d+)?)(?:\s*/\s*(?P<den>\d+(?:\.\d+)?))?\s*(?:\*\s*)?(?P<unit>.*?)\s*$"
)
#: the definition of a new counting unit: its own dimension, never converting to others
COUNT = "count"
_EXAMPLES = "亩: 10000/15 平方米, 标准亩: 666.6666666666666667 平方米 or 头: count"

#: a fact's value given with a unit, as in ``"628 亿元"`` or ``"10.3%"``
QUANTITY = _NUMBER


def _builtin_lines() -> tuple[str, ...]:
    text = resources.files("rubric").joinpath("units.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines()
                 if line.strip() and not line.strip().startswith("#"))


_LINES = _builtin_lines()


def _parse_line(line: str) -> tuple[str, str, tuple[str, ...]]:
    """A units.txt line as (name, value, aliases)."""
    parts = [p.strip() for p in line.split("=")]
    return parts[0], parts[1], tuple(p for p in parts[2:] if p)


_BUILTIN = {name: (value, aliases) for name, value, aliases in map(_parse_line, _LINES)}
_ALIASES = {alias: name for name, (_v, aliases) in _BUILTIN.items() for alias in aliases}


@attrs.frozen(cache_hash=True)
class UnitSystem:
    """The built-in units plus those one ruleset declares (its ``units:`` section).

    ``definitions`` are (name, definition) pairs in declaration order; a definition is
    a factor and a known unit (``"10000/15 平方米"``, ``"10000 头"``), or ``"count"`` for a
    new counting unit of its own dimension. A declared name may replace a built-in unit
    for this system only (亩 as area rather than its own dimension); units defined from
    it follow (万亩). Build one with ``declare``, which validates each definition.
    """

    definitions: tuple[tuple[str, str], ...] = ()

    def declare(self, name: str, definition: str) -> UnitSystem:
        """This system with ``name`` defined by ``definition``; UnitError if it cannot be."""
        if not isinstance(name, str) or not _NAME.match(name) or len(name) > MAX_UNIT_LENGTH:
            raise UnitError(f"'{shown(str(name))}' is not a unit name",
                            expected=("one word of letters or Chinese characters, not "
                                      f"starting with a digit, at most {MAX_UNIT_LENGTH} long"),
                            example=_EXAMPLES)
        if name == COUNT or name in _ALIASES or name in dict(self.definitions):
            what = (f"an alias of the built-in unit {_ALIASES[name]}" if name in _ALIASES
                    else "declared already" if name != COUNT else "a reserved word")
            raise UnitError(f"unit '{name}' is {what}", expected="a new unit name",
                            example=_EXAMPLES)
        if not isinstance(definition, str):
            raise UnitError(f"unit '{name}': the definition must be text, got "
                            f"{shown(repr(definition))}",
                            expected="a factor and a known unit, or count", example=_EXAMPLES)
        text = unicodedata.normalize("NFKC", definition).strip()
        if text != COUNT:
            factor, unit = _split_definition(name, text)
            if unit is not None and name in _reference(name, unit, self):
                raise UnitError(f"unit '{name}' is defined in terms of itself ({text!r})",
                                expected="a definition in other, known units",
                                example=_EXAMPLES)
            if factor == 0:
                raise UnitError(f"unit '{name}': the factor must not be 0 ({text!r})",
                                expected="a positive factor", example=_EXAMPLES)
        system = UnitSystem((*self.definitions, (name, text)))
        try:
            scale_of(name, system)
        except RecursionError:
            raise UnitError(f"unit '{name}' ({text!r}) makes a definition cycle with "
                            "the built-in units", expected="a definition in other units",
                            example=_EXAMPLES) from None
        return system

    def lines(self) -> tuple[str, ...]:
        """The pint definitions of this system: units.txt with the declared ones."""
        declared = dict(self.definitions)
        out = []
        for line in _LINES:
            name, _value, aliases = _parse_line(line)
            if name in declared:
                out.append(" = ".join((_pint_line(name, declared.pop(name)), *aliases)))
            else:
                out.append(line)
        out.extend(_pint_line(n, d) for n, d in declared.items())
        return tuple(out)

    def value_of(self, name: str) -> str | None:
        """The definition of ``name`` in this system (units.txt's or the declared one)."""
        declared = dict(self.definitions)
        if name in declared:
            return declared[name]
        entry = _BUILTIN.get(name)
        return entry[0] if entry else None


#: the built-in units alone (no declared ones)
BUILTIN = UnitSystem()


def _split_definition(name: str, text: str) -> tuple[Fraction, str | None]:
    match = _DEFINITION.match(text)
    unit = match["unit"] if match else None
    if match is None or (unit and not _UNIT_SHAPE.match(unit)) or (
            match["den"] is not None and Fraction(match["den"]) == 0):
        raise UnitError(f"unit '{name}': cannot read the definition {text!r}",
                        expected=("a factor (a decimal or a fraction a/b) and a known unit, "
                                  "or count"), example=_EXAMPLES)
    factor = Fraction(match["num"]) / Fraction(match["den"] or 1)
    return factor, unit or None


def _reference(name: str, unit: str, system: UnitSystem) -> Any:
    try:
        return registry(system).parse_units_as_container(unit)
    except Exception as exc:  # pint raises several unrelated types
        raise UnitError(f"unit '{name}' is defined in '{unit}', which is not a known unit",
                        expected="a built-in unit (rubric units) or one declared before it",
                        example=_EXAMPLES) from exc


def _pint_line(name: str, definition: str) -> str:
    if definition == COUNT:
        return f"{name} = [{name}]"
    factor, unit = _split_definition(name, definition)
    return f"{name} = {float(factor)!r}" + (f" * {unit}" if unit else "")


@lru_cache(maxsize=64)
def registry(system: UnitSystem = BUILTIN) -> pint.UnitRegistry[Any]:
    """The pint registry of ``system`` (by default the built-in units of ``units.txt``)."""
    reg: pint.UnitRegistry[Any] = pint.UnitRegistry(None, autoconvert_offset_to_baseunit=False)
    for line in system.lines():
        try:
            reg.define(line)
        except Exception as exc:  # pint raises several unrelated types
            raise UnitError(f"cannot define '{line}': {exc}", example=_EXAMPLES) from exc
    return reg


def catalogue(system: UnitSystem = BUILTIN) -> list[tuple[str, tuple[str, ...], str, Decimal, str]]:
    """Every unit of ``system``, in ``units.txt`` order then the declared ones: (name,
    aliases, dimension, factor, base unit), where ``1 name == factor base``; the
    dimension is ``""`` for pure numbers (% and ‰)."""
    rows = []
    base_of: dict[tuple[tuple[str, int], ...], str] = {}
    for line in system.lines():
        name, value, aliases = _parse_line(line)
        dims, scale = scale_of(name, system)
        if value.startswith("[") or (not dims and () not in base_of):
            base_of.setdefault(dims, name if dims else "1")
        rows.append((name, aliases, dimension(name, system), scale, base_of.get(dims, "1")))
    return rows


@lru_cache(maxsize=4096)
def normalize_unit(unit: str | None, system: UnitSystem = BUILTIN) -> str | None:
    """Canonical name of ``unit`` (``None`` or ``""`` for a pure number); UnitError if unknown."""
    if unit is None or not unit.strip():
        return None
    unit = unicodedata.normalize("NFKC", unit).strip()  # full-width ％ is %
    if len(unit) > MAX_UNIT_LENGTH:
        raise UnitError(f"unit '{shown(unit)}' is too long (at most {MAX_UNIT_LENGTH} characters)",
                        expected="a unit of rubric's registry", example="万元")
    if not _UNIT_SHAPE.match(unit):
        raise UnitError(f"unit '{unit}' is not a unit name",
                        expected="a unit name, or two joined by '/' or '*'", example="万元/人")
    if unit.count("%") > 1 or unit.count("‰") > 1:
        raise UnitError(f"unit '{unit}' repeats a percent sign",
                        expected="one % (or ‰)", example="10.3%")
    try:
        parsed = registry(system).parse_units(unit)
    except Exception as exc:  # pint raises several unrelated types
        known = "元, 万元, 亿元, %, 人, 人次, 家, 个, 项, 次, 天"  # `rubric units` lists all
        raise UnitError(
            f"unknown unit '{unit}'",
            expected=f"a unit of rubric's registry ({known} ...)",
            example="万元",
        ) from exc
    return str(parsed) if str(parsed) != "dimensionless" else None


@lru_cache(maxsize=4096)
def dimension(unit: str | None, system: UnitSystem = BUILTIN) -> str:
    """The dimensionality of ``unit`` as text, e.g. ``[currency]``; ``""`` for numbers and %."""
    name = normalize_unit(unit, system)
    if name is None:
        return ""
    dims = registry(system).parse_units(name).dimensionality
    return str(dims) if dims else ""


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str | None, to_unit: str | None,
                      system: UnitSystem = BUILTIN) -> Decimal:
    """Exact factor ``f`` such that ``x from_unit == x * f to_unit``; UnitError naming both."""
    src, dst = normalize_unit(from_unit, system), normalize_unit(to_unit, system)
    if src == dst:
        return Decimal(1)
    src_dims, dst_dims = _dims(src, system), _dims(dst, system)
    if src_dims != dst_dims:
        raise UnitError(
            f"cannot convert {from_unit or 'a pure number'} to {to_unit or 'a pure number'}",
            expected=f"a value in {to_unit or 'no unit'} or a unit of the same kind",
        )
    return _decimal(_fraction(src, system) / _fraction(dst, system))


_WIDE = Context(prec=60)
_SHORT = Context(prec=28)


def _decimal(value: Fraction) -> Decimal:
    """``value`` exactly when it is a finite decimal, else to 28 significant digits."""
    den = value.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    ctx = _WIDE if den == 1 else _SHORT
    factor = ctx.divide(Decimal(value.numerator), Decimal(value.denominator))
    if factor == factor.to_integral_value():
        factor = factor.quantize(Decimal(1))
    else:
        factor = factor.normalize(ctx)
    if den != 1:
        _ROUNDED.add(factor)
    return factor


_ROUNDED: set[Decimal] = set()  # the factors that are not finite decimals (2000/3)
_PLACES = Decimal(1).scaleb(-MAX_PLACES)


def converted(number: Decimal, factor: Decimal) -> Decimal:
    """``number * factor``: a value given in one unit, in another. Exact, except with a
    factor that is no finite decimal (1 亩 = 2000/3 平方米), where the product is rounded
    to ``MAX_PLACES`` decimal places (rubric's numeric domain, ``rubric.numbers``)."""
    value = number * factor
    if factor in _ROUNDED and value.is_finite() and int(value.as_tuple().exponent) < -MAX_PLACES:
        value = value.quantize(_PLACES)
        value = (value.quantize(Decimal(1)) if value == value.to_integral_value()
                 else value.normalize())
    return value


def _dims(name: str | None, system: UnitSystem) -> tuple[tuple[str, int], ...]:
    if name is None:
        return ()
    dims = registry(system).parse_units(name).dimensionality
    return tuple(sorted((str(k), int(str(v))) for k, v in dims.items() if v))


@lru_cache(maxsize=4096)
def _name_fraction(name: str, system: UnitSystem) -> Fraction:
    """The exact size of one unit ``name`` (canonical) in its base units."""
    value = system.value_of(name)
    if value is None or value.startswith("[") or value == COUNT:
        return Fraction(1)
    factor, unit = _split_definition(name, value.replace(" * ", " "))
    return factor * _fraction(unit, system) if unit else factor


def _fraction(unit: str | None, system: UnitSystem) -> Fraction:
    if unit is None:
        return Fraction(1)
    out = Fraction(1)
    for name, power in registry(system).parse_units_as_container(unit).items():
        out *= _name_fraction(name, system) ** int(str(power))
    return out


@lru_cache(maxsize=4096)
def scale_of(unit: str | None, system: UnitSystem = BUILTIN
             ) -> tuple[tuple[tuple[str, int], ...], Decimal]:
    """``unit`` as (base dimensions, exact factor to the base unit): 万元 is
    ``((('[currency]', 1),), Decimal('10000'))``, % is ``((), Decimal('0.01'))``."""
    name = normalize_unit(unit, system)
    if name is None:
        return (), Decimal(1)
    return _dims(name, system), _decimal(_fraction(name, system))


def split_quantity(text: str) -> tuple[Decimal, str | None]:
    """Split ``"628 亿元"`` into ``(Decimal('628'), '亿元')``; ValueError if no leading number,
    RulesetError if the number is outside rubric's domain (``rubric.numbers``)."""
    match = _NUMBER.match(unicodedata.normalize("NFKC", text))  # full-width digits too
    if not match:
        raise ValueError(text)
    num = ungrouped(match["num"])
    reason = text_problem(num)
    if reason:
        raise UnitError(f"a number {reason}: {shown(text)}", example="628 亿元")
    try:
        number = Decimal(num)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(text) from exc
    return checked(number, "quantity", value=text), match["unit"] or None
