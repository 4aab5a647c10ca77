"""The broker goes away and comes back (`rabbitmqctl stop_app` / `start_app`) while bookings,
volunteer sign-ups and hour logs keep coming: every command a client got accepted has its effect,
once, in every service that should see it."""

import time

import pytest

from tests.reliability.broker import wait_until_down
from tests.reliability.flow import Flow, dead_letters, prepare, settled

pytestmark = pytest.mark.proof

# Enough rounds that the flow is still sending while the broker goes away: on an idle machine a
# round takes well under a second, and 12 rounds once all ended before `stop_app` did.
ROUNDS = 30


def test_a_broker_restart_under_a_steady_flow_loses_and_doubles_nothing(stack, broker_up):
    venue = prepare(stack.base_url, ROUNDS, amqp=stack.broker.uri_of(stack.vhost))
    flow = Flow(venue, ROUNDS).start()
    flow.wait_rounds(2)
    failures_before = flow.attempts.unanswered + flow.attempts.unavailable

    broker_up.stop_app()
    wait_until_down(broker_up)
    time.sleep(3)  # clients keep sending meanwhile: their commands are refused or wait, never lost
    broker_up.start_app()

    flow.finish()
    # the clients felt the outage (else this test proved nothing about it)
    assert flow.attempts.unanswered + flow.attempts.unavailable > failures_before
    settled(stack, broker_up, flow)
    assert dead_letters(broker_up) == {}
