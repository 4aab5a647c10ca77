"""One service's own database opened by an operator command (`cocoon emails`, `cocoon insights`):
works with the services stopped, never creates a SQLite file by reading, and leaves no pooled
PostgreSQL connection behind."""

from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from shared import config, db


class DatabaseProblem(Exception):
    pass


@contextmanager
def opened(component, models, url=None):
    """`models` (the service's models module) bound to its database for one command; yields the database."""
    url = url or config.database_url(component)
    if urlparse(url).scheme == "sqlite" and not Path(url[len("sqlite:///") :]).exists():
        raise DatabaseProblem(f"no database file at {db.redact(url)} (run `make migrate`)")
    database = db.make_database(url)
    models.database.initialize(database)
    try:
        with database.connection_context():
            yield database
    finally:
        if db.is_postgres(database):
            database.close_all()  # a one-shot command: leave no pooled connection behind
