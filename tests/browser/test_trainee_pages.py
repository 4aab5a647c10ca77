"""A trainee in a real browser: logs hours, the tutor validates them, the progress moves; a
minor's night hours are refused with the rule said next to the field; accessibility."""

import re
from datetime import date, timedelta
from itertools import count

import pytest

from tests.browser.conftest import serious_violations, shoot, sign_in_as

PASSWORD = "un-stage-au-calme"
_numbers = count(1)


def trainee(staff_api, birth_date):
    email = f"stagiaire{next(_numbers)}@example.fr"
    body = {
        "email": email,
        "password": PASSWORD,
        "first_name": "Lina",
        "last_name": "Roux",
        "birth_date": birth_date.isoformat(),
        "programme": "cap_aepe",
        "school": "Lycée Jean-Moulin",
    }
    created = staff_api.created("/api/v1/trainees", body)
    tutor_account = {"email": f"tuteur{next(_numbers)}@example.fr", "password": PASSWORD, "first_name": "Marc"}
    tutor = staff_api.created("/api/v1/staff", dict(tutor_account, last_name="Dupuis", staff_roles=["educator"]))[
        "id"
    ]  # 3 trainees each
    today = date.today()
    placement = {
        "trainee_id": created["id"],
        "tutor_id": tutor,
        "starts_on": (today - timedelta(days=10)).isoformat(),
        "ends_on": (today + timedelta(days=60)).isoformat(),
        "required_hours": "70",
    }
    staff_api.created("/api/v1/placements", placement)
    return email, tutor_account["email"]


def sign_in(page, email):
    sign_in_as(page, email, PASSWORD, "/stagiaire/")


def log(page, day, start, end, tasks=""):
    page.get_by_label("Jour").fill(day.isoformat())
    page.get_by_label("Arrivée").fill(start)
    page.get_by_label("Départ").fill(end)
    if tasks:
        page.get_by_label("Ce que j'ai fait").fill(tasks)
    page.get_by_role("button", name="Envoyer mes heures").click()


def test_a_trainee_logs_hours_the_tutor_validates_and_the_progress_moves(page, staff_api):
    email, tutor_email = trainee(staff_api, date(2000, 5, 4))
    sign_in(page, email)
    assert "0 h validées sur 70 h" in page.locator("main").inner_text()
    yesterday = date.today() - timedelta(days=1)
    log(page, yesterday, "08:00", "12:00", "Accueil des enfants, change, repas")
    page.get_by_text("Heures envoyées").wait_for()
    assert "En attente du tuteur" in page.locator("ul.cards").inner_text()
    shoot(page, "stagiaire-heures-envoyees")
    waiting = staff_api.signed_in({"email": tutor_email, "password": PASSWORD}).get("/api/v1/hour-logs").json()
    mine = [entry for entry in waiting if entry["tasks"].startswith("Accueil des enfants")]
    assert len(mine) == 1 and mine[0]["hours"] in ("4", "4.00"), mine
    assert staff_api.post(f"/api/v1/hour-logs/{mine[0]['id']}/validate").status_code == 403  # not the tutor
    tutor = staff_api.signed_in({"email": tutor_email, "password": PASSWORD})
    assert tutor.post(f"/api/v1/hour-logs/{mine[0]['id']}/validate").status_code == 200
    page.reload()
    text = page.locator("main").inner_text()
    assert "4 h validées sur 70 h" in text and "Validée" in text, text


def test_a_minors_night_hours_are_refused_with_the_reason_next_to_the_field(page, staff_api):
    today = date.today()
    email, _ = trainee(staff_api, today.replace(year=today.year - 17) - timedelta(days=30))
    sign_in(page, email)
    log(page, today - timedelta(days=1), "21:00", "22:30")
    error = page.locator("#end-erreur")
    error.wait_for()
    assert re.search(r"Pas de présence entre 22:00 et 06:00 \(mineur de 16 ou 17 ans\)", error.inner_text())
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label("Départ").get_attribute("aria-invalid") == "true"
    shoot(page, "stagiaire-nuit-refusee")


@pytest.mark.parametrize(
    "label, size, scale", [("", (1024, 800), 1), ("-360px", (360, 740), 1), ("-zoom200", (640, 400), 2)]
)
def test_the_trainee_page_passes_axe_on_a_desktop_a_phone_and_at_200_percent(
    browser, stack, staff_api, label, size, scale
):
    email, _ = trainee(staff_api, date(1999, 1, 15))
    context = browser.new_context(
        base_url=stack, viewport={"width": size[0], "height": size[1]}, device_scale_factor=scale
    )
    page = context.new_page()
    sign_in(page, email)
    log(page, date.today() - timedelta(days=1), "09:00", "08:00")  # a night of 23 h: refused
    page.locator(".error-summary").wait_for()
    shoot(page, f"axe-stagiaire{label}")
    assert serious_violations(page) == []
    assert page.locator("h1").count() == 1
    if label == "-360px":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()
