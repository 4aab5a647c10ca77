"""The gateway's JSON API against real services on the real broker (Flask's test client, no gunicorn)."""

import pytest

from services.bookings.service import BookingsService
from services.education.service import EducationService
from services.insights.service import InsightsService
from services.notifications.service import NotificationsService
from services.placements.service import PlacementsService
from services.team.service import TeamService
from services.volunteers.service import VolunteersService
from shared.vocabulary import STAFF_ROLES
from tests.api import STAFF
from tests.factories import activity_fields, child_fields, room_fields, sign_up_family, slot_fields
from tests.staff_on_duty import seed_staff
from tests.support import wait_for

VOLUNTEER = {
    "email": "jeanne.martin@example.fr",
    "password": "jardin-1950",
    "first_name": "Jeanne",
    "last_name": "Martin",
    "birth_date": "1950-03-02",
    "phone": "06 12 34 56 78",
    "interests": ["story_time", "gardening"],
    "availability": [{"weekday": 1, "part": "morning"}],
}
# a Tuesday morning, when the volunteer above is free
TUESDAY = {"starts_at": "2030-12-03T09:30:00+01:00", "ends_at": "2030-12-03T10:30:00+01:00"}


@pytest.fixture
def running(container_factory, service_config):
    containers = [
        container_factory(cls, service_config)
        for cls in (
            BookingsService,
            VolunteersService,
            PlacementsService,
            EducationService,
            NotificationsService,
            TeamService,
            InsightsService,
        )
    ]
    for container in containers:
        container.start()
    seed_staff(containers[0])  # the activities' leads, as the team service tells bookings
    return containers


def test_staff_schedules_and_a_volunteer_sees_the_opportunity(running, api):
    staff = api.signed_in(STAFF)
    room = staff.post("/api/v1/rooms", json=room_fields())
    assert room.status_code == 201, room.json
    created = staff.post("/api/v1/activities", json=activity_fields(room.json["id"], title="Heure du conte", **TUESDAY))
    assert created.status_code == 201, created.json
    assert created.json["status"] == "scheduled"
    assert created.json["starts_at"] == "2030-12-03T09:30:00+01:00"

    registered = api.post("/api/v1/volunteers", json=VOLUNTEER)
    assert registered.status_code == 201, registered.json
    assert "password" not in registered.json
    volunteer = api.signed_in(VOLUNTEER)

    listed = wait_for(lambda: volunteer.get("/api/v1/opportunities").json, message="opportunity")
    assert [o["activity_id"] for o in listed] == [created.json["id"]]
    assert listed[0]["match"] == 3  # story time is among her interests, on a Tuesday morning she is free

    me = volunteer.get("/api/v1/volunteers/me")
    assert me.json["first_name"] == "Jeanne"
    detail = volunteer.get(f"/api/v1/activities/{created.json['id']}")
    assert detail.json["title"] == "Heure du conte"


def test_a_room_clash_is_a_409_naming_what_is_there(running, api):
    staff = api.signed_in(STAFF)
    room = staff.created("/api/v1/rooms", room_fields())
    staff.post("/api/v1/activities", json=activity_fields(room["id"], title="Heure du conte", **TUESDAY))
    clash = staff.post(
        "/api/v1/activities",
        json=activity_fields(
            room["id"],
            title="Éveil musical",
            kind="music",
            starts_at="2030-12-03T10:00:00+01:00",
            ends_at="2030-12-03T11:00:00+01:00",
        ),
    )
    assert clash.status_code == 409
    assert "Heure du conte" in clash.json["error"]["message"]
    assert len(staff.get("/api/v1/activities").json) == 1


def test_invalid_input_is_refused_and_nothing_is_stored(running, client, api):
    staff = api.signed_in(STAFF)
    malformed = staff.post("/api/v1/rooms", data="{not json", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400
    assert malformed.json["error"]["code"] == "bad_request"

    invalid = staff.post("/api/v1/rooms", json={"name": "", "kind": "castle", "capacity": "many"})
    assert invalid.status_code == 422
    assert set(invalid.json["error"]["fields"]) == {"name", "kind", "capacity"}
    assert staff.get("/api/v1/rooms").json == []

    bad_volunteer = client.post("/api/v1/volunteers", json=dict(VOLUNTEER, birth_date="hier", password="court"))
    assert bad_volunteer.status_code == 422
    assert "password" in bad_volunteer.json["error"]["fields"]
    bad_profile = client.post("/api/v1/volunteers", json=dict(VOLUNTEER, birth_date="hier"))
    assert bad_profile.status_code == 422
    assert "birth_date" in bad_profile.json["error"]["fields"]
    assert (
        client.post(
            "/api/v1/auth/token", json={"email": VOLUNTEER["email"], "password": VOLUNTEER["password"]}
        ).status_code
        == 401
    )


def test_write_endpoints_need_the_right_role(running, client, api):
    assert client.post("/api/v1/rooms", json={"name": "X", "kind": "other", "capacity": 3}).status_code == 401
    client.post("/api/v1/volunteers", json=VOLUNTEER)
    volunteer = api.signed_in(VOLUNTEER)
    forbidden = volunteer.post("/api/v1/activities", json=activity_fields("any-room"))
    assert forbidden.status_code == 403
    assert forbidden.json["error"]["code"] == "forbidden"
    assert (
        volunteer.post(
            "/api/v1/staff",
            json={"email": "x@y.fr", "password": "une-equipe-solide", "first_name": "A", "last_name": "B"},
        ).status_code
        == 403
    )
    again = client.post("/api/v1/volunteers", json=VOLUNTEER)
    assert again.status_code == 409


def test_readyz_says_which_service_does_not_answer(container_factory, service_config, client):
    for cls in (
        BookingsService,
        VolunteersService,
        PlacementsService,
        NotificationsService,
        TeamService,
        InsightsService,
    ):  # not education
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


def test_a_service_that_does_not_answer_gives_503_not_500(service_config, client, api):
    staff = api.signed_in(STAFF)  # no service is running at all
    client.application.extensions["rpc_pool"].timeout = 0.5
    response = staff.post("/api/v1/rooms", json={"name": "X", "kind": "other", "capacity": 3})
    assert response.status_code == 503
    assert response.json["error"]["code"] == "unavailable"


def test_every_list_the_services_answer_is_an_array_in_the_openapi_document(running, api):
    """Real answers, not the unit tests' stand-ins: each GET route without a path parameter,
    called by a role it allows, answers a JSON list exactly when the document types it as an array."""
    _, family = sign_up_family(api)
    # a family's mandate is one thing (404 until signed): signed, so its GET answers
    family.created(
        "/api/v1/families/me/mandate",
        {"iban": "FR76 3000 6000 0112 3456 7890 189", "holder": "Anne Brun", "signed_on": "2026-01-05"},
    )
    api.created("/api/v1/volunteers", VOLUNTEER)
    trainee = {"email": "lea.martin@example.fr", "password": "stage-petite-enfance", "first_name": "Léa"}
    api.signed_in(STAFF).created(
        "/api/v1/trainees",
        dict(trainee, last_name="Martin", birth_date="2000-05-04", programme="cap_aepe", school="Lycée Jean Moulin"),
    )
    callers = {
        "staff": api.signed_in(STAFF),
        "family": family,
        "volunteer": api.signed_in(VOLUNTEER),
        "trainee": api.signed_in(trainee),
    }
    samples = {
        "/api/v1/fees/quote": {"monthly_resources": "3200", "dependent_children": "2"},
        "/api/v1/fees/contract-quote": {
            "monthly_resources": "3200",
            "dependent_children": "2",
            "hours_per_week": "36",
            "weeks_per_year": "46",
        },
    }
    checked = []
    for path, methods in api.get("/api/openapi.json").json["paths"].items():
        if "get" not in methods or "{" in path:
            continue
        if "application/json" not in methods["get"]["responses"]["200"]["content"]:
            continue  # a file (the RGPD export's ZIP), not a list
        allowed = methods["get"]["x-roles"]
        # the staff account is a director: it passes wherever "staff" or any staff role does
        staff_may = "staff" in allowed or any(role in STAFF_ROLES for role in allowed)
        caller = api if not allowed else callers["staff" if staff_may else allowed[0]]
        response = caller.get(path, query_string=samples.get(path, {}))
        assert response.status_code == 200, (path, response.json)
        documented = methods["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert isinstance(response.json, list) == (documented.get("type") == "array"), (path, documented)
        checked.append(path)
    assert len(checked) >= 8


def test_a_family_sees_its_booking_notification_and_marks_it_read_and_nobody_else_can(running, api):
    staff = api.signed_in(STAFF)
    room = staff.created("/api/v1/rooms", room_fields(kind="childcare", capacity=10))
    slot = staff.created("/api/v1/childcare-slots", slot_fields(room["id"]))
    _, family = sign_up_family(api)
    child = family.created("/api/v1/families/me/children", child_fields(first_name="Léa"))
    family.created("/api/v1/bookings", {"slot_id": slot["id"], "child_id": child["id"]})

    def named():  # the child's first name, asked of bookings when its email left
        found = family.get("/api/v1/notifications").json
        return found if found and found[0]["text"].startswith("Réservation confirmée pour Léa : ") else None

    [notice] = wait_for(named, message="the notification, with the child's first name")
    assert set(notice) == {"id", "kind", "text", "created_at", "read"}
    assert (notice["kind"], notice["read"]) == ("booking_confirmed", False)

    _, other = sign_up_family(api)
    assert other.get("/api/v1/notifications").json == []
    refused = other.post(f"/api/v1/notifications/{notice['id']}/read")
    assert refused.status_code == 404, refused.json
    assert staff.post(f"/api/v1/notifications/{notice['id']}/read").status_code == 404

    read = family.post(f"/api/v1/notifications/{notice['id']}/read", headers={"Idempotency-Key": "lu-1"})
    assert read.status_code == 200, read.json
    assert read.json["read"] is True
    assert family.get("/api/v1/notifications").json[0]["read"] is True
    assert family.post("/api/v1/notifications/inconnue/read").status_code == 404
