"""Tombstones: events of one aggregate applied in any order give the same final state.

Events about one aggregate (a sign-up, a session) travel on separate queues, and a retried
event comes back seconds later, so the event that ends an aggregate (`signup_withdrawn`,
`session_cancelled`) may arrive before the one that starts it (`signup_confirmed`,
`room_reservation_requested`). The ending handler buries the aggregate's key; the starting
handler asks whether it is buried and, if so, applies nothing:

    @on_event("volunteers.signup_withdrawn", exclusive=True)
    def uncount_volunteer(self, event):
        bury(Tombstone, "volunteers.signup", signup_id, event)      # first: takes the lock
        ActivityVolunteer.delete()...                                 # then undo what was done

    @on_event("volunteers.signup_confirmed", exclusive=True)
    def count_volunteer(self, event):
        if is_buried(Tombstone, "volunteers.signup", signup_id):    # first: takes the lock
            return                                                    # ended already: nothing to do
        ActivityVolunteer.create(...)

Both calls first serialise the handlers of that one aggregate until the transaction ends
(PostgreSQL: a transaction-level advisory lock on (kind, key); SQLite: the write transaction
already admits one writer at a time), so a withdrawal racing its confirmation either sees
the counted row and deletes it, or leaves a tombstone the confirmation then sees.

A tombstone is final: an aggregate that ended never starts again under the same key (a
volunteer who joins again makes a new sign-up). Tombstones are kept, like inbox rows.
"""

from peewee import CharField, CompositeKey, DateTimeField, Model

from shared.db import lock_key
from shared.timeutil import db_now


def tombstone_model(service_database):
    """The `tombstone` table, bound to one service's database."""

    class Tombstone(Model):
        kind = CharField(max_length=60)  # the aggregate's kind, named by its source: "volunteers.signup"
        key = CharField(max_length=100)  # its id in that source
        event_id = CharField(max_length=36)  # the event that ended it
        event_type = CharField(max_length=100)
        buried_at = DateTimeField(default=db_now)

        class Meta:
            table_name = "tombstone"
            database = service_database
            primary_key = CompositeKey("kind", "key")

    return Tombstone


def hold(model, kind, key):
    """Wait for, then keep until this transaction ends, the right to decide on this aggregate
    (the handler runs in `@on_event(..., exclusive=True)`)."""
    lock_key(model._meta.database, kind, key)


def is_buried(model, kind, key):
    """True when an event already ended this aggregate: apply nothing that would start it."""
    hold(model, kind, key)
    return model.select().where(model.kind == kind, model.key == str(key)).exists()


def bury(model, kind, key, event):
    """Mark the aggregate ended by `event` (a validated envelope); False when it already was."""
    if is_buried(model, kind, key):
        return False
    model.create(kind=kind, key=str(key), event_id=event["event_id"], event_type=event["type"])
    return True
