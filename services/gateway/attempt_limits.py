"""The one limiter of sign-ins (the page and the token API) and of registrations.

Sign-in: the failed attempts are counted per account (the email typed) and per address, within
a sliding window (COCOON_LOGIN_LIMIT_PER_ACCOUNT, _PER_ADDRESS); a successful sign-in is not
counted. Registration: every attempt is counted per address (COCOON_REGISTRATION_LIMIT_PER_ADDRESS),
since its « Un compte existe déjà » tells whether an email has an account. Password reset
requests: every one is counted per email typed and per address, with the sign-in's rates. Over a limit the
request is refused before the password is checked: TooManyAttempts, a 429 with Retry-After.

The attempts are rows of the gateway's database (models.Attempt), so every worker and replica
counts the same. A failure is written once its password check has failed, never before: people
signing in at the same moment to one account (a shared tablet, a team) are not refused while
their checks run. So guesses sent all at once, before any has failed, pass the count together:
at most one burst per window, as large as the gateway's threads (workers × threads per replica).
"""

import math
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app, request
from limits import parse

from services.gateway.errors import ApiError, error_response
from services.gateway.models import Attempt, database
from shared.db import lock_key, write_transaction
from shared.timeutil import db_now

UNAUTHORIZED = 401  # the answer of a wrong email or password: the one failure that counts

# app.config keys of the rates (services/gateway/settings.py ATTEMPT_LIMITS)
PER_ACCOUNT, PER_ADDRESS, REGISTRATIONS = (
    "LOGIN_LIMIT_PER_ACCOUNT",
    "LOGIN_LIMIT_PER_ADDRESS",
    "REGISTRATION_LIMIT_PER_ADDRESS",
)
MESSAGES = {
    PER_ACCOUNT: "Trop d'essais pour cette adresse e-mail.",
    PER_ADDRESS: "Trop d'essais depuis cet appareil.",
    REGISTRATIONS: "Trop d'inscriptions depuis cet appareil.",
}


class TooManyAttempts(ApiError):
    """`limit`: which limit was reached (PER_ACCOUNT, PER_ADDRESS or REGISTRATIONS);
    `retry_after`: whole seconds until one more attempt is allowed."""

    def __init__(self, limit, retry_after):
        minutes = math.ceil(retry_after / 60)
        wait = "une minute" if minutes == 1 else f"{minutes} minutes"
        super().__init__(429, "too_many_requests", f"{MESSAGES[limit]} Réessayez dans {wait}.")
        self.limit, self.retry_after, self.minutes = limit, retry_after, minutes


def init_app(app):
    @app.errorhandler(TooManyAttempts)
    def _too_many(exc):  # the API's answer; the pages show their own
        return with_retry_after(error_response(exc.status, exc.code, exc.message), exc)


def with_retry_after(response, exc):
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


@contextmanager
def sign_in(email):
    """Around a password check: TooManyAttempts when the account or the address is over its limit;
    the attempt counts as failed when the block raises the 401 of a wrong email or password."""
    keys = {PER_ACCOUNT: f"account:{email.strip().lower()}", PER_ADDRESS: f"address:{_address()}"}
    _refuse_over_limit(keys)
    try:
        yield
    except ApiError as exc:
        if exc.status == UNAUTHORIZED:
            with write_transaction(database):
                _record(keys)
        raise


def registration():
    """Counts one registration from this address; TooManyAttempts when the address is over its limit.
    Checked and counted under one lock: registrations sent at once are each counted in turn."""
    keys = {REGISTRATIONS: f"registration:{_address()}"}
    with write_transaction(database):
        lock_key(database, "attempt", keys[REGISTRATIONS])
        _refuse_over_limit(keys)
        _record(keys)


def password_reset(email):
    """Counts one request for a password reset link, for the email typed and from this address,
    with the sign-in's rates (every request counts, whether or not the email has an account, so
    the limit tells nothing); TooManyAttempts when either is over its limit."""
    keys = {PER_ACCOUNT: f"reset:{email.strip().lower()}", PER_ADDRESS: f"reset-address:{_address()}"}
    with write_transaction(database):
        lock_key(database, "attempt", keys[PER_ACCOUNT])
        _refuse_over_limit(keys)
        _record(keys)


def _address():
    """The client's address: the socket's peer, or behind COCOON_TRUSTED_PROXIES proxies the one
    they forwarded (ProxyFix, services/gateway/app.py); an X-Forwarded-For a client writes itself
    is never read here."""
    return request.remote_addr or "unknown"


def _refuse_over_limit(keys):
    """{limit: key}: TooManyAttempts naming the limit with the longest wait, when one is reached."""
    now = db_now()
    waits = {limit: _wait(key, parse(current_app.config[limit]), now) for limit, key in keys.items()}
    refused = {limit: wait for limit, wait in waits.items() if wait}
    if refused:
        limit = max(refused, key=refused.get)
        raise TooManyAttempts(limit, refused[limit])


def _record(keys):
    """One attempt per key, now; the attempts older than every window are deleted."""
    now = db_now()
    oldest_kept = now - max(_window(parse(current_app.config[limit])) for limit in MESSAGES)
    Attempt.delete().where(Attempt.created_at < oldest_kept).execute()
    Attempt.insert_many([{"key": key, "created_at": now} for key in keys.values()]).execute()


def _window(rate):
    return timedelta(seconds=rate.get_expiry())


def _wait(key, rate, now):
    """Whole seconds until `key` may try again (0: it may now): when the window holds `amount`
    attempts or more, until the one whose leaving brings the count below `amount` leaves it."""
    window = _window(rate)
    recent = Attempt.select(Attempt.created_at).where(Attempt.key == key, Attempt.created_at > now - window)
    over = recent.count() - rate.amount
    if over < 0:
        return 0
    leaving = recent.order_by(Attempt.created_at).offset(over).first().created_at
    return max(1, math.ceil((leaving + window - now).total_seconds()))
