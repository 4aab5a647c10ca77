"""A person's calendar as an iCalendar file (RFC 5545), built with the `icalendar` library from
plain entries: the bookings service's calendar feed (CalendarEntryOut), and later the training
sessions of the education service ([10/12]: `session_entries`).

Calendar apps subscribe to the file by its URL and read it again every few hours: each event
keeps the same UID for ever, so a change (a new time, a cancellation) updates the event they
have instead of adding one. Times are written in UTC (a "Z" time needs no VTIMEZONE, which every
app reads the same way); X-WR-TIMEZONE tells the apps to show them at the venue's time.
"""

from datetime import datetime, timezone

from flask_babel import gettext as _
from icalendar import Calendar, Event

PRODID = "-//Cocoon'Age//Agenda personnel//FR"
UID_DOMAIN = "cocoonage"
VENUE_TIMEZONE = "Europe/Paris"

# The entry's status -> the event's STATUS (RFC 5545 3.8.1.11).
STATUSES = {
    "confirmed": "CONFIRMED",
    "waitlisted": "TENTATIVE",
    "cancelled": "CANCELLED",
    "scheduled": "CONFIRMED",
    "completed": "CONFIRMED",
}
AGE_GROUPS = {"walking": _("enfants qui marchent"), "non_walking": _("bébés"), "mixed": _("tous âges")}


def summary(entry):
    """The event's title, in French."""
    kind, status = entry.get("kind"), entry.get("status")
    if kind == "booking":
        name = entry.get("child_first_name") or ""
        if status == "waitlisted":
            return _("Liste d'attente : accueil de %(name)s", name=name)
        if status == "cancelled":
            return _("Annulé : accueil de %(name)s", name=name)
        return _("Accueil de %(name)s à la crèche", name=name)
    if kind == "slot":
        group = AGE_GROUPS.get(entry.get("age_group"), entry.get("age_group") or "")
        return _(
            "Créneau d'accueil (%(group)s) : %(booked)s réservés sur %(places)s places",
            group=group,
            booked=entry.get("booked") or 0,
            places=entry.get("places") or 0,
        )
    title = entry.get("title") or _("Activité")
    if status == "cancelled":
        return _("Annulée : %(title)s", title=title)
    return title


def build(entries, calendar_name, stamp=None):
    """The iCalendar file (bytes) of `entries` (dicts with uid, kind, status, starts_at, ends_at as
    ISO 8601 with offset, room_name, …), named `calendar_name` in the apps."""
    stamp = stamp or datetime.now(timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", VENUE_TIMEZONE)
    for entry in entries:
        calendar.add_component(_event(entry, stamp))
    return calendar.to_ical()


def _event(entry, stamp):
    event = Event()
    event.add("uid", f"{entry['uid']}@{UID_DOMAIN}")
    event.add("dtstamp", stamp.astimezone(timezone.utc))
    event.add("dtstart", _utc(entry["starts_at"]))
    event.add("dtend", _utc(entry["ends_at"]))
    event.add("summary", summary(entry))
    if entry.get("room_name"):
        event.add("location", entry["room_name"])
    event.add("status", STATUSES.get(entry.get("status"), "CONFIRMED"))
    if entry.get("status") == "waitlisted":
        event.add("description", _("Sur liste d'attente : vous serez prévenu·e si une place se libère."))
    event.add("transp", "TRANSPARENT" if entry.get("status") == "cancelled" else "OPAQUE")
    return event


def _utc(iso):
    return datetime.fromisoformat(iso).astimezone(timezone.utc)


def session_entries(rpc, account):
    """The training sessions of this person ([10/12], education service): none yet, the service
    plans no session so far. Return entries shaped like the bookings feed's (uid "session-<id>")."""
    return []
