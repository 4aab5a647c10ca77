"""Malformed events published to a consumer's queue mid-flow (an envelope off its contract, bytes
that are not JSON, a body with no content type) are dead-lettered with their reason, and the
events behind them are still applied: the flow's effects all end up once."""

import json

import pytest

from tests.reliability.flow import Flow, dead_letters, prepare, settled
from tests.support import wait_for

pytestmark = pytest.mark.proof

ROUNDS = 8
QUEUE = "evt-bookings-booking_confirmed--notifications.notify_booking_confirmed"
POISON = [
    (json.dumps({"type": "bookings.booking_confirmed", "payload": {"booking_id": 42}}).encode(), "application/json"),
    (b"{not json at all", "application/json"),
    (b"\xff\xfe no content type", None),
]


def test_poison_messages_are_dead_lettered_and_the_flow_goes_on(stack, broker_up):
    venue = prepare(stack.base_url, ROUNDS, amqp=stack.broker.uri_of(stack.vhost))
    flow = Flow(venue, ROUNDS).start()
    flow.wait_rounds(3)
    for body, content_type in POISON:  # on the exchange, as a producer would: routed to notifications' queue
        broker_up.publish_bytes("bookings.events", "booking_confirmed", body, content_type)

    flow.finish()
    settled(stack, broker_up, flow)
    wait_for(lambda: dead_letters(broker_up) == {f"{QUEUE}.dlq": len(POISON)}, timeout=30, message="3 dead letters")
    parked = broker_up.take(f"{QUEUE}.dlq")
    assert sorted(headers["x-cocoon-reason"] for headers, _ in parked) == ["invalid", "no_content_type", "undecodable"]
    assert sorted(body for _, body in parked) == sorted(body for body, _ in POISON)
    assert dead_letters(broker_up) == {}
