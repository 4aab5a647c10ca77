"""A duplicate unique value is the caller's conflict (409 with the field), never a 500.

A check-then-insert ("is this email taken?") cannot see a row another transaction has not
committed yet: under a race the database's unique constraint is what refuses the second one.
`duplicates_as_conflict()` turns that refusal into `Conflict(message, {column: [...]})`, on
SQLite and on PostgreSQL alike; `uow.atomic()` wraps every service transaction in it, and the
gateway's account creation uses it too. Other integrity errors (NOT NULL, foreign keys) are
bugs and pass through unchanged.
"""

import re
from contextlib import contextmanager

from peewee import IntegrityError

from shared.errors import Conflict

DUPLICATE_MESSAGE = "Cette valeur est déjà utilisée."
DUPLICATE_FIELD_MESSAGE = "Déjà utilisé."
POSTGRES_UNIQUE_VIOLATION = "23505"
_SQLITE_UNIQUE = re.compile(r"^UNIQUE constraint failed: (?P<columns>.+)$")
_POSTGRES_KEY = re.compile(r"^Key \((?P<columns>.+?)\)=\(")


@contextmanager
def duplicates_as_conflict(message=DUPLICATE_MESSAGE, field_message=DUPLICATE_FIELD_MESSAGE):
    """Run the block; a unique-constraint violation leaves it as Conflict naming the column(s)."""
    try:
        yield
    except IntegrityError as exc:
        columns = duplicate_columns(exc)
        if columns is None:
            raise
        raise Conflict(message, {column: [field_message] for column in columns}) from exc


def duplicate_columns(exc):
    """The columns of the unique constraint `exc` violated ([] when unknown), or None when `exc`
    is not a unique violation. `exc` is peewee's IntegrityError (the driver's error is its
    `orig`) or the driver's own."""
    original = getattr(exc, "orig", exc)
    if getattr(original, "pgcode", None) is not None:
        return _postgres_columns(original)
    return sqlite_columns(str(original))


def sqlite_columns(message):
    """'UNIQUE constraint failed: room.name' -> ['name']; composite keys give each column."""
    found = _SQLITE_UNIQUE.match(message.strip())
    if found is None:
        return None
    qualified = [part.strip() for part in found["columns"].split(",")]
    return [part.rsplit(".", 1)[-1] for part in qualified if part and not part.startswith("index ")]


def postgres_columns(detail, constraint=None, table=None):
    """From PostgreSQL's diagnostics: detail 'Key (name)=(x) already exists.' -> ['name']; when the
    detail is hidden, peewee's constraint name '<table>_<column>' gives the column."""
    found = _POSTGRES_KEY.match(detail or "")
    if found:
        return [column.strip().strip('"') for column in found["columns"].split(",")]
    if constraint and table and constraint.startswith(table + "_") and not constraint.endswith("_pkey"):
        return [constraint[len(table) + 1 :]]
    return []


def _postgres_columns(error):
    if error.pgcode != POSTGRES_UNIQUE_VIOLATION:
        return None
    diag = error.diag
    return postgres_columns(diag.message_detail, diag.constraint_name, diag.table_name)
