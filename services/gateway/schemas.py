"""What the gateway itself validates: credentials and account fields (profiles are validated by their service)."""

from marshmallow import Schema, fields, validate

from services.bookings.schemas import FamilyIn
from services.placements.schemas import TraineeIn
from services.volunteers.schemas import VolunteerIn
from shared.timeutil import from_db

PASSWORD = validate.Length(min=8, max=200, error="Le mot de passe doit compter au moins 8 caractères.")
NAME = validate.Length(min=1, max=100)


class TokenIn(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True)


class TokenOut(Schema):
    token = fields.String()
    role = fields.String()
    # Stored as naive UTC, shown in the venue's zone like every time of the API.
    expires_at = fields.Function(
        lambda issued: from_db(issued["expires_at"]).isoformat(), metadata={"type": "string", "format": "date-time"}
    )


class AccountIn(Schema):
    """The part of every sign-up that belongs to the gateway; the rest goes to the owning service."""

    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True, validate=PASSWORD)

    class Meta:
        unknown = "include"


class StaffIn(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True, validate=PASSWORD)
    first_name = fields.String(required=True, validate=NAME)
    last_name = fields.String(required=True, validate=NAME)


class AccountOut(Schema):
    id = fields.String()
    email = fields.String()
    role = fields.String()
    first_name = fields.String()
    last_name = fields.String()


# --- sign-ups: the profile its service validates and stores, plus the password the gateway keeps.
# Documented as one body (/api/openapi.json); the gateway takes the password out before calling the
# service and sets the profile's id itself, so `id` is not the client's to give.
class FamilySignUpIn(FamilyIn):
    password = fields.String(required=True, load_only=True, validate=PASSWORD)

    class Meta:
        exclude = ("id",)


class VolunteerSignUpIn(VolunteerIn):
    password = fields.String(required=True, load_only=True, validate=PASSWORD)

    class Meta:
        exclude = ("id",)


class TraineeAccountIn(TraineeIn):
    password = fields.String(required=True, load_only=True, validate=PASSWORD)

    class Meta:
        exclude = ("id",)
