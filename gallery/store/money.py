"""Money as integer minor units of an ISO 4217 currency; never floats.

Exponents come from CLDR via Babel (JPY 0, EUR 2, KWD 3), so a yen amount of
1999 is ¥1,999 and a euro amount of 1999 is €19.99. Every fraction of a minor
unit (a percentage, a tax) is rounded once, half up, with decimal.Decimal:
shoppers and tax offices both expect 0.5 to round away from zero.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, get_currency_precision, list_currencies

_CURRENCIES = frozenset(list_currencies())


def is_currency(code: str) -> bool:
    return code in _CURRENCIES


def exponent(currency: str) -> int:
    """Digits after the decimal point of `currency` (JPY 0, EUR 2, KWD 3)."""
    return get_currency_precision(currency)


def round_minor(value: Decimal) -> int:
    """Round a fractional number of minor units to a whole one, half up."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(amount: int, percent: Decimal | int | str) -> int:
    """`percent` % of `amount` minor units, rounded half up."""
    return round_minor(Decimal(amount) * Decimal(percent) / Decimal(100))


def tax_on(net: int, rate_percent: Decimal | str, *, included: bool) -> int:
    """Tax on `net` at `rate_percent`: added on top, or the share already included in it."""
    rate = Decimal(rate_percent)
    if included:
        return round_minor(Decimal(net) * rate / (Decimal(100) + rate))
    return round_minor(Decimal(net) * rate / Decimal(100))


def to_decimal(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-exponent(currency))


def format_money(amount: int, currency: str, locale: str = "en") -> str:
    """A human amount for mail and receipts, e.g. "€19.99", "¥1,999", "NOK 1 999,00"."""
    try:
        return format_currency(to_decimal(amount, currency), currency, locale=locale.replace("-", "_"))
    except Exception:  # noqa: BLE001 - an unknown locale must never break a receipt
        return format_currency(to_decimal(amount, currency), currency, locale="en")
