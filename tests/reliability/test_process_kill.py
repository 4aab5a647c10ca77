"""Service processes die by SIGKILL mid-flow (no chance to finish a command, ack a message or mark
an outbox row) and are started again, as the supervisor of `make run` does: bookings, which
produces most events, then notifications and volunteers, which consume them (volunteers also
produces the sign-ups bookings counts). Every accepted command's effect ends up once everywhere."""

import pytest

from tests.reliability.flow import Flow, dead_letters, prepare, settled

pytestmark = pytest.mark.proof

ROUNDS = 12


def test_producer_and_consumer_processes_killed_mid_flow_lose_and_double_nothing(stack, broker_up):
    venue = prepare(stack.base_url, ROUNDS, amqp=stack.broker.uri_of(stack.vhost))
    flow = Flow(venue, ROUNDS).start()

    flow.wait_rounds(2)
    assert stack.kill("bookings") == -9
    stack.start("bookings")

    flow.wait_rounds(5)
    assert stack.kill("notifications") == -9  # the booking notices wait in its queue meanwhile
    flow.wait_rounds(7)
    stack.start("notifications")
    assert stack.kill("volunteers") == -9
    stack.start("volunteers")

    flow.finish()
    settled(stack, broker_up, flow)
    assert dead_letters(broker_up) == {}
    assert all(process.poll() is None for process in stack.processes.values())  # nothing else died
