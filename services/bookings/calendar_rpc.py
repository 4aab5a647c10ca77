"""Venue calendar entrypoints: rooms, activities, room reservations for other services.

Thin handlers: validate (schemas) -> decide (domain.calendar) -> store -> emit, in one transaction.
Every change loads the row it changes with `shared.db.get_locked` (`_scheduled_activity`, `_locked_room`).
"""
from nameko.rpc import rpc

from services.bookings.domain import calendar
from services.bookings.models import Activity, ActivityTrainee, ActivityVolunteer, Room, RoomReservation, Tombstone
from services.bookings.schemas import (ActivityIn, ActivityOut, CancelIn, CompleteIn, PeriodQuery, RescheduleIn,
                                       RoomIn, RoomOut, TraineeIn, iso)
from shared.commands import command
from shared.db import get_locked, lock, lock_key
from shared.errors import Conflict, Invalid, NotFound, load
from shared.handlers import on_event
from shared import timeutil
from shared.timeutil import fr_datetime, to_db
from shared.tombstones import bury, is_buried

# Aggregates whose events may arrive in any order (shared/tombstones.py): ended once, never started again.
SIGNUP, SESSION = "volunteers.signup", "education.session"
SESSION_ALREADY_CANCELLED = "La session a déjà été annulée : la salle n'est pas réservée."


class CalendarRpc:

    # --- rooms ------------------------------------------------------------------------------
    @command
    def create_room(self, data):
        room = load(RoomIn(), data)
        with self.uow.atomic(exclusive=True):
            if Room.select().where(Room.name == room["name"]).exists():
                raise Conflict(f"Une salle s'appelle déjà « {room['name']} ».", {"name": ["Ce nom est déjà pris."]})
            created = Room.create(**room)
        return RoomOut().dump(created)

    @rpc
    def list_rooms(self):
        return RoomOut(many=True).dump(Room.select().order_by(Room.name))

    # --- activities -------------------------------------------------------------------------
    @command
    def schedule_activity(self, data):
        fields = load(ActivityIn(), data)
        starts_at, ends_at = _times(fields["starts_at"], fields["ends_at"])
        with self.uow.atomic(exclusive=True):
            room = _locked_room(fields.pop("room_id"))
            _check(calendar.check_capacity(fields["children_capacity"], room.capacity), "Capacité trop grande pour la salle.")
            _refuse_clash(room, starts_at, ends_at)
            activity = Activity.create(room=room, **dict(fields, starts_at=starts_at, ends_at=ends_at))
            self.uow.emit("bookings.activity_scheduled", {
                "activity_id": activity.id, "title": activity.title, "kind": activity.kind,
                "room_id": room.id, "room_name": room.name, "starts_at": iso(starts_at), "ends_at": iso(ends_at),
                "children_capacity": activity.children_capacity,
                "volunteer_slots": activity.volunteer_slots, "trainee_slots": activity.trainee_slots,
            })
        return _activity_out(activity)

    @command
    def reschedule_activity(self, activity_id, data):
        fields = load(RescheduleIn(), data)
        starts_at, ends_at = _times(fields["starts_at"], fields["ends_at"])
        with self.uow.atomic(exclusive=True):
            activity = _scheduled_activity(activity_id)
            room = _locked_room(fields["room_id"]) if fields["room_id"] else _locked_room(activity.room_id)
            _check(calendar.check_capacity(activity.children_capacity, room.capacity), "Capacité trop grande pour la salle.")
            _refuse_clash(room, starts_at, ends_at, ignore_activity=activity.id)
            previous = (activity.starts_at, activity.ends_at)
            activity.room, activity.starts_at, activity.ends_at = room, starts_at, ends_at
            activity.save()
            self.uow.emit("bookings.activity_rescheduled", {
                "activity_id": activity.id, "room_id": room.id, "room_name": room.name,
                "starts_at": iso(starts_at), "ends_at": iso(ends_at),
                "previous_starts_at": iso(previous[0]), "previous_ends_at": iso(previous[1]),
            })
        return _activity_out(activity)

    @command
    def cancel_activity(self, activity_id, data):
        reason = load(CancelIn(), data)["reason"]
        with self.uow.atomic(exclusive=True):
            activity = _scheduled_activity(activity_id)
            activity.status, activity.cancel_reason = "cancelled", reason
            activity.save()
            self.uow.emit("bookings.activity_cancelled", {"activity_id": activity.id, "reason": reason})
        return _activity_out(activity)

    @command
    def complete_activity(self, activity_id, data=None):
        fields = load(CompleteIn(), data or {})
        with self.uow.atomic(exclusive=True):
            activity = _scheduled_activity(activity_id)
            if to_db(timeutil.now_utc()) < activity.starts_at:
                raise Conflict("L'activité n'a pas encore commencé : elle ne peut pas être terminée.")
            started = to_db(fields["started_at"]) if fields["started_at"] else activity.starts_at
            ended = to_db(fields["ended_at"]) if fields["ended_at"] else activity.ends_at
            if ended <= started:
                raise Invalid("Horaires invalides.", {"ended_at": ["La fin doit être après le début."]})
            activity.status, activity.started_at, activity.ended_at = "completed", started, ended
            activity.save()
            self.uow.emit("bookings.activity_completed", {
                "activity_id": activity.id, "kind": activity.kind, "started_at": iso(started), "ended_at": iso(ended),
                "trainee_ids": [t.trainee_id for t in activity.trainees],
                "volunteer_ids": [v.volunteer_id for v in activity.volunteers],
            })
        return _activity_out(activity)

    @command
    def assign_trainee(self, activity_id, data):
        trainee_id = load(TraineeIn(), data)["trainee_id"]
        with self.uow.atomic(exclusive=True):
            activity = _scheduled_activity(activity_id)
            assigned = [t.trainee_id for t in activity.trainees]
            if trainee_id in assigned:
                raise Conflict("Ce stagiaire est déjà inscrit à cette activité.")
            if len(assigned) >= activity.trainee_slots:
                raise Conflict(f"Les {activity.trainee_slots} places de stagiaire sont déjà prises.")
            lock_key(self.uow.database, "bookings.trainee", trainee_id)  # the same trainee, another activity, now
            busy = (Activity.select().join(ActivityTrainee)
                    .where(ActivityTrainee.trainee_id == trainee_id, Activity.status == "scheduled",
                           Activity.starts_at < activity.ends_at, Activity.ends_at > activity.starts_at).first())
            if busy:
                raise Conflict(f"Ce stagiaire est déjà pris à ce moment par « {busy.title} ».")
            ActivityTrainee.create(activity=activity, trainee_id=trainee_id)
            self.uow.emit("bookings.trainee_assigned", {
                "activity_id": activity.id, "trainee_id": trainee_id,
                "starts_at": iso(activity.starts_at), "ends_at": iso(activity.ends_at)})
        return _activity_out(activity)

    @rpc
    def list_activities(self, query=None):
        q = load(PeriodQuery(), query or {})
        select = Activity.select(Activity, Room).join(Room).order_by(Activity.starts_at)
        if q["from_"]:
            select = select.where(Activity.ends_at > to_db(q["from_"]))
        if q["to"]:
            select = select.where(Activity.starts_at < to_db(q["to"]))
        return _activities_out(list(select))

    @rpc
    def get_activity(self, activity_id):
        return _activity_out(_activity(activity_id))

    # --- events from the volunteers service ---------------------------------------------------
    @on_event("volunteers.signup_confirmed", exclusive=True)
    def count_volunteer(self, event):
        p = event["payload"]
        if is_buried(Tombstone, SIGNUP, p["signup_id"]):
            return  # withdrawn before this confirmation arrived: nothing to count
        activity = _activity(p["activity_id"])
        if ActivityVolunteer.select().where(ActivityVolunteer.signup_id == p["signup_id"]).exists():
            return  # the same sign-up confirmed again by another event: counted once
        ActivityVolunteer.create(activity=activity, volunteer_id=p["volunteer_id"], signup_id=p["signup_id"])

    @on_event("volunteers.signup_withdrawn", exclusive=True)
    def uncount_volunteer(self, event):
        signup_id = event["payload"]["signup_id"]
        bury(Tombstone, SIGNUP, signup_id, event)  # a confirmation arriving later counts nothing
        ActivityVolunteer.delete().where(ActivityVolunteer.signup_id == signup_id).execute()

    # --- room reservations asked by the education service ---------------------------------------
    @on_event("education.room_reservation_requested", exclusive=True)
    def reserve_room(self, event):
        p = event["payload"]
        # A session cancelled before its request arrived holds nothing; the refusal ends education's saga.
        refusal = SESSION_ALREADY_CANCELLED if is_buried(Tombstone, SESSION, p["session_id"]) else None
        room = None if refusal else Room.get_or_none(Room.id == p["room_id"])
        if not refusal and room is None:
            refusal = "Salle inconnue."
        parts = [] if refusal else [_times(part["starts_at"], part["ends_at"], quiet=True) for part in p["parts"]]
        if not refusal and any(part is None for part in parts):
            refusal = "Horaires invalides pour une des parties de la session."
        if not refusal:
            lock(Room.select().where(Room.id == room.id)).first()
            for starts_at, ends_at in parts:
                clash = calendar.first_clash(starts_at, ends_at, _occupations(room, starts_at, ends_at))
                if clash:
                    refusal = (f"La salle « {room.name} » est déjà prise le {fr_datetime(clash.starts_at)} "
                               f"par {clash.label}.")
                    break
        if refusal:
            self.uow.emit("bookings.room_reservation_refused",
                          {"session_id": p["session_id"], "room_id": p["room_id"], "reason": refusal})
            return
        held = [RoomReservation.create(room=room, session_id=p["session_id"], title=p["title"],
                                       starts_at=starts_at, ends_at=ends_at) for starts_at, ends_at in parts]
        self.uow.emit("bookings.room_reserved", {"session_id": p["session_id"], "room_id": room.id,
                                                  "room_name": room.name, "reservation_ids": [r.id for r in held]})

    @on_event("education.session_cancelled", exclusive=True)
    def release_room(self, event):
        session_id = event["payload"]["session_id"]
        bury(Tombstone, SESSION, session_id, event)  # a reservation request arriving later holds nothing
        held = list(RoomReservation.select().where(RoomReservation.session_id == session_id,
                                                   RoomReservation.status == "held"))
        if not held:
            return
        RoomReservation.update(status="released").where(RoomReservation.id.in_([r.id for r in held])).execute()
        self.uow.emit("bookings.room_released", {"session_id": session_id, "room_id": held[0].room_id})


# --- helpers (private to the calendar) ----------------------------------------------------------
def _check(errors, message):
    if errors:
        raise Invalid(message, errors)


def _times(starts_at, ends_at, quiet=False):
    errors = calendar.check_times(starts_at, ends_at)
    if errors:
        if quiet:
            return None
        raise Invalid("Horaires invalides.", errors)
    return to_db(starts_at), to_db(ends_at)


def _locked_room(room_id):
    room = get_locked(Room.select().where(Room.id == str(room_id)))
    if room is None:
        raise Invalid("Salle inconnue.", {"room_id": ["Aucune salle avec cet identifiant."]})
    return room


def _activity_query(activity_id):
    return Activity.select(Activity, Room).join(Room).where(Activity.id == str(activity_id))


def _activity(activity_id):
    activity = _activity_query(activity_id).first()
    if activity is None:
        raise NotFound("Activité introuvable.")
    return activity


def _scheduled_activity(activity_id):
    """The activity an entrypoint is about to change, locked until its transaction ends, so a
    concurrent change waits and then sees this one's outcome (a 409) instead of overwriting it."""
    activity = get_locked(_activity_query(activity_id))
    if activity is None:
        raise NotFound("Activité introuvable.")
    if activity.status != "scheduled":
        state = {"cancelled": "annulée", "completed": "terminée"}.get(activity.status, activity.status)
        raise Conflict(f"L'activité est déjà {state}.")
    return activity


def _occupations(room, starts_at, ends_at, ignore_activity=None):
    """What holds the room during [starts_at, ends_at): activities and held reservations."""
    activities = Activity.select().where(Activity.room == room, Activity.status != "cancelled",
                                         Activity.starts_at < ends_at, Activity.ends_at > starts_at)
    if ignore_activity:
        activities = activities.where(Activity.id != ignore_activity)
    reservations = RoomReservation.select().where(RoomReservation.room == room, RoomReservation.status == "held",
                                                  RoomReservation.starts_at < ends_at,
                                                  RoomReservation.ends_at > starts_at)
    return ([calendar.Occupation(a.starts_at, a.ends_at, f"l'activité « {a.title} »") for a in activities] +
            [calendar.Occupation(r.starts_at, r.ends_at, f"la formation « {r.title} »") for r in reservations])


def _refuse_clash(room, starts_at, ends_at, ignore_activity=None):
    clash = calendar.first_clash(starts_at, ends_at, _occupations(room, starts_at, ends_at, ignore_activity))
    if clash:
        raise Conflict(f"La salle « {room.name} » est déjà prise à ce moment par {clash.label}.",
                       {"room_id": [f"Occupée par {clash.label}."]})


def _activities_out(activities):
    ids = [a.id for a in activities]
    trainees, volunteers = {}, {}
    if ids:
        for t in ActivityTrainee.select().where(ActivityTrainee.activity.in_(ids)):
            trainees.setdefault(t.activity_id, []).append(t.trainee_id)
        for v in ActivityVolunteer.select().where(ActivityVolunteer.activity.in_(ids)):
            volunteers.setdefault(v.activity_id, []).append(v.volunteer_id)
    out = ActivityOut(many=True).dump(activities)
    for item in out:
        item["trainees"] = trainees.get(item["id"], [])
        item["volunteer_ids"] = volunteers.get(item["id"], [])
        item["volunteers_confirmed"] = len(item["volunteer_ids"])
    return out


def _activity_out(activity):
    return _activities_out([activity])[0]
