import uuid

import pytest
from marshmallow import ValidationError

from shared.events import contract_for, new_event, split_name, validate_event

PAYLOAD = {
    "activity_id": "a1",
    "title": "Conte",
    "kind": "story_time",
    "room_id": "r1",
    "room_name": "Lucioles",
    "starts_at": "2026-12-01T09:00:00+01:00",
    "ends_at": "2026-12-01T10:00:00+01:00",
    "children_capacity": 8,
    "volunteer_slots": 2,
    "trainee_slots": 1,
}


def test_new_event_builds_a_complete_envelope():
    event = new_event("bookings.activity_scheduled", PAYLOAD, correlation_id="req-1")
    assert uuid.UUID(event["event_id"])
    assert event["type"] == "bookings.activity_scheduled"
    assert event["version"] == contract_for("bookings.activity_scheduled").version
    assert event["correlation_id"] == "req-1"
    assert event["occurred_at"].endswith("+00:00")
    assert event["payload"]["starts_at"] == "2026-12-01T09:00:00+01:00"


def test_new_event_refuses_a_payload_that_breaks_the_contract():
    with pytest.raises(ValidationError) as err:
        new_event("bookings.activity_scheduled", dict(PAYLOAD, kind="karaoke", volunteer_slots=-1))
    assert set(err.value.messages["payload"]) == {"kind", "volunteer_slots"}


def test_unknown_event_type_cannot_be_emitted():
    with pytest.raises(KeyError):
        new_event("bookings.nothing_happened", {})


def test_validate_event_loads_the_payload_with_its_contract():
    event = validate_event(new_event("bookings.activity_scheduled", PAYLOAD))
    assert event["payload"]["starts_at"].tzinfo is not None
    assert event["payload"]["children_capacity"] == 8


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda e: e.pop("event_id"), "event_id"),
        (lambda e: e.update(event_id="not-a-uuid"), "event_id"),
        (lambda e: e.update(type="bookings.nothing_happened"), "type"),
        (lambda e: e.update(version=99), "version"),
        (lambda e: e.update(occurred_at="yesterday"), "occurred_at"),
        (lambda e: e.pop("correlation_id"), "correlation_id"),
        (lambda e: e["payload"].pop("title"), "payload"),
    ],
)
def test_validate_event_rejects_broken_envelopes(change, field):
    event = new_event("bookings.activity_scheduled", PAYLOAD)
    change(event)
    with pytest.raises(ValidationError) as err:
        validate_event(event)
    assert field in err.value.messages


def test_validate_event_checks_the_expected_type():
    event = new_event("bookings.activity_scheduled", PAYLOAD)
    with pytest.raises(ValidationError):
        validate_event(event, expected_type="volunteers.volunteer_registered")


def test_validate_event_rejects_non_objects():
    with pytest.raises(ValidationError):
        validate_event(["not", "an", "event"])


def test_split_name():
    assert split_name("bookings.activity_scheduled") == ("bookings", "activity_scheduled")
