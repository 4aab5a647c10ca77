"""`cocoon insights rebuild|backfill`: the insights service's projection replayed from its log
(read from its database: works with the services stopped), and its one-time backfill from the
producers' history (asked of the running insights service by RPC)."""

from contextlib import contextmanager

from shared import db
from shared.operator.service_database import DatabaseProblem, opened  # noqa: F401 (the commands catch it here)


@contextmanager
def insights_database(url=None):
    from services.insights import models  # the service's own tables and replay, not a copy

    with opened("insights", models, url) as database:
        yield database


def rebuild(url=None):
    """{"events": log rows replayed, "facts": facts projected}, in one write transaction."""
    from services.insights import recording

    with insights_database(url) as database:
        with db.write_transaction(database):
            return recording.rebuild()


def backfill(amqp_uri, timeout):
    from nameko.standalone.rpc import ClusterRpcProxy

    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=timeout) as rpc:
        return rpc.insights.backfill()
