"""The education service's settings, read and checked once when the service starts.

None is the venue's choice yet beyond the spine's (shared/config.py). A setting that comes with
[10/12] is a field of EducationSettings, read in `load()` with shared.config.env and checked
there (a ValueError naming the variable), documented in docs/education-rules.md.
Worked example with settings: services/bookings/settings.py.
"""

from dataclasses import dataclass

from shared.settings import ServiceSettings


@dataclass(frozen=True)
class EducationSettings:
    pass


def load():
    """Raises ValueError naming the variable when a value is not understood."""
    return EducationSettings()


class Settings(ServiceSettings):
    """Read once at start: a wrong value stops the start with a clear message instead of
    failing every call later."""

    load = staticmethod(load)
