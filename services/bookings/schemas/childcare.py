"""Childcare's interface: families and children, slots, bookings, attendance, fees and the
monthly statement (childcare/entrypoints.py)."""

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from services.bookings.domain.emergency import LABEL as EMERGENCY_LABEL
from services.bookings.schemas.duty import NamedStaffOut
from services.bookings.schemas.values import MONEY_PATTERN, NAME, Exact, Money, VenueTime
from shared.pagination import cursor_field, limit_field
from shared.vocabulary import AGE_GROUPS, BOOKING_STATUSES, PHONE_PATTERN

AEEH_AT_MOST = "Au plus autant d'enfants bénéficiaires de l'AEEH que d'enfants à charge."
AEEH_CONTRADICTS = "aeeh et aeeh_children se contredisent : indiquez seulement aeeh_children."


def aeeh_children_field(**kwargs):
    """How many dependent children receive AEEH (domain/fees.py: one CNAF row down each)."""
    return fields.Integer(
        validate=validate.Range(min=0, max=10, error="De 0 à 10 enfants bénéficiaires de l'AEEH."), **kwargs
    )


def aeeh_count(aeeh, aeeh_children):
    """The number of AEEH children a request gives: `aeeh_children`, else the former flag `aeeh`
    (true: 1, false: 0), else None. Both given must agree (true with 1 or more, false with 0)."""
    if aeeh_children is None:
        return None if aeeh is None else int(aeeh)
    if aeeh is not None and aeeh != (aeeh_children > 0):
        raise ValidationError(AEEH_CONTRADICTS, "aeeh_children")
    return aeeh_children


class WithAeehChildren(Schema):
    """A family's figures given whole (registration, quotes): `aeeh_children`, or `aeeh` meaning
    1, at most `dependent_children`. Loads both: `aeeh_children` and `aeeh` (aeeh_children > 0)."""

    @validates_schema
    def _aeeh_children_at_most_dependent_children(self, data, **kwargs):
        count = aeeh_count(data.get("aeeh"), data.get("aeeh_children"))
        if count and count > data["dependent_children"]:
            raise ValidationError(AEEH_AT_MOST, "aeeh_children")

    @post_load
    def _aeeh_children(self, data, **kwargs):
        data["aeeh_children"] = aeeh_count(data.get("aeeh"), data.get("aeeh_children")) or 0
        data["aeeh"] = data["aeeh_children"] > 0
        return data


class GuardianSchema(Schema):
    first_name = fields.String(required=True, validate=NAME)
    last_name = fields.String(required=True, validate=NAME)
    phone = fields.String(required=True, validate=validate.Regexp(PHONE_PATTERN, error="Numéro de téléphone invalide."))


class FamilyIn(WithAeehChildren):
    id = fields.String(load_default=None)
    email = fields.Email(required=True)
    guardians = fields.List(
        fields.Nested(GuardianSchema),
        required=True,
        validate=validate.Length(min=1, max=4, error="De 1 à 4 responsables."),
    )
    monthly_resources = fields.Decimal(required=True, places=2, validate=validate.Range(min=0, max=1_000_000))
    dependent_children = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=10))
    aeeh = fields.Boolean(load_default=None)  # the former flag: true means aeeh_children 1
    aeeh_children = aeeh_children_field(strict=True, load_default=None)
    job_seeker = fields.Boolean(load_default=False)
    # where invoices and tax certificates are sent (one text, lines separated by newlines)
    postal_address = fields.String(load_default="", validate=validate.Length(max=300))


class ChildIn(Schema):
    first_name = fields.String(required=True, validate=NAME)
    birth_date = fields.Date(required=True)
    # the family's proposal (domain/walking.py): "walking" waits for staff below the walking age
    walking = fields.Boolean(load_default=None, allow_none=True)


STAFF_IDS = validate.Length(max=50, error="Au plus 50 membres du personnel.")
UNNAMED = validate.Range(min=0, max=50)


def staff_ids_field(**kwargs):
    """The staff members named on duty (team's staff ids, each once)."""
    return fields.List(fields.String(validate=validate.Length(min=1, max=36)), validate=STAFF_IDS, **kwargs)


class NamedStaff(Schema):
    """`staff_ids`: the staff members named on duty; `staff_on_duty` in a request: staff given as
    a number alone, unnamed (counted as professionals, shown as such). The answers' `staff_on_duty`
    is the whole count: the named who count in the ratio and are cleared on the day + the unnamed."""

    @validates_schema
    def _each_named_once(self, data, **kwargs):
        ids = data.get("staff_ids") or []
        if len(set(ids)) != len(ids):
            raise ValidationError("Chaque membre du personnel est nommé une fois.", "staff_ids")


class SlotIn(NamedStaff):
    room_id = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    age_group = fields.String(required=True, validate=validate.OneOf(AGE_GROUPS))
    staff_ids = staff_ids_field(load_default=list)
    staff_on_duty = fields.Integer(load_default=None, strict=True, validate=UNNAMED)

    @validates_schema
    def _some_staff(self, data, **kwargs):
        if not data.get("staff_ids") and data.get("staff_on_duty") is None:
            raise ValidationError(
                "Nommez le personnel présent (staff_ids), ou indiquez son nombre (staff_on_duty).", "staff_ids"
            )


class SlotStaffIn(NamedStaff):
    """PATCH /childcare-slots/{id}: the staff on duty now (a sick call, a replacement). The
    unnamed count stays as it was unless `staff_on_duty` gives a new one."""

    staff_ids = staff_ids_field(required=True)
    staff_on_duty = fields.Integer(load_default=None, strict=True, validate=UNNAMED)


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


class QuoteQuery(WithAeehChildren):
    # required unless resources_known=false (emergency care: the venue's emergency rate)
    monthly_resources = fields.Decimal(load_default=None, validate=validate.Range(min=0, max=1_000_000))
    dependent_children = fields.Integer(required=True, validate=validate.Range(min=1, max=10))
    aeeh = fields.Boolean(load_default=None)  # the former flag: true means aeeh_children 1
    aeeh_children = aeeh_children_field(load_default=None)
    on = fields.Date(load_default=None)
    resources_known = fields.Boolean(load_default=True)

    @validates_schema
    def _resources_given(self, data, **kwargs):
        if data.get("resources_known", True) and data.get("monthly_resources") is None:
            raise ValidationError(
                "Champ obligatoire (ou resources_known=false : ressources inconnues, tarif d'urgence).",
                "monthly_resources",
            )


class MonthIn(Schema):
    month = fields.String(
        required=True,
        validate=validate.Regexp(r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$", error="Mois attendu au format AAAA-MM."),
    )


class ChildOut(Schema):
    """Dumps a Child shown with its walking status today (domain.walking.WalkingStatus, `status`)."""

    id = fields.String()
    first_name = fields.String()
    birth_date = fields.Date()
    walking = fields.Boolean(attribute="status.walks")  # what the ratio uses
    walking_set_by_staff = fields.Boolean(attribute="status.set_by_staff")
    walking_declared = fields.Boolean(allow_none=True)  # the family's proposal; null: none
    walking_pending_staff = fields.Boolean(attribute="status.pending_staff")  # the proposal waits for staff


class FamilyOut(Schema):
    """Dumps a Family shown with its `children` (ChildOut), eldest first."""

    id = fields.String()
    email = fields.String()
    guardians = fields.List(fields.Nested(GuardianSchema))
    monthly_resources = Money()
    dependent_children = fields.Integer()
    aeeh_children = fields.Integer()
    aeeh = fields.Boolean()  # aeeh_children > 0
    job_seeker = fields.Boolean()
    resources_checked_on = fields.Date(allow_none=True)
    resources_source = fields.String(allow_none=True)
    job_seeker_checked_on = fields.Date(allow_none=True)
    # the AVIP status's dates (domain/job_search.py): the family file's last change of job_seeker,
    # and the day an outcome (a hire, a job, back to work) ended the search since (null: none)
    job_search_changed_on = fields.Date(allow_none=True)
    back_to_work_on = fields.Date(allow_none=True)
    children = fields.List(fields.Nested(ChildOut))
    resources_known = fields.Boolean()  # false: priced at the emergency rate (domain/emergency.py)
    postal_address = fields.String()


class SlotOut(Schema):
    """Dumps a ChildcareSlot shown with its counts: `booked` (confirmed), `waitlisted`, `free`."""

    id = fields.String()
    room_id = fields.String()
    room_name = fields.String(attribute="room.name")
    starts_at = VenueTime()
    ends_at = VenueTime()
    age_group = fields.String()
    staff_on_duty = fields.Integer()  # the named who count in the ratio and are cleared that day + unnamed_staff
    staff = fields.List(fields.Nested(NamedStaffOut))  # the staff members named on duty
    unnamed_staff = fields.Integer()  # staff given as a number alone (counted, not named)
    places = fields.Integer()
    booked = fields.Integer()
    waitlisted = fields.Integer()
    free = fields.Integer()


class CollectedByOut(Schema):
    """Who collected the child at check-out (child_file/care_checks.py, collected_by)."""

    kind = fields.String()  # "guardian" | "pickup_adult"
    id = fields.String()
    name = fields.String()
    id_checked = fields.Boolean()


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
    collected_by = fields.Nested(CollectedByOut, allow_none=True)  # who collected the child
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
    aeeh_children = fields.Integer()
    emergency = fields.String(allow_none=True)  # resources unknown: "floor" or "average" (domain/emergency.py)
    emergency_label = fields.Function(
        lambda q: EMERGENCY_LABEL if q.emergency else None, metadata={"type": "string", "nullable": True}
    )


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
    """Dumps a domain.covered_month.ContractLine shown with its `contract_id` and `child_first_name`."""

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
    """Dumps a Family shown with `month`, its `total` (domain.contract_statement.FamilyMonth), the booking
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
    # what the adjustment lines of closed months bring (month_statements.py adds them): none here
    adjustments = fields.String(dump_default="0.00", metadata={"type": "string", "pattern": MONEY_PATTERN})
    lines = fields.Method("_lines", metadata={"type": "array", "items": {"type": "object"}})

    def _lines(self, statement):
        return ContractLineOut(many=True).dump(statement.contract_lines) + StatementLineOut(many=True).dump(
            statement.lines
        )
