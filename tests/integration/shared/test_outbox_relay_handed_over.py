"""Rows handed over to the relay, on the real RabbitMQ and PostgreSQL: sent without waiting for
earlier confirms, each message's ack, nack or return read back; a confirm that never comes makes
them due again for the claims."""

import json

import eventlet
import pytest
from amqp.exceptions import MessageNacked
from kombu import Connection, Queue

from shared.confirmed_publisher import ConfirmedPublisher
from shared.events import new_event
from shared.outbox import record_event
from shared.outbox_relay import OutboxRelay
from shared.timeutil import db_now
from tests.integration import probe
from tests.integration.amqp_proxy import AmqpProxy
from tests.integration.shared.test_outbox_relay import PROBE_EXCHANGE, listener
from tests.support import wait_for

LEASE = 60


@pytest.fixture
def outbox(postgres_url):
    from shared.db import bind

    bind(probe.database, "probe", postgres_url)
    with probe.database.connection_context():
        probe.database.create_tables(probe.MODELS)
    return probe.Outbox


@pytest.fixture
def broker(rabbit_config):
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        yield conn


def handed_over(relay, count):
    """`count` rows recorded leased as a worker records them, committed, handed over."""
    with probe.database.connection_context():
        rows = [
            record_event(probe.Outbox, new_event("probe.thing_happened", {"thing_id": f"t{n}"}), lease_seconds=LEASE)
            for n in range(count)
        ]
    relay.take(rows)
    return [row.event_id for row in rows]


def row(event_id):
    with probe.database.connection_context():
        return probe.Outbox.get(probe.Outbox.event_id == event_id)


def event_ids_in(take_messages, queue):
    return [json.loads(message["payload"])["event_id"] for message in take_messages(queue, count=100)]


def test_sent_messages_are_settled_one_by_one_as_the_broker_acks_nacks_or_returns_them(broker, rabbit_config):
    Queue(
        "test-listener-full",
        exchange=PROBE_EXCHANGE,
        routing_key="thing_happened",
        durable=True,
        queue_arguments={"x-max-length": 1, "x-overflow": "reject-publish"},
    )(broker.channel()).declare()
    publisher = ConfirmedPublisher(rabbit_config["AMQP_URI"])
    try:

        def message(n, routing_key):
            return dict(body={"n": n}, exchange=PROBE_EXCHANGE, routing_key=routing_key, headers={}, message_id=f"m{n}")

        first = publisher.send([message(1, "thing_happened"), message(2, "nobody_listens")])
        second = publisher.send([message(3, "thing_happened")])  # before the first two are confirmed
        waiting = dict(zip(first + second, ["m1", "m2", "m3"], strict=True))
        outcomes = {}

        def read():
            publisher.read_confirms(1)
            for tag, outcome in publisher.settled(waiting, publisher.generation).items():
                outcomes[tag] = outcome
                del waiting[tag]
            return not waiting

        wait_for(read, message="three confirms")
        assert [outcomes[tag] for tag in first] == [True, False]
        assert isinstance(outcomes[second[0]], MessageNacked)

        unconfirmed = publisher.send([message(4, "thing_happened")])
        sent_on = publisher.generation
        publisher.discard()  # dropped before its confirm
        assert publisher.send([message(5, "nobody_listens")]) == [1]  # a new connection numbers from 1 again
        with pytest.raises(ConnectionError):
            publisher.settled(dict.fromkeys(unconfirmed, "m4"), sent_on)
    finally:
        publisher.close()


def test_a_running_relay_publishes_what_it_is_handed_and_marks_it(outbox, broker, rabbit_config, take_messages):
    queue = listener(broker)
    relay = OutboxRelay(probe.Outbox, rabbit_config["AMQP_URI"], sweep_seconds=600)
    runner = eventlet.spawn(relay.run)
    try:
        event_ids = handed_over(relay, 3) + handed_over(relay, 2)
        wait_for(lambda: all(row(e).published_at is not None for e in event_ids), message="all marked published")
    finally:
        relay.stop()
        runner.wait()
    assert sorted(event_ids_in(take_messages, queue)) == sorted(event_ids)  # each once
    assert all(row(e).attempts == 1 for e in event_ids)


def test_handed_over_rows_whose_confirm_never_comes_are_due_again_and_published_by_a_claim(
    outbox, broker, rabbit_config, take_messages
):
    queue = listener(broker)
    proxy = AmqpProxy(swallow_confirms=True).start()
    try:
        stalled = OutboxRelay(probe.Outbox, proxy.uri(rabbit_config["AMQP_URI"]), confirm_timeout=0.5, lease_seconds=30)
        event_ids = handed_over(stalled, 2)
        with eventlet.Timeout(20, AssertionError("no confirm timeout: the relay waited for ever")):
            with pytest.raises(TimeoutError):
                while True:
                    stalled.publish_handed_over(wait=0.1)
    finally:
        proxy.close()
    assert all(row(e).published_at is None and row(e).next_attempt_at <= db_now() for e in event_ids)

    OutboxRelay(probe.Outbox, rabbit_config["AMQP_URI"]).publish_pending()
    assert all(row(e).published_at is not None for e in event_ids)
    delivered = event_ids_in(take_messages, queue)
    assert all(delivered.count(e) == 2 for e in event_ids)  # routed twice: at least once, the inbox absorbs it
