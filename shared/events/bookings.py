"""Events published by the bookings service (the contract for every consumer)."""

from marshmallow import Schema, fields, validate

from shared.events.registry import register
from shared.vocabulary import ACTIVE_BOOKING_STATUSES, ACTIVITY_KINDS, AGE_GROUPS


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
    # optional (added after version 1): the children's age group, when staff gave one (the
    # volunteers' yearly summary counts activities by it)
    age_group = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(AGE_GROUPS))


class ActivityRescheduled(Schema):
    activity_id = fields.String(required=True)
    room_id = fields.String(required=True)
    room_name = fields.String(load_default=None, allow_none=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    previous_starts_at = fields.AwareDateTime(required=True)
    previous_ends_at = fields.AwareDateTime(required=True)
    # optional (added after version 1): what the volunteers' notification says, and to whom
    title = fields.String(load_default=None, allow_none=True)
    volunteer_ids = fields.List(fields.String(), load_default=list)


class ActivityCancelled(Schema):
    activity_id = fields.String(required=True)
    reason = fields.String(required=True)
    # optional (added after version 1): what the volunteers' notification says, and to whom
    title = fields.String(load_default=None, allow_none=True)
    starts_at = fields.AwareDateTime(load_default=None, allow_none=True)
    volunteer_ids = fields.List(fields.String(), load_default=list)


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
    request = fields.Integer(load_default=1)  # the education request it answers


class RoomReservationRefused(Schema):
    session_id = fields.String(required=True)
    room_id = fields.String(required=True)
    reason = fields.String(required=True)  # French, shown to staff as is
    request = fields.Integer(load_default=1)  # the education request it answers


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


class BookingTold(BookingFact):
    """A booking fact with what the family's notification needs (optional: added after version 1
    was published, so an event sent before may lack them)."""

    family_email = fields.Email(load_default=None, allow_none=True)
    child_first_name = fields.String(load_default=None, allow_none=True)
    room_name = fields.String(load_default=None, allow_none=True)


class BookingConfirmed(BookingTold):
    """A place was given when the family booked."""


class BookingWaitlisted(BookingTold):
    """No place was free: the booking waits for one."""


class BookingPromoted(BookingFact):
    """A waitlisted booking got a place that was freed (a cancellation, or AVIP places released).
    Carries what a notification to the family needs; `declinable_without_charge`: the place came
    inside the cancellation notice, so cancelling it before the slot starts is not billed."""

    family_email = fields.Email(required=True)
    child_first_name = fields.String(required=True)
    room_name = fields.String(required=True)
    promoted_at = fields.AwareDateTime(required=True)
    declinable_without_charge = fields.Boolean(required=True)


class AvipPlacesReleased(Schema):
    """The places a slot still kept for AVIP children went to the waiting list and to any family
    (the release notice began); emitted once per slot by bookings' release_avip_places."""

    slot_id = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    places_released = fields.Integer(required=True, validate=validate.Range(min=0))
    promoted_booking_ids = fields.List(fields.String(), required=True)


class BookingCancelled(BookingTold):
    cancelled_in_time = fields.Boolean(required=True)
    was_status = fields.String(required=True, validate=validate.OneOf(ACTIVE_BOOKING_STATUSES))


class PatternDay(Schema):
    weekday = fields.Integer(required=True, validate=validate.Range(min=0, max=6))  # 0 = Monday
    start = fields.String(required=True)  # "08:30", venue time
    end = fields.String(required=True)


class ContractFact(Schema):
    """What every contract event tells (not registered itself)."""

    contract_id = fields.String(required=True)
    family_id = fields.String(required=True)
    child_id = fields.String(required=True)


class ContractSigned(ContractFact):
    """Staff accepted a regular care contract: its places are held on every day of its pattern."""

    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    weeks_per_year = fields.Integer(required=True)
    pattern = fields.List(fields.Nested(PatternDay), required=True)
    hours_per_week = fields.String(required=True)  # exact decimal, "36"
    hourly_rate = fields.String(required=True)  # exact, "2.064"
    monthly_amount = fields.String(required=True)  # "284.83"
    avip = fields.Boolean(required=True)


class ContractAmended(ContractSigned):
    """A new weekly pattern from `from_on`: `amends` ended the day before, `contract_id` is the new one."""

    amends = fields.String(required=True)
    from_on = fields.Date(required=True)


class ContractEnded(ContractFact):
    """A contract ended before its planned end; `ended_on` is its last day of care."""

    ended_on = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(("early_end",)))


class AbsenceRecorded(ContractFact):
    """An absence of a contract's child; `deducted_hours` come off the month (CNAF rules)."""

    absence_id = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    reason = fields.String(required=True)
    deducted_hours = fields.String(required=True)


class ChildCheckedIn(Schema):
    """A child arrived: for an occasional booking (`booking_id`) or a regular contract (`contract_id`)."""

    booking_id = fields.String(load_default=None, allow_none=True)
    contract_id = fields.String(load_default=None, allow_none=True)
    child_id = fields.String(required=True)
    at = fields.AwareDateTime(required=True)  # the arrival


class ChildCheckedOut(Schema):
    booking_id = fields.String(load_default=None, allow_none=True)
    contract_id = fields.String(load_default=None, allow_none=True)
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
    # optional (added after version 1): the day a correction of the fee figures applies from
    effective_on = fields.Date(load_default=None, allow_none=True)


class ClosureDeclared(Schema):
    """Staff declared a closure of the venue (bookings `declare_closure`), days both included:
    planned (out of every contract's days) or not (deducted for every contract child)."""

    closure_id = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    label = fields.String(required=True)
    planned = fields.Boolean(required=True)


class AttendanceCorrected(Schema):
    """Staff corrected a check-in or check-out (bookings `correct_booking_attendance`,
    `correct_contract_attendance`): the times before and after (null: none), and why. The
    statement follows the times on file; no consumer yet (the invoices' adjustments may)."""

    correction_id = fields.String(required=True)
    booking_id = fields.String(load_default=None, allow_none=True)
    contract_id = fields.String(load_default=None, allow_none=True)
    child_id = fields.String(required=True)
    family_id = fields.String(required=True)
    day = fields.Date(required=True)
    arrived_before = fields.AwareDateTime(required=True, allow_none=True)
    left_before = fields.AwareDateTime(required=True, allow_none=True)
    arrived_at = fields.AwareDateTime(required=True, allow_none=True)
    left_at = fields.AwareDateTime(required=True, allow_none=True)
    reason = fields.String(required=True)
    corrected_by = fields.String(required=True)


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
register("bookings.avip_places_released", AvipPlacesReleased)
register("bookings.closure_declared", ClosureDeclared)
register("bookings.contract_signed", ContractSigned)
register("bookings.contract_amended", ContractAmended)
register("bookings.contract_ended", ContractEnded)
register("bookings.absence_recorded", AbsenceRecorded)
register("bookings.child_checked_in", ChildCheckedIn)
register("bookings.child_checked_out", ChildCheckedOut)
register("bookings.family_file_corrected", FamilyFileCorrected)
register("bookings.attendance_corrected", AttendanceCorrected)
