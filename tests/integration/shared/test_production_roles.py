"""deploy/postgres-roles.sh, docker-compose.prod.yml's database init script, run as the postgres
image runs it, on a PostgreSQL cluster of this test's own that checks passwords: each component's
role connects to its own database with the password `make secrets` drew, migrates its tables
there, and can neither connect to another component's database nor sign in with a wrong password."""

import os
import subprocess
from urllib.parse import urlparse

import psycopg2
import pytest

from shared import components, migrate
from tests.private_postgres import ADMIN_PASSWORD, private_postgres
from tests.support import REPO
from tests.unit.test_production_compose import make_secrets


@pytest.fixture(scope="module")
def initialised():
    """(the cluster's host:port, {component: its password}) once the init script ran."""
    passwords = {key: value for key, value in make_secrets().values("x", "y").items() if key.endswith("_DB_PASSWORD")}
    with private_postgres() as admin_url:
        where = urlparse(admin_url)
        env = {
            "PATH": os.environ["PATH"],
            "POSTGRES_USER": "postgres",
            "PGHOST": "127.0.0.1",
            "PGPORT": str(where.port),
            "PGPASSWORD": ADMIN_PASSWORD,
            **passwords,
        }
        done = subprocess.run(
            ["sh", str(REPO / "deploy" / "postgres-roles.sh")], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        yield (
            f"127.0.0.1:{where.port}",
            {name: passwords[f"{name.upper()}_DB_PASSWORD"] for name in components.COMPONENT_NAMES},
        )


def url(where, role, password, database):
    return f"postgresql://{role}:{password}@{where}/{database}"


def test_each_role_migrates_its_own_database(initialised):
    where, passwords = initialised
    for name in ("bookings", "gateway"):
        migrate.migrate(name, url(where, name, passwords[name], name))
        with psycopg2.connect(url(where, name, passwords[name], name)) as connection, connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s", (name,))
            assert cur.fetchone()[0] > 3
        connection.close()


def test_a_role_cannot_connect_to_another_components_database(initialised):
    where, passwords = initialised
    with pytest.raises(psycopg2.OperationalError, match="permission denied for database"):
        psycopg2.connect(url(where, "team", passwords["team"], "gateway"))


def test_a_wrong_password_is_refused(initialised):
    where, passwords = initialised
    with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
        psycopg2.connect(url(where, "team", passwords["gateway"], "team"))


def test_the_script_stops_when_a_password_is_missing(tmp_path):
    done = subprocess.run(
        ["sh", str(REPO / "deploy" / "postgres-roles.sh")],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "BOOKINGS_DB_PASSWORD is not set" in done.stderr
