"""A volunteer's hours for the association's activity report [practice]: each completed activity
counts once per confirmed volunteer, for its length as bookings recorded it on completion (the
real times, which are the planned ones unless staff said otherwise); a year is a calendar year of
the activity's start (in the venue's zone).

Training hours are counted apart: each part of an education session a volunteer
attended, once per (session, part, volunteer), as the latest revision of the attendance sheet
says (a correction present → absent takes the hours back) [practice]. The children's age group of
an activity is the one bookings gave when it scheduled it ("unknown" when staff gave none)."""

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


UNKNOWN_AGE_GROUP = "unknown"  # an activity scheduled without an age group


@dataclass(frozen=True)
class Trained:
    """One part of a training session, as the latest attendance sheet received says."""

    volunteer_id: str
    session_id: str
    part_index: int
    starts_at: datetime
    hours: Decimal
    present: bool


@dataclass
class Summary:
    hours: Decimal = Decimal("0.00")  # with the children (activities)
    activities: int = 0
    age_groups: Counter = field(default_factory=Counter)  # activities per children's age group
    age_group_hours: Counter = field(default_factory=Counter)  # hours per children's age group
    training_hours: Decimal = Decimal("0.00")  # apart: never added to `hours`
    training_parts: int = 0


def newer_revision(stored: int | None, incoming: int) -> bool:
    """An attendance sheet's line replaces the stored one only when its revision is higher (the
    first one received always applies): a late or repeated older line changes nothing."""
    return stored is None or incoming > stored


def summary(records: list[Recorded], year: int, trained: list[Trained] = ()) -> Summary:
    """The year's total over these records (one volunteer's, or the venue's)."""
    result = Summary()
    seen = set()
    for r in records:
        if r.starts_at.year != year or (r.volunteer_id, r.activity_id) in seen:
            continue
        seen.add((r.volunteer_id, r.activity_id))
        group = r.age_group or UNKNOWN_AGE_GROUP
        result.hours += r.hours
        result.activities += 1
        result.age_groups[group] += 1
        result.age_group_hours[group] += r.hours
    parts = set()
    for t in trained:
        key = (t.volunteer_id, t.session_id, t.part_index)
        if not t.present or t.starts_at.year != year or key in parts:
            continue
        parts.add(key)
        result.training_hours += t.hours
        result.training_parts += 1
    return result


def per_volunteer(records: list[Recorded], year: int, trained: list[Trained] = ()) -> dict[str, Summary]:
    """The year's summary of each volunteer who has activities or training in it."""
    people = {r.volunteer_id for r in records} | {t.volunteer_id for t in trained if t.present}
    return {
        person: summary(
            [r for r in records if r.volunteer_id == person], year, [t for t in trained if t.volunteer_id == person]
        )
        for person in people
    }
