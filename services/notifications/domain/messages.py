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
from decimal import Decimal

from shared.vocabulary import MONTHS_FR, WEEKDAYS_FR
from shared.wording import _

FAMILY = "family"
VOLUNTEER = "volunteer"
TRAINEE = "trainee"
STAFF = "staff"
PRESCRIBER = "prescriber"  # an immersion's prescriber adviser: subject_id is the immersion's id


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
    return _("%(when)s – %(until)s", when=when(p["starts_at"], zone), until=hour(p["ends_at"], zone))


def _child(p):
    return p.get("child_first_name") or _("votre enfant")


def _room(p):
    return _room_named(p.get("room_name"))


def _room_named(name):
    return _(" (salle %(room)s)", room=name) if name else ""


def _family(p, kind, text, subject):
    return [Notice(FAMILY, p["family_id"], kind, text, subject)]


def booking_confirmed(p, zone):
    text = _(
        "Réservation confirmée pour %(child)s : %(slot)s%(room)s.", child=_child(p), slot=_slot(p, zone), room=_room(p)
    )
    return _family(p, "booking_confirmed", text, _("Réservation confirmée"))


def booking_waitlisted(p, zone):
    text = _(
        "Le créneau du %(slot)s est complet : %(child)s est sur la liste d'attente. "
        "Vous serez prévenus si une place se libère.",
        slot=_slot(p, zone),
        child=_child(p),
    )
    return _family(p, "booking_waitlisted", text, _("Sur la liste d'attente"))


def booking_promoted(p, zone):
    text = _(
        "Une place s'est libérée : la réservation de %(child)s du %(slot)s%(room)s est confirmée.",
        child=_child(p),
        slot=_slot(p, zone),
        room=_room(p),
    )
    if p.get("declinable_without_charge"):
        text += " " + _(
            "Si vous n'en avez plus besoin, annulez-la avant le début du créneau : elle ne sera pas facturée."
        )
    return _family(p, "booking_promoted", text, _("Une place s'est libérée"))


def booking_cancelled(p, zone):
    if p.get("was_status") == "waitlisted":
        billed = _("Elle était sur la liste d'attente : rien n'est facturé.")
    elif p.get("cancelled_in_time"):
        billed = _("Annulée dans le délai de prévenance : elle ne sera pas facturée.")
    else:
        billed = _("Annulée après le délai de prévenance : elle sera facturée comme réservée.")
    text = _("La réservation de %(child)s du %(slot)s est annulée.", child=_child(p), slot=_slot(p, zone))
    return _family(p, "booking_cancelled", f"{text} {billed}", _("Réservation annulée"))


def _activity(p):
    return (
        _("L'activité « %(title)s »", title=p["title"])
        if p.get("title")
        else _("Une activité à laquelle vous participez")
    )


def activity_rescheduled(p, zone):
    text = _(
        "%(activity)s est déplacée : désormais le %(slot)s%(room)s, au lieu du %(before)s.",
        activity=_activity(p),
        slot=_slot(p, zone),
        room=_room(p),
        before=when(p["previous_starts_at"], zone),
    )
    return [
        Notice(VOLUNTEER, volunteer_id, "activity_rescheduled", text, _("Activité déplacée"))
        for volunteer_id in dict.fromkeys(p.get("volunteer_ids") or [])
    ]


def activity_cancelled(p, zone):
    if p.get("starts_at"):
        text = _("%(activity)s du %(when)s est annulée.", activity=_activity(p), when=when(p["starts_at"], zone))
    else:
        text = _("%(activity)s est annulée.", activity=_activity(p))
    if p.get("reason"):
        text += " " + _motive(p["reason"])
    return [
        Notice(VOLUNTEER, volunteer_id, "activity_cancelled", text, _("Activité annulée"))
        for volunteer_id in dict.fromkeys(p.get("volunteer_ids") or [])
    ]


def _sentence(text):
    """`text` ending as a sentence does (a reason typed without its full stop)."""
    return text if text.endswith((".", "!", "?")) else text + "."


def _motive(reason):
    return _("Motif : %(reason)s", reason=_sentence(reason))


def _hours(value):
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def hours_validated(p, zone):
    text = _(
        "Votre tuteur ou tutrice a validé vos heures du %(slot)s (%(hours)s\u00a0h).",
        slot=_slot(p, zone),
        hours=_hours(p["hours"]),
    )
    return [Notice(TRAINEE, p["trainee_id"], "hours_validated", text, _("Heures de stage validées"))]


def hours_rejected(p, zone):
    reason = (p.get("reason") or "").strip()
    text = _(
        "Vos heures du %(slot)s sont refusées. Motif : %(reason)s "
        "Vous pouvez les corriger et les renvoyer depuis « Mon stage ».",
        slot=_slot(p, zone),
        reason=_sentence(reason) if reason else "",
    )
    return [Notice(TRAINEE, p["trainee_id"], "hours_rejected", text, _("Heures de stage à corriger"))]


def signup_cancelled(p, zone):
    """Only a move onto another of the volunteer's activities: a cancelled activity is told
    once, by bookings.activity_cancelled (activity_cancelled above)."""
    if p.get("reason") != "activity_moved":
        return []
    text = _(
        "L'activité « %(title)s » du %(when)s a changé d'horaire et tombe en même temps "
        "qu'une autre de vos activités : votre inscription à celle-ci est annulée.",
        title=p["title"],
        when=when(p["starts_at"], zone),
    )
    return [Notice(VOLUNTEER, p["volunteer_id"], "signup_cancelled", text, _("Inscription annulée"))]


def signup_confirmed(p, zone):
    """Only when the event tells the activity's time (added later to the event: older ones do not)."""
    if not p.get("starts_at"):
        return []
    text = _(
        "Votre inscription à l'activité « %(title)s » du %(when)s%(until)s%(room)s est confirmée.",
        title=p.get("title") or _("bénévole"),
        when=when(p["starts_at"], zone),
        until=_until(p.get("ends_at"), zone),
        room=_room(p),
    )
    return [Notice(VOLUNTEER, p["volunteer_id"], "signup_confirmed", text, _("Inscription confirmée"))]


def _until(ends_at, zone):
    return _(" – %(hour)s", hour=hour(ends_at, zone)) if ends_at else ""


def reminder(kind, role, subject_id, title, starts_at, ends_at, location, zone):
    """The reminder of a booking, sign-up or enrolment (domain/reminders.py says when)."""
    text = _(
        "Rappel : %(title)s, %(when)s%(until)s%(room)s.",
        title=title,
        when=when(starts_at, zone),
        until=_until(ends_at, zone),
        room=_room_named(location),
    )
    return Notice(role, subject_id, f"{kind}_reminder", text, _("Rappel : %(title)s", title=title)[:200])


def honorability_expiring(p, zone):
    expires = p["expires_on"] if not isinstance(p["expires_on"], str) else date.fromisoformat(p["expires_on"])
    text = _(
        "Votre attestation d'honorabilité expire le %(day)s. "
        "Demandez-en une nouvelle et apportez-la à l'équipe pour continuer à venir auprès des enfants.",
        day=day_text(expires),
    )
    return [
        Notice(
            VOLUNTEER, p["volunteer_id"], "honorability_expiring", text, _("Attestation d'honorabilité à renouveler")
        )
    ]


def day_text(day):
    """« 1 décembre 2026 »."""
    return f"{day.day} {MONTHS_FR[day.month - 1]} {day.year}"


def honorability_renewal(role, subject_id, expires_on):
    """The reminder to renew an attestation d'honorabilité (domain/reminders.py says when: 60 and
    15 days before its last valid day), to the staff member, trainee or volunteer who holds it."""
    text = _(
        "Votre attestation d'honorabilité est valable jusqu'au %(day)s. Demandez-en une nouvelle sur "
        "honorabilite.social.gouv.fr et apportez-la à l'équipe avant cette date pour continuer à être "
        "auprès des enfants.",
        day=day_text(expires_on),
    )
    subject = _("Attestation d'honorabilité à renouveler avant le %(day)s", day=day_text(expires_on))
    return Notice(role, subject_id, "honorability_renewal", text, subject)


def euros(value):
    """« 1 234,50 € » from "1234.5" (French writing)."""
    whole, cents = f"{Decimal(str(value)).quantize(Decimal('0.01')):.2f}".split(".")
    return f"{int(whole):,}".replace(",", "\u202f") + f",{cents}\u00a0€"


def month_text(month):
    """« mars 2027 » from "2027-03"."""
    year, number = month.split("-")
    return f"{MONTHS_FR[int(number) - 1]} {int(year)}"


# The family's page of an invoice's PDF (the gateway's services/gateway/web/billing.py
# `invoice_pdf_of_family`, under /famille), on the venue's public address.
INVOICE_PDF_PATH = "/famille/factures/{invoice_id}.pdf"


def invoice_issued(p, zone):
    """The invoice of a closed month, to its family: always emailed (domain/choices.py, invoices)."""
    due = p["due_on"] if not isinstance(p["due_on"], str) else date.fromisoformat(p["due_on"])
    text = _(
        "Votre facture %(number)s de %(month)s est disponible : %(total)s, à régler au plus tard le %(due)s.",
        number=p["number"],
        month=month_text(p["month"]),
        total=euros(p["total"]),
        due=day_text(due),
    )
    subject = _("Facture %(number)s de %(month)s", number=p["number"], month=month_text(p["month"]))
    return _family(p, "invoice_issued", text, subject)


def invoice_body(notice, public_url, invoice_id):
    """The invoice email: its notice, and the link to its PDF (opened once signed in)."""
    link = public_url.rstrip("/") + INVOICE_PDF_PATH.format(invoice_id=invoice_id)
    return _(
        "Bonjour,\n\n%(text)s\n\n"
        "Téléchargez-la (en PDF, une fois connecté à votre espace Cocoon'Age) :\n%(link)s\n\n"
        "Retrouvez toutes vos factures sur votre espace Cocoon'Age, page « Factures ».\n\n"
        "%(signature)s",
        text=notice.text,
        link=link,
        signature=signature(),
    )


WITH_ACCOUNT = (TRAINEE, VOLUNTEER)  # education's participant kinds who have an account (and pages) here


def _participant(p, kind, text, subject):
    """A training participant with an account is told, as their account names them: (role, id) is
    education's (participant_kind, participant_id); a professional or an external person is not."""
    if p.get("participant_kind") not in WITH_ACCOUNT:
        return []
    return [Notice(p["participant_kind"], p["participant_id"], kind, text, subject)]


def _training(p, zone):
    return _("la formation « %(title)s » du %(when)s", title=p["title"], when=when(p["starts_at"], zone))


def enrolment_confirmed(p, zone):
    if p.get("promoted"):
        text = _(
            "Une place s'est libérée : votre inscription à %(training)s est confirmée.", training=_training(p, zone)
        )
        return _participant(p, "enrolment_confirmed", text, _("Une place s'est libérée en formation"))
    text = _("Votre inscription à %(training)s est confirmée.", training=_training(p, zone))
    return _participant(p, "enrolment_confirmed", text, _("Inscription à une formation confirmée"))


def enrolment_waitlisted(p, zone):
    position = p["position"]
    if position == 1:
        rank = _("vous aurez la prochaine place libérée")
    else:
        rank = _("vous êtes en position %(position)s", position=position)
    text = _(
        "La formation « %(title)s » du %(when)s est complète : vous êtes sur la liste "
        "d'attente et %(rank)s. Vous serez prévenu ou prévenue si une place se libère.",
        title=p["title"],
        when=when(p["starts_at"], zone),
        rank=rank,
    )
    return _participant(p, "enrolment_waitlisted", text, _("Sur la liste d'attente d'une formation"))


def enrolment_cancelled(p, zone):
    reason = (p.get("reason") or "").strip()
    text = _("Votre inscription à %(training)s est annulée.", training=_training(p, zone))
    if reason:
        text += " " + _motive(reason)
    return _participant(p, "enrolment_cancelled", text, _("Inscription à une formation annulée"))


def immersion_assessed(p, zone):
    """The assessment of a PMSMP immersion, for the prescriber's adviser (at its end the
    assessment goes to the prescriber: service-public F14102; docs/placements-rules.md). The payload has
    the ids and the days present; the names and the tutor's texts are placements' (its contact
    for the prescriber), added when the email leaves; without them the text says the dates."""
    dates = _("du %(first)s au %(last)s", first=day_text(_day(p["starts_on"])), last=day_text(_day(p["ends_on"])))
    who = (p.get("beneficiary_name") or "").strip()
    text = _(
        "Bilan de l'immersion (PMSMP) %(who)s%(dates)s : %(days)s jour(s) de présence.",
        who=_("de %(name)s ", name=who) if who else "",
        dates=dates,
        days=p["days_present"],
    )
    details = [
        (_("Compétences observées"), p.get("skills_observed")),
        (_("Suites proposées"), p.get("next_steps")),
        (_("Commentaire du tuteur ou de la tutrice"), p.get("comment")),
    ]
    for title, value in details:
        if (value or "").strip():
            text += "\n\n" + title + " : " + value.strip()
    subject = _("Bilan d'immersion professionnelle (PMSMP)")
    return [Notice(PRESCRIBER, p["immersion_id"], "immersion_assessed", text, subject)]


def _day(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value))


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
    "bookings.invoice_issued": invoice_issued,
    "placements.immersion_assessed": immersion_assessed,
}


def notices(event_name, payload, zone):
    """The notices `event_name` gives (none for an event no rule is about)."""
    rule = RULES.get(event_name)
    return rule(payload, zone) if rule else []


def body_of(source, notice, facts, public_url):
    """The email of an event's notice: the invoice's, with the link to its PDF on the venue's
    `public_url`; any other's, its text and where to read the others."""
    if source == "bookings.invoice_issued":
        return invoice_body(notice, public_url, facts["invoice_id"])
    return email_body(notice)


def email_body(notice):
    """The plain-text email of a notice: the text, then where to read all of them."""
    return _(
        "Bonjour,\n\n%(text)s\n\n"
        "Retrouvez toutes vos notifications sur votre espace Cocoon'Age, page « Notifications ».\n\n"
        "%(signature)s",
        text=notice.text,
        signature=signature(),
    )


def signature():
    return _("— Cocoon'Age (message automatique, merci de ne pas y répondre)") + "\n"
