"""Billing in a real browser, on a venue of its own (closing a month freezes it, which the other
browser tests' statements must not see): staff close the current month, open the family's
invoice, record a payment, issue a credit note and download both PDFs; the family sees its
invoices and balance; every billing page checked with axe-core on a desktop, a phone and at 200 %."""

import uuid
from datetime import date, timedelta

import pytest

from shared import timeutil
from tests.api import STAFF, Api, Http
from tests.browser.conftest import axe_at_every_viewport, main_text, sign_in_as
from tests.factories import PASSWORD, family_fields
from tests.venue import amqp_uri, rabbit_vhost, running_venue, staff_of


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with rabbit_vhost("cocoon-billing") as vhost:
        with running_venue(amqp_uri(vhost), tmp_path_factory.mktemp("billing")) as venue:
            yield venue.base_url


@pytest.fixture(scope="module")
def billed(stack):
    """A family with a contract from today (Monday to Friday mornings): (its fields, this month)."""
    today = date.today()
    fields = family_fields(
        email=f"facture-{uuid.uuid4().hex[:8]}@example.fr",
        password=PASSWORD,
        guardians=[{"first_name": "Inès", "last_name": "Facturée", "phone": "0601020304"}],
        postal_address="3 rue des Lilas\n75011 Paris",
    )
    api = Api(Http(stack))
    api.created("/api/v1/families", fields)
    family = api.signed_in(fields)
    child = family.created(
        "/api/v1/families/me/children", {"first_name": "Lou", "birth_date": (today - timedelta(days=400)).isoformat()}
    )
    asked = family.created(
        "/api/v1/contracts",
        {
            "child_id": child["id"],
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=90)).isoformat(),
            "weeks_per_year": 46,
            "pattern": [{"weekday": d, "start": "09:00", "end": "12:00"} for d in range(5)],
        },
    )
    staff = staff_of(stack)
    assert staff.post(f"/api/v1/contracts/{asked['id']}/accept").status_code == 200
    return fields, timeutil.venue_today().strftime("%Y-%m")


def test_staff_close_the_month_record_a_payment_and_cancel_the_invoice_by_a_credit_note(staff_page, billed):
    _fields, month = billed
    page = staff_page
    page.goto(f"/equipe/facturation?mois={month}")
    page.get_by_role("button", name="Clore le mois et émettre les factures").click()
    page.wait_for_url(f"**/equipe/facturation?mois={month}")
    assert "Mois clos : 1 facture(s) émise(s)." in main_text(page)
    assert "Inès Facturée" in main_text(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Facture F-").first.click()
    assert download.value.suggested_filename.startswith("facture-F-")
    page.locator("#factures th a").first.click()
    page.get_by_label("Montant (€)").fill("1")
    page.get_by_label("Date du paiement").fill(date.today().isoformat())
    page.get_by_label("Moyen de paiement").select_option("cheque")
    page.get_by_role("button", name="Enregistrer le paiement").click()
    assert "Paiement enregistré." in main_text(page)
    page.get_by_label("Motif de l'avoir").fill("Erreur d'adresse")
    page.get_by_role("button", name="Émettre l'avoir").click()
    assert "Avoir A-" in main_text(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger l'avoir (PDF)").click()
    assert download.value.suggested_filename.startswith("avoir-A-")
    page.goto(f"/equipe/facturation?mois={month}")  # a month is closed once: no second close offered
    assert page.get_by_role("button", name="Clore le mois et émettre les factures").count() == 0


def test_the_family_sees_its_invoices_and_its_balance(page, billed):
    fields, _month = billed
    sign_in_as(page, fields["email"], PASSWORD, "/famille/")
    page.get_by_role("link", name="Mes factures").click()
    page.wait_for_url("**/famille/factures")
    assert page.locator("h1").inner_text() == "Mes factures"
    assert page.locator("#mes-factures tbody tr").count() >= 1


def test_every_billing_page_passes_axe_at_wcag_aa_on_a_desktop_a_phone_and_at_200_percent(browser, stack, billed):
    fields, month = billed
    staff = staff_of(stack)
    invoice = staff.get(f"/api/v1/invoices?month={month}").json()[0]
    previous = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    staff_pages = {
        "equipe-facturation-close": f"/equipe/facturation?mois={month}",
        "equipe-facturation-ouverte": f"/equipe/facturation?mois={previous}",
        "equipe-facture": f"/equipe/factures/{invoice['id']}",
        "equipe-soldes": "/equipe/soldes",
    }
    family_pages = {"famille-factures": "/famille/factures"}
    found = axe_at_every_viewport(browser, stack, staff_pages, sign_in=signed_in(STAFF["email"], STAFF["password"]))
    found |= axe_at_every_viewport(browser, stack, family_pages, sign_in=signed_in(fields["email"], PASSWORD))
    assert found == {}


def signed_in(email, password):
    return lambda page: sign_in_as(page, email, password, "/famille/" if email != STAFF["email"] else "/equipe/")


def test_staff_ask_a_closed_months_sepa_file_and_read_why_nothing_can_be_debited(staff_page, billed):
    _fields, month = billed  # closed above; the family signed no mandate and its invoice is credited
    page = staff_page
    page.goto(f"/equipe/facturation?mois={month}")
    page.get_by_role("link", name="Fichier de prélèvements SEPA").click()
    page.wait_for_url(f"**/equipe/facturation?mois={month}")
    assert "ne peut être prélevée" in main_text(page)


def test_the_family_downloads_this_years_tax_certificate_from_its_invoices(page, billed):
    fields, _month = billed
    sign_in_as(page, fields["email"], PASSWORD, "/famille/")
    page.goto("/famille/factures")
    year = timeutil.venue_today().year
    assert page.get_by_role("link", name=f"Attestation fiscale {year - 1}").count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Attestation fiscale {year}").click()
    assert download.value.suggested_filename == f"attestation-frais-de-garde-{year}.pdf"
