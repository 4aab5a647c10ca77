"""Queries and locking of the venue calendar: rooms, activities, their trainees and counted
volunteers, the rooms held for training sessions, the venue's closures. With the other areas' stores and models.py,
the only modules that speak peewee.

A row an entrypoint is about to change is loaded here with `shared.db.get_locked`, inside
`uow.atomic(exclusive=True)`: a concurrent change of the same row waits, then decides on what
the first one committed (a 409) instead of overwriting it. A missing row raises NotFound (or
Invalid when the caller named it in a field), with a French message.
Times: stored naive UTC in, stored naive UTC out; aware datetimes are converted at the door.
"""

from collections import namedtuple

from services.bookings.domain.calendar import MAX_ACTIVITY_LENGTH, Occupation
from services.bookings.models import (
    RESERVATION_HELD,
    RESERVATION_RELEASED,
    Activity,
    ActivityTrainee,
    ActivityVolunteer,
    ChildcareSlot,
    Closure,
    Room,
    RoomRequest,
    RoomReservation,
    database,
)
from shared.db import get_locked, lock, lock_key
from shared.errors import Invalid, found
from shared.pagination import page
from shared.timeutil import to_db
from shared.vocabulary import ACTIVITY_CANCELLED, ACTIVITY_SCHEDULED

People = namedtuple("People", "trainee_ids volunteer_ids")


def room_name_taken(name):
    return Room.select().where(Room.name == name).exists()


def rooms(page_query):
    """A page of rooms by name (shared.pagination: `page_query` has limit and cursor)."""
    return page(Room.select(), [Room.name, Room.id], page_query)


def room(room_id):
    return found(Room.get_or_none(Room.id == str(room_id)), "Salle introuvable.")


def locked_room(room_id):
    """A room an activity or a slot is about to take: locked, so two bookings of it decide one at a time."""
    room = get_locked(Room.select().where(Room.id == str(room_id)))
    if room is None:
        raise Invalid("Salle inconnue.", {"room_id": ["Aucune salle avec cet identifiant."]})
    return room


def room_locked_or_none(room_id):
    """For an event handler, which answers a refusal instead of raising."""
    return lock(Room.select().where(Room.id == str(room_id))).first()


def occupations(room, starts_at, ends_at, ignore_activity=None):
    """What holds the room during [starts_at, ends_at): activities not cancelled, childcare slots and
    held reservations. One check for all three: a slot, an activity or a training session each
    counts the room's whole capacity, so none shares the room with another."""
    activities = Activity.select().where(
        Activity.room == room,
        Activity.status != ACTIVITY_CANCELLED,
        Activity.starts_at < ends_at,
        Activity.ends_at > starts_at,
    )
    if ignore_activity:
        activities = activities.where(Activity.id != ignore_activity)
    reservations = RoomReservation.select().where(
        RoomReservation.room == room,
        RoomReservation.status == RESERVATION_HELD,
        RoomReservation.starts_at < ends_at,
        RoomReservation.ends_at > starts_at,
    )
    slots = ChildcareSlot.select().where(
        ChildcareSlot.room == room, ChildcareSlot.starts_at < ends_at, ChildcareSlot.ends_at > starts_at
    )
    return (
        [Occupation(a.starts_at, a.ends_at, f"l'activité « {a.title} »") for a in activities]
        + [Occupation(r.starts_at, r.ends_at, f"la formation « {r.title} »") for r in reservations]
        + [Occupation(s.starts_at, s.ends_at, "un créneau d'accueil") for s in slots]
    )


def _activity_query(activity_id):
    return Activity.select(Activity, Room).join(Room).where(Activity.id == str(activity_id))


def activity(activity_id):
    return found(_activity_query(activity_id).first(), "Activité introuvable.")


def locked_activity(activity_id):
    return found(get_locked(_activity_query(activity_id)), "Activité introuvable.")


def activities(page_query, from_=None, to=None):
    """A page of the activities that overlap [from_, to) (aware datetimes; either may be None), by start."""
    select = Activity.select(Activity, Room).join(Room)
    if from_:
        # the bound on starts_at lets the index skip the past (an activity lasts at most MAX_ACTIVITY_LENGTH)
        earliest = to_db(from_) - MAX_ACTIVITY_LENGTH
        select = select.where(Activity.ends_at > to_db(from_), Activity.starts_at > earliest)
    if to:
        select = select.where(Activity.starts_at < to_db(to))
    return page(select, [Activity.starts_at, Activity.id], page_query)


def people_of(activities):
    """{activity id: People(trainee_ids, volunteer_ids)} for these activities, in two queries."""
    people = {a.id: People([], []) for a in activities}
    if people:
        for t in ActivityTrainee.select().where(ActivityTrainee.activity.in_(list(people))):
            people[t.activity_id].trainee_ids.append(t.trainee_id)
        for v in ActivityVolunteer.select().where(ActivityVolunteer.activity.in_(list(people))):
            people[v.activity_id].volunteer_ids.append(v.volunteer_id)
    return people


def trainee_ids(activity):
    return [t.trainee_id for t in ActivityTrainee.select().where(ActivityTrainee.activity == activity)]


def lock_trainee(trainee_id):
    """A trainee has no row here: assignments of the same trainee decide one at a time."""
    lock_key(database, "bookings.trainee", trainee_id)


def trainee_occupations(trainee_id, starts_at, ends_at):
    """The trainee's scheduled activities that overlap [starts_at, ends_at), labelled by title."""
    busy = (
        Activity.select()
        .join(ActivityTrainee)
        .where(
            ActivityTrainee.trainee_id == trainee_id,
            Activity.status == ACTIVITY_SCHEDULED,
            Activity.starts_at < ends_at,
            Activity.ends_at > starts_at,
        )
    )
    return [Occupation(a.starts_at, a.ends_at, a.title) for a in busy]


def volunteer_counted(signup_id):
    return ActivityVolunteer.select().where(ActivityVolunteer.signup_id == signup_id).exists()


def uncount_volunteer(signup_id):
    ActivityVolunteer.delete().where(ActivityVolunteer.signup_id == signup_id).execute()


def held_reservations(session_id):
    return list(
        RoomReservation.select().where(
            RoomReservation.session_id == session_id, RoomReservation.status == RESERVATION_HELD
        )
    )


def latest_room_request(session_id):
    """The newest request number seen for the session, or None (read under the session's key)."""
    row = RoomRequest.get_or_none(RoomRequest.session_id == str(session_id))
    return None if row is None else row.request


def record_room_request(session_id, request):
    updated = RoomRequest.update(request=request).where(RoomRequest.session_id == str(session_id)).execute()
    if not updated:
        RoomRequest.create(session_id=str(session_id), request=request)


def release(reservations):
    (
        RoomReservation.update(status=RESERVATION_RELEASED)
        .where(RoomReservation.id.in_([r.id for r in reservations]))
        .execute()
    )


# --- the venue's closures ------------------------------------------------------------------------
def closures(page_query):
    """A page of closures by first day (shared.pagination)."""
    return page(Closure.select(), [Closure.starts_on, Closure.id], page_query)


def closures_between(first_day, last_day):
    """The closures (planned or not) with a day in [first_day, last_day] (dates), by first day."""
    return list(
        Closure.select()
        .where(Closure.starts_on <= last_day, Closure.ends_on >= first_day)
        .order_by(Closure.starts_on, Closure.id)
    )


def lock_closures():
    """One closure decision at a time (two overlapping closures declared together: one waits)."""
    lock_key(database, "bookings.closures", "venue")
