"""How a service holds its own settings: read and checked once, when the container starts.

    # services/<name>/settings.py
    def load():                      # reads the environment, raises ValueError naming the variable
        return PlacementsSettings(...)

    class Settings(ServiceSettings):
        load = staticmethod(load)

A wrong value stops the start with a clear message instead of failing every call later: the
readers below (`whole`, `number`, `share`, `boolean`) take a variable from the environment, or its
default, and raise ValueError naming the variable and its value. The spine's own settings (outbox,
retries, pool) come from the nameko config too and are read by shared/spine_settings.py.
"""

import math
from decimal import Decimal, InvalidOperation

from nameko.extensions import DependencyProvider

from shared import config

TRUE, FALSE = ("1", "true", "yes", "oui"), ("0", "false", "no", "non")


class ServiceSettings(DependencyProvider):
    """A dependency provider handing every worker the settings `load()` returned at start."""

    load = None  # the service's loader, set by each service's Settings subclass

    def setup(self):
        self.value = type(self).load()

    def get_dependency(self, worker_ctx):
        return self.value


def whole(name, default, low=None, high=None):
    """A whole number between `low` and `high` (either may be None: no bound)."""
    raw = config.env(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a whole number") from None
    return _within(name, value, low, high)


def number(name, default, low=None, high=None):
    """A finite decimal number (a float) between `low` and `high`."""
    raw = config.env(name, str(default))
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"{name}={raw!r} is not a number")
    return _within(name, value, low, high)


def share(name, default, above_zero=False):
    """A share as an exact Decimal from 0 (or just above, with `above_zero`) to 1."""
    raw = config.env(name, str(default))
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValueError(f"{name}={raw!r} is not a decimal number such as 0.80")
    if value > 1 or value < 0 or (above_zero and value == 0):
        raise ValueError(f"{name}={value} is not {'above 0 and at most 1' if above_zero else 'between 0 and 1'}")
    return value


def boolean(name, default):
    """Yes or no: one of TRUE or FALSE, in any case."""
    raw = config.env(name, "true" if default else "false").lower()
    if raw not in TRUE + FALSE:
        raise ValueError(f"{name}={raw!r} is neither true nor false")
    return raw in TRUE


def _within(name, value, low, high):
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            raise ValueError(f"{name}={value} is below {low}")
        if low is None:
            raise ValueError(f"{name}={value} is above {high}")
        raise ValueError(f"{name}={value} is not between {low} and {high}")
    return value
