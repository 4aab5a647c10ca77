"""When a reminder email is due, and whether it is still owed.

Each booking (a confirmed slot), volunteer sign-up and training enrolment confirmed gets one
reminder row, COCOON_REMINDER_HOURS (48 by default) before it starts. [practice]

- Due at `starts_at − hours`: the sweep that runs at or after that moment sends it (at 47 h 59
  before, it is due).
- Something confirmed less than `hours` before it starts gets no reminder at all: its
  confirmation, sent at once with the time and the calendar file, already is the reminder, and a
  second email minutes later would only repeat it. Confirmed exactly `hours` before: owed (due at once).
- A reminder is sent only while the thing is still on (not cancelled) and has not started: a
  sweep that comes after the start (the service was stopped) drops it instead of reminding late.
- A move sets a new due time from the new start (the same rule as at confirmation: a move into
  the next `hours` leaves no reminder owed), even if one was already sent for the old time.
"""

from datetime import timedelta

SCHEDULED = "scheduled"  # owed, at `due_at`
SENT = "sent"
CANCELLED = "cancelled"  # the thing was cancelled
NOT_OWED = "not_owed"  # confirmed or moved into the last `hours` before it starts, or started before a sweep

BOOKING, SIGNUP, ENROLMENT = "booking", "signup", "enrolment"


def due_at(starts_at, hours):
    return starts_at - timedelta(hours=hours)


def on_schedule(starts_at, now, hours):
    """(status, due time) when the thing is confirmed or moved at `now`."""
    due = due_at(starts_at, hours)
    if due < now:
        return NOT_OWED, None
    return SCHEDULED, due


def is_due(status, due, now):
    return status == SCHEDULED and due is not None and due <= now


def still_owed(status, starts_at, now):
    """A due reminder is sent only while its thing is on and has not started yet."""
    return status == SCHEDULED and now < starts_at
