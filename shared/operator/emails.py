"""`cocoon emails failed|retry`: the emails the notifications service gave up after their last
attempt, read from its database, and queued again (its timer sends them at its next sweep).

Works with the services stopped too: it speaks to the notifications database, not to the broker.
"""

from contextlib import contextmanager

from shared.operator.service_database import DatabaseProblem, opened  # noqa: F401 (the commands catch it here)
from shared.timeutil import db_now


@contextmanager
def notifications_store(url=None):
    """The notifications service's store on its database, for one command."""
    from services.notifications import models, store  # the service's own queries, not a copy

    with opened("notifications", models, url) as database:
        yield store, database


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
