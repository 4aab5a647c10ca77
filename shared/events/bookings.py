"""Events published by the bookings service."""
from marshmallow import Schema, fields, validate

from shared.events.registry import register
from shared.vocabulary import ACTIVITY_KINDS


class ActivityScheduled(Schema):
    activity_id = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ACTIVITY_KINDS))
    room_id = fields.String(required=True)
    room_name = fields.String(load_default=None, allow_none=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    children_capacity = fields.Integer(required=True, validate=validate.Range(min=0))
    volunteer_slots = fields.Integer(required=True, validate=validate.Range(min=0))
    trainee_slots = fields.Integer(required=True, validate=validate.Range(min=0))


register("bookings.activity_scheduled", ActivityScheduled)
