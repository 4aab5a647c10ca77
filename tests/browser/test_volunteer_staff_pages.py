"""Staff and volunteers in a real browser: staff find a new volunteer in the list, record the
attestation d'honorabilité (a future date and an attestation verified more than 6 months after its
issue refused next to their field) and the insurance with its dates, and the volunteer, once she
accepted the charte de bénévolat, can then sign up; a volunteer with only the attestation sees
that the insurance is missing; staff cancel the activity on its page and the volunteer finds it in
their notifications; the attestations to renew show one verified 3 years minus 10 days ago; every
new staff page screenshotted and checked with axe on a desktop, a phone and at 200 %."""

import json
import re
import uuid
from datetime import timedelta
from itertools import count
from urllib.parse import quote

import pytest
from kombu import Connection, Exchange

from shared.events import new_event
from tests.api import Api, Http
from tests.browser.conftest import axe_at_every_viewport, main_text, serious_violations, shoot, sign_in_as
from tests.dates import DAY, at, today
from tests.staff_on_duty import LEAD, SECOND
from tests.support import wait_for

PASSWORD = "tricot-1948"
_hours = count(8)


@pytest.fixture(scope="module")
def room(staff_api):
    name = f"Salon des bénévoles {uuid.uuid4().hex[:6]}"
    return staff_api.created("/api/v1/rooms", {"name": name, "kind": "workshop", "capacity": 12})


@pytest.fixture
def activity(staff_api, room):
    """A knitting workshop with the children on DAY, each test at its own hour (one room)."""
    hour = next(_hours)
    return staff_api.created(
        "/api/v1/activities",
        {
            "title": f"Tricot avec les enfants de {hour} h",
            "kind": "intergenerational_workshop",
            "room_id": room["id"],
            "starts_at": at(hour),
            "ends_at": at(hour, 45),
            "children_capacity": 6,
            "lead_staff_id": LEAD,
            "staff_ids": [SECOND],
            "volunteer_slots": 1,
            "trainee_slots": 0,
            "age_group": "walking",
        },
    )


def new_volunteer(stack):
    """A volunteer registered through the API, with a name of their own (the browser session
    shares one venue with the other tests): (profile, fields)."""
    tag = uuid.uuid4().hex[:8]
    fields = {
        "email": f"benevole-equipe-{tag}@example.fr",
        "password": PASSWORD,
        "first_name": "Odette",
        "last_name": f"Lenoir-{tag}",
        "birth_date": "1948-06-12",
        "phone": "0611223344",
        "interests": ["intergenerational_workshop"],
        "availability": [{"weekday": DAY.weekday(), "part": "morning"}],
        "emergency_name": "Marc Lenoir",
        "emergency_phone": "0699887766",
        "consent_version": "2025-01",
    }
    return Api(Http(stack)).created("/api/v1/volunteers", fields), fields


def sign_in(page, fields):
    sign_in_as(page, fields["email"], fields["password"], "/benevole/")


def row_in_list(page, profile):
    page.goto("/equipe/benevoles/")
    return page.get_by_role("row").filter(has_text=profile["last_name"])


def record_attestation(page, profile, issued_on, verified_on):
    page.goto(f"/equipe/benevoles/{profile['id']}/attestation")
    page.get_by_label("Date d'émission de l'attestation").fill(issued_on.isoformat())
    page.get_by_label("Vérifiée sur la plateforme le").fill(verified_on.isoformat())
    page.get_by_role("button", name="Enregistrer l'attestation").click()


def test_staff_record_the_attestation_and_insurance_then_the_volunteer_signs_up_and_sees_the_cancellation(
    staff_page, page, stack, staff_api, activity
):
    profile, fields = new_volunteer(stack)
    staff = staff_page
    staff_open_the_new_volunteers_file(staff, profile)
    staff_record_the_attestation_after_two_refusals(staff, profile)
    staff_record_the_insurance_after_an_empty_form(staff, profile)
    volunteer_signs_up(page, fields, activity)
    staff_see_the_signup_then_cancel_the_activity(staff, staff_api, profile, activity)
    volunteer_finds_the_cancellation_in_her_notifications(page)


def staff_open_the_new_volunteers_file(staff, profile):
    row = row_in_list(staff, profile)
    assert "Attestation manquante" in row.inner_text() and "Assurance manquante" in row.inner_text()
    shoot(staff, "equipe-benevoles")
    row.get_by_role("link").click()
    staff.get_by_role("heading", level=1, name=f"Dossier de bénévole : Odette {profile['last_name']}").wait_for()
    assert "Marc Lenoir (0699887766)" in main_text(staff)


def staff_record_the_attestation_after_two_refusals(staff, profile):
    """A future date, then an attestation verified more than 6 months after its issue, are
    refused next to their field."""
    staff.get_by_role("link", name="Enregistrer l'attestation d'honorabilité").click()
    record_attestation(staff, profile, today() + timedelta(days=1), today())  # a future date
    assert (
        staff.locator("#issued_on-erreur")
        .inner_text()
        .endswith("ne peut pas être dans le futur : recopiez celle de l'attestation.")
    )
    assert staff.locator("#issued_on").get_attribute("aria-invalid") == "true"
    assert staff.locator(".error-summary a[href='#issued_on']").count() == 1
    shoot(staff, "equipe-benevole-attestation-erreur")
    record_attestation(staff, profile, today() - timedelta(days=200), today())  # verified too late
    assert "doit dater de moins de 6 mois" in staff.locator("#verified_on-erreur").inner_text()
    record_attestation(staff, profile, today() - timedelta(days=20), today())
    staff.wait_for_url(f"**/equipe/benevoles/{profile['id']}")
    assert "Attestation d'honorabilité enregistrée pour Odette" in main_text(staff)
    assert "Assurance manquante" in main_text(staff)


def staff_record_the_insurance_after_an_empty_form(staff, profile):
    staff.get_by_role("link", name="Enregistrer l'assurance").click()
    staff.get_by_role("button", name="Enregistrer l'assurance").click()  # empty: refused by the fields
    assert staff.locator("#insurer-erreur").count() == 1 and staff.locator("#policy-erreur").count() == 1
    assert staff.locator("#valid_until-erreur").count() == 1
    staff.get_by_label("Assureur").fill("MAIF")
    staff.get_by_label("Contrat").fill("RC associations 42")
    staff.get_by_label("Valable à partir du").fill((today() - timedelta(days=30)).isoformat())
    staff.get_by_label("Valable jusqu'au").fill((today() + timedelta(days=335)).isoformat())
    staff.get_by_role("button", name="Enregistrer l'assurance").click()
    staff.wait_for_url(f"**/equipe/benevoles/{profile['id']}")
    assert "Autorisé·e" in main_text(staff)
    assert "pas encore acceptée" in main_text(staff)  # the charte: the volunteer accepts it herself
    shoot(staff, "equipe-benevole-dossier")


def volunteer_signs_up(page, fields, activity):
    sign_in(page, fields)
    page.get_by_role("link", name="Lire la charte de bénévolat").click()
    page.get_by_role("button", name="J'accepte la charte").click()
    page.wait_for_url("**/benevole/")

    def offered():
        page.goto("/benevole/")
        return page.get_by_role("listitem").filter(has_text=activity["title"]).count() > 0

    wait_for(offered, timeout=15, message="the activity on her page")
    card = page.get_by_role("listitem").filter(has_text=activity["title"])
    card.get_by_role("button", name=re.compile("M'inscrire")).click()
    page.get_by_role("heading", name="Vous êtes inscrit·e").wait_for()


def staff_see_the_signup_then_cancel_the_activity(staff, staff_api, profile, activity):
    staff.goto(f"/equipe/benevoles/{profile['id']}")
    signups = staff.locator("#inscriptions")
    assert activity["title"] in signups.inner_text() and "inscrit·e" in signups.inner_text()

    def counted():  # bookings counts her from signup_confirmed
        return staff_api.get(f"/api/v1/activities/{activity['id']}").json()["volunteers_confirmed"] == 1

    wait_for(counted, timeout=15, message="the volunteer counted on the activity")
    staff.goto(f"/equipe/activites/{activity['id']}")
    staff.get_by_label("Motif de l'annulation").fill("Animatrice absente")
    staff.get_by_role("button", name="Annuler l'activité").click()
    staff.get_by_text("est annulée.").first.wait_for()


def volunteer_finds_the_cancellation_in_her_notifications(page):
    def notified():
        page.goto("/notifications/")
        return "Motif : Animatrice absente." in main_text(page)

    wait_for(notified, timeout=15, message="the cancellation in her notifications")
    assert main_text(page).count("Animatrice absente") == 1
    shoot(page, "benevole-notification-annulation-equipe")


def test_a_volunteer_with_only_the_attestation_sees_that_the_insurance_is_missing(staff_page, page, stack, activity):
    profile, fields = new_volunteer(stack)
    record_attestation(staff_page, profile, today() - timedelta(days=20), today())
    staff_page.wait_for_url(f"**/equipe/benevoles/{profile['id']}")
    sign_in(page, fields)
    why = page.locator("#pas-encore").inner_text()
    assert "Vous ne pouvez pas encore vous inscrire" in why
    assert "L'assurance de la structure pour les bénévoles n'est pas encore enregistrée pour vous." in why
    assert "n'est pas encore enregistrée par l'équipe" not in why  # the attestation is there
    assert page.get_by_role("listitem").filter(has_text=activity["title"]).get_by_role("button").count() == 0
    shoot(page, "benevole-assurance-manquante")


def test_the_attestations_to_renew_show_one_verified_three_years_minus_ten_days_ago(staff_page, stack):
    profile, _fields = new_volunteer(stack)
    issued = today().replace(year=today().year - 3) + timedelta(days=10)
    record_attestation(staff_page, profile, issued, issued)
    staff_page.wait_for_url(f"**/equipe/benevoles/{profile['id']}")
    staff_page.get_by_role("link", name="Revenir à la liste des bénévoles").click()
    staff_page.get_by_role("link", name="Attestations à renouveler").click()
    staff_page.get_by_role("heading", level=1, name="Attestations d'honorabilité à renouveler").wait_for()
    row = staff_page.get_by_role("row").filter(has_text=profile["last_name"])
    assert row.count() == 1
    expires = issued.replace(year=issued.year + 3) - timedelta(days=1)  # in 9 days
    assert f"{expires.day} " in row.inner_text() and str(expires.year) in row.inner_text()
    shoot(staff_page, "equipe-benevoles-a-renouveler")


def test_the_years_hours_page_downloads_its_csv(staff_page):
    staff_page.goto("/equipe/benevoles/heures")
    assert staff_page.get_by_role("heading", level=1).inner_text() == f"Heures des bénévoles en {today().year}"
    with staff_page.expect_download() as download:
        staff_page.get_by_role("link", name=re.compile("Télécharger le tableau")).click()
    path = download.value.path()
    text = open(path, encoding="utf-8").read()
    assert text.startswith("\ufeffBénévole;Activité;Type;Début;Fin;Heures;Âge des enfants")
    assert download.value.suggested_filename == f"heures-benevoles-{today().year}.csv"
    staff_page.get_by_label("Année").fill("deux mille")
    staff_page.get_by_role("button", name="Voir cette année").click()
    assert staff_page.locator("#annee-erreur").count() == 1
    shoot(staff_page, "equipe-benevoles-heures-erreur")


def publish_attendance(vhost, volunteer_id, present, revision):
    """What education's attendance sheet says of the volunteer at one part, published as its
    outbox relay would on the stack's broker (education has no sheet to fill yet)."""
    payload = {
        "session_id": f"session-{volunteer_id}",
        "title": "Premiers secours (PSC1)",
        "part_index": 0,
        "participant_kind": "volunteer",
        "participant_id": volunteer_id,
        "present": present,
        "starts_at": at(9, day=today()),
        "ends_at": at(12, 30, day=today()),
        "hours": "3.50",
        "revision": revision,
    }
    exchange = Exchange("education.events", type="topic", durable=True)
    with Connection(f"amqp://guest:guest@127.0.0.1:5672/{quote(vhost, safe='')}") as connection:
        connection.Producer().publish(
            json.dumps(new_event("education.attendance_recorded", payload)),
            exchange=exchange,
            routing_key="attendance_recorded",
            declare=[exchange],
            content_type="application/json",
            content_encoding="utf-8",
        )


def test_training_hours_show_apart_on_the_file_in_the_year_and_to_the_volunteer_and_a_correction_takes_them_back(
    staff_page, page, stack, vhost
):
    profile, fields = new_volunteer(stack)
    publish_attendance(vhost, profile["id"], present=True, revision=1)

    def shown(text):
        staff_page.goto(f"/equipe/benevoles/{profile['id']}")
        return text in staff_page.locator("#heures").inner_text()

    wait_for(lambda: shown("3,5 h, 1 partie(s) de formation"), timeout=15, message="the training hours on the file")
    assert "0 h, 0 activité(s)" in staff_page.locator("#heures").inner_text()  # apart from the activities
    staff_page.goto("/equipe/benevoles/heures")
    row = staff_page.get_by_role("row").filter(has_text=profile["last_name"])
    assert "3,5 h" in row.inner_text()
    shoot(staff_page, "equipe-benevoles-heures")
    sign_in(page, fields)
    page.goto("/benevole/heures")
    assert "3,5 heures de formation, comptées à part." in main_text(page)
    assert "0 heures, 0 activités." in main_text(page)
    shoot(page, "benevole-heures-formation")
    assert serious_violations(page) == []

    publish_attendance(vhost, profile["id"], present=False, revision=2)  # the sheet corrected: absent
    wait_for(lambda: shown("0 h, 0 partie(s) de formation"), timeout=15, message="the correction on the file")


def test_every_volunteer_staff_page_passes_axe_at_wcag_aa_on_a_desktop_a_phone_and_at_200_percent(
    browser, stack, staff_state
):
    profile, _fields = new_volunteer(stack)
    file_path = f"/equipe/benevoles/{profile['id']}"
    pages = {
        "equipe-benevoles": "/equipe/benevoles/",
        "equipe-benevole-dossier": file_path,
        "equipe-benevole-attestation": f"{file_path}/attestation",
        "equipe-benevole-assurance": f"{file_path}/assurance",
        "equipe-benevoles-a-renouveler": "/equipe/benevoles/attestations-a-renouveler",
        "equipe-benevoles-heures": "/equipe/benevoles/heures",
    }

    def send_empty(page):  # a form sent empty: its errors, summarised and by the fields
        page.goto(f"{file_path}/attestation")
        page.get_by_role("button", name="Enregistrer l'attestation").click()

    forms = {"equipe-benevole-attestation-erreurs": send_empty}
    assert axe_at_every_viewport(browser, stack, pages, storage_state=staff_state, forms=forms) == {}
