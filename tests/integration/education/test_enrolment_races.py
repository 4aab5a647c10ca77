"""Two enrolments for the last place of a session, two cancellations at once, and two
certificates of one year, on PostgreSQL with two EducationService instances (one worker each).
The barrier of tests/integration/bookings/test_state_change_races.py holds each call after its
locked read of the session, so without the lock both would count the same free place."""

import json

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.education import models, store
from services.education.service import EducationService
from tests.integration.bookings.test_state_change_races import AfterTheRead, race, two_instances
from tests.integration.education.conftest import COURSE, session_fields


@pytest.fixture
def education(postgres_url, rabbit_config, container_factory):
    containers = two_instances(EducationService, postgres_url, rabbit_config, container_factory)
    with ClusterRpcProxy({"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=30) as rpc:
        yield containers, rpc.education


def confirmed_session(service, capacity):
    """A session whose room bookings confirmed (written as the handler would: no bookings here)."""
    course = service.create_course(COURSE)
    session = service.plan_session(session_fields(course["id"], "room-1", capacity=capacity))
    with models.database.connection_context():
        models.Session.update(status="confirmed", room_name="Salle Colibri").where(
            models.Session.id == session["id"]
        ).execute()
    return session


def person(n):
    return {"participant_kind": "external", "name": f"Personne {n}", "email": f"p{n}@example.fr", "funding": "cpf"}


def emitted(event_type):
    with models.database.connection_context():
        rows = models.Outbox.select().where(models.Outbox.event_type == event_type)
        return [json.loads(r.body)["payload"] for r in rows]


def test_two_people_for_the_last_place_one_is_confirmed_and_the_other_waits(education, monkeypatch):
    containers, service = education
    session = confirmed_session(service, capacity=1)
    after = AfterTheRead(containers)
    monkeypatch.setattr(store, "get_locked", after.wrap(store.get_locked))
    outcomes = race(
        service.enrol.call_async(session["id"], person(1)),
        service.enrol.call_async(session["id"], person(2)),
    )
    assert sorted(after.instances) == [0, 1], "each instance should have taken one call"
    assert sorted(o["status"] for o in outcomes) == ["confirmed", "waitlisted"]
    assert len(emitted("education.enrolment_confirmed")) == 1
    assert [p["position"] for p in emitted("education.enrolment_waitlisted")] == [1]
    after_race = service.get_session(session["id"])
    assert (after_race["confirmed_count"], after_race["waitlisted_count"]) == (1, 1)


def test_two_cancellations_at_once_promote_each_waiting_person_once(education, monkeypatch):
    containers, service = education
    session = confirmed_session(service, capacity=2)
    first, second = service.enrol(session["id"], person(1)), service.enrol(session["id"], person(2))
    waiting = [service.enrol(session["id"], person(n)) for n in (3, 4, 5)]
    after = AfterTheRead(containers)
    monkeypatch.setattr(store, "get_locked", after.wrap(store.get_locked))
    race(
        service.cancel_enrolment.call_async(first["id"]),
        service.cancel_enrolment.call_async(second["id"]),
    )
    promoted = [p["enrolment_id"] for p in emitted("education.enrolment_confirmed") if p["promoted"]]
    assert sorted(promoted) == sorted(w["id"] for w in waiting[:2])
    after_race = service.get_session(session["id"])
    assert (after_race["confirmed_count"], after_race["waitlisted_count"]) == (2, 1)


def test_two_certificates_issued_at_once_get_two_numbers(education, monkeypatch):
    from datetime import timedelta

    from tests.dates import DAY, set_clock

    containers, service = education
    sessions = [confirmed_session(service, capacity=2) for _ in range(2)]
    people = [service.enrol(s["id"], person(n)) for n, s in enumerate(sessions)]
    set_clock(monkeypatch, 18, day=DAY + timedelta(days=1))
    for session, who in zip(sessions, people, strict=True):
        for index in (0, 1):
            mark = {"part_index": index, "participant_id": who["participant_id"], "present": True}
            service.record_attendance(session["id"], mark)
    after = AfterTheRead(containers)
    monkeypatch.setattr(store, "get_locked", after.wrap(store.get_locked))
    outcomes = race(
        *(
            service.issue_certificate.call_async(s["id"], w["participant_id"])
            for s, w in zip(sessions, people, strict=True)
        )
    )
    assert sorted(after.instances) == [0, 1]
    year = DAY.year
    assert sorted(o["attestation_number"] for o in outcomes) == [f"AFF-{year}-0001", f"AFF-{year}-0002"]
