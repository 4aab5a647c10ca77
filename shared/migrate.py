"""`make migrate`: bring each component's database to this code's schema, and declare every
service's event queues on the broker (both safe to run again).

Run as `python -m shared.migrate [component ...]`. For each component (shared/components.py):
1. its versioned steps not applied yet, in order, each in one transaction recorded in the
   database's `schema_migrations` table (shared/migrations.py; the first, `0000_baseline`, is what
   this command did before it kept a version, so a database of any age upgrades in place);
2. then what is still missing from the models, added: a new table, a new column (nullable or
   with a default), a new index. Anything else (a rename, a drop, a backfill, a NOT NULL column)
   is a written step (docs/operations.md, "Migrations"), never a silent change at import.
"""

import importlib
import sys
import time

from shared import components, config, db, migrations, settings, spine_settings

COMPONENTS = components.COMPONENT_NAMES
# Kept under their former names for the tests and tools that call them.
add_missing_columns = migrations.add_missing_columns
add_missing_indexes = migrations.add_missing_indexes


def migrate(component, url=None):
    models = importlib.import_module(components.named(component).models_module)
    return migrate_models(models, component, url)


def migrate_models(models, component, url=None):
    """One models module (its `database` proxy, `MODELS`, optional `after_migrate()` for the
    baseline, optional sibling `migrations.py` with `STEPS`) into its database: the URL given,
    else `<COMPONENT>_DATABASE_URL`. Returns the URL."""
    url = db.bind(models.database, component, url)
    with models.database.connection_context():
        migrations.apply_pending(models, component)
        migrations.create_missing(models.MODELS, models.database)
        add_missing_indexes(models.MODELS)
    return url


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
        try:
            url = migrate(component)
        except migrations.MigrationFailed as exc:
            sys.exit(f"migrate: {exc}")
        print(f"migrated {component}: {db.redact(url)}")
    declare_queues()


if __name__ == "__main__":
    main(sys.argv[1:])
