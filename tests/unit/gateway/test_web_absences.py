"""Absence requests in the gateway, with a stand-in for the bookings service: staff's queue page
(the certificate link, approve with « J'ai vu le justificatif », refuse with a reason), the count
on « Aujourd'hui », the family's form sending its certificate, and the JSON API's certificate
routes (the raw body sent as base64, the file served back privately, the size limit)."""

import base64
import io

from services.gateway.body_limit import FORM_ALLOWANCE
from services.gateway.certificates import MAX_BYTES
from shared.errors import Invalid
from tests.api import STAFF
from tests.unit.gateway.conftest import BookingsStandIn, served_by

PDF = b"%PDF-1.7\ncertificat"
REQUEST = {
    "id": "a-1",
    "contract_id": "k-1",
    "family_id": "f-1",
    "child_id": "e-1",
    "child_first_name": "Lou",
    "starts_on": "2027-03-08",
    "ends_on": "2027-03-12",
    "reason": "illness_certificate",
    "deducted_hours": "0",
    "status": "requested",
    "has_certificate": True,
}


class Bookings(BookingsStandIn):
    """Answers as the bookings service would, and records each call."""

    def __init__(self, waiting=(), refuse=None):
        super().__init__()
        self.waiting, self.refuse = list(waiting), refuse

    def __getattr__(self, method):
        def call(*args):
            self.calls.append((method, *args))
            if self.refuse and method not in ("list_absences", "get_family", "list_contracts"):
                raise self.refuse
            return self.answers(method, args)

        return call

    def answers(self, method, args):
        return {
            "list_absences": {"items": self.waiting, "next_cursor": None},
            "count_absence_requests": {"requested": len(self.waiting)},
            "day_board": {"slots": [], "activities": [], "present": 0},
            "get_certificate": {
                "absence_id": "a-1",
                "media_type": "application/pdf",
                "size": len(PDF),
                "filename": "justificatif-a-1.pdf",
                "content_base64": base64.b64encode(PDF).decode(),
            },
            "get_family": {"id": "f-1", "children": []},
            "list_contracts": {"items": [], "next_cursor": None},
        }.get(method, dict(REQUEST, status="approved"))

    def close(self):
        pass


def test_the_queue_shows_each_request_with_its_certificate_and_both_forms(app, staff):
    served_by(app, Bookings([REQUEST, dict(REQUEST, id="a-2", reason="other", has_certificate=False)]))
    html = staff.get("/equipe/absences").get_data(as_text=True)
    assert "Absences à valider" in html
    assert 'href="/equipe/absences/a-1/justificatif"' in html
    assert html.count("J&#39;ai vu le justificatif") == 1  # not asked for another absence
    assert "Motif du refus (la famille le lira)" in html
    assert "lundi 8 mars 2027" in html


def test_approving_sends_the_proof_seen_and_the_staff_account(app, staff):
    stand_in = served_by(app, Bookings([REQUEST]))
    answer = staff.post("/equipe/absences/a-1/acceptation", data={"proof_seen": "oui"})
    assert answer.status_code == 302
    assert ("approve_absence", "a-1", {"proof_seen": True}, staff.staff_id) in stand_in.calls


def test_a_refused_approval_shows_the_sentence_by_the_request(app, staff):
    refusal = Invalid("Cochez « J'ai vu le justificatif ».", {"proof_seen": ["Cochez « J'ai vu le justificatif »."]})
    served_by(app, Bookings([REQUEST], refuse=refusal))
    page = staff.post("/equipe/absences/a-1/acceptation", data={})
    assert page.status_code == 422
    assert "Cochez « J&#39;ai vu le justificatif »." in page.get_data(as_text=True)


def test_a_refusal_needs_its_reason_before_anything_is_sent(app, staff):
    stand_in = served_by(app, Bookings([REQUEST]))
    page = staff.post("/equipe/absences/a-1/refus", data={"reason": "  "})
    assert page.status_code == 422 and "la famille le lira" in page.get_data(as_text=True)
    assert not [c for c in stand_in.calls if c[0] == "reject_absence"]
    staff.post("/equipe/absences/a-1/refus", data={"reason": "Certificat illisible"})
    assert ("reject_absence", "a-1", {"reason": "Certificat illisible"}, staff.staff_id) in stand_in.calls


def test_today_counts_the_requests_with_a_link(app, staff):
    served_by(app, Bookings([REQUEST, dict(REQUEST, id="a-2")]))
    html = staff.get("/equipe/").get_data(as_text=True)
    assert '<a href="/equipe/absences">2 demandes d&#39;absence à valider</a>' in html


def test_staff_open_the_certificate_privately(app, staff):
    served_by(app, Bookings([REQUEST]))
    answer = staff.get("/equipe/absences/a-1/justificatif")
    assert answer.data == PDF and answer.mimetype == "application/pdf"
    assert answer.headers["Cache-Control"] == "private, no-store"


def test_the_familys_form_sends_its_certificate_as_base64(app, client, role_headers):
    stand_in = served_by(app, Bookings())
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/connexion", data={"email": "family@example.fr", "password": STAFF["password"]})
    form = {"starts_on": "2027-03-08", "ends_on": "2027-03-12", "reason": "illness_certificate"}
    answer = client.post(
        "/famille/contrats/k-1/absences",
        data=dict(form, certificate=(io.BytesIO(PDF), "certificat.pdf")),
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    encoded = base64.b64encode(PDF).decode()
    assert ("record_absence", "k-1", form, "family-1", None, encoded) in stand_in.calls
    client.post(
        "/famille/contrats/k-1/absences", data=dict(form, reason="other", certificate=(io.BytesIO(PDF), "x.pdf"))
    )
    assert ("record_absence", "k-1", dict(form, reason="other"), "family-1", None, None) in stand_in.calls


def test_the_api_takes_the_file_as_the_raw_body(client, role_headers, app):
    stand_in = served_by(app, Bookings())
    answer = client.put(
        "/api/v1/absences/a-1/certificate", data=PDF, headers=dict(role_headers["family"], **{"Content-Type": "x/y"})
    )
    assert answer.status_code == 200, answer.json
    assert ("put_certificate", "a-1", base64.b64encode(PDF).decode(), "family-1") in stand_in.calls
    empty = client.put("/api/v1/absences/a-1/certificate", data=b"", headers=role_headers["family"])
    assert empty.status_code == 422 and "certificate" in empty.json["error"]["fields"]


def test_a_file_above_the_limit_is_a_413_in_french_and_other_routes_keep_theirs(client, role_headers, app):
    served_by(app, Bookings())
    too_big = b"%PDF-" + b"0" * (MAX_BYTES + FORM_ALLOWANCE)
    answer = client.put("/api/v1/absences/a-1/certificate", data=too_big, headers=role_headers["family"])
    assert answer.status_code == 413
    assert answer.json["error"]["message"].startswith("Le fichier dépasse la taille permise (5 Mio)")
    under = b"%PDF-" + b"0" * (2 * 1024 * 1024)  # 2 Mio: taken here, refused on a JSON route
    assert client.put("/api/v1/absences/a-1/certificate", data=under, headers=role_headers["family"]).status_code == 200
    assert client.post("/api/v1/rooms", data=under, headers=role_headers["staff"]).status_code == 413


def test_the_api_serves_the_certificate_to_the_family_and_the_queue_to_staff(client, role_headers, app):
    stand_in = served_by(app, Bookings([REQUEST]))
    answer = client.get("/api/v1/absences/a-1/certificate", headers=role_headers["family"])
    assert answer.data == PDF and answer.headers["Content-Disposition"].startswith("inline")
    assert ("get_certificate", "a-1", "family-1") in stand_in.calls
    assert client.get("/api/v1/absences?status=requested", headers=role_headers["family"]).status_code == 403
    listed = client.get("/api/v1/absences?status=requested", headers=role_headers["staff"])
    assert [a["id"] for a in listed.json] == ["a-1"]


def test_the_openapi_document_describes_the_upload_as_a_binary_body(client):
    paths = client.get("/api/openapi.json").json["paths"]
    body = paths["/api/v1/absences/{absence_id}/certificate"]["put"]["requestBody"]["content"]
    assert set(body) == {"image/jpeg", "image/png", "application/pdf"}
    assert body["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
