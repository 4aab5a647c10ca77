"""The volunteers service's queries: the only place, with models.py, that speaks peewee.
A missing thing raises NotFound with a French message."""

from services.volunteers.models import OPEN, Opportunity, Volunteer
from shared.errors import found
from shared.timeutil import to_db


def volunteer(volunteer_id):
    return found(Volunteer.get_or_none(Volunteer.id == str(volunteer_id)), "Bénévole introuvable.")


def email_taken(email):
    """Inside `uow.atomic(exclusive=True)` (see register_volunteer)."""
    return Volunteer.select().where(Volunteer.email == email).exists()


def add_volunteer(fields):
    """`fields` as VolunteerIn loads them; without an id (None) the base model draws one."""
    if fields.get("id") is None:
        fields = {name: value for name, value in fields.items() if name != "id"}
    return Volunteer.create(**fields)


def open_opportunities(after):
    """Open activities not over at `after` (aware), by start then id."""
    return (
        Opportunity.select()
        .where(Opportunity.status == OPEN, Opportunity.ends_at > to_db(after))
        .order_by(Opportunity.starts_at, Opportunity.activity_id)
    )


def add_opportunity(activity_id, title, kind, room_name, starts_at, ends_at, volunteer_slots):
    """`starts_at`, `ends_at` aware."""
    return Opportunity.create(
        activity_id=activity_id,
        title=title,
        kind=kind,
        room_name=room_name,
        starts_at=to_db(starts_at),
        ends_at=to_db(ends_at),
        volunteer_slots=volunteer_slots,
        status=OPEN,
    )
