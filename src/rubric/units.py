"""Units: one pint registry for the whole library, and cached exact conversion factors.

The registry is built once from ``units.txt`` (元, 万元, 亿元, %, 人, 人次, 户, 家, 个, 项,
次, 天, 亩, 公里, 吨, 立方米 ...; ``rubric units`` lists them). Parsing a quantity string
with pint costs tens of microseconds, so rubric
resolves every unit string to a ``Decimal`` factor once (``conversion_factor`` is
cached) and multiplies at evaluation time; pint is never called per evaluation.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Context, Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any

import pint

from .errors import UnitError
from .numbers import checked, shown, text_problem

__all__ = [
    "MAX_UNIT_LENGTH", "catalogue", "conversion_factor", "dimension", "normalize_unit",
    "registry", "scale_of", "split_quantity",
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

#: a leading number and the unit text after it, as in ``"628 亿元"`` or ``"10.3%"``
QUANTITY = _NUMBER


def _definitions() -> list[str]:
    text = resources.files("rubric").joinpath("units.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry[Any]:
    """The shared registry holding only the domain units of ``units.txt``."""
    reg: pint.UnitRegistry[Any] = pint.UnitRegistry(None, autoconvert_offset_to_baseunit=False)
    for line in _definitions():
        reg.define(line)
    return reg


def catalogue() -> list[tuple[str, tuple[str, ...], str, Decimal, str]]:
    """Every unit of the registry, in ``units.txt`` order: (name, aliases, dimension,
    factor, base unit), where ``1 name == factor base``; the dimension is ``""`` for
    pure numbers (% and ‰)."""
    rows = []
    base_of: dict[tuple[tuple[str, int], ...], str] = {}
    for line in _definitions():
        parts = [p.strip() for p in line.split("=")]
        name = parts[0]
        aliases = tuple(p for p in parts[2:] if p)
        dims, scale = scale_of(name)
        if parts[1].startswith("[") or (not dims and () not in base_of):
            base_of.setdefault(dims, name if dims else "1")
        rows.append((name, aliases, dimension(name), scale, base_of.get(dims, "1")))
    return rows


@lru_cache(maxsize=1024)
def normalize_unit(unit: str | None) -> str | None:
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
        parsed = registry().parse_units(unit)
    except Exception as exc:  # pint raises several unrelated types
        known = "元, 万元, 亿元, %, 人, 人次, 家, 个, 项, 次, 天"  # `rubric units` lists all
        raise UnitError(
            f"unknown unit '{unit}'", expected=f"a unit of rubric's registry ({known} ...)",
            example="万元",
        ) from exc
    return str(parsed) if str(parsed) != "dimensionless" else None


@lru_cache(maxsize=1024)
def dimension(unit: str | None) -> str:
    """The dimensionality of ``unit`` as text, e.g. ``[currency]``; ``""`` for numbers and %."""
    name = normalize_unit(unit)
    if name is None:
        return ""
    dims = registry().parse_units(name).dimensionality
    return str(dims) if dims else ""


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str | None, to_unit: str | None) -> Decimal:
    """Exact factor ``f`` such that ``x from_unit == x * f to_unit``; UnitError naming both."""
    src, dst = normalize_unit(from_unit), normalize_unit(to_unit)
    if src == dst:
        return Decimal(1)
    (src_dims, src_scale), (dst_dims, dst_scale) = scale_of(src), scale_of(dst)
    if src_dims != dst_dims:
        raise UnitError(
            f"cannot convert {from_unit or 'a pure number'} to {to_unit or 'a pure number'}",
            expected=f"a value in {to_unit or 'no unit'} or a unit of the same kind",
        )
    factor = src_scale / dst_scale  # both short decimals (10^k, 0.01): exact
    if factor == factor.to_integral_value():
        return factor.quantize(Decimal(1))
    return factor.normalize()


_SHORT = Context(prec=12)


def _exact(magnitude: Any) -> Decimal:
    # Registry factors are short decimals (10^k, 0.01); pint multiplies them as floats,
    # so 12 significant digits give them back exactly (1.0000000000000001e-07 is 1E-7).
    factor = _SHORT.create_decimal(repr(float(magnitude)))
    if factor == factor.to_integral_value():
        return factor.quantize(Decimal(1))
    return factor.normalize()


@lru_cache(maxsize=1024)
def scale_of(unit: str | None) -> tuple[tuple[tuple[str, int], ...], Decimal]:
    """``unit`` as (base dimensions, exact factor to the base unit): 万元 is
    ``((('[currency]', 1),), Decimal('10000'))``, % is ``((), Decimal('0.01'))``."""
    name = normalize_unit(unit)
    if name is None:
        return (), Decimal(1)
    base = registry().Quantity(1, name).to_base_units()
    dims = tuple(sorted((str(k), int(str(v))) for k, v in base.dimensionality.items() if v))
    return dims, _exact(base.magnitude)


def split_quantity(text: str) -> tuple[Decimal, str | None]:
    """Split ``"628 亿元"`` into ``(Decimal('628'), '亿元')``; ValueError if no leading number,
    RulesetError if the number is outside rubric's domain (``rubric.numbers``)."""
    match = _NUMBER.match(unicodedata.normalize("NFKC", text))  # full-width digits too
    if not match:
        raise ValueError(text)
    num = match["num"].replace(",", "")
    reason = text_problem(num)
    if reason:
        raise UnitError(f"a number {reason}: {shown(text)}", example="628 亿元")
    try:
        number = Decimal(num)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(text) from exc
    return checked(number, "quantity", value=text), match["unit"] or None
