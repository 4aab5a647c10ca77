"""The team service on the real broker, behind the gateway: a staff account comes with its
profile, an attestation clears, and its expiry is told once (the clock moved by the test)."""

from datetime import date, datetime, timedelta, timezone

import pytest
from nameko.events import event_handler

from services.team import models
from shared import timeutil
from tests.api import STAFF
from tests.support import call, wait_for

RECEIVED = []  # (event type, envelope) as a consumer on the broker got them
NEW_STAFF = {
    "email": "ines.roy@cocoonage.fr",
    "password": "patience-et-rigueur-1",
    "first_name": "Inès",
    "last_name": "Roy",
}


class TeamListener:
    """A plain consumer of the team's events, as bookings will be: what went through the broker."""

    name = "team_listener"

    @event_handler("team", "staff_registered")
    def registered(self, body):
        RECEIVED.append(("team.staff_registered", body))

    @event_handler("team", "staff_cleared")
    def cleared(self, body):
        RECEIVED.append(("team.staff_cleared", body))

    @event_handler("team", "staff_clearance_expired")
    def expired(self, body):
        RECEIVED.append(("team.staff_clearance_expired", body))


def received(event_type):
    return [body["payload"] for kind, body in RECEIVED if kind == event_type]


@pytest.fixture
def listener(container_factory, service_config):
    RECEIVED.clear()
    container = container_factory(TeamListener, service_config)
    container.start()  # its queues are bound before the team's relay publishes
    return container


@pytest.fixture
def staff(api, listener, team):
    return api.signed_in(STAFF)


def test_a_staff_account_comes_with_its_profile_and_the_registration_is_published(staff, team):
    account = staff.created("/api/v1/staff", NEW_STAFF, key="new-staff-ines")
    again = staff.created("/api/v1/staff", NEW_STAFF, key="new-staff-ines")  # a retry: the same, once
    assert again == account
    member = call(team, "get_staff", account["id"])
    assert (member["email"], member["first_name"], member["cleared"]) == ("ines.roy@cocoonage.fr", "Inès", False)
    [registered] = wait_for(  # and the bootstrap account's, made at its first sign-in
        lambda: [p for p in received("team.staff_registered") if p["staff_id"] == account["id"]],
        message="team.staff_registered",
    )
    assert (registered["staff_id"], registered["last_name"], registered["active"]) == (account["id"], "Roy", True)
    listed = staff.get("/api/v1/staff").json
    assert account["id"] in [m["id"] for m in listed]  # with the bootstrap account's, made at its sign-in


def test_an_attestation_clears_and_is_published_a_late_one_is_refused(staff):
    account = staff.created("/api/v1/staff", NEW_STAFF)
    today = timeutil.venue_today()
    too_old = {"issued_on": (today - timedelta(days=200)).isoformat(), "verified_on": today.isoformat()}
    refused = staff.post(f"/api/v1/staff/{account['id']}/honorability", json=too_old)
    assert refused.status_code == 422
    assert "verified_on" in refused.json["error"]["fields"]
    recent = {"issued_on": (today - timedelta(days=20)).isoformat(), "verified_on": today.isoformat()}
    recorded = staff.created(f"/api/v1/staff/{account['id']}/honorability", recent)
    assert recorded["expires_on"] == (today.replace(year=today.year + 3) - timedelta(days=1)).isoformat()
    [cleared] = wait_for(lambda: received("team.staff_cleared"), message="team.staff_cleared")
    assert (cleared["staff_id"], cleared["expires_on"]) == (account["id"], recorded["expires_on"])
    assert staff.get(f"/api/v1/staff/{account['id']}").json["cleared"] is True


def test_the_expiry_is_published_once_after_the_last_valid_day(staff, team, monkeypatch):
    account = staff.created("/api/v1/staff", NEW_STAFF)
    verified = date(2023, 3, 3)  # last valid day: 2 March 2026
    # recorded while it was valid (an attestation already expired is refused)
    monkeypatch.setattr(timeutil, "now_utc", lambda: datetime(2023, 3, 10, 12, tzinfo=timezone.utc))
    call(team, "record_honorability", account["id"], {"issued_on": "2023-03-01", "verified_on": "2023-03-03"}, "boss")
    monkeypatch.setattr(timeutil, "now_utc", lambda: datetime(2026, 3, 2, 12, tzinfo=timezone.utc))
    assert call(team, "announce_expired") == []  # still valid on its last day
    monkeypatch.setattr(timeutil, "now_utc", lambda: datetime(2026, 3, 3, 12, tzinfo=timezone.utc))
    assert len(call(team, "announce_expired")) == 1
    assert call(team, "announce_expired") == []
    [expired] = wait_for(lambda: received("team.staff_clearance_expired"), message="team.staff_clearance_expired")
    assert expired == {
        "staff_id": account["id"],
        "expired_on": (verified.replace(year=2026) - timedelta(days=1)).isoformat(),
    }
    with models.database.connection_context():
        assert models.Outbox.select().where(models.Outbox.event_type == "team.staff_clearance_expired").count() == 1
    renewal = staff.get("/api/v1/honorability/renewals").json
    mine = [(i["person_id"], i["status"]) for i in renewal["items"] if i["person_id"] == account["id"]]
    assert mine == [(account["id"], "expired")]  # the bootstrap director is listed too, without attestation
    assert renewal["unavailable"] == ["trainee", "volunteer"]  # not started in this test: named, not failing


def test_a_staff_member_marked_as_left_can_no_longer_sign_in_and_their_token_is_refused(api, staff, team):
    account = staff.created("/api/v1/staff", dict(NEW_STAFF, staff_roles=["director"]))  # may list the staff
    ines = api.signed_in({"email": NEW_STAFF["email"], "password": NEW_STAFF["password"]})
    assert ines.get("/api/v1/staff").status_code == 200
    left = staff.patch(f"/api/v1/staff/{account['id']}", json={"active": False})
    assert left.status_code == 200 and left.json["active"] is False
    assert ines.get("/api/v1/staff").status_code == 401  # the token of the next call
    again = api.post("/api/v1/auth/token", json={"email": NEW_STAFF["email"], "password": NEW_STAFF["password"]})
    assert again.status_code == 403 and again.json["error"]["code"] == "account_deactivated"


def test_nobody_marks_themselves_as_left(api, staff, team):
    account = staff.created("/api/v1/staff", dict(NEW_STAFF, staff_roles=["director"]))  # may list the staff
    ines = api.signed_in({"email": NEW_STAFF["email"], "password": NEW_STAFF["password"]})
    refused = ines.patch(f"/api/v1/staff/{account['id']}", json={"active": False})
    assert refused.status_code == 409 and "active" in refused.json["error"]["fields"]
    assert call(team, "get_staff", account["id"])["active"] is True
    assert ines.get("/api/v1/staff").status_code == 200
