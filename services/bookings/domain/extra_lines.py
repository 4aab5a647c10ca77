"""The extra lines of a contract's month: one per day with presence beyond the contract, at
that day's rate; and the hours attended.

Sources: CNAF PSU guide (hours beyond the contract billed on top, see overtime; the PSU is paid
on the hours attended, see billing.attended_hours).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, tzinfo
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from .billing import attended_hours, checked_increment
from .covered_month import ContractLine, CoveredMonth, statement_line
from .exact_numbers import ZERO, shown_hours
from .french_text import fr_dates, fr_number
from .overtime import extra_hours
from .plain_dates import plain_date


class Attendance(NamedTuple):
    day: date
    arrived: datetime | None
    left: datetime | None


def presence(
    month: CoveredMonth,
    attendances: Iterable[tuple[date, datetime | None, datetime | None]],
    deducted_on: set[date],
    increment_minutes: int,
    tz: tzinfo | None,
) -> tuple[dict[date, Fraction], Decimal]:
    """Each day's hours beyond the contract (overtime.extra_hours, the contract's times read in
    `tz`, default the arrival's zone) and the hours attended (billing.attended_hours)."""
    inc = checked_increment(increment_minutes)
    extra_by_day: dict[date, Fraction] = {}
    attended = ZERO
    for day, arrived, left in (Attendance(*a) for a in attendances):
        day = _attendance_day(month, day, deducted_on)
        attended += attended_hours(arrived, left)
        if arrived is None:
            continue
        stretches = _contract_stretches(month, day, tz or arrived.tzinfo)
        extra = extra_hours(stretches or None, arrived, left, inc)
        extra_by_day[day] = extra_by_day.get(day, Fraction(0)) + Fraction(extra)
    return extra_by_day, attended


def _attendance_day(month: CoveredMonth, day, deducted_on: set[date]) -> date:
    """An attendance's day: inside the contract's month, never a day deducted as an absence."""
    day = plain_date("attendance day", day)
    if not month.cover_first <= day < month.cover_end:
        raise ValueError(f"attendance on {day.isoformat()} is outside the contract's month")
    if day in deducted_on:
        raise ValueError(f"attendance on {day.isoformat()}, a day deducted as an absence")
    return day


def _contract_stretches(month: CoveredMonth, day: date, zone: tzinfo | None) -> list[tuple[datetime, datetime]]:
    return [
        (datetime.combine(day, s.start, tzinfo=zone), datetime.combine(day, s.end, tzinfo=zone))
        for s in month.planned
        if s.day == day
    ]


def extra_lines(month: CoveredMonth, extra_by_day: Mapping[date, Fraction]) -> tuple[list[ContractLine], Fraction]:
    """One line per day with hours beyond the contract, at that day's rate; their total hours."""
    lines, total = [], Fraction(0)
    for day in sorted(extra_by_day):
        hours = extra_by_day[day]
        if hours:
            total += hours
            rate = month.rate_of(day)
            label = (
                f"Heures en plus du contrat {fr_dates(day, day)} : {fr_number(shown_hours(hours))} h "
                f"au tarif de {fr_number(rate)} €/h"
            )
            lines.append(statement_line("extra", label, hours, rate, day, day))
    return lines, total
