"""The volunteers service's settings, read and checked once when the service starts
(documented in docs/volunteers-rules.md and the README's settings table).

- COCOON_HONORABILITY_MAX_AGE_MONTHS (default 6): how old an attestation may be at a volunteer's
  first activity [unconfirmed, single source]; 0 turns the rule off.
- COCOON_HONORABILITY_WARNING_DAYS (default 30): staff see, and the volunteer is told of, an
  attestation that expires within this many days.
"""

from dataclasses import dataclass

from services.volunteers.domain.clearance import DEFAULT_MAX_AGE_AT_START_MONTHS, DEFAULT_WARNING_DAYS
from shared.settings import ServiceSettings, whole


@dataclass(frozen=True)
class VolunteersSettings:
    honorability_max_age_months: int = DEFAULT_MAX_AGE_AT_START_MONTHS
    honorability_warning_days: int = DEFAULT_WARNING_DAYS


def load():
    """Raises ValueError naming the variable when a value is not understood."""
    try:
        return VolunteersSettings(
            honorability_max_age_months=whole(
                "COCOON_HONORABILITY_MAX_AGE_MONTHS", DEFAULT_MAX_AGE_AT_START_MONTHS, 0, 36
            ),
            honorability_warning_days=whole("COCOON_HONORABILITY_WARNING_DAYS", DEFAULT_WARNING_DAYS, 1, 365),
        )
    except ValueError as exc:
        raise ValueError(f"{exc} (see docs/volunteers-rules.md)") from None


class Settings(ServiceSettings):
    """Read once at start: a wrong value stops the start with a clear message instead of
    failing every call later."""

    load = staticmethod(load)
