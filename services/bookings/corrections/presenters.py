"""What the attendance corrections answer and tell: a day's attendance with its history, and the
payload of bookings.attendance_corrected."""

from services.bookings.presenting import Shown, iso
from services.bookings.schemas.corrections import AttendanceRecordOut


def booking_attendance(booking, day, corrections):
    return AttendanceRecordOut().dump(
        Shown(
            booking,
            booking_id=booking.id,
            contract_id=None,
            child_first_name=booking.child.first_name,
            day=day,
            arrived_at=booking.checked_in_at,
            left_at=booking.checked_out_at,
            corrections=corrections,
        )
    )


def contract_attendance(contract, day, noted, corrections):
    """`noted`: the ContractAttendance of the day, or None (the child did not come, or it was removed)."""
    return AttendanceRecordOut().dump(
        Shown(
            contract,
            booking_id=None,
            contract_id=contract.id,
            child_first_name=contract.child.first_name,
            day=day,
            arrived_at=noted.arrived_at if noted else None,
            left_at=noted.left_at if noted else None,
            collected_by=noted.collected_by if noted else None,
            corrections=corrections,
        )
    )


def attendance_corrected(correction, child_id, family_id):
    return {
        "correction_id": correction.id,
        "booking_id": correction.booking_id,
        "contract_id": correction.contract_id,
        "child_id": child_id,
        "family_id": family_id,
        "day": correction.day.isoformat(),
        "arrived_before": iso(correction.arrived_before) if correction.arrived_before else None,
        "left_before": iso(correction.left_before) if correction.left_before else None,
        "arrived_at": iso(correction.arrived_after) if correction.arrived_after else None,
        "left_at": iso(correction.left_after) if correction.left_after else None,
        "reason": correction.reason,
        "corrected_by": correction.corrected_by,
    }
