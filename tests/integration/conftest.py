import json

import pytest
from kombu import Connection, Exchange

from tests.api import STAFF_ENV, Api
from tests.integration import probe


def pytest_collection_modifyitems(items):
    for item in items:
        if "/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def probe_config(service_config, tmp_path):
    url = f"sqlite:///{tmp_path / 'probe.db'}"
    from shared.db import bind

    bind(probe.database, "probe", url)
    with probe.database.connection_context():
        probe.database.create_tables(probe.MODELS)
    probe.FAILED_CALLS.clear()
    probe.PLAIN_RECEIVED.clear()
    return dict(service_config, PROBE_DATABASE_URL=url)


@pytest.fixture
def start_on_postgres(container_factory, service_config, postgres_url):
    """Start a service on this test's fresh PostgreSQL database (migrated first), the other components
    keeping their SQLite files: `start_on_postgres(BookingsService, max_workers=4)` (config overrides)."""
    from shared import components, migrate

    def start(service_class, **config):
        migrate.migrate(service_class.name, postgres_url)
        database = {components.named(service_class.name).database_env: postgres_url}
        container = container_factory(service_class, dict(service_config, **database, **config))
        container.start()
        return container

    return start


@pytest.fixture
def publish_raw(rabbit_config):
    """Publish a body on `<source>.events` as any nameko service would, bypassing the outbox."""

    def publish(event_name, body):
        source, event_type = event_name.split(".", 1)
        exchange = Exchange(f"{source}.events", type="topic", durable=True)
        with Connection(rabbit_config["AMQP_URI"]) as conn:
            producer = conn.Producer()
            producer.publish(
                json.dumps(body) if not isinstance(body, str) else body,
                exchange=exchange,
                routing_key=event_type,
                declare=[exchange],
                content_type="application/json",
                content_encoding="utf-8",
            )

    return publish


@pytest.fixture
def take_messages(request, rabbit_config):
    """Take (ack) up to `count` messages from a queue of this test's vhost, via the management API.

    nameko's own helper still sends the pre-3.7 `requeue` field, which RabbitMQ 3.10 refuses."""
    from urllib.parse import quote, urlparse

    import requests

    api = urlparse(request.config.getoption("RABBIT_API_URI"))
    base = f"{api.scheme}://{api.hostname}:{api.port}/api/queues/{quote(rabbit_config['vhost'], safe='')}"

    def take(queue, count=10):
        response = requests.post(
            f"{base}/{quote(queue, safe='')}/get",
            auth=(api.username, api.password),
            json={"count": count, "ackmode": "ack_requeue_false", "encoding": "auto"},
            timeout=5,
        )
        response.raise_for_status()
        return response.json()

    return take


@pytest.fixture
def client(service_config, monkeypatch, tmp_path):
    """The gateway app (Flask test client) on this test's vhost and gateway database, with the
    staff account tests.api.STAFF."""
    from services.gateway.app import create_app

    for name, value in STAFF_ENV.items():
        monkeypatch.setenv(name, value)
    app = create_app(
        {
            "AMQP_URI": service_config["AMQP_URI"],
            "GATEWAY_DATABASE_URL": service_config["GATEWAY_DATABASE_URL"],
            "RPC_TIMEOUT": 5.0,
            "READY_TIMEOUT": 1.0,
            "REGISTER_DIR": tmp_path / "registre",  # the evacuation register's copy (register_copy.py)
            # Every family and volunteer of a test signs up from the test client's one address; the
            # limit itself has its own tests (tests/unit/gateway/test_attempt_limits.py).
            "REGISTRATION_LIMIT_PER_ADDRESS": "1000 per hour",
        }
    )
    yield app.test_client()
    app.extensions["rpc_pool"].close()
    app.extensions["ready_pool"].close()
    app.extensions["bus_checks"].close()


@pytest.fixture
def api(client):
    """The gateway's JSON API through `client`, signed in as nobody yet: `api.signed_in(STAFF)`."""
    return Api(client)


@pytest.fixture
def known_trainees(container_factory, service_config):
    """`known_trainees("t1", "t2")`: the placements service running on this test's vhost, with these
    trainees (bookings' assign_trainee asks it whether a trainee exists)."""
    from services.placements.service import PlacementsService

    return trainees_service(lambda: container_factory(PlacementsService, service_config))


def trainees_service(make_container):
    """The `known_trainees` factory over a way to make the placements container."""
    from tests.support import call

    def start(*ids):
        container = make_container()
        container.start()
        for trainee_id in ids:
            call(
                container,
                "register_trainee",
                {
                    "id": trainee_id,
                    "email": f"{trainee_id}@example.fr",
                    "first_name": "Léa",
                    "last_name": "Martin",
                    "birth_date": "2000-05-04",
                    "programme": "cap_aepe",
                    "school": "Lycée Jean Moulin",
                },
            )
        return container

    return start
