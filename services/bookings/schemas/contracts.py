"""Regular care contracts' interface: quote, request, acceptance, end, amendment, absences,
arrivals and departures, the CNAF report (contracts/entrypoints.py)."""

from marshmallow import Schema, fields, validate

from services.bookings.domain import certificates
from services.bookings.domain.absences import ABSENCE_REASONS, ABSENCE_STATUSES, REJECT_REASON_MAX
from services.bookings.schemas.childcare import CollectedByOut, QuoteQuery
from services.bookings.schemas.values import Exact, Money, VenueTime
from shared.pagination import PageQuery
from shared.vocabulary import CONTRACT_STATUSES


class YearIn(Schema):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100, error="Année attendue, ex. 2026."))


# What the gateway may take as an absence certificate, before the service checks it (domain/certificates.py).
CERTIFICATE_MAX_BYTES = certificates.MAX_BYTES
CERTIFICATE_MEDIA_TYPES = certificates.MEDIA_TYPES

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
    """Dumps a domain.care_pattern.Mensualisation shown with its `hourly_rate`."""

    hourly_rate = Exact()
    aeeh_children = fields.Integer()
    hours_per_year = Exact()
    hours_per_month = Exact()
    monthly_amount = Money()
    emergency = fields.String(allow_none=True)  # resources unknown: "floor" or "average" (domain/emergency.py)
    emergency_label = fields.String(allow_none=True)


class AbsenceOut(Schema):
    """An absence: `status` requested (a family's request, nothing deducted yet), approved (staff's
    own, or a request staff accepted: deducted), rejected (with `reject_reason`) or withdrawn."""

    id = fields.String()
    contract_id = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    reason = fields.String()
    deducted_hours = Exact()
    recorded_by = fields.String()
    status = fields.String()
    requested_at = VenueTime(attribute="created_at")
    decided_by = fields.String(allow_none=True)
    decided_at = VenueTime(allow_none=True)
    proof_seen = fields.Boolean()
    reject_reason = fields.String(allow_none=True)
    has_certificate = fields.Boolean()


class AbsenceRowOut(AbsenceOut):
    """An absence in staff's queue: with its family and child (dumps a ContractAbsence whose
    contract and child are loaded)."""

    family_id = fields.String(attribute="contract.family_id")
    child_id = fields.String(attribute="contract.child_id")
    child_first_name = fields.String(attribute="contract.child.first_name")


class AbsenceQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(ABSENCE_STATUSES))


class AbsenceApproveIn(Schema):
    """`proof_seen`: staff saw the certificate (required true for an illness or a hospitalisation)."""

    proof_seen = fields.Boolean(load_default=False)


class AbsenceRejectIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(max=REJECT_REASON_MAX))


class AbsenceCertificateOut(Schema):
    """A certificate as kept: its type (read from its content) and size; `content_base64` only
    when the file itself is asked for (get_certificate)."""

    absence_id = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    filename = fields.String()
    content_base64 = fields.String()


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
    """Dumps (month, occasional billing.MonthlyStatement, contracts' contract_statement.FamilyMonth) as an object
    shown with `month`, `occasional` and `contracts`."""

    month = fields.String()
    occasional_hours_billed = Exact(attribute="occasional.hours_billed")
    occasional_hours_attended = Exact(attribute="occasional.hours_attended")
    contract_hours_billed = Exact(attribute="contracts.hours_billed")
    contract_hours_attended = Exact(attribute="contracts.hours_attended")
    hours_billed = Exact()
    hours_attended = Exact()
    amount = Money()
    # hours billed ÷ attended, in % with one decimal rounded up ("107.1"); null: nothing attended
    billing_ratio = fields.String(allow_none=True, metadata={"pattern": r"^\d+\.\d$"})
    ratio_above_limit = fields.Boolean()  # above 107 %: the PSU price decreases (domain/cnaf_report.py)


class CnafReportOut(Schema):
    year = fields.Integer()
    months = fields.List(fields.Nested(CnafMonthOut))
    hours_billed = Exact()
    hours_attended = Exact()
    amount = Money()
    billing_ratio = fields.String(allow_none=True, metadata={"pattern": r"^\d+\.\d$"})
    ratio_above_limit = fields.Boolean()


class AttendanceOut(Schema):
    """Dumps a ContractAttendance: a contract child's arrival and departure on one day."""

    contract_id = fields.String()
    day = fields.Date()
    arrived_at = VenueTime()
    left_at = VenueTime(allow_none=True)
    collected_by = fields.Nested(CollectedByOut, allow_none=True)  # who collected the child
