"""The placements service's queries and locks: the only module, with models.py, that speaks peewee.

A missing row raises NotFound with a French message; the row a command changes is read with
shared.db.get_locked inside `uow.atomic(exclusive=True)`. Locks, parent before child: the
trainee, then the tutor's key, then the placement, then its hour logs.
"""

from datetime import date

from services.placements.domain.host_quota import monday_of
from services.placements.domain.lifecycle import INTERRUPTED, LIVE
from services.placements.models import (
    LIVE_LOGS,
    GratificationPayment,
    HourLog,
    Placement,
    PlacementChange,
    Trainee,
    TraineeHonorability,
    TrainingCredit,
    database,
)
from shared.db import get_locked, lock_key
from shared.errors import found
from shared.pagination import page
from shared.timeutil import as_utc, venue_zone

NO_TRAINEE = "Stagiaire introuvable."
NO_PLACEMENT = "Stage introuvable."
NO_LOG = "Heures introuvables."


# --- trainees ---------------------------------------------------------------------------------
def trainee(trainee_id):
    return found(Trainee.get_or_none(Trainee.id == str(trainee_id)), NO_TRAINEE)


def locked_trainee(trainee_id):
    """The trainee's row, locked: their placements and logs decide one at a time."""
    return found(get_locked(Trainee.select().where(Trainee.id == str(trainee_id))), NO_TRAINEE)


def trainee_exists(trainee_id):
    return Trainee.select().where(Trainee.id == str(trainee_id)).exists()


def email_taken(email):
    return Trainee.select().where(Trainee.email == email).exists()


def add_trainee(fields):
    if fields.get("id") is None:
        fields = {name: value for name, value in fields.items() if name != "id"}
    return Trainee.create(**fields)


# --- placements -------------------------------------------------------------------------------
def placement(placement_id):
    return found(
        Placement.select(Placement, Trainee).join(Trainee).where(Placement.id == str(placement_id)).first(),
        NO_PLACEMENT,
    )


def locked_placement(placement_id):
    return found(get_locked(Placement.select().where(Placement.id == str(placement_id))), NO_PLACEMENT)


def lock_tutor(tutor_id):
    """A tutor has no row here: placements given to the same tutor decide one at a time."""
    lock_key(database, "placements.tutor", tutor_id)


def live_count_of_tutor(tutor_id):
    return Placement.select().where(Placement.tutor_id == tutor_id, Placement.status.in_(LIVE)).count()


def live_placements_of(trainee):
    return list(Placement.select().where(Placement.trainee == trainee, Placement.status.in_(LIVE)))


def placements_of_trainee(trainee_id, except_id=None):
    """Every placement of the trainee here, whatever its status (the school year's hours), by start."""
    select = Placement.select().where(Placement.trainee == str(trainee_id))
    if except_id is not None:
        select = select.where(Placement.id != str(except_id))
    return list(select.order_by(Placement.starts_on, Placement.id))


def tutor_conventions(tutor_id, except_id=None):
    """The tutor's live conventions under L124-1 (the tutor's limit), the one changed left out."""
    select = Placement.select().where(
        Placement.tutor_id == str(tutor_id),
        Placement.status.in_(LIVE),
        Placement.under_convention == True,  # noqa: E712
    )
    if except_id is not None:
        select = select.where(Placement.id != str(except_id))
    return list(select)


def host_conventions(starts_on, ends_on, except_id=None):
    """The venue's conventions under L124-1 whose dates touch the civil weeks of `starts_on` to
    `ends_on` (the host's weekly quota), the one changed left out; an interrupted one counts up
    to its interruption (conventions.last_day)."""
    sunday = monday_of(ends_on).toordinal() + 6
    select = Placement.select().where(
        Placement.under_convention == True,  # noqa: E712 (peewee's comparison)
        Placement.starts_on <= date.fromordinal(sunday),
        Placement.ends_on >= monday_of(starts_on),
    )
    if except_id is not None:
        select = select.where(Placement.id != str(except_id))
    return [row for row in select if not (row.status == INTERRUPTED and row.ended_at is None)]


def lock_host():
    """The venue's weekly quota is one count: conventions created or moved decide one at a time."""
    lock_key(database, "placements.host", "quota")


def payments_of(placement):
    return list(
        GratificationPayment.select()
        .where(GratificationPayment.placement == placement)
        .order_by(GratificationPayment.month)
    )


def changes_of(placement):
    return list(
        PlacementChange.select()
        .where(PlacementChange.placement == placement)
        .order_by(PlacementChange.created_at, PlacementChange.id)
    )


def placement_covering(trainee_id, day):
    """The trainee's live placement whose dates include `day` (a local date), or None."""
    return (
        Placement.select()
        .where(
            Placement.trainee == str(trainee_id),
            Placement.status.in_(LIVE),
            Placement.starts_on <= day,
            Placement.ends_on >= day,
        )
        .order_by(Placement.starts_on)
        .first()
    )


def placements(query):
    """A page of placements by start then id, filtered by tutor, trainee, status."""
    select = Placement.select(Placement, Trainee).join(Trainee)
    if query.get("tutor_id"):
        select = select.where(Placement.tutor_id == query["tutor_id"])
    if query.get("trainee_id"):
        select = select.where(Placement.trainee == query["trainee_id"])
    if query.get("status"):
        select = select.where(Placement.status == query["status"])
    return page(select, [Placement.starts_on, Placement.id], query)


def placements_to_start(today):
    return [
        p.id for p in Placement.select(Placement.id).where(Placement.status == "planned", Placement.starts_on <= today)
    ]


def placements_to_check_completion(today):
    return [
        p.id for p in Placement.select(Placement.id).where(Placement.status == "active", Placement.ends_on <= today)
    ]


# --- hour logs --------------------------------------------------------------------------------
def hour_log(log_id):
    return found(HourLog.get_or_none(HourLog.id == str(log_id)), NO_LOG)


def locked_hour_log(log_id):
    return found(get_locked(HourLog.select().where(HourLog.id == str(log_id))), NO_LOG)


def logs_of(placement):
    """Every log of a placement, by start (the hour sheet, the progress)."""
    return list(HourLog.select().where(HourLog.placement == placement).order_by(HourLog.starts_at, HourLog.id))


def live_logs_of_trainee(trainee_id, except_log=None):
    """The trainee's submitted or validated logs, whatever the placement (the limits are the person's)."""
    select = HourLog.select().join(Placement).where(Placement.trainee == str(trainee_id), HourLog.status.in_(LIVE_LOGS))
    if except_log is not None:
        select = select.where(HourLog.id != except_log.id)
    return list(select)


def live_log_day_outside(placement, starts_on, ends_on):
    """The venue day of a submitted or validated log of the placement outside the dates, or None."""
    for log in HourLog.select().where(HourLog.placement == placement, HourLog.status.in_(LIVE_LOGS)):
        day = as_utc(log.starts_at).astimezone(venue_zone()).date()
        if not starts_on <= day <= ends_on:
            return day
    return None


def log_for_activity(placement, activity_id):
    return HourLog.get_or_none(HourLog.placement == placement, HourLog.activity_id == activity_id)


def logs_page(placement, query):
    select = HourLog.select().where(HourLog.placement == placement)
    if query.get("status"):
        select = select.where(HourLog.status == query["status"])
    return page(select, [HourLog.starts_at, HourLog.id], query)


def tutor_logs_page(tutor_id, query):
    """The logs of a tutor's placements (by default those waiting for validation), by start."""
    select = (
        HourLog.select(HourLog, Placement, Trainee)
        .join(Placement)
        .join(Trainee)
        .where(Placement.tutor_id == tutor_id, HourLog.status == (query.get("status") or "submitted"))
    )
    return page(select, [HourLog.starts_at, HourLog.id], query)


def locked_trainee_or_none(trainee_id):
    """For an event naming ids that may not be trainees of ours."""
    return get_locked(Trainee.select().where(Trainee.id == str(trainee_id)))


# --- training credits (education's attendance) ------------------------------------------------
def training_credit(session_id, part_index, half_day, trainee_id):
    """The credit of a trainee at one half-day ("": the whole part, before half-days) of a part of
    a session, or None (read under the trainee's lock)."""
    return TrainingCredit.get_or_none(
        TrainingCredit.session_id == str(session_id),
        TrainingCredit.part_index == part_index,
        TrainingCredit.half_day == half_day,
        TrainingCredit.trainee_id == str(trainee_id),
    )


def waiting_training_credits(trainee_id):
    """The trainee's training parts marked present that no placement has been credited with yet
    (the attendance came before a placement covered its day)."""
    return list(
        TrainingCredit.select()
        .where(
            TrainingCredit.trainee_id == str(trainee_id),
            TrainingCredit.present == True,  # noqa: E712 (peewee's comparison)
            TrainingCredit.hour_log.is_null(),
            TrainingCredit.starts_at.is_null(False),
        )
        .order_by(TrainingCredit.starts_at)
    )


# --- honorability -------------------------------------------------------------------------------
def current_honorability(trainee_id):
    """The trainee's latest attestation verified (it clears 3 years from its verification), or None."""
    return (
        TraineeHonorability.select()
        .where(TraineeHonorability.trainee == str(trainee_id))
        .order_by(TraineeHonorability.verified_on.desc(), TraineeHonorability.created_at.desc())
        .first()
    )


def current_honorabilities():
    """{trainee_id: latest attestation verified}, for every trainee who has one."""
    latest = {}
    rows = TraineeHonorability.select().order_by(TraineeHonorability.verified_on, TraineeHonorability.created_at)
    for row in rows:
        latest[row.trainee_id] = row
    return latest


def locked_honorability(honorability_id):
    return get_locked(TraineeHonorability.select().where(TraineeHonorability.id == honorability_id))


def trainees_with_children_ahead():
    """The trainees who are or will be with the children: a planned or active placement, or none
    yet (just registered); not those whose placements are all over. By name."""
    live = Placement.select(Placement.trainee).where(Placement.status.in_(LIVE))
    placed = Placement.select(Placement.trainee)
    query = Trainee.select().where(Trainee.id.in_(live) | Trainee.id.not_in(placed))
    return list(query.order_by(Trainee.last_name, Trainee.first_name, Trainee.id))
