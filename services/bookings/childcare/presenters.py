"""What childcare answers and tells: families, children, slots, bookings, fees and the monthly
statement through their Out schemas, and the payloads of the booking and check-in events.

A response may need values that are not columns (a booking's billing line, a child's walking
status today): the row is handed to its schema `Shown` with them, so the schema declares every
field of the answer and nothing is added to the dump afterwards.
"""

import json
from datetime import date

from services.bookings.domain import billing, contract_statement, emergency
from services.bookings.domain.walking import walking_status
from services.bookings.presenting import Shown, fr_day, fr_time, iso, shown_adult
from services.bookings.schemas.childcare import BookingOut, ChildOut, FamilyOut, QuoteOut, SlotOut, StatementOut
from services.bookings.schemas.values import exact_text
from shared.timeutil import as_utc, from_db

BOOKINGS_OUT = BookingOut(many=True)  # made once (every booking answers through it): a schema keeps no call's state


def family(family, children, settings):
    """`children`: store.children_of(family)."""
    return FamilyOut().dump(shown_family(family, children, settings))


def shown_family(family, children, settings):
    return Shown(family, guardians=json.loads(family.guardians), children=[shown_child(c, settings) for c in children])


def child(child, settings):
    return ChildOut().dump(shown_child(child, settings))


def shown_child(child, settings):
    status = walking_status(
        child.birth_date, date.today(), child.walking_override, child.walking_declared, settings.walking_age_months
    )
    return Shown(child, status=status)


def slots(slots, counts, staff):
    """`counts`: store.booking_counts(slots); `staff`: staffing.slot_staff(slots)."""
    return SlotOut(many=True).dump([shown_slot(s, counts[s.id], staff[s.id]) for s in slots])


def slot(slot, counts, staff):
    return slots([slot], counts, staff)[0]


def shown_slot(slot, counts, staff=()):
    """`staff`: the duty.Adult named on the slot, shown as on its day."""
    day = from_db(slot.starts_at).date()
    return Shown(
        slot,
        booked=counts.confirmed,
        waitlisted=counts.waitlisted,
        free=max(0, slot.places - counts.confirmed),
        staff=[shown_adult(adult, day) for adult in staff],
        unnamed_staff=slot.unnamed,
    )


def booking(booking, settings, positions=None):
    return bookings([booking], settings, positions)[0]


def bookings(bookings, settings, positions=None):
    """`positions`: {booking id: place on its slot's waiting list} (domain.waitlist.positions)."""
    positions = positions or {}
    return BOOKINGS_OUT.dump(
        [Shown(b, line=billing_line(b, settings), waitlist_position=positions.get(b.id)) for b in bookings]
    )


def billing_line(booking, settings):
    """A stored booking's billing line so far (domain.billing.line_so_far)."""
    slot = booking.slot
    return billing.line_so_far(
        as_utc(slot.starts_at),
        as_utc(slot.ends_at),
        as_utc(booking.checked_in_at),
        as_utc(booking.checked_out_at),
        booking.hourly_rate,
        bool(booking.cancelled_in_time),
        settings.billing_increment_minutes,
    )


def slot_price(hourly_rate, amount):
    """A slot's price for one family, written as every answer writes money and rates."""
    return {"hourly_rate": exact_text(hourly_rate), "amount": f"{amount:.2f}"}


_QUOTE_OUT = QuoteOut()  # made once, as QUOTE_QUERY (childcare/entrypoints.py)


def quote(quote):
    return _QUOTE_OUT.dump(quote)


def statement(family, month, bookings, contract_months, settings):
    """A family's month: its contracts' lines (`contract_months`: [(contract, ContractMonth)]),
    then every booking billed in it (store.billed_bookings), and the totals of both."""
    lines = [Shown(b, line=billing_line(b, settings), label=_booking_label(b)) for b in bookings]
    total = contract_statement.family_month(
        billing.statement(line.line for line in lines), [m for _, m in contract_months]
    )
    contract_lines = [
        Shown(line, contract_id=c.id, child_first_name=c.child.first_name)
        for c, m in contract_months
        for line in m.lines
    ]
    return StatementOut().dump(Shown(family, month=month, total=total, lines=lines, contract_lines=contract_lines))


def _booking_label(booking):
    start, end = from_db(booking.slot.starts_at), from_db(booking.slot.ends_at)
    label = f"Accueil occasionnel : {fr_day(start.date())}, {fr_time(start)} – {fr_time(end)}"
    return emergency.marked(label) if booking.emergency_rate else label


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


def booking_told(booking):
    """booking_fact, and the room the family's notification names (booking_confirmed,
    booking_waitlisted); no email nor first name: notifications asks `contact` when it sends."""
    return dict(booking_fact(booking), room_name=booking.slot.room.name)


def booking_promoted(booking, settings):
    """booking_fact, and what the family's notification needs: what, where, and whether the
    place may be declined without charge (a promotion inside the cancellation notice)."""
    slot = booking.slot
    inside_notice = billing.promoted_inside_notice(
        as_utc(booking.promoted_at), as_utc(slot.starts_at), settings.cancel_notice_hours
    )
    return dict(
        booking_fact(booking),
        room_name=slot.room.name,
        promoted_at=iso(booking.promoted_at),
        declinable_without_charge=inside_notice,
    )


def avip_places_released(slot, unfilled, promoted):
    return {
        "slot_id": slot.id,
        "starts_at": iso(slot.starts_at),
        "ends_at": iso(slot.ends_at),
        "places_released": unfilled,
        "promoted_booking_ids": [b.id for b in promoted],
    }


def booking_cancelled(booking):
    return dict(booking_told(booking), cancelled_in_time=booking.cancelled_in_time, was_status=booking.was_status)


def child_checked_in(booking):
    return {
        "booking_id": booking.id,
        "contract_id": None,
        "child_id": booking.child_id,
        "at": iso(booking.checked_in_at),
    }


def child_checked_out(booking):
    return {
        "booking_id": booking.id,
        "contract_id": None,
        "child_id": booking.child_id,
        "at": iso(booking.checked_out_at),
    }
