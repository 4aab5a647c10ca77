"""A PostgreSQL cluster of a test's own that checks passwords (scram-sha-256), unlike the shared
test server, which trusts every local connection: initdb and pg_ctl of Debian's PostgreSQL 15 run
as the postgres user, on a free port, in a directory deleted at the end.

    with private_postgres() as admin_url:   # postgresql://postgres:<password>@127.0.0.1:<port>/postgres
        ...
"""

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support import free_port

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
ADMIN_PASSWORD = "admin-password"


def as_postgres(*argv, env=None):
    done = subprocess.run(
        ["runuser", "-u", "postgres", "--", *argv], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@contextmanager
def private_postgres():
    if not (POSTGRES_BIN / "initdb").exists() or os.geteuid() != 0 or not shutil.which("runuser"):
        pytest.skip("needs Debian's PostgreSQL 15 binaries and root (initdb runs as the postgres user)")
    directory = Path(tempfile.mkdtemp(prefix="cocoon-scram-"))  # pytest's tmp_path: root's only, 700
    shutil.chown(directory, "postgres")
    (directory / "pw").write_text(ADMIN_PASSWORD + "\n")
    shutil.chown(directory / "pw", "postgres")
    data, port = directory / "data", free_port()
    as_postgres(str(POSTGRES_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=scram-sha-256",
                f"--pwfile={directory / 'pw'}")  # fmt: skip
    pg_ctl = [str(POSTGRES_BIN / "pg_ctl"), "-D", str(data)]
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1"
    as_postgres(*pg_ctl, "-o", options, "-l", str(directory / "log"), "-w", "start")
    try:
        yield f"postgresql://postgres:{ADMIN_PASSWORD}@127.0.0.1:{port}/postgres"
    finally:
        as_postgres(*pg_ctl, "-m", "immediate", "stop")
        shutil.rmtree(directory, ignore_errors=True)
