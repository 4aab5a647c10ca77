"""A volunteer in a real browser: registers in one form, accepts the charte de bénévolat, is
cleared by staff, signs up in one tap and sees it, sees the activity's cancellation; an uncleared
volunteer sees why they cannot sign up; accessibility (axe) on every volunteer page."""

import re
from datetime import date, timedelta
from itertools import count

import pytest

from tests.browser.conftest import serious_violations, shoot
from tests.dates import DAY, at
from tests.staff_on_duty import LEAD, SECOND
from tests.support import wait_for

PASSWORD = "jardin-1950"
ISSUED = (date.today() - timedelta(days=20)).isoformat()
_numbers = count(1)
_hours = count(9)


@pytest.fixture(scope="module")
def room(staff_api):
    return staff_api.created("/api/v1/rooms", {"name": "L'Atelier des bénévoles", "kind": "workshop", "capacity": 12})


@pytest.fixture
def activity(staff_api, room):
    """A story time of one hour on DAY, each test at its own hour (one room)."""
    hour = next(_hours)
    return staff_api.created(
        "/api/v1/activities",
        {
            "title": f"Heure du conte de {hour} h",
            "kind": "story_time",
            "room_id": room["id"],
            "starts_at": at(hour),
            "ends_at": at(hour, 45),
            "children_capacity": 8,
            "lead_staff_id": LEAD,
            "staff_ids": [SECOND],
            "volunteer_slots": 2,
            "trainee_slots": 0,
        },
    )


def register(page):
    email = f"benevole{next(_numbers)}@example.fr"
    page.goto("/benevole/inscription")
    page.get_by_label("Prénom", exact=True).fill("Jeanne")
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Date de naissance").fill("1950-03-02")
    page.get_by_label("Téléphone", exact=True).fill("0612345678")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Nom de la personne à prévenir").fill("Paul Martin")
    page.get_by_label("Téléphone de la personne à prévenir").fill("0698765432")
    page.get_by_label("Heure du conte").check()
    page.get_by_label(re.compile(r"^Mardi matin$")).check()
    page.get_by_label("J'accepte que Cocoon'Age utilise mes données ainsi").check()
    page.get_by_role("button", name="M'inscrire comme bénévole").click()
    page.wait_for_url("**/benevole/")
    return email


def clear(staff_api, email):
    found = [v for v in staff_api.get("/api/v1/volunteers", params={"limit": 500}).json() if v["email"] == email]
    volunteer_id = found[0]["id"]
    staff_api.post(f"/api/v1/volunteers/{volunteer_id}/honorability", json={"issued_on": ISSUED, "verified_on": ISSUED})
    until = (date.today() + timedelta(days=365)).isoformat()
    cover = {"insurer": "MAIF", "policy": "RC 42", "valid_from": ISSUED, "valid_until": until}
    staff_api.post(f"/api/v1/volunteers/{volunteer_id}/insurance", json=cover)


def accept_charter(page):
    """From the volunteer's page: read the charte, « J'accepte la charte », back home."""
    page.goto("/benevole/")
    page.get_by_role("link", name="Lire la charte de bénévolat").click()
    page.get_by_role("heading", name="La charte de bénévolat", level=1).wait_for()
    page.get_by_role("button", name="J'accepte la charte").click()
    page.wait_for_url("**/benevole/")


def card_of(page, title):
    return page.get_by_role("listitem").filter(has_text=title)


def wait_for_card(page, title):
    def shown():
        page.goto("/benevole/")
        return card_of(page, title).count() > 0

    wait_for(shown, timeout=15, message=f"the card of {title}")


def test_a_volunteer_signs_up_in_one_tap_sees_it_then_sees_the_cancellation(page, staff_api, activity):
    email = register(page)
    accept_charter(page)
    clear(staff_api, email)
    wait_for_card(page, activity["title"])
    card = card_of(page, activity["title"])
    assert "avec 8 enfants au plus" in card.inner_text()
    assert re.search(r"\d+\u00a0h\u00a000 – \d+\u00a0h\u00a045", card.inner_text())
    shoot(page, "benevole-accueil")
    card.get_by_role("button", name=re.compile("M'inscrire")).click()
    page.get_by_role("heading", name="Vous êtes inscrit·e").wait_for()
    assert "désinscrivez-vous avant le début" in page.locator("main").inner_text()
    shoot(page, "benevole-inscrit")
    page.get_by_role("link", name="Retour à mes activités").click()
    upcoming = page.locator("ul.cards").first
    assert activity["title"] in upcoming.inner_text()
    assert upcoming.get_by_role("button", name=re.compile("Me désinscrire")).count() == 1

    staff_api.post(f"/api/v1/activities/{activity['id']}/cancel", json={"reason": "Conteuse malade"})

    def told():
        page.goto("/benevole/")
        return "est annulée : vous n'avez pas à venir" in page.locator("main").inner_text()

    wait_for(told, timeout=15, message="the cancellation on her page")
    assert "Vous n'êtes inscrit·e à aucune activité" in page.locator("main").inner_text()

    def notified():  # once, through the notifications service, with the staff's reason
        page.goto("/notifications/")
        return "Motif : Conteuse malade." in page.locator("main").inner_text()

    wait_for(notified, timeout=15, message="the cancellation in her notifications")
    assert page.locator("main").inner_text().count("Conteuse malade") == 1
    # the sign-up's confirmation (with its calendar file by email), then its cancellation
    assert f"Votre inscription à l'activité « {activity['title']} »" in page.locator("main").inner_text()
    assert "Notifications (2)" in page.locator("nav").inner_text().replace("\u00a0", " ")
    shoot(page, "benevole-notification-annulation")


def test_a_volunteer_withdraws_in_one_tap_and_the_place_is_free_again(page, staff_api, activity):
    email = register(page)
    accept_charter(page)
    clear(staff_api, email)
    wait_for_card(page, activity["title"])
    card_of(page, activity["title"]).get_by_role("button", name=re.compile("M'inscrire")).click()
    page.get_by_role("button", name="Finalement, me désinscrire").click()
    page.get_by_role("heading", name="Vous êtes désinscrit·e").wait_for()
    page.goto("/benevole/")
    assert "Places de bénévoles libres : 2" in card_of(page, activity["title"]).inner_text()


def test_an_uncleared_volunteer_sees_why_they_cannot_sign_up(page, activity):
    register(page)
    wait_for_card(page, activity["title"])
    why = page.locator("#pas-encore").inner_text()
    assert "Vous ne pouvez pas encore vous inscrire" in why
    assert "attestation d'honorabilité n'est pas encore enregistrée" in why
    assert "assurance" in why
    assert card_of(page, activity["title"]).get_by_role("button").count() == 0
    shoot(page, "benevole-pas-encore")


def test_the_registration_says_what_is_missing_next_to_the_field(page):
    page.goto("/benevole/inscription")
    page.get_by_role("button", name="M'inscrire comme bénévole").click()
    summary = page.locator("#erreurs")
    assert "Cochez la case pour accepter" in summary.inner_text()
    assert page.locator("#consent").get_attribute("aria-invalid") == "true"
    assert serious_violations(page) == []


def test_every_volunteer_page_passes_the_accessibility_check(page, staff_api, activity):
    page.goto("/benevole/inscription")
    assert serious_violations(page) == [], "/benevole/inscription"
    email = register(page)
    assert serious_violations(page) == [], "/benevole/ (not cleared)"
    accept_charter(page)
    clear(staff_api, email)
    wait_for_card(page, activity["title"])
    assert serious_violations(page) == [], "/benevole/"
    card_of(page, activity["title"]).get_by_role("button", name=re.compile("M'inscrire")).click()
    page.get_by_role("heading", name="Vous êtes inscrit·e").wait_for()
    assert serious_violations(page) == [], page.url
    page.goto("/benevole/heures")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Mes heures de bénévolat")
    assert serious_violations(page) == [], "/benevole/heures"
    shoot(page, "benevole-heures")
    assert DAY > date.today()


def test_a_cleared_volunteer_accepts_the_charte_before_signing_up(page, staff_api, activity):
    email = register(page)
    clear(staff_api, email)
    wait_for_card(page, activity["title"])
    notice = page.locator("#charte").inner_text()
    assert "Acceptez la charte de bénévolat" in notice
    assert card_of(page, activity["title"]).get_by_role("button").count() == 0  # no sign-up before the charte
    page.get_by_role("link", name="Lire la charte de bénévolat").click()
    text = page.locator("main").inner_text()
    assert "n'être jamais seul·e avec un enfant" in text and "Charte version 2026-01" in text
    assert serious_violations(page) == [], "/benevole/charte"
    shoot(page, "benevole-charte")
    page.get_by_role("button", name="J'accepte la charte").click()
    page.wait_for_url("**/benevole/")
    assert "vous avez accepté la charte de bénévolat" in page.locator("main").inner_text()
    assert page.locator("#charte").count() == 0
    card_of(page, activity["title"]).get_by_role("button", name=re.compile("M'inscrire")).click()
    page.get_by_role("heading", name="Vous êtes inscrit·e").wait_for()
    page.goto("/benevole/charte")
    assert "Vous avez accepté cette charte le" in page.locator("#acceptee").inner_text()
    assert page.get_by_role("button", name="J'accepte la charte").count() == 0
    assert serious_violations(page) == [], "/benevole/charte (accepted)"
