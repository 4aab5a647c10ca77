"""Idempotency-Key for the writes the gateway makes itself (accounts), next to what services do.

Commands sent to a service are made idempotent by the service (shared.commands). Two writes
are the gateway's own:
- creating a staff account: run through `shared.idempotency.run_once` on the gateway's own
  `idempotency` table, in the transaction that creates the account;
- a sign-up: the service stores the profile, then the gateway creates the account. When a key
  is sent the profile id is derived from (caller, key), so a retry sends the service the same
  arguments (it replays its stored answer) and finds the account, if the first attempt got
  that far, by that subject id.
Passwords never enter a fingerprint (a fast hash of one would leak it): a retry is checked
against the account the first attempt created, with argon2.
"""

import uuid

from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g

from services.gateway import auth
from services.gateway.models import Account, Idempotency, database
from shared import commands, idempotency

PASSWORD = "password"


def caller():
    """Who a key belongs to: two accounts may send the same key without seeing each other's answers."""
    account = auth.current_account()
    return account.id if account else commands.ANONYMOUS


def key():
    return g.get("idempotency_key")


def record_id(purpose):
    """The id of a record a request creates: fixed by (caller, key) when a key is sent."""
    return idempotency.derived_id(caller(), key(), purpose) if key() else str(uuid.uuid4())


def once(method, data, create):
    """`create()` (returns the response body) once per key; a retry returns the first body.
    The body must carry the created account's `id`: a retry's password is checked against it."""
    if not key():
        with database.atomic():
            return create()
    ran = []

    def first_time():
        ran.append(True)
        return create()

    digest = idempotency.fingerprint([method, _without_password(data)])
    body = idempotency.run_once(
        Idempotency,
        caller(),
        key(),
        method,
        digest,
        first_time,
        retention_hours=current_app.config["IDEMPOTENCY_RETENTION_HOURS"],
    )
    if not ran:
        check_same_password(Account.get_or_none(Account.id == body["id"]), data[PASSWORD])
    return body


def is_retry(account, subject_id, password):
    """True when `account` (found by email) was created by an earlier attempt of this sign-up
    (same key); Invalid when that attempt had another password."""
    held = [subject for _, subject in account.role_subjects()] if account is not None else []
    if account is None or not key() or subject_id not in held:  # any of its roles' records
        return False
    check_same_password(account, password)
    return True


def check_same_password(account, password):
    try:
        auth.hasher.verify(account.password_hash, password)
    except (AttributeError, VerificationError, InvalidHashError):
        raise idempotency.reused_key() from None


def _without_password(data):
    return {name: value for name, value in data.items() if name != PASSWORD}
