"""A service's SQLite connections stay open between calls: no PRAGMAs and no WAL checkpoint per call."""

from shared.db import make_database, release_connection

SYNCHRONOUS_FULL = 2


def write_once(database):
    database.execute_sql("CREATE TABLE IF NOT EXISTS note (text TEXT)")
    with database.atomic("IMMEDIATE"):
        database.execute_sql("INSERT INTO note VALUES ('x')")


def test_the_connection_given_back_after_a_call_serves_the_next_call_with_its_pragmas(tmp_path):
    database = make_database(f"sqlite:///{tmp_path / 'service.db'}", pool_size=3)
    write_once(database)
    first = database.connection()
    release_connection(database)

    assert database.is_closed()  # given back: the next call of this thread connects again…
    write_once(database)
    assert database.connection() is first  # …and gets the same open connection
    assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == SYNCHRONOUS_FULL
    release_connection(database)


def test_giving_a_connection_back_does_not_checkpoint_the_wal(tmp_path):
    path = tmp_path / "service.db"
    database = make_database(f"sqlite:///{path}")
    write_once(database)
    release_connection(database)

    # Closing the last connection would checkpoint the WAL into the file and delete it.
    assert path.with_name("service.db-wal").stat().st_size > 0


def test_a_process_holds_at_most_its_pool_size_of_sqlite_connections(tmp_path):
    database = make_database(f"sqlite:///{tmp_path / 'service.db'}", pool_size=7, pool_wait_seconds=2)
    assert (database._max_connections, database._wait_timeout) == (7, 2)
