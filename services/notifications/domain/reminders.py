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

from datetime import datetime, time, timedelta

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


# --- the attestation d'honorabilité to renew -------------------------------------------------------
# Staff, trainees and volunteers are reminded twice before their attestation's last valid day
# (shared/honorability.py: valid 3 years from its verification), so a new one can be asked for on
# the national platform and verified in time [practice]:
# - 60 days before (the renewal list's horizon, shared.honorability.RENEWAL_NOTICE_DAYS), at 9:00
#   at the venue; owed until the 15-day one is due (recorded or swept later: only the 15-day one);
# - 15 days before, at 9:00; owed until the attestation has expired.
# A reminder whose due time passed while it was still owed goes at the next sweep (late rather than
# never). A newer attestation recorded (a later last day) schedules both again from its own dates,
# even after they were sent for the old one; an older or the same one changes nothing.
RENEWAL_60, RENEWAL_15 = "renewal_60", "renewal_15"
RENEWAL_DAYS = {RENEWAL_60: 60, RENEWAL_15: 15}
RENEWAL_HOUR = time(9)


def renewal_due(expires_on, kind, zone):
    """When the reminder `kind` of an attestation whose last valid day is `expires_on` is due."""
    return datetime.combine(expires_on - timedelta(days=RENEWAL_DAYS[kind]), RENEWAL_HOUR, zone)


def renewal_owed_until(expires_on, kind, zone):
    """The moment the reminder is no longer owed: the 15-day one's due time for the 60-day one,
    the end of the last valid day for the 15-day one."""
    if kind == RENEWAL_60:
        return renewal_due(expires_on, RENEWAL_15, zone)
    return datetime.combine(expires_on + timedelta(days=1), time(0), zone)


def renewal_on_schedule(expires_on, kind, now, zone):
    """(status, due time, owed until) of the reminder `kind` when the attestation is recorded at `now`."""
    until = renewal_owed_until(expires_on, kind, zone)
    if until <= now:
        return NOT_OWED, None, until
    return SCHEDULED, renewal_due(expires_on, kind, zone), until
