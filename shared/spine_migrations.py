"""Migration steps of the spine's tables (outbox, inbox, tombstones, idempotency), which every
component's database has: each applies to every component listed in shared/components.py
(shared/migrations.py). A step finds the table as the models make it today on a new database."""

from peewee import Table

from shared.migrations import Step, has_column
from shared.timeutil import db_now


def drop_outbox_abandoned_at(database, models):
    """`outbox.abandoned_at`: relays of long ago gave up on an event nobody could receive and
    marked it so; since then the relay neither reads nor writes it (an unsent row is tried again,
    and one of a type no service consumes is marked `unconsumed_at` when the broker returns it).

    Its data first, as those relays' rows were settled before (shared/outbox_relay.py history):
    an unsent row given up, of a type no deployed service consumes, keeps the date it was given
    up as `unconsumed_at` (not published again for nothing); one of a consumed type is backlog,
    tried again now. Then the column goes."""
    if not has_column(database, "outbox", "abandoned_at"):  # a new database: the models have no such column
        return
    from shared import topology

    consumed = sorted(topology.consumed_event_types())
    outbox = Table(
        "outbox", ("id", "event_type", "published_at", "unconsumed_at", "abandoned_at", "next_attempt_at")
    ).bind(database)
    given_up = outbox.published_at.is_null() & outbox.abandoned_at.is_null(False) & outbox.unconsumed_at.is_null()
    outbox.update({outbox.unconsumed_at: outbox.abandoned_at}).where(
        given_up & outbox.event_type.not_in(consumed)
    ).execute()
    outbox.update({outbox.next_attempt_at: db_now()}).where(given_up & outbox.event_type.in_(consumed)).execute()
    database.execute_sql('ALTER TABLE "outbox" DROP COLUMN "abandoned_at"')


STEPS = [Step("20261207_drop_outbox_abandoned_at", drop_outbox_abandoned_at, retires=("outbox.abandoned_at",))]
