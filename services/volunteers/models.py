"""The volunteers service's tables (nobody else reads them), on the shared id-carrying base model.
Times are naive UTC (shared.timeutil)."""

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DecimalField,
    IntegerField,
)

from shared.models import JsonField, base_model, spine_models

database = DatabaseProxy()
BaseModel = base_model(database)

OPEN, CANCELLED, COMPLETED = "open", "cancelled", "completed"  # an opportunity's statuses (bookings' activity)
CONFIRMED, WITHDRAWN = "confirmed", "withdrawn"  # a sign-up's statuses, with CANCELLED


class Volunteer(BaseModel):
    email = CharField(max_length=254, unique=True)
    first_name = CharField(max_length=100)
    last_name = CharField(max_length=100)
    birth_date = DateField()
    phone = CharField(max_length=30)
    interests = JsonField(default=list)  # activity kinds (shared.vocabulary.ACTIVITY_KINDS)
    availability = JsonField(default=list)  # [{weekday, part}] (domain.matching)
    # nullable, so that the volunteers registered before keep their rows (shared/migrate.py)
    emergency_name = CharField(max_length=200, null=True)  # whom to call if something happens
    emergency_phone = CharField(max_length=30, null=True)
    consent_version = CharField(max_length=40, null=True)  # the data-processing text they agreed to
    consented_at = DateTimeField(null=True)
    insurer = CharField(max_length=200, null=True)  # the venue's insurance covering them (CSP R2324-33 II)
    insurance_policy = CharField(max_length=200, null=True)
    insurance_recorded_by = CharField(max_length=36, null=True)  # the staff account
    # the insurance's validity (domain.clearance.insurance_gap); null on policies recorded before they were asked
    insurance_valid_from = DateField(null=True)
    insurance_valid_until = DateField(null=True)
    first_activity_on = DateField(null=True)  # the day of their first completed activity (shown to staff)
    charter_version = CharField(max_length=40, null=True)  # the charte de bénévolat accepted (its version)
    charter_accepted_at = DateTimeField(null=True)


class Opportunity(BaseModel):
    """An activity volunteers may join, as learned from bookings' events (never read from its tables).

    Its key is bookings' activity id: declaring another primary key makes peewee leave out the
    base model's `id` (the table keeps its columns, no migration). `Opportunity.id` is then the
    base model's field, not a column of this table: use `activity_id`."""

    activity_id = CharField(primary_key=True, max_length=36)
    title = CharField(max_length=200)
    kind = CharField(max_length=40)
    room_name = CharField(max_length=100, null=True)
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField()
    volunteer_slots = IntegerField()
    status = CharField(max_length=20, default=OPEN)
    children_capacity = IntegerField(null=True)  # how many children come
    times_at = DateTimeField(null=True)  # when bookings decided the times shown (its event's occurred_at)
    filled = IntegerField(default=0)  # confirmed sign-ups, changed only with this row locked
    age_group = CharField(max_length=20, null=True)  # the children's (bookings' AGE_GROUPS), when given


class Honorability(BaseModel):
    """An attestation d'honorabilité as staff checked it on the national platform; a renewal is a
    new row, the volunteer's latest verification counts (store.current_honorability)."""

    volunteer_id = CharField(max_length=36, index=True)
    issued_on = DateField()
    verified_on = DateField()
    verified_by = CharField(max_length=36)  # the staff account
    expiry_announced_at = DateTimeField(null=True)  # volunteers.honorability_expiring sent (once)


class ActivityMove(BaseModel):
    """A bookings.activity_rescheduled as received, kept so that the latest move wins whatever the
    order of delivery (even before the activity_scheduled it follows)."""

    activity_id = CharField(max_length=36, index=True)
    occurred_at = DateTimeField()
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    room_name = CharField(max_length=100, null=True)


class Signup(BaseModel):
    volunteer_id = CharField(max_length=36)
    activity_id = CharField(max_length=36, index=True)
    status = CharField(max_length=20, default=CONFIRMED)
    ended_at = DateTimeField(null=True)  # withdrawn or cancelled at
    cancel_reason = CharField(max_length=40, null=True)  # "activity_cancelled", "activity_moved"

    class Meta:
        indexes = ((("volunteer_id", "status"), False),)


class HoursRecord(BaseModel):
    """A confirmed volunteer's hours on a completed activity: one row per (volunteer, activity)."""

    volunteer_id = CharField(max_length=36)
    activity_id = CharField(max_length=36)
    title = CharField(max_length=200)
    kind = CharField(max_length=40)
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    hours = DecimalField(max_digits=8, decimal_places=2, auto_round=True)
    age_group = CharField(max_length=40, null=True)

    class Meta:
        indexes = ((("volunteer_id", "activity_id"), True), (("starts_at",), False))


class TrainingRecord(BaseModel):
    """A volunteer at one half-day of a part of an education session, as the latest attendance
    sheet line received says (education.attendance_recorded): one row per (session, part,
    half-day, volunteer), replaced only by a higher `revision`; kept when absent, so that an older
    line arriving late cannot give the hours back."""

    volunteer_id = CharField(max_length=36)
    session_id = CharField(max_length=36)
    part_index = IntegerField()
    # education's half-day (morning | afternoon); "" for a line told before half-days (the whole part)
    half_day = CharField(max_length=10, default="")
    title = CharField(max_length=200)
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    hours = DecimalField(max_digits=8, decimal_places=2, auto_round=True)
    present = BooleanField()
    revision = IntegerField()

    class Meta:
        indexes = (
            (("session_id", "part_index", "half_day", "volunteer_id"), True),
            (("volunteer_id", "starts_at"), False),
            (("starts_at",), False),
        )


Outbox, Inbox, Tombstone, Idempotency = SPINE = spine_models(database)

OLD_TRAINING_INDEX = "trainingrecord_session_id_part_index_volunteer_id"  # one line per part


def after_migrate():
    """Written step, safe to run again: a training line was one per part, now one per half-day;
    the old unique index goes before the new one is made (old lines keep half_day "", the
    whole part)."""
    database.execute_sql(f'DROP INDEX IF EXISTS "{OLD_TRAINING_INDEX}"')


MODELS = [
    Volunteer,
    Opportunity,
    Honorability,
    ActivityMove,
    Signup,
    HoursRecord,
    TrainingRecord,
    *SPINE,
]
