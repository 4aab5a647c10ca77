"""The volunteers' part of the JSON API through the gateway, on real services and the real broker:
staff clear a volunteer, who signs up, sees it in /volunteers/me, withdraws; another volunteer
never sees or changes their sign-ups."""

from datetime import date, timedelta

import pytest

from services.bookings.service import BookingsService
from services.volunteers.domain.clearance import DEFAULT_CHARTER_VERSION as CHARTER
from services.volunteers.service import VolunteersService
from tests.api import STAFF
from tests.dates import at, today
from tests.factories import activity_fields, room_fields
from tests.staff_on_duty import seed_staff
from tests.support import wait_for

PASSWORD = "jardin-1950"
ISSUED = (date.today() - timedelta(days=20)).isoformat()


@pytest.fixture
def running(container_factory, service_config):
    containers = [container_factory(cls, service_config) for cls in (BookingsService, VolunteersService)]
    for container in containers:
        container.start()
    seed_staff(containers[0])  # the activities' leads, as the team service tells bookings
    return containers


def register(api, n, charter=True):
    """(the volunteer's profile, the API signed in as them), the current charte accepted unless `charter` is False."""
    body = {
        "email": f"benevole{n}@example.fr",
        "password": PASSWORD,
        "first_name": "Jeanne",
        "last_name": f"Martin{n}",
        "birth_date": "1950-03-02",
        "phone": "06 12 34 56 78",
        "interests": ["story_time"],
        "emergency_name": "Paul Martin",
        "emergency_phone": "0698765432",
        "consent_version": "2025-01",
    }
    created = api.created("/api/v1/volunteers", body)
    signed_in = api.signed_in({"email": body["email"], "password": PASSWORD})
    if charter:
        accepted = signed_in.post("/api/v1/volunteers/me/charter", json={"version": CHARTER})
        assert accepted.status_code == 200 and accepted.json["charter_accepted"], accepted.json
    return created, signed_in


def clear(staff, volunteer_id, valid_until=None):
    honorability = staff.post(
        f"/api/v1/volunteers/{volunteer_id}/honorability", json={"issued_on": ISSUED, "verified_on": ISSUED}
    )
    assert honorability.status_code == 201, honorability.json
    until = valid_until or date.today() + timedelta(days=365)
    cover = {"insurer": "MAIF", "policy": "RC 42", "valid_from": ISSUED, "valid_until": until.isoformat()}
    insured = staff.post(f"/api/v1/volunteers/{volunteer_id}/insurance", json=cover)
    assert insured.status_code == 201, insured.json
    return insured.json


@pytest.fixture
def activity(running, api):
    staff = api.signed_in(STAFF)
    room = staff.created("/api/v1/rooms", room_fields())
    return staff.created(
        "/api/v1/activities", activity_fields(room["id"], starts_at=at(9, 30), ends_at=at(10, 30), volunteer_slots=2)
    )


def test_a_cleared_volunteer_signs_up_sees_it_and_withdraws(api, activity):
    staff = api.signed_in(STAFF)
    jeanne, as_jeanne = register(api, 1)
    assert clear(staff, jeanne["id"])["cleared"] is True
    wait_for(lambda: as_jeanne.get("/api/v1/opportunities").json, message="the opportunity")

    signed = as_jeanne.post(f"/api/v1/opportunities/{activity['id']}/signup", key="signup-1")
    assert signed.status_code == 201, signed.json
    assert signed.json["status"] == "confirmed"
    me = as_jeanne.get("/api/v1/volunteers/me").json
    assert [s["id"] for s in me["signups"]] == [signed.json["id"]]
    assert (me["emergency_name"], me["consent_version"], me["missing"]) == ("Paul Martin", "2025-01", [])
    counted = wait_for(
        lambda: staff.get(f"/api/v1/activities/{activity['id']}").json["volunteers_confirmed"] == 1,
        message="bookings counts her",
    )
    assert counted

    again = as_jeanne.post(f"/api/v1/opportunities/{activity['id']}/signup")
    assert again.status_code == 409
    withdrawn = as_jeanne.post(f"/api/v1/signups/{signed.json['id']}/withdraw")
    assert withdrawn.status_code == 200, withdrawn.json
    assert withdrawn.json["status"] == "withdrawn"
    wait_for(
        lambda: staff.get(f"/api/v1/activities/{activity['id']}").json["volunteers_confirmed"] == 0,
        message="bookings uncounts her",
    )


def test_an_uncleared_volunteer_is_refused_with_what_is_missing(api, activity):
    _, as_jeanne = register(api, 1)
    wait_for(lambda: as_jeanne.get("/api/v1/opportunities").json, message="the opportunity")
    refused = as_jeanne.post(f"/api/v1/opportunities/{activity['id']}/signup")
    assert refused.status_code == 409
    assert refused.json["error"]["fields"]["reason"] == ["not_cleared"]
    assert "attestation d'honorabilité" in refused.json["error"]["message"]
    me = as_jeanne.get("/api/v1/volunteers/me").json
    assert me["cleared"] is False and len(me["missing"]) == 2


def test_a_volunteer_never_sees_nor_withdraws_anothers_signup(api, activity):
    staff = api.signed_in(STAFF)
    jeanne, as_jeanne = register(api, 1)
    paul, as_paul = register(api, 2)
    clear(staff, jeanne["id"])
    wait_for(lambda: as_jeanne.get("/api/v1/opportunities").json, message="the opportunity")
    signed = as_jeanne.post(f"/api/v1/opportunities/{activity['id']}/signup").json

    assert as_paul.get("/api/v1/volunteers/me").json["signups"] == []
    assert as_paul.get("/api/v1/volunteers/me").json["id"] == paul["id"]
    assert as_paul.post(f"/api/v1/signups/{signed['id']}/withdraw").status_code == 404
    assert as_jeanne.get("/api/v1/volunteers/me").json["signups"][0]["status"] == "confirmed"
    assert as_paul.get("/api/v1/volunteers/me/hours").json["lines"] == []
    # staff-only routes
    assert as_paul.get("/api/v1/volunteers").status_code == 403
    assert (
        as_paul.post(
            f"/api/v1/volunteers/{paul['id']}/insurance",
            json={"insurer": "x", "policy": "y", "valid_from": ISSUED, "valid_until": ISSUED},
        ).status_code
        == 403
    )
    assert as_paul.get(f"/api/v1/volunteers/hours/{date.today().year}.csv").status_code == 403


def test_staff_list_volunteers_see_expiring_attestations_and_export_the_years_hours(api, running):
    staff = api.signed_in(STAFF)
    jeanne, _ = register(api, 1)
    old = date.today().replace(year=date.today().year - 3) + timedelta(days=10)  # expires in 9 days
    staff.post(
        f"/api/v1/volunteers/{jeanne['id']}/honorability",
        json={"issued_on": old.isoformat(), "verified_on": old.isoformat()},
    )
    listed = staff.get("/api/v1/volunteers").json
    assert [v["id"] for v in listed] == [jeanne["id"]]
    assert "assurance" in " ".join(listed[0]["missing"])
    assert [e["volunteer_id"] for e in staff.get("/api/v1/volunteers/expiring-attestations").json] == [jeanne["id"]]
    exported = staff.get(f"/api/v1/volunteers/hours/{date.today().year}.csv")
    assert exported.status_code == 200
    assert exported.mimetype == "text/csv"
    assert exported.data.decode("utf-8-sig").splitlines()[0].startswith("Bénévole;Activité")
    assert staff.get("/api/v1/volunteers/hours/deux-mille.csv").status_code == 422


def test_a_volunteer_without_the_charte_accepted_is_refused_then_signs_up_once_they_accept_it(api, activity):
    staff = api.signed_in(STAFF)
    jeanne, as_jeanne = register(api, 1, charter=False)
    clear(staff, jeanne["id"])
    wait_for(lambda: as_jeanne.get("/api/v1/opportunities").json, message="the opportunity")
    refused = as_jeanne.post(f"/api/v1/opportunities/{activity['id']}/signup")
    assert refused.status_code == 409
    assert refused.json["error"]["fields"]["reason"] == ["charter_not_accepted"]
    assert "charte de bénévolat" in refused.json["error"]["message"]

    stale = as_jeanne.post("/api/v1/volunteers/me/charter", json={"version": "2000-01"})
    assert stale.status_code == 409
    accepted = as_jeanne.post("/api/v1/volunteers/me/charter", json={"version": CHARTER})
    assert accepted.status_code == 200, accepted.json
    assert (accepted.json["charter_version"], accepted.json["charter_accepted"]) == (CHARTER, True)
    signed = as_jeanne.post(f"/api/v1/opportunities/{activity['id']}/signup")
    assert signed.status_code == 201, signed.json


def test_an_insurance_that_ends_before_the_activity_refuses_the_sign_up(api, activity):
    staff = api.signed_in(STAFF)
    jeanne, as_jeanne = register(api, 1)
    clear(staff, jeanne["id"], valid_until=today())  # the activity is after today
    wait_for(lambda: as_jeanne.get("/api/v1/opportunities").json, message="the opportunity")
    refused = as_jeanne.post(f"/api/v1/opportunities/{activity['id']}/signup")
    assert refused.status_code == 409
    assert refused.json["error"]["fields"]["reason"] == ["not_cleared"]
    assert "L'assurance qui vous couvre a pris fin le" in refused.json["error"]["message"]
    listed = staff.get("/api/v1/volunteers").json
    assert listed[0]["insurance_valid_until"] == today().isoformat()
