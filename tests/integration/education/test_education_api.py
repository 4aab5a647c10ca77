"""The continuing-education API through the gateway, with the education and bookings services on
the real broker: staff plan and run a session; trainees and volunteers enrol themselves and only
themselves."""

import uuid

import pytest

from services.gateway import auth, half_day_codes
from services.gateway.models import database
from tests.dates import DAY, set_clock
from tests.factories import room_fields
from tests.integration.education.conftest import COURSE, session_fields
from tests.signature_png import data_url
from tests.support import wait_for

PASSWORD = "formation-longue-1"


def account(client, role, first_name="Léa", last_name="Martin"):
    """A trainee's or a volunteer's account (their profile lives in another service: not needed here)."""
    credentials = {"email": f"{role}-{uuid.uuid4().hex[:8]}@example.fr", "password": PASSWORD}
    with client.application.app_context(), database.connection_context():
        created = auth.create_account(
            credentials["email"],
            PASSWORD,
            role,
            subject_id=f"{role}-{uuid.uuid4().hex[:8]}",
            first_name=first_name,
            last_name=last_name,
        )
    return credentials, created.subject_id


@pytest.fixture
def confirmed(staff):
    """A confirmed session of two 3.5 h parts on DAY, planned through the API (capacity 2)."""
    room = staff.created("/api/v1/rooms", room_fields(kind="training"))
    course = staff.created("/api/v1/courses", COURSE)
    planned = staff.created("/api/v1/sessions", session_fields(course["id"], room["id"]), key=f"plan-{uuid.uuid4()}")
    assert planned["status"] == "planned"
    return wait_for(
        lambda: (s := staff.get(f"/api/v1/sessions/{planned['id']}").json)["status"] == "confirmed" and s,
        timeout=15,
        message="the room confirmed",
    )


def test_staff_plan_a_session_and_see_it_confirmed_with_its_room(confirmed):
    assert confirmed["room_name"].startswith("Salle")
    assert (confirmed["hours"], len(confirmed["parts"]), confirmed["places_left"]) == ("7.00", 2, 2)


def test_a_trainee_enrols_themselves_sees_it_and_cancels_it(api, client, confirmed):
    credentials, trainee_id = account(client, "trainee")
    trainee = api.signed_in(credentials)
    [listed] = trainee.get("/api/v1/sessions").json
    assert listed["id"] == confirmed["id"]
    enrolment = trainee.created(f"/api/v1/sessions/{confirmed['id']}/enrolments", {"funding": "cpf"})
    assert (enrolment["participant_id"], enrolment["name"], enrolment["status"]) == (
        trainee_id,
        "Léa Martin",
        "confirmed",
    )
    [mine] = trainee.get("/api/v1/me/enrolments").json
    assert (mine["id"], mine["session"]["id"]) == (enrolment["id"], confirmed["id"])
    again = trainee.post(f"/api/v1/sessions/{confirmed['id']}/enrolments", json={"funding": "cpf"})
    assert again.status_code == 409
    cancelled = trainee.post(f"/api/v1/enrolments/{enrolment['id']}/cancel", json={})
    assert (cancelled.status_code, cancelled.json["status"]) == (200, "cancelled")


def test_a_trainee_cannot_enrol_someone_else_nor_cancel_anothers_enrolment(api, client, confirmed):
    lea, _ = account(client, "trainee")
    zoe, zoe_id = account(client, "volunteer", first_name="Zoé", last_name="Klein")
    as_lea, as_zoe = api.signed_in(lea), api.signed_in(zoe)
    path = f"/api/v1/sessions/{confirmed['id']}/enrolments"
    someone_else = as_lea.post(path, json={"participant_id": zoe_id, "participant_kind": "volunteer", "funding": "cpf"})
    assert someone_else.status_code == 403
    zoes = as_zoe.created(path, {"funding": "self_funded"})
    assert zoes["participant_kind"] == "volunteer"
    refused = as_lea.post(f"/api/v1/enrolments/{zoes['id']}/cancel", json={})
    assert refused.status_code == 404
    assert as_zoe.get("/api/v1/me/enrolments").json[0]["status"] == "confirmed"


def test_only_staff_plan_sessions_see_enrolments_and_the_sheet(api, client, confirmed):
    credentials, _ = account(client, "trainee")
    trainee = api.signed_in(credentials)
    assert trainee.post("/api/v1/sessions", json={}).status_code == 403
    assert trainee.get(f"/api/v1/sessions/{confirmed['id']}/enrolments").status_code == 403
    assert trainee.get(f"/api/v1/sessions/{confirmed['id']}/attendance").status_code == 403


def test_staff_run_the_session_from_enrolment_to_certificate(staff, confirmed, monkeypatch):
    session_id = confirmed["id"]
    path = f"/api/v1/sessions/{session_id}/enrolments"
    ana = staff.created(
        path, {"participant_kind": "external", "name": "Ana Lopes", "email": "ana@example.fr", "funding": "employer"}
    )
    bea = staff.created(
        path, {"participant_kind": "professional", "name": "Bea Roux", "email": "bea@example.fr", "funding": "opco"}
    )
    waiting = staff.created(
        path, {"participant_kind": "external", "name": "Zoé", "email": "zoe@example.fr", "funding": "cpf"}
    )
    assert (waiting["status"], waiting["position"]) == ("waitlisted", 1)
    assert [e["name"] for e in staff.get(path, query_string={"status": "confirmed"}).json] == ["Ana Lopes", "Bea Roux"]

    early = staff.post(
        f"/api/v1/sessions/{session_id}/attendance",
        json={"part_index": 0, "participant_id": ana["participant_id"], "present": True},
    )
    assert (early.status_code, list(early.json["error"]["fields"])) == (409, ["part_index"])

    set_clock(monkeypatch, 18, day=DAY)
    for index in (0, 1):
        for who, present in ((ana, True), (bea, index == 0), ({"participant_id": "trainer"}, True)):
            marked = staff.post(
                f"/api/v1/sessions/{session_id}/attendance",
                json={"part_index": index, "participant_id": who["participant_id"], "present": present},
            )
            assert marked.status_code == 200, marked.json
    sheet = staff.get(f"/api/v1/sessions/{session_id}/attendance").json
    assert [mark["present"] for mark in sheet["trainer"]] == [True, True]
    assert [(h["part_index"], h["half_day"]) for h in sheet["half_days"]] == [(0, "morning"), (1, "afternoon")]
    assert {r["name"]: (r["rate"], r["eligible"], r["assiduity"]) for r in sheet["rows"]} == {
        "Ana Lopes": ("1.00", True, True),
        "Bea Roux": ("0.50", True, False),  # hours done: her certificates, with the mention below the threshold
    }
    evaluations = f"/api/v1/sessions/{session_id}/evaluations"
    results = [{"objective": "Réagir face à un accident d'enfant", "result": "acquis"}]
    recorded = staff.post(evaluations, json={"participant_id": ana["participant_id"], "results": results})
    assert (recorded.status_code, recorded.json["revision"]) == (200, 1), recorded.json
    certificate = staff.created(f"/api/v1/sessions/{session_id}/certificates/{ana['participant_id']}", {})
    assert certificate["attestation_number"] == f"AFF-{DAY.year}-0001"
    assert certificate["evaluation"]["results"] == results and certificate["assiduity"] is True
    frozen = staff.post(evaluations, json={"participant_id": ana["participant_id"], "results": results})
    assert frozen.status_code == 409
    below = staff.created(f"/api/v1/sessions/{session_id}/certificates/{bea['participant_id']}", {})
    assert (below["hours_attended"], below["assiduity"], below["evaluation"]) == ("3.50", False, None)
    assert "en dessous du seuil de 80" in below["assiduity_mention"]


def test_a_cancelled_session_is_no_longer_open(api, client, staff, confirmed):
    cancelled = staff.post(f"/api/v1/sessions/{confirmed['id']}/cancel", json={"reason": "Formatrice malade"})
    assert (cancelled.status_code, cancelled.json["status"]) == (200, "cancelled")
    credentials, _ = account(client, "volunteer")
    assert api.signed_in(credentials).get("/api/v1/sessions").json == []
    assert staff.post(f"/api/v1/sessions/{confirmed['id']}/retry-room", json={}).status_code == 409


def test_the_sheet_and_the_certificates_download_as_pdfs_and_a_trainee_gets_only_their_own(
    api, client, staff, confirmed, monkeypatch
):
    from tests.pdf import pdf_text

    session_id = confirmed["id"]
    credentials, trainee_id = account(client, "trainee", first_name="Inès", last_name="Petit")
    trainee = api.signed_in(credentials)
    trainee.created(f"/api/v1/sessions/{session_id}/enrolments", {"funding": "employer"})
    other_credentials, _ = account(client, "trainee", first_name="Sami", last_name="Benali")
    other = api.signed_in(other_credentials)
    own_pdf = f"/api/v1/sessions/{session_id}/certificates/{trainee_id}.pdf"

    set_clock(monkeypatch, 18, day=DAY)
    for index in (0, 1):
        staff.post(
            f"/api/v1/sessions/{session_id}/attendance",
            json={"part_index": index, "participant_id": trainee_id, "present": True},
        )
    sheet = staff.get(f"/api/v1/sessions/{session_id}/attendance.pdf")
    assert (sheet.status_code, sheet.mimetype) == (200, "application/pdf")
    assert (
        "Inès Petit" in pdf_text(sheet.data) and f"emargement-{session_id}.pdf" in sheet.headers["Content-Disposition"]
    )
    assert trainee.get(f"/api/v1/sessions/{session_id}/attendance.pdf").status_code == 403

    assert trainee.get(own_pdf).status_code == 404  # not delivered yet: staff deliver it
    delivered = staff.get(own_pdf)
    assert delivered.status_code == 200
    text = pdf_text(delivered.data)
    number = f"AFF-{DAY.year}-0001"
    assert "Inès Petit" in text and number in text and "Certificat de réalisation" in text
    assert f"certificat-{number}.pdf" in delivered.headers["Content-Disposition"]
    again = trainee.get(own_pdf)
    assert again.status_code == 200 and number in pdf_text(again.data)  # the same numbers, now hers to download
    assert other.get(own_pdf).status_code == 404  # another trainee never sees it


def test_participants_sign_on_the_tablet_or_with_the_half_days_qr_code_only_while_it_runs(
    api, client, staff, confirmed, monkeypatch
):
    session_id = confirmed["id"]
    credentials, trainee_id = account(client, "trainee", first_name="Inès", last_name="Petit")
    trainee = api.signed_in(credentials)
    trainee.created(f"/api/v1/sessions/{session_id}/enrolments", {"funding": "employer"})
    external = staff.created(
        f"/api/v1/sessions/{session_id}/enrolments",
        {"participant_kind": "external", "name": "Ana Lopes", "email": "ana@example.fr", "funding": "employer"},
    )
    with client.application.test_request_context():
        token = half_day_codes.token(session_id, 1, "afternoon")

    set_clock(monkeypatch, 10, day=DAY)
    tablet = staff.created(
        f"/api/v1/sessions/{session_id}/signatures",
        {"part_index": 0, "participant_id": external["participant_id"], "image": data_url()},
    )
    assert (tablet["half_day"], tablet["method"]) == ("morning", "tablet")  # a single half-day: inferred
    qr = staff.get(f"/api/v1/sessions/{session_id}/half-days/1/afternoon/qr.svg")
    assert (qr.status_code, qr.mimetype) == (200, "image/svg+xml") and b"<svg" in qr.data

    early = trainee.post(f"/api/v1/signatures/{token}", json={"image": data_url()})
    assert early.status_code == 409
    assert early.json["error"]["message"].startswith("Ce QR code n'est pas encore valable")
    forged = trainee.post(f"/api/v1/signatures/{token[:-2]}xx", json={"image": data_url()})
    assert (forged.status_code, forged.json["error"]["message"]) == (404, api_bad_code())
    set_clock(monkeypatch, 14, day=DAY)
    signed = trainee.post(f"/api/v1/signatures/{token}", json={"image": data_url()})
    assert (signed.status_code, signed.json["method"], signed.json["participant_id"]) == (201, "phone", trainee_id)
    assert staff.post(f"/api/v1/signatures/{token}", json={"image": data_url()}).status_code == 403  # staff: tablet

    sheet = staff.get(f"/api/v1/sessions/{session_id}/attendance").json
    marks = {r["name"]: [m and (m["present"], m["method"]) for m in r["marks"]] for r in sheet["rows"]}
    assert marks == {"Inès Petit": [None, (True, "phone")], "Ana Lopes": [(True, "tablet"), None]}


def api_bad_code():
    from services.gateway.api.signatures import BAD_CODE

    return BAD_CODE
