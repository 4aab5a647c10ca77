"""Transactional outbox: events are written in the same transaction as the change they describe,
then a relay (`shared.outbox_relay`) publishes them to RabbitMQ and marks them sent.

Guarantees: an event is never lost once its transaction commits (a crash before publishing
leaves the row unsent; the relay's periodic sweep publishes it after restart, or once its lease
ends for a row a worker had handed over to the relay). It may be published more than once (crash
after publish, before marking sent): consumers are idempotent (shared.inbox). An event that some
service consumes is never given up: while it cannot be routed (its consumer's queue is missing)
it stays in the outbox, tried again with capped backoff, and counts as backlog (`backlog()`, the
health RPC). An event of a type no service consumes is marked `unconsumed_at` once the broker
returns it.
"""

import json
import weakref
from datetime import timedelta

from peewee import CharField, DateTimeField, IntegerField, Model, TextField, fn

from shared.db import Prepared, from_row, insert_of, inserted_id
from shared.events import check_outgoing
from shared.timeutil import db_now


def outbox_model(service_database):
    """The `outbox` table, bound to one service's database."""

    class OutboxEvent(Model):
        event_id = CharField(max_length=36, unique=True)
        event_type = CharField(max_length=100)
        correlation_id = CharField(max_length=128)
        body = TextField()  # the JSON envelope, exactly as it will be published
        created_at = DateTimeField(default=db_now)
        next_attempt_at = DateTimeField(default=db_now, index=True)
        published_at = DateTimeField(null=True, index=True)
        attempts = IntegerField(default=0)
        last_error = TextField(null=True)
        unconsumed_at = DateTimeField(null=True)  # returned unroutable and no service consumes the type

        class Meta:
            table_name = "outbox"
            database = service_database

    return OutboxEvent


def record_event(model, envelope, lease_seconds=None):
    """Insert one envelope into the outbox (call inside the transaction that made the change).

    The envelope is validated first, as its consumers will validate it: an invalid one (a
    correlation id too long, a payload off its contract) raises ValidationError and fails the
    transaction, rather than being committed and then dead-lettered by every consumer.
    The INSERT is built once per outbox table (shared/db.py, Prepared): every command records one.

    `lease_seconds`: the row is recorded already leased, due that much later, for the relay it
    is handed over to once committed (shared/unit_of_work.py): no claim takes it meanwhile, and
    if that relay's process dies first, a claim publishes it when the lease ends."""
    check_outgoing(envelope)
    now = db_now()
    row = {
        "event_id": envelope["event_id"],
        "event_type": envelope["type"],
        "correlation_id": envelope["correlation_id"],
        "body": json.dumps(envelope),
        "created_at": now,
        "next_attempt_at": now + timedelta(seconds=lease_seconds) if lease_seconds else now,
        "attempts": 0,
    }
    cursor = _insert_of(model).execute(**row)
    return from_row(model, dict(row, id=inserted_id(model._meta.database, cursor)))


_inserts = weakref.WeakKeyDictionary()  # outbox model -> its Prepared INSERT


def _insert_of(model):
    insert = _inserts.get(model)
    if insert is None:
        fields = [
            model.event_id,
            model.event_type,
            model.correlation_id,
            model.body,
            model.created_at,
            model.next_attempt_at,
            model.attempts,
        ]
        insert = _inserts[model] = Prepared(model, lambda database: insert_of(model, fields))
    return insert


def backlog(model):
    """What waits in one outbox, for the health RPC, `/metrics` and operators: unsent rows of
    consumed or not yet tried types by event type, the age of the oldest, and how many rows
    are kept as unconsumed (no service consumes their type: not a backlog)."""
    m = model
    unsent = m.select().where(m.published_at.is_null())
    pending = unsent.where(m.unconsumed_at.is_null())
    counts = pending.select(m.event_type, fn.COUNT(m.id).alias("count")).group_by(m.event_type).order_by(m.event_type)
    by_type = {row.event_type: row.count for row in counts}
    oldest = pending.order_by(m.created_at, m.id).first()
    return {
        "outbox_pending": sum(by_type.values()),
        "outbox_pending_by_type": by_type,
        "outbox_oldest_pending_seconds": (round((db_now() - oldest.created_at).total_seconds(), 3) if oldest else None),
        "outbox_unconsumed": unsent.where(m.unconsumed_at.is_null(False)).count(),
    }
