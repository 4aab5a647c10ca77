"""Names shared by several services, the API and the pages: one name per concept, and one French
label per value (the pages, the CSV and PDF files and the emails all say the same)."""


def N_(text):  # noqa: N802 (gettext's name for a marker that does not translate)
    """Marks a French label for the pages' message catalogue (services/gateway/catalogue.py reads
    this file) without translating it: services write it as it is, pages translate it when shown
    (services/gateway/web/labels.py)."""
    return text


ACTIVITY_KINDS = ("story_time", "music", "gardening", "cooking", "motor_skills", "intergenerational_workshop", "other")
ROOM_KINDS = ("childcare", "workshop", "training", "garden", "other")
AGE_GROUPS = ("non_walking", "walking", "mixed")
# The kinds of account (an account may hold several: a parent also in immersion or in training):
# "beneficiary" is a person in a PMSMP immersion (docs/placements-rules.md, "Immersions").
ROLES = ("staff", "family", "trainee", "volunteer", "beneficiary")
# What a staff member may do (an account's `staff_roles`, kept by the team service): a route or a
# page names the staff roles it is for, next to the other ROLES (services/gateway/access.py);
# "staff" alone is any staff member, for the few places every one of them needs.
DIRECTOR, EDUCATOR, TRAINER, COORDINATOR, ACCOUNTING = "director", "educator", "trainer", "coordinator", "accounting"
STAFF_ROLES = (DIRECTOR, EDUCATOR, TRAINER, COORDINATOR, ACCOUNTING)
STAFF_ROLE_LABELS = {
    DIRECTOR: N_("Direction"),
    EDUCATOR: N_("Accueil des enfants"),
    TRAINER: N_("Formation"),
    COORDINATOR: N_("Bénévoles et stages"),
    ACCOUNTING: N_("Comptabilité"),
}
# Where staff read a family's resources: CAF data (CDAP), the tax notice (avis d'imposition), other.
RESOURCES_SOURCES = ("caf", "tax_notice", "other")
RESOURCES_SOURCE_LABELS = {
    "caf": N_("Données CAF (CDAP)"),
    "tax_notice": N_("Avis d'imposition"),
    "other": N_("Autre justificatif"),
}
PHONE_PATTERN = r"^\+?[0-9 .\-]{6,20}$"  # a French or international number, spaces, dots and dashes allowed

# A childcare booking: confirmed (holds a place) or waitlisted (waits for one), until cancelled.
BOOKING_CONFIRMED, BOOKING_WAITLISTED, BOOKING_CANCELLED = "confirmed", "waitlisted", "cancelled"
BOOKING_STATUSES = (BOOKING_CONFIRMED, BOOKING_WAITLISTED, BOOKING_CANCELLED)
ACTIVE_BOOKING_STATUSES = (BOOKING_CONFIRMED, BOOKING_WAITLISTED)

# A regular care contract: requested by the family (or staff), active once staff accept it, then ended
# (early, or replaced by an amendment) or over at its planned end.
CONTRACT_REQUESTED, CONTRACT_ACTIVE, CONTRACT_ENDED = "requested", "active", "ended"
CONTRACT_STATUSES = (CONTRACT_REQUESTED, CONTRACT_ACTIVE, CONTRACT_ENDED)

# An activity of the venue's calendar: scheduled, then cancelled or completed (and then never changed).
ACTIVITY_SCHEDULED, ACTIVITY_CANCELLED, ACTIVITY_COMPLETED = "scheduled", "cancelled", "completed"
ACTIVITY_STATUSES = (ACTIVITY_SCHEDULED, ACTIVITY_CANCELLED, ACTIVITY_COMPLETED)

# French wording for the interface.
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")  # 0 = Monday
MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
ACTIVITY_KIND_LABELS = {
    "story_time": N_("Heure du conte"),
    "music": N_("Éveil musical"),
    "gardening": N_("Jardinage"),
    "cooking": N_("Cuisine"),
    "motor_skills": N_("Motricité"),
    "intergenerational_workshop": N_("Atelier intergénérationnel"),
    "other": N_("Autre"),
}
# The children's age group of a slot or an activity (AGE_GROUPS); the volunteers' hours also count
# activities given none.
AGE_GROUP_LABELS = {
    "non_walking": N_("Enfants qui ne marchent pas encore"),
    "walking": N_("Enfants qui marchent"),
    "mixed": N_("Groupe mixte"),
}
AGE_GROUP_UNKNOWN_LABEL = N_("Âge non précisé")
ACTIVITY_STATUS_LABELS = {
    ACTIVITY_SCHEDULED: "programmée",
    ACTIVITY_CANCELLED: "annulée",
    ACTIVITY_COMPLETED: "terminée",
}

# Invoices (bookings, invoicing/): an invoice is issued, then paid (nothing left to pay) or
# credited (cancelled in full by its credit note); a payment is recorded, or rejected later (a
# direct debit returned, a cheque bounced: it no longer counts).
INVOICE_ISSUED, INVOICE_PAID, INVOICE_CREDITED = "issued", "paid", "credited"
INVOICE_STATUSES = (INVOICE_ISSUED, INVOICE_PAID, INVOICE_CREDITED)
PAYMENT_RECORDED, PAYMENT_REJECTED = "recorded", "rejected"
PAYMENT_STATUSES = (PAYMENT_RECORDED, PAYMENT_REJECTED)
PAYMENT_METHOD_LABELS = {
    "transfer": N_("Virement"),
    "card": N_("Carte bancaire"),
    "cheque": N_("Chèque"),
    "cesu": N_("CESU"),
    "cash": N_("Espèces"),
    "sepa_debit": N_("Prélèvement SEPA"),
}
PAYMENT_METHODS = tuple(PAYMENT_METHOD_LABELS)
INVOICE_STATUS_LABELS = {
    INVOICE_ISSUED: N_("À payer"),
    INVOICE_PAID: N_("Payée"),
    INVOICE_CREDITED: N_("Annulée par avoir"),
}


# PMSMP immersions (placements; docs/passerelles.md): who prescribed it, its one object, and what
# happened next to a person on the venue's bridges (outcomes, kept by placements).
PRESCRIBER_ORGANISATIONS = ("france_travail", "mission_locale", "cap_emploi", "siae", "departement", "cep", "delegated")
PRESCRIBER_LABELS = {
    "france_travail": N_("France Travail"),
    "mission_locale": N_("Mission locale"),
    "cap_emploi": N_("Cap emploi"),
    "siae": N_("Structure d'insertion par l'activité économique (SIAE)"),
    "departement": N_("Conseil départemental"),
    "cep": N_("Opérateur du conseil en évolution professionnelle (CEP)"),
    "delegated": N_("Organisme ayant reçu délégation de prescription"),
}
IMMERSION_OBJECTS = ("discover", "confirm", "recruit")
IMMERSION_OBJECT_LABELS = {
    "discover": N_("Découvrir un métier ou un secteur d'activité"),
    "confirm": N_("Confirmer un projet professionnel"),
    "recruit": N_("Initier une démarche de recrutement"),
}
OUTCOME_KINDS = ("training_started", "placement_started", "hired", "job_found", "back_to_work")
OUTCOME_LABELS = {
    "training_started": N_("Entrée en formation"),
    "placement_started": N_("Début de stage"),
    "hired": N_("Embauche dans la structure"),
    "job_found": N_("Emploi trouvé ailleurs"),
    "back_to_work": N_("Reprise d'activité"),
}
# Outcomes that end a job search: bookings then records the family as back to work (AVIP).
BACK_TO_WORK_OUTCOMES = ("hired", "job_found", "back_to_work")
# The steps of one person's path the insights service gathers (its `person_path`), as the staff read them.
PERSON_PATH_KIND_LABELS = {
    "childcare_place": N_("Place en crèche pour son enfant"),
    "immersion_agreed": N_("Immersion convenue (PMSMP)"),
    "immersion_assessed": N_("Bilan de l'immersion"),
    "enrolment": N_("Inscription à une formation"),
    "session_attended": N_("Présence à une session de formation"),
    "placement_started": N_("Début de stage"),
    "placement_completed": N_("Fin de stage"),
    "outcome": N_("Sortie du parcours"),
}
