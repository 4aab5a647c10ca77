"""X-Request-ID through the gateway, with bookings on PostgreSQL: an id that is too long is
replaced, the write succeeds and its event is delivered under the new id."""

import pytest

from services.bookings import models as bookings_models
from services.bookings.service import BookingsService
from services.volunteers import models as volunteers_models
from services.volunteers.service import VolunteersService
from shared import logs
from tests.api import STAFF
from tests.factories import activity_fields, room_fields
from tests.staff_on_duty import seed_staff
from tests.support import wait_for


@pytest.fixture
def bookings_on_postgres(start_on_postgres, container_factory, service_config):
    seed_staff(start_on_postgres(BookingsService))  # the activities' leads, as team tells bookings
    container_factory(VolunteersService, service_config).start()  # in this process: models read their databases


def test_a_200_character_request_id_is_replaced_and_the_write_and_its_event_go_through(bookings_on_postgres, api):
    staff = api.signed_in(STAFF)
    room = staff.created("/api/v1/rooms", room_fields())
    sent = "r" * 200
    response = staff.post("/api/v1/activities", json=activity_fields(room["id"]), headers={"X-Request-ID": sent})
    assert response.status_code == 201, response.json
    echoed = response.headers["X-Request-ID"]
    assert echoed != sent and logs.SAFE_CORRELATION_ID.fullmatch(echoed)

    with bookings_models.database.connection_context():
        [event] = list(
            bookings_models.Outbox.select().where(bookings_models.Outbox.event_type == "bookings.activity_scheduled")
        )
    assert event.correlation_id == echoed

    def delivered():
        with volunteers_models.database.connection_context():
            return volunteers_models.Opportunity.get_or_none(
                volunteers_models.Opportunity.activity_id == response.json["id"]
            )

    wait_for(delivered, message="the activity_scheduled event at the volunteers service")


def test_a_safe_request_id_is_kept_from_the_gateway_to_the_event(bookings_on_postgres, api):
    staff = api.signed_in(STAFF)
    room = staff.created("/api/v1/rooms", room_fields())
    response = staff.post(
        "/api/v1/activities", json=activity_fields(room["id"]), headers={"X-Request-ID": "formulaire-activite.42"}
    )
    assert response.status_code == 201, response.json
    assert response.headers["X-Request-ID"] == "formulaire-activite.42"
    with bookings_models.database.connection_context():
        assert [e.correlation_id for e in bookings_models.Outbox.select()] == ["formulaire-activite.42"]
