"""The gateway's settings: read from the environment once, when create_app builds the app, and
checked there, so a wrong value stops the start with a clear line instead of failing a request
later. Modules read them from `current_app.config`, never from the environment."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from limits import parse

from services.gateway import passwords
from shared import config, idempotency

# app.config key -> (environment variable, default, type); numbers must be above zero.
NUMBERS = {
    "RPC_TIMEOUT": ("COCOON_RPC_TIMEOUT", 5.0, float),
    "READY_TIMEOUT": ("COCOON_READY_TIMEOUT", 2.0, float),
    "TOKEN_HOURS": ("COCOON_TOKEN_HOURS", 12, int),
    "IDEMPOTENCY_RETENTION_HOURS": ("IDEMPOTENCY_RETENTION_HOURS", idempotency.DEFAULT_RETENTION_HOURS, float),
    # How long a page session lasts after its sign-in (Flask's PERMANENT_SESSION_LIFETIME, 31 days by default).
    "SESSION_HOURS": ("COCOON_SESSION_HOURS", 12, int),
    # A request body above this many bytes is answered 413 before it is read (Flask's own setting's name).
    "MAX_CONTENT_LENGTH": ("COCOON_MAX_REQUEST_BYTES", 1024 * 1024, int),
    # How long the audit trail keeps a line (services/gateway/audit.py, docs/audit-rules.md).
    "AUDIT_RETENTION_DAYS": ("COCOON_AUDIT_RETENTION_DAYS", 365, int),
}

# The training organisation's identity on its documents (certificates, attendance sheets):
# app.config key -> (environment variable, digits required or None). Empty: a line to fill in by hand.
ORGANISATION = {
    "ORGANISATION_ADDRESS": ("COCOON_ORGANISATION_ADDRESS", None),
    "ORGANISATION_TOWN": ("COCOON_ORGANISATION_TOWN", None),  # « Fait à »
    "ORGANISATION_REPRESENTATIVE": ("COCOON_ORGANISATION_REPRESENTATIVE", None),  # name, title
    "ORGANISATION_DECLARATION_NUMBER": ("COCOON_ORGANISATION_DECLARATION_NUMBER", 11),  # NDA
    "ORGANISATION_SIRET": ("COCOON_ORGANISATION_SIRET", 14),
}

# The venue's name on the documents it sends out (the bilan for the funders); bookings reads it too.
VENUE_NAME = ("COCOON_VENUE_NAME", "Cocoon'Age")

# The address people reach the venue at (scheme, host, port): links given out (the calendar link)
# are built on it, never on the request's Host header, which the caller chooses.
PUBLIC_URL = ("COCOON_PUBLIC_URL", "http://127.0.0.1:8000")

# Limits of failed sign-ins and of registrations (services/gateway/attempt_limits.py), counted in the
# gateway's database: app.config key -> (variable, default), in the `limits` library's syntax.
ATTEMPT_LIMITS = {
    "LOGIN_LIMIT_PER_ACCOUNT": ("COCOON_LOGIN_LIMIT_PER_ACCOUNT", "5 per minute"),
    "LOGIN_LIMIT_PER_ADDRESS": ("COCOON_LOGIN_LIMIT_PER_ADDRESS", "20 per minute"),
    "REGISTRATION_LIMIT_PER_ADDRESS": ("COCOON_REGISTRATION_LIMIT_PER_ADDRESS", "10 per hour"),
}

# Where the last copy of the evacuation register is kept (services/gateway/register_copy.py): a
# directory of the gateway's host, created if missing, readable by the gateway's user only.
REGISTER_DIR = ("COCOON_REGISTER_DIR", "registre")  # default: var/registre (under COCOON_VAR_DIR)

# How many reverse proxies stand in front of the gateway (Caddy, a load balancer): 0, the default,
# trusts no X-Forwarded-* header; N > 0 takes the client's address, scheme and host from the Nth
# value from the right of X-Forwarded-For, -Proto and -Host (werkzeug's ProxyFix), each trusted
# proxy having added its own value. More than the real number lets a client forge its address.
TRUSTED_PROXIES = ("COCOON_TRUSTED_PROXIES", 0, 10)

# Yes/no settings ("1" or "0"): app.config key -> (variable, default).
SWITCHES = {
    # Behind https: the session cookie is sent over https only, and the answers carry HSTS.
    "SECURE_COOKIES": ("COCOON_SECURE_COOKIES", False),
}


def load(overrides=None):
    """The app.config entries of the gateway, `overrides` (tests) taking precedence over the
    environment. Raises ValueError naming the variable when a value is not understood."""
    overrides = dict(overrides or {})

    def given(key, read):
        return overrides.pop(key) if key in overrides else read()

    values = {
        "AMQP_URI": given("AMQP_URI", config.amqp_uri),
        # RabbitMQ's management API, for /readyz's check of the bindings (default: the AMQP host, port 15672).
        "RABBIT_API_URI": given("RABBIT_API_URI", lambda: config.env("RABBIT_API_URI")),
        "GATEWAY_DATABASE_URL": given("GATEWAY_DATABASE_URL", lambda: config.database_url("gateway")),
        # Set by deploy/gunicorn.conf.py before the workers start: /metrics then adds up every worker.
        "METRICS_MULTIPROCESS_DIR": given("METRICS_MULTIPROCESS_DIR", lambda: config.env("PROMETHEUS_MULTIPROC_DIR")),
        "BOOTSTRAP_STAFF_EMAIL": given("BOOTSTRAP_STAFF_EMAIL", lambda: config.env("COCOON_BOOTSTRAP_STAFF_EMAIL")),
        "BOOTSTRAP_STAFF_PASSWORD": given(
            "BOOTSTRAP_STAFF_PASSWORD", lambda: config.env("COCOON_BOOTSTRAP_STAFF_PASSWORD")
        ),
    }
    for key, (variable, default, kind) in NUMBERS.items():
        values[key] = _positive(
            variable, given(key, lambda variable=variable, default=default: config.env(variable, default)), kind
        )
    for key, (variable, default) in ATTEMPT_LIMITS.items():
        values[key] = _rate(
            variable, given(key, lambda variable=variable, default=default: config.env(variable, default))
        )
    variable, default = PUBLIC_URL
    values["PUBLIC_URL"] = _origin(variable, given("PUBLIC_URL", lambda: config.env(variable, default)))
    for key, (variable, default) in SWITCHES.items():
        values[key] = _switch(
            variable, given(key, lambda variable=variable, default=default: config.env(variable, default))
        )
    variable, default, most = TRUSTED_PROXIES
    values["TRUSTED_PROXIES"] = _proxies(
        variable, given("TRUSTED_PROXIES", lambda: config.env(variable, default)), most
    )
    variable, default = REGISTER_DIR
    values["REGISTER_DIR"] = _directory(
        variable, given("REGISTER_DIR", lambda: config.env(variable) or config.var_dir() / default)
    )
    values["VENUE_NAME"] = given("VENUE_NAME", lambda: " ".join(config.env(VENUE_NAME[0], "").split()) or VENUE_NAME[1])
    for key, (variable, digits) in ORGANISATION.items():
        values[key] = _identity(variable, given(key, lambda variable=variable: config.env(variable, "")), digits)
    values.update(overrides)  # anything else (Flask's own keys) as given
    _check_bootstrap_password(values["BOOTSTRAP_STAFF_EMAIL"], values["BOOTSTRAP_STAFF_PASSWORD"])
    return values


def audit_retention_days():
    """COCOON_AUDIT_RETENTION_DAYS for `cocoon audit purge`, which runs without the app; ValueError when wrong."""
    variable, default, kind = NUMBERS["AUDIT_RETENTION_DAYS"]
    return _positive(variable, config.env(variable, default), kind)


BOOTSTRAP_NAMES = ("Équipe", "Cocoon'Age")  # the bootstrap account's names (auth.bootstrap_staff)


def _check_bootstrap_password(email, password):
    """The first staff account opens everything: its password meets the policy every account does."""
    if not password:
        return
    found = passwords.problem(password, passwords.personal_words(email or "", *BOOTSTRAP_NAMES))
    if found:
        raise ValueError(f"invalid gateway setting: COCOON_BOOTSTRAP_STAFF_PASSWORD is refused: {found}")


def _proxies(variable, raw, most):
    """A count of proxies: a whole number from 0 to `most`."""
    try:
        count = int(str(raw).strip())
    except ValueError:
        count = -1
    if not 0 <= count <= most:
        raise ValueError(f"invalid gateway setting: {variable}={raw!r} is not a number of proxies (0 to {most})")
    return count


def _identity(variable, raw, digits):
    """The text as given (spaces trimmed); a number of `digits` digits, spaces allowed, or empty."""
    text = " ".join(str(raw or "").split())
    if digits and text and not (text.replace(" ", "").isdigit() and len(text.replace(" ", "")) == digits):
        raise ValueError(f"invalid gateway setting: {variable}={raw!r} is not {digits} digits")
    return text


def _origin(variable, raw):
    """An origin such as https://cocoonage.fr or http://127.0.0.1:8000 (one trailing slash allowed)."""
    text = str(raw or "").strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise ValueError(f"invalid gateway setting: {variable}={raw!r} is not an address such as https://cocoonage.fr")
    return f"{parts.scheme}://{parts.netloc}"


def _directory(variable, raw):
    """An absolute directory, created if missing (mode 700: the register names the children and
    their allergies); a path that cannot be a directory stops the start."""
    path = Path(str(raw)).expanduser().resolve()
    refused = f"invalid gateway setting: {variable}={str(raw)!r} is not a directory the gateway can write"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"{refused} ({exc.strerror})") from None
    if not path.is_dir() or not os.access(path, os.W_OK):
        raise ValueError(refused)
    return path


def _positive(variable, raw, kind):
    try:
        value = kind(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or value <= 0:
        expected = "a whole number" if kind is int else "a number"
        raise ValueError(f"invalid gateway setting: {variable}={raw!r} is not {expected} above zero")
    return value


def _switch(variable, raw):
    """True for "1" (or True), False for "0" (or False); anything else stops the start."""
    if raw in (True, False):
        return raw
    if str(raw).strip() in ("0", "1"):
        return str(raw).strip() == "1"
    raise ValueError(f"invalid gateway setting: {variable}={raw!r} is not 1 (yes) or 0 (no)")


def _rate(variable, raw):
    """A rate such as "20 per minute" (the `limits` library's syntax)."""
    try:
        parse(str(raw))
    except ValueError:
        raise ValueError(f"invalid gateway setting: {variable}={raw!r} is not a rate such as '20 per minute'") from None
    return str(raw)
