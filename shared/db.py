"""One peewee database per service: SQLite file by default, PostgreSQL when a URL says so.

SQLite runs in WAL mode; writers of one process take turns on a lock of that process, green
under eventlet (shared/sqlite_writers.py), and SQLite's busy timeout only covers other processes.
Every transaction checks the command's deadline before COMMIT and never hides an error behind a
failed ROLLBACK (shared/databases.py).
Both use a connection pool. On SQLite it keeps each connection open between calls: opening one
costs its PRAGMAs, and closing the last one checkpoints the WAL, ~2 ms of CPU per RPC when every
call connected and closed (docs/architecture.md, "When the database fails"); SQLite still
checkpoints on its own every 1000 WAL pages. On PostgreSQL inside nameko (eventlet) psycopg2 is
made green so a query does not block every other worker of the process. The pool is sized by its caller (a
service: max_workers + its outbox relay + 1 spare); a connection found dead when checked out
is dropped (peewee pings it), and a call that finds every connection taken waits a bounded
time. What a lost, refused or exhausted database raises is CONNECTION_ERRORS: the service
answers that one call with Unavailable (503) and keeps running.
"""

import logging
import os
import re
import weakref
from urllib.parse import urlparse

import psycopg2
from peewee import SQL, ColumnBase, Field, Function, InterfaceError, OperationalError, SelectBase, fn
from playhouse.db_url import parse as parse_db_url
from playhouse.pool import MaxConnectionsExceeded, PooledDatabase, PooledPostgresqlDatabase

from shared import config, sqlite_writers
from shared.databases import PostgresDatabase, SqliteDatabase

log = logging.getLogger(__name__)

# Raised by a database that is down, restarted, a connection killed, a pool exhausted, SQLite
# still locked after busy_timeout, or a PostgreSQL deadlock / serialization failure (psycopg2
# errors that peewee passes through unwrapped): transient, so the call fails as Unavailable.
CONNECTION_ERRORS = (OperationalError, InterfaceError, MaxConnectionsExceeded, psycopg2.OperationalError)
DEFAULT_POOL_SIZE = 10  # for callers that do not say how many threads share the database
POOL_WAIT_SECONDS = 3.0  # a call finding every pooled connection taken waits this long, then fails
CONNECT_TIMEOUT_SECONDS = 5  # an unreachable server fails the call in seconds, not after the TCP timeout

# synchronous=FULL: in WAL mode NORMAL may lose the last commits on a power cut or OS crash, after
# the message they applied was acked; FULL syncs the WAL at each commit (cost: docs/architecture.md).
# busy_timeout: 5 s with threads; make_database shortens it under eventlet (shared/sqlite_writers.py).
SQLITE_PRAGMAS = {"journal_mode": "wal", "busy_timeout": 5000, "foreign_keys": 1, "synchronous": "full"}


# SQLite errors that say the file cannot be used now, not that the statement is wrong ("no such
# column", "syntax error": a bug, retried a few times like any failure, then parked).
SQLITE_OUTAGES = (
    "database is locked",
    "database table is locked",
    "disk i/o error",
    "database or disk is full",
    "unable to open database file",
    "attempt to write a readonly database",
)


def database_outage(exc):
    """The failure of the database itself behind `exc` (itself, or what it was raised from: the
    Unavailable an entrypoint answers), or None: refused or lost connections, a full or locked
    SQLite file, a pool with no free connection, a PostgreSQL server error of the operational kind
    (terminated, deadlock, serialization). A message is not to blame for those."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if _is_outage(exc):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _is_outage(exc):
    if isinstance(exc, (MaxConnectionsExceeded, InterfaceError, psycopg2.OperationalError, psycopg2.InterfaceError)):
        return True
    if isinstance(exc, OperationalError):  # peewee's: the driver's error is its cause
        driver = exc.__cause__ or exc.__context__
        if isinstance(driver, (psycopg2.OperationalError, psycopg2.InterfaceError)):
            return True
        return any(words in str(exc).lower() for words in SQLITE_OUTAGES)
    return False


def _make_psycopg_green():
    try:
        import eventlet.patcher
    except ImportError:  # the gateway runs without eventlet
        return
    if eventlet.patcher.is_monkey_patched("socket"):
        from psycogreen.eventlet import patch_psycopg

        patch_psycopg()


def make_database(url, pool_size=DEFAULT_POOL_SIZE, pool_wait_seconds=POOL_WAIT_SECONDS):
    """`pool_size`: how many threads of this process use the database at once."""
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = url[len("sqlite:///") :]
        keep_private(path)
        # check_same_thread off: the pool hands a connection to one thread at a time, not always
        # the one that opened it (the gateway's gunicorn threads; greenthreads share one OS thread).
        # `timeout` is the pool's wait; writers wait on sqlite_writers' lock, then SQLite's busy_timeout.
        pragmas = dict(SQLITE_PRAGMAS, busy_timeout=sqlite_writers.busy_timeout_ms())
        return SqliteDatabase(
            path, pragmas=pragmas, max_connections=pool_size, timeout=pool_wait_seconds, check_same_thread=False
        )
    if scheme in ("postgres", "postgresql"):
        _make_psycopg_green()
        # A user name or password with `/`, `#`, `?`, `@` or `:` is percent-encoded in the URL
        # (`%2F`, `%23`, `%3F`, `%40`, `%3A`): psycopg gets it decoded, as libpq would.
        params = parse_db_url(url, unquote_password=True, unquote_user=True)
        params.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        return PostgresDatabase(max_connections=pool_size, stale_timeout=300, timeout=pool_wait_seconds, **params)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///path or postgresql://...")


def keep_private(path):
    """A SQLite database (people's names, children, health notes) readable by its owner only (600).

    SQLite creates a new database file with the process's umask (often 644: every local user
    reads it) and its -wal and -shm files with the database file's own mode, so the file is
    created 600 here before SQLite opens it; files an earlier version made readable are closed."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    except FileNotFoundError:  # no such directory: SQLite says so when it connects
        return
    for name in (path, f"{path}-wal", f"{path}-shm"):
        try:
            os.chmod(name, 0o600)
        except FileNotFoundError:
            continue
        except PermissionError:  # someone else's file: it keeps its mode, and the operator hears of it
            log.warning("database file mode left unchanged", extra={"path": name})


def is_postgres(database):
    return isinstance(getattr(database, "obj", database), PooledPostgresqlDatabase)


def bind(proxy, component, url=None, **pool):
    """Point a service's DatabaseProxy at its real database (URL from the environment by default);
    `pool`: make_database's pool_size / pool_wait_seconds."""
    url = url or config.database_url(component)
    proxy.initialize(make_database(url, **pool))
    return url


def release_connection(database):
    """Give this thread's connection back (to the pool on PostgreSQL); never raises. A connection
    that cannot be closed normally (a transaction left open) is dropped, not handed out again."""
    if database.is_closed():
        return
    try:
        database.close()
    except Exception as exc:
        log.warning("database connection dropped", extra={"error": repr(exc)})
        _drop_connection(getattr(database, "obj", database))


def _drop_connection(database):
    conn = database._state.conn
    database._state.reset()
    if conn is None:  # close() got as far as forgetting it
        return
    if isinstance(database, PooledDatabase):
        database._close(conn, close_conn=True)  # out of the pool's in-use list, and closed
    else:
        try:
            conn.close()
        except Exception:  # already broken: nothing more to close
            log.debug("closing a broken connection failed", exc_info=True)


def write_transaction(database):
    """A transaction that serialises writers: BEGIN IMMEDIATE on SQLite (one writer at a time,
    taken up front so a check-then-insert cannot race); on PostgreSQL a plain transaction in
    which the caller locks the row it decides on with `lock(query)`."""
    if is_postgres(database):
        return database.atomic()
    return database.atomic("IMMEDIATE")


def lock(query):
    """SELECT … FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the lock."""
    return query.for_update() if is_postgres(query.model._meta.database) else query


def get_locked(query):
    """The one way an entrypoint loads a row it is about to change: the first row of `query`, or None
    (`query`: a peewee query, or a `Prepared` statement's `bind(...)`: its row as a dict).

    On PostgreSQL the row of the query's own model is locked (`FOR UPDATE OF` it, not the joined
    tables; a Prepared statement's `locks`) until the transaction ends: a concurrent change of
    the same row waits here, then reads what the first one committed and decides on that
    (typically a 409). On SQLite the IMMEDIATE transaction already holds the one write lock.
    Call it inside `uow.atomic(exclusive=True)`, and decide only on what it returned.
    """
    database = query.model._meta.database
    if not database.in_transaction():
        raise RuntimeError("get_locked() outside a transaction locks nothing: use it inside uow.atomic(exclusive=True)")
    if is_postgres(database):
        return query.for_update(of=getattr(query, "locks", query.model)).first()  # `locks`: a Prepared read's
    check_write_lock(database, "get_locked()")
    return query.first()


def lock_key(database, kind, key):
    """For a decision about something with no row of its own here (e.g. a trainee known only by
    id: "not in two activities at once"): transactions locking the same (kind, key) run one at a
    time, until each ends (PostgreSQL advisory lock; SQLite's IMMEDIATE transaction already does it)."""
    if not database.in_transaction():
        raise RuntimeError("lock_key() outside a transaction locks nothing: use it inside uow.atomic(exclusive=True)")
    if is_postgres(database):
        database.execute_sql("SELECT pg_advisory_xact_lock(hashtext(%s), hashtext(%s))", (kind, str(key)))
    else:
        check_write_lock(database, "lock_key()")


def check_write_lock(database, who="this decision"):
    """On SQLite, RuntimeError unless the transaction began IMMEDIATE: that one write lock is every
    row and key lock there. What get_locked and lock_key check; a caller that skips a lock_key on
    SQLite (it would lock nothing more) checks this instead."""
    if not is_postgres(database) and not _holds_sqlite_write_lock(database):
        raise RuntimeError(f"{who} on SQLite needs uow.atomic(exclusive=True) (BEGIN IMMEDIATE)")


def _holds_sqlite_write_lock(database):
    """True when the outermost transaction began IMMEDIATE or EXCLUSIVE (a plain BEGIN reads a
    snapshot that another writer may change before this one writes)."""
    begin_args = getattr(getattr(database, "obj", database)._state.transactions[0], "_begin_args", None)
    if begin_args is None:  # not a peewee transaction this check knows: trust the caller
        return True
    args, kwargs = begin_args
    lock_type = kwargs.get("lock_type") or (args[0] if args else None)
    return str(lock_type).upper() in ("IMMEDIATE", "EXCLUSIVE")


# --- statements built once -------------------------------------------------------------------------
# peewee rebuilds a statement's SQL text from its expression tree at every call: on the booking
# path that cost more CPU than SQLite running the statements (docs/performance.md). A statement of
# a hot path is declared once as a `Prepared` with named `Param`s; its SQL is built on its first
# run on each database (SQLite and PostgreSQL write it differently) and reused after.


class Param(ColumnBase):
    """A named value of a `Prepared` statement, given at each run. Converted as peewee converts a
    value compared with a field (`Booking.slot == Param("slot_id")`: an id or a Slot), or by the
    `field` given (an INSERT's values)."""

    def __init__(self, name, field=None):
        super().__init__()
        self.name = name
        self.field = field

    def __sql__(self, ctx):
        converter = self.field.db_value if self.field is not None else ctx.state.converter
        return ctx.value(_Slot(self.name, converter), converter=False)


class _Slot:
    __slots__ = ("name", "converter")

    def __init__(self, name, converter):
        self.name, self.converter = name, converter

    def fill(self, values):
        value = values[self.name]
        return self.converter(value) if self.converter is not None else value


class _Compiled:
    __slots__ = ("sql", "params", "columns")

    def __init__(self, query, database):
        self.sql, self.params = database.get_sql_context().sql(query).query()
        self.columns = _columns(query) if isinstance(query, SelectBase) else None

    def values(self, given):
        return [p.fill(given) if isinstance(p, _Slot) else p for p in self.params]


def _columns(query):
    """[(key, converter)] of a SELECT's columns: its alias or field name, and the python_value
    peewee's own cursors would apply (a field's, a function's given one or its first field's)."""
    columns = []
    for node in query._returning:
        inner = node.unwrap()
        key = getattr(node, "_alias", None) or getattr(inner, "name", None)  # Alias, aliased subquery, Field
        converter = None
        if isinstance(inner, Field):
            converter = inner.python_value
        elif isinstance(inner, Function) and inner._coerce:
            if inner._python_value is not None:
                converter = inner._python_value
            elif inner.arguments and isinstance(inner.arguments[0], Field):
                converter = inner.arguments[0].python_value
        elif getattr(inner, "_converter", None):
            converter = inner._converter
        if key is None:
            raise ValueError(f"a Prepared read names each column it selects (.alias()): {node!r}")
        columns.append((key, converter))
    return columns


class Prepared:
    """A statement built once per database, run with new values for its `Param`s:

        SLOT = Prepared(Slot, lambda database: Slot.select(...).where(Slot.id == Param("slot_id")))
        rows = SLOT.run(slot_id=...)              # [{column: value}], converted as peewee would
        row = get_locked(SLOT.bind(slot_id=...))  # the first row, locked (FOR UPDATE OF `locks`)

    `build(database)` returns the peewee query of `model` (it may write a dialect's SQL its own
    way); `locks`: the models whose rows a locked read locks on PostgreSQL (default: `model`)."""

    def __init__(self, model, build, locks=None):
        self.model = model
        self.build = build
        self.locks = locks or model
        self._compiled = weakref.WeakKeyDictionary()  # database -> {locked: _Compiled}

    def bind(self, **values):
        return Bound(self, values)

    def run(self, **values):
        return self.bind(**values).rows()

    def execute(self, **values):
        """Run a write; its cursor."""
        return self.bind(**values).cursor()

    def compiled(self, proxy, locked):
        database = getattr(proxy, "obj", proxy)
        per_database = self._compiled.get(database)
        if per_database is None:
            per_database = self._compiled[database] = {}
        found = per_database.get(locked)
        if found is None:
            query = self.build(database)
            if locked:
                query = query.for_update(of=self.locks)
            found = per_database[locked] = _Compiled(query, database)
        return found


class Bound:
    """A Prepared statement with its values: what `get_locked` takes, as it takes a query."""

    def __init__(self, prepared, values, locked=False):
        self.prepared, self.values, self.locked = prepared, values, locked
        self.model = prepared.model
        self.locks = prepared.locks

    def for_update(self, of=None):
        """Locked when run (get_locked, PostgreSQL): FOR UPDATE OF the prepared statement's `locks`."""
        return Bound(self.prepared, self.values, locked=True)

    def cursor(self):
        database = self.model._meta.database
        compiled = self.prepared.compiled(database, self.locked)
        return database.execute_sql(compiled.sql, compiled.values(self.values))

    def rows(self):
        database = self.model._meta.database
        compiled = self.prepared.compiled(database, self.locked)
        cursor = database.execute_sql(compiled.sql, compiled.values(self.values))
        return [_converted(compiled.columns, row) for row in cursor.fetchall()]

    def first(self):
        rows = self.rows()
        return rows[0] if rows else None


def _converted(columns, row):
    return {
        key: value if convert is None or value is None else convert(value)
        for (key, convert), value in zip(columns, row, strict=True)
    }


def insert_of(model, fields):
    """An INSERT of one row of `model` with these fields, each a Param of its own name:
    `Prepared(Booking, lambda database: insert_of(Booking, [...])).execute(**booking.__data__)`."""
    return model.insert({field: Param(field.name, field) for field in fields})


def json_rows(database, *columns):
    """An aggregate: the group's rows of these columns as one JSON array of arrays, so that a
    list joins a one-row read (SQLite hands back its text, psycopg2 the parsed list; SQLite's
    booleans are 0 and 1, dates are ISO text on both)."""
    if is_postgres(database):
        return fn.COALESCE(fn.json_agg(fn.json_build_array(*columns)), SQL("'[]'::json"))
    return fn.json_group_array(fn.json_array(*columns))


def utc_day(database, column, days=0):
    """The date of a stored (naive UTC) time `days` later, in SQL."""
    if is_postgres(database):
        return fn.date(column + SQL(f"interval '{int(days)} day'"))
    return fn.date(column, f"{int(days):+d} day")


def inserted_id(database, cursor):
    """The id of the row a Prepared INSERT just made (its RETURNING on PostgreSQL)."""
    return cursor.fetchone()[0] if is_postgres(database) else cursor.lastrowid


def from_row(model, data):
    """A model instance of stored values (a Prepared read's), as peewee's own cursors make one:
    no defaults, nothing marked changed."""
    instance = model(__no_default__=1)
    instance.__data__.update(data)
    return instance


def redact(url):
    """A database URL fit for logs (no password)."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)
