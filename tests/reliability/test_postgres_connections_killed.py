"""The venue on PostgreSQL (a database per component, `<COMPONENT>_DATABASE_URL`): every
connection the services and the gateway hold to this test's databases is ended by the server
(`pg_terminate_backend`, as a restart or a network cut would) three times mid-flow. Clients get
an error or a retry at worst; every accepted command's effect ends up once everywhere."""

import uuid

import psycopg2
import pytest

from shared import components, config
from tests.reliability.flow import Flow, dead_letters, prepare, settled
from tests.reliability.stack import Stack

pytestmark = pytest.mark.proof

ROUNDS = 10


@pytest.fixture
def postgres_stack(fault_broker, proof_dir, postgres_databases):
    urls = {c.name: postgres_databases() for c in components.COMPONENTS}
    vhost = f"postgres-{uuid.uuid4().hex[:8]}"  # the SQLite stack keeps the default one
    fault_broker.add_vhost(vhost)
    venue = Stack(fault_broker, proof_dir / "venue-postgres", database_urls=urls, vhost=vhost)
    try:
        venue.start_all()
        yield venue
    finally:
        venue.stop_all()


def terminate_connections(stack):
    """End every session on the stack's databases (and on no other); returns how many were ended."""
    names = [url.rsplit("/", 1)[1] for url in stack.database_urls.values()]
    admin = psycopg2.connect(config.env("COCOON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = ANY(%s) AND pid <> pg_backend_pid()",
                (names,),
            )
            return cursor.fetchone()[0]
    finally:
        admin.close()


def test_postgres_connections_killed_mid_flow_lose_and_double_nothing(postgres_stack, fault_broker):
    venue = prepare(postgres_stack.base_url, ROUNDS, amqp=postgres_stack.broker.uri_of(postgres_stack.vhost))
    flow = Flow(venue, ROUNDS).start()
    ended = []
    for rounds in (2, 5, 8):
        flow.wait_rounds(rounds)
        ended.append(terminate_connections(postgres_stack))

    flow.finish()
    assert all(n > 0 for n in ended), ended  # each time, the services had connections open, and lost them
    settled(postgres_stack, fault_broker, flow)
    assert dead_letters(fault_broker, postgres_stack.vhost) == {}
    assert all(process.poll() is None for process in postgres_stack.processes.values())
