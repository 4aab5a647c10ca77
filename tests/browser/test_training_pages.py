"""Training in a real browser, on the whole venue: staff create a course, plan a session and see it
confirmed when bookings answers for the room; a clash with an activity scheduled first shows
« Salle refusée » with the reason, and another room is asked for; a trainee enrols from
/formations and cancels after the page that says what happens; on a session of today she and
the trainer sign the half-day on the tablet and download the sheet and the certificate (the PDFs' text
read back); every training page screenshotted and checked with axe-core at three sizes."""

import re
import uuid
from datetime import datetime, timedelta

import pytest

from shared import timeutil
from tests.browser.conftest import VIEWPORTS, draw_signature, main_text, serious_violations, shoot, sign_in_as
from tests.dates import DAY, at
from tests.dates import today as venue_today
from tests.pdf import pdf_text
from tests.staff_on_duty import LEAD, SECOND
from tests.support import wait_for

PASSWORD = "une-formation-utile"
ANSWER_TIMEOUT = 30_000  # ms: the room's answer travels education -> bookings -> education by events


def unique(prefix):
    return f"{prefix} {uuid.uuid4().hex[:6]}"


def new_room(staff_api):
    return staff_api.created("/api/v1/rooms", {"name": unique("Salle formation"), "kind": "workshop", "capacity": 20})


def new_course(staff_api, title=None):
    body = {
        "title": title or unique("Premiers secours"),
        "objectives": "Réagir face à un enfant qui s'étouffe ou qui fait un malaise",
        "audience": "Professionnels de la petite enfance",
        "prerequisites": "",
        "duration_hours": "7",
        "trainer": "Claire Martin",
        "price": "120.00",
        "funding": ["opco", "self_funded"],
    }
    return staff_api.created("/api/v1/courses", body)


def confirmed_session(staff_api, course, room, parts, capacity=8):
    """A session planned through the API, once bookings has reserved its room."""
    planned = staff_api.created(
        "/api/v1/sessions",
        {"course_id": course["id"], "room_id": room["id"], "capacity": capacity, "min_participants": 2, "parts": parts},
    )

    def answered():
        found = staff_api.get(f"/api/v1/sessions/{planned['id']}").json()
        return found if found["status"] != "planned" else None

    found = wait_for(answered, timeout=ANSWER_TIMEOUT / 1000, interval=0.3, message="the room's answer")
    assert found["status"] == "confirmed", found
    return found


def new_trainee(staff_api, first_name="Lina", last_name=None):
    """A trainee with an account (created by staff, as the demo does): (email, full name)."""
    last_name = last_name or unique("Roux").replace(" ", "-")
    email = f"stagiaire-formation-{uuid.uuid4().hex[:10]}@example.fr"
    body = {
        "email": email,
        "password": PASSWORD,
        "first_name": first_name,
        "last_name": last_name,
        "birth_date": "2001-04-05",
        "programme": "cap_aepe",
        "school": "Lycée Jean-Moulin",
    }
    staff_api.created("/api/v1/trainees", body)
    return email, f"{first_name} {last_name}"


def sign_in(page, email):
    sign_in_as(page, email, PASSWORD, "/stagiaire/")


def fill_part(page, n, day, start, end):
    page.get_by_label(f"Jour de la partie {n}").fill(day.isoformat())
    page.get_by_label(f"Début de la partie {n}").fill(start)
    page.get_by_label(f"Fin de la partie {n}").fill(end)


def test_staff_create_a_course_plan_a_session_and_see_it_confirmed_when_the_room_answers(staff_page, staff_api):
    page = staff_page
    room = new_room(staff_api)
    title = unique("Éveil et motricité")
    page.goto("/equipe/formations/cours/nouveau")
    page.get_by_role("button", name="Créer la formation").click()  # empty: the service's sentences by the fields
    page.locator(".error-summary").wait_for()
    assert page.locator("#title-erreur").count() == 1
    shoot(page, "formations-cours-erreurs")
    page.get_by_label("Titre").fill(title)
    page.get_by_label("Objectifs").fill("Accompagner la motricité libre du tout-petit")
    page.get_by_label("Public visé").fill("Assistantes maternelles")
    page.get_by_label("Durée en heures").fill("10,5")
    page.get_by_label("Formateur ou formatrice").fill("Claire Martin")
    page.get_by_label("Prix par participant, en euros").fill("150")
    page.get_by_label("OPCO (opérateur de compétences)").check()
    page.get_by_label("CPF (compte personnel de formation)").check()
    page.get_by_label("Code de la certification (RNCP ou RS, facultatif)").fill("RS5612")  # CPF needs one
    page.get_by_role("button", name="Créer la formation").click()
    page.get_by_text(f"La formation « {title} » est créée.").wait_for()
    row = page.get_by_role("row").filter(has_text=title)
    assert "10,5 h" in row.inner_text() and "OPCO" in row.inner_text() and "CPF" in row.inner_text()
    shoot(page, "formations-cours")

    row.get_by_role("link", name=f"Planifier une session de « {title} »").click()
    page.get_by_label("Salle", exact=True).select_option(room["id"])
    page.get_by_label("Nombre de places").fill("8")
    page.get_by_label("Nombre minimum de participants").fill("2")
    fill_part(page, 1, DAY, "09:00", "12:30")
    fill_part(page, 2, DAY + timedelta(days=1), "13:30", "17:00")
    page.get_by_role("button", name="Planifier la session").click()
    page.wait_for_url("**/equipe/formations/sessions/*")
    status = page.locator("#etat-salle")
    assert status.get_attribute("aria-live") == "polite"
    page.locator("#etat-salle .big", has_text="Confirmée").wait_for(timeout=ANSWER_TIMEOUT)  # without a reload by hand
    assert f"La salle « {room['name']} » est réservée pour chaque partie." in status.inner_text()
    assert len(page.locator("table").filter(has_text="Les parties").get_by_role("row").all()) == 3  # head + 2
    shoot(page, "formations-session-confirmee")

    page.get_by_role("link", name="Sessions", exact=True).click()
    listed = page.get_by_role("row").filter(has_text=title)
    assert "Confirmée" in listed.inner_text() and room["name"] in listed.inner_text()
    shoot(page, "formations-sessions")


def test_a_room_taken_by_an_activity_shows_salle_refusee_with_the_reason_and_another_room_is_confirmed(
    staff_page, staff_api
):
    page = staff_page
    taken, free = new_room(staff_api), new_room(staff_api)
    activity = unique("Contes d'automne")
    staff_api.created(
        "/api/v1/activities",
        {
            "title": activity,
            "kind": "story_time",
            "room_id": taken["id"],
            "starts_at": at(9, 30),
            "ends_at": at(10, 30),
            "children_capacity": 6,
            "lead_staff_id": LEAD,
            "staff_ids": [SECOND],
            "volunteer_slots": 0,
            "trainee_slots": 0,
        },
    )
    course = new_course(staff_api)
    page.goto("/equipe/formations/sessions/nouvelle")
    page.get_by_label("Formation", exact=True).select_option(course["id"])
    page.get_by_label("Salle", exact=True).select_option(taken["id"])
    fill_part(page, 1, DAY, "09:00", "12:00")
    page.get_by_role("button", name="Planifier la session").click()
    page.wait_for_url("**/equipe/formations/sessions/*")
    page.locator("#etat-salle .big", has_text="Salle refusée").wait_for(timeout=ANSWER_TIMEOUT)
    reason = page.locator("#motif-refus").inner_text()
    assert taken["name"] in reason and "déjà prise" in reason and activity in reason, reason
    shoot(page, "formations-salle-refusee")

    page.get_by_label("Salle à demander").select_option(free["id"])
    page.get_by_role("button", name="Demander cette salle").click()
    page.get_by_text("La salle est demandée à nouveau").wait_for()
    page.locator("#etat-salle .big", has_text="Confirmée").wait_for(timeout=ANSWER_TIMEOUT)
    assert free["name"] in page.locator("#etat-salle").inner_text()

    page.get_by_role("button", name="Annuler la session").click()  # no reason: refused next to the field
    assert page.locator("#reason-erreur").count() == 1
    page.get_by_label("Motif de l'annulation").fill("Formatrice malade")
    page.get_by_role("button", name="Annuler la session").click()
    page.get_by_text("est annulée ; la salle est libérée.").wait_for()
    assert "Annulée" in page.locator("#etat-salle").inner_text()
    assert "Formatrice malade" in page.locator("#etat-salle").inner_text()
    shoot(page, "formations-session-annulee")


def test_a_trainee_enrols_from_formations_then_cancels_after_reading_what_happens(page, staff_api):
    course = new_course(staff_api)
    session = confirmed_session(
        staff_api, course, new_room(staff_api), [{"starts_at": at(14), "ends_at": at(17)}], capacity=5
    )
    email, name = new_trainee(staff_api)
    sign_in(page, email)
    page.get_by_role("link", name="Formations", exact=True).click()
    page.wait_for_url("**/formations/")
    card = page.locator(f"#session-{session['id']}")
    assert course["objectives"] in card.inner_text() and "Places libres : 5" in card.inner_text()
    shoot(page, "formations-stagiaire")
    card.get_by_label("Qui finance ma formation").select_option("self_funded")
    card.get_by_role("button", name=f"M'inscrire à « {course['title']} »").click()
    page.get_by_role("heading", name="Vous êtes inscrit·e").wait_for()
    shoot(page, "formations-stagiaire-inscrite")
    enrolments = staff_api.get(f"/api/v1/sessions/{session['id']}/enrolments").json()
    items = enrolments["items"] if isinstance(enrolments, dict) else enrolments
    assert [(e["name"], e["participant_kind"], e["funding"], e["status"]) for e in items] == [
        (name, "trainee", "self_funded", "confirmed")
    ]

    page.get_by_role("link", name="Retour à mes formations").click()
    assert page.locator(f"#session-{session['id']}").count() == 0  # no longer offered: she is in
    page.get_by_role("link", name=f"Annuler mon inscription à « {course['title']} »").click()
    assert "la première personne de la liste d'attente est inscrite à votre place" in main_text(page)
    shoot(page, "formations-stagiaire-annuler")
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    page.get_by_role("heading", name="Votre inscription est annulée").wait_for()
    found = staff_api.get(f"/api/v1/sessions/{session['id']}").json()
    assert found["confirmed_count"] == 0


def _today_part():
    """A part of today, from in five minutes to an hour later (enrolment still open, its day come)."""
    now = datetime.now(timeutil.VENUE_TZ).replace(second=0, microsecond=0)
    start = now + timedelta(minutes=5)
    end = start + timedelta(hours=1)
    if start.date() != venue_today() or end.date() != venue_today():
        pytest.skip("too close to midnight in Paris for a training part of today")
    return {"starts_at": start.isoformat(), "ends_at": end.isoformat()}


def test_staff_enrol_a_trainee_who_signs_on_the_tablet_and_download_her_certificate(
    staff_page, staff_api, browser, stack
):
    page = staff_page
    part = _today_part()
    course = new_course(staff_api)
    session = confirmed_session(staff_api, course, new_room(staff_api), [part])
    email, name = new_trainee(staff_api, first_name="Inès")

    page.goto(f"/equipe/formations/sessions/{session['id']}")
    assert "Sous le minimum : 0 inscrit·e(s) pour 2 au moins" in main_text(page)  # it starts in 5 minutes
    page.get_by_label("Qualité du participant").select_option("trainee")
    page.get_by_label("Compte", exact=True).select_option(label=name)
    page.get_by_label("Financement", exact=True).select_option("opco")
    page.get_by_role("button", name="Inscrire", exact=True).click()
    page.get_by_text(f"{name} est inscrit·e.").wait_for()
    assert name in page.locator("#liste-inscrits").inner_text()
    shoot(page, "formations-session-inscrits")

    page.get_by_role("link", name="Feuille d'émargement", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Émarger \(partie 1, ")).click()
    for who in (name, course["trainer"]):  # each signs for themselves on the tablet
        page.get_by_role("link", name=f"Signer : {who}").click()
        draw_signature(page, page.get_by_role("img", name=f"Cadre de signature de {who}"))
        page.get_by_role("button", name="Valider la signature").click()
        page.get_by_text(f"Merci, {who} : la signature est enregistrée.").wait_for()
    page.get_by_role("link", name="Retour à la feuille d'émargement").click()
    row = page.locator("#emargement tr").filter(has_text=name)
    assert "signé" in row.inner_text() and "100 %" in row.inner_text()
    shoot(page, "formations-emargement")

    with page.expect_download() as sheet:
        page.get_by_role("link", name="Télécharger la feuille d'émargement (PDF)").click()
    assert sheet.value.suggested_filename == f"emargement-{session['id']}.pdf"
    assert name in pdf_text(open(sheet.value.path(), "rb").read())

    page.get_by_role("button", name=f"Délivrer le certificat de {name}").click()
    notice = page.get_by_text(f"Certificat de {name} délivré").inner_text()
    number = re.search(r"attestation (AFF-\d{4}-\d+)", notice).group(1)
    with page.expect_download() as certificate:
        page.get_by_role("link", name=f"Télécharger le certificat de {name} (PDF)").click()
    text = pdf_text(open(certificate.value.path(), "rb").read())
    assert name in text and number in text, text
    assert certificate.value.suggested_filename == f"certificat-{number}.pdf"

    context = browser.new_context(base_url=stack, locale="fr-FR")  # she downloads it herself
    own = context.new_page()
    sign_in(own, email)
    own.goto("/formations/")
    assert number in own.locator("main").inner_text()
    shoot(own, "formations-stagiaire-certificat")
    with own.expect_download() as mine:
        own.get_by_role("link", name=f"Télécharger mon certificat de « {course['title']} » (PDF)").click()
    assert number in pdf_text(open(mine.value.path(), "rb").read())
    context.close()


@pytest.fixture(scope="module")
def training_pages(stack, staff_api):
    """One of each training page's states, made once: {screenshot name: (role, path)}."""
    course = new_course(staff_api, title=unique("Axe formation"))
    room = new_room(staff_api)
    confirmed = confirmed_session(staff_api, course, room, [{"starts_at": at(9), "ends_at": at(12)}])
    email, _name = new_trainee(staff_api)
    trainee = staff_api.signed_in({"email": email, "password": PASSWORD})
    enrolment = trainee.created(
        f"/api/v1/sessions/{confirmed['id']}/enrolments", {"participant_kind": "trainee", "funding": "opco"}
    )
    staff_api.created(
        f"/api/v1/sessions/{confirmed['id']}/enrolments",
        {"participant_kind": "external", "name": "Nadia Benali", "email": "nadia@example.fr", "funding": "self_funded"},
    )
    blocked = new_room(staff_api)
    staff_api.created(
        "/api/v1/activities",
        {
            "title": "Atelier peinture",
            "kind": "other",
            "room_id": blocked["id"],
            "starts_at": at(15),
            "ends_at": at(16),
            "children_capacity": 6,
            "lead_staff_id": LEAD,
            "staff_ids": [SECOND],
            "volunteer_slots": 0,
            "trainee_slots": 0,
        },
    )
    refused = staff_api.created(
        "/api/v1/sessions",
        {
            "course_id": course["id"],
            "room_id": blocked["id"],
            "capacity": 6,
            "min_participants": 2,
            "parts": [{"starts_at": at(14), "ends_at": at(17)}],
        },
    )
    staff = {
        "formations-sessions": "/equipe/formations/",
        "formations-cours": "/equipe/formations/cours",
        "formations-nouveau-cours": "/equipe/formations/cours/nouveau",
        "formations-planifier": "/equipe/formations/sessions/nouvelle",
        "formations-session": f"/equipe/formations/sessions/{confirmed['id']}",
        "formations-session-refusee": f"/equipe/formations/sessions/{refused['id']}",
        "formations-emargement": f"/equipe/formations/sessions/{confirmed['id']}/emargement",
    }
    participant = {
        "formations-mes-formations": "/formations/",
        "formations-mon-inscription": f"/formations/inscriptions/{enrolment['id']}",
        "formations-annuler": f"/formations/inscriptions/{enrolment['id']}/annulation",
    }
    return staff, participant, email


@pytest.mark.parametrize("label, size, scale", VIEWPORTS)
def test_every_training_page_passes_axe_on_a_desktop_a_phone_and_at_200_percent(
    browser, stack, staff_state, training_pages, label, size, scale
):
    staff, participant, email = training_pages
    found = {}
    for state, pages in ((staff_state, staff), (None, participant)):
        context = browser.new_context(
            base_url=stack,
            viewport={"width": size[0], "height": size[1]},
            device_scale_factor=scale,
            storage_state=state,
        )
        page = context.new_page()
        page.set_default_timeout(ANSWER_TIMEOUT)
        if state is None:
            sign_in(page, email)
        for name, path in pages.items():
            page.goto(path)
            if name == "formations-session-refusee":
                page.locator("#etat-salle .big", has_text="Salle refusée").wait_for()
            shoot(page, f"axe-{name}{label}")
            found[f"{name}{label}"] = serious_violations(page)
            assert page.locator("h1").count() == 1, path
            if label == "-360px":  # nothing wider than the phone
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
        if state is not None:  # forms sent empty: their errors, summarised and by the fields
            for name, path, button in (
                ("formations-cours-erreurs", "/equipe/formations/cours/nouveau", "Créer la formation"),
                ("formations-planifier-erreurs", "/equipe/formations/sessions/nouvelle", "Planifier la session"),
            ):
                page.goto(path)
                page.get_by_role("button", name=button).click()
                page.locator(".error-summary").wait_for()
                shoot(page, f"axe-{name}{label}")
                found[f"{name}{label}"] = serious_violations(page)
        context.close()
    assert {name: v for name, v in found.items() if v} == {}
