"""`cocoon backup DIR` and `cocoon restore DIR`: the venue's state as one consistent set of files.

What a backup holds (docs/operations.md, "Backups"):
- every component's database (shared/components.py): a SQLite file copied through SQLite's online
  backup API in one step (one read transaction: a consistent snapshot, the WAL's committed pages
  included, while the services keep writing), or `pg_dump --format=custom` of a PostgreSQL
  database (one snapshot per database, its own transaction);
- the broker's definitions of the venue's vhost (queues, exchanges, bindings, policies), from the
  management API;
- the keys (KEYS): the gateway's secret key (COCOON_SECRET_KEY, else the file the gateway keeps
  in the var directory; without it every session ends and every calendar link changes) and the
  Fernet keys of the absence certificates and the children's health files (without them those
  are unreadable);
- manifest.json: the app version, each database's schema version (its migration steps applied,
  shared/migrations.py) and schema (tables, columns, rows), every file's sha256, the date.

Each database is consistent on its own; between databases a backup is as consistent as the
services are with each other after a crash (the outboxes and inboxes make them converge).

A restore checks everything before writing anything: the checksums, a backup no newer than this
code (its app version, its migration steps, its tables and columns), empty target databases
(unless `force`).
Erasures done after the backup are then applied again (reapply_erasures).
"""

import hashlib
import importlib
import importlib.metadata
import json
import os
import sqlite3
import subprocess
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from shared import components, config

FORMAT = 1
MANIFEST = "manifest.json"
BROKER_FILE = "broker-definitions.json"
SECRET_KEY_NAME = "gateway-secret-key"  # the file services/gateway/web/__init__.py keeps in the var directory
# Each key: its variable, and the file its service keeps in the var directory without it. Without
# the gateway's, every session ends and every calendar link changes; without the two Fernet keys
# (services/bookings/settings.py), the absence certificates and children's health files are unreadable.
KEYS = (
    ("COCOON_SECRET_KEY", SECRET_KEY_NAME),
    ("COCOON_CERTIFICATE_KEY", "bookings-certificate-key"),
    ("COCOON_HEALTH_KEY", "bookings-health-key"),
)
# The table of applied migration steps (shared/migrations.py): its last step is the schema version.
MIGRATION_HISTORY = "schema_migrations"
# The register of RGPD erasures, in the gateway's database: one row per erasure done, with its date.
ERASURE_REGISTER = "erasure_register"
ERASURE_DATE_COLUMN = "created_at"  # services/gateway/models.ErasureRecord: when it was asked


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why in one line."""


@contextmanager
def said_in_one_line():
    """A database that cannot be read or written, a directory that cannot be made: a BackupError
    saying which, for the command's one line (exit 4), rather than a traceback."""
    import psycopg2

    try:
        yield
    except (psycopg2.Error, sqlite3.Error, OSError) as exc:
        raise BackupError(f"{exc.__class__.__name__}: {str(exc).strip()}") from exc


# --- the app, its schema ---------------------------------------------------------------------
def app_version():
    return importlib.metadata.version("cocoonage")


def version_tuple(text):
    """'0.10.2' -> (0, 10, 2): compared as numbers, not as text."""
    return tuple(int(part) if part.isdigit() else 0 for part in str(text).split("."))


def _models_of(name):
    return importlib.import_module(components.named(name).models_module)


def known_schema(name):
    """{table: set of columns} this code's models of component `name` define, with the columns its
    migration steps remove (a backup made before a step still holds them: the step runs after the restore)."""
    from shared import migrations

    models = _models_of(name)
    known = {
        model._meta.table_name: {field.column_name for field in model._meta.sorted_fields} for model in models.MODELS
    }
    for step in migrations.steps_of(models):
        for retired in step.retires:
            table, column = retired.split(".", 1)
            known.setdefault(table, set()).add(column)
    return known


def known_steps(name):
    """The names of the migration steps this code has for component `name`."""
    from shared import migrations

    return {step.name for step in migrations.steps_of(_models_of(name))}


def steps_unknown_here(name, entry):
    """The migration steps applied to a backup's database that this code does not have: a schema
    newer than the code's. A backup made before versioned migrations names none."""
    applied = entry.get("schema_steps")
    if applied is None:  # a manifest written before the steps were listed: its version alone
        applied = [entry["schema_version"]] if entry.get("schema_version") else []
    known = known_steps(name)
    return [step for step in applied if step not in known]


def unknown_to_this_code(name, tables):
    """The tables and columns of a backup's database that this code's models lack: 'table' or
    'table.column'. The migration steps' table is not a model of ours and is left out."""
    known = known_schema(name)
    unknown = []
    for table, described in sorted(tables.items()):
        if table == MIGRATION_HISTORY:
            continue
        if table not in known:
            unknown.append(table)
            continue
        unknown.extend(f"{table}.{column}" for column in described["columns"] if column not in known[table])
    return unknown


# --- files -----------------------------------------------------------------------------------
def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def private_directory(directory):
    """An empty directory readable by its owner only: a backup holds people's data and the secret key."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: give a new directory for each backup")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    directory.chmod(0o700)
    return directory


def write_private(path, data):
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "wb") as fh:
        fh.write(data)


def verify_checksums(directory, manifest):
    """BackupError naming each file that is missing or whose sha256 differs from the manifest's."""
    problems = []
    for name, expected in sorted(manifest["files"].items()):
        path = Path(directory) / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif sha256_of(path) != expected:
            problems.append(f"{name} has changed since the backup (sha256 differs)")
    if problems:
        raise BackupError("the backup is damaged: " + "; ".join(problems))


def read_manifest(directory):
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"no {MANIFEST} in {directory}: not a backup made by `cocoon backup`") from None
    except ValueError as exc:
        raise BackupError(f"{path} is not valid JSON ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {manifest.get('format')!r}, this code reads format {FORMAT}")
    return manifest


# --- SQLite ----------------------------------------------------------------------------------
def sqlite_path(url):
    return url[len("sqlite:///") :]


def is_sqlite(url):
    return urlparse(url).scheme == "sqlite"


def sqlite_copy(source, target):
    """The whole database `source` into `target` (paths), in one step of SQLite's backup API: one
    read transaction on the source, so a consistent snapshot even while others write in it."""
    src = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)  # pages=-1: every page in one step
            dst.execute("PRAGMA journal_mode=DELETE")  # the copy is one file, without -wal
        finally:
            dst.close()
    finally:
        src.close()


def sqlite_schema(path):
    """{table: {"columns": [...], "rows": n}} of a SQLite file, SQLite's own tables left out."""
    connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=30)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            name: {
                "columns": [row[1] for row in connection.execute(f'PRAGMA table_info("{name}")')],
                "rows": connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0],
            }
            for name in names
        }
    finally:
        connection.close()


# --- PostgreSQL ------------------------------------------------------------------------------
def postgres_params(url):
    """libpq's environment for `url`, the password percent-decoded: pg_dump and pg_restore then
    take any password (a `/`, `#`, `?` or `@` in it) and never show it on a command line."""
    parsed = urlparse(url)
    env = {
        "PGHOST": parsed.hostname or "127.0.0.1",
        "PGPORT": str(parsed.port or 5432),
        "PGDATABASE": unquote(parsed.path.lstrip("/")),
    }
    if parsed.username:
        env["PGUSER"] = unquote(parsed.username)
    if parsed.password is not None:
        env["PGPASSWORD"] = unquote(parsed.password)
    return env


def run_pg(argv, url):
    env = dict(os.environ, **postgres_params(url))
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{argv[0]} is not installed (Debian: apt-get install -y postgresql-client)") from None
    if done.returncode != 0:
        raise BackupError(f"{argv[0]} failed for {redact(url)}: {done.stderr.strip()[-500:]}")
    return done.stdout


def postgres_schema(url):
    import psycopg2

    with psycopg2.connect(**_psycopg_params(url)) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        )
        tables = {}
        for table, column in cursor.fetchall():
            tables.setdefault(table, {"columns": [], "rows": 0})["columns"].append(column)
        for table, described in tables.items():
            cursor.execute(f'SELECT count(*) FROM public."{table}"')
            described["rows"] = cursor.fetchone()[0]
    connection.close()
    return tables


def _psycopg_params(url):
    env = postgres_params(url)
    params = {"host": env["PGHOST"], "port": env["PGPORT"], "dbname": env["PGDATABASE"]}
    if "PGUSER" in env:
        params["user"] = env["PGUSER"]
    if "PGPASSWORD" in env:
        params["password"] = env["PGPASSWORD"]
    return params


def redact(url):
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    return url.replace(f":{parsed.password}@", ":***@", 1)


# --- databases -------------------------------------------------------------------------------
def database_schema(url):
    return sqlite_schema(sqlite_path(url)) if is_sqlite(url) else postgres_schema(url)


def schema_steps(tables, read_history):
    """The migration steps applied, in order, when the database keeps their table, else None (a
    database not migrated since versioning began: its tables and columns say which schema it is)."""
    return read_history() if MIGRATION_HISTORY in tables else None


def backup_database(name, url, directory):
    """The database of component `name` into `directory`: (file name, its manifest entry)."""
    if is_sqlite(url):
        source = Path(sqlite_path(url))
        if not source.is_file():
            raise BackupError(f"{name}: no database file {source} (run `make migrate` first?)")
        file_name = f"{name}.db"
        sqlite_copy(source, directory / file_name)
        os.chmod(directory / file_name, 0o600)
        tables = sqlite_schema(directory / file_name)  # what the copy holds, not the live file
        history = lambda: _sqlite_steps(directory / file_name)  # noqa: E731
        engine = "sqlite"
    else:
        file_name = f"{name}.pgdump"
        tables = postgres_schema(url)
        dump = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(directory / file_name)]
        run_pg(dump, url)
        os.chmod(directory / file_name, 0o600)
        history = lambda: _postgres_steps(url)  # noqa: E731
        engine = "postgresql"
    steps = schema_steps(tables, history)
    entry = {
        "engine": engine,
        "file": file_name,
        "schema_version": steps[-1] if steps else None,
        "schema_steps": steps,
        "tables": tables,
    }
    return file_name, entry


def _sqlite_steps(path):
    connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute(f'SELECT name FROM "{MIGRATION_HISTORY}" ORDER BY id')]
    finally:
        connection.close()


def _postgres_steps(url):
    import psycopg2

    connection = psycopg2.connect(**_psycopg_params(url))
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT name FROM "{MIGRATION_HISTORY}" ORDER BY id')
            return [row[0] for row in cursor.fetchall()]
    finally:
        connection.close()


def target_tables(url):
    """The tables the target database holds now ([] for a SQLite file not yet there)."""
    if is_sqlite(url):
        path = Path(sqlite_path(url))
        if not path.exists() or path.stat().st_size == 0:
            return []
        return sorted(sqlite_schema(path))
    return sorted(postgres_schema(url))


def restore_database(url, directory, entry, force):
    source = Path(directory) / entry["file"]
    if entry["engine"] == "sqlite":
        if not is_sqlite(url):
            raise BackupError(f"{entry['file']} is a SQLite backup and the target {redact(url)} is not SQLite")
        _sqlite_restore(source, Path(sqlite_path(url)))
    else:
        if is_sqlite(url):
            raise BackupError(f"{entry['file']} is a PostgreSQL dump and the target {url} is SQLite")
        argv = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if force:
            argv += ["--clean", "--if-exists"]
        run_pg([*argv, "--dbname", postgres_params(url)["PGDATABASE"], str(source)], url)


def _sqlite_restore(source, target):
    """The backup's pages replace the target's through SQLite's backup API: a target still open
    elsewhere sees a whole database, the old or the new, never a half-copied file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    from shared.db import keep_private

    keep_private(str(target))
    src = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            dst.execute("PRAGMA journal_mode=WAL")  # as the services open it (shared/db.py)
            src.backup(dst)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()


# --- the broker ------------------------------------------------------------------------------
def broker_definitions(amqp_uri, api_uri=None):
    from shared import broker_api

    api = broker_api.BrokerApi(amqp_uri, api_uri, timeout=30)
    try:
        return api.definitions()
    except broker_api.BrokerApiError as exc:
        raise BackupError(f"{exc} (give --no-broker to leave the broker's definitions out)") from None
    finally:
        api.close()


def load_broker_definitions(definitions, amqp_uri, api_uri=None):
    from shared import broker_api

    api = broker_api.BrokerApi(amqp_uri, api_uri, timeout=30)
    try:
        api.load_definitions(definitions)
    except broker_api.BrokerApiError as exc:
        raise BackupError(f"{exc} (give --no-broker to leave the broker as it is)") from None
    finally:
        api.close()


# --- the keys ------------------------------------------------------------------------------
def key_file(name):
    return config.var_dir() / name


def current_key(variable, file_name):
    """The key from its variable, else the file the service keeps in the var directory; None when
    the service never made one."""
    given = config.env(variable)
    if given:
        return given
    path = key_file(file_name)
    return path.read_text().strip() if path.is_file() else None


def restore_key(variable, file_name, key, force):
    """Where its service reads it: the key file, unless the variable is set (then it is said)."""
    given = config.env(variable)
    if given:
        return f"same as {variable}" if given == key else f"differs from {variable}: set it to {file_name}"
    path = key_file(file_name)
    if path.is_file() and path.read_text().strip() != key and not force:
        raise BackupError(f"{path} holds another key than the backup's (give --force to replace it)")
    write_private(path, key.encode())
    return f"written to {path}"


def check_keys(manifest, force):
    """Refuse before any database is written when a kept key file differs from the backup's."""
    if force:
        return
    for file_name, described in manifest.get("keys", {}).items():
        path = key_file(file_name)
        if config.env(described["variable"]) or not path.is_file():
            continue
        if backup_key_differs(path, described):
            raise BackupError(f"{path} holds another key than the backup's (give --force to replace it)")


def backup_key_differs(path, described):
    return hashlib.sha256(path.read_text().strip().encode()).hexdigest() != described["sha256_of_key"]


# --- erasures done after the backup ----------------------------------------------------------
def register_rows_after(backup_date, url=None):
    """The erasure register's rows (gateway database, table ERASURE_REGISTER) dated after
    `backup_date`, read from the database as it is before the restore replaces it; [] when the
    register does not exist (a venue without it, or before the code that keeps it)."""
    url = url or config.database_url("gateway")
    cutoff = _as_stored(backup_date)
    if is_sqlite(url):
        return _sqlite_register_rows(Path(sqlite_path(url)), cutoff)
    return _postgres_register_rows(url, cutoff)


def _as_stored(moment):
    """`moment` (a datetime or its ISO text) as the register stores its dates: naive UTC written
    "YYYY-MM-DD HH:MM:SS[.ffffff]", so that a text comparison in SQLite orders them right."""
    when = moment if isinstance(moment, datetime) else datetime.fromisoformat(moment)
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.isoformat(sep=" ")


def _sqlite_register_rows(path, cutoff):
    if not path.is_file():
        return []
    connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        exists = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (ERASURE_REGISTER,)
        ).fetchone()
        if not exists:
            return []
        query = f'SELECT * FROM "{ERASURE_REGISTER}" WHERE "{ERASURE_DATE_COLUMN}" > ? ORDER BY "{ERASURE_DATE_COLUMN}"'
        return [dict(row) for row in connection.execute(query, (cutoff,))]
    finally:
        connection.close()


def _postgres_register_rows(url, cutoff):
    import psycopg2
    import psycopg2.extras

    connection = psycopg2.connect(**_psycopg_params(url))
    try:
        with connection.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL AS present", (f"public.{ERASURE_REGISTER}",))
            if not cursor.fetchone()["present"]:
                return []
            when = f'"{ERASURE_DATE_COLUMN}"'
            cursor.execute(f'SELECT * FROM "{ERASURE_REGISTER}" WHERE {when} > %s ORDER BY {when}', (cutoff,))
            return [dict(row) for row in cursor.fetchall()]
    finally:
        connection.close()


def reapply_erasures(rows):
    """Erase again, in the restored databases, the people erased after the backup was made: the
    restore brought their data back, and the register (kept by the erasure code, apart from what
    a restore replaces) says who they were.

    The erasure code's applier, `services.gateway.erasure_register.reapply(row)`, puts each back in
    the restored register and anonymises the account; the services erase their copies when
    `cocoon erasures resume` asks the team service again, the venue started. Without an applier
    (a code base without the gateway), rows found are returned so the command lists them: never
    ignored. No register table: no rows, nothing to do."""
    if not rows:
        return {"reapplied": 0, "pending": []}
    try:
        applier = importlib.import_module("services.gateway.erasure_register").reapply
    except (ImportError, AttributeError):
        return {"reapplied": 0, "pending": rows}
    for row in rows:
        applier(row)
    return {"reapplied": len(rows), "pending": []}


# --- backup ----------------------------------------------------------------------------------
def backup(directory, amqp_uri=None, api_uri=None, with_broker=True, now=None):
    """Everything into `directory` (new or empty); returns the manifest, written last (a directory
    without manifest.json is an interrupted backup)."""
    directory = private_directory(directory)
    started = now or datetime.now(UTC)
    manifest = {
        "format": FORMAT,
        "app": "cocoonage",
        "app_version": app_version(),
        "created_at": started.isoformat(),
        "databases": {},
        "broker": None,
        "keys": {},
        "files": {},
    }
    for component in components.COMPONENTS:
        url = config.database_url(component.name)
        file_name, entry = backup_database(component.name, url, directory)
        manifest["databases"][component.name] = entry
        manifest["files"][file_name] = sha256_of(directory / file_name)
    if with_broker:
        amqp_uri = amqp_uri or config.amqp_uri()
        from shared.broker_api import vhost_of

        write_private(directory / BROKER_FILE, json.dumps(broker_definitions(amqp_uri, api_uri), indent=2).encode())
        manifest["broker"] = {"file": BROKER_FILE, "vhost": vhost_of(amqp_uri)}
        manifest["files"][BROKER_FILE] = sha256_of(directory / BROKER_FILE)
    for variable, file_name in KEYS:
        key = current_key(variable, file_name)
        if key:
            write_private(directory / file_name, key.encode())
            digest = hashlib.sha256(key.encode()).hexdigest()
            manifest["keys"][file_name] = {"variable": variable, "sha256_of_key": digest}
            manifest["files"][file_name] = sha256_of(directory / file_name)
    manifest["finished_at"] = (datetime.now(UTC) if now is None else now).isoformat()
    write_private(directory / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
    return manifest


# --- restore ---------------------------------------------------------------------------------
def check_restorable(directory, manifest, force):
    """Every refusal before anything is written: damaged files, a newer app or schema, a
    component missing, target databases that already hold tables (without `force`).
    Returns {component: target URL}."""
    verify_checksums(directory, manifest)
    if version_tuple(manifest["app_version"]) > version_tuple(app_version()):
        raise BackupError(
            f"the backup was made by version {manifest['app_version']}, newer than this code's {app_version()}: "
            "restore it with that version or a later one"
        )
    targets = {}
    for name, entry in manifest["databases"].items():
        try:
            components.named(name)
        except KeyError:
            raise BackupError(f"the backup holds a database {name!r} this code does not know: it is newer") from None
        newer_steps = steps_unknown_here(name, entry)
        if newer_steps:
            raise BackupError(
                f"{name}: the backup's schema is newer than this code: version {entry['schema_version']}, "
                f"migration steps {', '.join(newer_steps[:5])} unknown here; restore it with the version of "
                "Cocoon'Age that made it (or a later one)"
            )
        unknown = unknown_to_this_code(name, entry["tables"])
        if unknown:
            raise BackupError(
                f"{name}: the backup's schema is newer than this code ({', '.join(unknown[:5])} unknown here)"
            )
        targets[name] = config.database_url(name)
    missing = sorted(set(components.COMPONENT_NAMES) - set(targets))
    if missing:
        raise BackupError(f"the backup has no database for {', '.join(missing)}")
    check_keys(manifest, force)
    if not force:
        full = {name: tables for name, url in targets.items() if (tables := target_tables(url))}
        if full:
            said = "; ".join(f"{name} ({redact(targets[name])}, {len(tables)} tables)" for name, tables in full.items())
            raise BackupError(f"target databases are not empty: {said}. Give --force to replace them")
    return targets


def restore(directory, force=False, amqp_uri=None, api_uri=None, with_broker=True):
    """The backup in `directory` into the configured databases (and broker vhost, and keys):
    a report of what was done."""
    manifest = read_manifest(directory)
    targets = check_restorable(directory, manifest, force)
    erased_since = register_rows_after(manifest["created_at"], targets["gateway"])
    for name, url in targets.items():
        restore_database(url, directory, manifest["databases"][name], force)
    report = {"backup_of": manifest["created_at"], "databases": sorted(targets), "broker": None, "keys": {}}
    if with_broker and manifest.get("broker"):
        definitions = json.loads((Path(directory) / manifest["broker"]["file"]).read_text(encoding="utf-8"))
        load_broker_definitions(definitions, amqp_uri or config.amqp_uri(), api_uri)
        report["broker"] = "definitions loaded"
    for file_name, described in manifest["keys"].items():
        key = (Path(directory) / file_name).read_text().strip()
        report["keys"][file_name] = restore_key(described["variable"], file_name, key, force)
    report["erasures"] = reapply_erasures(erased_since)
    return report
