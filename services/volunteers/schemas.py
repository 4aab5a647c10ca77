"""The volunteers service's published interface: the RPC payloads, which the gateway may import
(the only module of this service it may). In = what a call takes, Out = what it answers."""

from marshmallow import Schema, fields, validate

from services.volunteers.domain.matching import PARTS_OF_DAY
from shared.pagination import PageQuery
from shared.timeutil import from_db
from shared.vocabulary import ACTIVITY_KINDS, PHONE_PATTERN

PHONE = validate.Regexp(PHONE_PATTERN, error="Numéro de téléphone invalide.")


class VenueTime(fields.DateTime):
    """A stored time (naive UTC) shown in the venue's zone, with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(from_db(value), attr, obj, **kwargs)


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
    interests = fields.List(fields.String())
    availability = fields.List(fields.Nested(AvailabilitySchema))


class OpportunityQuery(PageQuery):
    """A page of the ranked opportunities (shared/pagination.py)."""


class OpportunityOut(Schema):
    """An open activity as a volunteer sees it, with its match (domain.matching.rank): dumps a
    `Ranked`, whose `opportunity` is an Opportunity row."""

    activity_id = fields.String(attribute="opportunity.activity_id")
    title = fields.String(attribute="opportunity.title")
    kind = fields.String(attribute="opportunity.kind")
    room_name = fields.String(attribute="opportunity.room_name", allow_none=True)
    starts_at = VenueTime(attribute="opportunity.starts_at")
    ends_at = VenueTime(attribute="opportunity.ends_at")
    volunteer_slots = fields.Integer(attribute="opportunity.volunteer_slots")
    status = fields.String(attribute="opportunity.status")
    match = fields.Integer()
