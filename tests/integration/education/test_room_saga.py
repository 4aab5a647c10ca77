"""The room saga on the real broker, with the real bookings service: education asks for the room
by an event, bookings answers by an event, in any order and any number of times.

Bookings' own rows are read from its database (bound by its container) to see what it holds."""

import json

import pytest
from nameko.testing.services import entrypoint_waiter

from services.bookings import models as bookings_models
from services.bookings.service import BookingsService
from services.education import models as education_models
from services.education.service import EducationService
from shared import topology
from shared.events import new_event
from tests.dates import at
from tests.factories import create_room, create_slot, schedule_activity
from tests.integration.education.conftest import plan, settled
from tests.support import call, wait_for

REQUESTS = "evt-education-room_reservation_requested--bookings.reserve_room"


def held(session_id):
    """Bookings' held reservations of the session: [(room id, request)]."""
    with bookings_models.database.connection_context():
        rows = bookings_models.RoomReservation.select().where(
            bookings_models.RoomReservation.session_id == session_id,
            bookings_models.RoomReservation.status == "held",
        )
        return sorted((r.room_id, r.request) for r in rows)


def bookings_answers(session_id):
    """(type, request) of what bookings emitted about the session, in order."""
    with bookings_models.database.connection_context():
        rows = bookings_models.Outbox.select().order_by(bookings_models.Outbox.id)
        found = [json.loads(r.body) for r in rows]
    return [
        (e["type"], e["payload"].get("request"))
        for e in found
        if e["type"].startswith("bookings.room_") and e["payload"]["session_id"] == session_id
    ]


def education_emitted(event_type):
    with education_models.database.connection_context():
        return education_models.Outbox.select().where(education_models.Outbox.event_type == event_type).count()


def deliver(container, publish_raw, event_name, payload, handler):
    """Publish one event as its producer would and wait until `handler` applied it."""
    with entrypoint_waiter(container, handler, timeout=10) as result:
        publish_raw(event_name, new_event(event_name, payload))
    return result.get()


def test_a_free_room_confirms_the_session_with_the_rooms_name(education, bookings):
    room = create_room(bookings, name="Salle Colibri", kind="training")
    session = plan(education, room["id"])
    confirmed = settled(education, session["id"], "confirmed")
    assert (confirmed["room_name"], confirmed["enrolment_open"]) == ("Salle Colibri", True)
    assert held(session["id"]) == [(room["id"], 1), (room["id"], 1)]  # one per part


def test_a_clash_with_an_activity_refuses_the_room_with_bookings_reason(education, bookings):
    room = create_room(bookings, name="Salle Colibri")
    schedule_activity(bookings, room, title="Heure du conte", starts_at=at(10), ends_at=at(11))
    session = plan(education, room["id"])
    refused = settled(education, session["id"], "room_refused")
    assert "l'activité « Heure du conte »" in refused["refusal_reason"]
    assert held(session["id"]) == []


def test_a_clash_with_a_childcare_slot_refuses_the_room_with_bookings_reason(education, bookings):
    room = create_room(bookings, name="Les Lucioles", kind="childcare", capacity=10)
    create_slot(bookings, room)  # 08:00-12:00
    session = plan(education, room["id"])
    refused = settled(education, session["id"], "room_refused")
    assert "un créneau d'accueil" in refused["refusal_reason"]
    assert "Les Lucioles" in refused["refusal_reason"]


def test_cancelling_a_confirmed_session_frees_its_room(education, bookings):
    room = create_room(bookings, name="Salle Colibri")
    session = plan(education, room["id"])
    settled(education, session["id"], "confirmed")
    cancelled = call(education, "cancel_session", session["id"], {"reason": "Formatrice malade"})
    assert cancelled["status"] == "cancelled"
    wait_for(lambda: held(session["id"]) == [], message="the room released")
    assert schedule_activity(bookings, room, starts_at=at(10), ends_at=at(11))["status"] == "scheduled"
    wait_for(lambda: ("bookings.room_released", None) in bookings_answers(session["id"]), message="room_released")


def test_a_retry_in_another_room_after_a_refusal_confirms_it_there(education, bookings):
    taken = create_room(bookings, name="Salle Colibri")
    free = create_room(bookings, name="Salle Mésange")
    schedule_activity(bookings, taken, starts_at=at(14), ends_at=at(15))
    session = plan(education, taken["id"])
    settled(education, session["id"], "room_refused")
    retried = call(education, "retry_room", session["id"], {"room_id": free["id"]})
    assert (retried["status"], retried["request"]) == ("planned", 2)
    confirmed = settled(education, session["id"], "confirmed")
    assert (confirmed["room_id"], confirmed["room_name"]) == (free["id"], "Salle Mésange")
    assert held(session["id"]) == [(free["id"], 2), (free["id"], 2)]
    assert bookings_answers(session["id"]) == [
        ("bookings.room_reservation_refused", 1),
        ("bookings.room_reserved", 2),
    ]


def test_answers_replayed_or_for_an_older_request_change_nothing(education, bookings, publish_raw):
    taken = create_room(bookings, name="Salle Colibri")
    free = create_room(bookings, name="Salle Mésange")
    schedule_activity(bookings, taken, starts_at=at(14), ends_at=at(15))
    session = plan(education, taken["id"])
    settled(education, session["id"], "room_refused")
    call(education, "retry_room", session["id"], {"room_id": free["id"]})
    settled(education, session["id"], "confirmed")
    reserved_again = {
        "session_id": session["id"],
        "room_id": free["id"],
        "room_name": "Salle Mésange",
        "reservation_ids": ["a", "b"],
        "request": 2,
    }
    deliver(education, publish_raw, "bookings.room_reserved", reserved_again, "room_reserved")
    old_refusal = {"session_id": session["id"], "room_id": taken["id"], "reason": "déjà prise", "request": 1}
    deliver(education, publish_raw, "bookings.room_reservation_refused", old_refusal, "room_refused")
    after = call(education, "get_session", session["id"])
    assert (after["status"], after["room_name"], after["refusal_reason"]) == ("confirmed", "Salle Mésange", "")
    assert (education_emitted("education.session_confirmed"), education_emitted("education.session_room_refused")) == (
        1,
        1,
    )


def test_bookings_ignores_a_request_older_than_one_it_has_seen_and_a_newer_one_moves_the_hold(
    education, bookings, publish_raw
):
    first, second = create_room(bookings, name="Salle A"), create_room(bookings, name="Salle B")
    request = {
        "session_id": "session-raw",
        "title": "Premiers secours",
        "parts": [{"starts_at": at(9), "ends_at": at(12)}],
    }
    deliver(
        bookings,
        publish_raw,
        "education.room_reservation_requested",
        dict(request, room_id=first["id"]),
        "reserve_room",
    )
    assert held("session-raw") == [(first["id"], 1)]
    newer = dict(request, room_id=second["id"], request=2)
    deliver(bookings, publish_raw, "education.room_reservation_requested", newer, "reserve_room")
    assert held("session-raw") == [(second["id"], 2)]  # the first room is free again
    late = dict(request, room_id=first["id"], request=1)
    deliver(bookings, publish_raw, "education.room_reservation_requested", late, "reserve_room")
    assert held("session-raw") == [(second["id"], 2)]
    assert bookings_answers("session-raw") == [("bookings.room_reserved", 1), ("bookings.room_reserved", 2)]


def test_a_cancellation_reaching_bookings_before_the_request_holds_nothing(
    container_factory, service_config, rabbit_config, take_messages, publish_raw
):
    topology.declare_all(rabbit_config["AMQP_URI"], service_config["EVENT_RETRY_DELAY_MS"])  # bookings' queues wait
    education = container_factory(EducationService, service_config)
    education.start()
    session = plan(education, "room-1")
    call(education, "cancel_session", session["id"], {"reason": "Annulée"})
    [request] = wait_for(lambda: take_messages(REQUESTS, 1), message="the request, held back from bookings")
    bookings = container_factory(BookingsService, service_config)
    with entrypoint_waiter(bookings, "release_room", timeout=10):
        bookings.start()  # the cancellation, queued, comes first
    with entrypoint_waiter(education, "room_refused", timeout=10):
        publish_raw("education.room_reservation_requested", request["payload"])  # then the request
    assert held(session["id"]) == []
    assert bookings_answers(session["id"]) == [("bookings.room_reservation_refused", 1)]
    assert call(education, "get_session", session["id"])["status"] == "cancelled"
    assert education_emitted("education.session_room_refused") == 0


@pytest.fixture
def quick_timeout(monkeypatch):
    monkeypatch.setenv("COCOON_EDUCATION_ROOM_TIMEOUT_SECONDS", "5")


def test_without_an_answer_in_time_the_session_waits_and_a_retry_confirms_it(
    quick_timeout, container_factory, service_config
):
    education = container_factory(EducationService, service_config)
    education.start()  # bookings is not running: nobody answers
    session = plan(education, "room-unanswered")
    settled(education, session["id"], "waiting", timeout=20)
    bookings = container_factory(BookingsService, service_config)
    bookings.start()
    room = create_room(bookings, name="Salle Colibri")
    call(education, "retry_room", session["id"], {"room_id": room["id"]})
    assert settled(education, session["id"], "confirmed")["request"] == 2
