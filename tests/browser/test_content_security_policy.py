"""The pages work under their Content-Security-Policy as shipped (no bypass): no script or style
is refused, and the evacuation register's « Imprimer » button, a static script, still prints."""

import pytest

from tests.api import STAFF
from tests.browser.conftest import sign_in_as

PAGES = ["/", "/connexion", "/inscription", "/benevole/inscription", "/simulateur", "/equipe/", "/equipe/registre"]


@pytest.fixture
def strict_page(browser, stack):
    context = browser.new_context(base_url=stack, locale="fr-FR", bypass_csp=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.refused = []

    def note(message):
        if "Content Security Policy" in message.text:
            page.refused.append(message.text)

    page.on("console", note)
    yield page
    context.close()


def test_pages_run_under_the_content_security_policy(strict_page):
    page = strict_page
    sign_in_as(page, STAFF["email"], STAFF["password"], "/equipe/")
    for path in PAGES:
        answer = page.goto(path)
        assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert page.refused == []


def test_the_register_s_print_button_prints_under_the_policy(strict_page):
    page = strict_page
    page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    sign_in_as(page, STAFF["email"], STAFF["password"], "/equipe/")
    page.goto("/equipe/registre")
    page.get_by_role("button", name="Imprimer").click()
    assert page.evaluate("window.printed") == 1
    assert page.refused == []
