"""A family's SEPA mandate through the gateway on the real broker and PostgreSQL: recorded with its
reference, answered with the IBAN masked to the family and to staff, refused in French naming the
field, replaced by a new one with the next reference."""

from tests.dates import today as venue_today
from tests.factories import sign_up_family

IBAN = "FR76 3000 6000 0112 3456 7890 189"


def test_a_family_records_its_mandate_and_staff_read_it_masked(api, staff):
    profile, family_api = sign_up_family(api)
    assert family_api.get("/api/v1/families/me/mandate").status_code == 404
    signed_on = venue_today().isoformat()
    mandate = family_api.created(
        "/api/v1/families/me/mandate", {"iban": IBAN, "holder": "Anne Brun", "signed_on": signed_on}
    )
    assert mandate["iban"] == "FR76 •••• •••• 0189" and mandate["reference"].endswith("-1")
    assert mandate["signed_on"] == signed_on and mandate["active"] is True
    assert family_api.get("/api/v1/families/me/mandate").json == mandate
    seen = staff.get(f"/api/v1/families/{profile['id']}/mandate")
    assert seen.status_code == 200 and seen.json["iban"] == "FR76 •••• •••• 0189"
    assert family_api.get(f"/api/v1/families/{profile['id']}/mandate").status_code == 403

    wrong = family_api.post(
        "/api/v1/families/me/mandate",
        json={"iban": "FR7630006000011234567890188", "holder": "Anne Brun", "signed_on": signed_on},
    )
    assert wrong.status_code == 422
    assert "clé de contrôle" in wrong.json["error"]["fields"]["iban"][0]

    second = family_api.created(
        "/api/v1/families/me/mandate",
        {"iban": "DE89 3704 0044 0532 0130 00", "holder": "Anne Brun", "signed_on": signed_on},
    )
    assert second["reference"].endswith("-2") and second["iban"] == "DE89 •••• •••• 3000"
    assert family_api.get("/api/v1/families/me/mandate").json["id"] == second["id"]
