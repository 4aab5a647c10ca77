"""The volunteers service's own tables."""
import uuid

from peewee import CharField, DatabaseProxy, DateField, DateTimeField, IntegerField, Model, TextField

from shared.inbox import inbox_model
from shared.outbox import outbox_model
from shared.timeutil import db_now
from shared.tombstones import tombstone_model
from shared.idempotency import idempotency_model

database = DatabaseProxy()


class BaseModel(Model):
    created_at = DateTimeField(default=db_now)

    class Meta:
        database = database


class Volunteer(BaseModel):
    id = CharField(primary_key=True, max_length=36, default=lambda: str(uuid.uuid4()))
    email = CharField(max_length=254, unique=True)
    first_name = CharField(max_length=100)
    last_name = CharField(max_length=100)
    birth_date = DateField()
    phone = CharField(max_length=30)
    interests = TextField(default="[]")  # JSON list of activity kinds
    availability = TextField(default="[]")  # JSON list of {weekday, part}


class Opportunity(BaseModel):
    """An activity volunteers may join, as learned from bookings' events (never read from its tables)."""
    activity_id = CharField(primary_key=True, max_length=36)
    title = CharField(max_length=200)
    kind = CharField(max_length=40)
    room_name = CharField(max_length=100, null=True)
    starts_at = DateTimeField(index=True)  # naive UTC
    ends_at = DateTimeField()
    volunteer_slots = IntegerField()
    status = CharField(max_length=20, default="open")


Outbox = outbox_model(database)
Inbox = inbox_model(database)
Tombstone = tombstone_model(database)

Idempotency = idempotency_model(database)  # Idempotency-Key of commands (shared/idempotency.py)

MODELS = [Volunteer, Opportunity, Outbox, Inbox, Tombstone, Idempotency]
