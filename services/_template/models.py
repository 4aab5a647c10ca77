"""The _template service's tables (nobody else reads them), on the shared id-carrying base model.
Times are stored naive UTC (shared.timeutil)."""

from peewee import DatabaseProxy

from shared.idempotency import idempotency_model
from shared.inbox import inbox_model
from shared.models import base_model
from shared.outbox import outbox_model
from shared.tombstones import tombstone_model

database = DatabaseProxy()  # bound by the UnitOfWork at start, by shared/migrate.py for `make migrate`
BaseModel = base_model(database)  # the service's own tables derive from it

Outbox = outbox_model(database)  # events emitted, published by the relay (shared/outbox.py)
Inbox = inbox_model(database)  # events applied, so a redelivery is skipped (shared/inbox.py)
Tombstone = tombstone_model(database)  # aggregates ended before they started (shared/tombstones.py)
Idempotency = idempotency_model(database)  # Idempotency-Key of commands (shared/idempotency.py)

MODELS = [Outbox, Inbox, Tombstone, Idempotency]  # every table, for shared/migrate.py: add the service's own
