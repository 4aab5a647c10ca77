"""Fixtures of the education integration tests: the education service and the real bookings
service on this test's vhost and databases (the room saga goes through the broker both ways)."""

import pytest

from services.bookings.service import BookingsService
from services.education.service import EducationService
from tests.api import STAFF
from tests.dates import at
from tests.staff_on_duty import seed_staff
from tests.support import call, wait_for

COURSE = {
    "title": "Premiers secours petite enfance",
    "objectives": "Réagir face à un accident d'enfant",
    "audience": "Professionnels de la petite enfance",
    "duration_hours": "7",
    "trainer": "Claire Petit",
    "price": "120",
    "funding": ["opco", "cpf"],
    "certification_code": "RS5612",  # CPF needs one (L6323-6)
}
MORNING, AFTERNOON = (at(9), at(12, 30)), (at(13, 30), at(17))  # on DAY, 3.5 h each


@pytest.fixture
def education(container_factory, service_config):
    container = container_factory(EducationService, service_config)
    container.start()
    return container


@pytest.fixture
def bookings(container_factory, service_config):
    container = container_factory(BookingsService, service_config)
    container.start()
    seed_staff(container)  # the activities' leads, as the team service tells bookings
    return container


@pytest.fixture
def staff(api, education, bookings):
    return api.signed_in(STAFF)


def session_fields(course_id, room_id, parts=(MORNING, AFTERNOON), **overrides):
    return {
        "course_id": course_id,
        "room_id": room_id,
        "capacity": 2,
        "min_participants": 1,
        "parts": [{"starts_at": s, "ends_at": e} for s, e in parts],
        **overrides,
    }


def plan(education, room_id, **overrides):
    course = call(education, "create_course", COURSE)
    return call(education, "plan_session", session_fields(course["id"], room_id, **overrides))


def settled(education, session_id, status, timeout=15):
    """The session once its status is `status` (the room's answer came through the broker)."""
    return wait_for(
        lambda: (s := call(education, "get_session", session_id))["status"] == status and s,
        timeout=timeout,
        message=f"session {session_id} {status}",
    )
