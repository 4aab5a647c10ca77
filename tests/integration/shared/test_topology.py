"""Every consumer's queue exists before its producer publishes, on the real broker.

`bookings.activity_cancelled` has three consumers (notifications, placements, volunteers). With
volunteers' queue deleted (a broker that lost its definitions while volunteers was down, a
consumer deployed after the producer), the event was routed to the two others, marked published,
and never reached volunteers. Now every service declares the whole catalogue when it starts, and
its outbox relay again on each new connection; `cocoon topology check` and /readyz say what is missing.
"""

import json

import pytest
from kombu import Connection

from services.bookings import models
from services.bookings.service import BookingsService
from shared import topology
from shared.operator import cli
from shared.outbox_relay import OutboxRelay
from tests.factories import schedule_activity
from tests.support import call, wait_for

VOLUNTEERS_QUEUE = "evt-bookings-activity_cancelled--volunteers.close_opportunity"


@pytest.fixture
def api_uri(request):
    return request.config.getoption("RABBIT_API_URI")


def delete_queue(amqp_uri, name):
    with Connection(amqp_uri) as conn:
        conn.default_channel.queue_delete(name)


def queue_exists(amqp_uri, name):
    with Connection(amqp_uri) as conn:
        try:
            conn.channel().queue_declare(name, passive=True)
            return True
        except Exception:  # NotFound: the broker closed that channel
            return False


def unsettled():
    m = models.Outbox
    with models.database.connection_context():
        return m.select().where(m.published_at.is_null(), m.unconsumed_at.is_null()).count()


def cancelled_events(take_messages, queue):
    return [json.loads(m["payload"])["type"] for m in take_messages(queue, count=10)]


def cancel_an_activity(bookings):
    activity = schedule_activity(bookings)
    call(bookings, "cancel_activity", activity["id"], {"reason": "Intervenante malade"})


def test_the_producer_declares_a_deleted_consumer_queue_at_its_start_and_the_event_reaches_it(
    container_factory, service_config, take_messages
):
    amqp_uri = service_config["AMQP_URI"]
    topology.declare_all(amqp_uri, service_config["EVENT_RETRY_DELAY_MS"])  # make migrate ran
    delete_queue(amqp_uri, VOLUNTEERS_QUEUE)  # then volunteers' queue was lost

    # Only the producer (volunteers is still down), its relay off: its start alone must declare the queue.
    bookings = container_factory(BookingsService, dict(service_config, OUTBOX_RELAY="off"))
    bookings.start()
    assert queue_exists(amqp_uri, VOLUNTEERS_QUEUE)
    cancel_an_activity(bookings)
    relay = OutboxRelay(models.Outbox, amqp_uri)  # a relay that declares nothing itself
    try:
        relay.publish_pending()
    finally:
        relay.publisher.close()
    assert unsettled() == 0
    assert cancelled_events(take_messages, VOLUNTEERS_QUEUE) == ["bookings.activity_cancelled"]


def test_the_relay_declares_the_catalogue_again_on_each_new_connection(
    container_factory, service_config, take_messages
):
    amqp_uri = service_config["AMQP_URI"]
    bookings = container_factory(BookingsService, service_config)
    bookings.start()
    cancel_an_activity(bookings)
    wait_for(lambda: unsettled() == 0, timeout=15, message="the relay to publish")
    take_messages(VOLUNTEERS_QUEUE)

    delete_queue(amqp_uri, VOLUNTEERS_QUEUE)  # the broker lost it while bookings kept running
    relay = next(ext for ext in bookings.extensions if getattr(ext, "relay", None)).relay
    relay.publisher.discard()  # its connection dropped (a broker restart does that)
    cancel_an_activity(bookings)
    wait_for(lambda: unsettled() == 0, timeout=15, message="the relay to publish")
    assert cancelled_events(take_messages, VOLUNTEERS_QUEUE) == ["bookings.activity_cancelled"]


def test_topology_check_lists_a_missing_binding_and_exits_1(rabbit_config, service_config, api_uri, capsys):
    amqp_uri = rabbit_config["AMQP_URI"]
    topology.declare_all(amqp_uri, service_config["EVENT_RETRY_DELAY_MS"])
    check = ["topology", "check", "--amqp-uri", amqp_uri, "--api-uri", api_uri, "--json"]
    capsys.readouterr()
    assert cli.main(check) == 0
    assert json.loads(capsys.readouterr().out)["missing"] == []

    with Connection(amqp_uri) as conn:
        channel = conn.default_channel
        channel.queue_unbind(VOLUNTEERS_QUEUE, exchange="bookings.events", routing_key="activity_cancelled")
    assert cli.main(check) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["missing"] == [
        {"exchange": "bookings.events", "queue": VOLUNTEERS_QUEUE, "routing_key": "activity_cancelled"}
    ]
    assert report["expected"] == len(topology.handler_queues())

    delete_queue(amqp_uri, "evt-bookings-activity_scheduled--volunteers.open_opportunity")
    assert cli.main(check[:-1]) == 1
    out = capsys.readouterr().out
    assert "2 bindings missing" in out and "evt-bookings-activity_scheduled--volunteers.open_opportunity" in out


def test_readyz_is_degraded_while_a_binding_is_missing(rabbit_config, service_config, client):
    topology.declare_all(rabbit_config["AMQP_URI"], service_config["EVENT_RETRY_DELAY_MS"])
    assert client.get("/readyz").json["checks"]["topology"] == "ok"
    delete_queue(rabbit_config["AMQP_URI"], VOLUNTEERS_QUEUE)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "topology" in response.json["failed"]
    assert response.json["checks"]["topology"] == f"1 binding(s) missing: {VOLUNTEERS_QUEUE}"
