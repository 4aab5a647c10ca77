"""A person's calendar as an iCalendar file (RFC 5545), built with the `icalendar` library from
plain entries: the bookings service's calendar feed (CalendarEntryOut), and later the training
sessions of the education service (`session_entries`).

Calendar apps subscribe to the file by its URL and read it again every few hours: each event
keeps the same UID for ever, so a change (a new time, a cancellation) updates the event they
have instead of adding one. Times are written in UTC (a "Z" time needs no VTIMEZONE, which every
app reads the same way); X-WR-TIMEZONE tells the apps to show them at the venue's time.
"""

from datetime import datetime, timezone

from flask_babel import gettext as _

from services.gateway import account_roles, people
from services.gateway.labels import age_group_label
from shared.timeutil import venue_zone

PRODID = "-//Cocoon'Age//Agenda personnel//FR"
UID_DOMAIN = "cocoonage"

# The entry's status -> the event's STATUS (RFC 5545 3.8.1.11).
STATUSES = {
    "confirmed": "CONFIRMED",
    "waitlisted": "TENTATIVE",
    "cancelled": "CANCELLED",
    "scheduled": "CONFIRMED",
    "completed": "CONFIRMED",
    "tentative": "TENTATIVE",  # a session whose room is not confirmed yet
}


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
        group = _lower_first(age_group_label(entry["age_group"])) if entry.get("age_group") else ""
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


def _lower_first(label):
    """ "Enfants qui marchent" -> "enfants qui marchent", inside a sentence."""
    return label[:1].lower() + label[1:]


def build(entries, calendar_name, stamp=None):
    """The iCalendar file (bytes) of `entries` (dicts with uid, kind, status, starts_at, ends_at as
    ISO 8601 with offset, room_name, …), named `calendar_name` in the apps."""
    from icalendar import Calendar  # only for the calendar feeds: not in every gateway worker from its start

    stamp = stamp or datetime.now(timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", venue_zone().key)
    for entry in entries:
        calendar.add_component(_event(entry, stamp))
    return calendar.to_ical()


def _event(entry, stamp):
    from icalendar import Event

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


def session_entries(rpc, account, start, end):
    """The training sessions of this person in [start, end): a trainee's or a volunteer's own
    enrolments (education service), one event per part of the session (uid
    "session-<id>-<part>"), for staff every session of the venue. A cancelled session or
    enrolment stays in the file as CANCELLED, so the apps remove it."""
    held = account_roles.roles_of(account)
    if "staff" in held:
        pairs = [(None, s) for s in _pages(rpc.education.list_sessions)]
    elif "trainee" in held or "volunteer" in held:
        participant_id = people.participant(account)[1]
        enrolments = _pages(lambda q: rpc.education.list_participant_enrolments(participant_id, q))
        pairs = [(e, e["session"]) for e in enrolments]
    else:
        return []
    entries = []
    for enrolment, session in pairs:
        status = _session_status(enrolment, session)
        for part in session.get("parts", []):
            if not (start <= datetime.fromisoformat(part["starts_at"]) < end):
                continue
            entries.append(
                {
                    "uid": f"session-{session['id']}-{part['index']}",
                    "kind": "session",
                    "status": status,
                    "title": _("Formation : %(title)s", title=session.get("title") or ""),
                    "starts_at": part["starts_at"],
                    "ends_at": part["ends_at"],
                    "room_name": session.get("room_name"),
                }
            )
    return entries


def _pages(ask, pages=20):
    """Every item of a paged list RPC (`ask(query)`), up to `pages` pages of 100."""
    items, query = [], {"limit": 100}
    for _page in range(pages):
        answer = ask(query)
        items += answer.get("items", [])
        if not answer.get("next_cursor"):
            break
        query = {**query, "cursor": answer["next_cursor"]}
    return items


def _session_status(enrolment, session):
    if session.get("status") == "cancelled" or (enrolment and enrolment.get("status") == "cancelled"):
        return "cancelled"
    if enrolment and enrolment.get("status") == "waitlisted":
        return "waitlisted"
    return "confirmed" if session.get("status") == "confirmed" else "tentative"
