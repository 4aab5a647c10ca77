"""Who an email goes to and the names it says, asked of the person's own service when it leaves.

Events name people by id only (docs/architecture.md, "Personal data travels by id"): a family
and its child (bookings), a volunteer (volunteers), a trainee (placements), a staff member
(team). An event's
notification is recorded with a pending delivery holding no address: the event's name and its
payload (`facts`, JSON, ids only) and its calendar file's facts. When the sweep sends it, it
asks the owner `contact(role, id)` (read-only RPC), then writes the address, the email's text
with the names the owner gave (the child's first name), the calendar file (the person's address
is its attendee) and the notification's text on the person's page. The owner not answering
keeps the delivery pending, tried again with the emails' back-off (domain/delivery.py); an
owner that knows nobody by that id drops the email (the notification stays).

Pure functions: the service makes the call (`owner` says to whom) and the transactions.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal

from nameko.exceptions import RemoteError, UnknownService

from services.notifications.domain import calendar_changes, invitation, messages
from shared.errors import Unavailable

# role -> the service that owns that person's address and names (its `contact` RPC)
OWNERS = {
    messages.FAMILY: "bookings",
    messages.VOLUNTEER: "volunteers",
    messages.TRAINEE: "placements",
    messages.STAFF: "team",
    messages.PRESCRIBER: "placements",  # contact("prescriber", immersion_id): the adviser
}

# what a call to an owner that does not answer raises: not there (no queue), too slow, or failed
LOOKUP_ERRORS = (Unavailable, UnknownService, RemoteError)


@dataclass(frozen=True)
class Composed:
    to: str
    body: str
    text: str | None = None  # the notification's text with the names (None: keep the one recorded)
    calendar: str | None = None
    calendar_method: str | None = None


def owner(role):
    """The service to ask about a person of `role` (None: nobody here can say, no email)."""
    return OWNERS.get(role)


def facts(payload):
    """The event's payload as JSON (times and dates ISO 8601, decimals as strings): what composes
    its emails when they leave."""
    return _json(payload)


def _json(value):
    if isinstance(value, Mapping):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def invitation_facts(found):
    """A domain.invitation.Invitation as JSON, or None."""
    if found is None:
        return None
    data = asdict(found)
    data["starts_at"] = found.starts_at.isoformat()
    data["ends_at"] = found.ends_at.isoformat() if found.ends_at else None
    return data


def named(event_facts, role, contact):
    """The event's facts with the names its texts use, from the owner's answer."""
    result = dict(event_facts)
    if role == messages.FAMILY and result.get("child_id"):
        first_name = (contact.get("children") or {}).get(result["child_id"])
        if first_name:
            result["child_first_name"] = first_name
    if role == messages.PRESCRIBER:  # the immersion's assessment, as placements tells it now
        for name in PRESCRIBER_FACTS:
            if contact.get(name):
                result[name] = contact[name]
    return result


PRESCRIBER_FACTS = ("beneficiary_name", "skills_observed", "next_steps", "comment")


def compose(delivery, notification, contact, zone, sender, public_url=""):
    """The email of `delivery` for the person the owner described (`contact`, with an email).

    An event's email is written again from its facts with the names (the same rule as its
    notification: domain/messages.py; an invoice's links to its PDF on `public_url`), else the
    body recorded is kept."""
    to = contact["email"]
    body, text = delivery.body, None
    summary = None
    if delivery.source and delivery.facts is not None:
        event_facts = named(delivery.facts, notification.role, contact)
        notice = _notice_of(delivery.source, event_facts, notification, zone)
        if notice is not None:
            body, text = messages.body_of(delivery.source, notice, event_facts, public_url), notice.text
        summary = _summary_of(delivery.source, event_facts, notification)
    calendar = None
    if delivery.invitation:
        found = _invitation(delivery.invitation, summary)
        calendar = invitation.build(found, sender, to).decode()
    method = delivery.invitation["method"] if delivery.invitation else None
    return Composed(to, body, text, calendar, method)


def _notice_of(source, event_facts, notification, zone):
    for notice in messages.notices(source, event_facts, zone):
        if (notice.role, notice.subject_id, notice.kind) == (
            notification.role,
            notification.subject_id,
            notification.kind,
        ):
            return notice
    return None


def _summary_of(source, event_facts, notification):
    for change in calendar_changes.changes(source, event_facts):
        if (change.role, change.subject_id) == (notification.role, notification.subject_id) and change.title:
            return change.title
    return None


def _invitation(data, summary=None):
    return invitation.Invitation(
        kind=data["kind"],
        thing_id=data["thing_id"],
        sequence=data["sequence"],
        method=data["method"],
        summary=summary or data["summary"],
        starts_at=datetime.fromisoformat(data["starts_at"]),
        ends_at=datetime.fromisoformat(data["ends_at"]) if data.get("ends_at") else None,
        location=data.get("location"),
    )
