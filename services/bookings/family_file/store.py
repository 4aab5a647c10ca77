"""Queries of the family file kept by staff: the search, the history, the bookings a correction
follows (locked through the childcare store)."""

from peewee import SQL, NodeList, fn

from services.bookings.domain import family_file
from services.bookings.models import Booking, Child, ChildcareSlot, Family, FamilyChange, SepaMandate
from shared.errors import found
from shared.pagination import page
from shared.vocabulary import ACTIVE_BOOKING_STATUSES, BOOKING_CANCELLED


def families(page_query, pattern=None):
    """A page of families by email; `pattern`: a LIKE pattern on search_text (family_file.search_pattern)."""
    select = Family.select()
    if pattern:
        select = select.where(NodeList((Family.search_text, SQL("LIKE"), pattern, SQL("ESCAPE '\\'"))))
    return page(select, [Family.email, Family.id], page_query)


def children_of_families(families):
    """{family id: its children, eldest first} for these families, in one query."""
    children = {f.id: [] for f in families}
    if children:
        for child in Child.select().where(Child.family.in_(list(children))).order_by(Child.birth_date, Child.id):
            children[child.family_id].append(child)
    return children


def family_history(family, page_query):
    """A page of the family's changes, oldest first."""
    select = FamilyChange.select().where(FamilyChange.family == family)
    return page(select, [FamilyChange.changed_at, FamilyChange.id], page_query)


def record_changes(family, changed_by, changes, changed_at, child_id=None, effective_on=None):
    """One history row per (field, before, after) of `changes`, all at `changed_at` (naive UTC);
    `effective_on`: the day a fee figure's correction applies from."""
    for name, before, after in changes:
        FamilyChange.create(
            effective_on=effective_on if name in family_file.FEE_FIELDS else None,
            family=family,
            child_id=child_id,
            changed_at=changed_at,
            changed_by=changed_by,
            field=name,
            before=family_file.as_json(before),
            after=family_file.as_json(after),
        )


def family_of_child(child_id):
    """The id of a child's family (to lock the family before the child), or NotFound."""
    row = Child.select(Child.family).where(Child.id == str(child_id)).tuples().first()
    return found(row, "Enfant introuvable.")[0]


def future_bookings_of_family(family, now_stored):
    """Ids of the family's bookings (active, or cancelled: a late cancellation is billed) whose slot
    starts after `now_stored` (naive UTC), by start."""
    return _future_booking_ids(Booking.family == family, now_stored, (*ACTIVE_BOOKING_STATUSES, BOOKING_CANCELLED))


def future_bookings_of_child(child, now_stored):
    """Ids of the child's active bookings whose slot starts after `now_stored` (naive UTC), by start."""
    return _future_booking_ids(Booking.child == child, now_stored)


def _future_booking_ids(whose, now_stored, statuses=ACTIVE_BOOKING_STATUSES):
    return [
        booking_id
        for (booking_id,) in Booking.select(Booking.id)
        .join(ChildcareSlot)
        .where(whose, Booking.status.in_(statuses), ChildcareSlot.starts_at > now_stored)
        .order_by(ChildcareSlot.starts_at, Booking.id)
        .tuples()
    ]


# --- SEPA mandates -------------------------------------------------------------------------------
def active_mandate(family):
    """The family's active SepaMandate (at most one: its unique active_family), or None."""
    return SepaMandate.get_or_none(SepaMandate.active_family == family.id)


def last_mandate_number(family):
    """The number of the family's latest mandate, 0 before its first (the family is locked to add one)."""
    return SepaMandate.select(fn.MAX(SepaMandate.number)).where(SepaMandate.family == family).scalar() or 0


def active_mandates(family_ids):
    """{family id: its active SepaMandate} for these families, IBAN whole: for the bank file only."""
    ids = [str(family_id) for family_id in family_ids]
    if not ids:
        return {}
    return {m.active_family: m for m in SepaMandate.select().where(SepaMandate.active_family.in_(ids))}
