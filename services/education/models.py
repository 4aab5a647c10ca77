"""The education service's tables (nobody else reads them), on the shared id-carrying base model.
Times are stored naive UTC (shared.timeutil).

A course is what is taught; a session is one run of it in a room, in parts (half-days or days);
an enrolment is a participant's place (or their place on the waiting list); an attendance is one
participant's (or the trainer's) mark at one part; a certificate is the pair of numbered
documents a participant with hours done gets; an evaluation is the trainer's results per
objective for one participant. Locks: a session's row before anything of it.
"""

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from services.education.domain.attendance import DEFAULT_THRESHOLD
from services.education.domain.enrolment import CONFIRMED
from services.education.domain.room_saga import PLANNED
from shared.models import JsonField, base_model, spine_models
from shared.numbering import numbering_model

database = DatabaseProxy()
BaseModel = base_model(database)

TRAINER = "trainer"  # the participant_id of the trainer's own line on the attendance sheet


class Course(BaseModel):
    title = CharField(max_length=200)
    objectives = TextField()
    audience = TextField()
    prerequisites = TextField(default="")
    duration_hours = DecimalField(max_digits=6, decimal_places=2, auto_round=True)
    trainer = CharField(max_length=200)
    price = DecimalField(max_digits=10, decimal_places=2, auto_round=True)
    funding = JsonField(default=list)  # domain.enrolment.FUNDING
    # certificates: how what was learned is evaluated (printed on the attestation de fin de formation)
    evaluation_method = TextField(default="")
    # learners' contracts: the RNCP or RS code ("" when none); CPF needs one (domain.contracts)
    certification_code = CharField(max_length=20, default="")

    class Meta:
        indexes = ((("title", "id"), False),)


class Session(BaseModel):
    """One run of a course. `request` numbers the room requests (a retry is a new one); the room
    saga's status is domain.room_saga's. `starts_at`/`ends_at`: the first part's start, the last
    part's end."""

    course = ForeignKeyField(Course, backref="sessions", on_delete="RESTRICT")
    room_id = CharField(max_length=36)
    room_name = CharField(max_length=100, null=True)  # known once bookings reserved it
    capacity = IntegerField()
    min_participants = IntegerField()
    status = CharField(max_length=20, default=PLANNED)
    request = IntegerField(default=1)
    requested_at = DateTimeField()  # when the current request was sent (the timeout counts from it)
    refusal_reason = TextField(default="")
    cancel_reason = TextField(default="")
    starts_at = DateTimeField()
    ends_at = DateTimeField()

    class Meta:
        indexes = ((("starts_at", "id"), False), (("status", "requested_at"), False))


class SessionPart(BaseModel):
    session = ForeignKeyField(Session, backref="parts", on_delete="CASCADE")
    part_index = IntegerField()  # 0, 1, … in time order (not `index`: a peewee Model method)
    starts_at = DateTimeField()
    ends_at = DateTimeField()

    class Meta:
        indexes = ((("session", "part_index"), True),)


class Enrolment(BaseModel):
    """A participant's place (confirmed) or wait (waitlisted, in order of `created_at`)."""

    session = ForeignKeyField(Session, backref="enrolments", on_delete="CASCADE")
    participant_kind = CharField(max_length=20)
    participant_id = CharField(max_length=36, index=True)
    name = CharField(max_length=200)
    email = CharField(max_length=254, default="")
    funding = CharField(max_length=20)
    status = CharField(max_length=20, default=CONFIRMED)
    cancel_reason = TextField(default="")
    # certificates: the employer's name, printed on both certificates ("" when none)
    employer_name = CharField(max_length=200, default="")
    # --- learners' contracts (domain.contracts): a self-funded learner's contrat de formation,
    # accepted online (by the learner, or by staff for one without an account); the withdrawal
    # period's end; the price agreed then; a retraction's time. A funder's name and agreement
    # number for the convention de formation.
    contract_accepted_at = DateTimeField(null=True)
    contract_accepted_by = CharField(max_length=20, default="")  # "participant" | "staff"
    contract_price = DecimalField(max_digits=10, decimal_places=2, auto_round=True, null=True)
    withdrawal_until = DateTimeField(null=True)  # the first moment the learner can no longer withdraw
    retracted_at = DateTimeField(null=True)
    funder_name = CharField(max_length=200, default="")
    agreement_number = CharField(max_length=60, default="")

    class Meta:
        indexes = ((("session", "status", "created_at"), False), (("session", "created_at", "id"), False))


class EnrolmentPayment(BaseModel):
    """What a self-funded learner paid (recorded by staff), after the withdrawal period."""

    enrolment = ForeignKeyField(Enrolment, backref="payments", on_delete="CASCADE")
    amount = DecimalField(max_digits=10, decimal_places=2, auto_round=True)
    paid_on = DateField()

    class Meta:
        indexes = ((("enrolment", "paid_on", "created_at"), False),)


class Attendance(BaseModel):
    """What the sheet says now for one participant (or the trainer) at one half-day of a part; a
    change is a new `revision` of the same row (the consumers keep the latest). Present with a
    `refusal_reason`: « présent, signature refusée »."""

    session_id = CharField(max_length=36)
    part_index = IntegerField()
    # domain.half_days MORNING | AFTERNOON; "" only before migrate's backfill (after_migrate)
    half_day = CharField(max_length=10, default="")
    participant_id = CharField(max_length=36)
    present = BooleanField()
    refusal_reason = TextField(default="")
    revision = IntegerField(default=1)

    class Meta:
        indexes = ((("session_id", "part_index", "half_day", "participant_id"), True),)


class Certificate(BaseModel):
    """The attestation de fin de formation and the certificat de réalisation of one participant
    of one session, issued once."""

    session_id = CharField(max_length=36)
    participant_id = CharField(max_length=36, index=True)
    participant_kind = CharField(max_length=20)
    name = CharField(max_length=200)
    attestation_number = CharField(max_length=20, unique=True)
    realisation_number = CharField(max_length=20, unique=True)
    hours_attended = DecimalField(max_digits=8, decimal_places=2, auto_round=True)
    session_hours = DecimalField(max_digits=8, decimal_places=2, auto_round=True)
    rate = DecimalField(max_digits=4, decimal_places=2, auto_round=True)
    issued_on = DateField()
    # certificates: the assiduity mention as decided at issue (the threshold may change later);
    # the rows issued before every participant got one were all at or above 80 %
    assiduity = BooleanField(default=True)
    threshold = DecimalField(max_digits=4, decimal_places=3, auto_round=True, default=DEFAULT_THRESHOLD)
    employer_name = CharField(max_length=200, default="")

    class Meta:
        indexes = ((("session_id", "participant_id"), True),)


class Evaluation(BaseModel):
    """The trainer's results for one participant of one session: [{objective, result}] in the
    course's order (domain.certificates.RESULTS); re-recorded as a new `revision` until the
    certificate is issued."""

    session_id = CharField(max_length=36)
    participant_id = CharField(max_length=36)
    results = JsonField(default=list)
    revision = IntegerField(default=1)
    recorded_at = DateTimeField()

    class Meta:
        indexes = ((("session_id", "participant_id"), True),)


class CertificateSequence(BaseModel):
    """The last certificate number given in a year (one sequence for both documents)."""

    year = IntegerField(unique=True)
    last = IntegerField(default=0)


# --- funders' invoices, the satisfaction questionnaire (the BPF reads both) -----------------------
class FunderInvoice(BaseModel):
    """One funder's invoice for one session, frozen when issued: its number (series "FF" of
    shared/numbering.py), the course and session as they were, a line per participant with their
    hours done. Never changed afterwards (domain/funder_invoices.py)."""

    session_id = CharField(max_length=36, index=True)
    number = CharField(max_length=20, unique=True)  # FF-2026-000001
    funding = CharField(max_length=20)
    funder_name = CharField(max_length=200, default="")
    issued_on = DateField()
    hourly_price = DecimalField(max_digits=12, decimal_places=4, auto_round=True)
    total = DecimalField(max_digits=10, decimal_places=2, auto_round=True)
    course = JsonField()  # {title, price, duration_hours, trainer}
    session = JsonField()  # {id, title, starts_at, ends_at, hours, room_name}
    lines = JsonField()  # [{enrolment_id, participant_id, participant_kind, name, hours, amount}]

    class Meta:
        indexes = ((("session_id", "funding", "funder_name"), True),)


class SatisfactionAnswer(BaseModel):
    """One participant's answers to the end-of-session questionnaire, given once."""

    session_id = CharField(max_length=36)
    participant_id = CharField(max_length=36)
    participant_kind = CharField(max_length=20)
    scores = JsonField()  # {question key: 1..4} (domain/satisfaction.py QUESTIONS)
    comment = TextField(default="")
    answered_via = CharField(max_length=20)  # "account" | "link"

    class Meta:
        indexes = ((("session_id", "participant_id"), True),)


NumberCounter = numbering_model(database)


# --- signatures (half-days) -------------------------------------------------------------------
class Signature(BaseModel):
    """A participant's (or the trainer's) own signature for one half-day, drawn on the trainer's
    tablet or on their phone after scanning the half-day's QR code: a PNG kept as base64 text
    (domain.signatures.MAX_BYTES at most). It records their presence (the Attendance row)."""

    session_id = CharField(max_length=36)
    part_index = IntegerField()
    half_day = CharField(max_length=10)
    participant_id = CharField(max_length=36)
    method = CharField(max_length=10)  # domain.signatures TABLET | PHONE
    image = TextField()  # base64 of the PNG
    signed_at = DateTimeField()

    class Meta:
        indexes = ((("session_id", "part_index", "half_day", "participant_id"), True),)


Outbox, Inbox, Tombstone, Idempotency = SPINE = spine_models(database)

MODELS = [
    Course,
    Session,
    SessionPart,
    Enrolment,
    Attendance,
    Certificate,
    CertificateSequence,
    Evaluation,
    FunderInvoice,
    SatisfactionAnswer,
    NumberCounter,
    EnrolmentPayment,
    Signature,
    *SPINE,
]


OLD_ATTENDANCE_INDEX = "attendance_session_id_part_index_participant_id"  # one mark per part


def after_migrate():
    """Written steps (shared/migrate.py runs them after adding columns, before the indexes; safe
    to run again): attendance was one mark per part; its unique index goes (the new one names the
    half-day) and each old mark becomes the part's only, or first, half-day's."""
    from services.education import settings
    from services.education.domain import half_days
    from shared.timeutil import as_utc, venue_zone

    database.execute_sql(f'DROP INDEX IF EXISTS "{OLD_ATTENDANCE_INDEX}"')
    lunch = settings.load().lunch_break
    for mark in Attendance.select().where(Attendance.half_day == ""):
        part = SessionPart.get_or_none(
            SessionPart.session == mark.session_id, SessionPart.part_index == mark.part_index
        )
        if part is None:
            continue
        first = half_days.split(as_utc(part.starts_at), as_utc(part.ends_at), lunch, venue_zone())[0]
        Attendance.update(half_day=first.name).where(Attendance.id == mark.id).execute()
