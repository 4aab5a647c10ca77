"""`cocoon backup` and `cocoon restore` with every component on PostgreSQL: pg_dump per database,
pg_restore into fresh databases, refused onto databases that hold tables unless --force."""

import psycopg2
import pytest

from shared import components, migrate
from shared.operator import backup, cli


def point_at(monkeypatch, postgres_databases, tmp_path, name):
    """Every component on a fresh PostgreSQL database of this test; a var directory for the keys."""
    urls = {}
    for component in components.COMPONENTS:
        urls[component.name] = postgres_databases()
        monkeypatch.setenv(component.database_env, urls[component.name])
    var = tmp_path / name
    var.mkdir()
    monkeypatch.setenv("COCOON_VAR_DIR", str(var))
    for variable, _file_name in backup.KEYS:
        monkeypatch.delenv(variable, raising=False)
    return urls, var


def rooms_in(url):
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT name FROM room ORDER BY name")
        names = [row[0] for row in cursor.fetchall()]
    connection.close()
    return names


@pytest.fixture
def saved(monkeypatch, postgres_databases, tmp_path):
    urls, var = point_at(monkeypatch, postgres_databases, tmp_path, "source")
    for name, url in urls.items():
        migrate.migrate(name, url)
    with psycopg2.connect(urls["bookings"]) as connection, connection.cursor() as cursor:
        cursor.execute("INSERT INTO room VALUES ('r1', now(), 'Salle des lilas', 'childcare', 12)")
    connection.close()
    (var / backup.SECRET_KEY_NAME).write_text("clé")
    assert cli.main(["backup", str(tmp_path / "backup"), "--no-broker"]) == cli.OK
    return tmp_path / "backup", urls


def test_a_postgresql_venue_is_dumped_and_restored_into_fresh_databases(
    saved, monkeypatch, postgres_databases, tmp_path
):
    directory, _source = saved
    manifest = backup.read_manifest(directory)
    assert {entry["engine"] for entry in manifest["databases"].values()} == {"postgresql"}
    assert manifest["databases"]["bookings"]["tables"]["room"]["rows"] == 1
    assert manifest["databases"]["bookings"]["schema_version"] == "20261207_drop_outbox_abandoned_at"
    assert manifest["databases"]["gateway"]["schema_steps"][0] == "0000_baseline"
    targets, var = point_at(monkeypatch, postgres_databases, tmp_path, "target")
    assert cli.main(["restore", str(directory), "--no-broker"]) == cli.OK
    assert rooms_in(targets["bookings"]) == ["Salle des lilas"]
    assert (var / backup.SECRET_KEY_NAME).read_text() == "clé"


def test_a_postgresql_backup_with_a_migration_step_this_code_lacks_is_refused(saved, monkeypatch, capsys):
    import json

    directory, source = saved
    with psycopg2.connect(source["bookings"]) as connection, connection.cursor() as cursor:
        cursor.execute("DELETE FROM room")
    connection.close()
    manifest = backup.read_manifest(directory)
    manifest["databases"]["bookings"]["schema_steps"].append("20990101_rooms_split")
    manifest["databases"]["bookings"]["schema_version"] = "20990101_rooms_split"
    (directory / backup.MANIFEST).write_text(json.dumps(manifest))
    assert cli.main(["restore", str(directory), "--no-broker", "--force"]) == cli.BACKUP_FAILED
    said = capsys.readouterr().err
    assert "bookings: the backup's schema is newer than this code: version 20990101_rooms_split" in said
    assert rooms_in(source["bookings"]) == []  # nothing written, even with --force


def test_a_restore_onto_databases_holding_tables_needs_force(saved, monkeypatch, capsys):
    directory, source = saved
    with psycopg2.connect(source["bookings"]) as connection, connection.cursor() as cursor:
        cursor.execute("DELETE FROM room")
    connection.close()
    assert cli.main(["restore", str(directory), "--no-broker"]) == cli.BACKUP_FAILED
    assert "target databases are not empty: bookings" in capsys.readouterr().err
    assert rooms_in(source["bookings"]) == []
    assert cli.main(["restore", str(directory), "--no-broker", "--force"]) == cli.OK
    assert rooms_in(source["bookings"]) == ["Salle des lilas"]
