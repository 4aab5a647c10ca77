"""Learners' contracts through the gateway's API, with the education and bookings services on the
real broker: a self-funded trainee accepts their contrat de formation, downloads it, and retracts
within the 10 days (the place freed goes to the waiting list); on day 11 it is too late; staff
record no payment before the period ends, and at most 30 % of the price before the session's end."""

import uuid
from datetime import timedelta

import pytest

from tests.dates import DAY, set_clock
from tests.factories import room_fields
from tests.integration.education.conftest import COURSE, session_fields
from tests.integration.education.test_education_api import account
from tests.pdf import pdf_text
from tests.support import wait_for

ACCEPTED_ON = DAY - timedelta(days=10)  # the session is on DAY, 10 days after the contract


@pytest.fixture
def session(staff):
    """A confirmed session of two places on DAY, planned through the API."""
    room = staff.created("/api/v1/rooms", room_fields(kind="training"))
    course = staff.created("/api/v1/courses", dict(COURSE, funding=["self_funded", "employer"]))
    planned = staff.created("/api/v1/sessions", session_fields(course["id"], room["id"]), key=f"plan-{uuid.uuid4()}")
    return wait_for(
        lambda: (s := staff.get(f"/api/v1/sessions/{planned['id']}").json)["status"] == "confirmed" and s,
        timeout=15,
        message="the room confirmed",
    )


def self_funded_trainee(api, client, session_id):
    credentials, _ = account(client, "trainee")
    trainee = api.signed_in(credentials)
    return trainee, trainee.created(f"/api/v1/sessions/{session_id}/enrolments", {"funding": "self_funded"})


def test_a_trainee_accepts_their_contract_reads_it_and_retracts_on_day_9_for_free(
    api,
    client,
    staff,
    session,
    monkeypatch,
):
    set_clock(monkeypatch, 10, day=ACCEPTED_ON)
    trainee, enrolment = self_funded_trainee(api, client, session["id"])
    other, _ = self_funded_trainee(api, client, session["id"])  # the session's second and last place
    waiting = staff.created(
        f"/api/v1/sessions/{session['id']}/enrolments",
        {
            "participant_kind": "external",
            "name": "Zoé Klein",
            "email": "zoe@example.fr",
            "funding": "employer",
            "funder_name": "Crèche Les Lucioles",
            "agreement_number": "CV-1",
        },
    )
    assert (enrolment["contract_status"], waiting["status"]) == ("to_accept", "waitlisted")
    path = f"/api/v1/enrolments/{enrolment['id']}"

    assert staff.post(f"{path}/contract/accept", json={}).status_code == 409  # they have an account: they accept
    assert other.post(f"{path}/contract/accept", json={}).status_code == 404  # not theirs
    accepted = trainee.post(f"{path}/contract/accept", json={})
    assert (accepted.status_code, accepted.json["contract_status"]) == (200, "withdrawal_period")
    assert accepted.json["withdrawal_last_day"] == (ACCEPTED_ON + timedelta(days=10)).isoformat()

    pdf = trainee.get(f"{path}/contract.pdf")
    assert (pdf.status_code, pdf.mimetype) == (200, "application/pdf")
    assert "dix jours pour se rétracter" in pdf_text(pdf.data)
    assert trainee.get(f"{path}/convention.pdf").status_code == 409  # no funder: a contract
    convention = staff.get(f"/api/v1/enrolments/{waiting['id']}/convention.pdf")
    assert convention.status_code == 200 and "Crèche Les Lucioles" in pdf_text(convention.data)

    early = staff.post(f"{path}/payments", json={"amount": "10.00", "paid_on": ACCEPTED_ON.isoformat()})
    assert early.status_code == 409

    set_clock(monkeypatch, 18, day=ACCEPTED_ON + timedelta(days=9))
    retracted = trainee.post(f"{path}/retract", json={})
    assert (retracted.status_code, retracted.json["status"]) == (200, "retracted")
    [mine] = trainee.get("/api/v1/me/enrolments").json
    assert (mine["status"], mine["contract_status"]) == ("retracted", "retracted")
    promoted = wait_for(
        lambda: (e := staff.get(f"/api/v1/enrolments/{waiting['id']}").json)["status"] == "confirmed" and e,
        timeout=5,
        message="the waiting person promoted",
    )
    assert promoted["name"] == "Zoé Klein"


def test_retracting_on_day_11_is_refused_and_thirty_percent_is_the_most_paid_before_the_end(
    api,
    client,
    staff,
    session,
    monkeypatch,
):
    set_clock(monkeypatch, 10, day=ACCEPTED_ON - timedelta(days=3))
    trainee, enrolment = self_funded_trainee(api, client, session["id"])
    path = f"/api/v1/enrolments/{enrolment['id']}"
    assert trainee.post(f"{path}/contract/accept", json={}).status_code == 200

    day_11 = ACCEPTED_ON - timedelta(days=3) + timedelta(days=11)
    set_clock(monkeypatch, 9, day=day_11)
    late = trainee.post(f"{path}/retract", json={})
    assert late.status_code == 409 and "délai de rétractation a pris fin" in late.json["error"]["message"]

    too_much = staff.post(f"{path}/payments", json={"amount": "36.01", "paid_on": day_11.isoformat()})
    assert too_much.status_code == 409 and "36,00" in too_much.json["error"]["message"]
    paid = staff.post(f"{path}/payments", json={"amount": "36.00", "paid_on": day_11.isoformat()})
    assert (paid.status_code, paid.json["paid_total"]) == (201, "36.00")
    assert trainee.post(f"{path}/payments", json={"amount": "1", "paid_on": day_11.isoformat()}).status_code == 403
