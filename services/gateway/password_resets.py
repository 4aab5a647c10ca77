"""Password reset links, and the deactivation of an account (the rules: account_rules.py).

A link is a random secret stored hashed (sha256, like an API token) in PasswordReset; the email
carrying it is the notifications service's to send (its `send_password_reset` command: it keeps
the person's notification and the email's delivery, with its retries). The link is built on the
venue's configured address (COCOON_PUBLIC_URL), never the request's Host: whoever asks for a
reset could otherwise send the victim a link to their own site with the victim's secret in it.

Asking for a link answers the same whether or not the email has an account (the caller says
202 and the same page); every request counts against attempt_limits.password_reset. Choosing
the new password (with the policy of passwords.py) uses the link once and ends every session,
API token and other link of the account, as a password change does. A deactivated account
cannot sign in, loses its sessions, tokens and links at once, and keeps everything else.
"""

import logging
import secrets
import uuid
from urllib.parse import urlencode

from amqp.exceptions import AMQPError
from flask import current_app, url_for
from kombu.exceptions import OperationalError as KombuOperationalError
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService

from services.gateway import account_rules, attempt_limits, audit, auth, passwords
from services.gateway.errors import ApiError
from services.gateway.models import Account, PasswordReset, Token, database
from services.gateway.service_calls import services
from shared.db import write_transaction
from shared.errors import NotFound, ServiceError
from shared.timeutil import db_now

log = logging.getLogger(__name__)

# What a request for a link meets when the notifications service does not take the email: the
# answer stays the same (it must not tell whether the email has an account); the log says it.
SEND_FAILURES = (
    RpcTimeout,
    UnknownService,
    ConnectionError,
    KombuOperationalError,
    AMQPError,
    RemoteError,
    ServiceError,
)
ACCOUNT_NOT_FOUND = "Compte introuvable."
NOT_YOURSELF = "Vous ne pouvez pas désactiver votre propre compte : demandez à un autre membre de l'équipe."


def request_link(email):
    """Someone typed `email` on « Mot de passe oublié ? »: a link is sent when it is the address of
    an active account, nothing otherwise; the caller answers the same either way. TooManyAttempts
    (429) over the limits."""
    attempt_limits.password_reset(email)
    account = Account.get_or_none(Account.email == email.strip().lower())
    if account is None or not account.active:
        log.info("password reset asked for an address without an active account")
        return
    try:
        send_link(account)
    except SEND_FAILURES as exc:
        log.warning("password reset link not handed to notifications", extra={"error": repr(exc)})


def send_link(account, by_staff=False):
    """A new link for `account`, handed to the notifications service (its errors propagate: a staff
    member sending it is told that it failed). Earlier links stay valid until their hour is up."""
    token = secrets.token_urlsafe(32)
    with write_transaction(database):
        PasswordReset.create(token_hash=auth.digest(token), account=account)
        audit.append(audit.PASSWORD_RESET_SENT, subjects=[account.id])
    with services() as rpc:
        rpc.notifications.send_password_reset(
            {
                "reset_id": str(uuid.uuid4()),
                "role": account.role,
                "subject_id": account.subject_id or account.id,  # as the notifications name people
                "email": account.email,
                "link": link(token),
                "valid_minutes": int(account_rules.LINK_VALIDITY.total_seconds() // 60),
                "by_staff": by_staff,
            }
        )
    log.info("password reset link sent", extra={"account_id": account.id, "by_staff": by_staff})


def link(token):
    """On the venue's configured address (COCOON_PUBLIC_URL), never the request's Host."""
    return current_app.config["PUBLIC_URL"] + url_for("password_reset.choose") + "?" + urlencode({"jeton": token})


def link_refusal(token):
    """The sentence refusing this link now (unknown, used, expired, its account deactivated), or None."""
    row = _reset_of(token)
    if row is None:
        return account_rules.LINK_UNKNOWN
    return account_rules.link_refusal(row.created_at, row.used_at, db_now()) or account_rules.sign_in_refusal(
        row.account.deactivated_at
    )


def _reset_of(token):
    if not token:
        return None
    return (
        PasswordReset.select(PasswordReset, Account)
        .join(Account)
        .where(PasswordReset.token_hash == auth.digest(token))
        .first()
    )


def choose_password(token, password):
    """The link's account gets `password`; the link, and every other link, session and token of the
    account, stop working. ApiError 422 with the refusal under `token` or `password`."""
    refusal = link_refusal(token)
    if refusal:
        raise ApiError(422, "validation_failed", refusal, {"token": [refusal]})
    account = _reset_of(token).account
    person = passwords.personal_words(account.email, account.first_name, account.last_name)
    problem = passwords.problem(password, person)
    if problem:
        raise ApiError(422, "validation_failed", "Certains champs ne sont pas valides.", {"password": [problem]})
    new_hash = auth.hasher.hash(password)  # slow: outside the write transaction
    now = db_now()
    with write_transaction(database):
        claimed = (
            PasswordReset.update(used_at=now)
            .where(PasswordReset.token_hash == auth.digest(token), PasswordReset.used_at.is_null())
            .execute()
        )
        if not claimed:  # the same link, used at the same moment in another tab
            raise ApiError(422, "validation_failed", account_rules.LINK_USED, {"token": [account_rules.LINK_USED]})
        _end_everything(account, now, {Account.password_hash: new_hash})
        audit.append(audit.PASSWORD_RESET, subjects=[account.id])
    log.info("password reset used", extra={"account_id": account.id})
    return account


def _end_everything(account, now, changes):
    """Inside a write transaction: `changes` on the account, its session version up (every page
    session ends), its API tokens deleted and its unused reset links spent."""
    Account.update({**changes, Account.session_version: Account.session_version + 1}).where(
        Account.id == account.id
    ).execute()
    Token.delete().where(Token.account == account.id).execute()
    PasswordReset.update(used_at=now).where(
        PasswordReset.account == account.id, PasswordReset.used_at.is_null()
    ).execute()


def account_of(account_id):
    account = Account.get_or_none(Account.id == account_id)
    if account is None:
        raise NotFound(ACCOUNT_NOT_FOUND)
    return account


def deactivate(account_id, by):
    """The account cannot sign in any more, and every session, token and link of it ends now;
    nothing else changes. Doing it again changes nothing. `by`: the staff account doing it, which
    may not deactivate itself (the venue would risk having nobody left to reactivate anyone)."""
    account = account_of(account_id)
    if account.id == by.id:
        raise ApiError(409, "conflict", NOT_YOURSELF)
    now = db_now()
    with write_transaction(database):
        if Account.get_by_id(account.id).active:
            _end_everything(account, now, {Account.deactivated_at: now})
            audit.append(audit.ACCOUNT_DEACTIVATED, actor=by, subjects=[account.id])
    log.info("account deactivated", extra={"account_id": account.id, "by": by.id})
    return Account.get_by_id(account.id)


def reactivate(account_id, by):
    """The account may sign in again, with its password as it was."""
    account = account_of(account_id)
    with write_transaction(database):
        Account.update(deactivated_at=None).where(Account.id == account.id).execute()
        audit.append(audit.ACCOUNT_REACTIVATED, actor=by, subjects=[account.id])
    log.info("account reactivated", extra={"account_id": account.id, "by": by.id})
    return Account.get_by_id(account.id)
