"""Events published by the education service (continuing education sessions)."""

from marshmallow import Schema, fields, validate

from shared.events.registry import register


class SessionPart(Schema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class RoomReservationRequested(Schema):
    """A planned session asks for its room for each of its parts: all or none (bookings answers
    with bookings.room_reserved or bookings.room_reservation_refused)."""

    session_id = fields.String(required=True)
    room_id = fields.String(required=True)
    title = fields.String(required=True)
    parts = fields.List(fields.Nested(SessionPart), required=True, validate=validate.Length(min=1))


class SessionCancelled(Schema):
    session_id = fields.String(required=True)
    reason = fields.String(load_default="")


register("education.room_reservation_requested", RoomReservationRequested)
register("education.session_cancelled", SessionCancelled)
