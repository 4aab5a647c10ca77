"""Events of one aggregate applied in any order give the same final state (shared/tombstones.py).

Events are published straight onto the real broker, one order then the other; each pair
must end in the same state. The PostgreSQL test holds a confirmation after its read, as a
slow worker would, while the withdrawal of the same sign-up arrives.
"""

import threading

import psycopg2
import pytest
from nameko.events import event_handler
from nameko.testing.services import entrypoint_waiter

from services.bookings import models
from services.bookings.calendar import entrypoints as calendar_entrypoints
from services.bookings.service import BookingsService
from shared.events import new_event
from tests.dates import at
from tests.factories import activity_fields, create_room, schedule_activity
from tests.staff_on_duty import seed_staff
from tests.support import call, wait_for

ANSWERS = []  # room_* events bookings sent back to education


class EducationListener:
    """Stands for the education service: what bookings answers to its room requests."""

    name = "education_listener"

    @event_handler("bookings", "room_reserved")
    def on_reserved(self, body):
        ANSWERS.append(body)

    @event_handler("bookings", "room_reservation_refused")
    def on_refused(self, body):
        ANSWERS.append(body)

    @event_handler("bookings", "room_released")
    def on_released(self, body):
        ANSWERS.append(body)


def deliver(container, publish_raw, event_name, payload, handler):
    """Publish one event as its producer would and wait until `handler` applied it (raises if it failed)."""
    with entrypoint_waiter(container, handler, timeout=10) as result:
        publish_raw(event_name, new_event(event_name, payload))
    return result.get()


@pytest.fixture
def bookings(container_factory, service_config):
    ANSWERS.clear()
    container_factory(EducationListener, service_config).start()
    container = container_factory(BookingsService, service_config)
    container.start()
    seed_staff(container)  # the activities' leads, as the team service tells bookings
    return container


# --- a volunteer's sign-up: confirmed / withdrawn -------------------------------------------------
SIGNUP_EVENTS = {
    "confirmed": ("volunteers.signup_confirmed", "count_volunteer"),
    "withdrawn": ("volunteers.signup_withdrawn", "uncount_volunteer"),
}


@pytest.mark.parametrize("order", [("confirmed", "withdrawn"), ("withdrawn", "confirmed")], ids="_then_".join)
def test_a_withdrawn_signup_is_not_counted_whichever_event_arrives_first(bookings, publish_raw, order):
    activity = schedule_activity(bookings)
    signup = {"signup_id": "signup-1", "activity_id": activity["id"], "volunteer_id": "volunteer-1"}
    for step in order:
        event_name, handler = SIGNUP_EVENTS[step]
        deliver(bookings, publish_raw, event_name, signup, handler)

    after = call(bookings, "get_activity", activity["id"])
    assert (after["volunteers_confirmed"], after["volunteer_ids"]) == (0, [])


def test_a_signup_confirmed_twice_by_two_events_is_counted_once(bookings, publish_raw, take_messages):
    activity = schedule_activity(bookings)
    signup = {"signup_id": "signup-1", "activity_id": activity["id"], "volunteer_id": "volunteer-1"}
    for _ in range(2):  # two events (two event ids) saying the same thing: the inbox cannot tell
        deliver(bookings, publish_raw, "volunteers.signup_confirmed", signup, "count_volunteer")

    after = call(bookings, "get_activity", activity["id"])
    assert (after["volunteers_confirmed"], after["volunteer_ids"]) == (1, ["volunteer-1"])
    assert take_messages("evt-volunteers-signup_confirmed--bookings.count_volunteer.dlq") == []


# --- a training session's room: requested / cancelled -----------------------------------------------
def session_state(container, room_id):
    """What the cancelled session leaves behind: held reservations, and whether the room is free."""
    with models.database.connection_context():
        held = (
            models.RoomReservation.select()
            .where(models.RoomReservation.session_id == "session-1", models.RoomReservation.status == "held")
            .count()
        )
    free = (
        call(container, "schedule_activity", activity_fields(room_id, starts_at=at(14), ends_at=at(15)))["status"]
        == "scheduled"
    )
    return {"held_reservations": held, "room_free_during_the_session": free}


def answers():
    return [(a["type"], a["payload"].get("reason")) for a in ANSWERS]


def test_a_session_cancelled_after_its_request_releases_the_room(bookings, publish_raw):
    room = create_room(bookings, name="Salle de formation", kind="training")
    request(bookings, publish_raw, room["id"])
    cancel(bookings, publish_raw)

    assert session_state(bookings, room["id"]) == {"held_reservations": 0, "room_free_during_the_session": True}
    wait_for(lambda: len(ANSWERS) == 2, message="room_reserved and room_released")
    # Each event type reaches education on a queue of its own, so their arrival order is not given
    # (the relay may send both in one batch): both answers are sent, whatever their order.
    assert sorted(answers()) == [("bookings.room_released", None), ("bookings.room_reserved", None)]


def test_a_session_cancelled_before_its_request_arrives_holds_no_room(bookings, publish_raw):
    room = create_room(bookings, name="Salle de formation", kind="training")
    cancel(bookings, publish_raw)
    request(bookings, publish_raw, room["id"])

    assert session_state(bookings, room["id"]) == {"held_reservations": 0, "room_free_during_the_session": True}
    wait_for(lambda: ANSWERS, message="the refusal that ends education's saga")
    assert answers() == [("bookings.room_reservation_refused", calendar_entrypoints.SESSION_ALREADY_CANCELLED)]


def request(container, publish_raw, room_id):
    deliver(
        container,
        publish_raw,
        "education.room_reservation_requested",
        {
            "session_id": "session-1",
            "room_id": room_id,
            "title": "Premiers secours",
            "parts": [{"starts_at": at(9), "ends_at": at(12)}, {"starts_at": at(13), "ends_at": at(17)}],
        },
        "reserve_room",
    )


def cancel(container, publish_raw):
    deliver(
        container,
        publish_raw,
        "education.session_cancelled",
        {"session_id": "session-1", "reason": "Formateur absent"},
        "release_room",
    )


# --- the same race on PostgreSQL, both handlers in flight at once ---------------------------------------
def test_on_postgresql_a_withdrawal_racing_its_confirmation_still_uncounts(
    start_on_postgres, postgres_url, publish_raw, monkeypatch
):
    bookings = start_on_postgres(BookingsService)
    activity = schedule_activity(bookings)
    signup = {"signup_id": "signup-1", "activity_id": activity["id"], "volunteer_id": "volunteer-1"}

    confirmation_read, go_on = threading.Event(), threading.Event()
    real_is_buried = calendar_entrypoints.is_buried

    def slow_confirmation(model, kind, key):  # the barrier: after the read, before the write
        buried = real_is_buried(model, kind, key)
        confirmation_read.set()
        go_on.wait(30)
        return buried

    monkeypatch.setattr(calendar_entrypoints, "is_buried", slow_confirmation)

    watcher = psycopg2.connect(postgres_url)
    watcher.autocommit = True

    def withdrawal_committed_or_waiting():
        with watcher.cursor() as cur:
            cur.execute("SELECT count(*) FROM tombstone")
            committed = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            return committed or cur.fetchone()[0]

    try:
        with (
            entrypoint_waiter(bookings, "count_volunteer", timeout=30) as counted,
            entrypoint_waiter(bookings, "uncount_volunteer", timeout=30) as uncounted,
        ):
            publish_raw("volunteers.signup_confirmed", new_event("volunteers.signup_confirmed", signup))
            wait_for(confirmation_read.is_set, message="the confirmation read the tombstones")
            publish_raw("volunteers.signup_withdrawn", new_event("volunteers.signup_withdrawn", signup))
            wait_for(withdrawal_committed_or_waiting, message="the withdrawal committed or waiting for its turn")
            go_on.set()
        counted.get(), uncounted.get()
    finally:
        go_on.set()
        watcher.close()

    after = call(bookings, "get_activity", activity["id"])
    assert (after["volunteers_confirmed"], after["volunteer_ids"]) == (0, [])
