"""What the bookings service answers and tells: responses dumped through the Out schemas of
schemas.py, and the payloads of its events.

A response may need values that are not columns (an activity's trainees, a booking's billing
line, a child's walking status today): the row is handed to its schema `Shown` with them, so
the schema declares every field of the answer and nothing is added to the dump afterwards.
"""

import json
from datetime import date

from services.bookings.domain import billing
from services.bookings.domain.walking import walking_status
from services.bookings.schemas import (
    ActivityOut,
    BookingOut,
    ChildOut,
    ChildWalkingOut,
    FamilyChangeOut,
    FamilyFileOut,
    FamilyOut,
    QuoteOut,
    RoomOut,
    SlotOut,
    StatementOut,
)
from shared.timeutil import as_utc, from_db


class Shown:
    """A row as its Out schema reads it: the values given here, then the row's own attributes."""

    def __init__(self, row, **values):
        self._row = row
        self.__dict__.update(values)

    def __getattr__(self, name):
        return getattr(self.__dict__["_row"], name)


# --- calendar ------------------------------------------------------------------------------------
def room(room):
    return RoomOut().dump(room)


def rooms(rooms):
    return RoomOut(many=True).dump(rooms)


def activity(activity, people):
    """`people`: store.people_of([activity])."""
    return activities([activity], people)[0]


def activities(activities, people):
    return ActivityOut(many=True).dump(
        [Shown(a, trainee_ids=people[a.id].trainee_ids, volunteer_ids=people[a.id].volunteer_ids) for a in activities]
    )


# --- childcare -----------------------------------------------------------------------------------
def family(family, children, settings):
    """`children`: store.children_of(family)."""
    return FamilyOut().dump(_family(family, children, settings))


def _family(family, children, settings):
    return Shown(family, guardians=json.loads(family.guardians), children=[_child(c, settings) for c in children])


def families(families, children, settings):
    """`children`: store.children_of_families(families), {family id: [Child]}."""
    return FamilyOut(many=True).dump([_family(f, children[f.id], settings) for f in families])


def family_file(family, children, repriced, settings):
    """After a correction: the family and `repriced`, [(Booking, hourly rate before)]."""
    shown = [Shown(b, hourly_rate_before=before) for b, before in repriced]
    return FamilyFileOut().dump(Shown(_family(family, children, settings), bookings_repriced=shown))


def family_history(changes):
    return FamilyChangeOut(many=True).dump(changes)


def child(child, settings):
    return ChildOut().dump(_child(child, settings))


def child_walking(child, settings, updated, to_review):
    """After staff set the walking status: `updated` booking ids, `to_review` [(Booking, reason, message)]."""
    review = [Shown(b, reason=reason, message=message) for b, reason, message in to_review]
    return ChildWalkingOut().dump(Shown(_child(child, settings), bookings_updated=updated, bookings_to_review=review))


def slots(slots, counts):
    """`counts`: store.booking_counts(slots)."""
    return SlotOut(many=True).dump([_slot(s, counts[s.id]) for s in slots])


def slot(slot, counts):
    return slots([slot], counts)[0]


def booking(booking, settings):
    return BookingOut().dump(Shown(booking, line=billing_line(booking, settings)))


def bookings(bookings, settings):
    return BookingOut(many=True).dump([Shown(b, line=billing_line(b, settings)) for b in bookings])


def quote(quote):
    return QuoteOut().dump(quote)


def statement(family, month, bookings, settings):
    """A family's month: every booking billed in it (store.billed_bookings) and the totals."""
    lines = [Shown(b, line=billing_line(b, settings)) for b in bookings]
    total = billing.statement(line.line for line in lines)
    return StatementOut().dump(Shown(family, month=month, total=total, lines=lines))


def billing_line(booking, settings):
    """A stored booking's billing line so far (domain.billing.line_so_far)."""
    slot = booking.slot
    return billing.line_so_far(
        as_utc(slot.starts_at),
        as_utc(slot.ends_at),
        _utc_or_none(booking.checked_in_at),
        _utc_or_none(booking.checked_out_at),
        booking.hourly_rate,
        bool(booking.cancelled_in_time),
        settings.billing_increment_minutes,
    )


def hhmm(stored):
    """A stored time as its hour in the venue's zone, for messages: 08:30."""
    return from_db(stored).strftime("%H:%M")


def _child(child, settings):
    status = walking_status(
        child.birth_date, date.today(), child.walking_override, child.walking_declared, settings.walking_age_months
    )
    return Shown(child, status=status)


def _slot(slot, counts):
    return Shown(
        slot, booked=counts.confirmed, waitlisted=counts.waitlisted, free=max(0, slot.places - counts.confirmed)
    )


def _utc_or_none(stored):
    return as_utc(stored) if stored else None


# --- event payloads (read from stored rows; the event names are written where they are emitted) ---
def iso(stored):
    """A stored time as events carry it: ISO 8601 in the venue's zone, with its offset."""
    return from_db(stored).isoformat() if stored else None


def activity_scheduled(activity):
    return {
        "activity_id": activity.id,
        "title": activity.title,
        "kind": activity.kind,
        "room_id": activity.room.id,
        "room_name": activity.room.name,
        "starts_at": iso(activity.starts_at),
        "ends_at": iso(activity.ends_at),
        "children_capacity": activity.children_capacity,
        "volunteer_slots": activity.volunteer_slots,
        "trainee_slots": activity.trainee_slots,
    }


def activity_rescheduled(activity, previous_starts_at, previous_ends_at):
    return {
        "activity_id": activity.id,
        "room_id": activity.room.id,
        "room_name": activity.room.name,
        "starts_at": iso(activity.starts_at),
        "ends_at": iso(activity.ends_at),
        "previous_starts_at": iso(previous_starts_at),
        "previous_ends_at": iso(previous_ends_at),
    }


def activity_completed(activity, people):
    """`people`: store.people_of([activity])."""
    return {
        "activity_id": activity.id,
        "kind": activity.kind,
        "started_at": iso(activity.started_at),
        "ended_at": iso(activity.ended_at),
        "trainee_ids": people[activity.id].trainee_ids,
        "volunteer_ids": people[activity.id].volunteer_ids,
    }


def trainee_assigned(activity, trainee_id):
    return {
        "activity_id": activity.id,
        "trainee_id": trainee_id,
        "starts_at": iso(activity.starts_at),
        "ends_at": iso(activity.ends_at),
    }


def booking_fact(booking):
    """The payload of booking_confirmed, booking_waitlisted and booking_promoted."""
    slot = booking.slot
    return {
        "booking_id": booking.id,
        "slot_id": slot.id,
        "child_id": booking.child_id,
        "family_id": booking.family_id,
        "starts_at": iso(slot.starts_at),
        "ends_at": iso(slot.ends_at),
        "avip": booking.avip,
    }


def booking_cancelled(booking):
    return dict(booking_fact(booking), cancelled_in_time=booking.cancelled_in_time, was_status=booking.was_status)


def family_file_corrected(family_id, changes, changed_by, child_id=None):
    """`changes`: [(field, before, after)] (domain.family_file.changes)."""
    return {
        "family_id": family_id,
        "changed_fields": [name for name, _before, _after in changes],
        "changed_by": changed_by,
        "child_id": child_id,
    }


def child_checked_in(booking):
    return {"booking_id": booking.id, "child_id": booking.child_id, "at": iso(booking.checked_in_at)}


def child_checked_out(booking):
    return {"booking_id": booking.id, "child_id": booking.child_id, "at": iso(booking.checked_out_at)}
