"""The venue's own choices, read from the environment (documented in README and docs/childcare-rules.md)."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from services.bookings.domain import emergency
from services.bookings.domain.early_end import DEFAULT_NOTICE_DAYS
from services.bookings.domain.places import OpeningDay, parse_opening
from services.bookings.domain.ratio import DEFAULT_WALKING_AGE_MONTHS, RatioOption
from services.bookings.domain.waitlist import DEFAULT_AVIP_SHARE
from shared import config
from shared.settings import ServiceSettings, boolean, share, whole


@dataclass(frozen=True)
class VenueSettings:
    ratio_option: RatioOption = RatioOption.FIVE_EIGHT  # written in the venue's rules (R2324-43)
    micro_creche: bool = False
    avip_share: Decimal = DEFAULT_AVIP_SHARE
    billing_increment_minutes: int = 30  # each started half-hour is due [practice]
    cancel_notice_hours: int = 48  # cancelled later than this: billed as booked [practice]
    walking_age_months: int = DEFAULT_WALKING_AGE_MONTHS
    creche_places: int = 12  # the crèche's authorised places (its agrément): the AVIP share applies to them
    avip_release_hours: int = 48  # places still kept for AVIP this long before a slot go to others [practice]
    # the weekly opening pattern: weekday -> OpeningDay(opens, closes, places) (domain/places.py)
    opening: dict[int, OpeningDay] = field(default_factory=lambda: parse_opening(DEFAULT_OPENING))
    contract_notice_days: int = DEFAULT_NOTICE_DAYS  # a family ends a contract this long ahead [practice]
    # resources unknown (emergency care, domain/emergency.py): the floor rate, or the venue's
    # average hourly rate of the previous year (€/h, exact)
    emergency_rate: str = emergency.FLOOR
    emergency_average_rate: Decimal | None = None


DEFAULT_OPENING = "0-4 07:30-18:30 12"  # Monday to Friday, 12 places


def load():
    """Raises ValueError naming the variable when a value is not understood."""
    try:
        return _read()
    except ValueError as exc:
        raise ValueError(f"invalid venue setting: {exc} (see docs/childcare-rules.md)") from None


def _read():
    places = whole("COCOON_CRECHE_PLACES", 12, low=1)
    try:
        opening = parse_opening(config.env("COCOON_OPENING", f"0-4 07:30-18:30 {places}"))
    except ValueError as exc:
        raise ValueError(f"COCOON_OPENING: {exc}") from None
    return VenueSettings(
        ratio_option=RatioOption(config.env("COCOON_RATIO_OPTION", "5_8")),
        micro_creche=boolean("COCOON_MICRO_CRECHE", False),
        avip_share=share("COCOON_AVIP_SHARE", DEFAULT_AVIP_SHARE),
        billing_increment_minutes=whole("COCOON_BILLING_INCREMENT_MINUTES", 30),
        cancel_notice_hours=whole("COCOON_CANCEL_NOTICE_HOURS", 48),
        walking_age_months=whole("COCOON_WALKING_AGE_MONTHS", DEFAULT_WALKING_AGE_MONTHS),
        creche_places=places,
        opening=opening,
        contract_notice_days=whole("COCOON_CONTRACT_NOTICE_DAYS", 30, low=0),
        avip_release_hours=whole("COCOON_AVIP_RELEASE_HOURS", 48, low=0),
        **_emergency(),
    )


def _emergency():
    """COCOON_EMERGENCY_RATE (floor | average) and, for average, COCOON_EMERGENCY_AVERAGE_RATE (€/h)."""
    mode = config.env("COCOON_EMERGENCY_RATE", emergency.FLOOR)
    if mode not in emergency.MODES:
        raise ValueError(f"COCOON_EMERGENCY_RATE={mode!r} is neither floor nor average")
    raw = config.env("COCOON_EMERGENCY_AVERAGE_RATE", "")
    if mode == emergency.FLOOR and not raw:
        return {"emergency_rate": mode}
    try:
        rate = Decimal(raw)
    except InvalidOperation:
        rate = Decimal("NaN")
    if not rate.is_finite() or rate < 0 or rate > 100:
        raise ValueError(f"COCOON_EMERGENCY_AVERAGE_RATE={raw!r} is not an hourly rate in euros (0 to 100)")
    return {"emergency_rate": mode, "emergency_average_rate": rate}


class Settings(ServiceSettings):
    """The venue settings, read once when the service starts: a wrong value stops the start
    with a clear message instead of failing every booking later."""

    load = staticmethod(load)
