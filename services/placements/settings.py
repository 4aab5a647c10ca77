"""The placements service's settings, read and checked once when the service starts
(documented in docs/placements-rules.md, "Settings", and in README's settings table).

- COCOON_TUTOR_MAX_TRAINEES: how many trainees a tutor follows at once (default 3,
  [unconfirmed] R124-13).
- COCOON_HOST_STAFF_COUNT: the venue's staff for the trainee quota (R124-10), when the team
  service's list is not the legal headcount (people without an account); empty: team's headcount.
- COCOON_GRATIFICATION_HOURLY: the minimum hourly gratification of years the table of
  domain/gratification.py lacks or that changed, "2027=4.62" or "2026=4.50,2027=4.62".
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from services.placements.domain.tutoring import DEFAULT_MAX_PER_TUTOR
from shared import config
from shared.settings import ServiceSettings, whole


@dataclass(frozen=True)
class PlacementsSettings:
    tutor_max_trainees: int = DEFAULT_MAX_PER_TUTOR
    gratification_hourly: dict[int, Decimal] = field(default_factory=dict)  # year -> €/h, wins over the table
    host_staff_count: int | None = None  # None: ask the team service


def parse_hourly(text):
    """ "2027=4.62,2028=4.70" -> {2027: Decimal("4.62"), 2028: Decimal("4.70")}; ValueError otherwise."""
    rates = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        year, sep, amount = part.partition("=")
        try:
            if not sep or not year.strip().isdigit() or len(year.strip()) != 4:
                raise InvalidOperation
            rate = Decimal(amount.strip())
        except InvalidOperation:
            raise ValueError(f"COCOON_GRATIFICATION_HOURLY: {part!r} is not YEAR=AMOUNT (e.g. 2027=4.62)") from None
        if not rate.is_finite() or rate <= 0:
            raise ValueError(f"COCOON_GRATIFICATION_HOURLY: {part!r}: the amount must be above 0")
        rates[int(year)] = rate
    return rates


def load():
    """Raises ValueError naming the variable when a value is not understood."""
    return PlacementsSettings(
        tutor_max_trainees=whole("COCOON_TUTOR_MAX_TRAINEES", DEFAULT_MAX_PER_TUTOR, low=1),
        gratification_hourly=parse_hourly(config.env("COCOON_GRATIFICATION_HOURLY", "")),
        host_staff_count=whole("COCOON_HOST_STAFF_COUNT", 0, low=0) if config.env("COCOON_HOST_STAFF_COUNT") else None,
    )


class Settings(ServiceSettings):
    """Read once at start: a wrong value stops the start with a clear message instead of
    failing every call later."""

    load = staticmethod(load)
