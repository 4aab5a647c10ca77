"""The queries of the export: every row of the person, never a page (the export is whole)."""

from services.bookings.models import (
    AbsenceCertificate,
    Activity,
    ActivityStaff,
    ActivityTrainee,
    ActivityVolunteer,
    AttendanceCorrection,
    Booking,
    ChildcareSlot,
    Clearance,
    Contract,
    ContractAbsence,
    ContractAttendance,
    Family,
    FamilyChange,
    Incident,
    PickupAdult,
    SepaMandate,
    SlotStaff,
    StaffMember,
)


def family(family_id):
    return Family.get_or_none(Family.id == family_id) if family_id else None


def bookings(family):
    return list(
        Booking.select()
        .where(Booking.family == family)
        .order_by(Booking.slot_starts_at, Booking.requested_at, Booking.id)
    )


def contracts(family):
    return list(Contract.select().where(Contract.family == family).order_by(Contract.starts_on, Contract.id))


def contract_attendances(contracts):
    if not contracts:
        return []
    query = ContractAttendance.select().where(ContractAttendance.contract.in_([c.id for c in contracts]))
    return list(query.order_by(ContractAttendance.day, ContractAttendance.id))


def attendance_corrections(bookings, contracts):
    """The corrections staff made to the family's check-ins and check-outs, oldest first."""
    booking_ids, contract_ids = [b.id for b in bookings], [c.id for c in contracts]
    if not booking_ids and not contract_ids:
        return []
    query = AttendanceCorrection.select().where(
        AttendanceCorrection.booking.in_(booking_ids or [""]) | AttendanceCorrection.contract.in_(contract_ids or [""])
    )
    return list(query.order_by(AttendanceCorrection.corrected_at, AttendanceCorrection.id))


def pickup_adults(child):
    """Every adult listed for the child, removed ones too (a past departure names them)."""
    return list(PickupAdult.select().where(PickupAdult.child == child).order_by(PickupAdult.created_at, PickupAdult.id))


def incidents(child):
    return list(Incident.select().where(Incident.child == child).order_by(Incident.occurred_at, Incident.id))


def family_changes(family):
    return list(
        FamilyChange.select().where(FamilyChange.family == family).order_by(FamilyChange.changed_at, FamilyChange.id)
    )


def mandates(family):
    return list(SepaMandate.select().where(SepaMandate.family == family).order_by(SepaMandate.number))


def activities_named(ids):
    """(activity, how) for every activity these ids lead or are named on, by start."""
    found = [(a, "lead") for a in Activity.select().where(Activity.lead_staff_id.in_(ids))]
    for model, field, how in (
        (ActivityStaff, ActivityStaff.staff_id, "staff"),
        (ActivityTrainee, ActivityTrainee.trainee_id, "trainee"),
        (ActivityVolunteer, ActivityVolunteer.volunteer_id, "volunteer"),
    ):
        found += [(row.activity, how) for row in model.select(model, Activity).join(Activity).where(field.in_(ids))]
    return sorted(found, key=lambda pair: (pair[0].starts_at, pair[0].id))


def slots_named(ids):
    query = ChildcareSlot.select().join(SlotStaff).where(SlotStaff.staff_id.in_(ids))
    return list(query.order_by(ChildcareSlot.starts_at, ChildcareSlot.id))


def staff_member(ids):
    return StaffMember.get_or_none(StaffMember.id.in_(ids))


def clearances(ids):
    query = Clearance.select().where(Clearance.person_id.in_(ids))
    return list(query.order_by(Clearance.last_day, Clearance.id))


def absence_certificates(contracts):
    """The certificates still kept for the absences of these contracts (health data: kept sealed)."""
    if not contracts:
        return []
    query = (
        AbsenceCertificate.select().join(ContractAbsence).where(ContractAbsence.contract.in_([c.id for c in contracts]))
    )
    return list(query.order_by(AbsenceCertificate.created_at, AbsenceCertificate.id))
