"""RPC payloads of the bookings service (the gateway's JSON uses the same field names)."""
from marshmallow import Schema, fields, validate

from shared.vocabulary import ACTIVITY_KINDS, AGE_GROUPS, ROOM_KINDS
from shared.timeutil import from_db

NAME = validate.Length(min=1, max=100, error="Entre 1 et 100 caractères.")


class RoomIn(Schema):
    name = fields.String(required=True, validate=NAME)
    kind = fields.String(required=True, validate=validate.OneOf(ROOM_KINDS))
    capacity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=500))


class RoomOut(Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.String()
    capacity = fields.Integer()


class ActivityIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(ACTIVITY_KINDS))
    room_id = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    children_capacity = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=500))
    volunteer_slots = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=100))
    trainee_slots = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=100))
    age_group = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(AGE_GROUPS))
    notes = fields.String(load_default="", validate=validate.Length(max=2000))


class ActivityQuery(Schema):
    from_ = fields.AwareDateTime(data_key="from", load_default=None)
    to = fields.AwareDateTime(load_default=None)


class ActivityOut(Schema):
    id = fields.String()
    title = fields.String()
    kind = fields.String()
    room_id = fields.String(attribute="room_id")
    room_name = fields.Function(lambda a: a.room.name)
    starts_at = fields.Function(lambda a: _iso(a.starts_at))
    ends_at = fields.Function(lambda a: _iso(a.ends_at))
    children_capacity = fields.Integer()
    volunteer_slots = fields.Integer()
    trainee_slots = fields.Integer()
    age_group = fields.String(allow_none=True)
    notes = fields.String()
    status = fields.String()
    cancel_reason = fields.String(allow_none=True)
    volunteers_confirmed = fields.Integer()


def _iso(dt):
    return from_db(dt).isoformat()
