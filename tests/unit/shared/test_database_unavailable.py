"""What a lost database raises inside a worker becomes Unavailable, and giving a connection back never raises."""

import peewee
import psycopg2.errors
import pytest
from playhouse.pool import MaxConnectionsExceeded, PooledSqliteDatabase

from shared.db import release_connection
from shared.errors import Unavailable
from shared.unit_of_work import _database_failures_as_unavailable

LOST = [
    peewee.OperationalError("server closed the connection unexpectedly"),
    peewee.InterfaceError("connection already closed"),
    MaxConnectionsExceeded("Max connections exceeded, timed out attempting to connect."),
    psycopg2.errors.DeadlockDetected("deadlock detected"),
]


@pytest.mark.parametrize("error", LOST, ids=lambda error: type(error).__name__)
def test_an_entrypoint_that_loses_its_database_raises_unavailable(error):
    def entrypoint():
        raise error

    with pytest.raises(Unavailable) as raised:
        _database_failures_as_unavailable(entrypoint)()
    assert (raised.value.status, raised.value.code) == (503, "unavailable")
    assert raised.value.__cause__ is error


def test_other_errors_and_results_pass_through_unchanged():
    assert _database_failures_as_unavailable(lambda x: x * 2)(21) == 42

    def duplicate():
        raise peewee.IntegrityError("UNIQUE constraint failed: room.name")

    with pytest.raises(peewee.IntegrityError):  # a duplicate is a 409, mapped elsewhere, never a 503
        _database_failures_as_unavailable(duplicate)()


def test_a_connection_left_in_a_transaction_is_dropped_from_the_pool_not_raised(tmp_path):
    database = PooledSqliteDatabase(str(tmp_path / "pool.db"), max_connections=2)
    database.connect()
    database.atomic().__enter__()  # a worker that left its transaction open
    with pytest.raises(peewee.OperationalError):
        database.close()  # what worker_teardown used to call: raising there killed the container

    release_connection(database)

    assert database.is_closed()
    assert database._in_use == {} and database._connections == []  # not handed out again
    database.connect()  # and the pool still gives a fresh one
    database.close()


def test_giving_back_a_closed_database_does_nothing(tmp_path):
    database = peewee.SqliteDatabase(str(tmp_path / "plain.db"))
    release_connection(database)
    assert database.is_closed()
