"""The monthly invoice as a PDF through the gateway on the real broker: a family downloads its
own, staff download any family's (and its JSON statement), nobody else's."""

import pytest

from services.gateway.invoice import month_name
from tests.dates import DAY, at
from tests.factories import child_fields, room_fields, sign_up_family, slot_fields
from tests.pdf import pdf_text

MONTH = f"{DAY:%Y-%m}"
# 4,000 € a month and two dependent children: the CNAF rate 2.064 €/h, so 4 h booked is 8.26 €
# (the figures of test_childcare_api.py).
RESOURCES = {"monthly_resources": "4000", "dependent_children": 2}


@pytest.fixture
def room(staff):
    return staff.created("/api/v1/rooms", room_fields(name="Les Lucioles", kind="childcare", capacity=3))


@pytest.fixture
def booked(api, staff, room):
    """(profile, API) of a family whose child is booked 08:30-12:30 on DAY (4 h, 8.26 €)."""
    slot = staff.created("/api/v1/childcare-slots", slot_fields(room["id"], starts_at=at(8, 30), ends_at=at(12, 30)))
    profile, family = sign_up_family(api, email="facture@example.fr", **RESOURCES)
    child = family.created("/api/v1/families/me/children", child_fields(first_name="Léa"))
    booking = family.post("/api/v1/bookings", json={"slot_id": slot["id"], "child_id": child["id"]})
    assert booking.json["amount"] == "8.26", booking.json
    return profile, family


def test_a_family_downloads_its_monthly_invoice_as_a_pdf(booked):
    _, family = booked
    response = family.get(f"/api/v1/families/me/statements/{MONTH}.pdf")
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="releve-{MONTH}.pdf"'
    text = pdf_text(response.data)
    assert f"Relevé mensuel — {month_name(MONTH)}" in text
    assert "8 h 30 – 12 h 30" in text and "Léa" in text
    assert "2,064 €/h" in text and "8,26 €" in text
    assert "Camille Durand" in text and "facture@example.fr" in text  # the family, from get_family
    assert family.get(f"/api/v1/families/me/statements/{MONTH}").json["amount"] == "8.26"  # the JSON one still


def test_staff_download_any_family_s_invoice_and_another_family_cannot(api, staff, booked):
    profile, _ = booked
    pdf = staff.get(f"/api/v1/families/{profile['id']}/statements/{MONTH}.pdf")
    assert pdf.status_code == 200, pdf.data[:300]
    assert pdf.mimetype == "application/pdf"
    assert "8,26 €" in pdf_text(pdf.data) and "facture@example.fr" in pdf_text(pdf.data)
    assert staff.get(f"/api/v1/families/{profile['id']}/statements/{MONTH}").json["amount"] == "8.26"

    _, other = sign_up_family(api, email="voisine@example.fr", **RESOURCES)
    for suffix in ("", ".pdf"):
        refused = other.get(f"/api/v1/families/{profile['id']}/statements/{MONTH}{suffix}")
        assert refused.status_code == 403, suffix
    mine = other.get(f"/api/v1/families/me/statements/{MONTH}.pdf")
    assert "8,26 €" not in pdf_text(mine.data)  # its own, empty month
    assert "Aucune prestation facturée ce mois-ci." in pdf_text(mine.data)


def test_an_unknown_family_or_a_bad_month_is_answered_in_json(staff, bookings):
    for suffix in ("", ".pdf"):
        unknown = staff.get(f"/api/v1/families/inconnue/statements/{MONTH}{suffix}")
        assert (unknown.status_code, unknown.json["error"]["code"]) == (404, "not_found"), suffix
        bad = staff.get(f"/api/v1/families/inconnue/statements/2026-13{suffix}")
        assert bad.status_code == 422, suffix
        assert bad.json["error"]["fields"] == {"month": ["Mois attendu au format AAAA-MM."]}
