"""What an event does to the things a person has in their calendar (a booking, a volunteer's
sign-up, a training enrolment): confirmed, moved or cancelled. Each change keeps the thing's
Reminder row up to date (domain/reminders.py: when its reminder is due) and gives the calendar
file attached to that person's email (domain/invitation.py: same UID, SEQUENCE one more).

A thing is named `(kind, thing_id)`; a volunteer's sign-up also carries its activity, because a
moved or cancelled activity (bookings' events) names the activity and its volunteers, not the
sign-ups.
"""

from dataclasses import dataclass
from datetime import datetime

from services.notifications.domain.messages import FAMILY, VOLUNTEER, WITH_ACCOUNT
from services.notifications.domain.reminders import BOOKING, ENROLMENT, SIGNUP
from shared.wording import _

CONFIRM, MOVE, CANCEL = "confirm", "move", "cancel"


@dataclass(frozen=True)
class Change:
    action: str  # CONFIRM, MOVE, CANCEL
    kind: str  # BOOKING, SIGNUP, ENROLMENT
    thing_id: str | None  # None: every sign-up of `activity_id` for `subject_id`
    role: str
    subject_id: str
    title: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = None
    activity_id: str | None = None


def _time(value):
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _booking_title(p):
    return _("Accueil de %(child)s à la crèche", child=p.get("child_first_name") or _("votre enfant"))


def _booking(action):
    def rule(p):
        return [
            Change(
                action,
                BOOKING,
                p["booking_id"],
                FAMILY,
                p["family_id"],
                _booking_title(p),
                _time(p["starts_at"]),
                _time(p["ends_at"]),
                p.get("room_name"),
            )
        ]

    return rule


def _booking_cancelled(p):
    if p.get("was_status") == "waitlisted":
        return []  # never in their calendar: a waitlisted booking sent no invitation
    return _booking(CANCEL)(p)


def _signup_confirmed(p):
    if not p.get("starts_at"):
        return []  # an event from before the sign-up told its time: no calendar, no reminder
    return [
        Change(
            CONFIRM,
            SIGNUP,
            p["signup_id"],
            VOLUNTEER,
            p["volunteer_id"],
            p.get("title") or _("Activité bénévole"),
            _time(p["starts_at"]),
            _time(p.get("ends_at")),
            p.get("room_name"),
            p["activity_id"],
        )
    ]


def _signup_gone(p):
    return [Change(CANCEL, SIGNUP, p["signup_id"], VOLUNTEER, p["volunteer_id"], activity_id=p["activity_id"])]


def _activity_rescheduled(p):
    return [
        Change(
            MOVE,
            SIGNUP,
            None,
            VOLUNTEER,
            volunteer_id,
            p.get("title"),
            _time(p["starts_at"]),
            _time(p["ends_at"]),
            p.get("room_name"),
            p["activity_id"],
        )
        for volunteer_id in dict.fromkeys(p.get("volunteer_ids") or [])
    ]


def _activity_cancelled(p):
    return [
        Change(CANCEL, SIGNUP, None, VOLUNTEER, volunteer_id, activity_id=p["activity_id"])
        for volunteer_id in dict.fromkeys(p.get("volunteer_ids") or [])
    ]


def _enrolment(action):
    def rule(p):
        if p.get("participant_kind") not in WITH_ACCOUNT:
            return []  # nobody here to remind or invite
        return [
            Change(
                action,
                ENROLMENT,
                p["enrolment_id"],
                p["participant_kind"],
                p["participant_id"],
                _("Formation : %(title)s", title=p["title"]),
                _time(p["starts_at"]),
            )
        ]

    return rule


RULES = {
    "bookings.booking_confirmed": _booking(CONFIRM),
    "bookings.booking_promoted": _booking(CONFIRM),
    "bookings.booking_cancelled": _booking_cancelled,
    "bookings.activity_rescheduled": _activity_rescheduled,
    "bookings.activity_cancelled": _activity_cancelled,
    "volunteers.signup_confirmed": _signup_confirmed,
    "volunteers.signup_withdrawn": _signup_gone,
    "volunteers.signup_cancelled": _signup_gone,
    "education.enrolment_confirmed": _enrolment(CONFIRM),
    "education.enrolment_cancelled": _enrolment(CANCEL),
    "education.enrolment_retracted": _enrolment(CANCEL),
}


def changes(event_name, payload):
    rule = RULES.get(event_name)
    return rule(payload) if rule else []
