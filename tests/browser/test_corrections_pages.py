"""Staff in a real browser: correct a check-in tapped by mistake from the check-in list (the reason
refused when missing, then the history), and read the CNAF report with its billing ratio and CSV;
both pages checked with axe-core on a desktop, a phone and at 200 %."""

from datetime import datetime, timedelta

from shared import timeutil
from tests.browser.conftest import axe_at_every_viewport, main_text, serious_violations, shoot
from tests.browser.test_staff_pages import _today_slot_times, new_family, new_room
from tests.dates import DAY


def test_staff_correct_a_check_in_from_the_check_in_list_and_read_the_history(staff_page, staff_api, stack):
    page = staff_page
    start, end = _today_slot_times()
    room = new_room(staff_api, kind="childcare", capacity=12)
    slot = staff_api.created(
        "/api/v1/childcare-slots",
        {
            "room_id": room["id"],
            "starts_at": start.isoformat(),
            "ends_at": end.isoformat(),
            "age_group": "mixed",
            "staff_on_duty": 2,
        },
    )
    _profile, family, [baby] = new_family(stack, last_name="Pointage", children=1, birth_date=DAY - timedelta(days=300))
    booking = family.created("/api/v1/bookings", {"slot_id": slot["id"], "child_id": baby["id"]})
    earlier = datetime.now(timeutil.VENUE_TZ) - timedelta(minutes=1)
    checked = staff_api.post(f"/api/v1/bookings/{booking['id']}/check-in", json={"at": earlier.isoformat()})
    assert checked.status_code == 200, checked.json()

    page.goto("/equipe/pointage")
    page.get_by_role("link", name="Corriger l'arrivée ou le départ de Bébé 00 Pointage").click()
    page.wait_for_url(f"**/equipe/pointage/reservations/{booking['id']}")
    page.get_by_label("Heure d'arrivée").fill(f"{start:%H:%M}")
    page.get_by_role("button", name="Enregistrer la correction").click()  # no reason: refused by its field
    page.locator("#motif-erreur").wait_for()
    assert "Indiquez le motif de la correction" in page.locator("#motif-erreur").inner_text()
    shoot(page, "equipe-correction-erreurs")
    page.get_by_label("Motif de la correction").fill("Arrivée notée sur le mauvais créneau")
    page.get_by_role("button", name="Enregistrer la correction").click()
    page.get_by_text("Correction enregistrée pour Bébé 00.").wait_for()
    history = page.locator("#corrections")
    assert "Arrivée notée sur le mauvais créneau" in history.inner_text()
    assert history.get_by_role("row").count() == 2  # the header and one correction
    shoot(page, "equipe-correction")
    answer = staff_api.get(f"/api/v1/bookings/{booking['id']}/attendance").json()
    assert answer["arrived_at"].startswith(start.isoformat()[:16])
    _add_the_forgotten_departure(page, start)
    answer = staff_api.get(f"/api/v1/bookings/{booking['id']}/attendance").json()
    assert answer["collected_by"] == {"kind": "guardian", "id": "0", "name": "Camille Pointage", "id_checked": True}


def _add_the_forgotten_departure(page, start):
    """A departure added by a correction says who collected the child, as the check-out does."""
    page.get_by_label("Heure de départ").fill(f"{start + timedelta(minutes=1):%H:%M}")
    page.get_by_label("Motif de la correction").fill("Départ oublié")
    page.get_by_role("button", name="Enregistrer la correction").click()  # nobody named: refused by its field
    page.locator("#collected-erreur").wait_for()
    assert serious_violations(page) == []
    page.get_by_label("Camille Pointage (responsable légal)").check()
    page.get_by_label("Pièce d'identité vérifiée").check()
    page.get_by_role("button", name="Enregistrer la correction").click()
    page.get_by_text("Correction enregistrée pour Bébé 00.").wait_for()
    assert "Venu·e chercher l'enfant : Camille Pointage." in page.locator("#noted").inner_text()


def test_staff_read_the_cnaf_report_from_the_menu_with_the_ratio_and_the_csv(staff_page):
    page = staff_page
    page.goto("/equipe/")
    page.get_by_role("link", name="Rapport CNAF").click()
    page.wait_for_url("**/equipe/rapport-cnaf")
    year = datetime.now(timeutil.VENUE_TZ).year
    assert page.get_by_role("heading", level=1).inner_text() == f"Rapport CNAF {year}"
    table = page.get_by_role("table", name=f"Heures facturées et réalisées en {year}, mois par mois")
    assert table.get_by_role("row").count() == 14  # the header, 12 months, the total
    assert "Taux de facturation" in table.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Télécharger le rapport {year} pour la CAF (CSV)").click()
    assert download.value.suggested_filename == f"cnaf-{year}.csv"
    assert "107 %" in main_text(page)
    shoot(page, "equipe-rapport-cnaf")


def test_the_correction_and_cnaf_pages_pass_axe_at_wcag_aa(browser, stack, staff_state, staff_api):
    start, end = _today_slot_times()
    room = new_room(staff_api, kind="childcare", capacity=12)
    slot = staff_api.created(
        "/api/v1/childcare-slots",
        {
            "room_id": room["id"],
            "starts_at": start.isoformat(),
            "ends_at": end.isoformat(),
            "age_group": "mixed",
            "staff_on_duty": 2,
        },
    )
    _profile, family, [baby] = new_family(stack, last_name="Axe", children=1, birth_date=DAY - timedelta(days=300))
    booking = family.created("/api/v1/bookings", {"slot_id": slot["id"], "child_id": baby["id"]})
    pages = {
        "equipe-rapport-cnaf": "/equipe/rapport-cnaf",
        "equipe-correction": f"/equipe/pointage/reservations/{booking['id']}",
        "equipe-pointage-jour": f"/equipe/pointage?jour={DAY.isoformat()}",
    }
    assert axe_at_every_viewport(browser, stack, pages, storage_state=staff_state) == {}
