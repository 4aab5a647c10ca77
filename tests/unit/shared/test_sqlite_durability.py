"""SQLite service databases sync each commit to disk before the message it applied is acked."""

from peewee import DatabaseProxy

from shared.db import bind, make_database

SYNCHRONOUS_FULL = 2  # what `PRAGMA synchronous` answers for FULL (NORMAL is 1)


def test_a_freshly_made_sqlite_database_syncs_every_commit(tmp_path):
    database = make_database(f"sqlite:///{tmp_path / 'fresh.db'}")
    with database.connection_context():
        assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == SYNCHRONOUS_FULL
        assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_service_database_bound_from_its_url_syncs_every_commit(tmp_path):
    proxy = DatabaseProxy()
    bind(proxy, "bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    with proxy.connection_context():
        assert proxy.execute_sql("PRAGMA synchronous").fetchone()[0] == SYNCHRONOUS_FULL
