"""Queries and locking of childcare: families and children, slots, bookings and their waiting
lists, and the lock of a day's places that bookings and contracts share.

A row an entrypoint is about to change is loaded here with `shared.db.get_locked`, inside
`uow.atomic(exclusive=True)`: a concurrent change of the same row waits, then decides on what
the first one committed (a 409) instead of overwriting it. A missing row raises NotFound (or
Invalid when the caller named it in a field), with a French message.
Times: stored naive UTC in, stored naive UTC out; aware datetimes are converted at the door.
"""

from collections import namedtuple
from datetime import datetime, time, timedelta

from peewee import fn

from services.bookings.domain import childcare
from services.bookings.domain.calendar import Occupation
from services.bookings.models import Booking, Child, ChildcareSlot, Family, Room, database
from shared import timeutil
from shared.db import get_locked, lock_key
from shared.errors import NotFound, found
from shared.pagination import page
from shared.timeutil import to_db
from shared.vocabulary import ACTIVE_BOOKING_STATUSES, BOOKING_CONFIRMED, BOOKING_WAITLISTED

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


def slot_day(slot_id):
    """The local date of a slot (a slot never moves), read before anything is locked: the day's
    lock comes first (lock_childcare_days)."""
    starts_at = ChildcareSlot.select(ChildcareSlot.starts_at).where(ChildcareSlot.id == slot_id).scalar()
    return timeutil.from_db(found(starts_at, "Créneau introuvable.")).date()


def slot_day_of_booking(booking_id):
    starts_at = Booking.select(Booking.slot_starts_at).where(Booking.id == str(booking_id)).scalar()
    return timeutil.from_db(found(starts_at, "Réservation introuvable.")).date()
