"""Rolling upgrades: consumers ignore what they do not know and read the previous version
through an upcaster; producers record only valid events (shared/events, shared/outbox.record_event)."""

import pytest
from marshmallow import Schema, ValidationError, fields
from peewee import SqliteDatabase

from shared.db import SQLITE_PRAGMAS
from shared.events import new_event, validate_event
from shared.events.registry import CONTRACTS, register
from shared.outbox import outbox_model, record_event

SESSION = {
    "session_id": "s1",
    "room_id": "r1",
    "title": "Premiers secours",
    "parts": [{"starts_at": "2026-12-01T09:00:00+01:00", "ends_at": "2026-12-01T12:00:00+01:00"}],
}


# --- unknown fields: ignored by consumers ---------------------------------------------------------------
def test_a_consumer_ignores_envelope_fields_it_does_not_know():
    event = dict(new_event("education.room_reservation_requested", SESSION), causation_id="e0", tenant="cocoon")
    read = validate_event(event)
    assert "causation_id" not in read and "tenant" not in read
    assert read["payload"]["session_id"] == "s1"


def test_a_consumer_ignores_payload_fields_it_does_not_know_even_nested():
    event = new_event("education.room_reservation_requested", SESSION)
    event["payload"]["trainer"] = "Mme Roux"  # added by a newer producer
    event["payload"]["parts"][0]["label"] = "matin"
    read = validate_event(event)
    assert set(read["payload"]) == {"session_id", "room_id", "title", "parts", "request"}  # request: its default
    assert set(read["payload"]["parts"][0]) == {"starts_at", "ends_at"}


def test_a_known_field_that_breaks_the_contract_is_still_refused():
    event = new_event("education.room_reservation_requested", SESSION)
    event["payload"]["parts"] = []
    event["payload"]["trainer"] = "Mme Roux"
    with pytest.raises(ValidationError) as err:
        validate_event(event)
    assert set(err.value.messages["payload"]) == {"parts"}


def test_a_producer_still_cannot_send_a_field_its_contract_lacks():
    with pytest.raises(ValidationError) as err:
        new_event("education.room_reservation_requested", dict(SESSION, trainer="Mme Roux"))
    assert "trainer" in err.value.messages["payload"]


# --- versions: the previous one is upcast, others refused --------------------------------------------
class ThingMovedV2(Schema):
    thing_id = fields.String(required=True)
    room_id = fields.String(required=True)  # v1 called it `place`


@pytest.fixture
def thing_moved_v2():
    """A contract at version 2 that reads version 1 through its upcaster."""
    register(
        "tests.thing_moved",
        ThingMovedV2,
        version=2,
        upcasters={1: lambda v1: {"thing_id": v1["thing_id"], "room_id": v1["place"]}},
    )
    yield "tests.thing_moved"
    CONTRACTS.pop("tests.thing_moved")


def envelope(event_type, version, payload):
    event = new_event("volunteers.volunteer_registered", {"volunteer_id": "v1"})
    return dict(event, type=event_type, version=version, payload=payload)


def test_a_version_1_event_is_read_by_a_version_2_consumer_through_its_upcaster(thing_moved_v2):
    read = validate_event(
        envelope(thing_moved_v2, 1, {"thing_id": "t1", "place": "r9", "colour": "bleu"}), expected_type=thing_moved_v2
    )
    assert read["payload"] == {"thing_id": "t1", "room_id": "r9"}
    assert read["version"] == 2


def test_the_current_version_is_read_as_is(thing_moved_v2):
    read = validate_event(envelope(thing_moved_v2, 2, {"thing_id": "t1", "room_id": "r9"}))
    assert read["payload"] == {"thing_id": "t1", "room_id": "r9"}


def test_a_version_newer_than_the_consumer_knows_is_invalid(thing_moved_v2):
    with pytest.raises(ValidationError) as err:
        validate_event(envelope(thing_moved_v2, 3, {"thing_id": "t1", "room_id": "r9"}))
    assert "newer" in err.value.messages["version"][0]


def test_an_older_version_without_an_upcaster_is_invalid():
    register("tests.thing_renamed", ThingMovedV2, version=3, upcasters={2: lambda v2: v2})
    try:
        with pytest.raises(ValidationError) as err:
            validate_event(envelope("tests.thing_renamed", 1, {"thing_id": "t1", "room_id": "r9"}))
        assert "no upcaster from 1" in err.value.messages["version"][0]
        assert validate_event(envelope("tests.thing_renamed", 2, {"thing_id": "t1", "room_id": "r9"}))["version"] == 3
    finally:
        CONTRACTS.pop("tests.thing_renamed")


def test_an_old_payload_too_broken_to_upcast_is_invalid_not_a_crash(thing_moved_v2):
    with pytest.raises(ValidationError) as err:
        validate_event(envelope(thing_moved_v2, 1, {"thing_id": "t1"}))  # no `place`
    assert "could not be upcast" in err.value.messages["payload"][0]


def test_an_upcaster_must_start_from_an_older_version():
    with pytest.raises(ValueError):
        register("tests.thing_lost", ThingMovedV2, version=2, upcasters={2: lambda p: p})
    assert "tests.thing_lost" not in CONTRACTS


# --- recorded only when valid -------------------------------------------------------------------------
@pytest.fixture
def db_and_outbox(tmp_path):
    database = SqliteDatabase(str(tmp_path / "service.db"), pragmas=SQLITE_PRAGMAS)
    outbox = outbox_model(database)
    database.create_tables([outbox])
    return database, outbox


def breaks_correlation_id(event):
    event["correlation_id"] = "x" * 129  # over the envelope's limit: every consumer would refuse it


def breaks_payload(event):
    event["payload"]["parts"] = []  # the contract wants at least one part


def adds_an_unknown_payload_field(event):
    event["payload"]["trainer"] = "Mme Roux"


def is_a_version_the_contract_is_not_at(event):
    event["version"] = 2


@pytest.mark.parametrize(
    "spoil", [breaks_correlation_id, breaks_payload, adds_an_unknown_payload_field, is_a_version_the_contract_is_not_at]
)
def test_an_invalid_event_fails_the_transaction_that_records_it(db_and_outbox, spoil):
    database, outbox = db_and_outbox
    event = new_event("education.room_reservation_requested", SESSION)
    spoil(event)
    with pytest.raises(ValidationError):
        with database.atomic():
            outbox.create(
                event_id="the-change", event_type="stands.for_the_change", correlation_id="c", body="{}"
            )  # the change the event describes, in the same transaction
            record_event(outbox, event)
    assert outbox.select().count() == 0  # neither the change nor the event was committed


def test_a_valid_event_is_recorded(db_and_outbox):
    database, outbox = db_and_outbox
    with database.atomic():
        record_event(outbox, new_event("education.room_reservation_requested", SESSION, correlation_id="req-1"))
    assert [row.correlation_id for row in outbox.select()] == ["req-1"]
