"""`make migrate`: create each component's tables in its own database, and declare every
service's event queues on the broker (both safe to run again).

Run as `python -m shared.migrate [component ...]`. Tables are created only when missing, new
columns and indexes added to existing tables; a later change of schema that needs more gets a
written step (here, or a service's `models.after_migrate()`), never a silent change at import.
"""

import importlib
import sys
import time

from peewee import sort_models
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run_migrations

from shared import components, config, db, settings, spine_settings

COMPONENTS = components.COMPONENT_NAMES


def migrate(component, url=None):
    models = importlib.import_module(components.named(component).models_module)
    return migrate_models(models, component, url)


def migrate_models(models, component, url=None):
    """One models module (its `database` proxy, `MODELS`, optional `after_migrate()`) into its database:
    the URL given, else `<COMPONENT>_DATABASE_URL`. Returns the URL."""
    url = db.bind(models.database, component, url)
    with models.database.connection_context():
        for model in sort_models(models.MODELS):  # tables first, their indexes once every column is there
            model._schema.create_table(safe=True)
        add_missing_columns(models.database, models.MODELS)
        if hasattr(models, "after_migrate"):  # the service's written steps (backfills)
            models.after_migrate()
        add_missing_indexes(models.MODELS)
    return url


def add_missing_indexes(model_classes):
    """Every index of the models (Meta.indexes, index=True), created when missing (IF NOT EXISTS).

    Only after add_missing_columns: on SQLite an index naming a column the table lacks yet is not
    refused, its "column" is read as a string constant (double-quoted identifiers fall back to
    literals), and the index then answers that constant for every row. peewee's create_tables
    makes the indexes with the tables, so it is not used here."""
    for model in model_classes:
        model._schema.create_indexes(safe=True)


def add_missing_columns(database, model_classes):
    """The simple, common change: a field added to a model becomes a column of the existing table.
    Anything else (a rename, a new NOT NULL column without default) needs a written step here."""
    migrator = SchemaMigrator.from_database(database)
    for model in model_classes:
        table = model._meta.table_name
        existing = {column.name for column in database.get_columns(table)}
        for field in model._meta.sorted_fields:
            if field.column_name in existing:
                continue
            if not field.null and field.default is None:
                raise SystemExit(
                    f"{table}.{field.column_name}: a NOT NULL column without default needs a written migration"
                )
            run_migrations(migrator.add_column(table, field.column_name, field))
            print(f"  added column {table}.{field.column_name}")


def declare_queues(wait_seconds=None):
    """So that no event is returned unroutable while a consumer is still starting. Waits up to
    COCOON_BROKER_WAIT_SECONDS (default 60) for RabbitMQ, which may still be starting (compose),
    then stops with a one-line message and a non-zero exit: a deployment without its queues
    would leave consumed events waiting in the outboxes."""
    from shared import topology

    amqp_uri = config.amqp_uri()
    wait_seconds = settings.number("COCOON_BROKER_WAIT_SECONDS", 60) if wait_seconds is None else wait_seconds
    problem = wait_for_broker(amqp_uri, wait_seconds)
    if problem:
        sys.exit(
            f"migrate: RabbitMQ at {db.redact(amqp_uri)} not reachable after {wait_seconds:g} s ({problem}); "
            "start it (or raise COCOON_BROKER_WAIT_SECONDS), then run migrate again"
        )
    from shared import queues

    retry_delay_ms = spine_settings.load().event_retry_delay_ms
    try:
        names = topology.declare_all(amqp_uri, retry_delay_ms)
    except queues.WrongQueueType as exc:
        sys.exit(f"migrate: {exc}")
    print(f"declared {len(names)} event queues (with their retry and dead-letter queues)")
    prune_stale_retry_queues(amqp_uri, retry_delay_ms)


def prune_stale_retry_queues(amqp_uri, retry_delay_ms):
    """The empty retry queues of another EVENT_RETRY_DELAY_MS go (`cocoon queues prune`). Needs the
    management API; without it, one line and nothing else: a stale queue harms nobody."""
    from shared import broker_api
    from shared.operator import broker_queues, dead_letters

    api = broker_api.BrokerApi(amqp_uri)
    try:
        stale = broker_queues.stale_retry_queues(api, retry_delay_ms)
    except broker_api.BrokerApiError as exc:
        print(f"stale retry queues not checked ({exc}); `cocoon queues prune` does it later")
        return
    finally:
        api.close()
    with dead_letters.connect(amqp_uri) as connection:
        removed, kept = broker_queues.remove_stale_retry_queues(connection, stale)
    if removed:
        print(f"removed {len(removed)} retry queues of another delay than {retry_delay_ms} ms")
    for name, messages in kept.items():
        print(f"kept {name}: {messages} retries still waiting in it (`cocoon queues prune` once they are back)")


def wait_for_broker(amqp_uri, wait_seconds, pause_seconds=1.0):
    """None once the broker accepts a connection, else its last problem when `wait_seconds` ran out."""
    from shared import topology

    deadline = time.monotonic() + wait_seconds
    said = False
    while True:
        problem = topology.broker_problem(amqp_uri, timeout=max(0.5, min(3.0, deadline - time.monotonic())))
        if problem is None or time.monotonic() >= deadline:
            return problem
        if not said:
            print(f"waiting up to {wait_seconds:g} s for RabbitMQ at {db.redact(amqp_uri)} ({problem})", flush=True)
            said = True
        time.sleep(min(pause_seconds, max(0.0, deadline - time.monotonic())))


def main(argv):
    for component in argv or COMPONENTS:
        if component not in COMPONENTS:
            sys.exit(f"unknown component {component!r}; choose among {', '.join(COMPONENTS)}")
        url = migrate(component)
        print(f"migrated {component}: {db.redact(url)}")
    declare_queues()


if __name__ == "__main__":
    main(sys.argv[1:])
