"""Rounding of percentages and tax on integer minor units, in currencies with 0, 2 and 3 decimals."""
from decimal import Decimal

from gallery.store import money


def test_exponents_come_from_iso_4217():
    assert [money.exponent(c) for c in ("JPY", "EUR", "NOK", "USD", "KWD")] == [0, 2, 2, 2, 3]
    assert money.is_currency("NOK") and not money.is_currency("XYZ") and not money.is_currency("eur")


def test_percent_rounds_half_up_on_minor_units():
    assert money.percent_of(1999, 15) == 300  # 299.85 -> 300 (JPY: yen; EUR: cents)
    assert money.percent_of(1990, 15) == 299  # 298.5 -> 299, half up (banker's would give 298)
    assert money.percent_of(1, 50) == 1  # 0.5 -> 1
    assert money.percent_of(3, 33) == 1  # 0.99 -> 1
    assert money.percent_of(123456, Decimal("12.5")) == 15432  # 15432.0


def test_tax_added_on_top_and_included():
    assert money.tax_on(1000, Decimal("25"), included=False) == 250
    assert money.tax_on(1250, Decimal("25"), included=True) == 250
    assert money.tax_on(999, Decimal("8.875"), included=False) == 89  # 88.66 -> 89 (New York)
    assert money.tax_on(1001, Decimal("10"), included=True) == 91  # 91.0
    assert money.tax_on(1005, Decimal("10"), included=True) == 91  # 91.36 -> 91
    assert money.tax_on(0, Decimal("25"), included=True) == 0


def test_formatting_respects_the_exponent():
    assert money.format_money(1999, "JPY") == "¥1,999"
    assert money.format_money(1999, "EUR") == "€19.99"
    assert money.format_money(1999, "KWD") == "KWD1.999"
    assert money.format_money(199900, "NOK", "nb") == "1\xa0999,00\xa0kr"
    assert money.format_money(1999, "EUR", "not-a-locale!") == "€19.99"
