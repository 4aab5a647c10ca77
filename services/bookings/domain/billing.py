"""Hours booked, attended and billed for each booking, and the monthly statement.

PSU funding compares billed hours with hours actually attended, so all three are kept.
Billing unit [practice, configurable]: each started increment (30 min by default) is due.
Durations are measured in UTC: Python subtracts two datetimes sharing one tzinfo on the wall
clock, which is wrong across a DST change (e.g. a 48 h notice around the last Sunday of March).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .fees import amount as fee_amount

DEFAULT_INCREMENT_MINUTES = 30  # [practice] each started half-hour is due
DEFAULT_NOTICE_HOURS = 48  # [practice] cancellation notice for a booking not to be billed
ZERO = Decimal("0")
_US_PER_HOUR = 3_600_000_000
# attended hours are exact for whole multiples of 3 minutes, else kept to the millionth of an hour
_ATTENDED_QUANTUM = Decimal("0.000001")


def aware_utc(name: str, dt: datetime) -> datetime:
    """`dt` in UTC, checked a timezone-aware datetime (durations are measured in UTC)."""
    if not isinstance(dt, datetime):
        raise TypeError(f"{name} must be a datetime")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return dt.astimezone(timezone.utc)


def _span(start_name: str, start: datetime, end_name: str, end: datetime):
    """Both ends in UTC, checked aware and ordered."""
    s, e = aware_utc(start_name, start), aware_utc(end_name, end)
    if e <= s:
        raise ValueError(f"{end_name} must be after {start_name}")
    return s, e


def checked_increment(minutes: int) -> int:
    """Validate the billing increment; it must give a finite decimal number of hours."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        raise ValueError(f"increment_minutes must be a positive int, got {minutes!r}")
    denominator = Fraction(minutes, 60).denominator
    for p in (2, 5):
        while denominator % p == 0:
            denominator //= p
    if denominator != 1:  # e.g. 20 min = 1/3 h cannot be billed exactly
        raise ValueError(f"increment_minutes={minutes} is not a finite decimal number of hours")
    return minutes


def round_up_hours(duration: timedelta, increment_minutes: int) -> Decimal:
    """Hours of `duration`, rounded up to whole increments (each started increment is due)."""
    if duration <= timedelta(0):
        return ZERO
    us = duration // timedelta(microseconds=1)
    step = increment_minutes * 60_000_000
    started = -(-us // step)  # ceiling division on integers: no float error
    return Decimal(started * increment_minutes) / 60


def billed_hours(
    booked_start: datetime,
    booked_end: datetime,
    checked_in: datetime | None,
    checked_out: datetime | None,
    cancelled_in_time: bool = False,
    increment_minutes: int = DEFAULT_INCREMENT_MINUTES,
) -> Decimal:
    """Hours due for one booking.

    Cancelled in time: 0. Otherwise the booked time rounded up to increments (a no-show is billed
    as booked; leaving early is not refunded), plus presence before the booked start and after the
    booked end, each rounded up separately to started increments.
    """
    start, end = _span("booked_start", booked_start, "booked_end", booked_end)
    inc = checked_increment(increment_minutes)
    arrived = aware_utc("checked_in", checked_in) if checked_in is not None else None
    left = aware_utc("checked_out", checked_out) if checked_out is not None else None
    if arrived is not None and left is not None and left <= arrived:
        raise ValueError("checked_out must be after checked_in")
    if cancelled_in_time:
        return ZERO
    extra = ZERO
    if arrived is not None and arrived < start:
        # if the child also left before the booking began, only the real presence counts
        extra += round_up_hours(min(start, left or start) - arrived, inc)
    if left is not None and left > end:
        extra += round_up_hours(left - max(end, arrived or end), inc)
    return round_up_hours(end - start, inc) + extra


def attended_hours(checked_in: datetime | None, checked_out: datetime | None) -> Decimal:
    """Hours actually present (for PSU reporting); 0 when a check-in or check-out is missing."""
    if checked_in is None or checked_out is None:
        return ZERO
    arrived, left = _span("checked_in", checked_in, "checked_out", checked_out)
    us = (left - arrived) // timedelta(microseconds=1)
    return (Decimal(us) / _US_PER_HOUR).quantize(_ATTENDED_QUANTUM, rounding=ROUND_HALF_UP)


def cancelled_in_time(cancelled_at: datetime, slot_start: datetime, notice_hours: int = DEFAULT_NOTICE_HOURS) -> bool:
    """True when cancelled at least `notice_hours` before the slot [practice, configurable]."""
    if isinstance(notice_hours, bool) or not isinstance(notice_hours, int) or notice_hours < 0:
        raise ValueError(f"notice_hours must be an int >= 0, got {notice_hours!r}")
    deadline = aware_utc("slot_start", slot_start) - timedelta(hours=notice_hours)
    return aware_utc("cancelled_at", cancelled_at) <= deadline


def promoted_inside_notice(
    promoted_at: datetime, slot_start: datetime, notice_hours: int = DEFAULT_NOTICE_HOURS
) -> bool:
    """A waitlisted booking that got its place later than the cancellation notice may be declined
    without charge until the slot starts: the family could not have cancelled in time a place it
    did not have yet [practice]."""
    return not cancelled_in_time(promoted_at, slot_start, notice_hours)


def cancellation_in_time(
    cancelled_at: datetime,
    slot_start: datetime,
    promoted_at: datetime | None = None,
    notice_hours: int = DEFAULT_NOTICE_HOURS,
) -> bool:
    """Not billed: cancelled before the notice, or a promotion given inside the notice declined."""
    if promoted_at is not None and promoted_inside_notice(promoted_at, slot_start, notice_hours):
        return True
    return cancelled_in_time(cancelled_at, slot_start, notice_hours)


@dataclass(frozen=True)
class BillingLine:
    """One booking on the monthly statement; amount already rounded to the cent."""

    hours_booked: Decimal
    hours_attended: Decimal
    hours_billed: Decimal
    amount: Decimal


def billing_line(
    booked_start: datetime,
    booked_end: datetime,
    checked_in: datetime | None,
    checked_out: datetime | None,
    hourly_rate: Decimal,
    cancelled_in_time: bool = False,
    increment_minutes: int = DEFAULT_INCREMENT_MINUTES,
) -> BillingLine:
    """Build a line; a booking cancelled in time counts 0 booked hours (the slot was released)."""
    billed = billed_hours(booked_start, booked_end, checked_in, checked_out, cancelled_in_time, increment_minutes)
    start, end = _span("booked_start", booked_start, "booked_end", booked_end)
    booked = ZERO
    if not cancelled_in_time:
        booked = Decimal((end - start) // timedelta(microseconds=1)) / _US_PER_HOUR
    return BillingLine(
        hours_booked=booked.quantize(_ATTENDED_QUANTUM, rounding=ROUND_HALF_UP),
        hours_attended=attended_hours(checked_in, checked_out),
        hours_billed=billed,
        amount=fee_amount(hourly_rate, billed),
    )


def line_so_far(
    booked_start: datetime,
    booked_end: datetime,
    checked_in: datetime | None,
    checked_out: datetime | None,
    hourly_rate: Decimal,
    cancelled_in_time: bool = False,
    increment_minutes: int = DEFAULT_INCREMENT_MINUTES,
) -> BillingLine:
    """A booking's line as it stands now: a child checked in but not yet out (or whose departure
    was not noted) is billed as booked until the departure is noted; an arrival alone moves
    nothing."""
    if checked_in is not None and checked_out is None:
        checked_in = None
    return billing_line(
        booked_start, booked_end, checked_in, checked_out, hourly_rate, cancelled_in_time, increment_minutes
    )


def month_days(month: str) -> tuple[date, date]:
    """'2026-12' -> (2026-12-01, 2027-01-01): the first day of the month and of the next one."""
    year, number = (int(part) for part in month.split("-"))
    if not 1 <= number <= 12:
        raise ValueError(f"month must be YYYY-MM, got {month!r}")
    return date(year, number, 1), date(year + number // 12, number % 12 + 1, 1)


@dataclass(frozen=True)
class MonthlyStatement:
    hours_booked: Decimal
    hours_attended: Decimal
    hours_billed: Decimal
    amount: Decimal  # sum of the per-booking rounded amounts, so lines add up to the total


def statement(lines: Iterable[BillingLine]) -> MonthlyStatement:
    """Totals of a month's lines; no second rounding, the invoice total equals the sum of lines."""
    booked = attended = billed = total = ZERO
    for line in lines:
        booked += line.hours_booked
        attended += line.hours_attended
        billed += line.hours_billed
        total += line.amount
    return MonthlyStatement(booked, attended, billed, total)
