"""Events published by the bookings service (the contract for every consumer)."""

from marshmallow import Schema, fields, validate

from shared.events.registry import dropping, register
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
    """A booking fact with the room the family's notification names (optional: added after version
    1 was published, so an event sent before may lack it). Version 2 no longer carries the
    family's email and the child's first name: notifications asks bookings for them when the
    email leaves (bookings `contact`)."""

    room_name = fields.String(load_default=None, allow_none=True)


class BookingConfirmed(BookingTold):
    """A place was given when the family booked."""


class BookingWaitlisted(BookingTold):
    """No place was free: the booking waits for one."""


class BookingPromoted(BookingFact):
    """A waitlisted booking got a place that was freed (a cancellation, or AVIP places released).
    Carries what a notification to the family needs but names (asked of bookings `contact` when
    the email leaves, since version 2); `declinable_without_charge`: the place came inside the
    cancellation notice, so cancelling it before the slot starts is not billed."""

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
    """Staff recorded an absence of a contract's child, approved at once (bookings
    `record_absence`); `deducted_hours` come off the month (CNAF rules). A family's absence is
    an `absence_requested` instead."""

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


class AbsenceFact(ContractFact):
    absence_id = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    reason = fields.String(required=True)


class AbsenceRequested(AbsenceFact):
    """A family asked for an absence of its contract child (bookings `record_absence`): nothing is
    deducted until staff approve it; `has_certificate`: its certificate came with it."""

    has_certificate = fields.Boolean(required=True)


class AbsenceApproved(AbsenceFact):
    """Staff approved a requested absence (bookings `approve_absence`): `deducted_hours` come off
    its month; `proof_seen`: staff saw the certificate."""

    deducted_hours = fields.String(required=True)
    proof_seen = fields.Boolean(required=True)
    decided_by = fields.String(required=True, allow_none=True)  # the staff account id


class AbsenceRejected(AbsenceFact):
    """Staff refused a requested absence (bookings `reject_absence`), with the reason the family reads."""

    reject_reason = fields.String(required=True)
    decided_by = fields.String(required=True, allow_none=True)


class AbsenceWithdrawn(AbsenceFact):
    """Staff withdrew an approved absence in an open month (bookings `withdraw_absence`): its
    `withdrawn_hours` are billed again."""

    withdrawn_hours = fields.String(required=True)
    decided_by = fields.String(required=True, allow_none=True)


class MandateSigned(Schema):
    """A family recorded the SEPA direct debit mandate it signed (bookings `sign_mandate`); nobody
    answers it yet. No account number: the IBAN stays in the bookings service. `replaces`: the
    family's mandate it revoked, if any."""

    family_id = fields.String(required=True)
    mandate_id = fields.String(required=True)
    reference = fields.String(required=True)  # COCOON-<family short id>-<n>, made once
    signed_on = fields.Date(required=True)
    replaces = fields.String(load_default=None, allow_none=True)


class MandateRevoked(Schema):
    """The family withdrew its SEPA mandate without giving another (bookings `revoke_mandate`): no
    invoice is debited from then on; nobody answers it yet."""

    family_id = fields.String(required=True)
    mandate_id = fields.String(required=True)
    reference = fields.String(required=True)
    revoked_at = fields.AwareDateTime(required=True)


class JobSearchChanged(Schema):
    """A family's job search as bookings keeps it (the AVIP priority) changed: staff edited the
    family file, or placements recorded an outcome that ends the search (`source`)."""

    family_id = fields.String(required=True)
    job_seeker = fields.Boolean(required=True)
    changed_on = fields.Date(required=True)  # the date the family started or stopped looking
    source = fields.String(required=True, validate=validate.OneOf(("family_file", "outcome")))


register("bookings.activity_scheduled", ActivityScheduled)
register("bookings.activity_rescheduled", ActivityRescheduled)
register("bookings.activity_cancelled", ActivityCancelled)
register("bookings.activity_completed", ActivityCompleted)
register("bookings.trainee_assigned", TraineeAssigned)
register("bookings.room_reserved", RoomReserved)
register("bookings.room_reservation_refused", RoomReservationRefused)
register("bookings.room_released", RoomReleased)
# version 2: without the family's email and the child's first name (a person's data travels by id)
WITHOUT_FAMILY_NAMES = {1: dropping("family_email", "child_first_name")}
register("bookings.booking_confirmed", BookingConfirmed, version=2, upcasters=WITHOUT_FAMILY_NAMES)
register("bookings.booking_waitlisted", BookingWaitlisted, version=2, upcasters=WITHOUT_FAMILY_NAMES)
register("bookings.booking_promoted", BookingPromoted, version=2, upcasters=WITHOUT_FAMILY_NAMES)
register("bookings.booking_cancelled", BookingCancelled, version=2, upcasters=WITHOUT_FAMILY_NAMES)
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


# --- invoices (invoicing/) ------------------------------------------------------------------------
class MonthClosed(Schema):
    """Staff closed a month into invoices (bookings `close_month`): one invoice_issued follows
    for each family billed. `forced`: closed with absence requests still pending."""

    month = fields.String(required=True)  # "2026-03"
    invoices = fields.Integer(required=True, validate=validate.Range(min=0))
    total = fields.String(required=True)  # the invoices' total, "1234.56"
    forced = fields.Boolean(required=True)
    closed_by = fields.String(load_default=None, allow_none=True)
    # the month's hours as the CNAF report counts them, and the hours × places the crèche offered
    # (exact decimals); absent from events sent before they were told
    hours_billed = fields.String(load_default=None, allow_none=True)
    hours_attended = fields.String(load_default=None, allow_none=True)
    place_hours = fields.String(load_default=None, allow_none=True)


class InvoiceIssued(Schema):
    """An invoice was issued to a family when its month was closed (bookings `close_month`):
    notifications may send it (its PDF: GET /api/v1/invoices/{invoice_id}.pdf), to the address
    bookings `contact` gives when it leaves (version 2 carries no email)."""

    invoice_id = fields.String(required=True)
    number = fields.String(required=True)  # F-2026-000042
    family_id = fields.String(required=True)
    month = fields.String(required=True)
    total = fields.String(required=True)
    issued_on = fields.Date(required=True)
    due_on = fields.Date(required=True)


class CreditNoteIssued(Schema):
    """Staff cancelled an invoice in full by a credit note (bookings `issue_credit_note`): the
    month comes back, recomputed, as an adjustment of the family's next open month."""

    invoice_id = fields.String(required=True)
    number = fields.String(required=True)  # the invoice cancelled
    credit_note_number = fields.String(required=True)  # A-2026-000003
    family_id = fields.String(required=True)
    month = fields.String(required=True)
    amount = fields.String(required=True)  # the invoice's total, cancelled
    reason = fields.String(required=True)
    credited_on = fields.Date(required=True)


class PaymentRecorded(Schema):
    """Staff recorded a payment of an invoice (bookings `record_payment`)."""

    payment_id = fields.String(required=True)
    invoice_id = fields.String(required=True)
    number = fields.String(required=True)
    family_id = fields.String(required=True)
    amount = fields.String(required=True)
    paid_on = fields.Date(required=True)
    method = fields.String(required=True)
    balance = fields.String(required=True)  # what is left to pay on the invoice after it


register("bookings.month_closed", MonthClosed)
# version 2: without the family's email (bookings `contact` gives it to whoever sends)
register("bookings.invoice_issued", InvoiceIssued, version=2, upcasters={1: dropping("family_email")})
register("bookings.credit_note_issued", CreditNoteIssued, version=2, upcasters={1: dropping("family_email")})
register("bookings.payment_recorded", PaymentRecorded)
register("bookings.absence_requested", AbsenceRequested)
register("bookings.absence_approved", AbsenceApproved)
register("bookings.absence_rejected", AbsenceRejected)
register("bookings.absence_withdrawn", AbsenceWithdrawn)
register("bookings.mandate_signed", MandateSigned)
register("bookings.mandate_revoked", MandateRevoked)
register("bookings.job_search_changed", JobSearchChanged)
