"""The database classes every service gets from shared/db.py's make_database.

peewee's transactions (and those of a DatabaseProxy) call the database's begin / commit /
rollback; these add, on top of the pooled SQLite and PostgreSQL databases:
- a writer lock held from BEGIN to COMMIT or ROLLBACK (SQLite: shared/sqlite_writers.py; none on
  PostgreSQL, which locks rows), so writers of one process take turns without waiting on SQLite's
  own lock inside eventlet's hub;
- the command's deadline, checked just before COMMIT (shared/deadline.py): a command whose caller
  gave up raises there, and peewee rolls it back instead of committing;
- a ROLLBACK that fails while an error is on its way (SQLite already rolled back after a full disk
  or an I/O error: "cannot rollback - no transaction is active"; a PostgreSQL connection that died)
  is logged, and that error goes on: logs, retries and dead letters see the real cause.
"""

import functools
import logging
import sys

from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

from shared import sqlite_writers
from shared.deadline import check_before_commit

log = logging.getLogger(__name__)

_READS = ("SELECT", "WITH", "PRAGMA", "EXPLAIN")
_ROLLBACK_TO = "ROLLBACK TO SAVEPOINT"


def _quiet_rollback(rollback):
    """Run `rollback()`; when it fails while an error is on its way, log it and let that error go on."""
    cause = sys.exc_info()[1]
    try:
        rollback()
    except Exception as rollback_error:
        if cause is None:
            raise
        log.warning(
            "rollback failed after an error; the error is the cause",
            extra={"error": f"{type(cause).__name__}: {cause}", "rollback_error": repr(rollback_error)},
        )


class _Guarded:
    def writer_acquire(self):
        pass

    def writer_release(self):
        pass

    def _hold_writer(self):
        self.writer_acquire()
        self._state.holds_writer = True

    def _drop_writer(self):
        if getattr(self._state, "holds_writer", False):
            self._state.holds_writer = False
            self.writer_release()

    def _statement(self, run):
        """Run a BEGIN or a write outside a transaction (SQLite: again while another process writes)."""
        return run()

    def begin(self, *args, **kwargs):
        self._hold_writer()
        try:
            return self._statement(functools.partial(super().begin, *args, **kwargs))
        except BaseException:
            self._drop_writer()
            raise

    def commit(self):
        check_before_commit()  # raises DeadlinePassed: peewee's transaction then rolls back
        try:
            return super().commit()
        finally:
            self._drop_writer()

    def rollback(self):
        try:
            _quiet_rollback(super().rollback)
        finally:
            self._drop_writer()

    def execute_sql(self, sql, params=None):
        if sql.startswith(_ROLLBACK_TO):  # a savepoint giving up: as a rollback, never hide the cause
            return _quiet_rollback(functools.partial(super().execute_sql, sql, params))
        return super().execute_sql(sql, params)


class SqliteDatabase(_Guarded, PooledSqliteDatabase):
    """Writers take this process's lock for the file first (a transaction for its whole length, a
    write outside one for that statement); a BEGIN or such a write refused because another process
    writes is tried again with green pauses."""

    def writer_acquire(self):
        sqlite_writers.acquire(self)

    def writer_release(self):
        sqlite_writers.release(self)

    def _statement(self, run):
        return sqlite_writers.retry_while_busy(run)

    def execute_sql(self, sql, params=None):
        if self.in_transaction() or sql.lstrip()[:7].split(None, 1)[0].upper() in _READS:
            return super().execute_sql(sql, params)
        self.writer_acquire()
        try:
            return self._statement(functools.partial(super().execute_sql, sql, params))
        finally:
            self.writer_release()


class PostgresDatabase(_Guarded, PooledPostgresqlDatabase):
    pass
