"""The education service's part of the RGPD export: a participant's enrolments, attendance and
certificates, as JSON, and nothing of another participant."""

import json
from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from services.education import models
from services.education.service import EducationService
from services.education.settings import EducationSettings
from shared import migrate
from shared.events import new_event, validate_event
from shared.unit_of_work import Work
from tests.dates import DAY, at, set_clock

COURSE = {
    "title": "Premiers secours petite enfance",
    "objectives": "Réagir face à un accident d'enfant",
    "audience": "Professionnels de la petite enfance",
    "duration_hours": "7",
    "trainer": "Claire Petit",
    "price": "120",
    "funding": ["opco"],
}


@pytest.fixture
def service(tmp_path, monkeypatch):
    set_clock(monkeypatch, 10, day=DAY - timedelta(days=20))
    migrate.migrate("education", f"sqlite:///{tmp_path / 'education.db'}")
    models.database.connect()
    yield worker_factory(
        EducationService,
        uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
        settings=EducationSettings(),
    )
    models.database.close()


@pytest.fixture
def attended(service, monkeypatch):
    """A session on DAY that Léa (a trainee) and Tom (a volunteer) attended whole, Léa certified."""
    course = service.create_course(COURSE)
    parts = [{"starts_at": at(9), "ends_at": at(12, 30)}, {"starts_at": at(13, 30), "ends_at": at(17)}]
    session = service.plan_session(
        {"course_id": course["id"], "room_id": "room-1", "capacity": 3, "min_participants": 1, "parts": parts}
    )
    reserved = {"session_id": session["id"], "room_id": "room-1", "room_name": "Colibri", "reservation_ids": ["r1"]}
    service.room_reserved(validate_event(new_event("bookings.room_reserved", dict(reserved, request=1))))
    for kind, who in (("trainee", "Léa Martin"), ("volunteer", "Tom Petit")):
        participant = {"participant_kind": kind, "participant_id": f"{kind}-1", "name": who, "funding": "employer"}
        service.enrol(session["id"], participant)
    set_clock(monkeypatch, 18, day=DAY)
    for participant_id in ("trainee-1", "volunteer-1"):
        for index in (0, 1):
            service.record_attendance(
                session["id"], {"part_index": index, "participant_id": participant_id, "present": True}
            )
    service.issue_certificate(session["id"], "trainee-1")
    return session


def as_participant(role, subject_id):
    return {"account_id": f"account-{subject_id}", "subject_id": subject_id, "email": "", "role": role}


def test_the_export_holds_the_participants_enrolment_attendance_and_certificate(service, attended):
    answer = json.loads(json.dumps(service.export_person(as_participant("trainee", "trainee-1"))))
    [enrolment] = answer["enrolments"]
    assert (enrolment["session_id"], enrolment["name"]) == (attended["id"], "Léa Martin")
    assert sorted((a["part_index"], a["present"]) for a in answer["attendance"]) == [(0, True), (1, True)]
    assert {a["participant_id"] for a in answer["attendance"]} == {"trainee-1"}
    [certificate] = answer["certificates"]
    assert certificate["attestation_number"] == f"AFF-{DAY.year}-0001"
    assert certificate["hours_attended"] == "7.00"


def test_the_export_holds_nothing_of_another_participant(service, attended):
    text = json.dumps(service.export_person(as_participant("volunteer", "volunteer-1")))
    assert "Léa Martin" not in text
    assert "AFF-" not in text


def test_a_family_account_gets_empty_lists(service, attended):
    answer = service.export_person(as_participant("family", "trainee-1"))
    assert answer and all(value == [] for value in answer.values())
