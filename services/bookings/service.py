"""Bookings service: rooms and the venue calendar (childcare bookings come with issue [2/8])."""
from nameko.rpc import rpc

from services.bookings import models
from services.bookings.domain import calendar
from services.bookings.models import Activity, Room
from services.bookings.schemas import ActivityIn, ActivityOut, ActivityQuery, RoomIn, RoomOut
from shared.db import lock
from shared.errors import Conflict, Invalid, NotFound, load
from shared.logs import CorrelationId
from shared.timeutil import to_db
from shared.unit_of_work import UnitOfWork


class BookingsService:
    name = "bookings"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "bookings", models.Outbox, models.Inbox)

    @rpc
    def health(self):
        return self.uow.health(self.name)

    # --- rooms --------------------------------------------------------------------------
    @rpc
    def create_room(self, data):
        room = load(RoomIn(), data)
        with self.uow.atomic(exclusive=True):
            if Room.select().where(Room.name == room["name"]).exists():
                raise Conflict(f"Une salle s'appelle déjà « {room['name']} ».", {"name": ["Ce nom est déjà pris."]})
            created = Room.create(**room)
        return RoomOut().dump(created)

    @rpc
    def list_rooms(self):
        return RoomOut(many=True).dump(Room.select().order_by(Room.name))

    # --- activities ---------------------------------------------------------------------
    @rpc
    def schedule_activity(self, data):
        fields = load(ActivityIn(), data)
        errors = calendar.check_times(fields["starts_at"], fields["ends_at"])
        if errors:
            raise Invalid("Horaires invalides.", errors)
        starts_at, ends_at = to_db(fields["starts_at"]), to_db(fields["ends_at"])
        with self.uow.atomic(exclusive=True):
            room = lock(Room.select().where(Room.id == fields.pop("room_id"))).first()
            if room is None:
                raise Invalid("Salle inconnue.", {"room_id": ["Aucune salle avec cet identifiant."]})
            errors = calendar.check_capacity(fields["children_capacity"], room.capacity)
            if errors:
                raise Invalid("Capacité trop grande pour la salle.", errors)
            self._refuse_clash(room, starts_at, ends_at)
            activity = Activity.create(room=room, **dict(fields, starts_at=starts_at, ends_at=ends_at))
            out = ActivityOut().dump(activity)
            self.uow.emit("bookings.activity_scheduled", {
                "activity_id": activity.id, "title": activity.title, "kind": activity.kind,
                "room_id": room.id, "room_name": room.name,
                "starts_at": out["starts_at"], "ends_at": out["ends_at"],
                "children_capacity": activity.children_capacity,
                "volunteer_slots": activity.volunteer_slots, "trainee_slots": activity.trainee_slots,
            })
        return out

    @rpc
    def list_activities(self, query=None):
        q = load(ActivityQuery(), query or {})
        select = Activity.select(Activity, Room).join(Room).order_by(Activity.starts_at)
        if q["from_"]:
            select = select.where(Activity.ends_at > to_db(q["from_"]))
        if q["to"]:
            select = select.where(Activity.starts_at < to_db(q["to"]))
        return ActivityOut(many=True).dump(select)

    @rpc
    def get_activity(self, activity_id):
        activity = Activity.select(Activity, Room).join(Room).where(Activity.id == str(activity_id)).first()
        if activity is None:
            raise NotFound("Activité introuvable.")
        return ActivityOut().dump(activity)

    # --- helpers ------------------------------------------------------------------------
    def _refuse_clash(self, room, starts_at, ends_at, ignore_id=None):
        busy = (Activity.select()
                .where(Activity.room == room, Activity.status != "cancelled",
                       Activity.starts_at < ends_at, Activity.ends_at > starts_at))
        if ignore_id:
            busy = busy.where(Activity.id != ignore_id)
        occupations = [calendar.Occupation(a.starts_at, a.ends_at, f"l'activité « {a.title} »") for a in busy]
        clash = calendar.first_clash(starts_at, ends_at, occupations)
        if clash:
            raise Conflict(f"La salle « {room.name} » est déjà prise à ce moment par {clash.label}.",
                           {"room_id": [f"Occupée par {clash.label}."]})
