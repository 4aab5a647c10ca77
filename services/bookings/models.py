"""The bookings service's own tables (nobody else reads them)."""
import uuid

from peewee import CharField, DatabaseProxy, DateTimeField, ForeignKeyField, IntegerField, Model, TextField

from shared.inbox import inbox_model
from shared.outbox import outbox_model, utcnow

database = DatabaseProxy()


def new_id():
    return str(uuid.uuid4())


class BaseModel(Model):
    id = CharField(primary_key=True, max_length=36, default=new_id)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        database = database


class Room(BaseModel):
    name = CharField(max_length=100, unique=True)
    kind = CharField(max_length=20)
    capacity = IntegerField()


class Activity(BaseModel):
    title = CharField(max_length=200)
    kind = CharField(max_length=40)
    room = ForeignKeyField(Room, backref="activities", on_delete="RESTRICT")
    starts_at = DateTimeField(index=True)  # naive UTC
    ends_at = DateTimeField(index=True)
    children_capacity = IntegerField()
    volunteer_slots = IntegerField()
    trainee_slots = IntegerField()
    age_group = CharField(max_length=20, null=True)
    notes = TextField(default="")
    status = CharField(max_length=20, default="scheduled")  # scheduled | cancelled | completed
    cancel_reason = TextField(null=True)
    volunteers_confirmed = IntegerField(default=0)


Outbox = outbox_model(database)
Inbox = inbox_model(database)

MODELS = [Room, Activity, Outbox, Inbox]
