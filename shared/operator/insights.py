"""`cocoon insights rebuild|backfill`: the insights service's projection replayed from its log
(read from its database: works with the services stopped), and its one-time backfill from the
producers' history (asked of the running insights service by RPC)."""

from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from shared import config, db


class DatabaseProblem(Exception):
    pass


@contextmanager
def insights_database(url=None):
    url = url or config.database_url("insights")
    if urlparse(url).scheme == "sqlite" and not Path(url[len("sqlite:///") :]).exists():
        raise DatabaseProblem(f"no database file at {db.redact(url)} (run `make migrate`)")
    from services.insights import models  # the service's own tables and replay, not a copy

    database = db.make_database(url)
    models.database.initialize(database)
    try:
        with database.connection_context():
            yield database
    finally:
        if db.is_postgres(database):
            database.close_all()  # a one-shot command: leave no pooled connection behind


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
