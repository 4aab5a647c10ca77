"""The one limiter of sign-ins (the page and the token API) and of registrations.

Sign-in: the failed attempts are counted per account (the email typed) and per address, within
a sliding window (COCOON_LOGIN_LIMIT_PER_ACCOUNT, _PER_ADDRESS); a successful sign-in is not
counted. Registration: every attempt is counted per address (COCOON_REGISTRATION_LIMIT_PER_ADDRESS),
since its « Un compte existe déjà » tells whether an email has an account. Over a limit the
request is refused before the password is checked: TooManyAttempts, a 429 with Retry-After.

The attempts are rows of the gateway's database (models.Attempt), so every worker and replica
counts the same. An attempt is written before its password is checked and deleted once the
password proves right: guesses sent in parallel are all counted, each under the same lock.
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
    the attempt counts as failed unless the block ends without an exception."""
    counted = _admit({PER_ACCOUNT: f"account:{email.strip().lower()}", PER_ADDRESS: f"address:{_address()}"})
    yield
    with write_transaction(database):
        Attempt.delete().where(Attempt.id.in_(counted)).execute()


def registration():
    """Counts one registration from this address; TooManyAttempts when the address is over its limit."""
    _admit({REGISTRATIONS: f"registration:{_address()}"})


def _address():
    return request.remote_addr or "unknown"


def _admit(keys):
    """{limit: key}: refuses when a key has reached its limit, else records one attempt per key
    and returns their ids."""
    rates = {limit: parse(current_app.config[limit]) for limit in keys}
    with write_transaction(database):
        for key in sorted(keys.values()):  # always in the same order: two requests never wait on each other
            lock_key(database, "attempt", key)
        now = db_now()
        oldest_kept = now - max(_window(parse(current_app.config[limit])) for limit in MESSAGES)
        Attempt.delete().where(Attempt.created_at < oldest_kept).execute()
        waits = {limit: _wait(keys[limit], rate, now) for limit, rate in rates.items()}
        refused = {limit: wait for limit, wait in waits.items() if wait}
        if not refused:
            return [Attempt.create(key=key, created_at=now).id for key in keys.values()]
    limit = max(refused, key=refused.get)
    raise TooManyAttempts(limit, refused[limit])


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
