"""Versioned migrations: ordered, named steps per component database, each applied once.

Every component's database keeps a table `schema_migrations` (one row per applied step: its
name and `applied_at`). `python -m shared.migrate` (`make migrate`) runs, in name order, the steps
of that component not recorded there yet, each in its own transaction with its row (SQLite and
PostgreSQL both roll back a failed step's DDL: the step is then not recorded, and the database
keeps its version). A component's steps are:

- `0000_baseline`: what `make migrate` did before it kept a version: create the missing tables,
  add the missing columns, the service's `models.after_migrate()` backfills, the indexes. A
  database made before versioning gets it first, as any new database does;
- the spine's steps (shared/spine_migrations.py, `STEPS`): the tables every service has (outbox…);
- the component's own, in the optional module next to its models: `services/<name>/migrations.py`
  with `STEPS = [Step("20261207_what_it_does", function)]`. Nothing else to declare: a service in
  shared/components.py without that module runs the baseline and the spine's steps.

Names are `YYYYMMDD_what` (the date the step was written): sorting them by name orders the
spine's and the service's steps on one time line. A step is `function(database, models)` (the
bound database and the models module); the baseline creates new databases from today's models,
so a step finds its change already made on a new database and must check before altering
(`has_column`). The schema version of a database is its last applied step.
"""

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from peewee import CharField, DateTimeField, Model, sort_models

from shared import db
from shared.timeutil import db_now

TABLE = "schema_migrations"
BASELINE = "0000_baseline"
NAME = re.compile(r"^\d{8}_[a-z0-9_]+$")


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable  # run(database, models)
    # "table.column" this step removes: a backup made before it still holds them (shared/operator/backup.py)
    retires: tuple = field(default=())


class MigrationFailed(Exception):
    """A step raised: it was rolled back, the database keeps its previous version."""


def history_model(component_database):
    """The `schema_migrations` table, bound to one component's database."""

    class SchemaMigration(Model):
        name = CharField(max_length=200, unique=True)
        applied_at = DateTimeField(default=db_now)

        class Meta:
            table_name = TABLE
            database = component_database

    return SchemaMigration


# --- the baseline ------------------------------------------------------------------------------
def baseline(database, models):
    """What `make migrate` did before versioning, once: tables, columns, backfills, indexes."""
    create_missing(models.MODELS, database)
    if hasattr(models, "after_migrate"):  # the backfills written before versioned steps existed
        models.after_migrate()
    add_missing_indexes(models.MODELS)


def create_missing(model_classes, database):
    for model in sort_models(model_classes):  # tables first, their indexes once every column is there
        model._schema.create_table(safe=True)
    add_missing_columns(database, model_classes)


def add_missing_indexes(model_classes):
    """Every index of the models (Meta.indexes, index=True), created when missing (IF NOT EXISTS).

    Only after add_missing_columns: on SQLite an index naming a column the table lacks yet is not
    refused, its "column" is read as a string constant (double-quoted identifiers fall back to
    literals), and the index then answers that constant for every row. peewee's create_tables
    makes the indexes with the tables, so it is not used here."""
    for model in model_classes:
        model._schema.create_indexes(safe=True)


def add_missing_columns(database, model_classes):
    """The simple, common change: a field added to a model becomes a column of the existing table.
    Anything else (a rename, a drop, a new NOT NULL column without default) is a written step."""
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run_migrations

    migrator = SchemaMigrator.from_database(database)
    for model in model_classes:
        table = model._meta.table_name
        existing = {column.name for column in database.get_columns(table)}
        for model_field in model._meta.sorted_fields:
            if model_field.column_name in existing:
                continue
            if not model_field.null and model_field.default is None:
                raise SystemExit(
                    f"{table}.{model_field.column_name}: a NOT NULL column without default needs a written migration"
                )
            run_migrations(migrator.add_column(table, model_field.column_name, model_field))
            print(f"  added column {table}.{model_field.column_name}")


def has_column(database, table, column):
    return database.table_exists(table) and column in {c.name for c in database.get_columns(table)}


# --- the steps of a component ------------------------------------------------------------------
def own_steps(models):
    """`STEPS` of the module `migrations` next to the models module (services/<name>/migrations.py), or []."""
    package = models.__name__.rsplit(".", 1)[0]
    try:
        module = importlib.import_module(f"{package}.migrations")
    except ModuleNotFoundError as exc:
        if exc.name != f"{package}.migrations":  # the module exists and imports something missing
            raise
        return []
    return list(module.STEPS)


def steps_of(models):
    """Every step of the component whose models module is `models`, in the order they apply."""
    from shared import spine_migrations

    steps = [Step(BASELINE, baseline), *spine_migrations.STEPS, *own_steps(models)]
    names = [step.name for step in steps]
    for name in names[1:]:
        if not NAME.match(name):
            raise ValueError(f"migration step {name!r}: name it YYYYMMDD_what (lower case, digits, _)")
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise ValueError(f"migration steps named twice: {', '.join(duplicated)}")
    return sorted(steps, key=lambda step: step.name)


def applied(database):
    """Names of the steps applied to `database` (bound, connected), in the order they were applied."""
    if not database.table_exists(TABLE):
        return []
    history = history_model(database)
    return [row.name for row in history.select(history.name).order_by(history.id)]


def version(database):
    """The last applied step, or None for a database not under versioned migrations yet."""
    names = applied(database)
    return names[-1] if names else None


def apply_pending(models, component, say=print):
    """Run the steps of `models.database` not applied yet, in order; the names applied now.

    Each in one transaction with its row in `schema_migrations`; another `migrate` running at the
    same time waits for it (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE), then finds the
    step recorded and skips it."""
    database = models.database
    history = history_model(database)
    history.create_table(safe=True)
    done = set(applied(database))
    ran = []
    for step in steps_of(models):
        if step.name in done:
            continue
        try:
            with db.write_transaction(database):
                db.lock_key(database, TABLE, component)
                if history.select().where(history.name == step.name).exists():
                    continue
                step.run(database, models)
                history.create(name=step.name)
        except Exception as exc:
            raise MigrationFailed(
                f"{component}: migration step {step.name} failed, rolled back (schema version stays "
                f"{version(database) or 'none'}): {exc.__class__.__name__}: {exc}"
            ) from exc
        say(f"  {component}: applied {step.name}")
        ran.append(step.name)
    return ran
