"""The family file's interface: staff find a family, correct its figures and a child's walking,
and read the history (family_file/entrypoints.py, domain/family_file.py)."""

import json

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.bookings.schemas.childcare import ChildOut, FamilyOut, aeeh_children_field, aeeh_count
from services.bookings.schemas.values import Exact, VenueTime
from shared.pagination import PageQuery, cursor_field, limit_field
from shared.vocabulary import RESOURCES_SOURCES

# French messages for every refusal: staff read them as they are, next to the field.
_REQUIRED = "Champ obligatoire."

_NOT_NULL = "Une valeur est attendue."

_A_DATE = "Date attendue au format AAAA-MM-JJ."

_TRUE_OR_FALSE = "Indiquez true ou false."


def _messages(invalid, **more):
    return {"required": _REQUIRED, "null": _NOT_NULL, "invalid": invalid, **more}


class FrenchSchema(Schema):
    error_messages = {"unknown": "Champ inconnu.", "type": "Objet JSON attendu."}


class ChildWalkingIn(FrenchSchema):
    """Staff's observation: true (walks), false (does not walk yet), null (back to the age rule)."""

    walking = fields.Boolean(
        required=True, allow_none=True, error_messages=_messages("Indiquez true, false ou null (selon l'âge).")
    )


class FamilyFileIn(FrenchSchema):
    """A correction of the family file by staff: any of these fields, at least one."""

    monthly_resources = fields.Decimal(
        places=2,
        validate=validate.Range(min=0, max=1_000_000, error="Entre 0 et 1 000 000 € par mois."),
        error_messages=_messages("Montant en euros attendu, par exemple 2500.00.", special="Montant invalide."),
    )
    resources_checked_on = fields.Date(error_messages=_messages(_A_DATE, format=_A_DATE))
    resources_source = fields.String(
        validate=validate.OneOf(
            RESOURCES_SOURCES,
            error="Source attendue : caf (données CAF/CDAP), tax_notice (avis d'imposition) ou other.",
        ),
        error_messages=_messages("Texte attendu."),
    )
    dependent_children = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=10, error="De 1 à 10 enfants à charge."),
        error_messages=_messages("Nombre entier attendu."),
    )
    aeeh_children = aeeh_children_field(strict=True, error_messages=_messages("Nombre entier attendu."))
    aeeh = fields.Boolean(error_messages=_messages(_TRUE_OR_FALSE))  # the former flag (family_file.with_aeeh_count)
    job_seeker = fields.Boolean(error_messages=_messages(_TRUE_OR_FALSE))
    job_seeker_checked_on = fields.Date(error_messages=_messages(_A_DATE, format=_A_DATE))
    # false: resources unknown, priced at the emergency rate (domain/emergency.py)
    resources_known = fields.Boolean(error_messages=_messages(_TRUE_OR_FALSE))
    # the fee figures' correction applies from that day (1 January, a birth date), not after today
    effective_on = fields.Date(error_messages=_messages(_A_DATE, format=_A_DATE))
    postal_address = fields.String(
        validate=validate.Length(max=300, error="Au plus 300 caractères."), error_messages=_messages("Texte attendu.")
    )

    @validates_schema
    def at_least_one(self, data, **kwargs):
        if not set(data) - {"effective_on"}:
            raise ValidationError("Indiquez au moins un champ à corriger.", "_schema")
        aeeh_count(data.get("aeeh"), data.get("aeeh_children"))  # both given must agree


class FamilyQuery(Schema):
    """A page of families by email; `q`: found in the email or a guardian's name (any case, any accent)."""

    q = fields.String(load_default=None, validate=validate.Length(max=100, error="Au plus 100 caractères."))
    limit = limit_field()
    cursor = cursor_field()


class HistoryQuery(PageQuery):
    """A page of a family's history, oldest change first."""


class BookingToReviewOut(Schema):
    """A booking that no longer fits its slot once its child's walking status changed
    (domain.childcare.review_reason): kept, for staff to move or cancel."""

    booking_id = fields.String(attribute="id")
    slot_id = fields.String()
    starts_at = VenueTime(attribute="slot.starts_at")
    status = fields.String()
    reason = fields.String()  # "age_group" | "ratio"
    message = fields.String()


class ChildWalkingOut(ChildOut):
    """Dumps a Child after staff set its walking status, with its bookings that followed."""

    bookings_updated = fields.List(fields.String())  # ids of the bookings whose `walks` changed
    bookings_to_review = fields.List(fields.Nested(BookingToReviewOut))


class RepricedOut(Schema):
    """A booking whose hourly rate followed a correction of the family's figures."""

    booking_id = fields.String(attribute="id")
    starts_at = VenueTime(attribute="slot.starts_at")
    hourly_rate_before = Exact()
    hourly_rate = Exact()


class FamilyFileOut(FamilyOut):
    """Dumps a Family after a correction, with the bookings repriced (slots not started yet)."""

    bookings_repriced = fields.List(fields.Nested(RepricedOut))


# A figure's value before or after a change: a number as text, a boolean (walking), a list, or null.
ANY_JSON_VALUE = {
    "nullable": True,
    "anyOf": [{"type": t} for t in ("string", "number", "boolean", "object", "array")],
}


class FamilyChangeOut(Schema):
    """Dumps a FamilyChange: one field, before and after (JSON values), who and when."""

    changed_at = VenueTime()
    changed_by = fields.String()
    field = fields.String()
    child_id = fields.String(allow_none=True)  # for a child's field (walking)
    before = fields.Function(lambda change: json.loads(change.before), metadata=ANY_JSON_VALUE)
    after = fields.Function(lambda change: json.loads(change.after), metadata=ANY_JSON_VALUE)
    effective_on = fields.Date(allow_none=True)  # a fee figure's correction applies from that day
