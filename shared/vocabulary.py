"""Names shared by several services, the API and the pages: one name per concept."""

ACTIVITY_KINDS = ("story_time", "music", "gardening", "cooking", "motor_skills", "intergenerational_workshop", "other")
ROOM_KINDS = ("childcare", "workshop", "training", "garden", "other")
AGE_GROUPS = ("non_walking", "walking", "mixed")
ROLES = ("staff", "family", "trainee", "volunteer")
# Where staff read a family's resources: CAF data (CDAP), the tax notice (avis d'imposition), other.
RESOURCES_SOURCES = ("caf", "tax_notice", "other")
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
    "story_time": "Heure du conte",
    "music": "Éveil musical",
    "gardening": "Jardinage",
    "cooking": "Cuisine",
    "motor_skills": "Motricité",
    "intergenerational_workshop": "Atelier intergénérationnel",
    "other": "Autre",
}
ACTIVITY_STATUS_LABELS = {
    ACTIVITY_SCHEDULED: "programmée",
    ACTIVITY_CANCELLED: "annulée",
    ACTIVITY_COMPLETED: "terminée",
}
