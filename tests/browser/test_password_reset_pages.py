"""« Mot de passe oublié ? » in a real browser: a family asks for a link from the sign-in page,
reads it in the email the notifications service wrote (development: <var>/notifications.mbox),
chooses a new password with it and signs in; the pages, and the staff's accounts page, pass axe."""

import email
import mailbox
import re
from email.policy import default as default_policy

import pytest

from tests.api import Api, Http
from tests.browser.conftest import axe_at_every_viewport, main_text, shoot, sign_in_as
from tests.factories import PASSWORD, family_fields
from tests.support import wait_for

NEW_PASSWORD = "un-jardin-en-hiver"


@pytest.fixture(scope="module")
def family(stack):
    fields = family_fields(email="oubli.nina@example.fr", password=PASSWORD)
    Api(Http(stack)).created("/api/v1/families", fields)
    return fields


def links_sent_to(tmp_path_factory, address):
    """The reset links in the emails to `address`, oldest first, from the venue's mbox."""
    found = []
    # var0, var1…: the venue's var directory (pytest also links varcurrent to the newest: read once)
    for path in sorted({p.resolve() for p in tmp_path_factory.getbasetemp().glob("var*/notifications.mbox")}):
        for message in mailbox.mbox(str(path)):
            parsed = email.message_from_bytes(bytes(message), policy=default_policy)
            if parsed["To"] == address:
                body = parsed.get_body(preferencelist=("plain",)).get_content()
                found += re.findall(r"https?://\S+/mot-de-passe-oublie/nouveau\?jeton=\S+", body)
    return found


def ask_for_a_link(page, address):
    page.goto("/connexion")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.get_by_label("Adresse e-mail").fill(address)
    page.get_by_role("button", name="Recevoir le lien").click()
    page.get_by_role("heading", name="Vérifiez votre boîte e-mail").wait_for()


def test_a_family_resets_its_password_from_the_emailed_link_and_signs_in_with_it(page, stack, family, tmp_path_factory):
    ask_for_a_link(page, family["email"])
    assert "Si un compte actif existe" in main_text(page)
    shoot(page, "mot-de-passe-oublie-envoye")
    [link] = wait_for(lambda: links_sent_to(tmp_path_factory, family["email"]), message="the reset email")
    assert link.startswith(stack + "/")  # COCOON_PUBLIC_URL, the venue's address
    page.goto(link)
    page.get_by_label("Nouveau mot de passe").fill("azertyuiop")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    page.locator(".error-summary").wait_for()
    assert "trop facile à deviner" in main_text(page)
    page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    page.wait_for_url("**/connexion")
    assert "Votre mot de passe est changé" in main_text(page)
    sign_in_as(page, family["email"], NEW_PASSWORD, "/famille/")
    page.goto(link)
    assert "Ce lien a déjà servi" in main_text(page)


def test_the_password_reset_pages_and_the_accounts_page_pass_axe(browser, stack, family, staff_state, tmp_path_factory):
    unknown = Api(Http(stack)).post("/api/v1/auth/password-reset", json={"email": "personne@example.fr"})
    assert unknown.status_code == 202
    before = len(links_sent_to(tmp_path_factory, family["email"]))
    Api(Http(stack)).post("/api/v1/auth/password-reset", json={"email": family["email"]})
    fresh = wait_for(lambda: links_sent_to(tmp_path_factory, family["email"])[before:], message="a new link")[-1]

    def send_empty(page):
        page.goto("/mot-de-passe-oublie/")
        page.get_by_role("button", name="Recevoir le lien").click()

    pages = {
        "mot-de-passe-oublie": "/mot-de-passe-oublie/",
        "nouveau-mot-de-passe": fresh.removeprefix(stack),
        "lien-refuse": "/mot-de-passe-oublie/nouveau?jeton=inconnu",
    }
    assert axe_at_every_viewport(browser, stack, pages, forms={"mot-de-passe-oublie-vide": send_empty}) == {}
    staff_pages = {"comptes": "/equipe/comptes/", "comptes-familles": "/equipe/comptes/?role=family"}
    assert axe_at_every_viewport(browser, stack, staff_pages, storage_state=staff_state) == {}
