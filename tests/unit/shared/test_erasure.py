"""The erasure's shared rules (shared/erasure.py): the pseudonym, what identifies a person, and the
outbox and stored answers purged of them."""

import json

import pytest
from peewee import SqliteDatabase

from shared import erasure
from shared.events import new_event
from shared.idempotency import idempotency_model
from shared.outbox import outbox_model, record_event
from shared.timeutil import db_now


def test_the_pseudonym_is_the_same_for_the_same_person_and_differs_between_people():
    assert erasure.pseudonym("f-1") == erasure.pseudonym("f-1")
    assert erasure.pseudonym("f-1") != erasure.pseudonym("f-2")
    assert erasure.pseudonym("f-1").startswith("effacé-") and len(erasure.pseudonym("f-1")) == len("effacé-") + 10
    assert erasure.pseudonym_email("f-1").endswith("@efface.invalid")
    assert erasure.is_pseudonym(erasure.pseudonym("f-1")) and erasure.is_pseudonym(erasure.pseudonym_email("f-1"))
    assert not erasure.is_pseudonym("camille@example.fr")


def test_needles_leave_out_what_is_too_short_repeated_or_already_erased():
    assert erasure.needles("Li", "Léa", "léa", None, "", erasure.pseudonym("x"), "a@b.fr") == ["Léa", "a@b.fr"]


def test_a_person_is_found_by_ids_and_texts_and_scrubbed_word_by_word():
    who = erasure.person("f-1", ids=["f-1"], emails=["Camille@Example.fr"], names=["Camille Durand"], phones=["06"])
    assert who.found == ["f-1", "Camille@Example.fr", "Camille Durand"]
    assert who.scrubbed == ["Camille@Example.fr", "Camille Durand", "Camille", "Durand"]
    assert erasure.scrub_text("écrire à camille@example.fr", who.scrubbed, who.pseudonym) == f"écrire à {who.pseudonym}"


def test_a_mention_is_found_in_bytes_and_as_json_writes_accents():
    assert erasure.mentions(json.dumps({"name": "Hélène"}).encode(), ["Hélène"])
    assert not erasure.mentions(b"nothing here", ["Hélène"])


def test_scrubbing_json_reaches_nested_strings_and_keeps_the_rest():
    value = {"guardians": [{"first_name": "Camille", "phone": "0601"}], "total": 12}
    assert erasure.scrub_json(value, ["Camille"], "X") == {
        "guardians": [{"first_name": "X", "phone": "0601"}],
        "total": 12,
    }


@pytest.fixture
def db():
    database = SqliteDatabase(":memory:")
    outbox, answers = outbox_model(database), idempotency_model(database)
    database.create_tables([outbox, answers])
    yield outbox, answers
    database.close()


def staff_profile(staff_id, first_name, last_name):
    return new_event(
        "team.staff_updated",
        {
            "staff_id": staff_id,
            "first_name": first_name,
            "last_name": last_name,
            "job_title": "Auxiliaire",
            "diplomas": [],
            "counts_in_ratio": False,
            "state_diploma": False,
            "health_referent": False,
            "active": True,
        },
    )


def test_delivered_outbox_rows_go_and_undelivered_ones_lose_the_names_but_keep_their_ids(db):
    # team's profile events still carry names (bookings lists the staff on duty by them)
    outbox, _ = db
    sent = record_event(outbox, staff_profile("s-1", "André", "Dupont"))
    waiting = record_event(outbox, staff_profile("s-1", "André", "Dupont"))
    other = record_event(outbox, staff_profile("s-2", "Zoé", "Martin"))
    outbox.update(published_at=db_now()).where(outbox.id.in_([sent.id, other.id])).execute()
    who = erasure.person("s-1", ids=["s-1"], emails=["andre@example.fr"], names=["André", "Dupont"])

    assert erasure.purge_outbox(outbox, who) == (1, 1)
    assert {row.id for row in outbox.select()} == {waiting.id, other.id}
    kept = json.loads(outbox.get_by_id(waiting.id).body)["payload"]
    assert (kept["staff_id"], kept["first_name"], kept["last_name"]) == ("s-1", who.pseudonym, who.pseudonym)


def test_stored_command_answers_that_mention_the_person_are_deleted(db):
    _, answers = db
    answers.create(caller="a", key="k1", method="m", fingerprint="f", response='{"email": "andre@example.fr"}')
    answers.create(caller="a", key="k2", method="m", fingerprint="f", response='{"email": "x@example.fr"}')
    assert erasure.purge_rows_mentioning(answers, answers.response, ["andre@example.fr"]) == 1
    assert [row.key for row in answers.select()] == ["k2"]
