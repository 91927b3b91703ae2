"""Units: the shared pint registry, exact conversion factors and quantity strings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rubric import RulesetError, UnitError
from rubric.units import conversion_factor, dimension, normalize_unit, registry, split_quantity

D = Decimal


@pytest.mark.parametrize(("src", "dst", "factor"), [
    ("亿元", "万元", "10000"),
    ("万元", "亿元", "0.0001"),
    ("元", "万元", "0.0001"),
    ("千元", "万元", "0.1"),
    ("万元", "万元", "1"),
    ("%", None, "0.01"),
    (None, "%", "100"),
    ("‰", "%", "0.1"),
    ("名", "人", "1"),
], ids=str)
def test_conversion_factors_are_exact_decimals(src, dst, factor):
    result = conversion_factor(src, dst)
    assert type(result) is Decimal
    assert result == D(factor)


@pytest.mark.parametrize(("src", "dst"), [("人", "家"), ("万元", "人"), ("%", "万元"),
                                          ("天", None), ("个", "项")])
def test_incompatible_units_raise_unit_error_naming_both(src, dst):
    with pytest.raises(UnitError) as err:
        conversion_factor(src, dst)
    assert isinstance(err.value, RulesetError) and isinstance(err.value, ValueError)
    text = str(err.value)
    assert src in text
    assert (dst or "a pure number") in text


def test_counts_of_different_things_are_different_dimensions():
    assert dimension("人") != dimension("家")
    assert dimension("万元") == dimension("亿元") == "[currency]"
    assert dimension("%") == dimension(None) == ""


@pytest.mark.parametrize("unit", ["斤", "dollars", "万美元"])
def test_unknown_unit_names_the_unit_and_lists_known_ones(unit):
    with pytest.raises(UnitError, match=f"unknown unit '{unit}'") as err:
        normalize_unit(unit)
    assert "万元" in str(err.value)


@pytest.mark.parametrize("unit", [None, "", "  "])
def test_no_unit_is_a_pure_number(unit):
    assert normalize_unit(unit) is None


def test_percent_aliases_normalise_to_one_name():
    assert normalize_unit("%") == normalize_unit("percent") == normalize_unit("百分比")


def test_registry_is_shared():
    assert registry() is registry()


@pytest.mark.parametrize(("text", "number", "unit"), [
    ("628 亿元", "628", "亿元"),
    ("628亿元", "628", "亿元"),
    ("10.3%", "10.3", "%"),
    ("1,234.5 万元", "1234.5", "万元"),
    ("-3", "-3", None),
    (".5", "0.5", None),
    ("2e3 人", "2000", "人"),
], ids=str)
def test_split_quantity(text, number, unit):
    assert split_quantity(text) == (D(number), unit)


@pytest.mark.parametrize("text", ["达成预期指标", "", "约100", "万元"])
def test_split_quantity_without_a_leading_number(text):
    with pytest.raises(ValueError):  # noqa: PT011 - the message is the input text itself
        split_quantity(text)


def test_full_width_percent_and_digits_read_as_ascii() -> None:
    from rubric import FactSpec

    rate = FactSpec("rate", unit="%")
    assert rate.coercer("10.3％") == D("10.3")
    assert rate.coerce("１０.３％") == D("10.3")


def test_a_repeated_percent_sign_is_an_error_not_percent_squared() -> None:
    from rubric import FactError, FactSpec

    with pytest.raises(FactError, match="repeats a percent sign"):
        FactSpec("rate", unit="%").coercer("3%%")
