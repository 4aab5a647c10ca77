"""The calendar file (RFC 5545, built with the `icalendar` library) attached to a confirmation,
a move or a cancellation email, so that the person's calendar app adds, moves or removes it.

One UID per thing (a booking, a sign-up, an enrolment) for ever: `<kind>-<id>@cocoonage`; its
SEQUENCE is 0 when confirmed and one more at each move or cancellation (the Reminder row keeps
it), so the app applies the newest. METHOD:REQUEST for a confirmation or a move, METHOD:CANCEL
(STATUS:CANCELLED) for a cancellation (RFC 5546 iTIP). Times are written in UTC.
"""

from dataclasses import dataclass
from datetime import datetime, timezone

from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Cocoon'Age//Invitations//FR"
UID_DOMAIN = "cocoonage"
REQUEST, CANCEL = "REQUEST", "CANCEL"
FILENAME = "invitation.ics"


@dataclass(frozen=True)
class Invitation:
    kind: str  # domain.reminders: booking, signup, enrolment
    thing_id: str
    sequence: int
    method: str  # REQUEST or CANCEL
    summary: str
    starts_at: datetime  # aware
    ends_at: datetime | None = None
    location: str | None = None


def uid(kind, thing_id):
    return f"{kind}-{thing_id}@{UID_DOMAIN}"


def build(invitation, organizer, attendee, stamp=None):
    """The file's bytes; `organizer` the sender's address, `attendee` the person's."""
    stamp = stamp or datetime.now(timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", invitation.method)
    event = Event()
    event.add("uid", uid(invitation.kind, invitation.thing_id))
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", stamp.astimezone(timezone.utc))
    event.add("dtstart", invitation.starts_at.astimezone(timezone.utc))
    if invitation.ends_at is not None:
        event.add("dtend", invitation.ends_at.astimezone(timezone.utc))
    event.add("summary", invitation.summary)
    if invitation.location:
        event.add("location", invitation.location)
    event.add("organizer", vCalAddress(f"mailto:{organizer}"))
    event.add("attendee", vCalAddress(f"mailto:{attendee}"))
    event.add("status", "CANCELLED" if invitation.method == CANCEL else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
