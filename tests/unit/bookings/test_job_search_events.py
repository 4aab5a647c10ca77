"""A family's job search in bookings (services/bookings/family_file/job_search.py): an outcome from
placements ends it, staff's family file changes it, each change is told as
bookings.job_search_changed; any order, any number of deliveries, the same end."""

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from services.bookings import models
from shared import timeutil
from shared.events import new_event, validate_event
from tests.factories import book, create_child, create_family, create_slot
from tests.unit.bookings.test_bookings_service import service  # noqa: F401

STAFF = "staff-coordinator-1"


def outcome(family_id, on, recorded_at, kind="hired", role="family"):
    payload = {
        "person_id": "account-parent-1",
        "subjects": [{"role": role, "id": family_id}],
        "outcome_id": f"outcome-{on}-{kind}",
        "kind": kind,
        "on": on.isoformat(),
    }
    return validate_event(new_event("placements.outcome_recorded", payload, occurred_at=recorded_at))


def told(name="bookings.job_search_changed"):
    bodies = [json.loads(row.body) for row in models.Outbox.select().order_by(models.Outbox.id)]
    return [body["payload"] for body in bodies if body["type"] == name]


def family_row(family):
    return models.Family.get_by_id(family["id"])


def staff_types(service, family, job_seeker, now, monkeypatch):  # noqa: F811
    monkeypatch.setattr(timeutil, "now_utc", lambda: now)
    return service.correct_family(family["id"], {"job_seeker": job_seeker}, STAFF)


def test_a_hire_ends_a_job_seeking_familys_search_from_its_date_and_is_told(service):  # noqa: F811
    family = create_family(service, job_seeker=True)
    service.end_job_search(outcome(family["id"], date(2026, 3, 12), datetime(2026, 3, 12, 9, tzinfo=timezone.utc)))
    row = family_row(family)
    assert (row.job_seeker, row.back_to_work_on) == (False, date(2026, 3, 12))
    assert told() == [{"family_id": family["id"], "job_seeker": False, "changed_on": "2026-03-12", "source": "outcome"}]
    shown = service.get_family(family["id"])
    assert (shown["job_seeker"], shown["back_to_work_on"]) == (False, "2026-03-12")


def test_the_same_outcome_delivered_twice_is_applied_and_told_once(service):  # noqa: F811
    family = create_family(service, job_seeker=True)
    event = outcome(family["id"], date(2026, 3, 12), datetime(2026, 3, 12, 9, tzinfo=timezone.utc))
    service.end_job_search(event)
    service.end_job_search(event)
    assert len(told()) == 1
    assert family_row(family).back_to_work_on == date(2026, 3, 12)


@pytest.mark.parametrize("kind", ["training_started", "placement_started"])
def test_an_outcome_that_does_not_end_a_job_search_changes_nothing(service, kind):  # noqa: F811
    family = create_family(service, job_seeker=True)
    service.end_job_search(outcome(family["id"], date(2026, 3, 12), datetime(2026, 3, 12, tzinfo=timezone.utc), kind))
    assert family_row(family).job_seeker is True
    assert told() == []


def test_an_outcome_about_a_trainee_record_or_an_unknown_family_changes_no_family(service):  # noqa: F811
    family = create_family(service, job_seeker=True)
    at = datetime(2026, 3, 12, tzinfo=timezone.utc)
    service.end_job_search(outcome(family["id"], date(2026, 3, 12), at, role="trainee"))
    service.end_job_search(outcome("no-such-family", date(2026, 3, 12), at))
    assert family_row(family).job_seeker is True
    assert told() == []


def test_an_outcome_then_staff_typing_job_seeking_again_leaves_the_family_job_seeking(service, monkeypatch):  # noqa: F811
    family = create_family(service, job_seeker=True)
    service.end_job_search(outcome(family["id"], date(2026, 3, 12), datetime(2026, 3, 12, 9, tzinfo=timezone.utc)))
    typed_at = datetime(2026, 3, 20, 9, tzinfo=timezone.utc)
    corrected = staff_types(service, family, True, typed_at, monkeypatch)
    assert (corrected["job_seeker"], corrected["job_search_changed_on"], corrected["back_to_work_on"]) == (
        True,
        "2026-03-20",
        None,
    )
    assert [(t["source"], t["job_seeker"], t["changed_on"]) for t in told()] == [
        ("outcome", False, "2026-03-12"),
        ("family_file", True, "2026-03-20"),
    ]


def test_staff_typing_job_seeking_then_an_older_outcome_told_late_leaves_the_family_job_seeking(
    service,  # noqa: F811
    monkeypatch,
):
    family = create_family(service, job_seeker=False)
    staff_types(service, family, True, datetime(2026, 3, 20, 9, tzinfo=timezone.utc), monkeypatch)
    service.end_job_search(outcome(family["id"], date(2026, 3, 12), datetime(2026, 3, 12, 9, tzinfo=timezone.utc)))
    row = family_row(family)
    assert (row.job_seeker, row.job_search_changed_on, row.back_to_work_on) == (True, date(2026, 3, 20), None)
    assert [t["source"] for t in told()] == ["family_file"]


def test_an_outcome_dated_after_staffs_change_ends_the_search(service, monkeypatch):  # noqa: F811
    family = create_family(service, job_seeker=False)
    staff_types(service, family, True, datetime(2026, 3, 20, 9, tzinfo=timezone.utc), monkeypatch)
    service.end_job_search(outcome(family["id"], date(2026, 3, 20), datetime(2026, 3, 20, 15, tzinfo=timezone.utc)))
    assert (family_row(family).job_seeker, family_row(family).back_to_work_on) == (False, date(2026, 3, 20))


def test_staff_sending_the_whole_form_unchanged_keeps_the_return_to_work(service, monkeypatch):  # noqa: F811
    family = create_family(service, job_seeker=True)
    service.end_job_search(outcome(family["id"], date(2026, 3, 12), datetime(2026, 3, 12, 9, tzinfo=timezone.utc)))
    staff_types(service, family, False, datetime(2026, 3, 20, 9, tzinfo=timezone.utc), monkeypatch)
    assert family_row(family).back_to_work_on == date(2026, 3, 12)
    assert [t["source"] for t in told()] == ["outcome"]


def test_a_family_back_to_work_books_without_the_avip_priority(service):  # noqa: F811
    family = create_family(service, job_seeker=True)
    child = create_child(service, family)
    slot = create_slot(service)
    before = book(service, family, slot, child)
    assert before["avip"] is True
    yesterday = timeutil.venue_today() - timedelta(days=1)
    service.end_job_search(outcome(family["id"], yesterday, timeutil.now_utc()))
    service.cancel_booking(before["id"], family["id"])
    after = book(service, family, slot, child)
    assert after["avip"] is False
