"""shared.db.Prepared: a statement's SQL built once per database, its Params converted as peewee
converts values, get_locked taking it as it takes a query (the booking path runs on these:
tests/unit/bookings/test_booking_statements.py)."""

import json
from datetime import datetime

import pytest
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, Model, SqliteDatabase, fn

from shared.db import Param, Prepared, from_row, get_locked, insert_of, inserted_id, json_rows, write_transaction

db = SqliteDatabase(":memory:")


class Room(Model):
    name = CharField()

    class Meta:
        database = db


class Thing(Model):
    room = ForeignKeyField(Room)
    name = CharField()
    seen_at = DateTimeField()
    kept = BooleanField(default=False)

    class Meta:
        database = db


BY_ROOM = Prepared(
    Thing,
    lambda database: (
        Thing.select(Thing.name, Thing.seen_at, fn.MAX(Thing.seen_at).alias("last"))
        .where(Thing.room == Param("room"), Thing.kept == Param("kept"))
        .group_by(Thing.name, Thing.seen_at)
    ),
)
INSERT = Prepared(Thing, lambda database: insert_of(Thing, [Thing.room, Thing.name, Thing.seen_at, Thing.kept]))


@pytest.fixture(autouse=True)
def tables():
    db.connect()
    db.create_tables([Room, Thing])
    yield
    db.drop_tables([Room, Thing])
    db.close()


def test_a_prepared_read_converts_its_params_and_its_columns_as_peewee_would():
    room = Room.create(name="Lucioles")
    seen = datetime(2027, 1, 15, 8, 30)
    Thing.create(room=room, name="a", seen_at=seen, kept=True)
    Thing.create(room=room, name="b", seen_at=seen, kept=False)
    assert BY_ROOM.run(room=room, kept=True) == [{"name": "a", "seen_at": seen, "last": seen}]  # a model, an id
    assert BY_ROOM.run(room=room.id, kept=False)[0]["name"] == "b"


def test_its_sql_is_built_once_per_database():
    built = []
    counted = Prepared(Room, lambda database: built.append(database) or Room.select(Room.name))
    for _ in range(3):
        counted.run()
    assert built == [db]


def test_an_insert_stores_what_it_is_given_and_says_the_id():
    room = Room.create(name="Lucioles")
    cursor = INSERT.execute(room=room.id, name="c", seen_at=datetime(2027, 1, 15), kept=True)
    stored = Thing.get_by_id(inserted_id(db, cursor))
    assert (stored.name, stored.kept, stored.room_id) == ("c", True, room.id)


def test_get_locked_takes_a_bound_statement_and_refuses_it_outside_a_write_transaction():
    room = Room.create(name="Lucioles")
    one = Prepared(Room, lambda database: Room.select(Room.id, Room.name).where(Room.id == Param("id")))
    with pytest.raises(RuntimeError, match="outside a transaction"):
        get_locked(one.bind(id=room.id))
    with write_transaction(db):
        assert get_locked(one.bind(id=room.id)) == {"id": room.id, "name": "Lucioles"}
        assert get_locked(one.bind(id=room.id + 1)) is None


def test_a_list_joins_a_one_row_read_as_json_and_a_row_makes_a_model():
    room = Room.create(name="Lucioles")
    for name in ("a", "b"):
        Thing.create(room=room, name=name, seen_at=datetime(2027, 1, 15), kept=name == "a")
    listed = Prepared(
        Room,
        lambda database: Room.select(
            Room.name,
            Thing.select(json_rows(database, Thing.name, Thing.kept)).where(Thing.room == Room.id).alias("things"),
        ).where(Room.id == Param("id")),
    )
    row = listed.run(id=room.id)[0]
    assert sorted(map(tuple, json.loads(row["things"]))) == [("a", 1), ("b", 0)]
    made = from_row(Room, {"id": room.id, "name": row["name"]})
    assert (made.id, made.name, made.is_dirty()) == (room.id, "Lucioles", False)
