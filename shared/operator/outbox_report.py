"""The outbox backlog of each service: unsent events per event type, read from its database.

Read only. The columns are read defensively: a column the model has but the database does not
(not migrated yet), or that this version of the outbox does not have, is simply not reported.
"""

import importlib
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

from peewee import fn

from shared import config, db
from shared.timeutil import db_now

# Columns that mark an unsent row as waiting for a consumer rather than being retried.
STOPPED_MARKS = ("unconsumed_at",)


class DatabaseProblem(Exception):
    pass


def backlog(services=config.SERVICES):
    """One report per service, in order: {service, database, status, problem?, types: [...]}."""
    return [service_backlog(service) for service in services]


def service_backlog(service, url=None):
    url = url or config.database_url(service)
    report = {"service": service, "database": db.redact(url), "status": "ok", "types": []}
    try:
        report["types"] = _read(service, url)
    except DatabaseProblem as exc:
        report.update(status="error", problem=str(exc))
    except Exception as exc:  # connection refused, authentication, a corrupt file: say it, go on
        report.update(status="error", problem=f"{exc.__class__.__name__}: {str(exc).strip()}")
    return report


def _read(service, url):
    if urlparse(url).scheme == "sqlite" and not Path(url[len("sqlite:///") :]).exists():
        raise DatabaseProblem("no database file (run `make migrate`)")  # never create one by reading
    models = importlib.import_module(f"services.{service}.models")
    database = db.make_database(url)
    models.database.initialize(database)
    outbox = models.Outbox
    try:
        with database.connection_context():
            columns = {c.name for c in database.get_columns(outbox._meta.table_name)}
            if not columns:
                raise DatabaseProblem("no outbox table (run `make migrate`)")
            return _by_type(outbox, columns)
    finally:
        if db.is_postgres(database):
            database.close_all()  # a one-shot command: leave no pooled connection behind


def _by_type(outbox, columns):
    marks = [name for name in STOPPED_MARKS if name in columns and hasattr(outbox, name)]
    unsent = outbox.published_at.is_null()
    retried = unsent
    for name in marks:
        retried &= getattr(outbox, name).is_null()
    now = db_now()
    types = {}

    def entry(event_type):
        return types.setdefault(
            event_type,
            {
                "event_type": event_type,
                "pending": 0,
                "oldest_pending_at": None,
                "oldest_pending_age_seconds": None,
                "next_attempt_at": None,
                "max_attempts": 0,
                "last_error": None,
                **{_mark_key(name): 0 for name in marks},
            },
        )

    pending = (
        outbox.select(
            outbox.event_type,
            fn.COUNT(outbox.id).alias("count"),
            fn.MIN(outbox.created_at).alias("oldest"),
            fn.MAX(outbox.attempts).alias("attempts"),
            fn.MIN(outbox.next_attempt_at).alias("next_attempt"),
        )
        .where(retried)
        .group_by(outbox.event_type)
        .dicts()
    )
    for row in pending:
        oldest = _datetime(row["oldest"])
        entry(row["event_type"]).update(
            pending=row["count"],
            max_attempts=row["attempts"] or 0,
            oldest_pending_at=_iso(oldest),
            oldest_pending_age_seconds=max(0, int((now - oldest).total_seconds())) if oldest else None,
            next_attempt_at=_iso(_datetime(row["next_attempt"])),
        )
    for name in marks:
        stopped = (
            outbox.select(outbox.event_type, fn.COUNT(outbox.id).alias("count"))
            .where(unsent & getattr(outbox, name).is_null(False))
            .group_by(outbox.event_type)
            .dicts()
        )
        for row in stopped:
            entry(row["event_type"])[_mark_key(name)] = row["count"]
    for event_type, item in types.items():
        item["last_error"] = _last_error(outbox, unsent & (outbox.event_type == event_type))
    return [types[name] for name in sorted(types)]


def _mark_key(column):
    return column[: -len("_at")]  # unconsumed_at → unconsumed


def _last_error(outbox, condition):
    row = (
        outbox.select(outbox.last_error)
        .where(condition & outbox.last_error.is_null(False))
        .order_by(outbox.id.desc())
        .limit(1)
        .first()
    )
    return row.last_error if row else None


def _datetime(value):
    """SQLite hands an aggregate of a datetime column back as text."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _iso(value):
    return value.isoformat(sep=" ", timespec="seconds") + "Z" if value else None
