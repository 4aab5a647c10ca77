"""« Mon agenda » in a real browser: a family copies its calendar link, which serves its booking
as iCalendar; it changes the link, and the old one answers 404; the page passes axe."""

import re

import pytest
import requests
from icalendar import Calendar

from tests.api import Api, Http
from tests.browser.conftest import serious_violations, shoot, sign_in_as
from tests.dates import at
from tests.factories import PASSWORD, child_fields, family_fields


@pytest.fixture(scope="module")
def family(stack, staff_api):
    """A family with a child booked on a morning slot, made through the API; its sign-in fields."""
    room = staff_api.created("/api/v1/rooms", {"name": "Les Papillons", "kind": "childcare", "capacity": 8})
    slot = staff_api.created(
        "/api/v1/childcare-slots",
        {"room_id": room["id"], "starts_at": at(9), "ends_at": at(12), "age_group": "walking", "staff_on_duty": 2},
    )
    fields = family_fields(email="agenda.lina@example.fr", password=PASSWORD)  # test_family_pages counts famille<n>
    api = Api(Http(stack))
    api.created("/api/v1/families", fields)
    family = api.signed_in(fields)
    child = family.created("/api/v1/families/me/children", child_fields(first_name="Lina"))
    family.created("/api/v1/bookings", {"slot_id": slot["id"], "child_id": child["id"]})
    return fields


def sign_in(page, fields):
    sign_in_as(page, fields["email"], fields["password"], "/agenda/", start="/connexion?suite=/agenda/")


def summaries(url):
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return [str(event["summary"]) for event in Calendar.from_ical(response.content).events]


def test_a_family_copies_its_link_sees_its_booking_in_it_then_changes_the_link(page, family):
    sign_in(page, family)
    page.get_by_role("link", name="Mon agenda").wait_for()
    field = page.get_by_label("Votre lien d'agenda personnel")
    old = field.input_value()
    assert re.search(r"/calendar/[0-9a-f-]+\.ics$", old)
    assert field.get_attribute("readonly") is not None
    assert summaries(old) == ["Accueil de Lina à la crèche"]
    shoot(page, "agenda")
    page.get_by_role("button", name="Changer de lien").click()
    page.get_by_text("L'ancien ne fonctionne plus").wait_for()
    new = page.get_by_label("Votre lien d'agenda personnel").input_value()
    assert new != old
    assert requests.get(old, timeout=10).status_code == 404
    assert summaries(new) == ["Accueil de Lina à la crèche"]
    shoot(page, "agenda-nouveau-lien")


def test_the_page_passes_axe_at_wcag_aa_on_a_desktop_a_phone_and_at_200_percent(browser, stack, family):
    found = {}
    for label, size, scale in [("", (1024, 800), 1), ("-360px", (360, 740), 1), ("-zoom200", (640, 400), 2)]:
        context = browser.new_context(
            base_url=stack, viewport={"width": size[0], "height": size[1]}, device_scale_factor=scale
        )
        page = context.new_page()
        sign_in(page, family)
        shoot(page, f"axe-agenda{label}")
        found[label] = serious_violations(page)
        assert page.locator("h1").count() == 1
        if label == "-360px":  # nothing wider than the phone
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        context.close()
    assert {name: v for name, v in found.items() if v} == {}
