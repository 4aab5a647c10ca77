"""The gateway's JSON API against real services on the real broker (Flask's test client, no gunicorn)."""
import pytest

from services.bookings.service import BookingsService
from services.education.service import EducationService
from services.placements.service import PlacementsService
from services.volunteers.service import VolunteersService
from tests.integration.conftest import STAFF, bearer
from tests.support import wait_for

VOLUNTEER = {
    "email": "jeanne.martin@example.fr", "password": "jardin-1950", "first_name": "Jeanne",
    "last_name": "Martin", "birth_date": "1950-03-02", "phone": "06 12 34 56 78",
    "interests": ["story_time", "gardening"], "availability": [{"weekday": 1, "part": "morning"}],
}
ACTIVITY = {"title": "Heure du conte", "kind": "story_time", "starts_at": "2030-12-03T09:30:00+01:00",
            "ends_at": "2030-12-03T10:30:00+01:00", "children_capacity": 8, "volunteer_slots": 2,
            "trainee_slots": 1}


@pytest.fixture
def running(container_factory, service_config):
    containers = [container_factory(cls, service_config)
                  for cls in (BookingsService, VolunteersService, PlacementsService, EducationService)]
    for container in containers:
        container.start()
    return containers


def test_staff_schedules_and_a_volunteer_sees_the_opportunity(running, client):
    staff = bearer(client, STAFF)
    room = client.post("/api/v1/rooms", json={"name": "Salle des Lucioles", "kind": "workshop", "capacity": 12},
                       headers=staff)
    assert room.status_code == 201, room.json
    created = client.post("/api/v1/activities", json=dict(ACTIVITY, room_id=room.json["id"]), headers=staff)
    assert created.status_code == 201, created.json
    assert created.json["status"] == "scheduled"
    assert created.json["starts_at"] == "2030-12-03T09:30:00+01:00"

    registered = client.post("/api/v1/volunteers", json=VOLUNTEER)
    assert registered.status_code == 201, registered.json
    assert "password" not in registered.json
    volunteer = bearer(client, VOLUNTEER)

    listed = wait_for(lambda: client.get("/api/v1/opportunities", headers=volunteer).json, message="opportunity")
    assert [o["activity_id"] for o in listed] == [created.json["id"]]
    assert listed[0]["match"] == 3  # story time is among her interests, on a Tuesday morning she is free

    me = client.get("/api/v1/volunteers/me", headers=volunteer)
    assert me.json["first_name"] == "Jeanne"
    detail = client.get(f"/api/v1/activities/{created.json['id']}", headers=volunteer)
    assert detail.json["title"] == "Heure du conte"


def test_a_room_clash_is_a_409_naming_what_is_there(running, client):
    staff = bearer(client, STAFF)
    room = client.post("/api/v1/rooms", json={"name": "Atelier", "kind": "workshop", "capacity": 10}, headers=staff)
    client.post("/api/v1/activities", json=dict(ACTIVITY, room_id=room.json["id"]), headers=staff)
    clash = client.post("/api/v1/activities", headers=staff, json=dict(
        ACTIVITY, title="Éveil musical", kind="music", room_id=room.json["id"],
        starts_at="2030-12-03T10:00:00+01:00", ends_at="2030-12-03T11:00:00+01:00"))
    assert clash.status_code == 409
    assert "Heure du conte" in clash.json["error"]["message"]
    assert len(client.get("/api/v1/activities", headers=staff).json) == 1


def test_invalid_input_is_refused_and_nothing_is_stored(running, client):
    staff = bearer(client, STAFF)
    malformed = client.post("/api/v1/rooms", data="{not json", headers=dict(staff, **{"Content-Type": "application/json"}))
    assert malformed.status_code == 400
    assert malformed.json["error"]["code"] == "bad_request"

    invalid = client.post("/api/v1/rooms", json={"name": "", "kind": "castle", "capacity": "many"}, headers=staff)
    assert invalid.status_code == 422
    assert set(invalid.json["error"]["fields"]) == {"name", "kind", "capacity"}
    assert client.get("/api/v1/rooms", headers=staff).json == []

    bad_volunteer = client.post("/api/v1/volunteers", json=dict(VOLUNTEER, birth_date="hier", password="court"))
    assert bad_volunteer.status_code == 422
    assert "password" in bad_volunteer.json["error"]["fields"]
    bad_profile = client.post("/api/v1/volunteers", json=dict(VOLUNTEER, birth_date="hier"))
    assert bad_profile.status_code == 422
    assert "birth_date" in bad_profile.json["error"]["fields"]
    assert client.post("/api/v1/auth/token", json={"email": VOLUNTEER["email"],
                                                    "password": VOLUNTEER["password"]}).status_code == 401


def test_write_endpoints_need_the_right_role(running, client):
    assert client.post("/api/v1/rooms", json={"name": "X", "kind": "other", "capacity": 3}).status_code == 401
    client.post("/api/v1/volunteers", json=VOLUNTEER)
    volunteer = bearer(client, VOLUNTEER)
    forbidden = client.post("/api/v1/activities", json=ACTIVITY, headers=volunteer)
    assert forbidden.status_code == 403
    assert forbidden.json["error"]["code"] == "forbidden"
    assert client.post("/api/v1/staff", json={"email": "x@y.fr", "password": "12345678", "first_name": "A",
                                              "last_name": "B"}, headers=volunteer).status_code == 403
    again = client.post("/api/v1/volunteers", json=VOLUNTEER)
    assert again.status_code == 409


def test_readyz_says_which_service_does_not_answer(container_factory, service_config, client):
    for cls in (BookingsService, VolunteersService, PlacementsService):  # education is not started
        container_factory(cls, service_config).start()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["failed"] == ["education"]
    assert response.json["checks"]["bookings"] == "ok"
    assert client.get("/healthz").status_code == 200


def test_readyz_is_ready_when_everything_answers(running, client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ready"


def test_a_service_that_does_not_answer_gives_503_not_500(service_config, client):
    staff = bearer(client, STAFF)  # no service is running at all
    client.application.extensions["rpc_pool"].timeout = 0.5
    response = client.post("/api/v1/rooms", json={"name": "X", "kind": "other", "capacity": 3}, headers=staff)
    assert response.status_code == 503
    assert response.json["error"]["code"] == "unavailable"
