"""The billing ratio of the CNAF report: hours billed ÷ hours attended, and when it is too high.

Source: caf.fr, « Les modalités de financement pour les EAJE évoluent » (2025): the PSU paid to the
venue depends on its taux de facturation (hours billed to families ÷ hours actually attended),
full at or below 107 %, decreasing linearly to 120 %. The report warns above 107 % (the exact
ratio decides: 107 % exactly is fine); the percentage is shown with one decimal, rounded up, so
a ratio shown "107.0" is never above the limit and one above it never reads "107.0" [practice].

Standard library only.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

RATIO_LIMIT = Fraction(107, 100)  # 107 %: above, the PSU price decreases


def billing_ratio(hours_billed: Decimal, hours_attended: Decimal) -> Fraction | None:
    """hours billed ÷ hours attended, exact; None when nothing was attended (no ratio)."""
    if not hours_attended:
        return None
    return Fraction(hours_billed) / Fraction(hours_attended)


def ratio_percent(ratio: Fraction | None) -> Decimal | None:
    """The ratio as a percentage with one decimal, rounded up: 1.071 -> 107.1, 1.0701 -> 107.1."""
    if ratio is None:
        return None
    tenths = -(-(ratio * 1000).numerator // (ratio * 1000).denominator)  # ceiling of the tenths of a percent
    return Decimal(tenths) / 10


def above_limit(ratio: Fraction | None) -> bool:
    """Is the billing ratio above 107 % (the PSU price then decreases)?"""
    return ratio is not None and ratio > RATIO_LIMIT
