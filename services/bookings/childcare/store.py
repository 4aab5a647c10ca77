"""Queries and locking of childcare: families and children, slots, bookings and their waiting
lists, and the lock of a day's places that bookings and contracts share.

A row an entrypoint is about to change is loaded here with `shared.db.get_locked`, inside
`uow.atomic(exclusive=True)`: a concurrent change of the same row waits, then decides on what
the first one committed (a 409) instead of overwriting it. A missing row raises NotFound (or
Invalid when the caller named it in a field), with a French message.
Times: stored naive UTC in, stored naive UTC out; aware datetimes are converted at the door.
"""

import json
from collections import namedtuple
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from peewee import JOIN, Case, fn

from services.bookings.child_file import store as child_file_store
from services.bookings.domain import childcare
from services.bookings.domain.calendar import Occupation
from services.bookings.models import Booking, Child, ChildcareSlot, ChildHealth, Contract, Family, Room, database
from shared import timeutil
from shared.db import (
    Param,
    Prepared,
    check_write_lock,
    from_row,
    get_locked,
    insert_of,
    is_postgres,
    json_rows,
    lock_key,
    utc_day,
)
from shared.errors import NotFound, found
from shared.pagination import page
from shared.timeutil import to_db
from shared.vocabulary import ACTIVE_BOOKING_STATUSES, BOOKING_CONFIRMED, BOOKING_WAITLISTED, CONTRACT_ACTIVE

Counts = namedtuple("Counts", "confirmed waitlisted")

ONE_DAY = timedelta(days=1)


def stored_days(first_day, end_day):
    """[midnight of first_day, midnight of end_day) in the venue's zone, as stored (naive UTC)."""
    zone = timeutil.VENUE_TZ
    start, end = (datetime.combine(day, time(0), tzinfo=zone) for day in (first_day, end_day))
    return to_db(start), to_db(end)


def lock_childcare_days(days):
    """Who holds a place on these days (local dates) decides one transaction at a time: a contract
    and a booking of the same day wait for each other. Days in order, before any slot is locked."""
    for day in sorted(set(days)):
        lock_key(database, "bookings.childcare_day", day.isoformat())


def lock_slot_day(slot_id):
    """lock_childcare_days for the day of one slot. On SQLite the IMMEDIATE transaction already is
    that lock (lock_key only checks it): the slot's day is not read, one statement less a booking."""
    if is_postgres(database):
        lock_childcare_days([slot_day(slot_id)])
    else:
        check_write_lock(database, "lock_slot_day()")


def family_email_taken(email):
    return Family.select().where(Family.email == email).exists()


def family(family_id):
    return found(Family.get_or_none(Family.id == str(family_id)), "Famille introuvable.")


def locked_family(family_id):
    """The family whose figures a booking reads or a correction changes: locked first (before its
    children, slots and bookings), so a booking never prices on figures being corrected."""
    return found(get_locked(Family.select().where(Family.id == str(family_id))), "Famille introuvable.")


def children_of(family):
    """Eldest first."""
    return list(family.children.order_by(Child.birth_date))


def locked_child(child_id, family=None):
    """The child to book or correct, locked; `family`: it must be this family's (staff: None)."""
    select = Child.select().where(Child.id == str(child_id))
    if family is not None:
        select = select.where(Child.family == family)
    return found(get_locked(select), "Enfant introuvable dans votre famille." if family else "Enfant introuvable.")


def slot(slot_id):
    return found(
        ChildcareSlot.select(ChildcareSlot, Room).join(Room).where(ChildcareSlot.id == str(slot_id)).first(),
        "Créneau introuvable.",
    )


def locked_slot(slot_id):
    slot = get_locked(ChildcareSlot.select(ChildcareSlot, Room).join(Room).where(ChildcareSlot.id == slot_id))
    return found(slot, "Créneau introuvable.")


def slots(page_query, first_day=None, end_day=None):
    """A page of the slots starting from `first_day` to before `end_day` (local calendar dates), or
    of all of them, by start."""
    select = ChildcareSlot.select(ChildcareSlot, Room).join(Room)
    if first_day:
        start, end = stored_days(first_day, end_day)
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
        start, end = stored_days(day, day + ONE_DAY)
        select = select.where(Booking.slot_starts_at >= start, Booking.slot_starts_at < end)
    return page(select, [Booking.slot_starts_at, Booking.requested_at, Booking.id], page_query)


def billed_bookings(family, first_day, end_day):
    """A family's bookings (every family's when `family` is None) that are billed, in slots starting
    from `first_day` to before `end_day` (local dates): confirmed ones, and cancelled ones that had
    been confirmed."""
    start, end = stored_days(first_day, end_day)
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


_SLOT_START = Prepared(
    ChildcareSlot,
    lambda database: ChildcareSlot.select(ChildcareSlot.starts_at).where(ChildcareSlot.id == Param("slot_id")),
)


def slot_day(slot_id):
    """The local date of a slot (a slot never moves), read before anything is locked: the day's
    lock comes first (lock_childcare_days)."""
    row = _SLOT_START.bind(slot_id=str(slot_id)).first()
    return timeutil.from_db(found(row, "Créneau introuvable.")["starts_at"]).date()


def slot_day_of_booking(booking_id):
    starts_at = Booking.select(Booking.slot_starts_at).where(Booking.id == str(booking_id)).scalar()
    return timeutil.from_db(found(starts_at, "Réservation introuvable.")).date()


# --- the booking path ----------------------------------------------------------------------------
# `book` runs on every booking: what it decides on is read in two statements built once
# (shared/db.py, Prepared), the booker then the slot, each row locked on PostgreSQL in the order
# every entrypoint locks them (family, child, slot). SQLite: BEGIN IMMEDIATE, these two reads, the
# booking, its outbox row, COMMIT (docs/performance.md, "The booking path").


# What a booking reads of each row (the rest is not read: an instance holds these fields only).
_READ = {
    Family: (  # its AVIP priority, and the figures that price the booking (children_in_care.FIGURES)
        Family.id,
        Family.job_seeker,
        Family.monthly_resources,
        Family.dependent_children,
        Family.aeeh_children,
        Family.resources_known,
    ),
    Child: (Child.id, Child.family, Child.first_name, Child.birth_date, Child.walking_override, Child.walking_declared),
    ChildcareSlot: tuple(f for f in ChildcareSlot._meta.sorted_fields if f is not ChildcareSlot.created_at),
    Room: (Room.id, Room.name, Room.kind, Room.capacity),
}


def _fields(model, prefix):
    return [field.alias(prefix + field.name) for field in _READ[model]]


def _of(model, row, prefix):
    """A `model` instance of the fields `_fields(model, prefix)` selected in `row`."""
    return from_row(model, {field.name: row[prefix + field.name] for field in _READ[model]})


def _booker(database):
    return (
        Family.select(
            *_fields(Family, "f_"),
            *_fields(Child, "c_"),
            ChildHealth.sealed.alias("health_sealed"),
            child_file_store.first_booked_start(Child.id).alias("first_booked_start"),
            child_file_store.first_contract_day(Child.id).alias("first_contract_day"),
        )
        .join(Child, on=(Child.family == Family.id))
        .join(ChildHealth, JOIN.LEFT_OUTER, on=(ChildHealth.child == Child.id))
        .where(Family.id == Param("family_id"), Child.id == Param("child_id"))
    )


_BOOKER = Prepared(Family, _booker, locks=(Family, Child))


@dataclass
class Booker:
    """Who books: the family (its figures price the booking), its child, the child's health file as
    kept (its Fernet token, None before the first one) and its admission day."""

    family: Family
    child: Child
    health_sealed: bytes | None
    first_booked_start: object
    first_contract_day: object

    def admission_day(self):
        return child_file_store.admitted_on(self.first_booked_start, self.first_contract_day)


def locked_booker(family_id, child_id):
    """The family and its child who book, both locked (the family first: see locked_family), with
    what the vaccination rule reads of the child, in one statement."""
    row = get_locked(_BOOKER.bind(family_id=str(family_id), child_id=str(child_id)))
    if row is None:
        locked_family(family_id)  # "Famille introuvable." when it is the family that is missing
        raise NotFound("Enfant introuvable dans votre famille.")
    family, child = _of(Family, row, "f_"), _of(Child, row, "c_")
    sealed = row["health_sealed"]
    return Booker(
        family,
        child,
        bytes(sealed) if sealed is not None else None,
        row["first_booked_start"],
        row["first_contract_day"],
    )


def _counted(condition):
    return fn.SUM(Case(None, [(condition, 1)], 0))


_COUNTED = {(walks, avip): f"confirmed_{int(walks)}{int(avip)}" for walks in (False, True) for avip in (False, True)}


def _slot_for_booking(database):
    other = ChildcareSlot.alias("other")
    requested_at = Param("requested_at", Booking.requested_at)
    # the slot's bookings in one pass (by its slot_id index): its confirmed children by (walks,
    # avip), and the waitlisted bookings ahead of the new one (first come, first served)
    held = (
        Booking.select(
            *(
                _counted(
                    (Booking.status == BOOKING_CONFIRMED) & (Booking.walks == walks) & (Booking.avip == avip)
                ).alias(name)
                for (walks, avip), name in _COUNTED.items()
            ),
            _counted(
                (Booking.status == BOOKING_WAITLISTED)
                & (
                    (Booking.requested_at < requested_at)
                    | ((Booking.requested_at == requested_at) & (Booking.id < Param("booking_id", Booking.id)))
                )
            ).alias("waitlisted_ahead"),
        )
        .where(Booking.slot == Param("slot_id"))
        .alias("held")
    )
    clash = (
        Booking.select(fn.MIN(other.starts_at))
        .join(other, on=(Booking.slot == other.id))
        .where(
            Booking.child == Param("child_id"),
            Booking.status.in_(ACTIVE_BOOKING_STATUSES),
            other.starts_at < ChildcareSlot.ends_at,
            other.ends_at > ChildcareSlot.starts_at,
        )
    )
    # the active contracts around the slot's day (its UTC date ± 1: the venue's day is found in
    # Python, children_in_care.contract_children_of), as one JSON array
    contracts = (
        Contract.select(
            json_rows(
                database,
                Contract.starts_on,
                Contract.ends_on,
                Contract.ended_on,
                Contract.pattern,
                Contract.avip,
                Child.birth_date,
                Child.walking_override,
                Child.walking_declared,
            )
        )
        .join(Child)
        .where(
            Contract.status == CONTRACT_ACTIVE,
            Contract.starts_on <= utc_day(database, ChildcareSlot.starts_at, 1),
            Contract.ends_on >= utc_day(database, ChildcareSlot.starts_at, -1),
        )
    )
    return (
        ChildcareSlot.select(
            *_fields(ChildcareSlot, "s_"),
            *_fields(Room, "r_"),
            *(held.c[name] for name in _COUNTED.values()),
            held.c.waitlisted_ahead,
            clash.alias("clash"),
            contracts.alias("contracts"),
        )
        .join(Room)
        .join(held, JOIN.CROSS)
        .where(ChildcareSlot.id == Param("slot_id"))
    )


_SLOT_FOR_BOOKING = Prepared(ChildcareSlot, _slot_for_booking)


@dataclass
class SlotForBooking:
    """A slot as a booking decides on it: the slot with its room, its confirmed children counted
    (a childcare.SlotState), the waitlisted bookings ahead of the new one, whether the child is
    already booked at that time, and the active contracts of the day with their child."""

    slot: ChildcareSlot
    state: childcare.SlotState
    waitlisted_ahead: int
    clashes: bool
    contracts: list


def locked_slot_for_booking(slot_id, child_id, booking_id, requested_at):
    """The slot a new booking of the child is for, locked, in one statement; the booking is not
    stored yet: its id and request time place it in the waiting list."""
    row = get_locked(
        _SLOT_FOR_BOOKING.bind(
            slot_id=str(slot_id), child_id=str(child_id), requested_at=requested_at, booking_id=booking_id
        )
    )
    slot = found(row and _of(ChildcareSlot, row, "s_"), "Créneau introuvable.")
    slot.room = _of(Room, row, "r_")
    state = childcare.SlotState(
        places=slot.places,
        staff_on_duty=slot.staff_on_duty,
        room_capacity=slot.room.capacity,
        age_group=slot.age_group,
        confirmed={childcare.Placed(walks, avip): row[name] for (walks, avip), name in _COUNTED.items() if row[name]},
    )
    ahead = row["waitlisted_ahead"] or 0  # SUM of no rows: NULL
    return SlotForBooking(slot, state, ahead, row["clash"] is not None, _contracts(row["contracts"]))


def _contracts(rows):
    """The contracts of the JSON array `json_rows` made (PostgreSQL's driver already parsed it),
    with the attributes children_in_care.contract_children_of reads of a Contract."""
    return [
        SimpleNamespace(
            starts_on=_day(starts_on),
            ends_on=_day(ends_on),
            ended_on=_day(ended_on),
            pattern=pattern,
            avip=bool(avip),
            child=SimpleNamespace(
                birth_date=_day(birth_date),
                walking_override=None if override is None else bool(override),
                walking_declared=None if declared is None else bool(declared),
            ),
        )
        for starts_on, ends_on, ended_on, pattern, avip, birth_date, override, declared in (
            json.loads(rows) if isinstance(rows, str) else rows or []
        )
    ]


def _day(text):
    return date.fromisoformat(text) if text else None


_NEW_BOOKING_FIELDS = [
    Booking.id,
    Booking.created_at,
    Booking.slot,
    Booking.child,
    Booking.family,
    Booking.status,
    Booking.avip,
    Booking.walks,
    Booking.requested_at,
    Booking.hourly_rate,
    Booking.slot_starts_at,
    Booking.emergency_rate,
]
_INSERT_BOOKING = Prepared(Booking, lambda database: insert_of(Booking, _NEW_BOOKING_FIELDS))


def insert_booking(booking):
    """Store a new booking (`book`): the fields it was given, as Booking.create would."""
    _INSERT_BOOKING.execute(**{field.name: booking.__data__.get(field.name) for field in _NEW_BOOKING_FIELDS})
