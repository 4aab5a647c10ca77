"""Fixtures of the bookings integration tests: the service running, and staff signed in to the API."""

import pytest

from services.bookings.service import BookingsService
from tests.api import STAFF
from tests.staff_on_duty import seed_staff


@pytest.fixture
def small_creche(monkeypatch):
    """A crèche of 3 authorised places: ceil(3 x 20 %) = 1 place reserved for AVIP children, all of
    it kept by a 3-place slot. Ask for it before the fixtures that start the service."""
    monkeypatch.setenv("COCOON_CRECHE_PLACES", "3")


@pytest.fixture
def bookings(container_factory, service_config):
    """The bookings service on this test's vhost and databases (a test file may define its own),
    knowing two cleared professionals who may lead an activity with children (tests/staff_on_duty.py)."""
    container = container_factory(BookingsService, service_config)
    container.start()
    seed_staff(container)
    return container


@pytest.fixture
def staff(api, bookings):
    """The API as the bootstrap staff account sees it, with bookings running."""
    return api.signed_in(STAFF)
