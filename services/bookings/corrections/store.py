"""Queries of the attendance corrections: the history of a booking or of a contract's day."""

from services.bookings.models import AttendanceCorrection, Booking, Child
from shared.errors import found


def record(corrected_by, reason, day, before, after, booking=None, contract=None, at=None):
    """One history row: (arrival, departure) `before` and `after`, stored naive UTC (or None)."""
    fields = {"corrected_at": at} if at else {}
    return AttendanceCorrection.create(
        booking=booking,
        contract=contract,
        day=day,
        corrected_by=corrected_by,
        arrived_before=before[0],
        left_before=before[1],
        arrived_after=after[0],
        left_after=after[1],
        reason=reason,
        **fields,
    )


def corrections_of_booking(booking):
    """The booking's corrections, oldest first."""
    return list(
        AttendanceCorrection.select()
        .where(AttendanceCorrection.booking == booking)
        .order_by(AttendanceCorrection.corrected_at, AttendanceCorrection.id)
    )


def corrections_of_contract_day(contract, day):
    """The corrections of a contract's day, oldest first."""
    return list(
        AttendanceCorrection.select()
        .where(AttendanceCorrection.contract == contract, AttendanceCorrection.day == day)
        .order_by(AttendanceCorrection.corrected_at, AttendanceCorrection.id)
    )


def booking(booking_id):
    """A booking with its slot and child, or NotFound."""
    return found(
        Booking.select(Booking, Child).join(Child).where(Booking.id == str(booking_id)).first(),
        "Réservation introuvable.",
    )
