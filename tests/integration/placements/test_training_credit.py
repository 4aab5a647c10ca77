"""education.attendance_recorded credits a trainee's training hours on the real broker: one
validated training log per (session, part, trainee) on the placement covering that day, kept
apart from the on-site hours, following the attendance sheet's latest revision whatever the
order and the number of deliveries; nothing for a trainee with no placement that day."""

from datetime import timedelta

import pytest
from nameko.testing.services import entrypoint_waiter

from services.placements import models
from services.placements.service import PlacementsService
from shared.events import new_event
from tests.dates import DAY, at, set_clock
from tests.support import call

TRAINEE = {
    "id": "trainee-1",
    "email": "lea@example.fr",
    "first_name": "Léa",
    "last_name": "Martin",
    "birth_date": "2000-05-04",
    "programme": "cap_aepe",
    "school": "Lycée Jean Moulin",
}
HANDLER = "credit_training"


@pytest.fixture
def placements(container_factory, service_config, monkeypatch, team):  # team: the host quota asks its headcount
    """The service with trainee-1 placed from DAY - 1 to DAY + 1 (the evening of DAY)."""
    set_clock(monkeypatch, 20, day=DAY)
    container = container_factory(PlacementsService, service_config)
    container.start()
    call(container, "register_trainee", TRAINEE)
    return container


@pytest.fixture
def placement(placements):
    return call(
        placements,
        "create_placement",
        {
            "trainee_id": "trainee-1",
            "tutor_id": "tutor-1",
            "starts_on": (DAY - timedelta(days=1)).isoformat(),
            "ends_on": (DAY + timedelta(days=1)).isoformat(),
            "required_hours": "10",
        },
    )


def attendance(revision, present, part_index=0, day=DAY, participant_id="trainee-1", kind="trainee"):
    return new_event(
        "education.attendance_recorded",
        {
            "session_id": "session-1",
            "title": "Premiers secours en crèche",
            "part_index": part_index,
            "participant_kind": kind,
            "participant_id": participant_id,
            "present": present,
            "starts_at": at(9, day=day),
            "ends_at": at(12, 30, day=day),
            "hours": "3.50",
            "revision": revision,
        },
    )


def deliver(container, publish_raw, body):
    with entrypoint_waiter(container, HANDLER, timeout=10) as result:
        publish_raw(body["type"], body)
    return result.get()


def training_logs():
    with models.database.connection_context():
        return [
            (log.kind, log.source, log.status, log.tasks)
            for log in models.HourLog.select().order_by(models.HourLog.starts_at)
        ]


def credits():
    with models.database.connection_context():
        found = models.TrainingCredit.select().order_by(models.TrainingCredit.part_index)
        return [(c.part_index, c.revision, c.present, c.hour_log_id is not None) for c in found]


def test_a_present_trainee_is_credited_once_under_duplicate_delivery(placements, placement, publish_raw):
    event = attendance(1, True)
    deliver(placements, publish_raw, event)
    assert deliver(placements, publish_raw, event) is None  # the same event again: skipped by the inbox
    deliver(placements, publish_raw, attendance(1, True))  # the same revision in another event: kept as is

    assert training_logs() == [
        ("training", "education", "validated", "Formation « Premiers secours en crèche » (feuille d'émargement)")
    ]
    shown = call(placements, "get_placement", placement["id"])
    assert (shown["training_hours"], shown["validated_hours"], shown["submitted_hours"]) == ("3.50", "0.00", "0.00")


def test_a_later_absent_revision_arriving_first_leaves_the_part_uncredited(placements, placement, publish_raw):
    deliver(placements, publish_raw, attendance(2, False))  # the correction overtook the first record
    deliver(placements, publish_raw, attendance(1, True))

    assert training_logs() == []
    assert credits() == [(0, 2, False, False)]
    assert call(placements, "get_placement", placement["id"])["training_hours"] == "0.00"


def test_a_correction_to_absent_takes_back_a_credit_already_given(placements, placement, publish_raw):
    deliver(placements, publish_raw, attendance(1, True))
    deliver(placements, publish_raw, attendance(1, True, part_index=1))
    assert call(placements, "get_placement", placement["id"])["training_hours"] == "7.00"

    deliver(placements, publish_raw, attendance(2, False))
    assert credits() == [(0, 2, False, False), (1, 1, True, True)]
    assert call(placements, "get_placement", placement["id"])["training_hours"] == "3.50"

    deliver(placements, publish_raw, attendance(3, True))  # present after all
    assert call(placements, "get_placement", placement["id"])["training_hours"] == "7.00"


def test_a_trainee_without_a_placement_that_day_gets_nothing_and_nothing_breaks(placements, placement, publish_raw):
    assert deliver(placements, publish_raw, attendance(1, True, part_index=3, day=DAY + timedelta(days=5))) is None
    assert deliver(placements, publish_raw, attendance(1, True, participant_id="not-a-trainee")) is None
    assert deliver(placements, publish_raw, attendance(1, True, participant_id="trainee-1", kind="volunteer")) is None

    assert training_logs() == []
    assert call(placements, "get_placement", placement["id"])["training_hours"] == "0.00"
    # the service still answers and still credits what it should
    assert deliver(placements, publish_raw, attendance(1, True)) is not None
    assert len(training_logs()) == 1


def test_training_attended_before_the_placement_was_entered_is_credited_when_it_is_created(placements, publish_raw):
    assert deliver(placements, publish_raw, attendance(1, True)) is None  # no placement yet: it waits
    assert deliver(placements, publish_raw, attendance(1, True, part_index=1, day=DAY + timedelta(days=30))) is None
    assert training_logs() == []

    placement = call(
        placements,
        "create_placement",
        {
            "trainee_id": "trainee-1",
            "tutor_id": "tutor-1",
            "starts_on": (DAY - timedelta(days=1)).isoformat(),
            "ends_on": (DAY + timedelta(days=1)).isoformat(),
            "required_hours": "10",
        },
    )
    assert training_logs() == [
        ("training", "education", "validated", "Formation « Premiers secours en crèche » (feuille d'émargement)")
    ]
    assert call(placements, "get_placement", placement["id"])["training_hours"] == "3.50"  # not the day outside it

    deliver(placements, publish_raw, attendance(2, False))  # the sheet corrected afterwards: taken back
    assert call(placements, "get_placement", placement["id"])["training_hours"] == "0.00"


def test_the_hour_sheet_lists_the_training_log_with_its_kind(placements, placement, publish_raw):
    deliver(placements, publish_raw, attendance(1, True))
    [log] = call(placements, "hour_sheet", placement["id"])["logs"]
    assert (log["kind"], log["source"], log["status"], log["hours"]) == ("training", "education", "validated", "3.50")


def test_credit_and_correction_work_the_same_on_postgresql(start_on_postgres, monkeypatch, publish_raw, team):
    set_clock(monkeypatch, 20, day=DAY)
    placements = start_on_postgres(PlacementsService)  # migrated first: the training credit table too
    call(placements, "register_trainee", TRAINEE)
    placement = call(
        placements,
        "create_placement",
        {"trainee_id": "trainee-1", "tutor_id": "tutor-1", "starts_on": DAY.isoformat(), "ends_on": DAY.isoformat()},
    )
    present = attendance(1, True)
    deliver(placements, publish_raw, present)
    deliver(placements, publish_raw, present)
    assert call(placements, "get_placement", placement["id"])["training_hours"] == "3.50"

    deliver(placements, publish_raw, attendance(2, False))  # the log goes, its credit row stays
    deliver(placements, publish_raw, attendance(1, True))  # a late copy of the first record
    assert training_logs() == []
    assert credits() == [(0, 2, False, False)]
