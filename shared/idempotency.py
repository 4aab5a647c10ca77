"""Idempotent commands: a retried request with the same `Idempotency-Key` gets the first answer.

After an RPC timeout the caller cannot know whether the service committed. A retry with the
same key by the same caller must not apply the change twice: the key, the caller and the
answer are stored in the `idempotency` table IN THE SAME TRANSACTION as the change, so either
both exist or neither does.

    run_once(model, caller, key, "add_child", fingerprint(["add_child", args]), lambda: ...)

- first time: claims (caller, key, method), runs the command, stores its JSON answer, commits;
- a repeat: returns the stored answer and runs nothing (a twin running at the same moment
  waits on the unique index on PostgreSQL, or on the write lock on SQLite, then replays);
- the same key with another body: `Invalid` (422) naming the `Idempotency-Key` header;
- a command that fails (ServiceError or anything else) rolls back and stores nothing: nothing
  changed, so a retry runs it again.

Rows are kept `retention` (IDEMPOTENCY_RETENTION_HOURS, 24 h by default) and pruned after.
"""

import hashlib
import json
import logging
import re
import threading
import time
import uuid
import weakref
from datetime import timedelta

from kombu.utils import json as wire_json
from peewee import CharField, DateTimeField, Model, TextField

from shared.db import Param, Prepared, insert_of, write_transaction
from shared.errors import Invalid
from shared.timeutil import db_now

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
DEFAULT_RETENTION_HOURS = 24.0
PRUNE_EVERY_SECONDS = 600.0  # pruning is a side job of commands: at most once per 10 minutes per table
_ID_NAMESPACE = uuid.UUID("6f1d2a0e-4c57-4e8a-9d0c-0ad5e3c0c0a1")  # fixed: ids derived from keys stay stable

KEY_ERROR_FIELD = {HEADER: ["De 1 à 64 caractères parmi A-Z, a-z, 0-9, « . », « _ » et « - »."]}
REUSED_KEY_FIELD = {HEADER: ["Cette clé a déjà servi pour une autre requête."]}


def is_valid_key(value):
    return isinstance(value, str) and KEY_PATTERN.fullmatch(value) is not None


def checked_key(value):
    """The key when it is well formed, else Invalid (422, field Idempotency-Key)."""
    if not is_valid_key(value):
        raise Invalid("L'en-tête Idempotency-Key n'est pas valide.", KEY_ERROR_FIELD)
    return value


def reused_key():
    return Invalid(
        "Cette clé d'idempotence a déjà servi pour une autre requête : utilisez-en une nouvelle.", REUSED_KEY_FIELD
    )


def fingerprint(request):
    """A stable digest of what was asked (method and arguments, JSON-like): key order, spacing and
    the order of keyword arguments do not matter; any other difference does."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def derived_id(caller, key, purpose):
    """An id fixed by (caller, key, purpose): a retried request creates (or finds) the same record."""
    return str(uuid.uuid5(_ID_NAMESPACE, f"{purpose}\n{caller}\n{key}"))


_models = {}
_models_lock = threading.Lock()


def idempotency_model(service_database):
    """The `idempotency` table, bound to one service's database (one class per database, so
    `models.py` and the command decorator share it)."""
    with _models_lock:
        if service_database not in _models:
            _models[service_database] = _define_model(service_database)
        return _models[service_database]


def _define_model(service_database):
    class IdempotentCommand(Model):
        caller = CharField(max_length=64)  # the account id, or "anonymous" for sign-ups
        key = CharField(max_length=64)
        method = CharField(max_length=100)
        fingerprint = CharField(max_length=64)  # sha256 of (method, arguments)
        response = TextField()  # the command's answer, as sent on the wire (JSON)
        created_at = DateTimeField(default=db_now, index=True)

        class Meta:
            table_name = "idempotency"
            database = service_database
            indexes = ((("caller", "key", "method"), True),)

    return IdempotentCommand


def run_once(model, caller, key, method, digest, run, retention_hours=DEFAULT_RETENTION_HOURS):
    """Run `run()` once per (caller, key, method); a repeat returns the first answer."""
    database = model._meta.database
    # The outer transaction: the command's own uow.atomic() nests in it as a savepoint, so the
    # claim, the change, its events and the stored answer commit (or roll back) together.
    with write_transaction(database):
        stored = _claim(model, caller, key, method, digest)
        if stored is not None:
            log.info("command replayed", extra={"method": method, "idempotency_key": key, "caller": caller})
            return wire_json.loads(stored)
        result = run()
        _statements(model).answer.execute(response=wire_json.dumps(result), caller=caller, key=key, method=method)
    prune_if_due(model, retention_hours)
    return result


def _claim(model, caller, key, method, digest):
    """None when this call claimed the key; the stored answer when an earlier call holds it."""
    claimed = _statements(model).claim.execute(
        caller=caller, key=key, method=method, fingerprint=digest, response="null", created_at=db_now()
    )
    if claimed.rowcount == 1:
        return None
    # Not inserted: the key is held. PostgreSQL made this insert wait for the twin holding it:
    # the twin committed, and this statement (READ COMMITTED) sees its row.
    row = model.get(model.caller == caller, model.key == key, model.method == method)
    if row.fingerprint != digest:
        raise reused_key()
    return row.response


def prune(model, older_than):
    """Delete the keys stored before `older_than` (naive UTC); returns how many."""
    with model._meta.database.atomic():
        return model.delete().where(model.created_at < older_than).execute()


class _Statements:
    """The two writes of every command run with a key, built once per table (shared/db.py)."""

    def __init__(self, model):
        fields = [model.caller, model.key, model.method, model.fingerprint, model.response, model.created_at]
        # INSERT OR IGNORE / ON CONFLICT DO NOTHING: a held key inserts nothing, and no savepoint is
        # needed to keep the transaction usable after a refused insert
        self.claim = Prepared(model, lambda database: insert_of(model, fields).on_conflict_ignore())
        self.answer = Prepared(
            model,
            lambda database: model.update(response=Param("response")).where(
                model.caller == Param("caller"), model.key == Param("key"), model.method == Param("method")
            ),
        )


_statements_of = weakref.WeakKeyDictionary()


def _statements(model):
    statements = _statements_of.get(model)
    if statements is None:
        statements = _statements_of[model] = _Statements(model)
    return statements


_last_pruned = {}


def prune_if_due(model, retention_hours, now=time.monotonic):
    """Forget keys older than the retention, at most every PRUNE_EVERY_SECONDS per table."""
    with _models_lock:
        last = _last_pruned.get(model)
        if last is not None and now() - last < PRUNE_EVERY_SECONDS:
            return 0
        _last_pruned[model] = now()
    try:
        return prune(model, db_now() - timedelta(hours=retention_hours))
    except Exception:  # housekeeping: the command already committed, never fail it for this
        log.warning("could not prune idempotency keys", exc_info=True)
        return 0
