"""A placement's week, its changes and the gratification paid, in a real browser: staff give a new
placement its weekly schedule day by day (a departure before the arrival said next to that day),
change its dates and schedule with a reason that its history then shows, and record what was paid
for a month, a second payment for that month refused next to the month; every page checked with
axe-core on a desktop, a phone and at 200 %.

Each test's placement lies in a window of its own, a year or two ahead, so that the venue's weekly quota
of trainees is not filled by the other browser tests' placements."""

import re
from datetime import date, timedelta

from tests.api import STAFF
from tests.browser.conftest import axe_at_every_viewport, main_text, shoot, sign_in_as
from tests.browser.test_tutor_pages import PASSWORD, new_page, new_tutor, unique_email
from tests.dates import today

WEEK = [{"weekday": day, "start": "09:00", "end": "17:00", "break_minutes": 60} for day in range(5)]  # 35 h


def window(years_ahead, month, weeks=10):
    """(a Monday, the Friday `weeks` weeks later) from the middle of `month`, `years_ahead` years on."""
    first = date(today().year + years_ahead, month, 15)
    monday = first - timedelta(days=first.weekday())
    return monday, monday + timedelta(weeks=weeks, days=-3)


def trainee(staff_api, first_name):
    body = {
        "email": unique_email("stagiaire"),
        "password": PASSWORD,
        "first_name": first_name,
        "last_name": "Roux",
        "birth_date": "2000-05-04",
        "programme": "cap_aepe",
        "school": "Lycée Jean-Moulin",
    }
    return staff_api.created("/api/v1/trainees", body)


def placement_with_week(staff_api, first_name, years_ahead, month):
    """A trainee's placement of 10 weeks, 35 h a week (350 h: the gratification is due)."""
    _tutor, tutor_id = new_tutor(staff_api)
    starts_on, ends_on = window(years_ahead, month)
    made = staff_api.created(
        "/api/v1/placements",
        {
            "trainee_id": trainee(staff_api, first_name)["id"],
            "tutor_id": tutor_id,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "weekly_schedule": WEEK,
        },
    )
    return made


def staff_signed_in(browser, stack, size=(1024, 800), scale=1):
    context, page = new_page(browser, stack, size, scale)
    sign_in_as(page, STAFF["email"], STAFF["password"], "/equipe/")
    return context, page


def test_staff_give_a_new_placement_its_week_day_by_day(browser, stack, staff_api):
    _tutor, tutor_id = new_tutor(staff_api, first_name="Nadia", last_name="Benali")
    chosen = trainee(staff_api, "Maëlle")
    starts_on, ends_on = window(1, 9)
    context, page = staff_signed_in(browser, stack)
    page.goto("/equipe/stages/nouveau")
    page.get_by_label("Stagiaire", exact=True).select_option(chosen["id"])
    page.get_by_label("Tuteur ou tutrice").select_option(tutor_id)
    page.get_by_label("Premier jour du stage").fill(starts_on.isoformat())
    page.get_by_label("Dernier jour du stage").fill(ends_on.isoformat())
    for day in ("lundi", "mardi", "mercredi", "jeudi"):
        page.get_by_label(f"Arrivée le {day}").fill("09:00")
        page.get_by_label(f"Départ le {day}").fill("17:00")
        page.get_by_label(f"Pause le {day}, en minutes").fill("60")
    page.get_by_label("Départ le lundi").fill("08:00")  # before the arrival: said next to Monday
    page.get_by_role("button", name="Enregistrer le stage").click()
    error = page.locator("#end_0-erreur")
    error.wait_for()
    assert "Le départ du lundi" in error.inner_text() and "après l'arrivée" in error.inner_text()
    assert page.get_by_label("Départ le lundi").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Arrivée le jeudi").input_value() == "09:00"  # the week as typed
    shoot(page, "equipe-nouveau-stage-semaine-erreur")
    page.get_by_label("Départ le lundi").fill("17:00")
    page.get_by_role("button", name="Enregistrer le stage").click()
    page.wait_for_url(re.compile(r"/equipe/stages/[0-9a-f-]{36}$"))
    text = main_text(page)
    assert "La convention de stage de Maëlle Roux est enregistrée." in text
    assert re.search(r"Lundi : 9\s*h\s*00 – 17\s*h\s*00, pause de 60 min", text), text
    assert "Jeudi :" in text and "Vendredi :" not in text
    assert re.search(r"\d+\s*h", page.locator("#heures-prevues").inner_text())
    assert "CAP" in text  # the programme's label
    shoot(page, "equipe-stage-avec-semaine")
    context.close()


def test_staff_change_a_placements_dates_and_week_and_its_history_says_so(browser, stack, staff_api):
    made = placement_with_week(staff_api, "Lina", 1, 12)
    context, page = staff_signed_in(browser, stack)
    page.goto(f"/equipe/stages/{made['id']}")
    assert "Aucune modification depuis l'enregistrement de la convention." in main_text(page)
    page.get_by_role("link", name="Modifier le stage").click()
    assert page.get_by_label("Arrivée le vendredi").input_value() == "09:00"
    assert page.get_by_label("Pause le lundi, en minutes").input_value() == "60"
    later = (date.fromisoformat(made["ends_on"]) + timedelta(days=7)).isoformat()
    page.get_by_label("Dernier jour du stage").fill(later)
    for field in ("Arrivée le vendredi", "Départ le vendredi", "Pause le vendredi, en minutes"):
        page.get_by_label(field).fill("")
    page.get_by_label("Motif de la modification").fill("Prolongé d'une semaine après un arrêt maladie")
    shoot(page, "equipe-stage-modifier")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    page.wait_for_url(re.compile(rf"/equipe/stages/{made['id']}$"))
    text = main_text(page)
    assert "Le stage de Lina Roux est modifié" in text
    assert "Vendredi :" not in page.locator(".facts").inner_text()
    history = page.locator("#historique").inner_text()
    assert "Prolongé d'une semaine après un arrêt maladie" in history
    assert "Dernier jour du stage" in history and "Emploi du temps, vendredi" in history, history
    assert "pas de présence" in history and "Emploi du temps, lundi" not in history, history
    shoot(page, "equipe-stage-historique")

    # a week as long as 6 months of presence in one school year: the service refuses, the page says why
    page.get_by_role("link", name="Modifier le stage").click()
    page.get_by_label("Dernier jour du stage").fill(
        (date.fromisoformat(made["starts_on"]) + timedelta(days=300)).isoformat()
    )
    page.get_by_role("button", name="Enregistrer les modifications").click()
    page.locator(".error-summary").wait_for()
    assert page.url.endswith("/modifier")
    shoot(page, "equipe-stage-modifier-refuse")
    page.goto(f"/equipe/stages/{made['id']}")
    assert page.locator("#historique tbody tr").count() == 1  # nothing changed
    context.close()


def test_staff_record_the_gratification_paid_and_a_second_payment_for_a_month_is_refused(browser, stack, staff_api):
    made = placement_with_week(staff_api, "Sofia", 2, 9)
    context, page = staff_signed_in(browser, stack)
    page.goto(f"/equipe/stages/{made['id']}")
    section = page.locator("#gratification")
    assert "Due :" in section.inner_text() and "308 h" in section.inner_text(), section.inner_text()
    assert "Aucun versement enregistré pour le moment." in section.inner_text()
    month = page.get_by_label("Mois du versement").input_value()
    assert month == made["starts_on"][:7]  # the first month of the placement, none paid yet
    page.get_by_label("Montant versé, en euros").fill("472,50")
    page.get_by_role("button", name="Enregistrer le versement").click()
    page.get_by_text("enregistré : 472,50").wait_for()
    payments = page.locator("#versements").inner_text()
    assert "472,50" in payments and "Équipe Cocoon'Age" in payments, payments
    assert "472,50" in page.locator("#total-verse").inner_text()
    shoot(page, "equipe-stage-versement")

    page.get_by_label("Mois du versement").select_option(month)
    page.get_by_label("Montant versé, en euros").fill("10")
    page.get_by_role("button", name="Enregistrer le versement").click()
    error = page.locator("#month-erreur")
    error.wait_for()
    assert "déjà son versement" in error.inner_text(), error.inner_text()
    assert "déjà enregistré" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Mois du versement").get_attribute("aria-invalid") == "true"
    shoot(page, "equipe-stage-versement-en-double")
    context.close()


def test_the_week_edit_and_gratification_pages_pass_axe_on_a_desktop_a_phone_and_at_200_percent(
    browser, stack, staff_api
):
    made = placement_with_week(staff_api, "Jade", 2, 12)
    context, page = staff_signed_in(browser, stack)
    page.goto(f"/equipe/stages/{made['id']}/modifier")
    page.get_by_label("Motif de la modification").fill("Une heure de moins le lundi")
    page.get_by_label("Départ le lundi").fill("16:00")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    page.get_by_text("est modifié").wait_for()
    page.get_by_label("Montant versé, en euros").fill("300")
    page.get_by_role("button", name="Enregistrer le versement").click()
    page.get_by_text("enregistré : 300,00").wait_for()
    context.close()

    placement = f"/equipe/stages/{made['id']}"

    def edit_refused(page):
        page.goto(f"{placement}/modifier")
        page.get_by_label("Départ le mardi").fill("08:00")
        page.get_by_role("button", name="Enregistrer les modifications").click()

    def payment_refused(page):
        page.goto(placement)
        page.get_by_role("button", name="Enregistrer le versement").click()

    def week_refused(page):
        page.goto("/equipe/stages/nouveau")
        page.get_by_label("Arrivée le mercredi").fill("09:00")
        page.get_by_role("button", name="Enregistrer le stage").click()

    found = axe_at_every_viewport(
        browser,
        stack,
        {
            "equipe-stage-gratification-historique": placement,
            "equipe-stage-modifier": f"{placement}/modifier",
            "equipe-nouveau-stage-semaine": "/equipe/stages/nouveau",
        },
        sign_in=lambda page: sign_in_as(page, STAFF["email"], STAFF["password"], "/equipe/"),
        forms={
            "equipe-stage-modifier-erreur": edit_refused,
            "equipe-stage-versement-erreur": payment_refused,
            "equipe-nouveau-stage-semaine-erreur": week_refused,
        },
    )
    assert found == {}
