"""Queries and locking of the bookings service: with models.py, the only module that speaks peewee.

A row an entrypoint is about to change is loaded here with `shared.db.get_locked`, inside
`uow.atomic(exclusive=True)`: a concurrent change of the same row waits, then decides on what
the first one committed (a 409) instead of overwriting it. A missing row raises NotFound (or
Invalid when the caller named it in a field), with a French message.
Times: stored naive UTC in, stored naive UTC out; aware datetimes are converted at the door.
"""

from collections import namedtuple
from datetime import datetime, time, timedelta

from peewee import SQL, NodeList, fn

from services.bookings.domain import childcare, family_file
from services.bookings.domain.calendar import MAX_ACTIVITY_LENGTH, Occupation
from services.bookings.models import (
    RESERVATION_HELD,
    RESERVATION_RELEASED,
    Activity,
    ActivityTrainee,
    ActivityVolunteer,
    Booking,
    Child,
    ChildcareSlot,
    Contract,
    ContractAbsence,
    ContractAttendance,
    ContractResources,
    Family,
    FamilyChange,
    Room,
    RoomRequest,
    RoomReservation,
    database,
)
from shared import timeutil
from shared.db import get_locked, lock, lock_key
from shared.errors import Invalid, NotFound, found
from shared.pagination import page
from shared.timeutil import to_db
from shared.vocabulary import (
    ACTIVE_BOOKING_STATUSES,
    ACTIVITY_CANCELLED,
    ACTIVITY_SCHEDULED,
    BOOKING_CONFIRMED,
    BOOKING_WAITLISTED,
    CONTRACT_ACTIVE,
)

People = namedtuple("People", "trainee_ids volunteer_ids")
Counts = namedtuple("Counts", "confirmed waitlisted")
ONE_DAY = timedelta(days=1)


# --- rooms ---------------------------------------------------------------------------------------
def room_name_taken(name):
    return Room.select().where(Room.name == name).exists()


def rooms(page_query):
    """A page of rooms by name (shared.pagination: `page_query` has limit and cursor)."""
    return page(Room.select(), [Room.name, Room.id], page_query)


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


# --- activities ----------------------------------------------------------------------------------
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


# --- families and children -----------------------------------------------------------------------
def family_email_taken(email):
    return Family.select().where(Family.email == email).exists()


def family(family_id):
    return found(Family.get_or_none(Family.id == str(family_id)), "Famille introuvable.")


def locked_family(family_id):
    """The family whose figures a booking reads or a correction changes: locked first (before its
    children, slots and bookings), so a booking never prices on figures being corrected."""
    return found(get_locked(Family.select().where(Family.id == str(family_id))), "Famille introuvable.")


def families(page_query, pattern=None):
    """A page of families by email; `pattern`: a LIKE pattern on search_text (family_file.search_pattern)."""
    select = Family.select()
    if pattern:
        select = select.where(NodeList((Family.search_text, SQL("LIKE"), pattern, SQL("ESCAPE '\\'"))))
    return page(select, [Family.email, Family.id], page_query)


def children_of_families(families):
    """{family id: its children, eldest first} for these families, in one query."""
    children = {f.id: [] for f in families}
    if children:
        for child in Child.select().where(Child.family.in_(list(children))).order_by(Child.birth_date, Child.id):
            children[child.family_id].append(child)
    return children


def family_history(family, page_query):
    """A page of the family's changes, oldest first."""
    select = FamilyChange.select().where(FamilyChange.family == family)
    return page(select, [FamilyChange.changed_at, FamilyChange.id], page_query)


def record_changes(family, changed_by, changes, changed_at, child_id=None):
    """One history row per (field, before, after) of `changes`, all at `changed_at` (naive UTC)."""
    for name, before, after in changes:
        FamilyChange.create(
            family=family,
            child_id=child_id,
            changed_at=changed_at,
            changed_by=changed_by,
            field=name,
            before=family_file.as_json(before),
            after=family_file.as_json(after),
        )


def future_bookings_of_family(family, now_stored):
    """Ids of the family's active bookings whose slot starts after `now_stored` (naive UTC), by start."""
    return _future_booking_ids(Booking.family == family, now_stored)


def future_bookings_of_child(child, now_stored):
    """Ids of the child's active bookings whose slot starts after `now_stored` (naive UTC), by start."""
    return _future_booking_ids(Booking.child == child, now_stored)


def _future_booking_ids(whose, now_stored):
    return [
        booking_id
        for (booking_id,) in Booking.select(Booking.id)
        .join(ChildcareSlot)
        .where(whose, Booking.status.in_(ACTIVE_BOOKING_STATUSES), ChildcareSlot.starts_at > now_stored)
        .order_by(ChildcareSlot.starts_at, Booking.id)
        .tuples()
    ]


def children_of(family):
    """Eldest first."""
    return list(family.children.order_by(Child.birth_date))


def locked_child(child_id, family=None):
    """The child to book or correct, locked; `family`: it must be this family's (staff: None)."""
    select = Child.select().where(Child.id == str(child_id))
    if family is not None:
        select = select.where(Child.family == family)
    return found(get_locked(select), "Enfant introuvable dans votre famille." if family else "Enfant introuvable.")


def family_of_child(child_id):
    """The id of a child's family (to lock the family before the child), or NotFound."""
    row = Child.select(Child.family).where(Child.id == str(child_id)).tuples().first()
    return found(row, "Enfant introuvable.")[0]


# --- slots ---------------------------------------------------------------------------------------
def locked_slot(slot_id):
    slot = get_locked(ChildcareSlot.select(ChildcareSlot, Room).join(Room).where(ChildcareSlot.id == slot_id))
    return found(slot, "Créneau introuvable.")


def slots(page_query, first_day=None, end_day=None):
    """A page of the slots starting from `first_day` to before `end_day` (local calendar dates), or
    of all of them, by start."""
    select = ChildcareSlot.select(ChildcareSlot, Room).join(Room)
    if first_day:
        start, end = _stored_days(first_day, end_day)
        select = select.where(ChildcareSlot.starts_at >= start, ChildcareSlot.starts_at < end)
    return page(select, [ChildcareSlot.starts_at, ChildcareSlot.id], page_query)


def slots_with_ids(slot_ids):
    return list(ChildcareSlot.select().where(ChildcareSlot.id.in_([str(i) for i in slot_ids])))


def booking_counts(slots):
    """{slot id: Counts(confirmed, waitlisted)} for these slots, in one query."""
    counts = {s.id: {BOOKING_CONFIRMED: 0, BOOKING_WAITLISTED: 0} for s in slots}
    if counts:
        grouped = (
            Booking.select(Booking.slot, Booking.status, fn.COUNT(Booking.id))
            .where(Booking.slot.in_(list(counts)), Booking.status.in_(ACTIVE_BOOKING_STATUSES))
            .group_by(Booking.slot, Booking.status)
            .tuples()
        )
        for slot_id, status, count in grouped:
            counts[slot_id][status] = count
    return {slot_id: Counts(c[BOOKING_CONFIRMED], c[BOOKING_WAITLISTED]) for slot_id, c in counts.items()}


def slot_state(slot):
    """The slot as the admission decision needs it (domain.childcare.SlotState): its confirmed
    children counted by (walks, avip) in the database, not loaded one by one."""
    confirmed = (
        Booking.select(Booking.walks, Booking.avip, fn.COUNT(Booking.id))
        .where(Booking.slot == slot, Booking.status == BOOKING_CONFIRMED)
        .group_by(Booking.walks, Booking.avip)
        .tuples()
    )
    return childcare.SlotState(
        places=slot.places,
        staff_on_duty=slot.staff_on_duty,
        room_capacity=slot.room.capacity,
        age_group=slot.age_group,
        confirmed={childcare.Placed(bool(walks), bool(avip)): count for walks, avip, count in confirmed},
    )


def slots_to_release(now, notice_hours):
    """Ids of the slots not started yet whose AVIP release notice has begun and that were not
    released (stored times), soonest first."""
    return [
        s.id
        for s in ChildcareSlot.select(ChildcareSlot.id)
        .where(
            ChildcareSlot.avip_released_at.is_null(),
            ChildcareSlot.starts_at > now,
            ChildcareSlot.starts_at <= now + timedelta(hours=notice_hours),
        )
        .order_by(ChildcareSlot.starts_at)
    ]


def waiting_list(slot):
    return list(Booking.select().where(Booking.slot == slot, Booking.status == BOOKING_WAITLISTED))


def waiting_lists(slot_ids):
    """{slot id: [its waitlisted bookings]} for these slots, in one query."""
    lists = {slot_id: [] for slot_id in slot_ids}
    if lists:
        for b in Booking.select().where(Booking.slot.in_(list(lists)), Booking.status == BOOKING_WAITLISTED):
            lists[b.slot_id].append(b)
    return lists


# --- bookings ------------------------------------------------------------------------------------
def child_occupations(child, starts_at, ends_at):
    """The child's active bookings whose slot overlaps [starts_at, ends_at). Only the two times
    are read: this runs on every booking, and building whole rows cost more than the query."""
    overlapping = (
        Booking.select(ChildcareSlot.starts_at, ChildcareSlot.ends_at)
        .join(ChildcareSlot)
        .where(
            Booking.child == child,
            Booking.status.in_(ACTIVE_BOOKING_STATUSES),
            ChildcareSlot.starts_at < ends_at,
            ChildcareSlot.ends_at > starts_at,
        )
        .tuples()
    )
    return [Occupation(slot_starts, slot_ends, "une réservation") for slot_starts, slot_ends in overlapping]


def locked_slot_of(booking_id):
    """A booking's slot, locked. A cancellation takes the slot before the booking because its
    promotions then change other bookings of the slot: one order for all, so no deadlock."""
    slot = get_locked(
        ChildcareSlot.select(ChildcareSlot, Room)
        .join(Room)
        .where(ChildcareSlot.id.in_(Booking.select(Booking.slot).where(Booking.id == str(booking_id))))
    )
    return found(slot, "Réservation introuvable.")


def locked_booking(booking_id, family_id=None):
    """The booking to change, locked; `family_id`: it must be this family's."""
    booking = get_locked(Booking.select().where(Booking.id == str(booking_id)))
    if booking is None or (family_id and booking.family_id != family_id):
        raise NotFound("Réservation introuvable.")  # another family's booking is not even said to exist
    return booking


def bookings(page_query, family_id=None, slot_id=None, status=None, day=None):
    """A page of bookings by slot start then request time, filtered by whatever is given (`day`:
    local date). Sorted on the booking's own copy of its slot's start: each filter has an index
    in that order (models.Booking), so a page reads about `limit` rows, however many there are."""
    select = Booking.select(Booking, ChildcareSlot, Child).join(ChildcareSlot).switch(Booking).join(Child)
    if family_id:
        select = select.where(Booking.family == family_id)
    if slot_id:
        select = select.where(Booking.slot == slot_id)
    if status:
        select = select.where(Booking.status == status)
    if day:
        start, end = _stored_days(day, day + ONE_DAY)
        select = select.where(Booking.slot_starts_at >= start, Booking.slot_starts_at < end)
    return page(select, [Booking.slot_starts_at, Booking.requested_at, Booking.id], page_query)


def billed_bookings(family, first_day, end_day):
    """A family's bookings (every family's when `family` is None) that are billed, in slots starting
    from `first_day` to before `end_day` (local dates): confirmed ones, and cancelled ones that had
    been confirmed."""
    start, end = _stored_days(first_day, end_day)
    select = (
        Booking.select(Booking, ChildcareSlot, Child)
        .join(ChildcareSlot)
        .switch(Booking)
        .join(Child)
        .where(
            ChildcareSlot.starts_at >= start,
            ChildcareSlot.starts_at < end,
            (Booking.status == BOOKING_CONFIRMED) | (Booking.was_status == BOOKING_CONFIRMED),
        )
    )
    if family is not None:
        select = select.where(Booking.family == family)
    return list(select.order_by(ChildcareSlot.starts_at))


def _stored_days(first_day, end_day):
    """[midnight of first_day, midnight of end_day) in the venue's zone, as stored (naive UTC)."""
    zone = timeutil.VENUE_TZ
    start, end = (datetime.combine(day, time(0), tzinfo=zone) for day in (first_day, end_day))
    return to_db(start), to_db(end)


def slot_day(slot_id):
    """The local date of a slot (a slot never moves), read before anything is locked: the day's
    lock comes first (lock_childcare_days)."""
    starts_at = ChildcareSlot.select(ChildcareSlot.starts_at).where(ChildcareSlot.id == slot_id).scalar()
    return timeutil.from_db(found(starts_at, "Créneau introuvable.")).date()


def slot_day_of_booking(booking_id):
    starts_at = Booking.select(Booking.slot_starts_at).where(Booking.id == str(booking_id)).scalar()
    return timeutil.from_db(found(starts_at, "Réservation introuvable.")).date()


# --- regular care contracts ------------------------------------------------------------------------
def lock_childcare_days(days):
    """Who holds a place on these days (local dates) decides one transaction at a time: a contract
    and a booking of the same day wait for each other. Days in order, before any slot is locked."""
    for day in sorted(set(days)):
        lock_key(database, "bookings.childcare_day", day.isoformat())


def child(child_id, family_id=None):
    """A child, of this family when family_id is given (another family's child is not found)."""
    select = Child.select().where(Child.id == str(child_id))
    if family_id:
        select = select.where(Child.family == family_id)
    child = select.first()
    if child is None and not family_id:  # staff named a child that does not exist
        raise Invalid("Enfant inconnu.", {"child_id": ["Aucun enfant avec cet identifiant."]})
    return found(child, "Enfant introuvable dans votre famille.")


def _contract_query(contract_id, family_id):
    select = Contract.select(Contract, Child).join(Child).where(Contract.id == str(contract_id))
    return select.where(Contract.family == family_id) if family_id else select


def contract(contract_id, family_id=None):
    return found(_contract_query(contract_id, family_id).first(), "Contrat introuvable.")


def locked_contract(contract_id, family_id=None):
    return found(get_locked(_contract_query(contract_id, family_id)), "Contrat introuvable.")


def contracts(page_query, family_id=None, status=None):
    """A page of contracts, most recent start first."""
    select = Contract.select(Contract, Child).join(Child)
    if family_id:
        select = select.where(Contract.family == family_id)
    if status:
        select = select.where(Contract.status == status)
    return page(select, [Contract.starts_on, Contract.id], page_query)


def active_contracts_between(first_day, last_day, exclude=None, child=None):
    """Active contracts with a day of care in [first_day, last_day] (dates), their child loaded;
    of one child when `child` is given."""
    select = (
        Contract.select(Contract, Child)
        .join(Child)
        .where(
            Contract.status == CONTRACT_ACTIVE,
            Contract.starts_on <= last_day,
            Contract.ends_on >= first_day,
            Contract.ended_on.is_null() | (Contract.ended_on >= first_day),
        )
    )
    if exclude:
        select = select.where(Contract.id != exclude)
    if child:
        select = select.where(Contract.child == child)
    return list(select)


def accepted_contracts_between(first_day, last_day, family=None):
    """The accepted contracts (active or ended; the family's when given) with a day in [first_day, last_day]."""
    select = (
        Contract.select(Contract, Child)
        .join(Child)
        .where(
            Contract.hourly_rate.is_null(False),
            Contract.starts_on <= last_day,
            Contract.ends_on >= first_day,
            Contract.ended_on.is_null() | (Contract.ended_on >= first_day),
        )
    )
    if family is not None:
        select = select.where(Contract.family == family)
    return list(select.order_by(Contract.starts_on))


def family_contracts_between(family, first_day, last_day):
    return accepted_contracts_between(first_day, last_day, family)


def child_contract_between(child, first_day, last_day, exclude=None):
    """The child's active contract with a day in [first_day, last_day], other than `exclude`, or None."""
    return next(iter(active_contracts_between(first_day, last_day, exclude, child)), None)


def confirmed_between(first_day, end_day):
    """(starts_at, ends_at, avip) of the confirmed bookings in slots starting from first_day to
    before end_day (local dates), as stored."""
    start, end = _stored_days(first_day, end_day)
    return list(
        Booking.select(ChildcareSlot.starts_at, ChildcareSlot.ends_at, Booking.avip)
        .join(ChildcareSlot)
        .where(Booking.status == BOOKING_CONFIRMED, Booking.slot_starts_at >= start, Booking.slot_starts_at < end)
        .tuples()
    )


def slots_between(first_day, end_day):
    start, end = _stored_days(first_day, end_day)
    return list(
        ChildcareSlot.select(ChildcareSlot, Room)
        .join(Room)
        .where(ChildcareSlot.starts_at >= start, ChildcareSlot.starts_at < end)
    )


def resources_of(contract):
    """[(from_on, ContractResources)] in date order: what the contract's rate is computed from."""
    rows = contract.resources.order_by(ContractResources.from_on)
    return [(r.from_on, r) for r in rows]


def attendances_of(contract, first_day, end_day):
    """The contract child's noted presences on days in [first_day, end_day)."""
    return list(
        ContractAttendance.select()
        .where(
            ContractAttendance.contract == contract,
            ContractAttendance.day >= first_day,
            ContractAttendance.day < end_day,
        )
        .order_by(ContractAttendance.day)
    )


def locked_attendance(contract, day):
    return get_locked(
        ContractAttendance.select().where(ContractAttendance.contract == contract, ContractAttendance.day == day)
    )


def absences_of(contract):
    return list(contract.absences.order_by(ContractAbsence.starts_on))


def absences_of_contracts(contracts):
    """{contract id: [its absences, by date]} for these contracts, in one query."""
    found = {c.id: [] for c in contracts}
    if found:
        query = ContractAbsence.select().where(ContractAbsence.contract.in_(list(found)))
        for absence in query.order_by(ContractAbsence.starts_on):
            found[absence.contract_id].append(absence)
    return found


def absence_overlapping(contract, starts_on, ends_on):
    return (
        ContractAbsence.select()
        .where(
            ContractAbsence.contract == contract,
            ContractAbsence.starts_on <= ends_on,
            ContractAbsence.ends_on >= starts_on,
        )
        .exists()
    )


# --- a person's calendar feed (calendar_feed_rpc.py) ----------------------------------------------
def feed_bookings(family_id, from_, to):
    """A family's bookings, every status, in slots overlapping [from_, to) (aware), by start."""
    start, end = to_db(from_), to_db(to)
    return list(
        Booking.select(Booking, ChildcareSlot, Room, Child)
        .join(ChildcareSlot)
        .join(Room)
        .switch(Booking)
        .join(Child)
        .where(Booking.family == family_id, ChildcareSlot.ends_at > start, ChildcareSlot.starts_at < end)
        .order_by(ChildcareSlot.starts_at, Booking.id)
    )


def feed_activities(from_, to, volunteer_ids=None, trainee_ids=None):
    """Activities overlapping [from_, to) (aware), every status, by start: those counting one of
    `volunteer_ids`, or assigned one of `trainee_ids`, or (both None) all of the venue's."""
    start, end = to_db(from_), to_db(to)
    select = Activity.select(Activity, Room).join(Room).switch(Activity)
    if volunteer_ids is not None:
        select = select.join(ActivityVolunteer).where(ActivityVolunteer.volunteer_id.in_(volunteer_ids or [""]))
    elif trainee_ids is not None:
        select = select.join(ActivityTrainee).where(ActivityTrainee.trainee_id.in_(trainee_ids or [""]))
    select = select.where(Activity.ends_at > start, Activity.starts_at < end)
    return list(select.distinct().order_by(Activity.starts_at, Activity.id))


def feed_slots(from_, to):
    """The venue's childcare slots overlapping [from_, to) (aware), by start."""
    start, end = to_db(from_), to_db(to)
    return list(
        ChildcareSlot.select(ChildcareSlot, Room)
        .join(Room)
        .where(ChildcareSlot.ends_at > start, ChildcareSlot.starts_at < end)
        .order_by(ChildcareSlot.starts_at, ChildcareSlot.id)
    )


# --- the staff's board: the day, who is in the building, a room's week -----------------------------
def activities_on(first_day, end_day, room=None):
    """Activities (any status) starting from `first_day` to before `end_day` (local dates), by start."""
    start, end = _stored_days(first_day, end_day)
    select = Activity.select(Activity, Room).join(Room).where(Activity.starts_at >= start, Activity.starts_at < end)
    if room is not None:
        select = select.where(Activity.room == room)
    return list(select.order_by(Activity.starts_at, Activity.id))


def slots_on(first_day, end_day, room=None):
    """Slots starting from `first_day` to before `end_day` (local dates), by start then room."""
    select = ChildcareSlot.select(ChildcareSlot, Room).join(Room)
    start, end = _stored_days(first_day, end_day)
    select = select.where(ChildcareSlot.starts_at >= start, ChildcareSlot.starts_at < end)
    if room is not None:
        select = select.where(ChildcareSlot.room == room)
    return list(select.order_by(ChildcareSlot.starts_at, Room.name, ChildcareSlot.id))


def reservations_under_way(at):
    """The held training reservations (any room) under way at `at` (stored time)."""
    return list(
        RoomReservation.select(RoomReservation, Room)
        .join(Room)
        .where(
            RoomReservation.status == RESERVATION_HELD,
            RoomReservation.starts_at <= at,
            RoomReservation.ends_at > at,
        )
        .order_by(RoomReservation.starts_at, RoomReservation.id)
    )


def reservations_on(first_day, end_day, room):
    """The room's held training reservations starting from `first_day` to before `end_day`."""
    start, end = _stored_days(first_day, end_day)
    return list(
        RoomReservation.select()
        .where(
            RoomReservation.room == room,
            RoomReservation.status == RESERVATION_HELD,
            RoomReservation.starts_at >= start,
            RoomReservation.starts_at < end,
        )
        .order_by(RoomReservation.starts_at, RoomReservation.id)
    )


def room(room_id):
    return found(Room.get_or_none(Room.id == str(room_id)), "Salle introuvable.")


def confirmed_bookings_in(slots):
    """The confirmed bookings of these slots, their child and family loaded, by child's first name."""
    if not slots:
        return []
    return list(
        Booking.select(Booking, Child, Family)
        .join(Child)
        .switch(Booking)
        .join(Family)
        .where(Booking.slot.in_([s.id for s in slots]), Booking.status == BOOKING_CONFIRMED)
        .order_by(Child.first_name, Booking.id)
    )


def families_with_ids(family_ids):
    return {f.id: f for f in Family.select().where(Family.id.in_(list(set(family_ids))))} if family_ids else {}


def attendances_on(day):
    """{contract id: ContractAttendance} of the contract children noted on `day`."""
    return {a.contract_id: a for a in ContractAttendance.select().where(ContractAttendance.day == day)}
