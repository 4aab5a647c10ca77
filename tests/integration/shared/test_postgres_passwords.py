"""A PostgreSQL role whose name and password hold `/`, `#`, `?` and `@`, percent-encoded in its
`<SERVICE>_DATABASE_URL`, reaches psycopg decoded (shared/db.py make_database) and pg_dump /
pg_restore through libpq's variables (shared/operator/backup.py).

The shared test server trusts every local connection, so it checks the role's name only; the
password is checked on a PostgreSQL cluster of this test's own with scram-sha-256 authentication
(initdb run as the postgres user, on a free port, stopped at the end)."""

import uuid
from urllib.parse import quote

import psycopg2
import pytest
from psycopg2 import sql

from shared import config
from shared.db import make_database
from shared.operator import backup
from tests.private_postgres import private_postgres

PASSWORD = "p/a#s?s@w:rd%é"


def url_of(user, password, host, port, database):
    return f"postgresql://{quote(user, safe='')}:{quote(password, safe='')}@{host}:{port}/{database}"


@pytest.fixture
def odd_role():
    """A role named with the awkward characters, owning a database of its own, on the shared server."""
    admin_url = config.env("COCOON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    suffix = uuid.uuid4().hex[:8]
    role, database = f"cocoon/#?@{suffix}", f"cocoon_pw_{suffix}"
    with admin.cursor() as cur:
        cur.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role), sql.Literal(PASSWORD)))
        cur.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(database), sql.Identifier(role)))
    parsed = psycopg2.extensions.parse_dsn(admin_url)
    try:
        yield url_of(role, PASSWORD, parsed.get("host", "127.0.0.1"), parsed.get("port", 5432), database)
    finally:
        with admin.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
            cur.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        admin.close()


def who_am_i(url):
    database = make_database(url)
    try:
        database.connect()
        return database.execute_sql("SELECT current_user").fetchone()[0]
    finally:
        database.close()


def test_a_role_named_with_slash_hash_question_mark_and_at_connects_from_its_percent_encoded_url(odd_role):
    assert who_am_i(odd_role).startswith("cocoon/#?@")


def test_pg_dump_takes_the_same_url(odd_role, tmp_path):
    database = make_database(odd_role)
    database.execute_sql("CREATE TABLE note (id TEXT PRIMARY KEY)")
    database.close()
    backup.run_pg(["pg_dump", "--format=custom", "--file", str(tmp_path / "dump")], odd_role)
    assert (tmp_path / "dump").stat().st_size > 0


@pytest.fixture(scope="module")
def scram_server():
    with private_postgres() as admin_url:
        yield admin_url


def test_a_password_with_slash_hash_question_mark_and_at_is_checked_and_accepted(scram_server):
    admin = psycopg2.connect(scram_server)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(sql.SQL("CREATE ROLE cocoon LOGIN PASSWORD {}").format(sql.Literal(PASSWORD)))
    admin.close()
    port = scram_server.rsplit(":", 1)[1].split("/")[0]
    assert who_am_i(url_of("cocoon", PASSWORD, "127.0.0.1", port, "postgres")) == "cocoon"
    with pytest.raises(Exception, match="password authentication failed"):
        who_am_i(url_of("cocoon", PASSWORD[:-1], "127.0.0.1", port, "postgres"))
    dump = backup.run_pg(["pg_dump", "--schema-only"], url_of("cocoon", PASSWORD, "127.0.0.1", port, "postgres"))
    assert "PostgreSQL database dump" in dump
