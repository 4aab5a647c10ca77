"""A component database as it was before versioned migrations: no `schema_migrations`, and the
outbox's `abandoned_at` column with rows that relays of long ago gave up on."""

from datetime import datetime

from shared import migrations

GIVEN_UP_AT = datetime(2026, 1, 5, 8, 0)
LATER = datetime(2099, 1, 1)
NOBODY_LISTENS = "bookings.nobody_listens_to_this"


def consumed_type():
    from shared import topology

    return sorted(topology.consumed_event_types())[0]


def make_legacy(database):
    """Turn a migrated database back into one made before versioning, with three unsent outbox
    rows: given up of a type nobody consumes, given up of a consumed type, and one never given up."""
    database.execute_sql(f'DROP TABLE "{migrations.TABLE}"')
    database.execute_sql('ALTER TABLE "outbox" ADD COLUMN "abandoned_at" TIMESTAMP')
    p = database.param
    insert = (
        'INSERT INTO "outbox" (event_id, event_type, correlation_id, body, created_at, next_attempt_at, attempts, '
        f"abandoned_at) VALUES ({p}, {p}, 'c', '{{}}', {p}, {p}, 3, {p})"
    )
    database.execute_sql(insert, ("e-unconsumed", NOBODY_LISTENS, GIVEN_UP_AT, LATER, GIVEN_UP_AT))
    database.execute_sql(insert, ("e-consumed", consumed_type(), GIVEN_UP_AT, LATER, GIVEN_UP_AT))
    database.execute_sql(insert, ("e-pending", consumed_type(), GIVEN_UP_AT, LATER, None))


def outbox_rows(database):
    cursor = database.execute_sql('SELECT event_id, unconsumed_at, next_attempt_at FROM "outbox" ORDER BY event_id')
    return {event_id: (unconsumed_at, next_at) for event_id, unconsumed_at, next_at in cursor.fetchall()}
