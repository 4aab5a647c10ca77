"""A database failure fails the call that met it, never the service (real RabbitMQ and PostgreSQL).

PostgreSQL going away is played on this test's database only: its backend connections are
terminated (`pg_terminate_backend`), and `ALLOW_CONNECTIONS false` makes it refuse new ones
as a server being restarted does. A refused call is `Unavailable` (503 at the gateway); the
nameko container must still be running afterwards (a dead container sets `_died`).
"""

from collections import Counter
from contextlib import contextmanager

import eventlet
import psycopg2
import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from psycopg2 import sql

from services.bookings import models as bookings_models
from services.bookings.service import BookingsService
from shared import config, migrate
from shared.db import bind
from shared.errors import Unavailable
from shared.events import new_event
from tests.factories import room_fields
from tests.integration import probe
from tests.support import wait_for

ADMIN_URL = config.env("COCOON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def database_name(url):
    return url.rsplit("/", 1)[1]


def terminate_backends(cursor, url):
    """End every session on the test's database but the one of `cursor`; returns how many."""
    cursor.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        (database_name(url),),
    )
    return cursor.rowcount


def sessions_waiting_on_a_lock(url):
    with admin() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            (database_name(url),),
        )
        return cursor.fetchone()[0]


@contextmanager
def admin():
    connection = psycopg2.connect(ADMIN_URL)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


@contextmanager
def database_down(url):
    """The database refuses new connections and has lost every open one, until the block ends."""
    name = sql.Identifier(database_name(url))
    with admin() as cursor:
        cursor.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(name))
        terminate_backends(cursor, url)
        try:
            yield
        finally:
            cursor.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(name))


@contextmanager
def room_table_locked(url):
    """A session holding an exclusive lock on the room table: writes to it wait, holding their connection."""
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE room IN ACCESS EXCLUSIVE MODE")
            yield cursor
    finally:
        connection.rollback()
        connection.close()


def assert_running(container):
    assert not container._died.ready(), f"the container died: {container._died.wait()!r}"


@pytest.fixture
def bookings(container_factory, rabbit_config, postgres_url):
    def start(**config_overrides):
        migrate.migrate("bookings", postgres_url)
        container = container_factory(
            BookingsService,
            {
                "AMQP_URI": rabbit_config["AMQP_URI"],
                "BOOKINGS_DATABASE_URL": postgres_url,
                "OUTBOX_SWEEP_SECONDS": 0.5,
                **config_overrides,
            },
        )
        container.start()
        return container

    return start


@pytest.fixture
def rpc(rabbit_config):
    with ClusterRpcProxy({"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=30) as proxy:
        yield proxy


def test_the_pool_holds_one_connection_per_worker_plus_the_relay_and_a_spare(bookings):
    bookings(max_workers=7)
    assert bookings_models.database.obj._max_connections == 7 + 2


def test_idle_connections_killed_under_the_service_are_not_handed_out_again(bookings, rpc, postgres_url):
    container = bookings()
    rpc.bookings.create_room(room_fields(name="Avant"))
    with admin() as cursor:
        assert terminate_backends(cursor, postgres_url) >= 1

    for name in ("Après 1", "Après 2"):
        assert rpc.bookings.create_room(room_fields(name=name))["name"] == name
    assert_running(container)


def test_a_call_whose_connection_is_killed_mid_transaction_is_unavailable_and_the_next_one_succeeds(
    bookings, rpc, postgres_url
):
    container = bookings()
    with room_table_locked(postgres_url) as locker:
        reply = rpc.bookings.create_room.call_async(room_fields(name="Pendant"))
        wait_for(lambda: sessions_waiting_on_a_lock(postgres_url) == 1, message="the insert to wait on the lock")
        terminate_backends(locker, postgres_url)
        with pytest.raises(Unavailable) as refused:
            reply.result()
    assert refused.value.status == 503 and refused.value.code == "unavailable"

    assert_running(container)
    assert rpc.bookings.create_room(room_fields(name="Après"))["name"] == "Après"
    assert [room["name"] for room in rpc.bookings.list_rooms()["items"]] == ["Après"]


def test_while_the_database_is_down_calls_are_unavailable_and_the_service_recovers_after(bookings, rpc, postgres_url):
    container = bookings()
    rpc.bookings.create_room(room_fields(name="Avant"))

    with database_down(postgres_url):
        for name in ("Pendant 1", "Pendant 2"):
            with pytest.raises(Unavailable):
                rpc.bookings.create_room(room_fields(name=name))
        assert_running(container)

    assert rpc.bookings.create_room(room_fields(name="Après"))["name"] == "Après"
    assert sorted(room["name"] for room in rpc.bookings.list_rooms()["items"]) == ["Après", "Avant"]
    assert_running(container)


def test_when_every_pooled_connection_is_taken_the_extra_calls_fail_cleanly_and_the_service_survives(
    bookings, rabbit_config, postgres_url
):
    # 6 workers share 2 connections; the relay is off so that it takes none of them
    container = bookings(max_workers=6, DATABASE_POOL_SIZE=2, DATABASE_POOL_WAIT_SECONDS=0.5, OUTBOX_RELAY="off")
    outcomes = []

    def create(name):
        with ClusterRpcProxy({"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=30) as own:
            try:
                outcomes.append(own.bookings.create_room(room_fields(name=name))["name"])
            except Unavailable:
                outcomes.append("unavailable")

    with room_table_locked(postgres_url):
        calls = [eventlet.spawn(create, f"Salle {i}") for i in range(6)]
        wait_for(lambda: outcomes.count("unavailable") == 4, timeout=30, message="4 calls to find no connection")
        assert sessions_waiting_on_a_lock(postgres_url) == 2
    for call in calls:
        call.wait()

    assert Counter("refused" if o == "unavailable" else "created" for o in outcomes) == {"refused": 4, "created": 2}
    assert_running(container)
    with ClusterRpcProxy({"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=30) as rpc:
        assert rpc.bookings.create_room(room_fields(name="Après"))["name"] == "Après"


def test_readyz_names_the_service_whose_database_is_down_and_only_that_one(
    bookings, container_factory, service_config, client, postgres_url
):
    from services.education.service import EducationService
    from services.insights.service import InsightsService
    from services.notifications.service import NotificationsService
    from services.placements.service import PlacementsService
    from services.team.service import TeamService
    from services.volunteers.service import VolunteersService

    bookings()
    others = (VolunteersService, PlacementsService, EducationService, NotificationsService, TeamService)
    others += (InsightsService,)
    for cls in others:  # on SQLite
        container_factory(cls, service_config).start()
    with database_down(postgres_url):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["failed"] == ["bookings"]
    assert response.json["checks"]["bookings"] == "error: unavailable"
    assert client.get("/readyz").status_code == 200


@pytest.fixture
def probe_on_postgres(container_factory, rabbit_config, postgres_url):
    bind(probe.database, "probe", postgres_url)
    with probe.database.connection_context():
        probe.database.create_tables(probe.MODELS)
    container = container_factory(
        probe.ProbeService,
        {
            "AMQP_URI": rabbit_config["AMQP_URI"],
            "PROBE_DATABASE_URL": postgres_url,
            "OUTBOX_SWEEP_SECONDS": 0.5,
            "EVENT_MAX_ATTEMPTS": 1000,
            "EVENT_RETRY_DELAY_MS": 200,
        },
    )  # retried for as long as the outage lasts here
    container.start()
    return container


def applied(event_id):
    with probe.database.connection_context():
        return probe.Applied.select().where(probe.Applied.event_id == event_id).count()


def test_an_event_received_while_the_database_is_down_is_retried_and_applied_once(
    probe_on_postgres, postgres_url, publish_raw, caplog
):
    event = new_event("probe.thing_happened", {"thing_id": "pendant-la-panne"})
    with database_down(postgres_url):
        publish_raw("probe.thing_happened", event)
        wait_for(
            lambda: sum("will retry" in r.getMessage() for r in caplog.records) >= 2,
            message="the handler to fail twice on the database",
        )
        assert_running(probe_on_postgres)

    wait_for(lambda: applied(event["event_id"]) == 1, message="the event to be applied once the database is back")
    assert_running(probe_on_postgres)
    assert applied(event["event_id"]) == 1
