"""Exact hours and amounts of regular care contracts.

Hours are computed as fractions and given as Decimal. A contract's times fall on a multiple of
3 minutes (0.05 h), so every day's and week's hours are an exact Decimal; only a division by the
number of months (e.g. 11) or a split between two rates may not terminate, and is then shown
rounded to 2 decimals while its amount is computed from the exact value. Each amount is rounded
once, to the cent, half-up (fees.amount); a month's total is the sum of its rounded lines.

Sources: CNAF circular of 26 March 2014 (the mensualisation); fees.amount for the rounding
[practice: each amount to the cent, half-up].
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .fees import CENT
from .fees import amount as fee_amount

ZERO = Decimal("0")
NO_AMOUNT = Decimal("0.00")
_HOUR_DISPLAY = Decimal("0.01")


def terminates(f: Fraction) -> bool:
    """Whether the decimal expansion of `f` is finite (its denominator has no factor but 2 and 5)."""
    d = f.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def exact_decimal(f: Fraction) -> Decimal:
    """Exact Decimal of a fraction whose decimal expansion terminates."""
    return Decimal(f.numerator) / Decimal(f.denominator)


def shown_hours(f: Fraction) -> Decimal:
    """Hours shown: exact when the decimal terminates, else rounded to 2 decimals (display)."""
    if terminates(f):
        return exact_decimal(f)
    return (Decimal(f.numerator) / Decimal(f.denominator)).quantize(_HOUR_DISPLAY, rounding=ROUND_HALF_UP)


def exact_number(name: str, value) -> Fraction:
    """`value` (a Decimal, an int or a Fraction) as a Fraction; a float is refused, it is not exact."""
    if isinstance(value, (bool, float)) or not isinstance(value, (Decimal, int, Fraction)):
        raise TypeError(f"{name} must be a Decimal (floats are not exact), got {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{name} must be a finite number, got {value}")
    return Fraction(value)


def whole_number(name: str, value) -> int:
    """`value` when it is an int (a bool is refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r}")
    return value


def exact_amount(hourly_rate: Decimal, hours: Fraction) -> Decimal:
    """hourly_rate x hours rounded once to the cent, half-up: fees.amount, exact for any hours."""
    if terminates(hours):
        return fee_amount(hourly_rate, exact_decimal(hours))
    fee_amount(hourly_rate, Decimal(0))  # same checks on the rate
    if hours < 0:
        raise ValueError(f"hours must be >= 0, got {hours}")
    cents = Fraction(hourly_rate) * hours * 100
    return Decimal(int(cents + Fraction(1, 2))) * CENT  # half-up, for a non-negative amount
