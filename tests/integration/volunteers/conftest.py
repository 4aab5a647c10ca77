"""The volunteers service alone on the real broker, fed bookings' activity events by hand."""

import json
from datetime import date, timedelta

import pytest
from nameko.testing.services import entrypoint_waiter

from services.volunteers import models
from services.volunteers.domain.clearance import DEFAULT_CHARTER_VERSION
from services.volunteers.service import VolunteersService
from shared.events import new_event
from tests.dates import DAY, at
from tests.support import call

ISSUED = date.today() - timedelta(days=30)  # a recent attestation: valid at DAY
CHARTER = DEFAULT_CHARTER_VERSION
COVER = {
    "insurer": "MAIF",
    "policy": "RC associations 42",
    "valid_from": ISSUED.isoformat(),
    "valid_until": (date.today() + timedelta(days=400)).isoformat(),
}


def deliver(container, publish_raw, event_name, payload, handler, occurred_at=None):
    """Publish one event as its producer would and wait until `handler` applied it (raises if it failed)."""
    with entrypoint_waiter(container, handler, timeout=10) as result:
        publish_raw(event_name, new_event(event_name, payload, occurred_at=occurred_at))
    return result.get()


def redeliver(container, publish_raw, envelope, handler):
    """The same envelope again (same event id): a duplicate delivery."""
    with entrypoint_waiter(container, handler, timeout=10) as result:
        publish_raw(envelope["type"], envelope)
    return result.get()


def scheduled(activity_id="act-1", start=(9, 30), end=(10, 30), slots=2, kind="story_time", day=DAY):
    return {
        "activity_id": activity_id,
        "title": "Heure du conte",
        "kind": kind,
        "room_id": "room-1",
        "room_name": "Les Lucioles",
        "starts_at": at(*start, day=day),
        "ends_at": at(*end, day=day),
        "children_capacity": 8,
        "volunteer_slots": slots,
        "trainee_slots": 0,
    }


def rescheduled(activity_id="act-1", start=(14, 0), end=(15, 0), previous=((9, 30), (10, 30))):
    return {
        "activity_id": activity_id,
        "room_id": "room-1",
        "room_name": "Les Lucioles",
        "starts_at": at(*start),
        "ends_at": at(*end),
        "previous_starts_at": at(*previous[0]),
        "previous_ends_at": at(*previous[1]),
    }


def completed(activity_id="act-1", start=(9, 30), end=(11, 0), volunteer_ids=()):
    return {
        "activity_id": activity_id,
        "kind": "story_time",
        "started_at": at(*start),
        "ended_at": at(*end),
        "trainee_ids": [],
        "volunteer_ids": list(volunteer_ids),
    }


def volunteer_fields(n=1, **overrides):
    return {
        "email": f"benevole{n}@example.fr",
        "first_name": "Jeanne",
        "last_name": f"Martin{n}",
        "birth_date": "1950-03-02",
        "phone": "0612345678",
        "interests": ["story_time"],
        "availability": [{"weekday": DAY.weekday(), "part": "morning"}],
        "emergency_name": "Paul Martin",
        "emergency_phone": "0698765432",
        "consent_version": "2025-01",
        **overrides,
    }


def cleared_volunteer(container, n=1, **overrides):
    volunteer = call(container, "register_volunteer", volunteer_fields(n, **overrides))
    call(
        container,
        "record_honorability",
        volunteer["id"],
        {"issued_on": ISSUED.isoformat(), "verified_on": ISSUED.isoformat()},
        "staff-1",
    )
    call(container, "record_insurance", volunteer["id"], COVER, "staff-1")
    call(container, "accept_charter", volunteer["id"], {"version": CHARTER})
    return volunteer


def emitted(event_type=None):
    """The payloads the service recorded in its outbox, in order (of one type, or (type, payload))."""
    with models.database.connection_context():
        rows = models.Outbox.select().order_by(models.Outbox.created_at, models.Outbox.id)
        found = [(r.event_type, json.loads(r.body)["payload"]) for r in rows]
    return [p for t, p in found if t == event_type] if event_type else found


@pytest.fixture
def volunteers(container_factory, service_config):
    container = container_factory(VolunteersService, service_config)
    container.start()
    return container
