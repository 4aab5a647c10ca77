"""The tutor and staff placement pages in a real browser: a trainee logs hours, their tutor
validates two at once from the waiting list and the progress moves; a refusal needs a reason,
said next to its field, and the trainee reads it; staff create a placement with the trainee's
account; every new page screenshotted and checked with axe-core on a desktop, a phone and at 200 %."""

import re
import uuid
from datetime import timedelta

import pytest

from tests.api import STAFF, Api, Http
from tests.browser.conftest import VIEWPORTS, main_text, serious_violations, shoot, sign_in_as
from tests.dates import at, today
from tests.staff_on_duty import LEAD, SECOND, publish_on, trainee_cleared_event
from tests.support import wait_for
from tests.venue import amqp_uri

PASSWORD = "un-stage-au-calme"


def unique_email(who):
    return f"{who}-{uuid.uuid4().hex[:10]}@example.fr"  # one stack for the whole browser session


def new_tutor(staff_api, first_name="Marc", last_name="Dupuis", staff_roles=("educator",)):
    """A staff account of its own (a tutor follows 3 trainees at most): (credentials, id)."""
    account = {"email": unique_email("tuteur"), "password": PASSWORD, "first_name": first_name}
    made = staff_api.created("/api/v1/staff", dict(account, last_name=last_name, staff_roles=list(staff_roles)))
    return account, made["id"]


def placed_trainee(staff_api, tutor_id, first_name="Lina"):
    """A trainee (an adult) with a 70 h placement under `tutor_id` that started ten days ago."""
    body = {
        "email": unique_email("stagiaire"),
        "password": PASSWORD,
        "first_name": first_name,
        "last_name": "Roux",
        "birth_date": "2000-05-04",
        "programme": "cap_aepe",
        "school": "Lycée Jean-Moulin",
    }
    trainee = staff_api.created("/api/v1/trainees", body)
    placement = staff_api.created(
        "/api/v1/placements",
        {
            "trainee_id": trainee["id"],
            "tutor_id": tutor_id,
            "starts_on": (today() - timedelta(days=10)).isoformat(),
            "ends_on": (today() + timedelta(days=60)).isoformat(),
            "required_hours": "70",
        },
    )
    return {"email": body["email"], "password": PASSWORD}, placement


def api_log(stack, trainee, placement, days_ago, start, end, tasks):
    """The trainee logs a period through the API (the trainee page's own test logs in the browser)."""
    day = today() - timedelta(days=days_ago)
    (h1, m1), (h2, m2) = (map(int, start.split(":")), map(int, end.split(":")))
    api = Api(Http(stack)).signed_in(trainee)
    return api.created(
        f"/api/v1/placements/{placement['id']}/hours",
        {"starts_at": at(h1, m1, day), "ends_at": at(h2, m2, day), "tasks": tasks},
    )


def sign_in(page, credentials, lands_on):
    sign_in_as(page, credentials["email"], credentials["password"], lands_on)


def new_page(browser, stack, size=(1024, 800), scale=1):
    context = browser.new_context(
        base_url=stack, locale="fr-FR", viewport={"width": size[0], "height": size[1]}, device_scale_factor=scale
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_a_trainee_logs_hours_the_tutor_validates_two_at_once_and_the_progress_moves(browser, stack, staff_api):
    tutor, tutor_id = new_tutor(staff_api)
    trainee, placement = placed_trainee(staff_api, tutor_id)
    trainee_context, page = new_page(browser, stack)
    sign_in(page, trainee, "/stagiaire/")
    for days_ago, start, end in ((2, "08:00", "12:00"), (1, "09:00", "12:00")):
        page.get_by_label("Jour").fill((today() - timedelta(days=days_ago)).isoformat())
        page.get_by_label("Arrivée").fill(start)
        page.get_by_label("Départ").fill(end)
        page.get_by_role("button", name="Envoyer mes heures").click()
        page.get_by_text("Heures envoyées").wait_for()
    assert "0 h validées sur 70 h" in main_text(page)

    tutor_context, tutor_page = new_page(browser, stack)
    sign_in(tutor_page, tutor, "/equipe/")
    tutor_page.get_by_role("link", name="Stages", exact=True).click()
    tutor_page.get_by_role("link", name="Heures à valider").click()
    table = tutor_page.locator("#a-valider")
    assert table.locator("tbody tr").count() == 2 and "Lina Roux" in table.inner_text()
    assert "Notée par le ou la stagiaire" in table.inner_text()
    shoot(tutor_page, "tuteur-heures-a-valider")
    for box in tutor_page.get_by_role("checkbox", name=re.compile("^Valider les heures de Lina Roux")).all():
        box.check()
    tutor_page.get_by_role("button", name="Valider les heures cochées").click()
    result = tutor_page.locator(".result")
    result.wait_for()
    assert result.inner_text().count("Validée : Lina Roux") == 2, result.inner_text()
    assert "Aucune heure n'attend votre validation." in main_text(tutor_page)
    shoot(tutor_page, "tuteur-deux-validees")

    tutor_page.goto(f"/equipe/stages/{placement['id']}")
    text = main_text(tutor_page)
    assert "7 h validées sur 70 h" in text and "Validée — Marc Dupuis" in text, text
    assert tutor_page.locator("#semaines tbody tr").count() >= 1
    shoot(tutor_page, "tuteur-stage-avancement")
    page.reload()
    assert "7 h validées sur 70 h" in main_text(page)
    tutor_context.close()
    trainee_context.close()


def test_the_tutor_refuses_hours_with_a_reason_and_the_trainee_reads_it(browser, stack, staff_api):
    tutor, tutor_id = new_tutor(staff_api)
    trainee, placement = placed_trainee(staff_api, tutor_id)
    api_log(stack, trainee, placement, 1, "08:00", "12:00", "Accueil et goûter")
    context, page = new_page(browser, stack)
    sign_in(page, tutor, "/equipe/")
    page.goto("/equipe/stages/heures")
    page.get_by_role("link", name=re.compile("^Refuser les heures de Lina Roux")).click()
    page.get_by_label("Motif du refus").fill("Vous êtes partie à 11 h ce jour-là.")
    page.get_by_role("button", name="Refuser ces heures").click()
    page.get_by_text("Heures refusées.").wait_for()
    assert "Aucune heure n'attend votre validation." in main_text(page)
    context.close()

    context, page = new_page(browser, stack)
    sign_in(page, trainee, "/stagiaire/")
    text = main_text(page)
    assert "Refusée" in text and "Motif : Vous êtes partie à 11 h ce jour-là." in text, text
    shoot(page, "stagiaire-motif-du-refus")
    context.close()


def test_a_refusal_without_a_reason_shows_the_error_next_to_the_field(browser, stack, staff_api):
    tutor, tutor_id = new_tutor(staff_api)
    trainee, placement = placed_trainee(staff_api, tutor_id)
    api_log(stack, trainee, placement, 1, "08:00", "12:00", "Accueil")
    context, page = new_page(browser, stack)
    sign_in(page, tutor, "/equipe/")
    page.goto("/equipe/stages/heures")
    page.get_by_role("link", name=re.compile("^Refuser les heures de Lina Roux")).click()
    page.get_by_role("button", name="Refuser ces heures").click()
    error = page.locator("#reason-erreur")
    error.wait_for()
    assert "Indiquez le motif du refus" in error.inner_text()
    assert page.get_by_label("Motif du refus").get_attribute("aria-invalid") == "true"
    assert "Indiquez le motif du refus" in page.locator(".error-summary").inner_text()
    shoot(page, "tuteur-refus-sans-motif")
    page.goto("/equipe/stages/heures")
    assert page.locator("#a-valider tbody tr").count() == 1  # nothing was refused
    context.close()


def test_staff_create_a_placement_with_the_trainees_account_and_the_programmes_hours(browser, stack, staff_api):
    _tutor, tutor_id = new_tutor(staff_api, first_name="Nadia", last_name="Benali")
    context, page = new_page(browser, stack)
    sign_in(page, STAFF, "/equipe/")
    page.goto("/equipe/stages/nouveau")
    page.get_by_role("button", name="Enregistrer le stage").click()  # empty: every field says what is missing
    page.locator(".error-summary").wait_for()
    assert "Indiquez le prénom." in page.locator("#first_name-erreur").inner_text()
    assert "Indiquez le premier jour du stage." in page.locator("#starts_on-erreur").inner_text()
    email = unique_email("nouvelle")
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label("Nom", exact=True).fill("Moreau")
    page.get_by_label("Adresse e-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe de départ").fill(PASSWORD)
    page.get_by_label("Date de naissance").fill("2003-02-11")
    page.get_by_label("Formation", exact=True).select_option("cap_aepe")
    page.get_by_label("École ou organisme de formation").fill("Lycée Jean-Moulin")
    page.get_by_label("Tuteur ou tutrice").select_option(tutor_id)
    page.get_by_label("Premier jour du stage").fill((today() + timedelta(days=7)).isoformat())
    page.get_by_label("Dernier jour du stage").fill((today() + timedelta(days=120)).isoformat())
    page.get_by_role("button", name="Enregistrer le stage").click()
    page.wait_for_url(re.compile(r"/equipe/stages/[0-9a-f-]{36}$"))
    text = main_text(page)
    assert "La convention de stage de Inès Moreau est enregistrée." in text
    assert "0 h validées sur 490 h" in text and "À venir" in text and "Nadia Benali" in text, text
    shoot(page, "equipe-stage-cree")
    page.goto("/equipe/stages/?statut=planned")
    assert "Inès Moreau" in page.locator("#stages").inner_text()
    context.close()
    Api(Http(stack)).signed_in({"email": email, "password": PASSWORD})  # the trainee can sign in


def test_a_trainee_confirms_hours_prefilled_from_a_completed_activity_and_the_tutor_sees_it(
    browser, stack, staff_api, vhost
):
    tutor, tutor_id = new_tutor(staff_api)
    trainee, placement = placed_trainee(staff_api, tutor_id)
    room = staff_api.created(
        "/api/v1/rooms", {"name": f"Atelier stages {uuid.uuid4().hex[:6]}", "kind": "workshop", "capacity": 12}
    )
    yesterday = today() - timedelta(days=1)
    activity = staff_api.created(
        "/api/v1/activities",
        {
            "title": "Heure du conte",
            "kind": "story_time",
            "room_id": room["id"],
            "starts_at": at(14, 0, yesterday),
            "ends_at": at(15, 30, yesterday),
            "children_capacity": 8,
            "lead_staff_id": LEAD,
            "staff_ids": [SECOND],
            "volunteer_slots": 0,
            "trainee_slots": 1,
        },
    )
    # placements tells bookings the trainee is cleared (attestation d'honorabilité), then she may join
    publish_on(amqp_uri(vhost), trainee_cleared_event(placement["trainee_id"]))
    trainees = f"/api/v1/activities/{activity['id']}/trainees"
    wait_for(
        lambda: staff_api.post(trainees, json={"trainee_id": placement["trainee_id"]}).status_code == 200,
        timeout=15,
        interval=0.3,
        message="the trainee assigned once cleared",
    )
    assert staff_api.post(f"/api/v1/activities/{activity['id']}/complete", json={}).status_code == 200
    as_trainee = Api(Http(stack)).signed_in(trainee)
    hours = f"/api/v1/placements/{placement['id']}/hours"
    wait_for(lambda: as_trainee.get(hours).json(), message="the log pre-filled from the activity")

    context, page = new_page(browser, stack)
    sign_in(page, trainee, "/stagiaire/")
    section = page.locator("section", has=page.get_by_role("heading", name="Heures proposées à confirmer"))
    assert "1,5 h" in section.inner_text() and "Corriger" in section.inner_text()
    shoot(page, "stagiaire-heures-a-confirmer")
    assert serious_violations(page) == []
    section.get_by_role("button", name=re.compile("^Confirmer")).click()
    page.get_by_text("Merci : ces heures sont confirmées.").wait_for()
    assert page.get_by_role("heading", name="Heures proposées à confirmer").count() == 0
    assert "confirmée par vous" in main_text(page)
    context.close()

    context, page = new_page(browser, stack)
    sign_in(page, tutor, "/equipe/")
    page.goto("/equipe/stages/heures")
    assert "Proposée depuis une activité, confirmée par le ou la stagiaire" in page.locator("#a-valider").inner_text()
    context.close()


@pytest.mark.parametrize("label, size, scale", VIEWPORTS)
def test_every_tutor_page_passes_axe_on_a_desktop_a_phone_and_at_200_percent(
    browser, stack, staff_api, label, size, scale
):
    tutor, tutor_id = new_tutor(staff_api, staff_roles=("educator", "coordinator"))  # a new placement: coordinator
    trainee, placement = placed_trainee(staff_api, tutor_id)
    logged = api_log(stack, trainee, placement, 1, "08:00", "12:00", "Accueil des enfants, change, repas")
    context, page = new_page(browser, stack, size, scale)
    sign_in(page, tutor, "/equipe/")

    def check(name):
        shoot(page, f"axe-{name}{label}")
        assert serious_violations(page) == [], name
        assert page.locator("h1").count() == 1, name
        if label == "-360px":
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name

    page.goto("/equipe/stages/heures")
    check("tuteur-heures")
    page.get_by_role("button", name="Valider les heures cochées").click()  # nothing ticked: the error
    page.locator("#log_id-erreur").wait_for()
    check("tuteur-heures-erreur")
    page.goto(f"/equipe/stages/heures/{logged['id']}/refus")
    page.get_by_role("button", name="Refuser ces heures").click()
    page.locator("#reason-erreur").wait_for()
    check("tuteur-refus")
    page.goto("/equipe/stages/?mes_stages=oui")
    assert "Lina Roux" in page.locator("#stages").inner_text()
    check("equipe-stages")
    page.goto(f"/equipe/stages/{placement['id']}")
    check("equipe-stage")
    page.get_by_role("link", name="Remplir la grille d'évaluation").click()
    page.get_by_label("Intitulé de la compétence").first.fill("Accueillir l'enfant et sa famille")
    page.get_by_role("button", name="Enregistrer l'évaluation").click()  # no rating: the error
    page.locator("#rating_0-erreur").wait_for()
    check("tuteur-evaluation-erreur")
    page.get_by_label("Acquis", exact=True).first.check()
    page.get_by_label("Commentaire (facultatif)").first.fill("Très à l'aise à l'accueil du matin.")
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    page.get_by_text("L'évaluation est enregistrée").wait_for()
    assert "faite le" in main_text(page)
    row = page.locator("#evaluation tbody tr").first
    assert row.locator("th").inner_text() == "Accueillir l'enfant et sa famille"
    assert row.locator("td").first.inner_text() == "Acquis"
    page.get_by_role("link", name="Remplir la grille d'évaluation").click()
    assert page.get_by_label("Intitulé de la compétence").first.input_value() == "Accueillir l'enfant et sa famille"
    check("tuteur-evaluation")
    page.goto("/equipe/stages/nouveau")
    check("equipe-nouveau-stage")
    page.get_by_role("button", name="Enregistrer le stage").click()
    page.locator(".error-summary").wait_for()
    check("equipe-nouveau-stage-erreurs")
    context.close()
