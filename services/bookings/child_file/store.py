"""Queries of the child's file: the child, its health file, its pickup adults, its incidents, its
admission day (the first day booked or under contract)."""

from datetime import date

from peewee import Case, fn

from services.bookings.models import Booking, Child, ChildcareSlot, ChildHealth, Contract, Incident, PickupAdult
from shared.db import get_locked
from shared.errors import NotFound, found
from shared.pagination import page
from shared.timeutil import from_db
from shared.vocabulary import BOOKING_CONFIRMED, CONTRACT_ACTIVE, CONTRACT_ENDED


def child(child_id):
    return found(Child.get_or_none(Child.id == str(child_id)), "Enfant introuvable.")


def locked_child(child_id):
    return found(get_locked(Child.select().where(Child.id == str(child_id))), "Enfant introuvable.")


def health_of(child):
    """The child's ChildHealth, or None before its first health file."""
    return ChildHealth.get_or_none(ChildHealth.child == child)


def healths_of(child_ids):
    """{child id: ChildHealth} for those of these children that have one."""
    ids = [str(i) for i in child_ids]
    if not ids:
        return {}
    return {h.child_id: h for h in ChildHealth.select().where(ChildHealth.child.in_(ids))}


def admission_day(child):
    """The first day the child was booked (a confirmed booking, or one it came to) or under a
    signed contract; None before (domain/vaccinations.py, admission_day)."""
    return admitted_on(first_booked_start(child).scalar(), first_contract_day(child).scalar())


def first_booked_start(child):
    """The query of the earliest slot start of the child's confirmed or attended bookings (MIN);
    `child`: a Child, its id, or Child.id in a query that reads it along (childcare/store.py)."""
    return (
        ChildcareSlot.select(fn.MIN(ChildcareSlot.starts_at))
        .join(Booking)
        .where(Booking.child == child, (Booking.status == BOOKING_CONFIRMED) | Booking.checked_in_at.is_null(False))
    )


def first_contract_day(child):
    """The query of the first day of the child's signed contracts (active or ended) (MIN). The
    status is tested in the aggregate, not the WHERE: SQLite then finds the rows by the child's
    index, not by the status one (every active contract of the venue)."""
    signed = Case(None, [(Contract.status.in_((CONTRACT_ACTIVE, CONTRACT_ENDED)), Contract.starts_on)], None)
    return Contract.select(fn.MIN(signed)).where(Contract.child == child)


def admitted_on(first_slot, first_contract):
    """The admission day from what first_booked_start and first_contract_day found (None, a stored
    time or date, or its text as SQLite hands back an aggregate)."""
    days = (
        from_db(first_slot).date() if first_slot else None,
        date.fromisoformat(first_contract) if isinstance(first_contract, str) else first_contract,
    )
    return min([d for d in days if d is not None], default=None)


def pickup_adults(child, page_query):
    """A page of the adults the family lists now (not removed), first added first."""
    select = PickupAdult.select().where(PickupAdult.child == child, PickupAdult.removed_at.is_null())
    return page(select, [PickupAdult.created_at, PickupAdult.id], page_query)


def listed_adults(child):
    return list(
        PickupAdult.select()
        .where(PickupAdult.child == child, PickupAdult.removed_at.is_null())
        .order_by(PickupAdult.created_at, PickupAdult.id)
    )


def listed_adult(child, adult_id):
    """The adult listed now for the child, or None (removed, unknown, or another child's)."""
    return PickupAdult.get_or_none(
        PickupAdult.id == str(adult_id), PickupAdult.child == child, PickupAdult.removed_at.is_null()
    )


def locked_listed_adult(child, adult_id):
    select = PickupAdult.select().where(
        PickupAdult.id == str(adult_id), PickupAdult.child == child, PickupAdult.removed_at.is_null()
    )
    return found(get_locked(select), "Cet adulte n'est pas dans la liste de l'enfant.")


def incidents(child, page_query):
    """A page of the child's register, by the time of the facts then the line's id."""
    select = Incident.select().where(Incident.child == child)
    return page(select, [Incident.occurred_at, Incident.id], page_query)


def corrections_of(child):
    """{id of a corrected line: id of the line correcting it} for the child's register."""
    return {
        corrects: line_id
        for line_id, corrects in Incident.select(Incident.id, Incident.corrects)
        .where(Incident.child == child, Incident.corrects.is_null(False))
        .tuples()
    }


def incident_of(child, incident_id):
    line = Incident.get_or_none(Incident.id == str(incident_id), Incident.child == child)
    if line is None:
        raise NotFound("Cette ligne n'est pas dans le registre de l'enfant.", {"corrects": ["Ligne introuvable."]})
    return line
