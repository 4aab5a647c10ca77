"""The RGPD export on the real broker, every service running: a family with a child and a
booking, a trainee with validated hours and a training certificate each download their ZIP
through the gateway, and find in it their booking, their hours and their certificate, and
nothing of the other; with a service stopped, the export is a 503 naming it, never a ZIP."""

import io
import json
import uuid
import zipfile

import pytest

from services.bookings.service import BookingsService
from services.education.service import EducationService
from services.notifications.service import NotificationsService
from services.placements.service import PlacementsService
from services.team.service import TeamService
from services.volunteers.service import VolunteersService
from tests.api import STAFF
from tests.dates import DAY, at, set_clock
from tests.factories import child_fields, room_fields, sign_up_family, slot_fields
from tests.integration.education.conftest import COURSE, session_fields
from tests.integration.placements.conftest import TRAINEE, TUTOR, placement_fields
from tests.staff_on_duty import seed_staff
from tests.support import wait_for

SERVICES = {
    "bookings": BookingsService,
    "placements": PlacementsService,
    "volunteers": VolunteersService,
    "education": EducationService,
    "team": TeamService,
    "notifications": NotificationsService,
}


@pytest.fixture
def venue(container_factory, service_config, monkeypatch, tmp_path):
    """{name: container} of every service on this test's vhost (emails into this test's mbox)."""
    monkeypatch.delenv("COCOON_SMTP_HOST", raising=False)
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    containers = {}
    for name, service_class in SERVICES.items():
        containers[name] = container_factory(service_class, service_config)
        containers[name].start()
    seed_staff(containers["bookings"])  # the activities' leads, as the team service tells bookings
    return containers


@pytest.fixture
def staff(api, venue):
    return api.signed_in(STAFF)


def unzipped(response):
    assert response.status_code == 200, response.data[:500]
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def family_with_a_booking(api, staff):
    room = staff.created("/api/v1/rooms", room_fields(name="Les Lucioles", kind="childcare", capacity=10))
    slot = staff.created("/api/v1/childcare-slots", slot_fields(room["id"]))  # 08:00-12:00 on DAY
    _, family = sign_up_family(api)
    child = family.created("/api/v1/families/me/children", child_fields(first_name="Léa"))
    booking = family.created("/api/v1/bookings", {"slot_id": slot["id"], "child_id": child["id"]})
    return family, child, booking


def confirmed_session(staff):
    room = staff.created("/api/v1/rooms", room_fields(name="Salle Colibri", kind="training"))
    course = staff.created("/api/v1/courses", COURSE)
    planned = staff.created("/api/v1/sessions", session_fields(course["id"], room["id"]), key=f"plan-{uuid.uuid4()}")
    return wait_for(
        lambda: (s := staff.get(f"/api/v1/sessions/{planned['id']}").json)["status"] == "confirmed" and s,
        timeout=15,
        message="the room confirmed",
    )


def test_each_person_finds_their_booking_hours_and_certificate_in_their_export_and_nothing_else(
    api, staff, monkeypatch
):
    family, child, booking = family_with_a_booking(api, staff)
    tutor = staff.created("/api/v1/staff", TUTOR)
    trainee_record = staff.created("/api/v1/trainees", TRAINEE)
    placement = staff.created("/api/v1/placements", placement_fields(trainee_record["id"], tutor["id"]))
    trainee = api.signed_in(TRAINEE)
    session = confirmed_session(staff)
    trainee.created(f"/api/v1/sessions/{session['id']}/enrolments", {"funding": "employer"})

    set_clock(monkeypatch, 20, day=DAY)  # the evening of DAY: its hours are past, the session over
    logged = trainee.created(
        f"/api/v1/placements/{placement['id']}/hours",
        {"starts_at": at(9), "ends_at": at(12, 30), "tasks": "Accueil du matin"},
    )
    for index in (0, 1):
        marked = staff.post(
            f"/api/v1/sessions/{session['id']}/attendance",
            json={"part_index": index, "participant_id": trainee_record["id"], "present": True},
        )
        assert marked.status_code == 200, marked.json
    certificate = staff.created(f"/api/v1/sessions/{session['id']}/certificates/{trainee_record['id']}", {})

    families = unzipped(family.get("/api/v1/me/export"))
    assert set(families) == {"README.txt", "gateway.json", *(f"{name}.json" for name in SERVICES)}
    kept = json.loads(families["bookings.json"])
    assert [b["id"] for b in kept["bookings"]] == [booking["id"]]
    assert [c["health"]["child_id"] for c in kept["children"]] == [child["id"]]
    assert "Date de l'export" in families["README.txt"]
    assert "Accueil du matin" not in json.dumps(families) and certificate["attestation_number"] not in json.dumps(
        families
    )

    trainees = unzipped(trainee.get("/api/v1/me/export"))
    [kept_placement] = json.loads(trainees["placements.json"])["placements"]
    logs = [(log["id"], log["hours"], log["tasks"]) for log in kept_placement["logs"]]
    assert (logged["id"], "3.50", "Accueil du matin") in logs
    assert len(logs) == 3  # and the session's two parts, credited as training hours (placements' training credit)
    [kept_certificate] = json.loads(trainees["education.json"])["certificates"]
    assert kept_certificate["attestation_number"] == certificate["attestation_number"]
    assert booking["id"] not in json.dumps(trainees)
    assert "password_hash" not in trainees["gateway.json"] and "$argon2" not in trainees["gateway.json"]


def test_with_a_service_stopped_the_export_is_a_503_naming_it_and_no_archive(api, staff, venue):
    _, family = sign_up_family(api)
    venue["volunteers"].stop()
    refused = family.get("/api/v1/me/export")
    assert refused.status_code == 503
    assert "volunteers" in refused.json["error"]["message"]
    assert refused.mimetype == "application/json"
