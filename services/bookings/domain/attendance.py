"""Attendance: when staff may note a child's arrival and departure.

Times are aware datetimes. Attended hours feed the PSU statement (billing.py), so a noted time
must be one that has passed, on the slot's day, and a departure comes after the arrival.
"""

from datetime import timedelta

from shared.vocabulary import BOOKING_CONFIRMED

# [practice] Staff may note an arrival a little ahead of the server's clock (clocks differ, a
# child walks in as the tablet is unlocked), never hours ahead.
CLOCK_TOLERANCE = timedelta(minutes=15)


def is_attendable(status):
    """Only a confirmed booking is checked in or out: a waitlisted or cancelled child has no place."""
    return status == BOOKING_CONFIRMED


def has_passed(at, now, tolerance=CLOCK_TOLERANCE):
    """`at` may be noted: not later than the clock, give or take `tolerance`."""
    return at <= now + tolerance


def on_slot_day(at, slot_starts_at, zone):
    """`at` falls on the slot's calendar day in the venue's `zone` (a ZoneInfo)."""
    return at.astimezone(zone).date() == slot_starts_at.astimezone(zone).date()


def departure_after_arrival(checked_in_at, checked_out_at):
    """A departure is noted after the arrival, never at the same instant or before."""
    return checked_out_at > checked_in_at
