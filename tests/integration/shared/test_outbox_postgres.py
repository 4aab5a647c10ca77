"""Two outbox relays on one PostgreSQL database, publishing to the real broker: each row goes out once."""

import json

import eventlet
from kombu import Connection, Exchange, Queue

from shared.db import bind, is_postgres
from shared.events import new_event
from shared.outbox import record_event
from shared.outbox_relay import OutboxRelay
from tests.integration import probe
from tests.support import wait_for

EVENTS = 200


def test_two_relays_share_the_rows_without_publishing_any_twice(postgres_url, rabbit_config):
    bind(probe.database, "probe", postgres_url)
    assert is_postgres(probe.database)
    with probe.database.connection_context():
        probe.database.create_tables(probe.MODELS)
        with probe.database.atomic():
            sent_ids = [
                record_event(probe.Outbox, new_event("probe.thing_happened", {"thing_id": str(i)})).event_id
                for i in range(EVENTS)
            ]

    exchange = Exchange("probe.events", type="topic", durable=True)
    queue = Queue("test-listener", exchange=exchange, routing_key="thing_happened", durable=True)
    received = []
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queue(conn.channel()).declare()  # bound before publishing: nothing is unroutable
        relays = [OutboxRelay(probe.Outbox, rabbit_config["AMQP_URI"], batch_size=20) for _ in range(2)]
        published = [0, 0]

        def drain(index):
            while True:
                n = relays[index].publish_pending()
                published[index] += n
                if n == 0:
                    return

        workers = [eventlet.spawn(drain, i) for i in range(2)]
        for worker in workers:
            worker.wait()

        with conn.Consumer(
            queue,
            callbacks=[
                lambda body, msg: (received.append(json.loads(body) if isinstance(body, str) else body), msg.ack())
            ],
        ):

            def all_received():
                try:
                    conn.drain_events(timeout=0.2)
                except TimeoutError:
                    pass
                return len(received) >= EVENTS

            wait_for(all_received, timeout=20, message=f"{EVENTS} events")

    ids = [event["event_id"] for event in received]
    assert sorted(ids) == sorted(sent_ids)  # every row once, none twice
    assert sum(published) == EVENTS
    assert all(published), f"both relays should have taken batches, got {published}"
    with probe.database.connection_context():
        assert probe.Outbox.select().where(probe.Outbox.published_at.is_null()).count() == 0
