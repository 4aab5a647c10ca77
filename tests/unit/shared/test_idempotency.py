"""Idempotency-Key checks, request fingerprints, run_once on a real SQLite file, correlation ids, deadlines."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from peewee import CharField, Model, SqliteDatabase

from shared import commands, idempotency, logs
from shared.db import SQLITE_PRAGMAS
from shared.errors import Conflict, Invalid
from shared.timeutil import db_now


@pytest.fixture
def db(tmp_path):
    database = SqliteDatabase(str(tmp_path / "t.db"), pragmas=SQLITE_PRAGMAS)

    class Thing(Model):
        name = CharField()

        class Meta:
            database = None

    Thing._meta.set_database(database)
    model = idempotency.idempotency_model(database)
    database.create_tables([model, Thing])
    return SimpleNamespace(database=database, keys=model, things=Thing)


def make_thing(db, name):
    def run():
        with db.database.atomic():  # the command's own transaction nests as a savepoint
            thing = db.things.create(name=name)
        return {"id": thing.id, "name": name}

    return run


@pytest.mark.parametrize("key", ["a", "A-z_0.9", "x" * 64, "4f9c1a2e-7b2d-4c1e-9a57-3c0f2d1b9e88"])
def test_keys_of_1_to_64_safe_characters_are_accepted(key):
    assert idempotency.checked_key(key) == key


@pytest.mark.parametrize("key", ["", "x" * 65, "with space", "é", "a/b", "a\nb", None, 12])
def test_other_keys_are_a_422_naming_the_header_in_french(key):
    with pytest.raises(Invalid) as refused:
        idempotency.checked_key(key)
    assert refused.value.status == 422 and refused.value.code == "validation_failed"
    assert list(refused.value.fields) == ["Idempotency-Key"]
    assert "n'est pas valide" in refused.value.message


def test_a_fingerprint_ignores_key_order_and_spacing_but_not_values_nor_the_method():
    first = idempotency.fingerprint(["add_child", ["f1", {"first_name": "Léa", "birth_date": "2024-01-15"}], {}])
    same = idempotency.fingerprint(["add_child", ["f1", {"birth_date": "2024-01-15", "first_name": "Léa"}], {}])
    assert first == same and len(first) == 64
    assert first != idempotency.fingerprint(
        ["add_child", ["f1", {"first_name": "Léo", "birth_date": "2024-01-15"}], {}]
    )
    assert first != idempotency.fingerprint(["book", ["f1", {"first_name": "Léa", "birth_date": "2024-01-15"}], {}])


def test_a_derived_id_is_fixed_by_caller_key_and_purpose():
    one = idempotency.derived_id("anonymous", "k1", "sign_up_family")
    assert one == idempotency.derived_id("anonymous", "k1", "sign_up_family")
    assert (
        len(
            {
                one,
                idempotency.derived_id("anonymous", "k2", "sign_up_family"),
                idempotency.derived_id("someone", "k1", "sign_up_family"),
                idempotency.derived_id("anonymous", "k1", "sign_up_volunteer"),
            }
        )
        == 4
    )


def test_a_repeat_returns_the_first_answer_and_runs_nothing(db):
    digest = idempotency.fingerprint(["make", "lamp"])
    first = idempotency.run_once(db.keys, "acc1", "k1", "make", digest, make_thing(db, "lamp"))
    again = idempotency.run_once(db.keys, "acc1", "k1", "make", digest, make_thing(db, "other"))
    assert again == first
    assert [t.name for t in db.things.select()] == ["lamp"]
    assert db.keys.select().count() == 1


def test_the_same_key_with_another_request_is_refused_and_changes_nothing(db):
    idempotency.run_once(
        db.keys, "acc1", "k1", "make", idempotency.fingerprint(["make", "lamp"]), make_thing(db, "lamp")
    )
    with pytest.raises(Invalid) as refused:
        idempotency.run_once(
            db.keys, "acc1", "k1", "make", idempotency.fingerprint(["make", "chair"]), make_thing(db, "chair")
        )
    assert list(refused.value.fields) == ["Idempotency-Key"]
    assert [t.name for t in db.things.select()] == ["lamp"]


def test_a_key_belongs_to_its_caller_and_to_one_method(db):
    digest = idempotency.fingerprint(["make", "lamp"])
    idempotency.run_once(db.keys, "acc1", "k1", "make", digest, make_thing(db, "lamp"))
    idempotency.run_once(db.keys, "acc2", "k1", "make", digest, make_thing(db, "lamp"))
    idempotency.run_once(db.keys, "acc1", "k1", "other", digest, make_thing(db, "lamp"))
    assert db.things.select().count() == 3


def test_a_command_that_fails_stores_nothing_so_a_retry_runs_it(db):
    digest = idempotency.fingerprint(["make", "lamp"])

    def refused():
        make_thing(db, "half done")()
        raise Conflict("Déjà pris.")

    with pytest.raises(Conflict):
        idempotency.run_once(db.keys, "acc1", "k1", "make", digest, refused)
    assert db.things.select().count() == 0 and db.keys.select().count() == 0
    idempotency.run_once(db.keys, "acc1", "k1", "make", digest, make_thing(db, "lamp"))
    assert [t.name for t in db.things.select()] == ["lamp"]


def test_keys_older_than_the_retention_are_pruned(db):
    digest = idempotency.fingerprint(["make", "lamp"])
    idempotency.run_once(db.keys, "acc1", "old", "make", digest, make_thing(db, "lamp"))
    idempotency.run_once(db.keys, "acc1", "new", "make", digest, make_thing(db, "lamp"))
    db.keys.update(created_at=db_now() - timedelta(hours=25)).where(db.keys.key == "old").execute()
    assert idempotency.prune(db.keys, db_now() - timedelta(hours=24)) == 1
    assert [row.key for row in db.keys.select()] == ["new"]


def test_the_command_model_is_one_class_per_database(db):
    assert idempotency.idempotency_model(db.database) is db.keys


@pytest.mark.parametrize("value", ["abc", "req-42_x.y", "x" * 64])
def test_a_safe_request_id_is_kept(value):
    assert logs.safe_correlation_id(value) == value


@pytest.mark.parametrize("value", [None, "", "x" * 65, "y" * 200, "with space", "a\nb", "<script>", "é"])
def test_any_other_request_id_is_replaced_by_a_new_one(value):
    replaced = logs.safe_correlation_id(value)
    assert replaced != value and logs.SAFE_CORRELATION_ID.fullmatch(replaced)


def test_a_worker_never_keeps_an_unsafe_correlation_id_from_another_caller():
    worker_ctx = SimpleNamespace(data={"correlation_id": "z" * 200})
    correlation_id = logs.ensure_correlation_id(worker_ctx)
    assert len(correlation_id) <= 64 and worker_ctx.data["correlation_id"] == correlation_id
    assert logs.ensure_correlation_id(worker_ctx) == correlation_id  # stable for the rest of the worker


def test_a_deadline_in_the_past_is_expired_and_one_to_come_is_not():
    now = commands.now_ms()
    assert commands.is_expired(now - 1, now=now)
    assert not commands.is_expired(now + 5000, now=now)
    assert not commands.is_expired(None, now=now)
    assert not commands.is_expired("not a number", now=now)
    assert commands.deadline_in(5) >= now + 5000
