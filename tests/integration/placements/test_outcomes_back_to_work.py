"""An outcome on the real broker: staff record that a job-seeking parent was hired, through the
gateway; placements publishes placements.outcome_recorded, bookings ends the family's job search
(the AVIP priority) from that day and publishes bookings.job_search_changed."""

import json

import pytest
from kombu import Connection, Exchange, Queue

from services.bookings.service import BookingsService
from tests.api import STAFF
from tests.dates import today
from tests.factories import sign_up_family
from tests.support import wait_for

DETAIL = "CDI d'auxiliaire de puériculture"


@pytest.fixture
def bookings(container_factory, service_config):
    container = container_factory(BookingsService, service_config)
    container.start()
    return container


@pytest.fixture
def job_search_changes(rabbit_config):
    """A queue of this test's vhost bound to bookings.job_search_changed, declared before the
    outcome is recorded; `take()` answers the envelopes received so far."""
    exchange = Exchange("bookings.events", type="topic", durable=True)
    queue = Queue("test.job_search_changed", exchange=exchange, routing_key="job_search_changed", durable=False)
    connection = Connection(rabbit_config["AMQP_URI"])
    bound = queue(connection.default_channel)
    bound.declare()
    received = []

    def take():
        while (message := bound.get(no_ack=True)) is not None:
            received.append(json.loads(message.body))
        return received

    yield take
    connection.release()


def test_a_hire_recorded_for_a_job_seeking_parent_ends_the_familys_job_search(
    api, bookings, placements, job_search_changes
):
    family, as_family = sign_up_family(api, job_seeker=True)
    assert family["job_seeker"] is True
    account_id = as_family.get("/api/v1/me").get_json()["id"]
    staff = api.signed_in(STAFF)  # the director: passes where the coordinator does
    hired_on = today().isoformat()

    recorded = staff.post(
        f"/api/v1/accounts/{account_id}/outcomes",
        json={"kind": "hired", "on": hired_on, "detail": DETAIL},
    )
    assert recorded.status_code == 201, recorded.get_json()
    assert recorded.get_json()["subjects"] == [{"role": "family", "id": family["id"]}]

    [changed] = wait_for(job_search_changes, message="bookings.job_search_changed on the broker")
    assert changed["payload"] == {
        "family_id": family["id"],
        "job_seeker": False,
        "changed_on": hired_on,
        "source": "outcome",
    }
    file = staff.get(f"/api/v1/families/{family['id']}").get_json()
    assert (file["job_seeker"], file["back_to_work_on"]) == (False, hired_on)
    listed = staff.get(f"/api/v1/accounts/{account_id}/outcomes").get_json()
    assert [(o["kind"], o["on"], o["detail"]) for o in listed] == [
        ("hired", hired_on, "CDI d'auxiliaire de puériculture")
    ]
