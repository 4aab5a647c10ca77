"""One person, two spaces, in a real browser: a parent who signs up as a volunteer with their own
account's password gains the volunteer role (docs/accounts-rules.md, "Several roles"); the menu
offers both spaces, marks the current one (aria-current), a sign-in leads to the primary space;
another password is refused; accessibility (axe) on the pages with the spaces' menu."""

import re
from itertools import count

from tests.browser.conftest import serious_violations, shoot, sign_in_as

PASSWORD = "jardin-1950"
_numbers = count(1)


def register_family(page):
    email = f"parent-benevole{next(_numbers)}@example.fr"
    page.goto("/inscription")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label("Téléphone").fill("0601020304")
    page.get_by_label("Ressources du foyer par mois, en euros").fill("4000")
    page.get_by_label("Nombre d'enfants à charge").fill("2")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/famille/**")
    return email


def sign_up_as_volunteer(page, email, password):
    page.goto("/benevole/inscription")
    page.get_by_label("Prénom", exact=True).fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label("Date de naissance").fill("1960-03-02")
    page.get_by_label("Téléphone", exact=True).fill("0601020304")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_label("Nom de la personne à prévenir").fill("Paul Durand")
    page.get_by_label("Téléphone de la personne à prévenir").fill("0698765432")
    page.get_by_label("Heure du conte").check()
    page.get_by_label(re.compile(r"^Mardi matin$")).check()
    page.get_by_label("J'accepte que Cocoon'Age utilise mes données ainsi").check()
    page.get_by_role("button", name="M'inscrire comme bénévole").click()


def spaces(page):
    return page.get_by_role("navigation", name="Mes espaces")


def test_a_parent_signing_up_as_volunteer_with_their_password_gets_both_spaces_in_one_menu(page):
    email = register_family(page)
    assert spaces(page).count() == 0  # one space: no menu of spaces
    page.get_by_role("button", name="Se déconnecter").click()
    sign_up_as_volunteer(page, email, PASSWORD)
    page.wait_for_url("**/benevole/")
    menu = spaces(page)
    assert menu.get_by_role("link", name="Ma famille").count() == 1
    assert menu.get_by_role("link", name="Mon bénévolat").get_attribute("aria-current") == "page"
    assert menu.get_by_role("link", name="Mon stage").count() == 0
    shoot(page, "deux-espaces-benevolat")
    menu.get_by_role("link", name="Ma famille").click()
    page.wait_for_url("**/famille/")
    assert spaces(page).get_by_role("link", name="Ma famille").get_attribute("aria-current") == "page"
    assert page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Mes factures").count() == 1
    assert serious_violations(page) == []
    box = spaces(page).get_by_role("link", name="Mon bénévolat").bounding_box()
    assert box["height"] >= 44  # a large target
    page.goto("/benevole/")
    assert page.get_by_role("heading", level=1).count() == 1
    assert serious_violations(page) == []
    page.get_by_role("button", name="Se déconnecter").click()
    sign_in_as(page, email, PASSWORD, "/famille/")  # the primary space


def test_signing_up_to_another_space_with_another_password_is_refused(page):
    email = register_family(page)
    page.get_by_role("button", name="Se déconnecter").click()
    sign_up_as_volunteer(page, email, "pas-le-bon-mot-de-passe-42")
    page.get_by_text("Adresse déjà utilisée.").first.wait_for()  # next to the email field
    assert "/benevole/inscription" in page.url
    assert spaces(page).count() == 0  # nobody signed in, no role given
