"""The education service's published interface: its marshmallow In (what a call takes), Out (what
it answers) and Query (a list's filters) schemas. The gateway may import this module, and no
other of this service. Event payloads are not here: one schema per event in
shared/events/education.py. Times answered are aware (the venue's zone), decimals are strings
("3.50"), money too ("120.00")."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.education.domain.contracts import CPF, is_certification_code, normal_certification_code
from services.education.domain.enrolment import (
    CANCELLED,
    CONFIRMED,
    FUNDING,
    PARTICIPANT_KINDS,
    RETRACTED,
    WAITLISTED,
)
from services.education.domain.planning import MAX_PARTS, MIN_PARTS
from services.education.domain.room_saga import STATUSES
from shared.pagination import cursor_field, limit_field
from shared.timeutil import from_db

ENROLMENT_STATUSES = (CONFIRMED, WAITLISTED, CANCELLED, RETRACTED)
WITH_ACCOUNT = ("trainee", "volunteer")  # participants known by their own service's id


class VenueTime(fields.DateTime):
    """A stored time (naive UTC) shown in the venue's zone, with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(from_db(value), attr, obj, **kwargs)


def _money():
    return fields.Decimal(
        required=True, places=2, as_string=True, validate=validate.Range(min=0, error="Un montant positif ou nul.")
    )


class CertificationCode(fields.String):
    """An RNCP or RS code as France compétences writes it (" rncp 34690" -> "RNCP34690"); "" for none."""

    def _deserialize(self, value, attr, data, **kwargs):
        code = normal_certification_code(super()._deserialize(value, attr, data, **kwargs))
        if code and not is_certification_code(code):
            raise ValidationError("Un code RNCP ou RS (France compétences), par exemple RNCP34690 ou RS5612.")
        return code


# --- courses ---------------------------------------------------------------------------------------
class CourseIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    objectives = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    audience = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    prerequisites = fields.String(load_default="", validate=validate.Length(max=2000))
    duration_hours = fields.Decimal(
        required=True,
        places=2,
        as_string=True,
        validate=validate.Range(
            min=0, min_inclusive=False, max=1000, error="Une durée de plus de 0 h, 1000 h au plus."
        ),
    )
    trainer = fields.String(required=True, validate=validate.Length(min=1, max=200))
    price = _money()
    funding = fields.List(
        fields.String(validate=validate.OneOf(FUNDING)),
        required=True,
        validate=validate.Length(min=1, error="Au moins un financement accepté."),
    )
    certification_code = CertificationCode(load_default="", allow_none=True)  # RNCP… or RS…

    @validates_schema
    def _cpf_needs_a_certification(self, data, **kwargs):
        if CPF in (data.get("funding") or []) and not data.get("certification_code"):
            raise ValidationError(
                "Le CPF ne finance qu'une formation menant à une certification enregistrée : indiquez son code "
                "RNCP ou RS, ou ne proposez pas le CPF.",
                "certification_code",
            )


class CourseOut(Schema):
    id = fields.String()
    title = fields.String()
    objectives = fields.String()
    audience = fields.String()
    prerequisites = fields.String()
    duration_hours = fields.Decimal(places=2, as_string=True)
    trainer = fields.String()
    price = fields.Decimal(places=2, as_string=True)
    funding = fields.List(fields.String())
    certification_code = fields.String()  # "" when the course leads to no registered certification


class CourseQuery(Schema):
    """A page of the courses, by title then id."""

    limit = limit_field()
    cursor = cursor_field()


# --- sessions --------------------------------------------------------------------------------------
class PartIn(Schema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class SessionIn(Schema):
    course_id = fields.String(required=True)
    room_id = fields.String(required=True)
    capacity = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1, max=200, error="Entre 1 et 200 places.")
    )
    min_participants = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=0, max=200, error="Entre 0 et 200 participants.")
    )
    parts = fields.List(
        fields.Nested(PartIn),
        required=True,
        validate=validate.Length(
            min=MIN_PARTS, max=MAX_PARTS, error=f"De {MIN_PARTS} à {MAX_PARTS} demi-journées ou journées."
        ),
    )

    @validates_schema
    def _minimum_within_capacity(self, data, **kwargs):
        if data.get("min_participants", 0) > data.get("capacity", 200):
            raise ValidationError("Le minimum ne peut pas dépasser la capacité.", "min_participants")


class RetryIn(Schema):
    room_id = fields.String(load_default=None, allow_none=True)


class CancelIn(Schema):
    reason = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500, error="Dites en quelques mots pourquoi (500 signes au plus)."),
    )


class SessionQuery(Schema):
    """A page of the sessions by their first part; `open_to`: only those still open for enrolment
    (confirmed, not started)."""

    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    open_to = fields.String(load_default=None, validate=validate.OneOf(PARTICIPANT_KINDS))
    limit = limit_field()
    cursor = cursor_field()


class PartOut(Schema):
    index = fields.Integer()
    starts_at = VenueTime()
    ends_at = VenueTime()
    hours = fields.String()  # "3.50"
    attendance_open = fields.Boolean()  # its day has come: the émargement can be recorded


class SessionOut(Schema):
    id = fields.String()
    course_id = fields.String()
    title = fields.String()
    trainer = fields.String()
    room_id = fields.String()
    room_name = fields.String(allow_none=True)  # null until confirmed
    capacity = fields.Integer()
    min_participants = fields.Integer()
    status = fields.String()  # planned | confirmed | room_refused | waiting | cancelled
    refusal_reason = fields.String()  # the clash bookings reported ("" unless room_refused)
    request = fields.Integer()  # the current room request (1, then 2… after each retry)
    parts = fields.List(fields.Nested(PartOut))
    starts_at = VenueTime()
    ends_at = VenueTime()
    hours = fields.String()
    confirmed_count = fields.Integer()
    waitlisted_count = fields.Integer()
    places_left = fields.Integer()
    enrolment_open = fields.Boolean()
    under_minimum = fields.Boolean()  # the staff flag (settings: minimum_warning_days)
    cancel_reason = fields.String()


# --- enrolments ------------------------------------------------------------------------------------
class EnrolIn(Schema):
    """A trainee or a volunteer is named by their id (the gateway fills it from the account); a
    professional or an external person by their name and email (the service gives the id)."""

    participant_kind = fields.String(required=True, validate=validate.OneOf(PARTICIPANT_KINDS))
    participant_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=36))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.String(load_default="", allow_none=True, validate=validate.Length(max=254))
    funding = fields.String(required=True, validate=validate.OneOf(FUNDING))
    # the convention de formation's funder (employer, OPCO, France Travail) and its agreement number
    funder_name = fields.String(load_default="", allow_none=True, validate=validate.Length(max=200))
    agreement_number = fields.String(load_default="", allow_none=True, validate=validate.Length(max=60))

    @validates_schema
    def _who(self, data, **kwargs):
        kind, participant_id, email = data.get("participant_kind"), data.get("participant_id"), data.get("email")
        if "name" in data and not data["name"].strip():
            raise ValidationError("Le nom de la personne est requis.", "name")
        if kind in WITH_ACCOUNT and not participant_id:
            raise ValidationError("L'identifiant du stagiaire ou du bénévole est requis.", "participant_id")
        if kind not in WITH_ACCOUNT and participant_id:
            raise ValidationError(
                "Ne donnez pas d'identifiant : il est attribué à l'inscription d'un professionnel ou d'une "
                "personne extérieure.",
                "participant_id",
            )
        if kind not in WITH_ACCOUNT and not email:
            raise ValidationError("L'adresse électronique est requise pour prévenir la personne.", "email")
        if email:
            try:
                fields.Email().deserialize(email)
            except ValidationError:
                raise ValidationError("Adresse électronique invalide.", "email") from None


class EnrolmentQuery(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(ENROLMENT_STATUSES))
    limit = limit_field()
    cursor = cursor_field()


class EnrolmentOut(Schema):
    id = fields.String()
    session_id = fields.String()
    participant_kind = fields.String()
    participant_id = fields.String()
    name = fields.String()
    email = fields.String()
    funding = fields.String()
    status = fields.String()  # confirmed | waitlisted | cancelled | retracted
    position = fields.Integer(allow_none=True)  # on the waiting list: 1 = next
    cancel_reason = fields.String()
    created_at = VenueTime()
    # learners' contracts (see their section below)
    funder_name = fields.String()
    agreement_number = fields.String()
    contract_status = fields.String()  # CONTRACT_STATUSES
    contract_accepted_at = VenueTime(allow_none=True)
    contract_accepted_by = fields.String()  # "participant" | "staff" | ""
    contract_price = fields.Decimal(places=2, as_string=True, allow_none=True)  # the price agreed
    withdrawal_until = VenueTime(allow_none=True)  # the first moment the learner can no longer withdraw
    withdrawal_last_day = fields.Date(allow_none=True)  # the period's last day, as people read it
    retracted_at = VenueTime(allow_none=True)
    payments = fields.List(fields.Nested(lambda: EnrolmentPaymentOut()))
    paid_total = fields.Decimal(places=2, as_string=True)
    convention = fields.Boolean()  # a convention de formation is drawn for its funder


class ParticipantEnrolmentOut(EnrolmentOut):
    session = fields.Nested(SessionOut)


# --- attendance ------------------------------------------------------------------------------------
class AttendanceIn(Schema):
    part_index = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_PARTS - 1))
    participant_id = fields.String(required=True, validate=validate.Length(min=1, max=36))  # or "trainer"
    present = fields.Boolean(required=True)


class AttendanceOut(Schema):
    session_id = fields.String()
    part_index = fields.Integer()
    participant_id = fields.String()
    present = fields.Boolean()
    revision = fields.Integer()


class CertificateOut(Schema):
    session_id = fields.String()
    participant_id = fields.String()
    participant_kind = fields.String()
    name = fields.String()
    attestation_number = fields.String()  # AFF-2026-0001
    realisation_number = fields.String()  # CR-2026-0001
    hours_attended = fields.Decimal(places=2, as_string=True)
    session_hours = fields.Decimal(places=2, as_string=True)
    rate = fields.Decimal(places=2, as_string=True)  # "0.83"
    issued_on = fields.Date()
    course = fields.Nested(CourseOut)
    session = fields.Nested(SessionOut)


class SheetRowOut(Schema):
    enrolment_id = fields.String()
    participant_id = fields.String()
    participant_kind = fields.String()
    name = fields.String()
    marks = fields.List(fields.Boolean(allow_none=True))  # per part: present, absent, not recorded (null)
    hours_attended = fields.Decimal(places=2, as_string=True)
    rate = fields.Decimal(places=2, as_string=True)
    eligible = fields.Boolean()
    certificate = fields.Nested(CertificateOut, allow_none=True)


class SheetOut(Schema):
    session = fields.Nested(SessionOut)
    trainer = fields.List(fields.Boolean(allow_none=True))
    rows = fields.List(fields.Nested(SheetRowOut))


# --- learners' contracts, payments, conventions --------------------------------------------------------
CONTRACT_STATUSES = (
    "not_needed",  # not self-funded: no contrat de formation (a convention for a funder)
    "to_accept",  # self-funded, the contract not accepted yet
    "withdrawal_period",  # accepted, the 10 days to withdraw running
    "in_force",  # accepted, the period over: payments may be recorded
    "retracted",  # the learner withdrew within the period
)


class EnrolmentPaymentIn(Schema):
    amount = fields.Decimal(
        required=True,
        places=2,
        as_string=True,
        validate=validate.Range(min=0, min_inclusive=False, max=100000, error="Un montant de plus de 0 €."),
    )
    paid_on = fields.Date(required=True)


class EnrolmentPaymentOut(Schema):
    id = fields.String()
    amount = fields.Decimal(places=2, as_string=True)
    paid_on = fields.Date()
    recorded_at = VenueTime()


class EnrolmentDetailOut(ParticipantEnrolmentOut):
    """One enrolment with its session and course: what its contract or convention says."""

    course = fields.Nested(CourseOut)
