"""Staff declare the crèche's closures in a real browser: the form, its errors, the list; the page
checked with axe-core on a desktop, a phone and at 200 %. The dates are a year ahead: the browser
session's venue is shared, and a closed day refuses the slots other tests open."""

from datetime import date

from tests.browser.conftest import axe_at_every_viewport, main_text
from tests.dates import DAY

NEXT_SUMMER = date(DAY.year + 1, 8, 3)


def test_staff_declare_the_summer_closure_and_see_it_listed(staff_page):
    staff_page.goto("/equipe/fermetures")
    staff_page.get_by_label("Motif").fill("Fermeture annuelle d'été")
    staff_page.get_by_label("Premier jour fermé").fill(NEXT_SUMMER.isoformat())
    staff_page.get_by_label("Dernier jour fermé").fill(NEXT_SUMMER.replace(day=21).isoformat())
    staff_page.get_by_role("button", name="Enregistrer la fermeture").click()
    staff_page.wait_for_url("**/equipe/fermetures")
    assert "Fermeture « Fermeture annuelle d'été » enregistrée." in main_text(staff_page)
    row = staff_page.locator("#fermetures tr", has_text="Fermeture annuelle d'été")
    assert "Prévue (hors contrats)" in row.inner_text()


def test_a_closure_ending_before_it_starts_is_refused_next_to_its_field(staff_page):
    staff_page.goto("/equipe/fermetures")
    staff_page.get_by_label("Motif").fill("Travaux")
    staff_page.get_by_label("Premier jour fermé").fill(NEXT_SUMMER.replace(day=20).isoformat())
    staff_page.get_by_label("Dernier jour fermé").fill(NEXT_SUMMER.replace(day=10).isoformat())
    staff_page.get_by_role("button", name="Enregistrer la fermeture").click()
    staff_page.locator(".error-summary").wait_for()
    assert staff_page.locator("[aria-invalid=true]").count() >= 1


def test_the_closures_page_passes_axe_at_wcag_aa_on_a_desktop_a_phone_and_at_200_percent(browser, stack, staff_state):
    def send_empty(page):
        page.goto("/equipe/fermetures")
        page.get_by_role("button", name="Enregistrer la fermeture").click()

    pages = {"equipe-fermetures": "/equipe/fermetures"}
    forms = {"equipe-fermetures-erreurs": send_empty}
    assert axe_at_every_viewport(browser, stack, pages, storage_state=staff_state, forms=forms) == {}
