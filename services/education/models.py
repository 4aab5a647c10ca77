"""The education service's tables (nobody else reads them), on the shared id-carrying base model.
Times are stored naive UTC (shared.timeutil).

A course is what is taught; a session is one run of it in a room, in parts (half-days or days);
an enrolment is a participant's place (or their place on the waiting list); an attendance is one
participant's (or the trainer's) mark at one part; a certificate is the pair of numbered
documents a participant gets over the threshold. Locks: a session's row before anything of it.
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

from services.education.domain.enrolment import CONFIRMED
from services.education.domain.room_saga import PLANNED
from shared.models import JsonField, base_model, spine_models

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

    class Meta:
        indexes = ((("session", "status", "created_at"), False), (("session", "created_at", "id"), False))


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

    class Meta:
        indexes = ((("session_id", "participant_id"), True),)


class CertificateSequence(BaseModel):
    """The last certificate number given in a year (one sequence for both documents)."""

    year = IntegerField(unique=True)
    last = IntegerField(default=0)


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
