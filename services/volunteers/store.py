"""The volunteers service's queries: the only place, with models.py, that speaks peewee.
A missing thing raises NotFound with a French message. Locks: an opportunity's row before the
volunteer's key (shared.db.lock_key), so two calls never wait on each other."""

from services.volunteers.models import (
    CONFIRMED,
    OPEN,
    ActivityMove,
    Honorability,
    HoursRecord,
    Opportunity,
    Signup,
    TrainingRecord,
    Volunteer,
)
from shared import pagination
from shared.db import get_locked, lock_key
from shared.errors import found
from shared.timeutil import to_db

VOLUNTEER_KEY = "volunteers.volunteer"  # one volunteer's sign-ups decided one call at a time
TRAINING_KEY = "volunteers.training"  # one (session, part, volunteer) line decided one event at a time


def volunteer(volunteer_id):
    return found(Volunteer.get_or_none(Volunteer.id == str(volunteer_id)), "Bénévole introuvable.")


def locked_volunteer(volunteer_id):
    return found(get_locked(Volunteer.select().where(Volunteer.id == str(volunteer_id))), "Bénévole introuvable.")


def lock_volunteer(volunteer_id):
    """The volunteer's own calendar (no two sign-ups at once): after the opportunity's row."""
    lock_key(Volunteer._meta.database, VOLUNTEER_KEY, volunteer_id)


def volunteers(query):
    return pagination.page(Volunteer.select(), [Volunteer.last_name, Volunteer.first_name, Volunteer.id], query)


def email_taken(email):
    """Inside `uow.atomic(exclusive=True)` (see register_volunteer)."""
    return Volunteer.select().where(Volunteer.email == email).exists()


def add_volunteer(fields):
    """`fields` as VolunteerIn loads them; without an id (None) the base model draws one."""
    if fields.get("id") is None:
        fields = {name: value for name, value in fields.items() if name != "id"}
    return Volunteer.create(**fields)


# --- honorability --------------------------------------------------------------------------------
def current_honorability(volunteer_id):
    """The latest attestation verified (it clears 3 years from its verification), or None."""
    return (
        Honorability.select()
        .where(Honorability.volunteer_id == str(volunteer_id))
        .order_by(Honorability.verified_on.desc(), Honorability.created_at.desc())
        .first()
    )


def current_honorabilities(volunteer_ids):
    """{volunteer_id: latest attestation} for these volunteers."""
    latest = {}
    rows = Honorability.select().where(Honorability.volunteer_id.in_([str(v) for v in volunteer_ids]))
    for row in rows.order_by(Honorability.verified_on, Honorability.created_at):
        latest[row.volunteer_id] = row
    return latest


def latest_attestations():
    """Each volunteer's latest attestation with its volunteer (for the expiry lists)."""
    latest = {}
    for row in Honorability.select().order_by(Honorability.verified_on, Honorability.created_at):
        latest[row.volunteer_id] = row
    people = {v.id: v for v in Volunteer.select().where(Volunteer.id.in_(list(latest)))} if latest else {}
    return [(row, people[vid]) for vid, row in latest.items() if vid in people]


def all_volunteers():
    """Every volunteer (the renewal list), by name."""
    return list(Volunteer.select().order_by(Volunteer.last_name, Volunteer.first_name, Volunteer.id))


def locked_honorability(honorability_id):
    return get_locked(Honorability.select().where(Honorability.id == honorability_id))


# --- opportunities -------------------------------------------------------------------------------
def open_opportunities(after):
    """Open activities not over at `after` (aware), by start then id."""
    return (
        Opportunity.select()
        .where(Opportunity.status == OPEN, Opportunity.ends_at > to_db(after))
        .order_by(Opportunity.starts_at, Opportunity.activity_id)
    )


def opportunity(activity_id):
    return found(Opportunity.get_or_none(Opportunity.activity_id == str(activity_id)), "Activité introuvable.")


def locked_opportunity_or_none(activity_id):
    return get_locked(Opportunity.select().where(Opportunity.activity_id == str(activity_id)))


def locked_opportunity(activity_id):
    return found(locked_opportunity_or_none(activity_id), "Activité introuvable.")


def add_opportunity(activity_id, title, kind, room_name, starts_at, ends_at, volunteer_slots, **more):
    """`starts_at`, `ends_at` aware; `more`: the optional columns (children_capacity, times_at)."""
    return Opportunity.create(
        activity_id=activity_id,
        title=title,
        kind=kind,
        room_name=room_name,
        starts_at=to_db(starts_at),
        ends_at=to_db(ends_at),
        volunteer_slots=volunteer_slots,
        status=OPEN,
        **more,
    )


def record_move(activity_id, occurred_at, starts_at, ends_at, room_name):
    return ActivityMove.create(
        activity_id=activity_id,
        occurred_at=to_db(occurred_at),
        starts_at=to_db(starts_at),
        ends_at=to_db(ends_at),
        room_name=room_name,
    )


def latest_move(activity_id):
    return (
        ActivityMove.select()
        .where(ActivityMove.activity_id == str(activity_id))
        .order_by(ActivityMove.occurred_at.desc(), ActivityMove.id.desc())
        .first()
    )


# --- sign-ups ------------------------------------------------------------------------------------
def locked_signup(signup_id, volunteer_id):
    """The volunteer's own sign-up: another's is not found (ownership)."""
    query = Signup.select().where(Signup.id == str(signup_id), Signup.volunteer_id == str(volunteer_id))
    return found(get_locked(query), "Inscription introuvable.")


def signup_of(signup_id, volunteer_id):
    query = Signup.select().where(Signup.id == str(signup_id), Signup.volunteer_id == str(volunteer_id))
    return found(query.first(), "Inscription introuvable.")


def live_signup(volunteer_id, activity_id):
    return (
        Signup.select()
        .where(
            Signup.volunteer_id == str(volunteer_id), Signup.activity_id == str(activity_id), Signup.status == CONFIRMED
        )
        .first()
    )


def own_times(volunteer_id, except_activity=None):
    """The (starts_at, ends_at) of the volunteer's confirmed sign-ups on open activities (stored times)."""
    query = (
        Opportunity.select(Opportunity.starts_at, Opportunity.ends_at)
        .join(Signup, on=(Signup.activity_id == Opportunity.activity_id))
        .where(Signup.volunteer_id == str(volunteer_id), Signup.status == CONFIRMED, Opportunity.status == OPEN)
    )
    if except_activity is not None:
        query = query.where(Opportunity.activity_id != str(except_activity))
    return [(o.starts_at, o.ends_at) for o in query]


def confirmed_signups(activity_id):
    """The activity's confirmed sign-ups, in the order they were made. Every change of a sign-up
    locks its opportunity's row first: read them after locking it."""
    query = Signup.select().where(Signup.activity_id == str(activity_id), Signup.status == CONFIRMED)
    return list(query.order_by(Signup.created_at, Signup.id))


def signups_of(volunteer_id, after=None):
    """The volunteer's sign-ups with their opportunity, soonest first (only those ending after `after`)."""
    query = (
        Signup.select(Signup, Opportunity)
        .join(Opportunity, on=(Signup.activity_id == Opportunity.activity_id), attr="opportunity")
        .where(Signup.volunteer_id == str(volunteer_id))
    )
    if after is not None:
        query = query.where(Opportunity.ends_at > to_db(after))
    return list(query.order_by(Opportunity.starts_at, Signup.created_at))


def signed_up_activities(volunteer_id):
    query = Signup.select(Signup.activity_id).where(
        Signup.volunteer_id == str(volunteer_id), Signup.status == CONFIRMED
    )
    return {s.activity_id for s in query}


# --- hours ---------------------------------------------------------------------------------------
def hours_recorded(volunteer_id, activity_id):
    return (
        HoursRecord.select()
        .where(HoursRecord.volunteer_id == str(volunteer_id), HoursRecord.activity_id == str(activity_id))
        .exists()
    )


def hours_between(start, end, volunteer_id=None):
    """Hours records starting in [start, end) (stored times), by start."""
    query = HoursRecord.select().where(HoursRecord.starts_at >= start, HoursRecord.starts_at < end)
    if volunteer_id is not None:
        query = query.where(HoursRecord.volunteer_id == str(volunteer_id))
    return list(query.order_by(HoursRecord.starts_at, HoursRecord.id))


def names_of(volunteer_ids):
    ids = list({str(v) for v in volunteer_ids})
    return {v.id: v for v in Volunteer.select().where(Volunteer.id.in_(ids))} if ids else {}


# --- training --------------------------------------------------------------------------------------
def lock_training(session_id, part_index, half_day, volunteer_id):
    """A (session, part, half-day, volunteer) line has no row before its first event: its key, so
    that two deliveries never both insert it (inside uow.atomic(exclusive=True))."""
    lock_key(TrainingRecord._meta.database, TRAINING_KEY, f"{session_id}:{part_index}:{half_day}:{volunteer_id}")


def training_record(session_id, part_index, half_day, volunteer_id):
    """`half_day`: "" for the whole part (a line told before half-days)."""
    return (
        TrainingRecord.select()
        .where(
            TrainingRecord.session_id == str(session_id),
            TrainingRecord.part_index == part_index,
            TrainingRecord.half_day == half_day,
            TrainingRecord.volunteer_id == str(volunteer_id),
        )
        .first()
    )


def put_training(row, payload):
    """Create or replace the line with an education.attendance_recorded payload (loaded)."""
    fields = {
        "title": payload["title"],
        "starts_at": to_db(payload["starts_at"]),
        "ends_at": to_db(payload["ends_at"]),
        "hours": payload["hours"],
        "present": payload["present"],
        "revision": payload["revision"],
    }
    if row is None:  # a string primary key: peewee inserts only when told to (create)
        return TrainingRecord.create(
            session_id=payload["session_id"],
            part_index=payload["part_index"],
            half_day=payload.get("half_day") or "",
            volunteer_id=payload["participant_id"],
            **fields,
        )
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
    return row


def trainings_between(start, end, volunteer_id=None):
    """Training lines (present or not) starting in [start, end) (stored times), by start."""
    query = TrainingRecord.select().where(TrainingRecord.starts_at >= start, TrainingRecord.starts_at < end)
    if volunteer_id is not None:
        query = query.where(TrainingRecord.volunteer_id == str(volunteer_id))
    return list(query.order_by(TrainingRecord.starts_at, TrainingRecord.part_index, TrainingRecord.id))
