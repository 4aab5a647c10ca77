"""Accounts, passwords (argon2) and bearer tokens (random, stored hashed, with an expiry); the
revocation of an account's tokens and page sessions (a sign-out, a password change)."""

import hashlib
import logging
import secrets
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g, request

from services.gateway import access, account_rules, attempt_limits, audit, settings, staff_roles
from services.gateway.access import PUBLIC, SIGNED_IN  # noqa: F401 (routes name them auth.PUBLIC, auth.SIGNED_IN)
from services.gateway.errors import ApiError
from services.gateway.models import Account, AccountRole, Token, database
from shared.db import write_transaction
from shared.errors import Conflict
from shared.integrity import duplicates_as_conflict
from shared.timeutil import db_now
from shared.vocabulary import DIRECTOR

log = logging.getLogger(__name__)
hasher = PasswordHasher()

DUMMY_HASH = "auth.dummy_password_hash"  # app.extensions key


def init_app(app):
    """At app creation (not at import): the hash verified against when the email is unknown, so a
    wrong email costs as long as a wrong password."""
    app.extensions[DUMMY_HASH] = _dummy_hash()


@lru_cache(maxsize=1)
def _dummy_hash():
    return hasher.hash("cocoonage-dummy-password")  # one per process: it depends on no setting


def digest(token):
    """The stored form of a secret (a bearer token, a reset link): sha256, so a leak of the table gives none."""
    return hashlib.sha256(token.encode()).hexdigest()


_digest = digest


def create_account(email, password, role, subject_id=None, first_name="", last_name="", account_id=None, **staff):
    """Raises Conflict (409, field email) when the email already has an account, even when two
    requests create it at the same moment (the unique index decides; shared.integrity maps it).
    `staff`: a staff member's staff_roles and staff_roles_version, as team answered them."""
    fields = dict(
        email=email.lower(),
        password_hash=hasher.hash(password),
        role=role,
        subject_id=subject_id,
        first_name=first_name,
        last_name=last_name,
        **staff,
    )
    if account_id:
        fields["id"] = account_id
    with duplicates_as_conflict("Un compte existe déjà avec cette adresse.", "Adresse déjà utilisée."):
        with database.atomic():  # the account and its audit line, together
            account = Account.create(**fields)
            AccountRole.create(account=account.id, role=role, subject_id=subject_id)  # its primary role
            audit.append(audit.ACCOUNT_CREATED, subjects=[account.id, subject_id])  # and their record's id
            return account


def email_taken(email):
    return Account.select().where(Account.email == email.lower()).exists()


def issue_token(email, password):
    """Checks the password outside any transaction, then stores the token in a short write
    transaction: a SQLite read transaction held across the (slow) argon2 check could not be
    upgraded to a write once another sign-in had written ("database is locked" at once)."""
    account = signed_in_account(email, password, audited=False)
    token = secrets.token_urlsafe(32)
    expires_at = db_now() + timedelta(hours=current_app.config["TOKEN_HOURS"])
    with write_transaction(database):
        Token.create(token_hash=_digest(token), account=account, expires_at=expires_at)
        audit.append(audit.SIGN_IN, actor=account, subjects=[account.id], status=200)
    return account, token, expires_at


def signed_in_account(email, password, audited=True, failure=audit.SIGN_IN_FAILED):
    """The account whose password this is, within the sign-in limits (the pages and the API alike):
    attempt_limits.TooManyAttempts (429) before any check when they are reached, else ApiError 401
    when the email or the password is wrong. A refusal is an audit line `failure` with the email
    tried; a success is a SIGN_IN line unless `audited` is False (the caller writes its own).
    A staff member's staff roles are read from the team service (services/gateway/staff_roles.py)."""
    try:
        with attempt_limits.sign_in(email):
            account = _verified_account(email, password)
        account = staff_roles.at_sign_in(account)
    except ApiError as exc:
        known = Account.get_or_none(Account.email == email.strip().lower())
        subjects = [known.id] if known else []
        audit.append_safely(failure, subjects=subjects, status=exc.status, email_tried=email)
        raise
    if audited:
        audit.append_safely(audit.SIGN_IN, actor=account, subjects=[account.id], status=200)
    return account


def verified_account(email, password):
    """The account whose password this is, or ApiError 401 (wrong email or password), 403 (deactivated)."""
    return _verified_account(email, password)


def _verified_account(email, password):
    account = Account.get_or_none(Account.email == email.lower())
    try:
        hasher.verify(account.password_hash if account else current_app.extensions[DUMMY_HASH], password)
    except (VerificationError, InvalidHashError):
        account = None
    if account is None:
        raise ApiError(401, "unauthorized", "Adresse ou mot de passe incorrect.")
    refusal = account_rules.sign_in_refusal(account.deactivated_at)
    if refusal:  # told only to whoever knows the password: it says nothing to a guesser
        raise ApiError(403, "account_deactivated", refusal)
    return account


def account_for_token(token):
    row = (
        Token.select(Token, Account)
        .join(Account)
        .where(Token.token_hash == _digest(token), Token.expires_at > db_now(), Account.deactivated_at.is_null())
        .first()
    )
    return row.account if row else None


def presented_token():
    """The bearer token of this request's Authorization header, or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_account():
    """The signed-in account for this request (Bearer header), or None."""
    if "account" not in g:
        token = presented_token()
        g.account = account_for_token(token) if token else None
    return g.account


def revoke_token(token):
    """The token stops answering at once (a sign-out of the API)."""
    with write_transaction(database):
        Token.delete().where(Token.token_hash == _digest(token)).execute()


def revoke_everything(account, password_hash=None):
    """Every API token of the account is deleted and every page session of it ends (its session
    version goes up); with `password_hash`, the password changes in the same transaction.
    Returns the new session version, for the session that stays (the one changing the password)."""
    changes = {Account.session_version: Account.session_version + 1}
    if password_hash:
        changes[Account.password_hash] = password_hash
    with write_transaction(database):
        Account.update(changes).where(Account.id == account.id).execute()
        Token.delete().where(Token.account == account.id).execute()
        audit.append(audit.PASSWORD_CHANGED if password_hash else audit.SIGNED_OUT_EVERYWHERE, subjects=[account.id])
        return Account.get_by_id(account.id).session_version


def change_password(account, new_password):
    """The new password (already checked against the policy) replaces the old one, and every
    token and other session of the account stops working. Returns the new session version."""
    return revoke_everything(account, hasher.hash(new_password))


def check_access(roles):
    """401 without a valid token, 403 when none of the account's roles is among `roles`; nothing for PUBLIC."""
    why = access.refusal(current_account() if roles != PUBLIC else None, roles)
    if why == access.SIGNED_OUT:
        raise ApiError(401, "unauthorized", "Connectez-vous pour continuer.")
    if why == access.WRONG_ROLE:
        raise ApiError(403, "forbidden", "Votre rôle ne permet pas cette action.")


def bootstrap_staff(email, password):
    """Create the first staff account (COCOON_BOOTSTRAP_STAFF_EMAIL/_PASSWORD), a director, when it
    does not exist; its team profile comes at its first sign-in (staff_roles.at_sign_in)."""
    if not (email and password):
        return None
    existing = Account.get_or_none(Account.email == email.lower())
    if existing is not None:
        staff_roles.bootstrap_director(existing)
        return None
    try:
        first_name, last_name = settings.BOOTSTRAP_NAMES
        account = create_account(
            email, password, "staff", first_name=first_name, last_name=last_name, staff_roles=[DIRECTOR]
        )
    except Conflict:  # another gunicorn worker created it at the same moment
        return None
    log.info("bootstrap staff account created", extra={"email": email})
    return account
