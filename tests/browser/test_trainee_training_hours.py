"""A trainee's training session, as the attendance sheet records it (education.attendance_recorded
published on the stack's broker), in a real browser: « Mon stage » shows the training hours apart
from the on-site ones and marks the period as a training credited by the attendance sheet; a
correction to absent takes it back. Accessibility on a desktop, a phone and at 200 %."""

import json
import uuid
from datetime import timedelta
from urllib.parse import quote

import pytest
from kombu import Connection, Exchange

from shared.events import new_event
from tests.browser.conftest import serious_violations, shoot, sign_in_as
from tests.dates import moment, today
from tests.support import wait_for

PASSWORD = "un-stage-au-calme"
CREDITED = "formation suivie, créditée par la feuille d'émargement"


def placed_trainee(staff_api):
    """A trainee (a unique email) with a placement around the venue's today: (email, trainee id)."""
    email = f"stagiaire-{uuid.uuid4().hex[:10]}@example.fr"
    created = staff_api.created(
        "/api/v1/trainees",
        {
            "email": email,
            "password": PASSWORD,
            "first_name": "Inès",
            "last_name": "Garnier",
            "birth_date": "2001-03-14",
            "programme": "cap_aepe",
            "school": "Lycée Jean-Moulin",
        },
    )
    tutor = {
        "email": f"tuteur-{uuid.uuid4().hex[:10]}@example.fr",
        "password": PASSWORD,
        "first_name": "Marc",
        "last_name": "Dupuis",
    }
    tutor_id = staff_api.created("/api/v1/staff", tutor)["id"]
    staff_api.created(
        "/api/v1/placements",
        {
            "trainee_id": created["id"],
            "tutor_id": tutor_id,
            "starts_on": (today() - timedelta(days=10)).isoformat(),
            "ends_on": (today() + timedelta(days=60)).isoformat(),
            "required_hours": "70",
        },
    )
    return email, created["id"]


def record_attendance(vhost, trainee_id, revision, present, session_id):
    """What education publishes when staff tick the sheet: yesterday 9 h – 12 h 30 (3,5 h)."""
    day = today() - timedelta(days=1)
    event = new_event(
        "education.attendance_recorded",
        {
            "session_id": session_id,
            "title": "Premiers secours en crèche",
            "part_index": 0,
            "participant_kind": "trainee",
            "participant_id": trainee_id,
            "present": present,
            "starts_at": moment(9, day=day).isoformat(),
            "ends_at": moment(12, 30, day=day).isoformat(),
            "hours": "3.50",
            "revision": revision,
        },
    )
    exchange = Exchange("education.events", type="topic", durable=True)
    with Connection(f"amqp://guest:guest@127.0.0.1:5672/{quote(vhost, safe='')}") as conn:
        conn.Producer().publish(
            json.dumps(event),
            exchange=exchange,
            routing_key="attendance_recorded",
            declare=[exchange],
            content_type="application/json",
            content_encoding="utf-8",
        )


def sign_in(page, email):
    sign_in_as(page, email, PASSWORD, "/stagiaire/")


def reload_until(page, predicate, message):
    """Reload « Mon stage » until the event has been applied (the broker delivers it asynchronously)."""

    def shown():
        page.reload()
        text = page.locator("main").inner_text()
        return text if predicate(text) else None

    return wait_for(shown, timeout=15, interval=0.3, message=message)


def test_a_training_session_attended_shows_apart_from_the_placement_hours_and_a_correction_takes_it_back(
    page, staff_api, vhost
):
    email, trainee_id = placed_trainee(staff_api)
    session_id = f"session-{uuid.uuid4().hex[:10]}"
    record_attendance(vhost, trainee_id, 1, True, session_id)
    sign_in(page, email)

    text = reload_until(page, lambda text: CREDITED in text, "the training credited")
    assert "Heures de formation\n3,5 h" in text or "Heures de formation 3,5 h" in text, text
    assert "0 h validées sur 70 h" in text  # the training does not count toward the placement's hours
    assert "Formation « Premiers secours en crèche » (feuille d'émargement)" in text
    shoot(page, "stagiaire-formation-creditee")

    record_attendance(vhost, trainee_id, 2, False, session_id)  # staff corrected the sheet: absent
    text = reload_until(page, lambda text: CREDITED not in text, "the credit taken back")
    assert "Heures de formation" not in text
    shoot(page, "stagiaire-formation-retiree")


@pytest.mark.parametrize(
    "label, size, scale", [("", (1024, 800), 1), ("-360px", (360, 740), 1), ("-zoom200", (640, 400), 2)]
)
def test_the_page_with_a_training_credit_passes_axe_on_a_desktop_a_phone_and_at_200_percent(
    browser, stack, staff_api, vhost, label, size, scale
):
    email, trainee_id = placed_trainee(staff_api)
    record_attendance(vhost, trainee_id, 1, True, f"session-{uuid.uuid4().hex[:10]}")
    context = browser.new_context(
        base_url=stack, locale="fr-FR", viewport={"width": size[0], "height": size[1]}, device_scale_factor=scale
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, email)
    reload_until(page, lambda text: CREDITED in text, "the training credited")
    shoot(page, f"axe-stagiaire-formation{label}")
    assert serious_violations(page) == []
    assert page.locator("h1").count() == 1
    if label == "-360px":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()
