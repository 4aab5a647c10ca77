"""The volunteers service's tables (nobody else reads them), on the shared id-carrying base model.
Times are naive UTC (shared.timeutil)."""

import json

from peewee import CharField, DatabaseProxy, DateField, DateTimeField, IntegerField, TextField

from shared.idempotency import idempotency_model
from shared.inbox import inbox_model
from shared.models import base_model
from shared.outbox import outbox_model
from shared.tombstones import tombstone_model

database = DatabaseProxy()
BaseModel = base_model(database)

OPEN = "open"  # the one status an opportunity takes today


class JsonListField(TextField):
    """A list kept as JSON text: the column stays TEXT on SQLite and PostgreSQL alike."""

    def db_value(self, value):
        return None if value is None else json.dumps(value)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class Volunteer(BaseModel):
    email = CharField(max_length=254, unique=True)
    first_name = CharField(max_length=100)
    last_name = CharField(max_length=100)
    birth_date = DateField()
    phone = CharField(max_length=30)
    interests = JsonListField(default=list)  # activity kinds (shared.vocabulary.ACTIVITY_KINDS)
    availability = JsonListField(default=list)  # [{weekday, part}] (domain.matching)


class Opportunity(BaseModel):
    """An activity volunteers may join, as learned from bookings' events (never read from its tables).

    Its key is bookings' activity id: declaring another primary key makes peewee leave out the
    base model's `id` (the table is as before [4/12], no migration). `Opportunity.id` is then the
    base model's field, not a column of this table: use `activity_id`."""

    activity_id = CharField(primary_key=True, max_length=36)
    title = CharField(max_length=200)
    kind = CharField(max_length=40)
    room_name = CharField(max_length=100, null=True)
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField()
    volunteer_slots = IntegerField()
    status = CharField(max_length=20, default=OPEN)


Outbox = outbox_model(database)
Inbox = inbox_model(database)
Tombstone = tombstone_model(database)
Idempotency = idempotency_model(database)  # Idempotency-Key of commands (shared/idempotency.py)

MODELS = [Volunteer, Opportunity, Outbox, Inbox, Tombstone, Idempotency]
