"""A family in a real browser: registers, adds a child, books, sees and cancels; the forms'
protections (CSRF, a double click, the session cookie); accessibility and the keyboard."""

import re
from datetime import timedelta
from itertools import count

import pytest
import requests

from tests.browser.conftest import serious_violations, shoot
from tests.dates import DAY, at

PASSWORD = "les-petits-loups"
_numbers = count(1)


@pytest.fixture(scope="module")
def slot(staff_api):
    """A morning slot on DAY (ten days ahead) in a childcare room, opened by staff through the API."""
    room = staff_api.created("/api/v1/rooms", {"name": "Les Lucioles", "kind": "childcare", "capacity": 8})
    return staff_api.created(
        "/api/v1/childcare-slots",
        {
            "room_id": room["id"],
            "starts_at": at(8, 30),
            "ends_at": at(12, 30),
            "age_group": "walking",
            "staff_on_duty": 2,
        },
    )


def register(page, email=None):
    email = email or f"famille{next(_numbers)}@example.fr"
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


def slot_card(page, slot):
    """The card of this test's slot on «Créneaux» (other modules of the session open slots too)."""
    return page.locator("li.card", has=page.locator(f"input[name=slot_id][value='{slot['id']}']"))


def add_child(page, name="Léa"):
    page.goto("/famille/")
    page.get_by_label("Prénom de l'enfant").fill(name)
    page.get_by_label("Date de naissance").fill((DAY - timedelta(days=2 * 365)).isoformat())
    page.get_by_role("button", name="Ajouter l'enfant").click()
    page.get_by_text(f"{name} est ajouté·e").wait_for()


def test_a_family_registers_adds_a_child_books_sees_and_cancels(page, slot):
    register(page)
    shoot(page, "famille-accueil")
    add_child(page)
    page.goto("/famille/creneaux")
    shoot(page, "famille-creneaux")
    assert "de l'heure" in page.content()
    assert re.search("Prix du créneau : 8,26\u00a0€", page.locator("main").inner_text())  # 4 h at 2,064 €
    slot_card(page, slot).get_by_role("button", name=re.compile("Réserver pour Léa")).click()
    page.wait_for_url("**/famille/reservations")
    page.get_by_text("Réservation confirmée pour Léa.").wait_for()
    row = page.get_by_role("row").filter(has_text="Léa")
    assert "Confirmée" in row.inner_text()
    assert re.search("8,26\u00a0€", row.inner_text())  # 4 h at 2,064 € (4,000 € a month, 2 children)
    assert re.search("8\u00a0h\u00a030 – 12\u00a0h\u00a030", row.inner_text())  # « samedi 12 décembre, 8 h 30 »
    shoot(page, "famille-reservations")
    row.get_by_role("button", name=re.compile("Annuler")).click()
    page.get_by_text("elle ne sera pas facturée").wait_for()
    assert "Annulée" in page.get_by_role("row").filter(has_text="Léa").inner_text()
    page.goto("/famille/releve")
    shoot(page, "famille-releve")
    page.goto("/mot-de-passe")
    shoot(page, "mot-de-passe")


def test_a_double_submitted_booking_form_books_once(page, slot):
    register(page)
    add_child(page, name="Noé")
    page.goto("/famille/creneaux")
    form = slot_card(page, slot).locator("form", has=page.get_by_role("button", name=re.compile("Réserver pour Noé")))
    # the same form (same Idempotency-Key) sent twice, as a double click would
    fields = {i.get_attribute("name"): i.get_attribute("value") for i in form.locator("input[type=hidden]").all()}
    for _ in range(2):
        status = page.evaluate(
            """fields => fetch('/famille/reservations', {method: 'POST', body: new URLSearchParams(fields),
                 redirect: 'manual'}).then(r => r.status)""",
            fields,
        )
        assert status in (0, 302, 303)  # the redirect to the bookings (opaque to fetch)
    page.goto("/famille/reservations")
    assert page.get_by_role("row").filter(has_text="Noé").count() == 1


def test_a_form_post_without_the_csrf_token_is_refused(stack):
    response = requests.post(f"{stack}/connexion", data={"email": "a@example.fr", "password": "x"}, timeout=10)
    assert response.status_code == 400
    assert "Formulaire refusé" in response.text


def test_the_session_cookie_is_httponly_and_samesite_lax(page):
    register(page)
    cookie = next(c for c in page.context.cookies() if c["name"] == "session")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"


def test_sign_in_attempts_are_limited_with_a_french_message(page):
    page.goto("/connexion")
    for _ in range(6):
        page.get_by_label("Adresse e-mail").fill("personne@example.fr")
        page.get_by_label("Mot de passe").fill("pas-le-bon")
        page.get_by_role("button", name="Se connecter").last.click()
    page.get_by_text("Trop d'essais pour cette adresse").wait_for()


PUBLIC_PAGES = {"accueil": "/", "connexion": "/connexion", "inscription": "/inscription", "simulateur": "/simulateur"}
FAMILY_PAGES = {
    "famille": "/famille/",
    "creneaux": "/famille/creneaux",
    "reservations": "/famille/reservations",
    "releve": "/famille/releve",
    "contrats": "/famille/contrats",
    "mot-de-passe": "/mot-de-passe",
}


def test_every_page_passes_axe_at_wcag_aa_on_a_desktop_a_phone_and_at_200_percent(browser, stack, slot):
    found = {}
    for label, size, scale in [("", (1024, 800), 1), ("-360px", (360, 740), 1), ("-zoom200", (640, 400), 2)]:
        viewport = {"width": size[0], "height": size[1]}
        context = browser.new_context(base_url=stack, viewport=viewport, device_scale_factor=scale)
        page = context.new_page()
        register(page)
        add_child(page)
        page.goto("/famille/creneaux")
        slot_card(page, slot).get_by_role("button", name=re.compile("Réserver pour Léa")).click()
        page.wait_for_url("**/famille/reservations")
        pages = dict(FAMILY_PAGES, simulateur="/simulateur?monthly_resources=4000&dependent_children=2")
        for name, path in pages.items():
            page.goto(path)
            shoot(page, f"axe-{name}{label}")
            found[f"{name}{label}"] = serious_violations(page)
            assert page.locator("h1").count() == 1, path
            if label == "-360px":  # nothing wider than the phone
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
        context.close()
        context = browser.new_context(base_url=stack, viewport={"width": size[0], "height": size[1]})
        page = context.new_page()
        for name, path in PUBLIC_PAGES.items():
            page.goto(path)
            shoot(page, f"axe-{name}{label}")
            found[f"{name}{label}"] = serious_violations(page)
        context.close()
    assert {name: v for name, v in found.items() if v} == {}


def test_a_keyboard_only_walk_through_the_booking_flow(page, slot):
    register(page)
    add_child(page, name="Inès")
    page.goto("/famille/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    for _ in range(40):  # Tab to the link « Réserver », then Enter
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Réserver":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/famille/creneaux")
    # Other modules of the session open slots too (some for children not walking yet): Tab to
    # the button of this test's slot.
    this_slot = f"input[name=slot_id][value='{slot['id']}']"
    in_this_slot = f"!!document.activeElement.closest('li.card')?.querySelector(\"{this_slot}\")"
    for _ in range(200):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if label.startswith("Réserver pour Inès") and page.evaluate(in_this_slot):
            break
    else:
        raise AssertionError("the keyboard never reached this slot's « Réserver pour Inès »")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url("**/famille/reservations")
    page.get_by_text("Réservation confirmée pour Inès.").wait_for()
    shoot(page, "clavier-reservation")


def test_a_family_asks_for_a_contract_sees_it_accepted_and_asks_for_an_absence(page, staff_api):
    email = register(page)
    add_child(page, name="Maël")
    page.goto("/famille/contrats")
    first = DAY + timedelta(days=7 - DAY.weekday())  # a Monday after DAY
    page.get_by_label("Début du contrat").fill(first.isoformat())
    page.get_by_label("Fin du contrat").fill((first + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Envoyer la demande").click()
    page.get_by_text("Indiquez au moins un jour").first.wait_for()  # no day given: said next to the days
    for day in ("lundi", "mardi"):
        page.get_by_label(f"Arrivée le {day}").fill("08:30")
        page.get_by_label(f"Départ le {day}").fill("17:30")
    page.get_by_role("button", name="Envoyer la demande").click()
    page.get_by_text("Votre demande de contrat est envoyée").wait_for()
    asked = [c for c in staff_api.get("/api/v1/contracts?status=requested").json() if c["child_first_name"] == "Maël"]
    family_ids = {c["family_id"] for c in asked}
    assert len(asked) == 1 and asked[0]["hours_per_week"] == "18", (email, asked)
    accepted = staff_api.post(f"/api/v1/contracts/{asked[0]['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    page.reload()
    facts = page.locator("dl.facts").inner_text()
    assert "En cours" in facts and "Lundi : 8\u00a0h\u00a030 – 17\u00a0h\u00a030" in facts
    assert "Chaque mois" in facts, facts
    page.get_by_label("Premier jour d'absence").fill(first.isoformat())
    page.get_by_label("Dernier jour d'absence").fill(first.isoformat())
    page.get_by_role("radio", name="Hospitalisation").check()
    page.get_by_role("button", name="Envoyer la demande d'absence").click()
    page.get_by_text("Demande d'absence envoyée").wait_for()
    assert "En attente de validation" in page.locator("table").inner_text()
    [absence] = [
        a for a in staff_api.get("/api/v1/absences?status=requested").json() if a["child_first_name"] == "Maël"
    ]
    assert staff_api.post(f"/api/v1/absences/{absence['id']}/approve", json={"proof_seen": True}).status_code == 200
    page.reload()
    assert "Hospitalisation" in page.locator("table").inner_text() and "9 h" in page.locator("table").inner_text()
    assert family_ids == {staff_api.get(f"/api/v1/contracts/{asked[0]['id']}").json()["family_id"]}
    shoot(page, "famille-contrats")
