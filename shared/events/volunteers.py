"""Events published by the volunteers service."""

from marshmallow import Schema, fields

from shared.events.registry import register


class VolunteerRegistered(Schema):
    volunteer_id = fields.String(required=True)
    first_name = fields.String(required=True)
    email = fields.Email(load_default=None, allow_none=True)  # optional (added after v1): notifications' contact


class SignupFact(Schema):
    """A volunteer's place on an activity (the volunteers service decides; bookings counts)."""

    signup_id = fields.String(required=True)
    activity_id = fields.String(required=True)
    volunteer_id = fields.String(required=True)


register("volunteers.volunteer_registered", VolunteerRegistered)
register("volunteers.signup_confirmed", SignupFact)
register("volunteers.signup_withdrawn", SignupFact)
