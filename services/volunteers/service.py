"""Volunteers service: registered volunteers and the activities they may join."""
import json

from nameko.rpc import rpc

from services.volunteers import domain, models
from services.volunteers.models import Opportunity, Volunteer
from services.volunteers.schemas import VolunteerIn, VolunteerOut
from shared.commands import command
from shared.errors import Conflict, NotFound, load
from shared.handlers import on_event
from shared.logs import CorrelationId
from shared.timeutil import from_db, now_utc, to_db
from shared.unit_of_work import UnitOfWork


class VolunteersService:
    name = "volunteers"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "volunteers", models.Outbox, models.Inbox)

    @rpc
    def health(self):
        return self.uow.health(self.name)

    @command
    def register_volunteer(self, data):
        fields = load(VolunteerIn(), data)
        fields["interests"] = json.dumps(fields["interests"])
        fields["availability"] = json.dumps(fields["availability"])
        if not fields["id"]:
            fields.pop("id")
        with self.uow.atomic(exclusive=True):
            if Volunteer.select().where(Volunteer.email == fields["email"]).exists():
                raise Conflict("Un bénévole est déjà inscrit avec cette adresse.", {"email": ["Adresse déjà utilisée."]})
            volunteer = Volunteer.create(**fields)
            self.uow.emit("volunteers.volunteer_registered",
                          {"volunteer_id": volunteer.id, "first_name": volunteer.first_name})
        return self._out(volunteer)

    @rpc
    def get_volunteer(self, volunteer_id):
        volunteer = Volunteer.get_or_none(Volunteer.id == str(volunteer_id))
        if volunteer is None:
            raise NotFound("Bénévole introuvable.")
        return self._out(volunteer)

    @rpc
    def list_opportunities(self, volunteer_id):
        volunteer = Volunteer.get_or_none(Volunteer.id == str(volunteer_id))
        if volunteer is None:
            raise NotFound("Bénévole introuvable.")
        upcoming = (Opportunity.select()
                    .where(Opportunity.status == "open", Opportunity.ends_at > to_db(now_utc())))
        items = [{
            "activity_id": o.activity_id, "title": o.title, "kind": o.kind, "room_name": o.room_name,
            "starts_at": from_db(o.starts_at), "ends_at": from_db(o.ends_at),
            "volunteer_slots": o.volunteer_slots, "status": o.status,
        } for o in upcoming]
        ranked = domain.rank(items, json.loads(volunteer.interests), json.loads(volunteer.availability))
        for item in ranked:
            item["starts_at"], item["ends_at"] = item["starts_at"].isoformat(), item["ends_at"].isoformat()
        return ranked

    @on_event("bookings.activity_scheduled")
    def open_opportunity(self, event):
        p = event["payload"]
        Opportunity.create(
            activity_id=p["activity_id"], title=p["title"], kind=p["kind"], room_name=p["room_name"],
            starts_at=to_db(p["starts_at"]), ends_at=to_db(p["ends_at"]),
            volunteer_slots=p["volunteer_slots"], status="open",
        )

    @staticmethod
    def _out(volunteer):
        out = VolunteerOut().dump(volunteer)
        out["interests"] = json.loads(volunteer.interests)
        out["availability"] = json.loads(volunteer.availability)
        return out
