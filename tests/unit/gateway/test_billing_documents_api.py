"""The SEPA file and the tax certificate routes (services/gateway/api/billing.py), with the bookings
service stood in for: who may ask, what the service is asked (a family only its own certificate), and
the files answered (XML as an attachment named for the month, the certificate's PDF)."""

from shared.errors import Conflict
from tests.pdf import pdf_text
from tests.unit.gateway.conftest import TAX_CERTIFICATE


def test_staff_download_a_closed_months_sepa_file_as_an_xml_attachment(client, role_headers, recorded_rpc):
    answer = client.get("/api/v1/billing/2026-03/sepa.xml?collection_date=2026-04-20", headers=role_headers["staff"])
    assert answer.status_code == 200 and answer.mimetype == "application/xml"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="prelevements-2026-03.xml"'
    assert answer.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert recorded_rpc.calls == [("bookings", "sepa_file", ("2026-03", "2026-04-20"))]
    assert client.get("/api/v1/billing/2026-03/sepa.xml", headers=role_headers["family"]).status_code == 403
    assert recorded_rpc.calls[-1] == ("bookings", "sepa_file", ("2026-03", "2026-04-20"))


def test_without_a_collection_date_the_service_takes_the_due_date(client, role_headers, recorded_rpc):
    client.get("/api/v1/billing/2026-03/sepa.xml", headers=role_headers["staff"])
    assert recorded_rpc.calls == [("bookings", "sepa_file", ("2026-03", None))]


def test_an_open_month_answers_the_services_french_409(client, role_headers, recorded_rpc):
    recorded_rpc.answers["sepa_file"] = Conflict("Le mois de mars 2026 n'est pas clos : clôturez-le d'abord.")
    answer = client.get("/api/v1/billing/2026-03/sepa.xml", headers=role_headers["staff"])
    assert answer.status_code == 409
    assert answer.json["error"]["message"].startswith("Le mois de mars 2026 n'est pas clos")


def test_a_family_downloads_its_own_tax_certificate_and_staff_any_familys(client, role_headers, recorded_rpc):
    mine = client.get("/api/v1/families/me/tax-certificates/2026.pdf", headers=role_headers["family"])
    assert mine.status_code == 200 and mine.mimetype == "application/pdf"
    assert mine.headers["Content-Disposition"] == 'attachment; filename="attestation-frais-de-garde-2026.pdf"'
    text = pdf_text(mine.data)
    assert "Attestation de frais de garde — année 2026" in text and "Anne Brun" in text and "284,83 €" in text
    staff = client.get("/api/v1/families/family-9/tax-certificates/2026.pdf", headers=role_headers["staff"])
    assert staff.status_code == 200
    assert recorded_rpc.calls == [
        ("bookings", "tax_certificate", ("family-1", "2026")),
        ("bookings", "tax_certificate", ("family-9", "2026")),
    ]
    other = client.get("/api/v1/families/family-9/tax-certificates/2026.pdf", headers=role_headers["family"])
    assert other.status_code == 403


def test_a_certificate_of_the_year_not_over_says_so(client, role_headers, recorded_rpc):
    recorded_rpc.answers["tax_certificate"] = dict(TAX_CERTIFICATE, complete=False, paid_until="2026-12-07")
    answer = client.get("/api/v1/families/me/tax-certificates/2026.pdf", headers=role_headers["family"])
    assert "Attestation provisoire" in pdf_text(answer.data)
