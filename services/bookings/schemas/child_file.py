"""The child's file: its health file (family and staff), the adults allowed to collect it, who
collected it at check-out, and the incident and accident register (staff) (child_file/)."""

from marshmallow import Schema, fields, validate

from services.bookings.schemas.childcare import MomentIn
from services.bookings.schemas.family_file import FrenchSchema
from services.bookings.schemas.values import NAME, VenueTime
from shared.vocabulary import PHONE_PATTERN

_REQUIRED = {"required": "Champ obligatoire.", "null": "Une valeur est attendue."}
_TEXT = {**_REQUIRED, "invalid": "Texte attendu."}
_BOOLEAN = {**_REQUIRED, "invalid": "Indiquez true ou false."}
_DATE = {**_REQUIRED, "invalid": "Date attendue au format AAAA-MM-JJ.", "format": "Date attendue au format AAAA-MM-JJ."}
_MOMENT = {**_REQUIRED, "invalid": "Heure attendue avec son fuseau, par exemple 2026-12-01T09:30:00+01:00."}
PICKUP_KINDS = ("guardian", "pickup_adult")
INCIDENT_KINDS = ("incident", "accident")  # domain/incidents.KINDS


def _text(most, **options):
    return fields.String(
        validate=validate.Length(max=most, error=f"Au plus {most} caractères."), error_messages=_TEXT, **options
    )


class DoctorSchema(FrenchSchema):
    name = fields.String(required=True, validate=NAME, error_messages=_TEXT)
    phone = fields.String(
        required=True,
        validate=validate.Regexp(PHONE_PATTERN, error="Numéro de téléphone invalide."),
        error_messages=_TEXT,
    )


class HealthIn(FrenchSchema):
    """A child's health file, replaced whole (PUT). `pai`: what the projet d'accueil individualisé
    says to do (null: no PAI); `emergency_authorisation`: the family allows staff to call the
    emergency services and have the child treated."""

    allergies = fields.List(
        fields.String(validate=validate.Length(min=1, max=100, error="De 1 à 100 caractères par allergie.")),
        load_default=list,
        validate=validate.Length(max=20, error="Au plus 20 allergies."),
        error_messages={"invalid": "Liste de textes attendue."},
    )
    pai = _text(2000, load_default=None, allow_none=True)
    medication_protocol = _text(2000, load_default=None, allow_none=True)
    vaccinations_up_to_date = fields.Boolean(required=True, error_messages=_BOOLEAN)
    vaccinations_checked_on = fields.Date(load_default=None, allow_none=True, error_messages=_DATE)
    doctor = fields.Nested(DoctorSchema, load_default=None, allow_none=True)
    emergency_authorisation = fields.Boolean(required=True, error_messages=_BOOLEAN)


class HealthOut(Schema):
    """A child's health file as its family and staff read it, with the vaccinations the law asks
    for this child and, while it is not up to date, the last day of its provisional admission."""

    child_id = fields.String()
    first_name = fields.String()
    recorded = fields.Boolean()  # false: no health file yet (every value below is its default)
    allergies = fields.List(fields.String())
    pai = fields.String(allow_none=True)
    medication_protocol = fields.String(allow_none=True)
    vaccinations_up_to_date = fields.Boolean()
    vaccinations_checked_on = fields.Date(allow_none=True)
    doctor = fields.Nested(DoctorSchema, allow_none=True)
    emergency_authorisation = fields.Boolean()
    updated_at = VenueTime(allow_none=True)
    updated_by = fields.String(allow_none=True)  # "family" or "staff"
    required_vaccinations = fields.List(fields.String())  # domain/vaccinations.py
    admitted_on = fields.Date(allow_none=True)  # first day booked or under contract
    provisional_until = fields.Date(allow_none=True)  # not up to date: the last day it may be cared for
    rule = fields.String()  # the rule and its source, in French


class PickupAdultIn(FrenchSchema):
    first_name = fields.String(required=True, validate=NAME, error_messages=_TEXT)
    last_name = fields.String(required=True, validate=NAME, error_messages=_TEXT)
    phone = fields.String(
        required=True,
        validate=validate.Regexp(PHONE_PATTERN, error="Numéro de téléphone invalide."),
        error_messages=_TEXT,
    )
    relation = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100, error="De 1 à 100 caractères (grand-mère, voisin…)."),
        error_messages=_TEXT,
    )


class PickupAdultOut(Schema):
    id = fields.String()
    child_id = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    phone = fields.String()
    relation = fields.String()
    created_at = VenueTime()


class PickupPersonOut(Schema):
    """Someone who may collect the child: a guardian of its family or an adult the family listed."""

    kind = fields.String()  # "guardian" | "pickup_adult"
    id = fields.String()  # the guardian's place in the family's list ("0", "1"…) or the adult's id
    name = fields.String()
    relation = fields.String()
    phone = fields.String()


class PickupOptionsOut(Schema):
    child_id = fields.String()
    first_name = fields.String()
    people = fields.List(fields.Nested(PickupPersonOut))


class CollectedByIn(FrenchSchema):
    """Who collects the child: one of the people of GET /children/{id}/pickup-adults or a guardian,
    whose identity document staff checked."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf(PICKUP_KINDS, error="Indiquez guardian (un responsable) ou pickup_adult."),
        error_messages=_TEXT,
    )
    id = fields.String(required=True, validate=validate.Length(min=1, max=36), error_messages=_TEXT)
    id_checked = fields.Boolean(required=True, error_messages=_BOOLEAN)


class CheckOutIn(MomentIn):
    """A departure: when, and who collected the child (required: nobody else may)."""

    collected_by = fields.Nested(CollectedByIn, required=True, error_messages=_REQUIRED)


class IncidentIn(FrenchSchema):
    """A line of the incident and accident register; `corrects`: the line it corrects (kept)."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf(INCIDENT_KINDS, error="Indiquez incident ou accident."),
        error_messages=_TEXT,
    )
    occurred_at = fields.AwareDateTime(required=True, error_messages=_MOMENT)
    description = fields.String(
        required=True,
        validate=validate.Length(min=3, max=2000, error="De 3 à 2000 caractères."),
        error_messages=_TEXT,
    )
    people_involved = _text(1000, load_default="")
    first_aid = _text(1000, load_default="")
    family_told_at = fields.AwareDateTime(load_default=None, allow_none=True, error_messages=_MOMENT)
    serious = fields.Boolean(load_default=False, error_messages=_BOOLEAN)
    pmi_notified_on = fields.Date(load_default=None, allow_none=True, error_messages=_DATE)
    corrects = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=36))


class IncidentOut(Schema):
    id = fields.String()
    child_id = fields.String()
    kind = fields.String()
    occurred_at = VenueTime()
    description = fields.String()
    people_involved = fields.String()
    first_aid = fields.String()
    family_told_at = VenueTime(allow_none=True)
    serious = fields.Boolean()
    pmi_notified_on = fields.Date(allow_none=True)
    recorded_by = fields.String()
    recorded_at = VenueTime(attribute="created_at")
    corrects = fields.String(allow_none=True)  # the line this one corrects
    corrected_by = fields.String(allow_none=True)  # the newer line correcting this one
