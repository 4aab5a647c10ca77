"""The placements service's tables (nobody else reads them), on the shared id-carrying base model.
Times are stored naive UTC (shared.timeutil).

Its own tables come with [8/12]: `class Thing(BaseModel): ...` (the string UUID `id` and
`created_at` come from the base), listed in MODELS with the spine's tables below.
"""

from peewee import DatabaseProxy

from shared.idempotency import idempotency_model
from shared.inbox import inbox_model
from shared.models import base_model
from shared.outbox import outbox_model
from shared.tombstones import tombstone_model

database = DatabaseProxy()
BaseModel = base_model(database)

Outbox = outbox_model(database)  # events emitted, published by the relay (shared/outbox.py)
Inbox = inbox_model(database)  # events applied, so a redelivery is skipped (shared/inbox.py)
Tombstone = tombstone_model(database)  # aggregates ended before they started (shared/tombstones.py)
Idempotency = idempotency_model(database)  # Idempotency-Key of commands (shared/idempotency.py)

MODELS = [Outbox, Inbox, Tombstone, Idempotency]
