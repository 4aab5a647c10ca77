"""Writers of one process on a SQLite file (shared/sqlite_writers.py, shared/databases.py): they take
turns on a green lock instead of SQLite's busy wait in C, a command past its deadline rolls back,
and a failed ROLLBACK never hides the error that caused it."""

import eventlet
import pytest
from peewee import Model, OperationalError, TextField

from shared import deadline, sqlite_writers
from shared.db import make_database


@pytest.fixture
def database(tmp_path):
    database = make_database(f"sqlite:///{tmp_path / 'service.db'}", pool_size=12)

    class Row(Model):
        text = TextField()

        class Meta:
            table_name = "row"

    Row._meta.set_database(database)
    database.create_tables([Row])
    database.Row = Row
    yield database
    database.close_all()


def texts(database):
    with database.connection_context():
        return sorted(row.text for row in database.Row.select())


def test_writers_of_one_process_wait_their_turn_while_the_holder_yields(database):
    Row = database.Row

    def holder():
        with database.atomic("IMMEDIATE"):
            Row.create(text="holder")
            eventlet.sleep(0.3)  # waits on another greenthread (an RPC) with the write lock held
        database.close()

    def writer(number, exclusive):
        with database.atomic("IMMEDIATE") if exclusive else database.atomic():
            Row.create(text=f"writer {number}")
        database.close()

    def outside_a_transaction():
        with database.connection_context():
            Row.update(text="holder, seen").where(Row.text == "holder").execute()

    held = eventlet.spawn(holder)
    eventlet.sleep(0.05)
    others = [eventlet.spawn(writer, n, n % 2 == 0) for n in range(6)] + [eventlet.spawn(outside_a_transaction)]
    for thread in [held, *others]:
        thread.wait()  # raises "database is locked" when a writer waited in SQLite's busy loop
    assert texts(database) == ["holder, seen"] + [f"writer {n}" for n in range(6)]
    assert not sqlite_writers.lock_of(database).locked()


def test_a_writer_waits_a_bounded_time_then_fails_as_database_locked(database, monkeypatch):
    monkeypatch.setattr(sqlite_writers, "WRITE_WAIT_SECONDS", 0.1)
    lock = sqlite_writers.lock_of(database)
    assert lock.acquire()
    try:
        with pytest.raises(OperationalError, match="database is locked"):
            with database.atomic("IMMEDIATE"):
                database.Row.create(text="never")
    finally:
        lock.release()
    assert texts(database) == []


def test_a_transaction_past_its_commands_deadline_rolls_back(database):
    with deadline.running_until(deadline.now_ms() - 1):
        with pytest.raises(deadline.DeadlinePassed):
            with database.atomic("IMMEDIATE"):
                database.Row.create(text="too late")
    with deadline.running_until(deadline.now_ms() + 60_000):
        with database.atomic("IMMEDIATE"):
            database.Row.create(text="in time")
    assert texts(database) == ["in time"]
    assert not sqlite_writers.lock_of(database).locked()


def test_a_full_disk_is_the_error_raised_not_the_rollback_that_follows(database):
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(OperationalError, match="database or disk is full"):  # SQLite rolled back by itself
        with database.atomic("IMMEDIATE"):
            for _ in range(50):
                database.Row.create(text="x" * 2000)
    with pytest.raises(OperationalError, match="database or disk is full"):  # also through a savepoint
        with database.atomic():
            with database.atomic():
                for _ in range(50):
                    database.Row.create(text="x" * 2000)
    assert not sqlite_writers.lock_of(database).locked()
