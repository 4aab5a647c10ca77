"""The venue's staff in a real browser: a new staff member shows on « Équipe » without an
attestation (said in words), staff tick their diplomas and make them référent santé, an attestation
verified more than 6 months after its issue is refused next to its date, a recent one clears them
until a day written in words; « Attestations à renouveler » lists a staff member without one; every
page screenshotted and checked with axe on a desktop, a phone and at 200 %."""

import uuid
from datetime import timedelta

from tests.browser.conftest import axe_at_every_viewport, main_text, shoot
from tests.dates import today

PASSWORD = "cahier-de-bord-1234"


def new_staff_member(staff_api, first_name="Nadia"):
    """A staff account (and its profile) with a name of its own: the session shares one venue."""
    tag = uuid.uuid4().hex[:8]
    body = {
        "email": f"equipe-{tag}@example.fr",
        "password": PASSWORD,
        "first_name": first_name,
        "last_name": f"Benali-{tag}",
    }
    return staff_api.created("/api/v1/staff", body)


def row_of(page, member):
    page.goto("/equipe/personnel/")
    return page.get_by_role("row").filter(has_text=member["last_name"])


def record_attestation(page, member, issued_on, verified_on):
    page.goto(f"/equipe/personnel/{member['id']}")
    page.get_by_label("Date d'émission de l'attestation").fill(issued_on.isoformat())
    page.get_by_label("Vérifiée sur la plateforme le").fill(verified_on.isoformat())
    page.get_by_role("button", name="Enregistrer l'attestation").click()


def test_staff_fill_a_new_members_diplomas_and_attestation_and_the_page_says_until_when(staff_page, staff_api):
    member = new_staff_member(staff_api)
    staff = staff_page
    row = row_of(staff, member)
    assert "Pas d'attestation vérifiée : ne peut pas être avec les enfants" in row.inner_text()
    assert "Ne compte pas" in row.inner_text()
    shoot(staff, "equipe-personnel")
    row.get_by_role("link").click()
    staff.get_by_role("heading", level=1, name=f"Fiche de Nadia {member['last_name']}").wait_for()

    staff.get_by_label("Poste").fill("Éducatrice de jeunes enfants")
    staff.get_by_label("Éducateur·rice de jeunes enfants (diplôme d'État)").check()
    staff.get_by_label("Référent santé et accueil inclusif").check()
    staff.get_by_role("button", name="Enregistrer la fiche").click()
    staff.wait_for_url(f"**/equipe/personnel/{member['id']}")
    assert f"Fiche de Nadia {member['last_name']} enregistrée." in main_text(staff)
    assert "Compte dans le taux d'encadrement." in main_text(staff)

    record_attestation(staff, member, today() - timedelta(days=200), today())  # over 6 months at verification
    assert "moins de 6 mois" in staff.locator("#verified_on-erreur").inner_text()
    assert staff.locator("#verified_on").get_attribute("aria-invalid") == "true"
    assert staff.locator(".error-summary a[href='#verified_on']").count() == 1
    shoot(staff, "equipe-personnel-attestation-erreur")
    record_attestation(staff, member, today() - timedelta(days=20), today())
    staff.wait_for_url(f"**/equipe/personnel/{member['id']}")
    assert "Attestation d'honorabilité enregistrée." in main_text(staff)
    assert "Attestation valable jusqu'au" in main_text(staff)
    row = row_of(staff, member)
    assert "Attestation valable jusqu'au" in row.inner_text()
    assert "Référent santé et accueil inclusif" in row.inner_text()
    assert str(today().year + 3) in row.inner_text()
    assert (today().replace(year=today().year + 3) - timedelta(days=1)).isoformat() not in main_text(staff)


def test_the_renewal_list_names_a_staff_member_without_an_attestation(staff_page, staff_api):
    member = new_staff_member(staff_api, first_name="Bruno")
    staff_page.goto("/equipe/personnel/")
    staff_page.get_by_role("navigation", name="Pages de l'équipe").get_by_role(
        "link", name="Attestations à renouveler"
    ).click()
    staff_page.get_by_role("heading", level=1, name="Attestations d'honorabilité à renouveler").wait_for()
    row = staff_page.get_by_role("row").filter(has_text=member["last_name"])
    assert "Membre de l'équipe" in row.inner_text()
    assert "Pas d'attestation vérifiée" in row.inner_text()
    shoot(staff_page, "equipe-attestations-a-renouveler")


def test_every_team_page_passes_axe_at_wcag_aa_on_a_desktop_a_phone_and_at_200_percent(
    browser, stack, staff_api, staff_state
):
    member = new_staff_member(staff_api, first_name="Chloé")
    pages = {
        "equipe-personnel": "/equipe/personnel/",
        "equipe-personnel-fiche": f"/equipe/personnel/{member['id']}",
        "equipe-attestations-a-renouveler": "/equipe/personnel/attestations-a-renouveler",
    }

    def send_empty(page):  # the attestation sent empty: its errors
        page.goto(f"/equipe/personnel/{member['id']}")
        page.get_by_role("button", name="Enregistrer l'attestation").click()

    forms = {"equipe-personnel-attestation-erreurs": send_empty}
    assert axe_at_every_viewport(browser, stack, pages, storage_state=staff_state, forms=forms) == {}
