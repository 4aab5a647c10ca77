"""The files that hold people's data or the key that signs sessions are readable by their owner
only (600), whatever the process umask: every SQLite database with its -wal and -shm files, and
the gateway's secret key."""

import os
import stat

import pytest

from shared import config, migrate

COMPONENTS = ["gateway", "bookings", "volunteers", "placements", "education", "notifications"]


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    previous = os.umask(0o022)  # the usual default: new files 644, readable by every local user
    yield
    os.umask(previous)


@pytest.mark.parametrize("component", COMPONENTS)
def test_a_new_sqlite_database_and_its_wal_and_shm_files_are_private(tmp_path, open_umask, component):
    path = tmp_path / f"{component}.db"
    migrate.migrate(component, f"sqlite:///{path}")  # creates the tables: the WAL gets written
    files = [path, tmp_path / f"{component}.db-wal", tmp_path / f"{component}.db-shm"]
    assert {file.name: mode(file) for file in files if file.exists()} == {file.name: 0o600 for file in files}


def test_a_database_an_earlier_version_left_readable_is_made_private(tmp_path, open_umask):
    path = tmp_path / "bookings.db"
    for name in ("bookings.db", "bookings.db-wal", "bookings.db-shm"):
        (tmp_path / name).touch(mode=0o644)
    migrate.migrate("bookings", f"sqlite:///{path}")
    assert [mode(tmp_path / name) for name in ("bookings.db", "bookings.db-wal", "bookings.db-shm")] == [0o600] * 3


@pytest.fixture
def var(tmp_path, monkeypatch):
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("COCOON_SECRET_KEY", raising=False)
    return tmp_path


def test_the_gateway_s_secret_key_is_created_private_and_kept(var, open_umask):
    from services.gateway.web import _secret_key

    key = _secret_key()
    assert mode(var / "gateway-secret-key") == 0o600
    assert len(key) > 40 and _secret_key() == key
    assert [path.name for path in var.iterdir()] == ["gateway-secret-key"]  # no draft left behind


def test_a_secret_key_an_earlier_version_left_readable_is_made_private(var, open_umask):
    from services.gateway.web import _secret_key

    (var / "gateway-secret-key").write_text("une-ancienne-cle\n")
    (var / "gateway-secret-key").chmod(0o644)
    assert _secret_key() == "une-ancienne-cle"
    assert mode(config.var_dir() / "gateway-secret-key") == 0o600
