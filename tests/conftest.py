"""Test set-up shared by every tier.

nameko needs eventlet's monkey patch before anything imports socket or threading: it is
done here, first (nameko's pytest plugin stopped doing it in 2.13).
Each test that talks to RabbitMQ gets its own vhost (nameko's `rabbit_config` fixture,
through the management API) and its own SQLite files, so tests never see each other's
messages or rows, nor anything a developer left running. With COCOON_TEST_DATABASE=postgresql
(`make test-postgres`) the `databases` fixture makes a PostgreSQL database per component
instead, on the server of COCOON_TEST_POSTGRES_URL, dropped after the test.
"""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")  # nameko 2.14 needs eventlet (docs/stack.md)

# The browser tests run in their own plain pytest process (Makefile `test-browser`): Playwright
# hangs at shutdown under eventlet's monkey-patching, done below.
collect_ignore = ["browser"]

import eventlet

eventlet.monkey_patch()

import pytest

import services  # noqa: F401  (silences eventlet's notice, French messages)
from shared import components, migrate


def database_engine():
    """ "sqlite" (the default) or "postgresql": the engine of the `databases` fixture (COCOON_TEST_DATABASE)."""
    import os

    engine = os.environ.get("COCOON_TEST_DATABASE", "sqlite").strip().lower() or "sqlite"
    if engine not in ("sqlite", "postgresql"):
        raise pytest.UsageError(f"COCOON_TEST_DATABASE={engine!r}: choose sqlite or postgresql")
    return engine


@pytest.fixture(scope="session")
def postgres_per_test():
    """COCOON_TEST_DATABASE=postgresql: the session's template databases (tests/postgres_per_test.py)."""
    from tests.postgres_per_test import PerTestDatabases

    made = PerTestDatabases()
    yield made
    made.close()


@pytest.fixture
def databases(request, tmp_path):
    """A fresh, migrated database for every component, SQLite files or (COCOON_TEST_DATABASE=postgresql)
    PostgreSQL databases of this test; returns {COMPONENT_DATABASE_URL: url}."""
    if database_engine() == "postgresql":
        made = request.getfixturevalue("postgres_per_test")
        urls, names = made.for_test()
        yield urls
        made.drop_later(names)
        return
    urls = {}
    for component in components.COMPONENTS:
        url = f"sqlite:///{tmp_path / (component.name + '.db')}"
        migrate.migrate(component.name, url)
        urls[component.database_env] = url
    yield urls


@pytest.fixture
def service_config(rabbit_config, databases):
    """nameko config for the services under test: own vhost, own databases, quick retries."""
    return {
        "AMQP_URI": rabbit_config["AMQP_URI"],
        "OUTBOX_SWEEP_SECONDS": 0.5,
        "EVENT_MAX_ATTEMPTS": 3,
        "EVENT_RETRY_DELAY_MS": 100,
        **databases,
    }


@pytest.fixture
def postgres_databases():
    """Factory of fresh PostgreSQL databases for this test (dropped after), on the server of
    COCOON_TEST_POSTGRES_URL: `url = postgres_databases()`."""
    import uuid

    import psycopg2
    from psycopg2 import sql

    from shared import config

    admin_url = config.env("COCOON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    created = []

    def create():
        name = f"cocoon_test_{uuid.uuid4().hex[:12]}"
        with admin.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append(name)
        return admin_url.rsplit("/", 1)[0] + "/" + name

    yield create
    # WITH (FORCE) ends the sessions still open: services under test may still be running here
    # (nameko's container_factory is torn down after this fixture when requested first), and
    # closing their pooled connections from this thread would wait on their greenthreads.
    with admin.cursor() as cur:
        for name in created:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    admin.close()


@pytest.fixture
def postgres_url(postgres_databases):
    return postgres_databases()
