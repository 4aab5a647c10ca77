"""Venue calendar entrypoints: rooms, activities, room reservations for other services, and the
venue's closures (which childcare and contracts read through children_in_care.py).

Each one: load (store, locking what it changes) -> check with the domain (domain.calendar) ->
change -> record the event -> answer (presenters), in one transaction.
"""

from services.bookings import staffing
from services.bookings.calendar import presenters, store
from services.bookings.domain import calendar, closures, duty
from services.bookings.duty import store as duty_store
from services.bookings.models import (
    Activity,
    ActivityTrainee,
    ActivityVolunteer,
    Closure,
    Room,
    RoomReservation,
    Tombstone,
)
from services.bookings.schemas.calendar import (
    LEAD_REQUIRED,
    ActivityIn,
    ActivityStaffIn,
    CancelIn,
    ClosureIn,
    ClosureQuery,
    CompleteIn,
    PeriodQuery,
    RescheduleIn,
    RoomIn,
    RoomQuery,
    TraineeIn,
)
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Invalid, load
from shared.handlers import on_event
from shared.timeutil import fr_datetime, from_db, to_db
from shared.tombstones import bury, is_buried
from shared.vocabulary import ACTIVITY_CANCELLED, ACTIVITY_COMPLETED, ACTIVITY_STATUS_LABELS

# Aggregates whose events may arrive in any order (shared/tombstones.py): ended once, never started again.
SIGNUP, SESSION = "volunteers.signup", "education.session"
SESSION_ALREADY_CANCELLED = "La session a déjà été annulée : la salle n'est pas réservée."
TOO_MANY_CHILDREN = "Capacité trop grande pour la salle."


class CalendarRpc:
    # --- rooms ------------------------------------------------------------------------------
    @command
    def create_room(self, data):
        fields = load(RoomIn(), data)
        with self.uow.atomic(exclusive=True):
            if store.room_name_taken(fields["name"]):
                raise Conflict(f"Une salle s'appelle déjà « {fields['name']} ».", {"name": ["Ce nom est déjà pris."]})
            room = Room.create(**fields)
        return presenters.room(room)

    @rpc
    def list_rooms(self, query=None):
        """A page: {"items", "next_cursor"} (shared/pagination.py), as every list_* answers."""
        found = store.rooms(load(RoomQuery(), query or {}))
        return found.answer(presenters.rooms(found.rows))

    # --- the venue's closures -------------------------------------------------------------------
    @command
    def declare_closure(self, data, declared_by=None):
        """Staff declare a closure: a planned one takes its days out of every contract (no care
        planned, nothing deducted); an unplanned one is deducted for every contract child from
        its first day (domain/closures.py)."""
        fields = load(ClosureIn(), data)
        fields["label"] = fields["label"].strip()
        errors = closures.check_closure(fields["starts_on"], fields["ends_on"], fields["label"])
        if errors:
            raise Invalid("Cette fermeture ne convient pas.", errors)
        with self.uow.atomic(exclusive=True):
            store.lock_closures()
            other = next(iter(store.closures_between(fields["starts_on"], fields["ends_on"])), None)
            if other:
                raise Conflict(
                    f"La fermeture « {other.label} » (du {other.starts_on:%d/%m/%Y} au "
                    f"{other.ends_on:%d/%m/%Y}) couvre déjà une partie de ces jours.",
                    {"starts_on": [f"Chevauche « {other.label} »."]},
                )
            closure = Closure.create(declared_by=declared_by, **fields)
            self.uow.emit("bookings.closure_declared", presenters.closure_declared(closure))
        return presenters.closure(closure)

    @rpc
    def list_closures(self, query=None):
        found = store.closures(load(ClosureQuery(), query or {}))
        return found.answer(presenters.closures(found.rows))

    # --- activities -------------------------------------------------------------------------
    @command
    def schedule_activity(self, data):
        """An activity with children is led by a professional (`lead_staff_id`) and its lead and
        staff who count in the ratio are enough for its children (domain/duty.py); everyone named
        must be cleared on its day."""
        fields = load(ActivityIn(), data)
        starts_at, ends_at = _stored_times(fields.pop("starts_at"), fields.pop("ends_at"))
        staff_ids = fields.pop("staff_ids")
        with self.uow.atomic(exclusive=True):
            room = store.locked_room(fields.pop("room_id"))
            _refuse(calendar.check_capacity(fields["children_capacity"], room.capacity), TOO_MANY_CHILDREN)
            _refuse_clash(room, starts_at, ends_at)
            activity = Activity(room=room, starts_at=starts_at, ends_at=ends_at, **fields)
            _check_staff(activity, staff_ids, self.settings)
            _refuse_double_duty(activity, staff_ids)
            activity.save(force_insert=True)
            duty_store.name_on_activity(activity, staff_ids)
            self.uow.emit("bookings.activity_scheduled", presenters.activity_scheduled(activity))
        return presenters.activity(
            activity, store.people_of([activity]), staffing.activity_duty([activity], self.settings)
        )

    @command
    def reschedule_activity(self, activity_id, data):
        fields = load(RescheduleIn(), data)
        new_times = _stored_times(fields["starts_at"], fields["ends_at"]) if fields["starts_at"] else None
        with self.uow.atomic(exclusive=True):
            activity = _changeable(store.locked_activity(activity_id))
            starts_at, ends_at = new_times or (activity.starts_at, activity.ends_at)
            room = store.locked_room(fields["room_id"] or activity.room_id)
            _refuse(calendar.check_capacity(activity.children_capacity, room.capacity), TOO_MANY_CHILDREN)
            _refuse_clash(room, starts_at, ends_at, ignore_activity=activity.id)
            previous_starts_at, previous_ends_at = activity.starts_at, activity.ends_at
            activity.room, activity.starts_at, activity.ends_at = room, starts_at, ends_at
            named = duty_store.activity_staff_ids([activity])[activity.id]
            moved_day = staffing.day_of(activity) != from_db(previous_starts_at).date()
            if moved_day and (activity.lead_staff_id or named):  # another day: are they cleared that day?
                _check_staff(activity, named, self.settings)
            _refuse_double_duty(activity, named, ignore=activity.id)  # the new times: are they free then?
            activity.save()
            people = store.people_of([activity])
            self.uow.emit(
                "bookings.activity_rescheduled",
                presenters.activity_rescheduled(activity, previous_starts_at, previous_ends_at, people),
            )
        return presenters.activity(activity, people, staffing.activity_duty([activity], self.settings))

    @command
    def change_activity_staff(self, activity_id, data):
        """The activity's lead (kept when not given) and staff now. With children, the same checks
        as when it was scheduled: led by a professional, enough professionals, everyone cleared."""
        fields = load(ActivityStaffIn(), data)
        with self.uow.atomic(exclusive=True):
            activity = _changeable(store.locked_activity(activity_id))
            activity.lead_staff_id = fields["lead_staff_id"] or activity.lead_staff_id
            if activity.lead_staff_id in fields["staff_ids"]:
                raise Invalid(
                    "La personne qui mène l'activité n'est pas à nommer une seconde fois.",
                    {"staff_ids": ["Déjà nommée pour mener l'activité."]},
                )
            _check_staff(activity, fields["staff_ids"], self.settings)
            _refuse_double_duty(activity, fields["staff_ids"], ignore=activity.id)
            activity.save()
            duty_store.name_on_activity(activity, fields["staff_ids"])
        return presenters.activity(
            activity, store.people_of([activity]), staffing.activity_duty([activity], self.settings)
        )

    @command
    def cancel_activity(self, activity_id, data):
        reason = load(CancelIn(), data)["reason"]
        with self.uow.atomic(exclusive=True):
            activity = _changeable(store.locked_activity(activity_id))
            activity.status, activity.cancel_reason = ACTIVITY_CANCELLED, reason
            activity.save()
            people = store.people_of([activity])
            self.uow.emit("bookings.activity_cancelled", presenters.activity_cancelled(activity, reason, people))
        return presenters.activity(activity, people, staffing.activity_duty([activity], self.settings))

    @command
    def complete_activity(self, activity_id, data=None):
        fields = load(CompleteIn(), data or {})
        with self.uow.atomic(exclusive=True):
            activity = _changeable(store.locked_activity(activity_id))
            if not calendar.may_complete(activity.starts_at, to_db(timeutil.now_utc())):
                raise Conflict("L'activité n'a pas encore commencé : elle ne peut pas être terminée.")
            started = to_db(fields["started_at"]) if fields["started_at"] else activity.starts_at
            ended = to_db(fields["ended_at"]) if fields["ended_at"] else activity.ends_at
            if not calendar.real_times_ordered(started, ended):
                raise Invalid("Horaires invalides.", {"ended_at": ["La fin doit être après le début."]})
            activity.status, activity.started_at, activity.ended_at = ACTIVITY_COMPLETED, started, ended
            activity.save()
            people = store.people_of([activity])
            self.uow.emit("bookings.activity_completed", presenters.activity_completed(activity, people))
        return presenters.activity(activity, people, staffing.activity_duty([activity], self.settings))

    @command
    def assign_trainee(self, activity_id, data):
        trainee_id = load(TraineeIn(), data)["trainee_id"]
        if not self.placements.trainee_exists(trainee_id):  # bounded by the deadline (shared/service_rpc.py)
            raise Invalid("Stagiaire inconnu.", {"trainee_id": ["Aucun stagiaire avec cet identifiant."]})
        with self.uow.atomic(exclusive=True):
            activity = _changeable(store.locked_activity(activity_id))
            assigned = store.trainee_ids(activity)
            if trainee_id in assigned:
                raise Conflict("Ce stagiaire est déjà inscrit à cette activité.")
            if not calendar.trainee_slot_left(len(assigned), activity.trainee_slots):
                raise Conflict(f"Les {activity.trainee_slots} places de stagiaire sont déjà prises.")
            store.lock_trainee(trainee_id)  # the same trainee, another activity, now
            busy = calendar.trainee_clash(
                activity.starts_at,
                activity.ends_at,
                store.trainee_occupations(trainee_id, activity.starts_at, activity.ends_at),
            )
            if busy:
                raise Conflict(f"Ce stagiaire est déjà pris à ce moment par « {busy.label} ».")
            _refuse_uncleared_trainee(activity, trainee_id)
            ActivityTrainee.create(activity=activity, trainee_id=trainee_id)
            self.uow.emit("bookings.trainee_assigned", presenters.trainee_assigned(activity, trainee_id))
        return presenters.activity(
            activity, store.people_of([activity]), staffing.activity_duty([activity], self.settings)
        )

    @rpc
    def list_activities(self, query=None):
        period = load(PeriodQuery(), query or {})
        found = store.activities(period, period["from_"], period["to"])
        return found.answer(
            presenters.activities(
                found.rows, store.people_of(found.rows), staffing.activity_duty(found.rows, self.settings)
            )
        )

    @rpc
    def get_activity(self, activity_id):
        activity = store.activity(activity_id)
        return presenters.activity(
            activity, store.people_of([activity]), staffing.activity_duty([activity], self.settings)
        )

    # --- events from the volunteers service ---------------------------------------------------
    @on_event("volunteers.signup_confirmed", exclusive=True)
    def count_volunteer(self, event):
        p = event["payload"]
        if is_buried(Tombstone, SIGNUP, p["signup_id"]):
            return  # withdrawn before this confirmation arrived: nothing to count
        activity = store.activity(p["activity_id"])
        if store.volunteer_counted(p["signup_id"]):
            return  # the same sign-up confirmed again by another event: counted once
        ActivityVolunteer.create(activity=activity, volunteer_id=p["volunteer_id"], signup_id=p["signup_id"])

    @on_event("volunteers.signup_withdrawn", exclusive=True)
    def uncount_volunteer(self, event):
        signup_id = event["payload"]["signup_id"]
        bury(Tombstone, SIGNUP, signup_id, event)  # a confirmation arriving later counts nothing
        store.uncount_volunteer(signup_id)

    @on_event("volunteers.signup_cancelled", exclusive=True)
    def uncount_cancelled_volunteer(self, event):
        """The volunteers service cancelled the sign-up (its activity moved onto another of theirs,
        or was cancelled): no longer counted, as for a withdrawal."""
        signup_id = event["payload"]["signup_id"]
        bury(Tombstone, SIGNUP, signup_id, event)
        store.uncount_volunteer(signup_id)

    # --- room reservations asked by the education service ---------------------------------------
    @on_event("education.room_reservation_requested", exclusive=True)
    def reserve_room(self, event):
        """All parts or none, answered with the request's number. A newer request of the session (a
        retry, maybe another room) first releases what an older one held; a request not newer than
        the newest seen for the session (late, or repeated) is ignored."""
        p = event["payload"]
        number = p["request"]
        if not is_buried(Tombstone, SESSION, p["session_id"]):  # holds the session's key either way
            seen = store.latest_room_request(p["session_id"])
            if seen is not None and number <= seen:
                return  # an older request arriving after a newer one: its answer would mislead
            store.record_room_request(p["session_id"], number)
            held = store.held_reservations(p["session_id"])
            if held:
                store.release(held)  # the older request's hold, replaced by this one
        room, parts, refusal = self._reservation(p)
        if refusal:  # the refusal ends this request
            self.uow.emit(
                "bookings.room_reservation_refused",
                {"session_id": p["session_id"], "room_id": p["room_id"], "reason": refusal, "request": number},
            )
            return
        held = [
            RoomReservation.create(
                room=room,
                session_id=p["session_id"],
                title=p["title"],
                starts_at=starts_at,
                ends_at=ends_at,
                request=number,
            )
            for starts_at, ends_at in parts
        ]
        self.uow.emit(
            "bookings.room_reserved",
            {
                "session_id": p["session_id"],
                "room_id": room.id,
                "room_name": room.name,
                "reservation_ids": [r.id for r in held],
                "request": number,
            },
        )

    def _reservation(self, request):
        """(room, parts as stored times, None), or (…, the French reason of a refusal): all parts or none."""
        if is_buried(Tombstone, SESSION, request["session_id"]):
            return None, [], SESSION_ALREADY_CANCELLED  # cancelled before its request arrived: holds nothing
        room = store.room_locked_or_none(request["room_id"])
        if room is None:
            return None, [], "Salle inconnue."
        parts = [(part["starts_at"], part["ends_at"]) for part in request["parts"]]
        if any(calendar.check_times(starts_at, ends_at) for starts_at, ends_at in parts):
            return room, [], "Horaires invalides pour une des parties de la session."
        parts = [(to_db(starts_at), to_db(ends_at)) for starts_at, ends_at in parts]
        for starts_at, ends_at in parts:
            clash = calendar.first_clash(starts_at, ends_at, store.occupations(room, starts_at, ends_at))
            if clash:
                return (
                    room,
                    [],
                    (f"La salle « {room.name} » est déjà prise le {fr_datetime(clash.starts_at)} par {clash.label}."),
                )
        return room, parts, None

    @on_event("education.session_cancelled", exclusive=True)
    def release_room(self, event):
        session_id = event["payload"]["session_id"]
        bury(Tombstone, SESSION, session_id, event)  # a reservation request arriving later holds nothing
        held = store.held_reservations(session_id)
        if not held:
            return
        store.release(held)
        self.uow.emit("bookings.room_released", {"session_id": session_id, "room_id": held[0].room_id})


# --- the domain's answers as the caller's errors ---------------------------------------------------
def _refuse(errors, message):
    if errors:
        raise Invalid(message, errors)


def _stored_times(starts_at, ends_at):
    _refuse(calendar.check_times(starts_at, ends_at), "Horaires invalides.")
    return to_db(starts_at), to_db(ends_at)


def _changeable(activity):
    if not calendar.is_changeable(activity.status):
        raise Conflict(f"L'activité est déjà {ACTIVITY_STATUS_LABELS.get(activity.status, activity.status)}.")
    return activity


def _check_staff(activity, staff_ids, settings):
    """An activity's lead and staff may be with its children on its day, and are enough for them
    (domain/duty.py); an activity without children needs nobody."""
    day = staffing.day_of(activity)
    named = ([activity.lead_staff_id] if activity.lead_staff_id else []) + list(staff_ids)
    adults = staffing.named_adults(named, day)
    if not activity.children_capacity:
        return
    if not activity.lead_staff_id:
        raise Invalid(LEAD_REQUIRED, {"lead_staff_id": [LEAD_REQUIRED]})
    lead = adults[activity.lead_staff_id]
    if not duty.counts_on(lead, day):
        sentence = duty.lead_refusal(lead)
        raise Conflict(sentence, {"lead_staff_id": [sentence]})
    staffing.refuse_short_activity(activity, staff_ids, settings)


def _refuse_double_duty(activity, staff_ids, ignore=None):
    """Its lead and staff are on no other activity at its times (domain/double_duty.py)."""
    named = {"lead_staff_id": [activity.lead_staff_id] if activity.lead_staff_id else [], "staff_ids": staff_ids}
    staffing.refuse_double_duty(named, activity.starts_at, activity.ends_at, ignore_activity=ignore, on_slots=False)


def _refuse_uncleared_trainee(activity, trainee_id):
    """A trainee joins an activity with children only when cleared on its day (CASF L133-6)."""
    if not activity.children_capacity:
        return
    clearance = duty_store.clearances(duty_store.TRAINEE, [trainee_id])[trainee_id]
    refusal = duty.trainee_refusal(clearance, staffing.day_of(activity))
    if refusal:
        raise Conflict(refusal, {"trainee_id": [refusal]})


def _refuse_clash(room, starts_at, ends_at, ignore_activity=None):
    clash = calendar.first_clash(starts_at, ends_at, store.occupations(room, starts_at, ends_at, ignore_activity))
    if clash:
        raise Conflict(
            f"La salle « {room.name} » est déjà prise à ce moment par {clash.label}.",
            {"room_id": [f"Occupée par {clash.label}."]},
        )
