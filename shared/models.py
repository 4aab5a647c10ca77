"""What every service's tables stand on: a base model (a string UUID id and a creation time), the
spine tables each service keeps beside its own, and a JSON column.

database = DatabaseProxy()
BaseModel = base_model(database)

class Room(BaseModel):
    name = CharField(max_length=100, unique=True)

Outbox, Inbox, Tombstone, Idempotency = SPINE = spine_models(database)
MODELS = [Room, *SPINE]
"""

import json
import uuid

from peewee import CharField, DateTimeField, Model, TextField

from shared.idempotency import idempotency_model
from shared.inbox import inbox_model
from shared.outbox import outbox_model
from shared.timeutil import db_now
from shared.tombstones import tombstone_model


def new_id():
    return str(uuid.uuid4())


def base_model(service_database):
    """A base class whose tables live in `service_database` (a service's DatabaseProxy)."""

    class BaseModel(Model):
        id = CharField(primary_key=True, max_length=36, default=new_id)
        created_at = DateTimeField(default=db_now)

        class Meta:
            database = service_database

    return BaseModel


def spine_models(service_database):
    """The outbox (events emitted, shared/outbox.py), the inbox (events applied, shared/inbox.py),
    the tombstones (aggregates ended, shared/tombstones.py) and the Idempotency-Keys of commands
    (shared/idempotency.py), bound to one service's database, in that order."""
    return (
        outbox_model(service_database),
        inbox_model(service_database),
        tombstone_model(service_database),
        idempotency_model(service_database),
    )


class JsonField(TextField):
    """A list or an object kept as JSON text: the column stays TEXT on SQLite and PostgreSQL alike."""

    def db_value(self, value):
        return None if value is None else json.dumps(value)

    def python_value(self, value):
        return None if value is None else json.loads(value)
