"""One peewee database per service: SQLite file by default, PostgreSQL when a URL says so.

SQLite runs in WAL mode with a busy timeout so concurrent writers wait instead of failing.
PostgreSQL uses a connection pool; inside nameko (eventlet) psycopg2 is made green so a
query does not block every other worker of the process.
"""
import logging
import re
from urllib.parse import urlparse

from peewee import SqliteDatabase
from playhouse.db_url import parse as parse_db_url
from playhouse.pool import PooledPostgresqlDatabase

from shared import config

log = logging.getLogger(__name__)

SQLITE_PRAGMAS = {"journal_mode": "wal", "busy_timeout": 5000, "foreign_keys": 1, "synchronous": "normal"}


def _make_psycopg_green():
    try:
        import eventlet.patcher
    except ImportError:  # the gateway runs without eventlet
        return
    if eventlet.patcher.is_monkey_patched("socket"):
        from psycogreen.eventlet import patch_psycopg

        patch_psycopg()


def make_database(url):
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = url[len("sqlite:///"):]
        return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=5)
    if scheme in ("postgres", "postgresql"):
        _make_psycopg_green()
        params = parse_db_url(url)
        return PooledPostgresqlDatabase(max_connections=20, stale_timeout=300, timeout=10, **params)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///path or postgresql://...")


def is_postgres(database):
    return isinstance(getattr(database, "obj", database), PooledPostgresqlDatabase)


def bind(proxy, component, url=None):
    """Point a service's DatabaseProxy at its real database (URL from the environment by default)."""
    url = url or config.database_url(component)
    proxy.initialize(make_database(url))
    return url


def write_transaction(database):
    """A transaction that serialises writers: BEGIN IMMEDIATE on SQLite (one writer at a time,
    taken up front so a check-then-insert cannot race); on PostgreSQL a plain transaction in
    which the caller locks the row it decides on with `lock(query)`."""
    if is_postgres(database):
        return database.atomic()
    return database.atomic("IMMEDIATE")


def lock(query):
    """SELECT … FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the lock."""
    return query.for_update() if is_postgres(query.model._meta.database) else query


def redact(url):
    """A database URL fit for logs (no password)."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)
