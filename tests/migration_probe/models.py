"""The probe's tables: the spine's, as every service has them, and `note`."""

from peewee import CharField, DatabaseProxy

from shared.idempotency import idempotency_model
from shared.inbox import inbox_model
from shared.models import base_model
from shared.outbox import outbox_model
from shared.tombstones import tombstone_model

database = DatabaseProxy()
BaseModel = base_model(database)


class Note(BaseModel):
    text = CharField()


MODELS = [Note, outbox_model(database), inbox_model(database), tombstone_model(database), idempotency_model(database)]
