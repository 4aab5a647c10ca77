"""Events that meet the service's own database down are not the events' fault, on the real broker
and PostgreSQL: they wait with growing delays (beyond EVENT_MAX_ATTEMPTS) and are applied once it
is back; only an outage longer than EVENT_DB_RETRY_SECONDS parks them, with the database's own
error. Parked events show in /metrics and make /readyz degraded.

Before: the volunteers database refusing connections for 20 s left 37 of 86 events in the
dead-letter queue, and nothing said so.
"""

import pytest
from kombu import Connection

from shared import topology
from shared.db import bind
from shared.events import new_event
from tests.integration import probe
from tests.integration.shared.test_database_failures import database_down
from tests.support import wait_for

QUEUE = "evt-probe-thing_happened--probe.apply_thing"
WAITING = "will retry after a growing delay"


@pytest.fixture
def probe_on_postgres(container_factory, rabbit_config, postgres_url):
    bind(probe.database, "probe", postgres_url)
    with probe.database.connection_context():
        probe.database.create_tables(probe.MODELS)

    def start(**config):
        container = container_factory(
            probe.ProbeService,
            {
                "AMQP_URI": rabbit_config["AMQP_URI"],
                "PROBE_DATABASE_URL": postgres_url,
                "OUTBOX_SWEEP_SECONDS": 0.5,
                "EVENT_MAX_ATTEMPTS": 2,  # an outage outlasts 2 attempts many times over
                "EVENT_RETRY_DELAY_MS": 100,
                "EVENT_DB_RETRY_MAX_DELAY_SECONDS": 0.4,
                **config,
            },
        )
        container.start()
        return container

    return start


def depth(amqp_uri, queue):
    with Connection(amqp_uri) as conn:
        return conn.default_channel.queue_declare(queue, passive=True).message_count


def applied():
    with probe.database.connection_context():
        return sorted(row.thing_id for row in probe.Applied.select())


def database_waits(caplog):
    return sum(WAITING in record.getMessage() for record in caplog.records)


def test_events_outlast_an_outage_longer_than_their_attempts_and_are_applied_once(
    probe_on_postgres, postgres_url, rabbit_config, publish_raw, caplog
):
    probe_on_postgres(EVENT_DB_RETRY_SECONDS=120)
    things = [f"pendant-la-panne-{n}" for n in range(6)]
    with database_down(postgres_url):
        for thing in things:
            publish_raw("probe.thing_happened", new_event("probe.thing_happened", {"thing_id": thing}))
        # 4 failures each, twice their 2 attempts
        wait_for(lambda: database_waits(caplog) >= 4 * len(things), timeout=30, message="24 waits for the database")
        assert depth(rabbit_config["AMQP_URI"], QUEUE + ".dlq") == 0
    wait_for(lambda: applied() == sorted(things), timeout=30, message="every event applied once the database is back")
    assert depth(rabbit_config["AMQP_URI"], QUEUE + ".dlq") == 0
    waits = [r for r in caplog.records if WAITING in r.getMessage()]
    assert all("OperationalError" in r.error for r in waits)  # the database's own error, logged as the cause


def test_an_outage_longer_than_the_setting_parks_the_event_with_the_databases_error(
    probe_on_postgres, postgres_url, rabbit_config, publish_raw, take_messages, caplog
):
    probe_on_postgres(EVENT_DB_RETRY_SECONDS=0.5)
    with database_down(postgres_url):
        publish_raw("probe.thing_happened", new_event("probe.thing_happened", {"thing_id": "trop-long"}))
        wait_for(lambda: depth(rabbit_config["AMQP_URI"], QUEUE + ".dlq") == 1, timeout=30, message="the event parked")
    assert database_waits(caplog) >= 2
    headers = take_messages(QUEUE + ".dlq")[0]["properties"]["headers"]
    assert headers["x-cocoon-reason"] == "database_unavailable"
    error = headers["x-cocoon-error"]  # the database's own error, not the Unavailable around it
    assert "OperationalError" in error and "is not currently accepting connections" in error
    assert applied() == []


def test_parked_events_show_in_metrics_and_make_readyz_degraded(rabbit_config, service_config, client):
    amqp_uri = rabbit_config["AMQP_URI"]
    topology.declare_all(amqp_uri, service_config["EVENT_RETRY_DELAY_MS"])
    parked = "evt-bookings-activity_cancelled--volunteers.close_opportunity.dlq"
    assert client.get("/readyz").json["checks"]["dead_letters"] == "ok"
    with Connection(amqp_uri) as conn:
        conn.Producer().publish({"type": "bookings.activity_cancelled"}, exchange="", routing_key=parked)

    metrics = client.get("/metrics").get_data(as_text=True)
    assert f'cocoon_dead_letter_messages{{queue="{parked}"}} 1.0' in metrics
    assert 'cocoon_dead_letter_messages{queue="evt-volunteers-signup_confirmed--bookings.count_volunteer.dlq"} 0.0' in (
        metrics
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "dead_letters" in response.json["failed"]
    assert response.json["checks"]["dead_letters"] == f"1 event(s) parked in {parked}"
