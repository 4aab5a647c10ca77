"""The bookings service's entrypoints with nameko's worker_factory: real SQLite, no broker."""

import json

import pytest
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import migrate
from shared.errors import Conflict, Invalid
from shared.unit_of_work import Work

ACTIVITY = {
    "title": "Conte",
    "kind": "story_time",
    "starts_at": "2026-12-01T09:00:00+01:00",
    "ends_at": "2026-12-01T10:00:00+01:00",
    "children_capacity": 8,
    "volunteer_slots": 2,
    "trainee_slots": 1,
}


@pytest.fixture
def service(tmp_path):
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    yield worker_factory(
        BookingsService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=VenueSettings()
    )
    models.database.close()


def test_scheduling_stores_the_activity_and_its_event_together(service):
    room = service.create_room({"name": "Lucioles", "kind": "workshop", "capacity": 12})
    activity = service.schedule_activity(dict(ACTIVITY, room_id=room["id"]))
    assert activity["status"] == "scheduled"
    [row] = models.Outbox.select()
    event = json.loads(row.body)
    assert event["type"] == "bookings.activity_scheduled"
    assert event["correlation_id"] == "test-cid"
    assert event["payload"]["activity_id"] == activity["id"]
    assert event["payload"]["starts_at"] == "2026-12-01T09:00:00+01:00"


def test_a_refused_activity_leaves_no_row_and_no_event(service):
    room = service.create_room({"name": "Lucioles", "kind": "workshop", "capacity": 12})
    service.schedule_activity(dict(ACTIVITY, room_id=room["id"]))
    with pytest.raises(Conflict) as clash:
        service.schedule_activity(dict(ACTIVITY, room_id=room["id"], starts_at="2026-12-01T09:30:00+01:00"))
    assert "Conte" in clash.value.message
    with pytest.raises(Invalid) as too_many:
        service.schedule_activity(
            dict(
                ACTIVITY,
                room_id=room["id"],
                children_capacity=13,
                starts_at="2026-12-02T09:00:00+01:00",
                ends_at="2026-12-02T10:00:00+01:00",
            )
        )
    assert "children_capacity" in too_many.value.fields
    assert models.Activity.select().count() == 1
    assert models.Outbox.select().count() == 1


def test_unknown_room_and_bad_times_are_field_errors(service):
    with pytest.raises(Invalid) as unknown:
        service.schedule_activity(dict(ACTIVITY, room_id="nope"))
    assert "room_id" in unknown.value.fields
    with pytest.raises(Invalid) as backwards:
        service.schedule_activity(dict(ACTIVITY, room_id="nope", ends_at="2026-12-01T08:00:00+01:00"))
    assert "ends_at" in backwards.value.fields


def test_room_names_are_unique(service):
    service.create_room({"name": "Lucioles", "kind": "workshop", "capacity": 12})
    with pytest.raises(Conflict):
        service.create_room({"name": "Lucioles", "kind": "garden", "capacity": 5})


def test_activities_filter_by_period(service):
    room = service.create_room({"name": "Lucioles", "kind": "workshop", "capacity": 12})
    service.schedule_activity(dict(ACTIVITY, room_id=room["id"]))
    period = {"from": "2026-12-01T00:00:00+01:00", "to": "2026-12-02T00:00:00+01:00"}
    assert len(service.list_activities(period)["items"]) == 1
    assert service.list_activities({"from": "2026-12-02T00:00:00+01:00"}) == {"items": [], "next_cursor": None}


def test_a_booking_on_a_date_the_cnaf_scale_does_not_cover_is_refused_clearly(service):
    room = service.create_room({"name": "Crèche", "kind": "childcare", "capacity": 3})
    slot = service.create_slot(
        {
            "room_id": room["id"],
            "starts_at": "2035-03-01T08:00:00+01:00",
            "ends_at": "2035-03-01T12:00:00+01:00",
            "age_group": "walking",
            "staff_on_duty": 2,
        }
    )
    family = service.register_family(
        {
            "email": "f@example.fr",
            "monthly_resources": "2000",
            "dependent_children": 1,
            "guardians": [{"first_name": "A", "last_name": "B", "phone": "0601020304"}],
        }
    )
    child = service.add_child(family["id"], {"first_name": "E", "birth_date": "2025-01-01"})
    with pytest.raises(Conflict) as refused:
        service.book(family["id"], {"slot_id": slot["id"], "child_id": child["id"]})
    assert "barème CNAF" in refused.value.message
    assert models.Booking.select().count() == 0 and models.Outbox.select().count() == 0
