"""Events name people by id (docs/architecture.md, "Personal data travels by id"): no contract
carries a person's email, name or phone, so an erasure has no copies to chase through queues,
dead letters and logs; an event of the version that still carried them loads without them."""

import re

import pytest
from marshmallow import ValidationError, fields

from shared.events import new_event, validate_event
from shared.events.registry import CONTRACTS, contract_for

# a field named like a person's data: email, first or last name, phone, a bare name, *_email, *_name…
PERSONAL = re.compile(r"(^|_)(e?mail|first_name|last_name|full_name|phone|name|names|surname|birth_date|address)$")
# names that are not a person's: a room, a course's title is not named so
NOT_A_PERSON = {"room_name"}
# what the team service's profile events still carry, until bookings asks team `contact` for the
# names of the staff it lists (the staff's own names, shown to the venue's staff as on duty)
STAFF_PROFILE = {("team.staff_registered", "first_name"), ("team.staff_updated", "first_name")}
STAFF_PROFILE |= {("team.staff_registered", "last_name"), ("team.staff_updated", "last_name")}


def field_names(schema, prefix=""):
    """Every field of a schema, nested ones as `parent.child`."""
    for name, field in schema.fields.items():
        yield f"{prefix}{name}", name
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested):
            yield from field_names(inner.schema, f"{prefix}{name}.")


def personal_fields():
    contract_for("bookings.booking_confirmed")  # loads every contract module
    return sorted(
        (event, path)
        for event, contract in CONTRACTS.items()
        for path, name in field_names(contract.schema)
        if PERSONAL.search(name) and name not in NOT_A_PERSON and (event, name) not in STAFF_PROFILE
    )


def test_no_event_carries_a_persons_email_name_or_phone():
    assert personal_fields() == []


def test_the_check_finds_a_persons_field_where_there_is_one():
    assert PERSONAL.search("family_email") and PERSONAL.search("child_first_name") and PERSONAL.search("name")
    assert PERSONAL.search("phone") and not PERSONAL.search("room_id") and not PERSONAL.search("title")


BOOKING_V1 = {
    "booking_id": "b1",
    "slot_id": "s1",
    "child_id": "c1",
    "family_id": "f1",
    "starts_at": "2030-12-03T07:30:00+00:00",
    "ends_at": "2030-12-03T11:30:00+00:00",
    "avip": False,
    "family_email": "camille.durand@example.fr",
    "child_first_name": "Léa",
    "room_name": "Les Lucioles",
}


def as_version_1(event_type, payload):
    """A version 1 envelope as a producer not yet upgraded (or a message queued before) sent it."""
    envelope = new_event("volunteers.volunteer_registered", {"volunteer_id": "v1"})
    return dict(envelope, type=event_type, version=1, payload=payload)


def test_a_booking_confirmed_of_version_1_is_read_without_the_email_and_first_name():
    read = validate_event(as_version_1("bookings.booking_confirmed", BOOKING_V1))
    assert read["version"] == 2
    assert "family_email" not in read["payload"] and "child_first_name" not in read["payload"]
    assert (read["payload"]["child_id"], read["payload"]["room_name"]) == ("c1", "Les Lucioles")


def test_a_promotion_of_version_1_still_loads_though_its_names_were_required_then():
    payload = dict(BOOKING_V1, promoted_at="2030-12-01T08:00:00+00:00", declinable_without_charge=True)
    read = validate_event(as_version_1("bookings.booking_promoted", payload))
    assert read["payload"]["family_id"] == "f1" and "family_email" not in read["payload"]


def test_an_invoice_volunteer_and_enrolment_of_version_1_lose_their_address_and_names():
    invoice = {
        "invoice_id": "i1",
        "number": "F-2026-000042",
        "family_id": "f1",
        "family_email": "camille.durand@example.fr",
        "month": "2026-03",
        "total": "284.83",
        "issued_on": "2026-04-01",
        "due_on": "2026-04-15",
    }
    assert "family_email" not in validate_event(as_version_1("bookings.invoice_issued", invoice))["payload"]
    registered = {"volunteer_id": "v1", "first_name": "Jeanne", "email": "jeanne@example.fr"}
    assert validate_event(as_version_1("volunteers.volunteer_registered", registered))["payload"] == {
        "volunteer_id": "v1"
    }
    enrolment = {
        "enrolment_id": "e1",
        "session_id": "s1",
        "title": "Premiers secours",
        "participant_kind": "volunteer",
        "participant_id": "v1",
        "name": "Jeanne Martin",
        "starts_at": "2030-12-03T07:30:00+00:00",
    }
    read = validate_event(as_version_1("education.enrolment_confirmed", enrolment))
    assert "name" not in read["payload"] and read["payload"]["participant_id"] == "v1"


def test_a_producer_can_no_longer_put_the_familys_email_in_a_booking_event():
    with pytest.raises(ValidationError) as refused:
        new_event("bookings.booking_confirmed", BOOKING_V1)
    assert {"family_email", "child_first_name"} <= set(refused.value.messages["payload"])
