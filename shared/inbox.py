"""Idempotent consumer: the `inbox` table remembers which handler already applied which event."""

from peewee import CharField, CompositeKey, DateTimeField, IntegrityError, Model

from shared.timeutil import db_now


def inbox_model(service_database):
    """The `inbox` table, bound to one service's database."""

    class InboxEvent(Model):
        event_id = CharField(max_length=36)
        handler = CharField(max_length=100)
        event_type = CharField(max_length=100)
        processed_at = DateTimeField(default=db_now)

        class Meta:
            table_name = "inbox"
            database = service_database
            primary_key = CompositeKey("event_id", "handler")

    return InboxEvent


def claim(model, envelope, handler):
    """Record that `handler` applies this event; False when it already did (a duplicate delivery).

    Call inside the transaction that applies the event, so the mark and the effect commit
    together. Two concurrent deliveries of the same event: the second insert fails on the
    primary key (PostgreSQL makes it wait for the first to commit), so the effect happens once.
    """
    database = model._meta.database
    try:
        with database.atomic():  # a savepoint: the failed insert must not poison the outer transaction
            model.create(event_id=envelope["event_id"], handler=handler, event_type=envelope["type"])
    except IntegrityError:
        return False
    return True
