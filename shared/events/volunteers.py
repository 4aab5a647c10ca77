"""Events published by the volunteers service."""
from marshmallow import Schema, fields

from shared.events.registry import register


class VolunteerRegistered(Schema):
    volunteer_id = fields.String(required=True)
    first_name = fields.String(required=True)


register("volunteers.volunteer_registered", VolunteerRegistered)
