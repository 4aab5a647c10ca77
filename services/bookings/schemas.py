"""RPC payloads of the bookings service (the gateway's JSON uses the same field names)."""
from marshmallow import Schema, fields, validate

from shared.timeutil import from_db
from shared.vocabulary import ACTIVITY_KINDS, AGE_GROUPS, ROOM_KINDS

NAME = validate.Length(min=1, max=100)
COUNT = validate.Range(min=0, max=500)


def iso(dt):
    return from_db(dt).isoformat() if dt else None


# --- rooms and activities -------------------------------------------------------------------
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
    children_capacity = fields.Integer(required=True, strict=True, validate=COUNT)
    volunteer_slots = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=100))
    trainee_slots = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=100))
    age_group = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(AGE_GROUPS))
    notes = fields.String(load_default="", validate=validate.Length(max=2000))


class RescheduleIn(Schema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    room_id = fields.String(load_default=None)


class CancelIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500,
                                                                    error="Indiquez un motif (3 à 500 caractères)."))


class CompleteIn(Schema):
    """Real times when they differ from the plan (default: as scheduled)."""
    started_at = fields.AwareDateTime(load_default=None)
    ended_at = fields.AwareDateTime(load_default=None)


class TraineeIn(Schema):
    trainee_id = fields.String(required=True, validate=validate.Length(min=1, max=36))


class PeriodQuery(Schema):
    from_ = fields.AwareDateTime(data_key="from", load_default=None)
    to = fields.AwareDateTime(load_default=None)


class ActivityOut(Schema):
    id = fields.String()
    title = fields.String()
    kind = fields.String()
    room_id = fields.String(attribute="room_id")
    room_name = fields.Function(lambda a: a.room.name)
    starts_at = fields.Function(lambda a: iso(a.starts_at))
    ends_at = fields.Function(lambda a: iso(a.ends_at))
    started_at = fields.Function(lambda a: iso(a.started_at))
    ended_at = fields.Function(lambda a: iso(a.ended_at))
    children_capacity = fields.Integer()
    volunteer_slots = fields.Integer()
    trainee_slots = fields.Integer()
    age_group = fields.String(allow_none=True)
    notes = fields.String()
    status = fields.String()
    cancel_reason = fields.String(allow_none=True)


# --- families, children, childcare -------------------------------------------------------------
class GuardianSchema(Schema):
    first_name = fields.String(required=True, validate=NAME)
    last_name = fields.String(required=True, validate=NAME)
    phone = fields.String(required=True, validate=validate.Regexp(r"^\+?[0-9 .\-]{6,20}$",
                                                                  error="Numéro de téléphone invalide."))


class FamilyIn(Schema):
    id = fields.String(load_default=None)
    email = fields.Email(required=True)
    guardians = fields.List(fields.Nested(GuardianSchema), required=True,
                            validate=validate.Length(min=1, max=4, error="De 1 à 4 responsables."))
    monthly_resources = fields.Decimal(required=True, places=2, validate=validate.Range(min=0, max=1_000_000))
    dependent_children = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=10))
    aeeh = fields.Boolean(load_default=False)
    job_seeker = fields.Boolean(load_default=False)


class ChildIn(Schema):
    first_name = fields.String(required=True, validate=NAME)
    birth_date = fields.Date(required=True)
    walking = fields.Boolean(load_default=None, allow_none=True)  # staff's observation; None: from age


class SlotIn(Schema):
    room_id = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    age_group = fields.String(required=True, validate=validate.OneOf(AGE_GROUPS))
    staff_on_duty = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=50))


class SlotQuery(Schema):
    date = fields.Date(load_default=None)


class BookingIn(Schema):
    slot_id = fields.String(required=True)
    child_id = fields.String(required=True)


class BookingQuery(Schema):
    family_id = fields.String(load_default=None)
    slot_id = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(("confirmed", "waitlisted", "cancelled")))
    date = fields.Date(load_default=None)


class MomentIn(Schema):
    at = fields.AwareDateTime(required=True)


class QuoteQuery(Schema):
    monthly_resources = fields.Decimal(required=True, validate=validate.Range(min=0, max=1_000_000))
    dependent_children = fields.Integer(required=True, validate=validate.Range(min=1, max=10))
    aeeh = fields.Boolean(load_default=False)
    on = fields.Date(load_default=None)


class MonthIn(Schema):
    month = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$",
                                                                  error="Mois attendu au format AAAA-MM."))
