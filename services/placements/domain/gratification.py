"""The gratification de stage (Code de l'éducation L124-6, D124-6; docs/placements-rules.md).

Due when the placement lasts more than two months in the same school year, counted in hours of
presence: from the 309th hour (44 days x 7 h = 308 h). Once due, it is owed for every hour from
the first, paid monthly, at least 15 % of the hourly social security ceiling of the year.
Adults in continuing vocational training fall under another regime: a placement says whether
its agreement is a convention de stage under L124-1 (`under_convention`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

THRESHOLD_HOURS = Decimal(308)  # due beyond this: the 309th hour
CENT = Decimal("0.01")
# Minimum hourly amount by calendar year (15 % of the hourly ceiling), sources in docs/placements-rules.md.
HOURLY_MINIMUM = {2024: Decimal("4.35"), 2025: Decimal("4.35"), 2026: Decimal("4.50")}


class UnknownRate(LookupError):
    """No minimum hourly amount known for that year: the venue's setting must give it."""


def is_due(under_convention: bool, planned_hours: Decimal, validated_hours: Decimal) -> bool:
    """Due as soon as the agreement plans more than 308 h, or the validated hours pass 308."""
    if not under_convention:
        return False
    return max(Decimal(planned_hours), Decimal(validated_hours)) > THRESHOLD_HOURS


def hourly_minimum(year: int, overrides: dict[int, Decimal] | None = None) -> Decimal:
    """The year's minimum hourly amount; `overrides` (the venue's setting) win over the table."""
    table = {**HOURLY_MINIMUM, **(overrides or {})}
    if year not in table:
        raise UnknownRate(f"no minimum hourly gratification known for {year}")
    return table[year]


@dataclass(frozen=True)
class MonthDue:
    month: str  # "2026-03"
    hours: Decimal
    hourly_rate: Decimal
    amount: Decimal


def monthly(hours_by_month: dict[str, Decimal], due: bool, overrides=None) -> list[MonthDue]:
    """What is owed each month for its validated hours (nothing while not due), to the cent."""
    if not due:
        return []
    months = []
    for month in sorted(hours_by_month):
        rate = hourly_minimum(int(month[:4]), overrides)
        hours = Decimal(hours_by_month[month])
        months.append(MonthDue(month, hours, rate, (hours * rate).quantize(CENT, rounding=ROUND_HALF_UP)))
    return months


def total(months: list[MonthDue]) -> Decimal:
    return sum((m.amount for m in months), Decimal("0.00"))
