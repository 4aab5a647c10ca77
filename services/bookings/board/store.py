"""Queries of the read-only views: the staff's board (the day, who is in the building, a room's
week) and a person's calendar feed. Nothing here locks: they change nothing."""

from services.bookings.childcare.store import stored_days
from services.bookings.models import (
    RESERVATION_HELD,
    Activity,
    ActivityTrainee,
    ActivityVolunteer,
    Booking,
    Child,
    ChildcareSlot,
    ContractAttendance,
    Family,
    Room,
    RoomReservation,
)
from shared.timeutil import to_db
from shared.vocabulary import BOOKING_CONFIRMED


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


def activities_on(first_day, end_day, room=None):
    """Activities (any status) starting from `first_day` to before `end_day` (local dates), by start."""
    start, end = stored_days(first_day, end_day)
    select = Activity.select(Activity, Room).join(Room).where(Activity.starts_at >= start, Activity.starts_at < end)
    if room is not None:
        select = select.where(Activity.room == room)
    return list(select.order_by(Activity.starts_at, Activity.id))


def slots_on(first_day, end_day, room=None):
    """Slots starting from `first_day` to before `end_day` (local dates), by start then room."""
    select = ChildcareSlot.select(ChildcareSlot, Room).join(Room)
    start, end = stored_days(first_day, end_day)
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
    start, end = stored_days(first_day, end_day)
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
