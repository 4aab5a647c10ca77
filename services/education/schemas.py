"""The education service's published interface: its marshmallow In (what a call takes), Out (what
it answers) and Query (a list's filters) schemas. The gateway may import this module, and no
other of this service. Event payloads are not here: one schema per event in
shared/events/education.py. Times answered are aware (the venue's zone), decimals are strings
("3.50"), money too ("120.00")."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.education.domain.certificates import RESULTS
from services.education.domain.contracts import CPF, is_certification_code, normal_certification_code
from services.education.domain.enrolment import (
    CANCELLED,
    CONFIRMED,
    FUNDING,
    PARTICIPANT_KINDS,
    RETRACTED,
    WAITLISTED,
)
from services.education.domain.half_days import HALF_DAYS
from services.education.domain.planning import MAX_PARTS, MIN_PARTS
from services.education.domain.room_saga import STATUSES
from services.education.domain.satisfaction import COMMENT_MAX, HIGHEST, LOWEST, QUESTIONS
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
    # how what was learned is evaluated, e.g. « mise en situation observée » (on the attestation)
    evaluation_method = fields.String(load_default="", validate=validate.Length(max=2000))
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
    evaluation_method = fields.String()
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


class HalfDayOut(Schema):
    """A half-day of a part (domain.half_days): what is signed and counted."""

    part_index = fields.Integer()
    half_day = fields.String()  # morning | afternoon
    starts_at = VenueTime()
    ends_at = VenueTime()
    hours = fields.String()  # "3.50"


class PartOut(Schema):
    index = fields.Integer()
    starts_at = VenueTime()
    ends_at = VenueTime()
    hours = fields.String()  # "7.00": its half-days' hours (the lunch break excluded)
    attendance_open = fields.Boolean()  # its day has come: the émargement can be recorded
    half_days = fields.List(fields.Nested(HalfDayOut))


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
    employer_name = fields.String(load_default="", allow_none=True, validate=validate.Length(max=200))
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
    employer_name = fields.String()  # "" when none
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
def _half_day_field():
    """morning | afternoon; may be left out for a part of a single half-day (inferred)."""
    return fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(HALF_DAYS, error="Demi-journée inconnue : morning (matin) ou afternoon (après-midi)."),
    )


class AttendanceIn(Schema):
    """A staff mark for one half-day: absent, present, or present with a refusal to sign (its reason)."""

    part_index = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_PARTS - 1))
    half_day = _half_day_field()
    participant_id = fields.String(required=True, validate=validate.Length(min=1, max=36))  # or "trainer"
    present = fields.Boolean(required=True)
    refusal_reason = fields.String(load_default="", validate=validate.Length(max=500, error="500 signes au plus."))

    @validates_schema
    def _reason_with_presence(self, data, **kwargs):
        if (data.get("refusal_reason") or "").strip() and data.get("present") is False:
            raise ValidationError(
                "Un refus de signature se note pour une personne présente, pas absente.", "refusal_reason"
            )


class AttendanceOut(Schema):
    session_id = fields.String()
    part_index = fields.Integer()
    half_day = fields.String()
    participant_id = fields.String()
    present = fields.Boolean()
    refusal_reason = fields.String()
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
    assiduity = fields.Boolean()  # at or above the threshold when issued
    threshold = fields.Decimal(places=3, as_string=True)  # "0.800", the threshold then
    assiduity_mention = fields.String()  # the line printed on both documents
    employer_name = fields.String()  # "" when none
    evaluation = fields.Nested(lambda: LearningEvaluationOut(), allow_none=True)  # null: not recorded
    course = fields.Nested(CourseOut)
    session = fields.Nested(SessionOut)


class MarkOut(Schema):
    """One person's mark at one half-day: present (signed, or noted by staff), present with a
    refused signature (its reason), or absent."""

    present = fields.Boolean()
    refusal_reason = fields.String()  # "" unless « présent, signature refusée »
    revision = fields.Integer()
    signed = fields.Boolean()
    method = fields.String(allow_none=True)  # tablet | phone (null: not signed)
    signed_at = VenueTime(allow_none=True)


class SheetRowOut(Schema):
    enrolment_id = fields.String()
    participant_id = fields.String()
    participant_kind = fields.String()
    name = fields.String()
    marks = fields.List(fields.Nested(MarkOut, allow_none=True))  # per half-day of SheetOut.half_days (null: none)
    hours_attended = fields.Decimal(places=2, as_string=True)
    rate = fields.Decimal(places=2, as_string=True)
    eligible = fields.Boolean()  # hours done: the certificates can be issued
    assiduity = fields.Boolean()  # at or above the threshold (the mention on the certificates)
    certificate = fields.Nested(CertificateOut, allow_none=True)


class SheetOut(Schema):
    session = fields.Nested(SessionOut)
    half_days = fields.List(fields.Nested(HalfDayOut))  # every half-day of the session, in time order
    trainer = fields.List(fields.Nested(MarkOut, allow_none=True))
    rows = fields.List(fields.Nested(SheetRowOut))


# --- certificates: the evaluation of what was learned ------------------------------------------------
class LearningResultIn(Schema):
    objective = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    result = fields.String(
        required=True,
        validate=validate.OneOf(RESULTS, error="Un résultat est « acquis », « en_cours » ou « non_acquis »."),
    )


class LearningEvaluationIn(Schema):
    """The trainer's results for one participant: one per objective of the course (a line of its
    `objectives`)."""

    participant_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    results = fields.List(
        fields.Nested(LearningResultIn), required=True, validate=validate.Length(min=1, error="Au moins un résultat.")
    )


class LearningResultOut(Schema):
    objective = fields.String()
    result = fields.String()  # acquis | en_cours | non_acquis


class LearningEvaluationOut(Schema):
    session_id = fields.String()
    participant_id = fields.String()
    method = fields.String()  # the course's evaluation_method
    results = fields.List(fields.Nested(LearningResultOut))  # in the course's order
    revision = fields.Integer()
    recorded_at = VenueTime()


class LearningEvaluationRowOut(Schema):
    participant_id = fields.String()
    participant_kind = fields.String()
    name = fields.String()
    evaluation = fields.Nested(LearningEvaluationOut, allow_none=True)
    certificate_issued = fields.Boolean()  # the results can no longer change


class LearningEvaluationSheetOut(Schema):
    session = fields.Nested(SessionOut)
    method = fields.String()
    objectives = fields.List(fields.String())
    open = fields.Boolean()  # the last part's day has come: results can be recorded
    rows = fields.List(fields.Nested(LearningEvaluationRowOut))


# --- funders' invoices, the BPF, the satisfaction questionnaire ----------------------------------
class FunderInvoiceLineOut(Schema):
    enrolment_id = fields.String()
    participant_id = fields.String()
    participant_kind = fields.String()
    name = fields.String()
    hours = fields.String()  # done (at most the course's duration): "10.50"
    amount = fields.String()  # "315.00"


class FunderInvoiceOut(Schema):
    """A funder's invoice for one session, as issued (it never changes)."""

    id = fields.String()
    number = fields.String()  # FF-2026-000001
    session_id = fields.String()
    funding = fields.String()  # opco | cpf | france_travail | employer
    funder_name = fields.String()  # "" unless the enrolments named the funder
    issued_on = fields.Date()
    hourly_price = fields.Decimal(places=4, as_string=True)  # the course's price / its duration
    total = fields.Decimal(places=2, as_string=True)
    course = fields.Dict()  # {title, price, duration_hours, trainer} when issued
    session = fields.Dict()  # {id, title, starts_at, ends_at, hours, room_name} when issued
    lines = fields.List(fields.Nested(FunderInvoiceLineOut))


class SessionFunderInvoicesOut(Schema):
    """A session's funders' invoices, in the order of their numbers (none until issued)."""

    session_id = fields.String()
    invoices = fields.List(fields.Nested(FunderInvoiceOut))


class BpfFiguresOut(Schema):
    trainees = fields.Integer()
    hours = fields.String()  # hours-trainees, "21.00"
    income = fields.String()  # euros, "630.00"


class BpfGroupOut(BpfFiguresOut):
    key = fields.String()  # a funding kind or a participant kind


class BpfLineOut(BpfFiguresOut):
    code = fields.String()  # the cerfa's line: "2e", "a"…
    label = fields.String()


class BpfOut(Schema):
    """The bilan pédagogique et financier of a year (domain/bpf.py): the sessions that ended in it."""

    year = fields.Integer()
    sessions = fields.Integer()  # sessions that ended in the year (confirmed ones)
    total = fields.Nested(BpfFiguresOut)
    by_funding = fields.List(fields.Nested(BpfGroupOut))
    by_kind = fields.List(fields.Nested(BpfGroupOut))
    income_lines = fields.List(fields.Nested(BpfLineOut))  # cadre C
    trainee_lines = fields.List(fields.Nested(BpfLineOut))  # cadre F-1
    sessions_not_invoiced = fields.List(fields.Dict())  # [{id, title, ends_at}]: funders still to invoice


class BpfYearIn(Schema):
    year = fields.Integer(
        required=True,
        error_messages={"invalid": "Une année de 2000 à 2199."},
        validate=validate.Range(min=2000, max=2199, error="Une année de 2000 à 2199."),
    )


def _score():
    return fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=LOWEST, max=HIGHEST, error=f"Choisissez une réponse de {LOWEST} à {HIGHEST}."),
        error_messages={"required": "Choisissez une réponse.", "invalid": "Choisissez une réponse."},
    )


SatisfactionIn = Schema.from_dict(
    {
        **{key: _score() for key, _label in QUESTIONS},
        "comment": fields.String(
            load_default="",
            allow_none=True,
            validate=validate.Length(max=COMMENT_MAX, error=f"{COMMENT_MAX} signes au plus."),
        ),
    },
    name="SatisfactionIn",
)
SatisfactionIn.__doc__ = "The answers: each question's score from 1 to 4 (domain/satisfaction.py) and a free comment."


class SatisfactionQuestionOut(Schema):
    key = fields.String()
    label = fields.String()


class SatisfactionScaleOut(Schema):
    value = fields.Integer()
    label = fields.String()


class SatisfactionFormOut(Schema):
    """What a participant's questionnaire page shows: the session, whether it is open and answered."""

    session_id = fields.String()
    participant_id = fields.String()
    name = fields.String()
    title = fields.String()
    starts_at = VenueTime()
    ends_at = VenueTime()
    open = fields.Boolean()  # the last part's day has come
    answered = fields.Boolean()
    questions = fields.List(fields.Nested(SatisfactionQuestionOut))
    scale = fields.List(fields.Nested(SatisfactionScaleOut))


class SatisfactionResultOut(Schema):
    key = fields.String()
    label = fields.String()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())  # {"1": 0, "2": 1, "3": 2, "4": 5}
    answered = fields.Integer()
    average = fields.String(allow_none=True)  # "3.25", null when nobody answered


class SatisfactionPersonOut(Schema):
    participant_id = fields.String()
    participant_kind = fields.String()
    name = fields.String()
    answered = fields.Boolean()


class SatisfactionOut(Schema):
    """A session's results: per question, the comments (without names), who has answered."""

    session_id = fields.String()
    title = fields.String()
    open = fields.Boolean()
    participants = fields.Integer()  # confirmed
    respondents = fields.Integer()
    questions = fields.List(fields.Nested(SatisfactionResultOut))
    comments = fields.List(fields.String())
    people = fields.List(fields.Nested(SatisfactionPersonOut))


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


# --- signatures (half-days) ------------------------------------------------------------------------
class SignatureIn(Schema):
    """A participant's (or the trainer's, participant_id "trainer") own signature for a half-day:
    a PNG data URL as the canvas gives it. `method`: tablet (the trainer's) or phone (their own,
    from the half-day's QR code, only while the half-day runs)."""

    part_index = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_PARTS - 1))
    half_day = _half_day_field()
    participant_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    method = fields.String(required=True, validate=validate.OneOf(("tablet", "phone")))
    image = fields.String(required=True, validate=validate.Length(min=1, max=300_000))


class SignatureOut(Schema):
    session_id = fields.String()
    part_index = fields.Integer()
    half_day = fields.String()
    participant_id = fields.String()
    method = fields.String()
    signed_at = VenueTime()


class SigningOut(Schema):
    """What a signing page shows: the half-day, the session's title, who signs."""

    session_id = fields.String()
    title = fields.String()
    trainer = fields.String()
    half_day = fields.Nested(HalfDayOut)
    participant_id = fields.String()
    name = fields.String()
    signed = fields.Boolean()
