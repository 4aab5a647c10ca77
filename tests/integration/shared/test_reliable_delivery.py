"""Reliable delivery on the real RabbitMQ: outbox -> relay -> idempotent handlers -> retries -> DLQ."""

import json

import eventlet
from kombu import Connection
from nameko.testing.services import entrypoint_hook, entrypoint_waiter

from services.bookings import models as bookings_models
from services.bookings.service import BookingsService
from services.volunteers import models as volunteers_models
from services.volunteers.service import VolunteersService
from shared.events import new_event
from tests.factories import schedule_activity
from tests.integration import probe
from tests.support import wait_for


def opportunities():
    with volunteers_models.database.connection_context():
        return list(volunteers_models.Opportunity.select().dicts())


def outbox_rows():
    with bookings_models.database.connection_context():
        return list(bookings_models.Outbox.select().dicts())


def test_event_in_the_outbox_reaches_the_handler_of_another_service(container_factory, service_config):
    bookings = container_factory(BookingsService, service_config)
    volunteers = container_factory(VolunteersService, service_config)
    plain = container_factory(probe.PlainListener, service_config)
    for container in (bookings, volunteers, plain):
        container.start()

    with entrypoint_waiter(volunteers, "open_opportunity", timeout=10):
        activity = schedule_activity(bookings, title="Heure du conte")

    [opportunity] = opportunities()
    assert opportunity["activity_id"] == activity["id"]
    assert opportunity["title"] == "Heure du conte"
    # the relay marks the row once the broker confirmed it, which may come after the handler ran
    [row] = wait_for(lambda: [r for r in outbox_rows() if r["published_at"] is not None], message="published_at")
    # a plain nameko @event_handler got the same envelope: the relay speaks nameko's wire format
    wait_for(lambda: probe.PLAIN_RECEIVED, message="plain nameko handler")
    assert probe.PLAIN_RECEIVED[0]["event_id"] == row["event_id"]
    assert probe.PLAIN_RECEIVED[0]["payload"]["activity_id"] == activity["id"]


def test_the_same_event_delivered_twice_is_applied_once(container_factory, probe_config, publish_raw):
    container = container_factory(probe.ProbeService, probe_config)
    container.start()
    event = new_event("probe.thing_happened", {"thing_id": "t1"})

    with entrypoint_waiter(container, "apply_thing", timeout=10):
        publish_raw("probe.thing_happened", event)
    with entrypoint_waiter(container, "apply_thing", timeout=10) as result:
        publish_raw("probe.thing_happened", event)  # a redelivery: same event_id
    assert result.get() is None  # skipped as a duplicate, acked

    with probe.database.connection_context():
        assert [a["thing_id"] for a in probe.Applied.select().dicts()] == ["t1"]
        assert probe.Inbox.select().count() == 1


def test_events_committed_before_a_crash_are_published_after_restart(container_factory, service_config):
    volunteers = container_factory(VolunteersService, service_config)
    volunteers.start()
    # The crash between commit and publish: the relay never runs, then the process dies.
    crashed = container_factory(BookingsService, dict(service_config, OUTBOX_RELAY="off"))
    crashed.start()
    activity = schedule_activity(crashed)
    crashed.kill()
    [row] = outbox_rows()
    assert row["published_at"] is None
    assert opportunities() == []

    restarted = container_factory(BookingsService, service_config)
    with entrypoint_waiter(volunteers, "open_opportunity", timeout=10):
        restarted.start()  # the relay's first sweep finds the row

    assert [o["activity_id"] for o in opportunities()] == [activity["id"]]
    wait_for(lambda: outbox_rows()[0]["published_at"] is not None, message="published_at")  # marked after the confirm


def test_an_event_published_before_its_consumer_exists_is_kept_not_lost(container_factory, service_config):
    bookings = container_factory(BookingsService, service_config)
    bookings.start()  # declares every consumer's queue (shared/topology.py), and so does its relay's connection
    relay = next(ext.relay for ext in bookings.extensions if getattr(ext, "relay", None))
    wait_for(lambda: relay.publisher._producer is not None, message="the relay to connect")
    with Connection(service_config["AMQP_URI"]) as conn:  # then the broker loses its consumers' queues
        for consumer in ("volunteers.open_opportunity", "insights.record_activity_scheduled"):
            conn.default_channel.queue_delete(f"evt-bookings-activity_scheduled--{consumer}")
    activity = schedule_activity(bookings)  # no consumer's queue is bound: the broker returns it
    row = wait_for(lambda: [r for r in outbox_rows() if r["attempts"] >= 1], message="relay attempt")[0]
    assert row["published_at"] is None
    assert "unroutable" in row["last_error"]

    volunteers = container_factory(VolunteersService, service_config)
    with entrypoint_waiter(volunteers, "open_opportunity", timeout=15):
        volunteers.start()  # declares its queue; the relay's next attempt delivers
    assert [o["activity_id"] for o in opportunities()] == [activity["id"]]


def test_a_handler_that_always_fails_ends_in_the_dead_letter_queue(
    container_factory, probe_config, publish_raw, take_messages
):
    container = container_factory(probe.ProbeService, probe_config)
    container.start()
    event = new_event("probe.thing_failed", {"thing_id": "t2"})
    publish_raw("probe.thing_failed", event)

    dlq = "evt-probe-thing_failed--probe.always_fails.dlq"
    messages = wait_for(lambda: take_messages(dlq), timeout=15, message="dead letter")
    assert probe.FAILED_CALLS == [event["event_id"]] * probe_config["EVENT_MAX_ATTEMPTS"]
    [parked] = messages
    headers = parked["properties"]["headers"]
    assert headers["x-cocoon-reason"] == "failed"
    assert headers["x-cocoon-attempts"] == 3
    assert "this handler always fails" in headers["x-cocoon-error"]
    assert json.loads(parked["payload"])["event_id"] == event["event_id"]
    # parked, not looping: no further attempt, nothing waiting in the retry queue
    eventlet.sleep(0.5)
    assert len(probe.FAILED_CALLS) == 3
    assert take_messages("evt-probe-thing_failed--probe.always_fails.retry.100ms") == []


def test_an_invalid_event_goes_straight_to_the_dead_letter_queue(
    container_factory, probe_config, publish_raw, take_messages
):
    container = container_factory(probe.ProbeService, probe_config)
    container.start()
    broken = new_event("probe.thing_happened", {"thing_id": "t3"})
    del broken["payload"]["thing_id"]
    publish_raw("probe.thing_happened", broken)

    dlq = "evt-probe-thing_happened--probe.apply_thing.dlq"
    [parked] = wait_for(lambda: take_messages(dlq), message="dead letter")
    headers = parked["properties"]["headers"]
    assert headers["x-cocoon-reason"] == "invalid"
    assert "thing_id" in headers["x-cocoon-error"]
    with probe.database.connection_context():
        assert probe.Applied.select().count() == 0


def test_correlation_id_travels_from_rpc_call_through_the_outbox_to_the_handler(container_factory, probe_config):
    container = container_factory(probe.ProbeService, probe_config)
    container.start()
    with entrypoint_waiter(container, "apply_thing", timeout=10):
        with entrypoint_hook(container, "emit", context_data={"correlation_id": "req-42"}) as emit:
            envelope = emit("probe.thing_happened", "t4")
    assert envelope["correlation_id"] == "req-42"
    with probe.database.connection_context():
        [applied] = probe.Applied.select().dicts()
        assert applied["correlation_id"] == "req-42"
        assert probe.Outbox.get().correlation_id == "req-42"


def test_the_flow_works_the_same_on_postgresql(container_factory, service_config, postgres_databases):
    from shared import migrate

    config = dict(service_config)
    for component in ("bookings", "volunteers"):
        config[f"{component.upper()}_DATABASE_URL"] = url = postgres_databases()
        migrate.migrate(component, url)
    bookings = container_factory(BookingsService, config)
    volunteers = container_factory(VolunteersService, config)
    bookings.start()
    volunteers.start()
    with entrypoint_waiter(volunteers, "open_opportunity", timeout=10):
        activity = schedule_activity(bookings)
    assert [o["activity_id"] for o in opportunities()] == [activity["id"]]
    wait_for(lambda: outbox_rows()[0]["published_at"] is not None, message="published_at")  # marked after the confirm
