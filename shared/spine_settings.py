"""The spine's settings (outbox relay, reliable handlers, commands, database pool), read one way.

Each value comes from the nameko config (deploy/nameko.yaml, a test's container config), else
the environment, else its default. They are read and checked once per service container, in
the setup() of the first spine extension, i.e. while the container starts: a wrong value stops
the start with "invalid setting NAME=value: what is expected", never a call later on.

    settings = spine_settings.of(self.container)   # in an extension's setup()
    settings = spine_settings.load()               # outside a container (make migrate)

The venue's time zone (COCOON_TIMEZONE) is process-wide and lives in shared.timeutil; it is
checked here too, so a wrong zone also stops the start. A service's own settings (the venue's
rules) are its settings.py.
"""

import math
from dataclasses import dataclass, field, fields

from nameko.constants import DEFAULT_MAX_WORKERS

from shared import config, queues, timeutil
from shared.idempotency import DEFAULT_RETENTION_HOURS


class InvalidSetting(ValueError):
    pass


def _number(value):
    if isinstance(value, bool):
        raise ValueError
    number = float(value.strip() if isinstance(value, str) else value)
    if not math.isfinite(number):
        raise ValueError
    return number


def positive_number(value):
    """a number greater than 0"""
    number = _number(value)
    if number <= 0:
        raise ValueError
    return number


def count(value):
    """a whole number of at least 1"""
    number = _number(value)
    if not number.is_integer() or number < 1 or (isinstance(value, str) and not value.strip().isdigit()):
        raise ValueError
    return int(number)


def on_off(value):
    """on or off"""
    if isinstance(value, bool):  # YAML reads a bare on/off as a boolean
        return value
    words = {"on": True, "off": False}
    if not isinstance(value, str) or value.strip().lower() not in words:
        raise ValueError
    return words[value.strip().lower()]


def port_number(value):
    """a TCP port from 0 (none) to 65535"""
    number = _number(value)
    if not number.is_integer() or not 0 <= number <= 65535:
        raise ValueError
    return int(number)


def address(value):
    """an IP address or host name to listen on, such as 127.0.0.1 or 0.0.0.0"""
    if not isinstance(value, str) or not value.strip() or " " in value.strip():
        raise ValueError
    return value.strip()


def setting(name, default, parse):
    return field(default=default, metadata={"name": name, "parse": parse})


@dataclass(frozen=True)
class SpineSettings:
    outbox_sweep_seconds: float = setting("OUTBOX_SWEEP_SECONDS", 5.0, positive_number)
    outbox_confirm_timeout_seconds: float = setting("OUTBOX_CONFIRM_TIMEOUT_SECONDS", 10.0, positive_number)
    outbox_relay: bool = setting("OUTBOX_RELAY", True, on_off)  # off: tests that drive the relay themselves
    event_max_attempts: int = setting("EVENT_MAX_ATTEMPTS", 5, count)
    event_retry_delay_ms: int = setting("EVENT_RETRY_DELAY_MS", 2000, count)
    event_requeue_backoff_seconds: float = setting("EVENT_REQUEUE_BACKOFF_SECONDS", 1.0, positive_number)
    event_requeue_backoff_max_seconds: float = setting("EVENT_REQUEUE_BACKOFF_MAX_SECONDS", 30.0, positive_number)
    # the service's own database failing: retried this long (from the first such failure), then parked
    event_db_retry_seconds: float = setting("EVENT_DB_RETRY_SECONDS", 3600.0, positive_number)
    event_db_retry_max_delay_seconds: float = setting("EVENT_DB_RETRY_MAX_DELAY_SECONDS", 60.0, positive_number)
    # one connection per worker (greenthread), one for the outbox relay, one spare
    database_pool_size: int = setting("DATABASE_POOL_SIZE", DEFAULT_MAX_WORKERS + 2, count)
    database_pool_wait_seconds: float = setting("DATABASE_POOL_WAIT_SECONDS", 3.0, positive_number)
    idempotency_retention_hours: float = setting(
        "IDEMPOTENCY_RETENTION_HOURS", DEFAULT_RETENTION_HOURS, positive_number
    )
    # the service's Prometheus metrics (shared/service_metrics.py): 0, no server
    metrics_port: int = setting("COCOON_METRICS_PORT", 0, port_number)
    metrics_bind: str = setting("COCOON_METRICS_BIND", "127.0.0.1", address)


def load(container_config=None, max_workers=DEFAULT_MAX_WORKERS):
    """Every spine setting, checked; InvalidSetting names the first wrong one and where it came from."""
    container_config = container_config or {}
    values = {}
    for spec in fields(SpineSettings):
        name, parse = spec.metadata["name"], spec.metadata["parse"]
        raw, source = _raw(container_config, name)
        if raw is None:
            values[spec.name] = spec.default
            continue
        try:
            values[spec.name] = parse(raw)
        except (TypeError, ValueError):
            raise InvalidSetting(
                f"invalid setting {name}={raw!r} (from the {source}): expected {parse.__doc__}"
            ) from None
    if _raw(container_config, "DATABASE_POOL_SIZE")[0] is None:
        values["database_pool_size"] = max_workers + 2
    settings = SpineSettings(**values)
    if settings.event_requeue_backoff_max_seconds < settings.event_requeue_backoff_seconds:
        raise InvalidSetting(
            f"invalid setting EVENT_REQUEUE_BACKOFF_MAX_SECONDS={settings.event_requeue_backoff_max_seconds:g}: "
            f"expected at least EVENT_REQUEUE_BACKOFF_SECONDS ({settings.event_requeue_backoff_seconds:g})"
        )
    timeutil.venue_zone()  # raises its own "invalid setting COCOON_TIMEZONE=..."
    try:  # process-wide like the zone: every declaration of the deployment must agree (shared/queues.py)
        queues.configured_kind()
    except ValueError as exc:
        raise InvalidSetting(str(exc)) from None
    return settings


def _raw(container_config, name):
    value = container_config.get(name)
    if value not in (None, ""):
        return value, "nameko config"
    value = config.env(name)
    return (value, "environment") if value is not None else (None, None)


def of(container):
    """The settings of this service container, loaded and checked by the first extension asking
    (in its setup(), while the container starts), then shared by the others."""
    cached = vars(container).get("_cocoon_spine_settings")
    if cached is None:
        cached = load(container.config, container.max_workers)
        container._cocoon_spine_settings = cached
    return cached
