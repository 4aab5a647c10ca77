"""A duplicate unique value becomes a 409 naming the field (shared/integrity.py), on both databases."""

from types import SimpleNamespace

import pytest
from peewee import CharField, ForeignKeyField, IntegrityError, Model, SqliteDatabase

from shared.errors import Conflict
from shared.inbox import claim, inbox_model
from shared.integrity import duplicate_columns, duplicates_as_conflict, postgres_columns, sqlite_columns
from shared.unit_of_work import Work

db = SqliteDatabase(":memory:", pragmas={"foreign_keys": 1})


class Place(Model):
    name = CharField(unique=True)

    class Meta:
        database = db


class Seat(Model):
    place = ForeignKeyField(Place)
    label = CharField()

    class Meta:
        database = db
        indexes = ((("place", "label"), True),)


Inbox = inbox_model(db)


@pytest.fixture(autouse=True)
def tables():
    db.connect()
    db.create_tables([Place, Seat, Inbox])
    yield
    db.drop_tables([Place, Seat, Inbox])
    db.close()


def test_the_sqlite_message_gives_the_column():
    assert sqlite_columns("UNIQUE constraint failed: room.name") == ["name"]
    assert sqlite_columns("UNIQUE constraint failed: activitytrainee.activity_id, activitytrainee.trainee_id") == [
        "activity_id",
        "trainee_id",
    ]
    assert sqlite_columns("UNIQUE constraint failed: index 'room_name_lower'") == []
    assert sqlite_columns("NOT NULL constraint failed: room.name") is None
    assert sqlite_columns("FOREIGN KEY constraint failed") is None


def test_the_postgresql_detail_gives_the_column():
    assert postgres_columns("Key (name)=(Lucioles) already exists.") == ["name"]
    assert postgres_columns("Key (activity_id, trainee_id)=(a, t) already exists.") == ["activity_id", "trainee_id"]
    assert postgres_columns('Key ("email")=(a@b.fr) already exists.') == ["email"]


def test_without_the_postgresql_detail_the_constraint_name_gives_the_column():
    assert postgres_columns(None, constraint="family_email", table="family") == ["email"]
    assert postgres_columns(None, constraint="family_pkey", table="family") == []
    assert postgres_columns(None) == []


def _postgres_error(pgcode, detail=None, constraint=None, table=None):
    """What peewee raises on PostgreSQL: its IntegrityError wrapping psycopg2's error (pgcode, diag)."""
    driver_error = Exception("duplicate key value violates unique constraint")
    driver_error.pgcode = pgcode
    driver_error.diag = SimpleNamespace(message_detail=detail, constraint_name=constraint, table_name=table)
    return IntegrityError(driver_error, *driver_error.args)


def test_only_a_postgresql_unique_violation_is_a_duplicate():
    assert duplicate_columns(_postgres_error("23505", "Key (email)=(a@b.fr) already exists.")) == ["email"]
    assert duplicate_columns(_postgres_error("23503", 'Key (room_id)=(x) is not present in table "room".')) is None
    assert duplicate_columns(_postgres_error("23502")) is None  # NOT NULL


def test_a_duplicate_name_on_sqlite_is_a_conflict_naming_the_field():
    Place.create(name="Lucioles")
    with pytest.raises(Conflict) as refused:
        with duplicates_as_conflict():
            Place.create(name="Lucioles")
    assert refused.value.status == 409
    assert refused.value.fields == {"name": ["Déjà utilisé."]}
    assert refused.value.message == "Cette valeur est déjà utilisée."


def test_a_composite_unique_key_names_each_of_its_columns():
    place = Place.create(name="Lucioles")
    Seat.create(place=place, label="A")
    with pytest.raises(Conflict) as refused:
        with duplicates_as_conflict("Siège déjà créé.", "Déjà pris."):
            Seat.create(place=place, label="A")
    assert refused.value.fields == {"place_id": ["Déjà pris."], "label": ["Déjà pris."]}
    assert refused.value.message == "Siège déjà créé."


def test_other_integrity_errors_are_not_turned_into_conflicts():
    with pytest.raises(IntegrityError):
        with duplicates_as_conflict():
            Seat.create(place=999, label="A")  # foreign key: a bug, not the caller's conflict


def test_uow_atomic_rolls_back_then_answers_the_conflict():
    work = Work(db, None, Inbox, "cid")
    Place.create(name="Lucioles")
    with pytest.raises(Conflict) as refused:
        with work.atomic(exclusive=True):
            Place.create(name="Grenier")
            Place.create(name="Lucioles")
    assert refused.value.fields == {"name": ["Déjà utilisé."]}
    assert [p.name for p in Place.select()] == ["Lucioles"]
    assert not db.in_transaction()


def test_the_inbox_still_sees_a_duplicate_delivery_inside_uow_atomic():
    work = Work(db, None, Inbox, "cid")
    event = {"event_id": "e1", "type": "bookings.activity_scheduled"}
    with work.atomic():
        assert work.claim(event, "open_opportunity") is True
    with work.atomic():
        assert work.claim(event, "open_opportunity") is False  # caught in claim's savepoint, not a Conflict
    assert claim(Inbox, event, "another_handler") is True
