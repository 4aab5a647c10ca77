"""« Effacer les données » in a real browser: staff open the confirmation from the accounts page,
confirm, and the list shows the erasure under way, then done once every service answered; the
pages pass axe."""

import pytest

from tests.api import Api, Http
from tests.browser.conftest import axe_at_every_viewport, main_text, shoot
from tests.factories import PASSWORD, family_fields
from tests.support import wait_for


@pytest.fixture(scope="module")
def family(stack):
    fields = family_fields(email="efface.iris@example.fr", password=PASSWORD)
    profile = Api(Http(stack)).created("/api/v1/families", fields)
    return dict(fields, id=profile["id"])


def row_of(page, email):
    return page.locator("#comptes tbody tr", has_text=email)


def test_staff_erase_a_family_after_confirming_and_see_it_done(staff_page, family):
    page = staff_page
    page.goto("/equipe/comptes/?role=family")
    row_of(page, family["email"]).get_by_role("link", name="Effacer les données").click()
    assert "On ne peut pas revenir en arrière" in main_text(page)
    shoot(page, "effacement-confirmation")
    page.get_by_role("button", name="Confirmer l'effacement").click()
    assert "est demandé" in main_text(page)
    assert family["email"] not in main_text(page)  # the account is under its pseudonym already

    def done():
        page.goto("/equipe/comptes/?role=family")
        return "Données effacées" in main_text(page)

    wait_for(done, timeout=30, message="every service's answer")
    shoot(page, "effacement-termine")


def test_the_erasure_pages_pass_axe(browser, stack, staff_state, staff_page, family):
    other = family_fields(email="efface.jade@example.fr", password=PASSWORD)
    Api(Http(stack)).created("/api/v1/families", other)
    staff_page.goto("/equipe/comptes/?role=family")
    confirm = row_of(staff_page, other["email"]).get_by_role("link", name="Effacer les données").get_attribute("href")
    pages = {"effacement-confirmation": confirm, "comptes-familles-effacement": "/equipe/comptes/?role=family"}
    assert axe_at_every_viewport(browser, stack, pages, storage_state=staff_state) == {}
