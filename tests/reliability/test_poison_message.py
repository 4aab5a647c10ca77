"""Malformed events published to a consumer's queue mid-flow (an envelope off its contract, bytes
that are not JSON, a body with no content type) are dead-lettered with their reason, and the
events behind them are still applied: the flow's effects all end up once."""

import json

import pytest

from tests.reliability.flow import Flow, dead_letters, handler_queues, prepare, settled
from tests.support import wait_for

pytestmark = pytest.mark.proof

ROUNDS = 8
# Every service that consumes the event gets its own copy of each poison message (notifications
# and insights today): each must dead-letter all three.
DEAD_LETTER_QUEUES = sorted(
    dead for queue, _, dead in handler_queues() if queue.startswith("evt-bookings-booking_confirmed--")
)
POISON = [
    (json.dumps({"type": "bookings.booking_confirmed", "payload": {"booking_id": 42}}).encode(), "application/json"),
    (b"{not json at all", "application/json"),
    (b"\xff\xfe no content type", None),
]


def test_poison_messages_are_dead_lettered_and_the_flow_goes_on(stack, broker_up):
    venue = prepare(stack.base_url, ROUNDS, amqp=stack.broker.uri_of(stack.vhost))
    flow = Flow(venue, ROUNDS).start()
    flow.wait_rounds(3)
    for body, content_type in POISON:  # on the exchange, as a producer would: routed to each consumer's queue
        broker_up.publish_bytes("bookings.events", "booking_confirmed", body, content_type)

    flow.finish()
    settled(stack, broker_up, flow)
    expected = {dead: len(POISON) for dead in DEAD_LETTER_QUEUES}
    assert len(expected) >= 2  # notifications and insights: a copy each
    wait_for(lambda: dead_letters(broker_up) == expected, timeout=30, message=f"3 dead letters in each of {expected}")
    for dead in DEAD_LETTER_QUEUES:
        parked = broker_up.take(dead)
        assert sorted(headers["x-cocoon-reason"] for headers, _ in parked) == [
            "invalid",
            "no_content_type",
            "undecodable",
        ]
        assert sorted(body for _, body in parked) == sorted(body for body, _ in POISON)
    assert dead_letters(broker_up) == {}
