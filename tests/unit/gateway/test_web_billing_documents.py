"""The pages' links to the invoices' documents, with the bookings service stood in for: the staff's
«Fichier de prélèvements SEPA» on a closed month (a refusal shown on the month's page), the family's
«Attestation fiscale» of last year and this year on «Mes factures»."""

from datetime import datetime, timezone

import pytest

from services.gateway import auth
from services.gateway.models import database
from shared import timeutil
from shared.errors import Conflict
from tests.pdf import pdf_text

PASSWORD = "les-petits-loups"
CLOSING = {"month": "2026-03", "closed_at": "2026-04-01T10:00:00+02:00", "total": "284.83", "invoices": []}


@pytest.fixture
def family(app):
    with app.app_context(), database.connection_context():
        auth.create_account("famille@example.fr", PASSWORD, "family", subject_id="family-1")
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/connexion", data={"email": "famille@example.fr", "password": PASSWORD})
    return client


def test_a_closed_month_links_to_its_sepa_file_and_an_open_one_does_not(staff, recorded_rpc):
    recorded_rpc.answers["get_closing"] = CLOSING
    html = staff.get("/equipe/facturation?mois=2026-03").get_data(as_text=True)
    assert 'href="/equipe/facturation/2026-03/prelevements.xml">Fichier de prélèvements SEPA</a>' in html
    recorded_rpc.answers["get_closing"] = None
    recorded_rpc.answers["pending_absences"] = []
    assert "Fichier de prélèvements SEPA" not in staff.get("/equipe/facturation?mois=2026-04").get_data(as_text=True)


def test_the_sepa_file_downloads_and_a_refusal_comes_back_to_the_months_page(staff, recorded_rpc):
    answer = staff.get("/equipe/facturation/2026-03/prelevements.xml")
    assert answer.status_code == 200 and answer.mimetype == "application/xml"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="prelevements-2026-03.xml"'
    recorded_rpc.answers["sepa_file"] = Conflict("Aucune facture de mars 2026 ne peut être prélevée.")
    refused = staff.get("/equipe/facturation/2026-03/prelevements.xml")
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/equipe/facturation?mois=2026-03")
    recorded_rpc.answers["get_closing"] = CLOSING
    assert "Aucune facture de mars 2026 ne peut être prélevée." in staff.get(refused.headers["Location"]).get_data(
        as_text=True
    )


def test_my_invoices_link_last_years_and_this_years_tax_certificates(family, recorded_rpc, monkeypatch):
    now = datetime(2027, 1, 10, 10, tzinfo=timezone.utc)
    monkeypatch.setattr(timeutil, "now_utc", lambda: now)
    recorded_rpc.answers["family_invoices"] = {"family_id": "family-1", "balance": "0.00", "invoices": []}
    html = family.get("/famille/factures").get_data(as_text=True)
    assert 'href="/famille/attestations-fiscales/2026.pdf">Attestation fiscale 2026</a>' in html
    assert 'href="/famille/attestations-fiscales/2027.pdf">Attestation fiscale 2027</a> (provisoire' in html
    answer = family.get("/famille/attestations-fiscales/2026.pdf")
    assert answer.status_code == 200 and "Attestation de frais de garde" in pdf_text(answer.data)
    assert ("bookings", "tax_certificate", ("family-1", 2026)) in recorded_rpc.calls


def test_the_billing_pages_name_the_month_in_words(staff, recorded_rpc):
    html = staff.get("/equipe/facturation?mois=2026-03").get_data(as_text=True)
    assert "Clore le mois de mars 2026" in html and "2026-03</" not in html


def test_the_month_filter_keeps_a_text_that_is_not_a_month(app):
    from services.gateway.web import month

    with app.test_request_context():
        assert (month("2026-12"), month("bientôt"), month(None)) == ("décembre 2026", "bientôt", "")
