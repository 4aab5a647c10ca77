"""After a session, through the gateway with the education and bookings services on the real
broker: staff invoice the funders (one invoice per funder, the self-funded learner left out, a
second call answering the same invoices), download an invoice's PDF, read the year's BPF as CSV
(its hours-trainees the sum of the sheet's hours done), a trainee answers the satisfaction
questionnaire once and staff read the results."""

import uuid

import pytest

from services.gateway import auth
from services.gateway.models import database
from tests.dates import DAY, set_clock
from tests.factories import room_fields
from tests.integration.education.conftest import COURSE, session_fields
from tests.pdf import pdf_text
from tests.support import wait_for

PASSWORD = "formation-longue-1"
ALL_FOUR = {"objectives": 4, "content": 3, "trainer": 4, "organisation": 2, "comment": "Très utile"}


def trainee_account(client):
    credentials = {"email": f"trainee-{uuid.uuid4().hex[:8]}@example.fr", "password": PASSWORD}
    with client.application.app_context(), database.connection_context():
        created = auth.create_account(
            credentials["email"],
            PASSWORD,
            "trainee",
            subject_id=f"trainee-{uuid.uuid4().hex[:8]}",
            first_name="Inès",
            last_name="Petit",
        )
    return credentials, created.subject_id


@pytest.fixture
def confirmed(staff):
    """A confirmed session of two 3.5 h parts on DAY (7 h, 120 €), for four participants."""
    room = staff.created("/api/v1/rooms", room_fields(kind="training"))
    course = staff.created("/api/v1/courses", dict(COURSE, funding=["opco", "cpf", "self_funded"]))
    planned = staff.created(
        "/api/v1/sessions", session_fields(course["id"], room["id"], capacity=4), key=f"plan-{uuid.uuid4()}"
    )
    return wait_for(
        lambda: (s := staff.get(f"/api/v1/sessions/{planned['id']}").json)["status"] == "confirmed" and s,
        timeout=15,
        message="the room confirmed",
    )


def test_staff_invoice_the_funders_read_the_bpf_and_a_trainee_answers_the_questionnaire(
    api, client, staff, confirmed, monkeypatch
):
    session_id = confirmed["id"]
    path = f"/api/v1/sessions/{session_id}/enrolments"
    ana = staff.created(
        path, {"participant_kind": "external", "name": "Ana Lopes", "email": "ana@example.fr", "funding": "opco"}
    )
    bea = staff.created(
        path, {"participant_kind": "professional", "name": "Bea Roux", "email": "bea@example.fr", "funding": "opco"}
    )
    lou = staff.created(
        path,
        {"participant_kind": "external", "name": "Lou Petit", "email": "lou@example.fr", "funding": "self_funded"},
    )
    credentials, ines_id = trainee_account(client)
    ines = api.signed_in(credentials)
    ines.created(path, {"funding": "cpf"})

    early = staff.post(f"/api/v1/sessions/{session_id}/funder-invoices", json={})
    assert early.status_code == 409
    assert ines.post(f"/api/v1/sessions/{session_id}/satisfaction/me", json=ALL_FOUR).status_code == 409

    set_clock(monkeypatch, 18, day=DAY)
    for index in (0, 1):
        for who, present in ((ana["participant_id"], True), (bea["participant_id"], index == 0)):
            staff.post(
                f"/api/v1/sessions/{session_id}/attendance",
                json={"part_index": index, "participant_id": who, "present": present},
            )
        for who in (lou["participant_id"], ines_id):
            staff.post(
                f"/api/v1/sessions/{session_id}/attendance",
                json={"part_index": index, "participant_id": who, "present": True},
            )

    issued = staff.created(f"/api/v1/sessions/{session_id}/funder-invoices", {})["invoices"]
    assert [(i["number"], i["funding"], i["total"]) for i in issued] == [
        (f"FF-{DAY.year}-000001", "opco", "180.00"),  # Ana 7 h + Bea 3.5 h at 120 € / 7 h
        (f"FF-{DAY.year}-000002", "cpf", "120.00"),
    ]
    again = staff.post(f"/api/v1/sessions/{session_id}/funder-invoices", json={})
    assert again.json["invoices"] == issued
    assert staff.get(f"/api/v1/sessions/{session_id}/funder-invoices").json["invoices"] == issued
    assert ines.post(f"/api/v1/sessions/{session_id}/funder-invoices", json={}).status_code == 403

    pdf = staff.get(f"/api/v1/funder-invoices/{issued[0]['id']}.pdf")
    assert (pdf.status_code, pdf.mimetype) == (200, "application/pdf")
    text = pdf_text(pdf.data)
    assert f"Facture n° FF-{DAY.year}-000001" in text and "OPCO" in text
    assert "Ana Lopes externe 7 h" in text and "Bea Roux professionnel·le 3,5 h" in text

    sheet = staff.get(f"/api/v1/sessions/{session_id}/attendance").json
    hours_done = sum(float(row["hours_attended"]) for row in sheet["rows"])
    report = staff.get(f"/api/v1/reports/bpf/{DAY.year}").json
    assert float(report["total"]["hours"]) == hours_done == 24.5
    assert (report["total"]["trainees"], report["total"]["income"]) == (4, "420.00")  # 180 + 120 + Lou's 120
    csv = staff.get(f"/api/v1/reports/bpf/{DAY.year}.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Partie;Ligne;Libellé;Stagiaires;Heures-stagiaires;Produits (€)"
    assert f"Total;;Total {DAY.year};4;24,50;420,00" in lines
    assert "Par financement;self_funded;Financement personnel;1;7,00;120,00" in lines

    form = ines.get(f"/api/v1/sessions/{session_id}/satisfaction/me").json
    assert (form["open"], form["answered"]) == (True, False)
    assert ines.created(f"/api/v1/sessions/{session_id}/satisfaction/me", ALL_FOUR)["answered"] is True
    assert ines.post(f"/api/v1/sessions/{session_id}/satisfaction/me", json=ALL_FOUR).status_code == 409
    results = staff.get(f"/api/v1/sessions/{session_id}/satisfaction").json
    assert (results["respondents"], results["participants"], results["comments"]) == (1, 4, ["Très utile"])
    assert [q["average"] for q in results["questions"]] == ["4.00", "3.00", "4.00", "2.00"]
    assert ines.get(f"/api/v1/sessions/{session_id}/satisfaction").status_code == 403
