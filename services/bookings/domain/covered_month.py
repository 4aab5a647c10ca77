"""One calendar month of a regular contract, checked, and a line of its statement: what the
contract, deduction and extra lines (contract_lines, deduction_lines, extra_lines) are made of.

Sources: CNAF PSU guide (a contract runs from its start to its end, both included; its rate is
recomputed from the date the resources or the scale change, see day_rates); each line's amount
is rounded once, to the cent, half-up (exact_numbers.exact_amount).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from .care_pattern import PatternDay, ScheduledDay, checked_pattern, hours_by_day, scheduled_days
from .day_rates import rate_lookup
from .exact_numbers import exact_amount, exact_number, shown_hours
from .plain_dates import plain_date


@dataclass(frozen=True)
class ContractLine:
    """One line of a contract's monthly statement. amount is rounded to the cent; a deduction's
    is negative. starts_on/ends_on: the days the line is about (inclusive)."""

    kind: str  # "contract", "deduction" or "extra"
    label: str
    hours: Decimal
    hourly_rate: Decimal
    amount: Decimal
    starts_on: date
    ends_on: date


def statement_line(
    kind: str, label: str, hours: Fraction, rate: Decimal, first: date, last: date, sign: int = 1
) -> ContractLine:
    """A line of `hours` at `rate` over the days [first, last], its amount rounded once to the cent
    (negative for a deduction, sign -1, except a zero amount)."""
    amount = exact_amount(rate, hours)
    return ContractLine(kind, label, shown_hours(hours), rate, -amount if sign < 0 and amount else amount, first, last)


def _checked_month(first_day: date, end_day: date) -> None:
    first_day, end_day = plain_date("first_day", first_day), plain_date("end_day", end_day)
    next_month = date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)
    if first_day.day != 1 or end_day != next_month:
        raise ValueError("first_day and end_day must be a calendar month: the 1st and the 1st of the next month")


@dataclass(frozen=True)
class CoveredMonth:
    """One calendar month [first_day, end_day) of a contract [starts_on, ends_on], checked: what
    every part of its statement reads."""

    first_day: date
    end_day: date
    starts_on: date
    ends_on: date
    pattern: list[PatternDay]
    per_month: Fraction  # the contract's hours per month, exact
    rate_of: Callable[[date], Decimal]
    cover_first: date  # the first day of the month the contract covers
    cover_end: date  # the day after the last one
    planned: list[ScheduledDay]  # the contract's planned stretches in the month
    by_day: dict[date, Decimal]  # their hours by day
    closed_days: Collection[date]

    @property
    def whole(self) -> bool:
        return self.cover_first == self.first_day and self.cover_end == self.end_day


def covered_month(
    first_day, end_day, starts_on, ends_on, days, hours_per_month, rate_periods, closed_days
) -> CoveredMonth:
    """The month checked (ValueError or TypeError otherwise): a calendar month, plain dates, a valid
    pattern, hours per month > 0, rate periods sorted, and a contract that covers part of it."""
    _checked_month(first_day, end_day)
    starts_on, ends_on = plain_date("starts_on", starts_on), plain_date("ends_on", ends_on)
    pattern = checked_pattern(days)
    per_month = exact_number("hours_per_month", hours_per_month)
    if per_month <= 0:
        raise ValueError(f"hours_per_month must be > 0, got {hours_per_month}")
    rate_of = rate_lookup(rate_periods)
    cover_first, cover_end = max(first_day, starts_on), min(end_day, ends_on + timedelta(days=1))
    if cover_end <= cover_first:
        raise ValueError("the contract does not cover this month")
    planned = scheduled_days(starts_on, ends_on, pattern, first_day, end_day, closed_days=closed_days)
    return CoveredMonth(
        first_day,
        end_day,
        starts_on,
        ends_on,
        pattern,
        per_month,
        rate_of,
        cover_first,
        cover_end,
        planned,
        hours_by_day(planned),
        closed_days,
    )


def planned_hours(by_day: Mapping[date, Decimal], first: date, last: date) -> Fraction:
    """The planned hours of `by_day` from `first` to `last`, both included."""
    return sum((Fraction(h) for d, h in by_day.items() if first <= d <= last), Fraction(0))
