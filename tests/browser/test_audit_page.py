"""« Journal des actions » in a real browser: a refused sign-in shows with the email tried and the
address, a staff account's creation through the API is found by its id; the page, and its
filters sent wrong, checked with axe on a desktop, a phone and at 200 %."""

import uuid
from datetime import timedelta

from tests.browser.conftest import axe_at_every_viewport, shoot
from tests.dates import today


def test_a_refused_sign_in_shows_in_the_journal_with_the_email_tried(browser, stack, staff_page):
    tried = f"inconnue-{uuid.uuid4().hex[:8]}@example.fr"
    context = browser.new_context(base_url=stack, locale="fr-FR")
    visitor = context.new_page()
    visitor.goto("/connexion")
    visitor.get_by_label("Adresse e-mail", exact=True).fill(tried)
    visitor.get_by_label("Mot de passe", exact=True).fill("pas-le-bon-mot-de-passe")
    visitor.get_by_role("button", name="Se connecter").click()
    visitor.locator(".field-error").first.wait_for()
    context.close()

    staff_page.goto("/equipe/journal/")
    row = staff_page.get_by_role("row").filter(has_text=tried)
    assert "Connexion refusée" in row.inner_text()
    assert "127.0.0.1" in row.inner_text()
    shoot(staff_page, "equipe-journal")


def test_a_staff_account_created_through_the_api_is_found_by_its_id(staff_page, staff_api):
    tag = uuid.uuid4().hex[:8]
    member = staff_api.created(
        "/api/v1/staff",
        {
            "email": f"journal-{tag}@example.fr",
            "password": "cahier-de-bord-1234",
            "first_name": "Inès",
            "last_name": tag,
        },
    )
    staff_page.goto("/equipe/journal/")
    staff_page.get_by_label("Sur quel dossier (identifiant)").fill(member["id"])
    staff_page.get_by_role("button", name="Filtrer").click()
    staff_page.wait_for_url("**subject=*")
    rows = staff_page.get_by_role("row").filter(has_text="Compte créé")
    assert rows.count() == 1
    assert member["id"] in rows.inner_text()


def test_the_journal_passes_axe_at_wcag_aa_on_a_desktop_a_phone_and_at_200_percent(browser, stack, staff_state):
    def days_the_wrong_way(page):  # the last day before the first: said next to it
        page.goto("/equipe/journal/")
        page.get_by_label("Du", exact=True).fill(today().isoformat())
        page.get_by_label("Au (inclus)").fill((today() - timedelta(days=3)).isoformat())
        page.get_by_role("button", name="Filtrer").click()

    assert (
        axe_at_every_viewport(
            browser,
            stack,
            {"equipe-journal": "/equipe/journal/"},
            storage_state=staff_state,
            forms={"equipe-journal-erreurs": days_the_wrong_way},
        )
        == {}
    )
