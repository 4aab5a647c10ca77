"""bookings.activity_completed gives a trainee one pre-filled submitted log, on the real broker:
once whatever the deliveries (the same event twice, two events for one activity), none once the
activity was cancelled whichever event came first, and the real times after a reschedule."""

import pytest
from nameko.testing.services import entrypoint_waiter

from services.bookings.service import BookingsService
from services.placements import models
from services.placements.service import PlacementsService
from shared.events import new_event
from tests.dates import DAY, at, set_clock
from tests.factories import schedule_activity
from tests.staff_on_duty import clear_trainee
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


@pytest.fixture
def placements(container_factory, service_config, monkeypatch, team):  # team: the host quota asks its headcount
    set_clock(monkeypatch, 20, day=DAY)
    container = container_factory(PlacementsService, service_config)
    container.start()
    trainee = call(container, "register_trainee", TRAINEE)
    call(
        container,
        "create_placement",
        {
            "trainee_id": trainee["id"],
            "tutor_id": "tutor-1",
            "starts_on": DAY.isoformat(),
            "ends_on": DAY.isoformat(),
            "required_hours": "10",
        },
    )
    return container


def deliver(container, publish_raw, body, handler):
    with entrypoint_waiter(container, handler, timeout=10) as result:
        publish_raw(body["type"], body)
    return result.get()


def completed(activity_id="act-1", start=None, end=None):
    return new_event(
        "bookings.activity_completed",
        {
            "activity_id": activity_id,
            "kind": "story_time",
            "started_at": start or at(9),
            "ended_at": end or at(11),
            "trainee_ids": ["trainee-1"],
            "volunteer_ids": [],
        },
    )


def cancelled(activity_id="act-1"):
    return new_event("bookings.activity_cancelled", {"activity_id": activity_id, "reason": "Pluie"})


def logs():
    with models.database.connection_context():
        return [(log.activity_id, log.status, log.source) for log in models.HourLog.select()]


def test_the_same_completion_delivered_twice_gives_one_log(placements, publish_raw):
    event = completed()
    deliver(placements, publish_raw, event, "prefill_from_activity")
    deliver(placements, publish_raw, event, "prefill_from_activity")
    assert logs() == [("act-1", "submitted", "activity")]


def test_two_completions_of_one_activity_give_one_log(placements, publish_raw):
    deliver(placements, publish_raw, completed(), "prefill_from_activity")
    deliver(placements, publish_raw, completed(), "prefill_from_activity")
    assert logs() == [("act-1", "submitted", "activity")]


@pytest.mark.parametrize("order", [("cancelled", "completed"), ("completed", "cancelled")], ids="_then_".join)
def test_a_cancelled_activity_gives_no_log_when_its_cancellation_came_first(placements, publish_raw, order):
    events = {"cancelled": (cancelled(), "forget_activity"), "completed": (completed(), "prefill_from_activity")}
    for step in order:
        deliver(placements, publish_raw, *events[step])
    # bookings completes no cancelled activity: a completion after a cancellation is only a late delivery
    assert logs() == ([] if order[0] == "cancelled" else [("act-1", "submitted", "activity")])


def test_a_rescheduled_activity_gives_its_real_times_and_only_on_completion(
    container_factory, service_config, placements, publish_raw
):
    bookings = container_factory(BookingsService, service_config)
    bookings.start()
    clear_trainee(bookings, "trainee-1")
    activity = schedule_activity(bookings, starts_at=at(9), ends_at=at(10))
    call(bookings, "assign_trainee", activity["id"], {"trainee_id": "trainee-1"})
    call(bookings, "reschedule_activity", activity["id"], {"starts_at": at(14), "ends_at": at(15, 30)})
    assert logs() == []
    with entrypoint_waiter(placements, "prefill_from_activity", timeout=10):
        call(bookings, "complete_activity", activity["id"], {})
    with models.database.connection_context():
        [log] = models.HourLog.select()
    shown = call(placements, "get_placement", log.placement_id)
    assert (log.activity_id, shown["submitted_hours"]) == (activity["id"], "1.50")
