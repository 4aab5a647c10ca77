"""Messages a consumer cannot use, and side queues that vanished, on the real RabbitMQ.

- a body that cannot be decoded, or has no content type, is parked in the handler's DLQ with its
  raw bytes (kombu's default would ack and drop it);
- a retry or dead-letter queue deleted by hand is declared again, and a park or retry that
  keeps failing backs off instead of requeueing in a hot loop.
"""

import base64
import functools

import amqp
import eventlet
import pytest
import requests
from kombu import Connection
from peewee import ForeignKeyField, Model

from shared.events import new_event
from shared.handlers import on_event
from shared.unit_of_work import UnitOfWork
from tests.integration import probe
from tests.support import wait_for

HAPPENED_QUEUE = "evt-probe-thing_happened--probe.apply_thing"
FAILED_QUEUE = "evt-probe-thing_failed--probe.always_fails"


class Orphan(Model):
    """A row whose foreign key is checked only at COMMIT (deferred): the commit itself fails."""

    applied = ForeignKeyField(probe.Applied)

    class Meta:
        database = probe.database


class CommitFailsService:
    name = "commit_probe"
    uow = UnitOfWork(probe.database, "probe", probe.Outbox, probe.Inbox)

    @on_event("probe.thing_happened")
    def apply_then_fail_at_commit(self, event):
        probe.database.execute_sql("PRAGMA defer_foreign_keys = ON")  # for this transaction only
        probe.Applied.create(event_id=event["event_id"], thing_id=event["payload"]["thing_id"])
        Orphan.create(applied=999_999)


@pytest.fixture
def publish_bytes(rabbit_config):
    """Publish exactly these bytes on `probe.events` (no serializer: the content type is what we say, or none)."""

    def publish(routing_key, body, content_type=None, content_encoding=None):
        properties = {"delivery_mode": 2}
        if content_type:
            properties["content_type"] = content_type
        if content_encoding:
            properties["content_encoding"] = content_encoding
        with Connection(rabbit_config["AMQP_URI"]) as conn:
            channel = conn.default_channel
            channel.exchange_declare("probe.events", "topic", durable=True, auto_delete=False)
            channel.basic_publish(amqp.Message(body, **properties), exchange="probe.events", routing_key=routing_key)

    return publish


@pytest.fixture
def delete_queue(rabbit_manager, rabbit_config):
    """Delete a queue of this test's vhost through the management API, as an operator would by hand."""
    return lambda name: rabbit_manager._delete("queues", rabbit_config["vhost"], name)


@pytest.fixture
def take_parked(take_messages):
    """Take messages from a queue that may not exist (yet): a deleted DLQ is declared again on use."""

    def take(queue):
        try:
            return take_messages(queue)
        except requests.HTTPError as exc:
            if exc.response.status_code == 404:
                return []
            raise

    return take


def raw_payload(parked):
    """The parked message's body as bytes (the management API sends non-UTF-8 bodies in base64)."""
    if parked["payload_encoding"] == "base64":
        return base64.b64decode(parked["payload"])
    return parked["payload"].encode()


def side_publishes(container, method_name):
    """Count the retry/DLQ publishes a handler attempts (the real publisher is still called)."""
    [entrypoint] = [ep for ep in container.entrypoints if ep.method_name == method_name]
    calls = []
    real_publish = entrypoint.publisher.publish

    @functools.wraps(real_publish)
    def counting_publish(*args, **kwargs):
        calls.append(kwargs.get("routing_key"))
        return real_publish(*args, **kwargs)

    entrypoint.publisher.publish = counting_publish
    return calls


def test_an_undecodable_body_is_parked_with_its_raw_bytes_and_the_reason(
    container_factory, probe_config, publish_bytes, take_messages
):
    container = container_factory(probe.ProbeService, probe_config)
    container.start()
    body = b"\xff{not json"
    publish_bytes("thing_happened", body, content_type="application/json", content_encoding="utf-8")

    [parked] = wait_for(lambda: take_messages(f"{HAPPENED_QUEUE}.dlq"), message="dead letter")
    assert raw_payload(parked) == body
    properties = parked["properties"]
    assert properties["content_type"] == "application/json"  # a replay decodes it as the sender meant
    headers = properties["headers"]
    assert headers["x-cocoon-reason"] == "undecodable"
    assert "DecodeError" in headers["x-cocoon-error"]
    assert headers["x-cocoon-queue"] == HAPPENED_QUEUE
    assert headers["x-cocoon-handler"] == "probe.apply_thing"
    assert headers["x-cocoon-original-exchange"] == "probe.events"
    assert headers["x-cocoon-original-routing-key"] == "thing_happened"
    container.stop()  # an unacked message would go back to its queue now
    assert take_messages(HAPPENED_QUEUE) == []
    with probe.database.connection_context():
        assert probe.Applied.select().count() == 0


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(None, id="a valid envelope"),
        pytest.param(b"\xff\xfe binary", id="bytes that are not UTF-8"),
    ],
)
def test_a_body_without_content_type_is_parked_with_its_raw_bytes(
    container_factory, probe_config, publish_bytes, take_messages, body
):
    import json

    container = container_factory(probe.ProbeService, probe_config)
    container.start()
    body = body or json.dumps(new_event("probe.thing_happened", {"thing_id": "t1"})).encode()
    publish_bytes("thing_happened", body)

    [parked] = wait_for(lambda: take_messages(f"{HAPPENED_QUEUE}.dlq"), message="dead letter")
    assert raw_payload(parked) == body
    headers = parked["properties"]["headers"]
    assert headers["x-cocoon-reason"] == "no_content_type"
    assert headers["x-cocoon-original-content-type"] == ""
    assert headers["x-cocoon-queue"] == HAPPENED_QUEUE
    assert headers["x-cocoon-handler"] == "probe.apply_thing"
    assert headers["x-cocoon-original-routing-key"] == "thing_happened"
    with probe.database.connection_context():
        assert probe.Applied.select().count() == 0


def test_a_deleted_dead_letter_queue_is_declared_again_for_an_invalid_event(
    container_factory, probe_config, publish_raw, take_parked, delete_queue
):
    container = container_factory(probe.ProbeService, probe_config)
    container.start()
    publishes = side_publishes(container, "apply_thing")
    delete_queue(f"{HAPPENED_QUEUE}.dlq")
    broken = new_event("probe.thing_happened", {"thing_id": "t3"})
    del broken["payload"]["thing_id"]
    publish_raw("probe.thing_happened", broken)

    [parked] = wait_for(lambda: take_parked(f"{HAPPENED_QUEUE}.dlq"), message="dead letter")
    assert parked["properties"]["headers"]["x-cocoon-reason"] == "invalid"
    eventlet.sleep(0.5)  # a hot requeue loop would keep publishing meanwhile
    assert publishes == [f"{HAPPENED_QUEUE}.dlq"] * 2  # unroutable, queues declared again, confirmed


def test_deleted_retry_and_dead_letter_queues_are_declared_again_for_a_failing_handler(
    container_factory, probe_config, publish_raw, take_parked, delete_queue
):
    container = container_factory(probe.ProbeService, probe_config)
    container.start()
    delete_queue(f"{FAILED_QUEUE}.retry.100ms")
    delete_queue(f"{FAILED_QUEUE}.dlq")
    event = new_event("probe.thing_failed", {"thing_id": "t2"})
    publish_raw("probe.thing_failed", event)

    [parked] = wait_for(lambda: take_parked(f"{FAILED_QUEUE}.dlq"), timeout=15, message="dead letter")
    headers = parked["properties"]["headers"]
    assert headers["x-cocoon-reason"] == "failed"
    assert headers["x-cocoon-attempts"] == probe_config["EVENT_MAX_ATTEMPTS"]
    eventlet.sleep(0.5)
    # the handler ran once per attempt: the missing retry queue did not make it loop
    assert probe.FAILED_CALLS == [event["event_id"]] * probe_config["EVENT_MAX_ATTEMPTS"]


def test_a_park_that_keeps_failing_backs_off_instead_of_looping_then_recovers(
    container_factory, probe_config, publish_raw, take_parked, delete_queue, rabbit_manager, rabbit_config, caplog
):
    config = dict(probe_config, EVENT_REQUEUE_BACKOFF_SECONDS=0.2, EVENT_REQUEUE_BACKOFF_MAX_SECONDS=0.4)
    container = container_factory(probe.ProbeService, config)
    container.start()
    publishes = side_publishes(container, "apply_thing")
    vhost, user = rabbit_config["vhost"], rabbit_config["username"]
    # the DLQ is gone and may not be declared again (e.g. definitions lost, permissions narrowed)
    delete_queue(f"{HAPPENED_QUEUE}.dlq")
    rabbit_manager.set_vhost_permissions(vhost, user, r"^(?!.*\.dlq$).*", ".*", ".*")
    broken = new_event("probe.thing_happened", {"thing_id": "t5"})
    del broken["payload"]["thing_id"]
    publish_raw("probe.thing_happened", broken)

    wait_for(lambda: len(publishes) >= 3, message="a few park attempts")  # the delay has reached its cap
    before = len(publishes)
    eventlet.sleep(1.0)
    # one try per 0.4 s now: two or three in that second, where a requeue loop makes dozens or hundreds
    assert len(publishes) - before <= 4
    backoff_lines = [r for r in caplog.records if "backing off" in r.getMessage()]
    assert 1 <= len(backoff_lines) <= 3  # logged when the delay grows, not once per attempt

    rabbit_manager.set_vhost_permissions(vhost, user, ".*", ".*", ".*")
    [parked] = wait_for(lambda: take_parked(f"{HAPPENED_QUEUE}.dlq"), message="dead letter after recovery")
    assert parked["properties"]["headers"]["x-cocoon-reason"] == "invalid"


def test_an_event_whose_commit_fails_is_not_acked_but_retried_then_parked(
    container_factory, probe_config, publish_raw, take_messages
):
    with probe.database.connection_context():
        probe.database.create_tables([Orphan])
    container = container_factory(CommitFailsService, probe_config)
    container.start()
    event = new_event("probe.thing_happened", {"thing_id": "t6"})
    publish_raw("probe.thing_happened", event)

    queue = "evt-probe-thing_happened--commit_probe.apply_then_fail_at_commit"
    [parked] = wait_for(lambda: take_messages(f"{queue}.dlq"), timeout=15, message="dead letter")
    headers = parked["properties"]["headers"]
    assert headers["x-cocoon-reason"] == "failed"
    assert headers["x-cocoon-attempts"] == probe_config["EVENT_MAX_ATTEMPTS"]
    assert "FOREIGN KEY constraint failed" in headers["x-cocoon-error"]
    with probe.database.connection_context():  # every attempt rolled back, inbox mark included
        assert probe.Applied.select().count() == 0
        assert probe.Inbox.select().count() == 0
