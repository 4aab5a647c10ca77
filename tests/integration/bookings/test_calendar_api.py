"""The venue calendar through the gateway: reschedule, cancel, complete, trainees."""

from datetime import timedelta

import pytest

from tests.dates import DAY, at, set_clock
from tests.factories import activity_fields, room_fields, sign_up_family, slot_fields
from tests.staff_on_duty import clear_trainee, seed_staff


@pytest.fixture
def rooms(staff):
    return [
        staff.created("/api/v1/rooms", room_fields(name=name, capacity=10)) for name in ("Atelier", "Jardin d'hiver")
    ]


def schedule(staff, room, start, end, title="Conte", **fields):
    return staff.post(
        "/api/v1/activities",
        json=activity_fields(room["id"], title=title, starts_at=at(start), ends_at=at(end), **fields),
    )


def test_reschedule_rechecks_clashes(staff, rooms, bookings):
    others = seed_staff(bookings, "staff-third", "staff-fourth")  # the two activities overlap once moved
    first = schedule(staff, rooms[0], 9, 10).json
    second = schedule(staff, rooms[0], 11, 12, title="Musique", lead_staff_id=others[0], staff_ids=others[1:]).json
    clash = staff.patch(f"/api/v1/activities/{second['id']}", json={"starts_at": at(9, 30), "ends_at": at(10, 30)})
    assert clash.status_code == 409
    assert "Conte" in clash.json["error"]["message"]
    moved = staff.patch(
        f"/api/v1/activities/{second['id']}",
        json={"starts_at": at(9, 30), "ends_at": at(10, 30), "room_id": rooms[1]["id"]},
    )
    assert moved.status_code == 200, moved.json
    assert (moved.json["room_name"], moved.json["starts_at"]) == ("Jardin d'hiver", at(9, 30))
    # moving an activity onto itself is not a clash
    assert (
        staff.patch(f"/api/v1/activities/{first['id']}", json={"starts_at": at(9), "ends_at": at(10, 15)}).status_code
        == 200
    )


def test_cancel_needs_a_reason_and_frees_the_room(staff, rooms):
    activity = schedule(staff, rooms[0], 9, 10).json
    no_reason = staff.post(f"/api/v1/activities/{activity['id']}/cancel", json={})
    assert no_reason.status_code == 422 and "reason" in no_reason.json["error"]["fields"]
    cancelled = staff.post(f"/api/v1/activities/{activity['id']}/cancel", json={"reason": "Intervenant malade"})
    assert (cancelled.json["status"], cancelled.json["cancel_reason"]) == ("cancelled", "Intervenant malade")
    assert staff.post(f"/api/v1/activities/{activity['id']}/cancel", json={"reason": "encore"}).status_code == 409
    assert schedule(staff, rooms[0], 9, 10).status_code == 201  # the room is free again


def test_trainees_up_to_the_slots_and_completion(staff, bookings, rooms, monkeypatch, known_trainees):
    activity = schedule(staff, rooms[0], 9, 10).json
    known_trainees("t0", "t1")  # trainees are the placements service's
    for trainee_id in ("t0", "t1"):
        clear_trainee(bookings, trainee_id)  # and cleared by it (attestation d'honorabilité)
    unknown = staff.post(f"/api/v1/activities/{activity['id']}/trainees", json={"trainee_id": "nobody"})
    assert unknown.status_code == 422
    added = staff.post(f"/api/v1/activities/{activity['id']}/trainees", json={"trainee_id": "t0"})
    assert added.status_code == 200, added.json
    assert added.json["trainees"] == ["t0"]
    full = staff.post(f"/api/v1/activities/{activity['id']}/trainees", json={"trainee_id": "t1"})
    assert full.status_code == 409  # one trainee slot

    too_early = staff.post(f"/api/v1/activities/{activity['id']}/complete")
    assert too_early.status_code == 409
    set_clock(monkeypatch, 11)
    done = staff.post(f"/api/v1/activities/{activity['id']}/complete", json={"ended_at": at(10, 20)})
    assert done.status_code == 200, done.json
    assert (done.json["status"], done.json["started_at"], done.json["ended_at"]) == ("completed", at(9), at(10, 20))
    detail = staff.get(f"/api/v1/activities/{activity['id']}").json
    assert detail["trainees"] == ["t0"] and detail["volunteers_confirmed"] == 0


def test_activities_are_filtered_by_period_and_unknown_ids_are_404(staff, rooms):
    schedule(staff, rooms[0], 9, 10)
    day_after = (DAY + timedelta(days=1)).isoformat()
    listed = staff.get("/api/v1/activities", query_string={"from": at(0), "to": at(23)})
    assert listed.status_code == 200 and len(listed.json) == 1
    assert staff.get(f"/api/v1/activities?from={day_after}T00:00:00%2B01:00").json == []
    # an offset typed as is in a URL arrives with a space for its '+': still understood
    raw = staff.get(f"/api/v1/activities?from={at(0)}&to={at(23)}")
    assert raw.status_code == 200 and len(raw.json) == 1
    bad = staff.get("/api/v1/activities?from=demain")
    assert bad.status_code == 422 and "from" in bad.json["error"]["fields"]
    assert staff.get("/api/v1/activities/unknown").status_code == 404
    assert staff.patch("/api/v1/activities/unknown", json={"starts_at": at(9), "ends_at": at(10)}).status_code == 404


def test_a_room_change_alone_keeps_the_times(staff, rooms):
    activity = schedule(staff, rooms[0], 9, 10).json
    moved = staff.patch(f"/api/v1/activities/{activity['id']}", json={"room_id": rooms[1]["id"]})
    assert moved.status_code == 200, moved.json
    assert (moved.json["room_name"], moved.json["starts_at"], moved.json["ends_at"]) == (
        "Jardin d'hiver",
        at(9),
        at(10),
    )
    one_time = staff.patch(f"/api/v1/activities/{activity['id']}", json={"starts_at": at(11)})
    assert one_time.status_code == 422 and "ends_at" in one_time.json["error"]["fields"]
    nothing = staff.patch(f"/api/v1/activities/{activity['id']}", json={})
    assert nothing.status_code == 422


def test_only_staff_see_who_the_volunteers_and_trainees_are(api, staff, bookings, rooms, known_trainees):
    activity = schedule(staff, rooms[0], 9, 10).json
    known_trainees("t0")
    clear_trainee(bookings, "t0")
    staff.post(f"/api/v1/activities/{activity['id']}/trainees", json={"trainee_id": "t0"})
    _, family = sign_up_family(api)
    seen = family.get(f"/api/v1/activities/{activity['id']}").json
    assert "trainees" not in seen and "volunteer_ids" not in seen
    assert (seen["trainees_count"], seen["volunteers_confirmed"]) == (1, 0)
    listed = family.get("/api/v1/activities", query_string={"from": at(0), "to": at(23)}).json
    assert [set(a) & {"trainees", "volunteer_ids"} for a in listed] == [set()]
    assert staff.get(f"/api/v1/activities/{activity['id']}").json["trainees"] == ["t0"]


def test_a_childcare_slot_and_an_activity_never_share_a_room(staff, rooms):
    schedule(staff, rooms[0], 9, 10)
    slot = staff.post("/api/v1/childcare-slots", json=slot_fields(rooms[0]["id"], starts_at=at(8), ends_at=at(12)))
    assert slot.status_code == 409
    assert "Conte" in slot.json["error"]["message"]
    staff.created("/api/v1/childcare-slots", slot_fields(rooms[1]["id"], starts_at=at(8), ends_at=at(12)))
    activity = schedule(staff, rooms[1], 11, 13)
    assert activity.status_code == 409
    assert "créneau d'accueil" in activity.json["error"]["message"]
    later = schedule(staff, rooms[0], 14, 15).json
    into_the_slot = staff.patch(f"/api/v1/activities/{later['id']}", json={"room_id": rooms[1]["id"]})
    assert into_the_slot.status_code == 200  # 14:00, after the slot's 12:00
    back = staff.patch(f"/api/v1/activities/{later['id']}", json={"starts_at": at(11), "ends_at": at(12)})
    assert back.status_code == 409  # inside the slot
