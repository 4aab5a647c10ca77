"""The insights service's settings, read and checked once when the service starts (shared/settings.py);
it has none yet: the indicators follow the events, not the venue's choices."""

from dataclasses import dataclass

from shared.settings import ServiceSettings


@dataclass(frozen=True)
class InsightsSettings:
    """One field per setting, with its default."""


def load():
    """Reads the environment (shared.config.env); raises ValueError naming a variable it does not understand."""
    return InsightsSettings()


class Settings(ServiceSettings):
    """Read once at start: a wrong value stops the start with a clear message instead of failing every call later."""

    load = staticmethod(load)
