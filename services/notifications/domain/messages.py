"""Which event tells whom what: the notifications of each event.

A recipient is a person as the gateway's accounts name them: `(role, subject_id)`, e.g.
`("family", <family id>)`, `("volunteer", <volunteer id>)` (services/gateway/models.py Account).
Each rule takes the event's payload (as its contract in shared/events/ loads it: times are aware
datetimes; ISO 8601 strings with their offset are read too) and the venue's time zone, and
answers the notices to keep, each with its French text (shown on the person's page) and the
subject of its email.

Adding an event (as was done for hours validated or rejected, an honorability attestation about
to expire, an enrolment confirmed): one function below, one line in RULES, one `@on_event` in
service.py, one row in docs/notifications-rules.md. A person's names are not in the payload
(events carry ids): `child_first_name` is the one their service gave when the email left
(recipients.py); without it the text says « votre enfant ».

Source: the venue's choice of which events concern a person [practice] (docs/notifications-rules.md);
the texts are the venue's wording [practice].
"""

from dataclasses import dataclass
from datetime import date, datetime

from shared.vocabulary import MONTHS_FR, WEEKDAYS_FR

FAMILY = "family"
VOLUNTEER = "volunteer"
TRAINEE = "trainee"


@dataclass(frozen=True)
class Notice:
    role: str
    subject_id: str
    kind: str  # the event's short name, e.g. "booking_confirmed"
    text: str  # French, one or two sentences, shown as is
    subject: str  # the email's subject line


def _moment(value, zone):
    return (value if isinstance(value, datetime) else datetime.fromisoformat(value)).astimezone(zone)


def when(value, zone):
    """« mardi 1 décembre, 9 h 00 » (the venue's time, with no-break spaces as the pages write it)."""
    moment = _moment(value, zone)
    return (
        f"{WEEKDAYS_FR[moment.weekday()]} {moment.day} {MONTHS_FR[moment.month - 1]}, "
        f"{moment.hour}\u00a0h\u00a0{moment.minute:02d}"
    )


def hour(value, zone):
    """« 12 h 30 »."""
    moment = _moment(value, zone)
    return f"{moment.hour}\u00a0h\u00a0{moment.minute:02d}"


def _slot(p, zone):
    return f"{when(p['starts_at'], zone)} – {hour(p['ends_at'], zone)}"


def _child(p):
    return p.get("child_first_name") or "votre enfant"


def _room(p):
    return f" (salle {p['room_name']})" if p.get("room_name") else ""


def _family(p, kind, text, subject):
    return [Notice(FAMILY, p["family_id"], kind, text, subject)]


def booking_confirmed(p, zone):
    text = f"Réservation confirmée pour {_child(p)} : {_slot(p, zone)}{_room(p)}."
    return _family(p, "booking_confirmed", text, "Réservation confirmée")


def booking_waitlisted(p, zone):
    text = (
        f"Le créneau du {_slot(p, zone)} est complet : {_child(p)} est sur la liste d'attente. "
        "Vous serez prévenus si une place se libère."
    )
    return _family(p, "booking_waitlisted", text, "Sur la liste d'attente")


def booking_promoted(p, zone):
    text = f"Une place s'est libérée : la réservation de {_child(p)} du {_slot(p, zone)}{_room(p)} est confirmée."
    if p.get("declinable_without_charge"):
        text += " Si vous n'en avez plus besoin, annulez-la avant le début du créneau : elle ne sera pas facturée."
    return _family(p, "booking_promoted", text, "Une place s'est libérée")


def booking_cancelled(p, zone):
    if p.get("was_status") == "waitlisted":
        billed = "Elle était sur la liste d'attente : rien n'est facturé."
    elif p.get("cancelled_in_time"):
        billed = "Annulée dans le délai de prévenance : elle ne sera pas facturée."
    else:
        billed = "Annulée après le délai de prévenance : elle sera facturée comme réservée."
    text = f"La réservation de {_child(p)} du {_slot(p, zone)} est annulée. {billed}"
    return _family(p, "booking_cancelled", text, "Réservation annulée")


def _activity(p):
    return f"L'activité « {p['title']} »" if p.get("title") else "Une activité à laquelle vous participez"


def activity_rescheduled(p, zone):
    text = (
        f"{_activity(p)} est déplacée : désormais le {when(p['starts_at'], zone)} – {hour(p['ends_at'], zone)}"
        f"{_room(p)}, au lieu du {when(p['previous_starts_at'], zone)}."
    )
    return [
        Notice(VOLUNTEER, volunteer_id, "activity_rescheduled", text, "Activité déplacée")
        for volunteer_id in dict.fromkeys(p.get("volunteer_ids") or [])
    ]


def activity_cancelled(p, zone):
    date = f" du {when(p['starts_at'], zone)}" if p.get("starts_at") else ""
    reason = f" Motif : {p['reason']}" if p.get("reason") else ""
    if reason and not reason.endswith((".", "!", "?")):
        reason += "."
    text = f"{_activity(p)}{date} est annulée.{reason}"
    return [
        Notice(VOLUNTEER, volunteer_id, "activity_cancelled", text, "Activité annulée")
        for volunteer_id in dict.fromkeys(p.get("volunteer_ids") or [])
    ]


def _hours(value):
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def hours_validated(p, zone):
    text = f"Votre tuteur ou tutrice a validé vos heures du {_slot(p, zone)} ({_hours(p['hours'])}\u00a0h)."
    return [Notice(TRAINEE, p["trainee_id"], "hours_validated", text, "Heures de stage validées")]


def hours_rejected(p, zone):
    reason = (p.get("reason") or "").strip()
    if reason and not reason.endswith((".", "!", "?")):
        reason += "."
    text = (
        f"Vos heures du {_slot(p, zone)} sont refusées. Motif : {reason} "
        "Vous pouvez les corriger et les renvoyer depuis « Mon stage »."
    )
    return [Notice(TRAINEE, p["trainee_id"], "hours_rejected", text, "Heures de stage à corriger")]


def signup_cancelled(p, zone):
    """Only a move onto another of the volunteer's activities: a cancelled activity is told
    once, by bookings.activity_cancelled (activity_cancelled above)."""
    if p.get("reason") != "activity_moved":
        return []
    text = (
        f"L'activité « {p['title']} » du {when(p['starts_at'], zone)} a changé d'horaire et tombe en même temps "
        "qu'une autre de vos activités : votre inscription à celle-ci est annulée."
    )
    return [Notice(VOLUNTEER, p["volunteer_id"], "signup_cancelled", text, "Inscription annulée")]


def signup_confirmed(p, zone):
    """Only when the event tells the activity's time (added later to the event: older ones do not)."""
    if not p.get("starts_at"):
        return []
    end = f" – {hour(p['ends_at'], zone)}" if p.get("ends_at") else ""
    title = p.get("title") or "bénévole"
    text = f"Votre inscription à l'activité « {title} » du {when(p['starts_at'], zone)}{end}{_room(p)} est confirmée."
    return [Notice(VOLUNTEER, p["volunteer_id"], "signup_confirmed", text, "Inscription confirmée")]


def reminder(kind, role, subject_id, title, starts_at, ends_at, location, zone):
    """The reminder of a booking, sign-up or enrolment (domain/reminders.py says when)."""
    end = f" – {hour(ends_at, zone)}" if ends_at else ""
    room = f" (salle {location})" if location else ""
    text = f"Rappel : {title}, {when(starts_at, zone)}{end}{room}."
    return Notice(role, subject_id, f"{kind}_reminder", text, f"Rappel : {title}"[:200])


def honorability_expiring(p, zone):
    expires = p["expires_on"] if not isinstance(p["expires_on"], str) else date.fromisoformat(p["expires_on"])
    text = (
        f"Votre attestation d'honorabilité expire le {expires.day} {MONTHS_FR[expires.month - 1]} {expires.year}. "
        "Demandez-en une nouvelle et apportez-la à l'équipe pour continuer à venir auprès des enfants."
    )
    return [
        Notice(VOLUNTEER, p["volunteer_id"], "honorability_expiring", text, "Attestation d'honorabilité à renouveler")
    ]


WITH_ACCOUNT = (TRAINEE, VOLUNTEER)  # education's participant kinds who have an account (and pages) here


def _participant(p, kind, text, subject):
    """A training participant with an account is told, as their account names them: (role, id) is
    education's (participant_kind, participant_id); a professional or an external person is not."""
    if p.get("participant_kind") not in WITH_ACCOUNT:
        return []
    return [Notice(p["participant_kind"], p["participant_id"], kind, text, subject)]


def _training(p, zone):
    return f"la formation « {p['title']} » du {when(p['starts_at'], zone)}"


def enrolment_confirmed(p, zone):
    if p.get("promoted"):
        text = f"Une place s'est libérée : votre inscription à {_training(p, zone)} est confirmée."
        return _participant(p, "enrolment_confirmed", text, "Une place s'est libérée en formation")
    text = f"Votre inscription à {_training(p, zone)} est confirmée."
    return _participant(p, "enrolment_confirmed", text, "Inscription à une formation confirmée")


def enrolment_waitlisted(p, zone):
    position = p["position"]
    rank = "vous aurez la prochaine place libérée" if position == 1 else f"vous êtes en position {position}"
    text = (
        f"La formation « {p['title']} » du {when(p['starts_at'], zone)} est complète : vous êtes sur la liste "
        f"d'attente et {rank}. Vous serez prévenu ou prévenue si une place se libère."
    )
    return _participant(p, "enrolment_waitlisted", text, "Sur la liste d'attente d'une formation")


def enrolment_cancelled(p, zone):
    reason = (p.get("reason") or "").strip()
    if reason and not reason.endswith((".", "!", "?")):
        reason += "."
    text = f"Votre inscription à {_training(p, zone)} est annulée." + (f" Motif : {reason}" if reason else "")
    return _participant(p, "enrolment_cancelled", text, "Inscription à une formation annulée")


# event name -> its rule: (payload, zone) -> [Notice]
RULES = {
    "bookings.booking_confirmed": booking_confirmed,
    "bookings.booking_waitlisted": booking_waitlisted,
    "bookings.booking_promoted": booking_promoted,
    "bookings.booking_cancelled": booking_cancelled,
    "bookings.activity_rescheduled": activity_rescheduled,
    "bookings.activity_cancelled": activity_cancelled,
    "placements.hours_validated": hours_validated,
    "placements.hours_rejected": hours_rejected,
    "volunteers.signup_confirmed": signup_confirmed,
    "volunteers.signup_cancelled": signup_cancelled,
    "volunteers.honorability_expiring": honorability_expiring,
    "education.enrolment_confirmed": enrolment_confirmed,
    "education.enrolment_waitlisted": enrolment_waitlisted,
    "education.enrolment_cancelled": enrolment_cancelled,
}


def notices(event_name, payload, zone):
    """The notices `event_name` gives (none for an event no rule is about)."""
    rule = RULES.get(event_name)
    return rule(payload, zone) if rule else []


def email_body(notice):
    """The plain-text email of a notice: the text, then where to read all of them."""
    return (
        f"Bonjour,\n\n{notice.text}\n\n"
        "Retrouvez toutes vos notifications sur votre espace Cocoon'Age, page « Notifications ».\n\n"
        "— Cocoon'Age (message automatique, merci de ne pas y répondre)\n"
    )
