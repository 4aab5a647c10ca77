"""The bookings service's own tables (nobody else reads them). Times are naive UTC."""

import json

from peewee import (
    BlobField,
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

from services.bookings.domain import family_file
from shared.models import JsonField, base_model, spine_models
from shared.numbering import numbering_model
from shared.timeutil import db_now
from shared.vocabulary import ACTIVITY_SCHEDULED, CONTRACT_REQUESTED

database = DatabaseProxy()
BaseModel = base_model(database)  # string UUID id + created_at

# A room reservation held for another service until that service releases it.
RESERVATION_HELD, RESERVATION_RELEASED = "held", "released"


# --- venue calendar -------------------------------------------------------------------------
class Room(BaseModel):
    name = CharField(max_length=100, unique=True)
    kind = CharField(max_length=20)
    capacity = IntegerField()


class Activity(BaseModel):
    title = CharField(max_length=200)
    kind = CharField(max_length=40)
    room = ForeignKeyField(Room, backref="activities", on_delete="RESTRICT")
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField(index=True)
    children_capacity = IntegerField()
    volunteer_slots = IntegerField()
    trainee_slots = IntegerField()
    age_group = CharField(max_length=20, null=True)
    notes = TextField(default="")
    status = CharField(max_length=20, default=ACTIVITY_SCHEDULED)  # vocabulary.ACTIVITY_STATUSES
    cancel_reason = TextField(null=True)
    started_at = DateTimeField(null=True)  # real times, recorded at completion
    ended_at = DateTimeField(null=True)
    # the professional who leads it (a StaffMember id), required once children come (domain/duty.py);
    # null for an activity without children, or scheduled before leads existed
    lead_staff_id = CharField(max_length=36, null=True)
    outing = BooleanField(default=False)  # out of the venue: the outing ratio (R2324-43-2)

    class Meta:
        indexes = ((("starts_at", "id"), False),)  # the list's order (calendar/store.py, activities)


class ActivityStaff(BaseModel):
    """A staff member named on an activity besides its lead."""

    activity = ForeignKeyField(Activity, backref="staff", on_delete="CASCADE")
    staff_id = CharField(max_length=36)

    class Meta:
        indexes = ((("activity", "staff_id"), True),)


class ActivityTrainee(BaseModel):
    activity = ForeignKeyField(Activity, backref="trainees", on_delete="CASCADE")
    trainee_id = CharField(max_length=36)

    class Meta:
        indexes = ((("activity", "trainee_id"), True),)


class ActivityVolunteer(BaseModel):
    """A volunteer's confirmed place, as learned from the volunteers service's events."""

    activity = ForeignKeyField(Activity, backref="volunteers", on_delete="CASCADE")
    volunteer_id = CharField(max_length=36)
    signup_id = CharField(max_length=36, unique=True)


class RoomReservation(BaseModel):
    """A room held for another service (a training session part)."""

    room = ForeignKeyField(Room, backref="reservations", on_delete="RESTRICT")
    session_id = CharField(max_length=36, index=True)
    title = CharField(max_length=200)
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField(index=True)
    status = CharField(max_length=20, default=RESERVATION_HELD)  # RESERVATION_HELD | RESERVATION_RELEASED
    request = IntegerField(default=1)  # the education request that holds it


class Closure(BaseModel):
    """A closure of the venue, days both included (domain/closures.py): planned (out of every
    contract's days) or not (deducted for every contract child from the first day)."""

    starts_on = DateField()
    ends_on = DateField()
    label = CharField(max_length=200)
    planned = BooleanField(default=True)
    declared_by = CharField(max_length=36, null=True)  # the staff account id, given by the gateway

    class Meta:
        indexes = ((("starts_on", "id"), False),)  # the list's order (calendar/store.py, closures)


class RoomRequest(BaseModel):
    """The newest room request seen for an education session (a refused one holds no row, so it
    is kept here): an older or repeated request arriving later is ignored."""

    session_id = CharField(max_length=36, unique=True)
    request = IntegerField()


# --- childcare -------------------------------------------------------------------------------
class Family(BaseModel):
    email = CharField(max_length=254, unique=True)
    guardians = TextField()  # JSON list of {first_name, last_name, phone}
    monthly_resources = DecimalField(max_digits=12, decimal_places=2, auto_round=False)
    dependent_children = IntegerField()
    # dependent children receiving AEEH: one CNAF row down each (domain/fees.py). `aeeh` is the
    # former flag, kept written as aeeh_children > 0 for a process not yet upgraded; after_migrate
    # turned every aeeh row without a count into 1.
    aeeh_children = IntegerField(default=0)
    aeeh = BooleanField(default=False)
    job_seeker = BooleanField(default=False)  # registered with France Travail: AVIP priority
    # the family file staff keep (domain/family_file.py): when and from what they checked
    resources_checked_on = DateField(null=True)
    resources_source = CharField(max_length=20, null=True)  # vocabulary.RESOURCES_SOURCES
    job_seeker_checked_on = DateField(null=True)
    # email and guardians' names, lower case without accents (family_file.search_key): the search
    # of GET /families?q=. Null only before migrate's backfill (after_migrate).
    search_text = TextField(null=True)
    # false: resources unknown (emergency care, domain/emergency.py): priced at the floor or at
    # the venue's average rate, whatever monthly_resources holds
    resources_known = BooleanField(default=True)
    # the postal address invoices and tax certificates are sent to (CGI ann. II art. 242 nonies A, I, 1°)
    postal_address = TextField(default="")
    # the job search as the AVIP priority reads it (domain/job_search.py, family_file/job_search.py):
    # the family file's last change of job_seeker (its day, when it was typed), and the day an
    # outcome recorded by placements (a hire, a job, back to work) ended the search since then
    job_search_changed_on = DateField(null=True)
    job_search_changed_at = DateTimeField(null=True)
    back_to_work_on = DateField(null=True)


class Child(BaseModel):
    family = ForeignKeyField(Family, backref="children", on_delete="CASCADE")
    first_name = CharField(max_length=100)
    birth_date = DateField()
    # domain/walking.py: staff's observation wins; the family's declaration is a proposal
    walking_override = BooleanField(null=True)  # staff's observation; None = derived from age
    walking_set_by = CharField(max_length=36, null=True)  # the staff account that last set it
    walking_declared = BooleanField(null=True)  # the family's proposal, given with the child


# --- the child's file (child_file/) -----------------------------------------------------------
class ChildHealth(BaseModel):
    """A child's health file (RGPD art. 9): allergies, PAI, medication protocol, vaccinations,
    doctor, emergency authorisation, kept only as the Fernet token of their JSON
    (child_file/sealing.py, settings.health_keys). Replaced whole by each PUT."""

    child = ForeignKeyField(Child, unique=True, backref="health", on_delete="CASCADE")
    sealed = BlobField()
    updated_at = DateTimeField(default=db_now)
    updated_by = CharField(max_length=20)  # "family" or "staff"


class PickupAdult(BaseModel):
    """An adult the family allows to collect the child. Removed, it is kept (removed_at): a past
    departure still names who collected the child."""

    child = ForeignKeyField(Child, backref="pickup_adults", on_delete="CASCADE")
    first_name = CharField(max_length=100)
    last_name = CharField(max_length=100)
    phone = CharField(max_length=30)
    relation = CharField(max_length=100)
    removed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("child", "created_at", "id"), False),)


class Incident(BaseModel):
    """A line of the incident and accident register, written once: a correction is a new line
    that names the one it corrects (`corrects`), never an edit (domain/incidents.py). What
    happened, who was involved and the first aid may tell a child's health (RGPD art. 9): kept
    as the Fernet token of their JSON, with the health files' keys (child_file/sealing.py)."""

    child = ForeignKeyField(Child, backref="incidents", on_delete="CASCADE")
    kind = CharField(max_length=20)  # domain/incidents.KINDS
    occurred_at = DateTimeField()
    sealed = BlobField()  # {description, people_involved, first_aid}
    family_told_at = DateTimeField(null=True)
    serious = BooleanField(default=False)
    pmi_notified_on = DateField(null=True)
    recorded_by = CharField(max_length=36)  # the staff account id
    corrects = CharField(max_length=36, null=True)  # the id of the line this one corrects

    class Meta:
        indexes = ((("child", "occurred_at", "id"), False),)


class ChildcareSlot(BaseModel):
    room = ForeignKeyField(Room, backref="slots", on_delete="RESTRICT")
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField(index=True)
    age_group = CharField(max_length=20)
    # the professionals the slot counts: the named staff who count and are cleared on its day
    # (SlotStaff, duty/) + `unnamed_staff`; kept up to date when the names, a profile or a
    # clearance change (staffing.py), so every reader of the ratio reads it as before
    staff_on_duty = IntegerField()
    # staff given as a number alone (unnamed, counted as professionals); null before names existed,
    # when staff_on_duty was that number (`unnamed` below)
    unnamed_staff = IntegerField(null=True)
    places = IntegerField()  # from the ratio for the staff on duty, capped by the room
    # when the places still kept for AVIP children went to the waiting list (release_avip_places)
    avip_released_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("starts_at", "id"), False),)  # the list's order (childcare/store.py, slots)

    @property
    def unnamed(self):
        """The staff given as a number alone (before names existed: all of its staff)."""
        return self.staff_on_duty if self.unnamed_staff is None else self.unnamed_staff


class SlotStaff(BaseModel):
    """A staff member named on duty in a childcare slot (PATCH /childcare-slots/{id} changes them)."""

    slot = ForeignKeyField(ChildcareSlot, backref="staff", on_delete="CASCADE")
    staff_id = CharField(max_length=36, index=True)

    class Meta:
        indexes = ((("slot", "staff_id"), True),)


# --- who may be with the children, as team's and placements' events say (duty/) ---------------
class StaffMember(BaseModel):
    """A staff member of the venue as the team service's profile events give it (id: team's
    staff_id). A row may exist before its profile (a clearance arrived first): `known` false."""

    first_name = CharField(max_length=100, default="")
    last_name = CharField(max_length=100, default="")
    job_title = CharField(max_length=200, default="")
    diplomas = JsonField(default=list)  # codes, shared/diplomas.py
    counts_in_ratio = BooleanField(default=False)
    state_diploma = BooleanField(default=False)
    active = BooleanField(default=True)
    known = BooleanField(default=False)  # a profile arrived
    profile_at = DateTimeField(null=True)  # when the profile applied happened: an older one is ignored


class Clearance(BaseModel):
    """One fact about a person's attestation d'honorabilité, as an event gave it: a period
    (`verified_on` to `last_day`) or, `verified_on` null, an expiry (`last_day` = expired_on).
    Facts are kept, never overwritten: any order of the events gives the same clearance."""

    person_kind = CharField(max_length=10)  # "staff" | "trainee"
    person_id = CharField(max_length=36)
    verified_on = DateField(null=True)
    last_day = DateField()

    class Meta:
        indexes = ((("person_kind", "person_id", "verified_on", "last_day"), True),)


class Booking(BaseModel):
    slot = ForeignKeyField(ChildcareSlot, backref="bookings", on_delete="RESTRICT")
    child = ForeignKeyField(Child, backref="bookings", on_delete="RESTRICT")
    family = ForeignKeyField(Family, backref="bookings", on_delete="RESTRICT")
    status = CharField(max_length=20, index=True)  # vocabulary.BOOKING_STATUSES
    avip = BooleanField()  # the family was job-seeking when it booked
    walks = BooleanField()  # the child's walking status on the slot's day
    requested_at = DateTimeField(default=db_now)
    # exact: resources (cents) x effort rate (6 decimals) needs up to 8 decimals; room to spare
    hourly_rate = DecimalField(max_digits=20, decimal_places=10, auto_round=False)
    cancelled_at = DateTimeField(null=True)
    cancelled_in_time = BooleanField(null=True)
    was_status = CharField(max_length=20, null=True)  # status before cancelling
    promoted_at = DateTimeField(null=True)  # when a waitlisted booking got its place
    checked_in_at = DateTimeField(null=True)
    checked_out_at = DateTimeField(null=True)
    # the slot's start, copied at booking (a slot never moves): lists are sorted by it, and an
    # index can only follow columns of one table (childcare/store.py, bookings). Null only before migrate's
    # backfill (after_migrate).
    slot_starts_at = DateTimeField(null=True)
    emergency_rate = BooleanField(default=False)  # priced while the family's resources were unknown
    # who collected the child at check-out: {kind: guardian | pickup_adult, id, name, id_checked}
    collected_by = JsonField(null=True)

    class Meta:
        # lists (childcare/store.py, bookings): each filter finds its rows already in the list's order, so a
        # page reads about `limit` rows whatever the number of bookings (shared/pagination.py)
        indexes = (
            (("slot_starts_at", "requested_at", "id"), False),
            (("family", "slot_starts_at", "requested_at", "id"), False),
            (("status", "slot_starts_at", "requested_at", "id"), False),
        )


# --- regular care contracts (accueil régulier) ----------------------------------------------
class Contract(BaseModel):
    """A child's regular care: the same days and hours every week from starts_on to ends_on
    (inclusive), billed by the month (domain/contracts.py)."""

    family = ForeignKeyField(Family, backref="contracts", on_delete="RESTRICT")
    child = ForeignKeyField(Child, backref="contracts", on_delete="RESTRICT")
    starts_on = DateField()
    ends_on = DateField()  # the planned end; ended_on when it ends earlier
    ended_on = DateField(null=True)
    weeks_per_year = IntegerField()
    pattern = TextField()  # JSON list of {weekday, start "HH:MM", end "HH:MM"}
    status = CharField(max_length=20, default=CONTRACT_REQUESTED, index=True)  # vocabulary.CONTRACT_STATUSES
    avip = BooleanField(default=False)  # the family was job-seeking when staff accepted it
    hourly_rate = DecimalField(max_digits=20, decimal_places=10, auto_round=False, null=True)  # at signing
    hours_per_month = DecimalField(max_digits=10, decimal_places=2, auto_round=False, null=True)
    monthly_amount = DecimalField(max_digits=12, decimal_places=2, auto_round=False, null=True)
    accepted_at = DateTimeField(null=True)
    amends = CharField(max_length=36, null=True)  # the contract this one replaces from starts_on

    class Meta:
        indexes = ((("status", "starts_on", "ends_on"), False),)

    @property
    def last_day(self):
        """The last day of care: the planned end, or the earlier end it was given."""
        return min(self.ends_on, self.ended_on) if self.ended_on else self.ends_on


class ContractResources(BaseModel):
    """What a contract's hourly rate is computed from, from a date on (a change of the family's
    resources starts a new row; the CNAF scale of each day is applied to it)."""

    contract = ForeignKeyField(Contract, backref="resources", on_delete="CASCADE")
    from_on = DateField()
    monthly_resources = DecimalField(max_digits=12, decimal_places=2, auto_round=False)
    dependent_children = IntegerField()
    aeeh_children = IntegerField(default=0)  # as on Family; `aeeh` kept as aeeh_children > 0
    aeeh = BooleanField(default=False)
    resources_known = BooleanField(default=True)  # as on Family: false prices at the emergency rate

    class Meta:
        indexes = ((("contract", "from_on"), True),)


class ContractAbsence(BaseModel):
    contract = ForeignKeyField(Contract, backref="absences", on_delete="CASCADE")
    starts_on = DateField()
    ends_on = DateField()
    reason = CharField(max_length=30)  # domain.contracts.ABSENCE_REASONS
    deducted_hours = DecimalField(max_digits=10, decimal_places=2, auto_round=False)
    recorded_by = CharField(max_length=20)  # "family" or "staff"
    # A family's absence is a request staff decide on; staff's is approved at once; only an
    # approved one deducts (domain/absences.py). Rows from before requests existed: approved.
    status = CharField(max_length=20, default="approved")  # domain.absences.ABSENCE_STATUSES
    decided_by = CharField(max_length=36, null=True)  # the staff account that approved, refused or withdrew it
    decided_at = DateTimeField(null=True)
    proof_seen = BooleanField(default=False)  # staff saw the certificate when approving
    reject_reason = TextField(null=True)
    has_certificate = BooleanField(default=False)  # an AbsenceCertificate is kept for it

    class Meta:
        indexes = ((("status", "starts_on", "id"), False),)  # staff's queue (contracts/store.py)


class AbsenceCertificate(BaseModel):
    """The certificate sent with an absence (health data, RGPD art. 9): the file encrypted with
    the service's key (Fernet, contracts/certificates.py), deleted with its absence, and by the
    retention sweep after the decision (domain/certificates.py)."""

    absence = ForeignKeyField(ContractAbsence, unique=True, backref="certificates", on_delete="CASCADE")
    media_type = CharField(max_length=40)  # from the file's first bytes
    size = IntegerField()  # bytes, before encryption
    sealed = BlobField()  # the Fernet token of the file: never the file itself
    uploaded_by = CharField(max_length=20)  # "family" or "staff"


class ContractAttendance(BaseModel):
    """A contract child's arrival and departure on one day (hours beyond the contract are billed)."""

    contract = ForeignKeyField(Contract, backref="attendances", on_delete="CASCADE")
    day = DateField()  # the venue's calendar date
    arrived_at = DateTimeField()
    left_at = DateTimeField(null=True)
    collected_by = JsonField(null=True)  # as Booking.collected_by

    class Meta:
        indexes = ((("contract", "day"), True),)


class FamilyChange(BaseModel):
    """One field of a family's file changed by staff: kept for ever (GET /families/{id}/history).
    `before` and `after` are the values as JSON text (null, true, 4000.00 as "4000.00", dates ISO)."""

    family = ForeignKeyField(Family, backref="changes", on_delete="CASCADE")
    child_id = CharField(max_length=36, null=True)  # for a child's field (walking)
    changed_at = DateTimeField(default=db_now)
    changed_by = CharField(max_length=36)  # the staff account id, given by the gateway
    field = CharField(max_length=40)
    before = TextField()
    after = TextField()
    effective_on = DateField(null=True)  # a fee figure's correction applies from that day (else from changed_at)

    class Meta:
        indexes = ((("family", "changed_at", "id"), False),)  # the history's order (family_file/store.py)


class AttendanceCorrection(BaseModel):
    """A check-in or check-out corrected by staff (domain/corrections.py): kept for ever, with who,
    when, the times before and after, and the reason. For a booking or a contract's day."""

    booking = ForeignKeyField(Booking, null=True, backref="attendance_corrections", on_delete="CASCADE")
    contract = ForeignKeyField(Contract, null=True, backref="attendance_corrections", on_delete="CASCADE")
    day = DateField()  # the venue's calendar date of the attendance
    corrected_at = DateTimeField(default=db_now)
    corrected_by = CharField(max_length=36)  # the staff account id, given by the gateway
    arrived_before = DateTimeField(null=True)
    left_before = DateTimeField(null=True)
    arrived_after = DateTimeField(null=True)  # null: no arrival (the attendance removed)
    left_after = DateTimeField(null=True)
    reason = TextField()

    class Meta:
        indexes = (
            (("booking", "corrected_at", "id"), False),
            (("contract", "day", "corrected_at", "id"), False),
        )


# --- invoices (invoicing/): months closed, numbered invoices, credit notes, payments -----------
class MonthClosing(BaseModel):
    """A month closed into invoices: a month is closed once (domain/invoicing.py)."""

    month = CharField(max_length=7, unique=True)  # "2026-03"
    closed_by = CharField(max_length=36, null=True)  # the staff account id, given by the gateway
    forced = BooleanField(default=False)  # closed with absence requests still pending


class Invoice(BaseModel):
    """A family's month as it was closed: never changed after, except its status (paid, credited)
    and its credit note. `statement`: the StatementOut of the month as computed at closing, its
    adjustment lines included; `issuer` and `customer`: the legal mentions frozen with it."""

    number = CharField(max_length=20, unique=True)  # F-2026-000042 (shared/numbering.py)
    family = ForeignKeyField(Family, backref="invoices", on_delete="RESTRICT")
    closing = ForeignKeyField(MonthClosing, backref="invoices", on_delete="RESTRICT")
    month = CharField(max_length=7)
    issued_on = DateField()
    due_on = DateField()
    total = DecimalField(max_digits=12, decimal_places=2, auto_round=False)
    statement = JsonField()
    issuer = JsonField()  # {name, address, siret}
    customer = JsonField()  # {name, address, email}
    payment_terms = TextField()  # the ways to pay, as printed
    status = CharField(max_length=20, default="issued")  # vocabulary.INVOICE_STATUSES
    credit_note_number = CharField(max_length=20, unique=True, null=True)  # A-2026-000003
    credited_on = DateField(null=True)
    credit_reason = TextField(null=True)
    credited_by = CharField(max_length=36, null=True)

    class Meta:
        indexes = (
            (("family", "month"), True),
            (("month", "number"), False),
        )


class Payment(BaseModel):
    """A sum received for an invoice; a rejected one (a direct debit returned, a cheque bounced)
    stays, marked rejected, and no longer counts. The tax certificate sums the recorded ones of a
    family by paid_on."""

    invoice = ForeignKeyField(Invoice, backref="payments", on_delete="RESTRICT")
    family = ForeignKeyField(Family, backref="payments", on_delete="RESTRICT")
    amount = DecimalField(max_digits=12, decimal_places=2, auto_round=False)
    paid_on = DateField()
    method = CharField(max_length=20)  # vocabulary.PAYMENT_METHODS
    status = CharField(max_length=20, default="recorded")  # vocabulary.PAYMENT_STATUSES
    recorded_by = CharField(max_length=36, null=True)
    rejected_on = DateField(null=True)
    reject_reason = TextField(null=True)
    rejected_by = CharField(max_length=36, null=True)

    class Meta:
        indexes = ((("family", "paid_on"), False),)


NumberCounter = numbering_model(database)


class SepaMandate(BaseModel):
    """A family's SEPA direct debit mandate (domain/mandates.py). A new mandate revokes the family's
    active one: `active_family` holds the family's id while the mandate is active (null once revoked),
    unique, so a family has at most one active mandate (NULLs never collide, on SQLite as on
    PostgreSQL). The IBAN is stored normalised and shown masked to everyone; only the bank file
    (pain.008, sepa/debits.py) reads it whole."""

    family = ForeignKeyField(Family, backref="mandates", on_delete="CASCADE")
    active_family = CharField(max_length=36, null=True, unique=True)
    reference = CharField(max_length=35, unique=True)  # COCOON-<family short id>-<n>: made once, never changed
    number = IntegerField()  # the family's n-th mandate
    iban = CharField(max_length=34)
    bic = CharField(max_length=11, null=True)
    holder = CharField(max_length=70)  # the account holder, as on the account
    signed_on = DateField()
    revoked_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("family", "number"), True),)


Outbox, Inbox, Tombstone, Idempotency = SPINE = spine_models(database)


def after_migrate():
    """Written migration steps (shared/migrate.py runs them after adding columns; safe to run again)."""
    starts = ChildcareSlot.select(ChildcareSlot.starts_at).where(ChildcareSlot.id == Booking.slot)
    Booking.update(slot_starts_at=starts).where(Booking.slot_starts_at.is_null()).execute()
    # Before walking_declared existed the family's `walking` went into walking_override, shown
    # as staff's: a value no staff account set is the family's proposal (domain/walking.py).
    (
        Child.update(walking_declared=Child.walking_override, walking_override=None)
        .where(Child.walking_override.is_null(False), Child.walking_set_by.is_null())
        .execute()
    )
    # Before aeeh_children existed a family had one AEEH flag, worth one row: it becomes a count
    # of 1 (every write since keeps aeeh = aeeh_children > 0, so a row with the flag and no
    # count was written before, or by a process not yet upgraded).
    for model in (Family, ContractResources):
        model.update(aeeh_children=1).where(model.aeeh == True, model.aeeh_children == 0).execute()  # noqa: E712
    for family in Family.select().where(Family.search_text.is_null()):
        text = family_file.search_text(family.email, json.loads(family.guardians))
        Family.update(search_text=text).where(Family.id == family.id).execute()


MODELS = [
    Room,
    Activity,
    ActivityTrainee,
    ActivityVolunteer,
    ActivityStaff,
    RoomReservation,
    RoomRequest,
    Closure,
    Family,
    Child,
    ChildHealth,
    PickupAdult,
    Incident,
    ChildcareSlot,
    SlotStaff,
    StaffMember,
    Clearance,
    Booking,
    Contract,
    ContractResources,
    ContractAbsence,
    ContractAttendance,
    FamilyChange,
    AttendanceCorrection,
    MonthClosing,
    Invoice,
    Payment,
    NumberCounter,
    AbsenceCertificate,
    SepaMandate,
    *SPINE,
]
