"""RPC payloads of the volunteers service."""
from marshmallow import Schema, fields, validate

from shared.vocabulary import ACTIVITY_KINDS
from services.volunteers.domain import PARTS_OF_DAY

PHONE = validate.Regexp(r"^\+?[0-9 .\-]{6,20}$", error="Numéro de téléphone invalide.")


class AvailabilitySchema(Schema):
    weekday = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=6))
    part = fields.String(required=True, validate=validate.OneOf(PARTS_OF_DAY))


class VolunteerIn(Schema):
    id = fields.String(load_default=None)
    email = fields.Email(required=True)
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    birth_date = fields.Date(required=True)
    phone = fields.String(required=True, validate=PHONE)
    interests = fields.List(fields.String(validate=validate.OneOf(ACTIVITY_KINDS)), load_default=list)
    availability = fields.List(fields.Nested(AvailabilitySchema), load_default=list)


class VolunteerOut(Schema):
    id = fields.String()
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    birth_date = fields.Date()
    phone = fields.String()
    interests = fields.Raw()
    availability = fields.Raw()
