"""`cocoon backup` and `cocoon restore` on SQLite files (shared/operator/backup.py): the manifest
says what the backup holds and its checksums, a restore refuses a damaged or newer backup and
full target databases before writing anything, and gives back every row and the secret key.
The broker's part and the venue under writes: tests/integration/shared/test_backup_restore.py."""

import json
import shutil
import sqlite3
from datetime import UTC, datetime

import pytest

from shared import components, migrate, migrations
from shared.operator import backup, cli

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
KEY = "la-clé-secrète-du-lieu"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """Every component's database, migrated once, copied by each test."""
    directory = tmp_path_factory.mktemp("migrated")
    for name in components.COMPONENT_NAMES:
        migrate.migrate(name, f"sqlite:///{directory / (name + '.db')}")
    return directory


@pytest.fixture
def venue(tmp_path, monkeypatch, migrated):
    """A var directory holding the venue's databases (a room in bookings) and the gateway's key file."""
    var = tmp_path / "var"
    shutil.copytree(migrated, var)
    _use(monkeypatch, var)
    add_room(var / "bookings.db", "r1", "Salle des lilas")
    (var / backup.SECRET_KEY_NAME).write_text(KEY)
    return var


def add_room(path, room_id, name, connection=None):
    writer = connection or sqlite3.connect(path)
    with writer:
        writer.execute(
            "INSERT INTO room (id, created_at, name, kind, capacity) VALUES (?, ?, ?, 'creche', 12)",
            (room_id, NOW.isoformat(), name),
        )
    if connection is None:
        writer.close()


def _use(monkeypatch, var):
    monkeypatch.setenv("COCOON_VAR_DIR", str(var))
    for variable, _file_name in backup.KEYS:
        monkeypatch.delenv(variable, raising=False)
    for component in components.COMPONENTS:
        monkeypatch.delenv(component.database_env, raising=False)


@pytest.fixture
def saved(venue, tmp_path):
    directory = tmp_path / "backup"
    backup.backup(directory, with_broker=False, now=NOW)
    return directory


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """An empty var directory the configuration now points at: where a restore goes."""
    var = tmp_path / "elsewhere"
    var.mkdir()
    _use(monkeypatch, var)
    return var


def manifest_of(directory):
    return json.loads((directory / backup.MANIFEST).read_text())


def test_the_manifest_names_the_version_the_date_every_database_its_tables_and_each_files_checksum(saved):
    manifest = manifest_of(saved)
    assert manifest["app_version"] == backup.app_version()
    assert manifest["created_at"] == NOW.isoformat()
    assert set(manifest["databases"]) == set(components.COMPONENT_NAMES)
    rooms = manifest["databases"]["bookings"]["tables"]["room"]
    assert rooms["rows"] == 1 and "capacity" in rooms["columns"]
    assert set(manifest["files"]) == {f"{name}.db" for name in components.COMPONENT_NAMES} | {backup.SECRET_KEY_NAME}
    for name, digest in manifest["files"].items():
        assert backup.sha256_of(saved / name) == digest


def test_the_fernet_keys_are_kept_from_their_variable_or_their_file(venue, tmp_path, monkeypatch):
    monkeypatch.setenv("COCOON_HEALTH_KEY", "clé-santé")
    (venue / "bookings-certificate-key").write_text("clé-certificats\n")
    manifest = backup.backup(tmp_path / "b", with_broker=False)
    assert manifest["keys"]["bookings-health-key"]["variable"] == "COCOON_HEALTH_KEY"
    assert (tmp_path / "b" / "bookings-health-key").read_text() == "clé-santé"
    assert (tmp_path / "b" / "bookings-certificate-key").read_text() == "clé-certificats"


def test_a_backup_is_readable_by_its_owner_only(saved):
    assert saved.stat().st_mode & 0o777 == 0o700
    assert {path.stat().st_mode & 0o777 for path in saved.iterdir()} == {0o600}


def test_a_backup_holds_the_commits_still_in_the_wal(venue, tmp_path):
    writer = sqlite3.connect(venue / "bookings.db")
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # the row stays in the -wal file, as in a running venue
    add_room(None, "r2", "Salle des roses", connection=writer)
    backup.backup(tmp_path / "b", with_broker=False, now=NOW)
    writer.close()
    copy = sqlite3.connect(tmp_path / "b" / "bookings.db")
    assert sorted(row[0] for row in copy.execute("SELECT id FROM room")) == ["r1", "r2"]
    copy.close()


def test_a_backup_refuses_a_directory_that_already_holds_files(venue, tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "old.db").write_text("")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.backup(tmp_path / "b", with_broker=False)


def test_a_restore_gives_back_every_row_and_the_secret_key(saved, elsewhere):
    report = backup.restore(saved, with_broker=False)
    assert report["databases"] == sorted(components.COMPONENT_NAMES)
    connection = sqlite3.connect(elsewhere / "bookings.db")
    assert connection.execute("SELECT name FROM room").fetchall() == [("Salle des lilas",)]
    connection.close()
    assert (elsewhere / backup.SECRET_KEY_NAME).read_text() == KEY
    assert (elsewhere / backup.SECRET_KEY_NAME).stat().st_mode & 0o777 == 0o600


def test_a_damaged_file_is_refused_before_anything_is_written(saved, elsewhere):
    with open(saved / "team.db", "r+b") as fh:
        fh.seek(200)
        fh.write(b"\xff")
    with pytest.raises(backup.BackupError, match="team.db has changed"):
        backup.restore(saved, with_broker=False)
    assert list(elsewhere.iterdir()) == []


def test_a_missing_file_is_refused(saved, elsewhere):
    (saved / "gateway.db").unlink()
    with pytest.raises(backup.BackupError, match="gateway.db is missing"):
        backup.restore(saved, with_broker=False)


def test_a_backup_made_by_a_newer_version_is_refused(saved, elsewhere):
    manifest = manifest_of(saved)
    manifest["app_version"] = "99.0.0"
    (saved / backup.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(backup.BackupError, match="newer than this code"):
        backup.restore(saved, with_broker=False)
    assert list(elsewhere.iterdir()) == []


def test_a_backup_whose_schema_has_a_column_this_code_lacks_is_refused(saved, elsewhere):
    manifest = manifest_of(saved)
    manifest["databases"]["bookings"]["tables"]["room"]["columns"].append("floor")
    (saved / backup.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(backup.BackupError, match=r"bookings: the backup's schema is newer .*room\.floor"):
        backup.restore(saved, with_broker=False)


def test_the_manifest_names_each_databases_schema_version_and_the_migration_steps_applied(saved):
    from services.bookings import models

    steps = [step.name for step in migrations.steps_of(models)]
    entry = manifest_of(saved)["databases"]["bookings"]
    assert entry["schema_steps"] == steps
    assert entry["schema_version"] == steps[-1]
    assert backup.MIGRATION_HISTORY not in backup.unknown_to_this_code("bookings", entry["tables"])


def test_a_backup_whose_schema_has_a_migration_step_this_code_lacks_is_refused_before_anything_is_written(
    saved, elsewhere
):
    manifest = manifest_of(saved)
    manifest["databases"]["team"]["schema_steps"].append("20990101_split_the_roles")
    manifest["databases"]["team"]["schema_version"] = "20990101_split_the_roles"
    (saved / backup.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(saved, with_broker=False)
    assert str(refused.value) == (
        "team: the backup's schema is newer than this code: version 20990101_split_the_roles, "
        "migration steps 20990101_split_the_roles unknown here; restore it with the version of "
        "Cocoon'Age that made it (or a later one)"
    )
    assert list(elsewhere.iterdir()) == []


def test_a_backup_made_before_versioned_migrations_with_abandoned_at_is_restored_then_migrated(
    venue, tmp_path, request
):
    """A database never migrated since versioning: no steps' table, and the outbox's `abandoned_at`
    that the first spine step drops. The backup lists no step; the restore takes it; `make migrate`
    then applies the baseline and the drop."""
    with sqlite3.connect(venue / "bookings.db") as connection:
        connection.execute(f'DROP TABLE "{backup.MIGRATION_HISTORY}"')
        connection.execute('ALTER TABLE "outbox" ADD COLUMN "abandoned_at" TIMESTAMP')
    backup.backup(tmp_path / "old", with_broker=False, now=NOW)
    entry = manifest_of(tmp_path / "old")["databases"]["bookings"]
    assert entry["schema_version"] is None and entry["schema_steps"] is None

    elsewhere = request.getfixturevalue("elsewhere")
    backup.restore(tmp_path / "old", with_broker=False)
    migrate.migrate("bookings", f"sqlite:///{elsewhere / 'bookings.db'}")

    with sqlite3.connect(elsewhere / "bookings.db") as connection:
        assert "abandoned_at" not in {row[1] for row in connection.execute('PRAGMA table_info("outbox")')}
        applied = [name for (name,) in connection.execute(f'SELECT name FROM "{backup.MIGRATION_HISTORY}"')]
    assert migrations.BASELINE in applied and "20261207_drop_outbox_abandoned_at" in applied


def test_a_backup_older_than_this_code_is_restored_and_migrate_applies_the_steps_it_lacks(saved, elsewhere):
    manifest = manifest_of(saved)
    manifest["databases"]["team"]["schema_steps"] = [migrations.BASELINE]
    (saved / backup.MANIFEST).write_text(json.dumps(manifest))
    backup.restore(saved, with_broker=False)  # no refusal: an older schema is brought forward by migrate


def test_versions_compare_as_numbers():
    assert backup.version_tuple("0.10.0") > backup.version_tuple("0.9.3")


def test_a_restore_refuses_databases_that_hold_tables_unless_forced(saved, venue, monkeypatch):
    _use(monkeypatch, venue)  # back at the venue the backup came from
    with sqlite3.connect(venue / "bookings.db") as connection:
        connection.execute("DELETE FROM room")
    connection.close()
    with pytest.raises(backup.BackupError, match="not empty: bookings"):
        backup.restore(saved, with_broker=False)
    backup.restore(saved, force=True, with_broker=False)
    connection = sqlite3.connect(venue / "bookings.db")
    assert connection.execute("SELECT id FROM room").fetchall() == [("r1",)]
    connection.close()


def test_a_restore_refuses_to_replace_another_secret_key_unless_forced(saved, elsewhere):
    (elsewhere / backup.SECRET_KEY_NAME).write_text("une autre clé")
    with pytest.raises(backup.BackupError, match="another key than the backup's"):
        backup.restore(saved, with_broker=False)
    assert not (elsewhere / "bookings.db").exists()  # refused before any database was written


def test_the_command_says_why_a_restore_is_refused_and_exits_4(saved, elsewhere, capsys):
    (saved / "team.db").write_bytes(b"")
    assert cli.main(["restore", str(saved), "--no-broker"]) == cli.BACKUP_FAILED
    assert "team.db has changed since the backup" in capsys.readouterr().err


def test_the_command_backs_up_and_lists_each_database(venue, tmp_path, capsys):
    assert cli.main(["backup", str(tmp_path / "b"), "--no-broker"]) == cli.OK
    out = capsys.readouterr().out
    assert "bookings" in out and "without the broker's definitions" in out
    assert "SCHEMA VERSION" in out and "20261207_drop_outbox_abandoned_at" in out


def test_without_an_erasure_register_nothing_is_reapplied(saved, elsewhere):
    assert backup.restore(saved, with_broker=False)["erasures"] == {"reapplied": 0, "pending": []}


def test_erasures_registered_after_the_backup_are_applied_again_to_the_restored_gateway(saved, venue, monkeypatch):
    """The backup holds a family's account; it is erased afterwards. The restore brings the account
    back, then finds the register's later row (read before the register is replaced), puts it
    back not complete (for `cocoon erasures resume`) and anonymises the account at once."""
    _use(monkeypatch, venue)
    with sqlite3.connect(venue / "gateway.db") as connection:  # the gateway's own register, migrated
        for erasure_id, asked_at in (("before", "2026-12-06 10:00:00"), ("after", "2026-12-07 09:00:00.250000")):
            connection.execute(
                f"INSERT INTO {backup.ERASURE_REGISTER}"
                f" (id, account_id, role, subjects, requested_by, {backup.ERASURE_DATE_COLUMN})"
                " VALUES (?, ?, 'family', '[]', 'director', ?)",
                (erasure_id, f"account-{erasure_id}", asked_at),
            )
    connection.close()
    rows = backup.register_rows_after(NOW)
    assert [row["id"] for row in rows] == ["after"]
    report = backup.restore(saved_with_account(saved, venue, "account-after"), force=True, with_broker=False)
    assert report["erasures"] == {"reapplied": 1, "pending": []}
    with sqlite3.connect(venue / "gateway.db") as restored:
        register = restored.execute(f"SELECT id, completed_at FROM {backup.ERASURE_REGISTER}").fetchall()
        email, password = restored.execute(
            "SELECT email, password_hash FROM account WHERE id = 'account-after'"
        ).fetchone()
    restored.close()
    assert register == [("after", None)]  # the restored copy had no register row: back, to resume
    assert "lea.martin" not in email and password == "!erased"


def saved_with_account(saved, venue, account_id):
    """A backup (made before the erasure) whose gateway database holds the account erased later."""
    directory = saved.parent / "backup-with-account"
    with sqlite3.connect(venue / "gateway.db") as connection:
        connection.execute(
            "INSERT INTO account (id, created_at, email, password_hash, role, first_name, last_name,"
            " calendar_generation, session_version, staff_roles, staff_roles_version)"
            " VALUES (?, ?, 'lea.martin@example.org', 'x', 'family', 'Léa', 'Martin', 0, 0, '[]', 0)",
            (account_id, "2026-12-01 08:00:00"),
        )
        connection.execute(f"DELETE FROM {backup.ERASURE_REGISTER}")
    connection.close()
    backup.backup(directory, with_broker=False, now=NOW)
    with sqlite3.connect(venue / "gateway.db") as connection:  # the erasure was asked after it
        connection.execute(
            f"INSERT INTO {backup.ERASURE_REGISTER}"
            f" (id, account_id, role, subjects, requested_by, {backup.ERASURE_DATE_COLUMN})"
            " VALUES ('after', ?, 'family', '[{\"role\": \"family\", \"id\": \"f1\"}]', 'director',"
            " '2026-12-07 09:00:00.250000')",
            (account_id,),
        )
    connection.close()
    return directory


def test_a_postgresql_password_reaches_pg_dump_decoded_and_off_the_command_line():
    params = backup.postgres_params("postgresql://cocoon:a%2Fb%23c%3Fd%40e@db.example:6543/bookings")
    assert params == {
        "PGHOST": "db.example",
        "PGPORT": "6543",
        "PGDATABASE": "bookings",
        "PGUSER": "cocoon",
        "PGPASSWORD": "a/b#c?d@e",
    }
    assert backup.redact("postgresql://cocoon:a%2Fb@db/x") == "postgresql://cocoon:***@db/x"


def test_an_unreachable_target_database_is_said_in_one_line(saved, elsewhere, monkeypatch, capsys):
    monkeypatch.setenv("TEAM_DATABASE_URL", "postgresql://cocoon:secret@127.0.0.1:1/team")
    assert cli.main(["restore", str(saved), "--no-broker"]) == cli.BACKUP_FAILED
    err = capsys.readouterr().err
    assert err.startswith("cocoon: OperationalError:") and "secret" not in err
