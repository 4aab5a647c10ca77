"""The child's file in a real browser: a family fills the health file and lists an adult allowed to
collect the child; staff see the allergies and PAI on the check-in list and the evacuation
register, note a departure saying who collects the child (a stranger refused, the listed adult
with the ID checked accepted), and keep the incident register (a correction is a new line).
Every page checked with axe."""

import uuid
from datetime import date, datetime, timedelta

import pytest

from shared import timeutil
from tests.api import Api, Http
from tests.browser.conftest import axe_at_every_viewport, serious_violations, shoot, sign_in_as
from tests.factories import PASSWORD, family_fields

HEALTH = {
    "allergies": ["arachide"],
    "pai": "Stylo d'adrénaline dans la boîte rouge.",
    "medication_protocol": None,
    "vaccinations_up_to_date": True,
    "vaccinations_checked_on": None,
    "doctor": None,
    "emergency_authorisation": True,
}


def new_family(stack, child_name):
    """(the family's credentials, its API, its child)."""
    fields = family_fields(
        email=f"famille-dossier-{uuid.uuid4().hex[:10]}@example.fr",
        password=PASSWORD,
        guardians=[{"first_name": "Camille", "last_name": "Roux", "phone": "0601020304"}],
    )
    api = Api(Http(stack))
    api.created("/api/v1/families", fields)
    family = api.signed_in(fields)
    born = (date.today() - timedelta(days=500)).isoformat()
    child = family.created("/api/v1/families/me/children", {"first_name": child_name, "birth_date": born})
    return fields, family, child


def test_a_family_fills_the_health_file_and_lists_an_adult_allowed_to_collect_the_child(page, stack):
    fields, _family, child = new_family(stack, "Inès")
    sign_in_as(page, fields["email"], PASSWORD, "/famille/")
    page.get_by_role("link", name="Inès").click()
    page.wait_for_url(f"**/famille/enfants/{child['id']}")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Enregistrer le dossier de santé").click()  # nothing said on vaccinations
    assert page.locator("#vaccinations_up_to_date-erreur").count() == 1
    shoot(page, "famille-dossier-enfant-erreur")
    assert serious_violations(page) == []

    page.get_by_label("Allergies").fill("arachide\nlait de vache")
    page.get_by_label("Projet d'accueil individualisé (PAI)").fill("Stylo d'adrénaline dans la boîte rouge.")
    page.get_by_label("Oui, à jour").check()
    page.get_by_label("Médecin de l'enfant").fill("Dr Martin")
    page.get_by_label("Téléphone du médecin").fill("01 02 03 04 05")
    page.get_by_label("J'autorise l'équipe à appeler les secours").check()
    page.get_by_role("button", name="Enregistrer le dossier de santé").click()
    page.get_by_text("Le dossier de santé est enregistré.").wait_for()
    assert page.get_by_label("Allergies").input_value() == "arachide\nlait de vache"

    page.get_by_label("Prénom", exact=True).fill("Jeanne")
    page.get_by_label("Nom", exact=True).fill("Roux")
    page.get_by_label("Téléphone", exact=True).fill("0611223344")
    page.get_by_label("Lien avec l'enfant").fill("grand-mère")
    page.get_by_role("button", name="Autoriser cet adulte").click()
    page.get_by_text("Jeanne Roux peut venir chercher l'enfant.").wait_for()
    assert page.locator("#liste-adultes").get_by_text("Jeanne Roux (grand-mère)").count() == 1
    shoot(page, "famille-dossier-enfant")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Retirer Jeanne Roux").click()
    page.get_by_text("Jeanne Roux ne peut plus venir chercher l'enfant.").wait_for()
    assert page.locator("#liste-adultes").count() == 0


def _slot_now(staff_api):
    now = datetime.now(timeutil.VENUE_TZ).replace(second=0, microsecond=0)
    start, end = now + timedelta(minutes=5), now + timedelta(minutes=65)
    if end.date() != now.date():
        pytest.skip("too close to midnight for a slot of today")
    room = staff_api.created(
        "/api/v1/rooms", {"name": f"Salle dossier {uuid.uuid4().hex[:6]}", "kind": "childcare", "capacity": 12}
    )
    body = {"room_id": room["id"], "starts_at": start.isoformat(), "ends_at": end.isoformat()}
    return staff_api.created("/api/v1/childcare-slots", dict(body, age_group="mixed", staff_on_duty=2))


def test_staff_see_allergies_note_who_collects_the_child_and_keep_the_incident_register(staff_page, staff_api, stack):
    page = staff_page
    slot = _slot_now(staff_api)
    _fields, family, child = new_family(stack, "Noé")
    assert family.request("PUT", f"/api/v1/children/{child['id']}/health", json=HEALTH).status_code == 200
    adult = {"first_name": "Paul", "last_name": "Roux", "phone": "0611223344", "relation": "oncle"}
    family.created(f"/api/v1/children/{child['id']}/pickup-adults", adult)
    booking = family.created("/api/v1/bookings", {"slot_id": slot["id"], "child_id": child["id"]})
    now = datetime.now(timeutil.VENUE_TZ).isoformat()
    assert staff_api.post(f"/api/v1/bookings/{booking['id']}/check-in", json={"at": now}).status_code == 200

    page.goto("/equipe/registre")
    row = page.locator("#registre").get_by_role("row").filter(has_text="Noé Roux")
    assert "arachide" in row.inner_text() and "boîte rouge" in row.inner_text()

    page.goto("/equipe/pointage")
    assert "Allergies : arachide" in page.locator(f"#enfant-{child['id']}").inner_text()
    page.get_by_role("button", name="Départ de Noé Roux").click()
    page.wait_for_url("**/equipe/pointage/depart**")
    shoot(page, "equipe-depart")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Noter le départ").click()  # nobody chosen
    assert page.locator("#collected-erreur").count() == 1
    page.get_by_label("Paul Roux (oncle)").check()
    page.get_by_role("button", name="Noter le départ").click()  # the ID not checked: refused
    assert "pièce d'identité" in page.locator("#id_checked-erreur").inner_text()
    assert serious_violations(page) == []
    page.get_by_label("Paul Roux (oncle)").check()
    page.get_by_label("Pièce d'identité vérifiée").check()
    page.get_by_role("button", name="Noter le départ").click()
    page.get_by_text("Départ de Noé Roux noté.").wait_for()
    [noted] = family.get("/api/v1/bookings").json()
    assert noted["collected_by"]["name"] == "Paul Roux" and noted["collected_by"]["id_checked"] is True

    page.get_by_role("link", name="Noé Roux", exact=True).click()
    page.wait_for_url(f"**/equipe/enfants/{child['id']}")
    assert "Stylo d'adrénaline" in page.locator("main").inner_text()
    _keep_the_register(page)


def _keep_the_register(page):
    """On the child's file: a line of the register refused empty, written, then corrected."""
    page.get_by_role("button", name="Inscrire au registre").click()  # empty: the service names the fields
    assert page.locator("#description-erreur").count() == 1
    assert serious_violations(page) == []
    page.get_by_label("Nature").select_option("accident")
    page.get_by_label("Date et heure des faits").fill(datetime.now(timeutil.VENUE_TZ).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ce qui s'est passé").fill("Chute dans la salle de motricité, bosse au front.")
    page.get_by_label("Premiers soins donnés").fill("Froid sur la bosse.")
    page.get_by_role("button", name="Inscrire au registre").click()
    page.get_by_text("La ligne est inscrite au registre.").wait_for()
    page.get_by_role("link", name="Corriger la ligne").click()
    assert page.get_by_label("Premiers soins donnés").input_value() == "Froid sur la bosse."
    page.get_by_label("Premiers soins donnés").fill("Froid sur la bosse, arnica.")
    page.get_by_role("button", name="Inscrire au registre").click()
    page.get_by_text("La ligne est inscrite au registre.").wait_for()
    assert page.locator("#incidents tbody tr").count() == 2
    assert page.get_by_text("Corrigée par une ligne plus récente.").count() == 1
    shoot(page, "equipe-dossier-enfant")
    assert serious_violations(page) == []


def test_the_child_file_pages_pass_axe_on_a_desktop_a_phone_and_at_200_percent(browser, stack, staff_state):
    fields, family, child = new_family(stack, "Lou")
    family.created(f"/api/v1/children/{child['id']}/pickup-adults", {**_ADULT, "first_name": "Marc"})
    checkout = f"/equipe/pointage/depart?kind=booking&id=aucune&child={child['id']}&name=Lou+Roux"
    staff_pages = {
        "equipe-dossier-enfant": f"/equipe/enfants/{child['id']}",
        "equipe-depart": checkout,
        "equipe-sante-enfant": f"/equipe/enfants/{child['id']}/sante",
    }
    staff_forms = {
        "equipe-registre-vide": lambda page: _send(page, staff_pages["equipe-dossier-enfant"], "Inscrire au registre"),
        "equipe-sante-vide": lambda page: _send(
            page, staff_pages["equipe-sante-enfant"], "Enregistrer le dossier de santé"
        ),
    }
    found = axe_at_every_viewport(browser, stack, staff_pages, storage_state=staff_state, forms=staff_forms)
    family_pages = {"famille-dossier-enfant": f"/famille/enfants/{child['id']}"}
    family_forms = {
        "famille-sante-vide": lambda page: _send(
            page, family_pages["famille-dossier-enfant"], "Enregistrer le dossier de santé"
        ),
        "famille-adulte-vide": lambda page: _send(page, family_pages["famille-dossier-enfant"], "Autoriser cet adulte"),
    }
    signed = lambda page: sign_in_as(page, fields["email"], PASSWORD, "/famille/")  # noqa: E731
    found |= axe_at_every_viewport(browser, stack, family_pages, sign_in=signed, forms=family_forms)
    assert found == {}


def test_staff_write_the_health_file_from_the_child_file_and_see_a_refusal_next_to_its_field(staff_page, stack):
    page = staff_page
    _fields, family, child = new_family(stack, "Jade")
    page.goto(f"/equipe/enfants/{child['id']}")
    page.get_by_role("link", name="Modifier le dossier de santé").click()
    page.wait_for_url(f"**/equipe/enfants/{child['id']}/sante")
    page.get_by_label("Non, pas encore").check()
    page.get_by_label("Carnet de santé vérifié le").fill((date.today() + timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Enregistrer le dossier de santé").click()  # a day ahead: the service refuses
    assert page.locator("#vaccinations_checked_on-erreur").inner_text() == "Date dans le futur."
    assert serious_violations(page) == []

    page.get_by_label("Allergies").fill("kiwi")
    page.get_by_label("Oui, à jour").check()
    page.get_by_label("Carnet de santé vérifié le").fill(date.today().isoformat())
    page.get_by_role("group", name="En cas d'urgence").get_by_label("La famille autorise l'équipe").check()
    page.get_by_role("button", name="Enregistrer le dossier de santé").click()
    page.get_by_text("Le dossier de santé est enregistré.").wait_for()
    page.wait_for_url(f"**/equipe/enfants/{child['id']}#sante")
    shoot(page, "equipe-sante-enfant")
    assert "kiwi" in page.locator("main").inner_text(), page.content()
    health = family.get(f"/api/v1/children/{child['id']}/health").json()
    assert health["allergies"] == ["kiwi"] and health["vaccinations_up_to_date"] is True
    assert health["emergency_authorisation"] is True and health["updated_by"] == "staff"


_ADULT = {"first_name": "Paul", "last_name": "Roux", "phone": "0611223344", "relation": "oncle"}


def _send(page, path, button):
    page.goto(path)
    page.get_by_role("button", name=button).click()
