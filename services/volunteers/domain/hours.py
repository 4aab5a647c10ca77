"""A volunteer's hours for the association's activity report [practice]: each completed activity
counts once per confirmed volunteer, for its length as bookings recorded it on completion (the
real times, which are the planned ones unless staff said otherwise); a year is a calendar year of
the activity's start (in the venue's zone)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

QUARTER = Decimal("0.01")


def hours_between(starts_at: datetime, ends_at: datetime) -> Decimal:
    """Hours to the hundredth: 1 h 20 is 1.33."""
    seconds = Decimal(int((ends_at - starts_at).total_seconds()))
    return (seconds / 3600).quantize(QUARTER, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Recorded:
    volunteer_id: str
    activity_id: str
    starts_at: datetime
    hours: Decimal
    age_group: str | None  # the children's age group of the activity, when bookings gives one


@dataclass
class Summary:
    hours: Decimal = Decimal("0.00")
    activities: int = 0
    age_groups: Counter = field(default_factory=Counter)


def summary(records: list[Recorded], year: int) -> Summary:
    """The year's total over these records (one volunteer's, or the venue's)."""
    result = Summary()
    seen = set()
    for r in records:
        if r.starts_at.year != year or (r.volunteer_id, r.activity_id) in seen:
            continue
        seen.add((r.volunteer_id, r.activity_id))
        result.hours += r.hours
        result.activities += 1
        if r.age_group:
            result.age_groups[r.age_group] += 1
    return result
