"""Absence requests in a real browser: a family asks for an absence with the photo of its
certificate, staff see it in « Absences à valider » (the count on « Aujourd'hui », the
certificate), approve it once « J'ai vu le justificatif » is ticked, and the family reads the
decision; axe on the family's form and on the staff's queue."""

import uuid
from datetime import timedelta

from tests import factories
from tests.api import Api, Http
from tests.browser.conftest import main_text, serious_violations, shoot, sign_in_as
from tests.dates import DAY
from tests.factories import PASSWORD, child_fields, family_fields

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"photo du certificat" * 40


def family_with_a_contract(stack, staff_api, first_name):
    """A family signed up with an accepted contract (Monday to Thursday) for its child."""
    api = Api(Http(stack))
    fields = family_fields(  # an email of its own: test_family_pages registers famille<n> in the same venue
        email=f"absence-{uuid.uuid4().hex[:10]}@example.fr",
        password=PASSWORD,
        monthly_resources="4000",
        dependent_children=2,
    )
    api.created("/api/v1/families", fields)
    family_api = api.signed_in(fields)
    child = family_api.created("/api/v1/families/me/children", child_fields(first_name=first_name))
    first = DAY + timedelta(days=7 - DAY.weekday())  # a Monday after DAY
    contract = family_api.created(
        "/api/v1/contracts", factories.contract_fields(child["id"], first, first + timedelta(days=90))
    )
    assert staff_api.post(f"/api/v1/contracts/{contract['id']}/accept").status_code == 200
    return fields["email"], first


def test_a_family_asks_with_its_certificate_and_staff_approve_it(page, staff_page, staff_api, stack, tmp_path):
    email, monday = family_with_a_contract(stack, staff_api, "Noé")
    sign_in_as(page, email, PASSWORD, "/famille/")
    page.goto("/famille/contrats")
    assert "les heures sont déduites une fois l'absence acceptée" in main_text(page)
    assert serious_violations(page) == []
    page.get_by_label("Premier jour d'absence").fill((monday + timedelta(days=7)).isoformat())
    page.get_by_label("Dernier jour d'absence").fill((monday + timedelta(days=7)).isoformat())
    page.get_by_role("radio", name="Hospitalisation").check()
    text = tmp_path / "certificat.pdf"
    text.write_text("Ceci n'est pas un PDF.")
    page.get_by_label("Certificat médical ou d'hospitalisation (photo ou PDF)").set_input_files(str(text))
    page.get_by_role("button", name="Envoyer la demande d'absence").click()
    page.get_by_text("ni une photo (JPEG, PNG) ni un PDF").first.wait_for()  # said next to the file
    assert serious_violations(page) == []
    shoot(page, "famille-absence-erreur")
    photo = tmp_path / "certificat.jpg"
    photo.write_bytes(JPEG)
    page.get_by_label("Certificat médical ou d'hospitalisation (photo ou PDF)").set_input_files(str(photo))
    page.get_by_role("radio", name="Hospitalisation").check()
    page.get_by_role("button", name="Envoyer la demande d'absence").click()
    page.get_by_text("Demande d'absence envoyée").wait_for()
    assert "En attente de validation" in page.locator("table").inner_text()
    shoot(page, "famille-absence-demandee")

    staff_page.goto("/equipe/")
    staff_page.get_by_role("link", name="demande").filter(has_text="à valider").click()
    staff_page.wait_for_url("**/equipe/absences")
    card = staff_page.locator("li.card").filter(has_text="Noé")
    assert card.get_by_role("link", name="Voir le justificatif de Noé (nouvel onglet)").count() == 1
    assert serious_violations(staff_page) == []
    shoot(staff_page, "equipe-absences")
    card.get_by_role("button", name="Accepter l'absence de Noé").click()
    staff_page.get_by_text("J'ai vu le justificatif").first.wait_for()
    staff_page.locator("li.card").filter(has_text="Noé").get_by_label("J'ai vu le justificatif").check()
    staff_page.locator("li.card").filter(has_text="Noé").get_by_role("button", name="Accepter l'absence de Noé").click()
    staff_page.get_by_text("Absence acceptée").wait_for()
    assert staff_page.locator("li.card").filter(has_text="Noé").count() == 0

    page.reload()
    row = page.get_by_role("row").filter(has_text="Hospitalisation")
    assert "Acceptée" in row.inner_text() and "9 h" in row.inner_text()


def test_staff_refuse_a_request_with_the_reason_the_family_reads(page, staff_page, staff_api, stack):
    email, monday = family_with_a_contract(stack, staff_api, "Ada")
    sign_in_as(page, email, PASSWORD, "/famille/")
    page.goto("/famille/contrats")
    page.get_by_label("Premier jour d'absence").fill((monday + timedelta(days=14)).isoformat())
    page.get_by_label("Dernier jour d'absence").fill((monday + timedelta(days=14)).isoformat())
    page.get_by_label("Autre absence").check()
    page.get_by_role("button", name="Envoyer la demande d'absence").click()
    page.get_by_text("Demande d'absence envoyée").wait_for()
    staff_page.goto("/equipe/absences")
    card = staff_page.locator("li.card").filter(has_text="Ada")
    card.get_by_role("button", name="Refuser la demande").click()
    staff_page.get_by_text("Indiquez le motif du refus").first.wait_for()
    assert serious_violations(staff_page) == []
    card = staff_page.locator("li.card").filter(has_text="Ada")
    card.get_by_label("Motif du refus (la famille le lira)").fill("Jour déjà compté dans vos congés.")
    card.get_by_role("button", name="Refuser la demande").click()
    staff_page.get_by_text("Demande d'absence refusée").wait_for()
    page.reload()
    assert "Refusée : Jour déjà compté dans vos congés." in page.locator("table").inner_text()
