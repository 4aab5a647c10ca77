"""Volunteers service: registered volunteers and the activities they may join.

Thin entrypoints: load (store) -> check with the domain -> change -> record the event -> present.
"""

from nameko.rpc import rpc

from services.volunteers import models, presenters, store
from services.volunteers.domain import matching
from services.volunteers.schemas import OpportunityQuery, VolunteerIn
from services.volunteers.settings import Settings
from shared.commands import command
from shared.errors import Conflict, load
from shared.handlers import on_event
from shared.logs import CorrelationId
from shared.pagination import page_of_list
from shared.timeutil import from_db, now_utc
from shared.unit_of_work import UnitOfWork


class VolunteersService:
    name = "volunteers"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "volunteers", models.Outbox, models.Inbox)
    settings = Settings()

    @rpc
    def health(self):
        return self.uow.health(self.name)

    @command
    def register_volunteer(self, data):
        fields = load(VolunteerIn(), data)
        # exclusive: on SQLite no twin slips in between the check and the insert; on PostgreSQL
        # the unique email refuses it, answered as a Conflict on the email (shared/integrity.py)
        with self.uow.atomic(exclusive=True):
            if store.email_taken(fields["email"]):
                raise Conflict(
                    "Un bénévole est déjà inscrit avec cette adresse.", {"email": ["Adresse déjà utilisée."]}
                )
            volunteer = store.add_volunteer(fields)
            self.uow.emit(
                "volunteers.volunteer_registered",
                {"volunteer_id": volunteer.id, "first_name": volunteer.first_name, "email": volunteer.email},
            )
        return presenters.volunteer(volunteer)

    @rpc
    def get_volunteer(self, volunteer_id):
        return presenters.volunteer(store.volunteer(volunteer_id))

    @rpc
    def list_opportunities(self, volunteer_id, query=None):
        """A page of the ranking (shared/pagination.py): it is computed here, over the open
        activities not over yet (the calendar ahead, which does not grow with the past)."""
        q = load(OpportunityQuery(), query or {})
        volunteer = store.volunteer(volunteer_id)
        ranked = matching.rank(
            store.open_opportunities(after=now_utc()),
            volunteer.interests,
            volunteer.availability,
            local_start=lambda o: from_db(o.starts_at),
        )
        found = page_of_list(ranked, _rank_key, q)
        return found.answer(presenters.ranked_opportunities(found.rows))

    @on_event("bookings.activity_scheduled")
    def open_opportunity(self, event):
        p = event["payload"]
        store.add_opportunity(
            p["activity_id"], p["title"], p["kind"], p["room_name"], p["starts_at"], p["ends_at"], p["volunteer_slots"]
        )


def _rank_key(ranked):
    """The ranking's order, written as a cursor can carry it: best match, earliest, then the id
    (store.open_opportunities gives them by start and id, and the ranking's sort is stable)."""
    return (-ranked.match, ranked.opportunity.starts_at.isoformat(), ranked.opportunity.activity_id)
