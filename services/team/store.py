"""The team service's queries and locks (shared.db.get_locked): the only module, with models.py,
that speaks peewee. A missing thing raises shared.errors.NotFound with a French message."""

from services.team.models import Honorability, StaffMember
from shared import pagination
from shared.db import get_locked
from shared.errors import found

NOT_FOUND = "Membre de l'équipe introuvable."


def member(staff_id):
    return found(StaffMember.get_or_none(StaffMember.id == str(staff_id)), NOT_FOUND)


def locked_member(staff_id):
    return found(get_locked(StaffMember.select().where(StaffMember.id == str(staff_id))), NOT_FOUND)


def email_taken(email):
    """Inside `uow.atomic(exclusive=True)`; the unique index decides between two at once anyway."""
    return StaffMember.select().where(StaffMember.email == email.lower()).exists()


def add_member(fields):
    return StaffMember.create(**{**fields, "email": fields["email"].lower()})


def members(query):
    select = StaffMember.select()
    if query.get("active") is not None:
        select = select.where(StaffMember.active == query["active"])
    return pagination.page(select, [StaffMember.last_name, StaffMember.first_name, StaffMember.id], query)


def headcount():
    """How many staff members still work at the venue (the host's staff for the trainee quota)."""
    return StaffMember.select().where(StaffMember.active == True).count()  # noqa: E712 (peewee)


def all_members():
    return list(StaffMember.select().order_by(StaffMember.last_name, StaffMember.first_name, StaffMember.id))


def referents():
    """(active, health_referent) of every member, for domain.staff.referent_missing."""
    return [(m.active, m.health_referent) for m in StaffMember.select(StaffMember.active, StaffMember.health_referent)]


# --- honorability --------------------------------------------------------------------------------
def _latest_first(select):
    return select.order_by(Honorability.verified_on.desc(), Honorability.created_at.desc(), Honorability.id.desc())


def current_attestation(staff_id):
    """The latest verified attestation, or None."""
    return _latest_first(Honorability.select().where(Honorability.staff_id == str(staff_id))).first()


def current_attestations(staff_ids=None):
    """{staff_id: latest verified attestation} (of these members, or of all)."""
    select = Honorability.select()
    if staff_ids is not None:
        select = select.where(Honorability.staff_id.in_([str(s) for s in staff_ids]))
    latest = {}
    for row in _latest_first(select):
        latest.setdefault(row.staff_id, row)
    return latest


def add_attestation(staff_id, issued_on, verified_on, verified_by):
    return Honorability.create(
        staff_id=str(staff_id), issued_on=issued_on, verified_on=verified_on, verified_by=str(verified_by)
    )


def locked_attestation(attestation_id):
    return get_locked(Honorability.select().where(Honorability.id == attestation_id))
