"""Absence requests through the gateway on the real broker: a family asks with its certificate,
staff approve on the proof seen and the month is deducted; the certificate's type is read from
its content, its size is limited, another family cannot read it, and it is stored encrypted."""

from datetime import timedelta

from services.bookings import models
from tests import factories
from tests.dates import today as venue_today
from tests.factories import child_fields, sign_up_family

RESOURCES = {"monthly_resources": "4000", "dependent_children": 2}  # 2.064 €/h
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"photo du certificat" * 50


def first_of_month(months_ahead):
    day = venue_today().replace(day=1)
    for _ in range(months_ahead):
        day = (day + timedelta(days=32)).replace(day=1)
    return day


START, MONTH, END = first_of_month(1), first_of_month(2), first_of_month(7) - timedelta(days=1)
MONDAY = MONTH + timedelta(days=(7 - MONTH.weekday()) % 7 + 7)  # the second Monday of the month (or later)


def signed_contract(api, staff):
    _, family_api = sign_up_family(api, **RESOURCES)
    child = family_api.created("/api/v1/families/me/children", child_fields(first_name="Lou"))
    contract = family_api.created("/api/v1/contracts", factories.contract_fields(child["id"], START, END))
    assert staff.post(f"/api/v1/contracts/{contract['id']}/accept").status_code == 200
    return family_api, contract


def put_certificate(api, absence_id, content):
    return api.request(
        "PUT", f"/api/v1/absences/{absence_id}/certificate", data=content, headers={"Content-Type": "image/jpeg"}
    )


def test_a_request_approved_on_its_certificate_is_deducted(api, staff):
    family_api, contract = signed_contract(api, staff)
    # hospitalisation Monday to Thursday: 4 days of 9 h, deducted from the first day once approved
    asked = family_api.created(
        f"/api/v1/contracts/{contract['id']}/absences",
        {
            "starts_on": MONDAY.isoformat(),
            "ends_on": (MONDAY + timedelta(days=3)).isoformat(),
            "reason": "hospitalisation",
        },
    )
    assert (asked["status"], asked["deducted_hours"]) == ("requested", "0")
    statement = family_api.get(f"/api/v1/families/me/statements/{MONTH:%Y-%m}").json
    assert statement["deductions"] == "0.00"
    kept = put_certificate(family_api, asked["id"], JPEG)
    assert kept.status_code == 200 and kept.json["media_type"] == "image/jpeg"
    queue = staff.get("/api/v1/absences?status=requested").json
    assert [a["id"] for a in queue] == [asked["id"]] and queue[0]["has_certificate"] is True
    assert staff.get(f"/api/v1/absences/{asked['id']}/certificate").data == JPEG
    blind = staff.post(f"/api/v1/absences/{asked['id']}/approve", json={"proof_seen": False})
    assert blind.status_code == 422 and "proof_seen" in blind.json["error"]["fields"]
    approved = staff.post(f"/api/v1/absences/{asked['id']}/approve", json={"proof_seen": True})
    assert approved.status_code == 200, approved.json
    assert (approved.json["status"], approved.json["deducted_hours"]) == ("approved", "36")
    statement = family_api.get(f"/api/v1/families/me/statements/{MONTH:%Y-%m}").json
    assert statement["deductions"] == "74.30"  # 36 h x 2.064 €/h
    assert staff.get("/api/v1/absences?status=requested").json == []
    withdrawn = staff.post(f"/api/v1/absences/{asked['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"
    assert family_api.get(f"/api/v1/families/me/statements/{MONTH:%Y-%m}").json["deductions"] == "0.00"


def test_the_certificate_is_checked_kept_private_and_encrypted(api, staff):
    family_api, contract = signed_contract(api, staff)
    other_api, _ = signed_contract(api, staff)
    asked = family_api.created(
        f"/api/v1/contracts/{contract['id']}/absences",
        {"starts_on": MONDAY.isoformat(), "ends_on": MONDAY.isoformat(), "reason": "illness_certificate"},
    )
    text = put_certificate(family_api, asked["id"], b"Ceci n'est pas un PDF, seulement un nom en .pdf")
    assert text.status_code == 422
    assert "ni une photo (JPEG, PNG) ni un PDF" in text.json["error"]["fields"]["certificate"][0]
    too_big = put_certificate(family_api, asked["id"], b"%PDF-" + b"0" * (5 * 1024 * 1024))
    assert too_big.status_code in (413, 422) and "5 Mio" in too_big.json["error"]["message"]
    assert put_certificate(family_api, asked["id"], JPEG).status_code == 200
    assert family_api.get(f"/api/v1/absences/{asked['id']}/certificate").data == JPEG
    assert other_api.get(f"/api/v1/absences/{asked['id']}/certificate").status_code == 404
    assert put_certificate(other_api, asked["id"], JPEG).status_code == 404
    assert other_api.get("/api/v1/absences?status=requested").status_code == 403
    with models.database.connection_context():
        [row] = models.AbsenceCertificate.select().where(models.AbsenceCertificate.absence == asked["id"])
        assert JPEG not in bytes(row.sealed) and b"photo du certificat" not in bytes(row.sealed)


def test_a_family_cannot_send_an_eviction_and_staff_refuse_with_a_reason(api, staff):
    family_api, contract = signed_contract(api, staff)
    eviction = family_api.post(
        f"/api/v1/contracts/{contract['id']}/absences",
        json={"starts_on": MONDAY.isoformat(), "ends_on": MONDAY.isoformat(), "reason": "eviction"},
    )
    assert eviction.status_code == 422 and "médecin de la crèche" in eviction.json["error"]["fields"]["reason"][0]
    asked = family_api.created(
        f"/api/v1/contracts/{contract['id']}/absences",
        {"starts_on": MONDAY.isoformat(), "ends_on": MONDAY.isoformat(), "reason": "other"},
    )
    refused = staff.post(f"/api/v1/absences/{asked['id']}/reject", json={"reason": "Jour de fermeture déjà prévu."})
    assert refused.status_code == 200 and refused.json["reject_reason"] == "Jour de fermeture déjà prévu."
    again = staff.post(f"/api/v1/absences/{asked['id']}/approve", json={})
    assert again.status_code == 409
    shown = family_api.get(f"/api/v1/contracts/{contract['id']}").json["absences"]
    assert [(a["status"], a["reject_reason"]) for a in shown] == [("rejected", "Jour de fermeture déjà prévu.")]
