"""The placements service's published interface: its marshmallow In (what a call takes), Out (what
it answers) and Query (a list's filters) schemas. The gateway may import this module, and no
other of this service. Event payloads are not here: one schema per event in
shared/events/placements.py.

Hours and amounts travel as exact decimal strings ("7.50", "1344.15").
"""

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from services.placements.domain import immersion as immersion_rules
from services.placements.domain.evaluation import RATINGS
from services.placements.domain.lifecycle import STATUSES
from services.placements.domain.programmes import PROGRAMMES
from services.placements.domain.progress import LOG_KINDS, LOG_STATUSES
from shared import timeutil
from shared.pagination import cursor_field, limit_field
from shared.timeutil import from_db, venue_zone
from shared.vocabulary import IMMERSION_OBJECTS, OUTCOME_KINDS, PHONE_PATTERN, PRESCRIBER_ORGANISATIONS, ROLES

HHMM = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Heure attendue au format HH:MM.")
REASON = validate.Length(min=3, max=500, error="Indiquez un motif (3 à 500 caractères).")


class VenueTime(fields.DateTime):
    """A stored time (naive UTC) in the venue's zone, with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(from_db(value), attr, obj, **kwargs)


class Hours(fields.Decimal):
    def __init__(self, **kwargs):
        super().__init__(as_string=True, places=2, **kwargs)


# --- trainees ---------------------------------------------------------------------------------
class TraineeIn(Schema):
    """The profile part of POST /api/v1/trainees (the gateway keeps the email and password)."""

    id = fields.String(load_default=None)
    email = fields.Email(required=True)
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    birth_date = fields.Date(required=True)
    programme = fields.String(
        required=True, validate=validate.OneOf(sorted(PROGRAMMES), error="Formation inconnue : {choices}.")
    )
    school = fields.String(required=True, validate=validate.Length(min=1, max=200))
    referent_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    referent_email = fields.Email(load_default=None, allow_none=True)
    phone = fields.String(
        load_default=None, allow_none=True, validate=validate.Regexp(PHONE_PATTERN, error="Numéro invalide.")
    )


class ProgrammeOut(Schema):
    """A programme hosted and its default required hours (null: the agreement gives them)."""

    key = fields.String()
    label = fields.String()
    default_hours = Hours(allow_none=True)


class TraineeOut(Schema):
    id = fields.String()
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    phone = fields.String(allow_none=True)
    birth_date = fields.Date()
    programme = fields.String()
    school = fields.String()
    referent_name = fields.String(allow_none=True)
    referent_email = fields.String(allow_none=True)
    # the attestation d'honorabilité (shared/honorability.py): its dates, null when none is recorded
    honorability_issued_on = fields.Date(allow_none=True)
    honorability_verified_on = fields.Date(allow_none=True)
    honorability_expires_on = fields.Date(allow_none=True)  # 3 years from the verification, less a day
    # today: cleared, expiring (cleared, renewal due within 60 days), expired, missing, not_yet_verified
    clearance_status = fields.String()
    cleared = fields.Boolean()  # may be with the children today
    clearance_refusal = fields.String(allow_none=True)  # the sentence when not cleared


class TraineeHonorabilityIn(Schema):
    """POST /api/v1/trainees/{id}/honorability: the attestation as staff verified it on the
    national platform (who verified: the staff account calling)."""

    issued_on = fields.Date(required=True)
    verified_on = fields.Date(required=True)


# --- placements -------------------------------------------------------------------------------
class ScheduleDay(Schema):
    """One period of the convention's week: a weekday, its arrival and departure, and the break
    not counted as presence (lunch). Several periods may share a weekday."""

    weekday = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=6))  # 0 = Monday
    start = fields.String(required=True, validate=HHMM)
    end = fields.String(required=True, validate=HHMM)
    break_minutes = fields.Integer(
        load_default=0, strict=True, validate=validate.Range(min=0, max=600, error="Pause de 0 à 600 minutes.")
    )

    @validates_schema
    def ends_after_start(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise ValidationError("Le départ doit être après l'arrivée.", "end")


class PlacementIn(Schema):
    trainee_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    tutor_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    school = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=200))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    required_hours = fields.Decimal(
        load_default=None, allow_none=True, places=2, validate=validate.Range(min=1, max=5000)
    )  # default: the programme's (domain/programmes.py)
    # the convention's week; its planned hours are its dates x this schedule (domain/school_year.py).
    # Without one, the placement plans its required_hours.
    weekly_schedule = fields.List(fields.Nested(ScheduleDay), load_default=list)
    under_convention = fields.Boolean(load_default=True)

    @validates_schema
    def ends_after_start(self, data, **kwargs):
        if data["ends_on"] < data["starts_on"]:
            raise ValidationError("La fin du stage doit être après son début.", "ends_on")


class PlacementPatchIn(Schema):
    """PATCH /api/v1/placements/{id}: what changed (dates after an illness, the schedule, the
    hours, the tutor), with an optional reason kept in the placement's history. Only the fields
    sent change; the placement's rules (overlap, tutor, host quota, 6 months) are checked again."""

    tutor_id = fields.String(validate=validate.Length(min=1, max=36))
    starts_on = fields.Date()
    ends_on = fields.Date()
    required_hours = fields.Decimal(places=2, validate=validate.Range(min=0, max=5000))
    weekly_schedule = fields.List(fields.Nested(ScheduleDay))
    reason = fields.String(load_default="", validate=validate.Length(max=500))

    @validates_schema
    def something_changes(self, data, **kwargs):
        if not set(data) - {"reason"}:
            raise ValidationError("Indiquez ce qui change : dates, emploi du temps, heures ou tuteur.", "_schema")


class GratificationPaymentIn(Schema):
    """POST /api/v1/placements/{id}/gratification-payments: what was actually paid for a month
    of the placement (D124-9), one payment per month. Checked by domain/payments.py."""

    month = fields.String(required=True)  # "2026-03"
    # "472.50": an exact decimal as text (a float is refused: it is not exact)
    amount = fields.Raw(required=True, metadata={"type": "string", "pattern": r"^\d+(\.\d{1,2})?$"})


class GratificationPaymentOut(Schema):
    month = fields.String()
    amount = fields.Decimal(as_string=True, places=2)
    recorded_by = fields.String()  # the staff account
    recorded_at = VenueTime()


class ChangeOut(Schema):
    """One edit of the placement: who, when, why, and each field's value before and after."""

    changed_at = VenueTime()
    changed_by = fields.String()
    reason = fields.String()
    changes = fields.Dict(keys=fields.String(), values=fields.Dict())  # {field: {before, after}}


class ReasonIn(Schema):
    reason = fields.String(required=True, validate=REASON)


class RatedItem(Schema):
    competence = fields.String(required=True, validate=validate.Length(min=1, max=300))
    rating = fields.String(
        required=True, validate=validate.OneOf(RATINGS, error="Appréciation : acquis, en cours ou non acquis.")
    )
    comment = fields.String(load_default="", validate=validate.Length(max=1000))


class EvaluationIn(Schema):
    items = fields.List(
        fields.Nested(RatedItem), required=True, validate=validate.Length(min=1, error="Au moins une compétence.")
    )


class WeekOut(Schema):
    week = fields.Date()  # its Monday
    validated_hours = Hours()
    cumulative_hours = Hours()


class MonthDueOut(Schema):
    month = fields.String()  # "2026-03"
    hours = Hours()
    hourly_rate = fields.Decimal(as_string=True)
    amount = fields.Decimal(as_string=True)


class PlacementOut(Schema):
    """A placement with its progress (validated vs required, by week) and its gratification."""

    id = fields.String()
    trainee_id = fields.String()
    trainee_name = fields.String()
    trainee_minor = fields.Boolean()
    programme = fields.String()
    tutor_id = fields.String()
    school = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    trainee_birth_date = fields.Date()
    programme_label = fields.String()
    hours_to_validate = fields.Boolean()  # False: an observation stage, nothing for the tutor to validate
    required_hours = Hours()  # as the convention sent it (or the programme's course total)
    planned_hours = Hours()  # the convention's hours at this venue: its dates x its schedule, else required_hours
    weekly_schedule = fields.List(fields.Nested(ScheduleDay))
    designated_on = fields.Date()  # the day the tutor's designation took effect
    under_convention = fields.Boolean()
    status = fields.String(validate=validate.OneOf(STATUSES))
    interruption_reason = fields.String(allow_none=True)
    started_at = VenueTime(allow_none=True)
    ended_at = VenueTime(allow_none=True)
    validated_hours = Hours()
    submitted_hours = Hours()
    training_hours = Hours()
    can_complete = fields.Boolean()
    weeks = fields.List(fields.Nested(WeekOut))
    # due across the trainee's placements here in a school year (domain/gratification.py
    # due_by_placement): the school years due, the minimum owed month by month for the planned
    # hours, its total (null when a year's rate is unknown); then what was actually paid
    gratification_due = fields.Boolean()
    gratification_school_years = fields.List(fields.String())  # « 2026-2027 »
    # « 2026-2027 » -> the planned hours of all the trainee's placements here that school year
    school_year_planned_hours = fields.Dict(keys=fields.String(), values=Hours())
    gratification_months = fields.List(fields.Nested(MonthDueOut))
    gratification_total = fields.Decimal(as_string=True, allow_none=True)  # the minimum owed
    gratification_payments = fields.List(fields.Nested(GratificationPaymentOut))
    gratification_paid = fields.Decimal(as_string=True, places=2)  # the total actually paid (the attestation's)
    evaluation = fields.List(fields.Nested(RatedItem), allow_none=True)
    evaluated_at = VenueTime(allow_none=True)
    history = fields.List(fields.Nested(ChangeOut))  # the edits, oldest first


class PlacementRowOut(Schema):
    """A placement in a list (no progress computed)."""

    id = fields.String()
    trainee_id = fields.String(attribute="trainee_id")
    trainee_name = fields.Function(
        lambda p: f"{p.trainee.first_name} {p.trainee.last_name}", metadata={"type": "string"}
    )
    tutor_id = fields.String()
    school = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    required_hours = Hours()
    planned_hours = Hours()
    status = fields.String()


class PlacementQuery(Schema):
    """A page of placements by start date (staff: filters; a trainee or tutor: theirs)."""

    tutor_id = fields.String(load_default=None)
    trainee_id = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    limit = limit_field()
    cursor = cursor_field()


# --- hour logs --------------------------------------------------------------------------------
class HourLogIn(Schema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    tasks = fields.String(load_default="", validate=validate.Length(max=2000))
    activity_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=36))


class HourLogOut(Schema):
    id = fields.String()
    placement_id = fields.String()
    starts_at = VenueTime()
    ends_at = VenueTime()
    hours = Hours()
    tasks = fields.String()
    activity_id = fields.String(allow_none=True)
    kind = fields.String(validate=validate.OneOf(LOG_KINDS))
    source = fields.String()
    status = fields.String(validate=validate.OneOf(LOG_STATUSES))
    reason = fields.String(allow_none=True)
    validated_by = fields.String(allow_none=True)
    validated_at = VenueTime(allow_none=True)
    confirmed_by_trainee_at = VenueTime(allow_none=True)  # a pre-filled log: when its trainee confirmed it
    trainee_name = fields.String()


class HourLogQuery(Schema):
    """A page of hour logs by start (a placement's, or those waiting for a tutor)."""

    status = fields.String(load_default=None, validate=validate.OneOf(LOG_STATUSES))
    limit = limit_field()
    cursor = cursor_field()


# --- outcomes (services/placements/outcomes.py) ---------------------------------------------------
def _venue_today():
    """The venue's date on the services' one clock (timeutil.now_utc, which tests move)."""
    return timeutil.now_utc().astimezone(timeutil.venue_zone()).date()


class OutcomeIn(Schema):
    """POST /api/v1/accounts/{id}/outcomes: what happened next to the person, on which day (not
    after today), with an optional free-text detail kept in placements only."""

    kind = fields.String(
        required=True, validate=validate.OneOf(OUTCOME_KINDS, error="Suite de parcours inconnue : {choices}.")
    )
    on = fields.Date(required=True)
    detail = fields.String(load_default="", validate=validate.Length(max=2000, error="Au plus 2000 caractères."))

    @validates("on")
    def _not_in_the_future(self, value, **kwargs):
        if value > _venue_today():
            raise ValidationError("La date ne peut pas être dans le futur.")


class OutcomeSubjectIn(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    id = fields.String(required=True, validate=validate.Length(min=1, max=36))


class RecordOutcomeIn(OutcomeIn):
    """What placements' `record_outcome` takes: the body, and the account's records as the gateway
    knows them (services/gateway/account_roles.subjects)."""

    subjects = fields.List(fields.Nested(OutcomeSubjectIn), required=True)


class OutcomeSubjectOut(Schema):
    role = fields.String()
    id = fields.String()


class OutcomeOut(Schema):
    id = fields.String()
    person_id = fields.String()  # the gateway account id
    subjects = fields.List(fields.Nested(OutcomeSubjectOut))
    kind = fields.String(validate=validate.OneOf(OUTCOME_KINDS))
    on = fields.Date()
    detail = fields.String()
    recorded_by = fields.String()  # the staff account
    recorded_at = VenueTime()


# --- immersions (PMSMP) -----------------------------------------------------------------------
def _one_object(value):
    errors = immersion_rules.objects_errors(value, IMMERSION_OBJECTS)
    if errors:
        raise ValidationError(errors["object"])


class PrescriberIn(Schema):
    """The prescriber (L5135-2): the organisation, and the adviser who follows the beneficiary."""

    organisation = fields.String(
        required=True,
        validate=validate.OneOf(PRESCRIBER_ORGANISATIONS, error="Prescripteur inconnu : {choices}."),
    )
    adviser_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    adviser_email = fields.Email(required=True)


class ImmersionRequestIn(Schema):
    """POST /api/v1/immersions: the beneficiary (their account is the gateway's), the prescriber,
    the one object, the objectives and activities, the dates (one month at most), the schedule
    (the working-time limits), the tutor and an optional gratification (no pay is due)."""

    beneficiary_email = fields.Email(required=True)
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    birth_date = fields.Date(required=True)
    prescriber = fields.Nested(PrescriberIn, required=True)
    object = fields.Raw(
        required=True, validate=_one_object, metadata={"type": "string", "enum": list(IMMERSION_OBJECTS)}
    )
    objectives = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    activities = fields.String(load_default="", validate=validate.Length(max=2000))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    tutor_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    schedule = fields.List(fields.Nested(ScheduleDay), required=True)
    gratification = fields.Decimal(
        load_default=None, allow_none=True, places=2, validate=validate.Range(min=0, max=100000)
    )

    @validates_schema
    def keeps_the_rules(self, data, **kwargs):
        """One month at most, and a schedule within the working-time limits (domain/immersion.py)."""
        if not {"starts_on", "ends_on"} <= data.keys():
            return
        errors = immersion_rules.dates_errors(data["starts_on"], data["ends_on"])
        if not errors and "birth_date" in data and "schedule" in data:
            errors = immersion_rules.schedule_errors(
                data["schedule"], data["starts_on"], data["ends_on"], data["birth_date"], venue_zone()
            )
        if errors:
            raise ValidationError(errors)


class SubjectIn(Schema):
    role = fields.String(required=True)
    id = fields.String(required=True)


class ImmersionIn(ImmersionRequestIn):
    """What the gateway asks placements to record: the request, and who the beneficiary is."""

    beneficiary_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    person_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    subjects = fields.List(fields.Nested(SubjectIn), load_default=list)


class SignatureIn(Schema):
    """One party's signature of the convention: who (beneficiary, venue, prescriber), when, by whom."""

    signer = fields.String(required=True, validate=validate.OneOf(immersion_rules.SIGNERS))
    signed_on = fields.Date(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class AssessmentIn(Schema):
    """The tutor's end-of-immersion assessment, sent to the prescriber."""

    days_present = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=31))
    skills_observed = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    next_steps = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    comment = fields.String(load_default="", validate=validate.Length(max=4000))


class PrescriberOut(Schema):
    organisation = fields.String()
    adviser_name = fields.String()
    adviser_email = fields.String()


class ImmersionSignatureOut(Schema):
    signed_on = fields.Date()
    name = fields.String()


class SignaturesOut(Schema):
    beneficiary = fields.Nested(ImmersionSignatureOut, allow_none=True)
    venue = fields.Nested(ImmersionSignatureOut, allow_none=True)
    prescriber = fields.Nested(ImmersionSignatureOut, allow_none=True)


class AssessmentOut(Schema):
    days_present = fields.Integer()
    skills_observed = fields.String()
    next_steps = fields.String()
    comment = fields.String()
    assessed_by = fields.String()
    assessed_on = fields.Date()


class ImmersionOut(Schema):
    id = fields.String()
    beneficiary_id = fields.String()
    person_id = fields.String()
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    birth_date = fields.Date()
    prescriber = fields.Nested(PrescriberOut)
    object = fields.String()
    objectives = fields.String()
    activities = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    tutor_id = fields.String()
    schedule = fields.List(fields.Nested(ScheduleDay))
    planned_hours = Hours()
    gratification = Hours(allow_none=True)  # optional: the host pays nothing
    status = fields.String(validate=validate.OneOf(immersion_rules.STATUSES))
    signatures = fields.Nested(SignaturesOut)
    signed_on = fields.Date(allow_none=True)  # the last of the three signatures
    honorability_issued_on = fields.Date(allow_none=True)
    honorability_verified_on = fields.Date(allow_none=True)
    honorability_expires_on = fields.Date(allow_none=True)
    clearance_refusal = fields.String(allow_none=True)  # why the beneficiary may not begin (null: may)
    assessment = fields.Nested(AssessmentOut, allow_none=True)
    cancelled_on = fields.Date(allow_none=True)
    cancel_reason = fields.String(allow_none=True)


class ImmersionQuery(Schema):
    """A page of immersions by first day (staff: filters)."""

    status = fields.String(load_default=None, validate=validate.OneOf(immersion_rules.STATUSES))
    tutor_id = fields.String(load_default=None)
    limit = limit_field()
    cursor = cursor_field()
