"""Queries and locking of regular care contracts: the contracts, the figures they are priced on,
their absences and attendances, and what else holds places on their days.

A row an entrypoint is about to change is loaded here with `shared.db.get_locked`, inside
`uow.atomic(exclusive=True)`: a concurrent change of the same row waits, then decides on what
the first one committed (a 409) instead of overwriting it. A missing row raises NotFound (or
Invalid when the caller named it in a field), with a French message.
Times: stored naive UTC in, stored naive UTC out; aware datetimes are converted at the door.
"""

from datetime import date

from services.bookings.childcare.store import stored_days
from services.bookings.domain.absences import STANDING, deducts
from services.bookings.models import (
    AbsenceCertificate,
    Booking,
    Child,
    ChildcareSlot,
    Contract,
    ContractAbsence,
    ContractAttendance,
    ContractResources,
    Room,
)
from shared.db import get_locked
from shared.errors import Invalid, found
from shared.pagination import page
from shared.vocabulary import BOOKING_CONFIRMED, CONTRACT_ACTIVE


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


def family_contracts_from(family, day):
    """The family's accepted contracts with a day on or after `day`."""
    return accepted_contracts_between(day, date.max, family)


def child_contract_between(child, first_day, last_day, exclude=None):
    """The child's active contract with a day in [first_day, last_day], other than `exclude`, or None."""
    return next(iter(active_contracts_between(first_day, last_day, exclude, child)), None)


def confirmed_between(first_day, end_day):
    """(starts_at, ends_at, avip) of the confirmed bookings in slots starting from first_day to
    before end_day (local dates), as stored."""
    start, end = stored_days(first_day, end_day)
    return list(
        Booking.select(ChildcareSlot.starts_at, ChildcareSlot.ends_at, Booking.avip)
        .join(ChildcareSlot)
        .where(Booking.status == BOOKING_CONFIRMED, Booking.slot_starts_at >= start, Booking.slot_starts_at < end)
        .tuples()
    )


def slots_between(first_day, end_day):
    start, end = stored_days(first_day, end_day)
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


def standing_absence_overlapping(contract, starts_on, ends_on):
    """Whether an absence still standing (requested or approved) covers a day of [starts_on, ends_on]:
    a refused or withdrawn one leaves its days free."""
    return (
        ContractAbsence.select()
        .where(
            ContractAbsence.contract == contract,
            ContractAbsence.status.in_(STANDING),
            ContractAbsence.starts_on <= ends_on,
            ContractAbsence.ends_on >= starts_on,
        )
        .exists()
    )


def approved_absences_of(contract):
    """The absences that deduct (approved), by date."""
    return [a for a in absences_of(contract) if deducts(a.status)]


def _absence_query(absence_id, family_id=None):
    select = (
        ContractAbsence.select(ContractAbsence, Contract, Child)
        .join(Contract)
        .join(Child)
        .where(ContractAbsence.id == str(absence_id))
    )
    return select.where(Contract.family == family_id) if family_id else select


def absence(absence_id, family_id=None):
    """An absence with its contract and child; another family's is not found."""
    return found(_absence_query(absence_id, family_id).first(), "Absence introuvable.")


def locked_absence(absence_id):
    """The absence, its contract locked first (parent before child, as the absence's recording
    locks the contract), then the absence itself."""
    contract_id = absence(absence_id).contract_id
    contract = locked_contract(contract_id)
    locked = get_locked(ContractAbsence.select().where(ContractAbsence.id == str(absence_id)))
    locked = found(locked, "Absence introuvable.")
    locked.contract = contract
    return locked


def absences(page_query, status=None):
    """A page of absences (staff's queue when `status` is "requested"), first day first, with
    their contract and child."""
    select = ContractAbsence.select(ContractAbsence, Contract, Child).join(Contract).join(Child)
    if status:
        select = select.where(ContractAbsence.status == status)
    return page(select, [ContractAbsence.starts_on, ContractAbsence.id], page_query)


def count_absences(status):
    return ContractAbsence.select().where(ContractAbsence.status == status).count()


def certificate(absence):
    """The absence's certificate row (its token loaded), or None."""
    return AbsenceCertificate.select().where(AbsenceCertificate.absence == absence).first()


def expired_certificates(decided_before):
    """Ids of the certificates of absences decided before `decided_before` (naive UTC)."""
    return list(
        AbsenceCertificate.select(AbsenceCertificate.id)
        .join(ContractAbsence)
        .where(ContractAbsence.decided_at.is_null(False), ContractAbsence.decided_at < decided_before)
        .tuples()
    )


def locked_certificate(certificate_id):
    return get_locked(
        AbsenceCertificate.select(AbsenceCertificate.id, AbsenceCertificate.absence).where(
            AbsenceCertificate.id == certificate_id
        )
    )
