"""The family's «Prélèvement SEPA» page and the staff's view of the mandate, with a stand-in for the
bookings service: the legal mandate text with the creditor and the reference, the form sent as the
service's fields, a refusal next to its field, the consent box checked by the page; the IBAN is
only ever shown masked."""

import pytest

from services.gateway import auth
from services.gateway.models import database
from shared.errors import Invalid, NotFound
from tests.unit.gateway.conftest import BookingsStandIn, served_by

PASSWORD = "les-petits-loups"
MANDATE = {
    "id": "m-1",
    "family_id": "family-1",
    "reference": "COCOON-FAMILY1-1",
    "iban": "FR76 •••• •••• 0189",
    "bic": "AGRIFRPPXXX",
    "holder": "Anne Brun",
    "signed_on": "2026-01-02",
    "active": True,
    "revoked_at": None,
    "recorded_at": "2026-01-02T10:00:00+01:00",
    "creditor_name": "Crèche Cocoon'Age",
    "creditor_id": "FR72ZZZ123456",
}
FAMILY = {
    "id": "family-1",
    "email": "famille@example.fr",
    "guardians": [{"first_name": "Anne", "last_name": "Brun", "phone": "0601020304"}],
    "monthly_resources": "2500.00",
    "dependent_children": 1,
    "aeeh_children": 0,
    "job_seeker": False,
    "children": [],
}


class Bookings(BookingsStandIn):
    def __init__(self, mandate=None, refuse=None):
        super().__init__()
        self.mandate, self.refuse = mandate, refuse

    def mandate_terms(self, family_id):
        self.calls.append(("mandate_terms", family_id))
        return {
            "creditor_name": "Crèche Cocoon'Age",
            "creditor_id": "FR72ZZZ123456",
            "next_reference": "COCOON-FAMILY1-2" if self.mandate else "COCOON-FAMILY1-1",
            "mandate": self.mandate,
        }

    def sign_mandate(self, family_id, data):
        self.calls.append(("sign_mandate", family_id, data))
        if self.refuse:
            raise self.refuse
        return MANDATE

    def revoke_mandate(self, family_id):
        self.calls.append(("revoke_mandate", family_id))
        if self.mandate is None:
            raise NotFound("Aucun mandat de prélèvement SEPA n'est enregistré pour cette famille.")
        self.mandate = None
        return {**MANDATE, "active": False, "revoked_at": "2026-02-01T10:00:00+01:00"}

    def get_family(self, family_id):
        return FAMILY

    def close(self):
        pass


@pytest.fixture
def family(app):
    with app.app_context(), database.connection_context():
        auth.create_account("famille@example.fr", PASSWORD, "family", subject_id="family-1")
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/connexion", data={"email": "famille@example.fr", "password": PASSWORD})
    return client


def form(**changes):
    return {
        "holder": "Anne Brun",
        "iban": "FR76 3000 6000 0112 3456 7890 189",
        "bic": "",
        "signed_on": "2026-01-02",
        "consent": "oui",
        **changes,
    }


def test_the_form_shows_the_legal_mandate_text_with_the_creditor_and_the_reference(app, family):
    served_by(app, Bookings())
    html = family.get("/famille/prelevement").get_data(as_text=True)
    assert "<h1>Prélèvement SEPA</h1>" in html
    assert "FR72ZZZ123456" in html and "COCOON-FAMILY1-1" in html and "Crèche Cocoon&#39;Age" in html
    assert "dans les 8 semaines suivant la date de débit" in html
    assert 'for="iban"' in html and 'for="holder"' in html and 'for="signed_on"' in html and 'for="consent"' in html


def test_signing_sends_the_services_fields_and_comes_back_to_the_page(app, family):
    bookings = served_by(app, Bookings())
    answer = family.post("/famille/prelevement", data=form(bic=" agrifrppxxx "))
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/famille/prelevement")
    [(_, who, data)] = [call for call in bookings.calls if call[0] == "sign_mandate"]
    assert who == "family-1"
    assert data == {
        "iban": "FR76 3000 6000 0112 3456 7890 189",
        "bic": "agrifrppxxx",
        "holder": "Anne Brun",
        "signed_on": "2026-01-02",
    }


def test_without_the_consent_box_nothing_is_sent(app, family):
    bookings = served_by(app, Bookings())
    answer = family.post("/famille/prelevement", data=form(consent=""))
    assert answer.status_code == 422
    assert "Cochez la case pour signer le mandat" in answer.get_data(as_text=True)
    assert not [call for call in bookings.calls if call[0] == "sign_mandate"]


def test_a_wrong_iban_is_shown_next_to_its_field(app, family):
    refusal = Invalid("Ce mandat ne peut pas être enregistré.", {"iban": ["La clé de contrôle de l'IBAN est fausse."]})
    served_by(app, Bookings(refuse=refusal))
    answer = family.post("/famille/prelevement", data=form(iban="FR7630006000011234567890188"))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="iban-erreur">La clé de contrôle de l&#39;IBAN est fausse.' in html
    assert 'value="FR7630006000011234567890188"' in html  # kept for correction


def test_the_current_mandate_is_shown_masked(app, family):
    served_by(app, Bookings(mandate=MANDATE))
    html = family.get("/famille/prelevement").get_data(as_text=True)
    assert "FR76 •••• •••• 0189" in html and "COCOON-FAMILY1-1" in html and "COCOON-FAMILY1-2" in html
    assert "3000 6000" not in html


def test_staff_see_the_mandate_masked_on_the_family_file(app, staff):
    served_by(app, Bookings(mandate=MANDATE))
    html = staff.get("/equipe/familles/family-1").get_data(as_text=True)
    assert "Prélèvement SEPA" in html and "FR76 •••• •••• 0189" in html and "COCOON-FAMILY1-1" in html


def test_staff_see_when_a_family_has_no_mandate(app, staff):
    served_by(app, Bookings())
    html = staff.get("/equipe/familles/family-1").get_data(as_text=True)
    assert "Aucun mandat" in html


def test_the_family_revokes_its_mandate_from_the_page_and_reads_what_follows(app, family):
    bookings = served_by(app, Bookings(mandate=MANDATE))
    html = family.get("/famille/prelevement").get_data(as_text=True)
    assert 'action="/famille/prelevement/revoquer"' in html and "Révoquer mon mandat" in html
    answer = family.post("/famille/prelevement/revoquer", follow_redirects=True)
    assert ("revoke_mandate", "family-1") in bookings.calls
    text = answer.get_data(as_text=True)
    assert "Mandat COCOON-FAMILY1-1 révoqué" in text and "Révoquer mon mandat" not in text


def test_revoking_twice_says_there_is_no_mandate(app, family):
    served_by(app, Bookings())
    answer = family.post("/famille/prelevement/revoquer", follow_redirects=True)
    assert "Aucun mandat de prélèvement SEPA" in answer.get_data(as_text=True)
