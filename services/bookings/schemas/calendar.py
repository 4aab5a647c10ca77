"""The venue calendar's interface: rooms, activities, their trainees (calendar/entrypoints.py)."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.bookings.schemas.childcare import staff_ids_field
from services.bookings.schemas.duty import NamedStaffOut
from services.bookings.schemas.values import COUNT, NAME, VenueTime
from shared.pagination import PageQuery, cursor_field, limit_field
from shared.vocabulary import ACTIVITY_KINDS, AGE_GROUPS, ROOM_KINDS


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
    # the professional who leads it: required with children (domain/duty.py), a staff member of
    # the team service, cleared on the day and counting in the ratio
    lead_staff_id = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=36),
        metadata={
            "description": "Le professionnel qui mène l'activité : obligatoire dès que children_capacity > 0 "
            "(rupture assumée de l'ancien corps : une obligation légale, CSP R2324-43 et CASF L133-6)."
        },
    )
    staff_ids = staff_ids_field(load_default=list)  # other staff members with the children
    outing = fields.Boolean(load_default=False)  # out of the venue: one professional for 5 children

    @validates_schema
    def _led_by_a_professional(self, data, **kwargs):
        if data.get("children_capacity") and not data.get("lead_staff_id"):
            raise ValidationError(LEAD_REQUIRED, "lead_staff_id")
        if data.get("lead_staff_id") and data["lead_staff_id"] in (data.get("staff_ids") or []):
            raise ValidationError("La personne qui mène l'activité n'est pas à nommer une seconde fois.", "staff_ids")


class ActivityStaffIn(Schema):
    """PATCH /activities/{id}/staff: its lead and staff now (the lead stays when not given)."""

    lead_staff_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=36))
    staff_ids = staff_ids_field(required=True)


LEAD_REQUIRED = (
    "Une activité avec des enfants est menée par un professionnel : indiquez lead_staff_id "
    "(un membre du personnel qualifié, à l'attestation d'honorabilité en règle)."
)


class RescheduleIn(Schema):
    """New times (both), a new room, or both; what is not given stays as it is."""

    starts_at = fields.AwareDateTime(load_default=None)
    ends_at = fields.AwareDateTime(load_default=None)
    room_id = fields.String(load_default=None)

    @validates_schema
    def _something_changes(self, data, **kwargs):
        times = [name for name in ("starts_at", "ends_at") if data.get(name)]
        if len(times) == 1:
            missing = "ends_at" if times == ["starts_at"] else "starts_at"
            raise ValidationError("Indiquez le début et la fin.", missing)
        if not times and not data.get("room_id"):
            raise ValidationError("Indiquez de nouveaux horaires ou une autre salle.", "room_id")


class CancelIn(Schema):
    reason = fields.String(
        required=True, validate=validate.Length(min=3, max=500, error="Indiquez un motif (3 à 500 caractères).")
    )


class CompleteIn(Schema):
    """Real times when they differ from the plan (default: as scheduled)."""

    started_at = fields.AwareDateTime(load_default=None)
    ended_at = fields.AwareDateTime(load_default=None)


class TraineeIn(Schema):
    trainee_id = fields.String(required=True, validate=validate.Length(min=1, max=36))


class ClosureIn(Schema):
    """A closure of the venue, both days included; `planned` false for an unplanned one (a burst
    pipe): the checks of its dates and label are the domain's (domain/closures.py)."""

    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    label = fields.String(required=True, validate=validate.Length(max=200))
    planned = fields.Boolean(load_default=True)


class ClosureOut(Schema):
    id = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    label = fields.String()
    planned = fields.Boolean()


class ClosureQuery(PageQuery):
    """A page of closures, by first day (shared/pagination.py)."""


class RoomQuery(PageQuery):
    """A page of rooms, by name (shared/pagination.py)."""


class PeriodQuery(Schema):
    from_ = fields.AwareDateTime(data_key="from", load_default=None)
    to = fields.AwareDateTime(load_default=None)
    limit = limit_field()
    cursor = cursor_field()


class ActivityOut(Schema):
    """Dumps an Activity shown with `trainee_ids` and `volunteer_ids` (calendar/presenters.py, activity)."""

    id = fields.String()
    title = fields.String()
    kind = fields.String()
    room_id = fields.String()
    room_name = fields.String(attribute="room.name")
    starts_at = VenueTime()
    ends_at = VenueTime()
    started_at = VenueTime(allow_none=True)  # real times, once completed
    ended_at = VenueTime(allow_none=True)
    children_capacity = fields.Integer()
    volunteer_slots = fields.Integer()
    trainee_slots = fields.Integer()
    age_group = fields.String(allow_none=True)
    notes = fields.String()
    status = fields.String()
    cancel_reason = fields.String(allow_none=True)
    outing = fields.Boolean()
    lead_staff_id = fields.String(allow_none=True)
    lead = fields.Nested(NamedStaffOut, allow_none=True)  # the lead on the activity's day (null: none)
    staff = fields.List(fields.Nested(NamedStaffOut))  # the other staff named
    professionals = fields.Integer()  # lead and staff who count in the ratio on the day
    professionals_required = fields.Integer()  # what its children need (the outing rule for an outing)
    trainees = fields.List(fields.String(), attribute="trainee_ids")  # staff only (the gateway)
    volunteer_ids = fields.List(fields.String())  # staff only (the gateway)
    volunteers_confirmed = fields.Function(lambda activity: len(activity.volunteer_ids), metadata={"type": "integer"})
    trainees_count = fields.Function(lambda activity: len(activity.trainee_ids), metadata={"type": "integer"})
