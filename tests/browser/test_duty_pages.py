"""The staff on duty in a real browser: a slot opened with its staff ticked by name, a 7:30 sick
call on « Modifier l'équipe » that leaves more children than the ratio allows (accepted, nothing
cancelled), and the day's board in red with the sentence that says what is missing; both pages
checked with axe-core on a desktop, a phone and at 200 %."""

import uuid
from datetime import datetime, timedelta

import pytest

from shared import timeutil
from tests.api import Api, Http
from tests.browser.conftest import axe_at_every_viewport, main_text, shoot
from tests.dates import DAY
from tests.factories import PASSWORD, family_fields
from tests.staff_on_duty import LEAD, SECOND


def _today_slot_times():
    now = datetime.now(timeutil.VENUE_TZ).replace(second=0, microsecond=0)
    start = now + timedelta(minutes=5)
    end = start + timedelta(hours=1)
    if end.date() != now.date():
        pytest.skip("too close to midnight for a slot of today")
    return start, end


@pytest.fixture
def full_slot(staff_page, staff_api, stack):
    """A slot of today opened on the form with LEAD and SECOND ticked, 10 babies booked, 8 arrived."""
    page = staff_page
    room = staff_api.created(
        "/api/v1/rooms", {"name": f"Salle de garde {uuid.uuid4().hex[:6]}", "kind": "childcare", "capacity": 12}
    )
    start, end = _today_slot_times()
    page.goto("/equipe/creneaux/nouveau")
    page.get_by_label("Salle").select_option(room["id"])
    page.get_by_label("Jour").fill(start.date().isoformat())
    page.get_by_label("Heure de début").fill(f"{start:%H:%M}")
    page.get_by_label("Heure de fin").fill(f"{end:%H:%M}")
    page.get_by_label("Groupe d'âge").select_option("non_walking")
    for staff_id in (LEAD, SECOND):
        page.locator(f'input[name="staff_ids"][value="{staff_id}"]').check()
    page.get_by_label("Autres professionnels, non nommés (nombre)").fill("0")
    page.get_by_role("button", name="Ouvrir le créneau").click()
    page.get_by_text("Le créneau est ouvert : 10 place(s).").wait_for()

    fields = family_fields(
        email=f"famille-garde-{uuid.uuid4().hex[:10]}@example.fr",
        password=PASSWORD,
        guardians=[{"first_name": "Camille", "last_name": "Garde", "phone": "0601020304"}],
        dependent_children=2,
    )
    Api(Http(stack)).created("/api/v1/families", fields)
    family = Api(Http(stack)).signed_in(fields)
    baby = (DAY - timedelta(days=200)).isoformat()
    [slot] = [
        s
        for s in staff_api.get(f"/api/v1/childcare-slots?date={start.date().isoformat()}&limit=200").json()
        if s["room_id"] == room["id"]
    ]
    now = datetime.now(timeutil.VENUE_TZ).isoformat()
    for n in range(10):
        child = family.created("/api/v1/families/me/children", {"first_name": f"Bébé {n:02d}", "birth_date": baby})
        booking = family.created("/api/v1/bookings", {"slot_id": slot["id"], "child_id": child["id"]})
        assert booking["status"] == "confirmed"
        if n < 8:
            assert staff_api.post(f"/api/v1/bookings/{booking['id']}/check-in", json={"at": now}).status_code == 200
    return room, slot


def test_a_sick_call_on_modifier_l_equipe_turns_the_board_red_and_cancels_nothing(staff_page, full_slot):
    page = staff_page
    room, slot = full_slot
    page.goto("/equipe/")
    row = page.get_by_role("row").filter(has_text=room["name"])
    assert "Taux respecté" in row.inner_text() or "À la limite" in row.inner_text()
    assert "Inès" in row.inner_text()  # the staff by name

    row.get_by_role("link", name="Modifier l'équipe").click()
    page.get_by_role("heading", name="Modifier l'équipe du créneau").wait_for()
    shoot(page, "equipe-creneau-equipe")
    page.locator(f'input[name="staff_ids"][value="{SECOND}"]').uncheck()  # 7:30: SECOND calls in sick
    page.get_by_role("button", name="Enregistrer l'équipe").click()
    page.get_by_text("L'équipe du créneau est changée : 1 professionnel(s) compté(s), 0 place(s).").wait_for()

    row = page.get_by_role("row").filter(has_text=room["name"])
    assert "row-breach" in (row.get_attribute("class") or "")
    assert "Hors taux" in row.inner_text()
    alert = row.get_by_role("alert")
    assert "Taux d'encadrement non respecté : 2 professionnels nécessaires" in alert.inner_text()
    assert "aucune réservation n'est annulée" in alert.inner_text()
    assert page.locator("#taux-du-jour").inner_text().strip().startswith("✗")
    assert "Diplômes d'État" in main_text(page)
    shoot(page, "equipe-aujourdhui-hors-taux")


def test_the_sick_call_form_and_the_red_board_pass_axe_on_a_desktop_a_phone_and_at_200_percent(
    browser, stack, staff_state, staff_page, full_slot
):
    room, slot = full_slot
    staff_page.goto(f"/equipe/creneaux/{slot['id']}/equipe")
    staff_page.locator(f'input[name="staff_ids"][value="{SECOND}"]').uncheck()
    staff_page.get_by_role("button", name="Enregistrer l'équipe").click()
    staff_page.get_by_text("L'équipe du créneau est changée").wait_for()
    pages = {"equipe-creneau-equipe": f"/equipe/creneaux/{slot['id']}/equipe", "equipe-aujourdhui-rouge": "/equipe/"}
    assert axe_at_every_viewport(browser, stack, pages, storage_state=staff_state) == {}
