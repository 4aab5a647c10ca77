"""The volunteers service's settings, read and checked once when the service starts
(documented in docs/volunteers-rules.md and the README's settings table).

- COCOON_HONORABILITY_WARNING_DAYS (default 30): staff see, and the volunteer is told of, an
  attestation that expires within this many days.
- COCOON_VOLUNTEER_CHARTER_VERSION (default "2026-01"): the version of the charte de bénévolat
  a volunteer must have accepted before signing up (the text is the volunteer's page,
  services/gateway/templates/web/volunteer/charter.html: change both together).
"""

import re
from dataclasses import dataclass

from services.volunteers.domain.clearance import DEFAULT_CHARTER_VERSION, DEFAULT_WARNING_DAYS
from shared import config
from shared.settings import ServiceSettings, whole

VERSION = re.compile(r"^[\w.-]{1,40}$")


@dataclass(frozen=True)
class VolunteersSettings:
    honorability_warning_days: int = DEFAULT_WARNING_DAYS
    charter_version: str = DEFAULT_CHARTER_VERSION


def charter_version():
    value = (config.env("COCOON_VOLUNTEER_CHARTER_VERSION", "") or "").strip() or DEFAULT_CHARTER_VERSION
    if not VERSION.match(value):
        raise ValueError(
            f"COCOON_VOLUNTEER_CHARTER_VERSION: {value!r} is not a version (letters, digits, '.', '-', up to 40)"
        )
    return value


def load():
    """Raises ValueError naming the variable when a value is not understood."""
    try:
        return VolunteersSettings(
            honorability_warning_days=whole("COCOON_HONORABILITY_WARNING_DAYS", DEFAULT_WARNING_DAYS, 1, 365),
            charter_version=charter_version(),
        )
    except ValueError as exc:
        raise ValueError(f"{exc} (see docs/volunteers-rules.md)") from None


class Settings(ServiceSettings):
    """Read once at start: a wrong value stops the start with a clear message instead of
    failing every call later."""

    load = staticmethod(load)
