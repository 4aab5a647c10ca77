"""The versioned migration runner on PostgreSQL (shared/migrations.py): a failing step's DDL and
data rolled back with the version kept, and `outbox.abandoned_at` moved then dropped on a database
made before versioning. The same on SQLite: tests/unit/shared/test_migrations.py."""

from datetime import datetime

import pytest

from shared import migrate, migrations, spine_migrations
from shared.migrations import Step
from tests.migration_probe import legacy_outbox
from tests.migration_probe import migrations as probe_steps
from tests.migration_probe import models as probe


def names(database):
    with database.connection_context():
        return migrations.applied(database)


def test_a_failing_step_on_postgresql_leaves_neither_its_table_nor_its_rows_and_keeps_the_version(
    postgres_url, monkeypatch
):
    monkeypatch.setattr(probe_steps, "CALLS", [])
    migrate.migrate_models(probe, "probe", postgres_url)

    def half_done(database, models):
        database.execute_sql("CREATE TABLE half_done (id INTEGER)")
        models.Note.create(text="never kept")
        raise RuntimeError("stopped half way")

    monkeypatch.setattr(probe_steps, "STEPS", [*probe_steps.STEPS, Step("20300301_half_done", half_done)])
    with pytest.raises(migrations.MigrationFailed, match="20300301_half_done failed"):
        migrate.migrate_models(probe, "probe", postgres_url)

    assert names(probe.database)[-1] == "20300102_add_a_note"
    with probe.database.connection_context():
        assert not probe.database.table_exists("half_done")
        assert probe.Note.select().count() == 1


def test_a_postgresql_database_made_before_versioning_loses_abandoned_at_keeping_its_meaning(postgres_url):
    from services.volunteers.models import database

    migrate.migrate("volunteers", postgres_url)
    with database.connection_context():
        legacy_outbox.make_legacy(database)
        assert migrations.has_column(database, "outbox", "abandoned_at")

    migrate.migrate("volunteers", postgres_url)

    assert names(database) == [migrations.BASELINE, *(step.name for step in spine_migrations.STEPS)]
    with database.connection_context():
        assert not migrations.has_column(database, "outbox", "abandoned_at")
        rows = legacy_outbox.outbox_rows(database)
    assert rows["e-unconsumed"][0] == legacy_outbox.GIVEN_UP_AT
    assert rows["e-consumed"][0] is None and rows["e-consumed"][1] < legacy_outbox.LATER
    assert rows["e-pending"] == (None, legacy_outbox.LATER)
    assert isinstance(rows["e-pending"][1], datetime)
