"""The backfill on the real broker: insights asks the running bookings, placements, education and
volunteers services for their history once; a booking insights already logged live is not logged again (the same dedupe
key, derived from the booking), what only the history tells (the family looking for a job) is
added, and a second backfill asks nobody."""

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.education.service import EducationService
from services.insights import models
from services.insights.service import InsightsService
from services.placements.service import PlacementsService
from services.volunteers.service import VolunteersService
from tests.dates import at
from tests.factories import book, create_child, create_family, create_slot
from tests.integration.bookings.conftest import bookings  # noqa: F401 (the fixture)
from tests.support import call, wait_for


@pytest.fixture
def insights(container_factory, service_config):
    container = container_factory(InsightsService, service_config)
    container.start()
    return container


@pytest.fixture
def producers(container_factory, service_config):
    """placements, education and volunteers running too: the backfill asks each its history."""
    for service_class in (PlacementsService, EducationService, VolunteersService):
        container_factory(service_class, service_config).start()


def logged():
    with models.database.connection_context():
        return sorted((row.name, row.origin) for row in models.LoggedEvent.select())


def live():
    return [row for row in logged() if row[1] == "live"]


def test_the_backfill_adds_the_past_once_and_nothing_the_live_log_holds(
    bookings,  # noqa: F811
    producers,
    insights,
    service_config,
):
    family = create_family(bookings, job_seeker=True)
    child = create_child(bookings, family)
    booked = book(bookings, family, create_slot(bookings), child)
    assert booked["status"] == "confirmed"
    cancelled = book(bookings, family, create_slot(bookings, starts_at=at(14), ends_at=at(17)), child)
    call(bookings, "cancel_booking", cancelled["id"], family["id"])
    wait_for(lambda: len(live()) == 3, message="the live bookings logged")

    with ServiceRpcProxy("insights", service_config, timeout=30) as rpc:
        first = rpc.backfill()
        assert first["sources"] == {
            "bookings": 1,
            "placements": 0,
            "education": 0,
            "volunteers": 0,
        }  # the job search; the bookings were there
        assert live() == [
            ("bookings.booking_cancelled", "live"),
            ("bookings.booking_confirmed", "live"),
            ("bookings.booking_confirmed", "live"),
        ]
        assert ("bookings.job_search_changed", "backfill") in logged()
        assert rpc.backfill()["sources"] == {}
        summary = rpc.summary(None, None)
    assert summary["indicators"]["job_seeking_families_with_place"] == 1
