"""A trainee's attestation d'honorabilité on the staff's pages, in a real browser: the
placement's page says the trainee is not cleared and leads to the attestation page; one verified
more than 6 months after its issue is refused next to its date; a valid one clears the trainee
until the day before the third anniversary of its verification. Checked with axe-core."""

from datetime import timedelta

from tests.browser.conftest import main_text, serious_violations, shoot
from tests.browser.test_tutor_pages import new_tutor, placed_trainee
from tests.dates import today


def test_staff_record_a_trainees_attestation_from_the_placements_page(staff_page, staff_api):
    _tutor, tutor_id = new_tutor(staff_api)
    _trainee, placement = placed_trainee(staff_api, tutor_id, first_name="Maëlys")
    page = staff_page
    page.goto(f"/equipe/stages/{placement['id']}")
    assert "Attestation manquante : pas auprès des enfants" in page.locator("#honorabilite").inner_text()
    page.get_by_role("link", name="Voir ou enregistrer l'attestation de Maëlys Roux").click()
    page.get_by_role("heading", level=1, name="Attestation d'honorabilité : Maëlys Roux").wait_for()
    assert "n'a pas d'attestation d'honorabilité vérifiée" in main_text(page)
    assert serious_violations(page) == [], "the attestation form"
    shoot(page, "equipe-stagiaire-attestation")

    page.get_by_label("Date d'émission de l'attestation").fill((today() - timedelta(days=200)).isoformat())
    page.get_by_label("Vérifiée sur la plateforme le").fill(today().isoformat())
    page.get_by_role("button", name="Enregistrer l'attestation").click()
    assert "doit dater de moins de 6 mois" in page.locator("#verified_on-erreur").inner_text()
    assert page.locator("#verified_on").get_attribute("aria-invalid") == "true"
    assert serious_violations(page) == [], "the attestation form refused"
    shoot(page, "equipe-stagiaire-attestation-erreur")

    verified = today() - timedelta(days=1)
    page.get_by_label("Date d'émission de l'attestation").fill((today() - timedelta(days=30)).isoformat())
    page.get_by_label("Vérifiée sur la plateforme le").fill(verified.isoformat())
    page.get_by_role("button", name="Enregistrer l'attestation").click()
    page.get_by_text("Attestation d'honorabilité enregistrée pour Maëlys Roux.").wait_for()
    status = page.locator("#autorisation").inner_text()
    expires = verified.replace(year=verified.year + 3) - timedelta(days=1)
    assert "Autorisé·e auprès des enfants jusqu'au" in status and str(expires.year) in status
    assert serious_violations(page) == [], "the attestation recorded"
    page.get_by_role("link", name="Revenir au stage").click()
    assert "Autorisé·e auprès des enfants jusqu'au" in page.locator("#honorabilite").inner_text()
    assert serious_violations(page) == [], "the placement's page"
