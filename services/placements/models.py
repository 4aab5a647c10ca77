"""The placements service's tables (nobody else reads them), on the shared id-carrying base model.
Times are stored naive UTC (shared.timeutil); hours are exact decimals.

- Trainee: the trainee's profile (the gateway keeps only the account, whose subject_id is its id).
- Placement: the convention de stage (planned -> active -> completed | interrupted, domain.lifecycle).
- HourLog: a period present, submitted by the trainee (or pre-filled from a completed activity,
  which the trainee confirms or corrects), validated or rejected by the placement's tutor; or a
  training session attended (kind training), credited from education's attendance sheet.
- TraineeHonorability: a trainee's attestation d'honorabilité as staff verified it (the latest
  verification counts, domain.clearance).
- PlacementChange: one edit of a placement (dates, schedule, hours, tutor) with who and why.
- GratificationPayment: what was actually paid for one month of a placement.
- TrainingCredit: the latest attendance revision of a trainee at one half-day of a part of a
  training session, and the training log it credits (none while absent or without a placement
  that day).
- Beneficiary, Immersion, BeneficiaryHonorability: a person in a PMSMP immersion, its convention
  (agreed -> signed -> assessed | cancelled, domain.immersion) and their attestations
  d'honorabilité (services/placements/immersions/).
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

from services.placements.domain.progress import (  # noqa: F401 (the statuses, named here too)
    LIVE_LOGS,
    ON_SITE,
    REJECTED,
    SUBMITTED,
    VALIDATED,
)
from shared.models import JsonField, base_model, spine_models

database = DatabaseProxy()
BaseModel = base_model(database)

BY_TRAINEE, FROM_ACTIVITY, FROM_EDUCATION = "trainee", "activity", "education"  # who wrote the log


class Trainee(BaseModel):
    email = CharField(max_length=254, unique=True)
    first_name = CharField(max_length=100)
    last_name = CharField(max_length=100)
    phone = CharField(max_length=30, null=True)
    birth_date = DateField()  # minors have stricter limits (domain.working_time.limits_for)
    programme = CharField(max_length=40)  # a key of domain.programmes.PROGRAMMES
    school = CharField(max_length=200)
    referent_name = CharField(max_length=200, null=True)  # the school's referent
    referent_email = CharField(max_length=254, null=True)


class Placement(BaseModel):
    trainee = ForeignKeyField(Trainee, backref="placements", index=True)
    tutor_id = CharField(max_length=36, index=True)  # a staff account id (gateway)
    school = CharField(max_length=200)
    starts_on = DateField()
    ends_on = DateField()
    required_hours = DecimalField(max_digits=7, decimal_places=2, auto_round=True)  # as the convention sent it
    # The convention's hours at this venue: its dates x weekly_schedule, else required_hours
    # (null only before migrate's backfill, after_migrate).
    planned_hours = DecimalField(max_digits=7, decimal_places=2, auto_round=True, null=True)
    weekly_schedule = JsonField(default=list)  # [{weekday 0-6, start "09:00", end "17:00", break_minutes}]
    designated_on = DateField(null=True)  # the tutor's designation took effect (None: the first day)
    under_convention = BooleanField(default=True)  # a convention de stage under L124-1 (gratification)
    status = CharField(max_length=20, index=True)  # domain.lifecycle.STATUSES
    interruption_reason = TextField(null=True)
    started_at = DateTimeField(null=True)
    ended_at = DateTimeField(null=True)  # completed or interrupted
    evaluation = JsonField(null=True)  # [{competence, rating, comment}] by the tutor
    evaluated_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("tutor_id", "status", "starts_on", "id"), False), (("starts_on", "id"), False))


class HourLog(BaseModel):
    placement = ForeignKeyField(Placement, backref="logs", index=True)
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    tasks = TextField(default="")
    activity_id = CharField(max_length=36, null=True)  # bookings' activity, when the log comes from one
    kind = CharField(max_length=20, default=ON_SITE)
    source = CharField(max_length=20, default=BY_TRAINEE)
    status = CharField(max_length=20, default=SUBMITTED)
    reason = TextField(null=True)  # why it was rejected
    validated_by = CharField(max_length=36, null=True)  # the tutor's account id (validated or rejected)
    validated_at = DateTimeField(null=True)
    confirmed_by_trainee_at = DateTimeField(null=True)  # a pre-filled log the trainee said is right (or corrected)

    class Meta:
        indexes = (
            (("placement", "activity_id"), True),  # one log per activity (NULLs do not clash)
            (("placement", "starts_at", "id"), False),
            (("status", "starts_at", "id"), False),
        )


class TrainingCredit(BaseModel):
    session_id = CharField(max_length=64)  # education's session
    part_index = IntegerField()
    # education's half-day (morning | afternoon); "" for a line told before half-days (the whole part)
    half_day = CharField(max_length=10, default="")
    trainee_id = CharField(max_length=36, index=True)
    revision = IntegerField()  # the latest attendance revision applied
    present = BooleanField()
    hour_log = ForeignKeyField(HourLog, null=True, on_delete="SET NULL")  # the credited training log
    # The part as the sheet told it, so a placement created later over its day gets the credit.
    starts_at = DateTimeField(null=True)
    ends_at = DateTimeField(null=True)
    title = CharField(max_length=300, null=True)

    class Meta:
        indexes = ((("session_id", "part_index", "half_day", "trainee_id"), True),)


class TraineeHonorability(BaseModel):
    """An attestation d'honorabilité as staff checked it on the national platform; a renewal is a
    new row, the trainee's latest verification counts (store.current_honorability)."""

    trainee = ForeignKeyField(Trainee, backref="honorabilities", index=True)
    issued_on = DateField()
    verified_on = DateField()
    verified_by = CharField(max_length=36)  # the staff account
    expiry_announced_at = DateTimeField(null=True)  # placements.trainee_clearance_expired sent (once)


class PlacementChange(BaseModel):
    """One edit of a placement (PATCH): who, why, each field before and after. Never changed."""

    placement = ForeignKeyField(Placement, backref="changes", index=True)
    changed_by = CharField(max_length=36)  # the staff account
    reason = TextField(default="")
    changes = JsonField()  # {field: {"before": …, "after": …}} as JSON text values

    class Meta:
        indexes = ((("placement", "created_at", "id"), False),)


class GratificationPayment(BaseModel):
    """The gratification actually paid for one month of a placement (D124-9): one per month."""

    placement = ForeignKeyField(Placement, backref="payments", index=True)
    month = CharField(max_length=7)  # "2026-03"
    amount = DecimalField(max_digits=9, decimal_places=2, auto_round=True)
    recorded_by = CharField(max_length=36)  # the staff account

    class Meta:
        indexes = ((("placement", "month"), True),)


class Outcome(BaseModel):
    """What happened next to a person, as staff recorded it (services/placements/outcomes.py).
    `person_id` is the gateway account id; `subjects` the account's records then ([{role, id}]);
    `detail` is free text about the person: exported and erased with them."""

    person_id = CharField(max_length=36)
    subjects = JsonField(default=list)
    kind = CharField(max_length=30)  # shared.vocabulary.OUTCOME_KINDS
    on = DateField()
    detail = TextField(default="")
    recorded_by = CharField(max_length=36)  # the staff account
    recorded_at = DateTimeField()

    class Meta:
        indexes = ((("person_id", "on", "recorded_at", "id"), False),)  # a person's list, by date


class Beneficiary(BaseModel):
    """A person in a PMSMP immersion; the id is the gateway account's beneficiary subject id."""

    email = CharField(max_length=254)
    first_name = CharField(max_length=100)
    last_name = CharField(max_length=100)
    birth_date = DateField()  # minors keep stricter working-time limits (domain.working_time)
    person_id = CharField(max_length=36, index=True)  # the gateway account


class Immersion(BaseModel):
    """A PMSMP convention (domain.immersion): its prescriber, object, dates, schedule, tutor, the
    three signatures, the tutor's assessment."""

    beneficiary = ForeignKeyField(Beneficiary, backref="immersions", index=True)
    person_id = CharField(max_length=36, index=True)  # the gateway account (events' person_id)
    subjects = JsonField(default=list)  # [{role, id}] the account's records when it was agreed
    prescriber_organisation = CharField(max_length=30)  # shared.vocabulary.PRESCRIBER_ORGANISATIONS
    adviser_name = CharField(max_length=200)
    adviser_email = CharField(max_length=254)
    object = CharField(max_length=20)  # shared.vocabulary.IMMERSION_OBJECTS
    objectives = TextField()
    activities = TextField(default="")
    starts_on = DateField()
    ends_on = DateField()
    tutor_id = CharField(max_length=36, index=True)  # a staff account id (gateway)
    schedule = JsonField(default=list)  # [{weekday 0-6, start "09:00", end "17:00", break_minutes}]
    planned_hours = DecimalField(max_digits=7, decimal_places=2, auto_round=True)
    gratification = DecimalField(max_digits=9, decimal_places=2, auto_round=True, null=True)  # optional, not pay
    status = CharField(max_length=20, index=True)  # domain.immersion.STATUSES
    signatures = JsonField(default=dict)  # {signer: {"signed_on": "2027-01-03", "name": "…"}}
    signed_on = DateField(null=True)  # the last of the three signatures
    assessment = JsonField(null=True)  # {days_present, skills_observed, next_steps, comment, assessed_by}
    assessed_on = DateField(null=True)
    cancelled_on = DateField(null=True)
    cancel_reason = TextField(null=True)
    created_by = CharField(max_length=36)  # the staff account

    class Meta:
        indexes = ((("starts_on", "id"), False),)


class BeneficiaryHonorability(BaseModel):
    """A beneficiary's attestation d'honorabilité as staff verified it (the latest counts)."""

    beneficiary = ForeignKeyField(Beneficiary, backref="honorabilities", index=True)
    issued_on = DateField()
    verified_on = DateField()
    verified_by = CharField(max_length=36)  # the staff account


Outbox, Inbox, Tombstone, Idempotency = SPINE = spine_models(database)

MODELS = [
    Trainee,
    Placement,
    HourLog,
    TrainingCredit,
    TraineeHonorability,
    PlacementChange,
    GratificationPayment,
    Beneficiary,
    Immersion,
    BeneficiaryHonorability,
    *SPINE,
    Outcome,
]


OLD_CREDIT_INDEX = "trainingcredit_session_id_part_index_trainee_id"  # one credit per part


def after_migrate():
    """Written steps, safe to run again: placements recorded before planned hours existed planned
    their required hours; a training credit was one per part, now one per half-day (its old
    unique index goes before the new one is made; old credits keep half_day "", the whole part)."""
    Placement.update(planned_hours=Placement.required_hours).where(Placement.planned_hours.is_null()).execute()
    database.execute_sql(f'DROP INDEX IF EXISTS "{OLD_CREDIT_INDEX}"')
