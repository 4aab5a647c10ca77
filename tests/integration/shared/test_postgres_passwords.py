"""A PostgreSQL role whose name and password hold `/`, `#`, `?` and `@`, percent-encoded in its
`<SERVICE>_DATABASE_URL`, reaches psycopg decoded (shared/db.py make_database) and pg_dump /
pg_restore through libpq's variables (shared/operator/backup.py).

The shared test server trusts every local connection, so it checks the role's name only; the
password is checked on a PostgreSQL cluster of this test's own with scram-sha-256 authentication
(initdb run as the postgres user, on a free port, stopped at the end)."""

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from psycopg2 import sql

from shared import config
from shared.db import make_database
from shared.operator import backup
from tests.support import free_port

PASSWORD = "p/a#s?s@w:rd%é"
POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


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
    """A PostgreSQL cluster that checks passwords (scram-sha-256): its superuser URL."""
    if not (POSTGRES_BIN / "initdb").exists() or os.geteuid() != 0 or not shutil.which("runuser"):
        pytest.skip("needs Debian's PostgreSQL 15 binaries and root (initdb runs as the postgres user)")
    directory = Path(tempfile.mkdtemp(prefix="cocoon-scram-"))  # pytest's tmp_path: root's only, 700
    shutil.chown(directory, "postgres")
    (directory / "pw").write_text("admin-password\n")
    shutil.chown(directory / "pw", "postgres")
    data, port = directory / "data", free_port()

    def as_postgres(*argv):
        done = subprocess.run(["runuser", "-u", "postgres", "--", *argv], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr

    as_postgres(str(POSTGRES_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=scram-sha-256",
                f"--pwfile={directory / 'pw'}")  # fmt: skip
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1"
    as_postgres(
        str(POSTGRES_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(directory / "log"), "-w", "start"
    )
    try:
        yield url_of("postgres", "admin-password", "127.0.0.1", port, "postgres")
    finally:
        as_postgres(str(POSTGRES_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")


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
