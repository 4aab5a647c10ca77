"""What insights keeps of an event: only ids, enum values, dates, numbers and booleans, each
checked against the event's own contract (domain/reduction.py)."""

import re

import pytest
from marshmallow import fields, validate

from services.insights.domain import reduction
from shared.events.registry import contract_for

NUMBER_STRINGS = {
    "hours",
    "total",
    "planned_hours",
    "validated_hours",
    "hours_per_week",
    "hours_billed",
    "hours_attended",
    "place_hours",
}  # exact decimals


def kept_field_agrees_with_its_contract(name, field, kind, spec):
    if kind == reduction.ID:
        return isinstance(spec, fields.String) and re.search(r"(^|_)id$", field)
    if kind == reduction.IDS:
        return isinstance(spec, fields.List) and field.endswith("_ids")
    if kind == reduction.ENUM:
        return isinstance(spec, fields.String) and any(isinstance(v, validate.OneOf) for v in spec.validators)
    if kind == reduction.DATE:
        return isinstance(spec, fields.Date | fields.DateTime)
    if kind == reduction.NUMBER:
        return isinstance(spec, fields.Decimal) or (isinstance(spec, fields.String) and field in NUMBER_STRINGS)
    if kind == reduction.INTEGER:
        return isinstance(spec, fields.Integer)
    if kind == reduction.BOOLEAN:
        return isinstance(spec, fields.Boolean)
    if kind == reduction.MONTH:
        return isinstance(spec, fields.String) and field == "month"
    if kind == reduction.SUBJECTS:
        return isinstance(spec, fields.List) and field == "subjects"
    return False


def test_every_kept_field_is_an_id_an_enum_a_date_a_number_or_a_boolean_of_its_contract():
    wrong = []
    for name, (allowed, key_fields) in reduction.ALLOWED.items():
        schema_fields = contract_for(name).schema.fields
        for field, kind in allowed.items():
            spec = schema_fields.get(field)
            if spec is None or not kept_field_agrees_with_its_contract(name, field, kind, spec):
                wrong.append((name, field, kind))
        wrong += [(name, key, "key not kept") for key in key_fields if key not in allowed]
    assert wrong == []


def test_a_room_name_a_title_or_a_reason_is_never_kept():
    kept = reduction.reduce_payload(
        "bookings.booking_cancelled",
        {
            "booking_id": "b1",
            "slot_id": "s1",
            "child_id": "c1",
            "family_id": "f1",
            "starts_at": "2026-07-06T08:30:00+02:00",
            "ends_at": "2026-07-06T12:30:00+02:00",
            "avip": False,
            "room_name": "Les Lucioles",
            "cancelled_in_time": True,
            "was_status": "confirmed",
        },
    )
    assert "room_name" not in kept and "was_status" not in kept
    assert kept["starts_at"] == "2026-07-06"


def test_a_name_where_an_id_is_expected_is_refused():
    with pytest.raises(ValueError, match="family_id"):
        reduction.reduce_payload(
            "bookings.job_search_changed",
            {"family_id": "Marie Dupont", "job_seeker": True, "changed_on": "2026-06-01", "source": "family_file"},
        )


def test_a_text_where_an_enum_is_expected_is_refused():
    with pytest.raises(ValueError, match="kind"):
        reduction.reduce_payload(
            "placements.outcome_recorded",
            {"person_id": "p", "subjects": [], "outcome_id": "o", "kind": "Embauché en CDI", "on": "2026-10-05"},
        )


def test_a_number_that_is_not_one_is_refused():
    with pytest.raises(ValueError, match="hours"):
        reduction.reduce_payload(
            "volunteers.volunteer_hours_recorded",
            {"volunteer_id": "v", "activity_id": "a", "hours": "une heure", "starts_at": "2026-07-06T09:00:00+02:00"},
        )


def test_the_dedupe_key_comes_from_the_record_not_from_the_envelope():
    payload = {"family_id": "f1", "job_seeker": False, "changed_on": "2026-10-05", "source": "outcome"}
    assert reduction.dedupe_key("bookings.job_search_changed", payload) == (
        "bookings.job_search_changed:f1:2026-10-05:False"
    )
    assert reduction.dedupe_key("bookings.job_search_changed", {**payload, "source": "family_file"}) == (
        reduction.dedupe_key("bookings.job_search_changed", payload)
    )


def test_every_consumed_event_is_a_registered_contract():
    for name in reduction.CONSUMED:
        assert contract_for(name).name == name
