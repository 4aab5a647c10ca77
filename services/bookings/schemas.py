"""The bookings service's published interface: what its RPC calls take (In, Query) and answer
(Out). The gateway may import this module, and only this one, of the service; its JSON uses the
same field names. Out schemas dump rows as presenters.py hands them over.
"""

import json

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.bookings.domain.contracts import ABSENCE_REASONS
from shared.pagination import PageQuery, cursor_field, limit_field
from shared.timeutil import from_db
from shared.vocabulary import (
    ACTIVITY_KINDS,
    AGE_GROUPS,
    BOOKING_STATUSES,
    CONTRACT_STATUSES,
    PHONE_PATTERN,
    RESOURCES_SOURCES,
    ROLES,
    ROOM_KINDS,
)

NAME = validate.Length(min=1, max=100)
COUNT = validate.Range(min=0, max=500)


# --- how values are written in answers ------------------------------------------------------------
class VenueTime(fields.DateTime):
    """A stored time (naive UTC) in the venue's zone, with its offset: 2026-12-01T09:00:00+01:00."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(from_db(value), attr, obj, **kwargs)


class Money(fields.Field):
    """An amount in euros as a string with two decimals: "12.50"."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value:.2f}"


def exact_text(value):
    """A Decimal with as many decimals as it has, no more, whatever the database: "2.064", "9", "0"."""
    return format(value.normalize(), "f") if value else "0"


class Exact(fields.Field):
    """A rate or a number of hours as a string with as many decimals as it has, no more: "1.5", "0"."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else exact_text(value)


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


class RoomQuery(PageQuery):
    """A page of rooms, by name (shared/pagination.py)."""


class PeriodQuery(Schema):
    from_ = fields.AwareDateTime(data_key="from", load_default=None)
    to = fields.AwareDateTime(load_default=None)
    limit = limit_field()
    cursor = cursor_field()


class ActivityOut(Schema):
    """Dumps an Activity shown with `trainee_ids` and `volunteer_ids` (presenters.activity)."""

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
    trainees = fields.List(fields.String(), attribute="trainee_ids")  # staff only (the gateway)
    volunteer_ids = fields.List(fields.String())  # staff only (the gateway)
    volunteers_confirmed = fields.Function(lambda activity: len(activity.volunteer_ids))
    trainees_count = fields.Function(lambda activity: len(activity.trainee_ids))


# --- families, children, childcare -------------------------------------------------------------
class GuardianSchema(Schema):
    first_name = fields.String(required=True, validate=NAME)
    last_name = fields.String(required=True, validate=NAME)
    phone = fields.String(required=True, validate=validate.Regexp(PHONE_PATTERN, error="Numéro de téléphone invalide."))


class FamilyIn(Schema):
    id = fields.String(load_default=None)
    email = fields.Email(required=True)
    guardians = fields.List(
        fields.Nested(GuardianSchema),
        required=True,
        validate=validate.Length(min=1, max=4, error="De 1 à 4 responsables."),
    )
    monthly_resources = fields.Decimal(required=True, places=2, validate=validate.Range(min=0, max=1_000_000))
    dependent_children = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=10))
    aeeh = fields.Boolean(load_default=False)
    job_seeker = fields.Boolean(load_default=False)


class ChildIn(Schema):
    first_name = fields.String(required=True, validate=NAME)
    birth_date = fields.Date(required=True)
    # the family's proposal (domain/walking.py): "walking" waits for staff below the walking age
    walking = fields.Boolean(load_default=None, allow_none=True)


# --- the family file, corrected by staff (domain/family_file.py) ---------------------------------
# French messages for every refusal: staff read them as they are, next to the field.
_REQUIRED = "Champ obligatoire."
_NOT_NULL = "Une valeur est attendue."
_A_DATE = "Date attendue au format AAAA-MM-JJ."
_TRUE_OR_FALSE = "Indiquez true ou false."


def _messages(invalid, **more):
    return {"required": _REQUIRED, "null": _NOT_NULL, "invalid": invalid, **more}


class FrenchSchema(Schema):
    error_messages = {"unknown": "Champ inconnu.", "type": "Objet JSON attendu."}


class ChildWalkingIn(FrenchSchema):
    """Staff's observation: true (walks), false (does not walk yet), null (back to the age rule)."""

    walking = fields.Boolean(
        required=True, allow_none=True, error_messages=_messages("Indiquez true, false ou null (selon l'âge).")
    )


class FamilyFileIn(FrenchSchema):
    """A correction of the family file by staff: any of these fields, at least one."""

    monthly_resources = fields.Decimal(
        places=2,
        validate=validate.Range(min=0, max=1_000_000, error="Entre 0 et 1 000 000 € par mois."),
        error_messages=_messages("Montant en euros attendu, par exemple 2500.00.", special="Montant invalide."),
    )
    resources_checked_on = fields.Date(error_messages=_messages(_A_DATE, format=_A_DATE))
    resources_source = fields.String(
        validate=validate.OneOf(
            RESOURCES_SOURCES,
            error="Source attendue : caf (données CAF/CDAP), tax_notice (avis d'imposition) ou other.",
        ),
        error_messages=_messages("Texte attendu."),
    )
    dependent_children = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=10, error="De 1 à 10 enfants à charge."),
        error_messages=_messages("Nombre entier attendu."),
    )
    aeeh = fields.Boolean(error_messages=_messages(_TRUE_OR_FALSE))
    job_seeker = fields.Boolean(error_messages=_messages(_TRUE_OR_FALSE))
    job_seeker_checked_on = fields.Date(error_messages=_messages(_A_DATE, format=_A_DATE))

    @validates_schema
    def at_least_one(self, data, **kwargs):
        if not data:
            raise ValidationError("Indiquez au moins un champ à corriger.", "_schema")


class FamilyQuery(Schema):
    """A page of families by email; `q`: found in the email or a guardian's name (any case, any accent)."""

    q = fields.String(load_default=None, validate=validate.Length(max=100, error="Au plus 100 caractères."))
    limit = limit_field()
    cursor = cursor_field()


class HistoryQuery(PageQuery):
    """A page of a family's history, oldest change first."""


class SlotIn(Schema):
    room_id = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    age_group = fields.String(required=True, validate=validate.OneOf(AGE_GROUPS))
    staff_on_duty = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=50))


MAX_SLOT_PERIOD_DAYS = 92  # a period of slots asked at once: about three months [practice]


class SlotQuery(Schema):
    """Slots starting on `date`, or from `from` (included) to `to` (excluded), local dates at most
    MAX_SLOT_PERIOD_DAYS apart; neither: all of them. Paged by start."""

    date = fields.Date(load_default=None)
    from_ = fields.Date(data_key="from", load_default=None)
    to = fields.Date(load_default=None)
    limit = limit_field()
    cursor = cursor_field()

    @validates_schema
    def _one_bounded_period(self, data, **kwargs):
        first, end = data.get("from_"), data.get("to")
        if first is None and end is None:
            return
        if data.get("date"):
            raise ValidationError("Indiquez un jour (date) ou une période (from, to), pas les deux.", "date")
        if first is None or end is None:
            raise ValidationError("Indiquez le début et la fin de la période.", "to" if end is None else "from")
        if end <= first:
            raise ValidationError("La fin de la période doit être après son début.", "to")
        if (end - first).days > MAX_SLOT_PERIOD_DAYS:
            raise ValidationError(f"Une période de {MAX_SLOT_PERIOD_DAYS} jours au plus.", "to")


class BookingIn(Schema):
    slot_id = fields.String(required=True)
    child_id = fields.String(required=True)


class BookingQuery(Schema):
    family_id = fields.String(load_default=None)
    slot_id = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(BOOKING_STATUSES))
    date = fields.Date(load_default=None)
    limit = limit_field()
    cursor = cursor_field()


class MomentIn(Schema):
    at = fields.AwareDateTime(required=True)


class QuoteQuery(Schema):
    monthly_resources = fields.Decimal(required=True, validate=validate.Range(min=0, max=1_000_000))
    dependent_children = fields.Integer(required=True, validate=validate.Range(min=1, max=10))
    aeeh = fields.Boolean(load_default=False)
    on = fields.Date(load_default=None)


class MonthIn(Schema):
    month = fields.String(
        required=True, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="Mois attendu au format AAAA-MM.")
    )


class YearIn(Schema):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100, error="Année attendue, ex. 2026."))


# --- answers of the childcare calls -------------------------------------------------------------
class ChildOut(Schema):
    """Dumps a Child shown with its walking status today (domain.walking.WalkingStatus, `status`)."""

    id = fields.String()
    first_name = fields.String()
    birth_date = fields.Date()
    walking = fields.Boolean(attribute="status.walks")  # what the ratio uses
    walking_set_by_staff = fields.Boolean(attribute="status.set_by_staff")
    walking_declared = fields.Boolean(allow_none=True)  # the family's proposal; null: none
    walking_pending_staff = fields.Boolean(attribute="status.pending_staff")  # the proposal waits for staff


class BookingToReviewOut(Schema):
    """A booking that no longer fits its slot once its child's walking status changed
    (domain.childcare.review_reason): kept, for staff to move or cancel."""

    booking_id = fields.String(attribute="id")
    slot_id = fields.String()
    starts_at = VenueTime(attribute="slot.starts_at")
    status = fields.String()
    reason = fields.String()  # "age_group" | "ratio"
    message = fields.String()


class ChildWalkingOut(ChildOut):
    """Dumps a Child after staff set its walking status, with its bookings that followed."""

    bookings_updated = fields.List(fields.String())  # ids of the bookings whose `walks` changed
    bookings_to_review = fields.List(fields.Nested(BookingToReviewOut))


class FamilyOut(Schema):
    """Dumps a Family shown with its `children` (ChildOut), eldest first."""

    id = fields.String()
    email = fields.String()
    guardians = fields.List(fields.Nested(GuardianSchema))
    monthly_resources = Money()
    dependent_children = fields.Integer()
    aeeh = fields.Boolean()
    job_seeker = fields.Boolean()
    resources_checked_on = fields.Date(allow_none=True)
    resources_source = fields.String(allow_none=True)
    job_seeker_checked_on = fields.Date(allow_none=True)
    children = fields.List(fields.Nested(ChildOut))


class RepricedOut(Schema):
    """A booking whose hourly rate followed a correction of the family's figures."""

    booking_id = fields.String(attribute="id")
    starts_at = VenueTime(attribute="slot.starts_at")
    hourly_rate_before = Exact()
    hourly_rate = Exact()


class FamilyFileOut(FamilyOut):
    """Dumps a Family after a correction, with the bookings repriced (slots not started yet)."""

    bookings_repriced = fields.List(fields.Nested(RepricedOut))


class FamilyChangeOut(Schema):
    """Dumps a FamilyChange: one field, before and after (JSON values), who and when."""

    changed_at = VenueTime()
    changed_by = fields.String()
    field = fields.String()
    child_id = fields.String(allow_none=True)  # for a child's field (walking)
    before = fields.Function(lambda change: json.loads(change.before))
    after = fields.Function(lambda change: json.loads(change.after))


class SlotOut(Schema):
    """Dumps a ChildcareSlot shown with its counts: `booked` (confirmed), `waitlisted`, `free`."""

    id = fields.String()
    room_id = fields.String()
    room_name = fields.String(attribute="room.name")
    starts_at = VenueTime()
    ends_at = VenueTime()
    age_group = fields.String()
    staff_on_duty = fields.Integer()
    places = fields.Integer()
    booked = fields.Integer()
    waitlisted = fields.Integer()
    free = fields.Integer()


class BookingOut(Schema):
    """Dumps a Booking shown with its billing `line` so far (domain.billing.BillingLine)."""

    id = fields.String()
    status = fields.String()
    slot_id = fields.String()
    child_id = fields.String()
    child_first_name = fields.String(attribute="child.first_name")
    family_id = fields.String()
    starts_at = VenueTime(attribute="slot.starts_at")
    ends_at = VenueTime(attribute="slot.ends_at")
    hourly_rate = Exact()
    amount = Money(attribute="line.amount")
    hours_billed = Exact(attribute="line.hours_billed")
    avip = fields.Boolean()
    walks = fields.Boolean()  # counted as walking in the slot's ratio (domain/walking.py)
    checked_in_at = VenueTime(allow_none=True)
    checked_out_at = VenueTime(allow_none=True)
    cancelled_in_time = fields.Boolean(allow_none=True)  # None until cancelled
    requested_at = VenueTime()
    waitlist_position = fields.Integer(allow_none=True)  # from 1 while waitlisted, else None


class QuoteOut(Schema):
    """Dumps a domain.fees.FeeQuote."""

    hourly_rate = Exact()
    effort_rate = Exact()
    resources_used = Money()
    floor = Money()
    ceiling = Money()
    on = fields.Date()
    status = fields.String()


class StatementLineOut(Schema):
    """Dumps a Booking shown with its billing `line` and its `label`."""

    kind = fields.Constant("booking")
    label = fields.String()
    booking_id = fields.String(attribute="id")
    child_first_name = fields.String(attribute="child.first_name")
    starts_at = VenueTime(attribute="slot.starts_at")
    ends_at = VenueTime(attribute="slot.ends_at")
    status = fields.String()
    hourly_rate = Exact()
    hours_booked = Exact(attribute="line.hours_booked")
    hours_attended = Exact(attribute="line.hours_attended")
    hours_billed = Exact(attribute="line.hours_billed")
    amount = Money(attribute="line.amount")


class ContractLineOut(Schema):
    """Dumps a domain.contracts.ContractLine shown with its `contract_id` and `child_first_name`."""

    kind = fields.String()  # "contract", "deduction" or "extra"
    label = fields.String()  # a French sentence that explains it
    contract_id = fields.String()
    child_first_name = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    hourly_rate = Exact()
    hours_billed = Exact(attribute="hours")  # negative hours never: a deduction's hours are what is taken off
    amount = Money()  # negative for a deduction


class StatementOut(Schema):
    """Dumps a Family shown with `month`, its `total` (domain.contracts.FamilyMonth), the booking
    `lines` and the `contract_lines`; `lines` in the answer are the contract lines, then the bookings."""

    family_id = fields.String(attribute="id")
    month = fields.String()
    hours_booked = Exact(attribute="total.hours_booked")
    hours_attended = Exact(attribute="total.hours_attended")
    hours_billed = Exact(attribute="total.hours_billed")
    amount = Money(attribute="total.amount")
    contract_amount = Money(attribute="total.contract_amount")
    deductions = Money(attribute="total.deductions")
    extra_hours = Exact(attribute="total.extra_hours")
    lines = fields.Method("_lines")

    def _lines(self, statement):
        return ContractLineOut(many=True).dump(statement.contract_lines) + StatementLineOut(many=True).dump(
            statement.lines
        )


# --- regular care contracts -------------------------------------------------------------------
HHMM = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Heure attendue au format HH:MM, ex. 08:30.")


class PatternDayIn(Schema):
    weekday = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=0, max=6, error="Jour de 0 (lundi) à 6 (dimanche).")
    )
    start = fields.String(required=True, validate=HHMM)
    end = fields.String(required=True, validate=HHMM)


class ContractQuoteQuery(QuoteQuery):
    hours_per_week = fields.Decimal(required=True, validate=validate.Range(min=0, min_inclusive=False, max=70))
    weeks_per_year = fields.Integer(required=True, validate=validate.Range(min=1, max=52))
    months = fields.Integer(load_default=12, validate=validate.Range(min=1, max=12))


class WeeklyPatternIn(Schema):
    """The days and hours of every week, and the weeks of attendance in a year."""

    weeks_per_year = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=52))
    pattern = fields.List(
        fields.Nested(PatternDayIn), required=True, validate=validate.Length(min=1, error="Indiquez au moins un jour.")
    )


class ContractIn(WeeklyPatternIn):
    child_id = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class ContractEndIn(Schema):
    on = fields.Date(required=True)  # the last day of care


class ContractAmendIn(WeeklyPatternIn):
    """A new weekly pattern from a date on (the contract is replaced by a new one from that day)."""

    from_on = fields.Date(required=True)


class ContractQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(CONTRACT_STATUSES))


class AbsenceIn(Schema):
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(ABSENCE_REASONS))


class ContractQuoteOut(Schema):
    """Dumps a domain.contracts.Mensualisation shown with its `hourly_rate`."""

    hourly_rate = Exact()
    hours_per_year = Exact()
    hours_per_month = Exact()
    monthly_amount = Money()


class AbsenceOut(Schema):
    id = fields.String()
    contract_id = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    reason = fields.String()
    deducted_hours = Exact()
    recorded_by = fields.String()


class ContractOut(Schema):
    """Dumps a Contract shown with its `pattern` (list of dicts), `hours_per_week`, `child_first_name`
    and `absences` (AbsenceOut)."""

    id = fields.String()
    status = fields.String()
    family_id = fields.String()
    child_id = fields.String()
    child_first_name = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    ended_on = fields.Date(allow_none=True)
    weeks_per_year = fields.Integer()
    pattern = fields.List(fields.Dict())
    hours_per_week = Exact()
    avip = fields.Boolean()
    hourly_rate = Exact(allow_none=True)
    hours_per_month = Exact(allow_none=True)
    monthly_amount = Money(allow_none=True)
    amends = fields.String(allow_none=True)
    absences = fields.List(fields.Nested(AbsenceOut))


class CnafMonthOut(Schema):
    """Dumps (month, occasional billing.MonthlyStatement, contracts' contracts.FamilyMonth) as an object
    shown with `month`, `occasional` and `contracts`."""

    month = fields.String()
    occasional_hours_billed = Exact(attribute="occasional.hours_billed")
    occasional_hours_attended = Exact(attribute="occasional.hours_attended")
    contract_hours_billed = Exact(attribute="contracts.hours_billed")
    contract_hours_attended = Exact(attribute="contracts.hours_attended")
    hours_billed = Exact()
    hours_attended = Exact()
    amount = Money()


class CnafReportOut(Schema):
    year = fields.Integer()
    months = fields.List(fields.Nested(CnafMonthOut))
    hours_billed = Exact()
    hours_attended = Exact()
    amount = Money()


class AttendanceOut(Schema):
    """Dumps a ContractAttendance: a contract child's arrival and departure on one day."""

    contract_id = fields.String()
    day = fields.Date()
    arrived_at = VenueTime()
    left_at = VenueTime(allow_none=True)


# --- a person's calendar feed (calendar_feed_rpc.py; the gateway's .ics link) ------------------
class FeedQuery(Schema):
    """Whose feed (the account's role and the ids it is known by here) and the period it covers."""

    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    subject_ids = fields.List(fields.String(validate=validate.Length(min=1, max=36)), load_default=list)
    from_ = fields.AwareDateTime(data_key="from", required=True)
    to = fields.AwareDateTime(required=True)


class CalendarEntryOut(Schema):
    """Dumps one thing of a person's calendar (presenters.calendar_entries): a childcare booking,
    an activity or a childcare slot, with a `uid` that stays the same for ever."""

    uid = fields.String()
    kind = fields.String()  # "booking", "activity" or "slot"
    status = fields.String()  # the booking's or the activity's status; "scheduled" for a slot
    title = fields.String()  # the activity's title; "" for a booking or a slot
    activity_kind = fields.String(allow_none=True)
    child_first_name = fields.String(allow_none=True)  # a booking's child
    age_group = fields.String(allow_none=True)  # a slot's
    places = fields.Integer(allow_none=True)  # a slot's places and confirmed bookings
    booked = fields.Integer(allow_none=True)
    room_name = fields.String()
    starts_at = VenueTime()
    ends_at = VenueTime()


# --- the staff's board (board_rpc.py): the day, who is in the building, a room's week ---------------
class DayQuery(Schema):
    """A day of the venue (default: today)."""

    date = fields.Date(load_default=None, error_messages={"invalid": "Date attendue au format AAAA-MM-JJ."})


class WeekQuery(Schema):
    """A week of a room's calendar: any of its days (default: this week); its Monday is shown."""

    week = fields.Date(load_default=None, error_messages={"invalid": "Date attendue au format AAAA-MM-JJ."})


class DayChildOut(Schema):
    """A child expected on the day (a confirmed booking, or a regular care contract) with its
    arrival and departure as noted: one row of the check-in list and of the evacuation register."""

    child_id = fields.String(attribute="child.id")
    first_name = fields.String(attribute="child.first_name")
    family_id = fields.String()
    family_name = fields.String()  # the first guardian's last name
    walks = fields.Boolean()  # counted as walking today (domain/walking.py)
    booking_id = fields.String(allow_none=True)  # check in with check_in / check_out
    contract_id = fields.String(allow_none=True)  # or with contract_check_in / contract_check_out
    slot_id = fields.String(allow_none=True)  # the slot the child counts in (none: no slot covers its hours)
    room_name = fields.String(allow_none=True)
    starts_at = VenueTime()  # the hours booked or under contract
    ends_at = VenueTime()
    arrived_at = VenueTime(allow_none=True)
    left_at = VenueTime(allow_none=True)
    present = fields.Boolean()  # arrived and not left


class BoardSlotOut(SlotOut):
    """A slot of the day with the children present now and its ratio status (domain.ratio.ratio_status)."""

    present = fields.Integer()
    present_walking = fields.Integer()
    present_non_walking = fields.Integer()
    adults_required = fields.Integer()
    ratio_status = fields.String()  # "ok" | "at_limit" | "breach"


class DayBoardOut(Schema):
    date = fields.Date()
    at = fields.AwareDateTime()  # when it was read: "now" for the children present
    activities = fields.List(fields.Nested(ActivityOut))
    slots = fields.List(fields.Nested(BoardSlotOut))
    present = fields.Integer()  # children in the building now
    ratio_status = fields.String(allow_none=True)  # the worst of the slots'; null without a slot


class DayChildrenOut(Schema):
    """The children of the day (check-in list), or those present now (evacuation register)."""

    date = fields.Date()
    at = fields.AwareDateTime()
    count = fields.Integer()
    children = fields.List(fields.Nested(DayChildOut))


class OnSiteActivityOut(Schema):
    """An activity under way, with the people the schedule puts there (ids of the services that
    own them: placements' trainees, volunteers' volunteers)."""

    activity_id = fields.String(attribute="activity.id")
    title = fields.String(attribute="activity.title")
    room_name = fields.String(attribute="activity.room.name")
    starts_at = VenueTime(attribute="activity.starts_at")
    ends_at = VenueTime(attribute="activity.ends_at")
    trainee_ids = fields.List(fields.String())
    volunteer_ids = fields.List(fields.String())


class OnSiteSessionOut(Schema):
    """A training session under way (its held room reservation): the education service knows who attends."""

    session_id = fields.String()
    title = fields.String()
    room_name = fields.String(attribute="room.name")
    starts_at = VenueTime()
    ends_at = VenueTime()


class OnSiteOut(Schema):
    """The adults the schedule puts in the building now (board_rpc.on_site_now)."""

    at = fields.AwareDateTime()
    activities = fields.List(fields.Nested(OnSiteActivityOut))
    sessions = fields.List(fields.Nested(OnSiteSessionOut))


class WeekEntryOut(Schema):
    """What holds a room for a time: an activity, a childcare slot, a training reservation."""

    kind = fields.String()  # "activity" | "slot" | "training"
    id = fields.String()
    title = fields.String()
    starts_at = VenueTime()
    ends_at = VenueTime()
    status = fields.String(allow_none=True)  # an activity's
    activity_kind = fields.String(allow_none=True)
    age_group = fields.String(allow_none=True)  # a slot's
    places = fields.Integer(allow_none=True)
    booked = fields.Integer(allow_none=True)


class WeekDayOut(Schema):
    date = fields.Date()
    entries = fields.List(fields.Nested(WeekEntryOut))


class RoomWeekOut(Schema):
    room = fields.Nested(RoomOut)
    week = fields.Date()  # its Monday
    previous_week = fields.Date()
    next_week = fields.Date()
    days = fields.List(fields.Nested(WeekDayOut))
