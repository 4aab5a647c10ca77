"""Staff correct a check-in or check-out (a booking, or a contract's day), with a reason; each
correction is kept (who, when, before -> after, why). The statement is computed from the times
on file (billing.py, extra_lines.py), so it follows at once.

Each correction: load, locked (the booking; or the contract, then its day's attendance) -> check
(domain/corrections.py) -> change -> one history row -> the event -> answer, in one
transaction. `corrected_by` is the staff account id the gateway passes (services/gateway/api/
corrections.py).
"""

from datetime import timedelta, timezone

from services.bookings.child_file import care_checks
from services.bookings.childcare import store as childcare_store
from services.bookings.contracts import store as contracts_store
from services.bookings.corrections import presenters, store
from services.bookings.domain import absences, attendance, corrections
from services.bookings.models import ContractAttendance
from services.bookings.schemas.corrections import AttendanceCorrectionIn, AttendanceDayIn
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Forbidden, Invalid, load
from shared.timeutil import as_utc, from_db, to_db
from shared.vocabulary import CONTRACT_REQUESTED

STAFF_ONLY = "Seule l'équipe peut corriger une arrivée ou un départ."
INVALID = "La correction n'est pas valide."
NOBODY_COLLECTED = "Indiquez qui est venu chercher l'enfant : un responsable ou un adulte autorisé par la famille."


class AttendanceCorrectionsRpc:
    @command
    def correct_booking_attendance(self, booking_id, data, corrected_by=None):
        """Staff correct the arrival and departure of a confirmed booking."""
        wanted = _wanted(data, corrected_by)
        now = timeutil.now_utc()
        with self.uow.atomic(exclusive=True):
            booking = childcare_store.locked_booking(booking_id)
            if not attendance.is_attendable(booking.status):
                raise Conflict("Seule une réservation confirmée a des arrivées et départs à corriger.")
            day = from_db(booking.slot.starts_at).date()
            before = (as_utc(booking.checked_in_at), as_utc(booking.checked_out_at))
            after = _checked(day, wanted, before, now)
            booking.collected_by = _collector(booking.child, booking.family, wanted, booking.collected_by, after)
            booking.checked_in_at, booking.checked_out_at = (to_db(t) if t else None for t in after)
            booking.save()
            correction = store.record(
                corrected_by, wanted["reason"], day, _stored(before), _stored(after), booking=booking, at=to_db(now)
            )
            self.uow.emit(
                "bookings.attendance_corrected",
                presenters.attendance_corrected(correction, booking.child_id, booking.family_id),
            )
        return presenters.booking_attendance(booking, day, store.corrections_of_booking(booking))

    @command
    def correct_contract_attendance(self, contract_id, day, data, corrected_by=None):
        """Staff correct a contract child's arrival and departure of one day (both null: removed)."""
        day = load(AttendanceDayIn(), {"day": day})["day"]
        wanted = _wanted(data, corrected_by)
        now = timeutil.now_utc()
        with self.uow.atomic(exclusive=True):
            contract = contracts_store.locked_contract(contract_id)
            if contract.status == CONTRACT_REQUESTED or not contract.starts_on <= day <= contract.last_day:
                raise Conflict("Ce contrat ne couvre pas ce jour : l'enfant n'y est pas accueilli.")
            noted = contracts_store.locked_attendance(contract, day)
            before = (as_utc(noted.arrived_at), as_utc(noted.left_at)) if noted else (None, None)
            after = _checked(day, wanted, before, now)
            if after[0] and any(
                day in absences.deducted_days(a.reason, a.starts_on, a.ends_on)
                for a in contracts_store.absences_of(contract)
            ):
                raise Conflict("Une absence déduite est déclarée ce jour-là : corrigez-la d'abord.")
            collected = _collector(
                contract.child, contract.family, wanted, noted.collected_by if noted else None, after
            )
            noted = _write_attendance(contract, day, noted, after, collected)
            correction = store.record(
                corrected_by, wanted["reason"], day, _stored(before), _stored(after), contract=contract, at=to_db(now)
            )
            self.uow.emit(
                "bookings.attendance_corrected",
                presenters.attendance_corrected(correction, contract.child_id, contract.family_id),
            )
        return presenters.contract_attendance(contract, day, noted, store.corrections_of_contract_day(contract, day))

    @rpc
    def booking_attendance(self, booking_id):
        """A booking's arrival and departure as on file, with their corrections."""
        booking = store.booking(booking_id)
        day = from_db(booking.slot.starts_at).date()
        return presenters.booking_attendance(booking, day, store.corrections_of_booking(booking))

    @rpc
    def contract_attendance(self, contract_id, day):
        """A contract child's arrival and departure of one day as on file, with their corrections."""
        day = load(AttendanceDayIn(), {"day": day})["day"]
        contract = contracts_store.contract(contract_id)
        noted = next(iter(contracts_store.attendances_of(contract, day, day + timedelta(days=1))), None)
        return presenters.contract_attendance(contract, day, noted, store.corrections_of_contract_day(contract, day))


def _wanted(data, corrected_by):
    wanted = load(AttendanceCorrectionIn(), data)
    if not corrected_by:
        raise Forbidden(STAFF_ONLY)
    wanted["reason"] = wanted["reason"].strip()
    return wanted


def _checked(day, wanted, before, now):
    """The corrected (arrival, departure), aware, once the domain accepts them (else a 422)."""
    after = (wanted["arrived_at"], wanted["left_at"])
    errors = corrections.correction_errors(day, *after, now, timeutil.VENUE_TZ)
    if errors:
        raise Invalid(INVALID, errors)
    after = tuple(t.astimezone(timezone.utc) if t else None for t in after)
    if not corrections.changes_anything(before, after):
        raise Invalid(corrections.NOTHING_CHANGES, {"arrived_at": [corrections.NOTHING_CHANGES]})
    return after


def _collector(child, family, wanted, recorded, after):
    """Who collected the child, as the corrected departure records it: none without a departure;
    the one given, once a guardian or a listed adult whose identity was checked (else 409, as at
    check-out: child_file/care_checks.py); else the one already on file; a departure added with
    nobody named is refused (422)."""
    if after[1] is None:
        return None
    if wanted["collected_by"] is not None:
        return care_checks.collected_by(child, family, wanted["collected_by"])
    if recorded:
        return recorded
    raise Invalid(INVALID, {"collected_by": [NOBODY_COLLECTED]})


def _stored(times):
    return tuple(to_db(t) if t else None for t in times)


def _write_attendance(contract, day, noted, after, collected_by):
    """The day's attendance row with the corrected times and who collected the child: created,
    changed, or removed (no arrival)."""
    arrived, left = _stored(after)
    if arrived is None:
        if noted:
            noted.delete_instance()
        return None
    if noted is None:
        return ContractAttendance.create(
            contract=contract, day=day, arrived_at=arrived, left_at=left, collected_by=collected_by
        )
    noted.arrived_at, noted.left_at, noted.collected_by = arrived, left, collected_by
    noted.save()
    return noted
