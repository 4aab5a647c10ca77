"""A trainee's attestation d'honorabilité through the gateway, on the real broker: staff record
it, placements.trainee_cleared is published on the placements' exchange; one verified too long
after its issue is refused (422) and publishes nothing."""

import json
from datetime import timedelta

import pytest
from kombu import Connection, Exchange, Queue

from tests.dates import DAY
from tests.integration.placements.conftest import TRAINEE
from tests.support import wait_for


@pytest.fixture
def listening(rabbit_config):
    """A queue of this test's vhost bound to placements.trainee_cleared, declared before the
    event is sent; `take()` answers the envelopes received so far."""
    exchange = Exchange("placements.events", type="topic", durable=True)
    queue = Queue("test.trainee_cleared", exchange=exchange, routing_key="trainee_cleared", durable=False)
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


def test_recording_a_trainees_attestation_publishes_trainee_cleared(staff, listening):
    trainee = staff.created("/api/v1/trainees", TRAINEE)
    assert (trainee["clearance_status"], trainee["cleared"]) == ("missing", False)
    issued, verified = DAY - timedelta(days=40), DAY - timedelta(days=2)
    answer = staff.post(
        f"/api/v1/trainees/{trainee['id']}/honorability",
        json={"issued_on": issued.isoformat(), "verified_on": verified.isoformat()},
    )
    assert answer.status_code == 201, answer.json
    expires = verified.replace(year=verified.year + 3) - timedelta(days=1)
    assert (answer.json["clearance_status"], answer.json["honorability_expires_on"]) == ("cleared", expires.isoformat())
    [event] = wait_for(listening, message="placements.trainee_cleared on the broker")
    assert event["type"] == "placements.trainee_cleared"
    assert event["payload"] == {
        "trainee_id": trainee["id"],
        "verified_on": verified.isoformat(),
        "expires_on": expires.isoformat(),
    }


def test_an_attestation_verified_more_than_six_months_after_its_issue_is_refused_and_publishes_nothing(
    staff, listening
):
    trainee = staff.created("/api/v1/trainees", TRAINEE)
    issued = DAY - timedelta(days=200)
    refused = staff.post(
        f"/api/v1/trainees/{trainee['id']}/honorability",
        json={"issued_on": issued.isoformat(), "verified_on": DAY.isoformat()},
    )
    assert refused.status_code == 422
    assert "moins de 6 mois" in refused.json["error"]["fields"]["verified_on"][0]
    assert listening() == []


def test_only_staff_record_an_attestation(api, staff, placed):
    trainee, as_trainee, _placement = placed
    body = {"issued_on": DAY.isoformat(), "verified_on": DAY.isoformat()}
    assert as_trainee.post(f"/api/v1/trainees/{trainee['id']}/honorability", json=body).status_code == 403
    assert as_trainee.get("/api/v1/trainees/me").json["clearance_status"] == "missing"
