"""The venue calendar through the gateway: reschedule, cancel, complete, trainees."""
from datetime import date, datetime, time, timedelta, timezone

import pytest

from services.bookings.service import BookingsService
from services.gateway import auth
from services.gateway.models import database
from shared import timeutil
from shared.timeutil import VENUE_TZ
from tests.integration.conftest import STAFF, bearer

DAY = date.today() + timedelta(days=10)


def at(hour, minute=0):
    return datetime.combine(DAY, time(hour, minute), tzinfo=VENUE_TZ).isoformat()


@pytest.fixture
def staff(client, container_factory, service_config):
    container_factory(BookingsService, service_config).start()
    return bearer(client, STAFF)


@pytest.fixture
def rooms(client, staff):
    return [client.post("/api/v1/rooms", json={"name": name, "kind": "workshop", "capacity": 10}, headers=staff).json
            for name in ("Atelier", "Jardin d'hiver")]


def schedule(client, staff, room, start, end, title="Conte"):
    return client.post("/api/v1/activities", headers=staff, json={
        "title": title, "kind": "story_time", "room_id": room["id"], "starts_at": at(start), "ends_at": at(end),
        "children_capacity": 8, "volunteer_slots": 2, "trainee_slots": 1})


def test_reschedule_rechecks_clashes(client, staff, rooms):
    first = schedule(client, staff, rooms[0], 9, 10).json
    second = schedule(client, staff, rooms[0], 11, 12, title="Musique").json
    clash = client.patch(f"/api/v1/activities/{second['id']}", json={"starts_at": at(9, 30), "ends_at": at(10, 30)},
                         headers=staff)
    assert clash.status_code == 409
    assert "Conte" in clash.json["error"]["message"]
    moved = client.patch(f"/api/v1/activities/{second['id']}", headers=staff,
                         json={"starts_at": at(9, 30), "ends_at": at(10, 30), "room_id": rooms[1]["id"]})
    assert moved.status_code == 200, moved.json
    assert (moved.json["room_name"], moved.json["starts_at"]) == ("Jardin d'hiver", at(9, 30))
    # moving an activity onto itself is not a clash
    assert client.patch(f"/api/v1/activities/{first['id']}", json={"starts_at": at(9), "ends_at": at(10, 15)},
                        headers=staff).status_code == 200


def test_cancel_needs_a_reason_and_frees_the_room(client, staff, rooms):
    activity = schedule(client, staff, rooms[0], 9, 10).json
    no_reason = client.post(f"/api/v1/activities/{activity['id']}/cancel", json={}, headers=staff)
    assert no_reason.status_code == 422 and "reason" in no_reason.json["error"]["fields"]
    cancelled = client.post(f"/api/v1/activities/{activity['id']}/cancel", json={"reason": "Intervenant malade"},
                            headers=staff)
    assert (cancelled.json["status"], cancelled.json["cancel_reason"]) == ("cancelled", "Intervenant malade")
    assert client.post(f"/api/v1/activities/{activity['id']}/cancel", json={"reason": "encore"},
                       headers=staff).status_code == 409
    assert schedule(client, staff, rooms[0], 9, 10).status_code == 201  # the room is free again


def test_trainees_up_to_the_slots_and_completion(client, staff, rooms, monkeypatch):
    activity = schedule(client, staff, rooms[0], 9, 10).json
    with database.connection_context():
        trainees = [auth.create_account(f"stagiaire{i}@example.fr", "motdepasse1", "trainee", subject_id=f"t{i}")
                    for i in range(2)]
    unknown = client.post(f"/api/v1/activities/{activity['id']}/trainees", json={"trainee_id": "nobody"}, headers=staff)
    assert unknown.status_code == 422
    added = client.post(f"/api/v1/activities/{activity['id']}/trainees", json={"trainee_id": "t0"}, headers=staff)
    assert added.status_code == 200, added.json
    assert added.json["trainees"] == ["t0"]
    full = client.post(f"/api/v1/activities/{activity['id']}/trainees", json={"trainee_id": "t1"}, headers=staff)
    assert full.status_code == 409  # one trainee slot
    assert len(trainees) == 2

    too_early = client.post(f"/api/v1/activities/{activity['id']}/complete", headers=staff)
    assert too_early.status_code == 409
    monkeypatch.setattr(timeutil, "now_utc", lambda: datetime.combine(DAY, time(11), tzinfo=VENUE_TZ)
                        .astimezone(timezone.utc))
    done = client.post(f"/api/v1/activities/{activity['id']}/complete", json={"ended_at": at(10, 20)}, headers=staff)
    assert done.status_code == 200, done.json
    assert (done.json["status"], done.json["started_at"], done.json["ended_at"]) == ("completed", at(9), at(10, 20))
    detail = client.get(f"/api/v1/activities/{activity['id']}", headers=staff).json
    assert detail["trainees"] == ["t0"] and detail["volunteers_confirmed"] == 0


def test_activities_are_filtered_by_period_and_unknown_ids_are_404(client, staff, rooms):
    schedule(client, staff, rooms[0], 9, 10)
    day_after = (DAY + timedelta(days=1)).isoformat()
    listed = client.get("/api/v1/activities", query_string={"from": at(0), "to": at(23)}, headers=staff)
    assert listed.status_code == 200 and len(listed.json) == 1
    assert client.get(f"/api/v1/activities?from={day_after}T00:00:00%2B01:00", headers=staff).json == []
    # an offset typed as is in a URL arrives with a space for its '+': still understood
    raw = client.get(f"/api/v1/activities?from={at(0)}&to={at(23)}", headers=staff)
    assert raw.status_code == 200 and len(raw.json) == 1
    bad = client.get("/api/v1/activities?from=demain", headers=staff)
    assert bad.status_code == 422 and "from" in bad.json["error"]["fields"]
    assert client.get("/api/v1/activities/unknown", headers=staff).status_code == 404
    assert client.patch("/api/v1/activities/unknown", json={"starts_at": at(9), "ends_at": at(10)},
                        headers=staff).status_code == 404
