"""Events published by the bookings service (the contract for every consumer)."""

from marshmallow import Schema, fields, validate

from shared.events.registry import register
from shared.vocabulary import ACTIVE_BOOKING_STATUSES, ACTIVITY_KINDS


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


class ActivityRescheduled(Schema):
    activity_id = fields.String(required=True)
    room_id = fields.String(required=True)
    room_name = fields.String(load_default=None, allow_none=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    previous_starts_at = fields.AwareDateTime(required=True)
    previous_ends_at = fields.AwareDateTime(required=True)


class ActivityCancelled(Schema):
    activity_id = fields.String(required=True)
    reason = fields.String(required=True)


class ActivityCompleted(Schema):
    activity_id = fields.String(required=True)
    kind = fields.String(required=True)
    started_at = fields.AwareDateTime(required=True)  # real times, which may differ from the plan
    ended_at = fields.AwareDateTime(required=True)
    trainee_ids = fields.List(fields.String(), required=True)
    volunteer_ids = fields.List(fields.String(), required=True)


class TraineeAssigned(Schema):
    activity_id = fields.String(required=True)
    trainee_id = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class RoomReserved(Schema):
    session_id = fields.String(required=True)
    room_id = fields.String(required=True)
    room_name = fields.String(required=True)
    reservation_ids = fields.List(fields.String(), required=True)


class RoomReservationRefused(Schema):
    session_id = fields.String(required=True)
    room_id = fields.String(required=True)
    reason = fields.String(required=True)  # French, shown to staff as is


class RoomReleased(Schema):
    session_id = fields.String(required=True)
    room_id = fields.String(required=True)


class BookingFact(Schema):
    """What every booking event tells (not registered itself: each event has its own schema)."""

    booking_id = fields.String(required=True)
    slot_id = fields.String(required=True)
    child_id = fields.String(required=True)
    family_id = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    avip = fields.Boolean(required=True)


class BookingConfirmed(BookingFact):
    """A place was given when the family booked."""


class BookingWaitlisted(BookingFact):
    """No place was free: the booking waits for one."""


class BookingPromoted(BookingFact):
    """A waitlisted booking got a place that was freed."""


class BookingCancelled(BookingFact):
    cancelled_in_time = fields.Boolean(required=True)
    was_status = fields.String(required=True, validate=validate.OneOf(ACTIVE_BOOKING_STATUSES))


class ChildCheckedIn(Schema):
    booking_id = fields.String(required=True)
    child_id = fields.String(required=True)
    at = fields.AwareDateTime(required=True)  # the arrival


class ChildCheckedOut(Schema):
    booking_id = fields.String(required=True)
    child_id = fields.String(required=True)
    at = fields.AwareDateTime(required=True)  # the departure


class FamilyFileCorrected(Schema):
    """Staff corrected a family's file (bookings `correct_family`) or a child's walking status
    (bookings `set_child_walking`); nobody answers it yet. `changed_fields`: the names of the
    fields changed; `child_id`: the child, for a child's field."""

    family_id = fields.String(required=True)
    changed_fields = fields.List(fields.String(), required=True)
    changed_by = fields.String(required=True)  # the staff account id
    child_id = fields.String(load_default=None, allow_none=True)


register("bookings.activity_scheduled", ActivityScheduled)
register("bookings.activity_rescheduled", ActivityRescheduled)
register("bookings.activity_cancelled", ActivityCancelled)
register("bookings.activity_completed", ActivityCompleted)
register("bookings.trainee_assigned", TraineeAssigned)
register("bookings.room_reserved", RoomReserved)
register("bookings.room_reservation_refused", RoomReservationRefused)
register("bookings.room_released", RoomReleased)
register("bookings.booking_confirmed", BookingConfirmed)
register("bookings.booking_waitlisted", BookingWaitlisted)
register("bookings.booking_promoted", BookingPromoted)
register("bookings.booking_cancelled", BookingCancelled)
register("bookings.child_checked_in", ChildCheckedIn)
register("bookings.child_checked_out", ChildCheckedOut)
register("bookings.family_file_corrected", FamilyFileCorrected)
