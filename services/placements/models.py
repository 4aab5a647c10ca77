"""The placements service's own tables (its domain tables come with its issue)."""
from peewee import DatabaseProxy

from shared.inbox import inbox_model
from shared.outbox import outbox_model
from shared.tombstones import tombstone_model
from shared.idempotency import idempotency_model

database = DatabaseProxy()

Outbox = outbox_model(database)
Inbox = inbox_model(database)
Tombstone = tombstone_model(database)

Idempotency = idempotency_model(database)  # Idempotency-Key of commands (shared/idempotency.py)

MODELS = [Outbox, Inbox, Tombstone, Idempotency]
