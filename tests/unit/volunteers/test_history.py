"""volunteers' `history` (insights' one-time backfill): each volunteer's hours on a completed
activity, told as the `volunteers.volunteer_hours_recorded` event told it (the same payload, so
the same dedupe key in insights), from `since` when given."""

from datetime import datetime
from decimal import Decimal

from services.insights.backfill import loaded
from services.volunteers import models, presenters
from tests.unit.volunteers.test_volunteers_clearance_service import database, service  # noqa: F401 (fixtures)


def hours(volunteer_id, day):
    return models.HoursRecord.create(
        volunteer_id=volunteer_id,
        activity_id=f"activity-{day}",
        title="Heure du conte",
        kind="story_time",
        starts_at=datetime(2026, 7, day, 9, 0),
        ends_at=datetime(2026, 7, day, 10, 30),
        hours=Decimal("1.50"),
    )


def test_the_history_tells_each_hours_record_as_its_event_did_and_from_since(service):  # noqa: F811
    first, second = hours("v1", 6), hours("v2", 8)
    items = service.history()
    assert [item["payload"] for item in items] == [presenters.hours_recorded(first), presenters.hours_recorded(second)]
    assert all(
        item["name"] == "volunteers.volunteer_hours_recorded" and "title" not in item["payload"] for item in items
    )
    assert loaded(items[0])[2]["hours"] == "1.50"
    assert [item["payload"]["volunteer_id"] for item in service.history("2026-07-07T00:00:00+00:00")] == ["v2"]
