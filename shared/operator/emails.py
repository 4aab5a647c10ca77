"""`cocoon emails failed|retry`: the emails the notifications service gave up after their last
attempt, read from its database, and queued again (its timer sends them at its next sweep).

Works with the services stopped too: it speaks to the notifications database, not to the broker.
"""

from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from shared import config, db
from shared.timeutil import db_now


class DatabaseProblem(Exception):
    pass


@contextmanager
def notifications_store(url=None):
    """The notifications service's store on its database, for one command."""
    url = url or config.database_url("notifications")
    if urlparse(url).scheme == "sqlite" and not Path(url[len("sqlite:///") :]).exists():
        raise DatabaseProblem(f"no database file at {db.redact(url)} (run `make migrate`)")
    from services.notifications import models, store  # the service's own queries, not a copy

    database = db.make_database(url)
    models.database.initialize(database)
    try:
        with database.connection_context():
            yield store, database
    finally:
        if db.is_postgres(database):
            database.close_all()  # a one-shot command: leave no pooled connection behind


def failed(url=None, limit=200):
    with notifications_store(url) as (store, _):
        return [
            {
                "id": d.id,
                "to": d.to,
                "subject": d.subject,
                "attempts": d.attempts,
                "given_up_at": d.next_attempt_at,
                "last_error": d.last_error,
            }
            for d in store.failed_deliveries(limit)
        ]


def retry(delivery_ids=None, url=None):
    """How many failed emails were queued again; `delivery_ids` None: all of them."""
    with notifications_store(url) as (store, database):
        with database.atomic():
            return store.requeue_failed(db_now(), delivery_ids)
