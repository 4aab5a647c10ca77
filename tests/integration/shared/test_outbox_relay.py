"""The outbox relay on the real RabbitMQ and PostgreSQL: consumed events are kept until their
queue exists, unconsumed ones are set aside quietly, one failing row neither repeats nor blocks
the others, a confirm that never comes times out; the backlog shows in health and /metrics;
`migrate` waits for the broker."""

import json
import logging
from datetime import timedelta

import eventlet
import pytest
from amqp.exceptions import MessageNacked
from kombu import Connection, Exchange, Queue

from services.bookings import models as bookings_models
from services.bookings.service import BookingsService
from shared import migrate, queues
from shared.confirmed_publisher import ConfirmedPublisher
from shared.db import bind
from shared.events import new_event
from shared.outbox import backlog, record_event
from shared.outbox_relay import OutboxRelay
from shared.timeutil import db_now
from tests.factories import schedule_activity
from tests.integration import probe
from tests.integration.amqp_proxy import AmqpProxy
from tests.support import call, wait_for

SCHEDULED = "bookings.activity_scheduled"  # consumed: volunteers.open_opportunity
ACTIVITY = {
    "activity_id": "a1",
    "title": "Heure du conte",
    "kind": "story_time",
    "room_id": "r1",
    "room_name": "Salle des Lucioles",
    "starts_at": "2026-12-01T09:00:00+01:00",
    "ends_at": "2026-12-01T10:00:00+01:00",
    "children_capacity": 8,
    "volunteer_slots": 2,
    "trainee_slots": 1,
}
UNCONSUMED = "probe.thing_happened"  # no service of shared.topology consumes it (only the test probe)
PROBE_EXCHANGE = Exchange("probe.events", type="topic", durable=True)


@pytest.fixture
def outbox(postgres_url):
    bind(probe.database, "probe", postgres_url)
    with probe.database.connection_context():
        probe.database.create_tables(probe.MODELS)
    return probe.Outbox


@pytest.fixture
def broker(rabbit_config):
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        yield conn


def relay(rabbit_config, amqp_uri=None, **options):
    """A relay as a service runs it: consumed types read from shared.topology."""
    return OutboxRelay(probe.Outbox, amqp_uri or rabbit_config["AMQP_URI"], sweep_seconds=0.1, **options)


def record(event_type=UNCONSUMED, payload=None):
    with probe.database.connection_context():
        return record_event(probe.Outbox, new_event(event_type, payload or {"thing_id": "t"})).event_id


def insert_raw(event_type, body):
    """A row record_event would refuse: what a bug or a hand-edited row leaves behind."""
    with probe.database.connection_context():
        return probe.Outbox.create(
            event_id=f"00000000-0000-4000-8000-{len(body):012d}", event_type=event_type, correlation_id="c", body=body
        ).event_id


def row(event_id):
    with probe.database.connection_context():
        return probe.Outbox.get(probe.Outbox.event_id == event_id)


def make_all_due():
    with probe.database.connection_context():
        probe.Outbox.update(next_attempt_at=db_now() - timedelta(seconds=1)).where(
            probe.Outbox.published_at.is_null()
        ).execute()


def listener(broker, routing_key="thing_happened", exchange=PROBE_EXCHANGE):
    queue = Queue(f"test-listener-{routing_key}", exchange=exchange, routing_key=routing_key, durable=True)
    queue(broker.channel()).declare()
    return queue.name


def event_ids_in(take_messages, queue):
    return [json.loads(message["payload"])["event_id"] for message in take_messages(queue, count=100)]


# --- consumed or not ------------------------------------------------------------------------------
def test_a_consumed_event_whose_queue_is_missing_is_kept_and_delivered_once_the_queue_exists(
    outbox, broker, rabbit_config, take_messages
):
    event_id = record(SCHEDULED, ACTIVITY)
    the_relay = relay(rabbit_config)
    for _ in range(12):  # more tries than a relay that gave up after 10 would have made
        make_all_due()
        assert the_relay.publish_pending() == 1
    kept = row(event_id)
    assert (kept.attempts, kept.published_at, kept.unconsumed_at) == (12, None, None)
    assert "queue" in kept.last_error
    with probe.database.connection_context():
        assert backlog(outbox)["outbox_pending_by_type"] == {SCHEDULED: 1}

    queue = queues.event_queue("bookings", "activity_scheduled", "volunteers", "open_opportunity")
    queues.declare(broker.channel(), queue, 100)  # e.g. `make migrate` ran, or volunteers started
    make_all_due()
    assert the_relay.publish_pending() == 1
    assert row(event_id).published_at is not None
    assert event_ids_in(take_messages, queue.name) == [event_id]


def test_an_event_no_service_consumes_is_set_aside_without_an_error_line(outbox, rabbit_config, caplog):
    event_ids = [record() for _ in range(3)]
    the_relay = relay(rabbit_config)
    with caplog.at_level(logging.DEBUG):
        for _ in range(12):  # the old relay logged an ERROR per event on its 10th try
            make_all_due()
            the_relay.publish_pending()
    assert all(row(event_id).unconsumed_at is not None for event_id in event_ids)
    assert all(row(event_id).attempts == 1 for event_id in event_ids)  # set aside at its first return
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    with probe.database.connection_context():
        assert backlog(outbox)["outbox_pending"] == 0 and backlog(outbox)["outbox_unconsumed"] == 3


def test_events_of_types_already_returned_are_published_in_bulk_and_each_gets_its_own_outcome(
    outbox, broker, rabbit_config, take_messages
):
    def other(n):  # a second type no service consumes, with no queue at all
        event = new_event(UNCONSUMED, {"thing_id": f"o{n}"})
        with probe.database.connection_context():
            probe.Outbox.create(
                event_id=event["event_id"],
                event_type="probe.other_happened",
                correlation_id="c",
                body=json.dumps(event),
            )
        return event["event_id"]

    the_relay = relay(rabbit_config)
    first_thing, first_other = record(), other(0)
    the_relay.publish_pending()  # both returned: the relay now knows nobody consumes these types
    assert row(first_thing).unconsumed_at is not None and row(first_other).unconsumed_at is not None

    queue = listener(broker)  # a queue bound for one of them after all
    bulks = []
    publish_many = the_relay.publisher.publish_many
    the_relay.publisher.publish_many = lambda messages: bulks.append(len(messages)) or publish_many(messages)
    things, others = [], []
    for n in range(1, 4):
        things.append(record())
        others.append(other(n))
    assert the_relay.publish_pending() == 6

    assert bulks == [6]  # one wait for all six confirms
    assert all(row(e).published_at is not None and row(e).attempts == 1 for e in things)
    assert all(row(e).unconsumed_at is not None and row(e).published_at is None for e in others)
    assert sorted(event_ids_in(take_messages, queue)) == sorted(things)  # each once


def test_a_bulk_publish_reads_each_message_s_ack_nack_or_return_on_the_real_broker(broker, rabbit_config):
    # a queue that takes one message and refuses the others: the broker nacks them
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

        outcomes = publisher.publish_many(
            [message(1, "thing_happened"), message(2, "nobody_listens"), message(3, "thing_happened")]
        )
        assert outcomes[:2] == [True, False]
        assert isinstance(outcomes[2], MessageNacked)
        assert publisher.publish_many([message(4, "nobody_listens")]) == [False]  # the channel goes on
    finally:
        publisher.close()


# --- one row fails --------------------------------------------------------------------------------
def test_a_failing_row_neither_republishes_the_rows_before_it_nor_blocks_those_after(
    outbox, broker, rabbit_config, take_messages
):
    queue = listener(broker)
    # an exchange that refuses the relay's declaration: it exists with another type
    Exchange("refusing.events", type="direct", durable=True)(broker.channel()).declare()
    first = record()
    not_json = insert_raw(UNCONSUMED, "{not json")
    second = record()
    refused = insert_raw("refusing.thing_happened", json.dumps(new_event(UNCONSUMED, {"thing_id": "r"})))
    third = record()

    the_relay = relay(rabbit_config)
    assert the_relay.publish_pending() == 5
    make_all_due()  # the failing rows are tried again; the others are published already
    assert the_relay.publish_pending() == 2

    assert sorted(event_ids_in(take_messages, queue)) == sorted([first, second, third])  # each once
    assert "JSONDecodeError" in row(not_json).last_error
    assert "PRECONDITION_FAILED" in row(refused).last_error or "PreconditionFailed" in row(refused).last_error
    assert (row(not_json).attempts, row(refused).attempts) == (2, 2)
    assert row(not_json).published_at is None and row(refused).published_at is None


def test_a_publish_whose_confirm_never_comes_times_out_and_is_tried_again(outbox, broker, rabbit_config, take_messages):
    """The proxy forwards everything but the broker's basic.ack: without a confirm deadline the
    relay would wait forever (the guard below turns that into a failure)."""
    queue = listener(broker)
    first, second = record(), record()
    proxy = AmqpProxy(swallow_confirms=True).start()
    try:
        stalled = relay(rabbit_config, proxy.uri(rabbit_config["AMQP_URI"]), confirm_timeout=0.5, lease_seconds=30)
        with eventlet.Timeout(20, AssertionError("no confirm timeout: the relay waited for ever")):
            with pytest.raises(TimeoutError):
                stalled.publish_pending()
        assert proxy.swallowed == 1
    finally:
        proxy.close()
    assert row(first).published_at is None and row(first).attempts == 1
    assert "TimeoutError" in row(first).last_error
    assert row(second).attempts == 0 and row(second).next_attempt_at <= db_now()  # due again at once

    make_all_due()
    relay(rabbit_config).publish_pending()
    assert row(first).published_at is not None and row(second).published_at is not None
    delivered = event_ids_in(take_messages, queue)
    assert delivered.count(second) == 1
    assert delivered.count(first) == 2  # the broker had routed it: at least once, the inbox absorbs it


# --- health and metrics ---------------------------------------------------------------------------
def test_a_consumed_event_waiting_for_its_queue_shows_in_health_and_metrics(
    container_factory, service_config, client, broker
):
    bookings = container_factory(BookingsService, service_config)
    bookings.start()  # declares every consumer's queue (shared/topology.py)
    relay = next(ext.relay for ext in bookings.extensions if getattr(ext, "relay", None))
    wait_for(lambda: relay.publisher._producer is not None, message="the relay to connect (and declare them too)")
    for consumer in ("volunteers.open_opportunity", "insights.record_activity_scheduled"):  # every consumer's
        broker.default_channel.queue_delete(f"evt-bookings-activity_scheduled--{consumer}")  # queue, then lost
    schedule_activity(bookings)

    def tried():
        with bookings_models.database.connection_context():
            return bookings_models.Outbox.select().where(bookings_models.Outbox.attempts >= 2).exists()

    wait_for(tried, message="two tries of the unroutable event")  # volunteers' queue is missing

    state = call(bookings, "health")
    assert state["outbox_pending_by_type"] == {SCHEDULED: 1}
    assert state["outbox_oldest_pending_seconds"] > 0

    metrics = client.get("/metrics").get_data(as_text=True)
    assert f'cocoon_outbox_pending_events{{event_type="{SCHEDULED}",service="bookings"}} 1.0' in metrics
    assert 'cocoon_service_health_up{service="bookings"} 1.0' in metrics
    assert 'cocoon_service_health_up{service="volunteers"} 0.0' in metrics  # not running here


# --- migrate waits for the broker -----------------------------------------------------------------
def test_migrate_waits_for_a_broker_that_is_still_starting_then_declares_the_queues(rabbit_config, broker, monkeypatch):
    proxy = AmqpProxy()  # bound but not listening: connections are refused, like a broker still starting
    monkeypatch.setenv("AMQP_URI", proxy.uri(rabbit_config["AMQP_URI"]))
    eventlet.spawn_after(4.0, proxy.start)  # later than the one 2 s reconnection kombu makes by itself
    try:
        migrate.declare_queues(wait_seconds=30)
    finally:
        proxy.close()
    queue = queues.event_queue("bookings", "activity_scheduled", "volunteers", "open_opportunity")
    assert broker.channel().queue_declare(queue.name, passive=True).queue == queue.name
