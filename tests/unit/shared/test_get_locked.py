"""get_locked / lock_key refuse to run where they would lock nothing (the races themselves are proven on
PostgreSQL in tests/integration/bookings/test_state_change_races.py)."""

import pytest
from peewee import CharField, Model, SqliteDatabase

from shared.db import get_locked, lock_key, write_transaction

db = SqliteDatabase(":memory:")


class Thing(Model):
    name = CharField()

    class Meta:
        database = db


@pytest.fixture(autouse=True)
def table():
    db.connect()
    db.create_tables([Thing])
    Thing.create(name="a")
    yield
    db.close()


def test_outside_a_transaction_get_locked_and_lock_key_refuse():
    with pytest.raises(RuntimeError, match="outside a transaction"):
        get_locked(Thing.select())
    with pytest.raises(RuntimeError, match="outside a transaction"):
        lock_key(db, "trainee", "t1")


def test_on_sqlite_a_deferred_transaction_is_refused_because_it_holds_no_write_lock():
    with db.atomic():
        with pytest.raises(RuntimeError, match="exclusive=True"):
            get_locked(Thing.select())
        with pytest.raises(RuntimeError, match="exclusive=True"):
            lock_key(db, "trainee", "t1")


def test_in_a_write_transaction_get_locked_returns_the_row_even_in_a_savepoint():
    with write_transaction(db):
        assert get_locked(Thing.select().where(Thing.name == "a")).name == "a"
        assert get_locked(Thing.select().where(Thing.name == "b")) is None
        with db.atomic():
            assert get_locked(Thing.select()).name == "a"
            lock_key(db, "trainee", "t1")
