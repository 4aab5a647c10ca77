"""The versioned migration runner (shared/migrations.py, `make migrate`): named steps applied in
order, each once, recorded in `schema_migrations`, a failing one rolled back with the version kept.
The same on PostgreSQL: tests/integration/shared/test_migrations_postgres.py."""

import sqlite3
from datetime import datetime

import pytest

from shared import components, migrate, migrations, spine_migrations
from shared.migrations import Step
from tests.migration_probe import legacy_outbox
from tests.migration_probe import migrations as probe_steps
from tests.migration_probe import models as probe

SPINE = [step.name for step in spine_migrations.STEPS]
OWN = ["20300101_tag_the_notes", "20300102_add_a_note"]


@pytest.fixture
def probe_url(tmp_path, monkeypatch):
    monkeypatch.setattr(probe_steps, "CALLS", [])
    return f"sqlite:///{tmp_path / 'probe.db'}"


def recorded(url):
    with sqlite3.connect(url[len("sqlite:///") :]) as connection:
        return connection.execute("SELECT name, applied_at FROM schema_migrations ORDER BY id").fetchall()


def columns(url, table):
    with sqlite3.connect(url[len("sqlite:///") :]) as connection:
        return {row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')}


def test_a_new_database_runs_the_baseline_then_every_step_in_the_order_of_their_names(probe_url):
    migrate.migrate_models(probe, "probe", probe_url)

    assert probe_steps.CALLS == OWN
    assert [name for name, _ in recorded(probe_url)] == sorted([migrations.BASELINE, *SPINE, *OWN])
    assert "tag" in columns(probe_url, "note")


def test_each_applied_step_is_recorded_with_the_time_it_was_applied(probe_url):
    before = datetime.utcnow().replace(microsecond=0)
    migrate.migrate_models(probe, "probe", probe_url)

    for _name, applied_at in recorded(probe_url):
        assert datetime.fromisoformat(applied_at) >= before


def test_migrating_again_runs_no_step_twice(probe_url):
    migrate.migrate_models(probe, "probe", probe_url)
    first = recorded(probe_url)

    migrate.migrate_models(probe, "probe", probe_url)

    assert probe_steps.CALLS == OWN
    assert recorded(probe_url) == first
    with probe.database.connection_context():
        assert probe.Note.select().count() == 1  # the data step added its note once


def test_a_step_written_later_is_the_only_one_applied_to_an_existing_database(probe_url, monkeypatch):
    migrate.migrate_models(probe, "probe", probe_url)

    def later(database, models):
        probe_steps.CALLS.append("20300201_later")

    monkeypatch.setattr(probe_steps, "STEPS", [*probe_steps.STEPS, Step("20300201_later", later)])
    migrate.migrate_models(probe, "probe", probe_url)

    assert probe_steps.CALLS == [*OWN, "20300201_later"]
    with probe.database.connection_context():
        assert migrations.version(probe.database) == "20300201_later"


def test_a_failing_step_is_rolled_back_and_the_version_stays_the_last_step_that_succeeded(probe_url, monkeypatch):
    migrate.migrate_models(probe, "probe", probe_url)

    def half_done(database, models):
        database.execute_sql("CREATE TABLE half_done (id INTEGER)")
        models.Note.create(text="never kept")
        raise RuntimeError("the data are not what the step expected")

    def after(database, models):
        probe_steps.CALLS.append("20300302_after")

    steps = [*probe_steps.STEPS, Step("20300301_half_done", half_done), Step("20300302_after", after)]
    monkeypatch.setattr(probe_steps, "STEPS", steps)
    with pytest.raises(migrations.MigrationFailed) as failed:
        migrate.migrate_models(probe, "probe", probe_url)

    assert "20300301_half_done failed" in str(failed.value)
    assert "schema version stays 20300102_add_a_note" in str(failed.value)
    assert "the data are not what the step expected" in str(failed.value)
    assert "20300302_after" not in probe_steps.CALLS  # nothing after a failed step
    assert recorded(probe_url)[-1][0] == "20300102_add_a_note"
    with sqlite3.connect(probe_url[len("sqlite:///") :]) as connection:
        assert not connection.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchall()
    with probe.database.connection_context():
        assert probe.Note.select().count() == 1


def test_the_command_stops_with_one_line_naming_the_failed_step(monkeypatch, tmp_path):
    def broken(component, url=None):
        raise migrations.MigrationFailed("bookings: migration step 20300101_x failed, rolled back")

    monkeypatch.setattr(migrate, "migrate", broken)
    with pytest.raises(SystemExit) as stopped:
        migrate.main(["bookings"])
    assert str(stopped.value) == "migrate: bookings: migration step 20300101_x failed, rolled back"


def test_steps_named_twice_or_without_their_date_are_refused(monkeypatch):
    monkeypatch.setattr(probe_steps, "STEPS", [Step("20300101_a", print), Step("20300101_a", print)])
    with pytest.raises(ValueError, match="named twice: 20300101_a"):
        migrations.steps_of(probe)
    monkeypatch.setattr(probe_steps, "STEPS", [Step("add_a_column", print)])
    with pytest.raises(ValueError, match="YYYYMMDD_what"):
        migrations.steps_of(probe)


@pytest.mark.parametrize("component", components.COMPONENT_NAMES)
def test_every_component_has_the_baseline_first_and_the_spines_steps_without_boilerplate(component):
    import importlib

    models = importlib.import_module(components.named(component).models_module)
    names = [step.name for step in migrations.steps_of(models)]
    assert names[0] == migrations.BASELINE
    assert set(SPINE) <= set(names)


def test_a_database_made_before_versioning_gets_its_baseline_and_loses_abandoned_at_keeping_its_meaning(tmp_path):
    url = f"sqlite:///{tmp_path / 'volunteers.db'}"
    migrate.migrate("volunteers", url)
    from services.volunteers.models import database

    with database.connection_context():
        legacy_outbox.make_legacy(database)
    assert "abandoned_at" in columns(url, "outbox")

    migrate.migrate("volunteers", url)

    assert "abandoned_at" not in columns(url, "outbox")
    assert [name for name, _ in recorded(url)] == [migrations.BASELINE, *SPINE]
    with database.connection_context():
        rows = legacy_outbox.outbox_rows(database)
    unconsumed_at, _ = rows["e-unconsumed"]
    assert datetime.fromisoformat(str(unconsumed_at)) == legacy_outbox.GIVEN_UP_AT  # kept, not tried again
    unconsumed_at, next_attempt_at = rows["e-consumed"]
    assert unconsumed_at is None and datetime.fromisoformat(str(next_attempt_at)) < legacy_outbox.LATER  # backlog, now
    assert rows["e-pending"] == (None, rows["e-pending"][1])
    assert datetime.fromisoformat(str(rows["e-pending"][1])) == legacy_outbox.LATER  # never given up: untouched


def test_a_new_database_has_no_abandoned_at_and_records_its_drop_as_done(tmp_path):
    url = f"sqlite:///{tmp_path / 'team.db'}"
    migrate.migrate("team", url)
    assert "abandoned_at" not in columns(url, "outbox")
    assert "20261207_drop_outbox_abandoned_at" in [name for name, _ in recorded(url)]
