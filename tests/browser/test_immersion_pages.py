"""The immersions' staff pages in a real browser: the list with its creation form (sent empty,
its errors next to the fields) and one immersion, checked with axe-core on a desktop, a phone
(360 px, nothing wider than the screen) and at 200 %."""

from datetime import timedelta

from tests.browser.conftest import axe_at_every_viewport
from tests.browser.test_tutor_pages import new_tutor, unique_email
from tests.dates import today


def an_immersion(staff_api, tutor_id):
    starts = today() + timedelta(days=7)
    return staff_api.created(
        "/api/v1/immersions",
        {
            "beneficiary_email": unique_email("beneficiaire"),
            "first_name": "Samia",
            "last_name": "Durand",
            "birth_date": "1990-04-02",
            "prescriber": {
                "organisation": "mission_locale",
                "adviser_name": "Claire Petit",
                "adviser_email": "claire.petit@example.org",
            },
            "object": "discover",
            "objectives": "Découvrir le métier d'auxiliaire de puériculture.",
            "starts_on": starts.isoformat(),
            "ends_on": (starts + timedelta(days=13)).isoformat(),
            "tutor_id": tutor_id,
            "schedule": [{"weekday": d, "start": "09:00", "end": "16:00", "break_minutes": 45} for d in range(5)],
        },
    )


def send_empty(page):
    page.goto("/equipe/immersions")
    page.get_by_role("button", name="Enregistrer l'immersion").click()


def test_the_immersions_pages_pass_axe_at_every_size(browser, stack, staff_api, staff_state):
    _tutor, tutor_id = new_tutor(staff_api, first_name="Inès")
    immersion = an_immersion(staff_api, tutor_id)
    pages = {"immersions": "/equipe/immersions", "immersion": f"/equipe/immersions/{immersion['id']}"}
    found = axe_at_every_viewport(
        browser, stack, pages, storage_state=staff_state, forms={"immersion-vide": send_empty}
    )
    assert found == {}
