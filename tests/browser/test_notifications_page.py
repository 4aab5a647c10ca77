"""A family's notifications in a real browser: its booking is confirmed on its notifications page,
with the unread count in the menu; marking it read takes the count away; the page passes axe."""

import re
import time

import pytest

from tests.browser.conftest import axe_at_every_viewport, serious_violations, shoot
from tests.browser.test_family_pages import add_child, register
from tests.dates import at


@pytest.fixture(scope="module")
def slot(staff_api):
    """A morning slot on DAY in a childcare room of its own, opened by staff through the API."""
    room = staff_api.created("/api/v1/rooms", {"name": "Les Hirondelles", "kind": "childcare", "capacity": 8})
    return staff_api.created(
        "/api/v1/childcare-slots",
        {"room_id": room["id"], "starts_at": at(9), "ends_at": at(12), "age_group": "walking", "staff_on_duty": 2},
    )


def book_in_our_slot(page):
    """The booking button of this module's slot (other test modules open slots of their own)."""
    page.goto("/famille/creneaux")
    page.locator("li.card").filter(has_text="Les Hirondelles").get_by_role("button").click()
    page.wait_for_url("**/famille/reservations")


def menu_link(page):
    return page.get_by_role("navigation").get_by_role("link", name=re.compile("^Notifications"))


def wait_for_notification(page, text, timeout=20):
    """The event goes bookings -> broker -> notifications: reload the page until it is there."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto("/notifications/")
        if text in page.locator("main").inner_text():
            return
        assert time.monotonic() < deadline, f"no notification {text!r} after {timeout} s"
        time.sleep(0.3)


def test_a_family_sees_its_booking_confirmed_with_the_count_in_the_menu_and_marks_it_read(page, slot):
    register(page)
    add_child(page, name="Léa")
    book_in_our_slot(page)

    wait_for_notification(page, "Réservation confirmée pour Léa")
    main = page.locator("main").inner_text()
    assert re.search("Réservation confirmée pour Léa : \\w+ \\d+ \\w+, 9\u00a0h\u00a000 – 12\u00a0h\u00a000", main)
    assert "Non lue" in main  # in words, not by colour alone
    assert "Vous avez 1 notification non lue." in main
    assert menu_link(page).get_attribute("href") == "/notifications/"
    assert page.get_by_role("link", name="Notifications (1 non lue)").count() == 1  # what a screen reader says
    assert "(1" in menu_link(page).inner_text()
    assert page.locator("h1").count() == 1
    assert serious_violations(page) == []
    shoot(page, "notifications-non-lue")

    page.get_by_role("button", name=re.compile("^Marquer comme lue")).click()
    page.get_by_text("Notification marquée comme lue.").wait_for()
    assert "Non lue" not in page.locator("main").inner_text()
    assert "Toutes vos notifications sont lues." in page.locator("main").inner_text()
    assert menu_link(page).inner_text().strip() == "Notifications"
    assert serious_violations(page) == []
    shoot(page, "notifications-lue")

    page.goto("/famille/")
    assert menu_link(page).inner_text().strip() == "Notifications"  # on every page


def test_the_notifications_page_fits_a_phone_and_passes_axe_there(browser, stack, slot):
    context = browser.new_context(base_url=stack, viewport={"width": 360, "height": 740})
    page = context.new_page()
    register(page)
    add_child(page, name="Inès")
    book_in_our_slot(page)
    wait_for_notification(page, "Réservation confirmée pour Inès")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert serious_violations(page) == []
    shoot(page, "notifications-360px")
    context.close()


def test_a_visitor_is_asked_to_sign_in_first(page):
    page.goto("/notifications/")
    page.wait_for_url("**/connexion?suite=/notifications/")


def test_a_family_chooses_which_emails_it_receives_with_labelled_boxes_and_the_necessary_ones_listed(page):
    register(page)
    page.goto("/notifications/")
    reminders = page.get_by_role("checkbox", name="Rappels")
    confirmations = page.get_by_role("checkbox", name="Confirmations")
    assert reminders.is_checked() and confirmations.is_checked()  # every email until turned off
    assert page.get_by_role("checkbox", name=re.compile("honorabilité")).count() == 0  # a family holds none
    always = page.get_by_role("region", name="Toujours envoyés").inner_text()
    assert "Factures" in always and "Mot de passe et compte" in always
    assert serious_violations(page) == []

    confirmations.uncheck()
    page.get_by_role("button", name="Enregistrer mes choix").click()
    page.get_by_text("Vos choix d'emails sont enregistrés.").wait_for()
    assert not page.get_by_role("checkbox", name="Confirmations").is_checked()
    assert page.get_by_role("checkbox", name="Rappels").is_checked()
    shoot(page, "notifications-choix-emails")

    page.get_by_role("checkbox", name="Confirmations").check()
    page.get_by_role("button", name="Enregistrer mes choix").click()
    page.get_by_text("Vos choix d'emails sont enregistrés.").wait_for()
    assert page.get_by_role("checkbox", name="Confirmations").is_checked()


def test_the_email_choices_pass_axe_on_a_desktop_a_phone_and_at_200_percent(browser, stack):
    assert axe_at_every_viewport(browser, stack, {"choix-emails": "/notifications/"}, sign_in=register) == {}
